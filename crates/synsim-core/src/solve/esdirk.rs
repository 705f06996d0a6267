//! A compact ESDIRK3(2)4L\[2\]SA integrator for small stiff systems.
//!
//! Kennedy & Carpenter's four-stage, third-order, L-stable, stiffly accurate
//! singly diagonally implicit Runge–Kutta method with an explicit first stage
//! and an embedded second-order solution for error control (Kennedy &
//! Carpenter 2016, NASA/TM-2016-219173, "Diagonally implicit Runge–Kutta
//! methods for stiff ODEs", method ESDIRK3(2)4L\[2\]SA with c3 = 3/5).
//!
//! Why our own: every implicit stage of an SDIRK method shares the matrix
//! `I - hγJ`, so one analytic Jacobian and one small fixed-size LU per step
//! serve all stages and Newton iterations. The general-purpose crate
//! re-factorises on every Newton iteration, which made synsim's runs several
//! times slower, and its Radau5 did not converge on synsim's model as the
//! tolerance tightened. The tests check this integrator against a fine RK4
//! reference and against the crate's ESDIRK.
//!
//! Output between steps uses cubic Hermite interpolation on the step's end
//! values and slopes (third order, like the method).

use crate::num::Real;
use std::cell::RefCell;

/// A square matrix by rows.
pub type Mat<const M: usize> = [[f64; M]; M];

/// A system `dy/dt = f(t, y)` with an analytic Jacobian.
pub trait StiffSystem<const M: usize> {
    /// The right-hand side.
    fn f(&self, t: f64, y: &[f64; M]) -> [f64; M];
    /// The Jacobian `∂f/∂y`, by rows (`j[r][c] = ∂f_r/∂y_c`).
    fn jac(&self, t: f64, y: &[f64; M]) -> Mat<M>;
}

/// A system `dy/dt = f(t, y)` of `M` states, each a number of type `T`:
/// one patient (`f64`) or a lock-step batch, one patient per lane
/// ([`crate::model::lanes::V`]), with the linear algebra of its implicit
/// stages. The method ([`integrate_with`]) is written once for both.
pub trait Implicit<T: Real, const M: usize> {
    /// The right-hand side.
    fn f(&self, t: f64, y: &[T; M]) -> [T; M];
    /// Evaluates the Jacobian `J` at `(t, y)` and factorises `I - hγ J`
    /// (`hg` = hγ) for the next solves; false when it is singular (in any
    /// lane).
    fn factor(&self, t: f64, y: &[T; M], hg: f64) -> bool;
    /// Solves `(I - hγ J) x = b` in place with the last factorisation.
    fn solve(&self, b: &mut [T; M]);
}

/// A [`StiffSystem`] with a dense LU factorisation with partial pivoting:
/// the [`Implicit`] system of one patient.
struct Dense<'a, S, const M: usize> {
    sys: &'a S,
    lu: RefCell<Option<Lu<M>>>,
}

impl<S: StiffSystem<M>, const M: usize> Implicit<f64, M> for Dense<'_, S, M> {
    fn f(&self, t: f64, y: &[f64; M]) -> [f64; M] {
        self.sys.f(t, y)
    }

    fn factor(&self, t: f64, y: &[f64; M], hg: f64) -> bool {
        let mut iteration = self.sys.jac(t, y);
        for (r, row) in iteration.iter_mut().enumerate() {
            for v in row.iter_mut() {
                *v *= -hg;
            }
            row[r] += 1.0;
        }
        let lu = Lu::new(iteration);
        let ok = lu.is_some();
        *self.lu.borrow_mut() = lu;
        ok
    }

    fn solve(&self, b: &mut [f64; M]) {
        if let Some(lu) = self.lu.borrow().as_ref() {
            *b = lu.solve(*b);
        }
    }
}

/// Why integration stopped early.
#[derive(Debug, Clone, PartialEq)]
pub enum StepError {
    /// The step size fell below the smallest allowed.
    StepTooSmall {
        /// Time reached, hours.
        t: f64,
    },
    /// More steps than allowed.
    TooManySteps {
        /// Time reached, hours.
        t: f64,
    },
}

