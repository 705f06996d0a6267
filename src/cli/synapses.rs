//! `synsim synapses`: the spine picture for any scenarios, side by side,
//! at chosen times.

use super::common::{self, Common, FigureFlags, InputError};
use crate::experiments::compare::treated_throughout;
use crate::export::fmt_csv;
use crate::plot::synapse::{
    self as fig, spines_for, GridRow, SynapseGrid, GRID_HEALTHY_SPINES, GRID_MAX_COLUMNS,
    GRID_MAX_ROWS,
};
use crate::plot::FigureOptions;
use crate::scenario::{Scenario, MAX_DAYS};
use crate::units;
use std::path::PathBuf;
use std::process::ExitCode;

/// The times drawn when `--at` is not given.
pub const DEFAULT_AT: &str = "2h,1d,1w,4w,8w";

/// Spines on one dendrite, one row per scenario, one column per time.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim synapses ketamine-iv-single ssri-escitalopram --at 1d,1w,4w,8w --days 60
  synsim synapses ketamine-iv-single                     # at 2 h, 1 d, 1 w, 4 w and 8 w
  synsim synapses ketamine-iv-single ketamine-iv-serial --at 0h,1d,2w,4w
  synsim synapses ketamine-iv-single ssri-escitalopram --label \"one drip\" --label \"SSRI pill, daily\"
  synsim synapses ketamine-iv-single --set synapse.turnover_d=30 --at 1w,4w,8w
  synsim synapses placebo --regimen \"ketamine 0.5 mg/kg iv over 40 min every 7 d x 4\"
  synsim synapses ketamine-iv-single ssri-escitalopram --at 1d,4w --days 30 --size 16:9 --font-scale 1.5 --style print

Each cell draws the same stretch of dendrite with 20 spines at a healthy
density and as many as the simulated synapse density gives (rounded), labelled
with its time and the density in % of healthy. Spines there before treatment
are dark, new ones vermillion, missing ones grey rings. --at takes times after
the first dose (min, h, d, w; 0h = before treatment), separated by commas; up
to 6 times and 4 scenarios fit on one picture. Without --days each run lasts
its scenario's length, or longer to reach the latest --at time (said on
stderr); with --days a time after the run's end is refused. Each run is the
one `synsim run` gives with the same --days: the densities equal its
timeseries.csv at the same times. --title, --size, --font-scale and --style
work as for every figure (the grid has no --panels).
Writes DIR/synapses.png/.svg and DIR/synapses.csv (scenario, time, time_h,
synapse_density_rel, percent_of_healthy, spines_drawn).
Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Scenarios, one row each: built-in names (see `synsim list`) or .toml paths
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<String>,
    /// Times after the first dose, one column each, separated by commas,
    /// e.g. --at 1d,1w,4w,8w
    #[arg(long, value_name = "TIMES", default_value = DEFAULT_AT)]
    pub at: String,
    /// Output folder (default: synsim-out/synapses-SCENARIO-vs-SCENARIO...,
    /// with a short suffix when --at, --set, --regimen or --days change it).
    /// A previous synsim output there is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// A name for a row in place of its scenario's name and title, in the
    /// order of the scenarios; repeat for each, e.g. --label "one drip"
    /// --label "SSRI pill"
    #[arg(long = "label", value_name = "TEXT", value_parser = common::parse_label)]
    pub labels: Vec<String>,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub figure: FigureFlags,
}

/// The densities of one scenario: before treatment and at each time.
struct Densities {
    /// The name for the CSV (no commas).
    name: String,
    /// The name as the figure shows it.
    shown: String,
    title: String,
    before: f64,
    at: Vec<f64>,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let opts = a.figure.options("synapses", &[])?;
    let times = parse_at(&a.at)?;
    if a.scenarios.len() > GRID_MAX_ROWS {
        return Err(InputError(format!(
            "{} scenarios were given; at most {GRID_MAX_ROWS} fit on one readable picture \
             (one row each); draw the others in a second picture",
            a.scenarios.len()
        ))
        .into());
    }
    // Checked before anything runs: at most one label per row.
    let mut names = a.scenarios.clone();
    common::relabel(&a.labels, &mut names.iter_mut().collect::<Vec<_>>(), "rows")?;
    let (scenarios, notes) = load_fitted(&a.scenarios, &a.common, &times)?;
    let target = a.out.clone().unwrap_or_else(|| {
        let mut changes = a.common.changes();
        if times != parse_at(DEFAULT_AT).unwrap_or_default() {
            changes.push(format!("at {}", labels(&times).join(",")));
        }
        if !a.labels.is_empty() {
            changes.push(format!("labels {}", a.labels.join(",")));
        }
        changes.extend(a.figure.changes());
        common::command_out("synapses", &a.scenarios, &changes)
    });
    let out = common::OutDir::prepare(&target)?;
    let given: Vec<&str> = a.labels.iter().map(String::as_str).collect();
    let words = Words {
        title: "",
        rows: &given,
    };
    let (files, rows) = draw(
        &scenarios,
        &notes,
        &times,
        out.path(),
        "synapses",
        &words,
        &opts,
    )?;
    let dir = out.commit()?;
    print_table(&rows, &times)?;
    common::report_files(&files, &dir)?;
    Ok(ExitCode::SUCCESS)
}

