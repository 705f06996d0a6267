//! The regimen notation: [`parse`] reads it, [`expand`] lists every dose and
//! [`format()`] writes a regimen back as canonical text.
//!
//! # Grammar
//!
//! Words are separated by whitespace and matched case-insensitively.
//!
//! ```text
//! regimen := strand ( "+" strand )*
//! strand  := phase ( "then" phase )*
//! phase   := [DRUG] [AMOUNT UNIT] [ROUTE] ["bolus" | "infusion"] ["over" DURATION]
//!            ["after" DURATION] SCHEDULE
//! DRUG    := ketamine | esketamine | s-ketamine | escitalopram | placebo | saline
//! UNIT    := mg | mg/kg | ug | µg | mcg | ug/kg | g       ("56 mg" or "56mg")
//! ROUTE   := iv | intravenous | nasal | intranasal | in | oral | po
//! SCHEDULE:= once
//!          | every DURATION COUNT                       ("every 3.5 d x 6")
//!          | daily | weekly | twice daily | twice weekly | once daily | once weekly
//!            | bid | tid | qid | qd | qod | hourly | monthly | qNUNIT ("q12h", "q3.5d")
//!            followed by COUNT
//!          | on DAYS COUNT                               ("on mon,wed,fri x 6")
//! COUNT   := x N | xN | for DURATION                     ("x 6", "for 4 w")
//! DURATION:= NUMBER UNIT with UNIT one of s, min, h, d, w, months (30 d);
//!            at least 1 min
//! ```
//!
//! # Carried over between phases
//!
//! The first phase must name a drug, a dose (except placebo, which defaults
//! to 0 mg) and a route. A later phase may omit them:
//! - the drug is that of the previous phase;
//! - the dose is that of the previous phase if the drug is the same; after
//!   a change of drug a dose must be written (placebo defaults to 0 mg), so
//!   that a ketamine dose is never silently given as esketamine;
//! - the route and infusion time are those of the previous phase. A written
//!   `iv` without `over` or `bolus` keeps the previous infusion time if the
//!   previous phase was an infusion, and is a bolus otherwise.
//!
//! # Combined regimens
//!
//! `+` starts another strand at time 0, given alongside the earlier ones:
//! `esketamine 56 mg nasal twice weekly for 4 w + escitalopram 10 mg oral
//! daily for 4 w` is the TRANSFORM design (esketamine with a newly started
//! oral antidepressant). Nothing is carried over across `+`: the phase after
//! it names its drug, dose and route. Each strand has its own timeline;
//! the dose limit counts all of them.
//!
//! # Timing
//!
//! Times are hours since the first dose of the first phase (plus its
//! `after` delay, which postpones it). A later phase starts one of its own
//! intervals after the previous phase's last dose; a `once` or weekday phase
//! starts one day after it. `after D` on a later phase replaces that gap:
//! the first dose is exactly D after the previous phase's last dose.
//! `x N` gives N doses; `for D` gives the doses starting before the phase's
//! first dose + D. Weekday lists are relative: the first listed day is the
//! phase's first dose (the calendar day itself is not kept).
//!
//! A regimen may give at most [`MAX_DOSES`] doses within [`MAX_SPAN_H`]
//! hours; larger ones are parse errors so that no huge list is built.

// The notation in parts: its words, the parser, the formatter that writes it
// back, and the expansion into doses (whose timing the parser's limit checks
// share). The docs above are the grammar's reference: `synsim explain
// regimen` and docs/MODEL.md quote them from this file.
mod error;
mod expansion;
mod formatter;
mod parser;
mod words;

pub use error::RegimenError;
pub use expansion::expand;
pub use formatter::format;
pub(super) use formatter::{format_route, format_schedule};
pub use parser::parse;

use super::{DoseAmount, Drug, Phase};

/// Most doses a regimen may give in total.
pub const MAX_DOSES: usize = 10_000;
/// Longest regimen (and longest single duration), hours: 5 years.
pub const MAX_SPAN_H: f64 = 5.0 * 365.25 * 24.0;

/// The dose a phase gets when it writes none (see the module docs).
fn implied_amount(drug: Drug, prev: Option<&Phase>) -> Option<DoseAmount> {
    match prev {
        Some(p) if p.drug == drug => Some(p.amount),
        _ if drug == Drug::Placebo => Some(DoseAmount::Mg(0.0)),
        _ => None,
    }
}

/// Helpers shared by the tests of the notation's parts.
#[cfg(test)]
mod testing {
    use super::*;
    use crate::regimen::DoseEvent;

    /// Dose times in days.
    pub(super) fn days(events: &[DoseEvent]) -> Vec<f64> {
        events.iter().map(|e| e.time_h / 24.0).collect()
    }

    /// Expands `text` and checks its dose times, in days.
    pub(super) fn assert_days(text: &str, expected: &[f64]) -> Vec<DoseEvent> {
        let events = expand(&parse(text).unwrap_or_else(|e| panic!("{e}")));
        let got = days(&events);
        assert_eq!(got.len(), expected.len(), "{text}: {got:?}");
        for (g, e) in got.iter().zip(expected) {
            assert!((g - e).abs() < 1e-9, "{text}: {got:?} != {expected:?}");
        }
        events
    }

    /// The error of `text`, which must not parse.
    pub(super) fn err(text: &str) -> RegimenError {
        match parse(text) {
            Ok(r) => panic!("{text:?} parsed as {r:?}"),
            Err(e) => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small deterministic generator so the fuzz test needs no crates.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % n
        }
    }

