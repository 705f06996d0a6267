//! `synsim regimen`: read the regimen notation and list the expanded doses.

use super::common::InputError;
use crate::params::{fmt_num, id, REGISTRY};
use crate::regimen::{DoseEvent, Drug, Regimen, Route};
use crate::scenario::Scenario;
use crate::units;
use std::collections::BTreeMap;
use std::process::ExitCode;

/// Parse regimen notation and list the expanded doses.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim regimen \"ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 6\"
  synsim regimen \"ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6 then every 4 w x 3\"
  synsim regimen \"esketamine 56 mg nasal twice weekly for 4 w then 84 mg weekly for 4 w\"
  synsim regimen \"escitalopram 10 mg oral daily for 8 w\"
  synsim regimen \"esketamine 56 mg nasal twice weekly for 4 w + escitalopram 10 mg oral daily for 4 w\"
  synsim regimen \"placebo iv over 40 min once\"
  synsim regimen \"ketamine 0.5 mg/kg iv over 40 min once\" --weight 90
  synsim regimen \"ketamine 35 mg iv bolus once\" --json

The notation, phase by phase (words are case-insensitive):
  regimen   strand [+ strand]...            strands run alongside, each from time 0
  strand    phase [then phase]...           phases follow one another
  phase     DRUG DOSE ROUTE [over DURATION] [after DURATION] SCHEDULE
  DRUG      ketamine | esketamine | escitalopram | placebo (also s-ketamine, saline)
  DOSE      NUMBER mg | mg/kg | ug | g          e.g. 0.5 mg/kg, 56 mg
  ROUTE     iv | nasal | oral (also intravenous, intranasal, po); iv with
            \"over 40 min\" is an infusion, \"iv bolus\" or plain iv a bolus
  SCHEDULE  once
            every DURATION COUNT                e.g. every 3.5 d x 6
            daily | twice daily | weekly | twice weekly | monthly | bid | tid
              | q12h | q3.5d ... followed by COUNT
            on DAYS COUNT                       e.g. on mon,wed,fri x 6
  COUNT     x N (N doses) | for DURATION (doses starting within that time)
  DURATION  NUMBER min | h | d | w | months (30 d)

A later phase may leave out the drug, dose and route: they carry over from
the phase before (a dose carries over only for the same drug). A later phase
starts one of its own intervals after the previous phase's last dose (one day
for `once` and weekday phases); \"after 2 w\" sets that gap instead. Weekday
lists are relative: the first listed day is the first dose. Nothing carries
over across \"+\": the first phase of a strand names its drug, dose and route.

