//! # 02 — your own dosing regimen
//!
//! What it teaches: how the regimen notation becomes dose events, and how a
//! different schedule changes the outcome. The same six infusions are given
//! three times a week (the built-in course) and once a week; the example
//! prints the expanded doses of the weekly course and, for both, how long the
//! patient stays a responder.
//!
//! Run it with:
//!
//! ```text
//! cargo run --release --example 02_custom_regimen
//! ```
//!
//! The same notation works on the command line: `synsim regimen "…"` lists
//! the doses and `synsim run SCENARIO --regimen "…"` runs them.
//! Illustrative teaching model; nothing here recommends a dose.

use synsim::regimen::Regimen;
use synsim::run::run;
use synsim::scenario::Scenario;

pub fn main() -> anyhow::Result<()> {
    let weekly = "ketamine 0.5 mg/kg iv over 40 min every 7 d x 6";

    // Parse and expand: every dose with its time in hours since the first.
    let regimen = Regimen::parse(weekly)?;
    println!("{weekly}");
    for (k, dose) in regimen.expand().iter().enumerate() {
        println!(
            "  dose {}: day {:>4.1}, {} {} mg ({} {} for 70 kg) over {:.0} min",
            k + 1,
            dose.time_h / 24.0,
            dose.drug,
            dose.amount.mg(70.0),
            dose.amount.value(),
            dose.amount.unit(),
            dose.duration_h * 60.0
        );
    }

    // A typo is an error whose text points at the offending word.
    if let Err(e) = Regimen::parse("ketamine 0.5 mg/kg iv over 40 min evry 7 d x 6") {
        println!("\nA misspelt regimen gives:\n{e}\n");
    }

    // Run the built-in course and the weekly variant on the same patient.
    for notation in [
        "ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6",
        weekly,
    ] {
        let mut s = Scenario::load("ketamine-iv-serial")?;
        s.set_regimen(notation)?;
        s.days = 70.0;
        let r = run(&s)?;
        let days_in_response = r
            .rows
            .iter()
            .filter(|o| o.time_h >= 0.0 && o.symptom_score <= r.reference.response_score)
            .count() as f64
            * s.dt_out_h
            / 24.0;
        println!(
            "{notation}\n  best score {:.1} on day {:.1}; {:.1} days in response out of {}",
            r.summary.best_score.value,
            r.summary.best_score.time_h / 24.0,
            days_in_response,
            s.days
        );
    }
    Ok(())
}
