//! Command-line interface: one file per subcommand.
//!
//! Exit codes: 0 success, 1 a run or check failed, 2 bad input (usage,
//! scenario file, parameter, regimen notation).

/// `println!` that returns an error (`?`) instead of panicking when
/// standard output cannot be written, e.g. a full disk.
macro_rules! outln {
    () => {
        $crate::cli::common::out(format_args!(""))?
    };
    ($($t:tt)*) => {
        $crate::cli::common::out(format_args!($($t)*))?
    };
}

mod batch;
mod circuit;
mod common;
mod compare;
mod demo;
mod explain;
mod kit;
mod list;
mod params;
mod population;
mod regimen;
mod run;
mod sensitivity;
mod serve;
mod sweep;
mod synapses;
mod theories;
mod trial;
mod validate;

pub use common::{Common, InputError};

use clap::{Parser, Subcommand};
use std::process::ExitCode;

const ABOUT: &str = "Educational simulator: how ketamine, esketamine and SSRIs change glutamate, GABA, BDNF, synapses and an illustrative depression score.\n\
TEACHING TOOL ONLY: an illustrative model, never clinical advice; it recommends no dose.";

const EXAMPLES: &str = "\
Examples:
  synsim demo                                    # every figure + index.html in synsim-out/demo
  synsim run ketamine-iv-single                  # one infusion: CSV, JSON, dashboard
  synsim run ketamine-iv-single --set mechanisms.synaptogenesis=false
  synsim compare ketamine-iv-single ssri-escitalopram placebo
  synsim synapses ketamine-iv-single ssri-escitalopram --at 1d,1w,4w,8w --days 60
  synsim population ketamine-iv-serial --patients 2000 --seed 1
  synsim trial ssri-vs-placebo                   # drug and placebo arms, as a trial reports them
  synsim regimen \"ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6\"
  synsim params pk.ketamine                      # parameters with units and sources
  synsim validate                                # check the calibration targets
  synsim kit hours-not-weeks --level school      # slides, handout, answer key, teacher notes
  synsim serve --open                            # the interactive lab in the browser";

/// synsim command line.
#[derive(Debug, Parser)]
#[command(name = "synsim", version, about = ABOUT, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run one scenario for one typical patient (CSV, JSON, dashboard figure)
    Run(run::Args),
    /// Overlay several scenarios on the same axes
    Compare(compare::Args),
    /// Spines on a dendrite at chosen times, one row per scenario
    Synapses(synapses::Args),
    /// Switch the theories on and off and compare
    Theories(theories::Args),
    /// The fast E/I (Wilson–Cowan) circuit on its millisecond time scale
    Circuit(circuit::Args),
    /// Virtual patients with between-patient variability, in parallel
    Population(population::Args),
    /// A randomised trial of virtual patients: arms, placebo, statistics, power
    Trial(trial::Args),
    /// 1-D or 2-D parameter sweeps over a population
    Sweep(sweep::Args),
    /// Which parameters drive an outcome: Morris screening or Sobol' indices
    Sensitivity(sensitivity::Args),
    /// Parse regimen notation and list the expanded doses
    Regimen(regimen::Args),
    /// List every parameter with unit, value, range and source
    Params(params::Args),
    /// What a stage of the chain models, its equations and parameters
    Explain(explain::Args),
    /// The built-in scenarios and what they teach
    List(list::Args),
    /// Check the calibration targets against the literature
    Validate(validate::Args),
    /// Make every figure and an index.html gallery in one go
    Demo(demo::Args),
    /// A lesson kit for a teacher: slides, handout, answer key, teacher notes
    Kit(kit::Args),
    /// The interactive lab in your browser: sliders and live plots
    Serve(serve::Args),
}

/// Entry point used by `main`.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if let Some(m) = common::split_assignment(&args) {
        eprintln!("error: {}", common::clip_quoted(&m));
        return ExitCode::from(2);
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return print_clap(&e),
    };
    let result = match cli.command {
        Command::Run(a) => run::exec(a),
        Command::Compare(a) => compare::exec(a),
        Command::Theories(a) => theories::exec(a),
        Command::Circuit(a) => circuit::exec(a),
        Command::Population(a) => population::exec(a),
        Command::Trial(a) => trial::exec(a),
        Command::Synapses(a) => synapses::exec(a),
        Command::Sweep(a) => sweep::exec(a),
        Command::Sensitivity(a) => sensitivity::exec(a),
        Command::Regimen(a) => regimen::exec(a),
        Command::Params(a) => params::exec(a),
        Command::Explain(a) => explain::exec(a),
        Command::List(a) => list::exec(a),
        Command::Validate(a) => validate::exec(a),
        Command::Demo(a) => demo::exec(a),
        Command::Kit(a) => kit::exec(a),
        Command::Serve(a) => serve::exec(a),
    };
    let result = result.and_then(|code| {
        common::flush_stdout()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<common::StdoutError>()
                    .is_some_and(|s| s.0.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            // A closed pipe (`synsim params | head`): stop quietly.
            ExitCode::SUCCESS
        }
        Err(e) => {
            let message = common::without_tmp_paths(&format!("{e:#}"));
            eprintln!("error: {}", common::clip_quoted(&message));
            ExitCode::from(common::exit_code(&e))
        }
    }
}

/// Prints what clap answered instead of a command: help or the version (on
/// standard output, exit 0) or a usage error (on stderr, exit 2). Help or
/// a version that cannot be written (`synsim --help > /dev/full`) is a
/// failure (exit 1) with a short message; a closed pipe stops quietly.
fn print_clap(e: &clap::Error) -> ExitCode {
    let code = if e.use_stderr() { 2 } else { 0 };
    let written = e
        .print()
        .map_err(common::StdoutError)
        .and_then(|()| common::flush_stdout());
    if let Some(tip) = weight_tip(e) {
        eprintln!("{tip}");
    }
    match written {
        Err(w) if !e.use_stderr() && w.0.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: {w}");
            ExitCode::from(1)
        }
        _ => ExitCode::from(code),
    }
}

/// For `--weight` given to a command that does not take it (only `synsim
/// regimen` does): how those commands set the body weight.
fn weight_tip(e: &clap::Error) -> Option<&'static str> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(a)) if a.starts_with("--weight") => Some(
            "tip: here the body weight is a parameter: --set patient.weight_kg=90 \
             (see `synsim params --filter patient`)",
        ),
        _ => None,
    }
}
