//! Time integration: segment by segment between dose events, with output on
//! a user-chosen grid independent of the internal steps.
//!
//! Dose starts and infusion stops are discontinuities, so the run is cut at
//! each of them and every piece is a fresh initial-value problem. The pieces
//! are stiff (PK distribution in minutes, synapses in weeks), so they go to a
//! stiff integrator behind the small [`Integrator`] trait: by default the
//! L-stable ESDIRK3(2)4L\[2\]SA method of [`esdirk`] with an analytic Jacobian.
//!
//! The PK states are linear, so by default they are not integrated at all:
//! within a segment they are evaluated exactly in modal form
//! ([`crate::pk::modal`]) and the integrator works on the sixteen slow
//! pharmacodynamic states only (a drug block whose rates nearly coincide
//! is evaluated by its matrix exponential instead, as exact). The tests
//! check this split against the whole coupled system (34 states)
//! integrated by the same method from the `differential-equations` crate.
//!
//! What a run costs is counted ([`esdirk::Stats`]): steps, rejected steps,
//! Newton failures and, for each slow state, the steps whose error estimate
//! it dominated, i.e. which state set the step size. [`step_limiter`] names
//! the stage those states belong to: `synsim run -v` prints it, and a run
//! whose `--set` values make it try at least four times the steps of its
//! scenario's own parameters is reported with that stage (values that make
//! one stage far faster than the rest make the equations stiff).

use crate::layout::{self, N, PK_N};
use crate::model::{CircuitMemo, Detail, Model, Observables, State};
use crate::params::{id, Params};
use crate::pk::modal::{ModalPk, ModalSegment, Rows};
use crate::pk::Infusion;
use crate::regimen::DoseEvent;
use std::cell::Cell;

pub mod batch;
#[cfg(test)]
mod coupled;
pub mod esdirk;
mod walk;

use thiserror::Error;
use walk::walk;
pub(crate) use walk::{walk_lanes, Advance};

/// Why a run failed.
#[derive(Debug, Error)]
pub enum SolveError {
    /// The integrator gave up (step size, step count, linear algebra).
    #[error("the integrator failed at t = {t_h:.3} h: {msg}")]
    Integrator {
        /// Time of failure, hours since the first dose.
        t_h: f64,
        /// The integrator's message.
        msg: String,
    },
    /// A state turned NaN or infinite.
    #[error("the {stage} stage turned non-finite (state '{state}') at t = {t_h:.3} h; check the parameters of that stage")]
    NonFinite {
        /// Stage of the offending state.
        stage: &'static str,
        /// Name of the offending state.
        state: &'static str,
        /// Time, hours since the first dose.
        t_h: f64,
    },
    /// The output grid or time span is unusable.
    #[error("{0}")]
    BadGrid(String),
    /// The integrator could not go on: where, why, and which stage was
    /// changing fastest, in plain words (never the state vector).
    #[error(
        "the simulation stopped {} after the first dose: the integrator {reason}. The {stage} stage \
         (state '{state}') was changing fastest there{}. Such a stop comes from parameter values that make one \
         stage far faster than the rest; move them towards their defaults (synsim params)",
        when(*.t_h),
        if .params.is_empty() { String::new() } else { format!("; parameters changed from the defaults: {}", .params) }
    )]
    Stalled {
        /// Time of failure, hours since the first dose.
        t_h: f64,
        /// What the integrator ran into, in words.
        reason: String,
        /// Stage of the fastest-changing state at the start of the segment.
        stage: &'static str,
        /// Name of that state.
        state: &'static str,
        /// `name = value` of the parameters changed from the defaults
        /// (filled in by the caller that knows them; may be empty).
        params: String,
    },
}

/// "3.2 h" or "1.5 h before" in words.
fn when(t_h: f64) -> String {
    let text = crate::units::format_duration_h(t_h.abs());
    if t_h < 0.0 {
        format!("{text} before the first dose, not")
    } else {
        format!("at {text}")
    }
}

