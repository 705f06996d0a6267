//! The dashboard of one run: the whole chain, dose to symptoms, in six panels
//! on one time axis. Left column: drug, receptors, transmitters (the fast
//! part); right column: signalling, synapses, symptoms (the slow part).

use super::canvas::{self, Dash, Figure};
use super::options::FigureOptions;
use super::panel::{self, DoseMark, Panel, RefLine, Series, YFormat};
use super::style::{self, quantity, Look};
use super::timeaxis::TimeAxis;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use synsim_core::circuit::Circuit;
use synsim_core::model::Observables;
use synsim_core::regimen::Drug;
use synsim_core::run::RunResult;

/// Dashboard size, px (16:10, fits a slide).
pub const SIZE: (u32, u32) = (1920, 1200);

/// The panels, by the name `--panels` uses, with what each shows.
pub const PANELS: [(&str, &str); 6] = [
    ("plasma", "plasma concentration of each drug"),
    ("receptors", "NMDA block, SERT occupancy, dissociation"),
    (
        "glutamate",
        "glutamate & GABA, pyramidal and interneuron activity",
    ),
    ("bdnf", "BDNF & mTOR (and serotonin with an SSRI)"),
    ("synapses", "synapse density"),
    ("score", "the illustrative symptom score"),
];

/// The footer every figure carries.
pub const DISCLAIMER: &str = "Illustrative teaching model \u{2014} not clinical advice";

/// (time_h, f(row)) for every row.
pub fn series_of(rows: &[Observables], f: impl Fn(&Observables) -> f64) -> Vec<(f64, f64)> {
    rows.iter().map(|o| (o.time_h, f(o))).collect()
}

/// The time axis covering a run (run-in included on a linear axis).
pub fn run_axis(r: &RunResult, log: bool) -> TimeAxis {
    let start = r.dense.first().map(|o| o.time_h).unwrap_or(0.0);
    let end = r.dense.last().map(|o| o.time_h).unwrap_or(1.0);
    TimeAxis::new(start, end, log)
}

/// One observable read from a row.
type Getter = fn(&Observables) -> f64;

/// Panel 1: each drug's plasma concentration (solid) and its metabolite's
/// (dashed), with the dose legend.
pub fn plasma_panel(r: &RunResult) -> Panel {
    let mut p = Panel::new("1  Plasma concentration", "ng/mL");
    let rows = &r.dense;
    for d in &r.drugs {
        let c = style::drug_colour(*d);
        // Each drug solid, its metabolite (if the model has one) dashed.
        let lines: &[(&str, Getter)] = match d {
            Drug::Ketamine => &[
                ("ketamine", |o| o.plasma.ketamine),
                ("norketamine (metabolite)", |o| o.plasma.norketamine),
            ],
            Drug::Esketamine => &[
                ("esketamine", |o| o.plasma.esketamine),
                ("noresketamine (metabolite)", |o| o.plasma.noresketamine),
            ],
            Drug::Escitalopram => &[("escitalopram", |o| o.plasma.escitalopram)],
            Drug::Placebo => &[],
        };
        for (k, &(label, get)) in lines.iter().enumerate() {
            let dash = if k == 0 { Dash::Solid } else { Dash::Dashed };
            p.series
                .push(Series::new(label, c, dash, series_of(rows, get)));
        }
    }
    if p.series.is_empty() {
        p.note = Some(if r.doses.is_empty() {
            "no treatment".into()
        } else {
            "no drug in the blood (placebo)".into()
        });
        p.y_range = Some((0.0, 1.0));
    }
    p.doses = DoseMark::from_doses(&r.doses);
    for d in &r.drugs {
        let label = if *d == Drug::Placebo {
            "placebo session".to_string()
        } else {
            format!("{} dose", d.name())
        };
        p.extra_legend
            .push(panel::dose_legend(label, style::drug_colour(*d)));
    }
    if let Some(inf) = r.doses.iter().find(|d| d.duration_h > 0.0) {
        p.extra_legend
            .push(panel::infusion_legend(style::drug_colour(inf.drug)));
    }
    p.min_span = 1.0;
    p
}

