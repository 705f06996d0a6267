use super::*;

/// Asserts `got` agrees with `want` to `digits` significant digits.
fn assert_sig(got: f64, want: f64, digits: i32, what: &str) {
    let tol = 0.5 * 10f64.powi(1 - digits) * want.abs().max(f64::MIN_POSITIVE);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} to {digits} significant digits"
    );
}

/// Asserts `|got - want| <= tol`.
fn assert_abs(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol}"
    );
}

// R's `sleep` data set (Cushny & Peebles 1905, as used by Student 1908):
// `extra` for group 1 and group 2.
const SLEEP_1: [f64; 10] = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_2: [f64; 10] = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

// ---------------------------------------------------------------- summary

#[test]
fn summarise_sleep_group_1() {
    // R: mean(g1) = 0.75, sd(g1) = 1.789010; se = sd / sqrt(10).
    let s = summarise(&SLEEP_1);
    assert_eq!(s.n, 10);
    assert_sig(s.mean, 0.75, 12, "mean");
    // var = (Σx² - n·mean²)/(n-1) = (34.43 - 5.625)/9 = 28.805/9
    assert_sig(s.sd, (28.805f64 / 9.0).sqrt(), 12, "sd");
    assert_sig(s.sd, 1.789010, 7, "sd as printed by R");
    assert_sig(s.se, (28.805f64 / 90.0).sqrt(), 12, "se");
}

#[test]
fn summarise_edge_cases() {
    let s0 = summarise(&[]);
    assert_eq!(s0.n, 0);
    assert!(s0.mean.is_nan() && s0.sd.is_nan() && s0.se.is_nan());
    let s1 = summarise(&[3.5]);
    assert_eq!(s1.n, 1);
    assert_eq!(s1.mean, 3.5);
    assert!(s1.sd.is_nan() && s1.se.is_nan());
    let c = summarise(&[0.1, 0.1, 0.1]);
    assert_eq!(c.sd, 0.0, "constant sample has exactly zero sd");
    assert_eq!(c.se, 0.0);
}

// ---------------------------------------------------------------- t-tests

#[test]
fn welch_matches_r_on_sleep() {
    // R 4.x: t.test(extra ~ group, data = sleep)
    //   t = -1.8608, df = 17.776, p-value = 0.07939
    //   95 percent confidence interval: -3.3654832  0.2054832
    //   mean in group 1 0.75, mean in group 2 2.33
    let d = welch_t_test(&SLEEP_1, &SLEEP_2, 0.95).unwrap();
    assert_sig(d.estimate, 0.75 - 2.33, 12, "estimate");
    assert_sig(d.t, -1.8608, 5, "t");
    assert_sig(d.df, 17.776, 5, "df");
    assert_sig(d.p, 0.07939, 4, "p");
    assert_sig(d.ci_low, -3.3654832, 7, "ci_low");
    assert_sig(d.ci_high, 0.2054832, 7, "ci_high");
    assert_sig(d.t, d.estimate / d.se, 12, "t = estimate / se");
}

#[test]
fn pooled_matches_r_on_sleep() {
    // R 4.x: t.test(extra ~ group, data = sleep, var.equal = TRUE)
    //   t = -1.8608, df = 18, p-value = 0.07919
    //   95 percent confidence interval: -3.363874  0.203874
    let d = pooled_t_test(&SLEEP_1, &SLEEP_2, 0.95).unwrap();
    assert_sig(d.estimate, -1.58, 12, "estimate");
    assert_sig(d.t, -1.8608, 5, "t");
    assert_eq!(d.df, 18.0);
    assert_sig(d.p, 0.07919, 4, "p");
    assert_sig(d.ci_low, -3.363874, 7, "ci_low");
    assert_sig(d.ci_high, 0.203874, 6, "ci_high");
}

#[test]
fn t_tests_are_antisymmetric_and_level_widens_ci() {
    let ab = welch_t_test(&SLEEP_1, &SLEEP_2, 0.95).unwrap();
    let ba = welch_t_test(&SLEEP_2, &SLEEP_1, 0.95).unwrap();
    assert_sig(ba.estimate, -ab.estimate, 12, "estimate");
    assert_sig(ba.ci_low, -ab.ci_high, 12, "ci");
    assert_sig(ba.p, ab.p, 12, "p");
    let wide = welch_t_test(&SLEEP_1, &SLEEP_2, 0.99).unwrap();
    assert!(wide.ci_low < ab.ci_low && wide.ci_high > ab.ci_high);
    // Duality of test and interval: the CI at level 1 - p touches 0.
    let edge = welch_t_test(&SLEEP_1, &SLEEP_2, 1.0 - ab.p).unwrap();
    assert_abs(edge.ci_high, 0.0, 1e-9, "CI at level 1 - p touches 0");
}

