//! Sensitivity of synsim itself: which registry parameters drive one sweep metric of
//! one scenario, for its typical patient.
//!
//! This is the glue between a [`Scenario`], a [`Metric`] and the generic
//! [`morris`](super::morris()) and [`sobol`](super::sobol()) functions.
//!
//! # Factors
//!
//! A factor is a real-valued registry parameter. Switches and the `solver.*` settings
//! are never factors. By default ([`default_factors`]) the factors are the parameters
//! that vary between patients in this scenario, the ones `synsim population` draws.
//! [`matching_factors`] takes every real parameter whose name starts with one of the
//! given prefixes instead.
//!
//! The range of a factor comes from its between-patient variability, around the
//! scenario's value `t` ([`ParamFactor::from_registry`]). It is then clipped to the
//! registry's `[min, max]`:
//!
//! | variability | range | sampled |
//! |---|---|---|
//! | log-normal, CV `c` | `t e^(±2ω)`, `ω = sqrt(ln(1 + c²))` | log-uniform |
//! | normal, SD `s`, truncated to `[a, b]` | `[t - 2s, t + 2s] ∩ [a, b]` | uniform |
//! | uniform on `[a, b]` | `[a, b]` | uniform |
//! | none, `t > 0` | `[t/2, 2t]` | log-uniform |
//! | none, `t ≤ 0` | the registry's `[min, max]` | uniform (log-uniform if `min > 0` and `max/min > 10`) |
//!
//! For the log-normal and normal cases, the range holds the central 95.4 % of patients
//! (±2 SD on the scale the values are drawn on). The factor is spread evenly over that
//! range, so the tails get more weight than they have in a population. A log-scale
//! factor whose clipped lower end is 0 is sampled uniformly.
//!
//! # Output
//!
//! Each design point runs one typical patient: the scenario with the factors set to
//! the point's values and no between-patient variability. As in `synsim population`
//! and `sweep`, the run uses the population tolerance `solver.population_rtol`. The
//! output is the chosen sweep [`Metric`] for that one patient. A rate metric of a
//! single patient is 0 or 1, and a 0/1 output would hide every effect that does not
//! cross the threshold. So a rate metric uses the continuous quantity its criterion
//! is applied to ([`output_value`]):
//!
//! - `response_*`: improvement at that time, `100 (1 - score / baseline)` in % of the
//!   patient's own baseline score (a response is an improvement of 50 % or more);
//! - `remission_*`: the score at that time (a remission is a score of 10 or less);
//! - `relapse_d`: days from the last dose to relapse. It is 0 when the patient is not
//!   a responder 24 h after the last dose. If the response lasts to the end of the
//!   run, it is the days from the last dose to the end of the run.
//!
//! The other metrics (`days_in_response`, `peak_dissociation`, `best_score`) are the
//! patient's own values.

use std::fmt::Write as _;

use super::{
    morris_with_progress, sobol_with_progress, Factor, MorrisOptions, MorrisResult, Progress,
    Scale, SensitivityError, SobolOptions, SobolResult,
};
use crate::params::{edit_distance, Kind, ParamId, Variability, REGISTRY};
use crate::population::{self, outcome::Outcome, Setup};
use crate::scenario::Scenario;
use crate::solve::SolveError;
use crate::sweep::Metric;

/// A parameter counts as negligible when its importance (`μ*` for Morris, `ST` for
/// Sobol') is below this share of the largest importance.
pub const NEGLIGIBLE_SHARE: f64 = 0.05;

/// Registry groups that are never factors: numerical settings, not model parameters.
pub const EXCLUDED_GROUPS: [&str; 1] = ["solver"];

/// Where a factor's range came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RangeRule {
    /// Log-normal variability with this CV: `t e^(±2ω)`.
    LogNormal {
        /// Coefficient of variation.
        cv: f64,
    },
    /// Normal variability with this SD: `t ± 2 SD`, inside the truncation bounds.
    Normal {
        /// Standard deviation, parameter unit.
        sd: f64,
    },
    /// Uniform variability: its own interval.
    Uniform,
    /// No variability, positive value: `[t/2, 2t]`.
    Factor2,
    /// No variability, value 0 or below: the registry range.
    Registry,
}

