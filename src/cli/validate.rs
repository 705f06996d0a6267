//! `synsim validate`: the calibration targets, simulated and checked.

use crate::validate;
use std::process::ExitCode;

/// Check the calibration targets.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim validate
  synsim validate --json > checks.json

Each line: the target (facts.md section 9 number or behaviour), pass/FAIL, the
simulated value, the accepted range with its unit, and the source. Exits with
code 1 if any target fails.")]
pub struct Args {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let checks = validate::single_patient_checks()?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&checks)?);
    } else {
        print!("{}", validate::table(&checks));
    }
    let failed = checks.iter().filter(|c| !c.pass).count();
    if !a.json {
        println!("{} passed, {} failed", checks.len() - failed, failed);
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
