//! The run's length: its valid range, and the doses a run of a given length
//! leaves out.

use super::Scenario;
use crate::params::fmt_num;
use crate::units;

/// Shortest run after the first dose, days: 1 h (one default output step).
/// Shorter runs (`--days 1e-300`) would only reach the integrator and fail
/// there with a message about parameter values.
pub const MIN_DAYS: f64 = 1.0 / 24.0;
/// Longest run after the first dose, days (10 years).
pub const MAX_DAYS: f64 = 3650.0;
/// Shortest run-in before the first dose that is not none, hours (1 min,
/// the finest step of the measure grid).
pub const MIN_RUNIN_H: f64 = 1.0 / 60.0;
/// Longest run-in before the first dose, hours (365 d).
pub const MAX_RUNIN_H: f64 = 24.0 * 365.0;

/// Finest output step of `timeseries.csv`, hours (1 s).
pub const MIN_DT_OUT_H: f64 = 1.0 / 3600.0;
/// Coarsest output step of `timeseries.csv`, hours (30 d).
pub const MAX_DT_OUT_H: f64 = 24.0 * 30.0;

/// Checks an output step `text` (a duration with its unit, e.g. "10 min")
/// against [`MIN_DT_OUT_H`]..[`MAX_DT_OUT_H`] and returns it in hours; `what`
/// names where it was given (e.g. `"--dt-out"`) and starts the message.
pub fn check_dt_out(what: &str, text: &str) -> Result<f64, String> {
    let h = units::parse_duration_h(text).map_err(|e| format!("{what}: {e}"))?;
    if (MIN_DT_OUT_H..=MAX_DT_OUT_H).contains(&h) {
        Ok(h)
    } else {
        Err(format!(
            "{what} \"{text}\": use a step from {} to {}",
            units::format_duration_h(MIN_DT_OUT_H),
            units::format_duration_h(MAX_DT_OUT_H)
        ))
    }
}

/// Checks that the output step `dt_h` fits in the run of `s` (its days and
/// run-in): a longer step would write a single row.
pub fn check_dt_out_fits(what: &str, dt_h: f64, s: &Scenario) -> Result<(), String> {
    let span_h = s.days * 24.0 + s.runin_h;
    if dt_h > span_h {
        return Err(format!(
            "{what} {}: the output step is longer than the run ({} with the run-in); use at most that",
            units::format_duration_h(dt_h),
            units::format_duration_h(span_h)
        ));
    }
    Ok(())
}

/// Checks a run length of `d` days; `what` names where it was given, e.g.
/// `"--days"` or `"days ="`, and starts the message.
pub fn check_days(what: &str, d: f64) -> Result<f64, String> {
    if d.is_finite() && (MIN_DAYS..=MAX_DAYS).contains(&d) {
        Ok(d)
    } else {
        Err(format!(
            "{what} {}: the run length must be from {} d (1 h) to {} d (10 years)",
            fmt_num(d),
            fmt_num((MIN_DAYS * 1e4).round() / 1e4),
            fmt_num(MAX_DAYS)
        ))
    }
}

/// Checks a run-in of `h` hours: none (0) or from 1 min to 365 d; `what`
/// names where and how it was given (e.g. `runin = "2 d"`) and starts the
/// message.
pub fn check_runin_h(what: &str, h: f64) -> Result<f64, String> {
    if h == 0.0 || (h.is_finite() && (MIN_RUNIN_H..=MAX_RUNIN_H).contains(&h)) {
        Ok(h)
    } else {
        Err(format!(
            "{what}: the run-in before the first dose must be 0 (none) or from {} to {}",
            units::format_duration_h(MIN_RUNIN_H),
            units::format_duration_h(MAX_RUNIN_H)
        ))
    }
}

/// Doses of `s`'s regimen that start after the end of its run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DosesAfterEnd {
    /// How many doses start after the run's end.
    pub after: usize,
    /// How many doses the regimen has in all.
    pub total: usize,
    /// The run length, days.
    pub days: f64,
    /// The shortest whole number of days that includes every dose (to the
    /// end of the last infusion).
    pub needed_days: f64,
}

impl DosesAfterEnd {
    /// The warning, ending with how to include the doses: `how` followed
    /// by the run length that does, e.g. `"pass --days"` gives "…; pass
    /// --days 123 to include it".
    pub fn message(&self, how: &str) -> String {
        let one = self.after == 1;
        format!(
            "{} of {} doses {} after the run's end (day {}) and {} not simulated; \
             {how} {} to include {}",
            self.after,
            self.total,
            if one { "falls" } else { "fall" },
            fmt_num(self.days),
            if one { "is" } else { "are" },
            fmt_num(self.needed_days),
            if one { "it" } else { "them" }
        )
    }
}