impl RangeRule {
    /// Short plain-words description, e.g. `log-normal CV 30 %: typical ×/÷ e^(2ω)`.
    pub fn describe(self) -> String {
        match self {
            RangeRule::LogNormal { cv } => {
                format!("log-normal CV {:.0} %: typical x/÷ e^(2ω)", 100.0 * cv)
            }
            RangeRule::Normal { sd } => format!("normal SD {sd}: typical ± 2 SD"),
            RangeRule::Uniform => "uniform variability: its interval".into(),
            RangeRule::Factor2 => "no variability: typical ÷ 2 to × 2".into(),
            RangeRule::Registry => "no variability, typical 0: the registry range".into(),
        }
    }

    /// Machine-readable name for summary.json.
    pub fn key(self) -> &'static str {
        match self {
            RangeRule::LogNormal { .. } => "log_normal_2sd",
            RangeRule::Normal { .. } => "normal_2sd",
            RangeRule::Uniform => "uniform",
            RangeRule::Factor2 => "factor_2",
            RangeRule::Registry => "registry_range",
        }
    }
}

/// One registry parameter as a factor of the analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamFactor {
    /// The parameter.
    pub id: ParamId,
    /// The scenario's (typical) value.
    pub typical: f64,
    /// Name, range and scale.
    pub factor: Factor,
    /// How the range was chosen.
    pub rule: RangeRule,
}

impl ParamFactor {
    /// The factor for parameter `id` with typical value `typical` and between-patient
    /// variability `dist` (the table in the module documentation).
    pub fn from_registry(id: ParamId, typical: f64, dist: Variability) -> Result<Self, String> {
        let d = &REGISTRY[id.0];
        if d.kind != Kind::Real {
            return Err(format!(
                "{} is a switch (true/false), not a factor; compare its settings with --set",
                d.name
            ));
        }
        let (lo, hi, log, rule) = match dist {
            Variability::LogNormal { cv } if cv > 0.0 && cv.is_finite() && typical > 0.0 => {
                let w = 2.0 * (1.0 + cv * cv).ln().sqrt();
                let rule = RangeRule::LogNormal { cv };
                (typical * (-w).exp(), typical * w.exp(), true, rule)
            }
            Variability::Normal { sd, lo, hi } if sd > 0.0 && sd.is_finite() => (
                (typical - 2.0 * sd).max(lo.min(hi)),
                (typical + 2.0 * sd).min(hi.max(lo)),
                false,
                RangeRule::Normal { sd },
            ),
            Variability::Uniform { lo, hi } if hi > lo => (lo, hi, false, RangeRule::Uniform),
            _ if typical > 0.0 => (typical / 2.0, typical * 2.0, true, RangeRule::Factor2),
            _ => {
                let wide = d.min > 0.0 && d.max / d.min > 10.0;
                (d.min, d.max, wide, RangeRule::Registry)
            }
        };
        let (lo, hi) = (lo.max(d.min), hi.min(d.max));
        if lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
            return Err(format!(
                "{}: its range collapses to a point ({lo} to {hi}) inside the registry range; \
                 set another typical value with --set",
                d.name
            ));
        }
        let factor = if log && lo > 0.0 {
            Factor::log(d.name, lo, hi)
        } else {
            Factor::linear(d.name, lo, hi)
        };
        Ok(ParamFactor {
            id,
            typical,
            factor,
            rule,
        })
    }

    /// The parameter's unit (`-` for dimensionless).
    pub fn unit(&self) -> &'static str {
        REGISTRY[self.id.0].unit
    }

    /// The parameter's name.
    pub fn name(&self) -> &'static str {
        REGISTRY[self.id.0].name
    }
}

/// Can this registry parameter be a factor at all?
fn eligible(id: ParamId) -> bool {
    let d = &REGISTRY[id.0];
    d.kind == Kind::Real && !EXCLUDED_GROUPS.contains(&d.group())
}

