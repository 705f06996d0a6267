//! The slow (pharmacodynamic) equations of [`L`] patients at once, lane by
//! lane, for the lock-step integrator ([`crate::solve::batch`]).
//!
//! Every constant is one value per patient ([`V`]), gathered once from each
//! patient's [`Model`]; the equations are those of [`Model::rhs_pd`] and
//! [`Model::jacobian_pd`] term for term, written as loops over the lanes
//! that the compiler vectorises (see [`super::lanes`]). The signalling,
//! serotonin and synapse stages, the receptor occupancies and dissociation
//! tolerance and the expectancy states are not copied here: their equations
//! and Jacobians are written once, generic over [`crate::num::Real`], and
//! run here with four-lane values. The circuit (its Newton solve and
//! residual) and the glutamate and GABA pools are still written out
//! lane-wise. The PK inputs come
//! from each patient's exact modal PK, evaluated lane-wise too. Two things
//! stay per patient: a circuit whose Newton iteration fails or lands off
//! the resting branch goes to the scalar [`crate::circuit::Circuit::solve_from`],
//! and the output rows are read by each patient's own [`Model`].
//! `tests::batch_equations_match_the_scalar_model` checks the right-hand
//! side and the Jacobian against the scalar model at states along real runs.

// Index loops over lanes and states are the form that unrolls and
// vectorises; iterator chains over several arrays at once do not read better.
#![allow(clippy::needless_range_loop)]

use super::lanes::{self, splat, Mask, L, V};
use super::Model;
use crate::circuit::Solved;
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

/// The circuit's last fixed point in every lane (the next Newton start).
#[derive(Debug, Clone, Copy)]
pub struct CircuitLanes {
    key: [V; 3],
    e: V,
    i: V,
    couplings: [V; 3],
    slopes: [V; 2],
    jac: [[V; 2]; 2],
    valid: bool,
}

/// What the batch's equations remember between calls within one PK
/// segment: the circuit's last fixed point, and the drive at the last time
/// asked for. The drive depends on time only (the exact PK), and the
/// integrator asks for it at the same time again and again: every Newton
/// iteration of a stage, the derivative at the step's end and the next
/// Jacobian. One memo serves one segment.
#[derive(Debug, Default)]
pub struct Memo {
    circuit: Cell<CircuitLanes>,
    drive: Cell<Option<(f64, Drive)>>,
}

impl Default for CircuitLanes {
    fn default() -> Self {
        let z = splat(0.0);
        CircuitLanes {
            key: [splat(f64::NAN); 3],
            e: z,
            i: z,
            couplings: [z; 3],
            slopes: [z; 2],
            jac: [[z; 2]; 2],
            valid: false,
        }
    }
}

/// The inputs of the slow equations at one time, lane-wise.
#[derive(Debug, Clone, Copy, Default)]
struct Drive {
    nmda: V,
    nmda_inh: V,
    sert: V,
    hnk: V,
}

/// [`L`] patients' slow equations, lane by lane.
#[derive(Debug, Clone)]
pub struct BatchModel<'a> {
    /// The patients, one per lane.
    pub models: [&'a Model; L],
    modal: ModalLanes,
    // Receptor (written once for any width) and the plasma scales of the
    // drugs read from PK amounts.
    receptor: ReceptorModel<V>,
    hnk_scale: V,
    esc_scale: V,
    // Circuit.
    c: [V; 4],
    a_e: V,
    a_i: V,
    mu_e: V,
    mu_i: V,
    ext_e: V,
    ext_i: V,
    frac_exc: V,
    frac_inh: V,
    disinhibition: bool,
    e0: V,
    rest_e: V,
    cyc: V,
    gad: V,
    tau_glu: V,
    tau_gaba: V,
    // The stages written once for any width.
    signalling: Signalling<V>,
    serotonin: Serotonin<V>,
    synapse: Synapses<V>,
    b0_mtor: V,
    // Expectancy.
    expectancy: Expectancy<V>,
}

/// The slow states of a batch, read by full-state index (as the stages'
/// equations name them).
struct Slow<'a>(&'a PdLanes);

impl std::ops::Index<usize> for Slow<'_> {
    type Output = V;
    #[inline(always)]
    fn index(&self, s: usize) -> &V {
        &self.0[s - PK_N]
    }
}

/// The slow states' derivatives of a batch, written by full-state index.
struct SlowMut<'a>(&'a mut PdLanes);

impl std::ops::Index<usize> for SlowMut<'_> {
    type Output = V;
    #[inline(always)]
    fn index(&self, s: usize) -> &V {
        &self.0[s - PK_N]
    }
}

