//! Statistics for analysing simulated randomised clinical trials.
//!
//! Continuous outcomes: descriptive summaries, Welch's and Student's two-sample
//! t-tests, and ANCOVA adjusting for a baseline measurement. Binary outcomes:
//! the Wilson score interval for one proportion, Newcombe's hybrid score
//! interval for a difference of two proportions, and the number needed to
//! treat (NNT) with Altman's confidence interval.
//!
//! Conventions shared by every function:
//!
//! * `level` is the two-sided confidence level, e.g. `0.95`; it must lie
//!   strictly between 0 and 1 (the functions panic otherwise, because a bad
//!   level is a programming error rather than a property of the data).
//! * Two-group comparisons estimate "group a minus group b".
//! * Missing values are not handled: a NaN in the data propagates into the
//!   results.
//! * The Student t and normal distribution functions (CDF, survival function
//!   and inverse CDF) come from the `statrs` crate; nothing here evaluates a
//!   special function by hand.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Descriptive summary of one sample, as returned by [`summarise`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of observations.
    pub n: usize,
    /// Arithmetic mean; NaN when `n == 0`.
    pub mean: f64,
    /// Sample standard deviation with divisor `n - 1`; NaN when `n < 2`.
    pub sd: f64,
    /// Standard error of the mean, `sd / sqrt(n)`; NaN when `n < 2`.
    pub se: f64,
}

/// Summarises a sample: size, mean, sample standard deviation and standard
/// error of the mean.
///
/// Formulae: `mean = Σx / n`; `sd = sqrt(Σ(x - mean)² / (n - 1))` (the
/// unbiased-variance, "sample" SD); `se = sd / sqrt(n)`. The sum of squares is
/// computed in two passes around the mean, and is exactly zero when all the
/// values are equal.
///
/// Edge cases: `n == 0` gives NaN for mean, sd and se; `n == 1` gives the value
/// as mean and NaN sd and se.
///
/// Reference: any introductory text, e.g. Armitage P, Berry G, Matthews JNS.
/// *Statistical Methods in Medical Research*, 4th ed. Blackwell, 2002.
pub fn summarise(x: &[f64]) -> Summary {
    let n = x.len();
    let mean = mean(x);
    let (sd, se) = if n < 2 {
        (f64::NAN, f64::NAN)
    } else {
        let sd = (sum_sq_dev(x, mean) / (n - 1) as f64).sqrt();
        (sd, sd / (n as f64).sqrt())
    };
    Summary { n, mean, sd, se }
}

/// Result of a comparison of two groups on a continuous outcome: an estimate of
/// "a minus b" with its standard error, a t statistic on `df` degrees of
/// freedom, the two-sided p-value for the null hypothesis of no difference,
/// and a two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// Estimated difference, group a minus group b.
    pub estimate: f64,
    /// Standard error of `estimate`.
    pub se: f64,
    /// Degrees of freedom of the reference t distribution (may be fractional).
    pub df: f64,
    /// Lower confidence limit, `estimate - t_{df, (1 + level) / 2} · se`.
    pub ci_low: f64,
    /// Upper confidence limit, `estimate + t_{df, (1 + level) / 2} · se`.
    pub ci_high: f64,
    /// Test statistic `estimate / se`.
    pub t: f64,
    /// Two-sided p-value, `2 · P(T_df ≥ |t|)`.
    pub p: f64,
}

