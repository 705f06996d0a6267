//! Receptor occupancy: NMDA block by every NMDA-active species and SERT
//! occupancy by escitalopram.
//!
//! NMDA: all species compete for the same (PCP) site, so with free
//! concentrations `c_i` (µM) and affinities `Ki_i`
//!
//! ```text
//! load = Σ c_i / Ki_i          occupancy = s·load / (1 + s·load)
//! ```
//!
//! with `s = 1` for pyramidal cells and `s = receptor.interneuron_sensitivity`
//! for tonically active GABA interneurons (their channels are open more often,
//! so a use-dependent open-channel blocker reaches them first).
//! Racemic ketamine and norketamine are split 50:50 into S and R.

use crate::num::Real;
use crate::params::{id, Params};
use crate::pk::mw;

/// Affinities and sensitivities, of one patient (`T = f64`) or one per lane
/// of a batch.
#[derive(Debug, Clone)]
pub struct ReceptorModel<T = f64> {
    pub(crate) ki_s_ket: T,
    pub(crate) ki_r_ket: T,
    pub(crate) ki_s_nk: T,
    pub(crate) ki_r_nk: T,
    pub(crate) fu_ket: T,
    pub(crate) fu_esk: T,
    pub(crate) interneuron_sensitivity: T,
    pub(crate) sert_ec50: T,
    pub(crate) diss_occ50: T,
    pub(crate) diss_hill: T,
    /// Tolerance build-up per hour of full occupancy.
    pub tolerance_gain_per_h: T,
    /// Tolerance decay time constant, hours.
    pub tolerance_tau_h: T,
}

/// Effect-site concentrations (total drug, ng/mL) of the NMDA blockers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EffectSites<T = f64> {
    /// Racemic ketamine.
    pub ketamine: T,
    /// Racemic norketamine.
    pub norketamine: T,
    /// Esketamine.
    pub esketamine: T,
    /// Noresketamine.
    pub noresketamine: T,
}

/// Receptor occupancies at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Occupancy<T = f64> {
    /// NMDA occupancy on pyramidal cells, 0-1.
    pub nmda: T,
    /// NMDA occupancy on GABA interneurons, 0-1.
    pub nmda_interneuron: T,
    /// SERT occupancy, 0-1.
    pub sert: T,
}

/// Hill/Emax occupancy `s·load / (1 + s·load)` for a single site.
#[inline(always)]
pub fn site_occupancy<T: Real>(load: T, sensitivity: T) -> T {
    let l = (sensitivity * load).max(T::of(0.0));
    l / (T::of(1.0) + l)
}

impl ReceptorModel {
    /// Reads the receptor parameters.
    pub fn new(p: &Params) -> ReceptorModel {
        ReceptorModel {
            ki_s_ket: p[id::KI_S_KET],
            ki_r_ket: p[id::KI_R_KET],
            ki_s_nk: p[id::KI_S_NK],
            ki_r_nk: p[id::KI_R_NK],
            fu_ket: p[id::KET_FU],
            fu_esk: p[id::KET_FU],
            interneuron_sensitivity: p[id::INTERNEURON_SENS],
            sert_ec50: p[id::SERT_EC50],
            diss_occ50: p[id::DISS_OCC50],
            diss_hill: p[id::DISS_HILL],
            tolerance_gain_per_h: p[id::DISS_TOL_GAIN],
            tolerance_tau_h: p[id::DISS_TOL_TAU] * 24.0,
        }
    }

    /// Illustrative 0-1 dissociation proxy: a steep Hill function of
    /// pyramidal NMDA occupancy, shifted to higher occupancies by the
    /// tolerance `tolerance` (0 = naive) built over earlier sessions.
    pub fn dissociation(&self, nmda: f64, tolerance: f64) -> f64 {
        // Drug-free rows (most of a long run) skip the power: 0^h = 0.
        if nmda <= 0.0 {
            return 0.0;
        }
        let occ50 = self.diss_occ50 * (1.0 + tolerance.max(0.0));
        let x = (nmda / occ50).powf(self.diss_hill);
        x / (1.0 + x)
    }
}

