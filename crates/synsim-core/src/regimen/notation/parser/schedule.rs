//! Reading the when of a phase: its delay ("after"), its schedule (once,
//! every, the one-word schedules, weekdays) and its count ("x N", "for D").

use super::quantity::{AFTER, EVERY, FOR};
use super::Parser;
use crate::regimen::notation::error::RegimenError;
use crate::regimen::notation::words::{
    fixed_interval_h, is_keyword, suggestion, weekday, DAY_NAMES, SCHEDULE_WORDS,
};
use crate::regimen::notation::MAX_SPAN_H;
use crate::regimen::{Count, Schedule};
use crate::units;

/// What may stand where a schedule is expected.
const SCHEDULE_EXPECTED: &str =
    "a schedule (once, every 3.5 d, daily, weekly, twice weekly or on mon,wed,fri)";
/// What may stand where a count is expected.
const COUNT_EXPECTED: &str = "a count (x N or for DURATION)";

impl Parser<'_> {
    /// "after D", or no delay.
    pub(super) fn delay(&mut self) -> Result<f64, RegimenError> {
        let at = self.pos;
        if self.eat("after").is_none() {
            return Ok(0.0);
        }
        self.mark(at);
        let d = self.duration(&AFTER)?;
        self.mark(at);
        Ok(d)
    }

    /// The schedule and its count ("once" has no count).
    pub(super) fn schedule(&mut self) -> Result<(Schedule, Count), RegimenError> {
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

#[cfg(test)]
mod tests {
    use crate::regimen::notation::parse;
    use crate::regimen::notation::testing::{assert_days, err};
    use crate::regimen::Schedule;

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
}