/// Tableau of ESDIRK3(2)4L\[2\]SA (closed forms from Kennedy & Carpenter 2016).
pub(crate) struct Tableau {
    pub(crate) g: f64,
    pub(crate) c: [f64; 4],
    pub(crate) a: [[f64; 4]; 4],
    pub(crate) bh: [f64; 4],
}

pub(crate) fn tableau() -> Tableau {
    let g = 0.435_866_521_508_459;
    let (g2, g3) = (g * g, g * g * g);
    let (g4, g5) = (g3 * g, g3 * g2);
    let c3 = 0.6;
    let a32 = c3 * (c3 - 2.0 * g) / (4.0 * g);
    let a31 = c3 - g - a32;
    let b2 = (-2.0 + 3.0 * c3 + 6.0 * g * (1.0 - c3)) / (12.0 * g * (c3 - 2.0 * g));
    let b3 = (1.0 - 6.0 * g + 6.0 * g2) / (3.0 * c3 * (c3 - 2.0 * g));
    let b1 = 1.0 - g - b2 - b3;
    let q = 1.0 - 6.0 * g + 6.0 * g2;
    let d2 = c3 * (-1.0 + 6.0 * g - 24.0 * g3 + 12.0 * g4 - 6.0 * g5)
        / (4.0 * g * (2.0 * g - c3) * q)
        + (3.0 - 27.0 * g + 68.0 * g2 - 55.0 * g3 + 21.0 * g4 - 6.0 * g5)
            / (2.0 * (2.0 * g - c3) * q);
    let d3 = -g * (-2.0 + 21.0 * g - 68.0 * g2 + 79.0 * g3 - 33.0 * g4 + 12.0 * g5)
        / (c3 * (c3 - 2.0 * g) * q);
    let d4 = -3.0 * g2 * (-1.0 + 4.0 * g - 2.0 * g2 + g3) / q;
    let d1 = 1.0 - d2 - d3 - d4;
    Tableau {
        g,
        c: [0.0, 2.0 * g, c3, 1.0],
        a: [
            [0.0; 4],
            [g, g, 0.0, 0.0],
            [a31, a32, g, 0.0],
            [b1, b2, b3, g],
        ],
        bh: [d1, d2, d3, d4],
    }
}

/// The integrator's work: what a run cost, as well as how long it took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Accepted steps.
    pub steps: u64,
    /// Steps rejected by the error test (retried with a smaller step).
    pub rejected: u64,
    /// Steps whose Newton iterations did not converge (retried with a
    /// quarter of the step).
    pub newton_failures: u64,
    /// Right-hand-side evaluations.
    pub rhs: u64,
    /// Jacobian evaluations (one LU factorisation each).
    pub jacobians: u64,
    /// For each state of the integrated system (the first
    /// [`LIMIT_SLOTS`]): the steps, accepted or rejected, whose error
    /// estimate it dominated, i.e. the state that set the step size. Counted
    /// by [`integrate`] (the one-patient driver); zero elsewhere.
    #[serde(skip)]
    pub limited_by: [u32; LIMIT_SLOTS],
}

/// States whose step-size limits [`Stats::limited_by`] counts.
pub const LIMIT_SLOTS: usize = 32;

impl Stats {
    /// The sum of two counts.
    pub fn plus(self, o: Stats) -> Stats {
        Stats {
            steps: self.steps + o.steps,
            rejected: self.rejected + o.rejected,
            newton_failures: self.newton_failures + o.newton_failures,
            rhs: self.rhs + o.rhs,
            jacobians: self.jacobians + o.jacobians,
            limited_by: std::array::from_fn(|k| self.limited_by[k] + o.limited_by[k]),
        }
    }

    /// Steps tried, accepted or rejected by the error test.
    pub fn attempts(&self) -> u64 {
        self.steps + self.rejected
    }
}

/// Error tolerances of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Relative tolerance.
    pub rtol: f64,
    /// Absolute tolerance.
    pub atol: f64,
}

