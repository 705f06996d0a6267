//! `synsim sensitivity`: which parameters drive an outcome (global sensitivity analysis).

use super::batch::{dt_out_h, progress_bar, BatchFlags};
use super::common::{self, Common, FigureFlags, InputError};
use crate::params::fmt_num;
use crate::plot::FigureOptions;
use crate::scenario::Scenario;
use crate::sensitivity::study::{self, output_label, Analysis, Indices, ParamFactor, Study};
use crate::sensitivity::{morris_runs, sobol_runs, MorrisOptions, SensitivityError, SobolOptions};
use crate::solve::SolveError;
use crate::sweep::Metric;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Most model runs one analysis may ask for.
pub const MAX_RUNS: usize = 10_000_000;
/// Default trajectories of a Morris screening.
pub const MORRIS_DEFAULT: i64 = 10;
/// Default base samples of a Sobol' analysis.
pub const SOBOL_DEFAULT: i64 = 256;

/// Which method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// Morris elementary effects (μ*, σ): the quick screen
    Morris,
    /// Sobol' first-order and total indices with bootstrap intervals
    Sobol,
}

/// Global sensitivity analysis: which parameters drive one outcome.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  # Quick screen: which varying parameters drive the response at 24 h?
  synsim sensitivity ketamine-iv-single --metric response_24h

  # Only PK and receptor parameters, 20 trajectories
  synsim sensitivity ketamine-iv-single --metric response_24h --params pk.ketamine,receptor --samples 20

  # Variance shares (first-order and total) for the few that matter
  synsim sensitivity ketamine-iv-single --metric response_24h --method sobol \\
      --params receptor.interneuron_sensitivity,signalling,patient --samples 256

Parameters (factors): by default every real parameter that differs between
patients in the scenario (the `variability` column of `synsim params`); with
--params, every real parameter whose name starts with one of the prefixes.
Switches and solver settings are never factors. Each range is +-2 SD of the
between-patient variability around the scenario's value (log-normal CV c:
value x/÷ exp(2 sqrt(ln(1 + c^2))), sampled log-uniformly), clipped to the
registry range; a parameter without variability spans half to twice its value.

Each sample is one run of the typical patient (no variability) with
solver.population_rtol, like `synsim sweep --typical`. The metric names are
those of `synsim sweep`; a rate uses its continuous measure for one patient:
response_* = improvement in % of the baseline score (response: >= 50 %),
remission_* = the score (remission: <= 10), relapse_d = days to relapse (0
when not responding 24 h after the last dose).

Morris (default): --samples trajectories r (default 10), r (k + 1) runs for k
parameters; mu* ranks, sigma flags nonlinearity or interactions. Sobol:
--samples base samples N (a power of two, default 256), N (k + 2) runs; S1 is
the variance share of a parameter alone, ST with all its interactions.
Same seed, same files, for any number of threads (RAYON_NUM_THREADS).

Writes DIR/sensitivity.csv (one row per parameter, most important first),
DIR/summary.json and DIR/sensitivity.png/.svg.
Illustrative teaching model; it shows how a model behaves and recommends no dose.")]
pub struct Args {
    /// Built-in scenario name (see `synsim list`) or a path to a .toml file
    pub scenario: String,
    /// The outcome, one of the `synsim sweep` metrics (e.g. response_24h)
    #[arg(long, value_name = "METRIC", required = true)]
    pub metric: String,
    /// Morris screening or Sobol' indices
    #[arg(long, value_enum, default_value_t = Method::Morris)]
    pub method: Method,
    /// Parameter name prefixes (repeatable or comma-separated), e.g. pk.ketamine,receptor
    #[arg(long = "params", value_name = "PREFIX", num_args = 1.., value_delimiter = ',')]
    pub params: Vec<String>,
    /// Morris: trajectories (default 10); Sobol: base samples, a power of two (default 256)
    #[arg(long, allow_negative_numbers = true, value_name = "N")]
    pub samples: Option<i64>,
    #[command(flatten)]
    pub batch: BatchFlags,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub figure: FigureFlags,
}

/// Checks `--samples` for the method and returns it with the number of runs.
fn samples(a: &Args, k: usize) -> Result<(usize, usize), InputError> {
    let n = a.samples.unwrap_or(match a.method {
        Method::Morris => MORRIS_DEFAULT,
        Method::Sobol => SOBOL_DEFAULT,
    });
    let bad = |why: &str| InputError(format!("--samples {n}: {why}"));
    let n = match a.method {
        Method::Morris if n < 2 => {
            return Err(bad(
                "a Morris screening needs at least 2 trajectories (σ needs two effects); 10 to 50 is usual",
            ))
        }
        Method::Sobol if n < 2 || (n as u64).count_ones() != 1 => {
            return Err(bad(
                "Sobol' base samples must be a power of two, at least 2 (e.g. 256, 512, 1024)",
            ))
        }
        _ => n as usize,
    };
    let runs = match a.method {
        Method::Morris => n.checked_mul(k + 1),
        Method::Sobol => n.checked_mul(k + 2),
    };
    match runs {
        Some(r) if r <= MAX_RUNS => Ok((n, r)),
        _ => Err(bad(&format!(
            "{k} parameters need more than {MAX_RUNS} model runs; use fewer samples or parameters"
        ))),
    }
}