Times are counted from the first dose. The same notation works in scenario
files ([regimen] notation = \"...\") and with --regimen on run, compare,
theories and population. Illustrative teaching model; nothing here
recommends a dose.")]
pub struct Args {
    /// The regimen in the notation below (quote it; unquoted words are joined)
    #[arg(required = true, num_args = 1.., value_name = "NOTATION")]
    pub notation: Vec<String>,
    /// Body weight for mg/kg doses: kg, or with a unit ("154 lb")
    #[arg(long, value_name = "KG", default_value = "70")]
    pub weight: String,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let text = a.notation.join(" ");
    let weight = parse_weight(&a.weight)?;
    // The error's Display already points at the offending word (exit code 2).
    let regimen = Regimen::parse(&text)?;
    let doses = regimen.expand();
    if a.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&json(&regimen, &doses, weight))?
        );
    } else {
        super::common::out_str(&table(&regimen, &doses, weight))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads `--weight`: a bare number is kg; a unit may be given.
fn parse_weight(text: &str) -> Result<f64, InputError> {
    let kg = match text.trim().parse::<f64>() {
        Ok(v) => v,
        Err(_) => units::parse_mass_kg(text).map_err(|e| InputError(format!("--weight {e}")))?,
    };
    let def = &REGISTRY[id::WEIGHT.0];
    if !(kg.is_finite() && kg >= def.min && kg <= def.max) {
        return Err(InputError(format!(
            "--weight {text}: the body weight must be between {} and {} kg (as patient.weight_kg)",
            fmt_num(def.min),
            fmt_num(def.max)
        )));
    }
    Ok(kg)
}

/// "3 + 12:00" style time since the first dose: whole days, then h:mm.
pub fn day_clock(time_h: f64) -> (u64, String) {
    let minutes = (time_h * 60.0).round().max(0.0) as u64;
    let day = minutes / (24 * 60);
    let rest = minutes % (24 * 60);
    (day, format!("{}:{:02}", rest / 60, rest % 60))
}

/// The dose as written, e.g. "0.5 mg/kg" or "56 mg".
fn dose_text(ev: &DoseEvent) -> String {
    format!("{} {}", fmt_num(ev.amount.value()), ev.amount.unit())
}

/// Infusion length, or "-" for instantaneous doses.
fn infusion_text(ev: &DoseEvent) -> String {
    if ev.route == Route::IvInfusion && ev.duration_h > 0.0 {
        units::format_duration_h(ev.duration_h)
    } else {
        "-".to_string()
    }
}

/// First dose to the end of the last one, hours.
fn span_h(doses: &[DoseEvent]) -> f64 {
    let first = doses.first().map_or(0.0, |d| d.time_h);
    let last = doses.iter().map(DoseEvent::end_h).fold(first, f64::max);
    last - first
}

/// Total mg and number of doses per drug.
fn totals(doses: &[DoseEvent], weight: f64) -> BTreeMap<Drug, (usize, f64)> {
    let mut t: BTreeMap<Drug, (usize, f64)> = BTreeMap::new();
    for d in doses {
        let e = t.entry(d.drug).or_default();
        e.0 += 1;
        e.1 += d.amount.mg(weight);
    }
    t
}

/// The human-readable listing.
fn table(regimen: &Regimen, doses: &[DoseEvent], weight: f64) -> String {
    let mut s = String::new();
    let per_kg = doses.iter().any(|d| d.amount.unit() == "mg/kg");
    s.push_str(&format!(
        "{:>4}  {:>4}  {:>6}  {:>9}  {:<13} {:<12} {:<11} {:>10}  {}\n",
        "#", "day", "h:mm", "t (h)", "drug", "route", "dose", "mg", "infusion"
    ));
    for (k, d) in doses.iter().enumerate() {
        let (day, clock) = day_clock(d.time_h);
        s.push_str(&format!(
            "{:>4}  {:>4}  {:>6}  {:>9}  {:<13} {:<12} {:<11} {:>10}  {}\n",
            k + 1,
            day,
            clock,
            fmt_num(round3(d.time_h)),
            d.drug.name(),
            d.route.name(),
            dose_text(d),
            fmt_num(round3(d.amount.mg(weight))),
            infusion_text(d)
        ));
    }
    s.push('\n');
    s.push_str(&format!(
        "{} dose{} over {} (first dose to end of last)\n",
        doses.len(),
        if doses.len() == 1 { "" } else { "s" },
        span_text(span_h(doses))
    ));
    for (drug, (n, mg)) in totals(doses, weight) {
        if drug == Drug::Placebo {
            s.push_str(&format!("  placebo: {n} session(s), no drug\n"));
        } else {
            s.push_str(&format!(
                "  {}: {n} dose(s), {} mg in total\n",
                drug.name(),
                fmt_num(round3(mg))
            ));
        }
    }
    if per_kg {
        s.push_str(&format!(
            "mg/kg doses converted for {} kg (here --weight KG; in a run \
             --set patient.weight_kg=KG)\n",
            fmt_num((weight * 10.0).round() / 10.0)
        ));
    }
    s.push_str(&format!("canonical notation: {}\n", regimen.to_notation()));
    s.push_str("day and h:mm count from the first dose (day 0, 0:00).\n");
    s.push_str(&format!("simulate it: {}\n", run_command(regimen, weight)));
    s
}

/// The `synsim run` command that simulates `regimen` in the depressed
/// patient of the placebo scenario, with `--set patient.weight_kg` when
/// the weight is not that patient's (every word is one `synsim run`
/// accepts).
fn run_command(regimen: &Regimen, weight: f64) -> String {
    let mut cmd = format!("synsim run placebo --regimen \"{}\"", regimen.to_notation());
    let placebo_kg = Scenario::builtin_named("placebo").map_or(f64::NAN, |s| s.weight_kg());
    if (weight - placebo_kg).abs() > 1e-9 || placebo_kg.is_nan() {
        let kg = fmt_num((weight * 1000.0).round() / 1000.0);
        cmd.push_str(&format!(" --set patient.weight_kg={kg}"));
    }
    cmd
}

/// A span as "95 d 0 h 40 min" (zero parts left out, minutes rounded).
fn span_text(h: f64) -> String {
    let minutes = (h * 60.0).round().max(0.0) as u64;
    let (d, hh, mm) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} d"));
    }
    if hh > 0 {
        parts.push(format!("{hh} h"));
    }
    if mm > 0 || parts.is_empty() {
        parts.push(format!("{mm} min"));
    }
    parts.join(" ")
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The listing as JSON.
fn json(regimen: &Regimen, doses: &[DoseEvent], weight: f64) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = doses
        .iter()
        .enumerate()
        .map(|(k, d)| {
            serde_json::json!({
                "n": k + 1,
                "time_h": d.time_h,
                "day": day_clock(d.time_h).0,
                "drug": d.drug.name(),
                "route": d.route.name(),
                "dose": d.amount.value(),
                "dose_unit": d.amount.unit(),
                "mg": d.amount.mg(weight),
                "duration_h": d.duration_h,
            })
        })
        .collect();
    let totals: BTreeMap<&str, serde_json::Value> = totals(doses, weight)
        .into_iter()
        .map(|(drug, (n, mg))| (drug.name(), serde_json::json!({ "doses": n, "mg": mg })))
        .collect();
    serde_json::json!({
        "notation": regimen.to_notation(),
        "weight_kg": weight,
        "doses": rows,
        "n_doses": doses.len(),
        "span_h": span_h(doses),
        "totals": totals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_clock_splits_days_hours_minutes() {
        assert_eq!(day_clock(0.0), (0, "0:00".to_string()));
        assert_eq!(day_clock(84.0), (3, "12:00".to_string()));
        assert_eq!(day_clock(24.0 + 2.0 / 3.0), (1, "0:40".to_string()));
    }

    #[test]
    fn span_text_is_readable() {
        assert_eq!(span_text(2280.0 + 2.0 / 3.0), "95 d 40 min");
        assert_eq!(span_text(0.0), "0 min");
        assert_eq!(span_text(25.5), "1 d 1 h 30 min");
    }

    #[test]
    fn weight_accepts_numbers_and_units_and_checks_range() {
        assert_eq!(parse_weight("70").unwrap(), 70.0);
        assert!((parse_weight("154 lb").unwrap() - 69.85).abs() < 0.01);
        let e = parse_weight("500").unwrap_err().to_string();
        assert!(
            e.contains("30") && e.contains("200") && e.contains("kg"),
            "{e}"
        );
        assert!(parse_weight("heavy").is_err());
    }

    #[test]
    fn totals_count_mg_per_drug() {
        let r = Regimen::parse("ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 6").unwrap();
        let t = totals(&r.expand(), 80.0);
        assert_eq!(t[&Drug::Ketamine].0, 6);
        assert!((t[&Drug::Ketamine].1 - 240.0).abs() < 1e-9);
    }
}
