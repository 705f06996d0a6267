//! Trial files (`models/trials/*.toml`): arms, entry criterion, visits,
//! rater noise, dropout and the published trial a design imitates.
//!
//! ```toml
//! title = "Esketamine spray + a new oral antidepressant vs placebo spray + the same"
//! teaching_note = "..."
//! published = "TRANSFORM-2 (Popova 2019): ..."
//! base = "placebo"             # scenario whose patients are enrolled (default)
//! patients_per_arm = 110
//! visits = [1, 2, 8, 15, 22, 28]   # days after the first dose; day 0 is the baseline visit
//! primary_visit = 28
//! entry_min_score = 28         # rated MADRS at screening
//! rater_sd = 3.0               # points
//! blinded = true
//! dropout_per_week = 0.0
//! remission_max = 12
//! set = []                     # NAME=VALUE for every arm
//!
//! # A relapse-prevention design (optional): the responders at one visit,
//! # followed for relapse at every later visit.
//! responders_at = 1
//! relapse = { improvement_below = 0.25, consecutive = 2 }
//!
//! [[arm]]
//! name = "esketamine + escitalopram"
//! regimen = "..."
//! set = []                     # NAME=VALUE for this arm only
//! ```
//!
//! The last arm is the control: every other arm is compared with it.

use crate::params::fmt_num;
use crate::scenario::{Scenario, MAX_DAYS, MIN_DAYS};
use serde::Deserialize;

/// The built-in trials, embedded from models/trials/, in teaching order.
pub static BUILTIN_TRIALS: &[(&str, &str)] = &[
    (
        "ssri-vs-placebo",
        include_str!("../../../../models/trials/ssri-vs-placebo.toml"),
    ),
    (
        "esketamine-transform",
        include_str!("../../../../models/trials/esketamine-transform.toml"),
    ),
    (
        "ketamine-vs-midazolam",
        include_str!("../../../../models/trials/ketamine-vs-midazolam.toml"),
    ),
    (
        "ssri-withdrawal",
        include_str!("../../../../models/trials/ssri-withdrawal.toml"),
    ),
    (
        "ketamine-continuation",
        include_str!("../../../../models/trials/ketamine-continuation.toml"),
    ),
];

/// The TOML text of a built-in trial.
pub fn builtin_trial(name: &str) -> Option<&'static str> {
    BUILTIN_TRIALS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
}

/// A trial file or `--arm` that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct TrialError {
    /// File name, "built-in NAME" or "--arm".
    pub file: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// One arm: a regimen and its own parameter changes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arm {
    /// Label in tables and figures.
    pub name: String,
    /// Regimen in synsim's notation.
    pub regimen: String,
    /// `NAME=VALUE` changes for this arm only.
    #[serde(default)]
    pub set: Vec<String>,
}

/// A randomised parallel-group trial.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialSpec {
    /// Short name (built-in name or file stem); set by the loader.
    #[serde(skip)]
    pub name: String,
    /// One-line title.
    pub title: String,
    /// What to notice, for a class.
    pub teaching_note: String,
    /// The published trial this design imitates, with its numbers.
    #[serde(default)]
    pub published: String,
    /// Scenario whose patients are enrolled.
    #[serde(default = "default_base")]
    pub base: String,
    /// Patients randomised to each arm.
    #[serde(default = "default_per_arm")]
    pub patients_per_arm: u64,
    /// Visit days after the first dose (day 0 is the baseline visit).
    #[serde(rename = "visits")]
    pub visits_d: Vec<f64>,
    /// The visit of the primary comparison, days.
    #[serde(rename = "primary_visit")]
    pub primary_visit_d: f64,
    /// Lowest rated screening score enrolled, points.
    #[serde(default = "default_entry")]
    pub entry_min_score: f64,
    /// SD of one rating around the true score, points.
    #[serde(default = "default_rater_sd")]
    pub rater_sd: f64,
    /// Blinded (patients may be on placebo) or open label.
    #[serde(default = "default_true")]
    pub blinded: bool,
    /// Probability of leaving the trial in any one week.
    #[serde(default)]
    pub dropout_per_week: f64,
    /// Highest rated score that counts as remission, points.
    #[serde(default = "default_remission")]
    pub remission_max: f64,
    /// Randomised withdrawal: only the patients responding (on a rating)
    /// at this visit day are analysed, as a relapse-prevention trial
    /// randomises the responders of an open treatment phase.
    #[serde(default)]
    pub responders_at: Option<f64>,
    /// How relapse is counted after [`TrialSpec::responders_at`] (needs it).
    #[serde(default)]
    pub relapse: Option<RelapseRule>,
    /// `NAME=VALUE` changes for every arm.
    #[serde(default)]
    pub set: Vec<String>,
    /// The arms; the last is the control.
    #[serde(rename = "arm")]
    pub arms: Vec<Arm>,
}