impl SolveError {
    /// The same error with the changed parameters of `p` named (for
    /// [`SolveError::Stalled`]; other errors are returned unchanged).
    pub fn with_params(self, p: &Params) -> SolveError {
        match self {
            SolveError::Stalled {
                t_h,
                reason,
                stage,
                state,
                ..
            } => SolveError::Stalled {
                t_h,
                reason,
                stage,
                state,
                params: p
                    .changed()
                    .iter()
                    .map(|(d, v)| format!("{} = {}", d.name, d.format_value(*v)))
                    .collect::<Vec<_>>()
                    .join(", "),
            },
            e => e,
        }
    }
}

/// A step error of the integrator in words.
fn step_words(e: &esdirk::StepError) -> (f64, String) {
    match e {
        esdirk::StepError::StepTooSmall { t } => (
            *t,
            "could not take a step long enough to go on (the model changes faster there than it can follow)"
                .to_string(),
        ),
        esdirk::StepError::TooManySteps { t } => {
            (*t, "needed more steps than allowed for this stretch".to_string())
        }
    }
}

impl SolveError {
    /// Is this a problem with what was asked (an unusable output grid or
    /// time span) rather than a failed run?
    pub fn is_input(&self) -> bool {
        matches!(self, SolveError::BadGrid(_))
    }
}

/// Integrates one segment of constant infusion, hands over the states at
/// `t_out` (all strictly inside `(t0, t1]`, sorted) as they are reached, and
/// returns the state at `t1`.
pub trait Integrator {
    /// Solves `dy/dt = f(t, y)` on `span = (t0, t1)`; calls `each(k, y)`
    /// with the state at `t_out[k]`, in order. Streaming rather than
    /// collecting keeps long runs free of large buffers.
    fn integrate(
        &self,
        model: &Model,
        inf: &Infusion,
        span: (f64, f64),
        y0: &State,
        t_out: &[f64],
        each: &mut dyn FnMut(usize, &State),
    ) -> Result<State, SolveError>;

    /// The work done by every segment integrated so far (zero for
    /// integrators that do not count it).
    fn stats(&self) -> esdirk::Stats {
        esdirk::Stats::default()
    }
}

/// The default stiff integrator: ESDIRK3(2)4L\[2\]SA with adaptive steps.
/// It counts its work over every segment it integrates ([`Integrator::stats`]).
#[derive(Debug, Clone)]
pub struct StiffSolver {
    /// Relative tolerance.
    pub rtol: f64,
    /// Absolute tolerance.
    pub atol: f64,
    /// Work done so far.
    pub work: Cell<esdirk::Stats>,
}

impl StiffSolver {
    /// Tolerances from `solver.rtol` and `solver.atol`.
    pub fn from_params(p: &Params) -> StiffSolver {
        StiffSolver {
            rtol: p[id::RTOL],
            atol: p[id::ATOL],
            work: Cell::new(esdirk::Stats::default()),
        }
    }

    /// The tolerances for virtual patients: `solver.population_rtol` and
    /// `solver.population_atol`.
    pub fn for_population(p: &Params) -> StiffSolver {
        StiffSolver {
            rtol: p[id::POP_RTOL],
            atol: p[id::POP_ATOL],
            ..StiffSolver::from_params(p)
        }
    }
}

/// Number of pharmacodynamic (non-PK) states.
const PD_N: usize = N - PK_N;

/// The slow states alone, with PK evaluated exactly in modal form.
struct PdSegment<'a> {
    model: &'a Model,
    modal: &'a ModalPk,
    seg: ModalSegment,
    /// The PK inputs of the pharmacodynamics at the last time asked for:
    /// Jacobians and Newton iterations evaluate the same times again and again.
    pk_memo: Cell<(f64, [f64; PK_N])>,
    circuit_memo: Cell<CircuitMemo>,
}

