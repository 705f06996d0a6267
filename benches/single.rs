//! One patient through `ketamine-iv-serial` for 90 days with hourly output
//! (design target: well under 1 ms; see README, "Speed").
//!
//! Run with `cargo bench --bench single`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use synsim::model::Model;
use synsim::run::window;
use synsim::scenario::Scenario;
use synsim::solve::{simulate_each, StiffSolver};

fn serial_90d(c: &mut Criterion) {
    let mut s = Scenario::load("ketamine-iv-serial").expect("built-in scenario");
    s.days = 90.0;
    s.dt_out_h = 1.0;
    let doses = s.regimen.as_ref().map(|r| r.expand()).unwrap_or_default();
    let w = window(&s);
    let integrator = StiffSolver::from_params(&s.params);
    let mut g = c.benchmark_group("single");
    g.sample_size(20);
    g.bench_function("ketamine-iv-serial 90 d hourly (simulate_each)", |b| {
        b.iter(|| {
            let model = Model::new(&s.params);
            let mut last = 0.0;
            simulate_each(&model, &integrator, &doses, &w, |o| last = o.symptom_score)
                .expect("run");
            black_box(last)
        })
    });
    g.bench_function("ketamine-iv-serial 90 d hourly (run::run)", |b| {
        b.iter(|| black_box(synsim::run::run(&s).expect("run").summary.best_score.value))
    });
    g.bench_function("Model::new (per-patient set-up)", |b| {
        b.iter(|| black_box(Model::new(black_box(&s.params)).baseline()[0]))
    });
    g.finish();
}

criterion_group!(benches, serial_90d);
criterion_main!(benches);
