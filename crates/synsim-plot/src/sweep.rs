//! Sweep figures: a curve with its 95 % confidence band for a 1-D sweep, a
//! heat map with a labelled colour bar for a 2-D sweep.
//!
//! The heat map uses viridis (van der Walt & Smith, matplotlib), a
//! perceptually uniform sequential map that stays readable with the common
//! colour-vision deficiencies and in grey-scale print.

use super::canvas::{self, font, Dash, Figure, LegendEntry, Marker, OrDraw, Swatch};
use super::dashboard::DISCLAIMER;
use super::options::FigureOptions;
use super::population::tint;
use super::style::{self, okabe_ito, Look};
use super::timeaxis::TickCoord;
use plotters::chart::DualCoordChartContext;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};
use synsim_core::params::{fmt_num, REGISTRY};
use synsim_core::sweep::{Axis, Metric, Sweep, Target};

/// Figure size, px.
pub const SIZE: (u32, u32) = (1600, 1100);

/// Largest grid (per axis) whose cells get their value written in them.
pub const MAX_LABELLED: usize = 15;

/// Viridis sampled at 0, 0.1, …, 1 (matplotlib's `_viridis_data`).
const VIRIDIS: [(u8, u8, u8); 11] = [
    (68, 1, 84),
    (72, 36, 117),
    (65, 68, 135),
    (53, 95, 141),
    (42, 120, 142),
    (33, 145, 140),
    (34, 168, 132),
    (68, 191, 112),
    (122, 209, 81),
    (189, 223, 38),
    (253, 231, 37),
];

