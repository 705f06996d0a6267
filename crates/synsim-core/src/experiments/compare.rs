//! Several runs on one time grid: the table behind `synsim compare` and
//! `synsim theories` (`compare.csv`, `theories.csv`).

use crate::model::Observables;
use crate::run::{value_at, RunResult};
use crate::scenario::Scenario;

/// Whether a scenario's treatment lasts its whole run: two or more doses and
/// the next dose (at the last interval) would fall at or after the run's end
/// (daily pills for the whole run, a maintenance course). Running such a
/// scenario longer than its own length would show the treatment stopping.
pub fn treated_throughout(s: &Scenario) -> bool {
    let doses = s.regimen.as_ref().map(|r| r.expand()).unwrap_or_default();
    match doses.as_slice() {
        [.., a, b] => b.time_h + (b.time_h - a.time_h) >= s.days * 24.0 - 1e-6,
        _ => false,
    }
}

/// The common run length of scenarios drawn together, days, and a note
/// saying why when it is not simply the longest scenario's length (or when
/// an explicit length runs past the end of a course).
///
/// Without `days`: the longest scenario's length, but no longer than any
/// scenario whose treatment lasts its whole run ([`treated_throughout`]),
/// so a course is never shown stopping only because another scenario is
/// longer. With `days`: that length, noting any course it runs past.
pub fn common_days(scenarios: &[Scenario], days: Option<f64>) -> (f64, Option<String>) {
    let longest = scenarios.iter().map(|s| s.days).fold(0.0, f64::max);
    let courses: Vec<&Scenario> = scenarios.iter().filter(|s| treated_throughout(s)).collect();
    match days {
        Some(d) => {
            let past: Vec<String> = courses
                .iter()
                .filter(|s| s.days < d - 1e-9)
                .map(|s| format!("{} ends at day {}", s.name, fmt_days(s.days)))
                .collect();
            let note = (!past.is_empty()).then(|| {
                format!(
                    "every run is {} d; after its course the treatment stops: {}",
                    fmt_days(d),
                    past.join(", ")
                )
            });
            (d, note)
        }
        None => {
            let shortest = courses
                .iter()
                .min_by(|a, b| a.days.total_cmp(&b.days))
                .copied();
            match shortest {
                Some(c) if c.days < longest - 1e-9 => (
                    c.days,
                    Some(format!(
                        "every run is {} d, the length of the {} course, so no course is shown \
                         stopping (--days to change)",
                        fmt_days(c.days),
                        c.name
                    )),
                ),
                _ => (longest, None),
            }
        }
    }
}

fn fmt_days(d: f64) -> String {
    if (d - d.round()).abs() < 1e-9 {
        format!("{}", d.round() as i64)
    } else {
        format!("{d:.1}")
    }
}

/// A named quantity: (CSV column prefix, reader).
pub type Quantity = (&'static str, fn(&Observables) -> f64);

/// The quantities compared.
pub const QUANTITIES: [Quantity; 4] = [
    ("symptom_score", |o| o.symptom_score),
    ("synapse_density_rel", |o| o.synapse_density_rel),
    ("glutamate_rel", |o| o.glutamate_rel),
    ("dissociation", |o| o.dissociation),
];

/// A time grid for tables that span minutes to months: every 10 minutes up
/// to 48 h after the first dose, then hourly, ending exactly at `end_h`.
pub fn table_grid(start_h: f64, end_h: f64) -> Vec<f64> {
    let mut t = Vec::new();
    let fine = 1.0 / 6.0;
    let mut k = 0_i64;
    loop {
        let v = start_h + k as f64 * fine;
        if v > end_h.min(48.0) + 1e-9 {
            break;
        }
        t.push(v);
        k += 1;
    }
    let mut v = t.last().map(|l| l.floor() + 1.0).unwrap_or(start_h);
    while v <= end_h + 1e-9 {
        t.push(v);
        v += 1.0;
    }
    if t.last().is_some_and(|l| (l - end_h).abs() > 1e-9) {
        t.push(end_h);
    }
    t
}

/// CSV: `time_h` then one column per quantity per run, named
/// `<quantity>:<label>`, on `grid` (linear interpolation between outputs).
pub fn table(runs: &[(String, &RunResult)], quantities: &[Quantity], grid: &[f64]) -> String {
    let mut out = String::from("time_h");
    for (q, _) in quantities {
        for (label, _) in runs {
            out.push_str(&format!(",{q}:{label}"));
        }
    }
    out.push('\n');
    for &t in grid {
        out.push_str(&crate::export::fmt_csv(t));
        for (_, get) in quantities {
            for (_, r) in runs {
                out.push(',');
                if let Some(v) = value_at(&r.rows, t, get) {
                    out.push_str(&crate::export::fmt_csv(v));
                }
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(n: &str) -> Scenario {
        Scenario::load(n).unwrap()
    }

    #[test]
    fn common_length_does_not_run_a_course_past_its_end() {
        let s = [
            load("ketamine-iv-single"),
            load("esketamine-nasal"),
            load("ssri-escitalopram"),
            load("placebo"),
        ];
        assert!(treated_throughout(&s[2]));
        assert!(!treated_throughout(&s[0]));
        assert!(!treated_throughout(&load("ketamine-iv-serial")));
        let (d, note) = common_days(&s, None);
        assert_eq!(d, s[2].days);
        assert!(note.unwrap().contains("ssri-escitalopram"));
        // A finished course with follow-up does not shorten the runs.
        let s = [load("ketamine-iv-single"), load("ketamine-iv-serial")];
        assert_eq!(common_days(&s, None), (s[1].days, None));
        // An explicit length is kept, and the course it runs past is named.
        let s = [load("ketamine-iv-single"), load("ssri-escitalopram")];
        let (d, note) = common_days(&s, Some(120.0));
        assert_eq!(d, 120.0);
        assert!(note.unwrap().contains("ssri-escitalopram ends at day 84"));
    }
}