#[test]
fn equal_sizes_give_same_t_for_welch_and_pooled() {
    // With n_a = n_b the two standard errors coincide; only df differs.
    let w = welch_t_test(&SLEEP_1, &SLEEP_2, 0.95).unwrap();
    let p = pooled_t_test(&SLEEP_1, &SLEEP_2, 0.95).unwrap();
    assert_sig(w.se, p.se, 12, "se");
    assert!(w.df < p.df);
}

#[test]
fn t_test_edge_cases() {
    assert!(welch_t_test(&[1.0], &[1.0, 2.0, 3.0], 0.95).is_none());
    assert!(welch_t_test(&[1.0, 2.0], &[], 0.95).is_none());
    assert!(welch_t_test(&[], &[], 0.95).is_none());
    // Both variances zero: no test.
    assert!(welch_t_test(&[0.1, 0.1, 0.1], &[0.3, 0.3], 0.95).is_none());
    assert!(pooled_t_test(&[0.1, 0.1, 0.1], &[0.3, 0.3], 0.95).is_none());
    // One variance zero is fine: Welch df is then n - 1 of the other group.
    let d = welch_t_test(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0, 4.0], 0.95).unwrap();
    assert_sig(d.df, 3.0, 12, "df");
    assert_sig(d.estimate, -1.5, 12, "estimate");
    // Pooled allows a singleton group when the total is >= 3 (as R does).
    let s = pooled_t_test(&[5.0], &[1.0, 2.0, 3.0], 0.95).unwrap();
    assert_eq!(s.df, 2.0);
    assert_sig(s.estimate, 3.0, 12, "estimate");
    // sp² = 2 / 2 = 1, se = sqrt(1 + 1/3)
    assert_sig(s.se, (4.0f64 / 3.0).sqrt(), 12, "se");
    assert!(pooled_t_test(&[5.0], &[1.0], 0.95).is_none());
    assert!(pooled_t_test(&[], &[1.0, 2.0, 3.0], 0.95).is_none());
    // Identical samples: estimate 0, t 0, p 1.
    let z = welch_t_test(&SLEEP_1, &SLEEP_1, 0.95).unwrap();
    assert_eq!(z.estimate, 0.0);
    assert_eq!(z.t, 0.0);
    assert_sig(z.p, 1.0, 12, "p");
}

#[test]
#[should_panic(expected = "confidence level")]
fn bad_level_panics() {
    let _ = welch_t_test(&SLEEP_1, &SLEEP_2, 95.0);
}

// ---------------------------------------------------------------- ANCOVA

/// 3x3 inverse by the adjugate (test-only cross-check).
fn inv3(m: [[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let c = |r: usize, k: usize| {
        let (r1, r2) = ((r + 1) % 3, (r + 2) % 3);
        let (k1, k2) = ((k + 1) % 3, (k + 2) % 3);
        m[r1][k1] * m[r2][k2] - m[r1][k2] * m[r2][k1]
    };
    let det = m[0][0] * c(0, 0) + m[0][1] * c(0, 1) + m[0][2] * c(0, 2);
    let mut out = [[0.0; 3]; 3];
    for (i, row) in out.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = c(j, i) / det; // transpose of the cofactor matrix
        }
    }
    out
}

/// Direct OLS of y on [1, g, x] via the normal equations, returning
/// (coefficients, se of the group coefficient).
fn ols_direct(ya: &[f64], xa: &[f64], yb: &[f64], xb: &[f64]) -> ([f64; 3], f64) {
    let rows: Vec<([f64; 3], f64)> = xa
        .iter()
        .zip(ya)
        .map(|(&x, &y)| ([1.0, 1.0, x], y))
        .chain(xb.iter().zip(yb).map(|(&x, &y)| ([1.0, 0.0, x], y)))
        .collect();
    let mut xtx = [[0.0; 3]; 3];
    let mut xty = [0.0; 3];
    for (r, y) in &rows {
        for i in 0..3 {
            xty[i] += r[i] * y;
            for j in 0..3 {
                xtx[i][j] += r[i] * r[j];
            }
        }
    }
    let inv = inv3(xtx);
    let mut beta = [0.0; 3];
    for i in 0..3 {
        beta[i] = (0..3).map(|j| inv[i][j] * xty[j]).sum();
    }
    let sse: f64 = rows
        .iter()
        .map(|(r, y)| {
            let f: f64 = (0..3).map(|j| r[j] * beta[j]).sum();
            (y - f) * (y - f)
        })
        .sum();
    let s2 = sse / (rows.len() - 3) as f64;
    (beta, (s2 * inv[1][1]).sqrt())
}

