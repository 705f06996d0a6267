//! Calibration targets: each one runs the default model and compares a
//! simulated number with the literature range it must fall in
//! (docs/MODEL.md section 7 lists them with their sources). `synsim validate` prints them; the tests run them.
//!
//! Each group of targets is a table of [`Target`] rows, read by one loop
//! (`evaluate`) from runs computed once and shared by every row that needs
//! them: [`single`] (the typical patient), [`population`] (virtual
//! populations) and [`trials`] (virtual trials).

pub mod population;
pub mod single;
pub mod trials;

use crate::population::PopulationError;
use crate::scenario::ScenarioError;
use crate::solve::SolveError;
use crate::trial::TrialError;
use serde::Serialize;
use thiserror::Error;

/// Why the calibration runs could not be made. The scenarios and trials
/// they read are built in, so any of these is a bug in synsim, reported in
/// the words of the step that failed.
#[derive(Debug, Error)]
pub enum ValidateError {
    /// A built-in scenario did not load or take its regimen.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A parameter change was refused.
    #[error("{0}")]
    Setting(String),
    /// A single-patient run failed.
    #[error(transparent)]
    Run(#[from] SolveError),
    /// A population failed.
    #[error(transparent)]
    Population(#[from] PopulationError),
    /// A built-in trial did not load or run.
    #[error(transparent)]
    Trial(#[from] TrialError),
    /// A target reads a trial visit the trial does not have.
    #[error("the trial has no visit on day {0}")]
    NoVisit(f64),
    /// A target reads relapse from a trial without a relapse rule.
    #[error("the trial has no relapse rule (relapse = {{ ... }} with responders_at)")]
    NoRelapseRule,
}

/// One checked target.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Short id (calibration target number or a behaviour name).
    pub id: String,
    /// What is checked.
    pub target: String,
    /// Where the accepted range comes from.
    pub source: String,
    /// Accepted range, inclusive.
    pub lo: f64,
    /// Accepted range, inclusive.
    pub hi: f64,
    /// Unit of the value.
    pub unit: String,
    /// Simulated value.
    pub value: f64,
    /// Inside the range?
    pub pass: bool,
    /// A published figure that synsim does not yet reproduce (docs/MODEL.md
    /// section 7.2): shown beside the targets with the model's value, never
    /// counted as a failure, so the gap stays in sight until it is closed.
    pub open: bool,
}

impl Check {
    /// A calibration target outside its range (open gaps never fail).
    pub fn failed(&self) -> bool {
        !self.pass && !self.open
    }

    /// The result column: pass or FAIL for a target; open, or met once
    /// the model reaches the published range, for a gap.
    pub fn result(&self) -> &'static str {
        match (self.open, self.pass) {
            (false, true) => "pass",
            (false, false) => "FAIL",
            (true, false) => "open",
            (true, true) => "met",
        }
    }
}

/// One row of a target table: what is checked, the accepted range and its
/// source, and how the simulated value is read from the cached runs `R`.
///
/// The tables ([`single::TARGETS`], [`population::TARGETS`],
/// [`trials::TARGETS`]) are public so that the targets can be listed
/// without running anything.
pub struct Target<R> {
    /// Short id (calibration target number or a behaviour name).
    pub id: &'static str,
    /// What is checked. Population and trial rows print it followed by the
    /// number of virtual patients and the seed.
    pub what: &'static str,
    /// Where the accepted range comes from.
    pub source: &'static str,
    /// Accepted range, inclusive.
    pub lo: f64,
    /// Accepted range, inclusive.
    pub hi: f64,
    /// Unit of the value.
    pub unit: &'static str,
    /// An open gap (see [`Check::open`]): reported, never counted as failed.
    pub open: bool,
    /// Reads the simulated value from the cached runs.
    measure: fn(&R) -> f64,
}

impl<R> Target<R> {
    /// This target checked on `runs`; `context` follows the text (the
    /// population size and seed, or nothing).
    fn check(&self, runs: &R, context: &str) -> Check {
        let value = (self.measure)(runs);
        Check {
            id: self.id.into(),
            target: format!("{}{context}", self.what),
            source: self.source.into(),
            lo: self.lo,
            hi: self.hi,
            unit: self.unit.into(),
            value,
            pass: value.is_finite() && value >= self.lo && value <= self.hi,
            open: self.open,
        }
    }
}

/// Which runs a target reads: the groups of docs/MODEL.md section 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// The typical patient, without variability ([`single::TARGETS`]).
    Single,
    /// Virtual populations ([`population::TARGETS`]).
    Population,
    /// Virtual trials ([`trials::TARGETS`]).
    Trial,
}

/// A target as declared, without running anything (`synsim validate
/// --list`, and the generated tables of docs/MODEL.md section 7).
#[derive(Debug, Clone, Serialize)]
pub struct Declared {
    /// Which runs it reads.
    pub group: Group,
    /// Short id, as `synsim validate` prints it.
    pub id: &'static str,
    /// What is checked.
    pub what: &'static str,
    /// Where the accepted range comes from.
    pub source: &'static str,
    /// Accepted range, inclusive.
    pub lo: f64,
    /// Accepted range, inclusive.
    pub hi: f64,
    /// Unit of the value.
    pub unit: &'static str,
    /// An open gap (see [`Check::open`]).
    pub open: bool,
}