/// The default factors: every real parameter that varies between patients in `s`
/// (as `synsim population` draws them), in registry order.
pub fn default_factors(s: &Scenario) -> Result<Vec<ParamFactor>, String> {
    population::sample::varying(s)
        .iter()
        .filter(|v| eligible(v.id))
        .map(|v| ParamFactor::from_registry(v.id, s.params[v.id], v.dist))
        .collect()
}

/// Every real parameter whose name starts with one of `prefixes`, in registry order.
/// A prefix that matches no such parameter is an error with a "did you mean".
pub fn matching_factors(s: &Scenario, prefixes: &[String]) -> Result<Vec<ParamFactor>, String> {
    let mut ids: Vec<ParamId> = Vec::new();
    for p in prefixes {
        let p = p.trim();
        let hits: Vec<ParamId> = (0..REGISTRY.len())
            .map(ParamId)
            .filter(|id| !p.is_empty() && REGISTRY[id.0].name.starts_with(p))
            .collect();
        let usable: Vec<ParamId> = hits.iter().copied().filter(|id| eligible(*id)).collect();
        if usable.is_empty() {
            return Err(no_match_message(p, &hits));
        }
        ids.extend(usable);
    }
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .map(|id| ParamFactor::from_registry(id, s.params[id], s.variability_of(id)))
        .collect()
}

/// Why `prefix` selects no factor, with the closest prefixes that would.
fn no_match_message(prefix: &str, hits: &[ParamId]) -> String {
    if let Some(id) = hits.first() {
        let d = &REGISTRY[id.0];
        return if d.kind == Kind::Bool && hits.len() == 1 {
            format!(
                "--params {prefix}: {} is a switch (true/false), not a factor; compare its \
                 settings with --set",
                d.name
            )
        } else {
            format!(
                "--params {prefix}: matches only switches or solver settings, which are not \
                 factors"
            )
        };
    }
    // Candidates: every group ("pk"), two-part prefix ("pk.ketamine") and full name.
    let mut cands: Vec<String> = Vec::new();
    for d in REGISTRY.iter().filter(|d| d.kind == Kind::Real) {
        let parts: Vec<&str> = d.name.split('.').collect();
        for n in 1..=parts.len() {
            let c = parts[..n].join(".");
            if !cands.contains(&c) && !EXCLUDED_GROUPS.contains(&parts[0]) {
                cands.push(c);
            }
        }
    }
    let mut scored: Vec<(usize, &String)> = cands
        .iter()
        .map(|c| (edit_distance(prefix, c), c))
        .collect();
    scored.sort();
    let limit = (prefix.chars().count() / 3).max(2);
    let best: Vec<String> = scored
        .iter()
        .filter(|(d, _)| *d <= limit)
        .take(3)
        .map(|(_, c)| format!("\"{c}\""))
        .collect();
    if best.is_empty() {
        format!(
            "--params {prefix}: no parameter name starts with \"{prefix}\" (see `synsim params` \
             for the names)"
        )
    } else {
        format!(
            "--params {prefix}: no parameter name starts with \"{prefix}\"; did you mean {}? \
             (see `synsim params`)",
            best.join(" or ")
        )
    }
}

/// "at 24 h", "24 h after the last dose".
fn when(k: usize) -> String {
    match population::WHEN[k] {
        "end" => "24 h after the last dose".to_string(),
        w => format!("at {} {}", &w[..w.len() - 1], &w[w.len() - 1..]),
    }
}

/// What the analysis output is for metric `m`, in plain words, and its unit
/// (`-` for none).
pub fn output_label(m: Metric) -> (String, &'static str) {
    match m {
        Metric::Response(k) => (format!("improvement {}", when(k)), "% of baseline score"),
        Metric::Remission(k) => (format!("score {}", when(k)), "points"),
        Metric::DaysInResponse => ("days in response during the run".into(), "d"),
        Metric::PeakDissociation => ("peak dissociation (0-1)".into(), "-"),
        Metric::BestScore => ("best score".into(), "points"),
        Metric::RelapseD => ("days from the last dose to relapse".into(), "d"),
    }
}

