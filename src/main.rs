//! The `synsim` command line: parse, dispatch, report errors.

use std::process::ExitCode;

fn main() -> ExitCode {
    restore_sigpipe();
    synsim::cli::main()
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`synsim params | head`)
/// would panic; restore the default so synsim just stops, like other tools.
#[cfg(unix)]
fn restore_sigpipe() {
    // SAFETY: called once at start-up before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}
