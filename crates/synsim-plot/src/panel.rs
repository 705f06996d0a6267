//! A time-series panel: a plain-words title, a legend row under it (never on
//! top of the data), lines on the shared [`TimeAxis`], labelled reference
//! levels and dose markers (small triangles at the top, shaded infusion spans).

use super::canvas::{self, font, Dash, LegendEntry, OrDraw, Swatch};
use super::style::{self, okabe_ito};
use super::timeaxis::{TickCoord, TimeAxis};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use synsim_core::regimen::DoseEvent;

/// Width of the y tick-label and y-title area, px.
pub const Y_AREA: u32 = 118;
/// Right margin of a panel, px.
pub const RIGHT: u32 = 28;

/// One line in a panel; `points` are (hours since the first dose, value).
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// Colour.
    pub colour: RGBColor,
    /// Pattern.
    pub dash: Dash,
    /// Width, px.
    pub width: u32,
    /// (time_h, value) pairs in time order.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A series with the standard line width.
    pub fn new(
        label: impl Into<String>,
        colour: RGBColor,
        dash: Dash,
        points: Vec<(f64, f64)>,
    ) -> Series {
        Series {
            label: label.into(),
            colour,
            dash,
            width: style::LINE,
            points,
        }
    }

    /// The same series with another width.
    pub fn width(mut self, w: u32) -> Series {
        self.width = w;
        self
    }

    /// Its legend entry.
    pub fn legend(&self) -> LegendEntry {
        LegendEntry::line(self.label.clone(), self.colour, self.dash, self.width)
    }
}

/// A horizontal reference level, labelled on the line at the left edge.
#[derive(Debug, Clone)]
pub struct RefLine {
    /// Value.
    pub y: f64,
    /// Label (drawn just above the line).
    pub label: String,
    /// Colour.
    pub colour: RGBColor,
}

/// A dose to mark: a triangle at its start, a shaded span while it runs.
#[derive(Debug, Clone, Copy)]
pub struct DoseMark {
    /// Start, hours since the first dose.
    pub time_h: f64,
    /// Duration, hours (0 for instantaneous doses).
    pub duration_h: f64,
    /// Marker colour (the drug's colour).
    pub colour: RGBColor,
}

impl DoseMark {
    /// Marks for expanded doses, in each drug's colour.
    pub fn from_doses(doses: &[DoseEvent]) -> Vec<DoseMark> {
        doses
            .iter()
            .map(|d| DoseMark {
                time_h: d.time_h,
                duration_h: d.duration_h,
                colour: style::drug_colour(d.drug),
            })
            .collect()
    }
}

/// How the y tick labels are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YFormat {
    /// Plain numbers with as many decimals as the range needs.
    Number,
    /// Fractions 0-1 written as percent.
    Percent,
}

/// Everything one panel shows.
#[derive(Debug, Clone)]
pub struct Panel {
    /// Plain-words title, e.g. "Plasma concentration".
    pub title: String,
    /// Short y-axis title with unit, e.g. "ng/mL".
    pub y_label: String,
    /// Lines, drawn in order (later on top).
    pub series: Vec<Series>,
    /// Reference levels.
    pub refs: Vec<RefLine>,
    /// Doses to mark.
    pub doses: Vec<DoseMark>,
    /// Fixed y range; `None` = fit the data and reference levels.
    pub y_range: Option<(f64, f64)>,
    /// Smallest y span when fitting, so a flat line does not fill the panel.
    pub min_span: f64,
    /// Tick-label format.
    pub y_format: YFormat,
    /// Show the legend row under the title.
    pub legend: bool,
    /// Extra legend entries after the series (e.g. dose triangles).
    pub extra_legend: Vec<LegendEntry>,
    /// Text shown in the middle when there is nothing to plot.
    pub note: Option<String>,
    /// A short remark on its own row under the title (e.g. which lines
    /// coincide).
    pub remark: Option<String>,
}

impl Panel {
    /// An empty panel with a title and y-axis title.
    pub fn new(title: impl Into<String>, y_label: impl Into<String>) -> Panel {
        Panel {
            title: title.into(),
            y_label: y_label.into(),
            series: Vec::new(),
            refs: Vec::new(),
            doses: Vec::new(),
            y_range: None,
            min_span: 0.1,
            y_format: YFormat::Number,
            legend: true,
            extra_legend: Vec::new(),
            note: None,
            remark: None,
        }
    }

    fn legend_entries(&self) -> Vec<LegendEntry> {
        let mut v: Vec<LegendEntry> = self.series.iter().map(Series::legend).collect();
        v.extend(self.extra_legend.iter().cloned());
        v
    }

