//! Spine / synapse density.
//!
//! ```text
//! dN/dt = (P - N) / tau_maturation                     (maturing spines; 0 without synaptogenesis)
//! dS/dt = k (beta (1 + formation_gain · N) - (1 + sigma) S),  k = 1 / turnover
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
        }
    }

    /// Drug-free density of this patient.
    pub fn baseline_density(&self) -> f64 {
        self.baseline
    }

    /// Writes dN/dt and dS/dt; `b0` is the patient's basal BDNF.
    pub fn derivs(&self, y: &[f64], b0: f64, dy: &mut [f64]) {
        let (drive, beta) = if self.synaptogenesis {
            (y[PROTEIN], y[MTOR])
        } else {
            (0.0, b0)
        };
        dy[NASCENT] = (drive - y[NASCENT]) / self.tau_maturation_h;
        dy[SYNAPSE] = self.k
            * (beta * (1.0 + self.formation_gain * y[NASCENT]) - (1.0 + self.sigma) * y[SYNAPSE]);
    }
}