/// When a responder counts as relapsed: the rated improvement from the
/// rated baseline falls below `improvement_below` at `consecutive` visits in
/// a row; the relapse dates from the first of them (as Ibrahim 2012 counted
/// it: below 25 % on two consecutive days).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelapseRule {
    /// Share of the baseline score, 0 to 1 (0.5: the response is lost).
    pub improvement_below: f64,
    /// Visits in a row, 1 to 10.
    #[serde(default = "default_consecutive")]
    pub consecutive: usize,
}

impl RelapseRule {
    /// The visit index at which a relapse starts among `rated` (from index
    /// `from` on), or None: every rating of the run must be there.
    pub fn onset(&self, rated: &[Option<f64>], baseline: f64, from: usize) -> Option<usize> {
        let low =
            |r: &Option<f64>| r.is_some_and(|x| (baseline - x) < self.improvement_below * baseline);
        (from..rated.len()).find(|&j| {
            j + self.consecutive <= rated.len() && rated[j..j + self.consecutive].iter().all(low)
        })
    }
}

fn default_consecutive() -> usize {
    1
}
fn default_base() -> String {
    "placebo".into()
}
fn default_per_arm() -> u64 {
    100
}
fn default_entry() -> f64 {
    22.0
}
fn default_rater_sd() -> f64 {
    3.0
}
fn default_true() -> bool {
    true
}
fn default_remission() -> f64 {
    10.0
}

