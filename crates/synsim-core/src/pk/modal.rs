//! Exact PK between dose events in modal form.
//!
//! The PK system is linear with constant input during a segment, so in the
//! eigenbasis of each drug's matrix every mode evolves on its own:
//! `z_i(s) = e^{λ_i s} z_i(0) + (e^{λ_i s} - 1)/λ_i · d_i` with `z = V⁻¹ x`
//! and `d = V⁻¹ b` (the eigenvectors by the block's flow structure,
//! `pk/eigen.rs`). Evaluating the PK state at any time then costs one
//! exponential per mode, which lets the stiff integrator work on the slow
//! pharmacodynamic states alone. Each drug family is its own block (the
//! families never exchange mass), which keeps the blocks small and well
//! conditioned.
//!
//! A block whose rates nearly coincide (a patient whose absorption rate
//! equals an effect-site rate, say) has no well-conditioned eigenbasis: its
//! solution has a `s e^{λs}` term that no sum of exponentials writes. Such a
//! *confluent* block is evaluated by the matrix exponential of the block,
//! bordered by its input column, `x(s) = [e^{M s}]·(x0, 1)` with
//! `M = [[A, b], [0, 0]]`: exact too, only dearer (it is rare: 2 of 100 000
//! virtual patients of the six-infusion course, and an undosed drug's
//! block is never evaluated).

use super::{Infusion, PkModel};
use crate::layout::*;
use nalgebra::{DMatrix, DVector};

/// State indices of each drug family.
const BLOCKS: [&[usize]; 3] = [
    &[KET_C, KET_P, KET_DEPOT, KET_CE, NK_C, NK_CE, HNK_C],
    &[
        ESK_DEPOT, ESK_GUT, ESK_C, ESK_P, ESK_P2, ESK_CE, NESK_C, NESK_P, NESK_CE,
    ],
    &[ESC_DEPOT, ESC_C],
];

/// Most states in one drug block (the esketamine family).
pub(crate) const MAX_M: usize = 9;

/// The states the pharmacodynamics read: effect sites, HNK and plasma
/// escitalopram. The integrator's right-hand side needs only these.
pub(crate) const PD_ROWS: [usize; 6] = [KET_CE, NK_CE, HNK_C, ESK_CE, ESC_C, NESK_CE];

/// Which PK states [`ModalPk::eval`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Every PK state.
    All,
    /// Only the states the pharmacodynamics read; the others are left as
    /// they were (the right-hand side never looks at them).
    Pd,
}

#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub(crate) idx: &'static [usize],
    /// The block's matrix when its rates are too close to diagonalise: the
    /// block is then evaluated by the matrix exponential, and `lambda`, `v`
    /// and `vinv` are unused.
    pub(crate) confluent: Option<DMatrix<f64>>,
    pub(crate) lambda: [f64; MAX_M],
    /// Eigenvectors by row: `v[r][k]` is state `idx[r]`'s share of mode `k`.
    pub(crate) v: [[f64; MAX_M]; MAX_M],
    pub(crate) vinv: DMatrix<f64>,
    /// Positions (within `idx`) of the [`PD_ROWS`] in this block.
    pub(crate) pd_rows: Vec<usize>,
}

/// The eigen-decomposition of every drug block for one patient.
#[derive(Debug, Clone)]
pub struct ModalPk {
    pub(crate) blocks: Vec<Block>,
    pub(crate) a: DMatrix<f64>,
}

/// One block's modes in a segment: initial amplitudes `z0` and the
/// steady-state amplitudes of the input, `-d/λ` (zero past the block's size).
/// For a confluent block, the initial states and the input rates `b`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Modes {
    pub(crate) z0: [f64; MAX_M],
    pub(crate) input: [f64; MAX_M],
}

/// Modal coordinates of one segment (constant infusion from `t0`).
#[derive(Debug, Clone)]
pub struct ModalSegment {
    pub(crate) t0: f64,
    /// Per block: initial modal amplitudes and modal inputs; `None` when the
    /// block is empty for the whole segment (drug absent).
    pub(crate) modes: Vec<Option<Modes>>,
}

