//! A time-series panel: a plain-words title, a legend row under it (never on
//! top of the data), lines on the shared [`TimeAxis`], labelled reference
//! levels and dose markers (small triangles at the top, shaded infusion spans).

use super::canvas::{self, font, Dash, LegendEntry, Marker, OrDraw, Swatch};
use super::print::Pens;
use super::style::{self, okabe_ito, Look};
use super::timeaxis::{TickCoord, TimeAxis};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use synsim_core::regimen::DoseEvent;

mod doses;
mod grid;
mod labels;

use doses::draw_doses;
pub use doses::{dose_legend, draw_dose_strip, infusion_legend, infusion_visible};
pub use grid::{draw_grid, fits, grid_fit, renumber};
use labels::{direct_label_boxes, draw_direct_labels, draw_ref_labels};

/// Width of the y tick-label and y-title area, px.
pub const Y_AREA: u32 = 118;
/// Right margin of a panel, px.
pub const RIGHT: u32 = 28;

/// [`Y_AREA`] at the text scale of `look`.
pub fn y_area(look: &Look) -> u32 {
    look.upx(Y_AREA)
}

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
    /// Symbol repeated along the line (print figures).
    pub marker: Marker,
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
            marker: Marker::None,
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
            .with_marker(self.marker)
    }

    /// The same series for print: black, with the marker `pens` gives its colour.
    pub fn for_print(mut self, pens: &mut Pens) -> Series {
        self.marker = pens.marker(self.colour);
        self.colour = okabe_ito::BLACK;
        self
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
    /// An open triangle (a second drug's doses in print).
    pub open: bool,
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
                open: false,
            })
            .collect()
    }

    /// Marks for print: every drug's in black, the second drug's open, a
    /// third's grey.
    pub fn for_print(marks: Vec<DoseMark>) -> Vec<DoseMark> {
        let mut seen: Vec<RGBColor> = Vec::new();
        marks
            .into_iter()
            .map(|m| {
                let k = seen.iter().position(|c| *c == m.colour).unwrap_or_else(|| {
                    seen.push(m.colour);
                    seen.len() - 1
                });
                DoseMark {
                    colour: if k >= 2 {
                        okabe_ito::GREY
                    } else {
                        okabe_ito::BLACK
                    },
                    open: k == 1,
                    ..m
                }
            })
            .collect()
    }
}

/// The legend entry of the dose marks `m` (the first of a drug's marks).
pub fn dose_swatch(m: &DoseMark) -> Swatch {
    if m.open {
        Swatch::OpenTriangle(m.colour)
    } else {
        Swatch::Triangle(m.colour)
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
    /// Label every line where it ends, in its colour (school figures),
    /// instead of relying on a legend.
    pub direct: bool,
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
            direct: false,
        }
    }

    /// Its legend: the series, then the extra entries.
    pub fn legend_entries(&self) -> Vec<LegendEntry> {
        let mut v: Vec<LegendEntry> = self.series.iter().map(Series::legend).collect();
        v.extend(self.extra_legend.iter().cloned());
        v
    }

    /// The same panel for print: lines black with a marker per colour,
    /// dose marks black (a second drug's open), legend swatches to match.
    pub fn for_print(mut self) -> Panel {
        let mut pens = Pens::new();
        // Only lines that would look alike in black (the same pattern) need
        // markers; a panel of solid and dashed lines stays plain.
        let dashes: Vec<Dash> = self.series.iter().map(|s| s.dash).collect();
        self.series = self
            .series
            .into_iter()
            .map(|s| {
                let alike = dashes.iter().filter(|d| **d == s.dash).count() > 1;
                let mut p = s.for_print(&mut pens);
                if !alike {
                    p.marker = Marker::None;
                }
                p
            })
            .collect();
        let before: Vec<RGBColor> = self.doses.iter().map(|d| d.colour).collect();
        self.doses = DoseMark::for_print(self.doses);
        // Dose legend entries follow their drug's marks.
        let swatch_of = |c: RGBColor| {
            before
                .iter()
                .position(|b| *b == c)
                .map(|k| dose_swatch(&self.doses[k]))
        };
        let extra: Vec<LegendEntry> = self
            .extra_legend
            .iter()
            .map(|e| {
                let swatch = match &e.swatch {
                    Swatch::Triangle(c) => {
                        swatch_of(*c).unwrap_or(Swatch::Triangle(okabe_ito::BLACK))
                    }
                    Swatch::Line {
                        dash,
                        width,
                        marker,
                        ..
                    } => Swatch::Line {
                        colour: okabe_ito::BLACK,
                        dash: *dash,
                        width: *width,
                        marker: *marker,
                    },
                    other => other.clone(),
                };
                LegendEntry {
                    label: e.label.clone(),
                    swatch,
                }
            })
            .collect();
        self.extra_legend = extra;
        self
    }

    /// The same panel in a school class's plain words ([`crate::school`]):
    /// its title, axis title, line, reference and legend labels and notes.
    pub fn in_plain_words(mut self) -> Panel {
        let say = crate::school::say;
        self.title = say(&self.title);
        self.y_label = say(&self.y_label);
        for s in &mut self.series {
            s.label = say(&s.label);
        }
        for r in &mut self.refs {
            r.label = say(&r.label);
        }
        for e in &mut self.extra_legend {
            e.label = say(&e.label);
        }
        self.note = self.note.as_deref().map(say);
        self.remark = self.remark.as_deref().map(say);
        self
    }

    /// The panel as `look` draws it: [`Panel::for_print`] for print,
    /// [`Panel::in_plain_words`] for a school class, else as it is.
    pub fn styled(self, look: &Look) -> Panel {
        if look.print {
            self.for_print()
        } else if look.school {
            self.in_plain_words()
        } else {
            self
        }
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

/// Where a panel's caption starts: a little left of the plot, px.
pub fn caption_x(look: &Look) -> i32 {
    (y_area(look) as i32 - 40).max(8)
}

/// Draws `p` into `area` on the shared time axis.
pub fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    axis: &TimeAxis,
    x_labels: XLabels,
    look: &Look,
) -> anyhow::Result<()> {
    let (w, _) = area.dim_in_pixel();
    let x0 = caption_x(look);
    let room = (w as i32 - x0 - RIGHT as i32).max(40) as u32;
    let (title, st) = canvas::heading_fit(area, &p.title, (look.label(), look.small()), room);
    canvas::text(area, &title, (x0, 4), &st, (HPos::Left, VPos::Top))?;
    let mut top = look.label() as i32 + look.px(10);
    if let Some(r) = &p.remark {
        let st = font(look.small(), style::DARK);
        for line in canvas::wrap_px(area, r, &st, room, 2) {
            canvas::text(area, &line, (x0, top - 2), &st, (HPos::Left, VPos::Top))?;
            top += look.small() as i32 + look.px(6);
        }
    }
    if p.legend {
        let entries = p.legend_entries();
        let ya = y_area(look) as i32;
        let lw = (w as i32 - ya - RIGHT as i32).max(80);
        let x = if lw < 200 { x0 } else { ya };
        top += canvas::legend_rows(area, &entries, (x, top), lw, look.legend())?;
    }
    let body = area.clone().split_vertically(top + 4).1;
    draw_body(&body, p, axis, x_labels, look)
}

