//! Population calibration targets (docs/MODEL.md section 7, targets 14,
//! 15, 16 and 18): response and remission rates of virtual-patient
//! populations run with the default between-patient variability and a
//! fixed seed. Each population runs once ([`Populations`]) and every target
//! reads its value from those runs.

use super::{evaluate, Check, Target, ValidateError};
use crate::model::Model;
use crate::params::id;
use crate::population::{self, sample, Options, Population, Setup, Summary};
use crate::scenario::Scenario;

/// Patients per population in `synsim validate`.
pub const DEFAULT_PATIENTS: u64 = 2000;
/// Seed of the validation populations.
pub const DEFAULT_SEED: u64 = 2026;

/// One population run with its headline numbers.
struct Pop {
    pop: Population,
    summary: Summary,
}

impl Pop {
    /// Runs a built-in scenario as a population over `days` (no bands needed).
    fn run(name: &str, days: f64, patients: u64, seed: u64) -> Result<Pop, ValidateError> {
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
        let pop = population::run(Setup::new(s)?, &opt, &|_| {})?;
        let summary = pop.summary();
        Ok(Pop { pop, summary })
    }

    /// Response rate at `WHEN[k]` ([`population::WHEN`]), as a fraction.
    fn response(&self, k: usize) -> f64 {
        self.summary.response[k].value
    }

    /// Remission rate at `WHEN[k]`, as a fraction.
    fn remission(&self, k: usize) -> f64 {
        self.summary.remission[k].value
    }
}

/// The populations the targets read, each run once with the same patients
/// and seed.
pub struct Populations {
    patients: u64,
    seed: u64,
    /// One ketamine infusion, 8 days.
    single: Pop,
    /// Six infusions, 60 days.
    serial: Pop,
    /// Escitalopram, 57 days.
    ssri: Pop,
    /// Saline, 2 days.
    placebo: Pop,
    /// Six infusions, then 180 days without maintenance.
    serial_long: Pop,
}

impl Populations {
    /// Runs every population the targets read, once each.
    pub fn new(patients: u64, seed: u64) -> Result<Populations, ValidateError> {
        let run = |name: &str, days: f64| Pop::run(name, days, patients, seed);
        Ok(Populations {
            patients,
            seed,
            single: run("ketamine-iv-single", 8.0)?,
            serial: run("ketamine-iv-serial", 60.0)?,
            ssri: run("ssri-escitalopram", 57.0)?,
            placebo: run("placebo", 2.0)?,
            serial_long: run("ketamine-iv-serial", 11.0 + 180.0)?,
        })
    }

    /// Every population, for the integration check.
    fn all(&self) -> [&Pop; 5] {
        [
            &self.single,
            &self.serial,
            &self.ssri,
            &self.placebo,
            &self.serial_long,
        ]
    }
}

/// Every population target, with `patients` per population and `seed`.
pub fn population_checks(patients: u64, seed: u64) -> Result<Vec<Check>, ValidateError> {
    let pops = Populations::new(patients, seed)?;
    let context = format!(" ({patients} virtual patients, seed {seed})");
    let mut out = evaluate(TARGETS, &pops, &context);
    out.push(integration_check(&pops));
    // Half as many per arm: two arms make one population's worth.
    out.extend(super::trials::trial_checks((patients / 2).max(1), seed)?);
    Ok(out)
}

/// Virtual patients whose run failed, over every population: a check on
/// the numerics rather than a calibration target.
fn integration_check(pops: &Populations) -> Check {
    let all = pops.all();
    let failed: usize = all.iter().map(|p| p.pop.failed.len()).sum();
    Check {
        id: "pop-integrate".into(),
        target: format!(
            "virtual patients whose run failed ({} populations of {})",
            all.len(),
            pops.patients
        ),
        source: "numerics".into(),
        lo: 0.0,
        hi: 0.0,
        unit: "patients".into(),
        value: failed as f64,
        pass: failed == 0,
        open: false,
    }
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

/// Correlation, over the single-infusion population, of each patient's
/// untreated score with their drawn synapse deficit.
fn severity_synapse_correlation(pops: &Populations) -> f64 {
    let single = &pops.single.pop;
    let k = single
        .setup
        .vary
        .iter()
        .position(|v| v.id == id::SYN_DEFICIT);
    let (sev, def): (Vec<f64>, Vec<f64>) = single
        .patients
        .iter()
        .filter_map(|p| Some((p.outcome.baseline_score, p.drawn[k?])))
        .unzip();
    correlation(&sev, &def)
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
                || base < p[id::ENTRY_MIN_SCORE]
                || m.symptom.is_response(o.symptom_score)
                || crate::symptom::is_remission(o.symptom_score)
        })
        .count()
}

