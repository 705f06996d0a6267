//! Stage one of loading: TOML text -> span-carrying raw form -> validated
//! [`Scenario`].

use super::{Scenario, ScenarioError};
use crate::params::{
    self, fmt_num, lookup, Kind, ParamDef, ParamId, Params, Variability, REGISTRY,
};
use crate::regimen::Regimen;
use crate::settable::{self, Target};
use crate::units;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    title: Option<Spanned<String>>,
    #[serde(default)]
    teaching_note: String,
    #[serde(default)]
    try_this: Vec<String>,
    days: Option<Spanned<toml::Value>>,
    dt_out: Option<Spanned<toml::Value>>,
    runin: Option<Spanned<toml::Value>>,
    patient: Option<RawPatient>,
    regimen: Option<RawRegimen>,
    #[serde(default)]
    params: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    variability: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPatient {
    state: Option<Spanned<String>>,
    weight: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegimen {
    notation: Spanned<String>,
}

/// Converts a byte offset into a 1-based line number.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

struct Ctx<'a> {
    text: &'a str,
    file: &'a str,
}

impl Ctx<'_> {
    fn err<T>(&self, span: std::ops::Range<usize>, message: String) -> Result<T, ScenarioError> {
        Err(ScenarioError {
            file: self.file.to_string(),
            line: Some(line_of(self.text, span.start)),
            message,
        })
    }
}

/// Parses and validates scenario text.
pub(super) fn parse(text: &str, name: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let ctx = Ctx { text, file };
    let raw: RawScenario = toml::from_str(text).map_err(|e| ScenarioError {
        file: file.to_string(),
        line: e.span().map(|s| line_of(text, s.start)),
        message: e.message().trim().to_string(),
    })?;
    let title = match raw.title {
        Some(t) => t.into_inner(),
        None => return Err(missing_title(file)),
    };
    let (params, knobs) = params_of(&ctx, raw.patient.as_ref(), &raw.params)?;
    let variability = raw
        .variability
        .iter()
        .map(|(k, v)| parse_variability(&ctx, k, v))
        .collect::<Result<Vec<_>, _>>()?;
    let (regimen, regimen_text) = regimen_of(&ctx, raw.regimen.as_ref())?;
    let days = days_of(&ctx, raw.days.as_ref())?;
    let (dt_out_h, runin_h) = output_and_runin_h(&ctx, raw.dt_out.as_ref(), raw.runin.as_ref())?;

    let mut scenario = Scenario {
        name: name.to_string(),
        title,
        teaching_note: raw.teaching_note,
        try_this: raw.try_this,
        origin: file.to_string(),
        params,
        regimen,
        regimen_text,
        days,
        dt_out_h,
        runin_h,
        variability,
        changes: Vec::new(),
        missing_regimen: raw.regimen.is_none(),
    };
    for (key, value) in knobs {
        apply_knob(&ctx, key, value, &mut scenario)?;
    }
    Ok(scenario)
}

/// A `[params]` entry: its name and its value, both with their spans.
type Entry<'a> = (&'a Spanned<String>, &'a Spanned<toml::Value>);

/// The parameters from `[patient]` and `[params]`, and the regimen knobs
/// of `[params]` set aside: they change the regimen, so they wait until it
/// is read.
fn params_of<'a>(
    ctx: &Ctx,
    patient: Option<&RawPatient>,
    entries: &'a BTreeMap<Spanned<String>, Spanned<toml::Value>>,
) -> Result<(Params, Vec<Entry<'a>>), ScenarioError> {
    let mut params = Params::default();
    if let Some(p) = patient {
        apply_patient(ctx, p, &mut params)?;
    }
    let mut knobs = Vec::new();
    for (key, value) in entries {
        if key.get_ref().starts_with("regimen.") {
            knobs.push((key, value));
        } else {
            apply_param(ctx, key, value, &mut params)?;
        }
    }
    Ok((params, knobs))
}

/// The `[regimen]` notation, parsed, with its text; none when absent or
/// `"none"`.
fn regimen_of(
    ctx: &Ctx,
    raw: Option<&RawRegimen>,
) -> Result<(Option<Regimen>, String), ScenarioError> {
    match raw {
        None => Ok((None, String::new())),
        Some(r) if is_none(r.notation.get_ref()) => Ok((None, String::new())),
        Some(r) => {
            let t = r.notation.get_ref();
            match Regimen::parse(t) {
                Ok(reg) => Ok((Some(reg), t.clone())),
                Err(e) => ctx.err(r.notation.span(), format!("[regimen] notation: {e}")),
            }
        }
    }
}

