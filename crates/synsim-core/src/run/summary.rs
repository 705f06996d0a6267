//! What a run's rows add up to: values and peaks between output rows,
//! response and remission episodes, and the run's [`Summary`] and its JSON.

use super::{Peak, RunResult, Summary, SCORE_TIMES};
use crate::model::{Model, Observables};
use crate::params::{id, REGISTRY};
use crate::regimen::{DoseEvent, Drug};
use crate::symptom::{self, REMISSION_SCORE, RESPONSE_FRACTION};
use std::collections::BTreeMap;

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

/// Largest value of `f` over rows at or after `from_h` (the first of equal
/// values); value 0 at `from_h` when no row is that late.
pub fn peak(rows: &[Observables], from_h: f64, f: impl Fn(&Observables) -> f64) -> Peak {
    peak_index(rows, from_h, &f)
        .map(|k| Peak {
            value: f(&rows[k]),
            time_h: rows[k].time_h,
        })
        .unwrap_or(Peak {
            value: 0.0,
            time_h: from_h,
        })
}

fn peak_index(rows: &[Observables], from_h: f64, f: &dyn Fn(&Observables) -> f64) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (k, r) in rows.iter().enumerate().filter(|(_, r)| r.time_h >= from_h) {
        let v = f(r);
        // Equal peaks after identical doses: the first counts, whatever
        // the rounding of the later ones.
        if v.is_finite() && best.is_none_or(|(_, b)| v > b + 1e-9 * b.abs()) {
            best = Some((k, v));
        }
    }
    best.map(|(k, _)| k)
}

/// The peak of `f` on the measure grid, refined between its neighbours by
/// the vertex of the parabola through the three points, unless the peak
/// sits on a dose start or stop (a kink, such as the end of an infusion,
/// where the grid point itself is the peak).
fn refined_peak(rows: &[Observables], kinks: &[f64], f: impl Fn(&Observables) -> f64) -> Peak {
    let Some(k) = peak_index(rows, 0.0, &f) else {
        return Peak {
            value: 0.0,
            time_h: 0.0,
        };
    };
    let at = Peak {
        value: f(&rows[k]),
        time_h: rows[k].time_h,
    };
    if k == 0 || k + 1 >= rows.len() || rows[k - 1].time_h < 0.0 {
        return at;
    }
    let (t0, t1, t2) = (rows[k - 1].time_h, rows[k].time_h, rows[k + 1].time_h);
    if kinks.iter().any(|&e| e >= t0 && e <= t2) {
        return at;
    }
    let (y0, y1, y2) = (f(&rows[k - 1]), at.value, f(&rows[k + 1]));
    // Divided differences of the interpolating parabola.
    let d01 = (y1 - y0) / (t1 - t0);
    let d12 = (y2 - y1) / (t2 - t1);
    let c = (d12 - d01) / (t2 - t0);
    if c.is_nan() || c >= 0.0 {
        return at;
    }
    let tv = 0.5 * (t0 + t1) - d01 / (2.0 * c);
    if !(tv > t0 && tv < t2) {
        return at;
    }
    let v = y1 + d01 * (tv - t1) + c * (tv - t0) * (tv - t1);
    if v.is_finite() && v >= at.value {
        Peak {
            value: v,
            time_h: tv,
        }
    } else {
        at
    }
}

/// Response episodes on the measure grid: `(start, end)` hours since the
/// first dose, each boundary the threshold crossing located by linear
/// interpolation between neighbouring points; an episode still running at
/// the end of the run ends there.
fn episodes(
    rows: &[&Observables],
    inside: impl Fn(f64) -> bool,
    threshold: f64,
) -> Vec<(f64, f64)> {
    let cross = |a: &Observables, b: &Observables| {
        let (sa, sb) = (a.symptom_score, b.symptom_score);
        if sb == sa {
            b.time_h
        } else {
            let w = ((threshold - sa) / (sb - sa)).clamp(0.0, 1.0);
            a.time_h + w * (b.time_h - a.time_h)
        }
    };
    let mut out = Vec::new();
    let mut open: Option<f64> = None;
    for (k, r) in rows.iter().enumerate() {
        let now = inside(r.symptom_score);
        match (open, now) {
            (None, true) => {
                open = Some(if k == 0 {
                    r.time_h
                } else {
                    cross(rows[k - 1], r)
                });
            }
            (Some(t0), false) => {
                out.push((t0, cross(rows[k - 1], r)));
                open = None;
            }
            _ => {}
        }
    }
    if let (Some(t0), Some(last)) = (open, rows.last()) {
        out.push((t0, last.time_h));
    }
    out
}

/// Each dosed drug's refined plasma peak (and its metabolite's), ng/mL;
/// `pk` refines the peak of one observable.
fn peak_plasma(
    drugs: &[Drug],
    pk: &dyn Fn(fn(&Observables) -> f64) -> Peak,
) -> BTreeMap<String, Peak> {
    let mut peak_plasma = BTreeMap::new();
    for d in drugs {
        let get: fn(&Observables) -> f64 = match d {
            Drug::Ketamine => |o| o.plasma.ketamine,
            Drug::Esketamine => |o| o.plasma.esketamine,
            Drug::Escitalopram => |o| o.plasma.escitalopram,
            Drug::Placebo => continue,
        };
        peak_plasma.insert(d.name().to_string(), pk(get));
        if *d == Drug::Ketamine {
            peak_plasma.insert("norketamine".into(), pk(|o| o.plasma.norketamine));
        }
        if *d == Drug::Esketamine {
            peak_plasma.insert("noresketamine".into(), pk(|o| o.plasma.noresketamine));
        }
    }
    peak_plasma
}

