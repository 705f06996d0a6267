//! Writing a regimen back as canonical notation: each phase says only what
//! the parser would not carry over from the phase before it.

use super::implied_amount;
use super::words::DAY_NAMES;
use crate::regimen::{Count, Phase, Regimen, Route, Schedule};
use crate::units;

/// Canonical text of `regimen`; [`parse`](super::parse) reads it back to an
/// equal regimen. Values carried over from the previous phase are left out,
/// as a person would write them.
///
/// Regimens built or changed by hand read back equal only if the notation
/// can express them: positive durations, whole weekday offsets 0..6 (the
/// first being 0), non-negative doses, zero `duration_h` outside infusions
/// and `Count::Times(1)` for `Once`.
pub fn format(regimen: &Regimen) -> String {
    let mut prev = None;
    let mut text = String::new();
    for (k, phase) in regimen.phases.iter().enumerate() {
        if phase.concurrent {
            prev = None;
        }
        if k > 0 {
            text.push_str(if phase.concurrent { " + " } else { " then " });
        }
        text.push_str(&format_phase(phase, prev));
        prev = Some(phase);
    }
    text
}

/// One phase as text, leaving out what carries over from `prev`.
fn format_phase(p: &Phase, prev: Option<&Phase>) -> String {
    let mut words = Vec::new();
    if prev.map(|q| q.drug) != Some(p.drug) {
        words.push(p.drug.name().to_string());
    }
    if implied_amount(p.drug, prev) != Some(p.amount) {
        words.push(format!("{} {}", p.amount.value(), p.amount.unit()));
    }
    if prev.map(|q| (q.route, q.duration_h)) != Some((p.route, p.duration_h)) {
        words.push(format_route(p.route, p.duration_h));
    }
    if p.delay_h > 0.0 {
        words.push(format!("after {}", units::format_duration_exact(p.delay_h)));
    }
    words.push(format_schedule(&p.schedule));
    if p.schedule != Schedule::Once {
        words.push(match p.count {
            Count::Times(n) => format!("x {n}"),
            Count::For(h) => format!("for {}", units::format_duration_exact(h)),
        });
    }
    words.join(" ")
}

/// The route as written: "iv over 40 min", "iv bolus", "nasal" or "oral".
pub(in crate::regimen) fn format_route(route: Route, duration_h: f64) -> String {
    match route {
        Route::IvInfusion => format!("iv over {}", units::format_duration_exact(duration_h)),
        Route::IvBolus => "iv bolus".to_string(),
        Route::Nasal => "nasal".to_string(),
        Route::Oral => "oral".to_string(),
    }
}

/// The schedule as written, without its count ("twice weekly", "on mon,wed").
pub(in crate::regimen) fn format_schedule(schedule: &Schedule) -> String {
    match schedule {
        Schedule::Once => "once".to_string(),
        Schedule::Every { interval_h } => match *interval_h {
            12.0 => "twice daily".to_string(),
            24.0 => "daily".to_string(),
            84.0 => "twice weekly".to_string(),
            168.0 => "weekly".to_string(),
            h => format!("every {}", units::format_duration_exact(h)),
        },
        // Offsets are relative to the first listed day, so write them as if
        // that day were a Monday. Only whole days 0..6 can be written.
        Schedule::Weekdays { offsets_d } => {
            let names: Vec<&str> = offsets_d
                .iter()
                .map(|d| DAY_NAMES[(d.round() as i64).rem_euclid(7) as usize])
                .collect();
            format!("on {}", names.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regimen::notation::parse;

    const EXAMPLES: [&str; 10] = [
        "ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 6",
        "ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6",
        "ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6 then every 4 w x 3",
        "esketamine 56 mg nasal twice weekly for 4 w then 84 mg weekly for 4 w",
        "esketamine 56 mg nasal once then 84 mg twice weekly x 7 then weekly for 4 w then every 2 w x 4",
        "escitalopram 10 mg oral daily for 8 w",
        "placebo iv over 40 min once",
        "saline iv over 40 min once",
        "ketamine 0.5 mg/kg iv bolus once",
        "ketamine 35 mg iv once",
    ];

    #[test]
    fn round_trip() {
        let more = [
            "ketamine 35 mg iv on fri,mon x 4",
            "ketamine 35 mg iv after 2 d every 1 d x 2",
            "ketamine 35 mg iv every 1 w x 2 then after 2 d every 4 w x 2",
            "ketamine 0.5 mg/kg iv over 40 min once then iv once then iv bolus once",
            "ketamine 0.5 mg/kg iv over 40 min once then placebo once then ketamine 1 mg/kg once",
            "placebo 5 mg oral once then placebo 0 mg once",
            "escitalopram 10 mg po every 36 h for 6 months",
            "ketamine 0.15 mg/kg iv over 7 min q2.5d x 3",
            "ketamine 500 ug nasal every 90 s x 3",
            "escitalopram 10 mg oral daily for 1.234567 h then twice daily x 3",
        ];
        for text in EXAMPLES.iter().chain(&more) {
            let r = parse(text).unwrap();
            let canonical = format(&r);
            let back = parse(&canonical).unwrap_or_else(|e| panic!("{text} -> {e}"));
            assert_eq!(back, r, "{text} -> {canonical}");
            assert_eq!(format(&back), canonical);
        }
        assert_eq!(
            format(&parse(EXAMPLES[4]).unwrap()),
            "esketamine 56 mg nasal once then 84 mg twice weekly x 7 then weekly for 4 w then every 2 w x 4"
        );
        assert_eq!(
            format(&parse("ketamine 35 mg iv once").unwrap()),
            "ketamine 35 mg iv bolus once"
        );
        assert_eq!(
            format(&parse("saline iv over 40 min once").unwrap()),
            "placebo iv over 40 min once"
        );
    }
}
