//! Lock-step integration of [`L`] virtual patients.
//!
//! The patients of a population share the regimen, so their runs break at
//! the same dose events and every segment is the same time span for all
//! of them. [`simulate_lanes`] walks the segments once for the batch and
//! `integrate` steps all patients together with the method of
//! [`super::esdirk`] (ESDIRK3(2)4L\[2\]SA):
//!
//! - one step size for the batch: a step is accepted when every patient's
//!   error norm is within tolerance, and the next step follows the largest
//!   of them, so each patient is integrated at least as accurately as on
//!   its own;
//! - each patient has its own Jacobian, its own factorisation of
//!   `I - hγJ` and its own simplified-Newton iterations (with their own
//!   convergence rate); a stage is done when every patient has converged,
//!   and a patient whose iteration diverges shrinks the batch's step, as it
//!   would its own;
//! - the state is held structure-of-arrays (`y[state][patient]`), so the
//!   right-hand side ([`crate::model::batch`]), the factorisation, the
//!   solves and the error norms are loops over patients that the compiler
//!   vectorises.
//!
//! The factorisation does not pivot (so that every patient's arithmetic is
//! the same sequence of lane-wise operations); a pivot that is not clearly
//! non-zero counts as a Newton failure, and the step is retried smaller,
//! where `I - hγJ` tends to the identity. If the batch cannot go on
//! ([`BatchError`]), the caller runs its patients one at a time instead,
//! which also gives the scalar path's error messages.

// Index loops over lanes and states are the form that unrolls and
// vectorises; iterator chains over several arrays at once do not read better.
#![allow(clippy::needless_range_loop)]

use super::esdirk::{self, Stats, StepError, Tolerance};
use super::{breakpoints, infusion_at};
use crate::layout::{N, PK_N};
use crate::model::batch::{BatchModel, MatLanes, Memo, PdLanes, PD};
use crate::model::lanes::{splat, L, V};
use crate::model::{Model, State};
use crate::pk::modal::Rows;
use crate::pk::Infusion;
use crate::regimen::DoseEvent;

/// Why a batch stopped (its patients then run one at a time).
#[derive(Debug, Clone, PartialEq)]
pub enum BatchError {
    /// The patients cannot share a batch (no modal PK, or different
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

/// LU factors of every lane's `I - hγJ`, in place, without pivoting.
struct LuLanes<'a> {
    a: &'a MatLanes,
    inv_diag: [V; PD],
    sym: &'a Symbolic,
}

impl<'a> LuLanes<'a> {
    /// Factorises `a` (entries of `sym` only) in every lane; `None` if a
    /// pivot is not clearly non-zero against its column in any lane.
    #[inline(always)]
    fn new(a: &'a mut MatLanes, sym: &'a Symbolic) -> Option<LuLanes<'a>> {
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
        Some(LuLanes { a, inv_diag, sym })
    }

    /// Solves `A x = b` in every lane, in place.
    #[inline(always)]
    fn solve(&self, b: &mut PdLanes) {
        // Forward: rows in order, each entry's column already final.
        for &(r, c) in &self.sym.lower {
            let x = b[c as usize];
            b[r as usize] -= self.a[r as usize][c as usize] * x;
        }
        // Backward: rows from the last; a row's entries lie to its right.
        let upper = &self.sym.upper;
        let mut e = upper.len();
        for r in (0..PD).rev() {
            while e > 0 && upper[e - 1].0 as usize == r {
                e -= 1;
                let c = upper[e].1 as usize;
                let x = b[c];
                b[r] -= self.a[r][c] * x;
            }
            b[r] *= self.inv_diag[r];
        }
    }
}

/// The start of the last accepted step (for the stage predictor).
struct Last {
    t: f64,
    y: PdLanes,
    f: PdLanes,
}

