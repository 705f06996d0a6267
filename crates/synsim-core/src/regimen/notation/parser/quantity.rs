//! Reading the numbers with units inside a phase: doses, durations (with
//! the rules of each role a duration plays) and numbers of doses.

use super::Parser;
use crate::regimen::notation::error::RegimenError;
use crate::regimen::notation::words::{suggestion, DOSE_UNIT_WORDS, TIME_UNIT_WORDS};
use crate::regimen::notation::{MAX_DOSES, MAX_SPAN_H};
use crate::regimen::DoseAmount;
use crate::units::{self, TimeUnit};

/// What a duration is for: names it in messages and sets its rules.
pub(super) struct DurationRole {
    /// Expected-phrase, e.g. "an infusion time (e.g. 40 min)".
    what: &'static str,
    /// Subject for range errors, e.g. "the infusion time".
    noun: &'static str,
    /// Whether a bare unit means one of it ("every week").
    bare_unit: bool,
}

/// The infusion time after "over".
pub(super) const OVER: DurationRole = DurationRole {
    what: "an infusion time (e.g. 40 min)",
    noun: "the infusion time",
    bare_unit: false,
};
/// The delay after "after".
pub(super) const AFTER: DurationRole = DurationRole {
    what: "a delay (e.g. 2 w)",
    noun: "the delay",
    bare_unit: false,
};
/// The interval after "every" ("every week" means one week).
pub(super) const EVERY: DurationRole = DurationRole {
    what: "an interval (e.g. 3.5 d)",
    noun: "the interval",
    bare_unit: true,
};
/// The treatment length after "for".
pub(super) const FOR: DurationRole = DurationRole {
    what: "a treatment length (e.g. 4 w)",
    noun: "the treatment length",
    bare_unit: false,
};

impl Parser<'_> {
    /// A dose with its unit, within the plausible range.
    pub(super) fn dose(&mut self) -> Result<DoseAmount, RegimenError> {
        let at = self.pos;
        let amount = self.number_and_unit(
            "a dose",
            "a dose unit (mg, mg/kg, ug or g)",
            &DOSE_UNIT_WORDS,
            units::dose_amount,
        )?;
        if let Some(problem) = units::dose_range_problem(amount) {
            let found = self.text(at, self.pos);
            return Err(self.error_words(at, self.pos, format!("{problem}, found \"{found}\"")));
        }
        self.mark(at);
        Ok(amount)
    }

    /// Reads a number and its unit, glued ("56mg") or as two words
    /// ("56 mg"); `convert` turns value and unit into the result.
    fn number_and_unit<T>(
        &mut self,
        noun: &str,
        unit_what: &str,
        unit_words: &[&str],
        convert: impl Fn(f64, &str) -> Option<T>,
    ) -> Result<T, RegimenError> {
        let at = self.pos;
        let raw = self.raw(at);
        let (num, rest) = units::split_number(raw);
        let value = units::parse_number(num)
            .ok_or_else(|| self.error_at(at, format!("\"{raw}\" is not a number")))?;
        if value < 0.0 {
            return Err(self.error_at(at, format!("{noun} cannot be negative, found \"{raw}\"")));
        }
        if !value.is_finite() {
            return Err(self.error_at(at, format!("\"{num}\" is too large")));
        }
        self.bump();
        if !rest.is_empty() {
            let unit = rest.to_lowercase();
            return convert(value, &unit).ok_or_else(|| {
                let hint = suggestion(&unit, unit_words)
                    .map(|s| format!("; did you mean \"{s}\"?"))
                    .unwrap_or_default();
                self.error_at(
                    at,
                    format!("unknown unit \"{rest}\" in \"{raw}\"; expected {unit_what}{hint}"),
                )
            });
        }
        self.mark(at);
        let converted = self.peek().and_then(|u| convert(value, u));
        match converted {
            Some(t) => {
                self.bump();
                Ok(t)
            }
            None => Err(self.expected(unit_what, unit_words)),
        }
    }

    /// A positive duration of at most [`MAX_SPAN_H`], in hours.
    pub(super) fn duration(&mut self, role: &DurationRole) -> Result<f64, RegimenError> {
        let at = self.pos;
        let word = self.peek().unwrap_or("");
        let hours = if units::looks_numeric(word) {
            self.number_and_unit(
                role.noun,
                "a time unit (min, h, d or w)",
                &TIME_UNIT_WORDS,
                |v, u| TimeUnit::from_word(u).map(|t| t.to_hours(v)),
            )?
        } else if let Some(unit) = TimeUnit::from_word(word).filter(|_| role.bare_unit) {
            self.bump();
            unit.to_hours(1.0)
        } else {
            return Err(self.expected(role.what, &[]));
        };
        let found = self.text(at, self.pos);
        if hours.is_nan() || hours <= 0.0 {
            let msg = format!("{} must be longer than zero, found \"{found}\"", role.noun);
            return Err(self.error_words(at, self.pos, msg));
        }
        if hours < units::MIN_DURATION_H {
            let msg = format!(
                "{} must be at least 1 min (shorter cannot be simulated), found \"{found}\"",
                role.noun
            );
            return Err(self.error_words(at, self.pos, msg));
        }
        if hours > MAX_SPAN_H {
            let msg = format!("{} is longer than 5 years, found \"{found}\"", role.noun);
            return Err(self.error_words(at, self.pos, msg));
        }
        self.mark(at);
        Ok(hours)
    }

    /// Checks the number of doses `text` of the current word.
    pub(super) fn dose_count(&self, text: &str) -> Result<u32, RegimenError> {
        let at = self.pos;
        let problem = match units::split_number(text) {
            (num, "") => match units::parse_number(num) {
                None => "is not a number",
                Some(v) if v.fract() != 0.0 && v.is_finite() => "must be a whole number",
                Some(v) if v < 1.0 => "must be at least 1",
                Some(v) if v > MAX_DOSES as f64 => {
                    "is too large (a regimen may give at most 10000 doses)"
                }
                Some(v) => return Ok(v as u32),
            },
            _ => "is not a whole number",
        };
        let msg = format!("the number of doses {problem}, found \"{}\"", self.raw(at));
        Err(self.error_at(at, msg))
    }
}

