//! Lock-step integration of [`L`] virtual patients.
//!
//! The patients of a population share the regimen, so their runs break at
//! the same dose events and every segment is the same time span for all
//! of them. [`simulate_lanes`] walks the segments once for the batch and
//! steps all patients together with the one-patient method itself,
//! [`esdirk::integrate_with`] (ESDIRK3(2)4L\[2\]SA, written once over
//! [`crate::num::Real`]): one step size for the batch, accepted when every
//! patient's error norm is within tolerance; each patient with its own
//! Jacobian, factorisation and simplified-Newton convergence rate.
//!
//! What is the batch's own is the linear algebra of `I - hγJ`: the state is
//! held structure-of-arrays (`y[state][patient]`), so the right-hand side
//! ([`crate::model::batch`]), the factorisation and the solves are loops
//! over patients that the compiler vectorises. The factorisation does not
//! pivot (so that every patient's arithmetic is the same sequence of
//! lane-wise operations) and visits only the Jacobian's sparsity pattern
//! with its fill-in; a pivot that is not clearly non-zero counts as a
//! Newton failure, and the step is retried smaller, where `I - hγJ` tends
//! to the identity. If the batch cannot go on ([`BatchError`]), the caller
//! runs its patients one at a time instead, which also gives the scalar
//! path's error messages.

// Index loops over lanes and states are the form that unrolls and
// vectorises; iterator chains over several arrays at once do not read better.
#![allow(clippy::needless_range_loop)]

use super::esdirk::{self, Implicit, Stats, StepError, Tolerance};
use crate::layout::{N, PK_N};
use crate::model::batch::{BatchModel, MatLanes, Memo, PdLanes, PD};
use crate::model::lanes::{splat, L, V};
use crate::model::{Model, State};
use crate::pk::modal::{ModalPk, Rows};
use crate::pk::Infusion;
use crate::regimen::DoseEvent;
use std::cell::RefCell;

/// Why a batch stopped (its patients then run one at a time).
#[derive(Debug, Clone, PartialEq)]
pub enum BatchError {
    /// The patients cannot share a batch (a confluent PK block, or different
    /// mechanisms or tolerances).
    Unbatchable,
    /// The integrator gave up.
    Step(StepError),
    /// A state turned NaN or infinite at this time, hours.
    NonFinite(f64),
}

/// The symbolic LU factorisation of the Jacobian's pattern: which entries
/// the elimination touches, fill-in included. The model's Jacobian is
/// sparse (a chain with a few loops: about 40 of 169 entries) and has the
/// same pattern in every lane and at every state, so this is worked out
/// once per batch and the numeric factorisation and solves visit only
/// those entries.
struct Symbolic {
    /// Per pivot `k`: the rows below it with an entry in column `k`.
    below: Vec<Vec<u8>>,
    /// Per pivot `k`: the columns right of it with an entry in row `k`.
    right: Vec<Vec<u8>>,
    /// Entries `(r, c)` of L, by rows.
    lower: Vec<(u8, u8)>,
    /// Entries of U above the diagonal, by rows.
    upper: Vec<(u8, u8)>,
    /// Every entry of the filled pattern, diagonal included.
    all: Vec<(u8, u8)>,
    /// The entries of `all` that the Jacobian never writes: they hold the
    /// last factorisation's values and are zeroed before the next.
    fill: Vec<(u8, u8)>,
}

impl Symbolic {
    fn new(pattern: [[bool; PD]; PD]) -> Symbolic {
        let mut p = pattern;
        for (k, row) in p.iter_mut().enumerate() {
            row[k] = true;
        }
        let mut below = vec![Vec::new(); PD];
        let mut right = vec![Vec::new(); PD];
        for k in 0..PD {
            below[k] = (k + 1..PD).filter(|&r| p[r][k]).map(|r| r as u8).collect();
            right[k] = (k + 1..PD).filter(|&c| p[k][c]).map(|c| c as u8).collect();
            for &r in &below[k] {
                for &c in &right[k] {
                    p[r as usize][c as usize] = true;
                }
            }
        }
        let entries = |keep: fn(usize, usize) -> bool| -> Vec<(u8, u8)> {
            (0..PD)
                .flat_map(|r| (0..PD).map(move |c| (r, c)))
                .filter(|&(r, c)| p[r][c] && keep(r, c))
                .map(|(r, c)| (r as u8, c as u8))
                .collect()
        };
        Symbolic {
            below,
            right,
            lower: entries(|r, c| c < r),
            upper: entries(|r, c| c > r),
            all: entries(|_, _| true),
            fill: (0..PD)
                .flat_map(|r| (0..PD).map(move |c| (r, c)))
                .filter(|&(r, c)| p[r][c] && !pattern[r][c])
                .map(|(r, c)| (r as u8, c as u8))
                .collect(),
        }
    }
}

