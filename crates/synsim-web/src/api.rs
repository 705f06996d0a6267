//! The lab's JSON API: one entry point, [`call`], shared by the
//! WebAssembly page and `synsim serve`.

use crate::request::{InputError, Request, MAX_PATIENTS};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use synsim_core::experiments::circuit_view::CircuitView;
use synsim_core::export;
use synsim_core::model::Observables;
use synsim_core::params::{Kind, REGISTRY};
use synsim_core::population::{self, bands::PERCENTILES, stats::Estimate, Options, Setup, WHEN};
use synsim_core::regimen::{routes, DoseEvent, Drug, Regimen, Route};
use synsim_core::run::{planned_rows, run, RunResult};
use synsim_core::scenario::{Scenario, BUILTINS};
use synsim_core::settable::REGIMEN_KNOBS;

/// Always shown by the page.
pub const DISCLAIMER: &str =
    "A teaching tool, never clinical advice. The model is illustrative and simplified: \
it recommends no dose and says nothing about any real patient.";

/// Length of the circuit view, ms.
const CIRCUIT_MS: f64 = 200.0;

/// Answers one request: `method` names what to do, `body` is the request
/// JSON. Never panics on input; errors come back as
/// `{"ok": false, "error": {"message", "kind"}}`.
pub fn call(method: &str, body: &str) -> String {
    answer(method, body).1
}

/// [`call`] with the HTTP status that goes with the answer: 200, 400 for
/// bad input or an unknown method, 500 when a valid request could not be
/// simulated.
pub fn answer(method: &str, body: &str) -> (u16, String) {
    answer_with(method, body, &Limits::NONE)
}

/// What a server allows one call: the in-page engine has no limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits<'a> {
    /// Set when the caller went away: a population stops between patients.
    pub stop: &'a AtomicBool,
    /// Most numbers a `run` or `csv` answer may hold; a larger one is
    /// refused before it is computed.
    pub max_values: usize,
}

static NEVER: AtomicBool = AtomicBool::new(false);

impl Limits<'static> {
    /// No limits.
    pub const NONE: Limits<'static> = Limits {
        stop: &NEVER,
        max_values: usize::MAX,
    };
}

/// Numbers in a `run` answer above which a server treats the call as heavy
/// (about half a year of one patient; the default runs send a fifth of it).
pub const HEAVY_VALUES: usize = 600_000;

/// Will this call take long (a population, or a plotted run over many
/// months; a `csv` answer is smaller and is capped by [`Limits`])? A
/// server runs such calls apart from quick ones. Cheap: nothing is
/// simulated; a request that cannot be read counts as quick (it fails fast).
pub fn is_heavy(method: &str, body: &str) -> bool {
    match method {
        "population" => true,
        "run" => planned_values(body).is_some_and(|v| v > HEAVY_VALUES),
        _ => false,
    }
}

fn planned_values(body: &str) -> Option<usize> {
    let r = Request::parse(body).ok()?;
    answer_values(&r, &r.scenario().ok()?, true).ok()
}

/// Numbers a `run` answer (`with_dense`) or a `csv` answer of `s` would
/// hold, from the planned output grids: nothing is simulated.
fn answer_values(r: &Request, s: &Scenario, with_dense: bool) -> Result<usize, Failure> {
    let (csv, dense) = planned_rows(s).map_err(run_failure)?;
    let rows = match (with_dense, r.display) {
        (true, Some(true)) => dense,
        (true, _) => csv + dense,
        (false, _) => csv,
    };
    let drugs = s.regimen.as_ref().map(|g| g.drugs()).unwrap_or_default();
    Ok(rows.saturating_mul(export::columns(&drugs).len()))
}

/// [`answer`] within a server's [`Limits`].
pub fn answer_with(method: &str, body: &str, limits: &Limits) -> (u16, String) {
    let out = Request::parse(body)
        .map_err(Failure::from)
        .and_then(|r| dispatch(method, &r, limits));
    match out {
        Ok(text) => (200, text),
        Err(Failure::Input(e)) => (400, error_json(&e.0, "input").to_string()),
        Err(Failure::Run(e)) => (500, error_json(&e, "run").to_string()),
    }
}

/// A successful answer built as a JSON object: `ok` is added.
fn ok_text(v: Value) -> String {
    match v {
        Value::Object(mut m) => {
            m.insert("ok".into(), Value::Bool(true));
            Value::Object(m).to_string()
        }
        other => json!({"ok": true, "value": other}).to_string(),
    }
}

/// Why a request has no answer.
enum Failure {
    /// Bad request: the student can fix it.
    Input(InputError),
    /// A valid request the model could not simulate.
    Run(String),
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Failure {
        Failure::Input(e)
    }
}