impl std::fmt::Display for DosesAfterEnd {
    /// The warning for commands with `--days`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message("pass --days"))
    }
}

/// The doses of `s`'s regimen that a run of `s.days` leaves out (a dose
/// starting at the very end counts as left out: it could have no effect),
/// or `None` when every dose is inside the run.
pub fn doses_after_end(s: &Scenario) -> Option<DosesAfterEnd> {
    let doses = s.regimen.as_ref().map(|r| r.expand()).unwrap_or_default();
    let end_h = s.days * 24.0;
    let after = doses.iter().filter(|d| d.time_h >= end_h).count();
    if after == 0 {
        return None;
    }
    let last_h = doses.iter().map(|d| d.end_h()).fold(0.0, f64::max);
    // One more day when the last dose ends on a whole day, so it is inside.
    let needed_days = ((last_h / 24.0).floor() + 1.0).min(MAX_DAYS);
    Some(DosesAfterEnd {
        after,
        total: doses.len(),
        days: s.days,
        needed_days,
    })
}

/// The warning for a scenario file without a `[regimen]` table that runs
/// with no regimen at all (not a built-in, no `--regimen`): the run is
/// untreated, which is seldom what a new file means.
pub fn untreated_warning(s: &Scenario) -> Option<String> {
    (s.missing_regimen && s.regimen.is_none()).then(|| {
        format!(
            "{} has no [regimen], so this run is untreated (no drug is given); to treat, \
             add the lines [regimen] and notation = \"ketamine 0.5 mg/kg iv over 40 min once\" \
             to the file (see `synsim regimen --help`), or pass --regimen \"...\"; \
             notation = \"none\" says the run is untreated on purpose",
            s.origin
        )
    })
}

/// Every warning about `s` as it will run: no regimen in a file
/// ([`untreated_warning`]), doses after the run's end, then
/// [`super::calibration_warnings`]. What every command that runs a scenario
/// prints (and a run's summary.json records).
pub fn warnings(s: &Scenario) -> Vec<String> {
    untreated_warning(s)
        .into_iter()
        .chain(doses_after_end(s).map(|d| d.to_string()))
        .chain(super::calibration_warnings(s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(regimen: &str, days: f64) -> Scenario {
        let mut s = Scenario::load("placebo").unwrap();
        s.set_regimen(regimen).unwrap();
        s.days = days;
        s
    }

    #[test]
    fn doses_after_the_end_are_counted_and_the_length_to_include_them_given() {
        let s = with(
            "ketamine 0.5 mg/kg iv over 40 min every 2 d x 6 then every 8 w x 2",
            120.0,
        );
        let d = doses_after_end(&s).unwrap();
        assert_eq!((d.after, d.total, d.needed_days), (1, 8, 123.0));
        let text = d.to_string();
        assert!(
            text.starts_with("1 of 8 doses falls after the run's end (day 120)")
                && text.ends_with("pass --days 123 to include it"),
            "{text}"
        );
        assert_eq!(warnings(&s)[0], text);
        // Long enough: nothing to say.
        assert_eq!(doses_after_end(&with(s.regimen_text.as_str(), 123.0)), None);
        // A dose at the very end is outside.
        let d = doses_after_end(&with(
            "ketamine 0.5 mg/kg iv over 40 min every 7 d x 3",
            14.0,
        ));
        assert_eq!(d.map(|d| (d.after, d.needed_days)), Some((1, 15.0)));
    }

    #[test]
    fn run_lengths_have_a_positive_minimum() {
        for d in [0.0, 1e-300, 5e-324, 0.01, -1.0, f64::NAN, 3651.0] {
            let e = check_days("--days", d).unwrap_err();
            assert!(
                e.starts_with("--days ") && e.contains("0.0417 d (1 h)"),
                "{e}"
            );
        }
        assert_eq!(check_days("--days", MIN_DAYS), Ok(MIN_DAYS));
        assert_eq!(check_days("--days", 3650.0), Ok(3650.0));
        assert!(check_runin_h("runin", 1e-300).is_err());
        assert_eq!(check_runin_h("runin", 0.0), Ok(0.0));
        assert_eq!(check_runin_h("runin", 24.0), Ok(24.0));
    }
}
