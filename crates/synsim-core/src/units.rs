//! Quantities with units, written the way a person writes them: durations
//! ("40 min", "3.5 d", "2 weeks"), body weights ("70 kg", "154 lb") and doses
//! ("0.5 mg/kg", "84 mg", "500 µg").
//!
//! A unit is always required: a bare "40" could be minutes or hours, so it is
//! rejected with a message that lists the accepted units. Number and unit may
//! be glued ("40min") or separated by spaces ("40 min").

use serde::Serialize;
use std::fmt;
use thiserror::Error;

/// Largest accepted single dose, mg (100 g). Far above anything real; the
/// bound only keeps later arithmetic (dose x weight, concentrations) finite.
pub const MAX_DOSE_MG: f64 = 100_000.0;
/// Largest accepted weight-based dose, mg/kg.
pub const MAX_DOSE_MG_PER_KG: f64 = 1_000.0;
/// Shortest duration the regimen notation accepts (infusion time, interval,
/// delay, treatment length), hours: 1 minute. The solver cuts a run into
/// segments at every dose start and infusion end; segments far below a
/// second are not simulable, and nothing in the model acts that fast.
pub const MIN_DURATION_H: f64 = 1.0 / 60.0;
/// Largest accepted body weight, kg.
pub const MAX_BODY_WEIGHT_KG: f64 = 1_000.0;

/// International avoirdupois pound.
const KG_PER_LB: f64 = 0.453_592_37;

/// The kind of quantity being read; names it and its units in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// A span of time (result in hours).
    Duration,
    /// A body weight (result in kg).
    BodyWeight,
    /// A dose (result in mg or mg/kg).
    Dose,
}

impl Quantity {
    /// The accepted units, as a phrase for messages.
    pub fn units(self) -> &'static str {
        match self {
            Quantity::Duration => "min, h, d or w (also s and months)",
            Quantity::BodyWeight => "kg or lb",
            Quantity::Dose => "mg, mg/kg, ug (µg) or g",
        }
    }

    /// A well-formed example, for messages.
    pub fn example(self) -> &'static str {
        match self {
            Quantity::Duration => "40 min",
            Quantity::BodyWeight => "70 kg",
            Quantity::Dose => "0.5 mg/kg",
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Quantity::Duration => "duration",
            Quantity::BodyWeight => "body weight",
            Quantity::Dose => "dose",
        })
    }
}

/// Why a quantity could not be read. Every variant keeps the text as given
/// (`input`), and the message names the accepted units.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnitError {
    /// Empty text, or text that does not start with a number.
    #[error("\"{input}\": expected a {kind} such as \"{example}\"", example = .kind.example())]
    NoNumber {
        /// The text as given.
        input: String,
        /// What was being read.
        kind: Quantity,
    },
    /// A malformed number such as "1.2.3".
    #[error("\"{input}\": \"{number}\" is not a number")]
    BadNumber {
        /// The text as given.
        input: String,
        /// What was being read.
        kind: Quantity,
        /// The part that should have been a number.
        number: String,
    },
    /// A number without a unit.
    #[error("\"{input}\": a unit is required; use {units}", units = .kind.units())]
    MissingUnit {
        /// The text as given.
        input: String,
        /// What was being read.
        kind: Quantity,
    },
    /// A unit that is not one of the accepted ones.
    #[error("\"{input}\": unknown {kind} unit \"{unit}\"; use {units}", units = .kind.units())]
    UnknownUnit {
        /// The text as given.
        input: String,
        /// What was being read.
        kind: Quantity,
        /// The unit as written.
        unit: String,
    },
    /// A negative value.
    #[error("\"{input}\": a {kind} cannot be negative")]
    Negative {
        /// The text as given.
        input: String,
        /// What was being read.
        kind: Quantity,
    },
    /// Zero where it makes no sense, too large, or not finite.
    #[error("\"{input}\": {reason}")]
    OutOfRange {
        /// The text as given.
        input: String,
        /// What was being read.
        kind: Quantity,
        /// What is wrong and what is accepted.
        reason: String,
    },
}

