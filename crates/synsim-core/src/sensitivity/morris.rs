//! Morris elementary-effects screening (Morris 1991, Technometrics 33:161) with the
//! `μ*` measure of Campolongo, Cariboni & Saltelli (2007, Environ Model Softw 22:1509).
//!
//! The method and its equations are documented on the public function.

use super::error::{bad_option, check_bootstrap, check_factors};
use super::eval::{evaluate, Progress};
use super::stats::{bootstrap_intervals, mean, sample_sd, Interval};
use super::stream::{below, stream, Purpose};
use super::{Factor, SensitivityError};

/// Settings of a Morris screening.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisOptions {
    /// Number of trajectories `r` (at least 2, for `σ`); 10 to 50 is usual. Default 20.
    pub trajectories: usize,
    /// Number of grid levels `p` (even, at least 2). Default 4, so `Δ = 2/3`.
    pub levels: usize,
    /// Bootstrap replicates for the interval of `μ*`. Default 1000 (they are cheap).
    pub bootstrap: usize,
    /// Confidence level of the interval, in (0, 1). Default 0.95.
    pub confidence: f64,
    /// Seed of the design and of the bootstrap.
    pub seed: u64,
}

impl Default for MorrisOptions {
    fn default() -> Self {
        MorrisOptions {
            trajectories: 20,
            levels: 4,
            bootstrap: 1000,
            confidence: 0.95,
            seed: 0,
        }
    }
}

/// Morris measures of one factor.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisIndices {
    /// The factor's name.
    pub name: String,
    /// `μ = mean(EE)`.
    pub mu: f64,
    /// `μ* = mean(|EE|)`.
    pub mu_star: f64,
    /// `σ = sd(EE)` (denominator `r - 1`).
    pub sigma: f64,
    /// Bootstrap percentile interval of `μ*` (trajectories resampled).
    pub mu_star_ci: Interval,
    /// The `r` elementary effects, in trajectory order.
    pub effects: Vec<f64>,
}

/// Result of [`morris`].
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisResult {
    /// One entry per factor, in input order.
    pub factors: Vec<MorrisIndices>,
    /// The step `Δ` in unit coordinates.
    pub delta: f64,
    /// Number of grid levels `p`.
    pub levels: usize,
    /// Number of trajectories `r`.
    pub trajectories: usize,
    /// Model runs used: `r (k + 1)`.
    pub runs: usize,
    /// Confidence level of the intervals.
    pub confidence: f64,
}

/// Morris screening of `f` over `factors`: elementary effects and their `μ*`, `σ`, `μ`.
///
/// # Design
///
/// Each input's unit coordinate takes one of `p` levels `0, 1/(p-1), ..., 1`, and the
/// step is `Δ = p / (2 (p - 1))` (2/3 for the default `p = 4`). A trajectory starts at a
/// random grid point, then changes one factor at a time, in a random order, by `+Δ` or
/// `-Δ`: `k + 1` points that give one elementary effect per factor. With this `Δ` the
/// start level of each factor is drawn from the lower `p / 2` levels and the step pairs
/// level `l` with level `l + p/2`, so every level is visited equally often (Morris 1991).
///
/// # Elementary effects, in unit-hypercube scaling
///
/// `EE_i = [f(u + Δ e_i) - f(u)] / Δ`, with `u` in unit coordinates: the change of the
/// output when factor `i` moves by the fraction `Δ` of its range, divided by that
/// fraction. For `y = a x_i` with `x_i` uniform on `[lo, hi]`, `EE_i = a (hi - lo)`;
/// for a log-scale factor the step is a fraction of `ln hi - ln lo`. The scaling makes
/// factors with different units comparable, and `μ*` has the units of the output.
///
/// # Measures, over the `r` trajectories
///
/// - `μ_i = mean(EE_i)`: signed; effects of opposite sign cancel.
/// - `μ*_i = mean(|EE_i|)` (Campolongo 2007): overall importance, the measure to rank
///   by; a proxy of the total Sobol' index `ST_i`, not an estimate of it (the two can
///   rank close factors differently).
/// - `σ_i = sd(EE_i)` with the `r - 1` denominator: spread of the effect over the
///   input space, non-zero when the effect is nonlinear or interacts with others.
///   `σ_i = 0` means the same effect at every grid step: linear and additive as far
///   as the grid can tell.
/// - A percentile bootstrap interval of `μ*_i`, resampling whole trajectories.
///
/// # Runs
///
/// Design row `t (k + 1) + j` is point `j` of trajectory `t`; a model error is reported
/// for the lowest failing row. The same seed gives the same result, bit for bit, on
/// any number of threads. Cost: [`morris_runs`](super::morris_runs)`(k, r)` runs.
pub fn morris<F, E>(
    factors: &[Factor],
    opts: &MorrisOptions,
    f: F,
) -> Result<MorrisResult, SensitivityError<E>>
where
    F: Fn(&[f64]) -> Result<f64, E> + Sync,
    E: Send,
{
    morris_with_progress(factors, opts, f, None)
}

