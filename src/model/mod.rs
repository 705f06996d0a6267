//! Couples the stages into one ODE system and reads observables from it.
//!
//! The state holds the linear PK compartments (fast: minutes) and the slow
//! pharmacodynamic pools (GABA pool, BDNF, mTOR, synaptic proteins, nascent
//! spines, synapse density, autoreceptor sensitivity, serotonergic BDNF,
//! expectancy). The E/I circuit relaxes in milliseconds and is kept at its
//! quasi-steady state, so the fastest rate in the ODE is set by PK
//! distribution, not by the circuit. See docs/MODEL.md for every equation.

pub mod layout;

use crate::circuit::Circuit;
use crate::params::{id, Params};
use crate::pk::{Infusion, Plasma, PkModel};
use crate::receptor::{Occupancy, ReceptorModel};
use crate::signalling::{self, serotonin};
use crate::{symptom, synapse};
use layout::*;

/// The full state vector.
pub type State = [f64; N];

/// Everything the output contract reports at one time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Observables {
    /// Hours since the first dose.
    pub time_h: f64,
    /// Total administration rate, mg/h (infusions; instantaneous doses are 0).
    pub dose_rate_mg_per_h: f64,
    /// Plasma concentrations, ng/mL.
    pub plasma: Plasma,
    /// Receptor occupancies.
    pub occupancy: Occupancy,
    /// Excitatory population activity (0-1).
    pub exc_activity: f64,
    /// Inhibitory population activity (0-1).
    pub inh_activity: f64,
    /// Glutamate tone relative to healthy.
    pub glutamate_rel: f64,
    /// GABA tone relative to healthy.
    pub gaba_rel: f64,
    /// BDNF relative to healthy.
    pub bdnf_rel: f64,
    /// mTOR activity relative to healthy.
    pub mtor_rel: f64,
    /// Synapse density relative to healthy.
    pub synapse_density_rel: f64,
    /// Illustrative MADRS-like score, 0-60.
    pub symptom_score: f64,
    /// Illustrative dissociation proxy, 0-1.
    pub dissociation: f64,
    /// Newly made synaptic proteins (excess over baseline, arbitrary units).
    pub synaptic_protein: f64,
    /// Share of symptoms relieved by acute synaptic potentiation (0-1).
    pub rapid_relief: f64,
    /// Synaptic serotonin tone relative to drug-free.
    pub serotonin_rel: f64,
    /// 5-HT1A autoreceptor sensitivity (1 = naive).
    pub autoreceptor: f64,
    /// Expectancy (placebo) relief, 0-1.
    pub expectancy: f64,
}

/// Per-patient constants derived once from the parameters.
#[derive(Debug, Clone)]
pub struct Model {
    /// Pharmacokinetics.
    pub pk: PkModel,
    /// Receptor occupancy.
    pub receptor: ReceptorModel,
    /// Wilson–Cowan circuit (healthy couplings).
    pub circuit: Circuit,
    /// Slow signalling constants.
    pub signalling: signalling::Signalling,
    /// Serotonin (SSRI) route.
    pub serotonin: serotonin::Serotonin,
    /// Synapse turnover.
    pub synapse: synapse::Synapses,
    /// Score mapping.
    pub symptom: symptom::Symptom,
    frac_exc: f64,
    frac_inh: f64,
    tau_glu_h: f64,
    tau_gaba_h: f64,
    disinhibition: bool,
    /// Healthy resting (E, I) activity.
    healthy_ei: (f64, f64),
    /// GABA synthesis capacity (1 healthy).
    gad_capacity: f64,
    /// Drug-free state of this patient.
    baseline: State,
    /// Body weight, kg.
    pub weight_kg: f64,
}

impl Model {
    /// Builds the model for one patient and finds its drug-free steady state.
    pub fn new(p: &Params) -> Model {
        let depressed = p.flag(id::DEPRESSED);
        let circuit = Circuit::new(p);
        let healthy_ei = circuit.fixed_point((0.03, 0.02));
        let gad_capacity = if depressed {
            1.0 - p[id::GAD_DEFICIT]
        } else {
            1.0
        };
        let mut m = Model {
            pk: PkModel::new(p),
            receptor: ReceptorModel::new(p),
            circuit,
            signalling: signalling::Signalling::new(p),
            serotonin: serotonin::Serotonin::new(p),
            synapse: synapse::Synapses::new(p),
            symptom: symptom::Symptom::new(p),
            frac_exc: p[id::NMDA_FRAC_EXC],
            frac_inh: p[id::NMDA_FRAC_INH],
            tau_glu_h: p[id::TAU_GLU] / 60.0,
            tau_gaba_h: p[id::TAU_GABA] / 60.0,
            disinhibition: p.flag(id::MECH_DISINHIBITION),
            healthy_ei,
            gad_capacity,
            baseline: [0.0; N],
            weight_kg: p[id::WEIGHT],
        };
        m.baseline = m.drug_free_state();
        let glu0 = m.baseline[GLU_POOL];
        m.signalling.set_baseline_glutamate(glu0);
        m
    }

