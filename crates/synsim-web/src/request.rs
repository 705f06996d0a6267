//! A lab request: which built-in scenario, and what the student changed.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use synsim_core::scenario::{Scenario, ScenarioEdit};

/// Largest population the API runs (the page offers up to 2000).
pub const MAX_PATIENTS: i64 = 5000;
/// Longest regimen text accepted, characters.
const MAX_TEXT: usize = 2000;

/// The fields any method may read; each method uses the ones it needs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Built-in scenario name.
    pub scenario: Option<String>,
    /// Regimen notation replacing the scenario's.
    pub regimen: Option<String>,
    /// Parameter changes, `name: number | bool | "text"`.
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    /// Simulated days after the first dose.
    pub days: Option<f64>,
    /// Population size.
    pub patients: Option<i64>,
    /// Population seed.
    pub seed: Option<u64>,
    /// Pyramidal NMDA occupancy for the circuit view, 0-1.
    pub occupancy: Option<f64>,
    /// Regimen notation to read back.
    pub text: Option<String>,
    /// `run` only: send the series on the command line's figure grid (dense
    /// after every dose, at most an hour apart elsewhere: one to four
    /// points per pixel of a plot), not on every `timeseries.csv` row too.
    pub display: Option<bool>,
    /// Which arm of a two-arm comparison: `"treatment"` (the default) or
    /// `"placebo"`, the same sessions with no drug in them.
    pub arm: Option<String>,
}

/// A request the engine refuses, with the command line's wording.
#[derive(Debug)]
pub struct InputError(pub String);

impl<E: std::fmt::Display> From<E> for InputError {
    fn from(e: E) -> InputError {
        InputError(e.to_string())
    }
}

impl Request {
    /// Parses the request body.
    pub fn parse(body: &str) -> Result<Request, InputError> {
        if body.trim().is_empty() {
            return Ok(Request::default());
        }
        let de = &mut serde_json::Deserializer::from_str(body);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let field = e.path().to_string();
            let why = plain_serde(&e.inner().to_string());
            if field == "." {
                InputError(format!("bad request: {why}"))
            } else {
                InputError(format!("bad request: field \"{field}\": {why}"))
            }
        })
    }

    /// The `set` entries as the command line's `NAME=VALUE` words.
    pub fn set_words(&self) -> Result<Vec<String>, InputError> {
        self.set
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::Bool(b) => b.to_string(),
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    _ => {
                        return Err(InputError(format!(
                            "--set {k}: give a number, true/false or a quantity such as \"70 kg\""
                        )))
                    }
                };
                Ok(format!("{k}={text}"))
            })
            .collect()
    }

    /// The scenario with this request's regimen, changes and length, in
    /// the same order and with the same checks as the command line.
    pub fn scenario(&self) -> Result<Scenario, InputError> {
        let name = self
            .scenario
            .as_deref()
            .ok_or_else(|| InputError("the request names no scenario".into()))?;
        let mut s = Scenario::builtin_named(name)?;
        if let Some(r) = &self.regimen {
            if r.chars().count() > MAX_TEXT {
                return Err(InputError(format!(
                    "--regimen: the notation is longer than {MAX_TEXT} characters"
                )));
            }
        }
        let edit = ScenarioEdit {
            regimen: self.regimen.clone(),
            set: self.set_words()?,
            days: self.days,
            dt_out: None,
        };
        edit.apply(&mut s)?;
        if self.placebo_arm()? {
            if let Some(r) = &s.regimen {
                let twin = r.as_placebo();
                s.regimen_text = twin.to_notation();
                s.regimen = Some(twin);
            }
        }
        Ok(s)
    }

    /// Is this the placebo arm of a comparison?
    fn placebo_arm(&self) -> Result<bool, InputError> {
        match self.arm.as_deref() {
            None | Some("treatment") => Ok(false),
            Some("placebo") => Ok(true),
            Some(other) => Err(InputError(format!(
                "arm \"{other}\": give \"treatment\" or \"placebo\""
            ))),
        }
    }

    /// The equivalent command line: `synsim <sub> <scenario> …`.
    pub fn command(&self, sub: &str, extra: &str) -> String {
        let mut c = format!(
            "synsim {sub} {}",
            quote(self.scenario.as_deref().unwrap_or(""))
        );
        // The placebo arm shows the regimen it really ran.
        let placebo = self.placebo_arm().unwrap_or(false);
        match (&self.regimen, placebo) {
            (_, true) => {
                if let Ok(s) = self.scenario() {
                    c.push_str(&format!(" --regimen {}", quote(&s.regimen_text)));
                }
            }
            (Some(r), false) => c.push_str(&format!(" --regimen {}", quote(r))),
            (None, false) => {}
        }
        if let Ok(words) = self.set_words() {
            for w in words {
                c.push_str(&format!(" --set {}", quote(&w)));
            }
        }
        if let Some(d) = self.days {
            c.push_str(&format!(" --days {d}"));
        }
        c.push_str(extra);
        c
    }
}

/// serde's type names in the words of the command line's errors.
fn plain_serde(msg: &str) -> String {
    [
        ("expected f64", "expected a number"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number from 0"),
        ("expected a string", "expected text in quotes"),
    ]
    .iter()
    .fold(msg.to_string(), |m, (from, to)| m.replace(from, to))
}

/// Shell quoting for a word of the command line shown to the student.
fn quote(w: &str) -> String {
    let plain = !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.=/:,+".contains(c));
    if plain {
        w.to_string()
    } else {
        let mut q = String::from("\"");
        for c in w.chars() {
            if matches!(c, '"' | '\\' | '$' | '`') {
                q.push('\\');
            }
            q.push(c);
        }
        q.push('"');
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_quotes_what_the_shell_would_split() {
        let r = Request::parse(
            r#"{"scenario":"placebo","regimen":"ketamine 0.5 mg/kg iv over 40 min once",
                "set":{"mechanisms.hnk":true,"synapse.max_density":1.3},"days":14}"#,
        )
        .unwrap();
        assert_eq!(
            r.command("run", ""),
            "synsim run placebo --regimen \"ketamine 0.5 mg/kg iv over 40 min once\" \
             --set mechanisms.hnk=true --set synapse.max_density=1.3 --days 14"
        );
    }

    #[test]
    fn decoding_errors_name_the_field() {
        let e = Request::parse(r#"{"scenario":"healthy","days":"ten"}"#)
            .unwrap_err()
            .0;
        assert!(e.contains("field \"days\""), "{e}");
        assert!(e.contains("expected a number"), "{e}");
        let e = Request::parse(r#"{"patients":2.5}"#).unwrap_err().0;
        assert!(e.contains("field \"patients\""), "{e}");
        assert!(e.contains("expected a whole number"), "{e}");
        let e = Request::parse(r#"{"set":{"a":1},"days":1,"nope":1}"#)
            .unwrap_err()
            .0;
        assert!(e.contains("unknown field `nope`"), "{e}");
        let e = Request::parse("{\"days\": 1").unwrap_err().0;
        assert!(e.starts_with("bad request: "), "{e}");
    }

    #[test]
    fn unknown_fields_and_file_paths_are_refused() {
        assert!(Request::parse(r#"{"scenario":"x","path":"/etc"}"#).is_err());
        let r = Request::parse(r#"{"scenario":"/etc/passwd"}"#).unwrap();
        let e = r.scenario().unwrap_err().0;
        assert!(e.contains("unknown scenario"), "{e}");
    }
}
