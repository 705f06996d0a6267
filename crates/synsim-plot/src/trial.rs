//! Virtual-trial figures: the mean change from baseline by visit per arm
//! with error bars (the figure every trial paper has), response and
//! remission per arm with 95 % intervals, and the power curve.

use super::canvas::{self, Dash, Figure, LegendEntry, Marker, OrDraw};
use super::dashboard::DISCLAIMER;
use super::options::FigureOptions;
use super::style::{self, okabe_ito, Look};
use plotters::coord::combinators::{BindKeyPoints, LogCoord, WithKeyPoints};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};
use synsim_core::trial::stats::Proportion;
use synsim_core::trial::{Analysis, ArmVisit, PowerPoint, TrialSpec};

/// Arm colours: active arms in Okabe–Ito colours, the control (last) in
/// the placebo brown, dashed.
fn arm_colour(i: usize, arms: usize) -> RGBColor {
    if i + 1 == arms {
        style::PLACEBO
    } else {
        [
            okabe_ito::BLUE,
            okabe_ito::VERMILLION,
            okabe_ito::GREEN,
            okabe_ito::PURPLE,
        ][i % 4]
    }
}

/// How an arm is drawn: line colour, pattern, point marker and bar fill.
struct ArmPen {
    line: RGBColor,
    dash: Dash,
    /// The point symbol in print; round dots in colour.
    marker: Marker,
    fill: ShapeStyle,
}

/// Arm `i` of `arms`: its colour with round points, or in print black
/// lines (the control dashed) with a marker of its own and bars in greys
/// from dark to light (the control lightest).
fn arm_pen(i: usize, arms: usize, look: &Look) -> ArmPen {
    let c = arm_colour(i, arms);
    if !look.print {
        return ArmPen {
            line: c,
            dash: Dash::Solid,
            marker: Marker::None,
            fill: c.mix(0.85).filled(),
        };
    }
    let control = i + 1 == arms;
    ArmPen {
        line: okabe_ito::BLACK,
        dash: if control { Dash::Dashed } else { Dash::Solid },
        marker: [
            Marker::Circle,
            Marker::Square,
            Marker::Triangle,
            Marker::Diamond,
        ][i % 4],
        fill: if control {
            style::PRINT_FILLS[3]
        } else {
            style::PRINT_FILLS[i % 3]
        }
        .filled(),
    }
}

impl ArmPen {
    /// Draws the point symbol at each of `pts` on `chart`.
    fn points<DB, X, Y>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
        pts: &[(f64, f64)],
    ) -> anyhow::Result<()>
    where
        DB: DrawingBackend,
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        let Some((shape, open)) = self.marker.outline(canvas::MARKER_R) else {
            let c = self.line;
            return chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, 7, c.filled())))
                .map(|_| ())
                .or_draw();
        };
        let fill = if open { WHITE } else { self.line };
        let mut ring = shape.clone();
        ring.extend(shape.first().copied());
        chart
            .draw_series(
                pts.iter()
                    .map(|p| EmptyElement::at(*p) + Polygon::new(shape.clone(), fill.filled())),
            )
            .or_draw()?;
        chart
            .draw_series(pts.iter().map(|p| {
                EmptyElement::at(*p) + PathElement::new(ring.clone(), self.line.stroke_width(2))
            }))
            .or_draw()?;
        Ok(())
    }

    /// Draws the line through `pts` on `chart` in its pattern.
    fn line<DB, X, Y>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
        pts: &[(f64, f64)],
    ) -> anyhow::Result<()>
    where
        DB: DrawingBackend,
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        super::panel::draw_line(chart, pts, self.line, self.dash, style::LINE)
    }

    /// Its legend entry.
    fn entry(&self, label: String) -> LegendEntry {
        LegendEntry::line(label, self.line, self.dash, style::LINE).with_marker(self.marker)
    }
}

