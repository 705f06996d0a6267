//! BDNF / mTOR signalling: how a glutamate surge (theory 1) becomes synaptic
//! protein synthesis (theory 2), plus the slow serotonergic route of SSRIs.
//!
//! ```text
//! dB/dt = (B* - B) / tau_bdnf
//! B*    = b0 · softpos(1 + ampa_gain·a + eef2_gain·occ_nmda + hnk_gain·h) + B_5HT
//! a     = glu / glu0 - 1                        (AMPA drive of the surge; negative when glutamate falls)
//! dM/dt = (B - M) / tau_mtor                    (mTOR follows BDNF-TrkB)
//! dP/dt = protein_gain · (softplus(M - M0 - mtor_threshold) - softplus(-mtor_threshold)) - P / tau_protein
//! ```
//!
//! The basal synthesis `softplus(-mtor_threshold)` is subtracted: it is part
//! of the patient's steady state, so `P` is an excess that is exactly 0 at
//! rest whatever the threshold. `M0` is the patient's drug-free mTOR (b0 up
//! to the smoothing of `softpos`, about 1e-9).
//!
//! `softplus(x) = ε ln(1 + e^(x/ε))` with ε = 0.02 and `softpos` the same
//! with ε = 0.05 are smooth versions of `max(0, x)`: a kink in the
//! right-hand side would stop the stiff integrator from converging as its
//! tolerance tightens.
//!
//! `b0` is the patient's basal BDNF (1 healthy, lower when depressed), `glu0`
//! the patient's drug-free glutamate, `h` the HNK AMPA activation (only with
//! `mechanisms.hnk`).

pub mod serotonin;

use crate::layout::*;
use crate::num::Real;
pub use crate::num::{logistic, softplus};
use crate::params::{id, Params};
use std::ops::{Index, IndexMut};

/// Signalling constants (time constants in hours), of one patient
/// (`T = f64`) or one per lane of a batch.
#[derive(Debug, Clone)]
pub struct Signalling<T = f64> {
    pub(crate) basal_bdnf: T,
    /// Drug-free mTOR (= the drug-free BDNF target): the reference of the
    /// protein threshold, so the excess synthesis is exactly 0 at rest.
    pub(crate) basal_mtor: T,
    pub(crate) glu0: T,
    pub(crate) tau_bdnf_h: T,
    pub(crate) tau_mtor_h: T,
    pub(crate) ampa_gain: T,
    pub(crate) eef2_gain: T,
    pub(crate) hnk_gain: T,
    pub(crate) hnk_ec50: T,
    pub(crate) protein_gain: T,
    pub(crate) mtor_threshold: T,
    pub(crate) tau_protein_h: T,
    /// `softplus(-mtor_threshold)`: the basal synthesis, subtracted so the
    /// excess is 0 at rest (computed once, not at every right-hand side).
    pub(crate) basal_synthesis: T,
}

impl Signalling {
    /// Reads `signalling.*` and the patient's BDNF deficit.
    pub fn new(p: &Params) -> Signalling {
        let basal = if p.flag(id::DEPRESSED) {
            1.0 - p[id::BDNF_DEFICIT]
        } else {
            1.0
        };
        Signalling {
            basal_bdnf: basal,
            basal_mtor: basal,
            glu0: 1.0,
            tau_bdnf_h: p[id::TAU_BDNF] / 60.0,
            tau_mtor_h: p[id::TAU_MTOR] / 60.0,
            ampa_gain: p[id::AMPA_GAIN],
            eef2_gain: p[id::EEF2_GAIN],
            hnk_gain: if p.flag(id::MECH_HNK) {
                p[id::HNK_GAIN]
            } else {
                0.0
            },
            hnk_ec50: p[id::HNK_EC50],
            protein_gain: p[id::PROTEIN_GAIN],
            mtor_threshold: p[id::MTOR_THRESHOLD],
            tau_protein_h: p[id::TAU_PROTEIN],
            basal_synthesis: softplus(-p[id::MTOR_THRESHOLD], 0.02),
        }
    }

    /// Basal BDNF of this patient (relative to healthy).
    pub fn basal_bdnf(&self) -> f64 {
        self.basal_bdnf
    }

