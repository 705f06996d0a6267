//! The population figure: how a whole group of virtual patients moves.
//!
//! Three panels on one time axis: the symptom score (median, the middle
//! half and 90 % of patients as shaded bands, a few individual patients,
//! the response and remission lines), synapse density (median and bands)
//! and the share of patients in response and remission over time.

use super::canvas::{self, font, Dash, Figure, LegendEntry, OrDraw, Swatch};
use super::dashboard::DISCLAIMER;
use super::panel::{self, draw_panel, DoseMark, Panel, Series, XLabels, YFormat};
use super::style::{self, okabe_ito, quantity};
use super::timeaxis::TimeAxis;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};
use synsim_core::population::bands::Bands;
use synsim_core::population::Population;
use synsim_core::symptom::{REMISSION_SCORE, RESPONSE_FRACTION};

/// Thin lines of individual patients: black, the one colour no band,
/// reference line or drug in this figure uses.
pub const INDIVIDUAL: RGBColor = okabe_ito::BLACK;

/// Figure size, px.
pub const SIZE: (u32, u32) = (1800, 1400);

/// A panel of percentile bands: what to draw and how.
struct BandPanel<'a> {
    title: &'a str,
    y_label: &'a str,
    /// Percentiles [p5, p25, p50, p75, p95] at each band time.
    pct: &'a [[f64; 5]],
    colour: RGBColor,
    /// Individual patients: (label, values at each band time).
    individuals: Vec<&'a [f64]>,
    /// Horizontal reference lines: (value, label, colour).
    refs: Vec<(f64, String, RGBColor)>,
    y_range: (f64, f64),
    y_format: YFormat,
}

/// The figure.
pub struct PopulationFigure<'a> {
    pop: &'a Population,
    bands: &'a Bands,
    axis: TimeAxis,
}

/// `(axis x, value)` pairs of `ys` at the band times, skipping points off the axis.
fn xy(axis: &TimeAxis, t: &[f64], ys: impl Iterator<Item = f64>) -> Vec<(f64, f64)> {
    t.iter()
        .zip(ys)
        .filter(|(_, y)| y.is_finite())
        .filter_map(|(t, y)| axis.x(*t).map(|x| (x, y)))
        .collect()
}

