//! Test functions with known indices, and a thread-count comparison helper.

use std::convert::Infallible;
use std::f64::consts::PI;

use super::Factor;

/// Ishigami & Homma (1990): `f = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1` on `[-π, π]^3`.
pub(super) fn ishigami(x: &[f64]) -> Result<f64, Infallible> {
    Ok(x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin())
}

pub(super) fn ishigami_factors() -> Vec<Factor> {
    (1..=3)
        .map(|i| Factor::linear(format!("x{i}"), -PI, PI))
        .collect()
}

/// Analytic `(S, ST)` of the Ishigami function with `a = 7`, `b = 0.1`:
/// `V = a^2/8 + b π^4/5 + b^2 π^8/18 + 1/2`, `V1 = (1 + b π^4/5)^2 / 2`, `V2 = a^2/8`,
/// `V3 = 0`, `V13 = 8 b^2 π^8 / 225` (the only interaction).
/// Gives S = (0.3139, 0.4424, 0) and ST = (0.5576, 0.4424, 0.2437).
pub(super) fn ishigami_indices() -> ([f64; 3], [f64; 3]) {
    let (a, b) = (7.0, 0.1);
    let v = a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5;
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = 8.0 * b * b * PI.powi(8) / 225.0;
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

/// Runs `job` in rayon pools of 1 and of 3 threads.
pub(super) fn pools_agree<T: Send>(job: impl Fn() -> T + Sync) -> (T, T) {
    let pool = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    };
    (pool(1).install(&job), pool(3).install(&job))
}

#[test]
fn ishigami_reference_values() {
    let (s, st) = ishigami_indices();
    let round = |x: f64| (x * 1e4).round() / 1e4;
    assert_eq!(s.map(round), [0.3139, 0.4424, 0.0]);
    assert_eq!(st.map(round), [0.5576, 0.4424, 0.2437]);
}
