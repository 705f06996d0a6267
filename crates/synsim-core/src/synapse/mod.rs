//! Spine / synapse density and the slow consolidation of recovery.
//!
//! ```text
//! dN/dt = (P - N) / tau_maturation                     (maturing spines; 0 without synaptogenesis)
//! dS/dt = k (beta (1 + formation_gain · N · room) - (1 + sigma · (L + Ep)) S),  k = 1 / turnover
//! room  = max(0, (max_density - S) / (max_density - S0))   (1 at the patient's baseline S0)
//! beta  = M / b0  (trophic BDNF/mTOR tone relative to rest; 1 without synaptogenesis)
//! sigma = 1 / (1 - synapse_deficit) - 1                (extra elimination of the untreated illness)
//! dL/dt = -L · w / consolidation_tau,   w = clamp((S - S_L) / (1 - S0), 0, 1)
//! S_L   = 1 / (1 + sigma · L)                          (drug-free density of illness state L)
//! dEp/dt = -Ep / episode_tau                           (a new episode's extra illness; set at its onset)
//! ```
//!
//! So the healthy steady state is S = 1 and the depressed one S0 = 1 - deficit.
//! `L` is the illness state: 1 untreated, lower as restored synapses
//! consolidate recovery. `w` is the share of the lost synapses that the
//! treatment holds above what the illness state itself sustains: while it
//! is positive the extra elimination fades with time constant
//! `consolidation_tau / w`; drug-free the density settles at `S_L`, `w`
//! falls to 0 and `L` stays where it is (no self-sustaining drift), so a
//! long enough recovery lasts. A new episode (`Ep`, set at its onset by
//! [`crate::model::Model::apply_episode`]) adds its own extra elimination,
//! which fades as the episode resolves; it is not consolidated away, so
//! treatment can hold the density through it or not.

use crate::layout::*;
use crate::num::Real;
use crate::params::{id, Params};
use std::ops::{Index, IndexMut};

/// Synapse turnover constants (per hour), of one patient (`T = f64`) or one
/// per lane of a batch.
#[derive(Debug, Clone)]
pub struct Synapses<T = f64> {
    pub(crate) k: T,
    pub(crate) sigma: T,
    pub(crate) formation_gain: T,
    pub(crate) tau_maturation_h: T,
    pub(crate) synaptogenesis: bool,
    pub(crate) baseline: T,
    pub(crate) max_density: T,
    pub(crate) consolidation_tau_h: T,
    pub(crate) episode_tau_h: T,
}