/// [`morris`] with a progress hook called once per model run (see [`Progress`]).
pub fn morris_with_progress<F, E>(
    factors: &[Factor],
    opts: &MorrisOptions,
    f: F,
    progress: Option<Progress<'_>>,
) -> Result<MorrisResult, SensitivityError<E>>
where
    F: Fn(&[f64]) -> Result<f64, E> + Sync,
    E: Send,
{
    let runs = check(factors, opts)?;
    let k = factors.len();
    let design = design(k, opts);
    let ys = evaluate(
        factors,
        runs,
        |row, u| design.unit_row(row, u),
        &f,
        progress,
    )?;
    let effects = design.effects(&ys);
    let cis = bootstrap_intervals(
        opts.bootstrap,
        opts.trajectories,
        opts.seed,
        Purpose::MorrisBootstrap,
        opts.confidence,
        |picked| effects.iter().map(|e| mean_abs(e, picked)).collect(),
    );
    let factors = factors
        .iter()
        .zip(effects)
        .zip(cis)
        .map(|((fac, ee), ci)| measures(&fac.name, ee, ci))
        .collect();
    Ok(MorrisResult {
        factors,
        delta: design.delta,
        levels: opts.levels,
        trajectories: opts.trajectories,
        runs,
        confidence: opts.confidence,
    })
}

/// Validates the inputs and returns the number of model runs.
fn check<E>(factors: &[Factor], opts: &MorrisOptions) -> Result<usize, SensitivityError<E>> {
    check_factors(factors)?;
    check_bootstrap(opts.bootstrap, opts.confidence)?;
    if opts.trajectories < 2 {
        return Err(bad_option(
            "trajectories",
            "need at least 2 (σ needs two effects)",
        ));
    }
    if opts.levels < 2 || opts.levels % 2 == 1 {
        return Err(bad_option(
            "levels",
            format!("must be even and at least 2, got {}", opts.levels),
        ));
    }
    opts.trajectories
        .checked_mul(factors.len() + 1)
        .ok_or_else(|| bad_option("trajectories", "too many model runs"))
}

/// μ, μ*, σ of one factor's effects.
fn measures(name: &str, effects: Vec<f64>, mu_star_ci: Interval) -> MorrisIndices {
    let abs: Vec<f64> = effects.iter().map(|e| e.abs()).collect();
    MorrisIndices {
        name: name.to_string(),
        mu: mean(&effects),
        mu_star: mean(&abs),
        sigma: sample_sd(&effects),
        mu_star_ci,
        effects,
    }
}

/// `mean(|EE_t|)` over the picked trajectories `t`.
fn mean_abs(effects: &[f64], picked: &[usize]) -> f64 {
    picked.iter().map(|&t| effects[t].abs()).sum::<f64>() / picked.len() as f64
}

/// One trajectory as grid-level numbers: factor `i` sits at `start[i]` until its turn
/// (`rank[i]`), then at `start[i] ± p/2`.
#[derive(Debug, Clone, PartialEq)]
struct Trajectory {
    start: Vec<usize>,
    end: Vec<usize>,
    /// `order[j]` is the factor changed by step `j`; `rank` is its inverse.
    order: Vec<usize>,
    rank: Vec<usize>,
}

/// The whole Morris design, fixed before any model run.
#[derive(Debug, Clone, PartialEq)]
struct Design {
    trajectories: Vec<Trajectory>,
    levels: usize,
    delta: f64,
}

/// Draws every trajectory; trajectory `t` uses only stream `(seed, t)`.
fn design(k: usize, opts: &MorrisOptions) -> Design {
    let half = opts.levels / 2;
    let trajectories = (0..opts.trajectories)
        .map(|t| {
            trajectory(
                k,
                half,
                &mut stream(opts.seed, t as u64, Purpose::MorrisDesign),
            )
        })
        .collect();
    Design {
        trajectories,
        levels: opts.levels,
        delta: half as f64 / (opts.levels - 1) as f64,
    }
}