/// Welch's unequal-variance two-sample t-test of mean(a) − mean(b), with the
/// Welch–Satterthwaite degrees of freedom; the same as R's
/// `t.test(a, b, conf.level = level)`.
///
/// Formulae, with sample variances `s²` and sizes `n`:
///
/// * `va = s_a² / n_a`, `vb = s_b² / n_b`, `se = sqrt(va + vb)`;
/// * `df = (va + vb)² / (va² / (n_a - 1) + vb² / (n_b - 1))`;
/// * `t = (mean_a - mean_b) / se`, `p = 2 · P(T_df ≥ |t|)`;
/// * CI: `mean_a - mean_b ± t_{df, (1 + level) / 2} · se`.
///
/// Returns `None` when either group has fewer than 2 values, or when both
/// sample variances are zero (the standard error is then zero and `t` is
/// undefined).
///
/// References: Welch BL. The generalization of "Student's" problem when
/// several different population variances are involved. *Biometrika*
/// 1947;34:28–35. Satterthwaite FE. An approximate distribution of estimates of
/// variance components. *Biometrics Bulletin* 1946;2:110–114.
///
/// # Panics
///
/// If `level` is not strictly between 0 and 1.
pub fn welch_t_test(a: &[f64], b: &[f64], level: f64) -> Option<Difference> {
    check_level(level);
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (ma, mb) = (mean(a), mean(b));
    let va = sum_sq_dev(a, ma) / (na - 1.0) / na;
    let vb = sum_sq_dev(b, mb) / (nb - 1.0) / nb;
    let se2 = va + vb;
    if se2 == 0.0 {
        return None;
    }
    let df = se2 * se2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
    t_based(ma - mb, se2.sqrt(), df, level)
}

/// Student's two-sample t-test assuming equal variances (pooled variance); the
/// same as R's `t.test(a, b, var.equal = TRUE, conf.level = level)`.
///
/// Formulae:
///
/// * pooled variance `s_p² = (Σ_a (x - mean_a)² + Σ_b (x - mean_b)²) / (n_a + n_b - 2)`;
/// * `se = s_p · sqrt(1 / n_a + 1 / n_b)`, `df = n_a + n_b - 2`;
/// * `t = (mean_a - mean_b) / se`, `p = 2 · P(T_df ≥ |t|)`;
/// * CI: `mean_a - mean_b ± t_{df, (1 + level) / 2} · se`.
///
/// As in R, one group may have a single observation provided the total is at
/// least 3 (so that `df ≥ 1`). Returns `None` when a group is empty, when
/// `n_a + n_b < 3`, or when the pooled variance is zero.
///
/// Reference: Student. The probable error of a mean. *Biometrika*
/// 1908;6:1–25; Armitage P, Berry G, Matthews JNS. *Statistical Methods in
/// Medical Research*, 4th ed. Blackwell, 2002.
///
/// # Panics
///
/// If `level` is not strictly between 0 and 1.
pub fn pooled_t_test(a: &[f64], b: &[f64], level: f64) -> Option<Difference> {
    check_level(level);
    if a.is_empty() || b.is_empty() || a.len() + b.len() < 3 {
        return None;
    }
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (ma, mb) = (mean(a), mean(b));
    let df = na + nb - 2.0;
    let sp2 = (sum_sq_dev(a, ma) + sum_sq_dev(b, mb)) / df;
    if sp2 == 0.0 {
        return None;
    }
    let se = (sp2 * (1.0 / na + 1.0 / nb)).sqrt();
    t_based(ma - mb, se, df, level)
}