/// `c` blended with white: `share` of the colour, the rest white.
pub fn tint(c: RGBColor, share: f64) -> RGBColor {
    let f = |v: u8| (255.0 - (255.0 - f64::from(v)) * share).round() as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// A y tick label with as many decimals as a range of width `span` needs.
fn y_label(v: f64, span: f64, f: YFormat) -> String {
    let (v, span) = if f == YFormat::Percent {
        (100.0 * v, 100.0 * span)
    } else {
        (v, span)
    };
    let decimals = if span >= 8.0 {
        0
    } else {
        (1.0 - (span / 4.0).log10().floor()).clamp(0.0, 4.0) as usize
    };
    let s = format!("{:.*}", decimals, if v.abs() < 1e-12 { 0.0 } else { v });
    if f == YFormat::Percent {
        format!("{s} %")
    } else {
        s
    }
}

/// Draws one band panel (title, legend row, bands, lines, references, doses).
fn draw_band_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &BandPanel,
    t: &[f64],
    axis: &TimeAxis,
    doses: &[DoseMark],
) -> anyhow::Result<()> {
    let (w, _) = area.dim_in_pixel();
    canvas::text(
        area,
        p.title,
        (panel::Y_AREA as i32 - 40, 4),
        &canvas::bold(style::LABEL, okabe_ito::BLACK),
        (HPos::Left, VPos::Top),
    )?;
    let mut legend = vec![
        LegendEntry::line("median patient", p.colour, Dash::Solid, 5),
        LegendEntry {
            label: "middle 50 % of patients".into(),
            swatch: Swatch::Block(p.colour),
        },
        LegendEntry {
            label: "90 % of patients (5th\u{2013}95th percentile)".into(),
            swatch: Swatch::Block(tint(p.colour, 0.5)),
        },
    ];
    for (_, label, colour) in &p.refs {
        legend.push(LegendEntry::line(label.clone(), *colour, Dash::Dashed, 3));
    }
    if !p.individuals.is_empty() {
        legend.push(LegendEntry::line(
            format!("{} individual patients", p.individuals.len()),
            INDIVIDUAL,
            Dash::Solid,
            2,
        ));
    }
    let mut top = style::LABEL as i32 + 10;
    let lw = w as i32 - panel::Y_AREA as i32 - panel::RIGHT as i32;
    top += canvas::legend_rows(
        area,
        &legend,
        (panel::Y_AREA as i32, top),
        lw,
        style::LEGEND,
    )?;
    let body = area.clone().split_vertically(top + 4).1;
    let plot_w = w.saturating_sub(panel::Y_AREA + panel::RIGHT).max(100);
    let (y0, y1) = p.y_range;
    let ticks = axis.ticks(plot_w);
    let mut chart = ChartBuilder::on(&body)
        .margin_right(panel::RIGHT)
        .margin_top(4)
        .x_label_area_size(40)
        .y_label_area_size(panel::Y_AREA)
        .build_cartesian_2d(axis.spec(plot_w), y0..y1)
        .or_draw()?;
    let xfmt = |x: &f64| axis.tick_label(*x, &ticks);
    let yfmt = |y: &f64| y_label(*y, y1 - y0, p.y_format);
    chart
        .configure_mesh()
        .bold_line_style(style::LIGHT.mix(0.7))
        .light_line_style(TRANSPARENT)
        .axis_style(style::DARK.stroke_width(2))
        .label_style(font(style::TICK, okabe_ito::BLACK))
        .axis_desc_style(font(style::LABEL - 2, okabe_ito::BLACK))
        .x_label_formatter(&xfmt)
        .y_label_formatter(&yfmt)
        .y_labels(6)
        .y_desc(p.y_label)
        .draw()
        .or_draw()?;
    // Bands: outer (5-95) lighter, inner (25-75) darker.
    for (lo, hi, alpha) in [(0, 4, 0.16), (1, 3, 0.34)] {
        let lower = xy(axis, t, p.pct.iter().map(|q| q[lo]));
        let upper = xy(axis, t, p.pct.iter().map(|q| q[hi]));
        let mut poly = lower;
        poly.extend(upper.into_iter().rev());
        if poly.len() >= 3 {
            chart
                .draw_series(std::iter::once(Polygon::new(
                    poly,
                    p.colour.mix(alpha).filled(),
                )))
                .or_draw()?;
        }
    }
    for (y, _, colour) in &p.refs {
        let pts = vec![(axis.range().start, *y), (axis.range().end, *y)];
        chart
            .draw_series(DashedLineSeries::new(pts, 14, 8, colour.stroke_width(3)))
            .or_draw()?;
    }
    for ind in &p.individuals {
        let pts = xy(axis, t, ind.iter().copied());
        panel::draw_line(&mut chart, &pts, INDIVIDUAL, Dash::Solid, 2)?;
    }
    let median = xy(axis, t, p.pct.iter().map(|q| q[2]));
    panel::draw_line(&mut chart, &median, p.colour, Dash::Solid, 5)?;
    for d in doses {
        if let Some(x) = axis.x(d.time_h) {
            let tri = Polygon::new(vec![(-8, 1), (8, 1), (0, 15)], d.colour.filled());
            chart
                .draw_series(std::iter::once(EmptyElement::at((x, y1)) + tri))
                .or_draw()?;
        }
    }
    Ok(())
}

