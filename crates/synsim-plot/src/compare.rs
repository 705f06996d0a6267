//! Several scenarios on the same axes: the figure that answers "why hours
//! for ketamine, weeks for an SSRI?".

use super::canvas::{self, Dash, Figure, LegendEntry};
use super::dashboard::{healthy_ref, score_refs, series_of, DISCLAIMER};
use super::panel::{self, draw_panel, Panel, RefLine, Series, XLabels, YFormat};
use super::style::{self, quantity};
use super::timeaxis::TimeAxis;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};
pub use synsim_core::experiments::compare::{table, table_grid, Quantity, QUANTITIES};
use synsim_core::model::Observables;
use synsim_core::run::RunResult;

/// Figure size, px.
pub const SIZE: (u32, u32) = (1920, 1300);

/// Controls (placebo, no treatment) are dashed so lines under them show through.
fn control_dash(r: &RunResult) -> Dash {
    match style::main_drug(&r.drugs) {
        None | Some(synsim_core::regimen::Drug::Placebo) => Dash::Dashed,
        Some(_) => Dash::Solid,
    }
}

/// The comparison figure.
pub struct Compare<'a> {
    /// (label, run) in legend order.
    pub runs: &'a [(String, &'a RunResult)],
    /// Shared time axis.
    pub axis: TimeAxis,
    /// Title.
    pub title: String,
    /// Extra subtitle lines (changes made to every run, the common length).
    pub notes: Vec<String>,
}

impl Compare<'_> {
    fn colours(&self) -> Vec<RGBColor> {
        let main: Vec<_> = self
            .runs
            .iter()
            .map(|(_, r)| style::main_drug(&r.drugs))
            .collect();
        style::scenario_colours(&main)
    }

    /// Earlier runs are drawn wider, so where runs coincide (same drug, same
    /// first dose) each still shows as a coloured stripe.
    fn width(&self, k: usize) -> u32 {
        let n = self.runs.len();
        (3 + 2 * (n - 1 - k.min(n - 1)) as u32).min(8)
    }

    fn panel(&self, title: &str, y_label: &str, get: fn(&Observables) -> f64) -> Panel {
        let mut p = Panel::new(title, y_label);
        for (k, ((label, r), c)) in self.runs.iter().zip(self.colours()).enumerate() {
            p.series.push(
                Series::new(label.clone(), c, control_dash(r), series_of(&r.dense, get))
                    .width(self.width(k)),
            );
        }
        p.legend = false;
        p
    }

    fn panels(&self) -> Vec<Panel> {
        let first = self.runs[0].1.reference;
        let mut score = self.panel(
            "Symptoms (illustrative score)",
            "score (0\u{2013}60)",
            |o| o.symptom_score,
        );
        score_refs(&mut score, self.runs[0].1);
        let top = self
            .runs
            .iter()
            .flat_map(|(_, r)| r.dense.iter().map(|o| o.symptom_score))
            .fold(first.baseline_score, f64::max);
        score.y_range = Some((0.0, (top * 1.25).clamp(20.0, 70.0)));
        let mut syn = self.panel("Synapses", "% of healthy", |o| o.synapse_density_rel);
        syn.refs.push(healthy_ref(first.healthy_synapse));
        if (first.baseline_synapse - first.healthy_synapse).abs() > 1e-3 {
            syn.refs.push(RefLine {
                y: first.baseline_synapse,
                label: "untreated (depressed)".into(),
                colour: quantity::UNTREATED,
            });
        }
        syn.y_format = YFormat::Percent;
        let mut glu = self.panel("Glutamate tone (theory 1)", "\u{00d7} healthy", |o| {
            o.glutamate_rel
        });
        glu.refs.push(healthy_ref(1.0));
        let mut dis = self.panel(
            "Dissociation (acute side effect)",
            "index (0\u{2013}1)",
            |o| o.dissociation,
        );
        dis.y_range = Some((0.0, 1.0));
        vec![score, syn, glu, dis]
    }

    fn draw_strip<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let rows: Vec<(RGBColor, Vec<panel::DoseMark>)> = self
            .runs
            .iter()
            .zip(self.colours())
            .map(|((_, r), c)| {
                let marks = panel::DoseMark::from_doses(&r.doses)
                    .into_iter()
                    .map(|m| panel::DoseMark { colour: c, ..m })
                    .collect();
                (c, marks)
            })
            .collect();
        panel::draw_dose_strip(area, "Doses", &rows, &self.axis)
    }
}

