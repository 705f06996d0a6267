//! Several runs on one time grid: the table behind `synsim compare` and
//! `synsim theories` (`compare.csv`, `theories.csv`).

use crate::model::Observables;
use crate::run::{value_at, RunResult};

/// A named quantity: (CSV column prefix, reader).
pub type Quantity = (&'static str, fn(&Observables) -> f64);

/// The quantities compared.
pub const QUANTITIES: [Quantity; 4] = [
    ("symptom_score", |o| o.symptom_score),
    ("synapse_density_rel", |o| o.synapse_density_rel),
    ("glutamate_rel", |o| o.glutamate_rel),
    ("dissociation", |o| o.dissociation),
];

/// A time grid for tables that span minutes to months: every 10 minutes up
/// to 48 h after the first dose, then hourly, ending exactly at `end_h`.
pub fn table_grid(start_h: f64, end_h: f64) -> Vec<f64> {
    let mut t = Vec::new();
    let fine = 1.0 / 6.0;
    let mut k = 0_i64;
    loop {
        let v = start_h + k as f64 * fine;
        if v > end_h.min(48.0) + 1e-9 {
            break;
        }
        t.push(v);
        k += 1;
    }
    let mut v = t.last().map(|l| l.floor() + 1.0).unwrap_or(start_h);
    while v <= end_h + 1e-9 {
        t.push(v);
        v += 1.0;
    }
    if t.last().is_some_and(|l| (l - end_h).abs() > 1e-9) {
        t.push(end_h);
    }
    t
}

/// CSV: `time_h` then one column per quantity per run, named
/// `<quantity>:<label>`, on `grid` (linear interpolation between outputs).
pub fn table(runs: &[(String, &RunResult)], quantities: &[Quantity], grid: &[f64]) -> String {
    let mut out = String::from("time_h");
    for (q, _) in quantities {
        for (label, _) in runs {
            out.push_str(&format!(",{q}:{label}"));
        }
    }
    out.push('\n');
    for &t in grid {
        out.push_str(&crate::export::fmt_csv(t));
        for (_, get) in quantities {
            for (_, r) in runs {
                out.push(',');
                if let Some(v) = value_at(&r.rows, t, get) {
                    out.push_str(&crate::export::fmt_csv(v));
                }
            }
        }
        out.push('\n');
    }
    out
}
