//! Single-patient calibration targets (docs/MODEL.md section 7): the
//! default, typical depressed patient through the built-in scenarios. Each
//! scenario variant runs once ([`Runs`]) and every target reads its value
//! from those runs.

use super::{Target, ValidateError};
use crate::circuit::Circuit;
use crate::layout::GLU_POOL;
use crate::model::{Model, Observables};
use crate::params::{id, ParamId, Params};
use crate::pk::PkModel;
use crate::run::{peak, run, value_at, Peak, RunResult};
use crate::scenario::Scenario;
use crate::symptom::Symptom;

mod targets;
pub use targets::TARGETS;

/// One minute, in hours: the output step of the runs read at the minute.
const MIN: f64 = 1.0 / 60.0;
/// End of the 40-minute ketamine infusion, hours after its start.
const END_INF: f64 = 40.0 * MIN;
/// NMDA Ki of S-ketamine, R-ketamine, S-norketamine and R-norketamine
/// (Ebert 1997), in the order of [`Runs::affinities`].
const EBERT_KI: [f64; 4] = [0.3, 1.4, 1.7, 13.0];

/// The runs and models the single-patient targets read, each computed once.
pub struct Runs {
    /// The default parameters: the typical depressed patient.
    params: Params,
    /// Its pharmacokinetics (clearance and half-lives).
    pk: PkModel,
    /// One ketamine infusion, 28 days at 1-min output.
    single: RunResult,
    /// One 56 mg esketamine session, 3 days at 1-min output.
    esk56: RunResult,
    /// One 84 mg esketamine session, 3 days at 1-min output.
    esk84: RunResult,
    /// Escitalopram 10 mg/day, 84 days hourly.
    ssri: RunResult,
    /// Six ketamine infusions, 60 days hourly.
    serial: RunResult,
    /// Six infusions and 4-weekly maintenance, 120 days hourly.
    maintenance: RunResult,
    /// The same six infusions without maintenance, 120 days.
    course_only: RunResult,
    /// Saline, 28 days at 15-min output.
    placebo: RunResult,
    /// A healthy patient, no drug, 28 days hourly.
    healthy: RunResult,
    /// The default parameters of a patient who is not depressed.
    healthy_params: Params,
    /// The built-in esketamine course, 28 days at 2-min output.
    esk_course: RunResult,
    /// One ketamine infusion without synaptogenesis, 14 days at 15-min output.
    no_synaptogenesis: RunResult,
    /// One ketamine infusion without disinhibition, 14 days at 15-min output.
    no_disinhibition: RunResult,
}

impl Runs {
    /// Runs every scenario variant the targets read, once each.
    pub fn new() -> Result<Runs, ValidateError> {
        let params = Params::default();
        let mut healthy_params = Params::default();
        healthy_params
            .set(id::DEPRESSED, 0.0)
            .map_err(ValidateError::Setting)?;
        Ok(Runs {
            pk: PkModel::new(&params),
            params,
            single: builtin("ketamine-iv-single", None, 28.0, MIN)?,
            esk56: esketamine_once(56.0)?,
            esk84: esketamine_once(84.0)?,
            ssri: builtin("ssri-escitalopram", None, 84.0, 1.0)?,
            serial: builtin("ketamine-iv-serial", None, 60.0, 1.0)?,
            maintenance: builtin("ketamine-maintenance", None, 120.0, 1.0)?,
            course_only: course_without_maintenance()?,
            placebo: builtin("placebo", None, 28.0, 0.25)?,
            healthy: builtin("healthy", None, 28.0, 1.0)?,
            healthy_params,
            esk_course: builtin("esketamine-nasal", None, 28.0, 2.0 * MIN)?,
            no_synaptogenesis: builtin(
                "ketamine-iv-single",
                Some(id::MECH_SYNAPTOGENESIS),
                14.0,
                0.25,
            )?,
            no_disinhibition: builtin(
                "ketamine-iv-single",
                Some(id::MECH_DISINHIBITION),
                14.0,
                0.25,
            )?,
        })
    }
}

/// Runs a built-in scenario over `days` with output every `dt_h` hours,
/// with the mechanism `off` (a switch parameter) turned off if given.
fn builtin(
    name: &str,
    off: Option<ParamId>,
    days: f64,
    dt_h: f64,
) -> Result<RunResult, ValidateError> {
    let mut s = Scenario::load(name)?;
    if let Some(switch) = off {
        s.params.set(switch, 0.0).map_err(ValidateError::Setting)?;
    }
    s.days = days;
    s.dt_out_h = dt_h;
    Ok(run(&s)?)
}

/// One nasal esketamine session of `mg`, 3 days at 1-min output.
fn esketamine_once(mg: f64) -> Result<RunResult, ValidateError> {
    let mut s = Scenario::load("esketamine-nasal")?;
    s.set_regimen(&format!("esketamine {mg} mg nasal once"))?;
    s.days = 3.0;
    s.dt_out_h = MIN;
    Ok(run(&s)?)
}

