//! The illustrative MADRS-like score, response and remission.
//!
//! ```text
//! D     = (f(1 - S) / f(d_ref))^synapse_exponent · (1 - R) · (1 - X) · (1 - C(t))
//! score = healthy_score + (baseline_score - healthy_score) · D
//! f(x)  = w ln(1 + e^(x / w))                  (smooth max(0, x), w = floor_width)
//! R     = rapid_max · P / (P + rapid_k)       (acute synaptic potentiation)
//! X     = 1 - (1 - X_session) · (1 - X_pill)  (expectancy of clinic sessions and of daily pills)
//! untreated score = healthy_score + (baseline_score - healthy_score) · (f(deficit) / f(d_ref))^synapse_exponent
//! C(t)  = course.improvement · (1 - e^(-t / course.tau_w))   (natural course, t >= 0 since enrolment)
//! ```
//!
//! **Expectancy of a session** (the drive `G` it renews, see the model: a
//! clinic session renews `G`, a pill the pill drive `G_pill`):
//!
//! ```text
//! G_session = k · (base(setting) + felt · felt_gain) · (open_label_factor if open label)
//! k         = placebo_gain / typical placebo_gain      (this patient's responsiveness)
//! base      = placebo_gain_typical (infusion, nasal spray)  or  pill_gain (oral)
//! felt      = 1 for ketamine and esketamine, and for placebo when setting.active_placebo
//! dG/dt      = -G / placebo_tau_d           dX_session/dt = (G - X_session) / placebo_rise_h
//! dG_pill/dt = -G_pill / pill_tau_w         dX_pill/dt    = (G_pill - X_pill) / pill_build_w
//! ```
//!
//! The score reads the synapse deficit `1 - S` itself, so a patient with a
//! larger deficit is more ill: severity and synapse loss share a cause.
//! `d_ref` is the typical deficit (the registry default of
//! `patient.synapse_deficit`); `patient.baseline_score` is the untreated
//! score of a patient with that deficit and carries the between-patient
//! spread of everything else. The smooth floor `f` makes each synapse
//! restored near health help less, with no flat floor at exactly the
//! healthy score. `X` is the expectancy (placebo) relief and `C` the
//! natural course: the part of the illness that resolves by itself over
//! months, whatever the treatment.
//! Response: score at or below half the patient's own untreated score.
//! Remission: score <= 10.

use crate::layout::{EXPECTANCY, EXPECTANCY_DRIVE, PILL_DRIVE, PILL_EXPECTANCY};
use crate::num::Real;
use crate::params::{id, Params, REGISTRY};
use crate::regimen::{DoseEvent, Drug, Route};
use std::ops::{Index, IndexMut};

/// MADRS remission cut-off (points).
pub const REMISSION_SCORE: f64 = 10.0;
/// Response: fall of at least this fraction from baseline.
pub const RESPONSE_FRACTION: f64 = 0.5;

/// The expectancy relief of clinic sessions (`session`) and of daily pills
/// (`pill`) together: each relieves a share of what the other leaves,
/// `1 - (1 - session)(1 - pill)`.
pub fn combined_expectancy(session: f64, pill: f64) -> f64 {
    1.0 - (1.0 - session) * (1.0 - pill)
}

/// Score constants for one patient.
#[derive(Debug, Clone)]
pub struct Symptom {
    healthy: f64,
    /// Score of a patient with the typical deficit (patient.baseline_score).
    typical: f64,
    /// Untreated score of this patient.
    baseline: f64,
    deficit: f64,
    /// f(d_ref): the smoothed typical deficit.
    reference: f64,
    width: f64,
    exponent: f64,
    rapid_max: f64,
    rapid_k: f64,
    /// Expectancy drive renewed by each session: G = max(G, placebo_gain).
    pub placebo_gain: f64,
    /// Expectancy renewed by a blinded daily pill (this patient), once built.
    pill_gain: f64,
    /// Extra expectancy of a session whose effects are felt (this patient).
    felt_gain: f64,
    /// Multiplier of every session's expectancy (open label > 1, blinded 1).
    setting_factor: f64,
    /// Do placebo sessions have felt effects (an active placebo)?
    active_placebo: bool,
    /// Long-run share of the illness that resolves by itself (0 when off).
    course_gain: f64,
    /// Time constant of the natural course, hours.
    course_tau_h: f64,
}

