//! The shared time axis: linear (hours for short runs, days otherwise) or
//! logarithmic, so the minutes of an infusion and the weeks of synapse
//! turnover fit on one axis.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;

/// Where the logarithmic part of a log axis starts, hours since the first
/// dose (6 min).
pub const LOG_MIN_H: f64 = 0.1;

/// Width, in decades, of the linear stretch a log axis gives the drug-free
/// run-in and the first minutes (from the run's start to [`LOG_MIN_H`]), so
/// the baseline before the first dose is on the figure too.
pub const RUNIN_DECADES: f64 = 0.4;

/// The default time axis for runs drawn together: logarithmic when minutes
/// matter and the run lasts days (some run is a single dose or session, all
/// its doses within its first day, followed for more than 3 days); linear
/// when only courses over days or weeks are shown, or the runs are short.
pub fn default_log(runs: &[&synsim_core::run::RunResult]) -> bool {
    runs.iter().any(|r| {
        let single = match (r.doses.first(), r.doses.last()) {
            (Some(a), Some(b)) => b.time_h - a.time_h < 24.0,
            _ => false,
        };
        single && r.scenario.days > 3.0
    })
}

/// Log-axis ticks: (hours, label, primary). Secondary ticks are shown only
/// when the axis has room for them.
const LOG_TICKS: &[(f64, &str, bool)] = &[
    (1.0 / 6.0, "10 min", true),
    (0.5, "30 min", false),
    (1.0, "1 h", true),
    (6.0, "6 h", true),
    (24.0, "1 d", true),
    (72.0, "3 d", false),
    (168.0, "1 w", true),
    (336.0, "2 w", false),
    (672.0, "4 w", true),
    (1344.0, "8 w", false),
    (2016.0, "12 w", true),
    (2688.0, "16 w", false),
    (4368.0, "26 w", true),
    (8760.0, "1 y", true),
    (26280.0, "3 y", true),
];

/// How time is drawn on the x axis. Data go in as hours since the first dose;
/// [`TimeAxis::x`] maps them to the axis value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeAxis {
    /// Logarithmic axis (x = log10 of hours since the first dose).
    pub log: bool,
    /// Hours per axis unit on a linear axis (1 = hours, 24 = days).
    pub unit_h: f64,
    /// First time shown, hours.
    pub start_h: f64,
    /// Last time shown, hours.
    pub end_h: f64,
}

/// "−1 d", "−6 h": the start of a run-in, for a tick label.
fn runin_label(h: f64) -> String {
    let h = h.abs();
    if h >= 48.0 || (h >= 24.0 && (h / 24.0 - (h / 24.0).round()).abs() < 1e-9) {
        format!("\u{2212}{} d", trim(h / 24.0))
    } else if h >= 1.0 {
        format!("\u{2212}{} h", trim(h))
    } else {
        format!("\u{2212}{} min", trim(h * 60.0))
    }
}

