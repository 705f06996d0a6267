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

use super::{routes, Count, DoseAmount, DoseEvent, Drug, Phase, Regimen, Route, Schedule};
use crate::units::{self, TimeUnit};
use thiserror::Error;

/// Most doses a regimen may give in total.
pub const MAX_DOSES: usize = 10_000;
/// Longest regimen (and longest single duration), hours: 5 years.
pub const MAX_SPAN_H: f64 = 5.0 * 365.25 * 24.0;
/// Gap before a `once` or weekday phase that follows another phase.
const DEFAULT_GAP_H: f64 = 24.0;
const DAY_H: f64 = 24.0;
const WEEK_H: f64 = 168.0;

const DRUG_NAMES: [&str; 4] = ["ketamine", "esketamine", "escitalopram", "placebo"];
const ROUTE_WORDS: [&str; 6] = ["iv", "intravenous", "nasal", "intranasal", "oral", "po"];
const SCHEDULE_WORDS: [&str; 9] = [
    "once", "every", "daily", "weekly", "twice", "on", "bid", "qd", "hourly",
];
const DOSE_UNIT_WORDS: [&str; 5] = ["mg", "mg/kg", "ug", "µg", "g"];
const TIME_UNIT_WORDS: [&str; 9] = [
    "min", "h", "d", "w", "hours", "days", "weeks", "minutes", "months",
];
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const SCHEDULE_EXPECTED: &str =
    "a schedule (once, every 3.5 d, daily, weekly, twice weekly or on mon,wed,fri)";
const COUNT_EXPECTED: &str = "a count (x N or for DURATION)";

/// A regimen text that could not be read. Its `Display` shows the message
/// and the input with a caret under the offending word.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("could not read the regimen: {message}\n{}", pointer(.input, *.offset, *.len))]
pub struct RegimenError {
    /// The whole text as given.
    pub input: String,
    /// 0-based index of the offending word; the number of words when the
    /// text ended too early.
    pub word: usize,
    /// Byte offset of the offending text in `input`; just past the last word
    /// when the text ended too early.
    pub offset: usize,
    /// Byte length of the offending text; 0 when the text ended too early.
    pub len: usize,
    /// What was expected and what was found.
    pub message: String,
}

