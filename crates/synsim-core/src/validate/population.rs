//! Population calibration targets (docs/MODEL.md section 7, targets 14,
//! 15, 16 and 18): response and remission rates of virtual-patient
//! populations run with the default between-patient variability and a
//! fixed seed.

use super::{check, gap, Check};
use crate::model::Model;
use crate::params::lookup;
use crate::population::{self, sample, Options, Population, Setup};
use crate::scenario::Scenario;

/// Patients per population in `synsim validate`.
pub const DEFAULT_PATIENTS: u64 = 2000;
/// Seed of the validation populations.
pub const DEFAULT_SEED: u64 = 2026;

/// Runs a built-in scenario as a population over `days` (no bands needed).
fn run(name: &str, days: f64, patients: u64, seed: u64) -> anyhow::Result<Population> {
    let mut s = Scenario::load(name)?;
    s.days = days;
    s.dt_out_h = 1.0;
    let opt = Options {
        patients,
        seed,
        bands: false,
        individuals: 0,
        acute_dissociation: false,
        ..Options::default()
    };
    Ok(population::run(Setup::new(s)?, &opt, &|_| {})?)
}

/// Pearson correlation of two equally long series.
fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

/// Share of the responders 24 h after the last dose who still respond at
/// the end of the run (their relapse is censored).
fn still_well(pop: &Population) -> f64 {
    let responders: Vec<_> = pop
        .patients
        .iter()
        .filter(|p| p.outcome.end.is_some_and(|e| e.responder))
        .collect();
    let well = responders
        .iter()
        .filter(|p| p.outcome.relapse_d.is_none())
        .count();
    well as f64 / responders.len() as f64
}

/// A check on a share of patients, in %.
fn pct_check(id: &str, target: &str, source: &str, lo: f64, hi: f64, share: f64) -> Check {
    check(id, target, source, lo, hi, "%", 100.0 * share)
}