/// Viridis colour of `v` in 0–1 (linear between the samples).
pub fn viridis(v: f64) -> RGBColor {
    let x = if v.is_finite() {
        v.clamp(0.0, 1.0) * 10.0
    } else {
        0.0
    };
    let k = (x.floor() as usize).min(9);
    let f = x - k as f64;
    let (a, b) = (VIRIDIS[k], VIRIDIS[k + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + (f64::from(q) - f64::from(p)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Fill of the confidence band of the `k`-th curve: its series colour, lightened.
fn band_colour(k: usize) -> RGBColor {
    tint(style::SERIES[k % style::SERIES.len()], 0.25)
}

/// Plain-words axis label with unit; for a school class a parameter's
/// plain label from the registry, where it has one.
pub fn axis_label(a: &Axis, look: &Look) -> String {
    match a.target {
        Target::Dose => format!("dose per administration ({})", a.unit),
        Target::IntervalD => "days between doses (d)".into(),
        Target::InfusionMin => "infusion length (min)".into(),
        Target::Param(id) if look.school && REGISTRY[id.0].plain.is_some() => {
            REGISTRY[id.0].plain_or_name().to_string()
        }
        Target::Param(_) if a.unit == "-" => a.name.clone(),
        Target::Param(_) => format!("{} ({})", a.name, a.unit),
    }
}

/// The unit group of a metric: metrics of one group share a y axis.
fn group(m: Metric) -> u8 {
    match m {
        Metric::Response(_) | Metric::Remission(_) => 0,
        Metric::PeakDissociation => 1,
        Metric::DaysInResponse | Metric::RelapseD => 2,
        Metric::BestScore => 3,
    }
}

/// Axis title of a unit group.
fn group_label(g: u8) -> &'static str {
    match g {
        0 => "% of patients",
        1 => "dissociation (0\u{2013}1)",
        2 => "days",
        _ => "score (0\u{2013}60)",
    }
}

/// Range of a unit group over the metrics shown: rates and dissociation on
/// their full scale, others from 0 to a little above the largest bound.
fn group_range(g: u8, sw: &Sweep, ms: &[Metric]) -> (f64, f64) {
    match g {
        0 => (0.0, 1.05),
        1 => (0.0, 1.05),
        _ => {
            let hi = ms
                .iter()
                .filter(|m| group(**m) == g)
                .flat_map(|m| {
                    sw.points
                        .iter()
                        .map(move |p| &p.metrics[Sweep::index_of(*m)])
                })
                .flat_map(|e| [e.value, e.hi])
                .filter(|v| v.is_finite())
                .fold(1.0_f64, f64::max);
            (0.0, hi * 1.1)
        }
    }
}

/// Tick label of a value in group `g`.
fn group_tick(g: u8, v: f64) -> String {
    if g == 0 {
        format!("{:.0} %", 100.0 * v)
    } else if g == 1 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

/// Value text of a metric for a heat-map cell.
fn cell_text(m: Metric, v: f64) -> String {
    if !v.is_finite() {
        "\u{2013}".into()
    } else if m.is_rate() {
        format!("{:.0}", 100.0 * v)
    } else if group(m) == 1 {
        format!("{v:.2}")
    } else {
        format!("{v:.0}")
    }
}

/// The panels, by the name `--panels` uses (one: nothing to choose).
pub const PANELS: [(&str, &str); 1] = [("sweep", "the curve or heat map")];

/// Line patterns of the metrics of a 1-D sweep in print, in order.
const PRINT_DASHES: [Dash; 4] = [Dash::Solid, Dash::Dashed, Dash::Dotted, Dash::Long];

/// Point markers of the metrics of a 1-D sweep in print, in order.
const PRINT_MARKERS: [Marker; 4] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
];

/// The sweep figure.
pub struct SweepFigure<'a> {
    sweep: &'a Sweep,
    shown: Vec<Metric>,
    opts: FigureOptions,
}

impl SweepFigure<'_> {
    fn subtitle(&self) -> String {
        let sw = self.sweep;
        let who = if sw.typical {
            "typical patient at every point".to_string()
        } else {
            // A heat map has no band to shade; its intervals are in sweep.csv.
            let ci = if sw.axes.len() == 1 {
                "shaded: 95 % confidence interval"
            } else {
                "95 % confidence intervals in sweep.csv"
            };
            format!(
                "{} virtual patients per point (seed {}), {ci}",
                sw.patients, sw.seed
            )
        };
        let reg = if sw.scenario.regimen_text.is_empty() {
            String::new()
        } else {
            format!("{} \u{00b7} ", sw.scenario.regimen_text)
        };
        self.look().say(&format!("{reg}{who}"))
    }

    /// Colour, pattern and point marker of the `k`-th metric's line: its
    /// series colour with filled circles, or black in print with a pattern
    /// and marker of its own.
    fn pen(k: usize, look: &Look) -> (RGBColor, Dash, Marker) {
        if look.print {
            (
                okabe_ito::BLACK,
                PRINT_DASHES[k % PRINT_DASHES.len()],
                PRINT_MARKERS[k % PRINT_MARKERS.len()],
            )
        } else {
            (
                style::SERIES[k % style::SERIES.len()],
                Dash::Solid,
                Marker::None,
            )
        }
    }

    /// The unit groups shown (at most two: a left and a right axis) and
    /// the metrics in them.
    fn curve_metrics(&self) -> (Vec<u8>, Vec<Metric>) {
        let mut groups: Vec<u8> = Vec::new();
        for m in &self.shown {
            if !groups.contains(&group(*m)) && groups.len() < 2 {
                groups.push(group(*m));
            }
        }
        let shown: Vec<Metric> = self
            .shown
            .iter()
            .copied()
            .filter(|m| groups.contains(&group(*m)))
            .collect();
        (groups, shown)
    }

    /// The legend of the curve: a line per metric and the interval band.
    fn curve_legend(&self, look: &Look) -> Vec<LegendEntry> {
        let (groups, shown) = self.curve_metrics();
        shown
            .iter()
            .enumerate()
            .map(|(k, m)| {
                let side = if groups.len() == 2 && group(*m) == groups[1] {
                    " (right axis)"
                } else {
                    ""
                };
                let (c, dash, marker) = Self::pen(k, look);
                LegendEntry::line(
                    look.say(&format!("{}{side}", m.describe())),
                    c,
                    dash,
                    style::LINE,
                )
                .with_marker(marker)
            })
            .chain((!self.sweep.typical).then(|| {
                let band = |k: usize| band_colour(k.min(shown.len() - 1));
                LegendEntry {
                    label: look.say("95 % confidence interval"),
                    swatch: Swatch::Bands(band(0), band(1)),
                }
            }))
            .collect()
    }

    /// Whether the plot keeps a readable size in a `w` × `h` area at `look`.
    fn fits<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        (w, h): (i32, i32),
        look: &Look,
    ) -> bool {
        let axes = &self.sweep.axes;
        let label = font(look.label(), okabe_ito::BLACK);
        let long = |s: &str| canvas::text_width(area, s, &label) as i32;
        if axes.len() == 1 {
            let lx = look.px(130).min(w / 8);
            let legend =
                canvas::legend_height(area, &self.curve_legend(look), w - 2 * lx, look.legend());
            let plot_h = h - legend - look.px(80) - 32;
            w - 2 * look.px(120) - 50 >= 300
                && plot_h >= 150
                && long(group_label(group(self.shown[0]))) <= plot_h + 40
        } else {
            // The y title along the plot's side, six colour-bar ticks apart.
            let plot_h = h - look.px(80) - 32;
            let bar_h = h - look.px(110) - 40;
            w - look.px(260) - look.px(130) - 32 >= 250
                && plot_h >= 200
                && long(&axis_label(&axes[1], look)) <= plot_h + 40
                && bar_h >= 6 * (look.tick() as i32 + 6)
        }
    }

    /// The curve of a 1-D sweep: the legend on top, then each metric's line
    /// (with its interval band) against the swept value, a second unit
    /// group on the right axis.
    fn draw_curve<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> anyhow::Result<()> {
        let (groups, shown) = self.curve_metrics();
        let legend = self.curve_legend(look);
        let (w, _) = area.dim_in_pixel();
        let lx = look.px(130).min(w as i32 / 8);
        let used = canvas::legend_rows(area, &legend, (lx, 4), w as i32 - 2 * lx, look.legend())?;
        let body = area.clone().split_vertically(used + 12).1;
        let mut chart = self.curve_chart(&body, &groups, &shown, look)?;
        self.curve_axes(&mut chart, body.dim_in_pixel(), &groups, look)?;
        for (k, m) in shown.iter().enumerate() {
            let right = groups.len() == 2 && group(*m) == groups[1];
            self.draw_metric_curve(&body, &chart, (k, *m), right, look)?;
        }
        Ok(())
    }

    /// The curve's chart in `body`: the swept values across (with a little
    /// room at the ends), the first unit group's range on the left axis and
    /// the second's, if any, on the right.
    fn curve_chart<'a, DB: DrawingBackend>(
        &self,
        body: &'a DrawingArea<DB, Shift>,
        groups: &[u8],
        shown: &[Metric],
        look: &Look,
    ) -> anyhow::Result<CurveChart<'a, DB>> {
        let sw = self.sweep;
        let ax = &sw.axes[0];
        let (x0, x1) = (ax.values[0], ax.values[ax.values.len() - 1]);
        let pad = 0.02 * (x1 - x0);
        let (l0, l1) = group_range(groups[0], sw, shown);
        let (r0, r1) = groups
            .get(1)
            .map(|g| group_range(*g, sw, shown))
            .unwrap_or((0.0, 1.0));
        let y_area = look.upx(120);
        Ok(ChartBuilder::on(body)
            .margin(10)
            .margin_right(if groups.len() == 2 { 10 } else { 40 })
            .x_label_area_size(look.upx(80))
            .y_label_area_size(y_area)
            .right_y_label_area_size(if groups.len() == 2 { y_area } else { 0 })
            .build_cartesian_2d(x0 - pad..x1 + pad, l0..l1)
            .or_draw()?
            .set_secondary_coord(x0 - pad..x1 + pad, r0..r1))
    }

    /// The curve's grid and axes in a body `bw` × `bh` px: the swept value
    /// across, the first unit group on the left and the second, if any, on
    /// the right, each with its title.
    fn curve_axes<DB: DrawingBackend>(
        &self,
        chart: &mut CurveChart<'_, DB>,
        (bw, bh): (u32, u32),
        groups: &[u8],
        look: &Look,
    ) -> anyhow::Result<()> {
        let ax = &self.sweep.axes[0];
        let g0 = groups[0];
        let xfmt = |x: &f64| fmt_num((x * 1e6).round() / 1e6);
        let lfmt = |y: &f64| group_tick(g0, *y);
        chart
            .configure_mesh()
            .bold_line_style(style::LIGHT.mix(0.7))
            .light_line_style(TRANSPARENT)
            .axis_style(style::DARK.stroke_width(2))
            .label_style(font(look.tick(), okabe_ito::BLACK))
            .axis_desc_style(font(look.label(), okabe_ito::BLACK))
            .x_labels((look.tick_room(bw) / 100).clamp(3, 10) as usize)
            .y_labels((look.tick_room(bh) / 60).clamp(3, 10) as usize)
            .x_desc(axis_label(ax, look))
            .y_desc(group_label(g0))
            .x_label_formatter(&xfmt)
            .y_label_formatter(&lfmt)
            .draw()
            .or_draw()?;
        if let Some(&g1) = groups.get(1) {
            let rfmt = |y: &f64| group_tick(g1, *y);
            chart
                .configure_secondary_axes()
                .axis_style(style::DARK.stroke_width(2))
                .label_style(font(look.tick(), okabe_ito::BLACK))
                .axis_desc_style(font(look.label(), okabe_ito::BLACK))
                .y_labels((look.tick_room(bh) / 60).clamp(3, 10) as usize)
                .y_desc(group_label(g1))
                .y_label_formatter(&rfmt)
                .draw()
                .or_draw()?;
        }
        Ok(())
    }

    /// The `k`-th metric `m`'s curve, on the right axis if `right`: its
    /// interval band (not for the typical patient alone), its line and a
    /// point at every swept value.
    fn draw_metric_curve<DB: DrawingBackend>(
        &self,
        body: &DrawingArea<DB, Shift>,
        chart: &CurveChart<'_, DB>,
        (k, m): (usize, Metric),
        right: bool,
        look: &Look,
    ) -> anyhow::Result<()> {
        let (colour, dash, marker) = Self::pen(k, look);
        let band_colour = band_colour(k);
        let (line, band) = curve_points(self.sweep, m);
        let (bx, by) = body.get_base_pixel();
        // Everything in pixels, so both axes share one drawing path.
        let px = |p: &(f64, f64)| {
            let (x, y) = if right {
                chart.borrow_secondary().backend_coord(p)
            } else {
                chart.backend_coord(p)
            };
            (x - bx, y - by)
        };
        if !self.sweep.typical && band.len() >= 3 {
            let poly: Vec<(i32, i32)> = band.iter().map(px).collect();
            body.draw(&Polygon::new(poly, band_colour.filled()))
                .or_draw()?;
        }
        let line: Vec<(i32, i32)> = line.iter().map(px).collect();
        canvas::pixel_line(body, line.clone(), colour, dash, style::LINE)?;
        if marker == Marker::None {
            for p in &line {
                body.draw(&Circle::new(*p, 6, colour.filled())).or_draw()?;
            }
        } else {
            canvas::draw_markers_px(body, marker, &line, colour)?;
        }
        Ok(())
    }

    /// The heat map of a 2-D sweep: a cell per grid point in the colour of
    /// the first metric's value (written in it on small grids), the colour
    /// bar beside it.
    fn draw_heat<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> anyhow::Result<()> {
        let sw = self.sweep;
        let m = self.shown[0];
        let idx = Sweep::index_of(m);
        let (ax, ay) = (&sw.axes[0], &sw.axes[1]);
        let (nx, ny) = (ax.values.len(), ay.values.len());
        let values: Vec<f64> = sw.points.iter().map(|p| p.metrics[idx].value).collect();
        let (v0, v1) = heat_range(m, &values);
        let (w, _) = area.dim_in_pixel();
        let (plot, bar) = area.split_horizontally(w as i32 - look.px(260).min(w as i32 / 3));
        let (ex, ey) = (cell_edges(&ax.values), cell_edges(&ay.values));
        let mut chart = heat_chart(&plot, (ax, ay), (&ex, &ey), look)?;
        for (k, v) in values.iter().enumerate() {
            let (i, j) = (k / ny, k % ny);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(ex[i], ey[j]), (ex[i + 1], ey[j + 1])],
                    cell_colour(*v, (v0, v1)).filled(),
                )))
                .or_draw()?;
        }
        if nx <= MAX_LABELLED && ny <= MAX_LABELLED {
            let cells = HeatCells {
                values: &values,
                axes: (ax, ay),
                edges: (&ex, &ey),
                range: (v0, v1),
            };
            draw_cell_values(&mut chart, m, &cells, look)?;
        }
        draw_colour_bar(&bar, m, v0, v1, look)
    }
}

