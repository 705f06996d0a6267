//! The population figure: how a whole group of virtual patients moves.
//!
//! Three panels on one time axis: the symptom score (median, the middle
//! half and 90 % of patients as shaded bands, a few individual patients,
//! the response and remission lines), synapse density (median and bands)
//! and the share of patients in response and remission over time.

use super::canvas::{self, font, Dash, Figure, LegendEntry, OrDraw, Swatch};
use super::dashboard::DISCLAIMER;
use super::options::FigureOptions;
use super::panel::{self, draw_panel, DoseMark, Panel, Series, XLabels, YFormat};
use super::style::{self, okabe_ito, quantity, Look};
use super::timeaxis::{TickCoord, TimeAxis};
use plotters::coord::types::RangedCoordf64;
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

/// The panels, by the name `--panels` uses, with what each shows.
pub const PANELS: [(&str, &str); 3] = [
    ("score", "every patient's symptom score: median and spread"),
    ("synapses", "synapse density: median and spread"),
    ("rates", "share of patients in response and in remission"),
];

/// Share of the height each panel gets.
const WEIGHTS: [i32; 3] = [44, 25, 31];

/// Individual patients in print: mid grey, under the black median.
const INDIVIDUAL_PRINT: RGBColor = RGBColor(140, 140, 140);

/// A panel of percentile bands: what to draw and how.
struct BandPanel<'a> {
    title: &'a str,
    y_label: String,
    /// Percentiles [p5, p25, p50, p75, p95] at each band time.
    pct: &'a [[f64; 5]],
    colour: RGBColor,
    /// Individual patients: (label, values at each band time).
    individuals: Vec<&'a [f64]>,
    /// Horizontal reference lines: (value, label, colour).
    refs: Vec<(f64, String, RGBColor)>,
    y_range: (f64, f64),
    y_format: YFormat,
    /// Dose keys, when no rates panel below explains the dose marks.
    keys: Vec<LegendEntry>,
}

/// The figure.
pub struct PopulationFigure<'a> {
    pop: &'a Population,
    bands: &'a Bands,
    axis: TimeAxis,
    opts: FigureOptions,
}

/// The pattern of the `k`-th reference line of a band panel: each its
/// own, so the legend tells them apart (they are not labelled on the line).
fn ref_dash(k: usize) -> Dash {
    [Dash::Dashed, Dash::Dotted, Dash::Long][k % 3]
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

/// The median's and the individual patients' line colours in `look`.
fn band_pens(p: &BandPanel, look: &Look) -> (RGBColor, RGBColor) {
    let individual = if look.print {
        INDIVIDUAL_PRINT
    } else {
        INDIVIDUAL
    };
    (look.line(p.colour), individual)
}

/// The legend of a band panel.
fn band_legend(p: &BandPanel, look: &Look) -> Vec<LegendEntry> {
    let (median, individual) = band_pens(p, look);
    let mut legend = vec![
        LegendEntry::line(look.say("median patient"), median, Dash::Solid, 5),
        LegendEntry {
            label: look.say("middle 50 % of patients"),
            swatch: Swatch::Block(p.colour),
        },
        LegendEntry {
            label: look.say("90 % of patients (5th\u{2013}95th percentile)"),
            swatch: Swatch::Block(tint(p.colour, 0.5)),
        },
    ];
    for (k, (_, label, colour)) in p.refs.iter().enumerate() {
        let c = panel::ref_line_colour(*colour, look);
        legend.push(LegendEntry::line(look.say(label), c, ref_dash(k), 3));
    }
    if !p.individuals.is_empty() {
        legend.push(LegendEntry::line(
            format!("{} individual patients", p.individuals.len()),
            individual,
            Dash::Solid,
            2,
        ));
    }
    legend.extend(p.keys.iter().cloned());
    legend
}

/// The chart of a band panel: time across, the panel's value range up.
type BandChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<TickCoord, RangedCoordf64>>;

/// Draws one band panel (title, legend row, bands, lines, references, doses).
fn draw_band_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &BandPanel,
    t: &[f64],
    axis: &TimeAxis,
    doses: &[DoseMark],
    x_labels: XLabels,
    look: &Look,
) -> anyhow::Result<()> {
    let top = draw_band_heading(area, p, look)?;
    let body = area.clone().split_vertically(top + 4).1;
    let mut chart = band_chart(&body, p, axis, x_labels, look)?;
    let (median, individual) = band_pens(p, look);
    draw_bands(&mut chart, p, t, axis)?;
    for (k, (y, _, colour)) in p.refs.iter().enumerate() {
        let pts = [(axis.range().start, *y), (axis.range().end, *y)];
        let c = panel::ref_line_colour(*colour, look);
        panel::draw_line(&mut chart, &pts, c, ref_dash(k), 3)?;
    }
    for ind in &p.individuals {
        let pts = xy(axis, t, ind.iter().copied());
        panel::draw_line(&mut chart, &pts, individual, Dash::Solid, 2)?;
    }
    let line = xy(axis, t, p.pct.iter().map(|q| q[2]));
    panel::draw_line(&mut chart, &line, median, Dash::Solid, 5)?;
    let (bx, by) = body.get_base_pixel();
    for d in doses {
        if let Some(x) = axis.x(d.time_h) {
            let (px, py) = chart.backend_coord(&(x, p.y_range.1));
            canvas::dose_triangle(&body, (px - bx, py - by + 1), d.colour, d.open)?;
        }
    }
    Ok(())
}