/// Cubic Hermite interpolation in every lane (the times, and so the
/// weights, are the same for every lane; [`esdirk`]'s `hermite`).
#[inline(always)]
fn hermite_lanes(
    t0: f64,
    y0: &PdLanes,
    f0: &PdLanes,
    t1: f64,
    y1: &PdLanes,
    f1: &PdLanes,
    t: f64,
) -> PdLanes {
    let h = t1 - t0;
    if h <= 0.0 {
        return *y1;
    }
    let s = (t - t0) / h;
    let (s2, s3) = (s * s, s * s * s);
    let h00 = 2.0 * s3 - 3.0 * s2 + 1.0;
    let h10 = (s3 - 2.0 * s2 + s) * h;
    let h01 = -2.0 * s3 + 3.0 * s2;
    let h11 = (s3 - s2) * h;
    std::array::from_fn(|m| h00 * y0[m] + h10 * f0[m] + h01 * y1[m] + h11 * f1[m])
}

/// The segment's system: the batch's equations with its PK segment.
struct System<'a, 'm> {
    model: &'a BatchModel<'m>,
    seg: &'a crate::model::batch::SegmentLanes,
    memo: Memo,
    sym: &'a Symbolic,
}

impl System<'_, '_> {
    #[inline(always)]
    fn f(&self, t: f64, y: &PdLanes) -> PdLanes {
        self.model.rhs(self.seg, t, y, &self.memo)
    }
}

/// Integrates every lane over `(t0, t1)` in lock-step, calls `each(k, y)`
/// at each `t_out[k]` and returns the states at `t1` ([`esdirk::integrate`]
/// for one patient).
#[inline(always)]
fn integrate(
    sys: &System,
    (t0, t1): (f64, f64),
    y0: PdLanes,
    tol: Tolerance,
    t_out: &[f64],
    stats: &mut Stats,
    mut each: impl FnMut(usize, &PdLanes),
) -> Result<PdLanes, StepError> {
    let Tolerance { rtol, atol } = tol;
    let tb = esdirk::tableau();
    let span = t1 - t0;
    let mut t = t0;
    let mut y = y0;
    let mut fy = sys.f(t, &y0);
    stats.rhs += 1;
    let mut h = (span * 1e-3).clamp(1e-9, 1.0 / 60.0);
    let h_min = 1e-12 * span.abs().max(1.0);
    let newton_tol = esdirk::newton_tol(rtol);
    let mut eta = splat(1.0);
    let mut just_rejected = false;
    let mut previous: Option<Last> = None;
    let mut next_out = 0;
    let mut steps = 0usize;
    // Entries outside the pattern stay zero; the others are rewritten at
    // every step.
    let mut jac: MatLanes = [[splat(0.0); PD]; PD];
    while t < t1 {
        steps += 1;
        if steps > 200_000 {
            return Err(StepError::TooManySteps { t });
        }
        let last = t + h >= t1 - 1e-12 * span;
        if last {
            h = t1 - t;
        }
        let mut w = [splat(0.0); PD];
        for m in 0..PD {
            for l in 0..L {
                w[m][l] = atol + rtol * y[m][l].abs();
            }
        }
        let step = try_step(
            sys,
            &tb,
            (t, h),
            (&y, &fy),
            &w,
            (newton_tol, &mut eta),
            previous.as_ref(),
            stats,
            &mut jac,
        );
        let Some((y_new, err)) = step else {
            stats.newton_failures += 1;
            h *= 0.25;
            if h < h_min {
                return Err(StepError::StepTooSmall { t });
            }
            continue;
        };
        if err <= 1.0 {
            stats.steps += 1;
            let t_new = if last { t1 } else { t + h };
            let f_new = sys.f(t_new, &y_new);
            stats.rhs += 1;
            while next_out < t_out.len() && t_out[next_out] <= t_new {
                each(
                    next_out,
                    &hermite_lanes(t, &y, &fy, t_new, &y_new, &f_new, t_out[next_out]),
                );
                next_out += 1;
            }
            previous = Some(Last { t, y, f: fy });
            t = t_new;
            y = y_new;
            fy = f_new;
        } else {
            stats.rejected += 1;
        }
        h *= esdirk::step_factor(err, just_rejected);
        just_rejected = err > 1.0;
        if h < h_min {
            return Err(StepError::StepTooSmall { t });
        }
    }
    Ok(y)
}

