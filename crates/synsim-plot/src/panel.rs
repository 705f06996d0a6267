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

/// Smallest plot inside a panel, px (width, height): below this its lines
/// cannot be read.
const MIN_PLOT: (i32, i32) = (260, 90);

/// Margins of a grid cell around its panel, px (width, height in all).
const CELL_MARGIN: (i32, i32) = (16, 10);

/// Whether a panel with this caption, remark and legend fits a `w` × `h`
/// px cell at `look`: its text and a plot of at least 260 × 90 px.
pub fn fits<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    remark: Option<&str>,
    entries: &[LegendEntry],
    (w, h): (i32, i32),
    x_labels: XLabels,
    look: &Look,
) -> bool {
    let ya = y_area(look) as i32;
    let lw = (w - ya - RIGHT as i32).max(80);
    let mut text_h = look.label() as i32 + look.px(10) + 8;
    if let Some(r) = remark {
        let st = font(look.small(), style::DARK);
        let lines = canvas::wrap_px(area, r, &st, lw.max(40) as u32, 2).len() as i32;
        text_h += lines * (look.small() as i32 + look.px(6));
    }
    text_h += canvas::legend_height(area, entries, lw, look.legend());
    text_h += look.px(x_area(x_labels));
    w - ya - (RIGHT as i32) >= MIN_PLOT.0 && h - text_h >= MIN_PLOT.1
}

/// Whether `p` fits a `w` × `h` cell at `look` (see [`fits`]).
fn panel_fits<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    size: (i32, i32),
    x_labels: XLabels,
    look: &Look,
) -> bool {
    let entries = if p.legend {
        p.legend_entries()
    } else {
        Vec::new()
    };
    fits(area, p.remark.as_deref(), &entries, size, x_labels, look)
}

/// Where panel `k` of `n` goes in a `cols` × `rows` grid filled row by row
/// (`by_rows`) or column by column, and whether it is the lowest of its
/// column (it carries the axis title).
fn grid_place(
    k: usize,
    n: usize,
    (cols, rows): (usize, usize),
    by_rows: bool,
) -> (usize, usize, XLabels) {
    let (col, row) = if by_rows {
        (k % cols, k / cols)
    } else {
        (k / rows, k % rows)
    };
    let lowest = if by_rows {
        k + cols >= n
    } else {
        row + 1 == rows || k + 1 == n
    };
    (
        col,
        row,
        if lowest {
            XLabels::Full
        } else {
            XLabels::Ticks
        },
    )
}

/// The grid for `panels` in a `w` × `h` area whose every panel fits at
/// `look` ([`fits`]): the one [`super::options::grid`] prefers if it does,
/// else the first that does, else `None`. `area` measures text.
pub fn grid_fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (w, h): (u32, u32),
    panels: &[Panel],
    look: &Look,
    by_rows: bool,
) -> Option<(usize, usize)> {
    let n = panels.len().max(1);
    let all_fit = |(cols, rows): (usize, usize)| {
        let cell = (
            w as i32 / cols as i32 - CELL_MARGIN.0,
            h as i32 / rows as i32 - CELL_MARGIN.1,
        );
        panels.iter().enumerate().all(|(k, p)| {
            let (_, _, xl) = grid_place(k, n, (cols, rows), by_rows);
            panel_fits(area, p, cell, xl, look)
        })
    };
    let preferred = super::options::grid(n, (w, h));
    std::iter::once(preferred)
        .chain((1..=n).map(|cols| (cols, n.div_ceil(cols))))
        .find(|g| all_fit(*g))
}

