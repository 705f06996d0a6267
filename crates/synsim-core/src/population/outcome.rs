//! One patient's outcomes, computed on the fly from the output rows.
//!
//! Definitions (all times in hours since the first dose):
//!
//! - score at 24 h, 7 d, 28 d, 56 d: interpolated linearly between output
//!   rows (exact when the time is on the output grid); none when the run
//!   is shorter.
//! - "end": 24 h after the last dose (none without doses or when the run
//!   ends earlier).
//! - responder: score at or below half of the patient's own baseline;
//!   remitter: score at or below 10 (MADRS convention).
//! - time to response: first output time at or after the first dose at
//!   which the patient is a responder.
//! - relapse: for a responder at "end", days from the last dose to the first
//!   later output time at which the criterion is no longer met; none when
//!   still responding at the end of the run (censored) or not a responder.
//! - days in response: the time from the first dose to the end of the run
//!   during which the patient is a responder, each output row standing for
//!   the time until the next one (the output grid may be graded: dense
//!   after doses, sparser later).

use crate::model::Observables;
use crate::symptom::{self, Symptom};

/// Outcome times of patients.csv, hours since the first dose.
pub const FIXED_TIMES_H: [(&str, f64); 4] = [
    ("24h", 24.0),
    ("7d", 168.0),
    ("28d", 672.0),
    ("56d", 1344.0),
];

/// The score at one outcome time and what it means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Score.
    pub score: f64,
    /// Meets the response criterion.
    pub responder: bool,
    /// Meets the remission criterion.
    pub remitter: bool,
}

/// Everything patients.csv and the sweeps need about one patient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Untreated score.
    pub baseline_score: f64,
    /// Scores at 24 h, 7 d, 28 d and 56 d ([`FIXED_TIMES_H`]).
    pub at: [Option<Point>; 4],
    /// Score 24 h after the last dose.
    pub end: Option<Point>,
    /// Hours from the first dose to the first response.
    pub time_to_response_h: Option<f64>,
    /// Days from the last dose until a responder at "end" stops responding.
    pub relapse_d: Option<f64>,
    /// Lowest score from the first dose on.
    pub best_score: f64,
    /// Days in response from the first dose to the end of the run.
    pub days_in_response: f64,
    /// Highest dissociation proxy from the first dose on (0–1).
    pub peak_dissociation: f64,
}

/// Streaming computation of an [`Outcome`].
#[derive(Debug, Clone)]
pub struct Tracker {
    targets: [f64; 5],
    found: [Option<Point>; 5],
    last_dose_h: Option<f64>,
    dt_h: f64,
    end_h: f64,
    prev: Option<(f64, f64)>,
    out: Outcome,
    hours_in_response: f64,
    /// The previous row's time if it counts towards the time in response.
    responding_since: Option<f64>,
    relapse_watch: bool,
}

impl Tracker {
    /// A tracker for a run whose output step is `dt_h`, whose last output
    /// time is `end_h`, and whose last dose starts at `last_dose_h`.
    pub fn new(baseline_score: f64, last_dose_h: Option<f64>, dt_h: f64, end_h: f64) -> Tracker {
        let end_target = last_dose_h.map_or(f64::INFINITY, |t| t + 24.0);
        let mut targets = [f64::INFINITY; 5];
        for (k, (_, t)) in FIXED_TIMES_H.iter().enumerate() {
            targets[k] = *t;
        }
        targets[4] = end_target;
        Tracker {
            targets,
            found: [None; 5],
            last_dose_h,
            dt_h,
            end_h,
            prev: None,
            out: Outcome {
                baseline_score,
                at: [None; 4],
                end: None,
                time_to_response_h: None,
                relapse_d: None,
                best_score: f64::INFINITY,
                days_in_response: 0.0,
                peak_dissociation: 0.0,
            },
            hours_in_response: 0.0,
            responding_since: None,
            relapse_watch: false,
        }
    }