/// A random trajectory on a grid of `2 half` levels.
fn trajectory(k: usize, half: usize, rng: &mut rand_pcg::Pcg64Mcg) -> Trajectory {
    let mut start = Vec::with_capacity(k);
    let mut end = Vec::with_capacity(k);
    for _ in 0..k {
        let low = below(rng, half);
        // Moving up from `low` or down from `low + half` is equally likely.
        if below(rng, 2) == 0 {
            start.push(low);
            end.push(low + half);
        } else {
            start.push(low + half);
            end.push(low);
        }
    }
    let mut order: Vec<usize> = (0..k).collect();
    for i in (1..k).rev() {
        order.swap(i, below(rng, i + 1)); // Fisher-Yates
    }
    let mut rank = vec![0; k];
    for (j, &i) in order.iter().enumerate() {
        rank[i] = j;
    }
    Trajectory {
        start,
        end,
        order,
        rank,
    }
}

impl Design {
    /// Number of points per trajectory (`k + 1`).
    fn points(&self) -> usize {
        self.trajectories[0].start.len() + 1
    }

    /// Unit coordinates of design row `row` (point `row % (k+1)` of trajectory
    /// `row / (k+1)`).
    fn unit_row(&self, row: usize, u: &mut [f64]) {
        let tr = &self.trajectories[row / self.points()];
        let j = row % self.points();
        let top = (self.levels - 1) as f64;
        for (i, ui) in u.iter_mut().enumerate() {
            let level = if tr.rank[i] < j {
                tr.end[i]
            } else {
                tr.start[i]
            };
            *ui = level as f64 / top;
        }
    }

    /// Elementary effects `[factor][trajectory]` from the outputs in row order.
    fn effects(&self, ys: &[f64]) -> Vec<Vec<f64>> {
        let k = self.points() - 1;
        let mut effects = vec![Vec::with_capacity(self.trajectories.len()); k];
        for (tr, y) in self.trajectories.iter().zip(ys.chunks_exact(k + 1)) {
            for (j, &i) in tr.order.iter().enumerate() {
                let step = if tr.end[i] > tr.start[i] {
                    self.delta
                } else {
                    -self.delta
                };
                effects[i].push((y[j + 1] - y[j]) / step);
            }
        }
        effects
    }
}

#[cfg(test)]
mod tests {
    use super::super::morris_runs;
    use super::super::test_models::{ishigami, ishigami_factors, pools_agree};
    use super::*;
    use std::convert::Infallible;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    fn opts(r: usize, seed: u64) -> MorrisOptions {
        MorrisOptions {
            trajectories: r,
            seed,
            ..MorrisOptions::default()
        }
    }

    /// x0 linear (slope 3), x1 unused, x2 * x3 interacting.
    fn screening_model(x: &[f64]) -> Result<f64, Infallible> {
        Ok(3.0 * x[0] + x[2] * x[3])
    }

    fn screening_factors() -> Vec<Factor> {
        vec![
            Factor::linear("linear", -1.0, 2.0),
            Factor::linear("unused", 5.0, 6.0),
            Factor::linear("interacting", 0.0, 1.0),
            Factor::linear("partner", 1.0, 4.0),
        ]
    }

    #[test]
    fn trajectories_step_each_factor_once_by_delta() {
        let d = design(5, &opts(30, 9));
        let mut u0 = vec![0.0; 5];
        let mut u1 = u0.clone();
        for row in 0..30 * 6 {
            d.unit_row(row, &mut u1);
            assert!(u1.iter().all(|u| (0.0..=1.0).contains(u)));
            if row % 6 > 0 {
                let moved: Vec<f64> = u0
                    .iter()
                    .zip(&u1)
                    .map(|(a, b)| b - a)
                    .filter(|s| *s != 0.0)
                    .collect();
                assert_eq!(moved.len(), 1);
                assert!((moved[0].abs() - 2.0 / 3.0).abs() < 1e-15);
            }
            u0.copy_from_slice(&u1);
        }
    }