/// `days =`, checked; 28 when absent.
fn days_of(ctx: &Ctx, days: Option<&Spanned<toml::Value>>) -> Result<f64, ScenarioError> {
    match days {
        None => Ok(28.0),
        Some(d) => {
            let v = days_value(d.get_ref()).or_else(|m| ctx.err(d.span(), m))?;
            super::check_days("days =", v).or_else(|m| ctx.err(d.span(), m))
        }
    }
}

/// `dt_out` and `runin` in hours, each within its range.
fn output_and_runin_h(
    ctx: &Ctx,
    dt_out: Option<&Spanned<toml::Value>>,
    runin: Option<&Spanned<toml::Value>>,
) -> Result<(f64, f64), ScenarioError> {
    let dt_out_h = duration_field(
        ctx,
        dt_out,
        "dt_out",
        1.0,
        super::MIN_DT_OUT_H,
        super::MAX_DT_OUT_H,
    )?;
    let runin_h = duration_field(ctx, runin, "runin", 24.0, 0.0, super::MAX_RUNIN_H)?;
    if let Some(r) = runin {
        let what = format!("runin = {}", r.get_ref());
        super::check_runin_h(&what, runin_h).or_else(|m| ctx.err(r.span(), m))?;
    }
    Ok((dt_out_h, runin_h))
}

/// A regimen knob in `[params]` (see [`crate::settable`]).
fn apply_knob(
    ctx: &Ctx,
    key: &Spanned<String>,
    value: &Spanned<toml::Value>,
    s: &mut Scenario,
) -> Result<(), ScenarioError> {
    let name = key.get_ref();
    let Target::Regimen(t) = settable::lookup(name).or_else(|m| ctx.err(key.span(), m))? else {
        return ctx.err(key.span(), params::unknown_param_message(name));
    };
    let resolved = s
        .resolve_knob(&t)
        .or_else(|m| ctx.err(key.span(), format!("[params] {m}")))?;
    let v = match value.get_ref() {
        toml::Value::Float(f) => *f,
        toml::Value::Integer(i) => *i as f64,
        _ => {
            return ctx.err(
                value.span(),
                format!(
                    "{name} needs a number in {} (valid range {} to {})",
                    resolved.unit,
                    fmt_num(resolved.min),
                    fmt_num(resolved.max)
                ),
            )
        }
    };
    s.set_regimen_value(&resolved, v)
        .or_else(|m| ctx.err(value.span(), m))
}

/// `notation = "none"`: the file means to run untreated.
fn is_none(notation: &str) -> bool {
    notation.trim().eq_ignore_ascii_case("none")
}

/// The error for a file without `title`: the one field every scenario
/// file must have.
fn missing_title(file: &str) -> ScenarioError {
    ScenarioError {
        file: file.to_string(),
        line: Some(1),
        message: "missing `title`: every scenario file needs a one-line title, used on its \
                  figures and in its summary; add a first line such as \
                  title = \"Ketamine once a week for a month\""
            .into(),
    }
}

/// Reads `days =`: a number of days (`days = 28`) or a duration written
/// the way the regimen notation writes one (`days = "4 w"`, `"2 weeks"`).
fn days_value(v: &toml::Value) -> Result<f64, String> {
    const EXPECTED: &str = "expects a number of days (days = 28) or a duration such as \
                            \"4 w\", \"28 d\" or \"2 weeks\"";
    match v {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) => Ok(*f),
        toml::Value::String(s) => units::parse_duration_h(s)
            .map(|h| h / 24.0)
            .map_err(|e| format!("days = {e}; days {EXPECTED}")),
        other => Err(format!("days = {other}: days {EXPECTED}")),
    }
}

/// Reads a duration field such as `dt_out = "1 h"` in hours, within
/// `min..=max` hours; absent, `default`.
fn duration_field(
    ctx: &Ctx,
    field: Option<&Spanned<toml::Value>>,
    name: &str,
    default: f64,
    min: f64,
    max: f64,
) -> Result<f64, ScenarioError> {
    let Some(f) = field else { return Ok(default) };
    let toml::Value::String(text) = f.get_ref() else {
        return ctx.err(
            f.span(),
            format!(
                "{name} = {}: {name} expects a duration with its unit in quotes, such as \
                 {name} = \"1 h\", \"10 min\" or \"1 d\" (valid range {} to {})",
                f.get_ref(),
                units::format_duration_h(min),
                units::format_duration_h(max)
            ),
        );
    };
    match units::parse_duration_h(text) {
        Ok(h) if (min..=max).contains(&h) => Ok(h),
        Ok(h) => ctx.err(
            f.span(),
            format!(
                "{name} = \"{text}\" ({h} h) is out of range: valid range {} to {}",
                units::format_duration_h(min),
                units::format_duration_h(max)
            ),
        ),
        Err(e) => ctx.err(f.span(), format!("{name} = {e}")),
    }
}