// Noise orthogonal to the design: within each group it sums to zero and is
// orthogonal to the baseline, so OLS recovers the true coefficients exactly.
const BASE_A: [f64; 5] = [1.0, 2.0, 3.0, 4.0, 5.0];
const NOISE_A: [f64; 5] = [1.0, -2.0, 0.0, 2.0, -1.0];
const BASE_B: [f64; 6] = [2.0, 4.0, 6.0, 8.0, 10.0, 12.0];
const NOISE_B: [f64; 6] = [1.0, -1.0, -1.0, 1.0, 0.0, 0.0];

fn exact_change(base: &[f64], noise: &[f64], group: f64) -> Vec<f64> {
    base.iter()
        .zip(noise)
        .map(|(&x, &e)| 1.0 + 2.0 * group + 0.5 * x + e)
        .collect()
}

#[test]
fn ancova_recovers_known_effect_exactly() {
    let ya = exact_change(&BASE_A, &NOISE_A, 1.0);
    let yb = exact_change(&BASE_B, &NOISE_B, 0.0);
    let d = ancova(&ya, &BASE_A, &yb, &BASE_B, 0.95).unwrap();
    assert_abs(d.estimate, 2.0, 1e-12, "estimate");
    assert_eq!(d.df, 8.0);
    // Hand calculation: SSE = Σe² = 10 + 4 = 14, s² = 14/8;
    // x̄_a = 3, x̄_b = 7, S_xx = 10 + 70 = 80;
    // se² = s² (1/5 + 1/6 + 16/80).
    let se = (14.0f64 / 8.0 * (0.2 + 1.0 / 6.0 + 0.2)).sqrt();
    assert_sig(d.se, se, 12, "se by hand");
    // Cross-check against the normal equations of the full design.
    let (beta, se_direct) = ols_direct(&ya, &BASE_A, &yb, &BASE_B);
    assert_abs(beta[0], 1.0, 1e-9, "intercept");
    assert_abs(beta[1], 2.0, 1e-9, "group");
    assert_abs(beta[2], 0.5, 1e-9, "slope");
    assert_sig(d.se, se_direct, 9, "se vs matrix computation");
    // t quantile for 8 df at 0.975 is 2.306004 (R: qt(0.975, 8)).
    assert_sig((d.ci_high - d.estimate) / d.se, 2.306004, 7, "t crit");
    assert_sig(d.t, 2.0 / se, 12, "t");
}

#[test]
fn ancova_matches_matrix_computation_on_random_data() {
    let mut rng = Rng::new(7);
    let xa: Vec<f64> = (0..23).map(|_| 50.0 + 10.0 * rng.normal()).collect();
    let xb: Vec<f64> = (0..19).map(|_| 52.0 + 10.0 * rng.normal()).collect();
    let ya: Vec<f64> = xa.iter().map(|x| -3.0 - 0.3 * x + rng.normal()).collect();
    let yb: Vec<f64> = xb.iter().map(|x| 0.1 * x + 2.0 * rng.normal()).collect();
    let d = ancova(&ya, &xa, &yb, &xb, 0.9).unwrap();
    let (beta, se) = ols_direct(&ya, &xa, &yb, &xb);
    assert_sig(d.estimate, beta[1], 9, "estimate");
    assert_sig(d.se, se, 9, "se");
    assert_eq!(d.df, 39.0);
}