/// The metric as a phrase for captions: "the response at 24 h".
pub fn metric_phrase(m: Metric) -> String {
    match m {
        Metric::Response(k) => format!("the response {}", when(k)),
        Metric::Remission(k) => format!("remission {}", when(k)),
        Metric::DaysInResponse => "the days in response".into(),
        Metric::PeakDissociation => "the peak dissociation".into(),
        Metric::BestScore => "the best score".into(),
        Metric::RelapseD => "the time to relapse".into(),
    }
}

/// One patient's value of the analysis output for metric `m` (see the module
/// documentation); NaN when the run does not reach the metric's time.
pub fn output_value(m: Metric, o: &Outcome, setup: &Setup) -> f64 {
    let point = |k: usize| if k < 4 { o.at[k] } else { o.end };
    match m {
        Metric::Response(k) => {
            point(k).map_or(f64::NAN, |p| 100.0 * (1.0 - p.score / o.baseline_score))
        }
        Metric::Remission(k) => point(k).map_or(f64::NAN, |p| p.score),
        Metric::DaysInResponse => o.days_in_response,
        Metric::PeakDissociation => o.peak_dissociation,
        Metric::BestScore => o.best_score,
        Metric::RelapseD => match (o.end, setup.last_dose_h) {
            (Some(p), Some(last)) if p.responder => o
                .relapse_d
                .unwrap_or_else(|| (setup.times.last().copied().unwrap_or(last) - last) / 24.0),
            _ => 0.0,
        },
    }
}

/// A scenario, a metric and the factors: everything needed to run the analysis.
#[derive(Debug, Clone)]
pub struct Study {
    /// The scenario's typical patient (no variability).
    pub setup: Setup,
    /// The factors, in registry order.
    pub factors: Vec<ParamFactor>,
    /// The metric.
    pub metric: Metric,
}

impl Study {
    /// Checks that the run reaches the metric's time and prepares the typical patient.
    pub fn new(
        scenario: Scenario,
        factors: Vec<ParamFactor>,
        metric: Metric,
    ) -> Result<Self, String> {
        if factors.is_empty() {
            return Err("no parameters to analyse".into());
        }
        if let Some(h) = metric.needs_h() {
            if h > scenario.days * 24.0 + 1e-9 {
                return Err(format!(
                    "--metric {}: the run lasts {} d, too short for it; lengthen it with --days",
                    metric.name(),
                    scenario.days
                ));
            }
        }
        let setup = Setup::typical(scenario).map_err(|e| e.to_string())?;
        let end = setup.times.last().copied().unwrap_or(0.0);
        if matches!(
            metric,
            Metric::Response(4) | Metric::Remission(4) | Metric::RelapseD
        ) && setup.last_dose_h.is_none_or(|t| t + 24.0 > end + 1e-9)
        {
            return Err(format!(
                "--metric {}: needs a dose and a run that lasts at least 24 h after the last one",
                metric.name()
            ));
        }
        Ok(Study {
            setup,
            factors,
            metric,
        })
    }

    /// The factors as the generic methods take them.
    pub fn factor_list(&self) -> Vec<Factor> {
        self.factors.iter().map(|f| f.factor.clone()).collect()
    }

    /// The output for one point `x` (one value per factor): one typical-patient run.
    pub fn output(&self, x: &[f64]) -> Result<f64, SolveError> {
        let mut setup = self.setup.clone();
        for (f, &v) in self.factors.iter().zip(x) {
            setup.scenario.params.set_unchecked(f.id, v);
        }
        // The finer look at the first dose only matters for the dissociation peak.
        let acute = self.metric == Metric::PeakDissociation;
        let r =
            population::simulate_patient(&setup, 0, 0, None, false, acute).map_err(|f| f.error)?;
        Ok(output_value(self.metric, &r.outcome, &setup))
    }

    /// Morris screening of the output.
    pub fn morris(
        &self,
        opts: &MorrisOptions,
        progress: Option<Progress<'_>>,
    ) -> Result<Analysis, SensitivityError<SolveError>> {
        let res = morris_with_progress(&self.factor_list(), opts, |x| self.output(x), progress)?;
        Ok(self.analysis(Indices::Morris(res), opts.seed))
    }

