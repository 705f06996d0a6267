//! Couples the stages into one ODE system and reads observables from it.
//!
//! The state holds the linear PK compartments (fast: minutes) and the slow
//! pharmacodynamic pools (GABA pool, BDNF, mTOR, synaptic proteins, nascent
//! spines, synapse density, autoreceptor sensitivity, serotonergic BDNF,
//! expectancy). The E/I circuit relaxes in milliseconds and is kept at its
//! quasi-steady state, so the fastest rate in the ODE is set by PK
//! distribution, not by the circuit. See docs/MODEL.md for every equation.

pub mod batch;
pub mod lanes;
mod slow;

pub use slow::{CircuitMemo, Drive, Slow};

use crate::circuit::Circuit;
use crate::layout::*;
use crate::params::{id, Params};
use crate::pk::modal::ModalPk;
use crate::pk::{Infusion, PkModel, Plasma};
use crate::receptor::{Occupancy, ReceptorModel};
use crate::signalling::{self, serotonin};
use crate::{symptom, synapse};
use std::cell::Cell;

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
    /// Excitatory population activity (0-1; NaN when observed with
    /// [`Detail::Outcomes`]).
    pub exc_activity: f64,
    /// Inhibitory population activity (0-1; NaN with [`Detail::Outcomes`]).
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

/// How much of the [`Observables`] to compute at each output time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything.
    Full,
    /// Everything but the circuit activities (left NaN): the population
    /// outcomes never read them, and each costs a circuit solve.
    Outcomes,
}

/// Per-patient constants derived once from the parameters.
#[derive(Debug, Clone)]
pub struct Model {
    /// Pharmacokinetics.
    pub pk: PkModel,
    /// The slow equations (receptor, circuit, pools, signalling, serotonin,
    /// synapse, expectancy), written once for any width.
    pub slow: Slow,
    /// Score mapping.
    pub symptom: symptom::Symptom,
    /// Drug-free state of this patient.
    pub(crate) baseline: State,
    /// Body weight, kg.
    pub weight_kg: f64,
    /// Exact PK between dose events (modal form, or the matrix exponential
    /// for a confluent block).
    pub modal: ModalPk,
    /// This patient's next new episode: its onset (h after the first dose)
    /// and the rise of the illness state it brings (`course.*`), or None.
    pub(crate) episode: Option<(f64, f64)>,
}

impl Model {
    /// Builds the model for one patient and finds its drug-free steady state.
    pub fn new(p: &Params) -> Model {
        let depressed = p.flag(id::DEPRESSED);
        let circuit = Circuit::new(p);
        let healthy = circuit.fixed_point((0.03, 0.02));
        let capacity = |deficit| if depressed { 1.0 - p[deficit] } else { 1.0 };
        let pk = PkModel::new(p);
        let mut m = Model {
            modal: ModalPk::new(&pk),
            pk,
            slow: Slow {
                receptor: ReceptorModel::new(p),
                circuit,
                frac_exc: p[id::NMDA_FRAC_EXC],
                frac_inh: p[id::NMDA_FRAC_INH],
                disinhibition: p.flag(id::MECH_DISINHIBITION),
                healthy_e: healthy.0,
                rest: healthy,
                cycling: capacity(id::CYCLING_DEFICIT),
                gad: capacity(id::GAD_DEFICIT),
                tau_glu_h: p[id::TAU_GLU] / 60.0,
                tau_gaba_h: p[id::TAU_GABA] / 60.0,
                signalling: signalling::Signalling::new(p),
                serotonin: serotonin::Serotonin::new(p),
                synapse: synapse::Synapses::new(p),
                basal_mtor: 0.0,
                expectancy: symptom::Expectancy::new(p),
            },
            symptom: symptom::Symptom::new(p),
            baseline: [0.0; N],
            weight_kg: p[id::WEIGHT],
            episode: episode_of(p),
        };
        // The AMPA drive reads synaptic glutamate, the pool divided by the
        // cycling capacity.
        let glu = m.drug_free_glutamate().0 / m.slow.cycling;
        m.slow.signalling.set_baseline_glutamate(glu);
        m.baseline = m.drug_free_state();
        m.slow.basal_mtor = m.baseline[MTOR];
        m.slow.rest = m.circuit_state(&m.baseline, &Occupancy::default());
        m
    }

    /// The patient's drug-free steady state (the end of an infinitely long run-in).
    pub fn baseline(&self) -> State {
        self.baseline
    }

