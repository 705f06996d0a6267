//! Small sample statistics and the bootstrap shared by both methods.

#[cfg(feature = "parallel")]
use rayon::prelude::*;

use super::stream::{below, stream, Purpose};

/// A confidence interval `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Interval {
    /// True when `x` lies in `[lo, hi]`.
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// `hi - lo`.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }
}

/// Arithmetic mean (`xs` non-empty).
pub(super) fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Sample standard deviation with the `n - 1` denominator (`n >= 2`).
pub(super) fn sample_sd(xs: &[f64]) -> f64 {
    let m = mean(xs);
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    (ss / (xs.len() - 1) as f64).sqrt()
}

/// Percentile bootstrap interval: the `(1 - c) / 2` and `(1 + c) / 2` quantiles of the
/// replicates, by linear interpolation between order statistics (Hyndman & Fan type 7).
pub(super) fn percentile_interval(replicates: &mut [f64], confidence: f64) -> Interval {
    replicates.sort_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    Interval {
        lo: quantile_sorted(replicates, tail),
        hi: quantile_sorted(replicates, 1.0 - tail),
    }
}

/// Bootstrap percentile intervals of several statistics at once.
///
/// Replicate `b` resamples `n` units (trajectories or base rows) with replacement
/// from its own stream `(seed, b, purpose)`, and `stat` maps the resampled unit
/// numbers to one value per statistic. Replicates run in parallel but are stored by
/// replicate number, so the intervals do not depend on the thread count.
pub(super) fn bootstrap_intervals<S>(
    replicates: usize,
    n: usize,
    seed: u64,
    purpose: Purpose,
    confidence: f64,
    stat: S,
) -> Vec<Interval>
where
    S: Fn(&[usize]) -> Vec<f64> + Sync,
{
    let one = |b: usize| {
        let mut rng = stream(seed, b as u64, purpose);
        let units: Vec<usize> = (0..n).map(|_| below(&mut rng, n)).collect();
        stat(&units)
    };
    #[cfg(feature = "parallel")]
    let values: Vec<Vec<f64>> = (0..replicates).into_par_iter().map(one).collect();
    #[cfg(not(feature = "parallel"))]
    let values: Vec<Vec<f64>> = (0..replicates).map(one).collect();
    let stats = values.first().map_or(0, Vec::len);
    (0..stats)
        .map(|s| {
            let mut column: Vec<f64> = values.iter().map(|v| v[s]).collect();
            percentile_interval(&mut column, confidence)
        })
        .collect()
}

/// Type-7 quantile of sorted, non-empty data.
fn quantile_sorted(xs: &[f64], q: f64) -> f64 {
    let h = q * (xs.len() - 1) as f64;
    let i = h.floor() as usize;
    match xs.get(i + 1) {
        Some(&next) => xs[i] + (h - i as f64) * (next - xs[i]),
        None => xs[i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments() {
        let xs = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(mean(&xs), 2.5);
        assert!((sample_sd(&xs) - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn percentiles_interpolate() {
        let mut xs: Vec<f64> = (0..=100).rev().map(f64::from).collect();
        let ci = percentile_interval(&mut xs, 0.9);
        assert!((ci.lo - 5.0).abs() < 1e-12 && (ci.hi - 95.0).abs() < 1e-12);
        let one = percentile_interval(&mut [3.0], 0.95);
        assert_eq!((one.lo, one.hi), (3.0, 3.0));
        assert!(ci.contains(50.0) && !ci.contains(96.0));
    }
}
