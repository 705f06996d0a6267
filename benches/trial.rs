//! Virtual-trial throughput (issue targets: a built-in 2-arm trial of 100
//! patients per arm under 2 s; a power curve of 5 sizes x 200 replicates
//! under 60 s).
//!
//! - `trial/<name> 100 per arm`: one run and its analysis, for the 4-week
//!   esketamine trial and the 8-week SSRI trial, on the default pool.
//! - `trial/power ketamine-vs-midazolam 20 per arm x 20 replicates`: one
//!   point of a power curve at a tenth of the replicates.
//! - `trial/power curve ssri-vs-placebo 10,20,50,100,200 per arm x 10
//!   replicates`: the help's power curve at a twentieth of its 200
//!   replicates (the work is linear in replicates; each replicate is
//!   simulated once, at the largest size).
//!
//! Run with `cargo bench --bench trial`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use synsim::trial::{self, TrialSpec};

fn trial_bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("trial");
    g.sample_size(10);
    for name in ["esketamine-transform", "ssri-vs-placebo"] {
        let spec = TrialSpec::load(name).expect("built-in trial");
        g.bench_function(format!("{name} 100 per arm"), |b| {
            b.iter(|| {
                let run = trial::run(&spec, 100, 1).expect("trial");
                let a = trial::analyse(&spec, &run);
                black_box(a.comparisons[0].ancova.as_ref().map(|d| d.p))
            })
        });
    }
    let spec = TrialSpec::load("ketamine-vs-midazolam").expect("built-in trial");
    g.bench_function(
        "power ketamine-vs-midazolam 20 per arm x 20 replicates",
        |b| {
            b.iter(|| {
                let p = trial::power(&spec, 20, 20, 1, 0.05, &|_| {}).expect("power");
                black_box(p.power[0].p)
            })
        },
    );
    let spec = TrialSpec::load("ssri-vs-placebo").expect("built-in trial");
    g.bench_function(
        "power curve ssri-vs-placebo 10,20,50,100,200 per arm x 10 replicates",
        |b| {
            b.iter(|| {
                let sizes = [10, 20, 50, 100, 200];
                let p = trial::power_curve(&spec, &sizes, 10, 1, 0.05, &|_| {}).expect("power");
                black_box(p[4].power[0].p)
            })
        },
    );
    g.finish();
}

criterion_group!(benches, trial_bench);
criterion_main!(benches);