impl Synapses {
    /// Reads `synapse.*` and the patient's deficits.
    pub fn new(p: &Params) -> Synapses {
        let baseline = if p.flag(id::DEPRESSED) {
            1.0 - p[id::SYN_DEFICIT]
        } else {
            1.0
        };
        Synapses {
            k: 1.0 / (p[id::SYN_TURNOVER] * 24.0),
            sigma: 1.0 / baseline - 1.0,
            formation_gain: p[id::FORMATION_GAIN],
            tau_maturation_h: p[id::TAU_MATURATION],
            synaptogenesis: p.flag(id::MECH_SYNAPTOGENESIS),
            baseline,
            max_density: p[id::MAX_DENSITY],
            consolidation_tau_h: p[id::CONSOLIDATION_TAU] * 24.0,
            episode_tau_h: p[id::EPISODE_TAU_W] * 7.0 * 24.0,
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

    /// Drug-free steady density (trophic tone 1, no maturing spines, the
    /// untreated illness).
    pub fn steady_density(&self) -> f64 {
        1.0 / (1.0 + self.sigma)
    }
}

impl<T: Real> Synapses<T> {
    /// Share of the lost synapses that density `s` holds above the
    /// drug-free density of illness state `l` (0-1), and its derivatives
    /// with respect to `s` and `l` (0 where the share is held at 0 or 1, and
    /// for a patient who lost none).
    #[inline(always)]
    fn restored(&self, s: T, l: T) -> (T, T, T) {
        let zero = T::of(0.0);
        let lost = T::of(1.0) - self.baseline;
        let q = T::of(1.0) + self.sigma * l;
        let w = (s - q.recip()) / lost;
        let some = T::and(lost.gt(T::of(1e-9)), w.gt(zero));
        let inside = T::and(some, w.lt(T::of(1.0)));
        (
            T::select(some, T::select(inside, w, T::of(1.0)), zero),
            T::select(inside, lost.recip(), zero),
            T::select(inside, self.sigma / (q * q * lost), zero),
        )
    }

    /// Trophic tone and the spines' drive: `(beta, dbeta/dM, drive)`.
    #[inline(always)]
    fn inputs(&self, y: &impl Index<usize, Output = T>, b0: T) -> (T, T, T) {
        if self.synaptogenesis {
            (y[MTOR] / b0, b0.recip(), y[PROTEIN])
        } else {
            (T::of(1.0), T::of(0.0), T::of(0.0))
        }
    }

    /// Room on the dendrite for drug-driven spines and its derivative.
    #[inline(always)]
    fn room(&self, s: T) -> (T, T) {
        let span = (self.max_density - self.baseline).max(T::of(1e-9));
        let raw = (self.max_density - s) / span;
        let open = raw.gt(T::of(0.0));
        (
            T::select(open, raw, T::of(0.0)),
            T::select(open, T::of(-1.0) / span, T::of(0.0)),
        )
    }

    /// Jacobian rows of N, S and L (full-state indices); `b0` is the
    /// patient's basal BDNF.
    #[inline(always)]
    pub fn jacobian(
        &self,
        y: &impl Index<usize, Output = T>,
        b0: T,
        j: &mut (impl FnMut(usize, usize, T) + ?Sized),
    ) {
        let (beta, dbeta, _) = self.inputs(y, b0);
        let (room, droom) = self.room(y[SYNAPSE]);
        let l = y[ILLNESS];
        if self.synaptogenesis {
            j(NASCENT, PROTEIN, self.tau_maturation_h.recip());
            j(
                SYNAPSE,
                MTOR,
                self.k * dbeta * (T::of(1.0) + self.formation_gain * y[NASCENT] * room),
            );
        }
        j(NASCENT, NASCENT, T::of(-1.0) / self.tau_maturation_h);
        j(SYNAPSE, NASCENT, self.k * beta * self.formation_gain * room);
        let ill = l + y[EPISODE];
        j(
            SYNAPSE,
            SYNAPSE,
            self.k
                * (beta * self.formation_gain * y[NASCENT] * droom
                    - (T::of(1.0) + self.sigma * ill)),
        );
        j(SYNAPSE, ILLNESS, -self.k * self.sigma * y[SYNAPSE]);
        j(SYNAPSE, EPISODE, -self.k * self.sigma * y[SYNAPSE]);
        j(EPISODE, EPISODE, T::of(-1.0) / self.episode_tau_h);
        let (w, dw_ds, dw_dl) = self.restored(y[SYNAPSE], l);
        j(
            ILLNESS,
            ILLNESS,
            -(w + l * dw_dl) / self.consolidation_tau_h,
        );
        j(ILLNESS, SYNAPSE, -l * dw_ds / self.consolidation_tau_h);
    }

    /// Writes dN/dt, dS/dt and dL/dt (full-state indices); `b0` is the
    /// patient's basal BDNF.
    #[inline(always)]
    pub fn derivs(
        &self,
        y: &impl Index<usize, Output = T>,
        b0: T,
        dy: &mut impl IndexMut<usize, Output = T>,
    ) {
        let (beta, _, drive) = self.inputs(y, b0);
        dy[NASCENT] = (drive - y[NASCENT]) / self.tau_maturation_h;
        // New spines need room on the dendrite: drug-driven formation fades as
        // the density approaches max_density.
        let (room, _) = self.room(y[SYNAPSE]);
        dy[SYNAPSE] = self.k
            * (beta * (T::of(1.0) + self.formation_gain * y[NASCENT] * room)
                - (T::of(1.0) + self.sigma * (y[ILLNESS] + y[EPISODE])) * y[SYNAPSE]);
        let (w, _, _) = self.restored(y[SYNAPSE], y[ILLNESS]);
        dy[ILLNESS] = -y[ILLNESS] * w / self.consolidation_tau_h;
        dy[EPISODE] = -y[EPISODE] / self.episode_tau_h;
    }
}
