//! patients.csv, bands.csv and summary.json of a population (the output
//! contract of `synsim population`).

use super::bands::{Bands, PERCENTILES};
use super::outcome::Point;
use super::stats::{num, Estimate};
use super::{sample, Population, WHEN};
use crate::export::fmt_csv;
use crate::params::REGISTRY;
use crate::symptom::{REMISSION_SCORE, RESPONSE_FRACTION};

/// Outcome columns of patients.csv after the sampled parameters (contract order).
pub const OUTCOME_COLUMNS: [&str; 14] = [
    "baseline_score",
    "score_24h",
    "score_7d",
    "score_28d",
    "score_56d",
    "responder_24h",
    "remitter_24h",
    "responder_7d",
    "responder_56d",
    "remitter_56d",
    "responder_end",
    "remitter_end",
    "time_to_response_h",
    "relapse_d",
];

/// Extra columns after the contract ones.
pub const EXTRA_COLUMNS: [&str; 5] = [
    "remitter_7d",
    "responder_28d",
    "remitter_28d",
    "best_score",
    "days_in_response",
];

fn opt_num(v: Option<f64>) -> String {
    v.map(fmt_csv).unwrap_or_default()
}

fn flag(p: Option<Point>, f: fn(&Point) -> bool) -> &'static str {
    match p {
        None => "",
        Some(p) if f(&p) => "1",
        Some(_) => "0",
    }
}

/// The header of patients.csv for a population with these sampled parameters.
pub fn patients_header(pop: &Population) -> Vec<String> {
    let mut h = vec!["patient".to_string()];
    h.extend(
        pop.setup
            .vary
            .iter()
            .map(|v| REGISTRY[v.id.0].name.to_string()),
    );
    h.extend(
        OUTCOME_COLUMNS
            .iter()
            .chain(&EXTRA_COLUMNS)
            .map(|s| s.to_string()),
    );
    h
}