/// Days from the last dose to relapse. A responder after the last dose:
/// the response criterion is met within a week of it; relapse is the end
/// of that episode (none while it lasts to the end of the run, `end_h`).
fn relapse_after(response: &[(f64, f64)], last_dose: f64, end_h: f64) -> Option<f64> {
    if !last_dose.is_finite() {
        return None;
    }
    response
        .iter()
        .find(|(a, b)| *b >= last_dose && *a <= last_dose + 168.0)
        .filter(|(_, b)| *b < end_h)
        .map(|(_, b)| (b - last_dose) / 24.0)
}

/// The lowest score from the first dose on (the first of equal ones), or
/// the baseline at 0 h without rows.
fn best_score(after: &[&Observables], baseline: f64) -> Peak {
    after
        .iter()
        .map(|r| Peak {
            value: r.symptom_score,
            time_h: r.time_h,
        })
        .fold(None::<Peak>, |a, b| match a {
            Some(a) if a.value <= b.value => Some(a),
            _ => Some(b),
        })
        .unwrap_or(Peak {
            value: baseline,
            time_h: 0.0,
        })
}

pub(super) fn summarise(
    rows: &[Observables],
    doses: &[DoseEvent],
    drugs: &[Drug],
    model: &Model,
    glu0: f64,
) -> Summary {
    let kinks: Vec<f64> = doses.iter().flat_map(|d| [d.time_h, d.end_h()]).collect();
    let pk = |f: fn(&Observables) -> f64| refined_peak(rows, &kinks, f);
    let peak_plasma = peak_plasma(drugs, &pk);
    let sym = &model.symptom;
    let score_at: BTreeMap<String, f64> = SCORE_TIMES
        .iter()
        .filter_map(|(k, t)| value_at(rows, *t, |o| o.symptom_score).map(|v| (k.to_string(), v)))
        .collect();
    let after: Vec<&Observables> = rows.iter().filter(|r| r.time_h >= 0.0).collect();
    let response_line = sym.baseline_score() * (1.0 - RESPONSE_FRACTION);
    let response = episodes(&after, |s| sym.is_response(s), response_line);
    let remission = episodes(&after, symptom::is_remission, REMISSION_SCORE);
    let time_to_response_h = response.first().map(|e| e.0);
    let response_duration_h = response.first().map(|e| e.1 - e.0);
    let days_in_response = response.iter().map(|e| e.1 - e.0).sum::<f64>() / 24.0;
    let last_dose = doses.iter().map(|d| d.time_h).fold(f64::NAN, f64::max);
    let responder_at_end = after
        .last()
        .is_some_and(|r| sym.is_response(r.symptom_score));
    let end_h = after.last().map_or(0.0, |r| r.time_h);
    let relapse_after_last_dose_d = relapse_after(&response, last_dose, end_h);
    let best = best_score(&after, sym.baseline_score());
    Summary {
        peak_plasma_ng_ml: peak_plasma,
        peak_nmda_occupancy: pk(|o| o.occupancy.nmda),
        peak_nmda_occupancy_interneuron: pk(|o| o.occupancy.nmda_interneuron),
        peak_sert_occupancy: pk(|o| o.occupancy.sert),
        peak_glutamate_vs_baseline: refined_peak(rows, &kinks, |o| o.glutamate_rel / glu0),
        peak_mtor: pk(|o| o.mtor_rel),
        peak_dissociation: pk(|o| o.dissociation),
        peak_synapse_density: pk(|o| o.synapse_density_rel),
        baseline_score: sym.baseline_score(),
        score_at,
        best_score: best,
        time_to_response_h,
        response_duration_h,
        days_in_response,
        response_episodes: response.len() as u32,
        time_to_remission_h: remission.first().map(|e| e.0),
        responder_at_end,
        relapse_after_last_dose_d,
    }
}

/// The integrator's work and tolerances for summary.json.
pub fn solver_json(w: &crate::solve::esdirk::Stats, rtol: f64, atol: f64) -> serde_json::Value {
    serde_json::json!({
        "method": "ESDIRK3(2)4L[2]SA, exact modal PK between doses",
        "rtol": rtol,
        "atol": atol,
        "steps": w.steps,
        "rejected_steps": w.rejected,
        "newton_failures": w.newton_failures,
        "rhs_evaluations": w.rhs,
        "jacobians": w.jacobians,
    })
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
        "solver": solver_json(&r.solver, r.scenario.params[id::RTOL], r.scenario.params[id::ATOL]),
        "warnings": crate::scenario::warnings(&r.scenario),
        "parameters": params,
        "note": "Illustrative teaching model; not clinical advice.",
    })
}