/// Every PK state at increasing times of one segment ([`ModalPk::cursor`]).
/// Cheaper than [`ModalPk::eval`] at each time: output grids are evenly
/// spaced, and `e^{λ(s+Δ)} - 1` follows from `e^{λs} - 1` and `e^{λΔ} - 1`
/// without another exponential.
#[derive(Debug, Clone)]
pub struct ModalCursor<'a> {
    modal: &'a ModalPk,
    seg: &'a ModalSegment,
    /// `e^{λs} - 1` of every mode at the last time.
    em1: [[f64; MAX_M]; BLOCKS.len()],
    /// `e^{λΔ} - 1` for the last spacing `Δ`.
    step: [[f64; MAX_M]; BLOCKS.len()],
    /// Blocks whose modes have all died out (or that are empty): they sit
    /// at their steady state, written once and then left alone.
    settled: [bool; BLOCKS.len()],
    s_prev: f64,
    delta: f64,
    x: [f64; PK_N],
}

impl ModalCursor<'_> {
    /// The PK state at `t` (not before the last time asked for).
    pub fn at(&mut self, t: f64) -> &[f64; PK_N] {
        let s = t - self.seg.t0;
        let d = s - self.s_prev;
        for (b, blk) in self.modal.blocks.iter().enumerate() {
            if self.settled[b] {
                continue;
            }
            let modes = self.seg.modes[b].as_ref();
            if blk.confluent.is_some() {
                blk.write_confluent(modes, s, Rows::All, &mut self.x);
                continue;
            }
            let mut alive = false;
            if modes.is_some() {
                for k in 0..blk.idx.len() {
                    let lambda = blk.lambda[k];
                    if d != self.delta {
                        self.step[b][k] = (lambda * d).exp_m1();
                    }
                    let step = self.step[b][k];
                    let e = &mut self.em1[b][k];
                    // (e^a - 1)(e^b - 1) + (e^a - 1) + (e^b - 1) = e^{a+b} - 1,
                    // exact in form and free of cancellation.
                    *e = if *e == -1.0 || lambda * s < -40.0 {
                        -1.0
                    } else {
                        *e * step + *e + step
                    };
                    alive |= *e != -1.0;
                }
            }
            blk.write(modes, &self.em1[b], Rows::All, &mut self.x);
            self.settled[b] = !alive;
        }
        self.delta = d;
        self.s_prev = s;
        &self.x
    }
}

impl ModalPk {
    /// Diagonalises each drug block (a block that cannot be diagonalised
    /// reliably is kept as a confluent block, see the module docs).
    pub fn new(pk: &PkModel) -> ModalPk {
        let (a, _) = pk.linear_system(&Infusion::default());
        let blocks = BLOCKS
            .iter()
            .map(|idx| Block::new(idx, &a).unwrap_or_else(|| Block::confluent(idx, &a)))
            .collect();
        ModalPk { blocks, a }
    }

    /// Is every block in modal form (none confluent)? A lock-step batch
    /// evaluates the modes lane by lane and takes only such patients.
    pub fn diagonal(&self) -> bool {
        self.blocks.iter().all(|b| b.confluent.is_none())
    }

    /// Starts a segment at `t0` from PK state `x0` with infusion `inf`.
    pub fn segment(&self, pk: &PkModel, x0: &[f64], inf: &Infusion, t0: f64) -> ModalSegment {
        let (_, b) = pk.linear_system_input(inf);
        let modes = self
            .blocks
            .iter()
            .map(|blk| {
                let xb = DVector::from_iterator(blk.idx.len(), blk.idx.iter().map(|&i| x0[i]));
                let bb = DVector::from_iterator(blk.idx.len(), blk.idx.iter().map(|&i| b[i]));
                if xb.iter().all(|v| *v == 0.0) && bb.iter().all(|v| *v == 0.0) {
                    return None;
                }
                let mut m = Modes {
                    z0: [0.0; MAX_M],
                    input: [0.0; MAX_M],
                };
                if blk.confluent.is_some() {
                    m.z0[..blk.idx.len()].copy_from_slice(xb.as_slice());
                    m.input[..blk.idx.len()].copy_from_slice(bb.as_slice());
                    return Some(m);
                }
                let (z0, d) = (&blk.vinv * xb, &blk.vinv * bb);
                for k in 0..blk.idx.len() {
                    m.z0[k] = z0[k];
                    m.input[k] = -d[k] / blk.lambda[k];
                }
                Some(m)
            })
            .collect();
        ModalSegment { t0, modes }
    }