fn trim(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

impl TimeAxis {
    /// An axis from `start_h` to `end_h` (hours since the first dose). Linear
    /// axes use hours for runs shorter than 3 days and days otherwise; log
    /// axes are logarithmic from [`LOG_MIN_H`] and, when the run starts
    /// before that (a run-in), linear over [`RUNIN_DECADES`] to its left.
    pub fn new(start_h: f64, end_h: f64, log: bool) -> TimeAxis {
        let end_h = if end_h > start_h {
            end_h
        } else {
            start_h + 1.0
        };
        if log {
            TimeAxis {
                log,
                unit_h: 1.0,
                start_h: start_h.min(LOG_MIN_H),
                end_h: end_h.max(LOG_MIN_H * 10.0),
            }
        } else {
            let unit_h = if end_h - start_h.max(0.0) < 72.0 {
                1.0
            } else {
                24.0
            };
            TimeAxis {
                log,
                unit_h,
                start_h,
                end_h,
            }
        }
    }

    /// Axis value of time `t_h`, or `None` when it is off the axis.
    pub fn x(&self, t_h: f64) -> Option<f64> {
        if t_h < self.start_h - 1e-9 || t_h > self.end_h + 1e-9 {
            return None;
        }
        Some(self.x_unclamped(t_h))
    }

    /// Axis value of `t_h` clamped into the shown range.
    pub fn x_clamped(&self, t_h: f64) -> f64 {
        self.x_unclamped(t_h.clamp(self.start_h, self.end_h))
    }

    fn x_unclamped(&self, t_h: f64) -> f64 {
        if self.log {
            let l0 = LOG_MIN_H.log10();
            if t_h >= LOG_MIN_H || self.start_h >= LOG_MIN_H {
                t_h.max(LOG_MIN_H * 0.5).log10()
            } else {
                l0 - RUNIN_DECADES * (LOG_MIN_H - t_h) / (LOG_MIN_H - self.start_h)
            }
        } else {
            t_h / self.unit_h
        }
    }

    /// The axis range in axis units.
    pub fn range(&self) -> std::ops::Range<f64> {
        self.x_unclamped(self.start_h)..self.x_unclamped(self.end_h)
    }

    /// Axis title.
    pub fn label(&self) -> &'static str {
        if self.log && self.start_h < 0.0 {
            "Time since first dose (log scale; linear before 6 min)"
        } else if self.log {
            "Time since first dose (log scale)"
        } else if self.unit_h == 1.0 {
            "Time since first dose (hours)"
        } else {
            "Time since first dose (days)"
        }
    }

    /// Tick positions (axis units) with their labels, for an axis `width_px` wide.
    pub fn ticks(&self, width_px: u32) -> Vec<(f64, String)> {
        if self.log {
            let r = self.range();
            let decades = (r.end - r.start).max(0.1);
            let roomy = width_px as f64 / decades >= 260.0;
            // Keep ticks at least ~75 px apart (a primary tick wins over the
            // secondary one before it).
            let px = |h: f64| (self.x_unclamped(h) - r.start) / decades * width_px as f64;
            let start = runin_label(self.start_h);
            let mut out: Vec<(f64, &str, bool)> = Vec::new();
            if self.start_h < 0.0 {
                out.push((self.start_h, start.as_str(), true));
                out.push((0.0, "0", true));
            }
            for &(h, l, primary) in LOG_TICKS {
                if !(primary || roomy) || h < self.start_h || h > self.end_h * 1.0001 {
                    continue;
                }
                if let Some(&(prev, _, prev_primary)) = out.last() {
                    if px(h) - px(prev) < 75.0 {
                        if primary && !prev_primary {
                            out.pop();
                        } else {
                            continue;
                        }
                    }
                }
                out.push((h, l, primary));
            }
            out.into_iter()
                .map(|(h, l, _)| (self.x_unclamped(h), l.to_string()))
                .collect()
        } else {
            let (a, b) = (self.start_h / self.unit_h, self.end_h / self.unit_h);
            let steps: &[f64] = if self.unit_h == 1.0 {
                &[1.0, 2.0, 3.0, 6.0, 12.0, 24.0]
            } else {
                &[1.0, 2.0, 7.0, 14.0, 28.0, 56.0, 91.0, 182.0, 364.0]
            };
            let max_ticks = (width_px as f64 / 90.0).clamp(4.0, 14.0);
            let step = steps
                .iter()
                .copied()
                .find(|s| (b - a) / s <= max_ticks)
                .unwrap_or(((b - a) / max_ticks).ceil());
            let mut v = (a / step).ceil() * step;
            let mut out = Vec::new();
            while v <= b + 1e-9 {
                out.push((v, format!("{}", v.round() as i64)));
                v += step;
            }
            out
        }
    }

    /// Label of an axis value (looked up among `ticks`, else formatted).
    pub fn tick_label(&self, x: f64, ticks: &[(f64, String)]) -> String {
        ticks
            .iter()
            .find(|(v, _)| (v - x).abs() < 1e-9)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| format!("{x:.0}"))
    }

    /// The plotters coordinate spec with our ticks bound.
    pub fn spec(&self, width_px: u32) -> TickCoord {
        TickCoord::new(
            self.range(),
            self.ticks(width_px).into_iter().map(|(v, _)| v).collect(),
        )
    }

    /// `(x, y)` points of `f` over `rows` of (time_h, value), thinned to at
    /// most about `buckets` min/max pairs so figures and SVGs stay light while
    /// peaks are kept. On a log axis the curve starts exactly at the left edge.
    pub fn points(
        &self,
        data: impl Iterator<Item = (f64, f64)>,
        buckets: usize,
    ) -> Vec<(f64, f64)> {
        let mut raw: Vec<(f64, f64)> = Vec::new();
        let mut prev: Option<(f64, f64)> = None;
        for (t, y) in data {
            if !y.is_finite() {
                continue;
            }
            if let Some((pt, py)) = prev {
                // Interpolate the point at the left edge of the axis.
                if pt < self.start_h && t > self.start_h {
                    let w = (self.start_h - pt) / (t - pt);
                    raw.push((self.x_unclamped(self.start_h), py + w * (y - py)));
                }
                if pt < self.end_h && t > self.end_h {
                    let w = (self.end_h - pt) / (t - pt);
                    raw.push((self.x_unclamped(self.end_h), py + w * (y - py)));
                }
            }
            if let Some(x) = self.x(t) {
                raw.push((x, y));
            }
            prev = Some((t, y));
        }
        decimate(raw, self.range(), buckets)
    }
}