/// Analysis of covariance (ANCOVA) for a two-arm trial with a baseline
/// measurement: ordinary least squares of the outcome on
/// `[intercept, group indicator (1 = a, 0 = b), baseline]`. The estimate is the
/// group coefficient, i.e. the difference a − b adjusted for baseline. Same as
/// R's `lm(change ~ group + baseline)` with `group` coded 1 for a and 0 for b,
/// and `confint()` at `level`.
///
/// The normal equations are not solved directly: the model is fitted in its
/// equivalent "common slope, separate intercepts" form, with the baseline
/// centred within each group, which is numerically stable. With group means
/// `ȳ_g`, `x̄_g` and pooled within-group sums of squares and products
/// `S_xx = Σ_g Σ_i (x - x̄_g)²`, `S_xy = Σ_g Σ_i (x - x̄_g)(y - ȳ_g)`:
///
/// * common slope `β = S_xy / S_xx`;
/// * estimate `(ȳ_a - ȳ_b) - β (x̄_a - x̄_b)`;
/// * residual variance `s² = Σ r² / (n - 3)` with residuals
///   `r = (y - ȳ_g) - β (x - x̄_g)` and `n = n_a + n_b`;
/// * `se = s · sqrt(1 / n_a + 1 / n_b + (x̄_a - x̄_b)² / S_xx)`, which equals
///   `s · sqrt([(XᵀX)⁻¹]_group,group)` for the full design matrix `X`;
/// * `df = n - 3`, `t = estimate / se`, `p = 2 · P(T_df ≥ |t|)`, CI
///   `estimate ± t_{df, (1 + level) / 2} · se`.
///
/// Because `change = follow-up - baseline`, using the follow-up value instead
/// of the change as the outcome gives exactly the same group estimate and
/// standard error (only the baseline coefficient shifts by 1).
///
/// Returns `None` when either group is empty, when `n - 3 < 1`, when the design
/// is singular (the baseline is constant within every group, so `S_xx = 0`),
/// or when the residual variance is zero (perfect fit; `t` is undefined).
///
/// References: Snedecor GW, Cochran WG. *Statistical Methods*, 8th ed. Iowa
/// State University Press, 1989 (analysis of covariance); Vickers AJ,
/// Altman DG. Analysing controlled trials with baseline and follow up
/// measurements. *BMJ* 2001;323:1123–1124.
///
/// # Panics
///
/// If `change_a` and `base_a` (or `change_b` and `base_b`) differ in length,
/// or if `level` is not strictly between 0 and 1.
pub fn ancova(
    change_a: &[f64],
    base_a: &[f64],
    change_b: &[f64],
    base_b: &[f64],
    level: f64,
) -> Option<Difference> {
    check_level(level);
    assert_eq!(
        change_a.len(),
        base_a.len(),
        "ancova: change_a and base_a differ in length"
    );
    assert_eq!(
        change_b.len(),
        base_b.len(),
        "ancova: change_b and base_b differ in length"
    );
    let (na, nb) = (change_a.len(), change_b.len());
    if na == 0 || nb == 0 || na + nb < 4 {
        return None;
    }
    let df = (na + nb - 3) as f64;
    let (ya, xa) = (mean(change_a), mean(base_a));
    let (yb, xb) = (mean(change_b), mean(base_b));
    let sxx = sum_sq_dev(base_a, xa) + sum_sq_dev(base_b, xb);
    if sxx == 0.0 {
        return None;
    }
    let sxy = sum_cross_dev(base_a, xa, change_a, ya) + sum_cross_dev(base_b, xb, change_b, yb);
    let slope = sxy / sxx;
    let residual_ss = |y: &[f64], ym: f64, x: &[f64], xm: f64| -> f64 {
        y.iter()
            .zip(x)
            .map(|(&yi, &xi)| {
                let r = (yi - ym) - slope * (xi - xm);
                r * r
            })
            .sum::<f64>()
    };
    let sse = residual_ss(change_a, ya, base_a, xa) + residual_ss(change_b, yb, base_b, xb);
    if sse == 0.0 {
        return None;
    }
    let s2 = sse / df;
    let dx = xa - xb;
    let se = (s2 * (1.0 / na as f64 + 1.0 / nb as f64 + dx * dx / sxx)).sqrt();
    t_based((ya - yb) - slope * dx, se, df, level)
}

/// A proportion `k / n` with a confidence interval, as returned by [`wilson`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    /// Number of events.
    pub k: usize,
    /// Number of trials.
    pub n: usize,
    /// Observed proportion `k / n`; NaN when `n == 0`.
    pub p: f64,
    /// Lower confidence limit; NaN when `n == 0`.
    pub ci_low: f64,
    /// Upper confidence limit; NaN when `n == 0`.
    pub ci_high: f64,
}