impl<'a> PdSegment<'a> {
    /// The slow-state system of the segment starting at `t0` from `y0`.
    fn new(model: &'a Model, modal: &'a ModalPk, y0: &State, inf: &Infusion, t0: f64) -> Self {
        PdSegment {
            model,
            modal,
            seg: modal.segment(&model.pk, &y0[..PK_N], inf, t0),
            pk_memo: Cell::new((f64::NAN, [0.0; PK_N])),
            circuit_memo: Cell::new(CircuitMemo::default()),
        }
    }

    /// The state at `t` with every PK state (for output).
    fn full_state(&self, t: f64, pd: &[f64; PD_N]) -> State {
        let mut full = [0.0; N];
        self.modal.eval(&self.seg, t, Rows::All, &mut full);
        full[PK_N..].copy_from_slice(pd);
        full
    }

    /// The state at `t` with only the PK states the right-hand side reads
    /// (the others are zero).
    fn rhs_state(&self, t: f64, pd: &[f64; PD_N]) -> State {
        let mut full = [0.0; N];
        let (tm, xm) = self.pk_memo.get();
        if tm == t {
            full[..PK_N].copy_from_slice(&xm);
        } else {
            self.modal.eval(&self.seg, t, Rows::Pd, &mut full);
            let mut x = [0.0; PK_N];
            x.copy_from_slice(&full[..PK_N]);
            self.pk_memo.set((t, x));
        }
        full[PK_N..].copy_from_slice(pd);
        full
    }
}

impl PdSegment<'_> {
    /// The slow states' derivatives at `t`.
    fn diff(&self, t: f64, y: &[f64; PD_N], dydt: &mut [f64; PD_N]) {
        let full = self.rhs_state(t, y);
        let mut d = [0.0; N];
        self.model.rhs_pd(&full, &mut d, &self.circuit_memo);
        dydt.copy_from_slice(&d[PK_N..]);
    }
}

impl Integrator for StiffSolver {
    fn integrate(
        &self,
        model: &Model,
        inf: &Infusion,
        (t0, t1): (f64, f64),
        y0: &State,
        t_out: &[f64],
        each: &mut dyn FnMut(usize, &State),
    ) -> Result<State, SolveError> {
        let modal = &model.modal;
        let ode = PdSegment::new(model, modal, y0, inf, t0);
        let mut pd0 = [0.0; PD_N];
        pd0.copy_from_slice(&y0[PK_N..]);
        let tol = esdirk::Tolerance {
            rtol: self.rtol,
            atol: self.atol,
        };
        let mut pk = modal.cursor(&ode.seg);
        let mut work = self.work.get();
        let end = esdirk::integrate(&ode, (t0, t1), pd0, tol, t_out, &mut work, |k, pd| {
            let mut full = [0.0; N];
            full[..PK_N].copy_from_slice(pk.at(t_out[k]));
            full[PK_N..].copy_from_slice(pd);
            each(k, &full);
        });
        self.work.set(work);
        let end = end.map_err(|e| {
            let (t_h, msg) = step_words(&e);
            SolveError::Integrator { t_h, msg }
        })?;
        Ok(ode.full_state(t1, &end))
    }

    fn stats(&self) -> esdirk::Stats {
        self.work.get()
    }
}

impl esdirk::StiffSystem<PD_N> for PdSegment<'_> {
    fn f(&self, t: f64, y: &[f64; PD_N]) -> [f64; PD_N] {
        let mut d = [0.0; PD_N];
        self.diff(t, y, &mut d);
        d
    }

    fn jac(&self, t: f64, y: &[f64; PD_N]) -> esdirk::Mat<PD_N> {
        let full = self.rhs_state(t, y);
        let mut jac = [[0.0; PD_N]; PD_N];
        self.model
            .jacobian_pd(&full, &self.circuit_memo, &mut |r, c, v| {
                jac[r - PK_N][c - PK_N] += v;
            });
        jac
    }
}

