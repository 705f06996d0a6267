//! `synsim sweep`: an outcome over a 1-D or 2-D grid of parameter values.

use super::batch::{dt_out_h, input_or_run, progress_bar, warn_if_large, BatchFlags};
use super::common::{self, Common, FigureFlags, InputError};
use crate::population::{self, check_patients};
use crate::sweep::{self, Metric, Sweep};
use std::path::PathBuf;
use std::process::ExitCode;

/// Sweep one or two parameters over a population.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  # Therapeutic window: antidepressant effect and dissociation against the dose
  synsim sweep ketamine-iv-single --param regimen.dose=0.1:1.5:15 \\
      --metric response_24h --metric peak_dissociation --patients 300 --days 2

  # How often must a patient come back? The maintenance interval after the
  # induction course (same maintenance length, so the number of doses follows)
  synsim sweep ketamine-maintenance --param regimen.interval_d=7:42:6 --patients 100

  # Dose x interval of a 12-week ketamine course
  synsim sweep ketamine-iv-serial --days 84 \\
      --regimen \"ketamine 0.5 mg/kg iv over 40 min every 7 d for 12 w\" \\
      --param regimen.dose=0.2:1.0:5 --param regimen.interval_d=2:14:7 \\
      --metric days_in_response --patients 100

  # A model parameter: how long-lived spines change relapse after a course
  synsim sweep ketamine-iv-serial --param synapse.turnover_d=5:30:6 --metric relapse_d

  # One typical patient per grid point (no variability)
  synsim sweep ketamine-iv-single --param receptor.interneuron_sensitivity=1:8:15 \\
      --typical --metric response_24h

NAME is any real-valued parameter of `synsim params` (the swept value becomes
the typical value; patients still differ around it unless --typical) or a
regimen knob: regimen.dose (every drug phase, in the regimen's own unit),
regimen.interval_d (days between doses of the maintenance phase, the last
repeating one; its treatment length is kept, so the number of doses follows)
or regimen.infusion_min; regimen.phaseN.interval_d (and .dose, .infusion_min)
changes phase N only. Every patient has the same random draws at every grid
point, so the curves are smooth and differences come from the swept value.

Metrics: response_24h, response_7d, response_28d, response_56d, response_end
(24 h after the last dose), remission_* (same times), days_in_response (mean
over the run), peak_dissociation (median; the first dose is looked at every
2 minutes), best_score (median), relapse_d (median among responders 24 h after
the last dose). sweep.csv always holds every metric with its 95 % interval;
--metric chooses what the figure shows (1-D: all given, a second unit on the
right axis; 2-D: a heat map of the first). A `-` in the table is a value that
is not defined there (explained below the table).
Illustrative teaching model; it shows how a model behaves and recommends no dose.")]
pub struct Args {
    /// Built-in scenario name (see `synsim list`) or a path to a .toml file
    pub scenario: String,
    /// Axis NAME=LO:HI:N (N evenly spaced values from LO to HI); give it once
    /// for a curve, twice for a heat map
    #[arg(long = "param", value_name = "NAME=LO:HI:N", required = true)]
    pub params: Vec<String>,
    /// What to show (repeatable or comma-separated; default days_in_response
    /// for an interval axis, else response_7d, or response_24h for runs
    /// shorter than a week); see the list below
    #[arg(long = "metric", value_name = "METRIC")]
    pub metrics: Vec<String>,
    /// Virtual patients per grid point
    #[arg(
        long,
        default_value_t = PATIENTS,
        allow_negative_numbers = true,
        value_name = "N"
    )]
    pub patients: i64,
    /// Only the typical patient at each grid point (no variability)
    #[arg(long)]
    pub typical: bool,
    #[command(flatten)]
    pub batch: BatchFlags,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub figure: FigureFlags,
}

