//! Virtual randomised trials: arms, screening on a *rated* score, visits,
//! rater noise, dropout and the analysis a trial paper reports.
//!
//! A trial enrols virtual patients from one population (the `base`
//! scenario's between-patient variability), screens them on a rated score,
//! randomises them to two or more arms (each a regimen) and rates them at
//! each visit. Nothing here is a drug effect: the placebo response comes
//! from the model's expectancy, the natural course from the model's
//! spontaneous improvement, and regression to the mean arises by itself
//! because patients are enrolled on a noisy rating:
//!
//! ```text
//! rated(t)  = round(true_score(t) + e),  e ~ N(0, rater_sd²), new at every rating
//! enrolled  ⇔ rated screening score ≥ entry_min_score   (drawn afresh otherwise)
//! change(t) = rated(t) - rated(baseline visit)
//! response  ⇔ rated(t) ≤ (1 - 0.5) · rated(baseline);  remission ⇔ rated(t) ≤ remission_max
//! ```
//!
//! Patient `k` of a replicate is randomised to arm `k mod arms` (equal
//! allocation); its parameters, ratings and dropout come from streams keyed
//! by `(seed, k)`, so the results do not depend on the number of threads.

pub mod analysis;
pub mod spec;
pub mod stats;

pub use analysis::{analyse, Analysis, ArmVisit, Comparison};
pub use spec::{builtin_trial, Arm, TrialError, TrialSpec, BUILTIN_TRIALS};

use crate::model::{Detail, Model};
use crate::params::id;
use crate::population::{rng, sample};
use crate::regimen::DoseEvent;
use crate::solve::{simulate_at_with, SolveError, StiffSolver};
use rand::RngExt;
use rand_distr::StandardNormal;

/// One randomised patient's record.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientRecord {
    /// Patient number within the replicate (randomisation order).
    pub index: u64,
    /// Arm index.
    pub arm: usize,
    /// Screenings needed to enrol this patient (1 = the first drawn).
    pub screened: u64,
    /// Rated screening score.
    pub screening: f64,
    /// True (unrated) score at the baseline visit.
    pub true_baseline: f64,
    /// Rated score at the baseline visit (day 0, before the first dose).
    pub baseline: f64,
    /// Rated score at each visit of [`TrialSpec::visits_d`] (None after dropout).
    pub rated: Vec<Option<f64>>,
    /// True score at each visit (kept after dropout, for teaching).
    pub true_score: Vec<f64>,
    /// Day of dropout, if the patient left before the last visit.
    pub dropout_d: Option<f64>,
}

/// A run of one trial (one replicate).
#[derive(Debug, Clone)]
pub struct TrialRun {
    /// Patients in randomisation order.
    pub patients: Vec<PatientRecord>,
    /// Patients whose simulation failed (left out, and reported), with the
    /// error's message.
    pub failures: Vec<(u64, String)>,
}

/// Everything needed to simulate one arm's patients.
struct ArmSetup {
    scenario: crate::scenario::Scenario,
    doses: Vec<DoseEvent>,
    vary: Vec<sample::Varying>,
}

/// Stream keys of the trial's random draws (besides the parameters).
fn key(what: &str) -> u64 {
    rng::key_of(what)
}

/// One rating: the true score plus rater noise, rounded to whole points
/// within the 0-60 scale.
fn rate(true_score: f64, sd: f64, r: &mut impl rand::Rng) -> f64 {
    let z: f64 = r.sample(StandardNormal);
    (true_score + sd * z).round().clamp(0.0, 60.0)
}

/// Runs one replicate of `spec` with `per_arm` patients per arm.
pub fn run(spec: &TrialSpec, per_arm: u64, seed: u64) -> Result<TrialRun, TrialError> {
    run_with_progress(spec, per_arm, seed, &|_| {})
}