/// The chart of a 1-D sweep: a left and a right y axis on one x axis.
type CurveChart<'a, DB> = DualCoordChartContext<
    'a,
    DB,
    Cartesian2d<RangedCoordf64, RangedCoordf64>,
    Cartesian2d<RangedCoordf64, RangedCoordf64>,
>;

/// Points in chart coordinates, (x, y).
type Points = Vec<(f64, f64)>;

/// The line of metric `m` along a 1-D sweep (points with a value) and the
/// outline of its interval band: the lower ends left to right, then the
/// upper ends back.
fn curve_points(sw: &Sweep, m: Metric) -> (Points, Points) {
    let idx = Sweep::index_of(m);
    let pts: Vec<(f64, f64, f64, f64)> = sw
        .points
        .iter()
        .map(|p| {
            (
                p.values[0],
                p.metrics[idx].value,
                p.metrics[idx].lo,
                p.metrics[idx].hi,
            )
        })
        .filter(|q| q.1.is_finite())
        .collect();
    let line: Points = pts.iter().map(|q| (q.0, q.1)).collect();
    let mut band: Points = pts
        .iter()
        .filter(|q| q.2.is_finite())
        .map(|q| (q.0, q.2))
        .collect();
    band.extend(
        pts.iter()
            .rev()
            .filter(|q| q.3.is_finite())
            .map(|q| (q.0, q.3)),
    );
    (line, band)
}