/// Every population target, with `patients` per population and `seed`.
pub fn population_checks(patients: u64, seed: u64) -> anyhow::Result<Vec<Check>> {
    let mut out = Vec::new();
    let n = format!("{patients} virtual patients, seed {seed}");
    let single = run("ketamine-iv-single", 8.0, patients, seed)?;
    let s = single.summary();
    out.push(pct_check(
        "14-pop-a",
        &format!("single infusion: response at 24 h ({n})"),
        "Han 2016 (52 %); Wilkinson 2019",
        40.0,
        65.0,
        s.response[0].value,
    ));
    out.push(pct_check(
        "14-pop-b",
        &format!("single infusion: remission at 24 h ({n})"),
        "Han 2016 (21 %); Wilkinson 2019",
        12.0,
        30.0,
        s.remission[0].value,
    ));
    out.push(pct_check(
        "15-pop",
        &format!("single infusion: response at day 7 ({n})"),
        "Han 2016 (40 %); Pharmacol Rep 2020",
        25.0,
        50.0,
        s.response[1].value,
    ));

    let serial = run("ketamine-iv-serial", 60.0, patients, seed)?;
    let s = serial.summary();
    let s_serial_response = s.response[4].value;
    out.push(pct_check(
        "16-pop-a",
        &format!("six infusions: response 24 h after the sixth ({n})"),
        "Murrough 2013 BP (70.8 %); Zheng 2019 (67.5 %)",
        55.0,
        80.0,
        s.response[4].value,
    ));
    out.push(check(
        "16-pop-b",
        &format!("six infusions: median days from the last infusion to relapse, responders ({n})"),
        "Murrough 2013 BP (median 18 d)",
        10.0,
        30.0,
        "d",
        s.relapse_d.value,
    ));

    let ssri = run("ssri-escitalopram", 57.0, patients, seed)?;
    let s = ssri.summary();
    out.push(pct_check(
        "18-pop-a",
        &format!("escitalopram: response at week 8 ({n})"),
        "Trivedi 2006 (47 %); 8-week RCTs 40-50 %",
        35.0,
        55.0,
        s.response[3].value,
    ));
    out.push(pct_check(
        "18-pop-b",
        &format!("escitalopram: remission at week 8 ({n})"),
        "Trivedi 2006 (28-33 %)",
        20.0,
        35.0,
        s.remission[3].value,
    ));
    out.push(pct_check(
        "18-pop-c",
        &format!("escitalopram: response in week 1, almost none ({n})"),
        "Taylor 2006 (small separation from placebo by week 1)",
        0.0,
        10.0,
        s.response[1].value,
    ));

    let placebo = run("placebo", 2.0, patients, seed)?;
    let pl = placebo.summary().response[0].value;
    let ket = single.summary().response[0].value;
    out.push(Check {
        id: "placebo-pop".into(),
        target: format!("saline: response at 24 h, share of ketamine's ({n})"),
        source: "Wilkinson 2019 (saline 1 % vs ketamine 45 %)".into(),
        lo: 0.0,
        hi: 0.5,
        unit: "fraction".into(),
        value: pl / ket,
        pass: ket > 0.0 && (0.0..=0.5).contains(&(pl / ket)),
        open: false,
    });

    // ---- second round ----------------------------------------------------------------------
    let single_s = single.summary();
    out.push(check(
        "remission-ratio",
        &format!("single infusion: remission / response at 24 h ({n})"),
        "Han 2016 (20.6 % / 52.2 % = 0.39); Zheng 2019 first infusion (7.8 % / 13.0 % = 0.60)",
        0.3,
        0.6,
        "fraction",
        single_s.remission[0].value / single_s.response[0].value,
    ));
    out.push(check(
        "serial-gain",
        &format!("six infusions minus one: response 24 h after the last infusion ({n})"),
        "Murrough 2013 BP (70.8 %) minus Han 2016 (52.2 %): about 19 points; Phillips 2019 (about double after six)",
        10.0,
        30.0,
        "points",
        100.0 * (s_serial_response - single_s.response[0].value),
    ));
    let deficit = lookup("patient.synapse_deficit").expect("registered");
    let k = single.setup.vary.iter().position(|v| v.id == deficit);
    let (sev, def): (Vec<f64>, Vec<f64>) = single
        .patients
        .iter()
        .filter_map(|p| Some((p.outcome.baseline_score, p.drawn[k?])))
        .unzip();
    out.push(check(
        "severity-synapses",
        &format!("correlation of untreated score with synapse deficit ({n})"),
        "Holmes 2019 Nat Commun (SV2A density inversely related to severity; r not retrieved: direction only)",
        0.3,
        0.9,
        "r",
        correlation(&sev, &def),
    ));
    out.push(check(
        "entry",
        &format!("virtual patients not at their drug-free steady state, below trial entry, or responding before a dose ({n})"),
        "trial entry criteria (every patient is screened and starts untreated)",
        0.0,
        0.0,
        "patients",
        entry_violations(&single.setup, patients, seed) as f64,
    ));
    let serial_long = run("ketamine-iv-serial", 11.0 + 180.0, patients, seed)?;
    out.push(pct_check(
        "lasting-a",
        &format!("six infusions, no maintenance: responders still responding 180 d after the course ({n})"),
        "KetECT, Ekstrand 2022 (70 % of ketamine remitters relapsed within 12 months); Murrough 2013 (about a quarter well at about 90 d, low confidence)",
        5.0,
        40.0,
        still_well(&serial_long),
    ));
    let single_month = run("ketamine-iv-single", 28.0, patients, seed)?;
    out.push(gap(
        "gap-single-well",
        &format!("single infusion: 24-h responders still responding at day 28 ({n})"),
        "Ibrahim 2012 Neuropsychopharmacology (27 % not relapsed by 4 weeks; mean time to relapse 13 d)",
        15.0,
        40.0,
        "%",
        100.0 * still_well(&single_month),
    ));

    let failed: usize = [
        &single,
        &serial,
        &ssri,
        &placebo,
        &serial_long,
        &single_month,
    ]
    .iter()
    .map(|p| p.failed.len())
    .sum();
    out.push(Check {
        id: "pop-integrate".into(),
        target: format!("virtual patients whose run failed (6 populations of {patients})"),
        source: "numerics".into(),
        lo: 0.0,
        hi: 0.0,
        unit: "patients".into(),
        value: failed as f64,
        pass: failed == 0,
        open: false,
    });
    // Half as many per arm: two arms make one population's worth.
    out.extend(super::trials::trial_checks((patients / 2).max(1), seed)?);
    Ok(out)
}

/// Patients of `setup` who are not at their drug-free steady state (any
/// slow derivative away from zero or a score other than their untreated
/// one), who are below the trial entry score, or who would count as a
/// responder or remitter before the first dose.
fn entry_violations(setup: &Setup, patients: u64, seed: u64) -> usize {
    use crate::layout::{N, PK_N};
    use crate::pk::Infusion;
    (0..patients)
        .filter(|&i| {
            let (p, _) = sample::patient_params(&setup.scenario.params, &setup.vary, seed, i);
            let m = Model::new(&p);
            let y = m.baseline();
            let mut dy = [0.0; N];
            m.rhs(&y, &Infusion::default(), &mut dy);
            let drift = dy[PK_N..].iter().map(|d| d.abs()).fold(0.0, f64::max);
            let o = m.observe(0.0, &y, &Infusion::default());
            let base = m.symptom.baseline_score();
            drift > 1e-6
                || (o.symptom_score - base).abs() > 1e-6
                || base < p[lookup("patient.entry_min_score").expect("registered")]
                || m.symptom.is_response(o.symptom_score)
                || crate::symptom::is_remission(o.symptom_score)
        })
        .count()
}