/// The metrics asked for, checked against the run length; default
/// [`sweep::default_metric`].
fn metrics(a: &Args, axes: &[sweep::Axis], days: f64) -> anyhow::Result<Vec<Metric>> {
    let names: Vec<String> = if a.metrics.is_empty() {
        vec![sweep::default_metric(axes, days).name()]
    } else {
        a.metrics
            .iter()
            .flat_map(|m| m.split(',').map(|s| s.trim().to_string()))
            .collect()
    };
    let mut out = Vec::new();
    for n in names {
        let m = Metric::parse(&n).map_err(|e| InputError(format!("--metric: {e}")))?;
        if let Some(h) = m.needs_h() {
            if h > days * 24.0 + 1e-9 {
                return Err(InputError(format!(
                    "--metric {n}: the run lasts {days} d, too short for it; lengthen it with --days"
                ))
                .into());
            }
        }
        if !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

/// Default of `--patients`.
const PATIENTS: i64 = 200;

/// `--out`, else `synsim-out/sweep-SCENARIO` with a digest of the axes and
/// of what else changes the result ([`common::command_out`]).
fn default_out(a: &Args) -> PathBuf {
    a.batch.out.clone().unwrap_or_else(|| {
        let mut changes: Vec<String> = a.params.iter().map(|x| format!("param {x}")).collect();
        changes.extend(a.metrics.iter().map(|x| format!("metric {x}")));
        changes.extend(common::changed("patients", a.patients, PATIENTS));
        changes.extend(a.typical.then(|| "typical".to_string()));
        changes.extend(common::changed("seed", a.batch.seed, 1));
        changes.extend(a.batch.dt_out.iter().map(|x| format!("dt-out {x}")));
        changes.extend(a.common.changes());
        changes.extend(a.figure.changes());
        common::command_out("sweep", std::slice::from_ref(&a.scenario), &changes)
    })
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let patients = check_patients("--patients", a.patients).map_err(input_or_run)?;
    let opts = a.figure.options("sweep", &crate::plot::sweep::PANELS)?;
    let mut s = a.common.scenario(&a.scenario)?;
    s.dt_out_h = dt_out_h(a.batch.dt_out.as_deref(), s.dt_out_h)?;
    let out = common::OutDir::prepare(&default_out(&a))?;
    if a.params.len() > 2 {
        return Err(InputError(format!(
            "--param was given {} times: a sweep has one or two axes",
            a.params.len()
        ))
        .into());
    }
    let axes: Vec<sweep::Axis> = a
        .params
        .iter()
        .map(|p| sweep::parse_axis(p, &s).map_err(InputError))
        .collect::<Result<_, _>>()?;
    if axes.len() == 2 && axes[0].name == axes[1].name {
        return Err(InputError(format!(
            "--param {} is given twice; sweep two different parameters",
            axes[0].name
        ))
        .into());
    }
    let shown = metrics(&a, &axes, s.days)?;
    for w in sweep::warnings_summary(&s, &axes) {
        eprintln!("warning: {w}");
    }
    let per_point = if a.typical { 1 } else { patients };
    let points: u64 = axes.iter().map(|x| x.values.len() as u64).product();
    let total = per_point.saturating_mul(points);
    if total > population::MAX_PATIENTS {
        return Err(InputError(format!(
            "{points} grid points x {per_point} patients = {total} patient runs; at most {} in total: use fewer points or --patients",
            population::MAX_PATIENTS
        ))
        .into());
    }
    // The first grid point stands in for the cost of all of them.
    let first = sweep::setups(&s, &axes[..1], a.typical).map_err(input_or_run)?;
    if let Some(setup) = first.first() {
        warn_if_large(setup, a.batch.seed, total, total as f64 * 200.0, true, true);
    }
    let pb = progress_bar(total, a.batch.quiet, "patient runs");
    let tick = |k: u64| {
        if let Some(pb) = &pb {
            pb.inc(k);
        }
    };
    let result =
        sweep::run(&s, &axes, patients, a.batch.seed, a.typical, &tick).map_err(input_or_run)?;
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    let failed: u64 = result.points.iter().map(|p| p.failed).sum();
    if failed > 0 {
        eprintln!("warning: {failed} of {total} patient runs could not be simulated and are left out (see the `failed` column of sweep.csv)");
    }
    let dir = out.path().to_path_buf();
    common::write(&dir, "sweep.csv", result.csv().as_bytes())?;
    let mut written = vec!["sweep.csv".to_string()];
    if !a.batch.no_plot {
        for p in crate::plot::sweep::figure(&result, &shown, &dir, &opts)? {
            written.push(common::file_name(&p));
        }
    }
    let dir = out.commit()?;
    if !a.batch.quiet {
        print_table(&result, &shown)?;
        common::report_written(&written, &dir)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The shown metrics per grid point on stdout.
fn print_table(sw: &Sweep, shown: &[Metric]) -> anyhow::Result<()> {
    let who = if sw.typical {
        "typical patient".to_string()
    } else {
        format!(
            "{} virtual patients per point, seed {}",
            sw.patients, sw.seed
        )
    };
    outln!("{} ({}): {who}", sw.scenario.title, sw.scenario.name);
    for x in &sw.axes {
        if let Some(p) = x.phases_text(&sw.scenario) {
            let keep = if x.target == sweep::Target::IntervalD {
                "; its treatment length is kept, so the number of doses follows the interval"
            } else {
                ""
            };
            outln!(
                "  {} changes {p} of \"{}\"{keep}",
                x.name,
                sw.scenario.regimen_text
            );
        }
    }
    let mut head: Vec<String> = sw
        .axes
        .iter()
        .map(|x| format!("{} ({})", x.name, x.unit))
        .collect();
    head.extend(shown.iter().map(|m| m.name()));
    outln!(
        "  {}",
        head.iter().map(|h| format!("{h:>24}")).collect::<String>()
    );
    for p in &sw.points {
        let mut cells: Vec<String> = p
            .values
            .iter()
            .map(|v| crate::params::fmt_num(*v))
            .collect();
        for m in shown {
            let e = &p.metrics[Sweep::index_of(*m)];
            cells.push(if !e.value.is_finite() {
                "-".into()
            } else if m.is_rate() {
                format!(
                    "{:.0} % ({:.0}-{:.0})",
                    100.0 * e.value,
                    100.0 * e.lo,
                    100.0 * e.hi
                )
            } else if e.lo.is_finite() && e.hi.is_finite() && !sw.typical {
                format!("{:.2} ({:.2}-{:.2})", e.value, e.lo, e.hi)
            } else {
                format!("{:.2}", e.value)
            });
        }
        outln!(
            "  {}",
            cells.iter().map(|c| format!("{c:>24}")).collect::<String>()
        );
    }
    for m in shown {
        let i = Sweep::index_of(*m);
        if sw.points.iter().any(|p| !p.metrics[i].value.is_finite()) {
            outln!("  - in {}: {}", m.name(), sweep::undefined_note(*m));
        }
    }
    Ok(())
}
