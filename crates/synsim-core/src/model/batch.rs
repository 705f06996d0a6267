//! The slow (pharmacodynamic) equations of [`L`] patients at once, one per
//! lane, for the lock-step integrator ([`crate::solve::batch`]).
//!
//! The equations and their Jacobian are not copied here: they are
//! [`Slow`]'s, written once and generic over [`crate::num::Real`], run with
//! four-lane values ([`V`]) whose constants are gathered once from each
//! patient's [`Model`]. What is the batch's own is the bookkeeping: the
//! gathering, the PK inputs from each patient's exact modal PK evaluated
//! lane-wise, and the memo of one segment. Two things stay per patient: a
//! circuit whose Newton iteration fails or lands off the resting branch
//! goes to the one-circuit guard ([`crate::circuit::Circuit::solve_near`]),
//! and the output rows are read by each patient's own [`Model`].
//! `tests::batch_equations_match_the_scalar_model` checks the right-hand
//! side and the Jacobian against the one-patient model at states along
//! real runs (they differ only by the lane-wise `exp`).

// Index loops over lanes and states are the form that unrolls and
// vectorises; iterator chains over several arrays at once do not read better.
#![allow(clippy::needless_range_loop)]

use super::lanes::{self, splat, L, V};
use super::{CircuitMemo, Drive, Model, Slow};
use crate::circuit::Circuit;
use crate::layout::*;
use crate::pk::modal::{ModalSegment, MAX_M, PD_ROWS};
use crate::pk::NG_ML_PER_MG_L;
use crate::receptor::{EffectSites, ReceptorModel};
use crate::signalling::{serotonin::Serotonin, Signalling};
use crate::symptom::Expectancy;
use crate::synapse::Synapses;
use std::cell::Cell;

/// Number of slow states.
pub const PD: usize = N - PK_N;

/// One slow state of every lane, by state: `y[m][l]` is state `PK_N + m`
/// of patient `l` (structure of arrays).
pub type PdLanes = [V; PD];

/// A lane-wise matrix: `j[r][c][l]`.
pub type MatLanes = [[V; PD]; PD];

/// Position of the pharmacodynamic PK inputs in [`PD_ROWS`].
const IN_KET_CE: usize = 0;
const IN_NK_CE: usize = 1;
const IN_HNK: usize = 2;
const IN_ESK_CE: usize = 3;
const IN_ESC: usize = 4;
const IN_NESK_CE: usize = 5;

/// Per-lane constants of the modal PK: eigenvalues and the eigenvector
/// rows of the states the pharmacodynamics read.
#[derive(Debug, Clone)]
struct ModalLanes {
    /// Block sizes (the same for every patient).
    size: [usize; 3],
    lambda: [[V; MAX_M]; 3],
    /// `v[p][k]`: the share of mode `k` (of the block of input `p`) in input `p`.
    v: [[V; MAX_M]; PD_ROWS.len()],
    /// Which block each input belongs to.
    block_of: [usize; PD_ROWS.len()],
}

/// One segment's modal amplitudes of every lane (zero for absent drugs).
#[derive(Debug, Clone)]
pub struct SegmentLanes {
    t0: f64,
    z0: [[V; MAX_M]; 3],
    input: [[V; MAX_M]; 3],
    /// Blocks with drug in any lane; the others are zero all segment long.
    active: [bool; 3],
}

/// What the batch's equations remember between calls within one PK
/// segment: the circuit's last fixed point, and the drive at the last time
/// asked for. The drive depends on time only (the exact PK), and the
/// integrator asks for it at the same time again and again: every Newton
/// iteration of a stage, the derivative at the step's end and the next
/// Jacobian. One memo serves one segment.
#[derive(Debug, Default)]
pub struct Memo {
    circuit: Cell<CircuitMemo<V>>,
    drive: Cell<Option<(f64, Drive<V>)>>,
}

/// [`L`] patients' slow equations, lane by lane.
#[derive(Debug, Clone)]
pub struct BatchModel<'a> {
    /// The patients, one per lane.
    pub models: [&'a Model; L],
    modal: ModalLanes,
    // The plasma scales of the drugs read from PK amounts.
    hnk_scale: V,
    esc_scale: V,
    /// The slow equations, one patient per lane.
    slow: Slow<V>,
}

