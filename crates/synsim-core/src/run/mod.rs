//! One patient through one scenario: the run and its derived measures.

use crate::model::Detail;
use crate::model::{Model, Observables};

use crate::regimen::{DoseEvent, Drug};
use crate::scenario::Scenario;
use crate::solve::{simulate_at_with, Integrator, SolveError, StiffSolver, Window};
use crate::symptom::{REMISSION_SCORE, RESPONSE_FRACTION};
use serde::Serialize;
use std::collections::BTreeMap;

mod summary;
use summary::summarise;
pub use summary::{peak, solver_json, summary_json, value_at};

/// Reference levels drawn on plots.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Reference {
    /// Healthy synapse density (1).
    pub healthy_synapse: f64,
    /// This patient's untreated synapse density.
    pub baseline_synapse: f64,
    /// This patient's untreated score.
    pub baseline_score: f64,
    /// Score at or below which the patient counts as a responder.
    pub response_score: f64,
    /// Remission cut-off (MADRS <= 10).
    pub remission_score: f64,
    /// Healthy tissue GABA (1) and this patient's untreated level.
    pub baseline_gaba: f64,
}

/// Peak of a time course.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Peak {
    /// Largest value.
    pub value: f64,
    /// When, hours since the first dose.
    pub time_h: f64,
}

/// Derived measures of one run (written to summary.json).
///
/// Every measure comes from the solution on the run's measure grid
/// ([`measure_times`]), never from the output rows: the same scenario gives
/// the same summary at any `dt_out`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Peak plasma concentration (ng/mL) of each drug present.
    pub peak_plasma_ng_ml: BTreeMap<String, Peak>,
    /// Peak NMDA occupancy (pyramidal).
    pub peak_nmda_occupancy: Peak,
    /// Peak NMDA occupancy (interneurons).
    pub peak_nmda_occupancy_interneuron: Peak,
    /// Peak SERT occupancy.
    pub peak_sert_occupancy: Peak,
    /// Peak glutamate tone relative to this patient's own baseline.
    pub peak_glutamate_vs_baseline: Peak,
    /// Peak mTOR activity relative to healthy.
    pub peak_mtor: Peak,
    /// Peak dissociation proxy.
    pub peak_dissociation: Peak,
    /// Highest synapse density.
    pub peak_synapse_density: Peak,
    /// Untreated score.
    pub baseline_score: f64,
    /// Scores at fixed times after the first dose (absent when the run is shorter).
    pub score_at: BTreeMap<String, f64>,
    /// Lowest score and when.
    pub best_score: Peak,
    /// First time the score met the response criterion, hours (the
    /// threshold crossing, located between measure points).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to_response_h: Option<f64>,
    /// Length of the *first* response episode, hours (to the end of the run
    /// if still responding). See `days_in_response` for all episodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_duration_h: Option<f64>,
    /// Total time in response over the whole run, days (every episode).
    pub days_in_response: f64,
    /// Number of separate response episodes (a relapse and a new response
    /// start a new one).
    pub response_episodes: u32,
    /// First time in remission, hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to_remission_h: Option<f64>,
    /// Still a responder at the end of the run.
    pub responder_at_end: bool,
    /// Days from the last dose until the score left the response range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relapse_after_last_dose_d: Option<f64>,
}

/// Everything a run produces.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// The scenario as run (after overrides).
    pub scenario: Scenario,
    /// Expanded doses.
    pub doses: Vec<DoseEvent>,
    /// Drugs given.
    pub drugs: Vec<Drug>,
    /// One row per output time (the CSV grid, `dt_out` apart).
    pub rows: Vec<Observables>,
    /// The solution on the measure and figure grid ([`measure_times`]):
    /// dense after every dose start and stop, whatever `dt_out` is. The
    /// summary and the figures read these rows.
    pub dense: Vec<Observables>,
    /// Reference levels.
    pub reference: Reference,
    /// Derived measures.
    pub summary: Summary,
    /// What the integration cost.
    pub solver: crate::solve::esdirk::Stats,
}

