//! `synsim run`: one scenario, one typical patient.

use super::common::{self, Common, FigureFlags, TimeAxisFlags};
use crate::export;
use crate::run::{run, summary_json, RunResult};
use crate::scenario::ScenarioEdit;
use std::path::PathBuf;
use std::process::ExitCode;

/// Run one scenario.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim run ketamine-iv-single
  synsim run ketamine-iv-serial --days 90 --dt-out \"2 min\" --out results/serial
  synsim run ketamine-iv-single --set mechanisms.disinhibition=false
  synsim run models/my-scenario.toml
  synsim run placebo --regimen \"ketamine 0.5 mg/kg iv over 40 min every 7 d x 4\"
  synsim run ketamine-iv-serial --verbose
  synsim run ketamine-iv-single --panels score,synapses --size 16:9 --font-scale 1.5
  synsim run ssri-escitalopram --style print --size A4

Writes DIR/timeseries.csv (one row per output time), DIR/summary.json and
DIR/dashboard.png/.svg; DIR is replaced as a whole. The summary and the figures
come from a dense measure grid and do not depend on --dt-out. The dashboard's
time axis is logarithmic for a single dose followed for days (minutes matter),
linear for a course (weeks matter); --log-time / --linear-time to choose.
Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Built-in scenario name (see `synsim list`) or a path to a .toml file
    pub scenario: String,
    /// Output folder (default: synsim-out/SCENARIO, with a short suffix when
    /// --set, --regimen, --days or --dt-out change it). A previous synsim
    /// output there is replaced as a whole; other folders are never touched.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Output spacing of timeseries.csv, e.g. "1 h", "10 min", "2 min" (the
    /// summary and the figures do not depend on it)
    #[arg(long = "dt-out", value_name = "DURATION")]
    pub dt_out: Option<String>,
    #[command(flatten)]
    pub time_axis: TimeAxisFlags,
    /// Skip the figures (CSV and JSON only)
    #[arg(long)]
    pub no_plot: bool,
    /// Write a timeseries.csv larger than the 200 MB limit
    #[arg(long)]
    pub force: bool,
    /// Also print what the integration cost (steps, rejected steps, Newton
    /// failures, right-hand sides, Jacobians; also in summary.json)
    #[arg(long, short = 'v')]
    pub verbose: bool,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub figure: FigureFlags,
}

/// A run with `--set` changes that tries more solver steps than this is
/// compared with its scenario's own parameters (below it, it is fast
/// whatever it is compared with).
const SLOW_ATTEMPTS: u64 = 1500;

/// A run trying this many times the solver steps of the same scenario and
/// regimen with the scenario's own parameters is reported as slow.
const SLOW_RATIO: f64 = 4.0;

/// Which stage held the step size down, in words.
fn limiter_text(l: &crate::solve::StepLimiter) -> String {
    format!(
        "step size was held down mostly by the {} stage ({:.0} % of steps; its state '{}')",
        l.stage,
        100.0 * l.share,
        l.state
    )
}