    /// The y range: fixed, or fitted to visible data and reference levels
    /// with headroom for the dose markers and reference labels.
    fn y_range(&self, axis: &TimeAxis, mapped: &[Vec<(f64, f64)>]) -> (f64, f64) {
        if let Some(r) = self.y_range {
            return r;
        }
        let ys = mapped
            .iter()
            .flatten()
            .map(|p| p.1)
            .chain(self.refs.iter().map(|r| r.y));
        let (mut lo, mut hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
            (a.min(y), b.max(y))
        });
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi - lo < self.min_span {
            let mid = 0.5 * (hi + lo);
            (lo, hi) = (mid - 0.5 * self.min_span, mid + 0.5 * self.min_span);
        }
        let span = hi - lo;
        let top_room =
            if self.doses.iter().any(|d| axis.x(d.time_h).is_some()) || !self.refs.is_empty() {
                0.22
            } else {
                0.08
            };
        let lo = if lo >= 0.0 && lo - 0.06 * span < 0.0 {
            0.0
        } else {
            lo - 0.06 * span
        };
        (lo, hi + top_room * span)
    }
}

/// Formats a tick value with `decimals` decimals (as returned by
/// [`super::timeaxis::nice_ticks`] for the raw values).
pub fn format_tick(v: f64, decimals: usize, f: YFormat) -> String {
    let (v, d) = match f {
        YFormat::Percent => (100.0 * v, decimals.saturating_sub(2)),
        YFormat::Number => (v, decimals),
    };
    let s = format!("{v:.d$}");
    // No "-0".
    let s = if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s[1..].to_string()
    } else {
        s
    };
    match f {
        YFormat::Percent => format!("{s} %"),
        YFormat::Number => s,
    }
}

/// What a panel writes along its x axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XLabels {
    /// Nothing (a panel inside a stack).
    None,
    /// Tick labels only.
    Ticks,
    /// Tick labels and the axis title (the bottom panel).
    Full,
}

/// Draws `p` into `area` on the shared time axis.
pub fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    axis: &TimeAxis,
    x_labels: XLabels,
) -> anyhow::Result<()> {
    let (w, _) = area.dim_in_pixel();
    canvas::text(
        area,
        &p.title,
        (Y_AREA as i32 - 40, 4),
        &canvas::bold(style::LABEL, okabe_ito::BLACK),
        (HPos::Left, VPos::Top),
    )?;
    let mut top = style::LABEL as i32 + 10;
    if let Some(r) = &p.remark {
        canvas::text(
            area,
            r,
            (Y_AREA as i32 - 40, top - 2),
            &font(style::SMALL, style::DARK),
            (HPos::Left, VPos::Top),
        )?;
        top += style::SMALL as i32 + 6;
    }
    if p.legend {
        let entries = p.legend_entries();
        let lw = w as i32 - Y_AREA as i32 - RIGHT as i32;
        top += canvas::legend_rows(area, &entries, (Y_AREA as i32, top), lw, style::LEGEND)?;
    }
    let body = area.clone().split_vertically(top + 4).1;
    draw_body(&body, p, axis, x_labels)
}

