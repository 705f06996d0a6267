//! Population calibration targets (docs/MODEL.md section 7, targets 14,
//! 15, 16 and 18): response and remission rates of virtual-patient
//! populations run with the default between-patient variability and a
//! fixed seed.

use super::Check;
use crate::population::{self, Options, Population, Setup};
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
    };
    Ok(population::run(Setup::new(s)?, &opt, &|_| {})?)
}

/// A check on a share of patients, in %.
fn pct_check(id: &str, target: &str, source: &str, lo: f64, hi: f64, share: f64) -> Check {
    let value = 100.0 * share;
    Check {
        id: id.into(),
        target: target.into(),
        source: source.into(),
        lo,
        hi,
        unit: "%".into(),
        value,
        pass: value.is_finite() && (lo..=hi).contains(&value),
    }
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
    out.push(pct_check(
        "16-pop-a",
        &format!("six infusions: response 24 h after the sixth ({n})"),
        "Murrough 2013 BP (70.8 %); Zheng 2019 (67.5 %)",
        55.0,
        80.0,
        s.response[4].value,
    ));
    let relapse = s.relapse_d.value;
    out.push(Check {
        id: "16-pop-b".into(),
        target: format!(
            "six infusions: median days from the last infusion to relapse, responders ({n})"
        ),
        source: "Murrough 2013 BP (median 18 d)".into(),
        lo: 10.0,
        hi: 30.0,
        unit: "d".into(),
        value: relapse,
        pass: relapse.is_finite() && (10.0..=30.0).contains(&relapse),
    });

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
    });

    let failed: usize = [&single, &serial, &ssri, &placebo]
        .iter()
        .map(|p| p.failed.len())
        .sum();
    out.push(Check {
        id: "pop-integrate".into(),
        target: format!("virtual patients whose run failed (4 populations of {patients})"),
        source: "numerics".into(),
        lo: 0.0,
        hi: 0.0,
        unit: "patients".into(),
        value: failed as f64,
        pass: failed == 0,
    });
    Ok(out)
}