fn run_failure(e: impl std::fmt::Display) -> Failure {
    Failure::Run(e.to_string())
}

fn error_json(message: &str, kind: &str) -> Value {
    json!({"ok": false, "error": {"message": message, "kind": kind}})
}

fn dispatch(method: &str, r: &Request, limits: &Limits) -> Result<String, Failure> {
    match method {
        "catalog" => Ok(ok_text(catalog())),
        "run" => run_answer(r, limits),
        "csv" => csv_json(r, limits).map(ok_text),
        "regimen" => regimen_json(r).map(ok_text),
        "population" => population_json(r, limits).map(ok_text),
        "circuit" => circuit_json(r).map(ok_text),
        other => Err(InputError(format!(
            "unknown method \"{}\": use catalog, run, csv, regimen, population or circuit",
            other.chars().take(40).collect::<String>()
        ))
        .into()),
    }
}

/// Every parameter, scenario, drug and column the page can show.
fn catalog() -> Value {
    let parameters: Vec<Value> = REGISTRY
        .iter()
        .map(|d| {
            json!({
                "name": d.name,
                "unit": d.unit,
                "default": d.default,
                "min": d.min,
                "max": d.max,
                "description": d.description,
                "plain": d.plain,
                "source": d.source,
                "illustrative": d.is_illustrative(),
                "stage": d.group(),
                "kind": match d.kind { Kind::Bool => "switch", Kind::Real => "number" },
                "log_scale": d.kind == Kind::Real && d.min > 0.0 && d.max / d.min >= 100.0,
            })
        })
        .collect();
    let scenarios: Vec<Value> = BUILTINS
        .iter()
        .filter_map(|(name, _)| Scenario::builtin_named(name).ok())
        .map(|s| scenario_json(&s))
        .collect();
    let columns: Vec<Value> = export::COLUMN_META
        .iter()
        .map(|c| json!({"name": c.name, "label": c.label, "unit": c.unit, "stage": c.stage}))
        .collect();
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "parameters": parameters,
        "regimen_knobs": regimen_knobs(),
        "scenarios": scenarios,
        "drugs": drugs(),
        "columns": columns,
        "disclaimer": DISCLAIMER,
    })
}

fn scenario_json(s: &Scenario) -> Value {
    let set: Map<String, Value> = s
        .params
        .changed()
        .into_iter()
        .map(|(d, v)| {
            let v = match d.kind {
                Kind::Bool => Value::Bool(v != 0.0),
                Kind::Real => json!(v),
            };
            (d.name.to_string(), v)
        })
        .collect();
    let doses = s.regimen.as_ref().map(|r| r.expand()).unwrap_or_default();
    json!({
        "id": s.name,
        "title": s.title,
        "description": s.teaching_note,
        "caption": s.teaching_note,
        "try_this": s.try_this,
        "regimen": (!s.regimen_text.is_empty()).then(|| s.regimen_text.clone()),
        "days": s.days,
        // Minutes matter after one dose; weeks matter over a course.
        "log_time": doses.len() <= 1,
        "set": set,
    })
}

/// The drugs of the notation with the route words and dose units it
/// accepts for each, from the drug x route table.
fn drugs() -> Vec<Value> {
    routes::ROUTES
        .iter()
        .map(|r| {
            let mut words: Vec<&str> = Vec::new();
            for route in r.routes {
                let w = match route {
                    Route::IvInfusion | Route::IvBolus => "iv",
                    Route::Nasal => "nasal",
                    Route::Oral => "oral",
                };
                if !words.contains(&w) {
                    words.push(w);
                }
            }
            let label = match r.drug {
                Drug::Ketamine => "ketamine (racemic)",
                Drug::Esketamine => "esketamine (S-ketamine)",
                Drug::Escitalopram => "escitalopram (SSRI)",
                Drug::Placebo => "placebo (saline or sham spray)",
            };
            json!({"name": r.drug.name(), "label": label, "routes": words, "dose_units": r.units})
        })
        .collect()
}

/// The regimen knobs `set` accepts besides the registry parameters.
fn regimen_knobs() -> Vec<Value> {
    REGIMEN_KNOBS
        .iter()
        .map(|k| {
            json!({"name": k.name, "unit": k.unit, "min": k.min, "max": k.max,
                   "description": k.description, "kind": "number"})
        })
        .collect()
}

fn dose_json(d: &DoseEvent, weight_kg: f64) -> Value {
    json!({
        "time_h": d.time_h,
        "drug": d.drug.name(),
        "route": d.route.name(),
        "amount_mg": d.amount.mg(weight_kg),
        "duration_h": d.duration_h,
    })
}

