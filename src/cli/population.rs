//! `synsim population`: virtual patients with between-patient variability.

use super::common::{self, Common, FigureFlags, InputError};
use crate::population::{self, export, Options, PopulationError, Setup};
use crate::units;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Run a population of virtual patients.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim population ketamine-iv-serial --patients 2000 --seed 1
  synsim population ketamine-iv-single --patients 500 --out results/single
  synsim population ssri-escitalopram --patients 1000 --days 84
  synsim population ketamine-iv-serial --set synapse.turnover_d=30 --quiet
  synsim population ketamine-iv-serial --patients 200 --verbose
  synsim population placebo --regimen \"ketamine 0.5 mg/kg iv over 40 min every 7 d x 4\"
  synsim population ketamine-iv-serial --patients 500 --style print --panels score,rates

Each patient draws the parameters that differ between people (see the
`variability` of `synsim params`) from its own random stream, derived from
the seed and the patient number only: the same seed gives bit-identical files
with any number of threads (set RAYON_NUM_THREADS to choose).

Writes DIR/patients.csv (one row per patient: sampled parameters and
outcomes), DIR/bands.csv (5/25/50/75/95th percentiles over time and the
response and remission rates, every --dt-out for two days after each dose and
every 6 h elsewhere), DIR/summary.json (rates with 95 % confidence
intervals) and DIR/population.png/.svg.

