//! What the commands that run many virtual patients (`population`, `sweep`,
//! `sensitivity`) share: their flags, the output step, the progress bar and
//! the warning before a large run.

use super::common::{self, InputError};
use crate::population::{self, Options, PopulationError, Setup};
use crate::units;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// The flags of every command that runs many virtual patients.
#[derive(Debug, clap::Args)]
pub struct BatchFlags {
    /// Seed of the random streams (the same seed gives the same result on
    /// any machine and with any number of threads)
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Output folder (default: synsim-out/COMMAND-SCENARIO, with a short
    /// suffix when options change the result). A previous synsim output
    /// there is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Output spacing of each patient's run, e.g. "1 h", "10 min", from
    /// 1 min to 7 d (default: the scenario's, but at least 1 h, since every
    /// output row costs time for every patient)
    #[arg(long = "dt-out", value_name = "DURATION")]
    pub dt_out: Option<String>,
    /// Skip the figures
    #[arg(long)]
    pub no_plot: bool,
    /// No progress bar, and no summary or table on the terminal
    #[arg(long)]
    pub quiet: bool,
}

pub use crate::population::MIN_DEFAULT_DT_H;
/// Runs estimated to take longer than this print a warning first (seconds).
pub const WARN_SECONDS: f64 = 30.0;
/// Runs estimated to need more memory than this print a warning first (bytes).
pub const WARN_BYTES: f64 = 1e9;

/// The output step of a population-type command: `--dt-out` if given, else
/// the scenario's but at least [`MIN_DEFAULT_DT_H`].
pub(crate) fn dt_out_h(flag: Option<&str>, scenario_dt_h: f64) -> anyhow::Result<f64> {
    match flag {
        Some(t) => parse_dt_out(t),
        None => Ok(scenario_dt_h.max(MIN_DEFAULT_DT_H)),
    }
}

/// Parses a `--dt-out` value for population-type commands.
fn parse_dt_out(text: &str) -> anyhow::Result<f64> {
    let h = units::parse_duration_h(text).map_err(|e| InputError(format!("--dt-out: {e}")))?;
    if !(1.0 / 60.0..=24.0 * 7.0).contains(&h) {
        return Err(
            InputError(format!("--dt-out \"{text}\": use a step from 1 min to 7 d")).into(),
        );
    }
    Ok(h)
}

/// Converts population errors: bad input gets exit code 2.
pub(crate) fn input_or_run(e: PopulationError) -> anyhow::Error {
    match e {
        PopulationError::Input(m) => InputError(m).into(),
        other => other.into(),
    }
}

/// A progress bar on a terminal (nothing when stderr is redirected or quiet).
pub(crate) fn progress_bar(total: u64, quiet: bool, what: &str) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new(total);
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {what} (eta {{eta}})"
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    pb.set_style(style.progress_chars("=> "));
    Some(pb)
}

/// Patients timed by the pilot run of [`warn_if_large`], per thread: two
/// lock-step batches.
const PILOT_PER_THREAD: u64 = 2 * population::LANES as u64;
/// Measured ratio of a whole population's time to its pilot's estimate
/// (band and outcome bookkeeping, the parallel loop's ends); see
/// [`warn_if_large`] for how it was measured.
const PILOT_OVERHEAD: f64 = 1.15;

/// Times a pilot and warns when the whole request looks large.
/// `patient_runs` is the number of patient simulations of the request.
///
/// The pilot runs `PILOT_PER_THREAD` patients per thread on the same pool
/// the population uses, by the same path (lock-step batches or one at a
/// time), after an untimed warm-up round of as many, so the estimate sees
/// the real parallel speed (cores shared with other work included), not one
/// patient times the thread count (which was about 2× low on an idle 2-core
/// machine and 4× on a loaded one). Calibration: `synsim population
/// ketamine-iv-serial --patients N --days 90 --quiet --no-plot` on this
/// 2-core machine, N = 8000 and 20 000, two runs each, took 0.37–0.42 ms per
/// patient where the pilot measured 0.33–0.37 ms: the factor 1.15 brings
/// the estimate to 0.95–1.1 × the measured time; at N = 100 000 it gave
/// 42–48 s for runs of 35–40 s (a pilot of scalar patients for a lock-step
/// run had been 2.2× high, and the first, cold round 2×).
pub(crate) fn warn_if_large(
    setup: &Setup,
    seed: u64,
    patient_runs: u64,
    bytes: f64,
    acute: bool,
    lockstep: bool,
) {
    use rayon::prelude::*;
    let threads = rayon::current_num_threads().max(1) as u64;
    let pilot = (PILOT_PER_THREAD * threads).min(patient_runs.max(1));
    let opt = Options {
        patients: pilot,
        seed,
        bands: false,
        individuals: 0,
        acute_dissociation: acute,
        lockstep,
    };
    // One lock-step batch per thread, as the run integrates them; the first
    // round warms up the threads and caches and is not timed. A failed pilot
    // still tells how long a patient takes; the run reports the failure.
    let round = |from: u64| {
        (0..pilot.div_ceil(PILOT_PER_THREAD))
            .into_par_iter()
            .for_each(|c| {
                let start = from + c * PILOT_PER_THREAD;
                let range = start..(start + PILOT_PER_THREAD).min(from + pilot);
                let _ = population::simulate_range(setup, range, &opt, None);
            });
    };
    round(0);
    let t0 = Instant::now();
    round(pilot);
    let per_patient_wall = t0.elapsed().as_secs_f64() / pilot as f64;
    let seconds = per_patient_wall * patient_runs as f64 * PILOT_OVERHEAD;
    if seconds > WARN_SECONDS || bytes > WARN_BYTES {
        eprintln!(
            "warning: {patient_runs} patient runs of {}: {} on {threads} threads \
             ({:.1} ms per patient per thread) and about {:.0} MB of memory; press Ctrl-C to \
             stop, or use fewer patients (--patients) or a coarser --dt-out",
            common::fmt_time_h(setup.scenario.days * 24.0),
            common::fmt_estimate_s(seconds),
            per_patient_wall * threads as f64 * 1e3,
            two_digits(bytes / 1e6)
        );
    }
}

/// `x` rounded to two significant digits (an estimate, not a measurement).
fn two_digits(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powf(x.log10().floor() - 1.0);
    (x / scale).round() * scale
}

/// Estimated peak memory of a population run, bytes.
pub fn estimated_bytes(setup: &Setup, patients: u64, bands: bool) -> f64 {
    let threads = rayon::current_num_threads().max(1) as f64;
    let hist = if bands {
        population::bands::BandAccumulator::bytes(&setup.band_quantities(), setup.times.len())
            as f64
            * (threads + 1.0)
    } else {
        0.0
    };
    // A patient record plus its patients.csv line.
    let per_patient = (setup.vary.len() as f64 + 24.0) * (8.0 + 12.0) + 96.0;
    hist + per_patient * patients as f64
}
