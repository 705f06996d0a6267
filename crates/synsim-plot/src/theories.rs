//! The theory switchboard made visible: one scenario run with both
//! mechanisms, with each alone and with neither, shown per observable.

use super::canvas::{self, Dash, Figure, LegendEntry};
use super::compare::Quantity;
use super::dashboard::{changes_line, healthy_ref, score_refs, series_of, DISCLAIMER};
use super::panel::{draw_panel, DoseMark, Panel, RefLine, Series, XLabels, YFormat};
use super::style::{self, okabe_ito, quantity};
use super::timeaxis::TimeAxis;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use synsim_core::run::RunResult;

/// Figure size, px.
pub const SIZE: (u32, u32) = (1920, 1200);

pub use synsim_core::experiments::theories::{Variant, VARIANTS};

/// Line colour, pattern and width of a setting. Each of the four has its own
/// colour and its own pattern, so they stay apart in grey-scale and under
/// colour-vision deficiencies (none is a drug colour or the reference grey);
/// the full model is drawn underneath, thickest, so a line on top of it
/// shows as a pattern inside a black band.
pub fn line_style(v: &Variant) -> (RGBColor, Dash, u32) {
    match v.key {
        "all" => (okabe_ito::BLACK, Dash::Solid, 9),
        "disinhibition-only" => (okabe_ito::VERMILLION, Dash::Dashed, 5),
        "synaptogenesis-only" => (okabe_ito::SKY_BLUE, Dash::Long, 5),
        _ => (okabe_ito::ORANGE, Dash::Dotted, 5),
    }
}

/// Groups of settings whose lines coincide for quantity `q` (every pair in
/// a group differs by at most 1 % of the panel's span at every row), as
/// text such as "disinhibition only = both theories", or `None`.
pub fn coincide(runs: &[RunResult], q: usize) -> Option<String> {
    let get = QUANTITIES[q].1;
    let vals: Vec<Vec<f64>> = runs
        .iter()
        .map(|r| r.rows.iter().map(get).collect())
        .collect();
    let (lo, hi) = vals
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let tol = 0.01 * (hi - lo).max(1e-9);
    let same = |i: usize, j: usize| {
        vals[i].len() == vals[j].len()
            && vals[i]
                .iter()
                .zip(&vals[j])
                .all(|(a, b)| (a - b).abs() <= tol)
    };
    let mut taken = vec![false; runs.len()];
    let mut groups: Vec<String> = Vec::new();
    for i in 0..runs.len() {
        if taken[i] {
            continue;
        }
        let members: Vec<usize> = (i..runs.len())
            .filter(|&j| !taken[j] && same(i, j))
            .collect();
        for &j in &members {
            taken[j] = true;
        }
        if members.len() > 1 {
            let names: Vec<&str> = members.iter().map(|&k| VARIANTS[k].short).collect();
            groups.push(names.join(" = "));
        }
    }
    (!groups.is_empty()).then(|| format!("same line: {}", groups.join("; ")))
}

/// What the "synaptogenesis only" setting shows, read from the runs: its
/// lowest score compared with "neither", in words for the figure.
pub fn synaptogenesis_only_note(runs: &[RunResult]) -> String {
    let k = VARIANTS
        .iter()
        .position(|v| v.key == "synaptogenesis-only")
        .unwrap_or(2);
    let n = VARIANTS
        .iter()
        .position(|v| v.key == "neither")
        .unwrap_or(3);
    let best = |r: &RunResult| {
        r.rows
            .iter()
            .filter(|o| o.time_h >= 0.0)
            .map(|o| o.symptom_score)
            .fold(f64::INFINITY, f64::min)
    };
    let min_syn = runs[k]
        .rows
        .iter()
        .map(|o| o.synapse_density_rel)
        .fold(f64::INFINITY, f64::min);
    let worse = best(&runs[k]) > best(&runs[n]) + 0.05
        || min_syn < runs[k].reference.baseline_synapse - 1e-3;
    if worse {
        "synaptogenesis only: with disinhibition off the block falls on the pyramidal cells, \
         so glutamate and mTOR dip below even the untreated level; no spines form and the \
         score is no better than with neither \u{2014} theory 2 needs theory 1's surge to start"
            .into()
    } else {
        "synaptogenesis only: with disinhibition off there is no glutamate surge to drive \
         BDNF/mTOR, so few spines form \u{2014} theory 2 needs theory 1's surge to start"
            .into()
    }
}

/// The observables shown, in panel order.
pub const QUANTITIES: [Quantity; 4] = [
    ("glutamate_rel", |o| o.glutamate_rel),
    ("mtor_rel", |o| o.mtor_rel),
    ("synapse_density_rel", |o| o.synapse_density_rel),
    ("symptom_score", |o| o.symptom_score),
];

/// The switchboard figure: `runs[k]` is the run with `VARIANTS[k]`.
pub struct Theories<'a> {
    /// One run per variant, in [`VARIANTS`] order.
    pub runs: &'a [RunResult],
    /// Shared time axis.
    pub axis: TimeAxis,
}