impl Figure for Compare<'_> {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        anyhow::ensure!(!self.runs.is_empty(), "nothing to compare");
        let mut names: Vec<&str> = Vec::new();
        for (_, r) in self.runs {
            if !names.contains(&r.scenario.name.as_str()) {
                names.push(&r.scenario.name);
            }
        }
        let mut sub = format!(
            "the same illustrative patient \u{00b7} scenario{} {}",
            if names.len() > 1 { "s" } else { "" },
            names.join(", ")
        );
        for n in &self.notes {
            sub.push('\n');
            sub.push_str(n);
        }
        let area = canvas::title(root, &self.title, Some(&sub))?;
        let area = canvas::footer(&area, DISCLAIMER, "synsim compare")?;
        let (w, _) = area.dim_in_pixel();
        let entries: Vec<LegendEntry> = self
            .runs
            .iter()
            .zip(self.colours())
            .enumerate()
            .map(|(k, ((l, r), c))| {
                LegendEntry::line(l.clone(), c, control_dash(r), self.width(k).max(4))
            })
            .collect();
        let lh = canvas::legend_height(
            &area,
            &entries,
            w as i32 - 2 * panel::Y_AREA as i32,
            style::LEGEND + 2,
        );
        canvas::legend_rows(
            &area,
            &entries,
            (panel::Y_AREA as i32, 0),
            w as i32 - 2 * panel::Y_AREA as i32,
            style::LEGEND + 2,
        )?;
        let area = area.split_vertically(lh + 6).1;
        let strip_h = 46 + 24 * self.runs.len() as i32;
        let (strip, rest) = area.split_vertically(strip_h);
        self.draw_strip(&strip.margin(0, 0, 6, 10))?;
        let panels = self.panels();
        let (_, h) = rest.dim_in_pixel();
        // The score gets the most room: it is the question being asked.
        let h = h as i32;
        let heights = [h * 32 / 100, h * 24 / 100, h * 21 / 100];
        let (a, r1) = rest.split_vertically(heights[0]);
        let (b, r2) = r1.split_vertically(heights[1]);
        let (c, d) = r2.split_vertically(heights[2]);
        for (k, (cell, p)) in [a, b, c, d].iter().zip(&panels).enumerate() {
            let xl = if k == 3 {
                XLabels::Full
            } else {
                XLabels::Ticks
            };
            draw_panel(&cell.margin(4, 0, 6, 10), p, &self.axis, xl)?;
        }
        Ok(())
    }
}

/// Writes DIR/STEM.png and .svg comparing `runs` (legend label, run) on one
/// axis, with `title` and extra subtitle lines `notes`.
pub fn write(
    runs: &[(String, &RunResult)],
    dir: &Path,
    stem: &str,
    log_time: bool,
    title: &str,
    notes: &[String],
) -> anyhow::Result<Vec<PathBuf>> {
    anyhow::ensure!(!runs.is_empty(), "nothing to compare");
    let start = runs
        .iter()
        .filter_map(|(_, r)| r.dense.first())
        .map(|o| o.time_h)
        .fold(0.0, f64::min);
    let end = runs
        .iter()
        .filter_map(|(_, r)| r.dense.last())
        .map(|o| o.time_h)
        .fold(1.0, f64::max);
    let fig = Compare {
        runs,
        axis: TimeAxis::new(start, end, log_time),
        title: title.to_string(),
        notes: notes.to_vec(),
    };
    canvas::save_png_svg(&fig, dir, stem)
}