/// Factorises every lane's `I - hγJ` in place (entries of `sym` only),
/// without pivoting, and returns the reciprocals of the pivots; `None` if a
/// pivot is not clearly non-zero against its column in any lane.
#[inline(always)]
fn factor_lanes(a: &mut MatLanes, sym: &Symbolic) -> Option<[V; PD]> {
    let mut inv_diag = [splat(0.0); PD];
    for k in 0..PD {
        let d = a[k][k];
        let mut col = d.abs();
        for &r in &sym.below[k] {
            col = col.max(a[r as usize][k].abs());
        }
        let fine = d.abs().gt(col * 1e-10);
        for l in 0..L {
            if !fine.0[l] || !d[l].is_finite() {
                return None;
            }
        }
        inv_diag[k] = 1.0 / d;
        for &r in &sym.below[k] {
            let r = r as usize;
            let f = a[r][k] * inv_diag[k];
            a[r][k] = f;
            for &c in &sym.right[k] {
                let c = c as usize;
                let p = a[k][c];
                a[r][c] -= f * p;
            }
        }
    }
    Some(inv_diag)
}

/// Solves `A x = b` in every lane, in place, with the factors of
/// [`factor_lanes`].
#[inline(always)]
fn solve_lanes(a: &MatLanes, inv_diag: &[V; PD], sym: &Symbolic, b: &mut PdLanes) {
    // Forward: rows in order, each entry's column already final.
    for &(r, c) in &sym.lower {
        let x = b[c as usize];
        b[r as usize] -= a[r as usize][c as usize] * x;
    }
    // Backward: rows from the last; a row's entries lie to its right.
    let upper = &sym.upper;
    let mut e = upper.len();
    for r in (0..PD).rev() {
        while e > 0 && upper[e - 1].0 as usize == r {
            e -= 1;
            let c = upper[e].1 as usize;
            let x = b[c];
            b[r] -= a[r][c] * x;
        }
        b[r] *= inv_diag[r];
    }
}

/// The segment's system: the batch's equations with its PK segment, and
/// the factors of its last `I - hγJ`.
struct System<'a, 'm> {
    model: &'a BatchModel<'m>,
    seg: &'a crate::model::batch::SegmentLanes,
    memo: Memo,
    sym: &'a Symbolic,
    /// The Jacobian, then its factors. Entries outside the pattern stay
    /// zero; the others are rewritten at every step.
    lu: RefCell<MatLanes>,
    inv_diag: RefCell<[V; PD]>,
}

impl Implicit<V, PD> for System<'_, '_> {
    #[inline(always)]
    fn f(&self, t: f64, y: &PdLanes) -> PdLanes {
        self.model.rhs(self.seg, t, y, &self.memo)
    }

    #[inline(always)]
    fn factor(&self, t: f64, y: &PdLanes, hg: f64) -> bool {
        let a = &mut *self.lu.borrow_mut();
        for &(r, c) in &self.sym.fill {
            a[r as usize][c as usize] = splat(0.0);
        }
        self.model.jacobian(self.seg, t, y, &self.memo, a);
        for &(r, c) in &self.sym.all {
            let (r, c) = (r as usize, c as usize);
            let diag = if r == c { 1.0 } else { 0.0 };
            a[r][c] = diag - hg * a[r][c];
        }
        match factor_lanes(a, self.sym) {
            Some(inv) => {
                *self.inv_diag.borrow_mut() = inv;
                true
            }
            None => false,
        }
    }

    #[inline(always)]
    fn solve(&self, b: &mut PdLanes) {
        solve_lanes(&self.lu.borrow(), &self.inv_diag.borrow(), self.sym, b);
    }
}

/// Runs [`L`] patients in lock-step from their drug-free steady states and
/// calls `emit(lane, t, state, infusion)` at every output time `times`
/// (sorted, no repeats), in time order within each lane. `tol` applies to
/// every lane; the work is added to `stats` once for the batch.
///
/// On x86-64 processors with AVX2 (most since 2013) the same code runs
/// compiled for 256-bit registers, four patients per instruction; the
/// arithmetic is the same, so are the results.
pub fn simulate_lanes(
    models: [&Model; L],
    doses: &[DoseEvent],
    times: &[f64],
    tol: Tolerance,
    stats: &mut Stats,
    emit: impl FnMut(usize, f64, &State, &Infusion),
) -> Result<(), BatchError> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has just been found to support AVX2.
        return unsafe { simulate_lanes_avx2(models, doses, times, tol, stats, emit) };
    }
    simulate_lanes_with(models, doses, times, tol, stats, emit)
}

