//! Drawing one virtual patient's parameters from the scenario's
//! between-patient variability.
//!
//! Conventions (the pharmacometric ones):
//!
//! - **log-normal** with coefficient of variation `cv`:
//!   `value = typical · exp(ω z)`, `ω = sqrt(ln(1 + cv²))`, `z ~ N(0, 1)`.
//!   The typical value is the *median* of the population (as in NONMEM's
//!   exponential random effects); the mean is `typical · exp(ω²/2)`, and the
//!   spread of the values is `cv` exactly.
//! - **normal** with standard deviation `sd` truncated to `[lo, hi]`:
//!   `typical + sd · z`, redrawn from the same stream until it falls inside
//!   (at most [`MAX_REDRAWS`] times, then clamped; with the registry's
//!   bounds a redraw is needed for a few percent of patients at most).
//! - **uniform** on `[lo, hi]`: ignores the typical value.
//!
//! Every value is finally clamped to the parameter's registry range, so a
//! sampled patient always passes the same checks as a hand-made scenario.
//! Switches (true/false parameters) never vary.

use super::rng;
use crate::params::{Kind, ParamId, Params, Variability, REGISTRY};
use crate::scenario::Scenario;
use rand::RngExt;
use rand_distr::StandardNormal;

/// Redraws of a truncated normal before falling back to clamping.
pub const MAX_REDRAWS: usize = 100;

/// One parameter that differs between patients.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Varying {
    /// Which parameter.
    pub id: ParamId,
    /// Its distribution.
    pub dist: Variability,
    /// The typical (scenario) value it varies around.
    pub typical: f64,
    /// Stream key (hash of the parameter name).
    key: u64,
}

/// The parameters of a scenario that vary between patients, in registry order.
pub fn varying(s: &Scenario) -> Vec<Varying> {
    REGISTRY
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == Kind::Real)
        .filter_map(|(k, d)| {
            let id = ParamId(k);
            let dist = s.variability_of(id);
            (!is_fixed(&dist)).then(|| Varying {
                id,
                dist,
                typical: s.params[id],
                key: rng::key_of(d.name),
            })
        })
        .collect()
}

/// Does this distribution give everyone the typical value?
fn is_fixed(v: &Variability) -> bool {
    match *v {
        Variability::None => true,
        Variability::LogNormal { cv } => cv <= 0.0 || !cv.is_finite(),
        Variability::Normal { sd, .. } => sd <= 0.0 || !sd.is_finite(),
        Variability::Uniform { lo, hi } => hi.is_nan() || lo.is_nan() || hi <= lo,
    }
}

/// Draws one value of `v` for patient `patient`.
pub fn draw(v: &Varying, seed: u64, patient: u64) -> f64 {
    let mut r = rng::stream(seed, patient, v.key);
    let raw = match v.dist {
        Variability::None => v.typical,
        Variability::LogNormal { cv } => {
            let omega = (1.0 + cv * cv).ln().sqrt();
            let z: f64 = r.sample(StandardNormal);
            v.typical * (omega * z).exp()
        }
        Variability::Normal { sd, lo, hi } => {
            let mut x = f64::NAN;
            for _ in 0..MAX_REDRAWS {
                let z: f64 = r.sample(StandardNormal);
                x = v.typical + sd * z;
                if (lo..=hi).contains(&x) {
                    break;
                }
            }
            x.clamp(lo.min(hi), hi.max(lo))
        }
        Variability::Uniform { lo, hi } => lo + (hi - lo) * r.random::<f64>(),
    };
    let d = &REGISTRY[v.id.0];
    raw.clamp(d.min, d.max)
}

/// The parameters of patient `patient`: the scenario's values with every
/// varying parameter replaced by its draw. Also returns the drawn values in
/// the order of `vary`.
pub fn patient_params(
    base: &Params,
    vary: &[Varying],
    seed: u64,
    patient: u64,
) -> (Params, Vec<f64>) {
    let mut p = base.clone();
    let mut drawn = Vec::with_capacity(vary.len());
    for v in vary {
        let x = draw(v, seed, patient);
        p.set_unchecked(v.id, x);
        drawn.push(x);
    }
    (p, drawn)
}

/// A short description of a distribution for summaries and help.
pub fn describe(v: &Variability) -> serde_json::Value {
    match *v {
        Variability::None => serde_json::json!({"dist": "none"}),
        Variability::LogNormal { cv } => {
            serde_json::json!({"dist": "log_normal", "cv": cv, "median": "typical value"})
        }
        Variability::Normal { sd, lo, hi } => {
            serde_json::json!({"dist": "normal", "sd": sd, "lo": lo, "hi": hi})
        }
        Variability::Uniform { lo, hi } => {
            serde_json::json!({"dist": "uniform", "lo": lo, "hi": hi})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::id;

    fn vary(dist: Variability, typical: f64) -> Varying {
        Varying {
            id: id::KET_K10,
            dist,
            typical,
            key: rng::key_of("test"),
        }
    }

    #[test]
    fn log_normal_has_the_typical_median_and_the_cv() {
        let v = vary(Variability::LogNormal { cv: 0.3 }, 0.5);
        let mut x: Vec<f64> = (0..20_000).map(|i| draw(&v, 7, i)).collect();
        x.sort_by(f64::total_cmp);
        let median = x[x.len() / 2];
        assert!((median / 0.5 - 1.0).abs() < 0.02, "median {median}");
        let mean = x.iter().sum::<f64>() / x.len() as f64;
        let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / x.len() as f64).sqrt();
        assert!((sd / mean - 0.3).abs() < 0.015, "cv {}", sd / mean);
    }

    #[test]
    fn truncated_normal_stays_in_bounds() {
        let v = Varying {
            id: id::BASELINE_SCORE,
            ..vary(
                Variability::Normal {
                    sd: 4.0,
                    lo: 28.0,
                    hi: 36.0,
                },
                32.0,
            )
        };
        let x: Vec<f64> = (0..5_000).map(|i| draw(&v, 3, i)).collect();
        assert!(x.iter().all(|v| (28.0..=36.0).contains(v)));
        // Inside the bounds the shape is still normal: the middle is denser than the edges.
        let mid = x.iter().filter(|v| (31.0..33.0).contains(*v)).count();
        let edge = x.iter().filter(|v| (28.0..30.0).contains(*v)).count();
        assert!(mid > edge, "{mid} {edge}");
    }

    #[test]
    fn draws_are_clamped_to_the_registry_range() {
        let d = &REGISTRY[id::KET_K10.0];
        let v = vary(Variability::LogNormal { cv: 20.0 }, d.max);
        assert!((0..2_000).all(|i| (d.min..=d.max).contains(&draw(&v, 1, i))));
    }

    #[test]
    fn uniform_covers_its_interval() {
        let v = vary(Variability::Uniform { lo: 0.2, hi: 0.4 }, 0.3);
        let x: Vec<f64> = (0..2_000).map(|i| draw(&v, 1, i)).collect();
        assert!(x.iter().all(|v| (0.2..=0.4).contains(v)));
        assert!(x.iter().any(|v| *v < 0.21) && x.iter().any(|v| *v > 0.39));
    }

    #[test]
    fn a_patient_is_the_same_whatever_else_varies() {
        let s = Scenario::load("ketamine-iv-single").unwrap();
        let all = varying(&s);
        let (_, drawn) = patient_params(&s.params, &all, 11, 5);
        let (_, one) = patient_params(&s.params, &all[1..2], 11, 5);
        assert_eq!(drawn[1], one[0]);
    }
}
