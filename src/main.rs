//! The `synsim` command line: parse, dispatch, report errors.

use std::process::ExitCode;

fn main() -> ExitCode {
    synsim::cli::main()
}