    /// Random regimens built from the grammar: all parse, expand sorted
    /// within the limits, and read back from their canonical text.
    #[test]
    fn generated_regimens_round_trip() {
        let drugs = [
            "",
            "ketamine",
            "esketamine",
            "escitalopram",
            "placebo",
            "saline",
        ];
        let doses = [
            "",
            "0.5 mg/kg",
            "56mg",
            "84 mg",
            "500 ug",
            "1 g",
            "0.15 mg/kg",
        ];
        let routes = [
            "",
            "iv",
            "iv bolus",
            "iv over 40 min",
            "iv over 7 min",
            "nasal",
            "oral",
            "over 1 h",
        ];
        let delays = ["", "", "after 2 d", "after 1 w", "after 36 h"];
        let schedules = [
            "once",
            "every 3.5 d x 6",
            "every 4 w for 6 months",
            "twice weekly for 4 w",
            "weekly x 3",
            "daily for 8 w",
            "q12h x 5",
            "bid for 3 d",
            "on mon,wed,fri x 6",
            "on fri,mon for 3 w",
            "on tue thu x 3",
            "once weekly x 2",
            "every 90 min x 4",
        ];
        let mut rng = Lcg(7);
        let mut parsed = 0;
        for _ in 0..5_000 {
            let phases = 1 + rng.next(4);
            let text = (0..phases)
                .map(|k| {
                    let drug = drugs[if k == 0 { 1 + rng.next(5) } else { rng.next(6) }];
                    let pieces = [
                        drug,
                        doses[rng.next(doses.len())],
                        routes[if k == 0 { 1 + rng.next(7) } else { rng.next(8) }],
                        delays[rng.next(delays.len())],
                        schedules[rng.next(schedules.len())],
                    ];
                    let words: Vec<&str> = pieces.into_iter().filter(|p| !p.is_empty()).collect();
                    words.join(" ")
                })
                .collect::<Vec<_>>()
                .join(" then ");
            // Some combinations are rightly refused (no dose after a change
            // of drug, "over" on a nasal route, more than 5 years).
            let Ok(r) = parse(&text) else { continue };
            parsed += 1;
            let events = expand(&r);
            assert!(!events.is_empty() && events.len() <= MAX_DOSES);
            assert!(
                events.windows(2).all(|w| w[0].time_h < w[1].time_h),
                "{text}"
            );
            let canonical = format(&r);
            assert_eq!(parse(&canonical).as_ref(), Ok(&r), "{text} -> {canonical}");
            assert_eq!(expand(&parse(&canonical).unwrap()), events);
        }
        assert!(parsed > 1_000, "only {parsed} generated regimens parsed");
    }

    #[test]
    fn malformed_input_never_panics() {
        let fixed = [
            "",
            " ",
            "then",
            "x 99999999",
            "1e308 mg",
            "ketamine 1e308 mg iv once",
            "ketamine 1e-320 mg iv once",
            "ketamine 5 mg iv every 1e-300 h x 3",
            "ketamine 5 mg iv every 1e-300 h for 1 h",
            "ketamine 5 mg iv every 1 h x 4294967296",
            "ketamine 5 mg iv every 5 years x 2",
            "ketamine 5 mg iv q x 2",
            "ketamine 5 mg iv q1e999h x 2",
            "ketamine 5 mg iv on ,,, x 2",
            "ketamine 5 mg iv on , mon x 2",
            "ketamine 5 mg iv on mon,,wed x 2",
            "ketamine ∞ mg iv once",
            "ketamine 5 µg/kg iv once",
            "кетамин 5 mg iv once",
            "ketamine 5 mg iv ónce",
            "ketamine 5 mg iv once then then then",
            "İİİ 5 mg iv once",
            "ketamine 5 mg\u{0}iv once",
            "ketamine 5mg/kg/kg iv once",
            "ketamine .mg iv once",
            "ketamine - mg iv once",
            "ketamine +5e mg iv once",
            "ketamine 5 mg iv every -0 d x 2",
            "ketamine 5 mg iv x 3",
            "ketamine 5 mg iv for 3 d",
            "ketamine 5 mg iv on mon x nan",
            "ketamine 5 mg iv daily x inf",
            "ketamine 5 mg iv daily x 1e3",
            "ketamine 5 mg iv daily x1e999",
        ];
        let vocabulary = [
            "ketamine",
            "esketamine",
            "placebo",
            "saline",
            "0.5",
            "mg/kg",
            "56",
            "mg",
            "56mg",
            "ug",
            "µg",
            "g",
            "iv",
            "nasal",
            "oral",
            "po",
            "in",
            "bolus",
            "infusion",
            "over",
            "40",
            "min",
            "3.5",
            "d",
            "w",
            "h",
            "months",
            "after",
            "once",
            "every",
            "daily",
            "weekly",
            "twice",
            "bid",
            "q12h",
            "q3.5d",
            "on",
            "mon,wed,fri",
            "fri,",
            "x",
            "x6",
            "6",
            "for",
            "4",
            "then",
            "-1",
            "0",
            "1e308",
            "99999999",
            "nan",
            "é",
            "😀",
            ",",
            "×",
            "x0",
            "qod",
        ];
        for text in fixed {
            let _ = parse(text).map(|r| (expand(&r), format(&r)));
            let _ = parse(text).map_err(|e| e.to_string());
        }
        let mut rng = Lcg(42);
        for _ in 0..20_000 {
            let n = rng.next(12);
            let words: Vec<&str> = (0..n)
                .map(|_| vocabulary[rng.next(vocabulary.len())])
                .collect();
            let text = words.join(" ");
            match parse(&text) {
                Ok(r) => {
                    let events = expand(&r);
                    assert!(events.len() <= MAX_DOSES);
                    let canonical = format(&r);
                    assert_eq!(parse(&canonical).as_ref(), Ok(&r), "{text} -> {canonical}");
                }
                Err(e) => {
                    assert!(e.word <= words.len());
                    let _ = e.to_string();
                }
            }
        }
    }
}