/// One lock-step ESDIRK step: the new states and the largest error norm
/// of the batch; `None` if any lane's Newton iteration does not converge.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn try_step(
    sys: &System,
    tb: &esdirk::Tableau,
    (t, h): (f64, f64),
    (y, fy): (&PdLanes, &PdLanes),
    w: &PdLanes,
    (newton_tol, eta_carried): (f64, &mut V),
    last: Option<&Last>,
    stats: &mut Stats,
    jac: &mut MatLanes,
) -> Option<(PdLanes, f64)> {
    let hg = h * tb.g;
    let a = &mut *jac;
    for &(r, c) in &sys.sym.fill {
        a[r as usize][c as usize] = splat(0.0);
    }
    sys.model.jacobian(sys.seg, t, y, &sys.memo, a);
    stats.jacobians += 1;
    for &(r, c) in &sys.sym.all {
        let (r, c) = (r as usize, c as usize);
        let diag = if r == c { 1.0 } else { 0.0 };
        a[r][c] = diag - hg * a[r][c];
    }
    let lu = LuLanes::new(a, sys.sym)?;
    let mut k = [*fy; 4];
    let mut z = *y;
    for i in 1..4 {
        let mut base = *y;
        for (j, kj) in k.iter().enumerate().take(i) {
            let c = h * tb.a[i][j];
            for m in 0..PD {
                for l in 0..L {
                    base[m][l] += c * kj[m][l];
                }
            }
        }
        let ti = t + tb.c[i] * h;
        match last {
            Some(p) if h <= 2.0 * (t - p.t) => z = hermite_lanes(p.t, &p.y, &p.f, t, y, fy, ti),
            _ => {
                for m in 0..PD {
                    for l in 0..L {
                        z[m][l] = base[m][l] + hg * k[i - 1][m][l];
                    }
                }
            }
        }
        let mut eta = crate::model::lanes::powf_v(eta_carried.max(splat(1e-4)), 0.8);
        let mut prev = splat(f64::NAN);
        let mut converged = [false; L];
        for it in 0..10 {
            let fz = sys.f(ti, &z);
            stats.rhs += 1;
            let mut r = [splat(0.0); PD];
            for m in 0..PD {
                for l in 0..L {
                    r[m][l] = base[m][l] + hg * fz[m][l] - z[m][l];
                }
            }
            let mut dz = r;
            lu.solve(&mut dz);
            let mut norm = splat(0.0);
            for m in 0..PD {
                for l in 0..L {
                    z[m][l] += dz[m][l];
                    norm[l] = norm[l].max((dz[m][l] / w[m][l]).abs());
                }
            }
            for l in 0..L {
                if converged[l] {
                    continue;
                }
                if !norm[l].is_finite() {
                    return None;
                }
                if it > 0 {
                    let theta = norm[l] / prev[l];
                    if theta >= 0.99 {
                        *eta_carried = splat(1.0);
                        return None;
                    }
                    eta[l] = theta / (1.0 - theta);
                }
                if eta[l] * norm[l] <= newton_tol || norm[l] == 0.0 {
                    converged[l] = true;
                }
                prev[l] = norm[l];
            }
            if converged.iter().all(|&c| c) {
                break;
            }
        }
        if !converged.iter().all(|&c| c) {
            *eta_carried = splat(1.0);
            return None;
        }
        *eta_carried = eta;
        for m in 0..PD {
            for l in 0..L {
                k[i][m][l] = (z[m][l] - base[m][l]) / hg;
            }
        }
    }
    let mut sum = splat(0.0);
    for m in 0..PD {
        for l in 0..L {
            let mut incr = 0.0;
            for j in 0..4 {
                incr += tb.bh[j] * k[j][m][l];
            }
            let y_hat = y[m][l] + h * incr;
            let e = (z[m][l] - y_hat) / w[m][l];
            sum[l] += e * e;
        }
    }
    let err = sum
        .0
        .iter()
        .map(|s| (s / PD as f64).sqrt())
        .fold(0.0f64, |a, b| if b.is_nan() { f64::NAN } else { a.max(b) });
    err.is_finite().then_some((z, err))
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

/// The body of [`simulate_lanes`], for any instruction set.
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
    let modal = models.map(|m| m.modal.as_ref().expect("BatchModel::new checked it"));
    let sym = Symbolic::new(batch.pattern());
    let mut y: [State; L] = models.map(|m| m.baseline());
    let mut next_out = 0;
    // A lane's new episode is a boundary for the whole batch (the lanes
    // share their steps); only its own lane's state jumps there.
    let episodes: Vec<f64> = models.iter().filter_map(|m| m.episode_onset_h()).collect();
    for seg in breakpoints(doses, times, &episodes).windows(2) {
        let (t0, t1) = (seg[0], seg[1]);
        for ev in doses.iter().filter(|e| e.time_h == t0) {
            for (l, m) in models.iter().enumerate() {
                m.pk.apply_dose(ev, m.weight_kg, &mut y[l]);
                m.apply_session(ev, &mut y[l]);
            }
        }
        for (l, m) in models.iter().enumerate() {
            m.apply_episode(t0, &mut y[l]);
        }
        let inf: [Infusion; L] = models.map(|m| infusion_at(doses, t0, m.weight_kg));
        while next_out < times.len() && times[next_out] == t0 {
            for l in 0..L {
                emit(l, t0, &y[l], &inf[l]);
            }
            next_out += 1;
        }
        let first = next_out;
        while next_out < times.len() && times[next_out] < t1 {
            next_out += 1;
        }
        let t_out = &times[first..next_out];
        let segs =
            std::array::from_fn(|l| modal[l].segment(&models[l].pk, &y[l][..PK_N], &inf[l], t0));
        let lanes_seg = batch.segment(&segs);
        let sys = System {
            model: &batch,
            seg: &lanes_seg,
            memo: Memo::default(),
            sym: &sym,
        };
        let mut cursors: [_; L] = std::array::from_fn(|l| modal[l].cursor(&segs[l]));
        let y0: PdLanes = std::array::from_fn(|m| V(std::array::from_fn(|l| y[l][PK_N + m])));
        let mut bad = None;
        let end = integrate(&sys, (t0, t1), y0, tol, t_out, stats, |k, pd| {
            let t = t_out[k];
            for l in 0..L {
                let mut full = [0.0; N];
                full[..PK_N].copy_from_slice(cursors[l].at(t));
                for m in 0..PD {
                    full[PK_N + m] = pd[m][l];
                }
                if !finite(&full) {
                    bad.get_or_insert(t);
                }
                emit(l, t, &full, &inf[l]);
            }
        })
        .map_err(BatchError::Step)?;
        if let Some(t) = bad {
            return Err(BatchError::NonFinite(t));
        }
        for l in 0..L {
            modal[l].eval(&segs[l], t1, Rows::All, &mut y[l][..PK_N]);
            for m in 0..PD {
                y[l][PK_N + m] = end[m][l];
            }
            if !finite(&y[l]) {
                return Err(BatchError::NonFinite(t1));
            }
        }
    }
    if next_out < times.len() {
        let t = times[next_out];
        for (l, m) in models.iter().enumerate() {
            emit(l, t, &y[l], &infusion_at(doses, t, m.weight_kg));
        }
    }
    Ok(())
}

fn finite(y: &State) -> bool {
    y.iter().map(|v| v * 0.0).sum::<f64>() == 0.0
}
