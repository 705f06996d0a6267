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
pub mod survival;

pub use analysis::{analyse, Analysis, ArmVisit, Comparison};
pub use spec::{builtin_trial, Arm, RelapseRule, TrialError, TrialSpec, BUILTIN_TRIALS};

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
    // Chunks of LANES patients per arm, at fixed offsets (see `group`).
    let chunk = LANES as u64 * arms.len() as u64;
    let (results, _) = crate::population::par::run_chunked(
        n,
        chunk,
        || (),
        |range, _| simulate_chunk(spec, &arms, seed, range, n),
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

/// Patients integrated together in lock-step.
const LANES: usize = crate::population::LANES;

/// The patients of `range` (a whole chunk of [`LANES`] per arm, or the
/// last, shorter one), in index order.
fn simulate_chunk(
    spec: &TrialSpec,
    arms: &[ArmSetup],
    seed: u64,
    range: std::ops::Range<u64>,
    n: u64,
) -> Vec<Result<PatientRecord, SolveError>> {
    let per_chunk = LANES as u64 * arms.len() as u64;
    let j = range.start / per_chunk;
    let mut by_arm: Vec<std::vec::IntoIter<Option<Result<PatientRecord, SolveError>>>> = (0..arms
        .len())
        .map(|arm| simulate_group(spec, arms, seed, group(arms.len(), arm, j), n).into_iter())
        .collect();
    range
        .map(|k| {
            let arm = (k % arms.len() as u64) as usize;
            by_arm[arm]
                .next()
                .flatten()
                .expect("each arm's group holds its patients of the chunk in order")
        })
        .collect()
}

/// Lock-step group `j` of arm `arm`: patients `arm + arms * (LANES * j + l)`
/// for the lanes `l`. The group depends on the patient's number alone, never
/// on the trial's size (lanes past the last patient are still simulated and
/// then dropped), so a patient's record is the same in a trial of any size:
/// what [`power_curve`] relies on.
fn group(arms: usize, arm: usize, j: u64) -> [u64; LANES] {
    std::array::from_fn(|l| arm as u64 + arms as u64 * (LANES as u64 * j + l as u64))
}

/// A screened patient, before treatment.
struct Enrolled {
    k: u64,
    params: crate::params::Params,
    noise: rand_pcg::Pcg64Mcg,
    screened: u64,
    screening: f64,
}

/// Simulates the patients of one lock-step group; `None` for those at or
/// past `n` (not in this trial) when the group falls back to one patient at
/// a time.
fn simulate_group(
    spec: &TrialSpec,
    arms: &[ArmSetup],
    seed: u64,
    ks: [u64; LANES],
    n: u64,
) -> Vec<Option<Result<PatientRecord, SolveError>>> {
    let arm = (ks[0] % arms.len() as u64) as usize;
    let a = &arms[arm];
    let mut enrolled: Vec<Enrolled> = ks.iter().map(|&k| screen(spec, a, seed, k)).collect();
    if let Some(scores) = true_scores_lockstep(spec, a, &enrolled) {
        return enrolled
            .into_iter()
            .zip(scores)
            .map(|(e, sc)| (e.k < n).then(|| Ok(record(spec, seed, arm, e, &sc))))
            .collect();
    }
    // Not batchable, or the batch stopped: one patient at a time, which
    // also reports a failure in the one-patient path's words.
    enrolled
        .drain(..)
        .map(|e| {
            (e.k < n).then(|| {
                let sc = true_scores_alone(spec, a, &e.params)?;
                Ok(record(spec, seed, arm, e, &sc))
            })
        })
        .collect()
}

/// Screening: the whole patient is drawn afresh until the *rated*
/// screening score meets the entry criterion (the arms share one
/// population: a patient's draws do not depend on the arm). After
/// `MAX_SCREENS` attempts the last patient is kept anyway.
fn screen(spec: &TrialSpec, a: &ArmSetup, seed: u64, k: u64) -> Enrolled {
    let mut noise = rng::stream(seed, k, key("trial.rater"));
    let mut attempt = 0;
    loop {
        let params =
            sample::patient_params_attempt(&a.scenario.params, &a.vary, seed, k, attempt).0;
        let untreated = crate::symptom::Symptom::new(&params).baseline_score();
        let screening = rate(untreated, spec.rater_sd, &mut noise);
        attempt += 1;
        if screening >= spec.entry_min_score || attempt == sample::MAX_SCREENS {
            return Enrolled {
                k,
                params,
                noise,
                screened: attempt,
                screening,
            };
        }
    }
}

/// Baseline (hour 0) and visit hours.
fn visit_hours(spec: &TrialSpec) -> Vec<f64> {
    let mut times = vec![0.0];
    times.extend(spec.visits_d.iter().map(|d| d * 24.0));
    times
}

/// True scores at baseline and every visit, one patient alone.
fn true_scores_alone(
    spec: &TrialSpec,
    a: &ArmSetup,
    params: &crate::params::Params,
) -> Result<Vec<f64>, SolveError> {
    let model = Model::new(params);
    let integrator = StiffSolver::for_population(params);
    let mut scores = Vec::with_capacity(spec.visits_d.len() + 1);
    simulate_at_with(
        &model,
        &integrator,
        &a.doses,
        &visit_hours(spec),
        Detail::Outcomes,
        |o| scores.push(o.symptom_score),
    )?;
    Ok(scores)
}

/// True scores at baseline and every visit for a whole group in lock-step
/// ([`crate::solve::batch`]); `None` if the group cannot share a batch.
fn true_scores_lockstep(
    spec: &TrialSpec,
    a: &ArmSetup,
    group: &[Enrolled],
) -> Option<Vec<Vec<f64>>> {
    let tol = crate::population::lockstep_tolerance(group.iter().map(|e| &e.params))?;
    let models: Vec<Model> = group.iter().map(|e| Model::new(&e.params)).collect();
    let lanes: [&Model; LANES] = std::array::from_fn(|l| &models[l]);
    let times = visit_hours(spec);
    let mut scores: Vec<Vec<f64>> = (0..LANES)
        .map(|_| Vec::with_capacity(times.len()))
        .collect();
    let mut work = crate::solve::esdirk::Stats::default();
    crate::solve::batch::simulate_lanes(lanes, &a.doses, &times, tol, &mut work, |l, t, y, inf| {
        scores[l].push(
            lanes[l]
                .observe_with(t, y, inf, Detail::Outcomes)
                .symptom_score,
        );
    })
    .ok()?;
    Some(scores)
}

/// Rates an enrolled patient at baseline and every visit from its true
/// scores (`scores[0]` at baseline), with dropout.
fn record(spec: &TrialSpec, seed: u64, arm: usize, e: Enrolled, scores: &[f64]) -> PatientRecord {
    let Enrolled {
        k,
        mut noise,
        screened,
        screening,
        ..
    } = e;
    let true_baseline = scores[0];
    let baseline = rate(true_baseline, spec.rater_sd, &mut noise);
    let dropout_d = dropout_day(spec, seed, k);
    let visits = &scores[1..];
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
    PatientRecord {
        index: k,
        arm,
        screened,
        screening,
        true_baseline,
        baseline,
        rated,
        true_score: visits.to_vec(),
        dropout_d,
    }
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
    let mut curve = power_curve(spec, &[per_arm], replicates, seed, alpha, progress)?;
    Ok(curve.remove(0))
}

/// [`power`] for several trial sizes at once, calling `progress(r)` after
/// replicate `r` of all sizes. Patient `k` of a replicate depends only on
/// the replicate's seed and `k` (never on the trial's size), so a trial of
/// `n` per arm is the first `n * arms` patients of the largest one: each
/// replicate is simulated once, at the largest size, and analysed at every
/// size. The numbers are those of separate runs per size; the work is that
/// of the largest size alone.
pub fn power_curve(
    spec: &TrialSpec,
    sizes: &[u64],
    replicates: u64,
    seed: u64,
    alpha: f64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<PowerPoint>, TrialError> {
    let comparisons = spec.arms.len() - 1;
    let arms = spec.arms.len() as u64;
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let mut hits = vec![vec![0usize; comparisons]; sizes.len()];
    let mut sums = vec![vec![0.0; comparisons]; sizes.len()];
    let mut counted = vec![vec![0usize; comparisons]; sizes.len()];
    for r in 0..replicates {
        let run = run_with_progress(spec, largest, replicate_seed(seed, r), &|_| {})?;
        for (i, &n) in sizes.iter().enumerate() {
            let a = analyse(spec, &run.first(n * arms));
            for (c, cmp) in a.comparisons.iter().enumerate() {
                if let Some(d) = &cmp.ancova {
                    counted[i][c] += 1;
                    sums[i][c] += d.estimate;
                    hits[i][c] += usize::from(d.p < alpha);
                }
            }
        }
        progress(r + 1);
    }
    Ok(sizes
        .iter()
        .enumerate()
        .map(|(i, &per_arm)| PowerPoint {
            per_arm,
            replicates,
            power: (0..comparisons)
                .map(|c| stats::wilson(hits[i][c], counted[i][c], 0.95))
                .collect(),
            mean_difference: (0..comparisons)
                .map(|c| sums[i][c] / counted[i][c].max(1) as f64)
                .collect(),
        })
        .collect())
}

impl TrialRun {
    /// The same trial with only its patients `0..n` (patients are numbered
    /// across the arms, so the first `n` are a smaller trial of the same
    /// design and seed).
    pub fn first(&self, n: u64) -> TrialRun {
        TrialRun {
            patients: self
                .patients
                .iter()
                .filter(|p| p.index < n)
                .cloned()
                .collect(),
            failures: self
                .failures
                .iter()
                .filter(|(k, _)| *k < n)
                .cloned()
                .collect(),
        }
    }
}

/// The rated entry criterion replaces the population's screening on the
/// true score: a trial's patients are screened once, on a rating.
pub(crate) fn without_true_screening(p: &mut crate::params::Params) {
    p.set_unchecked(id::ENTRY_MIN_SCORE, 0.0);
}

#[cfg(test)]
mod tests;