/// A legend box in the chart's plot area, at its lower left (`low`) or
/// middle right.
fn boxed_legend<DB, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    entries: &[LegendEntry],
    low: bool,
    look: &Look,
) -> anyhow::Result<()>
where
    DB: DrawingBackend,
    X: Ranged,
    Y: Ranged,
{
    let area = chart.plotting_area().strip_coord_spec();
    let (w, h) = area.dim_in_pixel();
    let size = look.legend();
    let (bw, bh) = canvas::legend_column_size(&area, entries, size, w.saturating_sub(30));
    let (bw, bh) = (bw as i32 + 20, bh as i32 + 12);
    let x = if low { 12 } else { (w as i32 - bw - 12).max(0) };
    let y = if low {
        (h as i32 - bh - 12).max(0)
    } else {
        ((h as i32 - bh) / 2).max(0)
    };
    area.draw(&Rectangle::new(
        [(x, y), (x + bw, y + bh)],
        WHITE.mix(0.9).filled(),
    ))
    .or_draw()?;
    area.draw(&Rectangle::new(
        [(x, y), (x + bw, y + bh)],
        style::LIGHT.stroke_width(1),
    ))
    .or_draw()?;
    canvas::legend_column(&area, entries, (x + 10, y + 6), size, w.saturating_sub(30))?;
    Ok(())
}

/// Axis and caption texts of the mean-change chart.
const CHANGE_TEXT: [&str; 3] = [
    "Mean change from baseline (\u{00b1} 1 SE)",
    "days since the first dose (visits)",
    "change in rated MADRS (points)",
];

/// Axis texts of the power chart (no caption).
const POWER_TEXT: [&str; 3] = [
    "",
    "patients per arm (log scale)",
    "trials reaching p < 0.05 (%)",
];

/// Whether a chart with `texts` (caption, x title, y title) keeps a
/// readable plot of at least `min` px in a `w` × `h` cell at `look`, with
/// every text fitting along its side.
fn chart_fits<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (w, h): (i32, i32),
    texts: [&str; 3],
    min: (i32, i32),
    look: &Look,
) -> bool {
    let width = |s: &str, st: &TextStyle| canvas::text_width(area, &look.say(s), st) as i32;
    let (cap, label) = (
        canvas::bold(look.label(), okabe_ito::BLACK),
        canvas::font(look.label(), okabe_ito::BLACK),
    );
    let cap_h = if texts[0].is_empty() {
        0
    } else {
        look.label() as i32 + 20
    };
    let plot = (w - look.px(90) - 40, h - cap_h - look.px(70) - 40);
    plot.0 >= min.0
        && plot.1 >= min.1
        && width(texts[0], &cap) <= w - 20
        && width(texts[1], &label) <= w - 20
        && width(texts[2], &label) <= plot.1 + 40
}

/// Whether the rates chart of `arms` arms in `groups` fits a `w` × `h` cell at `look`:
/// its caption, each group's name over its share of the plot and the values
/// over the bars.
fn rates_fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (w, h): (i32, i32),
    caption: &str,
    arms: usize,
    groups: &[&str],
    look: &Look,
) -> bool {
    let plot_w = w - look.px(80) - 40;
    let per_group = plot_w / groups.len().max(1) as i32;
    let bar = per_group / (arms as i32 + 1);
    let width = |s: &str, st: TextStyle| canvas::text_width(area, s, &st) as i32;
    chart_fits(
        area,
        (w, h),
        [caption, "", "patients (%)"],
        (150, 120),
        look,
    ) && groups
        .iter()
        .all(|g| width(&look.say(g), canvas::bold(look.label(), okabe_ito::BLACK)) <= per_group)
        && width("100 %", canvas::bold(look.legend(), okabe_ito::BLACK)) <= 2 * bar
}

/// One group of bars: an arm's proportion at a visit.
type RateOf = fn(&ArmVisit) -> Option<Proportion>;

/// Mean change by visit and response/remission bars of one trial run.
struct TrialFigure<'a> {
    spec: &'a TrialSpec,
    a: &'a Analysis,
    subtitle: String,
    opts: FigureOptions,
}

/// The panels, by the name `--panels` uses (the trial figure's two panels
/// go together: nothing to choose).
pub const PANELS: [(&str, &str); 1] = [("trial", "change by visit and rates at the primary visit")];

