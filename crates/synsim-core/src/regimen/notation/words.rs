//! The notation's vocabulary: the words for drugs, routes, one-word
//! schedules and weekdays, the keywords a phase reserves, and the
//! "did you mean" suggestions for words that are nearly right.

use crate::regimen::{Drug, Route};
use crate::units::{self, TimeUnit};

/// Drug names offered as suggestions.
pub(super) const DRUG_NAMES: [&str; 4] = ["ketamine", "esketamine", "escitalopram", "placebo"];
/// Route words offered as suggestions.
pub(super) const ROUTE_WORDS: [&str; 6] =
    ["iv", "intravenous", "nasal", "intranasal", "oral", "po"];
/// Schedule words offered as suggestions.
pub(super) const SCHEDULE_WORDS: [&str; 9] = [
    "once", "every", "daily", "weekly", "twice", "on", "bid", "qd", "hourly",
];
/// Dose units offered as suggestions.
pub(super) const DOSE_UNIT_WORDS: [&str; 5] = ["mg", "mg/kg", "ug", "µg", "g"];
/// Time units offered as suggestions.
pub(super) const TIME_UNIT_WORDS: [&str; 9] = [
    "min", "h", "d", "w", "hours", "days", "weeks", "minutes", "months",
];
/// Weekday names, Monday first: suggestions, and the names the formatter
/// writes.
pub(super) const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The drug named by `w` (lower case), if any.
pub(super) fn drug_word(w: &str) -> Option<Drug> {
    Some(match w {
        "ketamine" => Drug::Ketamine,
        "esketamine" | "s-ketamine" => Drug::Esketamine,
        "escitalopram" => Drug::Escitalopram,
        "placebo" | "saline" => Drug::Placebo,
        _ => return None,
    })
}

/// Route as written, before "bolus"/"over" decide between bolus and infusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RouteKind {
    Iv,
    Nasal,
    Oral,
}

impl RouteKind {
    /// The written route of `route` (both iv routes are written "iv").
    pub(super) fn of(route: Route) -> RouteKind {
        match route {
            Route::IvInfusion | Route::IvBolus => RouteKind::Iv,
            Route::Nasal => RouteKind::Nasal,
            Route::Oral => RouteKind::Oral,
        }
    }
}

/// The route named by `w` (lower case), if any.
pub(super) fn route_word(w: &str) -> Option<RouteKind> {
    Some(match w {
        "iv" | "i.v." | "intravenous" => RouteKind::Iv,
        "nasal" | "intranasal" | "in" => RouteKind::Nasal,
        "oral" | "po" | "p.o." => RouteKind::Oral,
        _ => return None,
    })
}

/// Interval of a one-word repeating schedule ("daily", "bid", "q12h").
pub(super) fn fixed_interval_h(w: &str) -> Option<f64> {
    Some(match w {
        "hourly" => 1.0,
        "qid" => 6.0,
        "tid" => 8.0,
        "bid" | "twice-daily" => 12.0,
        "daily" | "once-daily" => 24.0,
        "qod" => 48.0,
        "twice-weekly" => 84.0,
        "weekly" | "once-weekly" => 168.0,
        "monthly" => 720.0,
        _ => return q_interval_h(w),
    })
}

/// "qd", "q12h", "q3.5d", "qw": every (number, default 1) unit.
fn q_interval_h(w: &str) -> Option<f64> {
    let rest = w.strip_prefix('q')?;
    let (num, unit) = units::split_number(rest);
    let value = if num.is_empty() {
        1.0
    } else {
        units::parse_number(num)?
    };
    Some(TimeUnit::from_word(unit)?.to_hours(value))
}

/// Weekday number, Monday = 0.
pub(super) fn weekday(w: &str) -> Option<u8> {
    Some(match w {
        "mon" | "monday" => 0,
        "tue" | "tues" | "tuesday" => 1,
        "wed" | "weds" | "wednesday" => 2,
        "thu" | "thur" | "thurs" | "thursday" => 3,
        "fri" | "friday" => 4,
        "sat" | "saturday" => 5,
        "sun" | "sunday" => 6,
        _ => return None,
    })
}

/// Words with a meaning of their own in a phase (never a misspelt drug).
pub(super) fn is_keyword(w: &str) -> bool {
    route_word(w).is_some()
        || fixed_interval_h(w).is_some()
        || matches!(
            w,
            "bolus"
                | "infusion"
                | "over"
                | "after"
                | "once"
                | "every"
                | "twice"
                | "on"
                | "then"
                | "+"
                | "x"
                | "for"
        )
}

/// The closest candidate within a few edits of `word`, if any.
pub(super) fn suggestion<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let limit = match word.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    let n = word.chars().count();
    candidates
        .iter()
        // A length difference beyond the limit rules a candidate out before
        // the quadratic distance (a long word stays cheap).
        .filter(|c| c.chars().count().abs_diff(n) <= limit)
        .map(|c| (edit_distance(word, c), *c))
        .filter(|&(d, _)| d > 0 && d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance (Levenshtein plus transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use crate::regimen::notation::{expand, parse};
    use crate::regimen::{Count, Schedule};

    #[test]
    fn spellings() {
        let same = [
            "KETAMINE 56mg IN q3.5d x6",
            "ketamine 56 mg intranasal every 3.5 days x 6",
            "ketamine 56 mg nasal every 84 h ×6",
            "ketamine 56000 ug nasal every 3.5 d x 6 doses",
            "ketamine 56000 µg nasal every 3.5 d x 6",
            "ketamine 0.056 g nasal twice weekly x 6",
        ];
        let first = parse(same[0]).unwrap();
        for text in same {
            assert_eq!(parse(text).unwrap(), first, "{text}");
        }
        let every_week = parse("escitalopram 10 mg po every week x 3").unwrap();
        assert_eq!(
            every_week.phases[0].schedule,
            Schedule::Every { interval_h: 168.0 }
        );
        let bid = parse("escitalopram 10 mg po bid x 4").unwrap();
        assert_eq!(bid.phases[0].schedule, Schedule::Every { interval_h: 12.0 });
        let once_daily = parse("escitalopram 10 mg po once daily for 1 w").unwrap();
        assert_eq!(expand(&once_daily).len(), 7);
        let months = parse("ketamine 35 mg iv every 4 w for 6 months").unwrap();
        assert_eq!(months.phases[0].count, Count::For(4320.0));
        assert_eq!(expand(&months).len(), 7);
    }
}
