//! One patient through one scenario: the run and its derived measures.

use crate::model::{Model, Observables};
use crate::params::{id, REGISTRY};
use crate::regimen::{DoseEvent, Drug};
use crate::scenario::Scenario;
use crate::solve::{simulate, SolveError, StiffSolver, Window};
use crate::symptom::{self, REMISSION_SCORE, RESPONSE_FRACTION};
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// First time the score met the response criterion, hours.
    pub time_to_response_h: Option<f64>,
    /// Length of the first response episode, hours (to the end of the run if still responding).
    pub response_duration_h: Option<f64>,
    /// First time in remission, hours.
    pub time_to_remission_h: Option<f64>,
    /// Still a responder at the end of the run.
    pub responder_at_end: bool,
    /// Days from the last dose until the score left the response range.
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
    /// One row per output time.
    pub rows: Vec<Observables>,
    /// Reference levels.
    pub reference: Reference,
    /// Derived measures.
    pub summary: Summary,
}

/// The output window of a scenario: run-in before the first dose, then `days`.
pub fn window(s: &Scenario) -> Window {
    Window {
        start_h: -s.runin_h,
        end_h: s.days * 24.0,
        dt_out_h: s.dt_out_h,
    }
}

/// Runs the scenario for its typical patient.
pub fn run(s: &Scenario) -> Result<RunResult, SolveError> {
    let model = Model::new(&s.params);
    let doses = s.regimen.as_ref().map(|r| r.expand()).unwrap_or_default();
    let drugs = s.regimen.as_ref().map(|r| r.drugs()).unwrap_or_default();
    let rows = simulate(
        &model,
        &StiffSolver::from_params(&s.params),
        &doses,
        &window(s),
    )
    .map_err(|e| e.with_params(&s.params))?;
    let base = model.baseline();
    let baseline_score = model.symptom.baseline_score();
    let reference = Reference {
        healthy_synapse: 1.0,
        baseline_synapse: base[crate::model::layout::SYNAPSE],
        baseline_score,
        response_score: baseline_score * (1.0 - RESPONSE_FRACTION),
        remission_score: REMISSION_SCORE,
        baseline_gaba: base[crate::model::layout::GABA_POOL],
    };
    let glu0 = base[crate::model::layout::GLU_POOL];
    let summary = summarise(&rows, &doses, &drugs, &model, glu0);
    Ok(RunResult {
        scenario: s.clone(),
        doses,
        drugs,
        rows,
        reference,
        summary,
    })
}

/// Linear interpolation of `f` at time `t` (None outside the rows).
pub fn value_at(rows: &[Observables], t: f64, f: impl Fn(&Observables) -> f64) -> Option<f64> {
    let k = rows.partition_point(|r| r.time_h < t);
    if k == rows.len() {
        return None;
    }
    if rows[k].time_h == t || k == 0 {
        return (rows[k].time_h == t).then(|| f(&rows[k]));
    }
    let (a, b) = (&rows[k - 1], &rows[k]);
    let w = (t - a.time_h) / (b.time_h - a.time_h);
    Some(f(a) * (1.0 - w) + f(b) * w)
}

/// Largest value of `f` over rows at or after `from_h`.
pub fn peak(rows: &[Observables], from_h: f64, f: impl Fn(&Observables) -> f64) -> Peak {
    rows.iter()
        .filter(|r| r.time_h >= from_h)
        .map(|r| Peak {
            value: f(r),
            time_h: r.time_h,
        })
        .fold(
            Peak {
                value: f64::NEG_INFINITY,
                time_h: f64::NAN,
            },
            |a, b| if b.value > a.value { b } else { a },
        )
}