/// The scenarios `names` with `common`'s flags, each given the length the
/// times need (`fit_length`), and what to say about their lengths.
pub fn load_fitted(
    names: &[String],
    common: &Common,
    times: &[f64],
) -> anyhow::Result<(Vec<Scenario>, Vec<Note>)> {
    // Loaded at their own lengths, to tell a course that stops from one
    // shown whole; `fit_length` applies --days.
    let own_length = Common {
        days: None,
        ..common.clone()
    };
    let mut scenarios = super::compare::load(names, &own_length)?;
    let notes = scenarios
        .iter_mut()
        .map(|s| fit_length(s, times, common.days))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((scenarios, notes))
}

/// Words in place of the figure's own: a title, and a label for each row
/// in place of the scenario's name and title (empty: the figure's own).
#[derive(Debug, Clone, Default)]
pub struct Words<'a> {
    /// The figure's title.
    pub title: &'a str,
    /// One label per row.
    pub rows: &'a [&'a str],
}

/// Runs `scenarios` and writes DIR/STEM.png/.svg and DIR/STEM.csv; prints
/// the notes and warnings first. Returns the files and the densities.
fn draw(
    scenarios: &[Scenario],
    notes: &[Note],
    times: &[f64],
    dir: &std::path::Path,
    stem: &str,
    words: &Words,
    opts: &FigureOptions,
) -> anyhow::Result<(Vec<PathBuf>, Vec<Densities>)> {
    for line in notes.iter().flat_map(|n| &n.text) {
        eprintln!("note: {line}");
    }
    warn(scenarios);
    let rows = scenarios
        .iter()
        .map(|s| densities(s, times))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let grid = SynapseGrid {
        title: if words.title.is_empty() {
            title(scenarios)
        } else {
            words.title.to_string()
        },
        notes: figure_notes(scenarios, notes),
        times_h: times.to_vec(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let label = words.rows.get(k);
                GridRow {
                    name: label.map_or_else(|| d.shown.clone(), |l| l.to_string()),
                    title: if label.is_some() {
                        String::new()
                    } else {
                        d.title.clone()
                    },
                    before: d.before,
                    densities: d.at.clone(),
                }
            })
            .collect(),
        opts: opts.clone(),
    };
    let mut files = fig::write_grid(&grid, dir, stem)?;
    files.push(common::write(
        dir,
        &format!("{stem}.csv"),
        csv(&rows, times).as_bytes(),
    )?);
    Ok((files, rows))
}

/// Writes the spine picture of `names` at `times` into DIR/STEM.png/.svg
/// (and STEM.csv), as `synsim synapses` draws it, with `words` in place
/// of its own title and row labels, drawn as `opts` asks.
pub fn picture(
    names: &[String],
    common: &Common,
    times: &[f64],
    dir: &std::path::Path,
    stem: &str,
    words: &Words,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let (scenarios, notes) = load_fitted(names, common, times)?;
    Ok(draw(&scenarios, &notes, times, dir, stem, words, opts)?.0)
}