/// The population targets, in the order `synsim validate` prints them
/// (each text followed by the number of patients and the seed).
pub static TARGETS: &[Target<Populations>] = &[
    Target {
        id: "14-pop-a",
        what: "single infusion: response at 24 h",
        source: "Han 2016 (52 %); Wilkinson 2019",
        lo: 40.0,
        hi: 65.0,
        unit: "%",
        open: false,
        measure: |p| 100.0 * p.single.response(0),
    },
    Target {
        id: "14-pop-b",
        what: "single infusion: remission at 24 h",
        source: "Han 2016 (21 %); Wilkinson 2019",
        lo: 12.0,
        hi: 30.0,
        unit: "%",
        open: false,
        measure: |p| 100.0 * p.single.remission(0),
    },
    Target {
        id: "15-pop",
        what: "single infusion: response at day 7",
        source: "Han 2016 (40 %); Pharmacol Rep 2020",
        lo: 25.0,
        hi: 50.0,
        unit: "%",
        open: false,
        measure: |p| 100.0 * p.single.response(1),
    },
    Target {
        id: "16-pop-a",
        what: "six infusions: response 24 h after the sixth",
        source: "Murrough 2013 BP (70.8 %); Zheng 2019 (67.5 %)",
        lo: 55.0,
        hi: 80.0,
        unit: "%",
        open: false,
        measure: |p| 100.0 * p.serial.response(4),
    },
    Target {
        id: "16-pop-b",
        what: "six infusions: median days from the last infusion to relapse, responders",
        source: "Murrough 2013 BP (median 18 d)",
        lo: 10.0,
        hi: 30.0,
        unit: "d",
        open: false,
        measure: |p| p.serial.summary.relapse_d.value,
    },
    Target {
        id: "18-pop-a",
        what: "escitalopram: response at week 8",
        source: "Trivedi 2006 (47 %); 8-week RCTs 40-50 %",
        lo: 35.0,
        hi: 55.0,
        unit: "%",
        open: false,
        measure: |p| 100.0 * p.ssri.response(3),
    },
    Target {
        id: "18-pop-b",
        what: "escitalopram: remission at week 8",
        source: "Trivedi 2006 (28-33 %)",
        lo: 20.0,
        hi: 35.0,
        unit: "%",
        open: false,
        measure: |p| 100.0 * p.ssri.remission(3),
    },
    Target {
        id: "18-pop-c",
        what: "escitalopram: response in week 1, almost none",
        source: "Taylor 2006 (small separation from placebo by week 1)",
        lo: 0.0,
        hi: 10.0,
        unit: "%",
        open: false,
        measure: |p| 100.0 * p.ssri.response(1),
    },
    Target {
        id: "placebo-pop",
        what: "saline: response at 24 h, share of ketamine's",
        source: "Wilkinson 2019 (saline 1 % vs ketamine 45 %)",
        lo: 0.0,
        hi: 0.5,
        unit: "fraction",
        open: false,
        measure: |p| p.placebo.response(0) / p.single.response(0),
    },
    // ---- second round -----------------------------------------------------------------
    Target {
        id: "remission-ratio",
        what: "single infusion: remission / response at 24 h",
        source: "Han 2016 (20.6 % / 52.2 % = 0.39); Zheng 2019 first infusion (7.8 % / 13.0 % = 0.60)",
        lo: 0.3,
        hi: 0.6,
        unit: "fraction",
        open: false,
        measure: |p| p.single.remission(0) / p.single.response(0),
    },
    Target {
        id: "serial-gain",
        what: "six infusions minus one: response 24 h after the last infusion",
        source: "Murrough 2013 BP (70.8 %) minus Han 2016 (52.2 %): about 19 points; Phillips 2019 (about double after six)",
        lo: 10.0,
        hi: 30.0,
        unit: "points",
        open: false,
        measure: |p| 100.0 * (p.serial.response(4) - p.single.response(0)),
    },
    Target {
        id: "severity-synapses",
        what: "correlation of untreated score with synapse deficit",
        source: "Holmes 2019 Nat Commun (SV2A density inversely related to severity; r not retrieved: direction only)",
        lo: 0.3,
        hi: 0.9,
        unit: "r",
        open: false,
        measure: severity_synapse_correlation,
    },
    Target {
        id: "entry",
        what: "virtual patients not at their drug-free steady state, below trial entry, or responding before a dose",
        source: "trial entry criteria (every patient is screened and starts untreated)",
        lo: 0.0,
        hi: 0.0,
        unit: "patients",
        open: false,
        measure: |p| entry_violations(&p.single.pop.setup, p.patients, p.seed) as f64,
    },
    Target {
        id: "lasting-a",
        what: "six infusions, no maintenance: responders still responding 180 d after the course",
        source: "KetECT, Ekstrand 2022 (70 % of ketamine remitters relapsed within 12 months); Murrough 2013 (about a quarter well at about 90 d, low confidence)",
        lo: 5.0,
        hi: 40.0,
        unit: "%",
        open: false,
        measure: |p| 100.0 * still_well(&p.serial_long.pop),
    },
];
