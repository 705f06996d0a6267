//! Virtual-trial figures: the mean change from baseline by visit per arm
//! with error bars (the figure every trial paper has), response and
//! remission per arm with 95 % intervals, and the power curve.

use super::canvas::{self, Figure, OrDraw};
use super::dashboard::DISCLAIMER;
use super::style::{self, okabe_ito};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};
use synsim_core::trial::{Analysis, PowerPoint, TrialSpec};

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

/// Mean change by visit and response/remission bars of one trial run.
struct TrialFigure<'a> {
    spec: &'a TrialSpec,
    a: &'a Analysis,
    subtitle: String,
}

impl Figure for TrialFigure<'_> {
    fn size(&self) -> (u32, u32) {
        style::SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let area = canvas::title(root, &self.spec.title, Some(&self.subtitle))?;
        let area = canvas::footer(
            &area,
            DISCLAIMER,
            "synsim trial \u{00b7} virtual patients, not a clinical result",
        )?;
        let (left, right) = area.split_horizontally((62).percent_width());
        self.change_panel(&left.margin(10, 10, 10, 20))?;
        self.rates_panel(&right.margin(10, 10, 30, 10))
    }
}

impl TrialFigure<'_> {
    fn change_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
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
                "Mean change from baseline (\u{00b1} 1 SE)",
                canvas::bold(style::LABEL, okabe_ito::BLACK),
            )
            .x_label_area_size(70)
            .y_label_area_size(90)
            .build_cartesian_2d(0.0..last * 1.04, lo..3.0)
            .or_draw()?;
        chart
            .configure_mesh()
            .x_desc("days since the first dose (visits)")
            .y_desc("change in rated MADRS (points)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .axis_desc_style(canvas::font(style::LABEL, okabe_ito::BLACK))
            .label_style(canvas::font(style::TICK, okabe_ito::BLACK))
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
        for (i, arm) in self.a.visits.iter().enumerate() {
            let c = arm_colour(i, arms);
            let dx = (i as f64 - (arms as f64 - 1.0) / 2.0) * nudge;
            let pts: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
                .chain(arm.iter().map(|v| (v.day + dx, v.change.mean)))
                .collect();
            let line = ShapeStyle::from(&c).stroke_width(style::LINE);
            chart
                .draw_series(LineSeries::new(pts.clone(), line))
                .or_draw()?
                .label(format!(
                    "{} (n = {})",
                    self.spec.arms[i].name, self.a.randomised[i]
                ))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 40, y)], c.stroke_width(style::LINE))
                });
            for v in arm {
                let (m, se) = (v.change.mean, v.change.se);
                if se.is_finite() {
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            [(v.day + dx, m - se), (v.day + dx, m + se)],
                            c.stroke_width(3),
                        )))
                        .or_draw()?;
                }
            }
            chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, 7, c.filled())))
                .or_draw()?;
        }
        let primary = self.spec.primary_visit_d;
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(primary, lo), (primary, 3.0)],
                style::REFERENCE.stroke_width(1),
            )))
            .or_draw()?;
        legend(&mut chart, SeriesLabelPosition::LowerLeft)
    }

    fn rates_panel<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let arms = self.spec.arms.len();
        let p = self.spec.primary_index();
        let groups = ["response", "remission"];
        let width = arms as f64 + 1.0;
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("At day {} (95 % CI)", fmt_day(self.spec.primary_visit_d)),
                canvas::bold(style::LABEL, okabe_ito::BLACK),
            )
            .x_label_area_size(70)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..2.0 * width, 0.0..112.0)
            .or_draw()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_desc("patients (%)")
            .axis_desc_style(canvas::font(style::LABEL, okabe_ito::BLACK))
            .label_style(canvas::font(style::TICK, okabe_ito::BLACK))
            .light_line_style(TRANSPARENT)
            .draw()
            .or_draw()?;
        for (g, name) in groups.iter().enumerate() {
            let x0 = g as f64 * width + 0.5;
            for i in 0..arms {
                let v = &self.a.visits[i][p];
                let prop = if g == 0 { &v.response } else { &v.remission };
                let c = arm_colour(i, arms);
                let (l, r) = (x0 + i as f64 + 0.1, x0 + i as f64 + 0.9);
                let h = 100.0 * prop.p;
                if h.is_finite() {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(l, 0.0), (r, h)],
                            c.mix(0.85).filled(),
                        )))
                        .or_draw()?;
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
                            canvas::bold(style::LEGEND, okabe_ito::BLACK)
                                .pos(Pos::new(HPos::Center, VPos::Bottom)),
                        )))
                        .or_draw()?;
                }
            }
            // The group's name above its bars (the x axis has no ticks).
            chart
                .draw_series(std::iter::once(Text::new(
                    name.to_string(),
                    (x0 + arms as f64 / 2.0, 111.0),
                    canvas::bold(style::LABEL, okabe_ito::BLACK)
                        .pos(Pos::new(HPos::Center, VPos::Top)),
                )))
                .or_draw()?;
        }
        Ok(())
    }
}