/// The clocks of the expectancy states (hours), of one patient (`T = f64`)
/// or one per lane of a batch: a session's drive `G` and the relief `X`
/// that follows it, and the same pair for daily pills.
#[derive(Debug, Clone)]
pub struct Expectancy<T = f64> {
    /// Expectancy drive decay time constant, hours.
    pub placebo_tau_h: T,
    /// Rise time constant of the felt expectancy X towards G, hours.
    pub placebo_rise_h: T,
    /// Rise time constant of the pill expectancy relief towards its drive
    /// (it builds over weeks), hours.
    pub pill_build_h: T,
    /// Decay time constant of the pill expectancy drive, hours.
    pub pill_tau_h: T,
}

impl Expectancy {
    /// Reads the expectancy clocks (`symptom.*`).
    pub fn new(p: &Params) -> Expectancy {
        Expectancy {
            placebo_tau_h: p[id::PLACEBO_TAU_D] * 24.0,
            placebo_rise_h: p[id::PLACEBO_RISE_H],
            pill_build_h: p[id::PILL_BUILD_W] * 7.0 * 24.0,
            pill_tau_h: p[id::PILL_TAU_W] * 7.0 * 24.0,
        }
    }
}

impl<T: Real> Expectancy<T> {
    /// Writes dG/dt and dX/dt of sessions and of pills (full-state
    /// indices).
    #[inline(always)]
    pub fn derivs(
        &self,
        y: &impl Index<usize, Output = T>,
        dy: &mut impl IndexMut<usize, Output = T>,
    ) {
        dy[EXPECTANCY_DRIVE] = -y[EXPECTANCY_DRIVE] / self.placebo_tau_h;
        dy[EXPECTANCY] = (y[EXPECTANCY_DRIVE] - y[EXPECTANCY]) / self.placebo_rise_h;
        dy[PILL_DRIVE] = -y[PILL_DRIVE] / self.pill_tau_h;
        dy[PILL_EXPECTANCY] = (y[PILL_DRIVE] - y[PILL_EXPECTANCY]) / self.pill_build_h;
    }

    /// Their Jacobian entries (constant).
    #[inline(always)]
    pub fn jacobian(&self, j: &mut (impl FnMut(usize, usize, T) + ?Sized)) {
        j(
            EXPECTANCY_DRIVE,
            EXPECTANCY_DRIVE,
            T::of(-1.0) / self.placebo_tau_h,
        );
        j(EXPECTANCY, EXPECTANCY_DRIVE, self.placebo_rise_h.recip());
        j(EXPECTANCY, EXPECTANCY, T::of(-1.0) / self.placebo_rise_h);
        j(PILL_DRIVE, PILL_DRIVE, T::of(-1.0) / self.pill_tau_h);
        j(PILL_EXPECTANCY, PILL_DRIVE, self.pill_build_h.recip());
        j(
            PILL_EXPECTANCY,
            PILL_EXPECTANCY,
            T::of(-1.0) / self.pill_build_h,
        );
    }
}