/// A unit of time as written in durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeUnit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    /// 30 days, for "for 6 months".
    Month,
}

impl TimeUnit {
    /// Units tried when writing a duration, largest first (months are
    /// accepted on input but never written: they are not calendar months).
    const WRITTEN: [TimeUnit; 5] = [
        TimeUnit::Week,
        TimeUnit::Day,
        TimeUnit::Hour,
        TimeUnit::Minute,
        TimeUnit::Second,
    ];

    /// The unit named by `word` (any case), if any.
    pub(crate) fn from_word(word: &str) -> Option<TimeUnit> {
        Some(match word.to_lowercase().as_str() {
            "s" | "sec" | "secs" | "second" | "seconds" => TimeUnit::Second,
            "min" | "mins" | "minute" | "minutes" => TimeUnit::Minute,
            "h" | "hr" | "hrs" | "hour" | "hours" => TimeUnit::Hour,
            "d" | "day" | "days" => TimeUnit::Day,
            "w" | "wk" | "wks" | "week" | "weeks" => TimeUnit::Week,
            "mo" | "month" | "months" => TimeUnit::Month,
            _ => return None,
        })
    }

    /// `value` of this unit in hours. Divisions and multiplications are
    /// chosen so that `in_unit` inverts them exactly for round numbers.
    pub(crate) fn to_hours(self, value: f64) -> f64 {
        match self {
            TimeUnit::Second => value / 3600.0,
            TimeUnit::Minute => value / 60.0,
            TimeUnit::Hour => value,
            TimeUnit::Day => value * 24.0,
            TimeUnit::Week => value * 168.0,
            TimeUnit::Month => value * 720.0,
        }
    }

    /// `hours` expressed in this unit.
    fn in_unit(self, hours: f64) -> f64 {
        match self {
            TimeUnit::Second => hours * 3600.0,
            TimeUnit::Minute => hours * 60.0,
            TimeUnit::Hour => hours,
            TimeUnit::Day => hours / 24.0,
            TimeUnit::Week => hours / 168.0,
            TimeUnit::Month => hours / 720.0,
        }
    }

    /// Short symbol used when writing.
    fn symbol(self) -> &'static str {
        match self {
            TimeUnit::Second => "s",
            TimeUnit::Minute => "min",
            TimeUnit::Hour => "h",
            TimeUnit::Day => "d",
            TimeUnit::Week => "w",
            TimeUnit::Month => "months",
        }
    }
}