/// The series legend of a trial figure, boxed at `pos`.
fn legend<'a, DB: DrawingBackend + 'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    pos: SeriesLabelPosition,
) -> anyhow::Result<()> {
    chart
        .configure_series_labels()
        .position(pos)
        .legend_area_size(55)
        .background_style(WHITE.mix(0.9))
        .border_style(style::LIGHT)
        .label_font(canvas::font(style::LEGEND, okabe_ito::BLACK))
        .draw()
        .or_draw()
}

fn fmt_day(d: f64) -> String {
    if d.fract() == 0.0 {
        format!("{d:.0}")
    } else {
        format!("{d}")
    }
}

/// Writes DIR/trial.png and DIR/trial.svg.
pub fn figure(
    spec: &TrialSpec,
    a: &Analysis,
    subtitle: &str,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    canvas::save_png_svg(
        &TrialFigure {
            spec,
            a,
            subtitle: subtitle.to_string(),
        },
        dir,
        "trial",
    )
}

/// Power against patients per arm.
struct PowerFigure<'a> {
    spec: &'a TrialSpec,
    points: &'a [PowerPoint],
}

impl Figure for PowerFigure<'_> {
    fn size(&self) -> (u32, u32) {
        style::SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let reps = self.points.first().map(|p| p.replicates).unwrap_or(0);
        let area = canvas::title(
            root,
            &format!(
                "Power: how often does the trial find the drug? ({})",
                self.spec.name
            ),
            Some(&format!(
                "share of {reps} replicate trials with p < 0.05 at day {} (ANCOVA), 95 % CI",
                fmt_day(self.spec.primary_visit_d)
            )),
        )?;
        let area = canvas::footer(
            &area,
            DISCLAIMER,
            "synsim trial --replicates \u{00b7} virtual patients, not a clinical result",
        )?;
        let max_n = self.points.iter().map(|p| p.per_arm).max().unwrap_or(10) as f64;
        let min_n = self.points.iter().map(|p| p.per_arm).min().unwrap_or(2) as f64;
        let (x0, x1) = (min_n / 1.5, max_n * 1.5);
        let mut chart = ChartBuilder::on(&area.margin(10, 10, 20, 40))
            .x_label_area_size(70)
            .y_label_area_size(90)
            .build_cartesian_2d((x0..x1).log_scale(), 0.0..100.0)
            .or_draw()?;
        chart
            .configure_mesh()
            .x_desc("patients per arm (log scale)")
            .y_desc("trials reaching p < 0.05 (%)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .axis_desc_style(canvas::font(style::LABEL, okabe_ito::BLACK))
            .label_style(canvas::font(style::TICK, okabe_ito::BLACK))
            .light_line_style(TRANSPARENT)
            .draw()
            .or_draw()?;
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
                    label.to_string(),
                    (x0 * 1.05, y + 2.5),
                    canvas::font(style::LEGEND, style::REFERENCE),
                )))
                .or_draw()?;
        }
        let arms = self.spec.arms.len();
        for c in 0..arms - 1 {
            let col = arm_colour(c, arms);
            let pts: Vec<(f64, f64)> = self
                .points
                .iter()
                .map(|p| (p.per_arm as f64, 100.0 * p.power[c].p))
                .collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), col.stroke_width(style::LINE)))
                .or_draw()?
                .label(format!(
                    "{} vs {}",
                    self.spec.arms[c].name,
                    self.spec.arms[arms - 1].name
                ))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 40, y)], col.stroke_width(style::LINE))
                });
            for p in self.points {
                let n = p.per_arm as f64;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        [
                            (n, 100.0 * p.power[c].ci_low),
                            (n, 100.0 * p.power[c].ci_high),
                        ],
                        col.stroke_width(3),
                    )))
                    .or_draw()?;
            }
            chart
                .draw_series(pts.iter().map(|&q| Circle::new(q, 8, col.filled())))
                .or_draw()?;
        }
        legend(&mut chart, SeriesLabelPosition::MiddleRight)
    }
}

/// Writes DIR/power.png and DIR/power.svg.
pub fn power_figure(
    spec: &TrialSpec,
    points: &[PowerPoint],
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    canvas::save_png_svg(&PowerFigure { spec, points }, dir, "power")
}