    /// The exact PK state at time `t` of the segment, written into
    /// `x[..PK_N]` (every state, or only those `rows` names).
    pub fn eval(&self, seg: &ModalSegment, t: f64, rows: Rows, x: &mut [f64]) {
        let s = t - seg.t0;
        for (b, blk) in self.blocks.iter().enumerate() {
            if blk.confluent.is_some() {
                blk.write_confluent(seg.modes[b].as_ref(), s, rows, x);
                continue;
            }
            let mut em1 = [0.0; MAX_M];
            for (k, e) in em1.iter_mut().enumerate().take(blk.idx.len()) {
                let ls = blk.lambda[k] * s;
                // Past e^-40 a mode has died out: skip the transcendental call.
                *e = if ls < -40.0 { -1.0 } else { ls.exp_m1() };
            }
            blk.write(seg.modes[b].as_ref(), &em1, rows, x);
        }
    }

    /// A cursor that walks the segment forward through increasing times.
    pub fn cursor<'a>(&'a self, seg: &'a ModalSegment) -> ModalCursor<'a> {
        ModalCursor {
            modal: self,
            seg,
            em1: [[0.0; MAX_M]; BLOCKS.len()],
            step: [[0.0; MAX_M]; BLOCKS.len()],
            settled: [false; BLOCKS.len()],
            s_prev: 0.0,
            delta: f64::NAN,
            x: [0.0; PK_N],
        }
    }

    /// The PK system matrix this decomposition was built from.
    pub fn matrix(&self) -> &DMatrix<f64> {
        &self.a
    }
}

impl Block {
    /// Writes this block's states from the modes' `e^{λs} - 1` (`modes`
    /// holds the initial amplitudes and inputs, `None` for an empty block).
    fn write(&self, modes: Option<&Modes>, em1: &[f64; MAX_M], rows: Rows, x: &mut [f64]) {
        let Some(md) = modes else {
            for &i in self.idx {
                x[i] = 0.0;
            }
            return;
        };
        // z = e^{λs} z0 + (e^{λs} - 1)/λ d = z0 + (e^{λs} - 1)(z0 + d/λ),
        // accurate even for small λs. Fixed-length loops over the padded
        // arrays let the compiler vectorise.
        let mut z = [0.0; MAX_M];
        for k in 0..MAX_M {
            z[k] = md.z0[k] + em1[k] * (md.z0[k] - md.input[k]);
        }
        let row = |r: usize| -> f64 {
            let vr = &self.v[r];
            let mut acc = 0.0;
            for k in 0..MAX_M {
                acc += vr[k] * z[k];
            }
            acc
        };
        match rows {
            Rows::All => {
                for (r, &i) in self.idx.iter().enumerate() {
                    x[i] = row(r);
                }
            }
            Rows::Pd => {
                for &r in &self.pd_rows {
                    x[self.idx[r]] = row(r);
                }
            }
        }
    }

    /// Writes a confluent block's states `s` hours into the segment by the
    /// matrix exponential of the block bordered by its input column.
    fn write_confluent(&self, modes: Option<&Modes>, s: f64, rows: Rows, x: &mut [f64]) {
        let (Some(md), Some(a)) = (modes, self.confluent.as_ref()) else {
            for &i in self.idx {
                x[i] = 0.0;
            }
            return;
        };
        let m = self.idx.len();
        let mut bordered = DMatrix::zeros(m + 1, m + 1);
        bordered.view_mut((0, 0), (m, m)).copy_from(&(a * s));
        for r in 0..m {
            bordered[(r, m)] = md.input[r] * s;
        }
        let e = bordered.exp();
        let state = |r: usize| (0..m).map(|c| e[(r, c)] * md.z0[c]).sum::<f64>() + e[(r, m)];
        match rows {
            Rows::All => {
                for (r, &i) in self.idx.iter().enumerate() {
                    x[i] = state(r);
                }
            }
            Rows::Pd => {
                for &r in &self.pd_rows {
                    x[self.idx[r]] = state(r);
                }
            }
        }
    }

    /// A block kept as its matrix, for the matrix exponential.
    fn confluent(idx: &'static [usize], a: &DMatrix<f64>) -> Block {
        let m = idx.len();
        Block {
            idx,
            confluent: Some(DMatrix::from_fn(m, m, |r, c| a[(idx[r], idx[c])])),
            lambda: [0.0; MAX_M],
            v: [[0.0; MAX_M]; MAX_M],
            vinv: DMatrix::zeros(0, 0),
            pd_rows: (0..m).filter(|&r| PD_ROWS.contains(&idx[r])).collect(),
        }
    }