/// Splits a leading decimal number (sign, digits, point, exponent) from the
/// rest: `"56mg"` -> `("56", "mg")`, `"1e3 g"` -> `("1e3", " g")`.
pub(crate) fn split_number(s: &str) -> (&str, &str) {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first().is_some_and(|&c| c == b'+' || c == b'-') {
        i = 1;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    // An exponent counts only when digits follow it.
    if i > 0 && i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    // Only ASCII bytes were consumed, so `i` is a char boundary.
    (&s[..i], &s[i..])
}

/// True when `s` starts with something meant as a number ("56mg", "-3", ".5").
pub(crate) fn looks_numeric(s: &str) -> bool {
    split_number(s).0.bytes().any(|c| c.is_ascii_digit())
}

/// Parses the number part from [`split_number`]. May return an infinite
/// value for huge numbers ("1e400"); callers reject those. Negative zero
/// becomes zero so that it prints as "0".
pub(crate) fn parse_number(num: &str) -> Option<f64> {
    num.parse::<f64>()
        .ok()
        .filter(|v| !v.is_nan())
        .map(|v| v + 0.0)
}

/// The dose `value` `unit` (any case), if the unit is a dose unit.
pub(crate) fn dose_amount(value: f64, unit: &str) -> Option<DoseAmount> {
    Some(match unit.to_lowercase().as_str() {
        "mg" | "milligram" | "milligrams" => DoseAmount::Mg(value),
        "mg/kg" => DoseAmount::MgPerKg(value),
        "ug" | "µg" | "μg" | "mcg" | "microgram" | "micrograms" => DoseAmount::Mg(value / 1000.0),
        "ug/kg" | "µg/kg" | "μg/kg" | "mcg/kg" => DoseAmount::MgPerKg(value / 1000.0),
        "g" | "gram" | "grams" => DoseAmount::Mg(value * 1000.0),
        _ => return None,
    })
}

/// Why a non-negative dose is out of range, if it is.
pub(crate) fn dose_range_problem(amount: DoseAmount) -> Option<String> {
    let (v, max) = match amount {
        DoseAmount::Mg(v) => (v, MAX_DOSE_MG),
        DoseAmount::MgPerKg(v) => (v, MAX_DOSE_MG_PER_KG),
    };
    (v.is_nan() || v > max).then(|| {
        format!(
            "the dose is implausibly large (at most {max} {} per dose)",
            amount.unit()
        )
    })
}

/// Reads a non-negative finite number and a non-empty unit from `s`.
fn number_and_unit(s: &str, kind: Quantity) -> Result<(f64, &str), UnitError> {
    let input = || s.to_string();
    let text = s.trim();
    let (num, rest) = split_number(text);
    if !looks_numeric(num) {
        return Err(UnitError::NoNumber {
            input: input(),
            kind,
        });
    }
    let value = parse_number(num).ok_or_else(|| UnitError::BadNumber {
        input: input(),
        kind,
        number: num.to_string(),
    })?;
    if value < 0.0 {
        return Err(UnitError::Negative {
            input: input(),
            kind,
        });
    }
    if !value.is_finite() {
        return Err(too_large(s, kind));
    }
    let unit = rest.trim();
    if unit.is_empty() {
        return Err(UnitError::MissingUnit {
            input: input(),
            kind,
        });
    }
    Ok((value, unit))
}

fn too_large(s: &str, kind: Quantity) -> UnitError {
    UnitError::OutOfRange {
        input: s.to_string(),
        kind,
        reason: format!("the {kind} is too large"),
    }
}

fn unknown_unit(s: &str, kind: Quantity, unit: &str) -> UnitError {
    UnitError::UnknownUnit {
        input: s.to_string(),
        kind,
        unit: unit.to_string(),
    }
}

/// Reads a duration such as "40 min", "2 h", "1.5 hours", "3.5 d", "2 weeks"
/// or "90 s" and returns hours. "months" count as 30 days.
pub fn parse_duration_h(s: &str) -> Result<f64, UnitError> {
    let kind = Quantity::Duration;
    let (value, unit) = number_and_unit(s, kind)?;
    let unit = TimeUnit::from_word(unit).ok_or_else(|| unknown_unit(s, kind, unit))?;
    let hours = unit.to_hours(value);
    if !hours.is_finite() {
        return Err(too_large(s, kind));
    }
    Ok(hours)
}

/// Reads a body weight such as "70 kg" or "154 lb" and returns kg.
/// Zero and weights above [`MAX_BODY_WEIGHT_KG`] are rejected.
pub fn parse_mass_kg(s: &str) -> Result<f64, UnitError> {
    let kind = Quantity::BodyWeight;
    let (value, unit) = number_and_unit(s, kind)?;
    let kg = match unit.to_lowercase().as_str() {
        "kg" | "kgs" | "kilogram" | "kilograms" => value,
        "lb" | "lbs" | "pound" | "pounds" => value * KG_PER_LB,
        _ => return Err(unknown_unit(s, kind, unit)),
    };
    let problem = if kg == 0.0 {
        "a body weight must be above zero".to_string()
    } else if kg.is_nan() || kg > MAX_BODY_WEIGHT_KG {
        format!("the body weight is implausibly large (at most {MAX_BODY_WEIGHT_KG} kg)")
    } else {
        return Ok(kg);
    };
    Err(UnitError::OutOfRange {
        input: s.to_string(),
        kind,
        reason: problem,
    })
}

/// Reads a dose such as "0.5 mg/kg", "84 mg", "500 ug" / "500 µg" (0.5 mg)
/// or "1 g" (1000 mg). Micrograms per kg ("ug/kg") are also accepted.
pub fn parse_dose(s: &str) -> Result<DoseAmount, UnitError> {
    let kind = Quantity::Dose;
    let (value, unit) = number_and_unit(s, kind)?;
    let amount = dose_amount(value, unit).ok_or_else(|| unknown_unit(s, kind, unit))?;
    match dose_range_problem(amount) {
        Some(reason) => Err(UnitError::OutOfRange {
            input: s.to_string(),
            kind,
            reason,
        }),
        None => Ok(amount),
    }
}

/// Longest piece of user input echoed back in an error message, characters.
pub const ECHO_CHARS: usize = 60;

/// `text` cut to [`ECHO_CHARS`] characters, with "…" when cut, for echoing
/// user input (unknown names, bad values) in error messages.
pub fn clip(text: &str) -> String {
    if text.chars().count() <= ECHO_CHARS {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(ECHO_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// Writes `h` hours in the most readable unit: the largest of w, d, h, min, s
/// in which it is at least 1 with at most one decimal ("4 w", "3.5 d", "2 h",
/// "40 min"); otherwise rounded to 3 decimals in the largest unit that gives
/// at least 1 ("1.234 h"). Meant for listings; see [`format_duration_exact`]
/// for text that must read back to the same number.
pub fn format_duration_h(h: f64) -> String {
    if !h.is_finite() {
        return format!("{h} h");
    }
    if h < 0.0 {
        return format!("-{}", format_duration_h(-h));
    }
    if h == 0.0 {
        return "0 h".to_string();
    }
    if let Some(text) = readable_duration(h, false) {
        return text;
    }
    let unit = TimeUnit::WRITTEN
        .into_iter()
        .find(|u| u.in_unit(h) >= 1.0)
        .unwrap_or(TimeUnit::Second);
    let v = unit.in_unit(h);
    let shown = if v >= 1.0 {
        format!("{}", (v * 1000.0).round() / 1000.0)
    } else {
        format!("{v:.3e}")
    };
    format!("{shown} {}", unit.symbol())
}

/// Writes `h` hours so that [`parse_duration_h`] (and the regimen notation)
/// reads back exactly `h`: a readable unit when that is exact, else hours
/// with all the digits needed.
pub fn format_duration_exact(h: f64) -> String {
    readable_duration(h, true).unwrap_or_else(|| format!("{h} h"))
}

/// "3.5 d"-style text for `h` if some unit shows it as >= 1 with at most one
/// decimal; with `exact`, only if the text reads back to exactly `h`.
fn readable_duration(h: f64, exact: bool) -> Option<String> {
    TimeUnit::WRITTEN.into_iter().find_map(|unit| {
        let v = unit.in_unit(h);
        if v.is_nan() || v < 1.0 {
            return None;
        }
        let tenths = (v * 10.0).round();
        if (v * 10.0 - tenths).abs() > 1e-9 * tenths.max(1.0) {
            return None;
        }
        let shown = tenths / 10.0;
        if exact && unit.to_hours(shown) != h {
            return None;
        }
        Some(format!("{shown} {}", unit.symbol()))
    })
}

/// A dose as written: absolute or per kilogram of body weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum DoseAmount {
    /// Milligrams.
    Mg(f64),
    /// Milligrams per kilogram of body weight.
    MgPerKg(f64),
}

impl DoseAmount {
    /// The dose in mg for a patient of `weight_kg`.
    pub fn mg(self, weight_kg: f64) -> f64 {
        match self {
            DoseAmount::Mg(x) => x,
            DoseAmount::MgPerKg(x) => x * weight_kg,
        }
    }

    /// The number as written, in the regimen's own unit.
    pub fn value(self) -> f64 {
        match self {
            DoseAmount::Mg(x) | DoseAmount::MgPerKg(x) => x,
        }
    }

    /// The same unit with a new number.
    pub fn with_value(self, v: f64) -> DoseAmount {
        match self {
            DoseAmount::Mg(_) => DoseAmount::Mg(v),
            DoseAmount::MgPerKg(_) => DoseAmount::MgPerKg(v),
        }
    }

    /// The unit as text ("mg" or "mg/kg").
    pub fn unit(self) -> &'static str {
        match self {
            DoseAmount::Mg(_) => "mg",
            DoseAmount::MgPerKg(_) => "mg/kg",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn durations_in_many_spellings() {
        let cases = [
            ("40 min", 40.0 / 60.0),
            ("40min", 40.0 / 60.0),
            ("2 h", 2.0),
            ("2 hr", 2.0),
            ("2hrs", 2.0),
            ("1.5 hours", 1.5),
            ("3.5 d", 84.0),
            ("3.5 days", 84.0),
            ("1 day", 24.0),
            ("2 w", 336.0),
            ("2 weeks", 336.0),
            ("90 s", 0.025),
            ("6 months", 4320.0),
            ("  2   H ", 2.0),
            ("0 min", 0.0),
            (".5 h", 0.5),
            ("1e1 min", 10.0 / 60.0),
        ];
        for (text, hours) in cases {
            let got = parse_duration_h(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(close(got, hours), "{text}: {got} != {hours}");
        }
    }

    #[test]
    fn duration_errors_name_the_problem() {
        let e = parse_duration_h("3 parsecs").unwrap_err();
        assert!(matches!(e, UnitError::UnknownUnit { ref unit, .. } if unit == "parsecs"));
        assert_eq!(
            e.to_string(),
            "\"3 parsecs\": unknown duration unit \"parsecs\"; use min, h, d or w (also s and months)"
        );
        let e = parse_duration_h("40").unwrap_err();
        assert!(matches!(e, UnitError::MissingUnit { .. }), "{e}");
        assert!(e.to_string().contains("a unit is required"));
        assert!(matches!(
            parse_duration_h("-2 h"),
            Err(UnitError::Negative { .. })
        ));
        assert!(matches!(
            parse_duration_h(""),
            Err(UnitError::NoNumber { .. })
        ));
        assert!(matches!(
            parse_duration_h("min"),
            Err(UnitError::NoNumber { .. })
        ));
        assert!(matches!(
            parse_duration_h("1.2.3 h"),
            Err(UnitError::BadNumber { .. })
        ));
        assert!(matches!(
            parse_duration_h("1e400 h"),
            Err(UnitError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_duration_h("1e306 months"),
            Err(UnitError::OutOfRange { .. })
        ));
        assert!(parse_duration_h("inf h").is_err());
        assert!(parse_duration_h("NaN h").is_err());
        // "m" is ambiguous (minutes or months), so it is not a unit.
        assert!(parse_duration_h("5 m").is_err());
    }

    #[test]
    fn body_weights() {
        assert_eq!(parse_mass_kg("70 kg"), Ok(70.0));
        assert_eq!(parse_mass_kg("70kg"), Ok(70.0));
        assert!(close(parse_mass_kg("154 lb").unwrap(), 69.853_224_98));
        assert!(close(parse_mass_kg("154 lbs").unwrap(), 69.853_224_98));
        assert!(matches!(
            parse_mass_kg("70"),
            Err(UnitError::MissingUnit { .. })
        ));
        assert!(matches!(
            parse_mass_kg("70 stone"),
            Err(UnitError::UnknownUnit { .. })
        ));
        assert!(matches!(
            parse_mass_kg("0 kg"),
            Err(UnitError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_mass_kg("1e9 kg"),
            Err(UnitError::OutOfRange { .. })
        ));
        let e = parse_mass_kg("70 stone").unwrap_err().to_string();
        assert_eq!(
            e,
            "\"70 stone\": unknown body weight unit \"stone\"; use kg or lb"
        );
    }

    #[test]
    fn doses() {
        assert_eq!(parse_dose("0.5 mg/kg"), Ok(DoseAmount::MgPerKg(0.5)));
        assert_eq!(parse_dose("0.5mg/kg"), Ok(DoseAmount::MgPerKg(0.5)));
        assert_eq!(parse_dose("84 mg"), Ok(DoseAmount::Mg(84.0)));
        assert_eq!(parse_dose("84 MG"), Ok(DoseAmount::Mg(84.0)));
        assert_eq!(parse_dose("500 ug"), Ok(DoseAmount::Mg(0.5)));
        assert_eq!(parse_dose("500 µg"), Ok(DoseAmount::Mg(0.5)));
        assert_eq!(parse_dose("500 μg"), Ok(DoseAmount::Mg(0.5)));
        assert_eq!(parse_dose("500mcg"), Ok(DoseAmount::Mg(0.5)));
        assert_eq!(parse_dose("1 g"), Ok(DoseAmount::Mg(1000.0)));
        assert_eq!(parse_dose("250 ug/kg"), Ok(DoseAmount::MgPerKg(0.25)));
        assert_eq!(parse_dose("0 mg"), Ok(DoseAmount::Mg(0.0)));
        assert!(matches!(
            parse_dose("84"),
            Err(UnitError::MissingUnit { .. })
        ));
        assert!(matches!(
            parse_dose("84 ml"),
            Err(UnitError::UnknownUnit { .. })
        ));
        assert!(matches!(
            parse_dose("-1 mg"),
            Err(UnitError::Negative { .. })
        ));
        assert!(matches!(
            parse_dose("1e308 mg"),
            Err(UnitError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_dose("2000 mg/kg"),
            Err(UnitError::OutOfRange { .. })
        ));
        let e = parse_dose("84 ml").unwrap_err().to_string();
        assert_eq!(
            e,
            "\"84 ml\": unknown dose unit \"ml\"; use mg, mg/kg, ug (µg) or g"
        );
    }

    #[test]
    fn readable_durations() {
        assert_eq!(format_duration_h(40.0 / 60.0), "40 min");
        assert_eq!(format_duration_h(84.0), "3.5 d");
        assert_eq!(format_duration_h(672.0), "4 w");
        assert_eq!(format_duration_h(2.0), "2 h");
        assert_eq!(format_duration_h(12.0), "12 h");
        assert_eq!(format_duration_h(42.0), "42 h");
        assert_eq!(format_duration_h(240.0), "10 d");
        assert_eq!(format_duration_h(0.025), "1.5 min");
        assert_eq!(format_duration_h(30.0 / 3600.0), "30 s");
        assert_eq!(format_duration_h(1.5), "1.5 h");
        assert_eq!(format_duration_h(0.0), "0 h");
        assert_eq!(format_duration_h(-2.0), "-2 h");
        assert_eq!(format_duration_h(1.234_567), "1.235 h");
        assert_eq!(format_duration_h(f64::INFINITY), "inf h");
        assert_eq!(format_duration_h(f64::NAN), "NaN h");
        assert!(!format_duration_h(1e-12).is_empty());
    }

    #[test]
    fn exact_durations_read_back_exactly() {
        let hours = [
            40.0 / 60.0,
            84.0,
            672.0,
            1344.0,
            4320.0,
            0.1,
            1.0 / 3.0,
            1.234_567_891_234,
            7.0 / 60.0,
            1e-9,
            123_456.789,
        ];
        for h in hours {
            let text = format_duration_exact(h);
            assert_eq!(parse_duration_h(&text), Ok(h), "{h} -> {text}");
        }
        assert_eq!(format_duration_exact(84.0), "3.5 d");
        assert_eq!(format_duration_exact(40.0 / 60.0), "40 min");
    }

    #[test]
    fn number_splitting() {
        assert_eq!(split_number("56mg"), ("56", "mg"));
        assert_eq!(split_number("3.5d"), ("3.5", "d"));
        assert_eq!(split_number("1e3mg"), ("1e3", "mg"));
        assert_eq!(split_number("2e"), ("2", "e"));
        assert_eq!(split_number("-5"), ("-5", ""));
        assert_eq!(split_number("µg"), ("", "µg"));
        assert_eq!(split_number(""), ("", ""));
        assert!(!looks_numeric("-"));
        assert!(looks_numeric(".5"));
    }
}