/// Integrates `sys` over `(t0, t1)`, calls `each(k, y)` with the state at
/// each time `t_out[k]` (sorted, inside `(t0, t1]`) in order, and returns the
/// state at `t1`; the work done is added to `stats`.
pub fn integrate<const M: usize, S: StiffSystem<M>>(
    sys: &S,
    span: (f64, f64),
    y0: [f64; M],
    tol: Tolerance,
    t_out: &[f64],
    stats: &mut Stats,
    each: impl FnMut(usize, &[f64; M]),
) -> Result<[f64; M], StepError> {
    let dense = Dense {
        sys,
        lu: RefCell::new(None),
    };
    integrate_with(&dense, span, y0, tol, t_out, stats, each)
}

/// [`integrate`] for any [`Implicit`] system: one patient, or a lock-step
/// batch of patients with one step size for all. A batch's step is
/// accepted when every lane's error norm is within tolerance and the next
/// step follows the largest, so each patient is integrated at least as
/// tightly as on its own; each lane keeps its own Jacobian, factorisation
/// and simplified-Newton convergence rate, and a stage ends when every lane
/// has converged.
#[inline(always)]
pub fn integrate_with<T: Real, const M: usize, S: Implicit<T, M>>(
    sys: &S,
    (t0, t1): (f64, f64),
    y0: [T; M],
    tol: Tolerance,
    t_out: &[f64],
    stats: &mut Stats,
    mut each: impl FnMut(usize, &[T; M]),
) -> Result<[T; M], StepError> {
    let Tolerance { rtol, atol } = tol;
    let tb = tableau();
    let span = t1 - t0;
    let mut t = t0;
    let mut y = y0;
    let mut fy = sys.f(t, &y0);
    stats.rhs += 1;
    // Start small: segments begin at dose events, where things move fastest.
    let mut h = (span * 1e-3).clamp(1e-9, 1.0 / 60.0);
    let h_min = 1e-12 * span.abs().max(1.0);
    let mut newton = Newton::new(rtol);
    let mut just_rejected = false;
    let mut previous: Option<Last<T, M>> = None;
    let mut next_out = 0;
    let mut steps = 0usize;
    while t < t1 {
        steps += 1;
        if steps > 200_000 {
            return Err(StepError::TooManySteps { t });
        }
        let last = t + h >= t1 - 1e-12 * span;
        if last {
            h = t1 - t;
        }
        let weights = y.map(|v| v.abs() * rtol + atol);
        let step = try_step(
            sys,
            &tb,
            (t, h),
            (&y, &fy),
            &weights,
            &mut newton,
            previous.as_ref(),
            stats,
        );
        let Some(st) = step else {
            stats.newton_failures += 1;
            h *= 0.25;
            if h < h_min {
                return Err(StepError::StepTooSmall { t });
            }
            continue;
        };
        if let Some(n) = stats.limited_by.get_mut(st.worst) {
            *n += 1;
        }
        if st.err <= 1.0 {
            stats.steps += 1;
            let t_new = if last { t1 } else { t + h };
            let step = ((t, &y, &fy), (t_new, &st.y, &st.f));
            next_out = emit_within(step, t_out, next_out, &mut each);
            previous = Some(Last { t, y, f: fy });
            t = t_new;
            y = st.y;
            fy = st.f;
        } else {
            stats.rejected += 1;
        }
        h *= step_factor(st.err, just_rejected);
        just_rejected = st.err > 1.0;
        if h < h_min {
            return Err(StepError::StepTooSmall { t });
        }
    }
    Ok(y)
}

/// Hands `each` the interpolated state at every output time from
/// `t_out[next_out]` on that the accepted step `(t, y, f) → (t_new, y_new,
/// f_new)` reaches; returns the next output's index.
#[inline(always)]
#[allow(clippy::type_complexity)]
fn emit_within<T: Real, const M: usize>(
    ((t, y, f), (t_new, y_new, f_new)): ((f64, &[T; M], &[T; M]), (f64, &[T; M], &[T; M])),
    t_out: &[f64],
    mut next_out: usize,
    each: &mut impl FnMut(usize, &[T; M]),
) -> usize {
    while next_out < t_out.len() && t_out[next_out] <= t_new {
        each(
            next_out,
            &hermite(t, y, f, t_new, y_new, f_new, t_out[next_out]),
        );
        next_out += 1;
    }
    next_out
}

