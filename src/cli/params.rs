//! `synsim params`: the parameter registry, as a table, TOML or Markdown.

use crate::params::{fmt_num, Kind, Variability, REGISTRY};
use crate::regimen::Schedule;
use crate::scenario::Scenario;
use crate::settable::{Knob, KnobDef, REGIMEN_KNOBS};
use std::process::ExitCode;

/// List every parameter with unit, value, range and source.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim params                          # every parameter, defaults
  synsim params ketamine-iv-single       # values used by a scenario
  synsim params --filter circuit         # only names starting with circuit
  synsim params pk.ketamine              # the same, shorter
  synsim params --toml > my.toml         # a complete, commented scenario file to edit
  synsim run my.toml")]
pub struct Args {
    /// Show the values of this scenario (built-in name or .toml path), or only
    /// the parameters whose name starts with this (e.g. pk.ketamine)
    pub scenario: Option<String>,
    /// Only parameters whose name starts with this
    #[arg(long)]
    pub filter: Option<String>,
    /// Print a complete, commented scenario file (TOML) instead of a table
    #[arg(long, conflicts_with = "markdown")]
    pub toml: bool,
    /// Print Markdown tables (as in docs/MODEL.md)
    #[arg(long)]
    pub markdown: bool,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let (scenario, filter) = scenario_and_filter(&a)?;
    let values: Vec<f64> = match &scenario {
        Some(s) => s.params.values().to_vec(),
        None => REGISTRY.iter().map(|d| d.default).collect(),
    };
    if let Some(f) = filter.as_deref() {
        check_filter(f)?;
    }
    let keep = |name: &str| filter.as_deref().is_none_or(|f| name.starts_with(f));
    if a.toml {
        super::common::out_str(&scenario_toml(scenario.as_ref(), &values))?;
    } else if a.markdown {
        super::common::out_str(&markdown(&values, &keep))?;
    } else {
        print_table(scenario.as_ref(), &values, &keep)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The scenario to show and the name filter. The positional argument is a
/// scenario, or else a name prefix such as `pk.ketamine` (a shorthand for
/// --filter).
fn scenario_and_filter(a: &Args) -> anyhow::Result<(Option<Scenario>, Option<String>)> {
    let mut filter = a.filter.clone();
    let scenario = match &a.scenario {
        Some(s) if filter.is_none() && is_prefix(s) && crate::scenario::builtin(s).is_none() => {
            filter = Some(s.clone());
            None
        }
        Some(s) => Some(Scenario::load(s)?),
        None => None,
    };
    Ok((scenario, filter))
}

/// A filter must be the start of some parameter or regimen knob name.
fn check_filter(f: &str) -> Result<(), super::common::InputError> {
    let known = REGISTRY
        .iter()
        .map(|d| d.name)
        .chain(REGIMEN_KNOBS.iter().map(|k| k.name));
    if !known.into_iter().any(|n| n.starts_with(f)) {
        return Err(super::common::InputError(no_match(f)));
    }
    Ok(())
}

/// The table on the terminal: a heading, the parameters, the regimen
/// knobs and, for a scenario, what the star means.
fn print_table(
    scenario: Option<&Scenario>,
    values: &[f64],
    keep: &dyn Fn(&str) -> bool,
) -> anyhow::Result<()> {
    outln!(
        "{:<42} {:>10} {:<8} {:>16}  {:<22}  description [source]",
        "name",
        "value",
        "unit",
        "range",
        "variability"
    );
    print_param_rows(scenario, values, keep)?;
    print_knob_rows(scenario, keep)?;
    if scenario.is_some() {
        outln!("(* = differs from the default)");
    }
    Ok(())
}

/// One row per kept parameter; a star marks a value off its default.
fn print_param_rows(
    scenario: Option<&Scenario>,
    values: &[f64],
    keep: &dyn Fn(&str) -> bool,
) -> anyhow::Result<()> {
    for (k, (d, v)) in REGISTRY
        .iter()
        .zip(values)
        .enumerate()
        .filter(|(_, (d, _))| keep(d.name))
    {
        let mark = if *v != d.default { "*" } else { "" };
        let var = match scenario {
            Some(sc) => sc.variability_of(crate::params::ParamId(k)),
            None => d.variability,
        };
        outln!(
            "{:<42} {:>10} {:<8} {:>16}  {:<22}  {} [{}]",
            d.name,
            format!("{}{mark}", d.format_value(*v)),
            if d.unit == "-" { "" } else { d.unit },
            d.range_text(),
            variability_text(&var),
            d.description,
            d.source
        );
    }
    Ok(())
}

/// One row per kept regimen knob, with its value in the scenario if any.
fn print_knob_rows(scenario: Option<&Scenario>, keep: &dyn Fn(&str) -> bool) -> anyhow::Result<()> {
    for k in REGIMEN_KNOBS.iter().filter(|k| keep(k.name)) {
        let value = match scenario {
            Some(sc) => knob_value(sc, k),
            None => "regimen".to_string(),
        };
        outln!(
            "{:<42} {:>10} {:<8} {:>16}  {} [regimen knob: --set, sweep --param, [params]]",
            k.name,
            value,
            k.unit,
            knob_range(k),
            k.description
        );
    }
    Ok(())
}

/// Between-patient variability in a few words ("-" when none).
fn variability_text(v: &Variability) -> String {
    match *v {
        Variability::None => "-".into(),
        Variability::LogNormal { cv } => format!("log-normal, CV {}", fmt_num(cv)),
        Variability::Normal { sd, lo, hi } => {
            format!(
                "normal, SD {} in {}..{}",
                fmt_num(sd),
                fmt_num(lo),
                fmt_num(hi)
            )
        }
        Variability::Uniform { lo, hi } => format!("uniform {}..{}", fmt_num(lo), fmt_num(hi)),
    }
}

/// The message for a filter no parameter name starts with: names that
/// contain the word, else the groups.
fn no_match(f: &str) -> String {
    let shown: String = f.chars().take(60).collect();
    let inside: Vec<&str> = REGISTRY
        .iter()
        .map(|d| d.name)
        .filter(|n| n.contains(&f.to_ascii_lowercase()))
        .take(8)
        .collect();
    let mut groups: Vec<&str> = REGISTRY.iter().map(|d| d.group()).collect();
    groups.dedup();
    if inside.is_empty() {
        format!(
            "no parameter name starts with \"{shown}\". Names start with a group: {} \
             (e.g. synsim params --filter {})",
            groups.join(", "),
            groups.first().copied().unwrap_or("pk")
        )
    } else {
        format!(
            "no parameter name starts with \"{shown}\"; names that contain it: {}",
            inside.join(", ")
        )
    }
}

/// Does any parameter name start with `s` (and `s` is not a file)?
fn is_prefix(s: &str) -> bool {
    !s.ends_with(".toml") && crate::settable::settable().any(|d| d.name().starts_with(s))
}

/// The current value of a regimen knob in `s` (the first addressed phase).
fn knob_value(s: &Scenario, k: &KnobDef) -> String {
    let t = match crate::settable::lookup(k.name) {
        Ok(crate::settable::Target::Regimen(t)) => t,
        _ => return "-".into(),
    };
    let (Ok(r), Some(reg)) = (s.resolve_knob(&t), s.regimen.as_ref()) else {
        return "-".into();
    };
    let Some(p) = r.phases.first().and_then(|&i| reg.phases.get(i)) else {
        return "-".into();
    };
    let v = match k.knob {
        Knob::Dose => p.amount.value(),
        Knob::InfusionMin => p.duration_h * 60.0,
        Knob::IntervalD => match &p.schedule {
            Schedule::Every { interval_h } => interval_h / 24.0,
            _ => return "weekdays".into(),
        },
    };
    fmt_num(v)
}

/// The range of a regimen knob as text.
fn knob_range(k: &KnobDef) -> String {
    match k.knob {
        Knob::Dose => format!(
            "0 to {} mg or {} mg/kg",
            fmt_num(k.max),
            fmt_num(crate::units::MAX_DOSE_MG_PER_KG)
        ),
        _ => format!("{} to {}", fmt_num(k.min), fmt_num(k.max)),
    }
}

/// Markdown tables, one per stage, then the regimen knobs.
pub fn markdown(values: &[f64], keep: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::new();
    let mut group = "";
    for (d, v) in REGISTRY.iter().zip(values).filter(|(d, _)| keep(d.name)) {
        if d.group() != group {
            group = d.group();
            out.push_str(&format!("\n#### `{group}.*`\n\n| name | default | unit | range | meaning | source |\n|---|---|---|---|---|---|\n"));
        }
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            d.name,
            d.format_value(*v),
            d.unit,
            d.range_text(),
            d.description,
            d.source
        ));
    }
    let knobs: Vec<&KnobDef> = REGIMEN_KNOBS.iter().filter(|k| keep(k.name)).collect();
    if !knobs.is_empty() {
        out.push_str("\n#### `regimen.*` (knobs of the scenario's regimen)\n\n| name | unit | range | meaning |\n|---|---|---|---|\n");
        for k in knobs {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                k.name,
                k.unit,
                knob_range(k),
                k.description
            ));
        }
    }
    out
}