/// A band panel's percentile bands at the band times `t`: the outer
/// (5th-95th) lighter, the inner (25th-75th) darker on top.
fn draw_bands<DB: DrawingBackend>(
    chart: &mut BandChart<'_, DB>,
    p: &BandPanel,
    t: &[f64],
    axis: &TimeAxis,
) -> anyhow::Result<()> {
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
    Ok(())
}

/// A band panel's title and legend row; returns the height they take.
fn draw_band_heading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &BandPanel,
    look: &Look,
) -> anyhow::Result<i32> {
    let (w, _) = area.dim_in_pixel();
    let x0 = panel::caption_x(look);
    let room = w.saturating_sub(x0 as u32 + 20);
    let (title, st) = canvas::heading_fit(area, p.title, (look.label(), look.small()), room);
    canvas::text(area, &title, (x0, 4), &st, (HPos::Left, VPos::Top))?;
    let legend = band_legend(p, look);
    let top = look.label() as i32 + look.px(10);
    let ya = panel::y_area(look);
    let lw = (w as i32 - ya as i32 - panel::RIGHT as i32).max(80);
    Ok(top + canvas::legend_rows(area, &legend, (ya as i32, top), lw, look.legend())?)
}

/// A band panel's chart in `body` with its grid and axes: the shared time
/// axis (its title under the bottom panel), the panel's value range with
/// as many y ticks as the height allows.
fn band_chart<'a, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
    p: &BandPanel,
    axis: &TimeAxis,
    x_labels: XLabels,
    look: &Look,
) -> anyhow::Result<BandChart<'a, DB>> {
    let (w, body_h) = body.dim_in_pixel();
    let ya = panel::y_area(look);
    let plot_w = w.saturating_sub(ya + panel::RIGHT).max(100);
    let (y0, y1) = p.y_range;
    let room = look.tick_room(plot_w);
    let ticks = axis.ticks(room);
    let n_y = (body_h as usize / look.upx(40).max(1) as usize).clamp(2, 6);
    let x_h = look.px(if x_labels == XLabels::Full { 78 } else { 40 });
    let mut chart = ChartBuilder::on(body)
        .margin_right(panel::RIGHT)
        .margin_top(4)
        .x_label_area_size(x_h)
        .y_label_area_size(ya)
        .build_cartesian_2d(axis.spec(room), y0..y1)
        .or_draw()?;
    let xfmt = |x: &f64| axis.tick_label(*x, &ticks);
    let yfmt = |y: &f64| y_label(*y, y1 - y0, p.y_format);
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(style::LIGHT.mix(0.7))
        .light_line_style(TRANSPARENT)
        .axis_style(style::DARK.stroke_width(2))
        .label_style(font(look.tick(), okabe_ito::BLACK))
        .axis_desc_style(font(look.label().saturating_sub(2), okabe_ito::BLACK))
        .x_label_formatter(&xfmt)
        .y_label_formatter(&yfmt)
        .y_labels(n_y)
        .y_desc(&p.y_label);
    if x_labels == XLabels::Full {
        mesh.x_desc(axis.label());
    }
    mesh.draw().or_draw()?;
    Ok(chart)
}