/// Draws the plot part of `p` (no title or legend) filling `area`.
pub fn draw_body<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    axis: &TimeAxis,
    x_labels: XLabels,
) -> anyhow::Result<()> {
    let (w, _) = area.dim_in_pixel();
    let plot_w = w.saturating_sub(Y_AREA + RIGHT).max(100);
    let mapped: Vec<Vec<(f64, f64)>> = p
        .series
        .iter()
        .map(|s| axis.points(s.points.iter().copied(), plot_w as usize / 3))
        .collect();
    let (y0, y1) = p.y_range(axis, &mapped);
    // Fewer y ticks on short panels so their labels never crowd.
    let (_, h) = area.dim_in_pixel();
    let n_y = ((h as usize).saturating_sub(60) / 34).clamp(3, 6);
    let (ycoord, ydec) = TickCoord::nice(y0..y1, n_y);
    let ticks = axis.ticks(plot_w);
    let mut chart = ChartBuilder::on(area)
        .margin_right(RIGHT)
        .margin_top(4)
        .x_label_area_size(match x_labels {
            XLabels::None => 10,
            XLabels::Ticks => 40,
            XLabels::Full => 78,
        })
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(axis.spec(plot_w), ycoord)
        .or_draw()?;
    let xfmt = |x: &f64| {
        if x_labels == XLabels::None {
            String::new()
        } else {
            axis.tick_label(*x, &ticks)
        }
    };
    let yfmt = |y: &f64| format_tick(*y, ydec, p.y_format);
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(style::LIGHT.mix(0.7))
        .light_line_style(TRANSPARENT)
        .axis_style(style::DARK.stroke_width(2))
        .label_style(font(style::TICK, okabe_ito::BLACK))
        .axis_desc_style(font(style::LABEL - 2, okabe_ito::BLACK))
        .x_label_formatter(&xfmt)
        .y_label_formatter(&yfmt)
        .y_desc(p.y_label.as_str());
    if x_labels == XLabels::Full {
        mesh.x_desc(axis.label());
    }
    mesh.draw().or_draw()?;
    draw_doses(&mut chart, &p.doses, axis, (y0, y1))?;
    for r in &p.refs {
        let pts = vec![(axis.range().start, r.y), (axis.range().end, r.y)];
        chart
            .draw_series(DashedLineSeries::new(pts, 14, 8, r.colour.stroke_width(3)))
            .or_draw()?;
    }
    for (s, pts) in p.series.iter().zip(&mapped) {
        draw_line(&mut chart, pts, s.colour, s.dash, s.width)?;
    }
    // Labels last, so one that had to go over a line stays on top.
    draw_ref_labels(area, &mut chart, p, axis, &mapped)?;
    if let Some(note) = &p.note {
        let (_, h) = area.dim_in_pixel();
        let st = font(style::LABEL, style::DARK);
        canvas::text(
            area,
            note,
            ((Y_AREA + plot_w / 2) as i32, h as i32 / 2),
            &st,
            (HPos::Center, VPos::Center),
        )?;
    }
    Ok(())
}

/// Draws a data line. The path is cut where it doubles back on itself (in
/// pixels), because the bitmap backend's thick-line joins shoot far out at
/// such turns; points on the same pixel are merged.
pub fn draw_line<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    pts: &[(f64, f64)],
    colour: RGBColor,
    dash: Dash,
    width: u32,
) -> anyhow::Result<()>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let mut paths: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let mut cur_px: Vec<(i32, i32)> = Vec::new();
    for p in pts {
        let q = chart.backend_coord(p);
        if cur_px.last() == Some(&q) {
            continue;
        }
        if let [.., a, b] = cur_px[..] {
            let (d1, d2) = ((b.0 - a.0, b.1 - a.1), (q.0 - b.0, q.1 - b.1));
            let dot = f64::from(d1.0 * d2.0 + d1.1 * d2.1);
            let norm = f64::from(d1.0 * d1.0 + d1.1 * d1.1).sqrt()
                * f64::from(d2.0 * d2.0 + d2.1 * d2.1).sqrt();
            if dot < -0.2 * norm {
                let last = cur[cur.len() - 1];
                paths.push(std::mem::replace(&mut cur, vec![last]));
                cur_px = vec![b];
            }
        }
        cur.push(*p);
        cur_px.push(q);
    }
    paths.push(cur);
    let st = colour.stroke_width(width);
    for path in paths.into_iter().filter(|p| !p.is_empty()) {
        match dash.pattern() {
            None => chart.draw_series(LineSeries::new(path, st)).map(|_| ()),
            Some((on, off)) => chart
                .draw_series(DashedLineSeries::new(path, on, off, st))
                .map(|_| ()),
        }
        .or_draw()?;
    }
    Ok(())
}

/// A chart on the shared time axis.
pub type TimeChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<TickCoord, TickCoord>>;

/// Shaded spans for infusions wide enough to see, thin lines when there are
/// few doses, and a small triangle at the top for every dose.
fn draw_doses<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    doses: &[DoseMark],
    axis: &TimeAxis,
    (y0, y1): (f64, f64),
) -> anyhow::Result<()> {
    let visible: Vec<&DoseMark> = doses.iter().filter(|d| dose_visible(d, axis)).collect();
    let few = visible.len() <= 30;
    for d in &visible {
        let x0 = axis.x_clamped(d.time_h);
        let x1 = axis.x_clamped(d.time_h + d.duration_h);
        let (px0, _) = chart.backend_coord(&(x0, y0));
        let (px1, _) = chart.backend_coord(&(x1, y0));
        if px1 - px0 >= 3 {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x0, y0), (x1, y1)],
                    d.colour.mix(0.13).filled(),
                )))
                .or_draw()?;
        } else if few {
            chart
                .draw_series(LineSeries::new(
                    [(x0, y0), (x0, y1)],
                    style::LIGHT.stroke_width(2),
                ))
                .or_draw()?;
        }
    }
    // Triangles when they have room, else a light rug of short ticks (daily
    // pills over months would otherwise make a heavy saw-tooth band).
    let px: Vec<i32> = visible
        .iter()
        .map(|d| chart.backend_coord(&(axis.x_clamped(d.time_h), y1)).0)
        .collect();
    let crowded =
        px.len() > 20 && px.windows(2).filter(|w| (w[1] - w[0]).abs() < 18).count() * 3 > px.len();
    for d in &visible {
        let x0 = axis.x_clamped(d.time_h);
        // A mark clamped to the left edge sits just inside the axis.
        let dx = if d.time_h < axis.start_h { 9 } else { 0 };
        if crowded {
            let tick = PathElement::new(vec![(dx, 1), (dx, 11)], d.colour.stroke_width(2));
            chart
                .draw_series(std::iter::once(EmptyElement::at((x0, y1)) + tick))
                .or_draw()?;
        } else {
            let tri = Polygon::new(vec![(dx - 8, 1), (dx + 8, 1), (dx, 15)], d.colour.filled());
            chart
                .draw_series(std::iter::once(EmptyElement::at((x0, y1)) + tri))
                .or_draw()?;
        }
    }
    Ok(())
}