    /// The patient's drug-free steady state (the end of an infinitely long run-in).
    pub fn baseline(&self) -> State {
        self.baseline
    }

    fn drug_free_state(&self) -> State {
        let mut y = [0.0; N];
        // GABA pool and glutamate are mutually dependent: iterate to the fixed point.
        let mut pool = self.gad_capacity;
        let mut glu = 1.0;
        for _ in 0..500 {
            y[GABA_POOL] = pool;
            let (e, _) = self.circuit_state(&y, &Occupancy::default());
            glu = e / self.healthy_ei.0;
            let next = self.gad_capacity * glu;
            if (next - pool).abs() < 1e-14 {
                pool = next;
                break;
            }
            pool = next;
        }
        y[GLU_POOL] = glu;
        y[GABA_POOL] = pool;
        let b0 = self.signalling.basal_bdnf();
        y[BDNF] = b0;
        y[MTOR] = b0;
        y[SYNAPSE] = self.synapse.baseline_density();
        y[AUTORECEPTOR] = 1.0;
        y
    }

    /// Quasi-steady E and I activity for the state's GABA pool and the given
    /// occupancies.
    fn circuit_state(&self, y: &State, occ: &Occupancy) -> (f64, f64) {
        let occ_inh = if self.disinhibition {
            occ.nmda_interneuron
        } else {
            0.0
        };
        self.circuit
            .with_block(occ.nmda, occ_inh, y[GABA_POOL], self.frac_exc, self.frac_inh)
            .fixed_point(self.healthy_ei)
    }

    fn occupancy(&self, y: &State) -> Occupancy {
        let esc = self.pk.plasma(y).escitalopram;
        self.receptor
            .occupancy(y[KET_CE], y[NK_CE], y[ESK_CE], esc)
    }

    /// Right-hand side of the whole system (per hour).
    pub fn rhs(&self, y: &State, inf: &Infusion, dy: &mut State) {
        self.pk.derivs(y, inf, dy);
        let occ = self.occupancy(y);
        let (e, _) = self.circuit_state(y, &occ);
        // Synaptic glutamate follows E at once (AMPA drive); the tissue pools
        // that MRS sees lag behind, and GABA is made from the glutamate pool.
        let glu = e / self.healthy_ei.0;
        dy[GLU_POOL] = (glu - y[GLU_POOL]) / self.tau_glu_h;
        dy[GABA_POOL] = (self.gad_capacity * y[GLU_POOL] - y[GABA_POOL]) / self.tau_gaba_h;
        let hnk = self.pk.plasma(y).hnk;
        let sero = self.serotonin.tone(occ.sert, y[AUTORECEPTOR]);
        self.signalling
            .derivs(y, glu, occ.nmda, hnk, dy);
        self.serotonin.derivs(y, occ.sert, sero, dy);
        self.synapse.derivs(y, self.signalling.basal_bdnf(), dy);
        dy[EXPECTANCY] = -y[EXPECTANCY] / self.symptom.placebo_tau_h;
    }

    /// Applies the expectancy of a treatment session (any dose, placebo too).
    /// Each session renews the expectancy rather than adding to it, so daily
    /// pills do not pile up a large placebo effect.
    pub fn apply_session(&self, y: &mut State) {
        y[EXPECTANCY] = y[EXPECTANCY].max(self.symptom.placebo_gain);
    }

    /// Reads every observable from a state.
    pub fn observe(&self, t_h: f64, y: &State, inf: &Infusion) -> Observables {
        let occ = self.occupancy(y);
        let (e, i) = self.circuit_state(y, &occ);
        let relief = self.symptom.rapid_relief(y[PROTEIN]);
        Observables {
            time_h: t_h,
            dose_rate_mg_per_h: inf.total(),
            plasma: self.pk.plasma(y),
            occupancy: occ,
            exc_activity: e,
            inh_activity: i,
            glutamate_rel: y[GLU_POOL],
            gaba_rel: y[GABA_POOL],
            bdnf_rel: y[BDNF],
            mtor_rel: y[MTOR],
            synapse_density_rel: y[SYNAPSE],
            symptom_score: self.symptom.score(y[SYNAPSE], relief, y[EXPECTANCY]),
            dissociation: self.receptor.dissociation(occ.nmda),
            synaptic_protein: y[PROTEIN],
            rapid_relief: relief,
            serotonin_rel: self.serotonin.tone(occ.sert, y[AUTORECEPTOR]),
            autoreceptor: y[AUTORECEPTOR],
            expectancy: y[EXPECTANCY],
        }
    }
}