#[test]
fn ancova_change_and_follow_up_give_the_same_effect() {
    let mut rng = Rng::new(11);
    let xa: Vec<f64> = (0..15).map(|_| rng.normal()).collect();
    let xb: Vec<f64> = (0..17).map(|_| rng.normal()).collect();
    let fa: Vec<f64> = xa.iter().map(|x| 1.0 + 0.6 * x + rng.normal()).collect();
    let fb: Vec<f64> = xb.iter().map(|x| 0.6 * x + rng.normal()).collect();
    let ca: Vec<f64> = fa.iter().zip(&xa).map(|(f, x)| f - x).collect();
    let cb: Vec<f64> = fb.iter().zip(&xb).map(|(f, x)| f - x).collect();
    let on_change = ancova(&ca, &xa, &cb, &xb, 0.95).unwrap();
    let on_follow = ancova(&fa, &xa, &fb, &xb, 0.95).unwrap();
    assert_sig(on_change.estimate, on_follow.estimate, 10, "estimate");
    assert_sig(on_change.se, on_follow.se, 10, "se");
}

#[test]
fn ancova_with_balanced_baseline_equals_raw_difference() {
    // Equal baseline means: the adjustment β (x̄_a - x̄_b) vanishes, so the
    // estimate is the unadjusted difference in means.
    let xa = [1.0, 2.0, 3.0, 4.0];
    let xb = [0.0, 2.5, 2.5, 5.0];
    let ya = [3.0, 1.0, 4.0, 1.5];
    let yb = [5.0, 9.0, 2.0, 6.0];
    let d = ancova(&ya, &xa, &yb, &xb, 0.95).unwrap();
    let raw = pooled_t_test(&ya, &yb, 0.95).unwrap();
    assert_sig(d.estimate, raw.estimate, 12, "estimate");
}

#[test]
fn ancova_close_to_t_test_when_baseline_unrelated() {
    let mut rng = Rng::new(2024);
    let xa: Vec<f64> = (0..200).map(|_| rng.normal()).collect();
    let xb: Vec<f64> = (0..200).map(|_| rng.normal()).collect();
    let ya: Vec<f64> = (0..200).map(|_| 0.5 + rng.normal()).collect();
    let yb: Vec<f64> = (0..200).map(|_| rng.normal()).collect();
    let adj = ancova(&ya, &xa, &yb, &xb, 0.95).unwrap();
    let raw = pooled_t_test(&ya, &yb, 0.95).unwrap();
    assert!(
        (adj.estimate - raw.estimate).abs() < 0.25 * raw.se,
        "ancova {} vs t-test {} (se {})",
        adj.estimate,
        raw.estimate,
        raw.se
    );
    assert!(
        (adj.se / raw.se - 1.0).abs() < 0.05,
        "{} vs {}",
        adj.se,
        raw.se
    );
}

#[test]
fn ancova_edge_cases() {
    // df = n - 3 < 1.
    assert!(ancova(&[1.0, 2.0], &[1.0, 3.0], &[1.0], &[2.0], 0.95).is_none());
    // Empty group.
    assert!(ancova(&[], &[], &[1.0, 2.0, 4.0], &[1.0, 2.0, 3.0], 0.95).is_none());
    // Baseline constant within each group: singular design.
    assert!(ancova(&[1.0, 2.0, 3.0], &[5.0; 3], &[1.0, 5.0], &[7.0; 2], 0.95).is_none());
    // Perfect fit: zero residual variance.
    assert!(ancova(&[1.0, 2.0], &[1.0, 2.0], &[0.0, 1.0], &[1.0, 2.0], 0.95).is_none());
    // Smallest valid case: n = 4, df = 1.
    let d = ancova(&[1.0, 2.5], &[1.0, 2.0], &[0.0, 1.0], &[1.0, 2.0], 0.95).unwrap();
    assert_eq!(d.df, 1.0);
    assert!(d.se > 0.0 && d.p > 0.0 && d.p <= 1.0);
}

#[test]
#[should_panic(expected = "differ in length")]
fn ancova_length_mismatch_panics() {
    let _ = ancova(&[1.0, 2.0], &[1.0], &[1.0, 2.0], &[1.0, 2.0], 0.95);
}

// ---------------------------------------------------------------- Wilson

#[test]
fn wilson_matches_newcombe_1998a() {
    // Newcombe RG, Stat Med 1998;17:857-872, examples for method 3
    // (score interval without continuity correction), 95%:
    //   81/263 -> 0.2553, 0.3662     15/148 -> 0.0624, 0.1605
    //   0/20   -> 0.0000, 0.1611     1/29   -> 0.0061, 0.1718
    for &(k, n, lo, hi) in &[
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ] {
        let w = wilson(k, n, 0.95);
        assert_abs(w.ci_low, lo, 5e-5, &format!("{k}/{n} low"));
        assert_abs(w.ci_high, hi, 5e-5, &format!("{k}/{n} high"));
        assert_eq!(w.p, k as f64 / n as f64);
    }
}