/// The output window of a scenario: run-in before the first dose, then `days`.
pub fn window(s: &Scenario) -> Window {
    Window {
        start_h: -s.runin_h,
        end_h: s.days * 24.0,
        dt_out_h: s.dt_out_h,
    }
}

/// Finest spacing of the measure grid, hours (1 min).
pub const MEASURE_MIN_STEP_H: f64 = 1.0 / 60.0;
/// After a dose start or stop the measure grid's spacing is this share of
/// the time since it (between [`MEASURE_MIN_STEP_H`] and the longest step).
pub const MEASURE_GROWTH: f64 = 0.05;
/// Times after the first dose at which the summary reports the score.
pub const SCORE_TIMES: [(&str, f64); 6] = [
    ("2h", 2.0),
    ("24h", 24.0),
    ("7d", 168.0),
    ("28d", 672.0),
    ("56d", 1344.0),
    ("84d", 2016.0),
];

/// The measure (and figure) grid of a run from `start_h` to `end_h`: every
/// dose start and infusion stop, then points `max(1 min, 5 % of the time
/// since that event)` apart, at most `clamp(run length / 1000, 1 min, 1 h)`
/// apart anywhere, plus time 0 and the [`SCORE_TIMES`]. It depends on the
/// doses and the run's span only, never on `dt_out`.
pub fn measure_times(doses: &[DoseEvent], start_h: f64, end_h: f64) -> Vec<f64> {
    let longest = ((end_h - start_h) / 1000.0).clamp(MEASURE_MIN_STEP_H, 1.0);
    let mut events: Vec<f64> = doses
        .iter()
        .flat_map(|d| [d.time_h, d.end_h()])
        .chain(std::iter::once(0.0))
        .filter(|t| *t >= start_h && *t <= end_h)
        .collect();
    events.sort_by(f64::total_cmp);
    events.dedup();
    let mut out = vec![start_h];
    let mut t = start_h;
    let mut k = 0; // next event strictly after t
    let mut last_event = f64::NEG_INFINITY;
    while t < end_h {
        while k < events.len() && events[k] <= t {
            last_event = events[k];
            k += 1;
        }
        let since = t - last_event;
        let step = (MEASURE_GROWTH * since).clamp(MEASURE_MIN_STEP_H, longest);
        let mut next = t + step;
        if k < events.len() && events[k] < next + 0.5 * MEASURE_MIN_STEP_H {
            next = events[k];
        }
        if next > end_h - 0.5 * MEASURE_MIN_STEP_H {
            next = end_h;
        }
        out.push(next);
        t = next;
    }
    out.extend(
        SCORE_TIMES
            .iter()
            .map(|(_, t)| *t)
            .filter(|t| *t > start_h && *t < end_h),
    );
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// How many rows a run of `s` returns: the `timeseries.csv` grid and the
/// dense measure grid. Cheap (no integration), so a server can refuse an
/// answer too large to send before computing it.
pub fn planned_rows(s: &Scenario) -> Result<(usize, usize), SolveError> {
    let doses = s.regimen.as_ref().map(|r| r.expand()).unwrap_or_default();
    let w = window(s);
    Ok((
        w.times()?.len(),
        measure_times(&doses, w.start_h, w.end_h).len(),
    ))
}

/// Runs the scenario for its typical patient.
pub fn run(s: &Scenario) -> Result<RunResult, SolveError> {
    let model = Model::new(&s.params);
    let doses = s.regimen.as_ref().map(|r| r.expand()).unwrap_or_default();
    let drugs = s.regimen.as_ref().map(|r| r.drugs()).unwrap_or_default();
    let w = window(s);
    let csv_times = w.times()?;
    let dense_times = measure_times(&doses, w.start_h, w.end_h);
    // One pass over the union of both grids; each row goes where it belongs.
    let mut times: Vec<f64> = csv_times.iter().chain(&dense_times).copied().collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let (mut rows, mut dense) = (
        Vec::with_capacity(csv_times.len()),
        Vec::with_capacity(dense_times.len()),
    );
    let (mut ci, mut di) = (0, 0);
    let solver = StiffSolver::from_params(&s.params);
    simulate_at_with(&model, &solver, &doses, &times, Detail::Full, |o| {
        if ci < csv_times.len() && csv_times[ci] == o.time_h {
            rows.push(*o);
            ci += 1;
        }
        if di < dense_times.len() && dense_times[di] == o.time_h {
            dense.push(*o);
            di += 1;
        }
    })
    .map_err(|e| e.with_params(&s.params))?;
    let base = model.baseline();
    let baseline_score = model.symptom.baseline_score();
    let reference = Reference {
        healthy_synapse: 1.0,
        baseline_synapse: base[crate::layout::SYNAPSE],
        baseline_score,
        response_score: baseline_score * (1.0 - RESPONSE_FRACTION),
        remission_score: REMISSION_SCORE,
        baseline_gaba: base[crate::layout::GABA_POOL],
    };
    let glu0 = base[crate::layout::GLU_POOL];
    let summary = summarise(&dense, &doses, &drugs, &model, glu0);
    Ok(RunResult {
        scenario: s.clone(),
        doses,
        drugs,
        rows,
        dense,
        reference,
        summary,
        solver: solver.stats(),
    })
}

/// The typical patient of `s` at the given times (hours since the first
/// dose, each inside the run's window), one row per time in the order
/// given. The integration covers the same window as [`run`] and the
/// integrator's steps do not depend on the output times, so a time that is
/// also on [`run`]'s grid gets the very value in its rows (and in
/// `timeseries.csv`); any other time is the integrator's own interpolant,
/// not a straight line between rows.
pub fn observe_at(s: &Scenario, times_h: &[f64]) -> Result<Vec<Observables>, SolveError> {
    let w = window(s);
    if let Some(t) = times_h.iter().find(|t| !(w.start_h..=w.end_h).contains(*t)) {
        return Err(SolveError::BadGrid(format!(
            "time {t} h is outside the run ({} h to {} h)",
            w.start_h, w.end_h
        )));
    }
    let mut grid: Vec<f64> = [w.start_h, w.end_h]
        .iter()
        .chain(times_h)
        .copied()
        .collect();
    grid.sort_by(f64::total_cmp);
    grid.dedup();
    let model = Model::new(&s.params);
    let doses = s.regimen.as_ref().map(|r| r.expand()).unwrap_or_default();
    let solver = StiffSolver::from_params(&s.params);
    let mut all = Vec::with_capacity(grid.len());
    simulate_at_with(&model, &solver, &doses, &grid, Detail::Full, |o| {
        all.push(*o)
    })
    .map_err(|e| e.with_params(&s.params))?;
    Ok(times_h
        .iter()
        .filter_map(|t| all.iter().find(|o| o.time_h == *t).copied())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_dt(name: &str, regimen: Option<&str>, dt_h: f64) -> RunResult {
        let mut s = Scenario::load(name).unwrap();
        if let Some(r) = regimen {
            s.set_regimen(r).unwrap();
        }
        s.dt_out_h = dt_h;
        run(&s).unwrap()
    }

    fn peaks(s: &Summary) -> Vec<(&'static str, Peak)> {
        let mut v: Vec<(&'static str, Peak)> = vec![
            ("nmda", s.peak_nmda_occupancy),
            ("nmda_i", s.peak_nmda_occupancy_interneuron),
            ("glutamate", s.peak_glutamate_vs_baseline),
            ("mtor", s.peak_mtor),
            ("dissociation", s.peak_dissociation),
            ("synapse", s.peak_synapse_density),
        ];
        for (k, p) in &s.peak_plasma_ng_ml {
            v.push((
                if k == "ketamine" {
                    "ketamine"
                } else {
                    "other drug"
                },
                *p,
            ));
        }
        v
    }

    /// The same scenario at 1 min, 10 min and 1 h output spacing: peaks
    /// within 1 %, their times and the response onset within a minute, and
    /// the peaks no lower than the largest value on a 1-min grid.
    #[test]
    fn summary_does_not_depend_on_output_spacing() {
        for (name, regimen) in [
            ("ketamine-iv-single", None),
            (
                "placebo",
                Some("ketamine 0.5 mg/kg iv over 40 min every 7 d x 4"),
            ),
            ("esketamine-nasal", None),
        ] {
            let fine = at_dt(name, regimen, 1.0 / 60.0);
            for dt in [10.0 / 60.0, 1.0] {
                let coarse = at_dt(name, regimen, dt);
                for ((what, a), (_, b)) in
                    peaks(&fine.summary).into_iter().zip(peaks(&coarse.summary))
                {
                    assert!(
                        (a.value - b.value).abs() <= 0.01 * a.value.abs().max(1e-9),
                        "{name} {what} at dt {dt}: {a:?} vs {b:?}"
                    );
                    assert!(
                        (a.time_h - b.time_h).abs() <= 1.0 / 60.0,
                        "{name} {what} {a:?} vs {b:?}"
                    );
                }
                let (a, b) = (
                    fine.summary.time_to_response_h,
                    coarse.summary.time_to_response_h,
                );
                assert_eq!(a.is_some(), b.is_some(), "{name}");
                if let (Some(a), Some(b)) = (a, b) {
                    assert!((a - b).abs() <= 1.0 / 60.0, "{name}: {a} vs {b}");
                }
                assert!(
                    (fine.summary.days_in_response - coarse.summary.days_in_response).abs() < 1e-3
                );
            }
            // Against the printed 1-min rows: the measure grid loses nothing.
            let on_rows = peak(&fine.rows, 0.0, |o| {
                o.plasma.ketamine.max(o.plasma.esketamine)
            });
            let ket = fine
                .summary
                .peak_plasma_ng_ml
                .get("ketamine")
                .or(fine.summary.peak_plasma_ng_ml.get("esketamine"))
                .unwrap();
            assert!(
                ket.value >= on_rows.value * 0.999 && ket.value <= on_rows.value * 1.01,
                "{name}: {ket:?} vs {on_rows:?}"
            );
            let first = fine
                .rows
                .iter()
                .find(|o| o.time_h >= 0.0 && o.symptom_score <= fine.reference.response_score);
            if let (Some(r), Some(t)) = (first, fine.summary.time_to_response_h) {
                assert!(
                    (r.time_h - t).abs() <= 1.0 / 60.0 + 1e-9,
                    "{name}: onset {t} vs row {}",
                    r.time_h
                );
            }
        }
    }

    /// A run reports what its integration cost.
    #[test]
    fn solver_work_is_counted() {
        let r = at_dt("ketamine-iv-single", None, 1.0);
        let w = r.solver;
        assert!(
            w.steps > 10 && w.jacobians >= w.steps && w.rhs > 2 * w.steps,
            "{w:?}"
        );
        let j = summary_json(&r);
        assert_eq!(j["solver"]["steps"].as_u64(), Some(w.steps));
        // docs/MODEL.md section 5: the six-infusion course costs the typical
        // patient about 800 steps.
        let serial = at_dt("ketamine-iv-serial", None, 1.0).solver;
        assert!((600..1000).contains(&serial.steps), "{serial:?}");
    }

    /// An hourly scenario sees the true infusion peak (167 ng/mL at the end
    /// of the infusion), not the value at the nearest whole hour.
    #[test]
    fn hourly_output_keeps_the_infusion_peak() {
        let r = at_dt("ketamine-iv-single", None, 1.0);
        let k = r.summary.peak_plasma_ng_ml["ketamine"];
        assert!(
            k.value > 150.0 && (k.time_h - 40.0 / 60.0).abs() < 1e-9,
            "{k:?}"
        );
        assert!(r.summary.peak_nmda_occupancy.value > 0.35);
        // The figure rows resolve the infusion: ketamine above norketamine at its end.
        let end = r
            .dense
            .iter()
            .find(|o| (o.time_h - 40.0 / 60.0).abs() < 1e-9)
            .unwrap();
        assert!(end.plasma.ketamine > end.plasma.norketamine);
    }

    /// Every episode counts: total days in response and the episode count.
    #[test]
    fn response_counts_every_episode() {
        let r = at_dt(
            "placebo",
            Some("ketamine 0.5 mg/kg iv over 40 min every 14 d x 3"),
            1.0,
        );
        let s = &r.summary;
        assert!(s.response_episodes >= 2, "{s:?}");
        assert!(
            s.days_in_response * 24.0 > s.response_duration_h.unwrap() + 1.0,
            "{s:?}"
        );
        // The total is what the rows say, within an output step per boundary.
        let rows_in = r
            .dense
            .windows(2)
            .filter(|w| w[0].time_h >= 0.0 && w[1].symptom_score <= r.reference.response_score)
            .map(|w| w[1].time_h - w[0].time_h)
            .sum::<f64>()
            / 24.0;
        assert!(
            (rows_in - s.days_in_response).abs() < 0.1,
            "{rows_in} vs {}",
            s.days_in_response
        );
    }

    /// An output step as long as the run gives finite measures; a longer
    /// one is refused.
    #[test]
    fn coarse_output_never_gives_non_finite_measures() {
        let mut s = Scenario::load("ketamine-iv-single").unwrap();
        s.days = 28.0;
        s.dt_out_h = 28.0 * 24.0 + s.runin_h;
        let r = run(&s).unwrap();
        let json = serde_json::to_string(&summary_json(&r)["summary"]).unwrap();
        assert!(!json.contains("null") && !json.contains("inf"), "{json}");
        assert!(r.summary.peak_plasma_ng_ml["ketamine"].value > 150.0);
        s.dt_out_h = 30.0 * 24.0;
        let e = run(&s).unwrap_err();
        assert!(e.to_string().contains("longer than the run"), "{e}");
    }

    /// `observe_at` gives exactly the run's rows at times on its grid, and
    /// values between rows at other times; times outside the run are refused.
    #[test]
    fn observe_at_matches_the_run_rows() {
        for name in ["ketamine-iv-single", "ssri-escitalopram"] {
            let mut s = Scenario::load(name).unwrap();
            s.days = 30.0;
            let r = run(&s).unwrap();
            let times = [0.0, 2.0, 24.0, 168.0, 672.0, 720.0];
            let got = observe_at(&s, &times).unwrap();
            assert_eq!(got.len(), times.len());
            for (o, t) in got.iter().zip(times) {
                let row = r.dense.iter().find(|d| d.time_h == t).unwrap();
                assert_eq!(o.time_h, t);
                assert_eq!(
                    o.synapse_density_rel, row.synapse_density_rel,
                    "{name} at {t} h"
                );
                assert_eq!(o.symptom_score, row.symptom_score, "{name} at {t} h");
            }
            // Between two rows, inside their range.
            let t = 100.25;
            let v = observe_at(&s, &[t]).unwrap()[0].synapse_density_rel;
            let k = r.dense.partition_point(|d| d.time_h < t);
            let (a, b) = (
                r.dense[k - 1].synapse_density_rel,
                r.dense[k].synapse_density_rel,
            );
            assert!(v >= a.min(b) - 1e-6 && v <= a.max(b) + 1e-6, "{a} {v} {b}");
            assert!(observe_at(&s, &[31.0 * 24.0]).is_err());
            assert!(observe_at(&s, &[-s.runin_h - 1.0]).is_err());
        }
    }

    /// The measure grid is fine after each dose and never finer than 1 min.
    #[test]
    fn measure_grid_is_dense_after_doses() {
        let s = Scenario::load("ketamine-iv-serial").unwrap();
        let doses = s.regimen.as_ref().unwrap().expand();
        let t = measure_times(&doses, -24.0, 90.0 * 24.0);
        assert!(t
            .windows(2)
            .all(|w| w[1] > w[0] && w[1] - w[0] <= 1.0 + 1e-9));
        for d in &doses {
            assert!(t.contains(&d.time_h) && t.contains(&d.end_h()));
            let near = t
                .iter()
                .filter(|x| **x > d.time_h && **x <= d.time_h + 0.5)
                .count();
            assert!(near >= 20, "{near}");
        }
        assert!(t.len() < 5000, "{}", t.len());
    }
}