/// Height of the x label area, px at scale 1.
fn x_area(x_labels: XLabels) -> i32 {
    match x_labels {
        XLabels::None => 10,
        XLabels::Ticks => 40,
        XLabels::Full => 78,
    }
}

/// Draws the plot part of `p` (no title or legend) filling `area`.
pub fn draw_body<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    axis: &TimeAxis,
    x_labels: XLabels,
    look: &Look,
) -> anyhow::Result<()> {
    let (w, h) = area.dim_in_pixel();
    let ya = y_area(look);
    let plot_w = w.saturating_sub(ya + RIGHT).max(100);
    let mapped: Vec<Vec<(f64, f64)>> = p
        .series
        .iter()
        .map(|s| axis.points(s.points.iter().copied(), plot_w as usize / 3))
        .collect();
    let (y0, y1) = p.y_range(axis, &mapped);
    // Fewer y ticks on short panels (or big text) so their labels never crowd.
    let x_h = look.px(x_area(x_labels));
    let n_y =
        (h.saturating_sub(x_h as u32 + 20) as usize / look.upx(34).max(1) as usize).clamp(2, 6);
    let (ycoord, ydec) = TickCoord::nice(y0..y1, n_y);
    let room = look.tick_room(plot_w);
    let mut chart = ChartBuilder::on(area)
        .margin_right(RIGHT)
        .margin_top(4)
        .x_label_area_size(x_h)
        .y_label_area_size(ya)
        .build_cartesian_2d(axis.spec(room), ycoord)
        .or_draw()?;
    draw_mesh(&mut chart, p, axis, (x_labels, room), ydec, look)?;
    draw_doses(&mut chart, &p.doses, axis, (y0, y1))?;
    draw_ref_lines(&mut chart, p, axis, look)?;
    for (k, (s, pts)) in p.series.iter().zip(&mapped).enumerate() {
        draw_line(&mut chart, pts, s.colour, s.dash, s.width)?;
        draw_markers(&mut chart, pts, s.marker, s.colour, k)?;
    }
    // Labels last, so one that had to go over a line stays on top; the
    // reference labels keep clear of the lines' own labels.
    let direct = if p.direct {
        direct_label_boxes(area, &chart, p, &mapped, look)
    } else {
        Vec::new()
    };
    let reserved: Vec<PxBox> = direct.iter().map(|(b, _)| *b).collect();
    draw_ref_labels(area, &mut chart, p, axis, &mapped, look, &reserved)?;
    draw_direct_labels(area, p, &direct, look)?;
    if let Some(note) = &p.note {
        let st = font(look.label(), style::DARK);
        canvas::text(
            area,
            note,
            ((ya + plot_w / 2) as i32, h as i32 / 2),
            &st,
            (HPos::Center, VPos::Center),
        )?;
    }
    Ok(())
}

