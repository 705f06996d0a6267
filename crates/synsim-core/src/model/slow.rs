//! The slow (pharmacodynamic) equations and their Jacobian, written once:
//! for one patient (`T = f64`, [`super::Model`]) and for a lock-step batch
//! of patients, one per SIMD lane (`T = V`, [`super::batch::BatchModel`]).
//! A patient alone and the same patient in a population run the same
//! equations by construction.
//!
//! The drugs enter through a [`Drive`] (receptor occupancies and HNK), which
//! each width reads from its own pharmacokinetics; everything after that is
//! here. The circuit sits at its quasi-steady fixed point (docs/MODEL.md
//! 3.4); synaptic glutamate follows its excitatory activity at once, the
//! tissue pools that MRS sees lag behind, and GABA is made from the
//! glutamate pool. Then the signalling, serotonin, synapse and expectancy
//! stages, and the dissociation tolerance.

use crate::circuit::{Circuit, Solved};
use crate::layout::*;
use crate::num::Real;
use crate::receptor::ReceptorModel;
use crate::signalling::{serotonin::Serotonin, Signalling};
use crate::symptom::Expectancy;
use crate::synapse::Synapses;
use std::cell::Cell;
use std::ops::{Index, IndexMut};

/// The constants of the slow equations of one patient, or one per lane.
#[derive(Debug, Clone)]
pub struct Slow<T = f64> {
    /// Receptor occupancy and dissociation tolerance.
    pub receptor: ReceptorModel<T>,
    /// Wilson–Cowan circuit (healthy couplings).
    pub circuit: Circuit<T>,
    /// NMDA share of the E -> E drive.
    pub frac_exc: T,
    /// NMDA share of the E -> I drive.
    pub frac_inh: T,
    /// Does NMDA block on interneurons disinhibit (`mechanisms.disinhibition`)?
    pub disinhibition: bool,
    /// Healthy resting excitatory activity: synaptic glutamate is E over it.
    pub healthy_e: T,
    /// This patient's drug-free resting (E, I): the starting point of every
    /// circuit solve (close to the answer, so Newton needs few steps).
    pub rest: (T, T),
    /// Glutamate-glutamine cycling capacity (1 healthy): the share of
    /// synaptic glutamate activity that shows up in the tissue pool.
    pub cycling: T,
    /// GABA synthesis capacity (1 healthy).
    pub gad: T,
    /// Time constant of the tissue glutamate pool, hours.
    pub tau_glu_h: T,
    /// Time constant of the tissue GABA pool, hours.
    pub tau_gaba_h: T,
    /// BDNF and mTOR signalling.
    pub signalling: Signalling<T>,
    /// The SSRI's serotonin route.
    pub serotonin: Serotonin<T>,
    /// Synapse turnover.
    pub synapse: Synapses<T>,
    /// The patient's drug-free mTOR activity.
    pub basal_mtor: T,
    /// The clocks of the expectancy states.
    pub expectancy: Expectancy<T>,
}

/// What the drugs do to the slow equations at one time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Drive<T = f64> {
    /// NMDA occupancy on pyramidal cells.
    pub nmda: T,
    /// NMDA occupancy on interneurons as the circuit sees it (0 when
    /// disinhibition is switched off).
    pub nmda_inh: T,
    /// SERT occupancy.
    pub sert: T,
    /// Plasma hydroxynorketamine, ng/mL.
    pub hnk: T,
}

/// The circuit's last fixed point: the integrator evaluates the right-hand
/// side and the Jacobian with the same circuit inputs again and again, and
/// the next solve starts from a prediction off the last one.
#[derive(Debug, Clone, Copy)]
pub struct CircuitMemo<T = f64> {
    key: [T; 3],
    last: Option<Solved<T>>,
}

impl<T: Real> Default for CircuitMemo<T> {
    fn default() -> Self {
        CircuitMemo {
            key: [T::of(f64::NAN); 3],
            last: None,
        }
    }
}