    #[test]
    fn screening_model_gives_the_known_measures() {
        let res = morris(&screening_factors(), &opts(40, 3), screening_model).unwrap();
        let [lin, unused, inter, partner] = &res.factors[..] else {
            panic!()
        };
        // Linear: every EE = a (hi - lo) = 3 * 3, so σ = 0 (up to rounding).
        assert!(lin.effects.iter().all(|e| (e - 9.0).abs() < 1e-12));
        assert!((lin.mu_star - 9.0).abs() < 1e-12 && (lin.mu - 9.0).abs() < 1e-12);
        assert!(lin.sigma < 1e-12);
        // Unused: the output does not change at all, so everything is exactly 0.
        assert!(unused.effects.iter().all(|&e| e == 0.0));
        assert_eq!((unused.mu_star, unused.sigma), (0.0, 0.0));
        assert_eq!((unused.mu_star_ci.lo, unused.mu_star_ci.hi), (0.0, 0.0));
        // Interacting: EE = x3 (hi - lo of x2 is 1), x3 on the grid {1, 2, 3, 4}.
        for e in &inter.effects {
            assert!(
                [1.0, 2.0, 3.0, 4.0].iter().any(|g| (e - g).abs() < 1e-12),
                "{e}"
            );
        }
        assert!(inter.sigma > 0.5 && partner.sigma > 0.1);
        assert!(inter.mu_star_ci.contains(inter.mu_star));
        assert_eq!(res.runs, morris_runs(4, 40));
    }

    #[test]
    fn ishigami_effects_take_their_grid_values() {
        // On the p = 4 grid x in {-π, -π/3, π/3, π} and Δ = 2/3, every step pairs
        // -π with π/3 or -π/3 with π. Hence, exactly:
        //   |EE_2| = 7 (3/4) / Δ = 7.875 for every step, with either sign (μ_2 ≈ 0);
        //   EE_1 = (√3/2)(1 + 0.1 x_3^4) / Δ > 0, x_3^4 in {π^4, (π/3)^4};
        //   |EE_3| = 0.1 |sin x_1| (π^4 - (π/3)^4) / Δ, |sin x_1| in {0, √3/2}.
        // So E μ*_1 = 7.704, μ*_2 = 7.875, E μ*_3 = 6.249 for p = 4: the Morris ranking
        // (x2 > x1 > x3) differs from the total-index ranking (x1 > x2 > x3), and the
        // x1/x3 order can flip for small r. Only the identities are guaranteed.
        let r = 2000;
        let res = morris(&ishigami_factors(), &opts(r, 5), ishigami).unwrap();
        let pi = std::f64::consts::PI;
        let c = 3f64.sqrt() / 2.0 * 1.5;
        let ee1 = [
            c * (1.0 + 0.1 * pi.powi(4)),
            c * (1.0 + 0.1 * (pi / 3.0).powi(4)),
        ];
        let ee3 = 0.1 * 3f64.sqrt() / 2.0 * (pi.powi(4) - (pi / 3.0).powi(4)) * 1.5;
        let near = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
        let [m1, m2, m3] = &res.factors[..] else {
            panic!()
        };
        assert!(m1.effects.iter().all(|&e| ee1.iter().any(|&g| near(e, g))));
        assert!(m2.effects.iter().all(|&e| near(e.abs(), 7.875)));
        assert!(m3
            .effects
            .iter()
            .all(|&e| near(e.abs(), ee3) || near(e, 0.0)));
        assert!(near(m2.mu_star, 7.875) && m2.mu_star_ci.width() < 1e-9);
        // EE_1 is always positive, so μ_1 = μ*_1.
        assert!(near(m1.mu, m1.mu_star));
        // The other means are binomial averages of two values: expectation ± 5 sd.
        let sd = |spread: f64| spread / 2.0 / (r as f64).sqrt();
        assert!((m1.mu_star - (ee1[0] + ee1[1]) / 2.0).abs() < 5.0 * sd(ee1[0] - ee1[1]));
        assert!((m3.mu_star - ee3 / 2.0).abs() < 5.0 * sd(ee3));
        assert!(m2.mu.abs() < 5.0 * 7.875 / (r as f64).sqrt());
        assert!(m3.mu.abs() < 5.0 * ee3 / (r as f64).sqrt());
        // σ > 0 for all three: x2 by its sign changes, x1 and x3 by their interaction.
        assert!(m1.sigma > 1.0 && m2.sigma > 1.0 && m3.sigma > 1.0);
        for m in [m1, m2, m3] {
            assert!(m.mu_star_ci.contains(m.mu_star));
        }
    }

    #[test]
    fn bit_identical_for_any_thread_count() {
        let run = || morris(&ishigami_factors(), &opts(50, 11), ishigami).unwrap();
        let (a, b) = pools_agree(run);
        assert_eq!(a, b);
        let bits = |r: &MorrisResult| -> Vec<u64> {
            r.factors
                .iter()
                .flat_map(|m| m.effects.iter().chain([&m.mu_star_ci.lo, &m.sigma]))
                .map(|x| x.to_bits())
                .collect()
        };
        assert_eq!(bits(&a), bits(&b));
    }

