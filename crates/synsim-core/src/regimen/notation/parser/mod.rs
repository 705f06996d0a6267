//! The parser: reads the notation word by word into phases, checking
//! each against the drug x route table and the whole against the size
//! limits. This file holds the entry point, the word cursor and the error
//! builders; [`phase`] reads a phase's drug, dose and route, [`schedule`]
//! its timing and [`quantity`] the numbers with units they contain.

mod phase;
mod quantity;
mod schedule;

use super::error::RegimenError;
use super::expansion::{dose_offsets, phase_start};
use super::words::suggestion;
use super::{MAX_DOSES, MAX_SPAN_H};
use crate::regimen::{Phase, Regimen};

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

/// Doses given and last dose time so far, while parsing.
#[derive(Default)]
struct Timeline {
    doses: usize,
    last_h: Option<f64>,
}

/// One whitespace-separated word: byte range in the input and lower case.
struct Word {
    start: usize,
    end: usize,
    lower: String,
}

/// The words of `input`, split at whitespace.
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

/// The cursor over the words of one regimen text.
struct Parser<'a> {
    input: &'a str,
    words: Vec<Word>,
    /// Index of the next word to read.
    pos: usize,
    /// Word range of the last element read, quoted as `after "..."`.
    last: Option<(usize, usize)>,
}

impl<'a> Parser<'a> {
    /// A parser at the first word of `input`.
    fn new(input: &'a str) -> Self {
        Parser {
            input,
            words: split_words(input),
            pos: 0,
            last: None,
        }
    }

    // --- cursor -------------------------------------------------------------

    /// The next word, lower case.
    fn peek(&self) -> Option<&str> {
        self.words.get(self.pos).map(|w| w.lower.as_str())
    }

    /// The next word, lower case, owned (to read on while holding it).
    fn peek_owned(&self) -> Option<String> {
        self.peek().map(str::to_owned)
    }

    /// Moves past the next word.
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

    /// Word `i` as written, or "" past the end.
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

    /// An error on bytes `start..end`, reported as word `word`.
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

    // --- limits -------------------------------------------------------------

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regimen::notation::testing::err;

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
}