impl Figure for PopulationFigure<'_> {
    fn size(&self) -> (u32, u32) {
        self.opts.size_or(SIZE)
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let pop = self.pop;
        let colour = style::main_drug(&pop.setup.drugs)
            .map(style::drug_colour)
            .unwrap_or(okabe_ito::BLACK);
        let look = self.look();
        let (title, sub) = self.headings(&look);
        let picked = self
            .opts
            .pick("population", &PANELS)
            .map_err(|e| anyhow::anyhow!("--panels: {e}"))?;
        let title = self.opts.title_or(&title);
        let foot = "synsim population \u{00b7} shaded: spread between patients";
        let mut doses = DoseMark::from_doses(&pop.setup.doses);
        if look.print {
            doses = DoseMark::for_print(doses);
        }
        let titles: Vec<String> = picked
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let number = if self.opts.picked() { k + 1 } else { i + 1 };
                format!("{number}  {}", look.say(TITLES[i]))
            })
            .collect();
        let parts = self.parts(&picked, &titles, colour, &doses, &look);
        let look = fitted_look(root, (&title, &sub, foot), &parts, &picked, &look);
        let area = canvas::title(root, &look, &title, Some(&sub))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        self.draw_parts(area, &parts, &picked, &doses, &look)
    }
}

/// The x labels of the `k`-th of `n` stacked panels: the axis title under
/// the lowest only.
fn stack_x_labels(k: usize, n: usize) -> XLabels {
    if k + 1 == n {
        XLabels::Full
    } else {
        XLabels::Ticks
    }
}

/// All text as large as `look` asks, or as large as leaves the panels
/// (`parts`, the `picked` ones) of `root` room under `title` and `sub` and
/// above `foot`.
fn fitted_look<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (title, sub, foot): (&str, &str, &str),
    parts: &[Part],
    picked: &[usize],
    look: &Look,
) -> Look {
    let total: i32 = picked.iter().map(|&i| WEIGHTS[i]).sum::<i32>().max(1);
    let (w, h) = root.dim_in_pixel();
    canvas::fitted(look, |l| {
        let head = canvas::title_height(root, l, title, Some(sub))
            + canvas::footer_height(root, l, DISCLAIMER, foot);
        let room = h as i32 - head;
        parts.iter().zip(picked).enumerate().all(|(k, (part, &i))| {
            let cell = (w as i32 - 10, room * WEIGHTS[i] / total - 16);
            let entries = match part {
                Part::Bands(p, _) => band_legend(p, l),
                Part::Rates(p) => p.legend_entries(),
            };
            panel::fits(
                root,
                None,
                &entries,
                cell,
                stack_x_labels(k, parts.len()),
                l,
            )
        })
    })
}

/// The panels' titles (without their numbers).
const TITLES: [&str; 3] = [
    "Symptoms of every patient (illustrative score; lower = better)",
    "Synapse (spine) density",
    "Share of patients in response and in remission",
];

/// One panel of the figure: percentile bands (with the dose marks or not)
/// or the response and remission rates.
enum Part<'a> {
    Bands(BandPanel<'a>, bool),
    Rates(Panel),
}