/// Runs the request's scenario, unless its answer would hold more than
/// `limits.max_values` numbers (`with_dense`: the `run` answer, which
/// also carries the dense measure grid).
fn simulate(
    r: &Request,
    limits: &Limits,
    with_dense: bool,
) -> Result<(Scenario, RunResult), Failure> {
    let s = r.scenario()?;
    let values = answer_values(r, &s, with_dense)?;
    if values > limits.max_values {
        return Err(InputError(format!(
            "--days {}: the answer would hold {values} numbers, over this server's limit of {}; \
             shorten the run, or run `{}` on the command line, which has no such limit",
            synsim_core::params::fmt_num(s.days),
            limits.max_values,
            r.command("run", "")
        ))
        .into());
    }
    let res = run(&s).map_err(run_failure)?;
    Ok((s, res))
}

/// The `run` answer. Built as a typed struct rather than a JSON tree: a
/// series has about 100 000 numbers, and one `Value` each would cost more
/// than the simulation.
#[derive(serde::Serialize)]
struct RunAnswer<'a> {
    ok: bool,
    title: &'a str,
    regimen: Option<&'a str>,
    columns: Vec<&'static str>,
    /// One array per column; non-finite values are written as null.
    series: BTreeMap<&'static str, Vec<f64>>,
    doses: Vec<Value>,
    reference: Value,
    summary: Value,
    warnings: Vec<String>,
    command: String,
}

fn run_answer(r: &Request, limits: &Limits) -> Result<String, Failure> {
    let (s, res) = simulate(r, limits, true)?;
    let cols = export::columns(&res.drugs);
    let rows = match r.display {
        Some(true) => res.dense.iter().collect(),
        _ => plotted_rows(&res),
    };
    let series = cols
        .iter()
        .map(|c| (c.name, rows.iter().map(|o| (c.get)(o)).collect()))
        .collect();
    let mut reference = serde_json::to_value(res.reference).map_err(run_failure)?;
    if let Value::Object(m) = &mut reference {
        m.insert(
            "healthy_score".into(),
            json!(s.params[synsim_core::params::id::HEALTHY_SCORE]),
        );
    }
    let w = s.weight_kg();
    let answer = RunAnswer {
        ok: true,
        title: &res.scenario.title,
        regimen: (!s.regimen_text.is_empty()).then_some(s.regimen_text.as_str()),
        columns: cols.iter().map(|c| c.name).collect(),
        series,
        doses: res.doses.iter().map(|d| dose_json(d, w)).collect(),
        reference,
        summary: serde_json::to_value(&res.summary).map_err(run_failure)?,
        warnings: synsim_core::scenario::warnings(&s),
        command: r.command("run", ""),
    };
    serde_json::to_string(&answer).map_err(run_failure)
}

/// The rows the page plots: every `timeseries.csv` row (so the plotted
/// values at those times are the CSV's) plus the dense measure grid the
/// command line's figures use, so the minutes after a dose are drawn
/// smoothly whatever the output step.
fn plotted_rows(res: &RunResult) -> Vec<&Observables> {
    let mut out: Vec<&Observables> = Vec::with_capacity(res.rows.len() + res.dense.len());
    let (mut a, mut b) = (res.rows.iter().peekable(), res.dense.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if (x.time_h - y.time_h).abs() < 1e-9 => {
                b.next();
                a.next()
            }
            (Some(x), Some(y)) if y.time_h < x.time_h => b.next(),
            (Some(_), _) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(o) => out.push(o),
            None => return out,
        }
    }
}

fn csv_json(r: &Request, limits: &Limits) -> Result<Value, Failure> {
    let (_, res) = simulate(r, limits, false)?;
    let cols = export::columns(&res.drugs);
    Ok(json!({"csv": export::timeseries_csv(&res.rows, &cols)}))
}

fn regimen_json(r: &Request) -> Result<Value, Failure> {
    let text = r
        .text
        .as_deref()
        .ok_or_else(|| InputError("the request has no \"text\" to read".into()))?;
    let reg = Regimen::parse(text).map_err(InputError::from)?;
    let doses = reg.expand();
    let w = REGISTRY[synsim_core::params::id::WEIGHT.0].default;
    Ok(json!({
        "notation": reg.to_notation(),
        "doses": doses.iter().map(|d| dose_json(d, w)).collect::<Vec<_>>(),
        "description": format!("{} dose{}", doses.len(), if doses.len() == 1 { "" } else { "s" }),
    }))
}