    /// Feeds the next output row; returns (responder, remitter) at this row.
    pub fn feed(&mut self, sym: &Symptom, o: &Observables) -> (bool, bool) {
        let (t, s) = (o.time_h, o.symptom_score);
        let responder = sym.is_response(s);
        let remitter = symptom::is_remission(s);
        for k in 0..5 {
            if self.found[k].is_none() && t >= self.targets[k] {
                let score = match self.prev {
                    Some((t0, s0)) if t0 < self.targets[k] && t > t0 => {
                        let w = (self.targets[k] - t0) / (t - t0);
                        s0 * (1.0 - w) + s * w
                    }
                    _ => s,
                };
                self.found[k] = Some(Point {
                    score,
                    responder: sym.is_response(score),
                    remitter: symptom::is_remission(score),
                });
                if k == 4 {
                    self.relapse_watch = self.found[4].is_some_and(|p| p.responder);
                }
                continue;
            }
        }
        if self.relapse_watch && t > self.targets[4] && !responder {
            let last = self.last_dose_h.unwrap_or(0.0);
            self.out.relapse_d = Some((t - last) / 24.0);
            self.relapse_watch = false;
        }
        if t >= 0.0 {
            if responder && self.out.time_to_response_h.is_none() {
                self.out.time_to_response_h = Some(t);
            }
            if let Some(t0) = self.responding_since.take() {
                self.hours_in_response += t - t0;
            }
            if responder && t < self.end_h {
                self.responding_since = Some(t);
            }
            self.out.best_score = self.out.best_score.min(s);
            self.out.peak_dissociation = self.out.peak_dissociation.max(o.dissociation);
        }
        self.prev = Some((t, s));
        (responder, remitter)
    }

    /// Raises the peak dissociation with a value seen elsewhere (a finer
    /// look at the first dose).
    pub fn see_dissociation(&mut self, d: f64) {
        self.out.peak_dissociation = self.out.peak_dissociation.max(d);
    }

    /// The outcome after the last row.
    pub fn finish(mut self) -> Outcome {
        self.out.at.copy_from_slice(&self.found[..4]);
        self.out.end = self.found[4];
        if let Some(t0) = self.responding_since.take() {
            // A responding last row before the end stands for one step.
            self.hours_in_response += (self.end_h - t0).min(self.dt_h);
        }
        self.out.days_in_response = self.hours_in_response / 24.0;
        if !self.out.best_score.is_finite() {
            self.out.best_score = f64::NAN;
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    fn row(t: f64, s: f64) -> Observables {
        Observables {
            time_h: t,
            symptom_score: s,
            ..Default::default()
        }
    }

    #[test]
    fn response_relapse_and_interpolation() {
        let sym = Symptom::new(&Params::default());
        let base = sym.baseline_score();
        // Responds from 10 h, dose at 0 h, response lost at 100 h.
        let mut tr = Tracker::new(base, Some(0.0), 2.0, 200.0);
        let mut t = -4.0;
        while t <= 200.0 + 1e-9 {
            let s = if (10.0..100.0).contains(&t) {
                0.3 * base
            } else {
                base
            };
            tr.feed(&sym, &row(t, s));
            t += 2.0;
        }
        let o = tr.finish();
        assert_eq!(o.time_to_response_h, Some(10.0));
        assert!(o.at[0].unwrap().responder && o.end.unwrap().responder);
        assert_eq!(o.relapse_d, Some(100.0 / 24.0));
        assert!(!o.at[1].unwrap().responder);
        assert!(o.at[2].is_none() && o.at[3].is_none());
        assert!((o.days_in_response - 90.0 / 24.0).abs() < 1e-12);
        assert_eq!(o.best_score, 0.3 * base);
    }

    #[test]
    fn still_responding_at_the_end_is_censored() {
        let sym = Symptom::new(&Params::default());
        let mut tr = Tracker::new(sym.baseline_score(), Some(0.0), 1.0, 48.0);
        for k in 0..=48 {
            tr.feed(&sym, &row(f64::from(k), 1.0));
        }
        let o = tr.finish();
        assert!(o.end.unwrap().responder && o.end.unwrap().remitter);
        assert_eq!(o.relapse_d, None);
    }

    #[test]
    fn off_grid_times_are_interpolated() {
        let sym = Symptom::new(&Params::default());
        let mut tr = Tracker::new(sym.baseline_score(), None, 5.0, 30.0);
        for k in 0..=6 {
            tr.feed(&sym, &row(f64::from(k) * 5.0, f64::from(k) * 5.0));
        }
        let o = tr.finish();
        assert!((o.at[0].unwrap().score - 24.0).abs() < 1e-12);
        assert!(o.end.is_none());
    }
}