/// How much the next step grows or shrinks after a step with error norm
/// `err`. The embedded pair is of order 2, so the error scales as h^3.
/// Right after a rejection the step may not grow again (Hairer & Wanner II,
/// section IV.8), which avoids reject-accept-reject cycles.
pub(crate) fn step_factor(err: f64, just_rejected: bool) -> f64 {
    let grow = if err > 1.0 || just_rejected { 1.0 } else { 5.0 };
    if err == 0.0 {
        grow
    } else {
        (0.9 * err.powf(-1.0 / 3.0)).clamp(0.2, grow)
    }
}

/// The Newton stopping threshold for relative tolerance `rtol`: the
/// estimated remaining error, in units of the error tolerance.
pub(crate) fn newton_tol(rtol: f64) -> f64 {
    (0.03f64).min(rtol.sqrt()).max(1e-3)
}

/// The start of the last accepted step (for the stage predictor).
struct Last<T, const M: usize> {
    t: f64,
    y: [T; M],
    f: [T; M],
}

/// Simplified-Newton bookkeeping carried from stage to stage and step to
/// step (Hairer & Wanner, Solving ODEs II, section IV.8).
struct Newton<T> {
    /// Stop when the estimated remaining error, in units of the error
    /// tolerance, is below this.
    tol: f64,
    /// Convergence-rate factor θ/(1-θ) of the last iteration (per lane).
    eta: T,
}

impl<T: Real> Newton<T> {
    /// A fresh iteration for relative tolerance `rtol` (rate factor 1: no
    /// convergence seen yet).
    fn new(rtol: f64) -> Newton<T> {
        Newton {
            tol: newton_tol(rtol),
            eta: T::of(1.0),
        }
    }
}

/// What one step computed.
struct Stepped<T, const M: usize> {
    /// The new state.
    y: [T; M],
    /// Its derivative: the last stage's, which the next step's explicit
    /// first stage reuses ("first same as last"). The method is stiffly
    /// accurate, so the last stage is the new state, and its stage
    /// derivative `(z - base)/hγ` is `f(t + h, z)` to within the Newton
    /// tolerance; reusing it saves one right-hand side per step.
    f: [T; M],
    /// The error norm (the largest of the lanes').
    err: f64,
    /// The state with the largest weighted error in that lane.
    worst: usize,
}

/// One ESDIRK step; `None` if the Newton iterations do not converge (in any
/// lane).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn try_step<T: Real, const M: usize, S: Implicit<T, M>>(
    sys: &S,
    tb: &Tableau,
    (t, h): (f64, f64),
    (y, fy): (&[T; M], &[T; M]),
    w: &[T; M],
    newton: &mut Newton<T>,
    last: Option<&Last<T, M>>,
    stats: &mut Stats,
) -> Option<Stepped<T, M>> {
    let hg = h * tb.g;
    stats.jacobians += 1;
    if !sys.factor(t, y, hg) {
        return None;
    }
    let mut k = [*fy; 4];
    let mut z = *y;
    for i in 1..4 {
        let mut base = *y;
        for (j, kj) in k.iter().enumerate().take(i) {
            let c = h * tb.a[i][j];
            for (b, kv) in base.iter_mut().zip(kj) {
                *b = *b + *kv * c;
            }
        }
        let ti = t + tb.c[i] * h;
        match last {
            // Predictor: the cubic through the last step, carried forward
            // (close when the solution is smooth on the scale of two steps).
            Some(l) if h <= 2.0 * (t - l.t) => {
                z = hermite(l.t, &l.y, &l.f, t, y, fy, ti);
            }
            // Otherwise: the stage derivative equals the previous one.
            _ => {
                for ((zv, b), kv) in z.iter_mut().zip(&base).zip(&k[i - 1]) {
                    *zv = *b + *kv * hg;
                }
            }
        }
        newton_stage(sys, ti, hg, &base, w, &mut z, newton, stats)?;
        for m in 0..M {
            k[i][m] = (z[m] - base[m]) / hg;
        }
    }
    // Stiffly accurate: the last stage is the solution; the embedded
    // second-order solution gives the error estimate.
    // The state with the largest weighted error is the one that sets the
    // step size (counted for the slow-run report).
    let (mut sum, mut worst, mut largest) = (T::of(0.0), T::of(0.0), T::of(-1.0));
    for m in 0..M {
        let mut incr = T::of(0.0);
        for (kj, b) in k.iter().zip(tb.bh) {
            incr = incr + kj[m] * b;
        }
        let y_hat = y[m] + incr * h;
        let e = (z[m] - y_hat) / w[m];
        sum = sum + e * e;
        let bigger = (e * e).gt(largest);
        largest = T::select(bigger, e * e, largest);
        worst = T::select(bigger, T::of(m as f64), worst);
    }
    // The largest of the lanes' norms; NaN if any is.
    let (mut err, mut at) = (0.0f64, 0);
    for l in 0..T::LANES {
        let e = (sum.lane(l) / M as f64).sqrt();
        if e.is_nan() {
            return None;
        }
        if e > err {
            (err, at) = (e, l);
        }
    }
    err.is_finite().then_some(Stepped {
        y: z,
        f: k[3],
        err,
        worst: worst.lane(at) as usize,
    })
}

