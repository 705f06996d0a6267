//! The illustrative MADRS-like score, response and remission.
//!
//! ```text
//! D     = (max(0, 1 - S) / deficit)^synapse_exponent · (1 - R) · (1 - X)
//! score = healthy_score + (baseline_score - healthy_score) · D
//! R     = rapid_max · P / (P + rapid_k)       (acute synaptic potentiation)
//! ```
//!
//! `deficit` is the patient's own synapse deficit, so the untreated score is
//! `patient.baseline_score`; `X` is the expectancy (placebo) relief.
//! Response: score at or below half the baseline. Remission: score <= 10.

use crate::params::{id, Params};

/// MADRS remission cut-off (points).
pub const REMISSION_SCORE: f64 = 10.0;
/// Response: fall of at least this fraction from baseline.
pub const RESPONSE_FRACTION: f64 = 0.5;

/// Score constants for one patient.
#[derive(Debug, Clone)]
pub struct Symptom {
    healthy: f64,
    baseline: f64,
    deficit: f64,
    exponent: f64,
    rapid_max: f64,
    rapid_k: f64,
    /// Expectancy drive renewed by each session: G = max(G, placebo_gain).
    pub placebo_gain: f64,
    /// Expectancy drive decay time constant, hours.
    pub placebo_tau_h: f64,
    /// Rise time constant of the felt expectancy X towards G, hours.
    pub placebo_rise_h: f64,
}

impl Symptom {
    /// Reads `symptom.*` and the patient's severity.
    pub fn new(p: &Params) -> Symptom {
        let depressed = p.flag(id::DEPRESSED);
        Symptom {
            healthy: p[id::HEALTHY_SCORE],
            baseline: if depressed {
                p[id::BASELINE_SCORE]
            } else {
                p[id::HEALTHY_SCORE]
            },
            // A depressed patient with no synapse loss still scores baseline.
            deficit: if depressed {
                p[id::SYN_DEFICIT].max(0.01)
            } else {
                0.0
            },
            exponent: p[id::SYN_EXPONENT],
            rapid_max: p[id::RAPID_MAX],
            rapid_k: p[id::RAPID_K],
            placebo_gain: p[id::PLACEBO_GAIN],
            placebo_tau_h: p[id::PLACEBO_TAU_D] * 24.0,
            placebo_rise_h: p[id::PLACEBO_RISE_H],
        }
    }

    /// Untreated score of this patient.
    pub fn baseline_score(&self) -> f64 {
        self.baseline
    }

    /// Rapid relief share from the synaptic-protein excess.
    pub fn rapid_relief(&self, protein: f64) -> f64 {
        let p = protein.max(0.0);
        self.rapid_max * p / (p + self.rapid_k)
    }

    /// Score from synapse density, rapid relief and expectancy.
    pub fn score(&self, synapse: f64, relief: f64, expectancy: f64) -> f64 {
        if self.deficit == 0.0 {
            return self.healthy;
        }
        let d = ((1.0 - synapse).max(0.0) / self.deficit).powf(self.exponent)
            * (1.0 - relief)
            * (1.0 - expectancy);
        (self.healthy + (self.baseline - self.healthy) * d).clamp(0.0, 60.0)
    }

    /// Does `score` meet the response criterion for this patient?
    pub fn is_response(&self, score: f64) -> bool {
        score <= self.baseline * (1.0 - RESPONSE_FRACTION)
    }
}

/// Is `score` a remission (MADRS <= 10)?
pub fn is_remission(score: f64) -> bool {
    score <= REMISSION_SCORE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untreated_depressed_patient_scores_baseline() {
        let s = Symptom::new(&Params::default());
        let p = Params::default();
        let base = 1.0 - p[id::SYN_DEFICIT];
        assert!((s.score(base, 0.0, 0.0) - p[id::BASELINE_SCORE]).abs() < 1e-9);
        assert!((s.score(1.0, 0.0, 0.0) - p[id::HEALTHY_SCORE]).abs() < 1e-9);
    }

    #[test]
    fn healthy_patient_is_flat() {
        let mut p = Params::default();
        p.set(id::DEPRESSED, 0.0).unwrap();
        let s = Symptom::new(&p);
        assert_eq!(s.score(0.9, 0.0, 0.0), p[id::HEALTHY_SCORE]);
    }
}