/// patients.csv: one row per patient.
pub fn patients_csv(pop: &Population) -> String {
    let mut out = String::with_capacity(pop.patients.len() * (pop.setup.vary.len() + 20) * 10);
    out.push_str(&patients_header(pop).join(","));
    out.push('\n');
    let resp = |p: &Point| p.responder;
    let rem = |p: &Point| p.remitter;
    let blanks = ",".repeat(OUTCOME_COLUMNS.len() + EXTRA_COLUMNS.len());
    let mut failed = pop.failed.iter().peekable();
    let failed_row = |out: &mut String, index: u64, drawn: &[f64]| {
        out.push_str(&index.to_string());
        for x in drawn {
            out.push(',');
            out.push_str(&fmt_csv(*x));
        }
        out.push_str(&blanks);
        out.push('\n');
    };
    for p in &pop.patients {
        while let Some(f) = failed.next_if(|f| f.index < p.index) {
            failed_row(&mut out, f.index, &f.drawn);
        }
        let o = &p.outcome;
        let score = |k: usize| opt_num(o.at[k].map(|x| x.score));
        let mut cells: Vec<String> = Vec::with_capacity(1 + p.drawn.len() + 19);
        cells.push(p.index.to_string());
        cells.extend(p.drawn.iter().map(|x| fmt_csv(*x)));
        cells.push(fmt_csv(o.baseline_score));
        cells.extend((0..4).map(score));
        cells.extend(
            [
                flag(o.at[0], resp),
                flag(o.at[0], rem),
                flag(o.at[1], resp),
                flag(o.at[3], resp),
                flag(o.at[3], rem),
                flag(o.end, resp),
                flag(o.end, rem),
            ]
            .map(String::from),
        );
        cells.push(opt_num(o.time_to_response_h));
        cells.push(opt_num(o.relapse_d));
        cells.extend(
            [flag(o.at[1], rem), flag(o.at[2], resp), flag(o.at[2], rem)].map(String::from),
        );
        cells.push(if o.best_score.is_finite() {
            fmt_csv(o.best_score)
        } else {
            String::new()
        });
        cells.push(fmt_csv(o.days_in_response));
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    for f in failed {
        failed_row(&mut out, f.index, &f.drawn);
    }
    out
}

/// The header of bands.csv.
pub fn bands_header(b: &Bands) -> Vec<String> {
    let mut h = vec!["time_h".to_string()];
    for (name, _) in &b.quantities {
        h.extend(PERCENTILES.iter().map(|p| format!("{name}_p{p}")));
    }
    h.push("response_rate".into());
    h.push("remission_rate".into());
    h
}

/// bands.csv: percentiles over time, then the response and remission rates.
pub fn bands_csv(b: &Bands) -> String {
    let mut out = bands_header(b).join(",");
    out.push('\n');
    for (k, t) in b.time_h.iter().enumerate() {
        let mut cells = vec![fmt_csv(*t)];
        for (_, v) in &b.quantities {
            cells.extend(v[k].iter().map(|x| fmt_csv(*x)));
        }
        cells.push(fmt_csv(b.response_rate[k]));
        cells.push(fmt_csv(b.remission_rate[k]));
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn rate_json(e: &Estimate) -> serde_json::Value {
    if e.n == 0 {
        serde_json::json!({"value": null, "ci95": [null, null], "n": 0, "note": "the run ends before this time"})
    } else {
        e.to_json()
    }
}

/// The integrators' work: totals over the patients and the mean per patient.
fn population_solver_json(pop: &Population) -> serde_json::Value {
    let w = pop.work();
    let n = pop.patients.len().max(1) as f64;
    let p = &pop.setup.scenario.params;
    let mut j = crate::run::solver_json(
        &w,
        p[crate::params::id::POP_RTOL],
        p[crate::params::id::POP_ATOL],
    );
    j["per_patient"] = serde_json::json!({
        "steps": w.steps as f64 / n,
        "rejected_steps": w.rejected as f64 / n,
        "newton_failures": w.newton_failures as f64 / n,
        "rhs_evaluations": w.rhs as f64 / n,
        "jacobians": w.jacobians as f64 / n,
    });
    let batched = pop.patients.iter().filter(|p| p.lanes > 1).count();
    j["lockstep"] = serde_json::json!({
        "lanes": crate::population::LANES,
        "patients_in_batches": batched,
    });
    j["note"] = "totals over the simulated patients (failed ones left out), each lock-step batch \
                 counted once; per_patient: totals divided by the patients (a batch's steps and \
                 right-hand sides serve all of its patients at once)"
        .into();
    j
}

/// summary.json: scenario, seed, variability and the headline rates with 95 % CIs.
pub fn summary_json(pop: &Population) -> serde_json::Value {
    let s = pop.summary();
    let sc = &pop.setup.scenario;
    let mut rates = serde_json::Map::new();
    for (k, w) in WHEN.iter().enumerate() {
        rates.insert(format!("response_{w}"), rate_json(&s.response[k]));
        rates.insert(format!("remission_{w}"), rate_json(&s.remission[k]));
    }
    let variability: Vec<serde_json::Value> = pop
        .setup
        .vary
        .iter()
        .map(|v| {
            let d = &REGISTRY[v.id.0];
            serde_json::json!({
                "parameter": d.name,
                "unit": d.unit,
                "typical": v.typical,
                "distribution": sample::describe(&v.dist),
                "source": d.source,
            })
        })
        .collect();
    let relapse_note = if s.relapse_d.value.is_infinite() {
        "more than half of the responders still respond at the end of the run: lengthen it with --days"
    } else {
        "responders 24 h after the last dose; those still responding at the end count as relapsing after the run (null bound = beyond the run)"
    };
    serde_json::json!({
        "scenario": sc.name,
        "title": sc.title,
        "origin": sc.origin,
        "regimen": sc.regimen_text,
        "patients": pop.patients.len(),
        "seed": pop.seed,
        "days": sc.days,
        "dt_out_h": sc.dt_out_h,
        "definitions": {
            "response": format!("score at or below {} % of the patient's own baseline", 100.0 * (1.0 - RESPONSE_FRACTION)),
            "remission": format!("score at or below {REMISSION_SCORE}"),
            "end": "24 h after the last dose",
            "ci95": "Wilson score interval for rates; order-statistic (binomial) interval for medians; normal approximation for means, kept within the data",
        },
        "rates": rates,
        "median_time_to_response_h": {
            "among": "patients who responded during the run",
            "value": num(s.time_to_response_h.value),
            "ci95": [num(s.time_to_response_h.lo), num(s.time_to_response_h.hi)],
            "n": s.time_to_response_h.n,
        },
        "median_relapse_d": {
            "among": relapse_note,
            "value": num(s.relapse_d.value),
            "ci95": [num(s.relapse_d.lo), num(s.relapse_d.hi)],
            "n": s.relapse_d.n,
        },
        "median_best_score": s.best_score.to_json(),
        "mean_days_in_response": s.days_in_response.to_json(),
        "variability": variability,
        "solver": population_solver_json(pop),
        "failed_patients": {
            "count": pop.failed.len(),
            "first_indices": pop.failed.iter().take(20).map(|f| f.index).collect::<Vec<_>>(),
            "first_error": pop.failed.first().map(|f| f.error.to_string()),
            "note": "patients whose run failed are left out of every statistic",
        },
        "note": "Illustrative teaching model of virtual patients; not clinical advice.",
    })
}
