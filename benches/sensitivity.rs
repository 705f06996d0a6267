//! Sensitivity-analysis cost (target: docs/MODEL.md, "Global sensitivity analysis").
//!
//! - `sensitivity/morris 20x10`: a Morris screening of the 20 parameters
//!   `pk.ketamine.*` and `receptor.*` with 10 trajectories (210 typical-patient
//!   runs of `ketamine-iv-single`, 28 days, hourly rows, as `synsim sensitivity`
//!   runs it) for `response_24h`, on a pool of 2 threads. Target: under 10 s.
//!
//! A Sobol' analysis of the same factors with N base samples costs N (k + 2) =
//! 22 N runs, 5632 for N = 256: about 27 times this screening.
//!
//! Run with `cargo bench --bench sensitivity`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use synsim::scenario::Scenario;
use synsim::sensitivity::study::{matching_factors, Study};
use synsim::sensitivity::MorrisOptions;
use synsim::sweep::Metric;

fn study() -> Study {
    let mut s = Scenario::load("ketamine-iv-single").expect("built-in scenario");
    s.dt_out_h = s.dt_out_h.max(1.0);
    let f = matching_factors(&s, &["pk.ketamine".into(), "receptor".into()]).expect("factors");
    assert_eq!(f.len(), 20);
    Study::new(s, f, Metric::Response(0)).expect("study")
}

fn morris_bench(c: &mut Criterion) {
    let st = study();
    let opts = MorrisOptions {
        trajectories: 10,
        seed: 1,
        ..MorrisOptions::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("thread pool");
    let mut g = c.benchmark_group("sensitivity");
    g.sample_size(10);
    g.bench_function("morris 20x10 ketamine-iv-single, 2 threads", |b| {
        b.iter(|| {
            pool.install(|| {
                let a = st.morris(&opts, None).expect("morris");
                black_box(a.csv().len())
            })
        })
    });
    g.finish();
}

criterion_group!(benches, morris_bench);
criterion_main!(benches);