/// Whether a dose shows on the axis, and where its mark starts (a dose given
/// before the axis starts, e.g. at t = 0 on a log axis, is marked at the edge).
fn dose_visible(d: &DoseMark, axis: &TimeAxis) -> bool {
    axis.x(d.time_h).is_some()
        || (d.time_h < axis.start_h && (axis.log || d.time_h + d.duration_h > axis.start_h))
}

/// A strip with one row of dose marks per regimen (ticks for instantaneous
/// doses, bars for infusions wide enough to see), on the shared time axis.
pub fn draw_dose_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    rows: &[(RGBColor, Vec<DoseMark>)],
    axis: &TimeAxis,
) -> anyhow::Result<()> {
    let (w, _) = area.dim_in_pixel();
    canvas::text(
        area,
        title,
        (Y_AREA as i32 - 40, 4),
        &canvas::bold(style::LABEL, okabe_ito::BLACK),
        (HPos::Left, VPos::Top),
    )?;
    let body = area.clone().split_vertically(style::LABEL as i32 + 12).1;
    let plot_w = w.saturating_sub(Y_AREA + RIGHT).max(100);
    let n = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&body)
        .margin_right(RIGHT)
        .x_label_area_size(2)
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(axis.spec(plot_w), 0.0..n)
        .or_draw()?;
    chart
        .configure_mesh()
        .bold_line_style(style::LIGHT.mix(0.7))
        .light_line_style(TRANSPARENT)
        .axis_style(style::DARK.stroke_width(2))
        .disable_y_mesh()
        .y_labels(0)
        .x_label_formatter(&|_| String::new())
        .draw()
        .or_draw()?;
    for (k, (colour, marks)) in rows.iter().enumerate() {
        let yc = n - k as f64 - 0.5;
        let (lo, hi) = (yc - 0.32, yc + 0.32);
        for d in marks.iter().filter(|d| dose_visible(d, axis)) {
            let x0 = axis.x_clamped(d.time_h);
            let x1 = axis.x_clamped(d.time_h + d.duration_h);
            let wide = chart.backend_coord(&(x1, lo)).0 - chart.backend_coord(&(x0, lo)).0 >= 3;
            if wide {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, lo), (x1, hi)],
                        colour.filled(),
                    )))
                    .or_draw()?;
            } else {
                chart
                    .draw_series(LineSeries::new(
                        [(x0, lo), (x0, hi)],
                        colour.stroke_width(3),
                    ))
                    .or_draw()?;
            }
        }
    }
    Ok(())
}

/// Pixel boxes (x0, y0, x1, y1) a reference label must not touch.
type PxBox = (i32, i32, i32, i32);

/// Distance in px from point `(x, y)` to box `b` (0 inside).
fn box_dist(b: PxBox, (x, y): (i32, i32)) -> i32 {
    let dx = (b.0 - x).max(x - b.2).max(0);
    let dy = (b.1 - y).max(y - b.3).max(0);
    dx.max(dy)
}

