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
mod tests {
    use super::*;

    fn ok(method: &str, body: &str) -> Value {
        let out = call(method, body);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["ok"], true, "{method}: {out}");
        v
    }

    fn err(method: &str, body: &str) -> String {
        let (status, out) = answer(method, body);
        assert_eq!(status, 400, "{out}");
        let v: Value = serde_json::from_str(&out).unwrap();
        v["error"]["message"].as_str().unwrap().to_string()
    }

    #[test]
    fn catalog_lists_every_parameter_and_scenario() {
        let v = ok("catalog", "{}");
        assert_eq!(v["parameters"].as_array().unwrap().len(), REGISTRY.len());
        assert_eq!(v["scenarios"].as_array().unwrap().len(), BUILTINS.len());
        assert!(v["columns"].as_array().unwrap().len() > 15);
    }

    #[test]
    fn csv_is_the_command_lines_timeseries() {
        let body = r#"{"scenario":"ketamine-iv-single","set":{"synapse.max_density":1.3}}"#;
        let mut s = Scenario::builtin_named("ketamine-iv-single").unwrap();
        s.apply_overrides(&["synapse.max_density=1.3".into()])
            .unwrap();
        let r = run(&s).unwrap();
        let want = export::timeseries_csv(&r.rows, &export::columns(&r.drugs));
        assert_eq!(ok("csv", body)["csv"].as_str().unwrap(), want);
        // The plotted series hold every CSV row, with the same values.
        let v = ok("run", body);
        let times: Vec<f64> = v["series"]["time_h"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap())
            .collect();
        let score = v["series"]["symptom_score"].as_array().unwrap();
        assert!(times.len() > r.rows.len() && times.windows(2).all(|w| w[0] < w[1]));
        for o in r.rows.iter().step_by(97) {
            let k = times
                .iter()
                .position(|t| *t == o.time_h)
                .expect("a CSV time is plotted");
            // serde_json's default reader may round the last bit (the page's
            // JSON.parse does not), so allow one unit in the last place.
            let got = score[k].as_f64().unwrap();
            assert!(
                (got - o.symptom_score).abs() <= 2.0 * f64::EPSILON * got.abs(),
                "t = {}",
                o.time_h
            );
        }
    }

    #[test]
    fn the_display_series_is_the_figures_grid() {
        let s = Scenario::builtin_named("esketamine-nasal").unwrap();
        let r = run(&s).unwrap();
        let full = ok("run", r#"{"scenario":"esketamine-nasal"}"#);
        let shown = ok("run", r#"{"scenario":"esketamine-nasal","display":true}"#);
        let col = |v: &Value, c: &str| -> Vec<f64> {
            let a = v["series"][c].as_array().unwrap();
            a.iter().map(|x| x.as_f64().unwrap()).collect()
        };
        let times = col(&shown, "time_h");
        assert_eq!(times.len(), r.dense.len());
        assert!(
            4 * times.len() < col(&full, "time_h").len(),
            "{}",
            times.len()
        );
        for (k, o) in r.dense.iter().enumerate() {
            assert_eq!(times[k], o.time_h);
        }
        // Every dose's peak is on the grid: the plasma peak is the full series'.
        let peak = |v: &Value| {
            col(v, "plasma_esketamine_ng_ml")
                .into_iter()
                .fold(0.0, f64::max)
        };
        assert!((peak(&shown) - peak(&full)).abs() <= 1e-3 * peak(&full));
        assert_eq!(shown["summary"], full["summary"]);
    }

    #[test]
    fn bad_requests_get_the_command_lines_words() {
        assert!(err("run", r#"{"scenario":"ketamine-iv-singel"}"#).contains("Did you mean"));
        let e = err(
            "run",
            r#"{"scenario":"placebo","set":{"synapse.max_densty":1}}"#,
        );
        assert!(
            e.contains("did you mean") || e.contains("Did you mean"),
            "{e}"
        );
        let e = err(
            "run",
            r#"{"scenario":"placebo","set":{"synapse.max_density":99}}"#,
        );
        assert!(e.contains("range"), "{e}");
        let e = err("regimen", r#"{"text":"ketamine 0.5 mg/kg iv over 40 min"}"#);
        assert!(e.contains('^'), "{e}");
        assert!(err("nope", "{}").contains("unknown method"));
        assert!(err("run", "{not json").contains("bad request"));
        assert!(err("population", r#"{"scenario":"placebo","patients":100000}"#).contains("5000"));
        assert!(err("circuit", r#"{"occupancy":2}"#).contains("between 0 and 0.95"));
    }

    #[test]
    fn regimen_knobs_and_calibration_warnings_reach_the_page() {
        let v = ok(
            "run",
            r#"{"scenario":"ketamine-iv-single","set":{"regimen.dose":0.7}}"#,
        );
        assert!(
            v["regimen"].as_str().unwrap().contains("0.7 mg/kg"),
            "{}",
            v["regimen"]
        );
        assert!(v["warnings"].as_array().unwrap().is_empty());
        let v = ok(
            "run",
            r#"{"scenario":"ketamine-iv-single","set":{"regimen.dose":2}}"#,
        );
        assert!(
            !v["warnings"].as_array().unwrap().is_empty(),
            "2 mg/kg warns"
        );
        let c = ok("catalog", "{}");
        assert!(c["regimen_knobs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["name"] == "regimen.dose"));
        let esc = c["drugs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == "escitalopram")
            .unwrap()
            .clone();
        assert_eq!(esc["routes"], json!(["oral", "iv"]));
    }

    #[test]
    fn population_rates_come_with_intervals() {
        let v = ok(
            "population",
            r#"{"scenario":"ketamine-iv-single","patients":20,"seed":3,"days":7}"#,
        );
        assert_eq!(v["patients"], 20);
        let r0 = &v["rates"][0];
        assert!(r0["lo"].as_f64().unwrap() <= r0["rate"].as_f64().unwrap());
        let p50 = v["bands"]["symptom_score"]["p50"].as_array().unwrap();
        assert_eq!(p50.len(), v["time_h"].as_array().unwrap().len());
    }

    /// The placebo arm runs the same sessions with no drug: its command
    /// line names the placebo regimen, and it responds less at 24 h.
    #[test]
    fn the_placebo_arm_runs_the_same_sessions_without_drug() {
        let body = |arm: &str| {
            format!(
                r#"{{"scenario":"ketamine-iv-single","patients":40,"seed":3,"days":2,"arm":"{arm}"}}"#
            )
        };
        let drug = ok("population", &body("treatment"));
        let placebo = ok("population", &body("placebo"));
        let cmd = placebo["command"].as_str().unwrap();
        assert!(
            cmd.contains("--regimen 'placebo iv over 40 min once'")
                || cmd.contains("--regimen \"placebo iv over 40 min once\""),
            "{cmd}"
        );
        let r24 = |v: &Value| v["rates"][0]["rate"].as_f64().unwrap();
        assert!(
            r24(&drug) > r24(&placebo) + 0.2,
            "{} vs {}",
            r24(&drug),
            r24(&placebo)
        );
        let e = err("population", r#"{"scenario":"placebo","arm":"both"}"#);
        assert!(e.contains("\"treatment\" or \"placebo\""), "{e}");
    }

    #[test]
    fn circuit_view_has_both_traces_and_nullclines() {
        let v = ok("circuit", r#"{"occupancy":0.5}"#);
        assert!(v["interneuron_occupancy"].as_f64().unwrap() > 0.5);
        assert!(!v["healthy"]["exc"].as_array().unwrap().is_empty());
        assert!(!v["nullclines"]["blocked"]["inh"]
            .as_array()
            .unwrap()
            .is_empty());
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A small seeded fuzz over method names and bodies.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let pieces = [
            "{",
            "}",
            "\"scenario\":",
            "\"placebo\"",
            "\"set\":",
            "{\"pk.ketamine.ke0_per_min\":",
            "1e308",
            "-1",
            "true",
            ",",
            "\"regimen\":",
            "\"ketamine 0.5 mg/kg iv every\"",
            "\"days\":",
            "0",
            "\"patients\":",
            "3",
            "\"occupancy\":",
            "null",
            "[",
            "]",
            "\u{0}",
        ];
        for _ in 0..300 {
            let body: String = (0..(next() % 12))
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let method = ["run", "regimen", "circuit", "catalog", "x"][(next() % 5) as usize];
            let out = call(method, &body);
            assert!(serde_json::from_str::<Value>(&out).is_ok(), "{out}");
        }
    }

    #[test]
    fn long_runs_and_populations_are_heavy() {
        assert!(is_heavy("population", "{}"));
        assert!(!is_heavy("run", r#"{"scenario":"esketamine-nasal"}"#));
        assert!(!is_heavy(
            "run",
            r#"{"scenario":"ketamine-iv-single","days":90}"#
        ));
        assert!(is_heavy(
            "run",
            r#"{"scenario":"ketamine-iv-single","days":365}"#
        ));
        assert!(!is_heavy("run", "not json"));
        assert!(!is_heavy("circuit", "{}"));
    }

    #[test]
    fn a_server_s_limits_refuse_large_answers_and_stop_populations() {
        let stop = AtomicBool::new(false);
        let small = Limits {
            stop: &stop,
            max_values: 1_000_000,
        };
        let body = r#"{"scenario":"ketamine-iv-single","days":3650}"#;
        let (status, out) = answer_with("run", body, &small);
        assert_eq!(status, 400, "{out}");
        assert!(
            out.contains("--days 3650") && out.contains("1000000"),
            "{out}"
        );
        assert!(
            out.contains("synsim run ketamine-iv-single --days 3650"),
            "{out}"
        );
        assert_eq!(answer_with("csv", body, &small).0, 400);
        let body = r#"{"scenario":"ketamine-iv-single","days":90}"#;
        assert_eq!(answer_with("run", body, &small).0, 200);
        let stopped = AtomicBool::new(true);
        let gone = Limits {
            stop: &stopped,
            max_values: usize::MAX,
        };
        let (status, out) = answer_with(
            "population",
            r#"{"scenario":"ketamine-iv-single","patients":64}"#,
            &gone,
        );
        assert_eq!(status, 500, "{out}");
        assert!(out.contains("stopped"), "{out}");
    }
}