impl Figure for TrialFigure<'_> {
    fn size(&self) -> (u32, u32) {
        self.opts.size_or(style::SIZE)
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let title = self.opts.title_or(&self.spec.title);
        let foot = "synsim trial \u{00b7} virtual patients, not a clinical result";
        // All text as large as asked, or as large as leaves the plots room.
        let (w, h) = root.dim_in_pixel();
        let caption = self.rates_caption(&self.look());
        let arms = self.spec.arms.len();
        let groups: Vec<&str> = self.rate_groups().iter().map(|g| g.0).collect();
        let look = canvas::fitted(&self.look(), |l| {
            let head = canvas::title_height(root, l, &title, Some(&self.subtitle))
                + canvas::footer_height(root, l, DISCLAIMER, foot);
            let room = h as i32 - head;
            let (first, second) = if w as i32 >= room {
                (
                    (w as i32 * 62 / 100 - 30, room - 20),
                    (w as i32 * 38 / 100 - 20, room - 40),
                )
            } else {
                (
                    (w as i32 - 30, room * 55 / 100 - 20),
                    (w as i32 - 20, room * 45 / 100 - 40),
                )
            };
            chart_fits(root, first, CHANGE_TEXT, (200, 120), l)
                && rates_fit(root, second, &caption, arms, &groups, l)
        });
        let area = canvas::title(root, &look, &title, Some(&self.subtitle))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        let (w, h) = area.dim_in_pixel();
        // Side by side on a wide page, one above the other on an upright one.
        let (first, second) = if w >= h {
            area.split_horizontally((62).percent_width())
        } else {
            area.split_vertically((55).percent_height())
        };
        self.change_panel(&first.margin(10, 10, 10, 20), &look)?;
        self.rates_panel(&second.margin(10, 10, 30, 10), &look)
    }
}