fn population_json(r: &Request, limits: &Limits) -> Result<Value, Failure> {
    let n = r.patients.unwrap_or(200);
    if !(1..=MAX_PATIENTS).contains(&n) {
        return Err(InputError(format!(
            "--patients {n}: the lab runs between 1 and {MAX_PATIENTS} virtual patients \
             (use `synsim population` for more)"
        ))
        .into());
    }
    let seed = r.seed.unwrap_or(1);
    let mut s = r.scenario()?;
    // The same output step as `synsim population`, so the rates agree.
    s.dt_out_h = s.dt_out_h.max(population::MIN_DEFAULT_DT_H);
    let setup = Setup::new(s).map_err(|e| InputError(e.to_string()))?;
    let opt = Options {
        patients: n as u64,
        seed,
        bands: true,
        individuals: 0,
        acute_dissociation: false,
        ..Options::default()
    };
    let warnings = synsim_core::scenario::warnings(&setup.scenario);
    let pop = population::run_until(setup, &opt, &|_| {}, limits.stop).map_err(run_failure)?;
    let mut bands = Map::new();
    let (mut time_h, mut response_rate, mut remission_rate) = (vec![], vec![], vec![]);
    if let Some(b) = &pop.bands {
        time_h = b.time_h.clone();
        response_rate = b.response_rate.clone();
        remission_rate = b.remission_rate.clone();
        for (name, rows) in &b.quantities {
            let mut q = Map::new();
            for (k, p) in PERCENTILES.iter().enumerate() {
                let v: Vec<Value> = rows.iter().map(|r| number(r[k])).collect();
                q.insert(format!("p{p}"), Value::Array(v));
            }
            bands.insert(name.to_string(), Value::Object(q));
        }
    }
    let s = pop.summary();
    let mut rates = Vec::new();
    for (k, w) in WHEN.iter().enumerate() {
        rates.push(rate(
            &format!("response at {}", when_label(w)),
            &s.response[k],
        ));
        rates.push(rate(
            &format!("remission at {}", when_label(w)),
            &s.remission[k],
        ));
    }
    Ok(json!({
        "patients": pop.patients.len(),
        "failed": pop.failed.len(),
        "seed": seed,
        "time_h": time_h,
        "bands": bands,
        "response_rate": response_rate,
        "remission_rate": remission_rate,
        "rates": rates,
        "warnings": warnings,
        "summary": population::export::summary_json(&pop),
        "command": r.command("population", &format!(" --patients {n} --seed {seed}")),
    }))
}

fn when_label(w: &str) -> String {
    match w {
        "end" => "the end (24 h after the last dose)".into(),
        "24h" => "24 h".into(),
        other => other.replace('d', " d"),
    }
}

fn rate(label: &str, e: &Estimate) -> Value {
    json!({"label": label, "rate": number(e.value), "lo": number(e.lo), "hi": number(e.hi), "n": e.n})
}

fn circuit_json(r: &Request) -> Result<Value, Failure> {
    let occ = r.occupancy.unwrap_or(0.5);
    if !(occ.is_finite() && (0.0..=0.95).contains(&occ)) {
        return Err(InputError(format!(
            "--occupancy {occ}: give an NMDA occupancy between 0 and 0.95"
        ))
        .into());
    }
    let s = match r.scenario {
        Some(_) => r.scenario()?,
        None => Scenario::builtin_named("ketamine-iv-single").map_err(InputError::from)?,
    };
    let v = CircuitView::new(&s.params, occ, CIRCUIT_MS);
    let trace = |t: &[synsim_core::circuit::CircuitSample]| {
        json!({
            "t_ms": t.iter().map(|x| x.t_ms).collect::<Vec<_>>(),
            "exc": t.iter().map(|x| x.exc).collect::<Vec<_>>(),
            "inh": t.iter().map(|x| x.inh).collect::<Vec<_>>(),
        })
    };
    let clines = |c: &synsim_core::circuit::Circuit| {
        let pts = |p: Vec<(f64, f64)>| p.into_iter().map(|(e, i)| [e, i]).collect::<Vec<_>>();
        json!({"exc": pts(c.exc_nullcline(200)), "inh": pts(c.inh_nullcline(200))})
    };
    Ok(json!({
        "occupancy": occ,
        "interneuron_occupancy": v.occ_inh,
        "disinhibition": v.disinhibition,
        "healthy": trace(&v.trace_healthy),
        "blocked": trace(&v.trace_blocked),
        "nullclines": {"healthy": clines(&v.healthy), "blocked": clines(&v.blocked)},
        "fixed_points": {"healthy": [v.rest_healthy.0, v.rest_healthy.1],
                         "blocked": [v.rest_blocked.0, v.rest_blocked.1]},
        "command": format!("synsim circuit --occupancy {occ}"),
    }))
}

/// A finite number, or null (JSON has no NaN or infinity).
fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests;
