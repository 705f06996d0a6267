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

/// The single-patient targets, in the order `synsim validate` prints them.
pub static TARGETS: &[Target<Runs>] = &[
    // ---- ketamine IV ----------------------------------------------------------------
    Target {
        id: "1",
        what: "plasma ketamine at end of 0.5 mg/kg over 40 min (70 kg)",
        source: "Zarate 2006 via Zanos 2018 (185 ng/mL)",
        lo: 120.0,
        hi: 260.0,
        unit: "ng/mL",
        open: false,
        measure: |r| r.single_at(END_INF, |o| o.plasma.ketamine),
    },
    Target {
        id: "2",
        what: "ketamine apparent half-life from 2 h to 8 h after the start of the infusion (the labels' beta phase)",
        source: "Ketalar label (2.5 h); Goodman & Gilman",
        lo: 1.8,
        hi: 3.5,
        unit: "h",
        open: false,
        measure: ketamine_half_life,
    },
    Target {
        id: "3",
        what: "ketamine clearance (70 kg)",
        source: "Kamp 2020 (79 L/h); Spravato label (89 L/h); Hasler 2021 (92-97 L/h)",
        lo: 60.0,
        hi: 120.0,
        unit: "L/h",
        open: false,
        measure: |r| r.pk.ketamine_clearance_l_per_h(),
    },
    Target {
        id: "7",
        what: "NMDA occupancy at end of infusion",
        source: "derived from Ebert 1997 Ki values, free drug (~50 %)",
        lo: 0.30,
        hi: 0.65,
        unit: "fraction",
        open: false,
        measure: |r| r.single_at(END_INF, |o| o.occupancy.nmda),
    },
    Target {
        id: "8a",
        what: "glutamate tone peak vs baseline",
        source: "Milak 2016 (+38 % Glx)",
        lo: 0.20,
        hi: 0.60,
        unit: "fraction",
        open: false,
        measure: |r| r.glutamate_excess(r.glutamate_peak().value),
    },
    Target {
        id: "8b",
        what: "time of glutamate peak after start of infusion",
        source: "Milak 2016 (~26 min)",
        lo: 15.0,
        hi: 45.0,
        unit: "min",
        open: false,
        measure: |r| r.glutamate_peak().time_h * 60.0,
    },
    Target {
        id: "8c",
        what: "glutamate excess left 4 h after the start, share of the peak excess",
        source: "PMC8024494 (no change at ~3 h)",
        lo: 0.0,
        hi: 0.35,
        unit: "fraction",
        open: false,
        measure: |r| {
            r.glutamate_excess(r.single_at(4.0, |o| o.glutamate_rel))
                / r.glutamate_excess(r.glutamate_peak().value)
        },
    },
    Target {
        id: "8d",
        what: "interneuron activity falls while pyramidal activity rises (1 = yes)",
        source: "Homayoun & Moghaddam 2007",
        lo: 1.0,
        hi: 1.0,
        unit: "-",
        open: false,
        measure: interneurons_fall,
    },
    Target {
        id: "9a",
        what: "time of peak dissociation",
        source: "Luckenbaugh 2014 (end of infusion)",
        lo: 30.0,
        hi: 60.0,
        unit: "min",
        open: false,
        measure: |r| peak(&r.single.rows, 0.0, |o| o.dissociation).time_h * 60.0,
    },
    Target {
        id: "9b",
        what: "dissociation at 120 min, share of peak",
        source: "label monitoring window; Luckenbaugh 2014",
        lo: 0.0,
        hi: 0.25,
        unit: "fraction",
        open: false,
        measure: |r| {
            r.single_at(2.0, |o| o.dissociation)
                / peak(&r.single.rows, 0.0, |o| o.dissociation).value
        },
    },
    Target {
        id: "10",
        what: "time of mTOR peak",
        source: "Li 2010; Autry 2011",
        lo: 15.0,
        hi: 90.0,
        unit: "min",
        open: false,
        measure: |r| peak(&r.single.rows, 0.0, |o| o.mtor_rel).time_h * 60.0,
    },
    Target {
        id: "11a",
        what: "synapse gain at 6 h, share of its peak (no real change at 3-6 h)",
        source: "Moda-Sava 2019",
        lo: 0.0,
        hi: 0.2,
        unit: "fraction",
        open: false,
        measure: |r| r.synapse_rise(6.0),
    },
    Target {
        id: "11b",
        what: "synapse gain at 24 h, share of its peak (clear rise by 12-24 h)",
        source: "Moda-Sava 2019; Li 2010",
        lo: 0.5,
        hi: 1.0,
        unit: "fraction",
        open: false,
        measure: |r| r.synapse_rise(24.0),
    },
    Target {
        id: "11c",
        what: "synapse gain at 5 d, share of its peak (still raised)",
        source: "Phoumthipphavong 2016",
        lo: 0.5,
        hi: 1.0,
        unit: "fraction",
        open: false,
        measure: |r| r.synapse_rise(120.0),
    },
    Target {
        id: "11d",
        what: "synapse gain at 28 d, share of its peak (fading over weeks)",
        source: "Phoumthipphavong 2016 (up to 2 weeks)",
        lo: 0.0,
        hi: 0.3,
        unit: "fraction",
        open: false,
        measure: |r| r.synapse_rise(672.0),
    },
    // ---- depressed baseline -----------------------------------------------------------
    Target {
        id: "12a",
        what: "depressed tissue GABA below healthy",
        source: "Price 2009 (-20 %); Sanacora 1999; Schür 2016",
        lo: 0.10,
        hi: 0.50,
        unit: "fraction",
        open: false,
        measure: |r| 1.0 - r.single.reference.baseline_gaba,
    },
    Target {
        id: "12b",
        what: "depressed synapse density below healthy",
        source: "Kang 2012; Holmes 2019 (direction)",
        lo: 0.05,
        hi: 0.35,
        unit: "fraction",
        open: false,
        measure: |r| 1.0 - r.single.reference.baseline_synapse,
    },
    // ---- symptom time course ----------------------------------------------------------
    Target {
        id: "13a",
        what: "first clear relief (score 20 % below baseline)",
        source: "Zarate 2006; Murrough 2013 BP (within 2 h)",
        lo: 1.0,
        hi: 4.0,
        unit: "h",
        open: false,
        measure: first_clear_relief,
    },
    Target {
        id: "13b",
        what: "time of the best score after one infusion",
        source: "Zarate 2006; Murrough 2013 BP (maximum around 24 h)",
        lo: 12.0,
        hi: 48.0,
        unit: "h",
        open: false,
        measure: |r| r.single.summary.best_score.time_h,
    },
    Target {
        id: "15",
        what: "single infusion: share of the best improvement left at 14 d (against the untreated course)",
        source: "Pharmacol Rep 2020; Fava 2020 (benefit lasts about a week)",
        lo: 0.0,
        hi: 0.5,
        unit: "fraction",
        open: false,
        measure: improvement_left_14d,
    },
    // ---- esketamine -------------------------------------------------------------------
    Target {
        id: "5a",
        what: "esketamine Tmax after a 56 mg session",
        source: "Spravato label (20-40 min)",
        lo: 20.0,
        hi: 40.0,
        unit: "min",
        open: false,
        measure: |r| peak(&r.esk56.rows, 0.0, |o| o.plasma.esketamine).time_h * 60.0,
    },
    Target {
        id: "5b",
        what: "esketamine terminal half-life",
        source: "Spravato label (7-12 h)",
        lo: 7.0,
        hi: 12.0,
        unit: "h",
        open: false,
        measure: |r| r.pk.esketamine_terminal_half_life_h(),
    },
    Target {
        id: "5c",
        what: "esketamine AUC ratio 84 mg / 56 mg (3 days)",
        source: "Spravato label (dose-proportional)",
        lo: 1.3,
        hi: 1.7,
        unit: "-",
        open: false,
        measure: esketamine_auc_ratio,
    },
    // ---- affinities -------------------------------------------------------------------
    Target {
        id: "6a",
        what: "NMDA Ki order S-ket < R-ket < S-norket < R-norket (1 = yes)",
        source: "Ebert 1997",
        lo: 1.0,
        hi: 1.0,
        unit: "-",
        open: false,
        measure: |r| yes(r.affinities().windows(2).all(|w| w[0] < w[1])),
    },
    Target {
        id: "6b",
        what: "largest Ki deviation from Ebert 1997 (factor)",
        source: "Ebert 1997",
        lo: 1.0,
        hi: 1.5,
        unit: "x",
        open: false,
        measure: ki_deviation,
    },
    // ---- SSRI -------------------------------------------------------------------------
    Target {
        id: "17a",
        what: "SERT occupancy at steady state (trough, 10 mg/day)",
        source: "Meyer 2004 (~80 %)",
        lo: 0.75,
        hi: 0.88,
        unit: "fraction",
        open: false,
        measure: |r| r.ssri_trough(56.0, |o| o.occupancy.sert),
    },
    Target {
        id: "17b",
        what: "days until trough plasma escitalopram is within 5 % of steady state",
        source: "label (steady state in about a week)",
        lo: 4.0,
        hi: 10.0,
        unit: "d",
        open: false,
        measure: days_to_steady_state,
    },
    Target {
        id: "18a",
        what: "SSRI: score fall in week 1, share of the week-8 fall",
        source: "Posternak & Zimmerman 2005 (62 % of the 6-week fall by week 2, on drug and placebo alike); Taylor 2006",
        lo: 0.1,
        hi: 0.5,
        unit: "fraction",
        open: false,
        measure: |r| r.ssri_fall(168.0) / r.ssri_fall(1344.0),
    },
    Target {
        id: "18b",
        what: "SSRI: week-8 fall / week-2 fall (benefit builds over weeks)",
        source: "Trivedi 2006 (many respond only after 8 weeks)",
        lo: 1.5,
        hi: 50.0,
        unit: "x",
        open: false,
        measure: |r| r.ssri_fall(1344.0) / r.ssri_fall(336.0),
    },
    Target {
        id: "19",
        what: "5-HT1A autoreceptor desensitisation, time to 63 %",
        source: "Le Poul 1995; Blier (2-3 weeks)",
        lo: 5.0,
        hi: 14.0,
        unit: "d",
        open: false,
        measure: autoreceptor_time_constant,
    },
    // ---- scenario behaviour -----------------------------------------------------------
    Target {
        id: "16",
        what: "serial course: days from last infusion until response is lost",
        source: "Murrough 2013 BP (median 18 d)",
        lo: 10.0,
        hi: 30.0,
        unit: "d",
        open: false,
        measure: |r| r.serial.summary.relapse_after_last_dose_d.unwrap_or(f64::NAN),
    },
    Target {
        id: "maintenance",
        what: "4-weekly maintenance: mean score fall vs the course alone (days 28-120), share of baseline",
        source: "Murrough 2013 BP (relapse without maintenance)",
        lo: 0.15,
        hi: 1.0,
        unit: "fraction",
        open: false,
        measure: maintenance_gain,
    },
    Target {
        id: "placebo",
        what: "placebo: largest score fall, share of baseline",
        source: "Wilkinson 2019 (saline response ~1 %)",
        lo: 0.0,
        hi: 0.15,
        unit: "fraction",
        open: false,
        measure: |r| placebo_fall(r, r.placebo.summary.best_score.value),
    },
    Target {
        id: "placebo-transient",
        what: "placebo: score fall left at day 7, share of baseline",
        source: "transient expectancy",
        lo: 0.0,
        hi: 0.05,
        unit: "fraction",
        open: false,
        measure: |r| placebo_fall(r, at(&r.placebo, 168.0, |o| o.symptom_score)),
    },
    Target {
        id: "healthy",
        what: "healthy: largest deviation from baseline",
        source: "reference",
        lo: 0.0,
        hi: 1e-6,
        unit: "-",
        open: false,
        measure: healthy_deviation,
    },
    // ---- second-round targets (docs/MODEL.md section 7) -------------------------------
    Target {
        id: "glx-rest",
        what: "depressed resting tissue glutamate vs healthy (the surge starts from a normal or low baseline)",
        source: "Moriguchi 2019 Mol Psychiatry (medial frontal Glx SMD -0.38); Luykx 2012 (ACC lower)",
        lo: -0.10,
        hi: 0.0,
        unit: "fraction",
        open: false,
        measure: resting_glutamate,
    },
    Target {
        id: "diss-tolerance",
        what: "esketamine 84 mg twice weekly: peak dissociation at the last session of week 4, share of the first 84 mg session's",
        source: "Spravato label (dissociation attenuated with repeated dosing); TRANSFORM-2 post hoc (peak CADSS lower on day 25 than day 1; size not reported)",
        lo: 0.4,
        hi: 0.95,
        unit: "fraction",
        open: false,
        measure: dissociation_tolerance,
    },
    Target {
        id: "overshoot",
        what: "six infusions: largest synapse density, typical patient (restoration saturates near health)",
        source: "bounded by synapse.max_density (homeostatic ceiling, illustrative); Moda-Sava 2019 (spines restored, not added beyond)",
        lo: 0.9,
        hi: 1.05,
        unit: "x healthy",
        open: false,
        measure: |r| {
            r.serial
                .rows
                .iter()
                .map(|o| o.synapse_density_rel)
                .fold(0.0, f64::max)
        },
    },
    // ---- theory switches --------------------------------------------------------------
    Target {
        id: "switch-syn-a",
        what: "synaptogenesis off: fall at 24 h, share of the full model's",
        source: "Moda-Sava 2019 (spines maintain, not induce)",
        lo: 0.3,
        hi: 1.0,
        unit: "fraction",
        open: false,
        measure: |r| r.fall(&r.no_synaptogenesis, 24.0) / r.fall(&r.single, 24.0),
    },
    Target {
        id: "switch-syn-b",
        what: "synaptogenesis off: fall at 7 d, share of the full model's",
        source: "Moda-Sava 2019; Li 2010 (rapamycin)",
        lo: 0.0,
        hi: 0.3,
        unit: "fraction",
        open: false,
        measure: |r| r.fall(&r.no_synaptogenesis, 168.0) / r.fall(&r.single, 168.0),
    },
    Target {
        id: "switch-disinhibition",
        what: "disinhibition off: best fall, share of the full model's",
        source: "Homayoun & Moghaddam 2007; Moghaddam 1997",
        lo: 0.0,
        hi: 0.4,
        unit: "fraction",
        open: false,
        measure: |r| {
            (r.single.reference.baseline_score - r.no_disinhibition.summary.best_score.value)
                / r.best_drop()
        },
    },
    // ---- circuit ----------------------------------------------------------------------
    Target {
        id: "20",
        what: "neurolib WCModel (c_excexc 16, exc_ext 0.5): rise of E after a 40 % cut in c_excinh",
        source: "derived by integrating neurolib's WCModel equations (~+40 %)",
        lo: 0.2,
        hi: 0.6,
        unit: "fraction",
        open: false,
        measure: circuit_disinhibition,
    },
];
