//! Population statistics with 95 % confidence intervals.
//!
//! - Rates (share of patients): Wilson score interval (Wilson 1927), which
//!   stays inside 0–1 and behaves at rates near 0 or 1, unlike the Wald
//!   interval.
//! - Medians: distribution-free order-statistic interval: the sorted values
//!   `x(r)` and `x(n-r+1)` with `r` the largest rank whose binomial(n, ½)
//!   tail is at most 2.5 % (coverage at least 95 %; exact binomial, no
//!   normal approximation). Undefined for fewer than 6 values.
//! - Means: mean ± 1.96 standard errors.

use serde::Serialize;

/// Two-sided 95 % normal quantile.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A number with its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Point estimate (NaN when undefined).
    pub value: f64,
    /// Lower 95 % bound (NaN when undefined).
    pub lo: f64,
    /// Upper 95 % bound (NaN when undefined; +inf when beyond the end of the run).
    pub hi: f64,
    /// Number of patients the estimate is based on.
    pub n: u64,
}

impl Estimate {
    /// An undefined estimate from `n` values.
    pub fn undefined(n: u64) -> Estimate {
        Estimate {
            value: f64::NAN,
            lo: f64::NAN,
            hi: f64::NAN,
            n,
        }
    }

    /// A value known exactly (one typical patient): the interval is the value.
    pub fn exact(value: f64) -> Estimate {
        Estimate {
            value,
            lo: value,
            hi: value,
            n: 1,
        }
    }

    /// JSON with nulls for undefined numbers and for bounds beyond the run.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "value": num(self.value),
            "ci95": [num(self.lo), num(self.hi)],
            "n": self.n,
        })
    }
}

/// A finite number as JSON, otherwise null.
pub fn num(v: f64) -> serde_json::Value {
    if v.is_finite() {
        serde_json::json!(v)
    } else {
        serde_json::Value::Null
    }
}

/// Share `k` of `n` with its Wilson score interval.
pub fn wilson(k: u64, n: u64) -> Estimate {
    if n == 0 {
        return Estimate::undefined(0);
    }
    let nf = n as f64;
    let p = k as f64 / nf;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = Z95 * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    // The bounds are exactly 0 and 1 when no or every patient counts
    // (the formula's rounding would leave 1e-17 or so).
    Estimate {
        value: p,
        lo: if k == 0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        hi: if k == n {
            1.0
        } else {
            (centre + half).min(1.0)
        },
        n,
    }
}

/// Largest 1-based rank `r` with P(Binomial(n, ½) <= r - 1) <= 2.5 %, or 0.
fn median_rank(n: u64) -> u64 {
    // Cumulative binomial(n, 1/2) in log space: exact for any n, no overflow.
    let ln_half_n = -(n as f64) * std::f64::consts::LN_2;
    let mut ln_choose = 0.0_f64;
    let mut cdf = 0.0_f64;
    let mut r = 0;
    for k in 0..n {
        // cdf = P(B <= k)
        cdf += (ln_choose + ln_half_n).exp();
        if cdf > 0.025 {
            break;
        }
        r = k + 1;
        ln_choose += ((n - k) as f64).ln() - ((k + 1) as f64).ln();
    }
    r
}

/// Median of `values` (+inf allowed: values beyond the end of the run) with
/// its order-statistic 95 % interval. NaN values are ignored.
pub fn median(values: &[f64]) -> Estimate {
    let mut x: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = x.len();
    if n == 0 {
        return Estimate::undefined(0);
    }
    x.sort_by(f64::total_cmp);
    let mid = if n % 2 == 1 {
        x[n / 2]
    } else {
        let (a, b) = (x[n / 2 - 1], x[n / 2]);
        if a.is_infinite() || b.is_infinite() {
            b
        } else {
            0.5 * (a + b)
        }
    };
    let r = median_rank(n as u64) as usize;
    let (lo, hi) = if r == 0 {
        (f64::NAN, f64::NAN)
    } else {
        (x[r - 1], x[n - r])
    };
    Estimate {
        value: mid,
        lo,
        hi,
        n: n as u64,
    }
}

/// Mean of `values` with mean ± 1.96 standard errors. NaN values are ignored.
pub fn mean(values: &[f64]) -> Estimate {
    let x: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = x.len();
    if n == 0 {
        return Estimate::undefined(0);
    }
    let m = x.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return Estimate {
            value: m,
            lo: m,
            hi: m,
            n: 1,
        };
    }
    let var = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1) as f64;
    let half = Z95 * (var / n as f64).sqrt();
    // The normal approximation can reach past the data (below 0 days in
    // response for a small group); the mean cannot.
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    Estimate {
        value: m,
        lo: (m - half).max(lo),
        hi: (m + half).min(hi),
        n: n as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_textbook_value() {
        // 81 of 263 (Newcombe 1998, example): 0.2553 to 0.3662.
        let e = wilson(81, 263);
        assert!(
            (e.lo - 0.2553).abs() < 5e-4 && (e.hi - 0.3662).abs() < 5e-4,
            "{e:?}"
        );
        let zero = wilson(0, 10);
        assert_eq!(zero.lo, 0.0);
        assert!(zero.hi > 0.25 && zero.hi < 0.35);
    }

    #[test]
    fn median_ranks_match_binomial_tables() {
        // Conover, Practical Nonparametric Statistics, table A3 (alpha 0.05 two-sided).
        assert_eq!(median_rank(5), 0);
        assert_eq!(median_rank(6), 1);
        assert_eq!(median_rank(10), 2);
        assert_eq!(median_rank(20), 6);
        assert_eq!(median_rank(100), 40);
        // Large n follows the normal approximation n/2 - 0.98 sqrt(n).
        let n = 1_000_000_u64;
        let approx = n as f64 / 2.0 - 0.98 * (n as f64).sqrt();
        assert!((median_rank(n) as f64 - approx).abs() < 3.0);
    }

    #[test]
    fn median_with_values_beyond_the_run() {
        let mut v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(median(&v).value, 10.5);
        for x in v.iter_mut().skip(12) {
            *x = f64::INFINITY;
        }
        let e = median(&v);
        assert_eq!(e.value, 10.5);
        assert!(e.hi.is_infinite());
        assert!(num(e.hi).is_null());
    }

    #[test]
    fn mean_interval_shrinks_with_n() {
        let a: Vec<f64> = (0..10).map(|k| f64::from(k % 2)).collect();
        let b: Vec<f64> = (0..1000).map(|k| f64::from(k % 2)).collect();
        assert!((mean(&a).hi - mean(&a).lo) > (mean(&b).hi - mean(&b).lo) * 5.0);
        assert!((mean(&b).value - 0.5).abs() < 1e-12);
    }

    #[test]
    fn intervals_stay_inside_what_is_possible() {
        let none = wilson(0, 50);
        assert_eq!((none.lo, none.value), (0.0, 0.0));
        let all = wilson(50, 50);
        assert_eq!((all.value, all.hi), (1.0, 1.0));
        let m = mean(&[0.0, 0.0, 0.0, 10.0]);
        assert!(m.lo >= 0.0 && m.hi <= 10.0, "{m:?}");
    }
}