Virtual patients are integrated with solver.population_rtol (default 1e-3,
looser than a single run's solver.rtol; see docs/MODEL.md): rates and medians
match a tight tolerance. Patients are integrated four at a time in lock-step
(--one-at-a-time: one by one, slower). Large populations: a coarser --dt-out (e.g. \"3 h\")
saves time for every patient. Patients that cannot be simulated are left out
of every statistic with a warning; if more than 5 % of them fail, the run
fails (exit code 1) and writes nothing.
Illustrative teaching model of virtual patients; not clinical advice.")]
pub struct Args {
    /// Built-in scenario name (see `synsim list`) or a path to a .toml file
    pub scenario: String,
    /// Number of virtual patients (1 to 10 000 000)
    #[arg(
        long,
        default_value_t = PATIENTS,
        allow_negative_numbers = true,
        value_name = "N"
    )]
    pub patients: i64,
    /// Seed of the random streams
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Output folder (default: synsim-out/population-SCENARIO, with a short
    /// suffix when --set, --regimen, --days, --patients, --seed or --dt-out
    /// change it). A previous synsim output there is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Output spacing of the bands and outcomes, e.g. "1 h", "10 min"
    /// (default: the scenario's, but at least 1 h, since every output row
    /// costs time for every patient)
    #[arg(long = "dt-out", value_name = "DURATION")]
    pub dt_out: Option<String>,
    /// Skip the figures
    #[arg(long)]
    pub no_plot: bool,
    /// No progress bar and no summary on the terminal
    #[arg(long)]
    pub quiet: bool,
    /// Also print what the integration cost, in all and per patient (also
    /// in summary.json)
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Integrate every patient on its own instead of in lock-step batches
    /// of four (slower; the reference the batches are checked against)
    #[arg(long)]
    pub one_at_a_time: bool,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub figure: FigureFlags,
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

/// Default of `--patients`.
const PATIENTS: i64 = 1000;

/// `--out`, else `synsim-out/population-SCENARIO` with a digest of what
/// changes the result ([`common::command_out`]).
fn default_out(a: &Args) -> PathBuf {
    a.out.clone().unwrap_or_else(|| {
        let mut changes = a.common.changes();
        changes.extend(common::changed("patients", a.patients, PATIENTS));
        changes.extend(common::changed("seed", a.seed, 1));
        changes.extend(a.dt_out.iter().map(|x| format!("dt-out {x}")));
        changes.extend(a.figure.changes());
        common::command_out("population", std::slice::from_ref(&a.scenario), &changes)
    })
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let patients = population::check_patients("--patients", a.patients).map_err(input_or_run)?;
    let opts = a
        .figure
        .options("population", &crate::plot::population::PANELS)?;
    let mut s = a.common.scenario(&a.scenario)?;
    s.dt_out_h = dt_out_h(a.dt_out.as_deref(), s.dt_out_h)?;
    common::warn_scenario(&s);
    let setup = Setup::new(s).map_err(input_or_run)?;
    let out = common::OutDir::prepare(&default_out(&a))?;
    warn_if_large(
        &setup,
        a.seed,
        patients,
        estimated_bytes(&setup, patients, true),
        false,
        !a.one_at_a_time,
    );
    let pb = progress_bar(patients, a.quiet, "patients");
    let tick = |k: u64| {
        if let Some(pb) = &pb {
            pb.inc(k);
        }
    };
    let opt = Options {
        patients,
        seed: a.seed,
        lockstep: !a.one_at_a_time,
        ..Options::default()
    };
    let t0 = Instant::now();
    let pop = population::run(setup, &opt, &tick).map_err(input_or_run)?;
    let elapsed = t0.elapsed();
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    warn_failures(&pop)?;
    let dir = out.path().to_path_buf();
    common::write(&dir, "patients.csv", export::patients_csv(&pop).as_bytes())?;
    let mut written = vec!["patients.csv".to_string()];
    if let Some(b) = &pop.bands {
        common::write(&dir, "bands.csv", export::bands_csv(b).as_bytes())?;
        written.push("bands.csv".into());
    }
    let json = serde_json::to_string_pretty(&export::summary_json(&pop))?;
    common::write(&dir, "summary.json", json.as_bytes())?;
    written.push("summary.json".into());
    if !a.no_plot {
        for p in crate::plot::population::figure(&pop, &dir, &opts)? {
            written.push(common::file_name(&p));
        }
    }
    let dir = out.commit()?;
    if !a.quiet {
        print_summary(&pop, elapsed.as_secs_f64())?;
        if a.verbose {
            let w = pop.work();
            outln!("  solver, all patients: {}", common::work_text(&w));
            let n = pop.patients.len().max(1) as f64;
            outln!(
                "  solver, per patient: {:.0} steps, {:.0} right-hand sides, {:.0} Jacobians",
                w.steps as f64 / n,
                w.rhs as f64 / n,
                w.jacobians as f64 / n
            );
        }
        common::report_written(&written, &dir)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Warns about patients whose run failed (they are left out of the
/// statistics); fails when there are too many ([`common::check_failed`]).
fn warn_failures(pop: &population::Population) -> anyhow::Result<()> {
    let Some(f) = pop.failed.first() else {
        return Ok(());
    };
    let (failed, total) = (pop.failed.len(), pop.failed.len() + pop.patients.len());
    let first = format!(
        "patient {} ({}): {}",
        f.index,
        pop.setup.describe(&f.drawn),
        f.error
    );
    common::check_failed(failed, total, &first)?;
    eprintln!(
        "warning: {failed} of {total} virtual patients could not be simulated and are left out of \
         every statistic (their rows in patients.csv have no outcomes); first: {first}"
    );
    Ok(())
}

fn pct(e: &population::stats::Estimate) -> String {
    if e.n == 0 {
        "-".into()
    } else {
        format!(
            "{:.0} % ({:.0}-{:.0})",
            100.0 * e.value,
            100.0 * e.lo,
            100.0 * e.hi
        )
    }
}

/// A short human summary on stdout.
fn print_summary(pop: &population::Population, seconds: f64) -> anyhow::Result<()> {
    let s = pop.summary();
    let sc = &pop.setup.scenario;
    outln!(
        "{} ({}): {} virtual patients, seed {}",
        sc.title,
        sc.name,
        pop.patients.len(),
        pop.seed
    );
    if !sc.regimen_text.is_empty() {
        outln!("  regimen: {}", sc.regimen_text);
    }
    outln!(
        "  response rate (95 % CI):  24 h {}  7 d {}  28 d {}  56 d {}  24 h after last dose {}",
        pct(&s.response[0]),
        pct(&s.response[1]),
        pct(&s.response[2]),
        pct(&s.response[3]),
        pct(&s.response[4])
    );
    outln!(
        "  remission rate (95 % CI): 24 h {}  7 d {}  28 d {}  56 d {}  24 h after last dose {}",
        pct(&s.remission[0]),
        pct(&s.remission[1]),
        pct(&s.remission[2]),
        pct(&s.remission[3]),
        pct(&s.remission[4])
    );
    let med = |e: &population::stats::Estimate, hours: f64| {
        if e.value.is_finite() {
            format!("{} (n = {})", common::fmt_time_h(e.value * hours), e.n)
        } else if e.n > 0 {
            format!("beyond the run (n = {})", e.n)
        } else {
            "-".into()
        }
    };
    outln!(
        "  median time to response among responders: {}",
        med(&s.time_to_response_h, 1.0)
    );
    outln!(
        "  median relapse after the last dose among responders: {}",
        med(&s.relapse_d, 24.0)
    );
    outln!(
        "  ran in {seconds:.1} s on {} threads",
        rayon::current_num_threads()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::solve::SolveError;

    /// A population of `ok` patients with `failed` failures added.
    fn with_failures(ok: u64, failed: u64) -> population::Population {
        let mut s = Scenario::load("placebo").unwrap();
        s.days = 1.0;
        let setup = Setup::new(s).unwrap();
        let opt = Options {
            patients: ok,
            ..Options::default()
        };
        let mut pop = population::run(setup, &opt, &|_| {}).unwrap();
        for index in ok..ok + failed {
            pop.failed.push(population::Failure {
                index,
                drawn: vec![0.0; pop.setup.vary.len()],
                error: SolveError::Integrator {
                    t_h: 1.0,
                    msg: "step too small".into(),
                },
            });
        }
        pop
    }

    #[test]
    fn a_population_where_many_patients_fail_is_a_failed_run() {
        assert!(warn_failures(&with_failures(20, 0)).is_ok());
        assert!(
            warn_failures(&with_failures(20, 1)).is_ok(),
            "1 of 21 is under 5 %"
        );
        let e = warn_failures(&with_failures(8, 12)).unwrap_err();
        assert_eq!(common::failure(&e), common::Failure::Run);
        let m = format!("{e:#}");
        assert!(
            m.starts_with("12 of 20 virtual patients (60.0 %) could not be simulated"),
            "{m}"
        );
    }
}