impl std::ops::IndexMut<usize> for SlowMut<'_> {
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
    /// batch (a patient without modal PK, or mechanisms switched
    /// differently), and those patients run one at a time instead.
    pub fn new(models: [&'a Model; L]) -> Option<BatchModel<'a>> {
        let first = models[0];
        let same = |f: fn(&Model) -> bool| models.iter().all(|m| f(m) == f(first));
        if !same(|m| m.disinhibition)
            || !same(|m| m.synapse.synaptogenesis)
            || models.iter().any(|m| m.modal.is_none())
        {
            return None;
        }
        let modal = ModalLanes::new(&models)?;
        let g = |f: fn(&Model) -> f64| gather(&models, f);
        Some(BatchModel {
            modal,
            receptor: lanes_of!(&models, |m| m.receptor => ReceptorModel {
                ki_s_ket, ki_r_ket, ki_s_nk, ki_r_nk, fu_ket, fu_esk, interneuron_sensitivity,
                sert_ec50, diss_occ50, diss_hill, tolerance_gain_per_h, tolerance_tau_h,
            }),
            hnk_scale: g(|m| NG_ML_PER_MG_L / m.pk.hnk_v_l),
            esc_scale: g(|m| NG_ML_PER_MG_L / m.pk.esc_v_l),
            c: [
                g(|m| m.circuit.c_excexc),
                g(|m| m.circuit.c_excinh),
                g(|m| m.circuit.c_inhexc),
                g(|m| m.circuit.c_inhinh),
            ],
            a_e: g(|m| m.circuit.a_exc),
            a_i: g(|m| m.circuit.a_inh),
            mu_e: g(|m| m.circuit.mu_exc),
            mu_i: g(|m| m.circuit.mu_inh),
            ext_e: g(|m| m.circuit.exc_ext),
            ext_i: g(|m| m.circuit.inh_ext),
            frac_exc: g(|m| m.frac_exc),
            frac_inh: g(|m| m.frac_inh),
            disinhibition: first.disinhibition,
            e0: g(|m| m.healthy_ei.0),
            rest_e: g(|m| m.rest_ei.0),
            cyc: g(|m| m.cycling_capacity),
            gad: g(|m| m.gad_capacity),
            tau_glu: g(|m| m.tau_glu_h),
            tau_gaba: g(|m| m.tau_gaba_h),
            signalling: lanes_of!(&models, |m| m.signalling => Signalling {
                basal_bdnf, basal_mtor, glu0, tau_bdnf_h, tau_mtor_h, ampa_gain, eef2_gain,
                hnk_gain, hnk_ec50, protein_gain, mtor_threshold, tau_protein_h, basal_synthesis,
            }),
            serotonin: lanes_of!(&models, |m| m.serotonin => Serotonin {
                uptake_gain, auto_gain, desens_tau_h, desens_max, bdnf_gain, tau_creb_h,
            }),
            synapse: lanes_of!(&models, |m| m.synapse => Synapses {
                k, sigma, formation_gain, tau_maturation_h, baseline, max_density,
                consolidation_tau_h, episode_tau_h,
            }, synaptogenesis: first.synapse.synaptogenesis),
            b0_mtor: g(|m| m.baseline[MTOR]),
            expectancy: lanes_of!(&models, |m| m.symptom.expectancy => Expectancy {
                placebo_tau_h, placebo_rise_h, pill_build_h, pill_tau_h,
            }),
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
    fn drive(&self, x: &[V; PD_ROWS.len()]) -> Drive {
        let sites = EffectSites {
            ketamine: x[IN_KET_CE],
            norketamine: x[IN_NK_CE],
            esketamine: x[IN_ESK_CE],
            noresketamine: x[IN_NESK_CE],
        };
        let occ = self.receptor.occupancy(&sites, x[IN_ESC] * self.esc_scale);
        Drive {
            nmda: occ.nmda,
            nmda_inh: if self.disinhibition {
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
    fn drive_at(&self, seg: &SegmentLanes, t: f64, memo: &Memo) -> Drive {
        if let Some((at, d)) = memo.drive.get() {
            if at == t {
                return d;
            }
        }
        let d = self.drive(&self.pk_inputs(seg, t));
        memo.drive.set(Some((t, d)));
        d
    }

    /// The blocked couplings `(c_excexc, c_excinh, c_inhexc)` of every lane.
    #[inline(always)]
    fn couplings(&self, d: &Drive, pool: &V) -> [V; 3] {
        [
            self.c[0] * (1.0 - self.frac_exc * d.nmda),
            self.c[1] * (1.0 - self.frac_inh * d.nmda_inh),
            self.c[2] * *pool,
        ]
    }

    /// The circuit residual, its Jacobian and the sigmoid slopes in every
    /// lane ([`crate::circuit::Circuit`]'s private `residual`).
    #[inline(always)]
    fn residual(&self, c: &[V; 3], e: V, i: V) -> ([V; 2], [[V; 2]; 2], [V; 2]) {
        let xe = c[0] * e - c[2] * i + self.ext_e;
        let xi = c[1] * e - self.c[3] * i + self.ext_i;
        let se = 1.0 / (1.0 + lanes::exp_v(-self.a_e * (xe - self.mu_e)));
        let si = 1.0 / (1.0 + lanes::exp_v(-self.a_i * (xi - self.mu_i)));
        let ge = (1.0 - e) * self.a_e * se * (1.0 - se);
        let gi = (1.0 - i) * self.a_i * si * (1.0 - si);
        let f = [-e + (1.0 - e) * se, -i + (1.0 - i) * si];
        let j = [
            [-1.0 - se + ge * c[0], -ge * c[2]],
            [gi * c[1], -1.0 - si - gi * self.c[3]],
        ];
        (f, j, [ge, gi])
    }

    /// The circuit's fixed point in every lane: Newton from the prediction
    /// off the last fixed point, all lanes in step; a lane that fails, or
    /// lands far above rest (where the scalar guard checks for a lower
    /// root), is solved by the scalar circuit instead.
    #[inline(always)]
    fn circuit(&self, d: &Drive, pool: &V, memo: &Cell<CircuitLanes>) -> (V, V) {
        let key = [d.nmda, d.nmda_inh, *pool];
        let last = memo.get();
        if last.valid && last.key == key {
            return (last.e, last.i);
        }
        let c = self.couplings(d, pool);
        let (mut e, mut i) = if last.valid {
            predict(&last, &c)
        } else {
            (
                V(std::array::from_fn(|l| self.models[l].rest_ei.0)),
                V(std::array::from_fn(|l| self.models[l].rest_ei.1)),
            )
        };
        let start = (e, i);
        let mut out = CircuitLanes {
            key,
            couplings: c,
            valid: true,
            ..last
        };
        // Every lane iterates until all have converged or stopped; a lane
        // that has stopped keeps its values.
        let (zero, one) = (splat(0.0), splat(1.0));
        let mut done = Mask([false; L]);
        let mut ok = Mask([false; L]);
        for _ in 0..30 {
            let (f, j, slopes) = self.residual(&c, e, i);
            let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
            let de = (f[0] * j[1][1] - f[1] * j[0][1]) / det;
            let di = (j[0][0] * f[1] - j[1][0] * f[0]) / det;
            let step = !done.and(det.abs().ge(splat(1e-14)));
            let (en, inn) = (e - de, i - di);
            let inside = en
                .ge(zero)
                .and(en.lt(one))
                .and(inn.ge(zero))
                .and(inn.lt(one));
            let small = de.abs().lt(splat(1e-8)).and(di.abs().lt(splat(1e-8)));
            let converged = step.and(inside).and(small);
            e = lanes::select(step, en, e);
            i = lanes::select(step, inn, i);
            done = done.or(!step).or(!inside).or(converged);
            ok = ok.or(converged);
            for (o, n) in out.slopes.iter_mut().zip(slopes) {
                *o = lanes::select(converged, n, *o);
            }
            for r in 0..2 {
                for col in 0..2 {
                    out.jac[r][col] = lanes::select(converged, j[r][col], out.jac[r][col]);
                }
            }
            if done.all() {
                break;
            }
        }
        for l in 0..L {
            if !ok.0[l] || e[l] > 3.0 * self.rest_e[l].max(0.01) {
                let m = self.models[l];
                let occ_inh = if m.disinhibition { d.nmda_inh[l] } else { 0.0 };
                let circuit = m
                    .circuit
                    .with_block(d.nmda[l], occ_inh, pool[l], m.frac_exc, m.frac_inh);
                let s = circuit.solve_from((start.0[l], start.1[l]), m.rest_ei.0);
                store(&mut out, &s, l);
                e[l] = s.e;
                i[l] = s.i;
            }
        }
        out.e = e;
        out.i = i;
        memo.set(out);
        (e, i)
    }

    /// The slow states' derivatives at `t` ([`Model::rhs_pd`]).
    #[inline(always)]
    pub fn rhs(&self, seg: &SegmentLanes, t: f64, y: &PdLanes, memo: &Memo) -> PdLanes {
        let d = self.drive_at(seg, t, memo);
        let y = Slow(y);
        let (e, _) = self.circuit(&d, &y[GABA_POOL], &memo.circuit);
        let zero = splat(0.0);
        let mut out = [zero; PD];
        let dy = &mut SlowMut(&mut out);
        let glu = e / self.e0;
        dy[GLU_POOL] = (self.cyc * glu - y[GLU_POOL]) / self.tau_glu;
        dy[GABA_POOL] = (self.gad * y[GLU_POOL] - y[GABA_POOL]) / self.tau_gaba;
        self.signalling.derivs(&y, glu, d.nmda, d.hnk, dy);
        let tone = self.serotonin.tone(d.sert, y[AUTORECEPTOR]);
        self.serotonin.derivs(&y, d.sert, tone, dy);
        self.synapse.derivs(&y, self.b0_mtor, dy);
        // Expectancy and dissociation tolerance.
        self.expectancy.derivs(&y, dy);
        dy[DISS_TOLERANCE] = self.receptor.tolerance_rate(d.nmda, y[DISS_TOLERANCE]);
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
        let at = |s: usize| y[s - PK_N];
        let pool = at(GABA_POOL);
        let (e, i) = self.circuit(&d, &pool, &memo.circuit);
        let c = self.couplings(&d, &pool);
        // Circuit: dE/dpool through the fixed point.
        let (_, cj, [slope_e, _]) = self.residual(&c, e, i);
        let dfe = slope_e * (-(c[2] / pool) * i);
        let det = cj[0][0] * cj[1][1] - cj[0][1] * cj[1][0];
        let dglu = -cj[1][1] * dfe / det / self.e0;
        set(GLU_POOL, GLU_POOL, -1.0 / self.tau_glu);
        set(GLU_POOL, GABA_POOL, self.cyc * dglu / self.tau_glu);
        set(GABA_POOL, GLU_POOL, self.gad / self.tau_gaba);
        set(GABA_POOL, GABA_POOL, -1.0 / self.tau_gaba);
        let y = Slow(y);
        self.signalling
            .jacobian(&y, e / self.e0, d.nmda, d.hnk, dglu, set);
        self.serotonin.jacobian(&y, d.sert, set);
        self.synapse.jacobian(&y, self.b0_mtor, set);
        // Expectancy and tolerance.
        self.expectancy.jacobian(set);
        set(
            DISS_TOLERANCE,
            DISS_TOLERANCE,
            -1.0 / self.receptor.tolerance_tau_h,
        );
    }
}

/// The Newton start of every lane: the last fixed point moved by one
/// linearised step for the change of couplings ([`crate::circuit::Circuit::solve_near`]).
#[inline(always)]
fn predict(last: &CircuitLanes, c: &[V; 3]) -> (V, V) {
    let (e, i) = (last.e, last.i);
    let dc = [
        c[0] - last.couplings[0],
        c[1] - last.couplings[1],
        c[2] - last.couplings[2],
    ];
    let df = [
        last.slopes[0] * (dc[0] * e - dc[2] * i),
        last.slopes[1] * dc[1] * e,
    ];
    let j = last.jac;
    let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
    let se = e - (df[0] * j[1][1] - df[1] * j[0][1]) / det;
    let si = i - (j[0][0] * df[1] - j[1][0] * df[0]) / det;
    let (zero, one) = (splat(0.0), splat(1.0));
    let use_it = det
        .abs()
        .ge(splat(1e-14))
        .and(se.ge(zero))
        .and(se.lt(one))
        .and(si.ge(zero))
        .and(si.lt(one));
    (lanes::select(use_it, se, e), lanes::select(use_it, si, i))
}

/// Lane `l` of `out` from a scalar fixed point.
fn store(out: &mut CircuitLanes, s: &Solved, l: usize) {
    let (slopes, jac) = crate::circuit::Circuit::derivatives_of(s);
    out.slopes[0][l] = slopes[0];
    out.slopes[1][l] = slopes[1];
    for r in 0..2 {
        for c in 0..2 {
            out.jac[r][c][l] = jac[r][c];
        }
    }
}

impl ModalLanes {
    fn new(models: &[&Model; L]) -> Option<ModalLanes> {
        let modal: [&crate::pk::modal::ModalPk; L] =
            std::array::from_fn(|l| models[l].modal.as_ref().expect("checked by the caller"));
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
                    segs.push(
                        m.modal
                            .as_ref()
                            .unwrap()
                            .segment(&m.pk, &y[..PK_N], &inf, t),
                    );
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
