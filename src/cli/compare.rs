//! `synsim compare`: several scenarios on the same axes.

use super::common::{self, Common, FigureFlags, InputError, TimeAxisFlags};
use crate::experiments::compare::common_days;
use crate::plot::compare as fig;
use crate::plot::FigureOptions;
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
  synsim compare ketamine-iv-single ssri-escitalopram --set synapse.turnover_d=30
  synsim compare ketamine-iv-single --vary synapse.max_density=1.1,1.4
  synsim compare --style print --size A4-landscape   # for a photocopier
  synsim compare ketamine-iv-single ssri-escitalopram --panels score --title \"Hours or weeks?\"
  synsim compare ketamine-iv-single ssri-escitalopram --label \"one drip\" --label \"SSRI pill, daily\"

Every scenario runs for the same number of days: the longest scenario's, but
never past the end of a course that lasts its whole run (e.g. the SSRI's 12
weeks), or --days. --vary runs one scenario once per value of one parameter,
coloured from dark (smallest value) to light (largest). A panel where runs
draw the same line names them (\"same line: ...\").
The time axis is logarithmic when a single dose is compared over days (minutes
matter), linear when only courses are (--log-time / --linear-time to choose).
--set applies to every scenario; --regimen only with one scenario.
Writes DIR/compare.png/.svg and DIR/compare.csv (time_h, then one column per
quantity per scenario, e.g. symptom_score:ketamine-iv-single).
Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Scenarios to overlay: built-in names (see `synsim list`) or .toml paths
    /// [default: ketamine-iv-single esketamine-nasal ssri-escitalopram placebo]
    pub scenarios: Vec<String>,
    /// Run one scenario once per value of one parameter, e.g.
    /// --vary synapse.max_density=1.1,1.4
    #[arg(long, value_name = "NAME=V1,V2,...")]
    pub vary: Option<String>,
    /// Output folder (default: synsim-out/compare-SCENARIO-vs-SCENARIO...,
    /// with a short suffix when --set, --regimen, --days or --vary change
    /// it). A previous synsim output there is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// A name for a line in place of its own, in the order of the scenarios
    /// (or --vary values); repeat for each, e.g. --label "one drip" --label
    /// "SSRI pill"
    #[arg(long = "label", value_name = "TEXT", value_parser = common::parse_label)]
    pub labels: Vec<String>,
    #[command(flatten)]
    pub time_axis: TimeAxisFlags,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub figure: FigureFlags,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let names: Vec<String> = if a.scenarios.is_empty() {
        DEFAULT.iter().map(|s| s.to_string()).collect()
    } else {
        a.scenarios.clone()
    };
    let log = a.time_axis.choice();
    let opts = a.figure.options("compare", &fig::PANELS)?;
    let target = a.out.clone().unwrap_or_else(|| {
        let mut changes = a.common.changes();
        changes.extend(a.vary.iter().map(|v| format!("vary {v}")));
        if !a.labels.is_empty() {
            changes.push(format!("labels {}", a.labels.join(",")));
        }
        changes.extend(a.figure.changes());
        common::command_out("compare", &names, &changes)
    });
    let out = common::OutDir::prepare(&target)?;
    let set = match &a.vary {
        Some(v) => {
            vary_form(v)?;
            if a.scenarios.len() > 1 {
                return Err(InputError(format!(
                    "--vary runs one scenario several times, but {} scenarios were given; \
                     name one scenario, e.g. synsim compare ketamine-iv-single --vary {v}",
                    a.scenarios.len()
                ))
                .into());
            }
            varied(&names[0], v, &a.common)?
        }
        None => runs(&names, &a.common)?,
    };
    let mut set = set;
    relabel(&mut set, &a.labels)?;
    let set = if opts.school() { plain_words(set) } else { set };
    if let Some(n) = &set.note {
        eprintln!("note: {n}");
    }
    let files = write(&set, out.path(), log, &opts)?;
    let dir = out.commit()?;
    print_table(&set)?;
    common::report_files(&files, &dir)?;
    Ok(ExitCode::SUCCESS)
}