/// Draws `panels` on the shared time axis in a grid filled row by row
/// (`by_rows`) or column by column; the lowest panel of each column
/// carries the axis title. The grid is [`grid_fit`]'s (the preferred one
/// when none fits at `look`).
pub fn draw_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panels: &[Panel],
    axis: &TimeAxis,
    look: &Look,
    by_rows: bool,
) -> anyhow::Result<()> {
    let n = panels.len().max(1);
    let size = area.dim_in_pixel();
    let (cols, rows) = grid_fit(area, size, panels, look, by_rows)
        .unwrap_or_else(|| super::options::grid(n, size));
    let cells = area.split_evenly((rows, cols));
    for (k, p) in panels.iter().enumerate() {
        let (col, row, xl) = grid_place(k, n, (cols, rows), by_rows);
        let Some(cell) = cells.get(row * cols + col) else {
            continue;
        };
        draw_panel(&cell.margin(6, 4, 6, 10), p, axis, xl, look)?;
    }
    Ok(())
}

/// `title` numbered `k` (1-based) in place of its own number, if it has
/// one ("5  Synapses" as panel 1 of a slide: "1  Synapses").
pub fn renumber(title: &str, k: usize) -> String {
    match title.split_once("  ") {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => format!("{k}  {rest}"),
        _ => title.to_string(),
    }
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
    // One row of marks per drug, so a drug's doses never hide under
    // another's (esketamine sessions under daily escitalopram).
    let mut drugs: Vec<(RGBColor, bool)> = Vec::new();
    for d in &visible {
        if !drugs.contains(&(d.colour, d.open)) {
            drugs.push((d.colour, d.open));
        }
    }
    for (row, drug) in drugs.iter().enumerate() {
        let marks: Vec<&DoseMark> = visible
            .iter()
            .copied()
            .filter(|d| (d.colour, d.open) == *drug)
            .collect();
        draw_dose_row(chart, &marks, axis, y1, DOSE_ROW_PX * row as i32)?;
    }
    Ok(())
}

/// Height of one drug's row of dose marks, px.
const DOSE_ROW_PX: i32 = 17;