#[cfg(test)]
mod tests {
    use crate::regimen::notation::testing::err;

    #[test]
    fn bad_numbers_and_units() {
        let e = err("ketamine 0.5.1 mg/kg iv once");
        assert_eq!(e.word, 1);
        assert!(e.message.contains("not a number"));
        let e = err("ketamine 0.5 mg/lb iv once");
        assert_eq!(e.word, 2);
        assert!(e.message.contains("a dose unit"), "{}", e.message);
        let e = err("ketamine 0.5mgs iv once");
        assert_eq!(e.word, 1);
        assert!(e.message.contains("unknown unit \"mgs\""), "{}", e.message);
        let e = err("ketamine 0.5 mg/kg iv over 40 parsecs once");
        assert_eq!(e.word, 6);
        assert!(e.message.contains("a time unit"), "{}", e.message);
        let e = err("ketamine 1e308 mg iv once");
        assert_eq!(e.word, 1);
        assert!(e.message.contains("implausibly large"), "{}", e.message);
        let e = err("ketamine -5 mg iv once");
        assert!(e.message.contains("cannot be negative"), "{}", e.message);
        let e = err("ketamine 5 mg iv every 0 d x 3");
        assert_eq!(e.word, 5);
        assert!(e.message.contains("longer than zero"), "{}", e.message);
        let e = err("ketamine 5 mg iv q0h x 3");
        assert_eq!(e.word, 4);
    }

    #[test]
    fn zero_and_negative_counts() {
        for (text, word) in [
            ("ketamine 35 mg iv daily x 0", 6),
            ("ketamine 35 mg iv daily x -2", 6),
            ("ketamine 35 mg iv daily x0", 5),
            ("ketamine 35 mg iv daily x 2.5", 6),
            ("ketamine 35 mg iv daily x 99999999", 6),
            ("ketamine 35 mg iv daily for 0 d", 6),
            ("ketamine 35 mg iv daily for -1 d", 6),
        ] {
            let e = err(text);
            assert_eq!(e.word, word, "{text}: {}", e.message);
        }
    }
}
