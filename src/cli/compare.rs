//! `synsim compare`: several scenarios on the same axes.

use super::common::{self, Common, InputError, TimeAxisFlags};
use crate::plot::compare as fig;
use crate::run::{run, value_at, RunResult};
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The scenarios compared when none are named.
pub const DEFAULT: [&str; 4] = [
    "ketamine-iv-single",
    "esketamine-nasal",
    "ssri-escitalopram",
    "placebo",
];

/// Overlay several scenarios (same patient) on the same axes.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim compare                                  # ketamine, esketamine, SSRI and placebo
  synsim compare ketamine-iv-single ssri-escitalopram --out results/hours-vs-weeks
  synsim compare ketamine-iv-single ketamine-iv-serial ketamine-maintenance --days 120
  synsim compare ketamine-iv-single placebo --linear-time --days 7
  synsim compare ketamine-iv-single ssri-escitalopram --set synapse.turnover_d=20

Every scenario runs for the same number of days (the longest scenario's, or
--days). The time axis is logarithmic when the runs are longer than 7 days, so
the first hours and the last weeks are both readable (--linear-time to turn
that off). --set applies to every scenario; --regimen only with one scenario.
Writes DIR/compare.png/.svg and DIR/compare.csv (time_h, then one column per
quantity per scenario, e.g. symptom_score:ketamine-iv-single).
Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Scenarios to overlay: built-in names (see `synsim list`) or .toml paths
    /// [default: ketamine-iv-single esketamine-nasal ssri-escitalopram placebo]
    pub scenarios: Vec<String>,
    /// Output folder
    #[arg(long, default_value = "synsim-out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub time_axis: TimeAxisFlags,
    #[command(flatten)]
    pub common: Common,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let names: Vec<String> = if a.scenarios.is_empty() {
        DEFAULT.iter().map(|s| s.to_string()).collect()
    } else {
        a.scenarios.clone()
    };
    let log = a.time_axis.choice();
    let runs = runs(&names, &a.common)?;
    let files = write(&runs, &a.out, log)?;
    print_table(&runs);
    let shown: Vec<String> = files
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    println!("wrote {} in {}", shown.join(", "), a.out.display());
    Ok(ExitCode::SUCCESS)
}

/// Loads every scenario (all checked before anything runs), gives them a
/// common length, output spacing and run-in, and runs them.
pub fn runs(names: &[String], common: &Common) -> anyhow::Result<Vec<RunResult>> {
    if names.is_empty() {
        return Err(InputError("give at least one scenario to compare".into()).into());
    }
    if common.regimen.is_some() && names.len() > 1 {
        return Err(InputError(format!(
            "--regimen replaces one scenario's regimen, but {} scenarios were given; \
             use --regimen with exactly one scenario, or write each regimen into a scenario file",
            names.len()
        ))
        .into());
    }
    let mut scenarios: Vec<Scenario> = Vec::new();
    for n in names {
        let s = common.scenario(n)?;
        if scenarios.iter().any(|o| o.name == s.name) {
            return Err(InputError(format!(
                "scenario \"{}\" is given twice; name each scenario once",
                s.name
            ))
            .into());
        }
        for w in crate::scenario::calibration_warnings(&s) {
            eprintln!("warning: {}: {w}", s.name);
        }
        scenarios.push(s);
    }
    let days = common
        .days
        .unwrap_or_else(|| scenarios.iter().map(|s| s.days).fold(0.0, f64::max));
    let runin = scenarios.iter().map(|s| s.runin_h).fold(0.0, f64::max);
    for s in &mut scenarios {
        s.days = days;
        s.runin_h = runin;
        // 4-minute output resolves the ketamine surge on a log axis.
        s.dt_out_h = s.dt_out_h.min(1.0 / 15.0);
    }
    scenarios
        .iter()
        .map(|s| run(s).map_err(anyhow::Error::from))
        .collect()
}

/// Writes DIR/compare.png/.svg/.csv; `log` None = log time for runs over 7 days.
pub fn write(runs: &[RunResult], dir: &Path, log: Option<bool>) -> anyhow::Result<Vec<PathBuf>> {
    let dir = common::out_dir(dir)?;
    let labelled: Vec<(String, &RunResult)> =
        // A comma in a file name would break the CSV header.
        runs.iter().map(|r| (r.scenario.name.replace(',', "_"), r)).collect();
    let days = runs.iter().map(|r| r.scenario.days).fold(0.0, f64::max);
    let mut files = fig::write(&labelled, &dir, "compare", log.unwrap_or(days > 7.0))?;
    let start = runs
        .iter()
        .filter_map(|r| r.rows.first())
        .map(|o| o.time_h)
        .fold(0.0, f64::min);
    let grid = fig::table_grid(start, days * 24.0);
    files.push(common::write(
        &dir,
        "compare.csv",
        fig::table(&labelled, &fig::QUANTITIES, &grid).as_bytes(),
    )?);
    Ok(files)
}

/// Score at a few times and time to response, one line per scenario.
fn print_table(runs: &[RunResult]) {
    let width = runs
        .iter()
        .map(|r| r.scenario.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    println!(
        "{:width$}  score: start   24 h    7 d   28 d   response from",
        "scenario"
    );
    for r in runs {
        let at = |t: f64| {
            value_at(&r.rows, t, |o| o.symptom_score)
                .map(|v| format!("{v:6.1}"))
                .unwrap_or_else(|| "     -".into())
        };
        let resp = r
            .summary
            .time_to_response_h
            .map(fmt_h)
            .unwrap_or_else(|| "no response".into());
        println!(
            "{:width$}        {:6.1} {} {} {}   {resp}",
            r.scenario.name,
            r.reference.baseline_score,
            at(24.0),
            at(168.0),
            at(672.0)
        );
    }
}

/// Hours for the first two days, days after that.
pub fn fmt_h(h: f64) -> String {
    if h < 48.0 {
        format!("{h:.0} h")
    } else {
        format!("{:.1} d", h / 24.0)
    }
}