/// Panel 2: NMDA block on pyramidal cells and interneurons, SERT occupancy,
/// and the dissociation side-effect index.
pub fn receptor_panel(r: &RunResult) -> Panel {
    let rows = &r.dense;
    let mut p = Panel::new("2  Receptor block", "% (0\u{2013}100)");
    let nmda = r
        .drugs
        .iter()
        .any(|d| matches!(d, Drug::Ketamine | Drug::Esketamine));
    p.series.push(Series::new(
        "NMDA block, pyramidal cells",
        quantity::EXC,
        Dash::Solid,
        series_of(rows, |o| o.occupancy.nmda),
    ));
    p.series.push(Series::new(
        "NMDA block, interneurons",
        quantity::INH,
        Dash::Solid,
        series_of(rows, |o| o.occupancy.nmda_interneuron),
    ));
    if r.drugs.contains(&Drug::Escitalopram) {
        p.series.push(Series::new(
            "SERT occupancy",
            quantity::SERT,
            Dash::Solid,
            series_of(rows, |o| o.occupancy.sert),
        ));
    }
    if nmda {
        p.series.push(
            Series::new(
                "dissociation (side effect)",
                quantity::DISSOCIATION,
                Dash::Dotted,
                series_of(rows, |o| o.dissociation),
            )
            .width(3),
        );
    }
    p.doses = DoseMark::from_doses(&r.doses);
    p.y_range = Some((0.0, 1.15));
    p.y_format = YFormat::Percent;
    p
}

/// Panel 3: pyramidal and interneuron activity with glutamate and GABA tone,
/// all relative to the healthy resting level.
pub fn transmitter_panel(r: &RunResult) -> Panel {
    let rows = &r.dense;
    let (e0, i0) = Circuit::new(&r.scenario.params).fixed_point((0.03, 0.02));
    let mut p = Panel::new("3  Glutamate & GABA (theory 1)", "\u{00d7} healthy");
    p.series.push(
        Series::new(
            "pyramidal (E) activity",
            quantity::EXC,
            Dash::Dotted,
            series_of(rows, |o| o.exc_activity / e0),
        )
        .width(3),
    );
    p.series.push(
        Series::new(
            "interneuron (I) activity",
            quantity::INH,
            Dash::Dotted,
            series_of(rows, |o| o.inh_activity / i0),
        )
        .width(3),
    );
    p.series.push(Series::new(
        "glutamate",
        quantity::EXC,
        Dash::Solid,
        series_of(rows, |o| o.glutamate_rel),
    ));
    p.series.push(Series::new(
        "GABA",
        quantity::INH,
        Dash::Solid,
        series_of(rows, |o| o.gaba_rel),
    ));
    p.refs.push(healthy_ref(1.0));
    p.doses = DoseMark::from_doses(&r.doses);
    p.min_span = 0.3;
    // Why a depressed patient's lines part: weaker inhibition makes the
    // cells fire more, while the slower glutamate-GABA cycling leaves less
    // transmitter in the tissue (docs/MODEL.md section 4).
    if r.scenario.params.flag(synsim_core::params::id::DEPRESSED) {
        p.remark = Some(
            "dotted: firing; solid: tissue transmitter (MRS). Depressed: more firing, less transmitter"
                .into(),
        );
    }
    p
}

/// Panel 4: BDNF and mTOR relative to healthy.
pub fn signalling_panel(r: &RunResult) -> Panel {
    let rows = &r.dense;
    let mut p = Panel::new("4  BDNF & mTOR (theory 2)", "\u{00d7} healthy");
    p.series.push(Series::new(
        "BDNF",
        quantity::BDNF,
        Dash::Solid,
        series_of(rows, |o| o.bdnf_rel),
    ));
    p.series.push(Series::new(
        "mTOR",
        quantity::MTOR,
        Dash::Dashed,
        series_of(rows, |o| o.mtor_rel),
    ));
    // The SSRI's slow route: synaptic serotonin rises only as the 5-HT1A
    // autoreceptors desensitise, and that is what drives BDNF up over weeks.
    if r.drugs.contains(&Drug::Escitalopram) {
        p.title = "4  Serotonin, BDNF & mTOR (SSRI route)".into();
        p.series.push(Series::new(
            "serotonin tone",
            quantity::SERT,
            Dash::Solid,
            series_of(rows, |o| o.serotonin_rel),
        ));
        p.series.push(Series::new(
            "5-HT1A autoreceptor sensitivity",
            quantity::SERT,
            Dash::Dotted,
            series_of(rows, |o| o.autoreceptor),
        ));
    }
    p.refs.push(healthy_ref(1.0));
    p.doses = DoseMark::from_doses(&r.doses);
    p.min_span = 0.3;
    p
}