/// Set-up problems are bad input (exit 2); a failed or constant model is not.
fn analysis_error(study: &Study, e: SensitivityError<SolveError>) -> anyhow::Error {
    let named = |inputs: &[f64]| {
        study
            .factors
            .iter()
            .zip(inputs)
            .map(|(f, v)| format!("{}={}", f.name(), fmt_num(*v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match e {
        SensitivityError::Model {
            row,
            inputs,
            source,
        } => anyhow::anyhow!(
            "the run of design row {row} failed ({}): {source}",
            named(&inputs)
        ),
        SensitivityError::NonFiniteOutput { row, inputs, value } => anyhow::anyhow!(
            "design row {row} ({}) gave {value} for --metric {}",
            named(&inputs),
            study.metric.name()
        ),
        SensitivityError::OutputDoesNotVary { value } => anyhow::anyhow!(
            "--metric {} is {value} in every run: none of these parameters changes it, so there \
             is no variance to share out (a Morris screening shows the same as zeros)",
            study.metric.name()
        ),
        other => InputError(other.to_string()).into(),
    }
}

/// `--out`, else `synsim-out/sensitivity-SCENARIO` with a digest of the
/// metric and of what else changes the result ([`common::command_out`]).
fn default_out(a: &Args) -> PathBuf {
    a.batch.out.clone().unwrap_or_else(|| {
        let mut changes = vec![format!("metric {}", a.metric)];
        changes.extend(common::changed(
            "method",
            format!("{:?}", a.method),
            "Morris".into(),
        ));
        changes.extend(a.params.iter().map(|x| format!("params {x}")));
        changes.extend(a.samples.map(|x| format!("samples {x}")));
        changes.extend(common::changed("seed", a.batch.seed, 1));
        changes.extend(a.batch.dt_out.iter().map(|x| format!("dt-out {x}")));
        changes.extend(a.common.changes());
        changes.extend(a.figure.changes());
        common::command_out("sensitivity", std::slice::from_ref(&a.scenario), &changes)
    })
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let metric =
        Metric::parse(a.metric.trim()).map_err(|e| InputError(format!("--metric: {e}")))?;
    let opts = a
        .figure
        .options("sensitivity", &crate::plot::sensitivity::PANELS)?;
    let mut s = a.common.scenario(&a.scenario)?;
    s.dt_out_h = dt_out_h(a.batch.dt_out.as_deref(), s.dt_out_h)?;
    common::warn_scenario(&s);
    let factors = factors_of(&a, &s)?;
    let k = factors.len();
    let (n, runs) = samples(&a, k)?;
    let study = Study::new(s, factors, metric).map_err(InputError)?;
    // The output folder is checked before the (possibly long) computation.
    let out = common::OutDir::prepare(&default_out(&a))?;
    let threads = rayon::current_num_threads().max(1);
    if !a.batch.quiet {
        print_cost(&study, a.method, n, runs, threads)?;
    }
    let (result, seconds) = analyse(&a, &study, n, runs);
    let analysis = result.map_err(|e| analysis_error(&study, e))?;
    let written = write_files(&analysis, out.path(), a.batch.no_plot, &opts)?;
    let dir = out.commit()?;
    if !a.batch.quiet {
        print_table(&analysis)?;
        outln!(
            "ran {} runs in {seconds:.2} s on {threads} threads ({:.2} ms of one thread per run)",
            analysis.runs(),
            1e3 * seconds * threads as f64 / analysis.runs().max(1) as f64
        );
        common::report_written(&written, &dir)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The factors: the parameters that vary between patients, or those
/// `--params` names; none at all is bad input.
fn factors_of(a: &Args, s: &Scenario) -> Result<Vec<ParamFactor>, InputError> {
    let factors = if a.params.is_empty() {
        study::default_factors(s)
    } else {
        study::matching_factors(s, &a.params)
    }
    .map_err(InputError)?;
    if factors.is_empty() {
        return Err(InputError(format!(
            "no parameter of {} varies between patients; choose some with --params (e.g. --params pk.ketamine)",
            s.name
        )));
    }
    Ok(factors)
}

/// The cost line: what the analysis will run and how long it should take.
fn print_cost(
    study: &Study,
    method: Method,
    n: usize,
    runs: usize,
    threads: usize,
) -> anyhow::Result<()> {
    let k = study.factors.len();
    // One pilot run at the typical values stands in for the cost of every run.
    let typical: Vec<f64> = study
        .factors
        .iter()
        .map(|f| f.typical.clamp(f.factor.lo, f.factor.hi))
        .collect();
    let t0 = Instant::now();
    let _ = study.output(&typical);
    let one = t0.elapsed().as_secs_f64();
    let cost = match method {
        Method::Morris => format!(
            "Morris screening of {k} parameters x {n} trajectories = r (k + 1) = {} runs",
            morris_runs(k, n)
        ),
        Method::Sobol => format!(
            "Sobol' indices of {k} parameters with N = {n} = N (k + 2) = {} runs",
            sobol_runs(k, n)
        ),
    };
    outln!(
        "{cost} of the typical patient: {} on {threads} threads ({:.1} ms per run)",
        common::fmt_estimate_s(one * runs as f64 / threads as f64),
        one * 1e3
    );
    Ok(())
}

/// Runs the chosen method with a progress bar; the result and the seconds
/// it took.
fn analyse(
    a: &Args,
    study: &Study,
    n: usize,
    runs: usize,
) -> (Result<Analysis, SensitivityError<SolveError>>, f64) {
    let pb = progress_bar(runs as u64, a.batch.quiet, "model runs");
    let tick = |_: usize, _: usize| {
        if let Some(pb) = &pb {
            pb.inc(1);
        }
    };
    let t0 = Instant::now();
    let result = match a.method {
        Method::Morris => study.morris(
            &MorrisOptions {
                trajectories: n,
                seed: a.batch.seed,
                ..MorrisOptions::default()
            },
            Some(&tick),
        ),
        Method::Sobol => study.sobol(
            &SobolOptions {
                base_samples: n,
                seed: a.batch.seed,
                ..SobolOptions::default()
            },
            Some(&tick),
        ),
    };
    let seconds = t0.elapsed().as_secs_f64();
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    (result, seconds)
}

/// Writes the table, the summary and (unless `no_plot`) the figure into
/// `dir`; the names written, in order.
fn write_files(
    analysis: &Analysis,
    dir: &Path,
    no_plot: bool,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<String>> {
    common::write(dir, "sensitivity.csv", analysis.csv().as_bytes())?;
    let json = serde_json::to_string_pretty(&analysis.summary_json())?;
    common::write(dir, "summary.json", json.as_bytes())?;
    let mut written = vec!["sensitivity.csv".to_string(), "summary.json".to_string()];
    if !no_plot {
        for p in crate::plot::sensitivity::figure(analysis, dir, opts)? {
            written.push(common::file_name(&p));
        }
    }
    Ok(written)
}

/// A number with three significant digits for the table.
fn g3(v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let mag = v.abs().log10().floor() as i32;
    if !(-3..5).contains(&mag) {
        return format!("{v:.2e}");
    }
    let d = (2 - mag).max(0) as usize;
    format!("{v:.d$}")
}

/// Three decimals, without a "-0.000".
fn f3(v: f64) -> String {
    let s = format!("{v:.3}");
    if s == "-0.000" {
        "0.000".into()
    } else {
        s
    }
}

/// The ranked table on stdout.
fn print_table(an: &Analysis) -> anyhow::Result<()> {
    let (label, unit) = output_label(an.metric);
    outln!("{} ({}): {}", an.title, an.scenario, an.metric.name());
    outln!("  output per run: {label} [{unit}], typical patient");
    let name_w = an
        .factors
        .iter()
        .map(|f| f.name().len())
        .max()
        .unwrap_or(10)
        .max(9);
    let head = match an.indices {
        Indices::Morris(_) => format!(
            "{:>12} {:>21} {:>10} {:>10}",
            "mu*", "95 % interval", "mu", "sigma"
        ),
        Indices::Sobol(_) => format!(
            "{:>8} {:>17} {:>8} {:>17}",
            "S1", "95 % interval", "ST", "95 % interval"
        ),
    };
    outln!(
        "  {:>4}  {:<name_w$}  {:>21}  {head}",
        "rank",
        "parameter",
        "range"
    );
    for (r, i) in an.ranking().into_iter().enumerate() {
        let f = &an.factors[i];
        let range = format!("{}-{}", g3(f.factor.lo), g3(f.factor.hi));
        let cells = match &an.indices {
            Indices::Morris(res) => {
                let m = &res.factors[i];
                format!(
                    "{:>12} {:>21} {:>10} {:>10}",
                    g3(m.mu_star),
                    format!("{} to {}", g3(m.mu_star_ci.lo), g3(m.mu_star_ci.hi)),
                    g3(m.mu),
                    g3(m.sigma)
                )
            }
            Indices::Sobol(res) => {
                let s = &res.factors[i];
                format!(
                    "{:>8} {:>17} {:>8} {:>17}",
                    f3(s.first_order),
                    format!("{} to {}", f3(s.first_order_ci.lo), f3(s.first_order_ci.hi)),
                    f3(s.total),
                    format!("{} to {}", f3(s.total_ci.lo), f3(s.total_ci.hi))
                )
            }
        };
        let mark = if an.is_negligible(i) {
            "  negligible"
        } else {
            ""
        };
        outln!(
            "  {:>4}  {:<name_w$}  {range:>21}  {cells}{mark}",
            r + 1,
            f.name()
        );
    }
    if let Indices::Sobol(res) = &an.indices {
        outln!(
            "  sum of S1 = {:.3} (1 - sum = share of the variance from interactions)",
            res.sum_first_order()
        );
    }
    outln!("  {}", an.caption());
    Ok(())
}
