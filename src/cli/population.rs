//! `synsim population`: virtual patients with between-patient variability.

use super::batch::{
    dt_out_h, estimated_bytes, input_or_run, progress_bar, warn_if_large, BatchFlags,
};
use super::common::{self, Common, FigureFlags};
use crate::population::{self, export, Options, Setup};
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
    #[command(flatten)]
    pub batch: BatchFlags,
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

/// Default of `--patients`.
const PATIENTS: i64 = 1000;

/// `--out`, else `synsim-out/population-SCENARIO` with a digest of what
/// changes the result ([`common::command_out`]).
fn default_out(a: &Args) -> PathBuf {
    a.batch.out.clone().unwrap_or_else(|| {
        let mut changes = a.common.changes();
        changes.extend(common::changed("patients", a.patients, PATIENTS));
        changes.extend(common::changed("seed", a.batch.seed, 1));
        changes.extend(a.batch.dt_out.iter().map(|x| format!("dt-out {x}")));
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
    s.dt_out_h = dt_out_h(a.batch.dt_out.as_deref(), s.dt_out_h)?;
    common::warn_scenario(&s);
    let setup = Setup::new(s).map_err(input_or_run)?;
    let out = common::OutDir::prepare(&default_out(&a))?;
    warn_if_large(
        &setup,
        a.batch.seed,
        patients,
        estimated_bytes(&setup, patients, true),
        false,
        !a.one_at_a_time,
    );
    let pb = progress_bar(patients, a.batch.quiet, "patients");
    let tick = |k: u64| {
        if let Some(pb) = &pb {
            pb.inc(k);
        }
    };
    let opt = Options {
        patients,
        seed: a.batch.seed,
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
    if !a.batch.no_plot {
        for p in crate::plot::population::figure(&pop, &dir, &opts)? {
            written.push(common::file_name(&p));
        }
    }
    let dir = out.commit()?;
    if !a.batch.quiet {
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
