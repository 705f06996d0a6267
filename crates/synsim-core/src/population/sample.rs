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
//! - **the next new episode** (`course.episode_w`, weeks after enrolment):
//!   exponential with mean `course.episode_mean_w`, drawn for every patient
//!   while `mechanisms.new_episodes` is on and anything varies (a constant
//!   hazard, not a spread around a typical patient: the typical patient,
//!   and a population of copies of it, has none).
//!
//! Every value is finally clamped to the parameter's registry range, so a
//! sampled patient always passes the same checks as a hand-made scenario.
//! Switches (true/false parameters) never vary. Parameters that cannot
//! cross zero (rates, thresholds, time constants) are log-normal.
//!
//! **Trial entry.** As a trial screens its patients, a drawn patient whose
//! untreated score is below `patient.entry_min_score` is not enrolled: the
//! whole patient is drawn afresh from the next attempt's streams (attempt
//! `a` of patient `i` mixes `a` into every stream key), up to
//! [`MAX_SCREENS`] attempts. The population therefore starts at a
//! trial-entry level of illness and nobody responds before a dose.

use super::rng;
use crate::params::{id, Kind, ParamId, Params, Variability, REGISTRY};
use crate::scenario::Scenario;
use rand::RngExt;
use rand_distr::StandardNormal;

/// Redraws of a truncated normal before falling back to clamping.
pub const MAX_REDRAWS: usize = 100;
/// Screening attempts per patient before the last draw is kept anyway.
pub const MAX_SCREENS: u64 = 1000;

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
    draw_attempt(v, seed, patient, 0)
}

/// The random stream of one draw: its own per patient and key, and a
/// fresh one for each redraw `attempt` (0 = the first draw).
fn attempt_stream(seed: u64, patient: u64, key: u64, attempt: u64) -> rand_pcg::Pcg64Mcg {
    let key = if attempt == 0 {
        key
    } else {
        key ^ rng::splitmix64(attempt)
    };
    rng::stream(seed, patient, key)
}

/// Draws one value of `v` for screening attempt `attempt` of `patient`
/// (attempt 0 is [`draw`]).
fn draw_attempt(v: &Varying, seed: u64, patient: u64, attempt: u64) -> f64 {
    let mut r = attempt_stream(seed, patient, v.key, attempt);
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
/// varying parameter replaced by its draw, screened against the trial entry
/// criterion ([`crate::symptom::meets_entry`]). Also returns the drawn
/// values in the order of `vary`.
pub fn patient_params(
    base: &Params,
    vary: &[Varying],
    seed: u64,
    patient: u64,
) -> (Params, Vec<f64>) {
    let mut p = base.clone();
    let mut drawn = Vec::with_capacity(vary.len());
    for attempt in 0..MAX_SCREENS {
        drawn.clear();
        for v in vary {
            let x = draw_attempt(v, seed, patient, attempt);
            p.set_unchecked(v.id, x);
            drawn.push(x);
        }
        if !vary.is_empty() {
            draw_episode(&mut p, seed, patient, attempt);
        }
        if vary.is_empty() || crate::symptom::meets_entry(&p) {
            break;
        }
    }
    (p, drawn)
}

/// The parameters of screening attempt `attempt` of patient `patient`,
/// without the entry check (a trial screens on a rated score instead).
pub fn patient_params_attempt(
    base: &Params,
    vary: &[Varying],
    seed: u64,
    patient: u64,
    attempt: u64,
) -> (Params, Vec<f64>) {
    let mut p = base.clone();
    let drawn = vary
        .iter()
        .map(|v| {
            let x = draw_attempt(v, seed, patient, attempt);
            p.set_unchecked(v.id, x);
            x
        })
        .collect();
    if !vary.is_empty() {
        draw_episode(&mut p, seed, patient, attempt);
    }
    (p, drawn)
}

/// Draws when this patient's next new episode begins (`course.episode_w`,
/// weeks after enrolment): exponential with mean `course.episode_mean_w`,
/// a constant hazard, from the stream of `course.episode_w` (so no other
/// draw moves). With `mechanisms.new_episodes` off nothing is drawn.
fn draw_episode(p: &mut Params, seed: u64, patient: u64, attempt: u64) {
    if !p.flag(id::MECH_NEW_EPISODES) {
        return;
    }
    let key = rng::key_of(REGISTRY[id::EPISODE_W.0].name);
    // 1 - U lies in (0, 1]: its logarithm is finite.
    let u: f64 = attempt_stream(seed, patient, key, attempt).random::<f64>();
    let weeks = -p[id::EPISODE_MEAN_W] * (1.0 - u).ln();
    let d = &REGISTRY[id::EPISODE_W.0];
    p.set_unchecked(id::EPISODE_W, weeks.clamp(d.min, d.max));
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
            id: id::MTOR_THRESHOLD,
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
        let d = &REGISTRY[id::MTOR_THRESHOLD.0];
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

    /// Every enrolled patient meets the entry criterion and starts at an
    /// untreated score that is neither a response nor a remission.
    #[test]
    fn screened_patients_meet_the_entry_criterion() {
        let s = Scenario::load("ketamine-iv-single").unwrap();
        let all = varying(&s);
        let mut screened_out = 0;
        for i in 0..2_000 {
            let (p, _) = patient_params(&s.params, &all, 7, i);
            assert!(crate::symptom::meets_entry(&p), "patient {i}");
            let sym = crate::symptom::Symptom::new(&p);
            let b = sym.baseline_score();
            assert!(b >= p[id::ENTRY_MIN_SCORE] && !crate::symptom::is_remission(b));
            let mut first = s.params.clone();
            for v in &all {
                first.set_unchecked(v.id, draw(v, 7, i));
            }
            screened_out += usize::from(!crate::symptom::meets_entry(&first));
        }
        // Screening matters, but for a minority of draws.
        assert!((1..400).contains(&screened_out), "{screened_out}");
    }

    /// The mTOR threshold cannot reach zero: it is log-normal.
    #[test]
    fn the_mtor_threshold_stays_positive() {
        let s = Scenario::load("ketamine-iv-single").unwrap();
        let v = varying(&s)
            .into_iter()
            .find(|v| v.id == id::MTOR_THRESHOLD)
            .unwrap();
        assert!(matches!(v.dist, Variability::LogNormal { .. }));
        let low = (0..20_000).map(|i| draw(&v, 3, i)).fold(f64::MAX, f64::min);
        assert!(
            low >= REGISTRY[id::MTOR_THRESHOLD.0].min && low > 0.0,
            "smallest threshold {low}"
        );
    }

    #[test]
    fn a_patient_is_the_same_whatever_else_varies() {
        let s = Scenario::load("ketamine-iv-single").unwrap();
        let all = varying(&s);
        // (A patient screened out at the first attempt is drawn afresh, so
        // compare those enrolled at once.)
        let mut compared = 0;
        for i in 0..50 {
            let first: Vec<f64> = all.iter().map(|v| draw(v, 11, i)).collect();
            let (_, drawn) = patient_params(&s.params, &all, 11, i);
            if drawn != first {
                continue;
            }
            let (_, one) = patient_params(&s.params, &all[1..2], 11, i);
            assert_eq!(drawn[1], one[0]);
            compared += 1;
        }
        assert!(compared > 40, "{compared}");
    }
}
