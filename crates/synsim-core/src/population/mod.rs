//! Virtual patients: between-patient variability, per-patient random
//! streams, parallel runs and streamed statistics.
//!
//! A population is the scenario's typical patient repeated `N` times with
//! the parameters that vary between people ([`sample`]) drawn afresh for
//! each patient from its own random stream ([`rng`]). Patients run in
//! parallel on the rayon pool ([`par`]); each one is integrated with
//! [`crate::solve::simulate_each`] and never stored: its outcomes
//! ([`outcome`]) are computed on the fly and its trajectory goes into
//! per-thread histograms ([`bands`]). Everything is bit-identical for any
//! number of threads.
//!
//! ```no_run
//! use synsim_core::population::{self, Options, Setup};
//! use synsim_core::scenario::Scenario;
//!
//! let setup = Setup::new(Scenario::load("ketamine-iv-single").unwrap()).unwrap();
//! let pop = population::run(setup, &Options { patients: 500, ..Options::default() }, &|_| {}).unwrap();
//! let s = pop.summary();
//! println!("response at 24 h: {:.0} %", 100.0 * s.response[0].value);
//! ```

pub mod bands;
pub mod export;
pub mod outcome;
pub mod par;
pub mod rng;
pub mod sample;
pub mod stats;

use crate::model::{Detail, Model, Observables};
use crate::params::{fmt_num, REGISTRY};
use crate::regimen::{DoseEvent, Drug};
use crate::run::window;
use crate::scenario::Scenario;
use crate::solve::{
    pk_each, simulate_at_with, simulate_each_with, Integrator, SolveError, StiffSolver, Window,
};
use bands::{BandAccumulator, Bands, Quantity, RowBuffer};
use outcome::{Outcome, Tracker};
use sample::Varying;
use stats::Estimate;
use std::sync::atomic::{AtomicBool, Ordering};
use thiserror::Error;

/// Largest population synsim accepts.
pub const MAX_PATIENTS: u64 = 10_000_000;
/// Patients per work chunk (also the progress-bar step).
pub const CHUNK: u64 = 16;
/// The default population output step: the scenario's, but at least this
/// (every output row costs time for every patient), hours.
pub const MIN_DEFAULT_DT_H: f64 = 1.0;
/// The output grid is graded: every `dt_out` for this long after each dose
/// starts, hours ...
pub const DENSE_AFTER_DOSE_H: f64 = 48.0;
/// ... and every this many hours (or `dt_out`, if longer) elsewhere.
pub const SPARSE_DT_H: f64 = 6.0;
/// Output step of the finer look at the first dose (dissociation peak), hours.
pub const ACUTE_DT_H: f64 = 2.0 / 60.0;
/// Length of the finer look at the first dose, hours.
pub const ACUTE_SPAN_H: f64 = 3.0;

/// Why a population could not be run.
#[derive(Debug, Error)]
pub enum PopulationError {
    /// Bad size, seed or scenario for a population.
    #[error("{0}")]
    Input(String),
    /// Stopped on request before every patient was simulated.
    #[error("the population was stopped before it finished")]
    Stopped,
    /// Every virtual patient's run failed (the first failure is shown).
    #[error("no virtual patient could be simulated; patient {index} ({params})")]
    AllFailed {
        /// Patient index.
        index: u64,
        /// Its sampled parameters, `name=value` list.
        params: String,
        /// The solver's error.
        #[source]
        source: SolveError,
    },
}

/// What the runner should compute besides the per-patient outcomes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Number of virtual patients.
    pub patients: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// Track percentile bands and response rates over time.
    pub bands: bool,
    /// Keep the score trajectories of the first this-many patients.
    pub individuals: usize,
    /// Look at the first dose every 2 minutes for the dissociation peak.
    pub acute_dissociation: bool,
    /// Integrate patients in lock-step batches of [`LANES`]
    /// ([`crate::solve::batch`]); off, every patient runs on its own.
    pub lockstep: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            patients: 1000,
            seed: 1,
            bands: true,
            individuals: 6,
            acute_dissociation: false,
            lockstep: true,
        }
    }
}