impl TrialFigure<'_> {
    fn change_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> anyhow::Result<()> {
        let arms = self.spec.arms.len();
        let last = self.spec.visits_d.last().copied().unwrap_or(1.0);
        let mut lo: f64 = 0.0;
        for v in self.a.visits.iter().flatten() {
            lo = lo.min(v.change.mean - 2.0 * v.change.se.max(0.0));
        }
        let lo = (lo / 5.0).floor() * 5.0 - 2.0;
        let mut chart = ChartBuilder::on(area)
            .caption(
                look.say(CHANGE_TEXT[0]),
                canvas::bold(look.label(), okabe_ito::BLACK),
            )
            .x_label_area_size(look.upx(70))
            .y_label_area_size(look.upx(90))
            .build_cartesian_2d(0.0..last * 1.04, lo..3.0)
            .or_draw()?;
        let (w, h) = chart.plotting_area().dim_in_pixel();
        chart
            .configure_mesh()
            .x_desc(look.say(CHANGE_TEXT[1]))
            .y_desc(look.say(CHANGE_TEXT[2]))
            .x_labels((look.tick_room(w) / 70).clamp(3, 10) as usize)
            .y_labels((look.tick_room(h) / 50).clamp(3, 10) as usize)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .axis_desc_style(canvas::font(look.label(), okabe_ito::BLACK))
            .label_style(canvas::font(look.tick(), okabe_ito::BLACK))
            .light_line_style(TRANSPARENT)
            .draw()
            .or_draw()?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, 0.0), (last * 1.04, 0.0)],
                style::REFERENCE.stroke_width(1),
            ))
            .or_draw()?;
        // Arms are nudged sideways a little so their error bars do not hide
        // each other.
        let nudge = last * 0.006;
        let mut entries = Vec::new();
        for (i, arm) in self.a.visits.iter().enumerate() {
            let pen = arm_pen(i, arms, look);
            let dx = (i as f64 - (arms as f64 - 1.0) / 2.0) * nudge;
            let pts: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
                .chain(arm.iter().map(|v| (v.day + dx, v.change.mean)))
                .collect();
            pen.line(&mut chart, &pts)?;
            for v in arm {
                let (m, se) = (v.change.mean, v.change.se);
                if se.is_finite() {
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            [(v.day + dx, m - se), (v.day + dx, m + se)],
                            pen.line.stroke_width(3),
                        )))
                        .or_draw()?;
                }
            }
            pen.points(&mut chart, &pts)?;
            entries.push(pen.entry(format!(
                "{} (n = {})",
                self.spec.arms[i].name, self.a.randomised[i]
            )));
        }
        let primary = self.spec.primary_visit_d;
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(primary, lo), (primary, 3.0)],
                style::REFERENCE.stroke_width(1),
            )))
            .or_draw()?;
        boxed_legend(&chart, &entries, true, look)
    }

    /// The groups of bars at the primary visit: response and remission,
    /// and in a trial that counts relapse the share not relapsed (its
    /// Kaplan–Meier estimate and interval).
    fn rate_groups(&self) -> Vec<(&'static str, RateOf)> {
        let mut g: Vec<(&'static str, RateOf)> = vec![
            ("response", |v| Some(v.response)),
            ("remission", |v| Some(v.remission)),
        ];
        if self.spec.relapse.is_some() {
            g.push(("not relapsed", |v| {
                v.relapse_free.map(|r| Proportion {
                    k: r.at_risk,
                    n: r.at_risk + r.events,
                    p: r.s,
                    ci_low: r.ci_low,
                    ci_high: r.ci_high,
                })
            }));
        }
        g
    }

    fn rates_caption(&self, look: &Look) -> String {
        let ci = if look.school {
            "bars: how sure"
        } else {
            "95 % CI"
        };
        format!("At day {} ({ci})", fmt_day(self.spec.primary_visit_d))
    }

    /// Response and remission at the primary visit: a group of bars per
    /// outcome, one per arm, each with its 95 % interval and its value.
    fn rates_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> anyhow::Result<()> {
        let arms = self.spec.arms.len();
        let p = self.spec.primary_index();
        let groups = self.rate_groups();
        let width = arms as f64 + 1.0;
        // Room above 100 % for the group names and the values over the bars.
        let top = 112.0 + 8.0 * (look.scale - 1.0).max(0.0);
        let mut chart = self.rates_chart(area, (groups.len() as f64 * width, top), look)?;
        for (g, (name, of)) in groups.iter().enumerate() {
            let x0 = g as f64 * width + 0.5;
            for i in 0..arms {
                let Some(prop) = of(&self.a.visits[i][p]) else {
                    continue;
                };
                let pen = arm_pen(i, arms, look);
                let (l, r) = (x0 + i as f64 + 0.1, x0 + i as f64 + 0.9);
                draw_rate_bar(&mut chart, &pen, (l, r), &prop, look)?;
            }
            // The group's name above its bars (the x axis has no ticks).
            chart
                .draw_series(std::iter::once(Text::new(
                    look.say(name),
                    (x0 + arms as f64 / 2.0, top - 1.0),
                    canvas::bold(look.label(), okabe_ito::BLACK)
                        .pos(Pos::new(HPos::Center, VPos::Top)),
                )))
                .or_draw()?;
        }
        Ok(())
    }

    /// The rates chart in `area`, `x1` wide and `top` (percent) high, with
    /// its caption and a y axis in percent (no x ticks: the groups are
    /// named over their bars).
    fn rates_chart<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        (x1, top): (f64, f64),
        look: &Look,
    ) -> anyhow::Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
        let mut chart = ChartBuilder::on(area)
            .caption(
                self.rates_caption(look),
                canvas::bold(look.label(), okabe_ito::BLACK),
            )
            .x_label_area_size(look.upx(70))
            .y_label_area_size(look.upx(80))
            .build_cartesian_2d(0.0..x1, 0.0..top)
            .or_draw()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_desc("patients (%)")
            .axis_desc_style(canvas::font(look.label(), okabe_ito::BLACK))
            .label_style(canvas::font(look.tick(), okabe_ito::BLACK))
            .light_line_style(TRANSPARENT)
            .draw()
            .or_draw()?;
        Ok(chart)
    }
}

