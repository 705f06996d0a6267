//! `synsim run`: one scenario, one typical patient.

use super::common::{self, Common, InputError};
use crate::export;
use crate::run::{run, summary_json, RunResult};
use crate::units;
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

Writes DIR/timeseries.csv (one row per output time), DIR/summary.json and
DIR/dashboard.png/.svg. Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Built-in scenario name (see `synsim list`) or a path to a .toml file
    pub scenario: String,
    /// Output folder
    #[arg(long, default_value = "synsim-out")]
    pub out: PathBuf,
    /// Output spacing, e.g. "1 h", "10 min", "2 min"
    #[arg(long = "dt-out", value_name = "DURATION")]
    pub dt_out: Option<String>,
    /// Plot time on a logarithmic axis (minutes to weeks on one axis)
    #[arg(long)]
    pub log_time: bool,
    /// Skip the figures (CSV and JSON only)
    #[arg(long)]
    pub no_plot: bool,
    #[command(flatten)]
    pub common: Common,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let mut s = a.common.scenario(&a.scenario)?;
    if let Some(dt) = &a.dt_out {
        let h = units::parse_duration_h(dt).map_err(|e| InputError(format!("--dt-out: {e}")))?;
        if !(1.0 / 3600.0..=24.0 * 30.0).contains(&h) {
            return Err(
                InputError(format!("--dt-out \"{dt}\": use a step from 1 s to 30 d")).into(),
            );
        }
        s.dt_out_h = h;
    }
    for w in crate::scenario::calibration_warnings(&s) {
        eprintln!("warning: {w}");
    }
    let r = run(&s)?;
    let dir = common::out_dir(&a.out)?;
    let cols = export::columns(&r.drugs);
    common::write(
        &dir,
        "timeseries.csv",
        export::timeseries_csv(&r.rows, &cols).as_bytes(),
    )?;
    let json = serde_json::to_string_pretty(&summary_json(&r))?;
    common::write(&dir, "summary.json", json.as_bytes())?;
    let mut written = vec!["timeseries.csv".to_string(), "summary.json".to_string()];
    if !a.no_plot {
        for p in crate::plot::dashboard(&r, &dir, a.log_time)? {
            written.push(
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
        }
    }
    print_summary(&r);
    println!("wrote {} in {}", written.join(", "), dir.display());
    Ok(ExitCode::SUCCESS)
}

/// A short human summary on stdout.
pub fn print_summary(r: &RunResult) {
    let s = &r.summary;
    println!("{} ({})", r.scenario.title, r.scenario.name);
    if !r.scenario.regimen_text.is_empty() {
        println!(
            "  regimen: {} ({} doses)",
            r.scenario.regimen_text,
            r.doses.len()
        );
    }
    for (drug, p) in &s.peak_plasma_ng_ml {
        println!(
            "  peak plasma {drug}: {:.1} ng/mL at {}",
            p.value,
            fmt_t(p.time_h)
        );
    }
    if s.peak_nmda_occupancy.value > 1e-3 {
        println!(
            "  NMDA occupancy peak: {:.0} % (interneurons {:.0} %); dissociation peak {:.2}",
            100.0 * s.peak_nmda_occupancy.value,
            100.0 * s.peak_nmda_occupancy_interneuron.value,
            s.peak_dissociation.value
        );
        println!(
            "  glutamate peak: {:+.0} % vs baseline at {}",
            100.0 * (s.peak_glutamate_vs_baseline.value - 1.0),
            fmt_t(s.peak_glutamate_vs_baseline.time_h)
        );
    }
    if s.peak_sert_occupancy.value > 1e-3 {
        println!(
            "  SERT occupancy peak: {:.0} %",
            100.0 * s.peak_sert_occupancy.value
        );
    }
    let at: Vec<String> = ["2h", "24h", "7d", "28d", "56d", "84d"]
        .iter()
        .filter_map(|k| s.score_at.get(*k).map(|v| format!("{k} {v:.1}")))
        .collect();
    println!(
        "  score: baseline {:.1}; {}; best {:.1} at {}",
        s.baseline_score,
        at.join(", "),
        s.best_score.value,
        fmt_t(s.best_score.time_h)
    );
    match (s.time_to_response_h, s.response_duration_h) {
        (Some(t), Some(d)) => println!(
            "  response (>= 50 % fall) from {} for {}",
            fmt_t(t),
            fmt_t(d)
        ),
        _ => println!("  no response (>= 50 % fall) during the run"),
    }
    if let Some(d) = s.relapse_after_last_dose_d {
        println!("  response lost {d:.1} d after the last dose");
    }
}

/// Times for people: minutes under an hour, hours under two days, else days.
fn fmt_t(h: f64) -> String {
    if h.is_nan() {
        "-".into()
    } else if h.abs() < 1.0 {
        format!("{:.0} min", h * 60.0)
    } else if h.abs() < 48.0 {
        format!("{h:.1} h")
    } else {
        format!("{:.1} d", h / 24.0)
    }
}
