//! `synsim validate`: the calibration targets, simulated and checked.

use super::common::InputError;
use crate::population::check_patients;
use crate::validate::{self, population};
use std::process::ExitCode;

/// Check the calibration targets.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim validate
  synsim validate --quick                 # single-patient targets only (seconds)
  synsim validate --population --patients 5000 --seed 7
  synsim validate --json > checks.json
  synsim validate --list                  # the targets and their ranges, nothing run
  synsim validate --list --markdown       # the same as the tables of docs/MODEL.md section 7

Each line: the target (calibration target number or behaviour; docs/MODEL.md
section 7), pass/FAIL, the simulated value, the accepted range with its unit,
and the source. By default
the population targets (response and remission rates) run too, with 2000
virtual patients per scenario and a fixed seed. Exits with code 1 if any
target fails. Rows marked \"open\" are published figures synsim does not yet
reproduce (docs/MODEL.md section 7.2): the model's value is shown beside the
published range, and they do not change the exit code.")]
pub struct Args {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    /// Skip the population targets
    #[arg(long, conflicts_with = "population")]
    pub quick: bool,
    /// Only the population targets
    #[arg(long)]
    pub population: bool,
    /// Virtual patients per population target
    #[arg(long, default_value_t = population::DEFAULT_PATIENTS as i64, allow_negative_numbers = true, value_name = "N")]
    pub patients: i64,
    /// Seed of the population targets
    #[arg(long, default_value_t = population::DEFAULT_SEED, value_name = "S")]
    pub seed: u64,
    /// List the targets with their accepted ranges and sources, without running them
    #[arg(long, conflicts_with_all = ["quick", "population"])]
    pub list: bool,
    /// With --list: Markdown tables (as in docs/MODEL.md section 7)
    #[arg(long, requires = "list", conflicts_with = "json")]
    pub markdown: bool,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    if a.list {
        return list(&a);
    }
    let patients =
        check_patients("--patients", a.patients).map_err(|e| InputError(e.to_string()))?;
    let mut checks = Vec::new();
    if !a.population {
        checks.extend(validate::single_patient_checks()?);
    }
    if !a.quick {
        checks.extend(population::population_checks(patients, a.seed)?);
    }
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&checks)?);
    } else {
        super::common::out_str(&validate::table(&checks))?;
    }
    let failed = checks.iter().filter(|c| c.failed()).count();
    if !a.json {
        outln!("{}", validate::summary(&checks));
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--list`: the declared targets, nothing run.
fn list(a: &Args) -> anyhow::Result<ExitCode> {
    let targets = validate::declared();
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&targets)?);
    } else if a.markdown {
        super::common::out_str(&validate::markdown(&targets))?;
    } else {
        let mut s = format!(
            "{:<20} {:<10} {:<28} {}\n",
            "target", "group", "accepted", "what"
        );
        for t in &targets {
            let group = if t.open {
                "open gap"
            } else {
                group_name(t.group)
            };
            let range = validate::range_text(t.lo, t.hi, t.unit);
            s.push_str(&format!(
                "{:<20} {:<10} {:<28} {}\n",
                t.id, group, range, t.what
            ));
        }
        super::common::out_str(&s)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn group_name(g: validate::Group) -> &'static str {
    match g {
        validate::Group::Single => "single",
        validate::Group::Population => "population",
        validate::Group::Trial => "trial",
    }
}