/// Why run `r` (which took `took` s) was slow, when `--set` changes made
/// the model stiff: it is compared with the same scenario, regimen and
/// length without them (the run's estimate), and the stage that held the
/// step size down is named with the changed parameters that belong to it.
fn slow_run(a: &Args, r: &RunResult, took: f64) -> anyhow::Result<Option<String>> {
    if a.common.set.is_empty() || r.solver.attempts() <= SLOW_ATTEMPTS {
        return Ok(None);
    }
    let own = Common {
        set: Vec::new(),
        ..a.common.clone()
    };
    let started = std::time::Instant::now();
    let Ok(reference) = run(&own.scenario(&a.scenario)?) else {
        return Ok(None);
    };
    let took_ref = started.elapsed().as_secs_f64();
    let ratio = r.solver.attempts() as f64 / reference.solver.attempts().max(1) as f64;
    if ratio < SLOW_RATIO {
        return Ok(None);
    }
    let mut text = format!(
        "the --set values made this run {ratio:.0}\u{00d7} the work of {}'s own parameters: {} \
         solver steps tried ({} rejected, {} Newton failures) against {}, {took:.2} s against \
         {took_ref:.2} s.",
        a.scenario,
        r.solver.attempts(),
        r.solver.rejected,
        r.solver.newton_failures,
        reference.solver.attempts(),
    );
    if let Some(l) = crate::solve::step_limiter(&r.solver) {
        let stage = crate::stages::STAGES.iter().find(|st| st.name == l.stage);
        let mine: Vec<&str> = a
            .common
            .set
            .iter()
            .filter_map(|c| c.split('=').next().map(str::trim))
            .filter(|n| {
                stage.is_some_and(|st| crate::stages::stage_params(st).iter().any(|d| d.name == *n))
            })
            .collect();
        text.push_str(&format!(
            " The {}: values that make one stage far faster than the rest make the equations \
             stiff.",
            limiter_text(&l)
        ));
        if let Some((last, rest)) = mine.split_last() {
            let names = if rest.is_empty() {
                format!("{last} belongs")
            } else {
                format!("{} and {last} belong", rest.join(", "))
            };
            text.push_str(&format!(
                " Of your changes, {names} to it: try values nearer the defaults."
            ));
        }
        text.push_str(&format!(
            " See synsim explain {} and synsim explain solver.",
            l.stage
        ));
    }
    Ok(Some(text))
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let opts = a.figure.options("run", &crate::plot::dashboard::PANELS)?;
    let edit = ScenarioEdit {
        dt_out: a.dt_out.clone(),
        ..a.common.edit()
    };
    let s = a.common.scenario_with(&a.scenario, edit)?;
    let span_h = s.days * 24.0 + s.runin_h;
    let drugs = s.regimen.as_ref().map(|r| r.drugs()).unwrap_or_default();
    let rows = (span_h / s.dt_out_h).floor() + 1.0;
    common::check_csv_size(
        rows,
        export::columns(&drugs).len(),
        a.force,
        "use a larger --dt-out or fewer --days (the summary and figures do not depend on --dt-out)",
    )?;
    let target = a.out.clone().unwrap_or_else(|| {
        let mut changes = a.common.changes();
        changes.extend(a.dt_out.iter().map(|x| format!("dt-out {x}")));
        changes.extend(a.figure.changes());
        common::default_out(&a.scenario, &changes)
    });
    let out = common::OutDir::prepare(&target)?;
    common::warn_scenario(&s);
    let started = std::time::Instant::now();
    let r = run(&s)?;
    let took = started.elapsed().as_secs_f64();
    let dir = out.path();
    let cols = export::columns(&r.drugs);
    common::write(
        dir,
        "timeseries.csv",
        export::timeseries_csv(&r.rows, &cols).as_bytes(),
    )?;
    let json = serde_json::to_string_pretty(&summary_json(&r))?;
    common::write(dir, "summary.json", json.as_bytes())?;
    let mut written = vec!["timeseries.csv".to_string(), "summary.json".to_string()];
    if !a.no_plot {
        let log = a
            .time_axis
            .choice()
            .unwrap_or_else(|| crate::plot::timeaxis::default_log(&[&r]));
        for p in crate::plot::dashboard::write(&r, dir, "dashboard", log, &opts)? {
            written.push(common::file_name(&p));
        }
    }
    let dir = out.commit()?;
    print_summary(&r)?;
    if a.verbose {
        outln!("  solver: {}", common::work_text(&r.solver));
        if let Some(l) = crate::solve::step_limiter(&r.solver) {
            outln!("  {}", limiter_text(&l));
        }
    }
    if let Some(w) = slow_run(&a, &r, took)? {
        eprintln!("warning: {w}");
    }
    common::report_written(&written, &dir)?;
    Ok(ExitCode::SUCCESS)
}

/// A short human summary on stdout.
pub fn print_summary(r: &RunResult) -> anyhow::Result<()> {
    let s = &r.summary;
    outln!("{} ({})", r.scenario.title, r.scenario.name);
    if !r.scenario.regimen_text.is_empty() {
        outln!(
            "  regimen: {} ({})",
            r.scenario.regimen_text,
            plural(r.doses.len(), "dose", "doses")
        );
    }
    for (drug, p) in &s.peak_plasma_ng_ml {
        outln!(
            "  peak plasma {drug}: {:.1} ng/mL at {}",
            p.value,
            common::fmt_time_h(p.time_h)
        );
    }
    if s.peak_nmda_occupancy.value > 1e-3 {
        outln!(
            "  NMDA occupancy peak: {:.0} % (interneurons {:.0} %); dissociation peak {:.2}",
            100.0 * s.peak_nmda_occupancy.value,
            100.0 * s.peak_nmda_occupancy_interneuron.value,
            s.peak_dissociation.value
        );
        outln!(
            "  glutamate peak: {:+.0} % vs baseline at {}",
            100.0 * (s.peak_glutamate_vs_baseline.value - 1.0),
            common::fmt_time_h(s.peak_glutamate_vs_baseline.time_h)
        );
    }
    if s.peak_sert_occupancy.value > 1e-3 {
        outln!(
            "  SERT occupancy peak: {:.0} %",
            100.0 * s.peak_sert_occupancy.value
        );
    }
    let at: Vec<String> = ["2h", "24h", "7d", "28d", "56d", "84d"]
        .iter()
        .filter_map(|k| s.score_at.get(*k).map(|v| format!("{k} {v:.1}")))
        .collect();
    outln!(
        "  score: baseline {:.1}; {}; best {:.1} at {}",
        s.baseline_score,
        at.join(", "),
        s.best_score.value,
        common::fmt_time_h(s.best_score.time_h)
    );
    match (s.time_to_response_h, s.response_duration_h) {
        (Some(t), Some(d)) if s.response_episodes > 1 => outln!(
            "  response (>= 50 % fall) from {}; {:.1} d in response in total, over {} \
             separate episodes (the first lasted {})",
            common::fmt_time_h(t),
            s.days_in_response,
            s.response_episodes,
            common::fmt_time_h(d)
        ),
        (Some(t), Some(d)) => outln!(
            "  response (>= 50 % fall) from {} for {} (one episode)",
            common::fmt_time_h(t),
            common::fmt_time_h(d)
        ),
        _ => outln!("  no response (>= 50 % fall) during the run"),
    }
    if let Some(d) = s.relapse_after_last_dose_d {
        outln!("  response lost {d:.1} d after the last dose");
    }
    Ok(())
}

/// "1 dose", "6 doses".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
