//! Population and sweep throughput (targets: docs/MODEL.md and README, "Speed").
//!
//! - `population/serial-90d/{1,2} threads`: 1000 virtual patients of
//!   `ketamine-iv-serial` for 90 days with hourly bands and every summary,
//!   on a pool of 1 and of 2 threads. Multiply by 100 for the 100 000-patient
//!   target (the work is linear in the number of patients; measure the real
//!   run's peak memory with `/usr/bin/time -v synsim population
//!   ketamine-iv-serial --patients 100000 --days 90 --quiet --no-plot`).
//! - `sweep/20x20`: a 20 x 20 grid (regimen.dose x
//!   receptor.interneuron_sensitivity) of `ketamine-iv-single` (28 days,
//!   hourly rows, as `synsim sweep` runs it) with 5 patients per point;
//!   multiply by 100 for 500 patients per point.
//!
//! Run with `cargo bench --bench population`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use synsim::population::{self, Options, Setup};
use synsim::scenario::Scenario;
use synsim::sweep;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
}

fn serial_setup() -> Setup {
    let mut s = Scenario::load("ketamine-iv-serial").expect("built-in scenario");
    s.days = 90.0;
    s.dt_out_h = 1.0;
    Setup::new(s).expect("setup")
}

fn population_bench(c: &mut Criterion) {
    let setup = serial_setup();
    let opt = Options {
        patients: 1000,
        seed: 1,
        ..Options::default()
    };
    let mut g = c.benchmark_group("population");
    g.sample_size(10);
    for threads in [1, 2] {
        let p = pool(threads);
        g.bench_function(
            format!("serial-90d 1000 patients, {threads} threads"),
            |b| {
                b.iter(|| {
                    p.install(|| {
                        let pop =
                            population::run(setup.clone(), &opt, &|_| {}).expect("population");
                        let csv = population::export::patients_csv(&pop);
                        black_box((pop.summary().response[4].value, csv.len()))
                    })
                })
            },
        );
    }
    // Lock-step batches against one patient at a time, one thread: the
    // per-patient gain of the batches.
    let alone = Options {
        lockstep: false,
        ..opt
    };
    let p = pool(1);
    g.bench_function("serial-90d 1000 patients, 1 thread, one at a time", |b| {
        b.iter(|| {
            p.install(|| {
                let pop = population::run(setup.clone(), &alone, &|_| {}).expect("population");
                black_box(pop.summary().response[4].value)
            })
        })
    });
    // The same run at the single-run tolerance, for comparison.
    let mut tight = setup.scenario.clone();
    tight
        .apply_overrides(&[
            "solver.population_rtol=1e-5".to_string(),
            "solver.population_atol=1e-8".to_string(),
        ])
        .expect("valid tolerance");
    let tight = Setup::new(tight).expect("setup");
    let p = pool(2);
    g.bench_function(
        "serial-90d 1000 patients, 2 threads, single-run tolerances 1e-5 and 1e-8",
        |b| {
            b.iter(|| {
                p.install(|| {
                    let pop = population::run(tight.clone(), &opt, &|_| {}).expect("population");
                    black_box(pop.summary().response[4].value)
                })
            })
        },
    );
    g.finish();
}

fn sweep_bench(c: &mut Criterion) {
    let mut s = Scenario::load("ketamine-iv-single").expect("built-in scenario");
    // What `synsim sweep` runs by default: the scenario's 28 days, hourly rows.
    s.dt_out_h = 1.0;
    let axes = [
        sweep::parse_axis("regimen.dose=0.1:1.0:20", &s).expect("axis"),
        sweep::parse_axis("receptor.interneuron_sensitivity=1.5:6:20", &s).expect("axis"),
    ];
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10);
    let p = pool(2);
    g.bench_function(
        "20x20 ketamine-iv-single, 5 patients per point, 2 threads",
        |b| {
            b.iter(|| {
                p.install(|| {
                    black_box(
                        sweep::run(&s, &axes, 5, 1, false, &|_| {})
                            .expect("sweep")
                            .points
                            .len(),
                    )
                })
            })
        },
    );
    g.finish();
}

criterion_group!(benches, population_bench, sweep_bench);
criterion_main!(benches);