/// Runs drawn together, with their legend labels, the figure's title and a
/// note on the common length (when it needs saying).
pub struct Set {
    /// (legend label, CSV label, run), in legend order.
    pub runs: Vec<(String, String, RunResult)>,
    /// Figure title.
    pub title: String,
    /// Why the runs have the length they have, when that is not obvious.
    pub note: Option<String>,
    /// Changes made to every run, e.g. "synapse.turnover_d = 20".
    pub changes: Vec<String>,
    /// With `--vary`: each run's place in the order of the values (0
    /// smallest, 1 largest), so the figure's colours follow the values.
    pub ramp: Option<Vec<f64>>,
}

/// Puts `labels` (`--label`, in order) in place of the runs' legend labels.
pub fn relabel(set: &mut Set, labels: &[String]) -> Result<(), InputError> {
    let mut shown: Vec<&mut String> = set.runs.iter_mut().map(|(l, _, _)| l).collect();
    common::relabel(labels, &mut shown, "lines")
}

/// The set as a school figure shows it: every parameter in the title,
/// the legend labels and the changes named by its plain label.
pub fn plain_words(mut set: Set) -> Set {
    use crate::plot::school::plain_assignment;
    for (label, _, _) in &mut set.runs {
        *label = plain_assignment(label);
    }
    set.changes = set.changes.iter().map(|c| plain_assignment(c)).collect();
    for d in crate::params::REGISTRY {
        if let Some(plain) = d.plain {
            set.title = set.title.replace(d.name, plain);
        }
    }
    set
}

/// Loads every scenario (all checked before anything runs), gives them a
/// common length, output spacing and run-in, and runs them.
pub fn runs(names: &[String], common: &Common) -> anyhow::Result<Set> {
    if names.is_empty() {
        return Err(InputError("give at least one scenario to compare".into()).into());
    }
    let scenarios = load(names, common)?;
    let (days, note) = common_days(&scenarios, common.days);
    let changes = scenarios[0].changes.clone();
    let mains: Vec<_> = scenarios
        .iter()
        .map(|s| {
            let drugs = s.regimen.as_ref().map(|r| r.drugs()).unwrap_or_default();
            crate::plot::style::main_drug(&drugs)
        })
        .collect();
    let title = if mains.len() > 1 && mains.iter().all(|m| *m == mains[0]) {
        match mains[0] {
            Some(d) => format!("Same patient, different {} schedules", d.name()),
            None => "Same patient, no treatment".to_string(),
        }
    } else if mains.len() == 1 {
        scenarios[0].title.clone()
    } else {
        "Same patient, different treatments: how fast does each one act?".to_string()
    };
    let runs = finish(scenarios, days)?
        .into_iter()
        // A comma in a file name would break the CSV header.
        .map(|r| {
            (
                r.scenario.title.clone(),
                r.scenario.name.replace(',', "_"),
                r,
            )
        })
        .collect();
    Ok(Set {
        runs,
        title,
        note,
        changes,
        ramp: None,
    })
}

/// Loads the scenarios drawn together, with `common`'s flags applied to
/// each: every one is checked before anything runs; a scenario named
/// twice, or `--regimen` with several scenarios, is refused.
pub fn load(names: &[String], common: &Common) -> anyhow::Result<Vec<Scenario>> {
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
        scenarios.push(s);
    }
    Ok(scenarios)
}

/// Checks that `vary` has the form `NAME=V1,V2,...`; the error says how
/// to write it (one word, no spaces around `=`).
fn vary_form(vary: &str) -> Result<(&str, &str), InputError> {
    vary.split_once('=').ok_or_else(|| {
        InputError(format!(
            "--vary \"{vary}\" is not NAME=V1,V2,...; {}",
            crate::scenario::assignment_form("--vary")
        ))
    })
}