    /// Drug-free glutamate and GABA pools. They depend on each other
    /// (pool = gad · cycling · glu(pool)); glu falls as the pool rises, so
    /// g(pool) = gad · cycling · glu(pool) - pool has a single root, bracketed
    /// by stepping outwards from the pool of a circuit at healthy activity.
    /// The Illinois variant of regula falsi keeps the bracket and converges
    /// superlinearly: about a dozen circuit solves, each started next to the
    /// previous one.
    fn drug_free_glutamate(&self) -> (f64, f64) {
        let mut y = [0.0; N];
        let memo = Cell::new(CircuitMemo::default());
        let gain = self.slow.gad * self.slow.cycling;
        let mut g = |pool: f64| {
            y[GABA_POOL] = pool;
            let glu =
                self.circuit_state_memo(&y, &Occupancy::default(), &memo).0 / self.slow.healthy_e;
            gain * glu - pool
        };
        // Bracket the root outwards from the pool of a circuit at healthy
        // activity (glu = 1): the root is close to it, and the circuits far
        // below it (nearly GABA-free, high activity) are costly to solve.
        let p0 = gain.max(1e-6);
        let g0 = g(p0);
        if g0 == 0.0 {
            return (p0 / self.slow.gad.max(1e-12), p0);
        }
        let (mut a, mut ga, mut b, mut gb) = (p0, g0, p0, g0);
        for _ in 0..60 {
            if g0 > 0.0 {
                // g falls as the pool rises: look above.
                (a, ga) = (b, gb);
                b *= 1.25;
                gb = g(b);
                if gb <= 0.0 {
                    break;
                }
            } else {
                (b, gb) = (a, ga);
                a /= 1.25;
                ga = g(a);
                if ga >= 0.0 {
                    break;
                }
            }
        }
        if !(ga >= 0.0 && gb <= 0.0) {
            // No sign change within the search: keep the closer end.
            let pool = if ga.abs() < gb.abs() { a } else { b };
            return (pool / self.slow.gad.max(1e-12), pool);
        }
        for _ in 0..200 {
            let c = b - gb * (b - a) / (gb - ga);
            // The circuit solve is exact only to rounding, so near the root
            // g is noise and the bracket cannot shrink to a few ulps: stop at
            // a relative width of 1e-13 (a pool error far below anything the
            // rest of the model resolves).
            if !(c > a.min(b) && c < a.max(b)) || (b - a).abs() <= 1e-13 * b.abs() {
                break;
            }
            let gc = g(c);
            if gc == 0.0 {
                (b, gb) = (c, gc);
                break;
            }
            if (gc > 0.0) == (gb > 0.0) {
                // The same end moved twice: halve the other end's weight.
                ga *= 0.5;
            } else {
                (a, ga) = (b, gb);
            }
            (b, gb) = (c, gc);
        }
        let pool = if ga.abs() < gb.abs() { a } else { b };
        (pool / self.slow.gad.max(1e-12), pool)
    }

    fn drug_free_state(&self) -> State {
        let mut y = [0.0; N];
        (y[GLU_POOL], y[GABA_POOL]) = self.drug_free_glutamate();
        let b0 = self.slow.signalling.basal_bdnf_target();
        y[BDNF] = b0;
        y[MTOR] = b0;
        y[PROTEIN] = self.slow.signalling.basal_protein();
        y[NASCENT] = 0.0;
        y[SYNAPSE] = self.slow.synapse.steady_density();
        y[AUTORECEPTOR] = 1.0;
        y[ILLNESS] = 1.0;
        y[DISS_TOLERANCE] = 0.0;
        y
    }

    /// Quasi-steady E and I activity for the state's GABA pool and the given
    /// occupancies.
    fn circuit_state(&self, y: &State, occ: &Occupancy) -> (f64, f64) {
        self.circuit_state_memo(y, occ, &Cell::new(CircuitMemo::default()))
    }

    fn circuit_state_memo(
        &self,
        y: &State,
        occ: &Occupancy,
        memo: &Cell<CircuitMemo>,
    ) -> (f64, f64) {
        self.slow
            .circuit_at(&self.drive_of(y, occ), y[GABA_POOL], memo)
    }

    /// What the drugs of state `y` (with occupancies `occ`) do to the slow
    /// equations.
    fn drive_of(&self, y: &State, occ: &Occupancy) -> Drive {
        Drive {
            nmda: occ.nmda,
            nmda_inh: if self.slow.disinhibition {
                occ.nmda_interneuron
            } else {
                0.0
            },
            sert: occ.sert,
            hnk: self.pk.plasma(y).hnk,
        }
    }

    /// The dissociation proxy of a state; it reads only the PK states.
    pub fn dissociation(&self, y: &State) -> f64 {
        self.slow
            .receptor
            .dissociation(self.occupancy(y).nmda, y[DISS_TOLERANCE])
    }

