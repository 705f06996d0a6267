//! Flags and helpers shared by several subcommands.

use crate::scenario::{Scenario, ScenarioError};
use anyhow::Context;
use std::path::{Path, PathBuf};

/// A problem with what the user gave us (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Exit code for an error: 2 for bad input, 1 otherwise.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    let input = e.chain().any(|c| {
        c.is::<InputError>()
            || c.is::<ScenarioError>()
            || c.is::<crate::regimen::RegimenError>()
            || c.is::<crate::solve::SolveError>() && c.to_string().contains("output")
    });
    if input {
        2
    } else {
        1
    }
}

/// Scenario-shaping flags shared by run, compare, theories, population, sweep.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Change a parameter: NAME=VALUE (repeatable), e.g. --set mechanisms.hnk=true.
    /// See `synsim params` for names, units and ranges.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Replace the scenario's regimen, e.g. --regimen "ketamine 0.5 mg/kg iv over 40 min every 7 d x 4"
    #[arg(long, value_name = "NOTATION")]
    pub regimen: Option<String>,
    /// Simulated days after the first dose (default: the scenario's)
    #[arg(long, value_name = "D")]
    pub days: Option<f64>,
}

impl Common {
    /// Loads `name` and applies these flags.
    pub fn scenario(&self, name: &str) -> anyhow::Result<Scenario> {
        let mut s = Scenario::load(name)?;
        if let Some(r) = &self.regimen {
            s.set_regimen(r)?;
        }
        s.apply_overrides(&self.set)?;
        if let Some(d) = self.days {
            if !(d.is_finite() && d > 0.0 && d <= 3650.0) {
                return Err(InputError(format!(
                    "--days {d}: must be more than 0 and at most 3650 days"
                ))
                .into());
            }
            s.days = d;
        }
        Ok(s)
    }
}

/// `--log-time` / `--linear-time` for figures that choose their time axis
/// from the run length when neither is given.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct TimeAxisFlags {
    /// Logarithmic time axis (the default for a single dose followed for days)
    #[arg(long, conflicts_with = "linear_time")]
    pub log_time: bool,
    /// Linear time axis (the default for a course of doses)
    #[arg(long)]
    pub linear_time: bool,
}

impl TimeAxisFlags {
    /// `Some(true)` for log, `Some(false)` for linear, `None` to decide from the data.
    pub fn choice(&self) -> Option<bool> {
        match (self.log_time, self.linear_time) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

/// Creates the output folder (and parents) and returns it.
pub fn out_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
    Ok(dir.to_path_buf())
}

/// Writes a file inside `dir` atomically.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let p = dir.join(name);
    crate::export::write_atomic(&p, bytes)
        .with_context(|| format!("cannot write {}", p.display()))?;
    Ok(p)
}

/// Word-wraps `text` to `width` columns with `indent` spaces in front.
pub fn wrap(text: &str, indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&format!("{pad}{line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{pad}{line}\n"));
    }
    out
}