impl PopulationFigure<'_> {
    /// The title and subtitle: the scenario, how many patients, the
    /// regimen, how they differ and the seed.
    fn headings(&self, look: &Look) -> (String, String) {
        let pop = self.pop;
        let s = &pop.setup.scenario;
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
        let differ = look
            .say("patients differ in PK, receptor sensitivity, illness severity and plasticity");
        let sub = format!("{regimen} \u{00b7} {differ} \u{00b7} seed {}", pop.seed);
        (title, sub)
    }

    /// The `picked` panels with their `titles`, in the drug's `colour`;
    /// the score panel explains the dose marks `doses` when no rates panel
    /// does.
    fn parts<'b>(
        &'b self,
        picked: &[usize],
        titles: &'b [String],
        colour: RGBColor,
        doses: &[DoseMark],
        look: &Look,
    ) -> Vec<Part<'b>> {
        picked
            .iter()
            .zip(titles)
            .map(|(&i, title)| match i {
                0 => {
                    let mut p = self.score_panel(title, colour);
                    // The rates panel explains the dose marks; without it, this one does.
                    if !picked.contains(&2) {
                        p.keys = self.dose_keys(doses);
                    }
                    Part::Bands(p, true)
                }
                1 => Part::Bands(self.synapse_panel(title, colour), false),
                _ => Part::Rates(self.rate_panel(title, colour).styled(look)),
            })
            .collect()
    }

    /// The panels stacked in `area`, each its share of the height; the
    /// dose marks `doses` on the panels that carry them.
    fn draw_parts<DB: DrawingBackend>(
        &self,
        area: DrawingArea<DB, Shift>,
        parts: &[Part],
        picked: &[usize],
        doses: &[DoseMark],
        look: &Look,
    ) -> anyhow::Result<()> {
        let total: i32 = picked.iter().map(|&i| WEIGHTS[i]).sum::<i32>().max(1);
        let (_, h) = area.dim_in_pixel();
        let mut rest = area;
        for (k, (part, &i)) in parts.iter().zip(picked).enumerate() {
            let last = k + 1 == parts.len();
            let (cell, below) = if last {
                (rest.clone(), rest.clone())
            } else {
                rest.split_vertically(h as i32 * WEIGHTS[i] / total)
            };
            let cell = cell.margin(4, 4, 6, 10);
            let x_labels = stack_x_labels(k, parts.len());
            match part {
                Part::Bands(p, with_doses) => {
                    let marks: &[DoseMark] = if *with_doses { doses } else { &[] };
                    let t = &self.bands.time_h;
                    draw_band_panel(&cell, p, t, &self.axis, marks, x_labels, look)?;
                }
                Part::Rates(p) => draw_panel(&cell, p, &self.axis, x_labels, look)?,
            }
            rest = below;
        }
        Ok(())
    }

    fn score_panel<'b>(&'b self, title: &'b str, colour: RGBColor) -> BandPanel<'b> {
        let s = &self.pop.setup.scenario;
        let typical = s.params[synsim_core::params::id::BASELINE_SCORE];
        let individuals: Vec<&[f64]> = self
            .pop
            .patients
            .iter()
            .filter_map(|p| p.trace.as_deref())
            .take(5)
            .collect();
        let score = self.bands.get("symptom_score").unwrap_or(&[]);
        let top = score.iter().map(|q| q[4]).fold(typical, f64::max);
        BandPanel {
            title,
            y_label: "score (0\u{2013}60)".into(),
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
            keys: Vec::new(),
        }
    }

    fn synapse_panel<'b>(&'b self, title: &'b str, colour: RGBColor) -> BandPanel<'b> {
        let syn = self.bands.get("synapse_density_rel").unwrap_or(&[]);
        let (lo, hi) = syn
            .iter()
            .fold((1.0_f64, 1.0_f64), |(l, h), q| (l.min(q[0]), h.max(q[4])));
        let pad = 0.08 * (hi - lo).max(0.05);
        BandPanel {
            title,
            y_label: self.opts.look().say("% of healthy"),
            pct: syn,
            colour,
            individuals: Vec::new(),
            refs: vec![(1.0, "healthy".into(), quantity::HEALTHY)],
            y_range: (lo - pad, hi + 2.5 * pad),
            y_format: YFormat::Percent,
            keys: Vec::new(),
        }
    }

    /// Legend keys of the dose marks `marks` (as drawn), one per drug.
    fn dose_keys(&self, marks: &[DoseMark]) -> Vec<LegendEntry> {
        let mut keys: Vec<LegendEntry> = Vec::new();
        for (d, m) in self.pop.setup.doses.iter().zip(marks) {
            let label = if d.drug == synsim_core::regimen::Drug::Placebo {
                "placebo dose".to_string()
            } else {
                format!("{} dose", d.drug.name())
            };
            if !keys.iter().any(|k| k.label == label) {
                keys.push(LegendEntry {
                    label,
                    swatch: panel::dose_swatch(m),
                });
            }
        }
        keys
    }

    fn rate_panel(&self, title: &str, colour: RGBColor) -> Panel {
        let b = self.bands;
        let mut rate = Panel::new(title, "% of patients");
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
        rate.doses = DoseMark::from_doses(&self.pop.setup.doses);
        for d in &self.pop.setup.drugs {
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
        rate
    }
}

/// Writes DIR/population.png and DIR/population.svg (nothing without bands).
pub fn figure(pop: &Population, dir: &Path, opts: &FigureOptions) -> anyhow::Result<Vec<PathBuf>> {
    let Some(bands) = &pop.bands else {
        return Ok(Vec::new());
    };
    let start = bands.time_h.first().copied().unwrap_or(0.0);
    let end = bands.time_h.last().copied().unwrap_or(1.0);
    let fig = PopulationFigure {
        pop,
        bands,
        axis: TimeAxis::new(start, end, false),
        opts: opts.clone(),
    };
    canvas::save_png_svg(&fig, dir, "population")
}