/// Writes each reference label just above or below its line, at the first
/// place (left to right) where it keeps clear of the data, the other lines,
/// the dose markers and the labels already placed.
fn draw_ref_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut TimeChart<'_, DB>,
    p: &Panel,
    axis: &TimeAxis,
    mapped: &[Vec<(f64, f64)>],
) -> anyhow::Result<()> {
    if p.refs.is_empty() {
        return Ok(());
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    // Data as densely sampled pixel points (segments every <= 3 px).
    let mut obstacles: Vec<(i32, i32)> = Vec::new();
    for pts in mapped {
        let px: Vec<(i32, i32)> = pts.iter().map(|q| chart.backend_coord(q)).collect();
        for w in px.windows(2) {
            let (a, b) = (w[0], w[1]);
            let n = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 3).max(1);
            for k in 0..n {
                obstacles.push((a.0 + (b.0 - a.0) * k / n, a.1 + (b.1 - a.1) * k / n));
            }
        }
        obstacles.extend(px.last().copied());
    }
    let ref_rows: Vec<i32> = p
        .refs
        .iter()
        .map(|r| chart.backend_coord(&(axis.range().start, r.y)).1)
        .collect();
    let mut taken: Vec<PxBox> = vec![(xr.start, yr.start, xr.end, yr.start + 18)];
    for (r, &py) in p.refs.iter().zip(&ref_rows) {
        let st = font(style::TICK, r.colour);
        let (w, h) = area
            .estimate_text_size(&r.label, &st)
            .unwrap_or((r.label.len() as u32 * 12, style::TICK));
        let (w, h) = (w as i32, h as i32);
        let clearance = |b: PxBox| {
            let data = obstacles
                .iter()
                .map(|&q| box_dist(b, q))
                .min()
                .unwrap_or(99);
            let lines = ref_rows
                .iter()
                .filter(|&&y| y != py)
                .map(|&y| (b.1 - y).max(y - b.3).max(0))
                .min()
                .unwrap_or(99);
            let boxes = taken
                .iter()
                .map(|t| {
                    (t.0 - b.2)
                        .max(b.0 - t.2)
                        .max(t.1 - b.3)
                        .max(b.1 - t.3)
                        .max(0)
                })
                .min()
                .unwrap_or(99);
            data.min(lines).min(boxes)
        };
        let mut best: Option<(i32, PxBox, bool)> = None;
        // Left edge, then steps to the right, then flush with the right edge.
        let xs = [0.0, 0.2, 0.4, 0.6, 0.8]
            .iter()
            .map(|f| xr.start + 8 + (f * f64::from(xr.end - xr.start)) as i32)
            .chain(std::iter::once(xr.end - 8 - w));
        'search: for x in xs {
            if x + w > xr.end - 4 || x < xr.start + 4 {
                continue;
            }
            for above in [true, false] {
                let b = if above {
                    (x, py - 6 - h, x + w, py - 6)
                } else {
                    (x, py + 6, x + w, py + 6 + h)
                };
                if b.1 < yr.start || b.3 > yr.end {
                    continue;
                }
                let c = clearance(b);
                if best.is_none_or(|(bc, _, _)| c > bc) {
                    best = Some((c, b, above));
                }
                if c >= 10 {
                    break 'search;
                }
            }
        }
        let Some((clear, b, above)) = best else {
            continue;
        };
        taken.push(b);
        let (bx, by) = area.get_base_pixel();
        if clear < 6 {
            // No free spot: a white backing keeps the label readable.
            let pad = 3;
            area.draw(&Rectangle::new(
                [
                    (b.0 - bx - pad, b.1 - by - pad),
                    (b.2 - bx + pad, b.3 - by + pad),
                ],
                WHITE.mix(0.85).filled(),
            ))
            .or_draw()?;
        }
        let st = st.pos(Pos::new(
            HPos::Left,
            if above { VPos::Bottom } else { VPos::Top },
        ));
        let anchor = if above {
            (b.0 - bx, b.3 - by)
        } else {
            (b.0 - bx, b.1 - by)
        };
        area.draw(&Text::new(r.label.clone(), anchor, st))
            .or_draw()?;
    }
    Ok(())
}

/// Whether any infusion is wide enough (3 px on an axis `width_px` wide) to
/// show as a shaded span.
pub fn infusion_visible(axis: &TimeAxis, doses: &[DoseEvent], width_px: u32) -> bool {
    let r = axis.range();
    let span = (r.end - r.start).max(1e-12);
    doses.iter().filter(|d| d.duration_h > 0.0).any(|d| {
        let dx = axis.x_clamped(d.time_h + d.duration_h) - axis.x_clamped(d.time_h);
        dx / span * f64::from(width_px) >= 3.0
    })
}

/// The legend entry for the shaded span of a running infusion.
pub fn infusion_legend(colour: RGBColor) -> LegendEntry {
    LegendEntry {
        label: "infusion running".into(),
        swatch: Swatch::Block(colour),
    }
}

/// The legend entry for dose triangles of one colour.
pub fn dose_legend(label: impl Into<String>, colour: RGBColor) -> LegendEntry {
    LegendEntry {
        label: label.into(),
        swatch: Swatch::Triangle(colour),
    }
}