/// The colour scale of a heat map of metric `m`: rates and dissociation
/// from 0 to 1, others over the values (from 0 or below).
fn heat_range(m: Metric, values: &[f64]) -> (f64, f64) {
    if m.is_rate() || group(m) == 1 {
        (0.0, 1.0)
    } else {
        let fin = values.iter().copied().filter(|v| v.is_finite());
        let lo = fin.clone().fold(f64::INFINITY, f64::min);
        let hi = fin.fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() && hi > lo {
            (lo.min(0.0), hi)
        } else {
            (0.0, hi.max(1.0))
        }
    }
}

/// Cell edges halfway between grid values (grids are even, so this is exact).
fn cell_edges(v: &[f64]) -> Vec<f64> {
    let h = if v.len() > 1 {
        (v[1] - v[0]) / 2.0
    } else {
        0.5
    };
    let mut e: Vec<f64> = v.iter().map(|x| x - h).collect();
    e.push(v[v.len() - 1] + h);
    e
}

/// Tick positions on the cells' centres (the grid values `v`), every k-th
/// one where all of them would crowd the axis (room for `most`).
fn tick_centres(v: &[f64], most: u32) -> Vec<f64> {
    let k = v.len().div_ceil(most.clamp(2, 12) as usize).max(1);
    v.iter().step_by(k).copied().collect()
}