/// Reads `--at`: durations after the first dose separated by commas, in
/// the CLI's duration notation. Returns hours, sorted; refuses an empty
/// time, a bad duration, a time between 0 and 1 min (the regimen
/// notation's shortest), a repeated time, more than [`GRID_MAX_COLUMNS`]
/// times and a time after the longest run there can be.
pub fn parse_at(text: &str) -> Result<Vec<f64>, InputError> {
    let example = "e.g. --at 1d,1w,4w,8w";
    if text.trim().is_empty() {
        return Err(InputError(format!(
            "--at is empty; give times after the first dose separated by commas, {example}"
        )));
    }
    let mut times: Vec<(f64, &str)> = Vec::new();
    for piece in text.split(',').map(str::trim) {
        if piece.is_empty() {
            return Err(InputError(format!(
                "--at \"{text}\": a time is missing between commas; write times after the first \
                 dose separated by commas, {example}"
            )));
        }
        let h = units::parse_duration_h(piece).map_err(|e| {
            InputError(format!(
                "--at: {e}; write times after the first dose separated by commas, {example}"
            ))
        })?;
        if h > 0.0 && h < units::MIN_DURATION_H {
            return Err(InputError(format!(
                "--at \"{piece}\": use 0h (before treatment) or a time from 1 min on"
            )));
        }
        if h > MAX_DAYS * 24.0 {
            return Err(InputError(format!(
                "--at \"{piece}\": the latest time is {} d (10 years) after the first dose",
                MAX_DAYS
            )));
        }
        times.push((h, piece));
    }
    if times.len() > GRID_MAX_COLUMNS {
        return Err(InputError(format!(
            "--at \"{text}\": {} times were given; at most {GRID_MAX_COLUMNS} fit on one \
             readable picture (one column each)",
            times.len()
        )));
    }
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    if let Some(w) = times.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(InputError(format!(
            "--at: \"{}\" and \"{}\" are the same time ({}); give each time once",
            w[0].1,
            w[1].1,
            units::format_duration_h(w[0].0)
        )));
    }
    Ok(times.into_iter().map(|(h, _)| h).collect())
}

/// The times as the CSV and the table write them: "2 h", "1 d", "8 w".
fn labels(times: &[f64]) -> Vec<String> {
    times.iter().map(|h| units::format_duration_h(*h)).collect()
}

/// What to say about a run's length: on stderr, and on the figure (a
/// course shown after it stopped).
#[derive(Default)]
pub struct Note {
    text: Vec<String>,
    on_figure: Option<String>,
}

/// Gives `s` (at its own length) the run length `days` (from `--days`),
/// refusing a time after its end as `synsim run` never runs longer than
/// asked; without `days`, makes it long enough for the latest time and
/// says so. Either way notes a course that lasts its whole scenario but is
/// now shown after it stopped.
fn fit_length(s: &mut Scenario, times: &[f64], days: Option<f64>) -> anyhow::Result<Note> {
    let last = times.iter().copied().fold(0.0, f64::max);
    let own = s.days;
    let course = treated_throughout(s);
    let at = units::format_duration_h(last);
    let mut note = Note::default();
    if let Some(d) = days {
        s.days = crate::scenario::check_days("--days", d).map_err(InputError)?;
        if last > s.days * 24.0 {
            return Err(InputError(format!(
                "--at {at} is after the end of the run (--days {}); pass --days {} or more, \
                 or leave that time out",
                crate::params::fmt_num(s.days),
                crate::params::fmt_num((last / 24.0 * 1e4).ceil() / 1e4)
            ))
            .into());
        }
    } else if last > own * 24.0 {
        s.days = last / 24.0;
        note.text.push(format!(
            "{} runs {} d (its scenario runs {} d) to reach --at {at}",
            s.name,
            crate::params::fmt_num(s.days),
            crate::params::fmt_num(own),
        ));
    }
    if course && last > own * 24.0 {
        let stopped = format!(
            "the course ends at day {}, so the treatment has stopped by {}",
            crate::params::fmt_num(own),
            crate::plot::synapse::time_words(last)
        );
        note.text.push(format!("{}: {stopped}", s.name));
        note.on_figure = Some(format!("{}: {stopped}", s.name));
    }
    Ok(note)
}

/// Prints the warnings of each scenario as it will run (doses after its
/// end, doses outside the calibration), naming the scenario when there
/// are several.
fn warn(scenarios: &[Scenario]) {
    for s in scenarios {
        for w in crate::scenario::warnings(s) {
            if scenarios.len() > 1 {
                eprintln!("warning: {}: {w}", s.name);
            } else {
                eprintln!("warning: {w}");
            }
        }
    }
}

/// The synapse density of `s`'s typical patient before treatment and at
/// each time, from the same integration `synsim run` does.
fn densities(s: &Scenario, times: &[f64]) -> anyhow::Result<Densities> {
    let mut at = vec![0.0];
    at.extend_from_slice(times);
    let rows = crate::run::observe_at(s, &at)?;
    let d: Vec<f64> = rows.iter().map(|o| o.synapse_density_rel).collect();
    Ok(Densities {
        // A comma in a file name would break the CSV.
        name: s.name.replace(',', "_"),
        shown: s.name.clone(),
        title: s.title.clone(),
        before: d[0],
        at: d[1..].to_vec(),
    })
}