/// Panel 5: synapse density with the healthy and untreated levels.
pub fn synapse_panel(r: &RunResult) -> Panel {
    let mut p = Panel::new("5  Synapses", "% of healthy");
    p.series.push(
        Series::new(
            "synapse (spine) density",
            quantity::OUTCOME,
            Dash::Solid,
            series_of(&r.rows, |o| o.synapse_density_rel),
        )
        .width(5),
    );
    p.refs.push(healthy_ref(r.reference.healthy_synapse));
    if (r.reference.baseline_synapse - r.reference.healthy_synapse).abs() > 1e-3 {
        p.refs.push(RefLine {
            y: r.reference.baseline_synapse,
            label: "untreated (depressed)".into(),
            colour: quantity::UNTREATED,
        });
    }
    p.doses = DoseMark::from_doses(&r.doses);
    p.y_format = YFormat::Percent;
    p.min_span = 0.25;
    p
}

/// Panel 6: the illustrative symptom score with the response and remission lines.
pub fn symptom_panel(r: &RunResult) -> Panel {
    let refr = &r.reference;
    let mut p = Panel::new("6  Symptoms (illustrative score)", "score (0\u{2013}60)");
    p.series.push(
        Series::new(
            "symptom score (lower = better)",
            quantity::OUTCOME,
            Dash::Solid,
            series_of(&r.rows, |o| o.symptom_score),
        )
        .width(5),
    );
    score_refs(&mut p, r);
    let top = r
        .rows
        .iter()
        .map(|o| o.symptom_score)
        .fold(refr.baseline_score, f64::max);
    p.y_range = Some((0.0, (top * 1.3).clamp(20.0, 70.0)));
    p.doses = DoseMark::from_doses(&r.doses);
    p
}

/// The response line (only for a patient who starts above remission), the
/// remission line and the healthy floor of run `r`.
pub fn score_refs(p: &mut Panel, r: &RunResult) {
    let refr = &r.reference;
    let (baseline, response, remission) = (
        refr.baseline_score,
        refr.response_score,
        refr.remission_score,
    );
    if baseline > remission + 1.0 && response > remission + 0.5 {
        p.refs.push(RefLine {
            y: response,
            label: "response (score halved)".into(),
            colour: quantity::RESPONSE,
        });
    }
    p.refs.push(RefLine {
        y: remission,
        label: "remission".into(),
        colour: quantity::HEALTHY,
    });
    p.refs.push(floor_ref(healthy_score(r)));
}

/// The score of a healthy person in run `r`'s model: the lowest score the
/// model can give, where strong responders sit flat.
pub fn healthy_score(r: &RunResult) -> f64 {
    r.scenario.params[synsim_core::params::id::HEALTHY_SCORE]
}

/// The labelled healthy floor of a score panel: the model's score cannot go
/// below a healthy person's, so a flat stretch there is the floor, not a
/// steady effect.
pub fn floor_ref(y: f64) -> RefLine {
    RefLine {
        y,
        label: format!("healthy floor ({y:.0}) = model minimum"),
        colour: quantity::HEALTHY,
    }
}

/// Second subtitle line listing what the command line changed on top of
/// the scenario file (`--set`, `--regimen`), or `None` when nothing was; a
/// school figure names each parameter by its plain label.
pub fn changes_line(s: &synsim_core::scenario::Scenario, look: &Look) -> Option<String> {
    let changes: Vec<String> = if look.school {
        s.changes
            .iter()
            .map(|c| super::school::plain_assignment(c))
            .collect()
    } else {
        s.changes.clone()
    };
    (!changes.is_empty()).then(|| format!("changed: {}", changes.join(" \u{00b7} ")))
}