/// The proportion `k / n` with its Wilson score confidence interval (without
/// continuity correction); the same as R's
/// `prop.test(k, n, conf.level = level, correct = FALSE)$conf.int`.
///
/// Formula, with `z = Φ⁻¹((1 + level) / 2)`:
///
/// ```text
/// (k + z²/2 ± z · sqrt(k (n - k) / n + z²/4)) / (n + z²)
/// ```
///
/// The lower limit is exactly 0 when `k == 0` and the upper limit exactly 1 when
/// `k == n`; the interval never leaves [0, 1]. With `n == 0` the proportion and
/// both limits are NaN.
///
/// References: Wilson EB. Probable inference, the law of succession, and
/// statistical inference. *J Am Stat Assoc* 1927;22:209–212. Newcombe RG.
/// Two-sided confidence intervals for the single proportion: comparison of
/// seven methods. *Stat Med* 1998;17:857–872 (method 3).
///
/// # Panics
///
/// If `k > n`, or if `level` is not strictly between 0 and 1.
pub fn wilson(k: usize, n: usize, level: f64) -> Proportion {
    check_level(level);
    assert!(k <= n, "wilson: k = {k} exceeds n = {n}");
    if n == 0 {
        return Proportion {
            k,
            n,
            p: f64::NAN,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
        };
    }
    let z = z_crit(level);
    let (kf, nf) = (k as f64, n as f64);
    let z2 = z * z;
    let centre = (kf + z2 / 2.0) / (nf + z2);
    let half = z * (kf * (nf - kf) / nf + z2 / 4.0).sqrt() / (nf + z2);
    let ci_low = if k == 0 {
        0.0
    } else {
        (centre - half).clamp(0.0, 1.0)
    };
    let ci_high = if k == n {
        1.0
    } else {
        (centre + half).clamp(0.0, 1.0)
    };
    Proportion {
        k,
        n,
        p: kf / nf,
        ci_low,
        ci_high,
    }
}

/// A difference of two proportions with its confidence interval and the number
/// needed to treat, as returned by [`risk_difference`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskDifference {
    /// `p_a - p_b`; NaN if either group is empty.
    pub estimate: f64,
    /// Lower limit of Newcombe's hybrid score interval.
    pub ci_low: f64,
    /// Upper limit of Newcombe's hybrid score interval.
    pub ci_high: f64,
    /// Number needed to treat, `1 / estimate`, when `estimate > 0`; `None`
    /// otherwise (no benefit of a over b; swap the arms for the number needed
    /// to harm).
    pub nnt: Option<f64>,
    /// Confidence interval for the NNT, `(1 / ci_high, 1 / ci_low)`, only when
    /// the whole interval for the difference is above 0. `None` otherwise: when
    /// the interval for the difference includes 0, the interval for the NNT
    /// includes infinity (it runs from the NNT for benefit `1 / ci_high` up to
    /// ∞ and on to the number needed to harm `1 / |ci_low|`), which is not a
    /// finite interval and is not returned.
    pub nnt_ci: Option<(f64, f64)>,
}