    /// Sobol' indices of the output.
    pub fn sobol(
        &self,
        opts: &SobolOptions,
        progress: Option<Progress<'_>>,
    ) -> Result<Analysis, SensitivityError<SolveError>> {
        let res = sobol_with_progress(&self.factor_list(), opts, |x| self.output(x), progress)?;
        Ok(self.analysis(Indices::Sobol(res), opts.seed))
    }

    fn analysis(&self, indices: Indices, seed: u64) -> Analysis {
        let s = &self.setup.scenario;
        Analysis {
            scenario: s.name.clone(),
            title: s.title.clone(),
            regimen: s.regimen_text.clone(),
            days: s.days,
            metric: self.metric,
            factors: self.factors.clone(),
            indices,
            seed,
        }
    }
}

/// The indices of either method.
#[derive(Debug, Clone, PartialEq)]
pub enum Indices {
    /// Morris elementary effects.
    Morris(MorrisResult),
    /// Sobol' indices.
    Sobol(SobolResult),
}

/// A finished analysis of one scenario and metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Scenario name.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// Regimen notation.
    pub regimen: String,
    /// Run length, days.
    pub days: f64,
    /// The metric.
    pub metric: Metric,
    /// The factors, in registry order (the indices are in the same order).
    pub factors: Vec<ParamFactor>,
    /// The indices.
    pub indices: Indices,
    /// Seed.
    pub seed: u64,
}

impl Analysis {
    /// Model runs used.
    pub fn runs(&self) -> usize {
        match &self.indices {
            Indices::Morris(r) => r.runs,
            Indices::Sobol(r) => r.runs,
        }
    }