/// The maintenance scenario's six-infusion course alone, 120 days at the
/// scenario's own output step.
fn course_without_maintenance() -> Result<RunResult, ValidateError> {
    let mut s = Scenario::load("ketamine-maintenance")?;
    s.set_regimen("ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6")?;
    s.days = 120.0;
    Ok(run(&s)?)
}

/// A value of run `r` at `t` hours, interpolated (NaN outside the run).
fn at(r: &RunResult, t: f64, f: impl Fn(&Observables) -> f64) -> f64 {
    value_at(&r.rows, t, f).unwrap_or(f64::NAN)
}

/// 1 if `yes`, else 0: a yes/no target read as a number.
fn yes(yes: bool) -> f64 {
    f64::from(u8::from(yes))
}

/// What the single-infusion targets derive from the run.
impl Runs {
    /// A value of the single infusion at `t` hours.
    fn single_at(&self, t: f64, f: impl Fn(&Observables) -> f64) -> f64 {
        at(&self.single, t, f)
    }

    /// The glutamate tone's peak after the start of the infusion.
    fn glutamate_peak(&self) -> Peak {
        peak(&self.single.rows, 0.0, |o| o.glutamate_rel)
    }

    /// A glutamate `tone` as a fraction above the baseline tone (an hour
    /// before the infusion).
    fn glutamate_excess(&self, tone: f64) -> f64 {
        tone / self.single_at(-1.0, |o| o.glutamate_rel) - 1.0
    }

    /// The synapse gain at `t` hours as a share of its peak gain.
    fn synapse_rise(&self, t: f64) -> f64 {
        let s0 = self.single.reference.baseline_synapse;
        let sp = peak(&self.single.rows, 0.0, |o| o.synapse_density_rel);
        (self.single_at(t, |o| o.synapse_density_rel) - s0) / (sp.value - s0)
    }

    /// The patient's score at `t` hours without treatment: the drug's
    /// improvement is measured against the same patient's natural course,
    /// as the follow-ups compare ketamine with its comparison arm.
    fn untreated(&self, t: f64) -> f64 {
        let p = &self.single.scenario.params;
        Symptom::new(p).score(t, 1.0 - p[id::SYN_DEFICIT], 0.0, 0.0)
    }

    /// The single infusion's best improvement against the untreated course.
    fn best_drop(&self) -> f64 {
        let best = self.single.summary.best_score;
        self.untreated(best.time_h) - best.value
    }

    /// Fall of `r`'s score from the single infusion's baseline at `t` hours.
    fn fall(&self, r: &RunResult, t: f64) -> f64 {
        self.single.reference.baseline_score - at(r, t, |o| o.symptom_score)
    }

    /// NMDA Ki of S-ketamine, R-ketamine, S-norketamine and R-norketamine.
    fn affinities(&self) -> [f64; 4] {
        let p = &self.params;
        [
            p[id::KI_S_KET],
            p[id::KI_R_KET],
            p[id::KI_S_NK],
            p[id::KI_R_NK],
        ]
    }

    /// Fall of the SSRI run's score from its baseline at `t` hours.
    fn ssri_fall(&self, t: f64) -> f64 {
        self.ssri.reference.baseline_score - at(&self.ssri, t, |o| o.symptom_score)
    }

    /// A value of the SSRI run just before the dose of day `d` (the trough).
    fn ssri_trough(&self, d: f64, f: impl Fn(&Observables) -> f64) -> f64 {
        at(&self.ssri, d * 24.0 - 0.001, f)
    }
}

/// Ketamine's apparent half-life from 2 h to 8 h after the start: the
/// labels' "half-life" (2.5 h) is the decline over the hours after a dose,
/// not the slower terminal phase below low levels.
fn ketamine_half_life(r: &Runs) -> f64 {
    let c2 = r.single_at(2.0, |o| o.plasma.ketamine);
    let c8 = r.single_at(8.0, |o| o.plasma.ketamine);
    6.0 * std::f64::consts::LN_2 / (c2 / c8).ln()
}

/// 1 if interneuron activity ever falls below its starting level after
/// the infusion starts.
fn interneurons_fall(r: &Runs) -> f64 {
    let rows = &r.single.rows;
    yes(rows
        .iter()
        .any(|o| o.time_h > 0.0 && o.inh_activity < rows[0].inh_activity))
}

/// Hours until the score is first 20 % below baseline.
fn first_clear_relief(r: &Runs) -> f64 {
    let base = r.single.reference.baseline_score;
    r.single
        .rows
        .iter()
        .find(|o| o.time_h > 0.0 && o.symptom_score <= 0.8 * base)
        .map(|o| o.time_h)
        .unwrap_or(f64::NAN)
}