/// One drug's dose marks, `dy` px below the top of the plot: triangles when
/// they have room, else a light rug of short ticks (daily pills over months
/// would otherwise make a heavy saw-tooth band).
fn draw_dose_row<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    marks: &[&DoseMark],
    axis: &TimeAxis,
    y1: f64,
    dy: i32,
) -> anyhow::Result<()> {
    let px: Vec<i32> = marks
        .iter()
        .map(|d| chart.backend_coord(&(axis.x_clamped(d.time_h), y1)).0)
        .collect();
    let crowded =
        px.len() > 20 && px.windows(2).filter(|w| (w[1] - w[0]).abs() < 18).count() * 3 > px.len();
    for d in marks {
        let x0 = axis.x_clamped(d.time_h);
        // A mark clamped to the left edge sits just inside the axis.
        let dx = if d.time_h < axis.start_h { 9 } else { 0 };
        if crowded {
            // An open mark's tick is grey (a second drug's doses in print).
            let c = if d.open { okabe_ito::GREY } else { d.colour };
            let tick = PathElement::new(vec![(dx, dy + 1), (dx, dy + 11)], c.stroke_width(2));
            chart
                .draw_series(std::iter::once(EmptyElement::at((x0, y1)) + tick))
                .or_draw()?;
        } else {
            let pts = vec![(dx - 8, dy + 1), (dx + 8, dy + 1), (dx, dy + 15)];
            let fill = if d.open { WHITE } else { d.colour };
            let tri = Polygon::new(pts.clone(), fill.filled());
            chart
                .draw_series(std::iter::once(EmptyElement::at((x0, y1)) + tri))
                .or_draw()?;
            if d.open {
                let mut ring = pts;
                ring.push(ring[0]);
                let edge = PathElement::new(ring, d.colour.stroke_width(2));
                chart
                    .draw_series(std::iter::once(EmptyElement::at((x0, y1)) + edge))
                    .or_draw()?;
            }
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

/// One row of a dose strip: its colour, the marker that names it in print
/// and its dose marks.
pub type StripRow = (RGBColor, Marker, Vec<DoseMark>);

/// A strip with one row of dose marks per regimen (ticks for instantaneous
/// doses, bars for infusions wide enough to see), on the shared time axis.
/// In print each row starts with its regimen's marker.
pub fn draw_dose_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    rows: &[StripRow],
    axis: &TimeAxis,
    look: &Look,
) -> anyhow::Result<()> {
    let (w, _) = area.dim_in_pixel();
    canvas::text(
        area,
        title,
        (caption_x(look), 4),
        &canvas::bold(look.label(), okabe_ito::BLACK),
        (HPos::Left, VPos::Top),
    )?;
    let body = area.clone().split_vertically(look.label() as i32 + 12).1;
    let ya = y_area(look);
    let plot_w = w.saturating_sub(ya + RIGHT).max(100);
    let n = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&body)
        .margin_right(RIGHT)
        .x_label_area_size(2)
        .y_label_area_size(ya)
        .build_cartesian_2d(axis.spec(look.tick_room(plot_w)), 0.0..n)
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
    for (k, (colour, marker, marks)) in rows.iter().enumerate() {
        let yc = n - k as f64 - 0.5;
        let (lo, hi) = (yc - 0.32, yc + 0.32);
        let (px, py) = chart.backend_coord(&(axis.range().start, yc));
        let (bx, by) = body.get_base_pixel();
        canvas::draw_markers_px(&body, *marker, &[(px - bx - 22, py - by)], *colour)?;
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
    look: &Look,
    reserved: &[PxBox],
) -> anyhow::Result<()> {
    if p.refs.is_empty() {
        return Ok(());
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let obstacles = data_obstacles(chart, mapped);
    let ref_rows: Vec<i32> = p
        .refs
        .iter()
        .map(|r| chart.backend_coord(&(axis.range().start, r.y)).1)
        .collect();
    let mut taken: Vec<PxBox> = vec![(xr.start, yr.start, xr.end, yr.start + 18)];
    taken.extend_from_slice(reserved);
    let plot = (xr.start, yr.start, xr.end, yr.end);
    for (r, &py) in p.refs.iter().zip(&ref_rows) {
        let st = font(look.tick(), r.colour);
        let (w, h) = area
            .estimate_text_size(&r.label, &st)
            .unwrap_or((r.label.len() as u32 * 12, look.tick()));
        let size = (w as i32, h as i32);
        let clear = |b: PxBox| clearance(b, &obstacles, (&ref_rows, py), &taken);
        let Some((clear, b, above)) = best_spot(plot, size, py, clear) else {
            continue;
        };
        taken.push(b);
        draw_ref_label(area, &r.label, st, (b, above), clear)?;
    }
    Ok(())
}

/// The data lines as densely sampled pixel points (segments every <= 3 px),
/// for labels to keep clear of.
fn data_obstacles<DB: DrawingBackend>(
    chart: &TimeChart<'_, DB>,
    mapped: &[Vec<(f64, f64)>],
) -> Vec<(i32, i32)> {
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
    obstacles
}

/// How far, px, label box `b` keeps from the nearest obstacle: a data
/// point, another reference line (`rows`, all but its own at `own`) or a
/// box already `taken` (99 when there is none).
fn clearance(
    b: PxBox,
    obstacles: &[(i32, i32)],
    (rows, own): (&[i32], i32),
    taken: &[PxBox],
) -> i32 {
    let data = obstacles
        .iter()
        .map(|&q| box_dist(b, q))
        .min()
        .unwrap_or(99);
    let lines = rows
        .iter()
        .filter(|&&y| y != own)
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
}

/// Where a `w` × `h` label of the reference line at pixel row `py` goes in
/// the `plot` box: (its clearance, its box, whether above the line), or
/// `None` if it fits nowhere. Places are tried from the left edge in steps
/// to the right, then flush with the right edge, each above then below the
/// line; the first 10 px clear wins, else the clearest.
fn best_spot(
    plot: PxBox,
    (w, h): (i32, i32),
    py: i32,
    clearance: impl Fn(PxBox) -> i32,
) -> Option<(i32, PxBox, bool)> {
    let (x_start, y_start, x_end, y_end) = plot;
    let mut best: Option<(i32, PxBox, bool)> = None;
    // Left edge, then steps to the right, then flush with the right edge.
    let xs = [0.0, 0.2, 0.4, 0.6, 0.8]
        .iter()
        .map(|f| x_start + 8 + (f * f64::from(x_end - x_start)) as i32)
        .chain(std::iter::once(x_end - 8 - w));
    for x in xs {
        if x + w > x_end - 4 || x < x_start + 4 {
            continue;
        }
        for above in [true, false] {
            let b = if above {
                (x, py - 6 - h, x + w, py - 6)
            } else {
                (x, py + 6, x + w, py + 6 + h)
            };
            if b.1 < y_start || b.3 > y_end {
                continue;
            }
            let c = clearance(b);
            if best.is_none_or(|(bc, _, _)| c > bc) {
                best = Some((c, b, above));
            }
            if c >= 10 {
                return best;
            }
        }
    }
    best
}

/// Writes a reference `label` in style `st` into box `b` (absolute px),
/// anchored to the side of its line (`above` or below); on a white backing
/// when it has less than 6 px `clear`.
fn draw_ref_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    st: TextStyle<'static>,
    (b, above): (PxBox, bool),
    clear: i32,
) -> anyhow::Result<()> {
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
    area.draw(&Text::new(label.to_string(), anchor, st))
        .or_draw()?;
    Ok(())
}

/// Where each series' label goes (absolute pixel box, series index):
/// right-aligned at the right end of its line, just above the line's
/// last point; labels that would overlap are pushed apart vertically.
fn direct_label_boxes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &TimeChart<'_, DB>,
    p: &Panel,
    mapped: &[Vec<(f64, f64)>],
    look: &Look,
) -> Vec<(PxBox, usize)> {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let h = look.legend() as i32 + 4;
    // (bottom of the label box, series index), top to bottom.
    let mut rows: Vec<(i32, usize)> = mapped
        .iter()
        .enumerate()
        .filter(|(k, _)| !p.series[*k].label.is_empty())
        .filter_map(|(k, pts)| pts.last().map(|q| (chart.backend_coord(q).1 - 6, k)))
        .collect();
    rows.sort();
    let mut last = yr.start + 4;
    for row in &mut rows {
        row.0 = row.0.max(last + h).min(yr.end - 4);
        last = row.0;
    }
    // Pushed past the bottom: stack upwards from the bottom instead.
    for k in (0..rows.len().saturating_sub(1)).rev() {
        rows[k].0 = rows[k].0.min(rows[k + 1].0 - h);
    }
    let right = xr.end - 8;
    rows.into_iter()
        .map(|(bottom, k)| {
            let st = canvas::bold(look.legend(), p.series[k].colour);
            let w = canvas::text_width(area, &p.series[k].label, &st) as i32;
            ((right - w - 4, bottom - h, right + 4, bottom + 2), k)
        })
        .collect()
}

/// Writes the series' labels into the boxes [`direct_label_boxes`]
/// chose, in the series' colours on a white backing.
fn draw_direct_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    boxes: &[(PxBox, usize)],
    look: &Look,
) -> anyhow::Result<()> {
    let (bx, by) = area.get_base_pixel();
    for ((x0, y0, x1, y1), k) in boxes {
        let s = &p.series[*k];
        area.draw(&Rectangle::new(
            [(x0 - bx, y0 - by), (x1 - bx, y1 - by)],
            WHITE.mix(0.85).filled(),
        ))
        .or_draw()?;
        let st = canvas::bold(look.legend(), s.colour);
        canvas::text(
            area,
            &s.label,
            (x1 - 4 - bx, y1 - 2 - by),
            &st,
            (HPos::Right, VPos::Bottom),
        )?;
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

/// The legend entry for dose triangles of one colour (made to match the
/// marks by [`Panel::for_print`] in print).
pub fn dose_legend(label: impl Into<String>, colour: RGBColor) -> LegendEntry {
    LegendEntry {
        label: label.into(),
        swatch: Swatch::Triangle(colour),
    }
}

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
