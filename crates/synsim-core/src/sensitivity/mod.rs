//! Global sensitivity analysis of a scalar model output: which uncertain inputs matter,
//! over their whole ranges, alone and through interactions.
//!
//! The model is any `f: Fn(&[f64]) -> Result<f64, E> + Sync` of `k` inputs, each a
//! [`Factor`] with a range and a [`Scale`] (uniform, or log-uniform for positive
//! inputs spanning more than about a factor of 10). Two methods:
//!
//! - [`morris`] (screening: which inputs can be ignored?) gives `μ*`, `σ` and `μ` per
//!   input from [`morris_runs`]`(k, r) = r (k + 1)` model runs, `r` = 10 to 50.
//! - [`sobol`] (what share of `V(Y)` does each input explain, alone and in total?)
//!   gives `S_i` and `ST_i` with bootstrap intervals from [`sobol_runs`]`(k, N) =
//!   N (k + 2)` runs, `N` = 500 to 5000.
//!
//! A common workflow: screen all inputs with Morris, then compute Sobol' indices for
//! the few with large `μ*`.
//!
//! ```
//! use std::convert::Infallible;
//! use synsim_core::sensitivity::{morris, sobol, Factor, MorrisOptions, SobolOptions};
//!
//! let factors = [Factor::linear("dose", 0.0, 1.0), Factor::log("rate", 0.1, 10.0)];
//! let model = |x: &[f64]| Ok::<_, Infallible>(2.0 * x[0] + x[1].ln());
//! let screen = morris(&factors, &MorrisOptions::default(), model)?;
//! assert!(screen.factors[1].mu_star > screen.factors[0].mu_star); // 2 ln 10 > 2
//! let opts = SobolOptions { base_samples: 512, ..SobolOptions::default() };
//! let res = sobol(&factors, &opts, model)?;
//! for s in &res.factors {
//!     println!("{}: S = {:.2}, ST = {:.2}", s.name, s.first_order, s.total);
//! }
//! # Ok::<(), synsim_core::sensitivity::SensitivityError<Infallible>>(())
//! ```
//!
//! # Reproducibility and parallelism
//!
//! The whole design is generated from the seed before the first model run. Runs are
//! spread over the current rayon pool and stored by design row, then reduced in row
//! order, so a result is bit-identical for any thread count. Bootstrap replicates use
//! their own seeded streams. A progress hook ([`Progress`]) can follow the runs.
//!
//! # References
//!
//! - Morris, M. D. (1991). Factorial sampling plans for preliminary computational
//!   experiments. Technometrics 33:161-174.
//! - Campolongo, F., Cariboni, J. & Saltelli, A. (2007). An effective screening design
//!   for sensitivity analysis of large models. Environ Model Softw 22:1509-1518.
//! - Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. & Tarantola, S.
//!   (2010). Variance based sensitivity analysis of model output. Design and estimator
//!   for the total sensitivity index. Comput Phys Commun 181:259-270.
//! - Jansen, M. J. W. (1999). Analysis of variance designs for model output. Comput
//!   Phys Commun 117:35-43.
//! - Ishigami, T. & Homma, T. (1990). An importance quantification technique in
//!   uncertainty analysis for computer models. Proc. ISUMA '90, 398-403 (the test
//!   function `sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1`).
//! - Joe, S. & Kuo, F. Y. (2008). Constructing Sobol sequences with better
//!   two-dimensional projections. SIAM J Sci Comput 30:2635-2654 (direction numbers).

mod error;
mod eval;
mod factor;
mod joe_kuo;
mod morris;
mod qmc;
mod sobol;
mod stats;
mod stream;
pub mod study;
#[cfg(test)]
mod test_models;

pub use error::SensitivityError;
pub use eval::Progress;
pub use factor::{Factor, Scale};
pub use morris::{morris, morris_with_progress, MorrisIndices, MorrisOptions, MorrisResult};
pub use sobol::{sobol, sobol_with_progress, Sampling, SobolIndices, SobolOptions, SobolResult};
pub use stats::Interval;

/// Model runs of a Morris screening with `k` factors and `r` trajectories: `r (k + 1)`.
pub fn morris_runs(k: usize, r: usize) -> usize {
    r * (k + 1)
}

/// Model runs of a Sobol' analysis with `k` factors and `n` base samples: `n (k + 2)`
/// (the matrices `A`, `B` and the `k` matrices `A_B^(i)`).
pub fn sobol_runs(k: usize, n: usize) -> usize {
    n * (k + 2)
}