/// The input line holding `offset`, and a caret line under `len` bytes.
/// Never panics, even for hand-made offsets.
fn pointer(input: &str, offset: usize, len: usize) -> String {
    let start = floor_boundary(input, offset);
    let end = floor_boundary(input, start.saturating_add(len)).max(start);
    let line_start = input[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = input[start..].find('\n').map_or(input.len(), |i| start + i);
    // One column per char; other whitespace (tabs) becomes a space to keep
    // the caret aligned.
    let line: String = input[line_start..line_end]
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let before = input[line_start..start].chars().count();
    let (column, width) = if end > start {
        // A span over several lines is underlined to the end of its first.
        let width = input[start..end.min(line_end)].chars().count();
        (before, width.max(1))
    } else {
        // End of text: point one space past the last word.
        (before + usize::from(start > line_start), 1)
    };
    format!(
        "  {}\n  {}{}",
        line.trim_end(),
        " ".repeat(column),
        "^".repeat(width)
    )
}

/// The largest char boundary of `s` at or below `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Parses the notation (see the module docs).
pub fn parse(text: &str) -> Result<Regimen, RegimenError> {
    let mut p = Parser::new(text);
    if p.words.is_empty() {
        return Err(p.error_at(
            0,
            "the regimen is empty; write for example \"ketamine 0.5 mg/kg iv over 40 min once\""
                .to_string(),
        ));
    }
    let mut phases: Vec<Phase> = Vec::new();
    let mut timeline = Timeline::default();
    let mut concurrent = false;
    loop {
        // Nothing is carried over into a new strand.
        let prev = if concurrent { None } else { phases.last() };
        let (mut phase, schedule_word) = p.phase(prev)?;
        phase.concurrent = concurrent;
        if concurrent {
            timeline.last_h = None;
        }
        p.check_limits(&phase, schedule_word, &mut timeline)?;
        phases.push(phase);
        match p.peek() {
            None => break,
            Some(w @ ("then" | "+")) => {
                concurrent = w == "+";
                let at = p.pos;
                p.bump();
                p.mark(at);
            }
            Some(_) => {
                return Err(p.expected("\"then\", \"+\" or the end of the regimen", &["then"]))
            }
        }
    }
    Ok(Regimen { phases })
}

/// Lists every dose of `regimen`, sorted by time (stable). Regimens built
/// by hand rather than parsed are cut off after [`MAX_DOSES`] doses.
pub fn expand(regimen: &Regimen) -> Vec<DoseEvent> {
    let mut events: Vec<DoseEvent> = Vec::new();
    let mut last_h = None;
    for phase in &regimen.phases {
        if phase.concurrent {
            last_h = None;
        }
        let offsets = dose_offsets(phase, MAX_DOSES - events.len());
        let start = phase_start(phase, last_h);
        let duration_h = if phase.route == Route::IvInfusion {
            phase.duration_h
        } else {
            0.0
        };
        events.extend(offsets.iter().map(|o| DoseEvent {
            time_h: start + o,
            drug: phase.drug,
            route: phase.route,
            amount: phase.amount,
            duration_h,
        }));
        last_h = Some(offsets.last().map_or(start, |o| start + o));
    }
    events.sort_by(|a, b| a.time_h.total_cmp(&b.time_h));
    events
}

/// Canonical text of `regimen`; [`parse`] reads it back to an equal regimen.
/// Values carried over from the previous phase are left out, as a person
/// would write them.
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

// ---------------------------------------------------------------------------
// Timing shared by parse (limits) and expand.

/// Start time of `phase` given the previous phase's last dose.
fn phase_start(phase: &Phase, prev_last_h: Option<f64>) -> f64 {
    match prev_last_h {
        None => phase.delay_h,
        Some(last) if phase.delay_h > 0.0 => last + phase.delay_h,
        Some(last) => last + chain_gap_h(&phase.schedule),
    }
}

/// Gap between the previous phase's last dose and this phase's first.
fn chain_gap_h(schedule: &Schedule) -> f64 {
    match schedule {
        Schedule::Every { interval_h } => *interval_h,
        Schedule::Once | Schedule::Weekdays { .. } => DEFAULT_GAP_H,
    }
}

/// Dose times relative to the phase start, at most `limit` of them.
fn dose_offsets(phase: &Phase, limit: usize) -> Vec<f64> {
    if phase.schedule == Schedule::Once {
        return if limit > 0 { vec![0.0] } else { Vec::new() };
    }
    let wanted = match phase.count {
        Count::Times(n) => n as usize,
        Count::For(_) => usize::MAX,
    };
    let mut out = Vec::new();
    for k in 0..wanted.min(limit) {
        let Some(t) = nth_offset(&phase.schedule, k) else {
            break;
        };
        if let Count::For(span_h) = phase.count {
            if !starts_before(t, span_h) {
                break;
            }
        }
        out.push(t);
    }
    out
}

/// Time of the `k`-th dose of a repeating schedule, relative to its start.
fn nth_offset(schedule: &Schedule, k: usize) -> Option<f64> {
    match schedule {
        Schedule::Once => (k == 0).then_some(0.0),
        Schedule::Every { interval_h } => Some(k as f64 * interval_h),
        Schedule::Weekdays { offsets_d } => {
            let per_week = offsets_d.len();
            let day = offsets_d.get(k.checked_rem(per_week)?)?;
            Some((k / per_week) as f64 * WEEK_H + day * DAY_H)
        }
    }
}

/// `t < end`, with a tolerance so that "daily for 8 w" stops at 56 doses
/// despite rounding in the products.
fn starts_before(t: f64, end: f64) -> bool {
    t < end - 1e-9 * end.abs().max(1.0)
}

/// Doses given and last dose time so far, while parsing.
#[derive(Default)]
struct Timeline {
    doses: usize,
    last_h: Option<f64>,
}

// ---------------------------------------------------------------------------
// Vocabulary.

fn drug_word(w: &str) -> Option<Drug> {
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
enum RouteKind {
    Iv,
    Nasal,
    Oral,
}

impl RouteKind {
    fn of(route: Route) -> RouteKind {
        match route {
            Route::IvInfusion | Route::IvBolus => RouteKind::Iv,
            Route::Nasal => RouteKind::Nasal,
            Route::Oral => RouteKind::Oral,
        }
    }
}

fn route_word(w: &str) -> Option<RouteKind> {
    Some(match w {
        "iv" | "i.v." | "intravenous" => RouteKind::Iv,
        "nasal" | "intranasal" | "in" => RouteKind::Nasal,
        "oral" | "po" | "p.o." => RouteKind::Oral,
        _ => return None,
    })
}

/// Interval of a one-word repeating schedule ("daily", "bid", "q12h").
fn fixed_interval_h(w: &str) -> Option<f64> {
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
fn weekday(w: &str) -> Option<u8> {
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
fn is_keyword(w: &str) -> bool {
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
fn suggestion<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
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

/// The dose a phase gets when it writes none (see the module docs).
fn implied_amount(drug: Drug, prev: Option<&Phase>) -> Option<DoseAmount> {
    match prev {
        Some(p) if p.drug == drug => Some(p.amount),
        _ if drug == Drug::Placebo => Some(DoseAmount::Mg(0.0)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Parser.

/// One whitespace-separated word: byte range in the input and lower case.
struct Word {
    start: usize,
    end: usize,
    lower: String,
}

fn split_words(input: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut start = None;
    let mut push = |s: usize, e: usize| {
        words.push(Word {
            start: s,
            end: e,
            lower: input[s..e].to_lowercase(),
        })
    };
    for (i, c) in input.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                push(s, i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, input.len());
    }
    words
}

/// What a duration is for: names it in messages and sets its rules.
struct DurationRole {
    /// Expected-phrase, e.g. "an infusion time (e.g. 40 min)".
    what: &'static str,
    /// Subject for range errors, e.g. "the infusion time".
    noun: &'static str,
    /// Whether a bare unit means one of it ("every week").
    bare_unit: bool,
}

const OVER: DurationRole = DurationRole {
    what: "an infusion time (e.g. 40 min)",
    noun: "the infusion time",
    bare_unit: false,
};
const AFTER: DurationRole = DurationRole {
    what: "a delay (e.g. 2 w)",
    noun: "the delay",
    bare_unit: false,
};
const EVERY: DurationRole = DurationRole {
    what: "an interval (e.g. 3.5 d)",
    noun: "the interval",
    bare_unit: true,
};
const FOR: DurationRole = DurationRole {
    what: "a treatment length (e.g. 4 w)",
    noun: "the treatment length",
    bare_unit: false,
};

/// Word indices of "bolus" and "infusion", and "over" with its hours.
struct IvModifiers {
    bolus: Option<usize>,
    infusion: Option<usize>,
    over: Option<(usize, f64)>,
}

struct Parser<'a> {
    input: &'a str,
    words: Vec<Word>,
    /// Index of the next word to read.
    pos: usize,
    /// Word range of the last element read, quoted as `after "..."`.
    last: Option<(usize, usize)>,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Self {
        Parser {
            input,
            words: split_words(input),
            pos: 0,
            last: None,
        }
    }

    // --- cursor -------------------------------------------------------------

    fn peek(&self) -> Option<&str> {
        self.words.get(self.pos).map(|w| w.lower.as_str())
    }

    fn peek_owned(&self) -> Option<String> {
        self.peek().map(str::to_owned)
    }

    fn bump(&mut self) {
        self.pos += 1;
    }

    /// Records words `from..pos` as the last element read.
    fn mark(&mut self, from: usize) {
        self.last = Some((from, self.pos));
    }

    /// Consumes the next word if it is `word`, returning its index.
    fn eat(&mut self, word: &str) -> Option<usize> {
        (self.peek() == Some(word)).then(|| {
            self.bump();
            self.pos - 1
        })
    }

    fn raw(&self, i: usize) -> &'a str {
        self.words
            .get(i)
            .map_or("", |w| &self.input[w.start..w.end])
    }

    /// Words `from..to` as written, single-spaced.
    fn text(&self, from: usize, to: usize) -> String {
        (from..to.min(self.words.len()))
            .map(|i| self.raw(i))
            .collect::<Vec<_>>()
            .join(" ")
    }

    // --- errors -------------------------------------------------------------

    fn error_bytes(&self, word: usize, start: usize, end: usize, message: String) -> RegimenError {
        RegimenError {
            input: self.input.to_string(),
            word,
            offset: start,
            len: end - start,
            message,
        }
    }

    /// An error on word `i`, or at the end of the text if there is none.
    fn error_at(&self, i: usize, message: String) -> RegimenError {
        match self.words.get(i) {
            Some(w) => self.error_bytes(i, w.start, w.end, message),
            None => {
                let end = self.words.last().map_or(0, |w| w.end);
                self.error_bytes(self.words.len(), end, end, message)
            }
        }
    }

    /// An error spanning words `from..to`.
    fn error_words(&self, from: usize, to: usize, message: String) -> RegimenError {
        match (
            self.words.get(from),
            to.checked_sub(1).and_then(|t| self.words.get(t)),
        ) {
            (Some(a), Some(b)) if b.end >= a.start => {
                self.error_bytes(from, a.start, b.end, message)
            }
            _ => self.error_at(from, message),
        }
    }

    /// "expected WHAT after "LAST", found "WORD"" at the current word, with
    /// a "did you mean" among `candidates`.
    fn expected(&self, what: &str, candidates: &[&str]) -> RegimenError {
        let after = self
            .last
            .map(|(a, b)| format!(" after \"{}\"", self.text(a, b)))
            .unwrap_or_default();
        let found = match self.peek() {
            Some(w) => {
                let hint = suggestion(w, candidates)
                    .map(|s| format!("; did you mean \"{s}\"?"))
                    .unwrap_or_default();
                format!("\"{}\"{hint}", self.raw(self.pos))
            }
            None => "the end of the regimen".to_string(),
        };
        self.error_at(self.pos, format!("expected {what}{after}, found {found}"))
    }

    fn unknown_drug(&self) -> RegimenError {
        let word = self.peek().unwrap_or("");
        let hint = suggestion(word, &DRUG_NAMES)
            .map(|s| format!("; did you mean \"{s}\"?"))
            .unwrap_or_default();
        self.error_at(
            self.pos,
            format!(
                "unknown drug \"{}\"{hint} (known: ketamine, esketamine, escitalopram, placebo)",
                self.raw(self.pos)
            ),
        )
    }

    // --- grammar ------------------------------------------------------------

    /// One phase; also returns the index of its schedule's first word (for
    /// errors about its size).
    fn phase(&mut self, prev: Option<&Phase>) -> Result<(Phase, usize), RegimenError> {
        let drug_at = self.pos;
        let drug = self.drug(prev)?;
        let amount = self.amount(drug, prev)?;
        let route_at = self.pos;
        let (route, duration_h) = self.route(prev)?;
        if let Some(problem) = routes::problem(drug, route) {
            // Point at the route as written, or at the drug if it was carried.
            return Err(if self.pos > route_at {
                self.error_words(route_at, self.pos, problem)
            } else {
                self.error_at(drug_at, problem)
            });
        }
        let delay_h = self.delay()?;
        let schedule_word = self.pos;
        let (schedule, count) = self.schedule()?;
        let phase = Phase {
            drug,
            amount,
            route,
            duration_h,
            schedule,
            count,
            delay_h,
            concurrent: false,
        };
        Ok((phase, schedule_word))
    }

    fn drug(&mut self, prev: Option<&Phase>) -> Result<Drug, RegimenError> {
        let at = self.pos;
        let word = self.peek().unwrap_or("");
        if let Some(drug) = drug_word(word) {
            self.bump();
            self.mark(at);
            return Ok(drug);
        }
        let name_like = !word.is_empty()
            && word.chars().all(|c| c.is_alphabetic() || c == '-')
            && !is_keyword(word);
        match prev {
            // A later phase may omit the drug, but a near-miss is a typo.
            Some(p) if !(name_like && suggestion(word, &DRUG_NAMES).is_some()) => Ok(p.drug),
            _ if name_like => Err(self.unknown_drug()),
            _ => Err(self.expected(
                "a drug (ketamine, esketamine, escitalopram or placebo)",
                &DRUG_NAMES,
            )),
        }
    }

    fn amount(&mut self, drug: Drug, prev: Option<&Phase>) -> Result<DoseAmount, RegimenError> {
        if self.peek().is_some_and(units::looks_numeric) {
            return self.dose();
        }
        implied_amount(drug, prev).ok_or_else(|| {
            let what = match prev {
                Some(_) => format!(
                    "a dose for {drug} (e.g. 56 mg; doses carry over only within the same drug)"
                ),
                None => format!("a dose for {drug} (e.g. 0.5 mg/kg or 56 mg)"),
            };
            self.expected(&what, &[])
        })
    }

    fn dose(&mut self) -> Result<DoseAmount, RegimenError> {
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
    fn duration(&mut self, role: &DurationRole) -> Result<f64, RegimenError> {
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

    /// Route plus "bolus" / "infusion" / "over D" (see the module docs).
    fn route(&mut self, prev: Option<&Phase>) -> Result<(Route, f64), RegimenError> {
        let at = self.pos;
        let carried = prev.map(|p| (p.route, p.duration_h));
        let kind = match (self.peek().and_then(route_word), carried) {
            (Some(kind), _) => {
                self.bump();
                self.mark(at);
                kind
            }
            (None, Some((route, _))) => RouteKind::of(route),
            (None, None) => {
                return Err(self.expected("a route (iv, nasal or oral)", &ROUTE_WORDS));
            }
        };
        let mods = self.iv_modifiers()?;
        self.check_modifiers(kind, &mods)?;
        if self.pos > at {
            self.mark(at);
        }
        let carried_infusion = match carried {
            Some((Route::IvInfusion, d)) => Some(d),
            _ => None,
        };
        Ok(match kind {
            RouteKind::Nasal => (Route::Nasal, 0.0),
            RouteKind::Oral => (Route::Oral, 0.0),
            RouteKind::Iv => match (mods.bolus, mods.over, carried_infusion) {
                (Some(_), _, _) => (Route::IvBolus, 0.0),
                (None, Some((_, d)), _) | (None, None, Some(d)) => (Route::IvInfusion, d),
                (None, None, None) if mods.infusion.is_some() => {
                    return Err(self.expected("\"over\" and an infusion time", &["over"]));
                }
                (None, None, None) => (Route::IvBolus, 0.0),
            },
        })
    }

    /// Reads the optional "bolus", "infusion" and "over D" after a route.
    fn iv_modifiers(&mut self) -> Result<IvModifiers, RegimenError> {
        let bolus = self.eat("bolus");
        let infusion = self.eat("infusion");
        let over = match self.eat("over") {
            Some(i) => {
                self.mark(i);
                Some((i, self.duration(&OVER)?))
            }
            None => None,
        };
        Ok(IvModifiers {
            bolus,
            infusion,
            over,
        })
    }

    /// Rejects modifiers that contradict the route or each other.
    fn check_modifiers(&self, kind: RouteKind, mods: &IvModifiers) -> Result<(), RegimenError> {
        let timed = mods.infusion.or(mods.over.map(|(i, _)| i));
        if let (Some(i), false) = (mods.bolus.or(timed), kind == RouteKind::Iv) {
            let name = if kind == RouteKind::Nasal {
                "nasal"
            } else {
                "oral"
            };
            let msg = format!("\"{}\" applies only to iv doses, not {name}", self.raw(i));
            return Err(self.error_at(i, msg));
        }
        if let (Some(_), Some(i)) = (mods.bolus, timed) {
            let msg = format!(
                "a bolus has no infusion time; remove \"bolus\" or \"{}\"",
                self.raw(i)
            );
            return Err(self.error_at(i, msg));
        }
        Ok(())
    }

    /// "after D", or no delay.
    fn delay(&mut self) -> Result<f64, RegimenError> {
        let at = self.pos;
        if self.eat("after").is_none() {
            return Ok(0.0);
        }
        self.mark(at);
        let d = self.duration(&AFTER)?;
        self.mark(at);
        Ok(d)
    }

    fn schedule(&mut self) -> Result<(Schedule, Count), RegimenError> {
        let at = self.pos;
        let word = self.peek_owned().unwrap_or_default();
        let schedule = match word.as_str() {
            "once" => {
                self.bump();
                // "once daily" / "once weekly" repeat; a bare "once" does not.
                let interval_h = match self.peek() {
                    Some("daily") => 24.0,
                    Some("weekly") => 168.0,
                    _ => {
                        self.mark(at);
                        return Ok((Schedule::Once, Count::Times(1)));
                    }
                };
                self.bump();
                Schedule::Every { interval_h }
            }
            "every" => {
                self.bump();
                self.mark(at);
                Schedule::Every {
                    interval_h: self.duration(&EVERY)?,
                }
            }
            "twice" => {
                self.bump();
                let interval_h = match self.peek() {
                    Some("daily") => 12.0,
                    Some("weekly") => 84.0,
                    _ => {
                        self.mark(at);
                        return Err(self.expected("\"daily\" or \"weekly\"", &["daily", "weekly"]));
                    }
                };
                self.bump();
                Schedule::Every { interval_h }
            }
            "on" => {
                self.bump();
                self.mark(at);
                Schedule::Weekdays {
                    offsets_d: self.weekdays()?,
                }
            }
            w => match fixed_interval_h(w) {
                Some(interval_h) => {
                    self.bump();
                    if !(units::MIN_DURATION_H..=MAX_SPAN_H).contains(&interval_h) {
                        let msg = format!(
                            "the interval must be between 1 min and 5 years, found \"{}\"",
                            self.raw(at)
                        );
                        return Err(self.error_at(at, msg));
                    }
                    Schedule::Every { interval_h }
                }
                None => return Err(self.expected(SCHEDULE_EXPECTED, &SCHEDULE_WORDS)),
            },
        };
        self.mark(at);
        let count = self.count()?;
        Ok((schedule, count))
    }

    /// "x N", "xN" or "for D".
    fn count(&mut self) -> Result<Count, RegimenError> {
        let at = self.pos;
        let word = self.peek_owned().unwrap_or_default();
        if self.eat("for").is_some() {
            self.mark(at);
            let d = self.duration(&FOR)?;
            self.mark(at);
            return Ok(Count::For(d));
        }
        let number = match word.strip_prefix('x').or_else(|| word.strip_prefix('×')) {
            Some("") => {
                self.bump();
                self.mark(at);
                match self.peek_owned() {
                    Some(n) if units::looks_numeric(&n) => n,
                    _ => return Err(self.expected("the number of doses", &[])),
                }
            }
            Some(n) if units::looks_numeric(n) => n.to_string(),
            _ => return Err(self.expected(COUNT_EXPECTED, &["x", "for"])),
        };
        let n = self.dose_count(&number)?;
        self.bump();
        // "x 6 doses" reads naturally; the word adds nothing.
        if matches!(self.peek(), Some("doses" | "dose" | "times")) {
            self.bump();
        }
        self.mark(at);
        Ok(Count::Times(n))
    }

    /// Checks the number of doses `text` of the current word.
    fn dose_count(&self, text: &str) -> Result<u32, RegimenError> {
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

    /// Weekday list after "on": "mon,wed,fri", "mon, wed, fri" or
    /// "mon wed fri". Returns day offsets from the first listed day, sorted.
    fn weekdays(&mut self) -> Result<Vec<f64>, RegimenError> {
        let first = self.pos;
        let mut days: Vec<u8> = Vec::new();
        while let Some(w) = self.words.get(self.pos) {
            let raw = &self.input[w.start..w.end];
            let continues = self.pos == first
                || self.raw(self.pos - 1).ends_with(',')
                || raw.starts_with(',')
                || looks_like_day_list(&w.lower);
            if !continues {
                break;
            }
            for (start, piece) in comma_pieces(raw) {
                let lower = piece.to_lowercase();
                let Some(day) = weekday(&lower) else {
                    let hint = suggestion(&lower, &DAY_NAMES)
                        .map(|s| format!("; did you mean \"{s}\"?"))
                        .unwrap_or_default();
                    let msg = format!(
                        "unknown weekday \"{piece}\"; use mon, tue, wed, thu, fri, sat or sun{hint}"
                    );
                    return Err(self.piece_error(start, piece, msg));
                };
                if days.contains(&day) {
                    let msg = format!("\"{piece}\" is listed twice");
                    return Err(self.piece_error(start, piece, msg));
                }
                days.push(day);
            }
            self.bump();
        }
        let Some(&first_day) = days.first() else {
            self.pos = first;
            return Err(self.expected("weekdays such as mon,wed,fri", &DAY_NAMES));
        };
        let mut offsets: Vec<f64> = days
            .iter()
            .map(|&d| f64::from((d + 7 - first_day) % 7))
            .collect();
        offsets.sort_by(f64::total_cmp);
        Ok(offsets)
    }

    /// An error on `piece`, which starts `start` bytes into the current word.
    fn piece_error(&self, start: usize, piece: &str, message: String) -> RegimenError {
        let offset = self.words[self.pos].start + start;
        self.error_bytes(self.pos, offset, offset + piece.len(), message)
    }

    /// Checks that the regimen so far stays within [`MAX_DOSES`] and
    /// [`MAX_SPAN_H`], then advances `timeline` past `phase`.
    fn check_limits(
        &self,
        phase: &Phase,
        schedule_word: usize,
        timeline: &mut Timeline,
    ) -> Result<(), RegimenError> {
        let room = MAX_DOSES - timeline.doses;
        let offsets = dose_offsets(phase, room + 1);
        if offsets.len() > room {
            let msg = format!("the regimen would give more than {MAX_DOSES} doses");
            return Err(self.error_words(schedule_word, self.pos, msg));
        }
        let start = phase_start(phase, timeline.last_h);
        let last_h = offsets.last().map_or(start, |o| start + o);
        let end_h = last_h + phase.duration_h;
        if end_h.is_nan() || end_h > MAX_SPAN_H {
            let msg = "the regimen would last longer than 5 years".to_string();
            return Err(self.error_words(schedule_word, self.pos, msg));
        }
        timeline.doses += offsets.len();
        timeline.last_h = Some(last_h);
        Ok(())
    }
}

/// True when every comma-separated piece of `w` is (nearly) a weekday, so a
/// space-separated list goes on ("on mon wed fri", or a typo like "fry").
fn looks_like_day_list(w: &str) -> bool {
    !is_keyword(w)
        && comma_pieces(w).next().is_some()
        && comma_pieces(w).all(|(_, p)| weekday(p).is_some() || suggestion(p, &DAY_NAMES).is_some())
}

/// Non-empty comma-separated pieces of `s` with their byte offsets.
fn comma_pieces(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split(',')
        .scan(0, |pos, piece| {
            let start = *pos;
            *pos += piece.len() + 1;
            Some((start, piece))
        })
        .filter(|(_, p)| !p.is_empty())
}

// ---------------------------------------------------------------------------
// Formatting.

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

pub(super) fn format_route(route: Route, duration_h: f64) -> String {
    match route {
        Route::IvInfusion => format!("iv over {}", units::format_duration_exact(duration_h)),
        Route::IvBolus => "iv bolus".to_string(),
        Route::Nasal => "nasal".to_string(),
        Route::Oral => "oral".to_string(),
    }
}

pub(super) fn format_schedule(schedule: &Schedule) -> String {
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

    fn days(events: &[DoseEvent]) -> Vec<f64> {
        events.iter().map(|e| e.time_h / 24.0).collect()
    }

    fn assert_days(text: &str, expected: &[f64]) -> Vec<DoseEvent> {
        let events = expand(&parse(text).unwrap_or_else(|e| panic!("{e}")));
        let got = days(&events);
        assert_eq!(got.len(), expected.len(), "{text}: {got:?}");
        for (g, e) in got.iter().zip(expected) {
            assert!((g - e).abs() < 1e-9, "{text}: {got:?} != {expected:?}");
        }
        events
    }

    fn err(text: &str) -> RegimenError {
        match parse(text) {
            Ok(r) => panic!("{text:?} parsed as {r:?}"),
            Err(e) => e,
        }
    }

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

    /// `+` gives strands alongside each other, each from time 0, and reads
    /// back from its canonical text.
    #[test]
    fn combined_regimens_run_alongside() {
        let text =
            "esketamine 56 mg nasal twice weekly for 4 w + escitalopram 10 mg oral daily for 4 w";
        let r = parse(text).unwrap();
        assert!(!r.phases[0].concurrent && r.phases[1].concurrent);
        let ev = expand(&r);
        let esk: Vec<f64> = ev
            .iter()
            .filter(|e| e.drug == Drug::Esketamine)
            .map(|e| e.time_h)
            .collect();
        let esc: Vec<f64> = ev
            .iter()
            .filter(|e| e.drug == Drug::Escitalopram)
            .map(|e| e.time_h)
            .collect();
        assert_eq!(esk.len(), 8);
        assert_eq!(esc.len(), 28);
        assert_eq!((esk[0], esc[0], esc[1]), (0.0, 0.0, 24.0));
        assert!(ev.windows(2).all(|w| w[0].time_h <= w[1].time_h));
        assert_eq!(parse(&format(&r)).unwrap(), r);
        // A strand may have phases of its own, and wait with `after`.
        let r = parse("ketamine 0.5 mg/kg iv over 40 min once then every 7 d x 2 + escitalopram 10 mg oral after 2 d daily x 2").unwrap();
        assert_eq!(days(&expand(&r)), vec![0.0, 2.0, 3.0, 7.0, 14.0]);
        assert_eq!(parse(&format(&r)).unwrap(), r);
        // Nothing is carried over across `+`.
        assert!(err("esketamine 56 mg nasal once + 10 mg oral daily x 3")
            .to_string()
            .contains("after \"+\""));
    }

    #[test]
    fn twice_weekly_infusions() {
        let ev = assert_days(
            "ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 6",
            &[0.0, 3.5, 7.0, 10.5, 14.0, 17.5],
        );
        for e in &ev {
            assert_eq!(e.drug, Drug::Ketamine);
            assert_eq!(e.route, Route::IvInfusion);
            assert_eq!(e.amount, DoseAmount::MgPerKg(0.5));
            assert!((e.duration_h - 0.666_666_7).abs() < 1e-6);
        }
        assert_eq!(ev[1].time_h, 84.0);
    }

    #[test]
    fn weekday_infusions() {
        let r = parse("ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6").unwrap();
        assert_eq!(
            r.phases[0].schedule,
            Schedule::Weekdays {
                offsets_d: vec![0.0, 2.0, 4.0]
            }
        );
        assert_days(
            "ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6",
            &[0.0, 2.0, 4.0, 7.0, 9.0, 11.0],
        );
        assert_days("ketamine 35 mg iv on fri,mon x 4", &[0.0, 3.0, 7.0, 10.0]);
        assert_days(
            "ketamine 35 mg iv on Monday, Wednesday, Friday for 2 w",
            &[0.0, 2.0, 4.0, 7.0, 9.0, 11.0],
        );
        assert_days("ketamine 35 mg iv on mon wed x 3", &[0.0, 2.0, 7.0]);
    }

    #[test]
    fn weekday_then_monthly_maintenance() {
        let ev = assert_days(
            "ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6 then every 4 w x 3",
            &[0.0, 2.0, 4.0, 7.0, 9.0, 11.0, 39.0, 67.0, 95.0],
        );
        // Route, dose and infusion time carry over.
        assert!(ev
            .iter()
            .all(|e| e.route == Route::IvInfusion && e.amount == DoseAmount::MgPerKg(0.5)));
    }

    #[test]
    fn esketamine_induction_then_maintenance() {
        let ev = assert_days(
            "esketamine 56 mg nasal twice weekly for 4 w then 84 mg weekly for 4 w",
            &[
                0.0, 3.5, 7.0, 10.5, 14.0, 17.5, 21.0, 24.5, 31.5, 38.5, 45.5, 52.5,
            ],
        );
        assert!(ev[..8].iter().all(|e| e.amount == DoseAmount::Mg(56.0)));
        assert!(ev[8..].iter().all(|e| e.amount == DoseAmount::Mg(84.0)));
        assert!(ev
            .iter()
            .all(|e| e.route == Route::Nasal && e.duration_h == 0.0));
    }

    #[test]
    fn four_phase_esketamine() {
        let ev = assert_days(
            "esketamine 56 mg nasal once then 84 mg twice weekly x 7 then weekly for 4 w then every 2 w x 4",
            &[
                0.0, 3.5, 7.0, 10.5, 14.0, 17.5, 21.0, 24.5, 31.5, 38.5, 45.5, 52.5, 66.5, 80.5,
                94.5, 108.5,
            ],
        );
        assert_eq!(ev[0].amount, DoseAmount::Mg(56.0));
        assert!(ev[1..].iter().all(|e| e.amount == DoseAmount::Mg(84.0)));
    }

    #[test]
    fn daily_ssri() {
        let ev = expand(&parse("escitalopram 10 mg oral daily for 8 w").unwrap());
        assert_eq!(ev.len(), 56);
        for (k, e) in ev.iter().enumerate() {
            assert_eq!(e.time_h, 24.0 * k as f64);
            assert_eq!(e.route, Route::Oral);
            assert_eq!(e.amount, DoseAmount::Mg(10.0));
        }
    }

    #[test]
    fn single_doses() {
        for text in ["placebo iv over 40 min once", "saline iv over 40 min once"] {
            let ev = expand(&parse(text).unwrap());
            assert_eq!(ev.len(), 1);
            assert_eq!(ev[0].drug, Drug::Placebo);
            assert_eq!(ev[0].amount, DoseAmount::Mg(0.0));
            assert_eq!(ev[0].route, Route::IvInfusion);
            assert_eq!(ev[0].time_h, 0.0);
        }
        let bolus = parse("ketamine 0.5 mg/kg iv bolus once").unwrap();
        assert_eq!(bolus.phases[0].route, Route::IvBolus);
        assert_eq!(bolus.phases[0].duration_h, 0.0);
        let plain = parse("ketamine 35 mg iv once").unwrap();
        assert_eq!(plain.phases[0].route, Route::IvBolus);
        assert_eq!(plain.phases[0].amount, DoseAmount::Mg(35.0));
    }

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

    #[test]
    fn delays_and_gaps() {
        // `after` on the first phase postpones the first dose.
        assert_days("ketamine 35 mg iv after 2 d every 1 d x 2", &[2.0, 3.0]);
        // `after` on a later phase replaces the interval.
        assert_days(
            "ketamine 35 mg iv every 1 w x 2 then after 2 d every 4 w x 2",
            &[0.0, 7.0, 9.0, 37.0],
        );
        // A `once` or weekday phase after another starts one day later.
        assert_days(
            "ketamine 35 mg iv every 1 w x 2 then once",
            &[0.0, 7.0, 8.0],
        );
        assert_days(
            "ketamine 35 mg iv once then on mon,wed x 2",
            &[0.0, 1.0, 3.0],
        );
    }

    #[test]
    fn carried_values() {
        let r = parse("ketamine 0.5 mg/kg iv over 40 min once then iv once then iv bolus once")
            .unwrap();
        assert_eq!(r.phases[1].route, Route::IvInfusion);
        assert_eq!(r.phases[1].duration_h, 40.0 / 60.0);
        assert_eq!(r.phases[2].route, Route::IvBolus);
        let r = parse("ketamine 0.5 mg/kg iv once then over 20 min once").unwrap();
        assert_eq!(r.phases[1].route, Route::IvInfusion);
        assert_eq!(r.phases[1].duration_h, 20.0 / 60.0);
        let r = parse("ketamine 0.5 mg/kg iv over 40 min once then placebo once").unwrap();
        assert_eq!(r.phases[1].amount, DoseAmount::Mg(0.0));
        assert_eq!(r.phases[1].route, Route::IvInfusion);
        // A new drug needs its own dose.
        let e = err("ketamine 0.5 mg/kg iv once then esketamine nasal once");
        assert_eq!(e.word, 7);
        assert!(e.message.contains("a dose for esketamine"), "{}", e.message);
    }

    #[test]
    fn error_display_points_at_the_word() {
        let e = err("ketamine 0.5 mg/kg intramuscular over 40 min");
        assert_eq!(e.word, 3);
        assert_eq!(e.offset, 19);
        assert_eq!(
            e.to_string(),
            "could not read the regimen: expected a route (iv, nasal or oral) after \"0.5 mg/kg\", \
             found \"intramuscular\"\n  ketamine 0.5 mg/kg intramuscular over 40 min\n                     ^^^^^^^^^^^^^"
        );
    }

    #[test]
    fn unknown_drug_suggests_a_name() {
        let e = err("ketamin 0.5 mg/kg iv once");
        assert_eq!(
            e.message,
            "unknown drug \"ketamin\"; did you mean \"ketamine\"? \
             (known: ketamine, esketamine, escitalopram, placebo)"
        );
        assert_eq!(e.word, 0);
        assert!(
            e.message.contains("did you mean \"ketamine\"?"),
            "{}",
            e.message
        );
        let e = err("escitalopramm 10 mg oral daily x 3");
        assert!(e.message.contains("\"escitalopram\""), "{}", e.message);
        let e = err("aspirin 100 mg oral once");
        assert_eq!(
            e.message,
            "unknown drug \"aspirin\" (known: ketamine, esketamine, escitalopram, placebo)"
        );
        let e = err("ketamine 35 mg iv once then esketamin 56 mg nasal once");
        assert_eq!(e.word, 6);
        assert!(
            e.message.contains("did you mean \"esketamine\"?"),
            "{}",
            e.message
        );
        let e = err("35 mg iv once");
        assert_eq!(e.word, 0);
        assert!(e.message.starts_with("expected a drug"), "{}", e.message);
    }

    #[test]
    fn missing_count() {
        let e = err("ketamine 0.5 mg/kg iv over 40 min every 3.5 d");
        assert_eq!(e.word, 10);
        assert_eq!(e.len, 0);
        assert_eq!(
            e.message,
            "expected a count (x N or for DURATION) after \"every 3.5 d\", found the end of the regimen"
        );
        assert!(e
            .to_string()
            .ends_with("every 3.5 d\n                                                ^"));
        let e = err("escitalopram 10 mg oral daily then weekly x 2");
        assert_eq!(e.word, 5);
        let e = err("escitalopram 10 mg oral daily x");
        assert_eq!(e.word, 6);
        assert!(e.message.contains("the number of doses"));
    }

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
    fn unknown_weekday() {
        let e = err("ketamine 35 mg iv on mon,wed,fry x 6");
        assert_eq!(e.word, 5);
        assert_eq!(e.offset, "ketamine 35 mg iv on mon,wed,".len());
        assert_eq!(e.len, 3);
        assert!(e.message.contains("did you mean \"fri\"?"), "{}", e.message);
        assert!(e
            .to_string()
            .ends_with("                               ^^^"));
        let e = err("ketamine 35 mg iv on mon wed fry x 6");
        assert_eq!(e.word, 7);
        let e = err("ketamine 35 mg iv on mon,mon x 6");
        assert!(e.message.contains("listed twice"));
        let e = err("ketamine 35 mg iv on x 6");
        assert_eq!(e.word, 5);
        let e = err("ketamine 35 mg iv on");
        assert_eq!(e.word, 5);
        assert!(e.message.contains("weekdays"));
    }

    #[test]
    fn over_without_duration() {
        let e = err("ketamine 0.5 mg/kg iv over once");
        assert_eq!(e.word, 5);
        assert_eq!(
            e.message,
            "expected an infusion time (e.g. 40 min) after \"over\", found \"once\""
        );
        let e = err("ketamine 0.5 mg/kg iv over");
        assert_eq!(e.word, 5);
        let e = err("esketamine 56 mg nasal over 5 min once");
        assert_eq!(e.word, 4);
        assert!(e.message.contains("only to iv"));
        let e = err("ketamine 0.5 mg/kg iv bolus over 5 min once");
        assert_eq!(e.word, 5);
        let e = err("ketamine 0.5 mg/kg iv infusion once");
        assert_eq!(e.word, 5);
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

    #[test]
    fn empty_and_trailing() {
        for text in ["", "   ", "\n\t"] {
            let e = err(text);
            assert_eq!(e.word, 0);
            assert!(e.message.contains("empty"));
        }
        let e = err("ketamine 35 mg iv once please");
        assert_eq!(e.word, 5);
        assert!(
            e.message.contains("\"then\", \"+\" or the end"),
            "{}",
            e.message
        );
        let e = err("ketamine 35 mg iv once then");
        assert_eq!(e.word, 6);
        let e = err("ketamine 35 mg iv daily x 3 then then");
        assert_eq!(e.word, 8);
    }

    #[test]
    fn size_limits() {
        let e = err("escitalopram 10 mg oral every 1 min for 1 w");
        assert_eq!(e.word, 4);
        assert!(e.message.contains("10000 doses"));
        let e = err("escitalopram 10 mg oral hourly x 6000 then hourly x 6000");
        assert_eq!(e.word, 8);
        let e = err("escitalopram 10 mg oral every 1 w x 300");
        assert!(e.message.contains("5 years"), "{}", e.message);
        assert!(parse("escitalopram 10 mg oral hourly x 10000").is_ok());
        let e = err("escitalopram 10 mg oral every 1e300 h x 2");
        assert_eq!(e.word, 5);
    }

    #[test]
    fn multiline_display() {
        let e = err("ketamine 0.5 mg/kg iv over 40 min\n\tevery 3.5 dayz x 6");
        let shown = e.to_string();
        assert!(
            shown.ends_with("   every 3.5 dayz x 6\n             ^^^^"),
            "{shown}"
        );
    }

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

    #[test]
    fn expand_survives_hand_made_regimens() {
        let mut r = parse("ketamine 35 mg iv daily for 4 w").unwrap();
        r = r.with_interval_d(0.0);
        assert_eq!(expand(&r).len(), MAX_DOSES);
        r.phases[0].schedule = Schedule::Weekdays { offsets_d: vec![] };
        assert!(expand(&r).is_empty());
        r.phases[0].schedule = Schedule::Every {
            interval_h: f64::NAN,
        };
        assert!(expand(&r).len() <= MAX_DOSES);
        let _ = format(&r);
        let odd = RegimenError {
            input: "µµµ".to_string(),
            word: 9,
            offset: 1,
            len: 99,
            message: String::new(),
        };
        let _ = odd.to_string();
    }

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

    /// Drug x route follows the one table: what it lists parses, the rest is
    /// refused at the route (or at the drug, when the route is carried over).
    #[test]
    fn routes_follow_the_drug_route_table() {
        for row in routes::ROUTES {
            for route in [Route::IvInfusion, Route::IvBolus, Route::Nasal, Route::Oral] {
                let text = format!(
                    "{} 10 mg {} once",
                    row.drug.name(),
                    format_route(route, 1.0)
                );
                match parse(&text) {
                    Ok(r) => {
                        assert!(row.routes.contains(&route), "{text} parsed");
                        assert_eq!(r.phases[0].route, route);
                    }
                    Err(e) => {
                        assert!(!row.routes.contains(&route), "{text}: {e}");
                        assert!(
                            e.message.contains(row.drug.name())
                                && e.message.contains(&routes::routes_text(row.drug)),
                            "{e}"
                        );
                    }
                }
            }
        }
        let e = err("escitalopram 10 mg nasal once");
        assert_eq!(e.offset, "escitalopram 10 mg ".len());
        let e = err("ketamine 35 mg nasal once then escitalopram 10 mg once");
        assert_eq!(e.offset, "ketamine 35 mg nasal once then ".len());
    }
}
