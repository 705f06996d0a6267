//! The SSRI route: SERT occupancy raises serotonin per spike, but 5-HT1A
//! autoreceptors on raphe neurons cut firing in proportion; the autoreceptors
//! desensitise over days to weeks, and only then does synaptic serotonin rise
//! and drive BDNF transcription (CREB) — the slow route to synapse recovery.
//!
//! ```text
//! U     = 1 + uptake_gain · occ_sert                  (5-HT per spike)
//! F     = 1 / (1 + autoreceptor_gain · A · (U - 1))   (raphe firing)
//! T     = F · U                                       (synaptic 5-HT tone)
//! dA/dt = (1 - desensitisation_max · occ_sert - A) / desensitisation_tau
//! dB5/dt = (bdnf_gain · (T - 1) - B5) / tau_creb
//! ```

use crate::layout::*;
use crate::num::Real;
use crate::params::{id, Params};
use std::ops::{Index, IndexMut};

/// Serotonin-route constants (time constants in hours), of one patient
/// (`T = f64`) or one per lane of a batch.
#[derive(Debug, Clone)]
pub struct Serotonin<T = f64> {
    pub(crate) uptake_gain: T,
    pub(crate) auto_gain: T,
    pub(crate) desens_tau_h: T,
    pub(crate) desens_max: T,
    pub(crate) bdnf_gain: T,
    pub(crate) tau_creb_h: T,
}

impl Serotonin {
    /// Reads `ssri.*`.
    pub fn new(p: &Params) -> Serotonin {
        Serotonin {
            uptake_gain: p[id::SSRI_UPTAKE_GAIN],
            auto_gain: p[id::SSRI_AUTO_GAIN],
            desens_tau_h: p[id::SSRI_DESENS_TAU] * 24.0,
            desens_max: p[id::SSRI_DESENS_MAX],
            bdnf_gain: p[id::SSRI_BDNF_GAIN],
            tau_creb_h: p[id::SSRI_TAU_CREB] * 24.0,
        }
    }
}

impl<T: Real> Serotonin<T> {
    /// Synaptic serotonin tone (1 = drug-free) for SERT occupancy and
    /// autoreceptor sensitivity `a`.
    #[inline(always)]
    pub fn tone(&self, occ_sert: T, a: T) -> T {
        let u = T::of(1.0) + self.uptake_gain * occ_sert;
        u / (T::of(1.0) + self.auto_gain * a * (u - 1.0))
    }

    /// Jacobian rows of A and B5 (full-state indices).
    #[inline(always)]
    pub fn jacobian(
        &self,
        y: &impl Index<usize, Output = T>,
        occ_sert: T,
        j: &mut (impl FnMut(usize, usize, T) + ?Sized),
    ) {
        let u = T::of(1.0) + self.uptake_gain * occ_sert;
        let den = T::of(1.0) + self.auto_gain * y[AUTORECEPTOR] * (u - 1.0);
        let dtone = -u * self.auto_gain * (u - 1.0) / (den * den);
        j(AUTORECEPTOR, AUTORECEPTOR, T::of(-1.0) / self.desens_tau_h);
        j(
            SERO_BDNF,
            AUTORECEPTOR,
            self.bdnf_gain * dtone / self.tau_creb_h,
        );
        j(SERO_BDNF, SERO_BDNF, T::of(-1.0) / self.tau_creb_h);
    }

    /// Writes dA/dt and dB5/dt (full-state indices).
    #[inline(always)]
    pub fn derivs(
        &self,
        y: &impl Index<usize, Output = T>,
        occ_sert: T,
        tone: T,
        dy: &mut impl IndexMut<usize, Output = T>,
    ) {
        dy[AUTORECEPTOR] =
            (T::of(1.0) - self.desens_max * occ_sert - y[AUTORECEPTOR]) / self.desens_tau_h;
        dy[SERO_BDNF] = (self.bdnf_gain * (tone - 1.0) - y[SERO_BDNF]) / self.tau_creb_h;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Before desensitisation the feedback cancels most of the rise; after it
    /// the tone is clearly raised.
    #[test]
    fn autoreceptor_feedback_delays_the_rise() {
        let s = Serotonin::new(&Params::default());
        let acute = s.tone(0.8, 1.0);
        let late = s.tone(0.8, 1.0 - 0.7 * 0.8);
        assert!(acute < 1.2, "acute {acute}");
        assert!(late > acute + 0.3, "late {late}");
        assert_eq!(s.tone(0.0, 1.0), 1.0);
    }
}