/// [`run`], calling `progress(done)` as patients finish.
pub fn run_with_progress(
    spec: &TrialSpec,
    per_arm: u64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<TrialRun, TrialError> {
    let arms: Vec<ArmSetup> = spec
        .arm_scenarios()?
        .into_iter()
        .map(|s| ArmSetup {
            doses: s.regimen.as_ref().map(|r| r.expand()).unwrap_or_default(),
            vary: sample::varying(&s),
            scenario: s,
        })
        .collect();
    let n = per_arm * arms.len() as u64;
    let (results, _) = crate::population::par::run_indexed(
        n,
        4,
        || (),
        |k, _| simulate(spec, &arms, seed, k),
        progress,
    );
    let mut run = TrialRun {
        patients: Vec::with_capacity(n as usize),
        failures: Vec::new(),
    };
    for (k, r) in results.into_iter().enumerate() {
        match r {
            Ok(p) => run.patients.push(p),
            Err(e) => run.failures.push((k as u64, e.to_string())),
        }
    }
    Ok(run)
}

/// Screens, randomises and follows patient `k`.
fn simulate(
    spec: &TrialSpec,
    arms: &[ArmSetup],
    seed: u64,
    k: u64,
) -> Result<PatientRecord, SolveError> {
    let arm = (k % arms.len() as u64) as usize;
    let a = &arms[arm];
    let mut noise = rng::stream(seed, k, key("trial.rater"));
    // Screening: the whole patient is drawn afresh until the *rated*
    // screening score meets the entry criterion (the arms share one
    // population: a patient's draws do not depend on the arm).
    // After MAX_SCREENS attempts the last patient is kept anyway.
    let (mut attempt, mut params, mut screening);
    attempt = 0;
    loop {
        params = sample::patient_params_attempt(&a.scenario.params, &a.vary, seed, k, attempt).0;
        let untreated = crate::symptom::Symptom::new(&params).baseline_score();
        screening = rate(untreated, spec.rater_sd, &mut noise);
        attempt += 1;
        if screening >= spec.entry_min_score || attempt == sample::MAX_SCREENS {
            break;
        }
    }
    let screened = attempt;
    let model = Model::new(&params);
    let integrator = StiffSolver::for_population(&params);
    let mut times = vec![0.0];
    times.extend(spec.visits_d.iter().map(|d| d * 24.0));
    let mut true_score = Vec::with_capacity(times.len());
    simulate_at_with(
        &model,
        &integrator,
        &a.doses,
        &times,
        Detail::Outcomes,
        |o| true_score.push(o.symptom_score),
    )?;
    let true_baseline = true_score[0];
    let baseline = rate(true_baseline, spec.rater_sd, &mut noise);
    let dropout_d = dropout_day(spec, seed, k);
    let visits = &true_score[1..];
    let rated = spec
        .visits_d
        .iter()
        .zip(visits)
        .map(|(&d, &s)| {
            let r = rate(s, spec.rater_sd, &mut noise);
            match dropout_d {
                Some(out) if d > out => None,
                _ => Some(r),
            }
        })
        .collect();
    Ok(PatientRecord {
        index: k,
        arm,
        screened,
        screening,
        true_baseline,
        baseline,
        rated,
        true_score: visits.to_vec(),
        dropout_d,
    })
}

/// Day a patient leaves the trial (exponential with the trial's weekly
/// dropout probability), or None when it stays to the last visit.
fn dropout_day(spec: &TrialSpec, seed: u64, k: u64) -> Option<f64> {
    if spec.dropout_per_week <= 0.0 {
        return None;
    }
    let rate_per_d = -(1.0 - spec.dropout_per_week).ln() / 7.0;
    let u: f64 = rng::stream(seed, k, key("trial.dropout")).random();
    let day = -(1.0 - u).ln() / rate_per_d;
    let last = spec.visits_d.last().copied().unwrap_or(0.0);
    (day < last).then_some(day)
}

/// The seed of replicate `r` of a trial run with `seed` (replicate 0 is
/// `seed` itself, so `--replicates 1` repeats the plain run).
pub fn replicate_seed(seed: u64, r: u64) -> u64 {
    if r == 0 {
        seed
    } else {
        rng::splitmix64(seed ^ rng::splitmix64(r))
    }
}

/// Power: the share of `replicates` trials whose primary comparison
/// (each active arm against the control, ANCOVA) reaches p < `alpha`.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerPoint {
    /// Patients per arm.
    pub per_arm: u64,
    /// Replicates run.
    pub replicates: u64,
    /// Per comparison (active arm index): share with p < alpha, and its
    /// Wilson 95 % interval.
    pub power: Vec<stats::Proportion>,
    /// Per comparison: the mean estimated difference at the primary visit.
    pub mean_difference: Vec<f64>,
}

/// Runs `replicates` trials of `per_arm` patients per arm and counts how
/// many reach significance.
pub fn power(
    spec: &TrialSpec,
    per_arm: u64,
    replicates: u64,
    seed: u64,
    alpha: f64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<PowerPoint, TrialError> {
    let comparisons = spec.arms.len() - 1;
    let mut hits = vec![0usize; comparisons];
    let mut sums = vec![0.0; comparisons];
    let mut counted = vec![0usize; comparisons];
    for r in 0..replicates {
        let run = run_with_progress(spec, per_arm, replicate_seed(seed, r), &|_| {})?;
        let a = analyse(spec, &run);
        for (c, cmp) in a.comparisons.iter().enumerate() {
            if let Some(d) = &cmp.ancova {
                counted[c] += 1;
                sums[c] += d.estimate;
                hits[c] += usize::from(d.p < alpha);
            }
        }
        progress(r + 1);
    }
    Ok(PowerPoint {
        per_arm,
        replicates,
        power: (0..comparisons)
            .map(|c| stats::wilson(hits[c], counted[c], 0.95))
            .collect(),
        mean_difference: (0..comparisons)
            .map(|c| sums[c] / counted[c].max(1) as f64)
            .collect(),
    })
}

/// The rated entry criterion replaces the population's screening on the
/// true score: a trial's patients are screened once, on a rating.
pub(crate) fn without_true_screening(p: &mut crate::params::Params) {
    p.set_unchecked(id::ENTRY_MIN_SCORE, 0.0);
}

#[cfg(test)]
mod tests;