impl<T: Real> ReceptorModel<T> {
    /// NMDA load `Σ c_free/Ki` from total effect-site concentrations (ng/mL)
    /// of racemic ketamine, racemic norketamine, esketamine and
    /// noresketamine (S-norketamine).
    #[inline(always)]
    pub fn nmda_load(&self, c: &EffectSites<T>) -> T {
        let zero = T::of(0.0);
        let ket_um = self.fu_ket * c.ketamine.max(zero) / mw::KETAMINE;
        // Norketamine binding is assumed equal to ketamine's (no direct data).
        let nk_um = self.fu_ket * c.norketamine.max(zero) / mw::NORKETAMINE;
        let esk_um = self.fu_esk * c.esketamine.max(zero) / mw::KETAMINE;
        let nesk_um = self.fu_ket * c.noresketamine.max(zero) / mw::NORKETAMINE;
        // Half of a racemate is each enantiomer.
        ket_um * 0.5 / self.ki_s_ket
            + ket_um * 0.5 / self.ki_r_ket
            + nk_um * 0.5 / self.ki_s_nk
            + nk_um * 0.5 / self.ki_r_nk
            + esk_um / self.ki_s_ket
            + nesk_um / self.ki_s_nk
    }

    /// Occupancies from effect-site NMDA concentrations and plasma escitalopram.
    #[inline(always)]
    pub fn occupancy(&self, sites: &EffectSites<T>, escitalopram: T) -> Occupancy<T> {
        let load = self.nmda_load(sites);
        let c = escitalopram.max(T::of(0.0));
        Occupancy {
            nmda: site_occupancy(load, T::of(1.0)),
            nmda_interneuron: site_occupancy(load, self.interneuron_sensitivity),
            sert: c / (c + self.sert_ec50),
        }
    }

    /// Rate of change of the dissociation tolerance (per hour):
    /// `dT/dt = tolerance_gain · occ_nmda - T / tolerance_tau`.
    #[inline(always)]
    pub fn tolerance_rate(&self, nmda: T, tolerance: T) -> T {
        self.tolerance_gain_per_h * nmda.max(T::of(0.0)) - tolerance / self.tolerance_tau_h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ket(ng_ml: f64) -> EffectSites {
        EffectSites {
            ketamine: ng_ml,
            ..EffectSites::default()
        }
    }

    fn esk(ng_ml: f64) -> EffectSites {
        EffectSites {
            esketamine: ng_ml,
            ..EffectSites::default()
        }
    }

    /// Ebert 1997 Ki values: 185 ng/mL racemic, fu 0.55 -> about 46 %.
    #[test]
    fn occupancy_at_end_of_antidepressant_infusion() {
        let r = ReceptorModel::new(&Params::default());
        let o = r.occupancy(&ket(185.0), 0.0);
        assert!((o.nmda - 0.464).abs() < 0.01, "{}", o.nmda);
        assert!(o.nmda_interneuron > o.nmda);
    }

    #[test]
    fn single_site_formula() {
        assert_eq!(site_occupancy(0.0, 1.0), 0.0);
        assert!((site_occupancy(1.0, 1.0) - 0.5).abs() < 1e-12);
        assert!((site_occupancy(1.0, 3.0) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn esketamine_is_more_potent_than_racemate() {
        let r = ReceptorModel::new(&Params::default());
        let rac = r.occupancy(&ket(100.0), 0.0).nmda;
        let s = r.occupancy(&esk(100.0), 0.0).nmda;
        assert!(s > rac);
    }

    #[test]
    fn sert_half_occupancy_at_ec50() {
        let r = ReceptorModel::new(&Params::default());
        let ec50 = Params::default()[id::SERT_EC50];
        assert!((r.occupancy(&EffectSites::default(), ec50).sert - 0.5).abs() < 1e-12);
    }
}