impl<T: Real> Slow<T> {
    /// The circuit under the drive's NMDA block with GABA pool `pool`.
    #[inline(always)]
    fn blocked(&self, d: &Drive<T>, pool: T) -> Circuit<T> {
        self.circuit
            .with_block(d.nmda, d.nmda_inh, pool, self.frac_exc, self.frac_inh)
    }

    /// Quasi-steady (E, I) activity for the drive and the GABA pool, from
    /// `memo` when its inputs are the last ones asked for.
    #[inline(always)]
    pub fn circuit_at(&self, d: &Drive<T>, pool: T, memo: &Cell<CircuitMemo<T>>) -> (T, T) {
        let key = [d.nmda, d.nmda_inh, pool];
        let m = memo.get();
        if let Some(last) = m.last {
            if m.key == key {
                return (last.e, last.i);
            }
        }
        // Newton starts from a prediction off the last answer (close, so
        // one step usually does); the lowest-root guard keeps a bistable
        // circuit on its resting branch whatever the start.
        let solved = self.blocked(d, pool).solve_near(m.last.as_ref(), self.rest);
        memo.set(CircuitMemo {
            key,
            last: Some(solved),
        });
        (solved.e, solved.i)
    }

    /// Writes the derivatives of the slow states (full-state indices; the
    /// PK part of `dy` is left untouched).
    #[inline(always)]
    pub fn derivs(
        &self,
        y: &impl Index<usize, Output = T>,
        d: &Drive<T>,
        memo: &Cell<CircuitMemo<T>>,
        dy: &mut impl IndexMut<usize, Output = T>,
    ) {
        let (e, _) = self.circuit_at(d, y[GABA_POOL], memo);
        // Synaptic glutamate follows E at once (AMPA drive); the tissue pools
        // that MRS sees lag behind, and GABA is made from the glutamate pool.
        let glu = e / self.healthy_e;
        dy[GLU_POOL] = (self.cycling * glu - y[GLU_POOL]) / self.tau_glu_h;
        dy[GABA_POOL] = (self.gad * y[GLU_POOL] - y[GABA_POOL]) / self.tau_gaba_h;
        let tone = self.serotonin.tone(d.sert, y[AUTORECEPTOR]);
        self.signalling.derivs(y, glu, d.nmda, d.hnk, dy);
        self.serotonin.derivs(y, d.sert, tone, dy);
        self.synapse.derivs(y, self.basal_mtor, dy);
        self.expectancy.derivs(y, dy);
        dy[DISS_TOLERANCE] = self.receptor.tolerance_rate(d.nmda, y[DISS_TOLERANCE]);
    }

    /// Hands every structurally non-zero entry of the slow states' Jacobian
    /// with respect to themselves to `j(row, column, value)`, with
    /// full-state indices. The drugs enter only through the drive, which
    /// does not depend on the slow states.
    #[inline(always)]
    pub fn jacobian(
        &self,
        y: &impl Index<usize, Output = T>,
        d: &Drive<T>,
        memo: &Cell<CircuitMemo<T>>,
        j: &mut (impl FnMut(usize, usize, T) + ?Sized),
    ) {
        let pool = y[GABA_POOL];
        let (e, i) = self.circuit_at(d, pool, memo);
        // The pool moves E through the circuit's fixed point.
        let dglu = self.blocked(d, pool).exc_sensitivity_to_pool(e, i, pool) / self.healthy_e;
        j(GLU_POOL, GLU_POOL, T::of(-1.0) / self.tau_glu_h);
        j(GLU_POOL, GABA_POOL, self.cycling * dglu / self.tau_glu_h);
        j(GABA_POOL, GLU_POOL, self.gad / self.tau_gaba_h);
        j(GABA_POOL, GABA_POOL, T::of(-1.0) / self.tau_gaba_h);
        self.signalling
            .jacobian(y, e / self.healthy_e, d.nmda, d.hnk, dglu, j);
        self.serotonin.jacobian(y, d.sert, j);
        self.synapse.jacobian(y, self.basal_mtor, j);
        self.expectancy.jacobian(j);
        j(
            DISS_TOLERANCE,
            DISS_TOLERANCE,
            T::of(-1.0) / self.receptor.tolerance_tau_h,
        );
    }
}