fn apply_patient(ctx: &Ctx, p: &RawPatient, params: &mut Params) -> Result<(), ScenarioError> {
    if let Some(s) = &p.state {
        let v = match s.get_ref().to_ascii_lowercase().as_str() {
            "depressed" | "trd" => 1.0,
            "healthy" => 0.0,
            other => {
                return ctx.err(
                    s.span(),
                    format!("[patient] state = \"{other}\": use \"depressed\" or \"healthy\""),
                )
            }
        };
        params.set_unchecked(params::id::DEPRESSED, v);
    }
    if let Some(w) = &p.weight {
        let kg = match units::parse_mass_kg(w.get_ref()) {
            Ok(kg) => kg,
            Err(e) => return ctx.err(w.span(), format!("[patient] weight: {e}")),
        };
        if let Err(m) = params.set(params::id::WEIGHT, kg) {
            return ctx.err(w.span(), format!("[patient] weight: {m}"));
        }
    }
    Ok(())
}

fn apply_param(
    ctx: &Ctx,
    key: &Spanned<String>,
    value: &Spanned<toml::Value>,
    params: &mut Params,
) -> Result<(), ScenarioError> {
    let name = key.get_ref();
    let Some(pid) = lookup(name) else {
        return ctx.err(key.span(), params::unknown_param_message(name));
    };
    let def = &REGISTRY[pid.0];
    let v = value_as_number(def, value.get_ref()).or_else(|m| ctx.err(value.span(), m))?;
    params.set(pid, v).or_else(|m| ctx.err(value.span(), m))
}

fn value_as_number(def: &ParamDef, v: &toml::Value) -> Result<f64, String> {
    match (def.kind, v) {
        (Kind::Bool, toml::Value::Boolean(b)) => Ok(f64::from(u8::from(*b))),
        (Kind::Real, toml::Value::Float(f)) => Ok(*f),
        (Kind::Real, toml::Value::Integer(i)) => Ok(*i as f64),
        (Kind::Real, toml::Value::String(s)) => params::parse_value(def, s),
        (Kind::Bool, _) => Err(format!("{} is a switch: use true or false", def.name)),
        (Kind::Real, _) => Err(format!(
            "{} needs a number in {} (valid range {})",
            def.name,
            def.unit_text(),
            def.range_text()
        )),
    }
}

/// One `[variability]` entry written as a table; every key is checked.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDist {
    dist: toml::Value,
    cv: Option<toml::Value>,
    sd: Option<toml::Value>,
    lo: Option<toml::Value>,
    hi: Option<toml::Value>,
}

const VAR_USAGE: &str = "use \"none\" or a table: { dist = \"lognormal\", cv = 0.3 }, { dist = \"normal\", sd = S, lo = L, hi = H } or { dist = \"uniform\", lo = L, hi = H }";

/// One `[variability]` entry: `"none"` or a distribution table for a real
/// parameter, every field checked.
fn parse_variability(
    ctx: &Ctx,
    key: &Spanned<String>,
    value: &Spanned<toml::Value>,
) -> Result<(ParamId, Variability), ScenarioError> {
    let name = key.get_ref();
    let Some(pid) = lookup(name) else {
        return ctx.err(key.span(), params::unknown_param_message(name));
    };
    let def = &REGISTRY[pid.0];
    let bad = |m: String| ctx.err(value.span(), format!("[variability] {name}: {m}"));
    match value.get_ref() {
        toml::Value::String(s) if s == "none" => return Ok((pid, Variability::None)),
        toml::Value::Table(_) => {}
        _ => return bad(VAR_USAGE.to_string()),
    }
    if def.kind == Kind::Bool {
        return bad(
            "is a switch (true/false); it cannot vary between patients (use \"none\")".into(),
        );
    }
    let raw: RawDist = match value.get_ref().clone().try_into() {
        Ok(r) => r,
        Err(e) => return bad(format!("{}; {VAR_USAGE}", e.message().trim())),
    };
    let dist = match &raw.dist {
        toml::Value::String(d) => d.as_str(),
        other => return bad(format!("dist must be text, found {}", other.type_str())),
    };
    match distribution(def, &raw, dist) {
        Ok(v) => Ok((pid, v)),
        Err(m) => bad(m),
    }
}