/// One arm's bar from `l` to `r` for proportion `prop` (in percent), in
/// its `pen`, with its 95 % interval and its value written over it;
/// nothing where the proportion is not a number.
fn draw_rate_bar<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    pen: &ArmPen,
    (l, r): (f64, f64),
    prop: &Proportion,
    look: &Look,
) -> anyhow::Result<()> {
    let h = 100.0 * prop.p;
    if !h.is_finite() {
        return Ok(());
    }
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(l, 0.0), (r, h)],
            pen.fill,
        )))
        .or_draw()?;
    if look.print {
        // Bars in greys need an edge, and each its arm's
        // symbol (the legend shows arms by symbol).
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(l, 0.0), (r, h)],
                okabe_ito::BLACK.stroke_width(1),
            )))
            .or_draw()?;
        let mid = (l + r) / 2.0;
        let (_, y) = chart.backend_coord(&(mid, 0.0));
        let (_, y_up) = chart.backend_coord(&(mid, 1.0));
        let up = f64::from((y - y_up).max(1));
        pen.points(chart, &[(mid, 14.0 / up)])?;
    }
    let mid = (l + r) / 2.0;
    chart
        .draw_series(std::iter::once(PathElement::new(
            [(mid, 100.0 * prop.ci_low), (mid, 100.0 * prop.ci_high)],
            okabe_ito::BLACK.stroke_width(3),
        )))
        .or_draw()?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("{h:.0} %"),
            (mid, 100.0 * prop.ci_high + 1.5),
            canvas::bold(look.legend(), okabe_ito::BLACK).pos(Pos::new(HPos::Center, VPos::Bottom)),
        )))
        .or_draw()?;
    Ok(())
}

fn fmt_day(d: f64) -> String {
    if d.fract() == 0.0 {
        format!("{d:.0}")
    } else {
        format!("{d}")
    }
}

/// Writes DIR/trial.png and DIR/trial.svg, as `opts` asks.
pub fn figure(
    spec: &TrialSpec,
    a: &Analysis,
    subtitle: &str,
    dir: &Path,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let fig = TrialFigure {
        spec,
        a,
        subtitle: subtitle.to_string(),
        opts: opts.clone(),
    };
    canvas::save_png_svg(&fig, dir, "trial")
}

/// Power against patients per arm.
struct PowerFigure<'a> {
    spec: &'a TrialSpec,
    points: &'a [PowerPoint],
    opts: FigureOptions,
}

/// The coordinates of the power chart: patients per arm on a log scale
/// with a tick at every trial size, power in percent.
type PowerCoord = Cartesian2d<WithKeyPoints<LogCoord<f64>>, RangedCoordf64>;

impl PowerFigure<'_> {
    /// The title (a `--title` becomes "Power: TITLE") and the subtitle.
    fn headings(&self) -> (String, String) {
        let reps = self.points.first().map(|p| p.replicates).unwrap_or(0);
        let title = match &self.opts.title {
            Some(t) => format!("Power: {t}"),
            None => format!(
                "Power: how often does the trial find the drug? ({})",
                self.spec.name
            ),
        };
        let sub = format!(
            "share of {reps} replicate trials with p < 0.05 at day {} (ANCOVA), 95 % CI",
            fmt_day(self.spec.primary_visit_d)
        );
        (title, sub)
    }

    /// The power chart in `area` from `x0` to `x1` patients per arm, with
    /// its axes.
    fn power_chart<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        (x0, x1): (f64, f64),
        look: &Look,
    ) -> anyhow::Result<ChartContext<'a, DB, PowerCoord>> {
        // A tick at every trial size, none between: the log scale's own
        // ticks can miss the smallest sizes.
        let sizes: Vec<f64> = self.points.iter().map(|p| p.per_arm as f64).collect();
        let x_axis = LogCoord::from((x0..x1).log_scale()).with_key_points(sizes);
        let mut chart = ChartBuilder::on(area)
            .x_label_area_size(look.upx(70))
            .y_label_area_size(look.upx(90))
            .build_cartesian_2d(x_axis, 0.0..100.0)
            .or_draw()?;
        chart
            .configure_mesh()
            .x_desc(look.say(POWER_TEXT[1]))
            .y_desc(look.say(POWER_TEXT[2]))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .axis_desc_style(canvas::font(look.label(), okabe_ito::BLACK))
            .label_style(canvas::font(look.tick(), okabe_ito::BLACK))
            .light_line_style(TRANSPARENT)
            .draw()
            .or_draw()?;
        Ok(chart)
    }

    /// Each active arm's power against the control: a line through the
    /// trial sizes, its 95 % intervals and points; returns the legend.
    fn draw_power_curves<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, PowerCoord>,
        look: &Look,
    ) -> anyhow::Result<Vec<LegendEntry>> {
        let arms = self.spec.arms.len();
        let mut entries = Vec::new();
        for c in 0..arms - 1 {
            let pen = arm_pen(c, arms, look);
            let pts: Vec<(f64, f64)> = self
                .points
                .iter()
                .map(|p| (p.per_arm as f64, 100.0 * p.power[c].p))
                .collect();
            pen.line(chart, &pts)?;
            for p in self.points {
                let n = p.per_arm as f64;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        [
                            (n, 100.0 * p.power[c].ci_low),
                            (n, 100.0 * p.power[c].ci_high),
                        ],
                        pen.line.stroke_width(3),
                    )))
                    .or_draw()?;
            }
            pen.points(chart, &pts)?;
            entries.push(pen.entry(format!(
                "{} vs {}",
                self.spec.arms[c].name,
                self.spec.arms[arms - 1].name
            )));
        }
        Ok(entries)
    }
}

