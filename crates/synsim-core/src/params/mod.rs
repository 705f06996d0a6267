//! The parameter registry: the single source of truth for every tunable
//! number in synsim.
//!
//! Each entry has a dotted name (`pk.ketamine.cl_l_per_h`), a unit, a
//! default, a valid range, a one-line description, a source (or
//! "illustrative") and, where patients differ, a default between-patient
//! variability. The registry drives scenario validation, `--set`,
//! `synsim params`, the parameter tables in docs/MODEL.md, populations and
//! sweeps. Model code reads values through the typed ids below
//! (`params[id::KET_CL]`), so no parameter exists outside this table.

mod registry;

pub use registry::{id, REGISTRY};

use serde::Serialize;

/// Index of a parameter in [`REGISTRY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ParamId(pub usize);

/// Whether a parameter is a real number or an on/off switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    /// A real number with a unit and a range.
    Real,
    /// A switch: stored as 0.0 (false) or 1.0 (true).
    Bool,
}

/// How a parameter varies between virtual patients.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "dist", rename_all = "snake_case")]
pub enum Variability {
    /// No variability: every patient has the typical value.
    None,
    /// Log-normal around the typical value with this coefficient of
    /// variation (0.3 = 30 %).
    LogNormal {
        /// Coefficient of variation (fraction).
        cv: f64,
    },
    /// Normal around the typical value with this standard deviation (in the
    /// parameter's unit), truncated to `[lo, hi]`.
    Normal {
        /// Standard deviation, parameter unit.
        sd: f64,
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// Uniform on `[lo, hi]`.
    Uniform {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
}

/// One registry entry.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ParamDef {
    /// Dotted name, e.g. `pk.ketamine.cl_l_per_h`.
    pub name: &'static str,
    /// Unit as text ("1/min", "L/kg", "-" for dimensionless).
    pub unit: &'static str,
    /// Default (typical patient).
    pub default: f64,
    /// Smallest valid value.
    pub min: f64,
    /// Largest valid value.
    pub max: f64,
    /// Real or switch.
    pub kind: Kind,
    /// One-line meaning.
    pub description: &'static str,
    /// Literature source, "derived: …" or "illustrative".
    pub source: &'static str,
    /// Default between-patient variability.
    pub variability: Variability,
    /// Plain-language label for school students (e.g. "spine lifetime
    /// (days)" for `synapse.turnover_d`), for the parameters a school
    /// lesson or the lab shows them; `None` for the rest.
    pub plain: Option<&'static str>,
}

impl ParamDef {
    /// The plain-language label if there is one, else the dotted name.
    pub fn plain_or_name(&self) -> &'static str {
        self.plain.unwrap_or(self.name)
    }

    /// The stage this parameter belongs to (first dotted component).
    pub fn group(&self) -> &'static str {
        self.name.split('.').next().unwrap_or(self.name)
    }

    /// Is this default a made-up-but-plausible value rather than a sourced one?
    pub fn is_illustrative(&self) -> bool {
        self.source.starts_with("illustrative")
    }

    /// Checks `v` against kind and range; the error names the parameter, its
    /// unit and its valid range.
    pub fn check(&self, v: f64) -> Result<(), String> {
        if !v.is_finite() {
            return Err(format!(
                "{} must be a finite number in {} (valid range {}), got {v}",
                self.name,
                self.unit_text(),
                self.range_text()
            ));
        }
        if self.kind == Kind::Bool && v != 0.0 && v != 1.0 {
            return Err(format!(
                "{} is a switch: use true or false (got {v})",
                self.name
            ));
        }
        if v < self.min || v > self.max {
            return Err(format!(
                "{} = {v} {} is out of range: valid range is {} {}",
                self.name,
                self.unit_text(),
                self.range_text(),
                self.unit_text()
            ));
        }
        Ok(())
    }

    /// Unit for messages ("" for dimensionless shown as "(dimensionless)").
    pub fn unit_text(&self) -> &'static str {
        if self.unit == "-" {
            "(dimensionless)"
        } else {
            self.unit
        }
    }

    /// The valid range as text.
    pub fn range_text(&self) -> String {
        match self.kind {
            Kind::Bool => "true or false".to_string(),
            Kind::Real => format!("{} to {}", fmt_num(self.min), fmt_num(self.max)),
        }
    }

    /// Formats a value of this parameter for people (`true`/`false` for switches).
    pub fn format_value(&self, v: f64) -> String {
        match self.kind {
            Kind::Bool => (v != 0.0).to_string(),
            Kind::Real => fmt_num(v),
        }
    }
}

/// Compact number formatting for tables and messages.
pub fn fmt_num(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e6).contains(&a) {
        format!("{v:e}")
    } else {
        let s = format!("{v:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

/// Looks a parameter up by its dotted name.
pub fn lookup(name: &str) -> Option<ParamId> {
    REGISTRY.iter().position(|d| d.name == name).map(ParamId)
}

/// The closest registered names to a misspelt one, best first.
pub fn suggest(name: &str) -> Vec<&'static str> {
    // At most 16 edits (a third of the longest names): a candidate whose
    // length differs by more cannot be meant, and skipping it keeps a
    // megabyte-long typo from costing seconds.
    let limit = (name.len() / 3).clamp(3, 16);
    let mut scored: Vec<(usize, &'static str)> = REGISTRY
        .iter()
        .filter(|d| d.name.len().abs_diff(name.len()) <= limit)
        .map(|d| (edit_distance(name, d.name), d.name))
        .collect();
    scored.sort();
    let best = scored.first().map(|s| s.0).unwrap_or(usize::MAX);
    let mut out: Vec<&'static str> = scored
        .iter()
        .filter(|(d, _)| *d <= limit && *d <= best + 1)
        .take(3)
        .map(|(_, n)| *n)
        .collect();
    // A name that matches the last component exactly is a strong hint too.
    let tail = name.rsplit('.').next().unwrap_or(name);
    for d in REGISTRY.iter() {
        if d.name.rsplit('.').next() == Some(tail) && !out.contains(&d.name) && out.len() < 4 {
            out.push(d.name);
        }
    }
    out
}

/// Levenshtein distance (small strings; used for "did you mean").
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A full set of parameter values, one per registry entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    values: Vec<f64>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            values: REGISTRY.iter().map(|d| d.default).collect(),
        }
    }
}

