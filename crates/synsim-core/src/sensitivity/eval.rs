//! Parallel model evaluation over a design, bit-identical for any thread count.
//!
//! The design is fixed before the first model call: `unit_row(row, u)` writes row
//! `row` in unit coordinates and depends on nothing but the row number. Rows are
//! evaluated on the current rayon pool and each output is stored at its row index, so
//! the callers' sequential reductions see the same numbers in the same order whatever
//! the number of threads or the order in which rows finished.

use std::sync::atomic::{AtomicUsize, Ordering};

#[cfg(feature = "parallel")]
use rayon::prelude::*;

use super::{Factor, SensitivityError};

/// A progress hook: called as `hook(done, total)` once per finished model run.
///
/// Calls come from the worker threads, concurrently and not necessarily in order of
/// `done`; each run gets its own `done` in `1..=total`. A progress bar should take the
/// largest `done` seen (for example `indicatif::ProgressBar::inc(1)` per call). If the
/// model fails, rows above the failing row are skipped and `done` stops short of
/// `total`.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Runs the model on every row and returns the outputs in row order, or the error of
/// the lowest row that failed or returned a non-finite value.
pub(super) fn evaluate<F, E, U>(
    factors: &[Factor],
    rows: usize,
    unit_row: U,
    f: &F,
    progress: Option<Progress<'_>>,
) -> Result<Vec<f64>, SensitivityError<E>>
where
    F: Fn(&[f64]) -> Result<f64, E> + Sync,
    E: Send,
    U: Fn(usize, &mut [f64]) + Sync,
{
    let k = factors.len();
    // Lowest failing row so far: rows above it cannot change the reported error, so
    // they are skipped; rows below it still run, which keeps the report deterministic.
    let first_bad = AtomicUsize::new(usize::MAX);
    let done = AtomicUsize::new(0);
    let job = |(u, x): &mut (Vec<f64>, Vec<f64>), row: usize| {
        if row > first_bad.load(Ordering::Relaxed) {
            return None;
        }
        unit_row(row, u);
        to_physical(factors, u, x);
        let out = f(x);
        if !matches!(out, Ok(y) if y.is_finite()) {
            first_bad.fetch_min(row, Ordering::Relaxed);
        }
        if let Some(hook) = progress {
            hook(done.fetch_add(1, Ordering::Relaxed) + 1, rows);
        }
        Some(out)
    };
    let scratch = || (vec![0.0; k], vec![0.0; k]);
    #[cfg(feature = "parallel")]
    let outcomes: Vec<Option<Result<f64, E>>> =
        (0..rows).into_par_iter().map_init(scratch, job).collect();
    #[cfg(not(feature = "parallel"))]
    let outcomes: Vec<Option<Result<f64, E>>> = {
        let mut s = scratch();
        (0..rows).map(|row| job(&mut s, row)).collect()
    };
    collect_outputs(factors, outcomes, &unit_row)
}

/// Maps a unit-hypercube point to the factors' ranges.
fn to_physical(factors: &[Factor], u: &[f64], x: &mut [f64]) {
    for ((xi, &ui), fac) in x.iter_mut().zip(u).zip(factors) {
        *xi = fac.from_unit(ui);
    }
}

/// The physical inputs of one row, for error reports.
fn inputs_of<U: Fn(usize, &mut [f64])>(factors: &[Factor], row: usize, unit_row: &U) -> Vec<f64> {
    let mut u = vec![0.0; factors.len()];
    let mut x = u.clone();
    unit_row(row, &mut u);
    to_physical(factors, &u, &mut x);
    x
}

/// Scans the outcomes in row order: the first failure met is the lowest failing row.
fn collect_outputs<E, U: Fn(usize, &mut [f64])>(
    factors: &[Factor],
    outcomes: Vec<Option<Result<f64, E>>>,
    unit_row: &U,
) -> Result<Vec<f64>, SensitivityError<E>> {
    let mut ys = Vec::with_capacity(outcomes.len());
    for (row, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Some(Ok(y)) if y.is_finite() => ys.push(y),
            Some(Ok(value)) => {
                let inputs = inputs_of(factors, row, unit_row);
                return Err(SensitivityError::NonFiniteOutput { row, inputs, value });
            }
            Some(Err(source)) => {
                let inputs = inputs_of(factors, row, unit_row);
                return Err(SensitivityError::Model {
                    row,
                    inputs,
                    source,
                });
            }
            // A row is skipped only when a lower row failed, and that row came first.
            None => unreachable!("row {row} skipped without a lower failing row"),
        }
    }
    Ok(ys)
}