/// The heat map's chart in `plot`, spanning the cells (`edges` of each
/// axis), with its axes, ticks on the grid values and axis titles.
fn heat_chart<'a, DB: DrawingBackend>(
    plot: &'a DrawingArea<DB, Shift>,
    (ax, ay): (&Axis, &Axis),
    (ex, ey): (&[f64], &[f64]),
    look: &Look,
) -> anyhow::Result<ChartContext<'a, DB, Cartesian2d<TickCoord, TickCoord>>> {
    let (nx, ny) = (ax.values.len(), ay.values.len());
    let (pw, ph) = plot.dim_in_pixel();
    let xc = TickCoord::new(
        ex[0]..ex[nx],
        tick_centres(&ax.values, look.tick_room(pw) / 90),
    );
    let yc = TickCoord::new(
        ey[0]..ey[ny],
        tick_centres(&ay.values, look.tick_room(ph) / 45),
    );
    let mut chart = ChartBuilder::on(plot)
        .margin(16)
        .x_label_area_size(look.upx(80))
        .y_label_area_size(look.upx(130))
        .build_cartesian_2d(xc, yc)
        .or_draw()?;
    let fmt = |x: &f64| fmt_num((x * 1e6).round() / 1e6);
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(style::DARK.stroke_width(2))
        .label_style(font(look.tick(), okabe_ito::BLACK))
        .axis_desc_style(font(look.label(), okabe_ito::BLACK))
        .x_desc(axis_label(ax, look))
        .y_desc(axis_label(ay, look))
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .draw()
        .or_draw()?;
    Ok(chart)
}

