//! Spine / synapse density.
//!
//! ```text
//! dN/dt = (P - N) / tau_maturation                     (maturing spines; 0 without synaptogenesis)
//! dS/dt = k (beta (1 + formation_gain · N · room) - (1 + sigma) S),  k = 1 / turnover
//! room  = max(0, (max_density - S) / (max_density - S0))   (1 at the patient's baseline S0)
//! beta  = M   (trophic BDNF/mTOR tone; fixed at b0 without synaptogenesis)
//! sigma = b0 / (1 - synapse_deficit) - 1               (extra elimination in depression)
//! ```
//!
//! So the healthy steady state is S = 1 and the depressed one S = 1 - deficit.

use crate::model::layout::*;
use crate::params::{id, Params};

/// Synapse turnover constants (per hour).
#[derive(Debug, Clone)]
pub struct Synapses {
    k: f64,
    sigma: f64,
    formation_gain: f64,
    tau_maturation_h: f64,
    synaptogenesis: bool,
    baseline: f64,
    max_density: f64,
}

impl Synapses {
    /// Reads `synapse.*` and the patient's deficits.
    pub fn new(p: &Params) -> Synapses {
        let depressed = p.flag(id::DEPRESSED);
        let b0 = if depressed {
            1.0 - p[id::BDNF_DEFICIT]
        } else {
            1.0
        };
        let baseline = if depressed {
            1.0 - p[id::SYN_DEFICIT]
        } else {
            1.0
        };
        Synapses {
            k: 1.0 / (p[id::SYN_TURNOVER] * 24.0),
            sigma: b0 / baseline - 1.0,
            formation_gain: p[id::FORMATION_GAIN],
            tau_maturation_h: p[id::TAU_MATURATION],
            synaptogenesis: p.flag(id::MECH_SYNAPTOGENESIS),
            baseline,
            max_density: p[id::MAX_DENSITY],
        }
    }

    /// Drug-free density of this patient.
    pub fn baseline_density(&self) -> f64 {
        self.baseline
    }

    /// Is drug-driven spine formation switched on?
    pub fn synaptogenesis(&self) -> bool {
        self.synaptogenesis
    }

    /// Steady density for trophic tone `beta` and maturing spines `n` at the
    /// baseline (where room = 1).
    pub fn steady_density(&self, beta: f64, n: f64) -> f64 {
        let gain = if self.synaptogenesis {
            self.formation_gain * n
        } else {
            0.0
        };
        beta * (1.0 + gain) / (1.0 + self.sigma)
    }

    /// Jacobian rows of N and S.
    pub fn jacobian(&self, y: &[f64], b0: f64, j: &mut dyn FnMut(usize, usize, f64)) {
        let beta = if self.synaptogenesis { y[MTOR] } else { b0 };
        let span = (self.max_density - self.baseline).max(1e-9);
        let raw_room = (self.max_density - y[SYNAPSE]) / span;
        let (room, droom) = if raw_room > 0.0 {
            (raw_room, -1.0 / span)
        } else {
            (0.0, 0.0)
        };
        if self.synaptogenesis {
            j(NASCENT, PROTEIN, 1.0 / self.tau_maturation_h);
            j(
                SYNAPSE,
                MTOR,
                self.k * (1.0 + self.formation_gain * y[NASCENT] * room),
            );
        }
        j(NASCENT, NASCENT, -1.0 / self.tau_maturation_h);
        j(SYNAPSE, NASCENT, self.k * beta * self.formation_gain * room);
        j(
            SYNAPSE,
            SYNAPSE,
            self.k * (beta * self.formation_gain * y[NASCENT] * droom - (1.0 + self.sigma)),
        );
    }

    /// Writes dN/dt and dS/dt; `b0` is the patient's basal BDNF.
    pub fn derivs(&self, y: &[f64], b0: f64, dy: &mut [f64]) {
        let (drive, beta) = if self.synaptogenesis {
            (y[PROTEIN], y[MTOR])
        } else {
            (0.0, b0)
        };
        dy[NASCENT] = (drive - y[NASCENT]) / self.tau_maturation_h;
        // New spines need room on the dendrite: drug-driven formation fades as
        // the density approaches max_density.
        let room = ((self.max_density - y[SYNAPSE]) / (self.max_density - self.baseline).max(1e-9))
            .max(0.0);
        dy[SYNAPSE] = self.k
            * (beta * (1.0 + self.formation_gain * y[NASCENT] * room)
                - (1.0 + self.sigma) * y[SYNAPSE]);
    }
}