impl<R> Target<R> {
    fn declared(&self, group: Group) -> Declared {
        Declared {
            group,
            id: self.id,
            what: self.what,
            source: self.source,
            lo: self.lo,
            hi: self.hi,
            unit: self.unit,
            open: self.open,
        }
    }
}

/// Every target of every table, in the order `synsim validate` prints them.
pub fn declared() -> Vec<Declared> {
    let mut out: Vec<Declared> = single::TARGETS
        .iter()
        .map(|t| t.declared(Group::Single))
        .collect();
    out.extend(
        population::TARGETS
            .iter()
            .map(|t| t.declared(Group::Population)),
    );
    out.extend(trials::TARGETS.iter().map(|t| t.declared(Group::Trial)));
    out
}

/// The targets as Markdown tables, one per group and one for the open gaps
/// (docs/MODEL.md section 7 holds this text, checked by `tests/docs.rs`).
pub fn markdown(targets: &[Declared]) -> String {
    let groups = [
        ("Single-patient targets (the typical patient, no variability)", Some(Group::Single)),
        (
            "Population targets (`--patients`, default 2000 virtual patients per scenario, seed 2026)",
            Some(Group::Population),
        ),
        (
            "Trial targets (half of `--patients` per arm, default 1000, seed 2026)",
            Some(Group::Trial),
        ),
        ("Open gaps (reported, never counted as failures)", None),
    ];
    let mut s = String::new();
    for (title, group) in groups {
        let rows: Vec<&Declared> = targets
            .iter()
            .filter(|t| match group {
                Some(g) => t.group == g && !t.open,
                None => t.open,
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        if !s.is_empty() {
            s.push('\n');
        }
        s.push_str(&format!(
            "*{title}*\n\n| target | what is checked | accepted | source |\n|---|---|---|---|\n"
        ));
        for t in rows {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                t.id,
                cell(t.what),
                cell(&range_text(t.lo, t.hi, t.unit)),
                cell(t.source)
            ));
        }
    }
    s
}

/// An accepted range as prose: "120 to 260 ng/mL", "-4.5 to -1.5 points",
/// "1" (a yes/no check, unit "-").
pub fn range_text(lo: f64, hi: f64, unit: &str) -> String {
    let n = crate::params::fmt_num;
    let unit = if unit == "-" { "" } else { unit };
    let range = if lo == hi {
        n(lo)
    } else {
        format!("{} to {}", n(lo), n(hi))
    };
    format!("{range} {unit}").trim_end().to_string()
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Every row of `table` checked on the same cached runs, in table order.
fn evaluate<R>(table: &[Target<R>], runs: &R, context: &str) -> Vec<Check> {
    table.iter().map(|t| t.check(runs, context)).collect()
}

/// Every single-patient calibration and behaviour check.
pub fn single_patient_checks() -> Result<Vec<Check>, ValidateError> {
    Ok(evaluate(single::TARGETS, &single::Runs::new()?, ""))
}

/// The closing line of `synsim validate`: targets passed and failed, and the
/// open gaps.
pub fn summary(checks: &[Check]) -> String {
    let failed = checks.iter().filter(|c| c.failed()).count();
    let open = checks.iter().filter(|c| c.open).count();
    let targets = checks.len() - open;
    let mut s = format!("{} passed, {failed} failed", targets - failed);
    if open > 0 {
        s.push_str(&format!(
            "; {open} open: published figures synsim does not yet reproduce (docs/MODEL.md section 7.2)"
        ));
    }
    s
}

/// A fixed-width table of checks for the terminal.
pub fn table(checks: &[Check]) -> String {
    let mut s = format!(
        "{:<20} {:<6} {:>10} {:>21}  {:<58} {}\n",
        "target", "result", "simulated", "accepted", "what", "source"
    );
    for c in checks {
        s.push_str(&format!(
            "{:<20} {:<6} {:>10} {:>21}  {:<58} {}\n",
            c.id,
            c.result(),
            fmt(c.value),
            format!("{}..{} {}", fmt(c.lo), fmt(c.hi), c.unit),
            c.target,
            c.source
        ));
    }
    s
}

fn fmt(v: f64) -> String {
    if !v.is_finite() {
        "n/a".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 || v == 0.0 {
        format!("{v:.2}")
    } else if v.abs() < 1e-3 {
        format!("{v:.1e}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::{population, single, trials, Target};

    /// What a row of a table says, without its measure.
    type Row = (&'static str, &'static str, &'static str, f64, f64, bool);

    fn rows<R>(table: &[Target<R>]) -> Vec<Row> {
        let row = |t: &Target<R>| (t.id, t.what, t.source, t.lo, t.hi, t.open);
        table.iter().map(row).collect()
    }

    /// Every target has its own id, text, a source and a range that is not
    /// empty; the open gaps are the `gap-*` rows.
    #[test]
    fn validate_tables_are_well_formed() {
        let mut all = rows(single::TARGETS);
        all.extend(rows(population::TARGETS));
        all.extend(rows(trials::TARGETS));
        let mut ids: Vec<_> = all.iter().map(|r| r.0).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "duplicate target ids");
        for (id, what, source, lo, hi, open) in all {
            assert!(!what.is_empty() && !source.is_empty(), "{id}");
            assert!(lo <= hi, "{id}: {lo}..{hi}");
            assert_eq!(open, id.starts_with("gap-"), "{id}");
        }
    }
}
