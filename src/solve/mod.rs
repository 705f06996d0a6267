//! Time integration: segment by segment between dose events, with output on
//! a user-chosen grid independent of the internal steps.
//!
//! Dose starts and infusion stops are discontinuities, so the run is cut at
//! each of them and every piece is a fresh initial-value problem. The pieces
//! are stiff (PK distribution in minutes, synapses in weeks), so they go to a
//! stiff integrator behind the small [`Integrator`] trait: by default Radau
//! IIA of order 5 from the `differential-equations` crate.

use crate::model::layout::{self, N};
use crate::model::{Model, Observables, State};
use crate::params::{id, Params};
use crate::pk::{Infusion, PkModel};
use crate::regimen::DoseEvent;
use differential_equations::prelude::*;
use thiserror::Error;

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
}

/// Integrates one segment of constant infusion and returns the states at
/// `t_out` (all strictly inside `(t0, t1]`, sorted) and at `t1`.
pub trait Integrator {
    /// Solves `dy/dt = f(t, y)` on `[t0, t1]`.
    fn integrate(
        &self,
        model: &Model,
        inf: &Infusion,
        t0: f64,
        t1: f64,
        y0: &State,
        t_out: &[f64],
        out: &mut Vec<State>,
    ) -> Result<State, SolveError>;
}

/// Radau IIA (order 5) with adaptive steps and dense output.
#[derive(Debug, Clone, Copy)]
pub struct Radau5 {
    /// Relative tolerance.
    pub rtol: f64,
    /// Absolute tolerance.
    pub atol: f64,
}

impl Radau5 {
    /// Tolerances from `solver.rtol` and `solver.atol`.
    pub fn from_params(p: &Params) -> Radau5 {
        Radau5 {
            rtol: p[id::RTOL],
            atol: p[id::ATOL],
        }
    }
}

struct Segment<'a> {
    model: &'a Model,
    inf: Infusion,
}

impl ODE<f64, [f64; N]> for Segment<'_> {
    fn diff(&self, _t: f64, y: &[f64; N], dydt: &mut [f64; N]) {
        self.model.rhs(y, &self.inf, dydt);
    }
}

impl Integrator for Radau5 {
    fn integrate(
        &self,
        model: &Model,
        inf: &Infusion,
        t0: f64,
        t1: f64,
        y0: &State,
        t_out: &[f64],
        out: &mut Vec<State>,
    ) -> Result<State, SolveError> {
        let ode = Segment { model, inf: *inf };
        let mut times = Vec::with_capacity(t_out.len() + 1);
        times.extend_from_slice(t_out);
        times.push(t1);
        let method = ImplicitRungeKutta::radau5()
            .rtol(self.rtol)
            .atol(self.atol)
            .max_steps(1_000_000);
        let sol = IVP::ode(&ode, t0, t1, *y0)
            .t_eval(&times)
            .method(method)
            .solve()
            .map_err(|e| SolveError::Integrator {
                t_h: t0,
                msg: format!("{e:?}").chars().take(300).collect(),
            })?;
        if sol.y.len() != times.len() {
            return Err(SolveError::Integrator {
                t_h: t0,
                msg: format!(
                    "expected {} output points, got {}",
                    times.len(),
                    sol.y.len()
                ),
            });
        }
        out.extend_from_slice(&sol.y[..t_out.len()]);
        Ok(sol.y[t_out.len()])
    }
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
    /// Output times `start, start + dt, …, end` (end included when on the grid).
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
        let n = ((self.end_h - self.start_h) / self.dt_out_h + 1e-9).floor() as usize + 1;
        if n > 5_000_000 {
            return Err(SolveError::BadGrid(format!(
                "{n} output points are too many: use a larger output step (--dt-out)"
            )));
        }
        Ok((0..n)
            .map(|k| self.start_h + k as f64 * self.dt_out_h)
            .collect())
    }
}

/// Runs one patient and calls `each` with the observables at every output
/// time, in order. The patient starts at its drug-free steady state.
pub fn simulate_each(
    model: &Model,
    integrator: &dyn Integrator,
    doses: &[DoseEvent],
    window: &Window,
    mut each: impl FnMut(&Observables),
) -> Result<(), SolveError> {
    let times = window.times()?;
    let breaks = breakpoints(doses, window);
    let mut y = model.baseline();
    let mut next_out = 0;
    let mut buf: Vec<State> = Vec::new();
    for seg in breaks.windows(2) {
        let (t0, t1) = (seg[0], seg[1]);
        for ev in doses.iter().filter(|e| e.time_h == t0) {
            model.pk.apply_dose(ev, model.weight_kg, &mut y);
            model.apply_session(&mut y);
        }
        let inf = infusion_at(doses, t0, model.weight_kg);
        // Outputs at exactly t0 come straight from the state after the doses.
        while next_out < times.len() && times[next_out] == t0 {
            each(&model.observe(t0, &y, &inf));
            next_out += 1;
        }
        let first = next_out;
        while next_out < times.len() && times[next_out] < t1 {
            next_out += 1;
        }
        buf.clear();
        y = integrator.integrate(model, &inf, t0, t1, &y, &times[first..next_out], &mut buf)?;
        for (k, state) in buf.iter().enumerate() {
            check_finite(state, times[first + k])?;
            each(&model.observe(times[first + k], state, &inf));
        }
        check_finite(&y, t1)?;
    }
    // The last output time equals the end of the last segment.
    if next_out < times.len() {
        let t = times[next_out];
        each(&model.observe(t, &y, &infusion_at(doses, t, model.weight_kg)));
    }
    Ok(())
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

/// Segment boundaries: the window's ends and every dose start and infusion
/// stop inside it, sorted and without repeats.
fn breakpoints(doses: &[DoseEvent], window: &Window) -> Vec<f64> {
    let end = window.start_h + ((window.end_h - window.start_h) / window.dt_out_h + 1e-9).floor() * window.dt_out_h;
    let mut b = vec![window.start_h, end];
    for d in doses {
        for t in [d.time_h, d.end_h()] {
            if t > window.start_h && t < end {
                b.push(t);
            }
        }
    }
    b.sort_by(f64::total_cmp);
    b.dedup();
    b
}

/// Total infusion running during the segment that starts at `t`.
fn infusion_at(doses: &[DoseEvent], t: f64, weight_kg: f64) -> Infusion {
    doses
        .iter()
        .filter(|d| d.time_h <= t && t < d.end_h())
        .map(|d| PkModel::infusion_rate(d, weight_kg))
        .fold(Infusion::default(), |a, b| Infusion {
            ketamine: a.ketamine + b.ketamine,
            esketamine: a.esketamine + b.esketamine,
        })
}

fn check_finite(y: &State, t_h: f64) -> Result<(), SolveError> {
    match y.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(i) => Err(SolveError::NonFinite {
            stage: stage_of(i),
            state: layout::name(i),
            t_h,
        }),
    }
}

/// Which stage of the chain a state index belongs to.
pub fn stage_of(i: usize) -> &'static str {
    use layout::*;
    match i {
        _ if i < PK_N => "pharmacokinetics",
        GLU_POOL | GABA_POOL => "circuit",
        BDNF | MTOR | PROTEIN | AUTORECEPTOR | SERO_BDNF => "signalling",
        NASCENT | SYNAPSE => "synapse",
        _ => "symptom",
    }
}