/// A heat-map cell's colour: viridis of `v` on the scale `v0`–`v1`, light
/// grey where there is no value.
fn cell_colour(v: f64, (v0, v1): (f64, f64)) -> RGBColor {
    if v.is_finite() {
        viridis((v - v0) / (v1 - v0))
    } else {
        style::LIGHT
    }
}

/// The cells of a heat map: values (x-major), grid axes, cell edges and
/// the colour scale.
struct HeatCells<'a> {
    values: &'a [f64],
    axes: (&'a Axis, &'a Axis),
    edges: (&'a [f64], &'a [f64]),
    range: (f64, f64),
}

/// Each cell's value of metric `m` written in its middle, in white on dark
/// cells and black on light ones, sized to the cell.
fn draw_cell_values<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<TickCoord, TickCoord>>,
    m: Metric,
    cells: &HeatCells,
    look: &Look,
) -> anyhow::Result<()> {
    let ((ax, ay), (ex, ey)) = (cells.axes, cells.edges);
    let ny = ay.values.len();
    let cw = chart.backend_coord(&(ex[1], ey[0])).0 - chart.backend_coord(&(ex[0], ey[0])).0;
    let size = ((cw as f64 * 0.32) as u32).clamp(12, look.tick().max(12));
    for (k, v) in cells.values.iter().enumerate() {
        let (i, j) = (k / ny, k % ny);
        let bg = cell_colour(*v, cells.range);
        let lum = 0.2126 * f64::from(bg.0) + 0.7152 * f64::from(bg.1) + 0.0722 * f64::from(bg.2);
        let ink = if lum < 128.0 { WHITE } else { okabe_ito::BLACK };
        let st = font(size, ink).pos(plotters::style::text_anchor::Pos::new(
            HPos::Center,
            VPos::Center,
        ));
        chart
            .draw_series(std::iter::once(Text::new(
                cell_text(m, *v),
                (ax.values[i], ay.values[j]),
                st,
            )))
            .or_draw()?;
    }
    Ok(())
}