impl std::ops::Index<ParamId> for Params {
    type Output = f64;
    fn index(&self, id: ParamId) -> &f64 {
        &self.values[id.0]
    }
}

impl Params {
    /// Sets a value after checking kind and range.
    pub fn set(&mut self, id: ParamId, v: f64) -> Result<(), String> {
        REGISTRY[id.0].check(v)?;
        self.values[id.0] = v;
        Ok(())
    }

    /// Sets a value without checking (sampled values already bounded).
    pub fn set_unchecked(&mut self, id: ParamId, v: f64) {
        self.values[id.0] = v;
    }

    /// A switch as a bool.
    pub fn flag(&self, id: ParamId) -> bool {
        self.values[id.0] != 0.0
    }

    /// All values in registry order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Sets a value by dotted name from text (`0.3`, `true`, `off`), with a
    /// "did you mean" hint for unknown names.
    pub fn set_by_name(&mut self, name: &str, text: &str) -> Result<ParamId, String> {
        let id = lookup(name).ok_or_else(|| unknown_param_message(name))?;
        let v = parse_value(&REGISTRY[id.0], text)?;
        self.set(id, v)?;
        Ok(id)
    }

    /// Names and values that differ from the defaults.
    pub fn changed(&self) -> Vec<(&'static ParamDef, f64)> {
        REGISTRY
            .iter()
            .zip(&self.values)
            .filter(|(d, v)| **v != d.default)
            .map(|(d, v)| (d, *v))
            .collect()
    }
}

/// "unknown parameter" message with suggestions.
pub fn unknown_param_message(name: &str) -> String {
    let s = suggest(name);
    if s.is_empty() {
        format!("unknown parameter \"{name}\" (see `synsim params` for the full list)")
    } else {
        format!(
            "unknown parameter \"{name}\"; did you mean {}? (see `synsim params`)",
            s.iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    }
}

/// Parses a value for `def` from text: numbers for real parameters,
/// true/false/on/off/1/0 for switches.
pub fn parse_value(def: &ParamDef, text: &str) -> Result<f64, String> {
    let t = text.trim();
    match def.kind {
        Kind::Bool => match t.to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" | "1" => Ok(1.0),
            "false" | "off" | "no" | "0" => Ok(0.0),
            _ => Err(format!(
                "{} is a switch: use true or false (got \"{t}\")",
                def.name
            )),
        },
        Kind::Real => {
            let v: f64 = t.parse().map_err(|_| {
                format!(
                    "{} needs a number in {} (valid range {}), got \"{t}\"",
                    def.name,
                    def.unit_text(),
                    def.range_text()
                )
            })?;
            def.check(v)?;
            Ok(v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_defaults_valid() {
        let mut names: Vec<&str> = REGISTRY.iter().map(|d| d.name).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len(), "duplicate parameter names");
        for d in REGISTRY.iter() {
            assert!(d.check(d.default).is_ok(), "{} default invalid", d.name);
            assert!(d.min <= d.max, "{}", d.name);
            assert!(
                !d.description.is_empty() && !d.source.is_empty(),
                "{}",
                d.name
            );
        }
    }

    #[test]
    fn ids_match_registry_names() {
        assert_eq!(REGISTRY[id::KET_CL.0].name, "pk.ketamine.cl_l_per_h");
        assert_eq!(lookup("circuit.c_excinh"), Some(id::C_EXCINH));
    }

    #[test]
    fn suggestions_find_typos() {
        assert!(suggest("pk.ketamine.cl_l_per_hh").contains(&"pk.ketamine.cl_l_per_h"));
        assert!(unknown_param_message("circuit.c_excinhh").contains("circuit.c_excinh"));
    }

    /// A name far longer than any registered one is offered nothing (and
    /// no quadratic distance is computed for it).
    #[test]
    fn a_very_long_name_gets_no_suggestion() {
        let long = format!("pk.ketamine.{}", "a".repeat(100_000));
        assert!(suggest(&long).is_empty());
        assert!(suggest("pk.ketamine.cl_l_per_hhhh").contains(&"pk.ketamine.cl_l_per_h"));
    }

    #[test]
    fn set_by_name_checks_range_and_kind() {
        let mut p = Params::default();
        assert!(p.set_by_name("mechanisms.hnk", "true").is_ok());
        assert!(p.flag(id::MECH_HNK));
        assert!(p.set_by_name("mechanisms.hnk", "maybe").is_err());
        let e = p.set_by_name("pk.ketamine.fu", "7").unwrap_err();
        assert!(
            e.contains("out of range") && e.contains("valid range"),
            "{e}"
        );
        assert!(p.set_by_name("pk.ketamine.fu", "NaN").is_err());
        assert!(p.set_by_name("pk.ketamine.fu", "inf").is_err());
    }
}
