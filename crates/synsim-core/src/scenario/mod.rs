//! Scenario files: a title, a teaching note, the patient, the regimen, the
//! run length and only the parameters that differ from the defaults.
//!
//! Loading is two-stage, like ripgrep's low/high arguments: the TOML text is
//! read into a raw, span-carrying form (the private `raw` module), then validated into a
//! [`Scenario`] whose values are all checked. Every error names the file, the
//! line, the parameter, its unit and its valid range.
//!
//! ```toml
//! title = "One ketamine infusion"
//! teaching_note = "Relief within hours, before new spines appear."
//! days = 28
//! dt_out = "1 h"
//!
//! [patient]
//! state = "depressed"
//! weight = "70 kg"
//!
//! [regimen]
//! notation = "ketamine 0.5 mg/kg iv over 40 min once"
//!
//! [params]
//! "mechanisms.hnk" = true
//! ```

pub mod anaesthesia;
mod builtin;
mod calibration;
mod length;
mod raw;

pub use anaesthesia::{anaesthetic_peak, Anaesthetic};
pub use builtin::{builtin, BUILTINS};
pub use calibration::{calibration_warnings, Calibrated, CALIBRATED};
pub use length::{
    check_days, check_dt_out, check_dt_out_fits, check_runin_h, doses_after_end, untreated_warning,
    warnings, DosesAfterEnd, MAX_DAYS, MAX_DT_OUT_H, MAX_RUNIN_H, MIN_DAYS, MIN_DT_OUT_H,
    MIN_RUNIN_H,
};

use crate::params::{self, id, ParamId, Params, Variability, REGISTRY};
use crate::regimen::Regimen;
use crate::settable::{self, RegimenTarget, Resolved, Target};
use std::path::Path;
use thiserror::Error;

/// A scenario file or override that could not be used.
#[derive(Debug, Error)]
#[error("{}{}", location(.file, .line), .message)]
pub struct ScenarioError {
    /// File name (or "built-in NAME", or "--set").
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

fn location(file: &str, line: &Option<usize>) -> String {
    match line {
        Some(l) => format!("{file}:{l}: "),
        None if file.is_empty() => String::new(),
        None => format!("{file}: "),
    }
}

/// What a user changes in a scenario before running it: a regimen, `--set`
/// changes and a run length. The command line's flags and the lab's
/// requests both become one of these, so both apply them in one order
/// (the regimen first, since regimen knobs change it) with one set of
/// checks and one wording.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScenarioEdit {
    /// Regimen notation replacing the scenario's (`--regimen`).
    pub regimen: Option<String>,
    /// `NAME=VALUE` changes (`--set`), in order.
    pub set: Vec<String>,
    /// Simulated days after the first dose (`--days`).
    pub days: Option<f64>,
    /// Output step of `timeseries.csv`, a duration with its unit such as
    /// "10 min" (`--dt-out`).
    pub dt_out: Option<String>,
}

impl ScenarioEdit {
    /// Applies the edits to `s`: regimen, then changes, then length, then
    /// the output step (which must fit in the length).
    pub fn apply(&self, s: &mut Scenario) -> Result<(), ScenarioError> {
        if let Some(r) = &self.regimen {
            s.set_regimen(r)?;
        }
        s.apply_overrides(&self.set)?;
        let flag = |message| ScenarioError {
            file: String::new(),
            line: None,
            message,
        };
        if let Some(d) = self.days {
            s.days = check_days("--days", d).map_err(flag)?;
        }
        if let Some(text) = &self.dt_out {
            s.dt_out_h = check_dt_out("--dt-out", text).map_err(flag)?;
            check_dt_out_fits("--dt-out", s.dt_out_h, s).map_err(flag)?;
        }
        Ok(())
    }
}