/// A vertical colour bar with ticks and the metric's name.
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: Metric,
    v0: f64,
    v1: f64,
    look: &Look,
) -> anyhow::Result<()> {
    let (w, h) = area.dim_in_pixel();
    let bottom = (h as i32 - look.px(110)).max(60);
    let top = 40.min(bottom - 20);
    let (x0, x1) = (30, 75);
    let n = 200;
    for k in 0..n {
        let y_hi = bottom - (bottom - top) * (k + 1) / n;
        let y_lo = bottom - (bottom - top) * k / n;
        let c = viridis((f64::from(k) + 0.5) / f64::from(n));
        area.draw(&Rectangle::new([(x0, y_hi), (x1, y_lo)], c.filled()))
            .or_draw()?;
    }
    area.draw(&Rectangle::new(
        [(x0, top), (x1, bottom)],
        style::DARK.stroke_width(2),
    ))
    .or_draw()?;
    let st = font(look.tick(), okabe_ito::BLACK);
    let (ticks, _) = super::timeaxis::nice_ticks(v0, v1, 6);
    for v in ticks {
        let f = (v - v0) / (v1 - v0);
        let y = bottom - ((bottom - top) as f64 * f) as i32;
        area.draw(&PathElement::new(
            vec![(x1, y), (x1 + 8, y)],
            style::DARK.stroke_width(2),
        ))
        .or_draw()?;
        let label = if m.is_rate() {
            format!("{:.0} %", 100.0 * v)
        } else if group(m) == 1 {
            format!("{v:.1}")
        } else {
            fmt_num(v)
        };
        canvas::text(area, &label, (x1 + 14, y), &st, (HPos::Left, VPos::Center))?;
    }
    // The metric's name, broken into short lines under the bar.
    let st = font(look.small(), okabe_ito::BLACK);
    let lines = canvas::wrap_px(area, &m.describe(), &st, w.saturating_sub(20), 4);
    for (k, l) in lines.iter().enumerate() {
        canvas::text(
            area,
            l,
            (x0 - 10, bottom + 20 + look.px(26) * k as i32),
            &st,
            (HPos::Left, VPos::Top),
        )?;
    }
    Ok(())
}

impl Figure for SweepFigure<'_> {
    fn size(&self) -> (u32, u32) {
        self.opts.size_or(SIZE)
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let sw = self.sweep;
        let title = if sw.axes.len() == 1 {
            format!(
                "{}: outcomes against {}",
                sw.scenario.name,
                axis_label(&sw.axes[0], &self.look())
            )
        } else {
            format!("{}: {}", sw.scenario.name, self.shown[0].describe())
        };
        let title = self.opts.title_or(&title);
        let sub = self.subtitle();
        let foot = "synsim sweep \u{00b7} how the model behaves, not a dosing guide";
        // All text as large as asked, or as large as leaves the plot room.
        let (w, h) = root.dim_in_pixel();
        let look = canvas::fitted(&self.look(), |l| {
            let head = canvas::title_height(root, l, &title, Some(&sub))
                + canvas::footer_height(root, l, DISCLAIMER, foot);
            self.fits(root, (w as i32, h as i32 - head), l)
        });
        let area = canvas::title(root, &look, &title, Some(&sub))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        if sw.axes.len() == 1 {
            self.draw_curve(&area, &look)
        } else {
            self.draw_heat(&area, &look)
        }
    }
}

/// Writes DIR/sweep.png and DIR/sweep.svg.
pub fn figure(
    sw: &Sweep,
    shown: &[Metric],
    dir: &Path,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    if sw.axes.is_empty() || sw.points.is_empty() || shown.is_empty() {
        return Ok(Vec::new());
    }
    let fig = SweepFigure {
        sweep: sw,
        shown: shown.to_vec(),
        opts: opts.clone(),
    };
    canvas::save_png_svg(&fig, dir, "sweep")
}