    /// Records the patient's drug-free glutamate tone (relative to healthy).
    pub fn set_baseline_glutamate(&mut self, glu0: f64) {
        self.glu0 = glu0;
        self.basal_mtor = self.basal_bdnf_target();
    }

    /// Drug-free steady state of the synaptic-protein excess: exactly 0.
    pub fn basal_protein(&self) -> f64 {
        self.protein_synthesis(self.basal_mtor) * self.tau_protein_h
    }

    /// Drug-free BDNF target (b0 up to the smoothing, about 1e-9).
    pub fn basal_bdnf_target(&self) -> f64 {
        self.bdnf_target(self.glu0, 0.0, 0.0, 0.0)
    }
}

impl<T: Real> Signalling<T> {
    /// BDNF target for the current glutamate, NMDA occupancy and HNK level.
    #[inline(always)]
    pub fn bdnf_target(&self, glu: T, occ_nmda: T, hnk_ng_ml: T, sero_bdnf: T) -> T {
        let ampa = glu / self.glu0 - 1.0;
        let hnk = hnk_ng_ml.max(T::of(0.0));
        let h = hnk / (hnk + self.hnk_ec50);
        let drive =
            T::of(1.0) + self.ampa_gain * ampa + self.eef2_gain * occ_nmda + self.hnk_gain * h;
        self.basal_bdnf * drive.softplus(0.05) + sero_bdnf
    }

    /// Excess protein synthesis rate at mTOR activity `m` over the drug-free
    /// rate (per hour; 0 at rest).
    #[inline(always)]
    pub fn protein_synthesis(&self, m: T) -> T {
        self.protein_gain
            * ((m - self.basal_mtor - self.mtor_threshold).softplus(0.02) - self.basal_synthesis)
    }

    /// Jacobian rows of B, M and P (full-state indices), given the
    /// sensitivity of synaptic glutamate to the GABA pool.
    #[inline(always)]
    pub fn jacobian(
        &self,
        y: &impl Index<usize, Output = T>,
        glu: T,
        occ_nmda: T,
        hnk_ng_ml: T,
        dglu_dpool: T,
        j: &mut (impl FnMut(usize, usize, T) + ?Sized),
    ) {
        let hnk = hnk_ng_ml.max(T::of(0.0));
        let h = hnk / (hnk + self.hnk_ec50);
        let drive = T::of(1.0)
            + self.ampa_gain * (glu / self.glu0 - 1.0)
            + self.eef2_gain * occ_nmda
            + self.hnk_gain * h;
        let d_target =
            self.basal_bdnf * (drive / 0.05).logistic() * self.ampa_gain * dglu_dpool / self.glu0;
        j(BDNF, GABA_POOL, d_target / self.tau_bdnf_h);
        j(BDNF, BDNF, T::of(-1.0) / self.tau_bdnf_h);
        j(BDNF, SERO_BDNF, self.tau_bdnf_h.recip());
        j(MTOR, BDNF, self.tau_mtor_h.recip());
        j(MTOR, MTOR, T::of(-1.0) / self.tau_mtor_h);
        let x = y[MTOR] - self.basal_mtor - self.mtor_threshold;
        j(PROTEIN, MTOR, self.protein_gain * (x / 0.02).logistic());
        j(PROTEIN, PROTEIN, T::of(-1.0) / self.tau_protein_h);
    }

    /// Writes dB/dt, dM/dt and dP/dt (full-state indices).
    #[inline(always)]
    pub fn derivs(
        &self,
        y: &impl Index<usize, Output = T>,
        glu: T,
        occ_nmda: T,
        hnk_ng_ml: T,
        dy: &mut impl IndexMut<usize, Output = T>,
    ) {
        let target = self.bdnf_target(glu, occ_nmda, hnk_ng_ml, y[SERO_BDNF]);
        dy[BDNF] = (target - y[BDNF]) / self.tau_bdnf_h;
        dy[MTOR] = (y[BDNF] - y[MTOR]) / self.tau_mtor_h;
        dy[PROTEIN] = self.protein_synthesis(y[MTOR]) - y[PROTEIN] / self.tau_protein_h;
    }
}