/// One scenario run once per value of `vary` (`NAME=V1,V2,...`).
pub fn varied(name: &str, vary: &str, common: &Common) -> anyhow::Result<Set> {
    let (pname, values) = vary_form(vary)?;
    let pname = pname.trim();
    let values: Vec<&str> = values
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    if values.len() < 2 {
        return Err(InputError(format!(
            "--vary {pname}: give at least two values separated by commas, e.g. --vary {pname}=A,B"
        ))
        .into());
    }
    let base = common.scenario(name)?;
    let mut scenarios = Vec::new();
    for v in &values {
        let mut s = base.clone();
        s.apply_override_as("--vary", &format!("{pname}={v}"))?;
        scenarios.push(s);
    }
    let (days, note) = common_days(&scenarios[..1], common.days);
    let title = format!("{}: {pname} = {}", base.title, values.join(" vs "));
    let runs = finish(scenarios, days)?
        .into_iter()
        .zip(&values)
        .map(|(r, v)| (format!("{pname} = {v}"), format!("{pname}={v}"), r))
        .collect();
    Ok(Set {
        runs,
        title,
        note,
        changes: base.changes,
        ramp: fig::value_ramp(&values),
    })
}

/// Gives the scenarios one length, run-in and output spacing, prints the
/// warnings of each as it will run (once each), and runs them.
fn finish(mut scenarios: Vec<Scenario>, days: f64) -> anyhow::Result<Vec<RunResult>> {
    let runin = scenarios.iter().map(|s| s.runin_h).fold(0.0, f64::max);
    let mut warned: Vec<String> = Vec::new();
    for s in &mut scenarios {
        s.days = days;
        s.runin_h = runin;
        // 4-minute output resolves the ketamine surge on a log axis.
        s.dt_out_h = s.dt_out_h.min(1.0 / 15.0);
        for w in crate::scenario::warnings(s) {
            let line = format!("warning: {}: {w}", s.name);
            if !warned.contains(&line) {
                eprintln!("{line}");
                warned.push(line);
            }
        }
    }
    scenarios
        .iter()
        .map(|s| run(s).map_err(anyhow::Error::from))
        .collect()
}

/// Writes DIR/compare.png/.svg/.csv, the figure as `opts` asks; `log`
/// None = the default for these runs
/// ([`crate::plot::timeaxis::default_log`]).
pub fn write(
    set: &Set,
    dir: &Path,
    log: Option<bool>,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let dir = common::out_dir(dir)?;
    let shown: Vec<(String, &RunResult)> =
        set.runs.iter().map(|(l, _, r)| (l.clone(), r)).collect();
    let labelled: Vec<(String, &RunResult)> =
        set.runs.iter().map(|(_, l, r)| (l.clone(), r)).collect();
    let all: Vec<&RunResult> = set.runs.iter().map(|(_, _, r)| r).collect();
    let days = all.iter().map(|r| r.scenario.days).fold(0.0, f64::max);
    let mut notes: Vec<String> = Vec::new();
    if !set.changes.is_empty() {
        notes.push(format!(
            "changed in every run: {}",
            set.changes.join(" \u{00b7} ")
        ));
    }
    if let Some(n) = &set.note {
        notes.push(n.clone());
    }
    let log = log.unwrap_or_else(|| crate::plot::timeaxis::default_log(&all));
    let mut files = fig::Compare::new(&shown, log, &set.title, opts)?
        .notes(&notes)
        .ramp(set.ramp.clone())
        .write(&dir, "compare")?;
    let start = all
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
fn print_table(set: &Set) -> anyhow::Result<()> {
    let width = set
        .runs
        .iter()
        .map(|(_, l, _)| l.len())
        .max()
        .unwrap_or(8)
        .max(8);
    outln!(
        "{:width$}  score: start   24 h    7 d   28 d   response from",
        "scenario"
    );
    for (_, label, r) in &set.runs {
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
        outln!(
            "{:width$}        {:6.1} {} {} {}   {resp}",
            label,
            r.reference.baseline_score,
            at(24.0),
            at(168.0),
            at(672.0)
        );
    }
    Ok(())
}

/// Hours for the first two days, days after that.
pub fn fmt_h(h: f64) -> String {
    if h < 48.0 {
        format!("{h:.0} h")
    } else {
        format!("{:.1} d", h / 24.0)
    }
}
