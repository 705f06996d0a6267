//! # 01 — one patient, one ketamine infusion
//!
//! What it teaches: the shortest path through the library. Load a built-in
//! scenario, run it for the typical depressed patient and read a few numbers
//! from the result: the plasma peak, the NMDA block, the glutamate surge and
//! the illustrative symptom score at a few times after the infusion.
//!
//! Run it with:
//!
//! ```text
//! cargo run --release --example 01_single_run
//! ```
//!
//! Illustrative teaching model; not clinical advice.

use synsim::run::{run, value_at};
use synsim::scenario::Scenario;

pub fn main() -> anyhow::Result<()> {
    // Built-in names are listed by `synsim list`; a path to a .toml file works too.
    let scenario = Scenario::load("ketamine-iv-single")?;
    let result = run(&scenario)?;
    let s = &result.summary;

    println!("{}", scenario.title);
    if let Some(p) = s.peak_plasma_ng_ml.get("ketamine") {
        println!(
            "  peak plasma ketamine  {:6.1} ng/mL at {:.0} min",
            p.value,
            p.time_h * 60.0
        );
    }
    println!(
        "  peak NMDA occupancy   {:6.0} % (interneurons {:.0} %)",
        100.0 * s.peak_nmda_occupancy.value,
        100.0 * s.peak_nmda_occupancy_interneuron.value
    );
    println!(
        "  glutamate surge       {:+6.0} % at {:.0} min",
        100.0 * (s.peak_glutamate_vs_baseline.value - 1.0),
        s.peak_glutamate_vs_baseline.time_h * 60.0
    );

    // The score before the infusion, then at a few times after it. `value_at`
    // interpolates between output rows (hours since the first dose).
    println!(
        "  score: baseline {:.1} (response at or below {:.1})",
        s.baseline_score, result.reference.response_score
    );
    for (label, t_h) in [
        ("2 h", 2.0),
        ("24 h", 24.0),
        ("7 d", 168.0),
        ("28 d", 672.0),
    ] {
        let score = value_at(&result.rows, t_h, |o| o.symptom_score).unwrap_or(f64::NAN);
        let density = value_at(&result.rows, t_h, |o| o.synapse_density_rel).unwrap_or(f64::NAN);
        println!("    {label:>5}: score {score:5.1}, synapse density {density:.3} (healthy = 1)");
    }
    Ok(())
}