/// The slow states of a batch, read by full-state index (as the stages'
/// equations name them).
struct Rows<'a>(&'a PdLanes);

impl std::ops::Index<usize> for Rows<'_> {
    type Output = V;
    #[inline(always)]
    fn index(&self, s: usize) -> &V {
        &self.0[s - PK_N]
    }
}

/// The slow states' derivatives of a batch, written by full-state index.
struct RowsMut<'a>(&'a mut PdLanes);

impl std::ops::Index<usize> for RowsMut<'_> {
    type Output = V;
    #[inline(always)]
    fn index(&self, s: usize) -> &V {
        &self.0[s - PK_N]
    }
}

impl std::ops::IndexMut<usize> for RowsMut<'_> {
    #[inline(always)]
    fn index_mut(&mut self, s: usize) -> &mut V {
        &mut self.0[s - PK_N]
    }
}

/// `f(model)` of every lane.
fn gather(models: &[&Model; L], f: impl Fn(&Model) -> f64) -> V {
    V(std::array::from_fn(|l| f(models[l])))
}

/// A stage's constants of every lane: `Stage { field: gather(models, |m|
/// stage(m).field), ... }` for each field named, then any fields given as
/// `name: value` (switches shared by the batch).
macro_rules! lanes_of {
    ($models:expr, |$m:ident| $stage:expr => $ty:ident { $($f:ident),* $(,)? } $(, $k:ident: $v:expr)*) => {
        $ty {
            $($f: gather($models, |$m| ($stage).$f),)*
            $($k: $v,)*
        }
    };
}