    #[test]
    fn seed_fixes_the_design() {
        let o = opts(10, 1);
        assert_eq!(design(6, &o), design(6, &o));
        assert_ne!(design(6, &o), design(6, &opts(10, 2)));
        let a = morris(&ishigami_factors(), &o, ishigami).unwrap();
        assert_eq!(a, morris(&ishigami_factors(), &o, ishigami).unwrap());
        assert_ne!(
            a,
            morris(&ishigami_factors(), &opts(10, 2), ishigami).unwrap()
        );
    }

    #[test]
    fn one_factor_and_two_levels_work() {
        let o = MorrisOptions {
            levels: 2,
            ..opts(5, 0)
        };
        let res = morris(&[Factor::log("k", 0.1, 10.0)], &o, |x| {
            Ok::<_, Infallible>(x[0].ln())
        })
        .unwrap();
        // ln x is linear in the log-scale unit coordinate: EE = ln(hi/lo) = ln 100.
        assert_eq!(res.delta, 1.0);
        assert!((res.factors[0].mu_star - 100f64.ln()).abs() < 1e-12);
        assert!(res.factors[0].sigma < 1e-12);
    }

    #[test]
    fn run_count_and_progress_match_the_cost_helper() {
        let calls = AtomicUsize::new(0);
        let seen = Mutex::new(Vec::new());
        let hook = |done: usize, total: usize| seen.lock().unwrap().push((done, total));
        let model = |x: &[f64]| {
            calls.fetch_add(1, Ordering::Relaxed);
            screening_model(x)
        };
        morris_with_progress(&screening_factors(), &opts(7, 0), model, Some(&hook)).unwrap();
        let total = morris_runs(4, 7);
        assert_eq!(calls.load(Ordering::Relaxed), total);
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, (1..=total).map(|d| (d, total)).collect::<Vec<_>>());
    }

    #[test]
    fn first_failing_row_is_reported() {
        // Fails wherever the "partner" factor sits at its top level.
        let model = |x: &[f64]| if x[3] == 4.0 { Err("top") } else { Ok(x[0]) };
        let o = opts(30, 4);
        let d = design(4, &o);
        let expected = (0..morris_runs(4, 30))
            .find(|&row| {
                let mut u = vec![0.0; 4];
                d.unit_row(row, &mut u);
                u[3] == 1.0
            })
            .unwrap();
        let (a, b) = pools_agree(|| morris(&screening_factors(), &o, model));
        assert_eq!(a, b);
        match a {
            Err(SensitivityError::Model {
                row,
                inputs,
                source,
            }) => {
                assert_eq!((row, source, inputs[3]), (expected, "top", 4.0));
            }
            other => panic!("{other:?}"),
        }
        let nan = morris(&screening_factors(), &o, |_| Ok::<_, Infallible>(f64::NAN));
        assert!(matches!(
            nan,
            Err(SensitivityError::NonFiniteOutput { row: 0, .. })
        ));
    }

    #[test]
    fn bad_settings_are_rejected() {
        let f = |_: &[f64]| Ok::<_, Infallible>(1.0);
        let fs = screening_factors();
        let err = |o: MorrisOptions| morris(&fs, &o, f).unwrap_err();
        assert!(matches!(
            err(opts(1, 0)),
            SensitivityError::BadOption {
                option: "trajectories",
                ..
            }
        ));
        for levels in [0, 3] {
            let e = err(MorrisOptions {
                levels,
                ..opts(4, 0)
            });
            assert!(matches!(
                e,
                SensitivityError::BadOption {
                    option: "levels",
                    ..
                }
            ));
        }
        let e = err(MorrisOptions {
            confidence: 1.0,
            ..opts(4, 0)
        });
        assert!(matches!(
            e,
            SensitivityError::BadOption {
                option: "confidence",
                ..
            }
        ));
        assert_eq!(
            morris(&[], &opts(4, 0), f).unwrap_err(),
            SensitivityError::NoFactors
        );
        let bad = [Factor::linear("a", 0.0, 1.0), Factor::linear("b", 2.0, 2.0)];
        assert!(matches!(
            morris(&bad, &opts(4, 0), f),
            Err(SensitivityError::BadFactor { index: 1, .. })
        ));
        // A constant output is a valid screening result: nothing matters.
        let flat = morris(&fs, &opts(4, 0), f).unwrap();
        assert!(flat
            .factors
            .iter()
            .all(|m| m.mu_star == 0.0 && m.sigma == 0.0));
    }
}