    fn occupancy(&self, y: &State) -> Occupancy {
        let esc = self.pk.plasma(y).escitalopram;
        let sites = crate::receptor::EffectSites {
            ketamine: y[KET_CE],
            norketamine: y[NK_CE],
            esketamine: y[ESK_CE],
            noresketamine: y[NESK_CE],
        };
        self.slow.receptor.occupancy(&sites, esc)
    }

    /// Right-hand side of the whole system (per hour).
    pub fn rhs(&self, y: &State, inf: &Infusion, dy: &mut State) {
        self.rhs_memo(y, inf, dy, &Cell::new(CircuitMemo::default()));
    }

    /// [`Model::rhs`] reusing the last circuit fixed point in `memo`.
    pub fn rhs_memo(&self, y: &State, inf: &Infusion, dy: &mut State, memo: &Cell<CircuitMemo>) {
        self.pk.derivs(y, inf, dy);
        self.rhs_pd(y, dy, memo);
    }

    /// Derivatives of the slow (non-PK) states only; the PK part of `dy` is
    /// left untouched.
    pub fn rhs_pd(&self, y: &State, dy: &mut State, memo: &Cell<CircuitMemo>) {
        let d = self.drive_of(y, &self.occupancy(y));
        self.slow.derivs(y, &d, memo, dy);
    }

    /// Jacobian of the slow (non-PK) states with respect to themselves, at
    /// a state whose PK part is given: `j(row, col, value)` with full-state
    /// indices. PK enters only through occupancies, which do not depend on
    /// the slow states.
    pub fn jacobian_pd(
        &self,
        y: &State,
        memo: &Cell<CircuitMemo>,
        j: &mut dyn FnMut(usize, usize, f64),
    ) {
        let d = self.drive_of(y, &self.occupancy(y));
        self.slow.jacobian(y, &d, memo, j);
    }

    /// Applies the expectancy of treatment session `ev` (any dose, placebo
    /// too; its size depends on the setting, see
    /// [`symptom::Symptom::session_expectancy`]). Each session renews the
    /// expectancy drive rather than adding to it, so daily pills do not pile
    /// up a large placebo effect; the relief felt follows the drive over
    /// hours, so a session causes no jump.
    /// A pill renews its own drive, whose relief builds over weeks (a
    /// trial's placebo-pill arm keeps improving to its last visit).
    pub fn apply_session(&self, ev: &crate::regimen::DoseEvent, y: &mut State) {
        let drive = match ev.route {
            crate::regimen::Route::Oral => PILL_DRIVE,
            _ => EXPECTANCY_DRIVE,
        };
        y[drive] = y[drive].max(self.symptom.session_expectancy(ev));
    }

    /// The onset of this patient's new episode (h after the first dose), if
    /// there is one: a segment boundary of the walk, like a dose.
    pub fn episode_onset_h(&self) -> Option<f64> {
        self.episode.map(|(t, _)| t)
    }

    /// Applies the new episode that begins at `t_h`, if this patient's
    /// begins then: its own extra illness appears, on top of what is left
    /// of the last one, and fades as the episode resolves (section 3.7 of
    /// docs/MODEL.md).
    pub fn apply_episode(&self, t_h: f64, y: &mut State) {
        if let Some((onset, size)) = self.episode {
            if onset == t_h {
                y[EPISODE] += size;
            }
        }
    }

    /// Reads every observable from a state.
    pub fn observe(&self, t_h: f64, y: &State, inf: &Infusion) -> Observables {
        self.observe_with(t_h, y, inf, Detail::Full)
    }

    /// Reads the observables `detail` asks for from a state.
    pub fn observe_with(&self, t_h: f64, y: &State, inf: &Infusion, detail: Detail) -> Observables {
        let occ = self.occupancy(y);
        let (e, i) = match detail {
            Detail::Full => self.circuit_state(y, &occ),
            Detail::Outcomes => (f64::NAN, f64::NAN),
        };
        let relief = self.symptom.rapid_relief(y[PROTEIN]);
        let expectancy = symptom::combined_expectancy(y[EXPECTANCY], y[PILL_EXPECTANCY]);
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
            symptom_score: self.symptom.score(t_h, y[SYNAPSE], relief, expectancy),
            dissociation: self.slow.receptor.dissociation(occ.nmda, y[DISS_TOLERANCE]),
            synaptic_protein: y[PROTEIN],
            rapid_relief: relief,
            serotonin_rel: self.slow.serotonin.tone(occ.sert, y[AUTORECEPTOR]),
            autoreceptor: y[AUTORECEPTOR],
            expectancy,
        }
    }
}