/// The distribution `dist` names, from the fields of `raw`.
fn distribution(def: &ParamDef, raw: &RawDist, dist: &str) -> Result<Variability, String> {
    match dist {
        "lognormal" => lognormal(raw),
        "normal" => normal(def, raw),
        "uniform" => uniform(def, raw),
        other => Err(format!(
            "unknown dist \"{other}\": use lognormal, normal, uniform or \"none\""
        )),
    }
}

/// `{ dist = "lognormal", cv = C }` with C from 0 to 3.
fn lognormal(raw: &RawDist) -> Result<Variability, String> {
    only(raw, "lognormal", &["cv"])?;
    match number("cv", &raw.cv)? {
        Some(cv) if (0.0..=3.0).contains(&cv) => Ok(Variability::LogNormal { cv }),
        Some(cv) => Err(format!(
            "cv = {} is outside 0 to 3 (0.3 = 30 %)",
            fmt_num(cv)
        )),
        None => Err("lognormal needs cv (0 to 3; 0.3 = 30 %)".into()),
    }
}

/// `{ dist = "normal", sd = S, lo = L, hi = H }`: S not negative; the
/// bounds, by default the parameter's valid range, inside it and in order.
fn normal(def: &ParamDef, raw: &RawDist) -> Result<Variability, String> {
    only(raw, "normal", &["sd", "lo", "hi"])?;
    let sd = match number("sd", &raw.sd)? {
        Some(sd) if sd >= 0.0 => sd,
        Some(sd) => return Err(format!("sd = {} cannot be negative", fmt_num(sd))),
        None => {
            return Err(format!(
                "normal needs sd (in {}) and optional lo, hi",
                def.unit_text()
            ))
        }
    };
    let lo = bound(def, "lo", &raw.lo)?.unwrap_or(def.min);
    let hi = bound(def, "hi", &raw.hi)?.unwrap_or(def.max);
    ordered(lo, hi)?;
    Ok(Variability::Normal { sd, lo, hi })
}

/// `{ dist = "uniform", lo = L, hi = H }`: both bounds given, inside the
/// valid range and in order.
fn uniform(def: &ParamDef, raw: &RawDist) -> Result<Variability, String> {
    only(raw, "uniform", &["lo", "hi"])?;
    match (bound(def, "lo", &raw.lo)?, bound(def, "hi", &raw.hi)?) {
        (Some(lo), Some(hi)) => {
            ordered(lo, hi)?;
            Ok(Variability::Uniform { lo, hi })
        }
        _ => Err(format!(
            "uniform needs lo and hi inside the valid range {} {}",
            def.range_text(),
            def.unit_text()
        )),
    }
}

/// A field that must be a finite number when given.
fn number(field: &str, v: &Option<toml::Value>) -> Result<Option<f64>, String> {
    let x = match v {
        None => return Ok(None),
        Some(toml::Value::Float(f)) => *f,
        Some(toml::Value::Integer(i)) => *i as f64,
        Some(other) => {
            return Err(format!(
                "{field} must be a number, found {} {other}",
                other.type_str()
            ))
        }
    };
    if x.is_finite() {
        Ok(Some(x))
    } else {
        Err(format!("{field} must be a finite number, found {x}"))
    }
}

/// A bound (`lo`, `hi`): a number inside the parameter's valid range.
fn bound(def: &ParamDef, field: &str, v: &Option<toml::Value>) -> Result<Option<f64>, String> {
    let x = number(field, v)?;
    if let Some(x) = x {
        if x < def.min || x > def.max {
            return Err(format!(
                "{field} = {} is outside the valid range {} {}",
                fmt_num(x),
                def.range_text(),
                def.unit_text()
            ));
        }
    }
    Ok(x)
}

/// Refuses a field the distribution does not take (the first found, in
/// the order cv, sd, lo, hi).
fn only(raw: &RawDist, dist: &str, allowed: &[&str]) -> Result<(), String> {
    let given = [
        ("cv", raw.cv.is_some()),
        ("sd", raw.sd.is_some()),
        ("lo", raw.lo.is_some()),
        ("hi", raw.hi.is_some()),
    ];
    match given.iter().find(|(k, on)| *on && !allowed.contains(k)) {
        Some((k, _)) => Err(format!("{dist} takes {}, not {k}", allowed.join(", "))),
        None => Ok(()),
    }
}

/// `lo` must not be above `hi`.
fn ordered(lo: f64, hi: f64) -> Result<(), String> {
    if lo > hi {
        Err(format!(
            "lo = {} is above hi = {}",
            fmt_num(lo),
            fmt_num(hi)
        ))
    } else {
        Ok(())
    }
}