#[test]
fn wilson_boundary_counts_have_closed_forms() {
    // k = 0: upper = z² / (n + z²); k = n: lower = n / (n + z²).
    let z = 1.959963984540054_f64; // qnorm(0.975)
    for n in [1usize, 10, 29, 500] {
        let nf = n as f64;
        let w0 = wilson(0, n, 0.95);
        assert_eq!(w0.ci_low, 0.0);
        assert_sig(w0.ci_high, z * z / (nf + z * z), 12, "0/n upper");
        let wn = wilson(n, n, 0.95);
        assert_eq!(wn.ci_high, 1.0);
        assert_sig(wn.ci_low, nf / (nf + z * z), 12, "n/n lower");
    }
    // 0/10: (0, 0.2775), the Wilson limit used in Newcombe 1998b rows (e), (f).
    assert_abs(wilson(0, 10, 0.95).ci_high, 0.2775, 5e-5, "0/10");
}

#[test]
fn wilson_matches_closed_formula_at_90_percent() {
    // A non-default level: the closed formula with z = qnorm(0.95) =
    // 1.644853626951472 (the interval R's prop.test(7, 20, correct = FALSE,
    // conf.level = 0.9) reports).
    let z = 1.644853626951472_f64;
    let (k, n) = (7.0, 20.0);
    let c = (k + z * z / 2.0) / (n + z * z);
    let h = z * (k * (n - k) / n + z * z / 4.0).sqrt() / (n + z * z);
    let w = wilson(7, 20, 0.9);
    assert_sig(w.ci_low, c - h, 12, "low");
    assert_sig(w.ci_high, c + h, 12, "high");
    // Symmetry: the interval for n - k is the mirror image.
    let m = wilson(13, 20, 0.9);
    assert_sig(m.ci_low, 1.0 - w.ci_high, 12, "mirror low");
    assert_sig(m.ci_high, 1.0 - w.ci_low, 12, "mirror high");
}

#[test]
fn wilson_empty_is_nan() {
    let w = wilson(0, 0, 0.95);
    assert_eq!((w.k, w.n), (0, 0));
    assert!(w.p.is_nan() && w.ci_low.is_nan() && w.ci_high.is_nan());
}

#[test]
#[should_panic(expected = "exceeds")]
fn wilson_k_above_n_panics() {
    let _ = wilson(3, 2, 0.95);
}

// ---------------------------------------------------------------- Newcombe

#[test]
fn risk_difference_matches_newcombe_1998b_method_10() {
    // Newcombe RG, Stat Med 1998;17:873-890, Table II, method 10
    // (score interval without continuity correction), 95%:
    //   (a) 56/70 - 48/80 -> 0.0524, 0.3339
    //   (b) 9/10 - 3/10   -> 0.1705, 0.8090
    //   (c) 6/7 - 2/7     -> 0.0582, 0.8062
    //   (d) 5/56 - 0/29   -> -0.0381, 0.1926
    //   (e) 0/10 - 0/20   -> -0.1611, 0.2775
    //   (f) 0/10 - 0/10   -> -0.2775, 0.2775
    //   (g) 10/10 - 0/20  -> 0.6791, 1.0000
    //   (h) 10/10 - 0/10  -> 0.6075, 1.0000
    let table = [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0),
        (10, 10, 0, 10, 0.6075, 1.0),
    ];
    for &(ka, na, kb, nb, lo, hi) in &table {
        let r = risk_difference(ka, na, kb, nb, 0.95);
        let what = format!("{ka}/{na} - {kb}/{nb}");
        assert_sig(
            r.estimate,
            ka as f64 / na as f64 - kb as f64 / nb as f64,
            12,
            &what,
        );
        assert_abs(r.ci_low, lo, 5e-5, &format!("{what} low"));
        assert_abs(r.ci_high, hi, 5e-5, &format!("{what} high"));
    }
}

#[test]
fn risk_difference_is_antisymmetric() {
    let ab = risk_difference(56, 70, 48, 80, 0.95);
    let ba = risk_difference(48, 80, 56, 70, 0.95);
    assert_sig(ba.estimate, -ab.estimate, 12, "estimate");
    assert_sig(ba.ci_low, -ab.ci_high, 12, "low");
    assert_sig(ba.ci_high, -ab.ci_low, 12, "high");
}