/// [`simulate_lanes_with`] compiled for AVX2: everything it calls on the
/// hot path is `#[inline(always)]`, so it is compiled here too.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn simulate_lanes_avx2(
    models: [&Model; L],
    doses: &[DoseEvent],
    times: &[f64],
    tol: Tolerance,
    stats: &mut Stats,
    emit: impl FnMut(usize, f64, &State, &Infusion),
) -> Result<(), BatchError> {
    simulate_lanes_with(models, doses, times, tol, stats, emit)
}

/// The body of [`simulate_lanes`], for any instruction set: the segment
/// walk of one patient ([`super::walk_lanes`]), each segment integrated for
/// all lanes at once.
#[inline(always)]
fn simulate_lanes_with(
    models: [&Model; L],
    doses: &[DoseEvent],
    times: &[f64],
    tol: Tolerance,
    stats: &mut Stats,
    mut emit: impl FnMut(usize, f64, &State, &Infusion),
) -> Result<(), BatchError> {
    let batch = BatchModel::new(models).ok_or(BatchError::Unbatchable)?;
    let modal = models.map(|m| &m.modal);
    let sym = Symbolic::new(batch.pattern());
    let advance = Segments {
        batch: &batch,
        modal,
        sym: &sym,
        tol,
        stats,
    };
    let check = |y: &State, t: f64| {
        if finite(y) {
            Ok(())
        } else {
            Err(BatchError::NonFinite(t))
        }
    };
    super::walk_lanes(
        models,
        doses,
        times,
        advance,
        |l, t, y, inf| {
            check(y, t)?;
            emit(l, t, y, inf);
            Ok(())
        },
        check,
    )
}

/// The lock-step batch's [`super::Advance`]: each segment integrated for
/// every lane at once.
struct Segments<'a, 'm> {
    batch: &'a BatchModel<'m>,
    modal: [&'m ModalPk; L],
    sym: &'a Symbolic,
    tol: Tolerance,
    stats: &'a mut Stats,
}

impl super::Advance<L, BatchError> for Segments<'_, '_> {
    #[inline(always)]
    fn advance(
        &mut self,
        y: &[State; L],
        inf: &[Infusion; L],
        (t0, t1): (f64, f64),
        t_out: &[f64],
        out: &mut dyn FnMut(usize, usize, &State),
    ) -> Result<[State; L], BatchError> {
        let (models, modal) = (&self.batch.models, &self.modal);
        let segs =
            std::array::from_fn(|l| modal[l].segment(&models[l].pk, &y[l][..PK_N], &inf[l], t0));
        let lanes_seg = self.batch.segment(&segs);
        let sys = System {
            model: self.batch,
            seg: &lanes_seg,
            memo: Memo::default(),
            sym: self.sym,
            lu: RefCell::new([[splat(0.0); PD]; PD]),
            inv_diag: RefCell::new([splat(0.0); PD]),
        };
        let mut cursors: [_; L] = std::array::from_fn(|l| modal[l].cursor(&segs[l]));
        let y0: PdLanes = std::array::from_fn(|m| V(std::array::from_fn(|l| y[l][PK_N + m])));
        let (tol, stats) = (self.tol, &mut *self.stats);
        let end = esdirk::integrate_with(&sys, (t0, t1), y0, tol, t_out, stats, |k, pd| {
            for l in 0..L {
                let mut full = [0.0; N];
                full[..PK_N].copy_from_slice(cursors[l].at(t_out[k]));
                for m in 0..PD {
                    full[PK_N + m] = pd[m][l];
                }
                out(k, l, &full);
            }
        })
        .map_err(BatchError::Step)?;
        let mut next = *y;
        for l in 0..L {
            modal[l].eval(&segs[l], t1, Rows::All, &mut next[l][..PK_N]);
            for m in 0..PD {
                next[l][PK_N + m] = end[m][l];
            }
        }
        Ok(next)
    }
}

#[inline(always)]
fn finite(y: &State) -> bool {
    y.iter().map(|v| v * 0.0).sum::<f64>() == 0.0
}