/// Classical fixed-step RK4 on the slow states, with PK evaluated exactly.
/// Slow but simple: the reference the stiff integrator is checked against,
/// and a teaching example of why explicit methods need tiny steps here.
#[derive(Debug, Clone, Copy)]
pub struct Rk4 {
    /// Step, hours.
    pub h: f64,
}

impl Integrator for Rk4 {
    fn integrate(
        &self,
        model: &Model,
        inf: &Infusion,
        (t0, t1): (f64, f64),
        y0: &State,
        t_out: &[f64],
        each: &mut dyn FnMut(usize, &State),
    ) -> Result<State, SolveError> {
        let ode = PdSegment::new(model, &model.modal, y0, inf, t0);
        let mut y = [0.0; PD_N];
        y.copy_from_slice(&y0[PK_N..]);
        let mut t = t0;
        let mut next = 0;
        // Step to each output time (and the end) exactly, never across it.
        for target in t_out.iter().copied().chain(std::iter::once(t1)) {
            let n = ((target - t) / self.h).ceil().max(1.0) as usize;
            let h = (target - t) / n as f64;
            for _ in 0..n {
                y = rk4_step(&ode, t, &y, h);
                t += h;
            }
            t = target;
            if next < t_out.len() {
                each(next, &ode.full_state(t, &y));
                next += 1;
            }
        }
        Ok(ode.full_state(t1, &y))
    }
}

fn rk4_step(ode: &PdSegment, t: f64, y: &[f64; PD_N], h: f64) -> [f64; PD_N] {
    let f = |t: f64, y: &[f64; PD_N]| {
        let mut d = [0.0; PD_N];
        ode.diff(t, y, &mut d);
        d
    };
    let axpy = |a: &[f64; PD_N], k: &[f64; PD_N], s: f64| std::array::from_fn(|i| a[i] + s * k[i]);
    let k1 = f(t, y);
    let k2 = f(t + 0.5 * h, &axpy(y, &k1, 0.5 * h));
    let k3 = f(t + 0.5 * h, &axpy(y, &k2, 0.5 * h));
    let k4 = f(t + h, &axpy(y, &k3, h));
    std::array::from_fn(|i| y[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]))
}

/// The time window and output grid of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// First output time, hours (negative = drug-free run-in before the first dose).
    pub start_h: f64,
    /// Last output time, hours.
    pub end_h: f64,
    /// Output spacing, hours.
    pub dt_out_h: f64,
}

impl Window {
    /// Output times `start, start + dt, …`, and then the end (on the grid or
    /// not).
    pub fn times(&self) -> Result<Vec<f64>, SolveError> {
        if !(self.dt_out_h.is_finite() && self.dt_out_h > 0.0) {
            return Err(SolveError::BadGrid(format!(
                "the output step must be a positive duration, got {} h",
                self.dt_out_h
            )));
        }
        if !(self.start_h.is_finite() && self.end_h.is_finite() && self.end_h > self.start_h) {
            return Err(SolveError::BadGrid(format!(
                "the run must end after it starts (start {} h, end {} h)",
                self.start_h, self.end_h
            )));
        }
        if self.dt_out_h > self.end_h - self.start_h {
            return Err(SolveError::BadGrid(format!(
                "the output step ({}) is longer than the run ({}): use a step of at most the run's length (--dt-out)",
                crate::units::format_duration_h(self.dt_out_h),
                crate::units::format_duration_h(self.end_h - self.start_h)
            )));
        }
        let n = ((self.end_h - self.start_h) / self.dt_out_h + 1e-9).floor() as usize + 1;
        if n > 5_000_000 {
            return Err(SolveError::BadGrid(format!(
                "{n} output points are too many: use a larger output step (--dt-out)"
            )));
        }
        let mut times: Vec<f64> = (0..n)
            .map(|k| self.start_h + k as f64 * self.dt_out_h)
            .collect();
        // The run's end is always an output time, on the grid or not, so
        // the last row is the state the run ends in.
        let last = times[n - 1];
        if self.end_h - last > 1e-9 * self.end_h.abs().max(1.0) {
            times.push(self.end_h);
        }
        Ok(times)
    }
}