/// The power chart's reference levels from `x0` to `x1`, labelled: the
/// usual design target and chance alone.
fn draw_power_refs<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, PowerCoord>,
    (x0, x1): (f64, f64),
    look: &Look,
) -> anyhow::Result<()> {
    for (y, label) in [
        (80.0, "80 % power (the usual design target)"),
        (5.0, "5 %: chance alone"),
    ] {
        chart
            .draw_series(LineSeries::new(
                [(x0, y), (x1, y)],
                style::REFERENCE.stroke_width(2),
            ))
            .or_draw()?;
        chart
            .draw_series(std::iter::once(Text::new(
                look.say(label),
                (x0 * 1.05, y + 2.5),
                canvas::font(look.legend(), style::REFERENCE),
            )))
            .or_draw()?;
    }
    Ok(())
}

impl Figure for PowerFigure<'_> {
    fn size(&self) -> (u32, u32) {
        self.opts.size_or(style::SIZE)
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let (title, sub) = self.headings();
        let foot = "synsim trial --replicates \u{00b7} virtual patients, not a clinical result";
        let (w, h) = root.dim_in_pixel();
        let look = canvas::fitted(&self.look(), |l| {
            let head = canvas::title_height(root, l, &title, Some(&sub))
                + canvas::footer_height(root, l, DISCLAIMER, foot);
            chart_fits(
                root,
                (w as i32 - 50, h as i32 - head - 30),
                POWER_TEXT,
                (300, 200),
                l,
            )
        });
        let area = canvas::title(root, &look, &title, Some(&sub))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        let max_n = self.points.iter().map(|p| p.per_arm).max().unwrap_or(10) as f64;
        let min_n = self.points.iter().map(|p| p.per_arm).min().unwrap_or(2) as f64;
        let (x0, x1) = (min_n / 1.5, max_n * 1.5);
        let plot = area.margin(10, 10, 20, 40);
        let mut chart = self.power_chart(&plot, (x0, x1), &look)?;
        draw_power_refs(&mut chart, (x0, x1), &look)?;
        let entries = self.draw_power_curves(&mut chart, &look)?;
        boxed_legend(&chart, &entries, false, &look)
    }
}

/// Writes DIR/power.png and DIR/power.svg, as `opts` asks (a `--title`
/// becomes "Power: TITLE").
pub fn power_figure(
    spec: &TrialSpec,
    points: &[PowerPoint],
    dir: &Path,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let fig = PowerFigure {
        spec,
        points,
        opts: opts.clone(),
    };
    canvas::save_png_svg(&fig, dir, "power")
}