impl<'a> BatchModel<'a> {
    /// Gathers the constants of `models`; `None` when they cannot share a
    /// batch (a patient with a confluent PK block, or mechanisms switched
    /// differently), and those patients run one at a time instead.
    pub fn new(models: [&'a Model; L]) -> Option<BatchModel<'a>> {
        let first = models[0];
        let same = |f: fn(&Model) -> bool| models.iter().all(|m| f(m) == f(first));
        if !same(|m| m.slow.disinhibition)
            || !same(|m| m.slow.synapse.synaptogenesis)
            || models.iter().any(|m| !m.modal.diagonal())
        {
            return None;
        }
        let modal = ModalLanes::new(&models)?;
        let g = |f: fn(&Model) -> f64| gather(&models, f);
        let slow = Slow {
            receptor: lanes_of!(&models, |m| m.slow.receptor => ReceptorModel {
                ki_s_ket, ki_r_ket, ki_s_nk, ki_r_nk, fu_ket, fu_esk, interneuron_sensitivity,
                sert_ec50, diss_occ50, diss_hill, tolerance_gain_per_h, tolerance_tau_h,
            }),
            circuit: lanes_of!(&models, |m| m.slow.circuit => Circuit {
                tau_exc, tau_inh, c_excexc, c_excinh, c_inhexc, c_inhinh, a_exc, a_inh,
                mu_exc, mu_inh, exc_ext, inh_ext,
            }),
            frac_exc: g(|m| m.slow.frac_exc),
            frac_inh: g(|m| m.slow.frac_inh),
            disinhibition: first.slow.disinhibition,
            healthy_e: g(|m| m.slow.healthy_e),
            rest: (g(|m| m.slow.rest.0), g(|m| m.slow.rest.1)),
            cycling: g(|m| m.slow.cycling),
            gad: g(|m| m.slow.gad),
            tau_glu_h: g(|m| m.slow.tau_glu_h),
            tau_gaba_h: g(|m| m.slow.tau_gaba_h),
            signalling: lanes_of!(&models, |m| m.slow.signalling => Signalling {
                basal_bdnf, basal_mtor, glu0, tau_bdnf_h, tau_mtor_h, ampa_gain, eef2_gain,
                hnk_gain, hnk_ec50, protein_gain, mtor_threshold, tau_protein_h, basal_synthesis,
            }),
            serotonin: lanes_of!(&models, |m| m.slow.serotonin => Serotonin {
                uptake_gain, auto_gain, desens_tau_h, desens_max, bdnf_gain, tau_creb_h,
            }),
            synapse: lanes_of!(&models, |m| m.slow.synapse => Synapses {
                k, sigma, formation_gain, tau_maturation_h, baseline, max_density,
                consolidation_tau_h, episode_tau_h,
            }, synaptogenesis: first.slow.synapse.synaptogenesis),
            basal_mtor: g(|m| m.slow.basal_mtor),
            expectancy: lanes_of!(&models, |m| m.slow.expectancy => Expectancy {
                placebo_tau_h, placebo_rise_h, pill_build_h, pill_tau_h,
            }),
        };
        Some(BatchModel {
            modal,
            hnk_scale: g(|m| NG_ML_PER_MG_L / m.pk.hnk_v_l),
            esc_scale: g(|m| NG_ML_PER_MG_L / m.pk.esc_v_l),
            slow,
            models,
        })
    }

    /// The modal amplitudes of a segment from each lane's own segment.
    pub fn segment(&self, segs: &[ModalSegment; L]) -> SegmentLanes {
        let mut s = SegmentLanes {
            t0: segs[0].t0,
            z0: [[splat(0.0); MAX_M]; 3],
            input: [[splat(0.0); MAX_M]; 3],
            active: [false; 3],
        };
        for (l, seg) in segs.iter().enumerate() {
            for (b, modes) in seg.modes.iter().enumerate() {
                if let Some(md) = modes {
                    s.active[b] = true;
                    for k in 0..MAX_M {
                        s.z0[b][k][l] = md.z0[k];
                        s.input[b][k][l] = md.input[k];
                    }
                }
            }
        }
        s
    }

    /// The PK inputs of the pharmacodynamics at `t`, as [`PD_ROWS`].
    #[inline(always)]
    fn pk_inputs(&self, seg: &SegmentLanes, t: f64) -> [V; PD_ROWS.len()] {
        let s = t - seg.t0;
        let m = &self.modal;
        let mut x = [splat(0.0); PD_ROWS.len()];
        for b in 0..3 {
            if !seg.active[b] {
                continue;
            }
            let mut z = [splat(0.0); MAX_M];
            for k in 0..m.size[b] {
                let z0 = seg.z0[b][k];
                let em1 = lanes::expm1_v(m.lambda[b][k] * s);
                z[k] = z0 + em1 * (z0 - seg.input[b][k]);
            }
            for (p, xp) in x.iter_mut().enumerate() {
                if m.block_of[p] == b {
                    for (v, zk) in m.v[p].iter().zip(&z).take(m.size[b]) {
                        *xp += *v * *zk;
                    }
                }
            }
        }
        x
    }

    /// Occupancies and HNK from the PK inputs ([`crate::receptor::ReceptorModel::occupancy`]).
    #[inline(always)]
    fn drive(&self, x: &[V; PD_ROWS.len()]) -> Drive<V> {
        let sites = EffectSites {
            ketamine: x[IN_KET_CE],
            norketamine: x[IN_NK_CE],
            esketamine: x[IN_ESK_CE],
            noresketamine: x[IN_NESK_CE],
        };
        let occ = self
            .slow
            .receptor
            .occupancy(&sites, x[IN_ESC] * self.esc_scale);
        Drive {
            nmda: occ.nmda,
            nmda_inh: if self.slow.disinhibition {
                occ.nmda_interneuron
            } else {
                splat(0.0)
            },
            sert: occ.sert,
            hnk: x[IN_HNK] * self.hnk_scale,
        }
    }

    /// The drive at `t` of segment `seg`, from `memo` if it was the last
    /// time asked for.
    #[inline(always)]
    fn drive_at(&self, seg: &SegmentLanes, t: f64, memo: &Memo) -> Drive<V> {
        if let Some((at, d)) = memo.drive.get() {
            if at == t {
                return d;
            }
        }
        let d = self.drive(&self.pk_inputs(seg, t));
        memo.drive.set(Some((t, d)));
        d
    }

    /// The slow states' derivatives at `t` ([`Model::rhs_pd`]).
    #[inline(always)]
    pub fn rhs(&self, seg: &SegmentLanes, t: f64, y: &PdLanes, memo: &Memo) -> PdLanes {
        let d = self.drive_at(seg, t, memo);
        let mut out = [splat(0.0); PD];
        self.slow
            .derivs(&Rows(y), &d, &memo.circuit, &mut RowsMut(&mut out));
        out
    }

    /// The slow states' Jacobian at `t` ([`Model::jacobian_pd`]), by rows
    /// of slow-state indices.
    ///
    /// Writes the entries of [`BatchModel::pattern`] only; the others stay
    /// as they are in `j` (zero in a zeroed buffer).
    #[inline(always)]
    pub fn jacobian(&self, seg: &SegmentLanes, t: f64, y: &PdLanes, memo: &Memo, j: &mut MatLanes) {
        self.jacobian_entries(seg, t, y, memo, &mut |r, c, v| j[r - PK_N][c - PK_N] = v);
    }

    /// Which entries of the Jacobian the model can make non-zero (the same
    /// in every lane and at every state): the entries
    /// [`BatchModel::jacobian`] writes.
    pub fn pattern(&self) -> [[bool; PD]; PD] {
        let seg = SegmentLanes {
            t0: 0.0,
            z0: [[splat(0.0); MAX_M]; 3],
            input: [[splat(0.0); MAX_M]; 3],
            active: [false; 3],
        };
        let y: PdLanes = std::array::from_fn(|m| {
            V(std::array::from_fn(|l| self.models[l].baseline()[PK_N + m]))
        });
        let mut p = [[false; PD]; PD];
        let memo = Memo::default();
        self.jacobian_entries(&seg, 0.0, &y, &memo, &mut |r, c, _| {
            p[r - PK_N][c - PK_N] = true
        });
        p
    }

    /// Hands every structurally non-zero Jacobian entry to `set(row, column,
    /// value)`, with full-state indices.
    #[inline(always)]
    fn jacobian_entries(
        &self,
        seg: &SegmentLanes,
        t: f64,
        y: &PdLanes,
        memo: &Memo,
        set: &mut impl FnMut(usize, usize, V),
    ) {
        let d = self.drive_at(seg, t, memo);
        self.slow.jacobian(&Rows(y), &d, &memo.circuit, set);
    }
}

impl ModalLanes {
    fn new(models: &[&Model; L]) -> Option<ModalLanes> {
        let modal: [&crate::pk::modal::ModalPk; L] = std::array::from_fn(|l| &models[l].modal);
        let mut m = ModalLanes {
            size: [0; 3],
            lambda: [[splat(0.0); MAX_M]; 3],
            v: [[splat(0.0); MAX_M]; PD_ROWS.len()],
            block_of: [0; PD_ROWS.len()],
        };
        for b in 0..3 {
            m.size[b] = modal[0].blocks[b].idx.len();
            for (l, md) in modal.iter().enumerate() {
                let blk = &md.blocks[b];
                for k in 0..MAX_M {
                    m.lambda[b][k][l] = blk.lambda[k];
                }
            }
        }
        for (p, &state) in PD_ROWS.iter().enumerate() {
            let (b, r) =
                modal[0].blocks.iter().enumerate().find_map(|(b, blk)| {
                    blk.idx.iter().position(|&i| i == state).map(|r| (b, r))
                })?;
            m.block_of[p] = b;
            for (l, md) in modal.iter().enumerate() {
                for k in 0..MAX_M {
                    m.v[p][k][l] = md.blocks[b].v[r][k];
                }
            }
        }
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::{sample, Setup};
    use crate::scenario::Scenario;

    /// Right-hand side and Jacobian of four different virtual patients, at
    /// states of their own runs (during and after an infusion, and late in
    /// an SSRI course), agree with the scalar model.
    #[test]
    fn batch_equations_match_the_scalar_model() {
        for (name, times) in [
            ("ketamine-iv-serial", [0.3, 0.7, 30.0, 200.0]),
            ("esketamine-nasal", [0.2, 1.0, 5.0, 90.0]),
        ] {
            let setup = Setup::new(Scenario::load(name).unwrap()).unwrap();
            let models: Vec<Model> = (0..L as u64)
                .map(|i| {
                    let (p, _) = sample::patient_params(&setup.scenario.params, &setup.vary, 7, i);
                    Model::new(&p)
                })
                .collect();
            let refs: [&Model; L] = std::array::from_fn(|l| &models[l]);
            let batch = BatchModel::new(refs).expect("batchable");
            for (case, &t) in times.iter().enumerate() {
                // A state of each patient with drug on board and its slow
                // states moved off rest, different in every lane.
                let mut ys = [[0.0; N]; L];
                let mut segs = Vec::new();
                for (l, m) in models.iter().enumerate() {
                    let f = 1.0 + 0.1 * l as f64 + 0.05 * case as f64;
                    let mut y = m.baseline();
                    y[KET_CE] = 60.0 * f * (case % 2) as f64;
                    y[NK_CE] = 20.0 * f;
                    y[HNK_C] = 0.5 * f;
                    y[ESK_CE] = 30.0 * f * (case / 2) as f64;
                    y[ESC_C] = 3.0 * f;
                    y[KET_C] = 5.0 * f;
                    y[GABA_POOL] *= 0.95 + 0.02 * l as f64;
                    y[GLU_POOL] *= 1.02;
                    y[BDNF] += 0.3 * f;
                    y[MTOR] += 0.2 * f;
                    y[PROTEIN] = 0.1 * f;
                    y[NASCENT] = 0.05 * f;
                    y[SYNAPSE] += 0.05 * f;
                    y[ILLNESS] = 0.9;
                    y[AUTORECEPTOR] = 0.8;
                    y[SERO_BDNF] = 0.02;
                    y[EXPECTANCY_DRIVE] = 0.05;
                    y[PILL_DRIVE] = 0.2 * f;
                    y[PILL_EXPECTANCY] = 0.1 * f;
                    y[DISS_TOLERANCE] = 0.1 * f;
                    ys[l] = y;
                    let inf = crate::pk::Infusion::default();
                    segs.push(m.modal.segment(&m.pk, &y[..PK_N], &inf, t));
                }
                let segs: [ModalSegment; L] = std::array::from_fn(|l| segs[l].clone());
                let seg = batch.segment(&segs);
                let y: PdLanes =
                    std::array::from_fn(|m| V(std::array::from_fn(|l| ys[l][PK_N + m])));
                let memo = Memo::default();
                let dy = batch.rhs(&seg, t, &y, &memo);
                let mut jac = [[splat(0.0); PD]; PD];
                batch.jacobian(&seg, t, &y, &memo, &mut jac);
                let pattern = batch.pattern();
                for (l, m) in models.iter().enumerate() {
                    let mut d = [0.0; N];
                    m.rhs_pd(&ys[l], &mut d, &Cell::new(Default::default()));
                    let mut js = [[0.0; N]; N];
                    m.jacobian_pd(&ys[l], &Cell::new(Default::default()), &mut |r, c, v| {
                        js[r][c] += v
                    });
                    for r in 0..PD {
                        let (a, b) = (dy[r][l], d[PK_N + r]);
                        assert!(
                            (a - b).abs() <= 1e-11 * (1.0 + b.abs()),
                            "{name} t={t} lane {l}: d{}/dt {a} vs {b}",
                            name_of(r)
                        );
                        for c in 0..PD {
                            let (a, b) = (jac[r][c][l], js[PK_N + r][PK_N + c]);
                            assert!(pattern[r][c] || b == 0.0, "J[{r}][{c}] outside the pattern");
                            assert!(
                                (a - b).abs() <= 1e-9 * (1.0 + b.abs()),
                                "{name} t={t} lane {l}: J[{}][{}] {a} vs {b}",
                                name_of(r),
                                name_of(c)
                            );
                        }
                    }
                }
            }
        }
    }

    fn name_of(m: usize) -> &'static str {
        crate::layout::name(PK_N + m)
    }
}