fn summarise(
    rows: &[Observables],
    doses: &[DoseEvent],
    drugs: &[Drug],
    model: &Model,
    glu0: f64,
) -> Summary {
    let mut peak_plasma = BTreeMap::new();
    for d in drugs {
        let get: fn(&Observables) -> f64 = match d {
            Drug::Ketamine => |o| o.plasma.ketamine,
            Drug::Esketamine => |o| o.plasma.esketamine,
            Drug::Escitalopram => |o| o.plasma.escitalopram,
            Drug::Placebo => continue,
        };
        peak_plasma.insert(d.name().to_string(), peak(rows, 0.0, get));
        if *d == Drug::Ketamine {
            peak_plasma.insert(
                "norketamine".into(),
                peak(rows, 0.0, |o| o.plasma.norketamine),
            );
        }
    }
    let sym = &model.symptom;
    let score_at: BTreeMap<String, f64> = [
        ("2h", 2.0),
        ("24h", 24.0),
        ("7d", 168.0),
        ("28d", 672.0),
        ("56d", 1344.0),
        ("84d", 2016.0),
    ]
    .iter()
    .filter_map(|(k, t)| value_at(rows, *t, |o| o.symptom_score).map(|v| (k.to_string(), v)))
    .collect();
    let after: Vec<&Observables> = rows.iter().filter(|r| r.time_h >= 0.0).collect();
    let first =
        |pred: &dyn Fn(&Observables) -> bool| after.iter().find(|r| pred(r)).map(|r| r.time_h);
    let time_to_response_h = first(&|r| sym.is_response(r.symptom_score));
    let response_duration_h = time_to_response_h.map(|t0| {
        after
            .iter()
            .filter(|r| r.time_h > t0)
            .find(|r| !sym.is_response(r.symptom_score))
            .map(|r| r.time_h - t0)
            .unwrap_or_else(|| after.last().map(|r| r.time_h - t0).unwrap_or(0.0))
    });
    let last_dose = doses.iter().map(|d| d.time_h).fold(f64::NAN, f64::max);
    let responder_at_end = after
        .last()
        .is_some_and(|r| sym.is_response(r.symptom_score));
    // A responder after the last dose: the response criterion is met within a
    // week of it; relapse is the first time after that when it is not.
    let relapse_after_last_dose_d = if last_dose.is_finite() {
        after
            .iter()
            .filter(|r| r.time_h >= last_dose && r.time_h <= last_dose + 168.0)
            .find(|r| sym.is_response(r.symptom_score))
            .and_then(|start| {
                after
                    .iter()
                    .filter(|r| r.time_h > start.time_h)
                    .find(|r| !sym.is_response(r.symptom_score))
            })
            .map(|r| (r.time_h - last_dose) / 24.0)
    } else {
        None
    };
    let best = rows
        .iter()
        .filter(|r| r.time_h >= 0.0)
        .map(|r| Peak {
            value: r.symptom_score,
            time_h: r.time_h,
        })
        .fold(
            Peak {
                value: f64::INFINITY,
                time_h: f64::NAN,
            },
            |a, b| if b.value < a.value { b } else { a },
        );
    Summary {
        peak_plasma_ng_ml: peak_plasma,
        peak_nmda_occupancy: peak(rows, 0.0, |o| o.occupancy.nmda),
        peak_nmda_occupancy_interneuron: peak(rows, 0.0, |o| o.occupancy.nmda_interneuron),
        peak_sert_occupancy: peak(rows, 0.0, |o| o.occupancy.sert),
        peak_glutamate_vs_baseline: peak(rows, 0.0, |o| o.glutamate_rel / glu0),
        peak_mtor: peak(rows, 0.0, |o| o.mtor_rel),
        peak_dissociation: peak(rows, 0.0, |o| o.dissociation),
        peak_synapse_density: peak(rows, 0.0, |o| o.synapse_density_rel),
        baseline_score: sym.baseline_score(),
        score_at,
        best_score: best,
        time_to_response_h,
        response_duration_h,
        time_to_remission_h: first(&|r| symptom::is_remission(r.symptom_score)),
        responder_at_end,
        relapse_after_last_dose_d,
    }
}

/// summary.json: scenario, parameters used and the derived measures.
pub fn summary_json(r: &RunResult) -> serde_json::Value {
    let params: BTreeMap<&str, serde_json::Value> = REGISTRY
        .iter()
        .zip(r.scenario.params.values())
        .map(|(d, v)| {
            let val = match d.kind {
                crate::params::Kind::Bool => serde_json::Value::Bool(*v != 0.0),
                crate::params::Kind::Real => serde_json::json!(v),
            };
            (d.name, val)
        })
        .collect();
    serde_json::json!({
        "scenario": r.scenario.name,
        "title": r.scenario.title,
        "origin": r.scenario.origin,
        "seed": serde_json::Value::Null,
        "regimen": r.scenario.regimen_text,
        "days": r.scenario.days,
        "dt_out_h": r.scenario.dt_out_h,
        "patient": {
            "depressed": r.scenario.params.flag(id::DEPRESSED),
            "weight_kg": r.scenario.params[id::WEIGHT],
        },
        "doses": r.doses,
        "reference": r.reference,
        "summary": r.summary,
        "parameters": params,
        "note": "Illustrative teaching model; not clinical advice.",
    })
}