impl TrialSpec {
    /// Loads a built-in trial by name, or a trial TOML file by path.
    pub fn load(name_or_path: &str) -> Result<TrialSpec, TrialError> {
        if let Some(text) = builtin_trial(name_or_path) {
            return TrialSpec::from_toml(text, name_or_path, &format!("built-in {name_or_path}"));
        }
        let path = std::path::Path::new(name_or_path);
        if path.exists() {
            let text = std::fs::read_to_string(path).map_err(|e| TrialError {
                file: name_or_path.into(),
                message: format!("cannot read the trial file: {e}"),
            })?;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| name_or_path.to_string());
            return TrialSpec::from_toml(&text, &stem, name_or_path);
        }
        let names: Vec<&str> = BUILTIN_TRIALS.iter().map(|b| b.0).collect();
        Err(TrialError {
            file: name_or_path.chars().take(60).collect(),
            message: format!(
                "unknown trial: not a built-in name and no such file (built-in trials: {})",
                names.join(", ")
            ),
        })
    }

    /// Parses and checks a trial file.
    pub fn from_toml(text: &str, name: &str, file: &str) -> Result<TrialSpec, TrialError> {
        let mut spec: TrialSpec = toml::from_str(text).map_err(|e| TrialError {
            file: file.into(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        spec.name = name.into();
        spec.check().map_err(|message| TrialError {
            file: file.into(),
            message,
        })?;
        // Every arm must build (regimen and changes), so errors show now.
        spec.arm_scenarios().map_err(|e| TrialError {
            file: file.into(),
            message: e.message,
        })?;
        Ok(spec)
    }

    /// A trial from `--arm` regimens on the command line: equal arms, the
    /// last the control, default entry and rating.
    pub fn from_arms(
        regimens: &[String],
        visits_d: Vec<f64>,
        primary_visit_d: Option<f64>,
    ) -> Result<TrialSpec, TrialError> {
        let primary = primary_visit_d.or(visits_d.last().copied()).unwrap_or(0.0);
        let spec = TrialSpec {
            name: "own-trial".into(),
            title: "Own trial".into(),
            teaching_note: String::new(),
            published: String::new(),
            base: default_base(),
            patients_per_arm: default_per_arm(),
            visits_d,
            primary_visit_d: primary,
            entry_min_score: default_entry(),
            rater_sd: default_rater_sd(),
            blinded: true,
            dropout_per_week: 0.0,
            remission_max: default_remission(),
            responders_at: None,
            relapse: None,
            set: Vec::new(),
            arms: regimens
                .iter()
                .enumerate()
                .map(|(i, r)| Arm {
                    name: format!("arm {} ({})", i + 1, short(r)),
                    regimen: r.clone(),
                    set: Vec::new(),
                })
                .collect(),
        };
        spec.check().map_err(|message| TrialError {
            file: "--arm".into(),
            message,
        })?;
        spec.arm_scenarios()?;
        Ok(spec)
    }

    /// Checks ranges and consistency; the message names the field, its unit
    /// and the valid range.
    fn check(&self) -> Result<(), String> {
        if self.arms.len() < 2 {
            return Err(format!(
                "a trial needs at least two arms ([[arm]] tables or --arm), found {}",
                self.arms.len()
            ));
        }
        if self.arms.len() > 8 {
            return Err(format!("at most 8 arms, found {}", self.arms.len()));
        }
        if self.visits_d.is_empty() {
            return Err(
                "visits: give at least one visit day after day 0, e.g. visits = [1, 7, 28]".into(),
            );
        }
        let mut last = 0.0;
        for &d in &self.visits_d {
            if !(d > last && (MIN_DAYS..=MAX_DAYS).contains(&d)) {
                return Err(format!(
                    "visits: days must increase, each from 0.0417 (1 h) to 3650 (10 years); found {} after {}",
                    fmt_num(d),
                    fmt_num(last)
                ));
            }
            last = d;
        }
        if !self.visits_d.contains(&self.primary_visit_d) {
            return Err(format!(
                "primary_visit = {} is not one of the visit days {:?}",
                self.primary_visit_d, self.visits_d
            ));
        }
        if let Some(d) = self.responders_at {
            if !self.visits_d.contains(&d) || d >= self.primary_visit_d {
                return Err(format!(
                    "responders_at = {d} must be one of the visit days and before primary_visit = {}",
                    self.primary_visit_d
                ));
            }
        }
        self.check_relapse()?;
        range(
            "patients_per_arm",
            "patients",
            self.patients_per_arm as f64,
            2.0,
            100_000.0,
        )?;
        range(
            "entry_min_score",
            "MADRS points",
            self.entry_min_score,
            0.0,
            60.0,
        )?;
        range("rater_sd", "MADRS points", self.rater_sd, 0.0, 15.0)?;
        range(
            "dropout_per_week",
            "probability per week",
            self.dropout_per_week,
            0.0,
            0.5,
        )?;
        range(
            "remission_max",
            "MADRS points",
            self.remission_max,
            0.0,
            30.0,
        )?;
        Ok(())
    }

    /// The relapse rule needs a responders visit, and its values a range.
    fn check_relapse(&self) -> Result<(), String> {
        if let Some(r) = &self.relapse {
            if self.responders_at.is_none() {
                return Err(
                    "relapse: counting relapse needs responders_at (the visit whose responders are followed)".into(),
                );
            }
            range(
                "relapse.improvement_below",
                "share of the baseline score",
                r.improvement_below,
                0.0,
                1.0,
            )?;
            range(
                "relapse.consecutive",
                "visits",
                r.consecutive as f64,
                1.0,
                10.0,
            )?;
        }
        Ok(())
    }

    /// The scenario of each arm: the base scenario's patients with the
    /// arm's regimen, the trial's and the arm's changes, the blinding, and
    /// a run long enough for the last visit.
    pub fn arm_scenarios(&self) -> Result<Vec<Scenario>, TrialError> {
        let err = |arm: &str, m: String| TrialError {
            file: arm.into(),
            message: m,
        };
        let base = Scenario::load(&self.base).map_err(|e| err("base", e.to_string()))?;
        self.arms
            .iter()
            .map(|a| {
                let mut s = base.clone();
                s.set_regimen(&a.regimen)
                    .map_err(|e| err(&format!("arm \"{}\"", a.name), e.message))?;
                let mut sets = self.set.clone();
                sets.extend(a.set.iter().cloned());
                sets.push(format!("setting.open_label={}", !self.blinded));
                s.apply_overrides(&sets)
                    .map_err(|e| err(&format!("arm \"{}\"", a.name), e.to_string()))?;
                super::without_true_screening(&mut s.params);
                s.days = self.visits_d.last().copied().unwrap_or(1.0);
                Ok(s)
            })
            .collect()
    }

    /// Index of the primary visit in [`TrialSpec::visits_d`].
    pub fn primary_index(&self) -> usize {
        self.visits_d
            .iter()
            .position(|&d| d == self.primary_visit_d)
            .unwrap_or(self.visits_d.len() - 1)
    }
}

fn range(field: &str, unit: &str, v: f64, lo: f64, hi: f64) -> Result<(), String> {
    if v.is_finite() && (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(format!(
            "{field} = {v} {unit} is outside the valid range {lo} to {hi}"
        ))
    }
}

/// The first words of a regimen, for an arm label.
fn short(regimen: &str) -> String {
    let s: String = regimen.chars().take(40).collect();
    if s.len() < regimen.len() {
        format!("{s}\u{2026}")
    } else {
        s
    }
}