/// A complete scenario file with every parameter, commented.
fn scenario_toml(s: Option<&Scenario>, values: &[f64]) -> String {
    let mut out = String::new();
    out.push_str("# synsim scenario file. Lines starting with # are comments.\n");
    out.push_str("# Every parameter is listed with its default; change values, or delete the\n");
    out.push_str("# lines you do not change. Run it with: synsim run this-file.toml\n\n");
    let (title, note, regimen, days) = match s {
        Some(s) => (
            s.title.clone(),
            s.teaching_note.clone(),
            s.regimen_text.clone(),
            s.days,
        ),
        None => (
            "My scenario".to_string(),
            "What should a student notice?".to_string(),
            "ketamine 0.5 mg/kg iv over 40 min once".to_string(),
            28.0,
        ),
    };
    out.push_str(&format!(
        "title = {:?}\nteaching_note = {:?}\ndays = {}\ndt_out = \"1 h\"\nrunin = \"1 d\"\n\n",
        title,
        note,
        fmt_num(days)
    ));
    out.push_str("[patient]\nstate = \"depressed\"   # or \"healthy\"\nweight = \"70 kg\"\n\n");
    out.push_str(&format!(
        "[regimen]\n# e.g. \"ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6\" (see `synsim regimen --help`)\nnotation = {regimen:?}\n\n[params]\n"
    ));
    let mut group = "";
    for (d, v) in REGISTRY.iter().zip(values) {
        if d.name == "patient.weight_kg" || d.name == "patient.depressed" {
            continue;
        }
        if d.group() != group {
            group = d.group();
            out.push_str(&format!("\n# --- {group} ---\n"));
        }
        let unit = if d.unit == "-" {
            String::new()
        } else {
            format!(" [{}]", d.unit)
        };
        out.push_str(&format!(
            "# {}{unit}; range {}; source: {}\n",
            d.description,
            d.range_text(),
            d.source
        ));
        let val = match d.kind {
            Kind::Bool => d.format_value(*v),
            Kind::Real => fmt_num(*v),
        };
        out.push_str(&format!("\"{}\" = {}\n", d.name, toml_num(&val, d.kind)));
    }
    out
}

fn toml_num(s: &str, kind: Kind) -> String {
    // TOML needs a digit before the exponent and accepts plain integers.
    if kind == Kind::Real && s.contains('e') && !s.contains('.') {
        let (m, e) = s.split_once('e').unwrap_or((s, "0"));
        return format!("{m}.0e{e}");
    }
    s.to_string()
}