impl Symptom {
    /// Reads `symptom.*` and the patient's severity.
    pub fn new(p: &Params) -> Symptom {
        let depressed = p.flag(id::DEPRESSED);
        let width = p[id::FLOOR_WIDTH];
        let expectancy = p.flag(id::MECH_EXPECTANCY);
        // The patient's responsiveness: every setting scales with this
        // patient's placebo_gain relative to the typical one.
        let typical = REGISTRY[id::PLACEBO_GAIN.0].default;
        let k = if expectancy {
            p[id::PLACEBO_GAIN] / typical
        } else {
            0.0
        };
        let setting_factor = if p.flag(id::OPEN_LABEL) {
            p[id::OPEN_LABEL_FACTOR]
        } else {
            1.0
        };
        let mut s = Symptom {
            healthy: p[id::HEALTHY_SCORE],
            typical: p[id::BASELINE_SCORE],
            baseline: p[id::HEALTHY_SCORE],
            deficit: if depressed { p[id::SYN_DEFICIT] } else { 0.0 },
            reference: smooth_deficit(REGISTRY[id::SYN_DEFICIT.0].default, width),
            width,
            exponent: p[id::SYN_EXPONENT],
            rapid_max: p[id::RAPID_MAX],
            rapid_k: p[id::RAPID_K],
            placebo_gain: if expectancy { p[id::PLACEBO_GAIN] } else { 0.0 },
            pill_gain: k * p[id::PILL_GAIN],
            felt_gain: k * p[id::FELT_GAIN],
            setting_factor,
            active_placebo: p.flag(id::ACTIVE_PLACEBO),
            course_gain: if p.flag(id::MECH_NATURAL_COURSE) {
                p[id::COURSE_GAIN]
            } else {
                0.0
            },
            course_tau_h: p[id::COURSE_TAU_W] * 7.0 * 24.0,
        };
        if depressed {
            s.baseline = s.score(0.0, 1.0 - s.deficit, 0.0, 0.0);
        }
        s
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

    /// The expectancy drive a treatment session renews (share of symptoms):
    /// its setting (a daily pill, which renews the pill drive, or a clinic
    /// session), whether its acute effects are felt, and whether the patient
    /// knows it is active.
    pub fn session_expectancy(&self, ev: &DoseEvent) -> f64 {
        let base = match ev.route {
            Route::Oral => self.pill_gain,
            Route::IvInfusion | Route::IvBolus | Route::Nasal => self.placebo_gain,
        };
        let felt = match ev.drug {
            Drug::Ketamine | Drug::Esketamine => true,
            Drug::Placebo => self.active_placebo && ev.route != Route::Oral,
            Drug::Escitalopram => false,
        };
        let gain = base + if felt { self.felt_gain } else { 0.0 };
        (gain * self.setting_factor).min(0.95)
    }

    /// Share of the illness resolved by the natural course at `t_h` hours
    /// after enrolment (the first dose).
    pub fn natural_course(&self, t_h: f64) -> f64 {
        if self.course_gain == 0.0 || t_h <= 0.0 {
            return 0.0;
        }
        self.course_gain * -(-t_h / self.course_tau_h).exp_m1()
    }

    /// Score at `t_h` hours after enrolment from synapse density, rapid
    /// relief and expectancy.
    pub fn score(&self, t_h: f64, synapse: f64, relief: f64, expectancy: f64) -> f64 {
        if self.deficit == 0.0 {
            return self.healthy;
        }
        let r = smooth_deficit(1.0 - synapse, self.width) / self.reference;
        // The default exponent 1 skips the power (x^1 = x exactly): every
        // output row of every virtual patient reads the score.
        let curved = if self.exponent == 1.0 {
            r
        } else {
            r.powf(self.exponent)
        };
        let d = curved * (1.0 - relief) * (1.0 - expectancy) * (1.0 - self.natural_course(t_h));
        (self.healthy + (self.typical - self.healthy) * d).clamp(0.0, 60.0)
    }

    /// Does `score` meet the response criterion for this patient?
    pub fn is_response(&self, score: f64) -> bool {
        score <= self.response_score()
    }

    /// The highest score that counts as a response for this patient.
    pub fn response_score(&self) -> f64 {
        self.baseline * (1.0 - RESPONSE_FRACTION)
    }
}

/// `w ln(1 + e^(x/w))`: the synapse deficit with a smooth floor at 0.
fn smooth_deficit(x: f64, w: f64) -> f64 {
    crate::num::softplus(x, w)
}

/// Does a patient with parameters `p` meet the trial entry criterion
/// (untreated score at least `patient.entry_min_score`)? A healthy
/// reference always does.
pub fn meets_entry(p: &Params) -> bool {
    !p.flag(id::DEPRESSED) || Symptom::new(p).baseline_score() >= p[id::ENTRY_MIN_SCORE]
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
        assert!((s.score(0.0, base, 0.0, 0.0) - p[id::BASELINE_SCORE]).abs() < 1e-9);
        assert_eq!(s.baseline_score(), s.score(0.0, base, 0.0, 0.0));
        // Full restoration leaves a little above the healthy score; each
        // further synapse helps less, and the score never drops below it.
        let full = s.score(0.0, 1.0, 0.0, 0.0) - p[id::HEALTHY_SCORE];
        assert!(full > 0.0 && full < 1.5, "{full}");
        let over = s.score(0.0, 1.05, 0.0, 0.0) - p[id::HEALTHY_SCORE];
        assert!(over > 0.0 && over < 0.1 * full, "{over}");
    }

    /// A larger synapse deficit means a more severe illness.
    #[test]
    fn severity_grows_with_the_synapse_deficit() {
        let mut p = Params::default();
        let mut last = 0.0;
        for d in [0.1, 0.15, 0.2, 0.25, 0.3] {
            p.set(id::SYN_DEFICIT, d).unwrap();
            let b = Symptom::new(&p).baseline_score();
            assert!(b > last, "deficit {d}: {b}");
            last = b;
        }
        p.set(id::SYN_DEFICIT, 0.05).unwrap();
        assert!(!meets_entry(&p), "a small deficit is screened out");
    }

    #[test]
    fn healthy_patient_is_flat() {
        let mut p = Params::default();
        p.set(id::DEPRESSED, 0.0).unwrap();
        let s = Symptom::new(&p);
        assert_eq!(s.score(0.0, 0.9, 0.0, 0.0), p[id::HEALTHY_SCORE]);
    }
}
