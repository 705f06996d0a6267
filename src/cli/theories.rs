//! `synsim theories`: the theory switchboard, all four settings at once.

use super::common::{self, Common, FigureFlags, TimeAxisFlags};
use super::compare::fmt_h;
use crate::experiments::theories::{run_variants, VARIANTS};
use crate::plot::compare::table;
use crate::plot::theories as fig;
use crate::plot::FigureOptions;
use crate::run::{value_at, RunResult};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Run one scenario with both theories, each alone and neither.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim theories                                 # ketamine-iv-single
  synsim theories ketamine-iv-serial --out results/theories
  synsim theories esketamine-nasal --days 28
  synsim theories ketamine-iv-single --set receptor.interneuron_sensitivity=1
  synsim theories ketamine-iv-single --linear-time --days 3
  synsim theories --size A4 --style print        # a handout page
  synsim theories --panels glutamate,score --size 16:9

Runs the scenario four times: both mechanisms on; disinhibition only
(mechanisms.synaptogenesis=false); synaptogenesis only
(mechanisms.disinhibition=false); neither. Other --set values apply to all four.
The figure says which settings give the same line. The time axis is
logarithmic for a single dose followed for days, linear for a course.
Writes DIR/theories.png/.svg and DIR/theories.csv (time_h, then one column per
observable per setting, e.g. symptom_score:disinhibition-only).
Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Built-in scenario name (see `synsim list`) or a path to a .toml file
    #[arg(default_value = "ketamine-iv-single")]
    pub scenario: String,
    /// Output folder (default: synsim-out/theories-SCENARIO, with a short
    /// suffix when --set, --regimen or --days change it). A previous synsim
    /// output there is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub time_axis: TimeAxisFlags,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub figure: FigureFlags,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let log = a.time_axis.choice();
    let opts = a.figure.options("theories", &fig::PANELS)?;
    for s in &a.common.set {
        let name = s.split('=').next().unwrap_or("").trim();
        if name == "mechanisms.disinhibition" || name == "mechanisms.synaptogenesis" {
            eprintln!("note: --set {name} is ignored here: `synsim theories` runs every on/off setting of it");
        }
    }
    let target = a.out.clone().unwrap_or_else(|| {
        let mut changes = a.common.changes();
        changes.extend(a.figure.changes());
        common::command_out("theories", std::slice::from_ref(&a.scenario), &changes)
    });
    let out = common::OutDir::prepare(&target)?;
    let runs = runs(&a.scenario, &a.common)?;
    let files = write(&runs, out.path(), log, &opts)?;
    let dir = out.commit()?;
    print_table(&runs)?;
    common::report_files(&files, &dir)?;
    Ok(ExitCode::SUCCESS)
}

/// The scenario run once per [`VARIANTS`] entry (in that order).
pub fn runs(name: &str, common: &Common) -> anyhow::Result<Vec<RunResult>> {
    let mut base = common.scenario(name)?;
    super::common::warn_scenario(&base);
    // 4-minute output resolves the glutamate surge on a log axis.
    base.dt_out_h = base.dt_out_h.min(1.0 / 15.0);
    Ok(run_variants(&base)?)
}

/// Writes DIR/theories.png/.svg/.csv, the figure as `opts` asks; `log`
/// None = the default for the scenario
/// ([`crate::plot::timeaxis::default_log`]).
pub fn write(
    runs: &[RunResult],
    dir: &Path,
    log: Option<bool>,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let dir = common::out_dir(dir)?;
    let days = runs.first().map(|r| r.scenario.days).unwrap_or(1.0);
    let all: Vec<&RunResult> = runs.iter().collect();
    let log = log.unwrap_or_else(|| crate::plot::timeaxis::default_log(&all));
    let mut files = fig::write(runs, &dir, "theories", log, opts)?;
    let labelled: Vec<(String, &RunResult)> = VARIANTS
        .iter()
        .zip(runs)
        .map(|(v, r)| (v.key.to_string(), r))
        .collect();
    let start = runs
        .first()
        .and_then(|r| r.rows.first())
        .map(|o| o.time_h)
        .unwrap_or(0.0);
    let grid = crate::plot::compare::table_grid(start, days * 24.0);
    files.push(common::write(
        &dir,
        "theories.csv",
        table(&labelled, &fig::QUANTITIES, &grid).as_bytes(),
    )?);
    Ok(files)
}

/// Peak glutamate and the score at a few times, one line per setting.
fn print_table(runs: &[RunResult]) -> anyhow::Result<()> {
    outln!(
        "{:32} glutamate peak   score: 24 h    7 d   response from",
        "setting"
    );
    for (v, r) in VARIANTS.iter().zip(runs) {
        let at = |t: f64| {
            value_at(&r.rows, t, |o| o.symptom_score)
                .map(|x| format!("{x:6.1}"))
                .unwrap_or_else(|| "     -".into())
        };
        let glu = r
            .rows
            .iter()
            .filter(|o| o.time_h >= 0.0)
            .map(|o| o.glutamate_rel)
            .fold(f64::NAN, f64::max);
        let resp = r
            .summary
            .time_to_response_h
            .map(fmt_h)
            .unwrap_or_else(|| "no response".into());
        outln!(
            "{:32} {:8.2} x         {} {}   {resp}",
            v.label,
            glu,
            at(24.0),
            at(168.0)
        );
    }
    Ok(())
}