/// Checks a requested number of patients.
pub fn check_patients(flag: &str, n: i64) -> Result<u64, PopulationError> {
    if n < 1 || n as u64 > MAX_PATIENTS {
        return Err(PopulationError::Input(format!(
            "{flag} {n}: the number of virtual patients must be between 1 and {MAX_PATIENTS}"
        )));
    }
    Ok(n as u64)
}

/// The population output grid: the regular grid `regular` (step `dt_h`)
/// kept in full for [`DENSE_AFTER_DOSE_H`] after each dose starts and
/// thinned to every [`SPARSE_DT_H`] elsewhere; the first and last times,
/// the outcome times of [`outcome::FIXED_TIMES_H`] and 24 h after the last
/// dose stay wherever they fall on the grid. Every output row costs time
/// for every patient, and weeks after a dose the bands change slowly.
pub fn graded_times(
    regular: &[f64],
    doses: &[DoseEvent],
    dt_h: f64,
    last_dose_h: Option<f64>,
) -> Vec<f64> {
    let Some(&t0) = regular.first() else {
        return Vec::new();
    };
    let every = (SPARSE_DT_H / dt_h).round().max(1.0) as usize;
    let mut keep_at: Vec<f64> = outcome::FIXED_TIMES_H.iter().map(|(_, t)| *t).collect();
    keep_at.extend(last_dose_h.map(|t| t + 24.0));
    let near = |t: f64, u: f64| (t - u).abs() <= 1e-9 * t.abs().max(1.0);
    let last = regular.len() - 1;
    regular
        .iter()
        .enumerate()
        .filter(|&(k, &t)| {
            k == 0
                || k == last
                || (((t - t0) / dt_h).round() as usize).is_multiple_of(every)
                || doses
                    .iter()
                    .any(|d| t >= d.time_h && t <= d.time_h + DENSE_AFTER_DOSE_H)
                || keep_at.iter().any(|&u| near(t, u))
        })
        .map(|(_, &t)| t)
        .collect()
}

/// Everything shared by the patients of one scenario.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The scenario (typical patient, regimen, run length, output step).
    pub scenario: Scenario,
    /// Expanded doses (times are the same for every patient).
    pub doses: Vec<DoseEvent>,
    /// Drugs given.
    pub drugs: Vec<Drug>,
    /// Output window.
    pub window: Window,
    /// Output times.
    pub times: Vec<f64>,
    /// Parameters that vary between patients.
    pub vary: Vec<Varying>,
    /// Start of the last dose, hours.
    pub last_dose_h: Option<f64>,
}

impl Setup {
    /// Prepares a scenario for a population run with its variability.
    pub fn new(scenario: Scenario) -> Result<Setup, PopulationError> {
        let vary = sample::varying(&scenario);
        Setup::with_vary(scenario, vary)
    }

    /// Prepares the scenario's typical patient only (no variability).
    pub fn typical(scenario: Scenario) -> Result<Setup, PopulationError> {
        Setup::with_vary(scenario, Vec::new())
    }

    fn with_vary(scenario: Scenario, vary: Vec<Varying>) -> Result<Setup, PopulationError> {
        let doses = scenario
            .regimen
            .as_ref()
            .map(|r| r.expand())
            .unwrap_or_default();
        let drugs = scenario
            .regimen
            .as_ref()
            .map(|r| r.drugs())
            .unwrap_or_default();
        let w = window(&scenario);
        let regular = w
            .times()
            .map_err(|e| PopulationError::Input(e.to_string()))?;
        let last_dose_h = doses.iter().map(|d| d.time_h).reduce(f64::max);
        let times = graded_times(&regular, &doses, w.dt_out_h, last_dose_h);
        Ok(Setup {
            scenario,
            doses,
            drugs,
            window: w,
            times,
            vary,
            last_dose_h,
        })
    }

    /// A fresh outcome tracker for a patient of this set-up with `model`.
    fn tracker(&self, model: &Model) -> Tracker {
        let end_h = self.times.last().copied().unwrap_or(0.0);
        Tracker::new(
            model.symptom.baseline_score(),
            self.last_dose_h,
            self.window.dt_out_h,
            end_h,
        )
    }

    /// The quantities tracked in the bands: score, synapse density and the
    /// main drug's plasma concentration (none for placebo-only regimens).
    pub fn band_quantities(&self) -> Vec<Quantity> {
        let mut q = vec![bands::SCORE, bands::SYNAPSE];
        if let Some(p) = main_plasma(&self.drugs) {
            q.push(p);
        }
        q
    }

