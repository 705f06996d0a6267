//! The reference the exact-PK split is checked against (tests only): the
//! whole coupled system, PK states included, integrated by the
//! `differential-equations` crate's ESDIRK3(2)4L\[2\]SA, an implementation
//! independent of [`super::esdirk`].

use super::{simulate, Integrator, SolveError, StiffSolver, Window};
use crate::layout::{KET_DEPOT, N, PK_N};
use crate::model::{Model, Observables, State};
use crate::params::{id, Params};
use crate::pk::{Infusion, PkModel};
use crate::regimen::{DoseEvent, Regimen};
use crate::scenario::Scenario;
use differential_equations::prelude::*;

/// One segment of the coupled system: every state, constant infusion.
struct Segment<'a> {
    model: &'a Model,
    inf: Infusion,
}

impl ODE<f64, [f64; N]> for Segment<'_> {
    fn diff(&self, _t: f64, y: &[f64; N], dydt: &mut [f64; N]) {
        self.model.rhs(y, &self.inf, dydt);
    }
}

/// Integrates all 34 states with the given tolerances.
struct Coupled {
    rtol: f64,
    atol: f64,
}

impl Integrator for Coupled {
    fn integrate(
        &self,
        model: &Model,
        inf: &Infusion,
        (t0, t1): (f64, f64),
        y0: &State,
        t_out: &[f64],
        each: &mut dyn FnMut(usize, &State),
    ) -> Result<State, SolveError> {
        // A zero-length segment (two events at one time) has nothing to
        // integrate; the crate would return no points.
        if t1 <= t0 {
            for k in 0..t_out.len() {
                each(k, y0);
            }
            return Ok(*y0);
        }
        let mut times = t_out.to_vec();
        times.push(t1);
        let method = DiagonallyImplicitRungeKutta::esdirk324l2sa()
            .rtol(self.rtol)
            .atol(self.atol)
            .max_steps(1_000_000);
        let sol = IVP::ode(&Segment { model, inf: *inf }, t0, t1, *y0)
            .t_eval(&times)
            .method(method)
            .solve()
            .map_err(|e| SolveError::Integrator {
                t_h: t0,
                msg: format!("{e:?}"),
            })?;
        assert_eq!(sol.y.len(), times.len());
        for (k, y) in sol.y[..t_out.len()].iter().enumerate() {
            each(k, y);
        }
        Ok(sol.y[t_out.len()])
    }
}

fn window(days: f64) -> Window {
    Window {
        start_h: -1.0,
        end_h: days * 24.0,
        dt_out_h: 0.25,
    }
}

fn max_diff(a: &[Observables], b: &[Observables], f: fn(&Observables) -> f64) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (f(x) - f(y)).abs())
        .fold(0.0, f64::max)
}

/// The split (exact PK, slow states integrated) and the coupled system
/// agree for `params` on `doses`.
fn split_matches_coupled(params: &Params, doses: &[DoseEvent], days: f64) {
    let (m, w) = (Model::new(params), window(days));
    let split = StiffSolver {
        rtol: 1e-8,
        atol: 1e-11,
        work: Default::default(),
    };
    let coupled = Coupled {
        rtol: 1e-8,
        atol: 1e-11,
    };
    let split = simulate(&m, &split, doses, &w).unwrap();
    let full = simulate(&m, &coupled, doses, &w).unwrap();
    assert_eq!(split.len(), full.len());
    assert!(max_diff(&split, &full, |o| o.plasma.ketamine) < 1e-3);
    assert!(max_diff(&split, &full, |o| o.glutamate_rel) < 1e-5);
    assert!(max_diff(&split, &full, |o| o.synapse_density_rel) < 1e-6);
    assert!(max_diff(&split, &full, |o| o.symptom_score) < 1e-4);
}

/// The exact-PK path and the fully coupled integration agree.
#[test]
fn modal_path_matches_coupled_integration() {
    let s = Scenario::load("ketamine-iv-serial").unwrap();
    let doses = s.regimen.as_ref().unwrap().expand();
    split_matches_coupled(&s.params, &doses, 14.0);
}

/// A patient whose ketamine block is confluent (absorption rate equal to
/// the effect-site rate): the matrix-exponential path agrees with the
/// coupled system too, for doses by mouth into that block's depot.
#[test]
fn confluent_block_matches_coupled_integration() {
    let mut p = Params::default();
    p.set(id::KET_KA, p[id::KET_KE0] * 60.0).unwrap();
    let doses = Regimen::parse("ketamine 50 mg oral daily for 3 d")
        .unwrap()
        .expand();
    let m = Model::new(&p);
    assert!(!m.modal.diagonal());
    let mut y = m.baseline();
    m.pk.apply_dose(&doses[0], m.weight_kg, &mut y);
    assert!(y[KET_DEPOT] > 0.0, "the regimen doses the confluent depot");
    split_matches_coupled(&p, &doses, 4.0);
}

/// The coupled solution of the PK states matches the matrix exponential at
/// every output time.
#[test]
fn coupled_pk_matches_exact_solution() {
    let s = Scenario::load("ketamine-iv-single").unwrap();
    let doses = s.regimen.as_ref().unwrap().expand();
    let (m, w, p) = (Model::new(&s.params), window(1.0), s.params);
    let coupled = Coupled {
        rtol: p[id::RTOL],
        atol: p[id::ATOL],
    };
    let rows = simulate(&m, &coupled, &doses, &w).unwrap();
    let inf = PkModel::infusion_rate(&doses[0], m.weight_kg);
    let x0 = vec![0.0; PK_N];
    for o in rows
        .iter()
        .filter(|o| o.time_h > 0.0 && o.time_h <= doses[0].end_h())
    {
        let x = m.pk.propagate_exact(&x0, &inf, o.time_h);
        let exact = m.pk.plasma(&x).ketamine;
        assert!(
            (o.plasma.ketamine - exact).abs() < 1e-5 * exact,
            "t {} {} vs {}",
            o.time_h,
            o.plasma.ketamine,
            exact
        );
    }
}