/// A validated scenario, ready to run.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Short name (built-in name or file stem).
    pub name: String,
    /// One-line title for plots.
    pub title: String,
    /// What to notice.
    pub teaching_note: String,
    /// "Try this" suggestions.
    pub try_this: Vec<String>,
    /// Where it came from (path or "built-in").
    pub origin: String,
    /// All parameter values (defaults plus the file's changes).
    pub params: Params,
    /// The regimen (may be empty: no treatment).
    pub regimen: Option<Regimen>,
    /// The regimen as written.
    pub regimen_text: String,
    /// Length of the run after the first dose, days.
    pub days: f64,
    /// Output spacing, hours.
    pub dt_out_h: f64,
    /// Drug-free run-in shown before the first dose, hours.
    pub runin_h: f64,
    /// Between-patient variability that differs from the registry's defaults.
    pub variability: Vec<(ParamId, Variability)>,
    /// What was changed on top of the file, in order (`NAME = VALUE` for
    /// each `--set`), so figures and summaries can say what was run.
    pub changes: Vec<String>,
    /// The file has no `[regimen]` table and is not a built-in (whose
    /// missing regimen is deliberate, e.g. `healthy`): if no regimen is
    /// given otherwise, the run is untreated, probably by mistake.
    pub missing_regimen: bool,
}

impl Scenario {
    /// Loads a built-in scenario by name, or a TOML file by path.
    pub fn load(name_or_path: &str) -> Result<Scenario, ScenarioError> {
        if builtin(name_or_path).is_some() {
            return Scenario::builtin_named(name_or_path);
        }
        let path = Path::new(name_or_path);
        if path.extension().is_some_and(|e| e == "toml") || path.exists() {
            let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
                file: name_or_path.to_string(),
                line: None,
                message: format!("cannot read the scenario file: {e}"),
            })?;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| name_or_path.to_string());
            return Scenario::from_toml(&text, &stem, name_or_path);
        }
        Scenario::builtin_named(name_or_path)
    }

    /// Loads a built-in scenario by name, never touching the file system
    /// (the lab and `synsim serve` use this).
    pub fn builtin_named(name: &str) -> Result<Scenario, ScenarioError> {
        if let Some(text) = builtin(name) {
            let mut s = Scenario::from_toml(text, name, &format!("built-in {name}"))?;
            // A built-in without a regimen is untreated on purpose.
            s.missing_regimen = false;
            return Ok(s);
        }
        let names: Vec<&str> = BUILTINS.iter().map(|b| b.0).collect();
        let guess = suggest(name, &names);
        let shown: String = name.chars().take(60).collect();
        let shown = if shown.len() < name.len() {
            format!("{shown}\u{2026}")
        } else {
            shown
        };
        Err(ScenarioError {
            file: String::new(),
            line: None,
            message: format!(
                "unknown scenario \"{shown}\": not a built-in name and no such .toml file. \
                 Did you mean {}? Built-in scenarios: {} (see `synsim list`)",
                guess
                    .iter()
                    .map(|g| format!("\"{g}\""))
                    .collect::<Vec<_>>()
                    .join(" or "),
                names.join(", ")
            ),
        })
    }

    /// Parses and validates scenario text; `file` is used in messages.
    pub fn from_toml(text: &str, name: &str, file: &str) -> Result<Scenario, ScenarioError> {
        raw::parse(text, name, file)
    }

    /// Applies `NAME=VALUE` overrides (from `--set`): any name of
    /// [`crate::settable::settable`], regimen knobs included (they change
    /// the regimen, so give `--regimen` first).
    pub fn apply_overrides(&mut self, sets: &[String]) -> Result<(), ScenarioError> {
        for s in sets {
            self.apply_override_as("--set", s)?;
        }
        Ok(())
    }

    /// Applies one `NAME=VALUE` override given with the option `flag`
    /// (`--set`, or `--vary` for one of its values), which errors name.
    /// Errors say the expected form and, for an unknown name, suggest the
    /// closest names and how to quote.
    pub fn apply_override_as(&mut self, flag: &str, s: &str) -> Result<(), ScenarioError> {
        let fail = |message: String| ScenarioError {
            file: flag.into(),
            line: None,
            message,
        };
        let (k, v) = s.split_once('=').ok_or_else(|| {
            fail(format!(
                "\"{s}\" is not NAME=VALUE; {}",
                assignment_form(flag)
            ))
        })?;
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() || v.is_empty() {
            return Err(fail(format!(
                "\"{s}\" has {} name or value; {}",
                if k.is_empty() { "no" } else { "an empty" },
                assignment_form(flag)
            )));
        }
        self.set(k, v)
            .map_err(|m| fail(with_quoting_hint(flag, k, m)))?;
        let change = format!("{k} = {v}");
        // A name set twice keeps only its last value.
        self.changes.retain(|c| c.split(" = ").next() != Some(k));
        self.changes.push(change);
        Ok(())
    }

    /// Sets `name` to the value in `text`: a registry parameter or a regimen
    /// knob ([`crate::settable`]).
    pub fn set(&mut self, name: &str, text: &str) -> Result<(), String> {
        match settable::lookup(name)? {
            Target::Param(_) => self.params.set_by_name(name, text).map(|_| ()),
            Target::Regimen(t) => {
                let resolved = self.resolve_knob(&t)?;
                let v = settable::knob_number(name, &resolved, text)?;
                self.set_regimen_value(&resolved, v)
            }
        }
    }

    /// Which phases of this scenario's regimen knob `t` changes, and the unit
    /// and range of its values there.
    pub fn resolve_knob(&self, t: &RegimenTarget) -> Result<Resolved, String> {
        let r = self.regimen.as_ref().ok_or_else(|| {
            format!(
                "{}: scenario \"{}\" has no regimen; give one with --regimen, e.g. --regimen \"ketamine 0.5 mg/kg iv over 40 min once\"",
                t.name(),
                self.name
            )
        })?;
        t.resolve(r, &self.regimen_text)
    }

    /// Applies a resolved regimen knob (the regimen and its text).
    pub fn set_regimen_value(&mut self, resolved: &Resolved, v: f64) -> Result<(), String> {
        let r = self.regimen.as_ref().ok_or("no regimen")?;
        let r = resolved.apply(r, v)?;
        self.regimen_text = r.to_notation();
        self.regimen = Some(r);
        Ok(())
    }

    /// Replaces the regimen (from `--regimen`).
    pub fn set_regimen(&mut self, text: &str) -> Result<(), ScenarioError> {
        let r = Regimen::parse(text).map_err(|e| ScenarioError {
            file: "--regimen".into(),
            line: None,
            message: e.to_string(),
        })?;
        // The file's title describes its own regimen, not this one.
        self.title = r.title(text, 72);
        self.regimen = Some(r);
        self.regimen_text = text.to_string();
        Ok(())
    }

    /// Body weight, kg.
    pub fn weight_kg(&self) -> f64 {
        self.params[id::WEIGHT]
    }

    /// Effective variability of every parameter (scenario's, else registry's).
    pub fn variability_of(&self, pid: ParamId) -> Variability {
        self.variability
            .iter()
            .find(|(p, _)| *p == pid)
            .map(|(_, v)| *v)
            .unwrap_or(REGISTRY[pid.0].variability)
    }
}