impl Figure for PopulationFigure<'_> {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let pop = self.pop;
        let s = &pop.setup.scenario;
        let b = self.bands;
        let colour = style::main_drug(&pop.setup.drugs)
            .map(style::drug_colour)
            .unwrap_or(okabe_ito::BLACK);
        let regimen = if s.regimen_text.is_empty() {
            "no treatment".to_string()
        } else {
            s.regimen_text.clone()
        };
        let title = format!(
            "{} \u{2014} {} virtual patients",
            s.title,
            pop.patients.len()
        );
        let sub = format!("{regimen} \u{00b7} patients differ in PK, receptor sensitivity, illness severity and plasticity \u{00b7} seed {}", pop.seed);
        let area = canvas::title(root, &title, Some(&sub))?;
        let area = canvas::footer(
            &area,
            DISCLAIMER,
            "synsim population \u{00b7} shaded: spread between patients",
        )?;
        let doses = DoseMark::from_doses(&pop.setup.doses);
        let (a1, rest) = area.split_vertically((area.dim_in_pixel().1 as f64 * 0.44) as i32);
        let (a2, a3) = rest.split_vertically((rest.dim_in_pixel().1 as f64 * 0.45) as i32);

        let typical = s.params[synsim_core::params::id::BASELINE_SCORE];
        let individuals: Vec<&[f64]> = pop
            .patients
            .iter()
            .filter_map(|p| p.trace.as_deref())
            .take(5)
            .collect();
        let score = b.get("symptom_score").unwrap_or(&[]);
        let top = score.iter().map(|q| q[4]).fold(typical, f64::max);
        let score_panel = BandPanel {
            title: "1  Symptoms of every patient (illustrative score; lower = better)",
            y_label: "score (0\u{2013}60)",
            pct: score,
            colour,
            individuals,
            refs: vec![
                (
                    typical * (1.0 - RESPONSE_FRACTION),
                    format!("response, typical patient ({typical:.0} halved)"),
                    quantity::RESPONSE,
                ),
                (
                    REMISSION_SCORE,
                    "remission (\u{2264} 10)".into(),
                    quantity::HEALTHY,
                ),
                {
                    let floor = s.params[synsim_core::params::id::HEALTHY_SCORE];
                    let r = super::dashboard::floor_ref(floor);
                    (r.y, r.label, r.colour)
                },
            ],
            y_range: (0.0, (top * 1.12).clamp(20.0, 60.0)),
            y_format: YFormat::Number,
        };
        draw_band_panel(
            &a1.margin(4, 4, 6, 10),
            &score_panel,
            &b.time_h,
            &self.axis,
            &doses,
        )?;

        let syn = b.get("synapse_density_rel").unwrap_or(&[]);
        let (lo, hi) = syn
            .iter()
            .fold((1.0_f64, 1.0_f64), |(l, h), q| (l.min(q[0]), h.max(q[4])));
        let pad = 0.08 * (hi - lo).max(0.05);
        let syn_panel = BandPanel {
            title: "2  Synapse (spine) density",
            y_label: "% of healthy",
            pct: syn,
            colour,
            individuals: Vec::new(),
            refs: vec![(1.0, "healthy".into(), quantity::HEALTHY)],
            y_range: (lo - pad, hi + 2.5 * pad),
            y_format: YFormat::Percent,
        };
        draw_band_panel(
            &a2.margin(4, 4, 6, 10),
            &syn_panel,
            &b.time_h,
            &self.axis,
            &[],
        )?;

        let mut rate = Panel::new(
            "3  Share of patients in response and in remission",
            "% of patients",
        );
        let pts = |v: &[f64]| {
            b.time_h
                .iter()
                .copied()
                .zip(v.iter().copied())
                .collect::<Vec<_>>()
        };
        rate.series.push(Series::new(
            "in response (score at most half of own baseline)",
            colour,
            Dash::Solid,
            pts(&b.response_rate),
        ));
        rate.series.push(Series::new(
            "in remission (score \u{2264} 10)",
            colour,
            Dash::Dashed,
            pts(&b.remission_rate),
        ));
        rate.doses = doses.clone();
        for d in &pop.setup.drugs {
            let label = if *d == synsim_core::regimen::Drug::Placebo {
                "placebo dose".to_string()
            } else {
                format!("{} dose", d.name())
            };
            rate.extra_legend
                .push(panel::dose_legend(label, style::drug_colour(*d)));
        }
        rate.y_range = Some((0.0, 1.12));
        rate.y_format = YFormat::Percent;
        draw_panel(&a3.margin(4, 4, 6, 10), &rate, &self.axis, XLabels::Full)?;
        Ok(())
    }
}

/// Writes DIR/population.png and DIR/population.svg (nothing without bands).
pub fn figure(pop: &Population, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let Some(bands) = &pop.bands else {
        return Ok(Vec::new());
    };
    let start = bands.time_h.first().copied().unwrap_or(0.0);
    let end = bands.time_h.last().copied().unwrap_or(1.0);
    let fig = PopulationFigure {
        pop,
        bands,
        axis: TimeAxis::new(start, end, false),
    };
    canvas::save_png_svg(&fig, dir, "population")
}