/// The new episode of a patient with parameters `p`: None when the
/// mechanism is off, the patient is not depressed or the episode has no
/// size.
fn episode_of(p: &Params) -> Option<(f64, f64)> {
    let size = p[id::EPISODE_SIZE];
    (p.flag(id::MECH_NEW_EPISODES) && p.flag(id::DEPRESSED) && size > 0.0)
        .then(|| (p[id::EPISODE_W] * 7.0 * 24.0, size))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    /// The analytic slow-state Jacobian matches central finite differences
    /// at states along a ketamine and an SSRI run.
    #[test]
    fn analytic_jacobian_matches_finite_differences() {
        for (name, t) in [
            ("ketamine-iv-single", 0.5),
            ("ketamine-iv-single", 3.0),
            ("ssri-escitalopram", 300.0),
        ] {
            let s = Scenario::load(name).unwrap();
            let m = Model::new(&s.params);
            let doses = s.regimen.as_ref().unwrap().expand();
            let w = crate::solve::Window {
                start_h: 0.0,
                end_h: t,
                dt_out_h: t,
            };
            let mut y = m.baseline();
            // A state part-way through the run, with some non-baseline values.
            crate::solve::simulate_each(
                &m,
                &crate::solve::StiffSolver::from_params(&s.params),
                &doses,
                &w,
                |_| {},
            )
            .unwrap();
            y[KET_CE] = 150.0;
            y[ESC_C] = 10.0;
            y[GABA_POOL] *= 1.1;
            y[MTOR] += 0.8;
            y[NASCENT] = 0.3;
            y[SYNAPSE] = 0.85;
            y[AUTORECEPTOR] = 0.7;
            let memo = Cell::new(CircuitMemo::default());
            let mut jac = [[0.0; N]; N];
            m.jacobian_pd(&y, &memo, &mut |r, c, v| jac[r][c] += v);
            let inf = Infusion::default();
            for c in PK_N..N {
                let h = 1e-6 * y[c].abs().max(1.0);
                let (mut yp, mut ym) = (y, y);
                yp[c] += h;
                ym[c] -= h;
                let (mut dp, mut dm) = ([0.0; N], [0.0; N]);
                m.rhs(&yp, &inf, &mut dp);
                m.rhs(&ym, &inf, &mut dm);
                for r in PK_N..N {
                    let fd = (dp[r] - dm[r]) / (2.0 * h);
                    let tol = 1e-5 * (1.0 + fd.abs());
                    assert!(
                        (jac[r][c] - fd).abs() < tol,
                        "{name} t={t}: d{}/d{}: analytic {} vs fd {}",
                        crate::layout::name(r),
                        crate::layout::name(c),
                        jac[r][c],
                        fd
                    );
                }
            }
        }
    }

    /// Expectancy has a time course: no jump at the first session and no
    /// sawtooth from daily pills (each step of 10 min moves the score by
    /// far less than the old 0.6-point renewal jump).
    #[test]
    fn expectancy_rises_smoothly_without_a_daily_sawtooth() {
        let mut s = Scenario::load("placebo").unwrap();
        s.dt_out_h = 1.0 / 6.0;
        s.days = 2.0;
        let r = crate::run::run(&s).unwrap();
        let at = |t: f64| {
            r.rows
                .iter()
                .find(|o| (o.time_h - t).abs() < 1e-9)
                .unwrap()
                .symptom_score
        };
        let base = r.reference.baseline_score;
        assert!((at(0.0) - base).abs() < 1e-3, "jump at time 0: {}", at(0.0));
        assert!(base - at(1.0 / 6.0) < 0.1, "10 min: {}", at(1.0 / 6.0));
        assert!(base - at(24.0) > 1.0, "expectancy still acts: {}", at(24.0));

        let mut s = Scenario::load("ssri-escitalopram").unwrap();
        s.dt_out_h = 1.0 / 6.0;
        s.days = 21.0;
        let r = crate::run::run(&s).unwrap();
        let step = |from_h: f64| {
            r.rows
                .windows(2)
                .filter(|w| w[0].time_h >= from_h)
                .map(|w| (w[1].symptom_score - w[0].symptom_score).abs())
                .fold(0.0, f64::max)
        };
        // The first rise: 0.08 x 27 points over 8 h (it was a 2.2-point jump).
        assert!(
            step(-1.0) < 0.06,
            "largest 10-min score step {}",
            step(-1.0)
        );
        // Later pills renew the drive; the score does not jump (it was 0.6).
        assert!(step(24.0) < 0.02, "largest step after day 1 {}", step(24.0));
        let day: Vec<f64> = r
            .rows
            .iter()
            .filter(|o| o.time_h >= 19.0 * 24.0 && o.time_h < 20.0 * 24.0)
            .map(|o| o.expectancy)
            .collect();
        let ripple = day.iter().copied().fold(f64::MIN, f64::max)
            - day.iter().copied().fold(f64::MAX, f64::min);
        assert!(ripple * 27.0 < 0.3, "daily ripple {} points", ripple * 27.0);
    }
}