/// Runs one patient and calls `each` with the observables at every output
/// time, in order. The patient starts at its drug-free steady state.
pub fn simulate_each(
    model: &Model,
    integrator: &dyn Integrator,
    doses: &[DoseEvent],
    window: &Window,
    each: impl FnMut(&Observables),
) -> Result<(), SolveError> {
    simulate_each_with(model, integrator, doses, window, Detail::Full, each)
}

/// [`simulate_each`] computing only the observables `detail` asks for.
pub fn simulate_each_with(
    model: &Model,
    integrator: &dyn Integrator,
    doses: &[DoseEvent],
    window: &Window,
    detail: Detail,
    each: impl FnMut(&Observables),
) -> Result<(), SolveError> {
    simulate_at_with(model, integrator, doses, &window.times()?, detail, each)
}

/// [`simulate_each_with`] at the given output times (sorted, without
/// repeats) instead of a regular grid: the run starts at the first of them
/// and ends at the last.
pub fn simulate_at_with(
    model: &Model,
    integrator: &dyn Integrator,
    doses: &[DoseEvent],
    times: &[f64],
    detail: Detail,
    mut each: impl FnMut(&Observables),
) -> Result<(), SolveError> {
    walk(
        model,
        doses,
        times,
        |y, inf, span, t_out, out| integrator.integrate(model, inf, span, y, t_out, out),
        |t, state, inf| {
            check_finite(state, t)?;
            each(&model.observe_with(t, state, inf, detail));
            Ok(())
        },
    )
}

/// The exact PK alone at every output time of `window`, as
/// `each(t, state)`: PK does not depend on the pharmacodynamics, so nothing
/// is integrated. The non-PK part of `state` stays at the drug-free baseline
/// (but for expectancy) and means nothing.
pub fn pk_each(
    model: &Model,
    doses: &[DoseEvent],
    window: &Window,
    mut each: impl FnMut(f64, &State),
) -> Result<(), SolveError> {
    let modal = &model.modal;
    walk(
        model,
        doses,
        &window.times()?,
        |y, inf, (t0, t1), t_out, out| {
            let exact = modal.segment(&model.pk, &y[..PK_N], inf, t0);
            let mut cursor = modal.cursor(&exact);
            let mut state = *y;
            for (k, &t) in t_out.iter().enumerate() {
                state[..PK_N].copy_from_slice(cursor.at(t));
                out(k, &state);
            }
            modal.eval(&exact, t1, Rows::All, &mut state[..PK_N]);
            Ok(state)
        },
        |t, state, _| {
            each(t, state);
            Ok(())
        },
    )
}

/// Runs one patient and collects every output row.
pub fn simulate(
    model: &Model,
    integrator: &dyn Integrator,
    doses: &[DoseEvent],
    window: &Window,
) -> Result<Vec<Observables>, SolveError> {
    let mut rows = Vec::new();
    simulate_each(model, integrator, doses, window, |o| rows.push(*o))?;
    Ok(rows)
}

fn check_finite(y: &State, t_h: f64) -> Result<(), SolveError> {
    // v * 0 is NaN exactly when v is NaN or infinite: one branch-free sum
    // screens every output row, the search runs only on failure.
    if y.iter().map(|v| v * 0.0).sum::<f64>() == 0.0 {
        return Ok(());
    }
    match y.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(i) => Err(SolveError::NonFinite {
            stage: layout::stage_of(i),
            state: layout::name(i),
            t_h,
        }),
    }
}

/// What held a run's step size down: the stage whose states most often had
/// the largest error estimate of a step, the state among them that did so
/// most, and the share of the steps they did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepLimiter {
    /// Stage of the chain (`circuit`, `synapse`, ...).
    pub stage: &'static str,
    /// The state of that stage that limited most steps.
    pub state: &'static str,
    /// Share of all counted steps the stage limited, 0 to 1.
    pub share: f64,
}

