//! # 03 — switching a theory off
//!
//! What it teaches: synsim holds two theories of ketamine's action as
//! switches. `mechanisms.disinhibition` (theory 1: NMDA block on GABA
//! interneurons releases a glutamate surge) and `mechanisms.synaptogenesis`
//! (theory 2: BDNF/mTOR build new spines). The example runs one infusion four
//! times — both on, each one off, both off — and prints what changes.
//!
//! Run it with:
//!
//! ```text
//! cargo run --release --example 03_theory_switch
//! ```
//!
//! On the command line the same switch is `--set mechanisms.synaptogenesis=false`.
//! Illustrative teaching model; not clinical advice.

use synsim::run::{peak, run, value_at, RunResult};
use synsim::scenario::Scenario;

/// Runs the single infusion with the given overrides.
fn single(overrides: &[&str]) -> anyhow::Result<RunResult> {
    let mut s = Scenario::load("ketamine-iv-single")?;
    s.days = 14.0;
    s.apply_overrides(&overrides.iter().map(|o| o.to_string()).collect::<Vec<_>>())?;
    Ok(run(&s)?)
}

pub fn main() -> anyhow::Result<()> {
    let cases: [(&str, &[&str]); 4] = [
        ("both theories", &[]),
        ("disinhibition off", &["mechanisms.disinhibition=false"]),
        ("synaptogenesis off", &["mechanisms.synaptogenesis=false"]),
        (
            "both off",
            &[
                "mechanisms.disinhibition=false",
                "mechanisms.synaptogenesis=false",
            ],
        ),
    ];
    println!(
        "{:<20} {:>10} {:>10} {:>9} {:>9} {:>9}",
        "one infusion", "glutamate", "synapses", "score 2h", "score 1d", "score 7d"
    );
    for (label, overrides) in cases {
        let r = single(overrides)?;
        let glu0 = r.rows[0].glutamate_rel;
        let glu = peak(&r.rows, 0.0, |o| o.glutamate_rel).value / glu0 - 1.0;
        let syn =
            peak(&r.rows, 0.0, |o| o.synapse_density_rel).value - r.reference.baseline_synapse;
        let score = |t: f64| value_at(&r.rows, t, |o| o.symptom_score).unwrap_or(f64::NAN);
        println!(
            "{label:<20} {:>+9.0}% {:>+10.3} {:>9.1} {:>9.1} {:>9.1}",
            100.0 * glu,
            syn,
            score(2.0),
            score(24.0),
            score(168.0)
        );
    }
    println!("glutamate: peak rise over baseline; synapses: peak gain in density (healthy = 1)");
    Ok(())
}
