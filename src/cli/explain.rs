//! `synsim explain`: what each stage of the chain models, its equations,
//! its parameters and the theory it belongs to.
//!
//! The equations are read from the stage's own module documentation (the
//! source files are embedded at build time), so what `explain` prints is
//! exactly what sits next to the code; the coupling equations that live in
//! the model itself are written out here.

use super::common::wrap;
use super::common::InputError;
use crate::params::{edit_distance, ParamDef};
use crate::stages::{module_doc, stage_params, Stage, STAGES};
use std::process::ExitCode;

/// What a stage of the chain models, its equations and parameters.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim explain                 # the whole chain and the list of stages
  synsim explain circuit         # glutamate/GABA disinhibition (theory 1)
  synsim explain synapse         # spine formation and loss (theory 2)
  synsim explain serotonin       # the slow SSRI route
  synsim explain pk              # compartments, effect sites, metabolites
  synsim explain solver          # why the model is stiff and how it is solved

Stages: regimen, pk, receptor, circuit, signalling, serotonin, synapse,
symptom, solver. docs/MODEL.md has the same material with sources.
Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Stage to explain (leave out for the overview)
    pub stage: Option<String>,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    match a.stage {
        None => super::common::out_str(&overview())?,
        Some(name) => super::common::out_str(&explain(find(&name)?))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Finds a stage by name or alias, or explains what exists.
fn find(name: &str) -> Result<&'static Stage, InputError> {
    let key = name.trim().to_lowercase();
    let canonical = match key.as_str() {
        "solve" | "numerics" | "integrator" => "solver",
        "synapses" | "spines" => "synapse",
        "ssri" | "5-ht" | "5ht" => "serotonin",
        "bdnf" | "mtor" | "plasticity" => "signalling",
        "pharmacokinetics" => "pk",
        "receptors" | "occupancy" | "nmda" | "sert" => "receptor",
        "score" | "symptoms" => "symptom",
        "regimens" | "dosing" => "regimen",
        "ei" | "e/i" | "wilson-cowan" => "circuit",
        k => k,
    };
    if let Some(s) = STAGES.iter().find(|s| s.name == canonical) {
        return Ok(s);
    }
    let names: Vec<&str> = STAGES.iter().map(|s| s.name).collect();
    let best = names.iter().min_by_key(|n| edit_distance(&key, n)).copied();
    let hint = best
        .filter(|b| edit_distance(&key, b) <= 3)
        .map(|b| format!(" Did you mean \"{b}\"?"))
        .unwrap_or_default();
    Err(InputError(format!(
        "unknown stage \"{name}\".{hint} Stages: {} (see `synsim explain`)",
        names.join(", ")
    )))
}

/// The chain and one line per stage.
fn overview() -> String {
    let mut s = String::from(
        "synsim: one causal chain, each stage a small documented model (illustrative teaching model,\n\
         not clinical advice).\n\n\
         \x20 regimen -> pk -> receptor -> circuit -> signalling -> synapse -> symptom\n\
         \x20                     |                          ^\n\
         \x20                     +-> serotonin (SSRI) ------+\n\n\
         Two theories of ketamine's action, each a switch (--set NAME=true|false):\n\
         \x20 theory 1, glutamate/GABA disinhibition   mechanisms.disinhibition (circuit)\n\
         \x20 theory 2, synaptogenesis                 mechanisms.synaptogenesis (synapse)\n\
         \x20 contested HNK/AMPA route (off)           mechanisms.hnk (signalling)\n\
         The SSRI reaches the same BDNF -> synapse chain by the slow serotonin route.\n\n\
         Stages (synsim explain <STAGE>):\n",
    );
    for st in STAGES {
        s.push_str(&format!("  {:<11} {}\n", st.name, st.line));
    }
    s.push_str(
        "\nEvery equation, unit, default and source: docs/MODEL.md. Parameters: synsim params.\n",
    );
    s
}

/// The full explanation of one stage.
fn explain(st: &Stage) -> String {
    let mut s = format!("{} — {}\n", st.name, st.title);
    s.push_str(&format!("belongs to: {}\n\n", st.theory));
    s.push_str("WHAT IT MODELS\n");
    s.push_str(&wrap(st.what, 2, 80));
    for (path, src) in st.docs {
        s.push_str(&format!(
            "\nEQUATIONS AND NOTES (module documentation, {path})\n"
        ));
        for line in module_doc(src).lines() {
            s.push_str(format!("  {line}").trim_end());
            s.push('\n');
        }
    }
    if !st.coupling.is_empty() {
        s.push_str("\nIN THE COUPLED MODEL\n");
        for line in st.coupling.lines() {
            s.push_str(&format!("  {line}\n"));
        }
    }
    s.push_str(&format!("\nOUTPUT COLUMNS\n  {}\n", st.outputs));
    let params = stage_params(st);
    s.push_str(&format!(
        "\nPARAMETERS ({}; change with --set NAME=VALUE)\n",
        params.len()
    ));
    for d in params {
        s.push_str(&param_text(d));
    }
    s.push_str(&format!(
        "\nSEE ALSO\n  {}\n  docs/MODEL.md, section \"{}\"\n",
        st.see_also, st.name
    ));
    s
}

/// One parameter: name, default, unit, range, then meaning and source.
fn param_text(d: &ParamDef) -> String {
    let unit = if d.unit == "-" { "" } else { d.unit };
    let head = format!(
        "  {:<40} {:>8} {:<6} range {} {}",
        d.name,
        d.format_value(d.default),
        unit,
        d.range_text(),
        unit
    );
    let mut s = format!("{}\n", head.trim_end());
    s.push_str(&wrap(
        &format!("{}. Source: {}", d.description, d.source),
        6,
        80,
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_explains_its_equations() {
        for st in STAGES {
            assert!(explain(st).contains("EQUATIONS"), "{}", st.name);
        }
    }

    #[test]
    fn unknown_stage_suggests() {
        let e = find("synapes").err().unwrap().0;
        assert!(
            e.contains("Did you mean \"synapse\"") && e.contains("solver"),
            "{e}"
        );
        assert_eq!(find("SSRI").ok().map(|s| s.name), Some("serotonin"));
    }
}