/// Difference of two proportions `p_a - p_b = k_a / n_a - k_b / n_b`, with
/// Newcombe's hybrid score confidence interval, and the number needed to treat
/// (NNT) with its confidence interval.
///
/// Interval (Newcombe 1998, method 10: "square-and-add" of the two Wilson
/// score intervals `(l_a, u_a)` and `(l_b, u_b)`, see [`wilson`]), with
/// `d = p_a - p_b`:
///
/// ```text
/// lower = d - sqrt((p_a - l_a)² + (u_b - p_b)²)
/// upper = d + sqrt((u_a - p_a)² + (p_b - l_b)²)
/// ```
///
/// The limits lie in [-1, 1]. The same as R's
/// `DescTools::BinomDiffCI(k_a, n_a, k_b, n_b, method = "score")`.
///
/// NNT (Altman 1998): `1 / d` when `d > 0`, with interval
/// `(1 / upper, 1 / lower)` only when `lower > 0`. When the interval for `d`
/// includes 0 the NNT interval includes infinity and `nnt_ci` is `None`; see
/// [`RiskDifference::nnt_ci`].
///
/// If `n_a == 0` or `n_b == 0`, the estimate and limits are NaN and both NNT
/// fields are `None`.
///
/// References: Newcombe RG. Interval estimation for the difference between
/// independent proportions: comparison of eleven methods. *Stat Med*
/// 1998;17:873–890 (method 10). Altman DG. Confidence intervals for the number
/// needed to treat. *BMJ* 1998;317:1309–1312.
///
/// # Panics
///
/// If `k_a > n_a`, `k_b > n_b`, or `level` is not strictly between 0 and 1.
pub fn risk_difference(
    k_a: usize,
    n_a: usize,
    k_b: usize,
    n_b: usize,
    level: f64,
) -> RiskDifference {
    let a = wilson(k_a, n_a, level);
    let b = wilson(k_b, n_b, level);
    let estimate = a.p - b.p;
    // `clamp` (unlike `max`/`min`) keeps a NaN from an empty group.
    let ci_low = (estimate - (a.p - a.ci_low).hypot(b.ci_high - b.p)).clamp(-1.0, 1.0);
    let ci_high = (estimate + (a.ci_high - a.p).hypot(b.p - b.ci_low)).clamp(-1.0, 1.0);
    let nnt = (estimate > 0.0).then(|| 1.0 / estimate);
    let nnt_ci = (ci_low > 0.0).then(|| (1.0 / ci_high, 1.0 / ci_low));
    RiskDifference {
        estimate,
        ci_low,
        ci_high,
        nnt,
        nnt_ci,
    }
}

/// Two-sided p-value of a standard normal test statistic:
/// `2 · P(Z ≥ |z|) = 2 (1 - Φ(|z|))`, computed from the upper tail so that
/// small p-values keep their precision. NaN for a NaN `z`.
///
/// Reference: Armitage P, Berry G, Matthews JNS. *Statistical Methods in
/// Medical Research*, 4th ed. Blackwell, 2002.
pub fn two_sided_p_normal(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    (2.0 * Normal::standard().sf(z.abs())).min(1.0)
}

// ---------------------------------------------------------------------------
// Private helpers.
// ---------------------------------------------------------------------------

fn check_level(level: f64) {
    assert!(
        level > 0.0 && level < 1.0,
        "confidence level must be strictly between 0 and 1, got {level}"
    );
}

/// `Φ⁻¹((1 + level) / 2)`.
fn z_crit(level: f64) -> f64 {
    Normal::standard().inverse_cdf(0.5 + level / 2.0)
}

/// Builds a [`Difference`] from an estimate, its standard error and the degrees
/// of freedom of the reference t distribution.
fn t_based(estimate: f64, se: f64, df: f64, level: f64) -> Option<Difference> {
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let crit = dist.inverse_cdf(0.5 + level / 2.0);
    let t = estimate / se;
    let p = if t.is_nan() {
        f64::NAN
    } else {
        (2.0 * dist.sf(t.abs())).min(1.0)
    };
    Some(Difference {
        estimate,
        se,
        df,
        ci_low: estimate - crit * se,
        ci_high: estimate + crit * se,
        t,
        p,
    })
}

fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    x.iter().sum::<f64>() / x.len() as f64
}

/// `Σ (x - m)²`, exactly 0 when all values are equal (rounding in the mean
/// would otherwise leave a tiny positive sum).
fn sum_sq_dev(x: &[f64], m: f64) -> f64 {
    if x.iter().all(|&v| v == x[0]) {
        return 0.0;
    }
    x.iter().map(|&v| (v - m) * (v - m)).sum()
}

/// `Σ (x - mx)(y - my)`.
fn sum_cross_dev(x: &[f64], mx: f64, y: &[f64], my: f64) -> f64 {
    x.iter().zip(y).map(|(&a, &b)| (a - mx) * (b - my)).sum()
}

#[cfg(test)]
mod tests;
