//! The theory switchboard made visible: one scenario run with both
//! mechanisms, with each alone and with neither, shown per observable.

use super::canvas::{self, Dash, Figure, LegendEntry};
use super::compare::Quantity;
use super::dashboard::{healthy_ref, score_refs, series_of, DISCLAIMER};
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

/// Line colour, pattern and width of a setting: theory 1 takes the
/// glutamate colour, theory 2 the BDNF colour; the full model is drawn
/// underneath, thickest.
pub fn line_style(v: &Variant) -> (RGBColor, Dash, u32) {
    match v.key {
        "all" => (okabe_ito::BLACK, Dash::Solid, 8),
        "disinhibition-only" => (quantity::EXC, Dash::Dashed, 4),
        "synaptogenesis-only" => (quantity::BDNF, Dash::Dashed, 4),
        "neither" => (okabe_ito::GREY, Dash::Dotted, 4),
        _ => (okabe_ito::GREY, Dash::Dotted, 4),
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
        let mut glu = self.panel("Glutamate tone (theory 1 acts here)", "\u{00d7} healthy", 0);
        glu.refs.push(healthy_ref(1.0));
        let mut mtor = self.panel("mTOR activity (theory 2 acts here)", "\u{00d7} healthy", 1);
        mtor.refs.push(healthy_ref(1.0));
        let mut syn = self.panel("Synapses", "% of healthy", 2);
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
        score_refs(
            &mut score,
            refr.baseline_score,
            refr.response_score,
            refr.remission_score,
        );
        let top = self
            .runs
            .iter()
            .flat_map(|r| r.dense.iter().map(|o| o.symptom_score))
            .fold(refr.baseline_score, f64::max);
        score.y_range = Some((0.0, (top * 1.3).clamp(20.0, 70.0)));
        vec![glu, mtor, syn, score]
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
        let title = format!("Two theories, one treatment: {}", s.name);
        let sub =
            "theory 1: disinhibition (interneurons blocked \u{2192} glutamate surge) \u{00b7} \
                   theory 2: synaptogenesis (BDNF/mTOR \u{2192} new spines)";
        let area = canvas::title(root, &title, Some(sub))?;
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