/// A linear f64 coordinate whose tick positions are ours (plotters' own
/// key-point wrapper cannot take a custom label formatter).
#[derive(Clone)]
pub struct TickCoord {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl TickCoord {
    /// A coordinate over `range` with ticks at `ticks`.
    pub fn new(range: std::ops::Range<f64>, ticks: Vec<f64>) -> TickCoord {
        TickCoord {
            inner: RangedCoordf64::from(range),
            ticks,
        }
    }

    /// A coordinate over `range` with about `n` round-numbered ticks; also
    /// returns the decimals the tick labels need.
    pub fn nice(range: std::ops::Range<f64>, n: usize) -> (TickCoord, usize) {
        let (ticks, decimals) = nice_ticks(range.start, range.end, n);
        (TickCoord::new(range, ticks), decimals)
    }
}

/// Round tick values (steps of 1, 2 or 5 times a power of ten, 25 and 250 too) in
/// `[lo, hi]`, at most about `n` of them, and the decimals their labels need.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> (Vec<f64>, usize) {
    let span = (hi - lo).abs().max(1e-12);
    let raw = span / n.max(2) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    // 2.5 only where it stays a whole number (25, 250): "102.5 %" reads badly.
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .filter(|m| **m != 2.5 || mag >= 10.0)
        .map(|m| m * mag)
        .find(|s| span / s <= n.max(2) as f64 + 1.0)
        .unwrap_or(10.0 * mag);
    let decimals = {
        let mut d = 0usize;
        while d < 6
            && ((step * 10f64.powi(d as i32)).round() - step * 10f64.powi(d as i32)).abs() > 1e-6
        {
            d += 1;
        }
        d
    };
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    ((first..=last).map(|k| k as f64 * step).collect(), decimals)
}

impl Ranged for TickCoord {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }
}