/// What an override given with `flag` must look like, e.g. for `--set`:
/// "write --set name=value as one word, e.g. --set mechanisms.hnk=true,
/// with no spaces around =; quote the whole thing if it has spaces".
pub fn assignment_form(flag: &str) -> String {
    let (form, example) = if flag == "--vary" {
        ("name=value1,value2", "synapse.max_density=1.1,1.4")
    } else {
        ("name=value", "mechanisms.hnk=true")
    };
    format!(
        "write {flag} {form} as one word, e.g. {flag} {example}, with no spaces around \"=\"; \
         quote the whole thing if it has spaces: {flag} \"{form}\""
    )
}

/// `message` (about parameter `name`), with a hint on quoting when `name`
/// holds characters no parameter name has (a space, a quote, a shell
/// character): the shell may have split or changed the word.
fn with_quoting_hint(flag: &str, name: &str, message: String) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if name.chars().all(plain) {
        return message;
    }
    format!(
        "{message}; parameter names hold only letters, digits, \".\" and \"_\": if the shell \
         changed the word, put it in single quotes, e.g. {flag} 'name=value'"
    )
}

/// The names `word` most likely meant: those that start with it or contain
/// it (e.g. "ketamine" \u{2192} the ketamine scenarios), else the closest by
/// edit distance.
pub fn suggest<'a>(word: &str, names: &[&'a str]) -> Vec<&'a str> {
    let w = word.trim().to_ascii_lowercase();
    if !w.is_empty() {
        let prefix: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| n.starts_with(&w))
            .collect();
        if !prefix.is_empty() {
            return prefix;
        }
        let inside: Vec<&str> = names.iter().copied().filter(|n| n.contains(&w)).collect();
        if !inside.is_empty() {
            return inside;
        }
    }
    names
        .iter()
        .min_by_key(|n| params::edit_distance(&w, n))
        .copied()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An edit applies its regimen before its changes (so a regimen knob
    /// changes the new regimen) and checks the length and the output step
    /// in the command line's words.
    #[test]
    fn an_edit_sets_the_regimen_first_and_checks_the_length() {
        let mut s = Scenario::load("ketamine-iv-single").unwrap();
        let edit = ScenarioEdit {
            regimen: Some("ketamine 0.5 mg/kg iv over 40 min every 7 d x 4".into()),
            set: vec!["regimen.interval_d=3".into()],
            days: Some(20.0),
            dt_out: Some("10 min".into()),
        };
        edit.apply(&mut s).unwrap();
        assert_eq!(s.days, 20.0);
        assert_eq!(s.dt_out_h, 1.0 / 6.0);
        // The scenario's own regimen (one infusion) has no interval to set.
        let doses = s.regimen.as_ref().unwrap().expand();
        assert!(doses.len() > 1);
        assert_eq!(doses[1].time_h - doses[0].time_h, 72.0);
        let too_long = ScenarioEdit {
            days: Some(1e6),
            ..ScenarioEdit::default()
        };
        let e = too_long.apply(&mut s).unwrap_err().to_string();
        assert!(e.starts_with("--days 1e6: the run length must be"), "{e}");
        // The output step: its unit, its range, and within the run.
        for (text, says) in [
            ("10 parsecs", "--dt-out: "),
            ("0.1 s", "--dt-out \"0.1 s\": use a step from 1 s to 30 d"),
            (
                "30 d",
                "--dt-out 30 d: the output step is longer than the run",
            ),
        ] {
            let edit = ScenarioEdit {
                dt_out: Some(text.into()),
                ..ScenarioEdit::default()
            };
            let e = edit.apply(&mut s).unwrap_err().to_string();
            assert!(e.starts_with(says), "{text}: {e}");
        }
    }

    #[test]
    fn suggestions_prefer_names_that_start_with_or_contain_the_word() {
        let names: Vec<&str> = BUILTINS.iter().map(|b| b.0).collect();
        let k = suggest("ketamine", &names);
        assert!(
            k.contains(&"ketamine-iv-single") && !k.contains(&"healthy"),
            "{k:?}"
        );
        assert!(suggest("ketamine", &names)
            .iter()
            .all(|n| n.starts_with("ketamine")));
        assert_eq!(suggest("escitalopram", &names), vec!["ssri-escitalopram"]);
        assert_eq!(suggest("placbo", &names), vec!["placebo"]);
        let e = Scenario::load("ketamine").unwrap_err().to_string();
        assert!(
            e.contains("\"ketamine-iv-single\"") && !e.contains("mean \"healthy"),
            "{e}"
        );
    }

    #[test]
    fn every_builtin_loads() {
        for (name, _) in BUILTINS {
            let s = Scenario::load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(s.name, *name);
            assert!(!s.title.is_empty() && !s.teaching_note.is_empty());
        }
    }

    #[test]
    fn unknown_scenario_suggests_a_builtin() {
        let e = Scenario::load("ketamine-iv-singel")
            .unwrap_err()
            .to_string();
        assert!(e.contains("ketamine-iv-single"), "{e}");
    }

    #[test]
    fn unknown_parameter_has_file_line_and_suggestion() {
        let text =
            "title = \"t\"\nteaching_note = \"n\"\n[params]\n\"pk.ketamine.cl_l_per_hh\" = 90\n";
        let e = Scenario::from_toml(text, "x", "x.toml").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.to_string().contains("pk.ketamine.cl_l_per_h"), "{e}");
    }

    #[test]
    fn out_of_range_names_unit_and_range() {
        let text = "title = \"t\"\nteaching_note = \"n\"\n[params]\n\"pk.ketamine.fu\" = 3.0\n";
        let e = Scenario::from_toml(text, "x", "x.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.toml:4") && e.contains("valid range"), "{e}");
    }

    #[test]
    fn malformed_toml_reports_line() {
        let text = "title = \"t\"\nteaching_note = \n";
        let e = Scenario::from_toml(text, "x", "x.toml").unwrap_err();
        assert!(e.line.is_some(), "{e}");
    }

    #[test]
    fn unknown_top_level_key_is_an_error() {
        let text = "title = \"t\"\nteaching_note = \"n\"\ndayz = 3\n";
        let e = Scenario::from_toml(text, "x", "x.toml").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
    }

    #[test]
    fn bad_units_are_errors() {
        let text = "title = \"t\"\nteaching_note = \"n\"\ndt_out = \"5 parsecs\"\n";
        assert!(Scenario::from_toml(text, "x", "x.toml").is_err());
        let text = "title = \"t\"\nteaching_note = \"n\"\n[patient]\nweight = \"70\"\n";
        assert!(Scenario::from_toml(text, "x", "x.toml").is_err());
    }

    #[test]
    fn overrides_apply_and_check() {
        let mut s = Scenario::load("ketamine-iv-single").unwrap();
        s.apply_overrides(&["mechanisms.synaptogenesis=false".into()])
            .unwrap();
        assert!(!s.params.flag(id::MECH_SYNAPTOGENESIS));
        assert!(s.apply_overrides(&["pk.ketamine.fu=2".into()]).is_err());
        assert!(s.apply_overrides(&["nonsense".into()]).is_err());
        s.apply_overrides(&["regimen.dose=0.7".into()]).unwrap();
        assert_eq!(
            s.regimen_text, "ketamine 0.7 mg/kg iv over 40 min once",
            "regimen knobs are settable too"
        );
    }

    /// `[variability]` is validated like the rest of the file: every fault
    /// is an error naming the file, the line and the parameter.
    #[test]
    fn variability_is_validated_strictly() {
        let head = "title = \"t\"\nteaching_note = \"n\"\n[variability]\n";
        let bad = [
            (
                "\"pk.ketamine.fu\" = { dist = \"uniform\", lo = 0.1, hi = 0.9 }",
                "outside the valid range",
            ),
            (
                "\"pk.ketamine.fu\" = { dist = \"uniform\", lo = 0.9, hi = 0.5 }",
                "is above hi",
            ),
            (
                "\"pk.ketamine.fu\" = { dist = \"normal\", sd = 0.1, lo = 0.9, hi = 0.5 }",
                "is above hi",
            ),
            (
                "\"pk.ketamine.fu\" = { dist = \"normal\", sd = 0.1, lo = 0.0 }",
                "outside the valid range",
            ),
            (
                "\"pk.ketamine.fu\" = { dist = \"normal\", sd = nan }",
                "finite",
            ),
            (
                "\"pk.ketamine.fu\" = { dist = \"lognormal\", cv = \"0.3\" }",
                "must be a number",
            ),
            (
                "\"pk.ketamine.fu\" = { dist = \"lognormal\", cv = 0.3, sigma = 1 }",
                "unknown field",
            ),
            (
                "\"pk.ketamine.fu\" = { dist = \"lognormal\", cv = 0.3, lo = 0.4 }",
                "not lo",
            ),
            (
                "\"pk.ketamine.fu\" = { dist = \"gamma\", cv = 0.3 }",
                "unknown dist",
            ),
            ("\"pk.ketamine.fu\" = { cv = 0.3 }", "dist"),
            (
                "\"mechanisms.hnk\" = { dist = \"uniform\", lo = 0, hi = 1 }",
                "switch",
            ),
            ("\"pk.ketamine.fu\" = 0.3", "use \"none\""),
        ];
        for (line, want) in bad {
            let text = format!("{head}{line}\n");
            let e = Scenario::from_toml(&text, "x", "x.toml").unwrap_err();
            assert_eq!(e.line, Some(4), "{line}: {e}");
            let m = e.to_string();
            assert!(m.starts_with("x.toml:4: [variability] "), "{m}");
            assert!(m.contains(want), "{line}: {m}");
        }
        let good = format!("{head}\"pk.ketamine.fu\" = {{ dist = \"uniform\", lo = 0.4, hi = 0.8 }}\n\"mechanisms.hnk\" = \"none\"\n");
        let s = Scenario::from_toml(&good, "x", "x.toml").unwrap();
        assert_eq!(
            s.variability_of(crate::params::lookup("pk.ketamine.fu").unwrap()),
            Variability::Uniform { lo: 0.4, hi: 0.8 }
        );
    }

    /// A file needs only a title; without it the message says what the
    /// title is and gives an example line.
    #[test]
    fn only_the_title_is_required() {
        let s = Scenario::from_toml("title = \"t\"\n", "x", "x.toml").unwrap();
        assert_eq!(s.teaching_note, "");
        let e = Scenario::from_toml("days = 3\n", "x", "x.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("x.toml:1: missing `title`") && e.contains("title = \""),
            "{e}"
        );
    }

    /// `days` takes a number of days or a duration as the regimen notation
    /// writes one; anything else names the field, the file, the line and
    /// what is expected.
    #[test]
    fn days_take_a_number_or_a_duration() {
        let days = |v: &str| {
            Scenario::from_toml(&format!("title = \"t\"\ndays = {v}\n"), "x", "x.toml")
                .map(|s| s.days)
                .map_err(|e| e.to_string())
        };
        assert_eq!(days("28"), Ok(28.0));
        assert_eq!(days("\"4 w\""), Ok(28.0));
        assert_eq!(days("\"2 weeks\""), Ok(14.0));
        assert_eq!(days("\"36 h\""), Ok(1.5));
        for bad in ["\"four weeks\"", "\"4\"", "true"] {
            let e = days(bad).unwrap_err();
            assert!(
                e.starts_with("x.toml:2: days = ")
                    && e.contains("number of days")
                    && e.contains("\"4 w\""),
                "{e}"
            );
        }
        let e = days("\"20 years\"").unwrap_err();
        assert!(e.contains("x.toml:2") && e.contains("days"), "{e}");
    }

    /// `dt_out` and `runin` need a unit: a bare number is refused with an
    /// example, naming the file and line.
    #[test]
    fn durations_without_a_unit_say_what_is_expected() {
        for field in ["dt_out", "runin"] {
            let text = format!("title = \"t\"\n{field} = 1\n");
            let e = Scenario::from_toml(&text, "x", "x.toml")
                .unwrap_err()
                .to_string();
            assert!(
                e.starts_with(&format!("x.toml:2: {field} = 1: "))
                    && e.contains("\"1 h\"")
                    && e.contains("valid range"),
                "{e}"
            );
        }
    }

    /// A file without `[regimen]` warns that the run is untreated, unless
    /// it says so (`notation = "none"`), is a built-in, or gets --regimen.
    #[test]
    fn a_file_without_a_regimen_warns_that_the_run_is_untreated() {
        let mut s = Scenario::from_toml("title = \"t\"\n", "x", "my.toml").unwrap();
        let w = untreated_warning(&s).expect("a warning");
        assert!(
            w.starts_with("my.toml has no [regimen], so this run is untreated")
                && w.contains("notation = "),
            "{w}"
        );
        assert_eq!(warnings(&s)[0], w);
        s.set_regimen("ketamine 0.5 mg/kg iv over 40 min once")
            .unwrap();
        assert_eq!(untreated_warning(&s), None);
        let text = "title = \"t\"\n[regimen]\nnotation = \"None\"\n";
        let s = Scenario::from_toml(text, "x", "my.toml").unwrap();
        assert!(s.regimen.is_none() && untreated_warning(&s).is_none());
        for (name, _) in BUILTINS {
            let s = Scenario::load(name).unwrap();
            assert_eq!(untreated_warning(&s), None, "{name}");
        }
    }

    /// Regimen knobs may be written in `[params]`; they apply to the regimen.
    #[test]
    fn regimen_knobs_in_scenario_files() {
        let text = "title = \"t\"\nteaching_note = \"n\"\n[regimen]\nnotation = \"ketamine 0.5 mg/kg iv over 40 min every 7 d x 4\"\n[params]\n\"regimen.interval_d\" = 14\n\"regimen.dose\" = 0.25\n";
        let s = Scenario::from_toml(text, "x", "x.toml").unwrap();
        assert_eq!(
            s.regimen_text,
            "ketamine 0.25 mg/kg iv over 40 min every 2 w for 4 w"
        );
        let text = "title = \"t\"\nteaching_note = \"n\"\n[params]\n\"regimen.dose\" = 0.25\n";
        let e = Scenario::from_toml(text, "x", "x.toml").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.to_string().contains("has no regimen"), "{e}");
    }
}