/// The improvement left at 14 d as a share of the best improvement, both
/// against the untreated course.
fn improvement_left_14d(r: &Runs) -> f64 {
    let drop14 = r.untreated(336.0) - r.single_at(336.0, |o| o.symptom_score);
    drop14 / r.best_drop()
}

/// Plasma esketamine AUC of the 84 mg session over the 56 mg one.
fn esketamine_auc_ratio(r: &Runs) -> f64 {
    let auc = |r: &RunResult| r.rows.iter().map(|o| o.plasma.esketamine).sum::<f64>();
    auc(&r.esk84) / auc(&r.esk56)
}

/// The largest factor between a default Ki and Ebert 1997's.
fn ki_deviation(r: &Runs) -> f64 {
    r.affinities()
        .iter()
        .zip(EBERT_KI)
        .map(|(k, e)| (k / e).max(e / k))
        .fold(1.0, f64::max)
}

/// Days until trough plasma escitalopram is within 5 % of its day-56 level.
fn days_to_steady_state(r: &Runs) -> f64 {
    let c_trough = |d: f64| r.ssri_trough(d, |o| o.plasma.escitalopram);
    let c_ss = c_trough(56.0);
    (1..=56)
        .map(f64::from)
        .find(|d| c_trough(*d) >= 0.95 * c_ss)
        .unwrap_or(f64::NAN)
}

/// Days until the autoreceptor has made 63 % of its change by day 84.
fn autoreceptor_time_constant(r: &Runs) -> f64 {
    let a_end = at(&r.ssri, 2016.0, |o| o.autoreceptor);
    r.ssri
        .rows
        .iter()
        .find(|o| o.time_h > 0.0 && (1.0 - o.autoreceptor) >= 0.632 * (1.0 - a_end))
        .map(|o| o.time_h / 24.0)
        .unwrap_or(f64::NAN)
}

/// How much lower maintenance keeps the mean score than the course alone
/// over days 28-120, as a share of baseline.
fn maintenance_gain(r: &Runs) -> f64 {
    let mean_after = |r: &RunResult| {
        let v: Vec<f64> = r
            .rows
            .iter()
            .filter(|o| o.time_h >= 28.0 * 24.0)
            .map(|o| o.symptom_score)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    (mean_after(&r.course_only) - mean_after(&r.maintenance))
        / r.maintenance.reference.baseline_score
}

/// How far `score` is below the placebo run's baseline, as a share of it.
fn placebo_fall(r: &Runs, score: f64) -> f64 {
    let base = r.placebo.reference.baseline_score;
    (base - score) / base
}

/// The healthy run's largest deviation of score and synapses from baseline.
fn healthy_deviation(r: &Runs) -> f64 {
    let h = &r.healthy;
    h.rows
        .iter()
        .map(|o| {
            (o.symptom_score - h.reference.baseline_score).abs()
                + (o.synapse_density_rel - 1.0).abs()
        })
        .fold(0.0, f64::max)
}

/// Resting glutamate pool of the depressed patient against a healthy one.
fn resting_glutamate(r: &Runs) -> f64 {
    let glx_healthy = Model::new(&r.healthy_params).baseline()[GLU_POOL];
    let glx_dep = Model::new(&r.params).baseline()[GLU_POOL];
    glx_dep / glx_healthy - 1.0
}

/// Peak dissociation of the last session of week 4 as a share of the first
/// 84 mg session's (the second session of the course).
fn dissociation_tolerance(r: &Runs) -> f64 {
    let esk = &r.esk_course;
    // Peak within 3 h of a session's start, so the next one is not counted.
    let session_peak = |t0: f64| {
        peak(&esk.dense, t0, |o| {
            if o.time_h <= t0 + 3.0 {
                o.dissociation
            } else {
                0.0
            }
        })
        .value
    };
    let starts: Vec<f64> = esk
        .doses
        .iter()
        .filter(|d| d.time_h < 26.0 * 24.0)
        .map(|d| d.time_h)
        .collect();
    let (first84, last84) = (starts[1], *starts.last().unwrap_or(&f64::NAN));
    session_peak(last84) / session_peak(first84)
}

/// Rise of neurolib's WCModel excitatory rate (c_excexc 16, exc_ext 0.5)
/// after a 40 % cut in c_excinh: target 20 is a property of those defaults.
fn circuit_disinhibition(r: &Runs) -> f64 {
    let c = Circuit {
        c_excexc: 16.0,
        exc_ext: 0.5,
        ..Circuit::new(&r.params)
    };
    let (e0, _) = c.fixed_point((0.03, 0.02));
    let cut = Circuit {
        c_excinh: 0.6 * c.c_excinh,
        ..c
    };
    let (e1, _) = cut.fixed_point((e0, 0.02));
    e1 / e0 - 1.0
}
