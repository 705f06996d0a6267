use super::*;
use crate::params::{id, Params};

/// The looser population tolerance moves scores by a small fraction of a
/// point against a tight reference, so a response or remission call
/// changes only for a patient right at the threshold and every rate
/// moves by far less than its confidence interval (200 patients of the
/// six-infusion course, 90 days).
/// The graded grid: every step for two days after each dose, every 6 h
/// elsewhere, and the outcome times wherever they fall.
#[test]
fn graded_grid_is_dense_after_doses_and_keeps_the_outcome_times() {
    let setup = Setup::new(Scenario::load("ketamine-iv-serial").unwrap()).unwrap();
    let t = &setup.times;
    let last = setup.last_dose_h.unwrap();
    let step = |a: f64, b: f64| {
        t.windows(2)
            .filter(|w| w[0] >= a && w[1] <= b)
            .map(|w| w[1] - w[0])
            .fold(0.0, f64::max)
    };
    assert!(step(0.0, 48.0) <= 1.0 + 1e-9);
    assert!(step(last, last + 48.0) <= 1.0 + 1e-9);
    assert!((step(last + 72.0, last + 30.0 * 24.0) - SPARSE_DT_H).abs() < 1e-9);
    for (_, u) in outcome::FIXED_TIMES_H {
        assert!(t.iter().any(|x| (x - u).abs() < 1e-9), "{u}");
    }
    assert!(t.iter().any(|x| (x - (last + 24.0)).abs() < 1e-9));
    assert!(t.len() < setup.window.times().unwrap().len() / 2);
}

#[test]
fn population_tolerance_keeps_the_rates() {
    let pop = |rtol: f64, atol: f64| {
        let mut s = Scenario::load("ketamine-iv-serial").unwrap();
        s.days = 90.0;
        s.dt_out_h = 1.0;
        s.params.set(id::POP_RTOL, rtol).unwrap();
        s.params.set(id::POP_ATOL, atol).unwrap();
        let opt = Options {
            patients: 200,
            seed: 11,
            bands: false,
            ..Options::default()
        };
        run(Setup::new(s).unwrap(), &opt, &|_| {}).unwrap()
    };
    let d = Params::default();
    let loose = pop(d[id::POP_RTOL], d[id::POP_ATOL]);
    let tight = pop(1e-7, 1e-11);
    let mut worst = 0.0f64;
    for (a, b) in loose.patients.iter().zip(&tight.patients) {
        let points = a.outcome.at.iter().chain([&a.outcome.end]);
        for (p, q) in points.zip(b.outcome.at.iter().chain([&b.outcome.end])) {
            worst = worst.max((p.unwrap().score - q.unwrap().score).abs());
        }
    }
    assert!(worst < 0.2, "largest score difference {worst} points");
    let (l, t) = (loose.summary(), tight.summary());
    for (k, when) in WHEN.iter().enumerate() {
        for (a, b) in [
            (l.response[k], t.response[k]),
            (l.remission[k], t.remission[k]),
        ] {
            // At most one patient of 200 changes sides.
            assert!(
                (a.value - b.value).abs() <= 0.005 + 1e-12,
                "{when}: {a:?} vs {b:?}"
            );
        }
    }
}

#[test]
fn a_stopped_population_says_so_instead_of_returning_a_part() {
    let setup = || Setup::new(Scenario::load("ketamine-iv-single").unwrap()).unwrap();
    let opt = Options {
        patients: 40,
        ..Options::default()
    };
    let stop = AtomicBool::new(true);
    let r = run_until(setup(), &opt, &|_| {}, &stop);
    assert!(matches!(r, Err(PopulationError::Stopped)));
    let go = AtomicBool::new(false);
    let whole = run_until(setup(), &opt, &|_| {}, &go).unwrap();
    assert_eq!(whole.patients.len() + whole.failed.len(), 40);
}