/// The simplified-Newton iterations of one implicit stage, from the
/// predicted `z`: `z = base + hγ f(t, z)`. Every lane iterates until all
/// have converged; a lane whose iteration diverges fails the stage.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn newton_stage<T: Real, const M: usize, S: Implicit<T, M>>(
    sys: &S,
    ti: f64,
    hg: f64,
    base: &[T; M],
    w: &[T; M],
    z: &mut [T; M],
    newton: &mut Newton<T>,
    stats: &mut Stats,
) -> Option<()> {
    // The first iteration borrows the last known convergence rate, so a
    // good predictor can stop after one right-hand side.
    let mut eta = newton.eta.max(T::of(1e-4)).powf(0.8);
    let mut prev = T::of(f64::NAN);
    let all = (1u32 << T::LANES) - 1;
    let mut converged = 0u32;
    for it in 0..10 {
        let fz = sys.f(ti, z);
        stats.rhs += 1;
        let mut dz = [T::of(0.0); M];
        for m in 0..M {
            dz[m] = base[m] + fz[m] * hg - z[m];
        }
        sys.solve(&mut dz);
        let mut norm = T::of(0.0);
        for m in 0..M {
            z[m] = z[m] + dz[m];
            norm = norm.max((dz[m] / w[m]).abs());
        }
        for l in 0..T::LANES {
            if converged & (1 << l) != 0 {
                continue;
            }
            let n = norm.lane(l);
            if !n.is_finite() {
                return None;
            }
            if it > 0 {
                let theta = n / prev.lane(l);
                if theta >= 0.99 {
                    newton.eta = T::of(1.0);
                    return None;
                }
                eta.set_lane(l, theta / (1.0 - theta));
            }
            if eta.lane(l) * n <= newton.tol || n == 0.0 {
                converged |= 1 << l;
            }
            prev.set_lane(l, n);
        }
        if converged == all {
            newton.eta = eta;
            return Some(());
        }
    }
    newton.eta = T::of(1.0);
    None
}

/// Dense LU factorisation with partial pivoting of a small fixed-size
/// matrix (M is ten in synsim, so a plain loop beats anything general).
struct Lu<const M: usize> {
    /// L (unit diagonal, below) and U (on and above) by columns:
    /// `cols[c][r]` is entry `(r, c)`, so the solves run down contiguous columns.
    cols: Mat<M>,
    piv: [usize; M],
    /// Reciprocals of U's diagonal: the solves multiply instead of divide.
    inv_diag: [f64; M],
}

impl<const M: usize> Lu<M> {
    /// Factorises `a`; `None` if it is singular.
    fn new(mut a: Mat<M>) -> Option<Lu<M>> {
        let mut piv = [0; M];
        let mut inv_diag = [0.0; M];
        for k in 0..M {
            let mut p = k;
            for r in k + 1..M {
                if a[r][k].abs() > a[p][k].abs() {
                    p = r;
                }
            }
            let d = a[p][k];
            if d == 0.0 || !d.is_finite() {
                return None;
            }
            piv[k] = p;
            a.swap(p, k);
            inv_diag[k] = 1.0 / d;
            let pivot_row = a[k];
            for row in a.iter_mut().skip(k + 1) {
                let l = row[k] * inv_diag[k];
                row[k] = l;
                if l != 0.0 {
                    for c in k + 1..M {
                        row[c] -= l * pivot_row[c];
                    }
                }
            }
        }
        let cols = std::array::from_fn(|c| std::array::from_fn(|r| a[r][c]));
        Some(Lu {
            cols,
            piv,
            inv_diag,
        })
    }