/// The [`StepLimiter`] of a one-patient run's solver `work`; `None` when
/// no step was counted.
pub fn step_limiter(work: &esdirk::Stats) -> Option<StepLimiter> {
    let counts = &work.limited_by[..PD_N.min(esdirk::LIMIT_SLOTS)];
    let total: u32 = counts.iter().sum();
    if total == 0 {
        return None;
    }
    // The integrated states are the slow ones, after the PK block.
    let stage_total = |stage: &str| -> u32 {
        (0..counts.len())
            .filter(|&i| layout::stage_of(PK_N + i) == stage)
            .map(|i| counts[i])
            .sum()
    };
    let busiest =
        (0..counts.len()).max_by_key(|&i| (stage_total(layout::stage_of(PK_N + i)), counts[i]))?;
    let stage = layout::stage_of(PK_N + busiest);
    Some(StepLimiter {
        stage,
        state: layout::name(PK_N + busiest),
        share: f64::from(stage_total(stage)) / f64::from(total),
    })
}

/// An integrator failure in words, naming the slow state with the fastest
/// time scale at `y` (the largest row of the Jacobian, a bound on its
/// eigenvalues: the stage that makes the equations stiff).
fn stalled(model: &Model, y: &State, _inf: &Infusion, t_h: f64, msg: String) -> SolveError {
    let mut rows = [0.0; N];
    model.jacobian_pd(y, &Cell::new(CircuitMemo::default()), &mut |r, _, v| {
        if v.is_finite() {
            rows[r] += v.abs();
        }
    });
    let fastest = (PK_N..N)
        .max_by(|&a, &b| rows[a].total_cmp(&rows[b]))
        .unwrap_or(PK_N);
    SolveError::Stalled {
        t_h,
        reason: msg,
        stage: layout::stage_of(fastest),
        state: layout::name(fastest),
        params: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn setup(name: &str, days: f64) -> (Model, Vec<DoseEvent>, Window, Params) {
        let s = Scenario::load(name).unwrap();
        let doses = s.regimen.as_ref().unwrap().expand();
        let w = Window {
            start_h: -1.0,
            end_h: days * 24.0,
            dt_out_h: 0.25,
        };
        (Model::new(&s.params), doses, w, s.params)
    }

    fn max_diff(a: &[Observables], b: &[Observables], f: fn(&Observables) -> f64) -> f64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| (f(x) - f(y)).abs())
            .fold(0.0, f64::max)
    }

    /// Errors against a fine RK4 reference shrink as the tolerance tightens.
    #[test]
    fn converges_as_tolerance_tightens() {
        let (m, doses, _, _) = setup("ketamine-iv-single", 7.0);
        let w = Window {
            start_h: 0.0,
            end_h: 168.0,
            dt_out_h: 0.25,
        };
        let run = |rtol: f64| {
            let r = StiffSolver {
                rtol,
                atol: rtol * 1e-3,
                work: Cell::default(),
            };
            simulate(&m, &r, &doses, &w).unwrap()
        };
        let reference = simulate(&m, &Rk4 { h: 5.0 / 3600.0 }, &doses, &w).unwrap();
        let coarser = simulate(&m, &Rk4 { h: 10.0 / 3600.0 }, &doses, &w).unwrap();
        assert!(max_diff(&coarser, &reference, |o| o.symptom_score) < 1e-7);
        let errs: Vec<f64> = [1e-4, 3e-5, 1e-5, 1e-6]
            .iter()
            .map(|t| max_diff(&run(*t), &reference, |o| o.symptom_score))
            .collect();
        assert!(errs.windows(2).all(|e| e[0] > e[1]), "{errs:?}");
        assert!(errs[3] < 1e-4, "{errs:?}");
    }

    #[test]
    fn non_finite_states_name_their_stage() {
        let mut y = [0.0; N];
        y[layout::SYNAPSE] = f64::NAN;
        let e = check_finite(&y, 12.0).unwrap_err().to_string();
        assert!(e.contains("synapse") && e.contains("12.000 h"), "{e}");
        y[layout::SYNAPSE] = 0.8;
        y[layout::KET_CE] = f64::INFINITY;
        assert!(check_finite(&y, 1.0)
            .unwrap_err()
            .to_string()
            .contains("pharmacokinetics"));
    }

    #[test]
    fn bad_windows_are_errors() {
        let bad = Window {
            start_h: 0.0,
            end_h: 10.0,
            dt_out_h: 0.0,
        };
        assert!(bad.times().is_err());
        let back = Window {
            start_h: 5.0,
            end_h: 1.0,
            dt_out_h: 1.0,
        };
        assert!(back.times().is_err());
    }

    #[test]
    fn output_grid_includes_dose_times_and_end() {
        let (m, doses, w, p) = setup("ketamine-iv-single", 2.0);
        let rows = simulate(&m, &StiffSolver::from_params(&p), &doses, &w).unwrap();
        assert_eq!(rows.first().unwrap().time_h, -1.0);
        assert_eq!(rows.last().unwrap().time_h, 48.0);
        assert_eq!(rows.len(), w.times().unwrap().len());
    }

    /// A step that does not divide the run still ends the grid at the run's
    /// end.
    #[test]
    fn output_grid_ends_at_the_end_of_the_run() {
        let w = Window {
            start_h: -1.0,
            end_h: 48.0,
            dt_out_h: 7.0,
        };
        let t = w.times().unwrap();
        assert_eq!(t[..3], [-1.0, 6.0, 13.0]);
        assert_eq!(t[t.len() - 2..], [41.0, 48.0]);
    }

    /// The PK-only walk gives the plasma and dissociation of a full run
    /// (dissociation only without tolerance, which is a slow state).
    #[test]
    fn pk_alone_matches_the_full_run() {
        let mut s = crate::scenario::Scenario::load("ketamine-iv-serial").unwrap();
        s.apply_overrides(&["receptor.dissociation_tolerance_gain_per_h=0".to_string()])
            .unwrap();
        let m = Model::new(&s.params);
        let doses = s.regimen.as_ref().unwrap().expand();
        let w = Window {
            start_h: 0.0,
            end_h: 60.0,
            dt_out_h: 0.25,
        };
        let rows = simulate(&m, &StiffSolver::from_params(&s.params), &doses, &w).unwrap();
        let mut k = 0;
        pk_each(&m, &doses, &w, |t, y| {
            let o = m.observe(t, y, &Infusion::default());
            assert_eq!(t, rows[k].time_h);
            let (a, b) = (o.plasma.ketamine, rows[k].plasma.ketamine);
            assert!((a - b).abs() <= 1e-9 * (1.0 + b), "t {t}: {a} vs {b}");
            assert!((o.dissociation - rows[k].dissociation).abs() <= 1e-9);
            k += 1;
        })
        .unwrap();
        assert_eq!(k, rows.len());
    }

    /// A failure of the integrator reads as plain words: time, stage and
    /// the changed parameters, never the state vector.
    #[test]
    fn integrator_failures_name_time_stage_and_parameters() {
        let (model, _, _, mut p) = setup("ketamine-iv-single", 1.0);
        p.set(id::INTERNEURON_SENS, 20.0).unwrap();
        let y = model.baseline();
        let e = stalled(
            &model,
            &y,
            &Infusion::default(),
            0.5,
            "could not go on".into(),
        )
        .with_params(&p);
        let m = e.to_string();
        assert!(m.contains("stopped at 30 min after the first dose"), "{m}");
        assert!(m.contains("stage (state '"), "{m}");
        assert!(m.contains("receptor.interneuron_sensitivity = 20"), "{m}");
        assert!(!m.contains('[') && !m.contains("y:"), "{m}");
    }
}