    fn new(idx: &'static [usize], a: &DMatrix<f64>) -> Option<Block> {
        let m = idx.len();
        if m > MAX_M {
            return None;
        }
        let sub = DMatrix::from_fn(m, m, |r, c| a[(idx[r], idx[c])]);
        let (lambda, v) = super::eigen::decompose(&sub)?;
        let vinv = v.clone().try_inverse()?;
        // Accept only if V Λ V⁻¹ reproduces the block closely.
        let recon = &v * DMatrix::from_diagonal(&DVector::from_vec(lambda.clone())) * &vinv;
        let scale = sub.amax().max(1e-300);
        // 1e-7 of the block's fastest rate admits blocks whose rates lie
        // within about 1e-3 of each other (an esketamine disposition rate
        // next to noresketamine's effect-site rate): their states stay
        // within about 1e-6 of the matrix exponential, far inside the
        // integrator's tolerance (see `confluent` below).
        if (recon - &sub).amax() > 1e-7 * scale {
            return None;
        }
        let mut lam = [0.0; MAX_M];
        lam[..m].copy_from_slice(&lambda);
        let mut rows = [[0.0; MAX_M]; MAX_M];
        for (r, row) in rows.iter_mut().enumerate().take(m) {
            for (k, x) in row.iter_mut().enumerate().take(m) {
                *x = v[(r, k)];
            }
        }
        let pd_rows = (0..m).filter(|&r| PD_ROWS.contains(&idx[r])).collect();
        Some(Block {
            idx,
            confluent: None,
            lambda: lam,
            v: rows,
            vinv,
            pd_rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    /// Default PK with some of every drug on board, and a running infusion.
    fn fixture() -> (PkModel, ModalPk, Vec<f64>, Infusion) {
        let pk = PkModel::new(&Params::default());
        let modal = ModalPk::new(&pk);
        assert!(modal.diagonal(), "default PK diagonalisable");
        let mut x0 = vec![0.0; PK_N];
        x0[KET_C] = 20.0;
        x0[ESK_DEPOT] = 30.0;
        x0[ESC_DEPOT] = 8.0;
        x0[NK_C] = 3.0;
        let inf = Infusion {
            ketamine: 52.5,
            esketamine: 0.0,
            escitalopram: 1.0,
        };
        (pk, modal, x0, inf)
    }

    /// The modal solution equals the matrix exponential (the exact oracle).
    #[test]
    fn modal_matches_matrix_exponential() {
        let (pk, modal, x0, inf) = fixture();
        let seg = modal.segment(&pk, &x0, &inf, 5.0);
        for dt in [0.01, 0.3, 2.0, 30.0] {
            let exact = pk.propagate_exact(&x0, &inf, dt);
            let mut x = vec![0.0; PK_N];
            modal.eval(&seg, 5.0 + dt, Rows::All, &mut x);
            for i in 0..PK_N {
                let tol = 1e-8 * (1.0 + exact[i].abs());
                assert!(
                    (x[i] - exact[i]).abs() < tol,
                    "state {i} at {dt} h: {} vs {}",
                    x[i],
                    exact[i]
                );
            }
        }
    }

    /// Evaluating only the pharmacodynamic inputs gives the same values.
    #[test]
    fn pd_rows_match_full_evaluation() {
        let (pk, modal, x0, inf) = fixture();
        let seg = modal.segment(&pk, &x0, &inf, 0.0);
        let (mut all, mut pd) = (vec![0.0; PK_N], vec![0.0; PK_N]);
        modal.eval(&seg, 1.5, Rows::All, &mut all);
        modal.eval(&seg, 1.5, Rows::Pd, &mut pd);
        for i in PD_ROWS {
            assert_eq!(all[i], pd[i], "state {i}");
        }
    }

    /// Stepping through an output grid gives the same states as evaluating
    /// each time on its own.
    #[test]
    fn cursor_matches_pointwise_evaluation() {
        let (pk, modal, x0, inf) = fixture();
        let seg = modal.segment(&pk, &x0, &inf, 2.0);
        let ts: Vec<f64> = (1..2000)
            .map(|k| 2.0 + 0.05 * k as f64)
            // Late times: the modes die out and blocks settle.
            .chain([103.0, 500.0, 2000.0, 2001.0])
            .collect();
        let mut cursor = modal.cursor(&seg);
        for &t in &ts {
            let x = cursor.at(t);
            let mut one = vec![0.0; PK_N];
            modal.eval(&seg, t, Rows::All, &mut one);
            for s in 0..PK_N {
                let tol = 1e-10 * (1.0 + one[s].abs());
                assert!(
                    (x[s] - one[s]).abs() < tol,
                    "state {s} at {t}: {} vs {}",
                    x[s],
                    one[s]
                );
            }
        }
    }
}

#[cfg(test)]
mod confluent {
    use super::*;
    use crate::params::{id, Params};

    /// A patient whose esketamine disposition has a rate within 1e-3 of
    /// noresketamine's effect-site rate: the modal form still holds and
    /// matches the matrix exponential.
    #[test]
    fn near_equal_rates_keep_an_accurate_modal_form() {
        let mut p = Params::default();
        for (k, v) in [
            (id::ESK_KA, 5.325785),
            (id::ESK_CL, 173.476721),
            (id::ESK_V1, 135.225447),
        ] {
            p.set(k, v).unwrap();
        }
        let pk = PkModel::new(&p);
        let modal = ModalPk::new(&pk);
        assert!(modal.diagonal(), "modal form");
        let mut x0 = vec![0.0; PK_N];
        x0[ESK_DEPOT] = 25.0;
        x0[ESK_GUT] = 31.0;
        let inf = Infusion::default();
        let seg = modal.segment(&pk, &x0, &inf, 0.0);
        for t in [0.25, 1.0, 3.0, 12.0, 48.0] {
            let exact = pk.propagate_exact(&x0, &inf, t);
            let mut x = vec![0.0; PK_N];
            modal.eval(&seg, t, Rows::All, &mut x);
            for i in 0..PK_N {
                let scale = exact[i].abs().max(1e-3);
                assert!(
                    (x[i] - exact[i]).abs() < 1e-6 * scale,
                    "state {i} at {t} h: {} vs {}",
                    x[i],
                    exact[i]
                );
            }
        }
    }

    /// Ketamine's absorption rate equal to its effect-site rate: the block
    /// has a repeated rate and is kept confluent, and its states still equal
    /// the matrix exponential of the whole PK system, and differ from a
    /// neighbouring patient's modal form (absorption 1e-4 faster) by about
    /// that change to first order: the depot's `e^{-ka s}` moves by
    /// `1e-4 · ka · s` of itself.
    #[test]
    fn equal_rates_make_a_confluent_block_that_stays_exact() {
        let patient = |ka_per_h: f64| {
            let mut p = Params::default();
            p.set(id::KET_KA, ka_per_h).unwrap();
            PkModel::new(&p)
        };
        let ke0_per_h = Params::default()[id::KET_KE0] * 60.0;
        let pk = patient(ke0_per_h);
        let modal = ModalPk::new(&pk);
        assert!(!modal.diagonal());
        assert!(modal.blocks[0].confluent.is_some() && modal.blocks[1].confluent.is_none());
        let near = patient(ke0_per_h * (1.0 + 1e-4));
        let near_modal = ModalPk::new(&near);
        assert!(near_modal.diagonal());
        let mut x0 = vec![0.0; PK_N];
        x0[KET_DEPOT] = 50.0;
        x0[KET_C] = 5.0;
        let inf = Infusion {
            ketamine: 20.0,
            ..Infusion::default()
        };
        let seg = modal.segment(&pk, &x0, &inf, 1.0);
        let near_seg = near_modal.segment(&near, &x0, &inf, 1.0);
        let mut cursor = modal.cursor(&seg);
        for t in [1.1, 1.5, 3.0, 9.0, 49.0] {
            let exact = pk.propagate_exact(&x0, &inf, t - 1.0);
            let (mut x, mut y) = (vec![0.0; PK_N], vec![0.0; PK_N]);
            modal.eval(&seg, t, Rows::All, &mut x);
            near_modal.eval(&near_seg, t, Rows::All, &mut y);
            let walked = cursor.at(t);
            for i in 0..PK_N {
                let scale = exact[i].abs().max(1e-3);
                assert!((x[i] - exact[i]).abs() < 1e-9 * scale, "state {i} at {t} h");
                assert_eq!(walked[i], x[i], "state {i} at {t} h");
                let rel = (y[i] - x[i]).abs() / scale;
                let first_order = 1e-4 * (1.0 + ke0_per_h * (t - 1.0));
                assert!(rel < 2.0 * first_order, "state {i} at {t} h: {rel:e}");
            }
        }
    }
}
