//! Stage one of loading: TOML text -> span-carrying raw form -> validated
//! [`Scenario`].

use super::{Scenario, ScenarioError};
use crate::params::{self, lookup, Kind, ParamDef, ParamId, Params, Variability, REGISTRY};
use crate::regimen::Regimen;
use crate::units;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    title: Spanned<String>,
    teaching_note: Spanned<String>,
    #[serde(default)]
    try_this: Vec<String>,
    days: Option<Spanned<f64>>,
    dt_out: Option<Spanned<String>>,
    runin: Option<Spanned<String>>,
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

    let mut params = Params::default();
    if let Some(p) = &raw.patient {
        apply_patient(&ctx, p, &mut params)?;
    }
    for (key, value) in &raw.params {
        apply_param(&ctx, key, value, &mut params)?;
    }
    let variability = raw
        .variability
        .iter()
        .map(|(k, v)| parse_variability(&ctx, k, v))
        .collect::<Result<Vec<_>, _>>()?;

    let (regimen, regimen_text) = match &raw.regimen {
        None => (None, String::new()),
        Some(r) => {
            let t = r.notation.get_ref();
            match Regimen::parse(t) {
                Ok(reg) => (Some(reg), t.clone()),
                Err(e) => return ctx.err(r.notation.span(), format!("[regimen] notation: {e}")),
            }
        }
    };

    let days = match &raw.days {
        None => 28.0,
        Some(d) => {
            let v = *d.get_ref();
            if !(v.is_finite() && v > 0.0 && v <= 3650.0) {
                return ctx.err(
                    d.span(),
                    format!("days = {v}: must be a number of days from 0 to 3650"),
                );
            }
            v
        }
    };
    let dt_out_h = duration_field(
        &ctx,
        raw.dt_out.as_ref(),
        "dt_out",
        1.0,
        1.0 / 3600.0,
        24.0 * 30.0,
    )?;
    let runin_h = duration_field(&ctx, raw.runin.as_ref(), "runin", 24.0, 0.0, 24.0 * 365.0)?;

    Ok(Scenario {
        name: name.to_string(),
        title: raw.title.into_inner(),
        teaching_note: raw.teaching_note.into_inner(),
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
    })
}

fn duration_field(
    ctx: &Ctx,
    field: Option<&Spanned<String>>,
    name: &str,
    default: f64,
    min: f64,
    max: f64,
) -> Result<f64, ScenarioError> {
    let Some(f) = field else { return Ok(default) };
    match units::parse_duration_h(f.get_ref()) {
        Ok(h) if (min..=max).contains(&h) => Ok(h),
        Ok(h) => ctx.err(
            f.span(),
            format!(
                "{name} = \"{}\" ({h} h) is out of range: valid range {} to {}",
                f.get_ref(),
                units::format_duration_h(min),
                units::format_duration_h(max)
            ),
        ),
        Err(e) => ctx.err(f.span(), format!("{name}: {e}")),
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
    let bad = |m: &str| ctx.err(value.span(), format!("[variability] {name}: {m}"));
    if let toml::Value::String(s) = value.get_ref() {
        if s == "none" {
            return Ok((pid, Variability::None));
        }
    }
    let Some(t) = value.get_ref().as_table() else {
        return bad("use \"none\" or a table like { dist = \"lognormal\", cv = 0.3 }");
    };
    let num = |k: &str| -> Option<f64> {
        t.get(k)
            .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
    };
    let dist = t.get("dist").and_then(|d| d.as_str()).unwrap_or("");
    let var = match dist {
        "lognormal" => match num("cv") {
            Some(cv) if (0.0..=3.0).contains(&cv) => Variability::LogNormal { cv },
            _ => return bad("lognormal needs cv between 0 and 3 (0.3 = 30 %)"),
        },
        "normal" => match (num("sd"), num("lo"), num("hi")) {
            (Some(sd), lo, hi) if sd >= 0.0 && sd.is_finite() => Variability::Normal {
                sd,
                lo: lo.unwrap_or(def.min).max(def.min),
                hi: hi.unwrap_or(def.max).min(def.max),
            },
            _ => return bad("normal needs sd >= 0 (in the parameter's unit) and optional lo, hi"),
        },
        "uniform" => match (num("lo"), num("hi")) {
            (Some(lo), Some(hi)) if lo <= hi && def.check(lo).is_ok() && def.check(hi).is_ok() => {
                Variability::Uniform { lo, hi }
            }
            _ => {
                return bad(&format!(
                    "uniform needs lo <= hi inside the valid range {} {}",
                    def.range_text(),
                    def.unit_text()
                ))
            }
        },
        other => {
            return bad(&format!(
                "unknown dist \"{other}\": use lognormal, normal, uniform or \"none\""
            ))
        }
    };
    Ok((pid, var))
}