/// A "healthy" reference line at `y`.
pub fn healthy_ref(y: f64) -> RefLine {
    RefLine {
        y,
        label: "healthy".into(),
        colour: quantity::HEALTHY,
    }
}

/// The dashboard figure of one run.
pub struct Dashboard<'a> {
    /// The run shown.
    pub run: &'a RunResult,
    /// Its time axis.
    pub axis: TimeAxis,
    /// Title, size, text scale, style and panels.
    pub opts: FigureOptions,
}

impl Dashboard<'_> {
    /// The panels chosen (all six by default), numbered in the order shown.
    fn panels(&self, look: &Look) -> anyhow::Result<Vec<Panel>> {
        let r = self.run;
        let picked = self
            .opts
            .pick("run", &PANELS)
            .map_err(|e| anyhow::anyhow!("--panels: {e}"))?;
        let (w, _) = self.size();
        let cols = super::options::grid(picked.len(), self.size()).0 as u32;
        // The dose and infusion keys, which the plasma panel carries.
        let mut plasma = plasma_panel(r);
        if !panel::infusion_visible(&self.axis, &r.doses, w / cols) {
            plasma
                .extra_legend
                .retain(|e| !matches!(e.swatch, canvas::Swatch::Block(_)));
        }
        let keys = plasma.extra_legend.clone();
        let mut out: Vec<Panel> = Vec::new();
        for (k, &i) in picked.iter().enumerate() {
            let mut p = match i {
                0 => plasma.clone(),
                1 => receptor_panel(r),
                2 => transmitter_panel(r),
                3 => signalling_panel(r),
                4 => synapse_panel(r),
                _ => symptom_panel(r),
            };
            if self.opts.picked() {
                p.title = panel::renumber(&p.title, k + 1);
            }
            out.push(p);
        }
        // Without the plasma panel the first panel shown explains the dose
        // marks and the shaded infusion.
        if !picked.contains(&0) {
            if let Some(first) = out.first_mut() {
                first.extra_legend.extend(keys);
            }
        }
        Ok(out.into_iter().map(|p| p.styled(look)).collect())
    }
}

impl Figure for Dashboard<'_> {
    fn size(&self) -> (u32, u32) {
        self.opts.size_or(SIZE)
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let r = self.run;
        let s = &r.scenario;
        let who = self
            .look()
            .say(if s.params.flag(synsim_core::params::id::DEPRESSED) {
                "depressed patient"
            } else {
                "healthy person"
            });
        let regimen = if s.regimen_text.is_empty() {
            "no treatment".to_string()
        } else {
            s.regimen_text.clone()
        };
        let mut sub = format!(
            "{regimen} \u{00b7} {who}, {} kg \u{00b7} scenario \"{}\"",
            s.weight_kg(),
            s.name
        );
        if let Some(c) = changes_line(s, &self.look()) {
            sub = format!("{sub}\n{c}");
        }
        let title = self.opts.title_or(&s.title);
        let foot = "synsim \u{00b7} dose \u{2192} receptors \u{2192} circuit \u{2192} BDNF/mTOR \u{2192} synapses \u{2192} symptoms";
        let panels = self.panels(&self.look())?;
        // All text as large as asked, or as large as leaves the panels room.
        let (w, h) = root.dim_in_pixel();
        let look = canvas::fitted(&self.look(), |l| {
            let head = canvas::title_height(root, l, &title, Some(&sub))
                + canvas::footer_height(root, l, DISCLAIMER, foot);
            let room = (w, (h as i32 - head).max(0) as u32);
            panel::grid_fit(root, room, &panels, l, false).is_some()
        });
        let area = canvas::title(root, &look, &title, Some(&sub))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        panel::draw_grid(&area, &panels, &self.axis, &look, false)
    }
}

/// Writes DIR/STEM.png and DIR/STEM.svg for one run, as `opts` asks.
pub fn write(
    r: &RunResult,
    dir: &Path,
    stem: &str,
    log_time: bool,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let fig = Dashboard {
        run: r,
        axis: run_axis(r, opts.log_time(log_time)),
        opts: opts.clone(),
    };
    canvas::save_png_svg(&fig, dir, stem)
}