    /// Solves `A x = b`. Column by column: once an unknown is known, it is
    /// removed from every remaining row at once; those updates are
    /// independent of each other, unlike the running sums of the row-by-row
    /// form, so the short solve is not one long chain of dependent adds.
    #[allow(clippy::needless_range_loop)] // index loops unroll and vectorise here
    fn solve(&self, mut b: [f64; M]) -> [f64; M] {
        for k in 0..M {
            b.swap(k, self.piv[k]);
        }
        for c in 0..M {
            let x = b[c];
            let col = &self.cols[c];
            for r in c + 1..M {
                b[r] -= col[r] * x;
            }
        }
        for c in (0..M).rev() {
            let x = b[c] * self.inv_diag[c];
            b[c] = x;
            let col = &self.cols[c];
            for r in 0..c {
                b[r] -= col[r] * x;
            }
        }
        b
    }
}

/// Cubic Hermite interpolation between `(t0, y0, f0)` and `(t1, y1, f1)`
/// (the times, and so the weights, are the same for every lane).
#[inline(always)]
pub(crate) fn hermite<T: Real, const M: usize>(
    t0: f64,
    y0: &[T; M],
    f0: &[T; M],
    t1: f64,
    y1: &[T; M],
    f1: &[T; M],
    t: f64,
) -> [T; M] {
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
    std::array::from_fn(|m| y0[m] * h00 + f0[m] * h10 + y1[m] * h01 + f1[m] * h11)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Linear stiff test: y1' = -1000 (y1 - cos t), y2' = -y2; exact for y2.
    struct Stiff;
    impl StiffSystem<2> for Stiff {
        fn f(&self, t: f64, y: &[f64; 2]) -> [f64; 2] {
            [-1000.0 * (y[0] - t.cos()), -y[1]]
        }
        fn jac(&self, _t: f64, _y: &[f64; 2]) -> Mat<2> {
            [[-1000.0, 0.0], [0.0, -1.0]]
        }
    }

    #[test]
    fn lu_solves_with_pivoting() {
        let a = [[0.0, 2.0, 1.0], [1.0, 1.0, 0.0], [3.0, 0.0, 1.0]];
        let x = [1.0, -2.0, 0.5];
        let b: [f64; 3] = std::array::from_fn(|r| (0..3).map(|c| a[r][c] * x[c]).sum());
        let got = Lu::new(a).unwrap().solve(b);
        for m in 0..3 {
            assert!((got[m] - x[m]).abs() < 1e-12);
        }
    }

    #[test]
    fn tableau_is_consistent() {
        let tb = tableau();
        for i in 0..4 {
            let row: f64 = tb.a[i].iter().sum();
            assert!((row - tb.c[i]).abs() < 1e-14, "row {i}");
        }
        assert!((tb.bh.iter().sum::<f64>() - 1.0).abs() < 1e-14);
        // Third order: sum b c^2 = 1/3 with b = last row of a.
        let b3: f64 = (0..4).map(|j| tb.a[3][j] * tb.c[j] * tb.c[j]).sum();
        assert!((b3 - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn converges_on_a_stiff_problem() {
        let mut errs = Vec::new();
        for tol in [1e-4, 1e-6, 1e-8] {
            let mut out = Vec::new();
            let y = integrate(
                &Stiff,
                (0.0, 10.0),
                [1.0, 1.0],
                Tolerance {
                    rtol: tol,
                    atol: tol * 1e-2,
                },
                &[5.0],
                &mut Stats::default(),
                |_, y| out.push(*y),
            )
            .unwrap();
            let e = (y[1] - (-10.0f64).exp()).abs() + (out[0][1] - (-5.0f64).exp()).abs();
            errs.push(e);
            // The stiff component follows cos t up to O(1/1000).
            assert!((y[0] - 10.0f64.cos()).abs() < 2e-3);
        }
        assert!(errs[0] > errs[1] && errs[1] > errs[2], "{errs:?}");
        assert!(errs[2] < 1e-7, "{errs:?}");
    }
}