/// The figure's title: the scenario's for one, the names for several.
fn title(scenarios: &[Scenario]) -> String {
    match scenarios {
        [s] => format!("Spines on one dendrite: {}", s.title),
        _ => format!(
            "Spines on one dendrite, same patient: {}",
            scenarios
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(" vs ")
        ),
    }
}

/// Lines under the figure's subtitle: what `--set` changed, and courses
/// shown after they stopped.
fn figure_notes(scenarios: &[Scenario], notes: &[Note]) -> Vec<String> {
    let mut out = Vec::new();
    let changes = &scenarios[0].changes;
    if !changes.is_empty() {
        let what = if scenarios.len() > 1 {
            "changed in every run"
        } else {
            "changed"
        };
        out.push(format!("{what}: {}", changes.join(" \u{00b7} ")));
    }
    out.extend(notes.iter().filter_map(|n| n.on_figure.clone()));
    out
}

/// synapses.csv: one line per scenario and time, with the density as
/// `timeseries.csv` writes it, the whole percent the figure shows and the
/// spines it draws.
fn csv(rows: &[Densities], times: &[f64]) -> String {
    let mut out =
        String::from("scenario,time,time_h,synapse_density_rel,percent_of_healthy,spines_drawn\n");
    for d in rows {
        for ((label, h), v) in labels(times).iter().zip(times).zip(&d.at) {
            out.push_str(&format!(
                "{},{label},{},{},{:.0},{}\n",
                d.name,
                fmt_csv(*h),
                fmt_csv(*v),
                100.0 * v,
                spines_for(*v, GRID_HEALTHY_SPINES)
            ));
        }
    }
    out
}

/// The densities as a table: one line per scenario, one column per time.
fn print_table(rows: &[Densities], times: &[f64]) -> anyhow::Result<()> {
    let width = rows.iter().map(|d| d.name.len()).max().unwrap_or(8).max(8);
    outln!("synapse density, % of healthy (spines drawn; {GRID_HEALTHY_SPINES} = healthy)");
    let head: Vec<String> = labels(times).iter().map(|l| format!("{l:>9}")).collect();
    outln!("{:width$}{}", "scenario", head.join(""));
    for d in rows {
        let cells: Vec<String> = d
            .at
            .iter()
            .map(|v| {
                let cell = format!("{:.0} ({})", 100.0 * v, spines_for(*v, GRID_HEALTHY_SPINES));
                format!("{cell:>9}")
            })
            .collect();
        outln!("{:width$}{}", d.name, cells.join(""));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_sorted_and_checked() {
        assert_eq!(
            parse_at("1d, 2h,1w,4w,8w").unwrap(),
            [2.0, 24.0, 168.0, 672.0, 1344.0]
        );
        assert_eq!(parse_at("0h,90 min").unwrap(), [0.0, 1.5]);
        for (bad, says) in [
            ("1d,,1w", "a time is missing between commas"),
            ("1x", "unknown duration unit \"x\""),
            ("7", "a unit is required"),
            ("-1d", "cannot be negative"),
            ("1w,7d", "\"1w\" and \"7d\" are the same time (1 w)"),
            ("1h,2h,3h,4h,5h,6h,7h", "7 times were given; at most 6"),
            ("20000 d", "the latest time is 3650 d"),
            (
                "1d,0.5 s",
                "use 0h (before treatment) or a time from 1 min on",
            ),
            (" ", "--at is empty"),
        ] {
            let e = parse_at(bad).unwrap_err().0;
            assert!(e.contains(says), "{bad}: {e}");
            assert!(e.starts_with("--at"), "{bad}: {e}");
        }
    }

    #[test]
    fn time_words_read_as_people_say_them() {
        use crate::plot::synapse::time_words;
        assert_eq!(time_words(0.0), "before treatment");
        assert_eq!(time_words(2.0), "2 hours");
        assert_eq!(time_words(24.0), "1 day");
        assert_eq!(time_words(36.0), "1.5 days");
        assert_eq!(time_words(1344.0), "8 weeks");
        assert_eq!(time_words(40.0 / 60.0), "40 min");
    }
}