/// A panel's grid, axes and y title; tick labels on the x axis as
/// `x_labels` asks (ticks chosen for `room` px), on the y axis with
/// `ydec` decimals; the time axis title under the bottom panel.
fn draw_mesh<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    p: &Panel,
    axis: &TimeAxis,
    (x_labels, room): (XLabels, u32),
    ydec: usize,
    look: &Look,
) -> anyhow::Result<()> {
    let ticks = axis.ticks(room);
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
        .label_style(font(look.tick(), okabe_ito::BLACK))
        .axis_desc_style(font(look.label().saturating_sub(2), okabe_ito::BLACK))
        .x_label_formatter(&xfmt)
        .y_label_formatter(&yfmt)
        .y_desc(p.y_label.as_str());
    if x_labels == XLabels::Full {
        mesh.x_desc(axis.label());
    }
    mesh.draw().or_draw()
}

/// A panel's reference levels as dashed lines across the whole axis.
fn draw_ref_lines<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    p: &Panel,
    axis: &TimeAxis,
    look: &Look,
) -> anyhow::Result<()> {
    for r in &p.refs {
        let pts = vec![(axis.range().start, r.y), (axis.range().end, r.y)];
        chart
            .draw_series(DashedLineSeries::new(
                pts,
                14,
                8,
                ref_line_colour(r.colour, look).stroke_width(3),
            ))
            .or_draw()?;
    }
    Ok(())
}

/// A reference line's colour: as given, or a lighter grey in print so it
/// stays apart from the black data lines.
pub fn ref_line_colour(c: RGBColor, look: &Look) -> RGBColor {
    if look.print {
        RGBColor(150, 150, 150)
    } else {
        c
    }
}

/// Horizontal spacing of line markers, px.
const MARKER_EVERY: i32 = 90;

/// Draws marker `m` on the line through `pts` every 90 px
/// across, shifted by series number `k`, so lines that lie on top of each
/// other still show each one's markers (spaced across, not along the line,
/// so a spiky line gets no more markers than a flat one).
pub fn draw_markers<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    pts: &[(f64, f64)],
    m: Marker,
    colour: RGBColor,
    k: usize,
) -> anyhow::Result<()>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let Some((shape, open)) = m.outline(canvas::MARKER_R) else {
        return Ok(());
    };
    let mut at: Vec<(f64, f64)> = Vec::new();
    let Some(first) = pts.first() else {
        return Ok(());
    };
    let mut next = chart.backend_coord(first).0 + 25 + 23 * (k % 4) as i32;
    for w in pts.windows(2) {
        let (a, b) = (chart.backend_coord(&w[0]).0, chart.backend_coord(&w[1]).0);
        while b > a && next <= b {
            if next >= a {
                let f = f64::from(next - a) / f64::from(b - a);
                at.push((
                    w[0].0 + f * (w[1].0 - w[0].0),
                    w[0].1 + f * (w[1].1 - w[0].1),
                ));
            }
            next += MARKER_EVERY;
        }
    }
    let fill = if open { WHITE } else { colour };
    let mut ring = shape.clone();
    ring.push(shape[0]);
    chart
        .draw_series(
            at.iter()
                .map(|p| EmptyElement::at(*p) + Polygon::new(shape.clone(), fill.filled())),
        )
        .or_draw()?;
    chart
        .draw_series(
            at.iter().map(|p| {
                EmptyElement::at(*p) + PathElement::new(ring.clone(), colour.stroke_width(2))
            }),
        )
        .or_draw()?;
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

/// One row of a dose strip: its colour, the marker that names it in print
/// and its dose marks.
pub type StripRow = (RGBColor, Marker, Vec<DoseMark>);

/// Pixel boxes (x0, y0, x1, y1) a reference label must not touch.
type PxBox = (i32, i32, i32, i32);

/// Groups of lines that coincide: every pair in a group differs by at most
/// 1 % of the span of all the lines at every point, so only the last drawn
/// shows. Each group (two or more line indices, in order) is for a remark
/// naming the hidden lines; lines that stand apart are in no group.
pub fn coinciding(vals: &[Vec<f64>]) -> Vec<Vec<usize>> {
    let (lo, hi) = vals
        .iter()
        .flatten()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let tol = 0.01 * (hi - lo).max(1e-9);
    let same = |i: usize, j: usize| {
        vals[i].len() == vals[j].len()
            && vals[i]
                .iter()
                .zip(&vals[j])
                .all(|(a, b)| (a - b).abs() <= tol || (a.is_nan() && b.is_nan()))
    };
    let mut taken = vec![false; vals.len()];
    let mut groups = Vec::new();
    for i in 0..vals.len() {
        if taken[i] {
            continue;
        }
        let members: Vec<usize> = (i..vals.len())
            .filter(|&j| !taken[j] && same(i, j))
            .collect();
        for &j in &members {
            taken[j] = true;
        }
        if members.len() > 1 {
            groups.push(members);
        }
    }
    groups
}
