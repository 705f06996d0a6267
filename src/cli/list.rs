//! `synsim list` (not implemented yet).

use std::process::ExitCode;

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the subcommand.
pub fn exec(_a: Args) -> anyhow::Result<ExitCode> {
    Err(super::InputError("`synsim list` is not available yet".into()).into())
}