#[test]
fn nnt_and_its_interval() {
    // (a) 56/70 - 48/80: d = 0.2, CI (0.0524, 0.3339) excludes 0, so
    // NNT = 5 with CI (1/0.3339, 1/0.0524) = (2.99, 19.08).
    let r = risk_difference(56, 70, 48, 80, 0.95);
    assert_sig(r.nnt.unwrap(), 5.0, 12, "nnt");
    let (lo, hi) = r.nnt_ci.unwrap();
    assert_sig(lo, 1.0 / r.ci_high, 12, "nnt lo");
    assert_sig(hi, 1.0 / r.ci_low, 12, "nnt hi");
    assert_abs(lo, 2.995, 0.01, "nnt lo value");
    assert_abs(hi, 19.08, 0.05, "nnt hi value");
    // (d) 5/56 - 0/29: benefit, but the CI includes 0, so the NNT interval
    // includes infinity and is not given.
    let d = risk_difference(5, 56, 0, 29, 0.95);
    assert_sig(d.nnt.unwrap(), 56.0 / 5.0, 12, "nnt");
    assert!(d.nnt_ci.is_none());
    // Harm (a worse than b): no NNT.
    let h = risk_difference(48, 80, 56, 70, 0.95);
    assert!(h.nnt.is_none() && h.nnt_ci.is_none());
    // No difference: no NNT.
    let z = risk_difference(3, 10, 3, 10, 0.95);
    assert_eq!(z.estimate, 0.0);
    assert!(z.nnt.is_none() && z.nnt_ci.is_none());
    // Certain benefit: NNT 1, CI upper limit 1 gives NNT lower limit 1.
    let c = risk_difference(10, 10, 0, 20, 0.95);
    assert_eq!(c.nnt, Some(1.0));
    let (lo, hi) = c.nnt_ci.unwrap();
    assert_eq!(lo, 1.0);
    assert_abs(hi, 1.0 / 0.6791, 1e-3, "nnt hi");
}

#[test]
fn risk_difference_edge_cases() {
    let e = risk_difference(0, 0, 3, 10, 0.95);
    assert!(e.estimate.is_nan() && e.ci_low.is_nan() && e.ci_high.is_nan());
    assert!(e.nnt.is_none() && e.nnt_ci.is_none());
    // All events in both arms.
    let all = risk_difference(10, 10, 20, 20, 0.95);
    assert_eq!(all.estimate, 0.0);
    assert!(all.ci_low < 0.0 && all.ci_high > 0.0);
    assert!(all.ci_low >= -1.0 && all.ci_high <= 1.0);
}

// ---------------------------------------------------------------- normal p

#[test]
fn two_sided_p_normal_known_values() {
    // R: 2 * pnorm(-1.959963984540054) = 0.05; 2 * pnorm(-1) = 0.3173105;
    //    2 * pnorm(-5) = 5.733031e-07.
    assert_sig(two_sided_p_normal(1.959963984540054), 0.05, 10, "1.96");
    assert_sig(two_sided_p_normal(-1.0), 0.31731050786291415, 10, "1");
    assert_sig(two_sided_p_normal(5.0), 5.733031437583878e-07, 8, "5");
    assert_eq!(two_sided_p_normal(0.0), 1.0);
    assert_eq!(two_sided_p_normal(f64::INFINITY), 0.0);
    assert!(two_sided_p_normal(f64::NAN).is_nan());
}

// ---------------------------------------------------------------- simulation

/// xorshift64* generator with Box-Muller normals (tests only).
struct Rng {
    state: u64,
    spare: Option<f64>,
}

impl Rng {
    fn new(seed: u64) -> Self {
        // Avoid the all-zero state; mix the seed a little.
        let state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        Rng { state, spare: None }
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform on (0, 1), never exactly 0.
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let r = (-2.0 * self.uniform().ln()).sqrt();
        let theta = 2.0 * std::f64::consts::PI * self.uniform();
        self.spare = Some(r * theta.sin());
        r * theta.cos()
    }

    fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }
}

const REPS: usize = 2000;