    /// The first dose's acute window, if the regimen has an NMDA blocker.
    fn acute(&self) -> Option<(Vec<DoseEvent>, Window)> {
        let nmda = self
            .drugs
            .iter()
            .any(|d| matches!(d, Drug::Ketamine | Drug::Esketamine));
        let first = self.doses.first()?.time_h;
        nmda.then(|| {
            let end = first + ACUTE_SPAN_H;
            let doses = self
                .doses
                .iter()
                .filter(|d| d.time_h < end)
                .copied()
                .collect();
            (
                doses,
                Window {
                    start_h: first,
                    end_h: end,
                    dt_out_h: ACUTE_DT_H,
                },
            )
        })
    }

    /// Name=value list of one patient's sampled parameters (for messages).
    pub fn describe(&self, drawn: &[f64]) -> String {
        self.vary
            .iter()
            .zip(drawn)
            .map(|(v, x)| format!("{}={}", REGISTRY[v.id.0].name, fmt_num(*x)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The band quantity of the main drug's plasma concentration.
pub fn main_plasma(drugs: &[Drug]) -> Option<Quantity> {
    let axis = bands::PLASMA_AXIS;
    drugs.iter().find_map(|d| match d {
        Drug::Ketamine => Some(Quantity {
            name: "plasma_ketamine_ng_ml",
            get: |o: &Observables| o.plasma.ketamine,
            axis,
        }),
        Drug::Esketamine => Some(Quantity {
            name: "plasma_esketamine_ng_ml",
            get: |o: &Observables| o.plasma.esketamine,
            axis,
        }),
        Drug::Escitalopram => Some(Quantity {
            name: "plasma_escitalopram_ng_ml",
            get: |o: &Observables| o.plasma.escitalopram,
            axis,
        }),
        Drug::Placebo => None,
    })
}

/// One simulated patient.
#[derive(Debug, Clone)]
pub struct PatientResult {
    /// Patient index (0-based; its random streams derive from it).
    pub index: u64,
    /// Sampled values, in the order of [`Setup::vary`].
    pub drawn: Vec<f64>,
    /// Outcomes.
    pub outcome: Outcome,
    /// Score at every output time (kept for the first few patients only).
    pub trace: Option<Vec<f64>>,
    /// What the integration of this patient cost; for a patient
    /// integrated in lock-step, what its whole batch cost (every patient of
    /// a batch takes the same steps).
    pub work: crate::solve::esdirk::Stats,
    /// Position in its lock-step batch (0 when integrated on its own).
    pub lane: u8,
    /// Patients in its lock-step batch, padding included (1 on its own).
    pub lanes: u8,
}

/// A virtual patient whose run failed (left out of every statistic and
/// reported instead).
#[derive(Debug)]
pub struct Failure {
    /// Patient index.
    pub index: u64,
    /// Sampled values, in the order of [`Setup::vary`].
    pub drawn: Vec<f64>,
    /// What went wrong.
    pub error: SolveError,
}

/// Simulates patient `index`. With `rows`, its values at every output time
/// are recorded there (cleared first) for the bands.
pub fn simulate_patient(
    setup: &Setup,
    index: u64,
    seed: u64,
    mut rows: Option<&mut RowBuffer>,
    keep_trace: bool,
    acute: bool,
) -> Result<PatientResult, Failure> {
    let (params, drawn) = sample::patient_params(&setup.scenario.params, &setup.vary, seed, index);
    let model = Model::new(&params);
    let integrator = StiffSolver::for_population(&params);
    let mut tracker = setup.tracker(&model);
    let mut trace = keep_trace.then(|| Vec::with_capacity(setup.times.len()));
    if let Some(r) = rows.as_deref_mut() {
        r.clear();
    }
    let mut run = simulate_at_with(
        &model,
        &integrator,
        &setup.doses,
        &setup.times,
        Detail::Outcomes,
        |o| {
            let (resp, rem) = tracker.feed(&model.symptom, o);
            if let Some(r) = rows.as_deref_mut() {
                r.push(o, resp, rem);
            }
            if let Some(t) = trace.as_mut() {
                t.push(o.symptom_score);
            }
        },
    );
    if acute && run.is_ok() {
        if let Some((doses, w)) = setup.acute() {
            // Without tolerance, dissociation depends on PK alone, which is
            // exact without integrating anything; tolerance builds during
            // the session itself, so then the full model runs.
            run = if model.slow.receptor.tolerance_gain_per_h == 0.0 {
                pk_each(&model, &doses, &w, |_, y| {
                    tracker.see_dissociation(model.dissociation(y))
                })
            } else {
                simulate_each_with(&model, &integrator, &doses, &w, Detail::Outcomes, |o| {
                    tracker.see_dissociation(o.dissociation)
                })
            };
        }
    }
    match run {
        Ok(()) => Ok(PatientResult {
            index,
            drawn,
            outcome: tracker.finish(),
            trace,
            work: integrator.stats(),
            lane: 0,
            lanes: 1,
        }),
        Err(error) => Err(Failure {
            index,
            drawn,
            error,
        }),
    }
}

/// Patients integrated together in lock-step.
pub const LANES: usize = crate::model::lanes::L;

/// The one tolerance a lock-step batch of these patients integrates with,
/// or `None` when their population tolerances differ (they then run one at
/// a time).
pub(crate) fn lockstep_tolerance<'a>(
    patients: impl IntoIterator<Item = &'a crate::params::Params>,
) -> Option<crate::solve::esdirk::Tolerance> {
    let mut tols = patients.into_iter().map(|p| {
        let s = StiffSolver::for_population(p);
        (s.rtol, s.atol)
    });
    let (rtol, atol) = tols.next()?;
    tols.all(|t| t == (rtol, atol))
        .then_some(crate::solve::esdirk::Tolerance { rtol, atol })
}

/// Simulates patients `first..first + n` (`n <= LANES`) in one lock-step
/// batch; `rows[l]` receives patient `first + l`'s rows for the bands.
/// `None` if the batch cannot be run or stops (its patients then run one
/// at a time, which also reports any failure in the scalar path's words).
fn simulate_batch(
    setup: &Setup,
    first: u64,
    n: usize,
    opt: &Options,
    mut rows: Option<&mut [RowBuffer]>,
) -> Option<Vec<PatientResult>> {
    let (seed, individuals) = (opt.seed, opt.individuals);
    // A short batch repeats its last patient (the copies are dropped).
    let drawn: Vec<(crate::params::Params, Vec<f64>)> = (0..LANES)
        .map(|l| {
            let i = first + l.min(n - 1) as u64;
            sample::patient_params(&setup.scenario.params, &setup.vary, seed, i)
        })
        .collect();
    let tol = lockstep_tolerance(drawn.iter().map(|(p, _)| p))?;
    let models: Vec<Model> = drawn.iter().map(|(p, _)| Model::new(p)).collect();
    let lanes: [&Model; LANES] = std::array::from_fn(|l| &models[l]);
    let mut trackers: Vec<Tracker> = models.iter().map(|m| setup.tracker(m)).collect();
    let mut traces: Vec<Option<Vec<f64>>> = (0..LANES)
        .map(|l| {
            ((first as usize + l) < individuals).then(|| Vec::with_capacity(setup.times.len()))
        })
        .collect();
    if let Some(r) = rows.as_deref_mut() {
        r.iter_mut().for_each(RowBuffer::clear);
    }
    let mut work = crate::solve::esdirk::Stats::default();
    crate::solve::batch::simulate_lanes(
        lanes,
        &setup.doses,
        &setup.times,
        tol,
        &mut work,
        |l, t, state, inf| {
            let m = lanes[l];
            let o = m.observe_with(t, state, inf, Detail::Outcomes);
            let (resp, rem) = trackers[l].feed(&m.symptom, &o);
            if let Some(r) = rows.as_deref_mut() {
                r[l].push(&o, resp, rem);
            }
            if let Some(t) = traces[l].as_mut() {
                t.push(o.symptom_score);
            }
        },
    )
    .ok()?;
    if opt.acute_dissociation {
        if let Some((doses, w)) = setup.acute() {
            let times = w.times().ok()?;
            crate::solve::batch::simulate_lanes(
                lanes,
                &doses,
                &times,
                tol,
                &mut work,
                |l, _, state, _| trackers[l].see_dissociation(lanes[l].dissociation(state)),
            )
            .ok()?;
        }
    }
    Some(
        trackers
            .into_iter()
            .zip(traces)
            .zip(drawn)
            .take(n)
            .enumerate()
            .map(|(l, ((tracker, trace), (_, drawn)))| PatientResult {
                index: first + l as u64,
                drawn,
                outcome: tracker.finish(),
                trace,
                work,
                lane: l as u8,
                lanes: LANES as u8,
            })
            .collect(),
    )
}

/// Simulates patients `range` of `setup` with the options of `opt`
/// (lock-step batches of [`LANES`] from the start of the range, or one at
/// a time), adding each finished patient's rows to the band accumulator
/// of `bands` (with one row buffer per lane). Results are in index order.
pub fn simulate_range(
    setup: &Setup,
    range: std::ops::Range<u64>,
    opt: &Options,
    mut bands: Option<(&mut [RowBuffer], &mut BandAccumulator)>,
) -> Vec<Result<PatientResult, Failure>> {
    let mut out = Vec::with_capacity((range.end - range.start) as usize);
    let mut first = range.start;
    while first < range.end {
        let n = (range.end - first).min(LANES as u64) as usize;
        let batched = if opt.lockstep {
            simulate_batch(
                setup,
                first,
                n,
                opt,
                bands.as_mut().map(|(r, _)| &mut r[..]),
            )
        } else {
            None
        };
        match batched {
            Some(rs) => {
                if let Some((rows, acc)) = bands.as_mut() {
                    for r in &rows[..n] {
                        acc.add_rows(r);
                    }
                }
                out.extend(rs.into_iter().map(Ok));
            }
            None => {
                for i in first..first + n as u64 {
                    let keep = (i as usize) < opt.individuals;
                    let rows = bands.as_mut().map(|(r, _)| &mut r[0]);
                    let r =
                        simulate_patient(setup, i, opt.seed, rows, keep, opt.acute_dissociation);
                    if let (Ok(_), Some((rows, acc))) = (&r, bands.as_mut()) {
                        acc.add_rows(&rows[0]);
                    }
                    out.push(r);
                }
            }
        }
        first += n as u64;
    }
    out
}

/// Row buffers for one batch of patients (for [`simulate_range`]).
pub fn batch_rows(setup: &Setup) -> Vec<RowBuffer> {
    let q = setup.band_quantities();
    (0..LANES).map(|_| RowBuffer::new(&q)).collect()
}

/// Per-worker scratch space: the band histograms and the rows of one
/// lock-step batch of patients.
struct Worker {
    acc: BandAccumulator,
    rows: Vec<RowBuffer>,
}

/// A finished population.
#[derive(Debug)]
pub struct Population {
    /// What was run.
    pub setup: Setup,
    /// The seed used.
    pub seed: u64,
    /// Every patient, in index order.
    pub patients: Vec<PatientResult>,
    /// Percentile bands and response rates over time (if asked for).
    pub bands: Option<Bands>,
    /// Patients whose run failed, in index order (left out of every statistic).
    pub failed: Vec<Failure>,
}

/// Runs `opt.patients` virtual patients on the current rayon pool.
/// `progress` is called with the number of patients just finished.
pub fn run(
    setup: Setup,
    opt: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Population, PopulationError> {
    run_until(setup, opt, progress, &AtomicBool::new(false))
}

/// [`run`] that gives up between chunks of [`CHUNK`] patients once `stop`
/// is set (a server's client went away): [`PopulationError::Stopped`].
pub fn run_until(
    setup: Setup,
    opt: &Options,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> Result<Population, PopulationError> {
    if opt.patients == 0 || opt.patients > MAX_PATIENTS {
        return Err(PopulationError::Input(format!(
            "{} virtual patients: use between 1 and {MAX_PATIENTS}",
            opt.patients
        )));
    }
    let quantities = setup.band_quantities();
    let t_len = setup.times.len();
    let init = || {
        opt.bands.then(|| Worker {
            acc: BandAccumulator::new(&quantities, t_len),
            rows: (0..LANES).map(|_| RowBuffer::new(&quantities)).collect(),
        })
    };
    // Lock-step batches at fixed offsets in each chunk (CHUNK is a
    // multiple of LANES), so the batches never depend on the threads.
    let job = |range: std::ops::Range<u64>, w: &mut Option<Worker>| {
        if stop.load(Ordering::Relaxed) {
            return Vec::new();
        }
        let bands = w.as_mut().map(|w| (&mut w.rows[..], &mut w.acc));
        simulate_range(&setup, range, opt, bands)
    };
    let (results, workers) = par::run_chunked(opt.patients, CHUNK, init, job, progress);
    if stop.load(Ordering::Relaxed) {
        return Err(PopulationError::Stopped);
    }
    let mut patients = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for r in results {
        match r {
            Ok(p) => patients.push(p),
            Err(f) => failed.push(f),
        }
    }
    if patients.is_empty() {
        let f = failed.swap_remove(0);
        return Err(PopulationError::AllFailed {
            index: f.index,
            params: setup.describe(&f.drawn),
            source: f.error,
        });
    }
    let bands = workers
        .into_iter()
        .flatten()
        .map(|w| w.acc)
        .reduce(|mut a, b| {
            a.merge(&b);
            a
        });
    let bands = bands.map(|b| b.finish(&setup.times));
    Ok(Population {
        seed: opt.seed,
        patients,
        bands,
        failed,
        setup,
    })
}

/// When an outcome is read: the fixed times, then 24 h after the last dose.
pub const WHEN: [&str; 5] = ["24h", "7d", "28d", "56d", "end"];

/// The population's headline numbers with 95 % confidence intervals.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Response rates at [`WHEN`].
    pub response: [Estimate; 5],
    /// Remission rates at [`WHEN`].
    pub remission: [Estimate; 5],
    /// Median hours from the first dose to response, among patients who responded.
    pub time_to_response_h: Estimate,
    /// Median days from the last dose to relapse among responders 24 h
    /// after it (still responding at the end counts as beyond the run).
    pub relapse_d: Estimate,
    /// Median peak dissociation.
    pub peak_dissociation: Estimate,
    /// Median best score.
    pub best_score: Estimate,
    /// Mean days in response.
    pub days_in_response: Estimate,
}

impl Population {
    /// The outcome point of every patient at `WHEN[k]`.
    fn points(&self, k: usize) -> impl Iterator<Item = Option<outcome::Point>> + '_ {
        self.patients.iter().map(move |p| {
            if k < 4 {
                p.outcome.at[k]
            } else {
                p.outcome.end
            }
        })
    }

    /// Rate of patients meeting `pred` at `WHEN[k]` (undefined if the run is shorter).
    pub fn rate(&self, k: usize, pred: fn(&outcome::Point) -> bool) -> Estimate {
        let (mut n, mut hit) = (0, 0);
        for p in self.points(k).flatten() {
            n += 1;
            hit += u64::from(pred(&p));
        }
        stats::wilson(hit, n)
    }

    /// The integrators' work summed over every simulated patient.
    ///
    /// A lock-step batch counts once (through its first patient): the
    /// totals are the work actually done.
    pub fn work(&self) -> crate::solve::esdirk::Stats {
        self.patients
            .iter()
            .filter(|p| p.lane == 0)
            .fold(Default::default(), |acc: crate::solve::esdirk::Stats, p| {
                acc.plus(p.work)
            })
    }
    /// Headline numbers.
    pub fn summary(&self) -> Summary {
        let out = |f: fn(&Outcome) -> f64| -> Vec<f64> {
            self.patients.iter().map(|p| f(&p.outcome)).collect()
        };
        let ttr: Vec<f64> = self
            .patients
            .iter()
            .filter_map(|p| p.outcome.time_to_response_h)
            .collect();
        let relapse: Vec<f64> = self
            .patients
            .iter()
            .filter(|p| p.outcome.end.is_some_and(|e| e.responder))
            .map(|p| p.outcome.relapse_d.unwrap_or(f64::INFINITY))
            .collect();
        Summary {
            response: std::array::from_fn(|k| self.rate(k, |p| p.responder)),
            remission: std::array::from_fn(|k| self.rate(k, |p| p.remitter)),
            time_to_response_h: stats::median(&ttr),
            relapse_d: stats::median(&relapse),
            peak_dissociation: stats::median(&out(|o| o.peak_dissociation)),
            best_score: stats::median(&out(|o| o.best_score)),
            days_in_response: stats::mean(&out(|o| o.days_in_response)),
        }
    }
}

#[cfg(test)]
mod tests;