    /// Method name: `morris` or `sobol`.
    pub fn method(&self) -> &'static str {
        match self.indices {
            Indices::Morris(_) => "morris",
            Indices::Sobol(_) => "sobol",
        }
    }

    /// Name of the importance measure: `μ*` or `ST`.
    pub fn measure(&self) -> &'static str {
        match self.indices {
            Indices::Morris(_) => "μ*",
            Indices::Sobol(_) => "ST",
        }
    }

    /// Importance of each factor, in factor order: `μ*` (Morris) or `ST` (Sobol').
    pub fn importance(&self) -> Vec<f64> {
        match &self.indices {
            Indices::Morris(r) => r.factors.iter().map(|f| f.mu_star).collect(),
            Indices::Sobol(r) => r.factors.iter().map(|f| f.total).collect(),
        }
    }

    /// Factor indices from the most to the least important (ties keep registry order).
    pub fn ranking(&self) -> Vec<usize> {
        let imp = self.importance();
        let mut order: Vec<usize> = (0..imp.len()).collect();
        order.sort_by(|&a, &b| imp[b].total_cmp(&imp[a]));
        order
    }

    /// Importance below which a factor is negligible: [`NEGLIGIBLE_SHARE`] of the
    /// largest. When nothing has an effect (largest 0), every factor is negligible.
    pub fn threshold(&self) -> f64 {
        let max = self.importance().into_iter().fold(0.0, f64::max);
        NEGLIGIBLE_SHARE * max
    }

    /// Is factor `i` negligible?
    pub fn is_negligible(&self, i: usize) -> bool {
        let imp = self.importance()[i];
        let t = self.threshold();
        imp < t || t == 0.0
    }

    /// The factors that matter, most important first.
    pub fn important(&self) -> Vec<usize> {
        self.ranking()
            .into_iter()
            .filter(|&i| !self.is_negligible(i))
            .collect()
    }

    /// One-sentence verdict: "For the response at 24 h, 3 of 20 parameters matter; 17
    /// don't (μ* below 5 % of the largest)."
    pub fn caption(&self) -> String {
        let k = self.factors.len();
        let n = self.important().len();
        let what = metric_phrase(self.metric);
        let share = format!("{:.0} %", 100.0 * NEGLIGIBLE_SHARE);
        if n == 0 {
            return format!(
                "For {what}, none of the {k} parameters has any effect over its range."
            );
        }
        let matter = if n == 1 {
            "1 parameter matters".to_string()
        } else {
            format!("{n} parameters matter")
        };
        let rest = k - n;
        if rest == 0 {
            format!(
                "For {what}, all {k} parameters matter (each {} at least {share} of the largest).",
                self.measure()
            )
        } else {
            format!(
                "For {what}, {matter}; {rest} {} ({} below {share} of the largest).",
                if rest == 1 { "doesn't" } else { "don't" },
                self.measure()
            )
        }
    }

    /// sensitivity.csv: one row per factor, most important first.
    ///
    /// Columns: `rank` (1 = most important), `parameter`, `unit`, `typical` (the
    /// scenario's value), `lo`, `hi` (the range), `scale` (`linear` or `log`), then
    /// for Morris `mu_star`, `mu`, `sigma`, `mu_star_lo`, `mu_star_hi` (in the output's
    /// unit: the effect of moving the factor across its whole range) and for Sobol'
    /// `s1`, `s1_lo`, `s1_hi`, `st`, `st_lo`, `st_hi` (shares of the output variance),
    /// with bootstrap intervals at the result's confidence level; last `negligible`
    /// (`true` when the importance is below 5 % of the largest). Numbers are written
    /// in Rust's shortest round-trip form.
    pub fn csv(&self) -> String {
        let mut out = String::from("rank,parameter,unit,typical,lo,hi,scale,");
        out.push_str(match self.indices {
            Indices::Morris(_) => "mu_star,mu,sigma,mu_star_lo,mu_star_hi",
            Indices::Sobol(_) => "s1,s1_lo,s1_hi,st,st_lo,st_hi",
        });
        out.push_str(",negligible\n");
        for (rank, i) in self.ranking().into_iter().enumerate() {
            let f = &self.factors[i];
            let scale = match f.factor.scale {
                Scale::Linear => "linear",
                Scale::Log => "log",
            };
            let _ = write!(
                out,
                "{},{},{},{},{},{},{},",
                rank + 1,
                f.name(),
                f.unit(),
                f.typical,
                f.factor.lo,
                f.factor.hi,
                scale
            );
            let _ = match &self.indices {
                Indices::Morris(r) => {
                    let m = &r.factors[i];
                    write!(
                        out,
                        "{},{},{},{},{}",
                        m.mu_star, m.mu, m.sigma, m.mu_star_ci.lo, m.mu_star_ci.hi
                    )
                }
                Indices::Sobol(r) => {
                    let s = &r.factors[i];
                    write!(
                        out,
                        "{},{},{},{},{},{}",
                        s.first_order,
                        s.first_order_ci.lo,
                        s.first_order_ci.hi,
                        s.total,
                        s.total_ci.lo,
                        s.total_ci.hi
                    )
                }
            };
            let _ = writeln!(out, ",{}", self.is_negligible(i));
        }
        out
    }

    /// summary.json: what was analysed, how, and the ranked verdict.
    pub fn summary_json(&self) -> serde_json::Value {
        let (label, unit) = output_label(self.metric);
        let factors: Vec<serde_json::Value> = self
            .factors
            .iter()
            .map(|f| {
                serde_json::json!({
                    "parameter": f.name(),
                    "unit": f.unit(),
                    "typical": f.typical,
                    "lo": f.factor.lo,
                    "hi": f.factor.hi,
                    "scale": match f.factor.scale { Scale::Linear => "linear", Scale::Log => "log" },
                    "range_rule": f.rule.key(),
                    "range_rule_text": f.rule.describe(),
                })
            })
            .collect();
        let names = |ix: Vec<usize>| -> Vec<&str> {
            ix.into_iter().map(|i| self.factors[i].name()).collect()
        };
        let negligible: Vec<usize> = self
            .ranking()
            .into_iter()
            .filter(|&i| self.is_negligible(i))
            .collect();
        let design = match &self.indices {
            Indices::Morris(r) => serde_json::json!({
                "trajectories": r.trajectories,
                "levels": r.levels,
                "delta": r.delta,
                "confidence": r.confidence,
            }),
            Indices::Sobol(r) => serde_json::json!({
                "base_samples": r.base_samples,
                "sampling": format!("{:?}", r.sampling),
                "output_mean": r.mean,
                "output_variance": r.variance,
                "sum_s1": r.sum_first_order(),
                "confidence": r.confidence,
            }),
        };
        serde_json::json!({
            "scenario": self.scenario,
            "title": self.title,
            "regimen": self.regimen,
            "days": self.days,
            "metric": self.metric.name(),
            "output": label,
            "output_unit": unit,
            "patient": "typical patient (no between-patient variability), solver.population_rtol",
            "method": self.method(),
            "design": design,
            "seed": self.seed,
            "runs": self.runs(),
            "factors": factors,
            "ranking": names(self.ranking()),
            "important": names(self.important()),
            "negligible": names(negligible),
            "negligible_rule": format!("{} below {:.0} % of the largest", self.measure(), 100.0 * NEGLIGIBLE_SHARE),
            "caption": self.caption(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::id;

    fn scenario() -> Scenario {
        Scenario::load("ketamine-iv-single").unwrap()
    }

    #[test]
    fn ranges_follow_the_variability_and_the_registry() {
        let lnorm =
            ParamFactor::from_registry(id::KET_CL, 89.0, Variability::LogNormal { cv: 0.3 })
                .unwrap();
        let w = 2.0 * (1.09f64).ln().sqrt();
        assert!((lnorm.factor.hi / 89.0 - w.exp()).abs() < 1e-12);
        assert!((lnorm.factor.lo * lnorm.factor.hi - 89.0 * 89.0).abs() < 1e-9);
        assert_eq!(lnorm.factor.scale, Scale::Log);
        let norm = ParamFactor::from_registry(
            id::BASELINE_SCORE,
            32.0,
            Variability::Normal {
                sd: 4.0,
                lo: 22.0,
                hi: 46.0,
            },
        )
        .unwrap();
        assert_eq!((norm.factor.lo, norm.factor.hi), (24.0, 40.0));
        // Clipped by the truncation bounds and by the registry range.
        let ssri = ParamFactor::from_registry(
            id::SSRI_BDNF_GAIN,
            0.15,
            Variability::Normal {
                sd: 0.1,
                lo: 0.0,
                hi: 0.21,
            },
        )
        .unwrap();
        assert_eq!((ssri.factor.lo, ssri.factor.hi), (0.0, 0.21));
        let none = ParamFactor::from_registry(id::KET_Q, 72.0, Variability::None).unwrap();
        assert_eq!((none.factor.lo, none.factor.hi), (36.0, 144.0));
        let zero = ParamFactor::from_registry(id::INH_EXT, 0.0, Variability::None).unwrap();
        let d = &REGISTRY[id::INH_EXT.0];
        assert_eq!((zero.factor.lo, zero.factor.hi), (d.min, d.max));
        assert!(ParamFactor::from_registry(id::MECH_HNK, 0.0, Variability::None).is_err());
    }

    #[test]
    fn default_factors_are_the_varying_parameters() {
        let s = scenario();
        let f = default_factors(&s).unwrap();
        assert_eq!(f.len(), population::sample::varying(&s).len());
        assert!(f
            .iter()
            .all(|p| REGISTRY[p.id.0].variability != Variability::None));
    }

    #[test]
    fn prefixes_select_and_unknown_ones_suggest() {
        let s = scenario();
        let f = matching_factors(&s, &["pk.ketamine".into(), "receptor".into()]).unwrap();
        assert_eq!(f.len(), 21);
        assert!(f.windows(2).all(|w| w[0].id < w[1].id));
        let e = matching_factors(&s, &["recepter".into()]).unwrap_err();
        assert!(e.contains("did you mean \"receptor\""), "{e}");
        let e = matching_factors(&s, &["mechanisms".into()]).unwrap_err();
        assert!(e.contains("switches"), "{e}");
        assert!(matching_factors(&s, &["solver".into()]).is_err());
    }

    #[test]
    fn short_runs_are_refused_for_late_metrics() {
        let mut s = scenario();
        s.days = 3.0;
        let f = default_factors(&s).unwrap();
        assert!(Study::new(s, f, Metric::Response(2)).is_err());
    }
}
