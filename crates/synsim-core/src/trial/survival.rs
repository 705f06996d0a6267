//! Time to relapse: the Kaplan–Meier estimate that relapse-prevention
//! trials report ("x % had not relapsed by week 4"), with its confidence
//! interval.

use super::stats::{self, Proportion};
use statrs::distribution::{ContinuousCDF, Normal};

/// One patient's follow-up: the time of the event (relapse), or the last
/// time the patient was seen without it (censored).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FollowUp {
    /// Time of the event, or of the last observation without it.
    pub time: f64,
    /// True: the event happened at `time`; false: censored at `time`.
    pub event: bool,
}

/// The share still free of the event at one time, as returned by
/// [`kaplan_meier`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Survival {
    /// The time asked for.
    pub time: f64,
    /// Kaplan–Meier estimate of the share without the event by `time`.
    pub s: f64,
    /// Lower confidence limit.
    pub ci_low: f64,
    /// Upper confidence limit.
    pub ci_high: f64,
    /// Patients still followed and free of the event just after `time`.
    pub at_risk: usize,
    /// Events up to and including `time`.
    pub events: usize,
}

/// The Kaplan–Meier (product-limit) estimate at each of `times`, with a
/// confidence interval at `level`.
///
/// ```text
/// S(t) = Π_{t_i ≤ t} (1 - d_i / n_i)      d_i events at t_i, n_i at risk just before t_i
/// Var S(t) = S(t)² Σ_{t_i ≤ t} d_i / (n_i (n_i - d_i))        (Greenwood)
/// ```
///
/// A patient censored at `t_i` is still at risk at `t_i` (events count
/// first). The interval is the log-log one, `S^exp(±z·σ)` with
/// `σ = sqrt(Σ d_i / (n_i (n_i - d_i))) / |ln S|`, which stays inside
/// [0, 1] — R's `survfit(..., conf.type = "log-log")`. Where nobody has
/// been censored by `t` the estimate is a plain proportion and the interval
/// is Wilson's ([`stats::wilson`]), like every other proportion of a trial;
/// where the log-log interval is undefined (an estimate of 0 or 1 after
/// censoring) it is Wilson's for the patients still at risk. With no
/// patients every field is NaN (and the counts 0).
///
/// References: Kaplan EL, Meier P. Nonparametric estimation from incomplete
/// observations. *J Am Stat Assoc* 1958;53:457–481. Greenwood M. The
/// natural duration of cancer. *Rep Public Health Med Subj* 1926;33:1–26.
/// Kalbfleisch JD, Prentice RL. *The Statistical Analysis of Failure Time
/// Data*. Wiley, 1980 (the log-log interval).
///
/// # Panics
///
/// If `level` is not strictly between 0 and 1.
pub fn kaplan_meier(follow: &[FollowUp], times: &[f64], level: f64) -> Vec<Survival> {
    let z = Normal::standard().inverse_cdf(0.5 + level / 2.0);
    let mut event_times: Vec<f64> = follow.iter().filter(|f| f.event).map(|f| f.time).collect();
    event_times.sort_by(f64::total_cmp);
    event_times.dedup();
    times
        .iter()
        .map(|&t| {
            let (mut s, mut greenwood, mut events) = (1.0, 0.0, 0);
            for &ti in event_times.iter().take_while(|&&ti| ti <= t) {
                let n = follow.iter().filter(|f| f.time >= ti).count() as f64;
                let d = follow.iter().filter(|f| f.event && f.time == ti).count();
                s *= 1.0 - d as f64 / n;
                greenwood += d as f64 / (n * (n - d as f64));
                events += d;
            }
            let at_risk = follow.iter().filter(|f| f.time > t).count();
            let censored = follow.iter().any(|f| !f.event && f.time < t);
            let (ci_low, ci_high) = if follow.is_empty() {
                (f64::NAN, f64::NAN)
            } else if !censored || s <= 0.0 || s >= 1.0 {
                let base = if censored { at_risk } else { follow.len() };
                let k = if censored { at_risk } else { base - events };
                let w: Proportion = stats::wilson(k, base, level);
                (w.ci_low, w.ci_high)
            } else {
                let sigma = greenwood.sqrt() / s.ln().abs();
                (s.powf((z * sigma).exp()), s.powf((-z * sigma).exp()))
            };
            Survival {
                time: t,
                s: if follow.is_empty() { f64::NAN } else { s },
                ci_low,
                ci_high,
                at_risk,
                events,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 6-MP arm of Freireich et al. (Blood 1963), weeks of remission
    /// (`*` censored): 6 6 6 6* 7 9* 10 10* 11* 13 16 17* 19* 20* 22 23 25*
    /// 32* 32* 34* 35*, the textbook example of the product-limit estimate.
    fn six_mp() -> Vec<FollowUp> {
        let ev = [6., 6., 6., 7., 10., 13., 16., 22., 23.];
        let cens = [6., 9., 10., 11., 17., 19., 20., 25., 32., 32., 34., 35.];
        ev.iter()
            .map(|&time| FollowUp { time, event: true })
            .chain(cens.iter().map(|&time| FollowUp { time, event: false }))
            .collect()
    }

    /// Estimates and Greenwood standard errors as printed by R's
    /// `summary(survfit(Surv(time, status) ~ 1))` for these data
    /// (Kleinbaum & Klein, Survival Analysis, 3rd ed., table 2.2): 0.857
    /// (SE 0.0764), 0.807, 0.753, 0.690, 0.627, 0.538, 0.448 (SE 0.1346).
    #[test]
    fn product_limit_matches_the_textbook_six_mp_table() {
        let at = [6., 7., 10., 13., 16., 22., 23.];
        let want = [0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482];
        let got = kaplan_meier(&six_mp(), &at, 0.95);
        for (g, w) in got.iter().zip(want) {
            assert!((g.s - w).abs() < 5e-4, "S({}) = {} not {w}", g.time, g.s);
        }
        // Greenwood SE at 6 and 23 weeks, from the interval's own sigma.
        let se = |g: &Survival, gw: f64| g.s * gw.sqrt();
        assert!((se(&got[0], 3.0 / (21.0 * 18.0)) - 0.0764).abs() < 5e-4);
        assert_eq!((got[0].events, got[0].at_risk), (3, 17));
        assert_eq!((got[6].events, got[6].at_risk), (9, 5));
        // Between event times the estimate stays where it was.
        let mid = kaplan_meier(&six_mp(), &[8.0, 40.0], 0.95);
        assert_eq!(mid[0].s, got[1].s);
        assert_eq!(mid[1].s, got[6].s);
    }

    /// R: `survfit(Surv(time, status) ~ 1, conf.type = "log-log")` gives
    /// 0.563 to 0.923 at 7 weeks and 0.188 to 0.680 at 23 weeks. At 6 weeks,
    /// before anyone was censored, the interval is Wilson's for 18 of 21
    /// (R's log-log one there is 0.620 to 0.952).
    #[test]
    fn log_log_interval_matches_r() {
        let got = kaplan_meier(&six_mp(), &[7.0, 23.0, 6.0], 0.95);
        let w = stats::wilson(18, 21, 0.95);
        let want = [(0.563, 0.923), (0.188, 0.680), (w.ci_low, w.ci_high)];
        for (g, (lo, hi)) in got.iter().zip(want) {
            assert!((g.ci_low - lo).abs() < 1e-3, "{g:?}");
            assert!((g.ci_high - hi).abs() < 1e-3, "{g:?}");
        }
    }

    /// Without censoring the estimate is the share without the event, and
    /// its interval the Wilson interval of that share.
    #[test]
    fn without_censoring_it_is_a_proportion() {
        let follow: Vec<FollowUp> = (0..40)
            .map(|i| FollowUp {
                time: if i < 30 { (i % 4 + 1) as f64 } else { 10.0 },
                event: i < 30,
            })
            .collect();
        // 16 events by day 2, 30 by day 4, the 10 others seen to day 10.
        let got = kaplan_meier(&follow, &[2.0, 4.0, 10.0], 0.95);
        let w = stats::wilson(10, 40, 0.95);
        assert!((got[1].s - 0.25).abs() < 1e-12);
        assert_eq!((got[1].ci_low, got[1].ci_high), (w.ci_low, w.ci_high));
        assert!((got[0].s - 0.6).abs() < 1e-12, "{:?}", got[0]);
        assert_eq!(got[2].s, got[1].s);
        assert!(kaplan_meier(&[], &[1.0], 0.95)[0].s.is_nan());
    }
}