fn assert_calibrated(rejections: usize, covered: usize, what: &str) {
    let reject = rejections as f64 / REPS as f64;
    let cover = covered as f64 / REPS as f64;
    eprintln!("{what}: share of p < 0.05 {reject}, coverage {cover}");
    assert!(
        (0.035..=0.065).contains(&reject),
        "{what}: share of p < 0.05 is {reject}"
    );
    assert!(
        (0.935..=0.965).contains(&cover),
        "{what}: 95% CI coverage is {cover}"
    );
}

#[test]
fn t_tests_are_calibrated_under_the_null() {
    let mut rng = Rng::new(20240601);
    let (mut rej_w, mut cov_w, mut rej_p, mut cov_p) = (0, 0, 0, 0);
    for _ in 0..REPS {
        let a: Vec<f64> = (0..30).map(|_| 10.0 + 2.0 * rng.normal()).collect();
        let b: Vec<f64> = (0..30).map(|_| 10.0 + 2.0 * rng.normal()).collect();
        let w = welch_t_test(&a, &b, 0.95).unwrap();
        rej_w += usize::from(w.p < 0.05);
        cov_w += usize::from(w.ci_low <= 0.0 && 0.0 <= w.ci_high);
        // p < 0.05 exactly when the 95% CI excludes 0.
        assert_eq!(w.p < 0.05, !(w.ci_low <= 0.0 && 0.0 <= w.ci_high));
        let p = pooled_t_test(&a, &b, 0.95).unwrap();
        rej_p += usize::from(p.p < 0.05);
        cov_p += usize::from(p.ci_low <= 0.0 && 0.0 <= p.ci_high);
    }
    assert_calibrated(rej_w, cov_w, "welch");
    assert_calibrated(rej_p, cov_p, "pooled");
}

#[test]
fn welch_covers_a_true_difference_with_unequal_variances() {
    // a ~ N(1, 3²), n = 15; b ~ N(0, 1), n = 45: the setting where the
    // pooled test is miscalibrated and Welch's is not.
    let mut rng = Rng::new(99);
    let mut covered = 0;
    for _ in 0..REPS {
        let a: Vec<f64> = (0..15).map(|_| 1.0 + 3.0 * rng.normal()).collect();
        let b: Vec<f64> = (0..45).map(|_| rng.normal()).collect();
        let w = welch_t_test(&a, &b, 0.95).unwrap();
        covered += usize::from(w.ci_low <= 1.0 && 1.0 <= w.ci_high);
    }
    let cover = covered as f64 / REPS as f64;
    eprintln!("welch, unequal variances: coverage {cover}");
    assert!((0.935..=0.965).contains(&cover), "coverage {cover}");
}

#[test]
fn ancova_is_calibrated_under_the_null() {
    let mut rng = Rng::new(31337);
    let (mut rej, mut cov) = (0, 0);
    for _ in 0..REPS {
        let xa: Vec<f64> = (0..30).map(|_| 50.0 + 10.0 * rng.normal()).collect();
        let xb: Vec<f64> = (0..30).map(|_| 50.0 + 10.0 * rng.normal()).collect();
        // change = -0.4 (baseline - 50) + noise, no treatment effect.
        let ya: Vec<f64> = xa
            .iter()
            .map(|x| -0.4 * (x - 50.0) + 5.0 * rng.normal())
            .collect();
        let yb: Vec<f64> = xb
            .iter()
            .map(|x| -0.4 * (x - 50.0) + 5.0 * rng.normal())
            .collect();
        let d = ancova(&ya, &xa, &yb, &xb, 0.95).unwrap();
        rej += usize::from(d.p < 0.05);
        cov += usize::from(d.ci_low <= 0.0 && 0.0 <= d.ci_high);
    }
    assert_calibrated(rej, cov, "ancova");
}

#[test]
fn newcombe_interval_has_close_to_nominal_coverage() {
    // Newcombe (1998b) reports mean coverage close to 0.95 for method 10.
    let mut rng = Rng::new(4242);
    let (pa, pb, n) = (0.35, 0.2, 80);
    let mut covered = 0;
    for _ in 0..REPS {
        let ka = (0..n).filter(|_| rng.bernoulli(pa)).count();
        let kb = (0..n).filter(|_| rng.bernoulli(pb)).count();
        let r = risk_difference(ka, n, kb, n, 0.95);
        covered += usize::from(r.ci_low <= pa - pb && pa - pb <= r.ci_high);
    }
    let cover = covered as f64 / REPS as f64;
    eprintln!("newcombe: coverage {cover}");
    assert!((0.93..=0.97).contains(&cover), "coverage {cover}");
}