impl Theories<'_> {
    fn panel(&self, title: &str, y_label: &str, q: usize) -> Panel {
        let mut p = Panel::new(title, y_label);
        for (v, r) in VARIANTS.iter().zip(self.runs) {
            let s = Series::new(
                v.label,
                line_style(v).0,
                line_style(v).1,
                series_of(&r.dense, QUANTITIES[q].1),
            )
            .width(line_style(v).2);
            p.series.push(s);
        }
        p.legend = false;
        p.doses = DoseMark::from_doses(&self.runs[0].doses);
        p
    }

    fn panels(&self) -> Vec<Panel> {
        let refr = self.runs[0].reference;
        // Theory 1's switch changes the glutamate surge; mTOR is upstream of
        // theory 2's switch (it follows the surge whether or not spines may
        // form); theory 2's switch acts on spine formation.
        let mut glu = self.panel("Glutamate tone (theory 1 acts here)", "\u{00d7} healthy", 0);
        glu.refs.push(healthy_ref(1.0));
        let mut mtor = self.panel(
            "mTOR activity (follows the surge; feeds theory 2)",
            "\u{00d7} healthy",
            1,
        );
        mtor.refs.push(healthy_ref(1.0));
        let mut syn = self.panel("Synapses (theory 2 acts here)", "% of healthy", 2);
        syn.refs.push(healthy_ref(refr.healthy_synapse));
        if (refr.baseline_synapse - refr.healthy_synapse).abs() > 1e-3 {
            syn.refs.push(RefLine {
                y: refr.baseline_synapse,
                label: "untreated (depressed)".into(),
                colour: quantity::UNTREATED,
            });
        }
        syn.y_format = YFormat::Percent;
        let mut score = self.panel("Symptoms (illustrative score)", "score (0\u{2013}60)", 3);
        score_refs(&mut score, &self.runs[0]);
        let top = self
            .runs
            .iter()
            .flat_map(|r| r.dense.iter().map(|o| o.symptom_score))
            .fold(refr.baseline_score, f64::max);
        score.y_range = Some((0.0, (top * 1.3).clamp(20.0, 70.0)));
        let mut panels = vec![glu, mtor, syn, score];
        for (q, p) in panels.iter_mut().enumerate() {
            p.remark = coincide(self.runs, q);
        }
        panels
    }
}

impl Figure for Theories<'_> {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.runs.len() == VARIANTS.len(),
            "the theories figure needs one run per variant"
        );
        let s = &self.runs[0].scenario;
        let title = format!("Two theories, one treatment: {}", s.title);
        let mut sub = String::from(
            "theory 1: disinhibition (interneurons blocked \u{2192} glutamate surge) \u{00b7} \
             theory 2: synaptogenesis (BDNF/mTOR \u{2192} new spines)",
        );
        sub.push('\n');
        sub.push_str(&synaptogenesis_only_note(self.runs));
        // The two switches are what this figure varies; other changes are listed.
        let mut shown = s.clone();
        shown.changes.retain(|c| {
            !c.starts_with("mechanisms.disinhibition ")
                && !c.starts_with("mechanisms.synaptogenesis ")
        });
        if let Some(c) = changes_line(&shown) {
            sub.push('\n');
            sub.push_str(&c);
        }
        let area = canvas::title(root, &title, Some(&sub))?;
        let area = canvas::footer(
            &area,
            DISCLAIMER,
            "synsim theories: mechanisms.disinhibition / mechanisms.synaptogenesis",
        )?;
        let (w, _) = area.dim_in_pixel();
        let mut entries: Vec<LegendEntry> = VARIANTS
            .iter()
            .map(|v| {
                let (c, d, w) = line_style(v);
                LegendEntry::line(v.label, c, d, w.min(6))
            })
            .collect();
        if let Some(d) = self.runs[0].doses.first() {
            entries.push(super::panel::dose_legend(
                "dose",
                style::drug_colour(d.drug),
            ));
        }
        let infusion = self.runs[0].doses.iter().find(|d| d.duration_h > 0.0);
        if let Some(d) = infusion
            .filter(|_| super::panel::infusion_visible(&self.axis, &self.runs[0].doses, SIZE.0 / 2))
        {
            entries.push(super::panel::infusion_legend(style::drug_colour(d.drug)));
        }
        let x0 = super::panel::Y_AREA as i32;
        let lw = w as i32 - 2 * x0;
        let lh = canvas::legend_height(&area, &entries, lw, style::LEGEND + 2);
        canvas::legend_rows(&area, &entries, (x0, 0), lw, style::LEGEND + 2)?;
        let area = area.split_vertically(lh + 8).1;
        let cells = area.split_evenly((2, 2));
        for (k, (cell, p)) in cells.iter().zip(self.panels()).enumerate() {
            let xl = if k >= 2 {
                XLabels::Full
            } else {
                XLabels::Ticks
            };
            draw_panel(&cell.margin(4, 4, 6, 10), &p, &self.axis, xl)?;
        }
        Ok(())
    }
}

/// Writes DIR/STEM.png and .svg; `runs` holds one run per [`VARIANTS`] entry.
pub fn write(
    runs: &[RunResult],
    dir: &Path,
    stem: &str,
    log_time: bool,
) -> anyhow::Result<Vec<PathBuf>> {
    anyhow::ensure!(
        runs.len() == VARIANTS.len(),
        "the theories figure needs one run per variant"
    );
    let start = runs[0].dense.first().map(|o| o.time_h).unwrap_or(0.0);
    let end = runs[0].dense.last().map(|o| o.time_h).unwrap_or(1.0);
    let fig = Theories {
        runs,
        axis: TimeAxis::new(start, end, log_time),
    };
    canvas::save_png_svg(&fig, dir, stem)
}