/// Keeps the first, lowest, highest and last point of each of `buckets`
/// equal slices of the x range (in x order), which preserves the visual shape.
pub fn decimate(pts: Vec<(f64, f64)>, r: std::ops::Range<f64>, buckets: usize) -> Vec<(f64, f64)> {
    if pts.len() <= buckets * 4 || buckets == 0 {
        return pts;
    }
    let span = (r.end - r.start).max(1e-12);
    let bucket = |x: f64| (((x - r.start) / span) * buckets as f64).floor() as i64;
    let mut out = Vec::with_capacity(buckets * 4);
    let mut k = 0;
    while k < pts.len() {
        let b = bucket(pts[k].0);
        let mut j = k;
        let (mut lo, mut hi) = (k, k);
        while j < pts.len() && bucket(pts[j].0) == b {
            if pts[j].1 < pts[lo].1 {
                lo = j;
            }
            if pts[j].1 > pts[hi].1 {
                hi = j;
            }
            j += 1;
        }
        let mut keep = [k, lo, hi, j - 1];
        keep.sort_unstable();
        let mut last = usize::MAX;
        for i in keep {
            if i != last {
                out.push(pts[i]);
                last = i;
            }
        }
        k = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_units_follow_run_length() {
        assert_eq!(TimeAxis::new(-24.0, 48.0, false).unit_h, 1.0);
        assert_eq!(TimeAxis::new(-24.0, 28.0 * 24.0, false).unit_h, 24.0);
    }

    #[test]
    fn log_ticks_are_readable_and_in_range() {
        let ax = TimeAxis::new(-24.0, 84.0 * 24.0, true);
        let t = ax.ticks(1200);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        for want in ["0", "1 h", "1 d", "1 w", "4 w", "12 w"] {
            assert!(labels.contains(&want), "{labels:?}");
        }
        // With room, the minutes get their own tick next to the dose.
        let wide = ax.ticks(2400);
        assert!(wide.iter().any(|(_, l)| l == "10 min"), "{wide:?}");
        let r = ax.range();
        assert!(t
            .iter()
            .all(|(v, _)| r.contains(v) || (*v - r.end).abs() < 1e-9));
    }

    #[test]
    fn log_points_start_at_the_left_edge() {
        let ax = TimeAxis::new(0.1, 100.0, true);
        let data = (-2..=100).map(|k| (k as f64, k as f64));
        let p = ax.points(data, 1000);
        assert!((p[0].0 - LOG_MIN_H.log10()).abs() < 1e-12);
        assert!((p[0].1 - LOG_MIN_H).abs() < 1e-9);
    }

    #[test]
    fn log_axis_shows_the_run_in_before_the_first_dose() {
        let ax = TimeAxis::new(-24.0, 28.0 * 24.0, true);
        let r = ax.range();
        // The run-in and the dose itself are on the axis, left of 6 min.
        let (a, z, m) = (ax.x(-24.0), ax.x(0.0), ax.x(LOG_MIN_H));
        assert!(a.is_some() && z.is_some() && m.is_some());
        assert!((a.unwrap() - r.start).abs() < 1e-12);
        assert!(a < z && z < m);
        assert!((m.unwrap() - LOG_MIN_H.log10()).abs() < 1e-12);
        assert!((r.start - (LOG_MIN_H.log10() - RUNIN_DECADES)).abs() < 1e-12);
        let t = ax.ticks(1200);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert!(
            labels.contains(&"\u{2212}1 d") && labels.contains(&"0"),
            "{labels:?}"
        );
        // Monotone mapping.
        let xs: Vec<f64> = (-24..=600).map(|h| ax.x_clamped(h as f64)).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn nice_ticks_are_round() {
        let (t, d) = nice_ticks(0.0, 1.15, 6);
        let want = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
        assert_eq!(t.len(), want.len(), "{t:?}");
        assert!(
            t.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12),
            "{t:?}"
        );
        assert_eq!(d, 1);
        let (t, d) = nice_ticks(0.014, 0.046, 6);
        assert_eq!(d, 3);
        assert!(t.len() >= 4 && t.len() <= 7, "{t:?}");
        // No 2.5 steps below 25: "102.5 %" reads badly.
        let (_, d) = nice_ticks(0.95, 1.05, 6);
        assert_eq!(d, 2);
    }

    #[test]
    fn decimation_keeps_extremes() {
        let pts: Vec<(f64, f64)> = (0..10_000)
            .map(|k| (k as f64, if k == 5_000 { 9.0 } else { 0.0 }))
            .collect();
        let d = decimate(pts, 0.0..10_000.0, 100);
        assert!(d.len() <= 400);
        assert!(d.iter().any(|p| p.1 == 9.0));
    }
}
