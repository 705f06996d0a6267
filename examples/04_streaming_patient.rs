//! # 04 — the model without a scenario: parameters, doses and streaming output
//!
//! What it teaches: the layers under `run::run`. Build a [`Params`] set (the
//! registry defaults plus your changes), make the [`Model`] for that patient,
//! write the dose events by hand and let [`simulate_each`] hand you every
//! output row as it is computed, so nothing is stored. This is how
//! populations and sweeps stay light on memory.
//!
//! The example compares a 70 kg and a 100 kg patient given the same fixed
//! 35 mg ketamine infusion (not a per-kg dose): the heavier patient has larger
//! volumes, a lower plasma peak and a smaller NMDA block.
//!
//! Run it with:
//!
//! ```text
//! cargo run --release --example 04_streaming_patient
//! ```
//!
//! Illustrative teaching model; nothing here recommends a dose.

use synsim::model::Model;
use synsim::params::{id, Params};
use synsim::regimen::{DoseAmount, DoseEvent, Drug, Route};
use synsim::solve::{simulate_each, StiffSolver, Window};

pub fn main() -> anyhow::Result<()> {
    let infusion = DoseEvent {
        time_h: 0.0,
        drug: Drug::Ketamine,
        route: Route::IvInfusion,
        amount: DoseAmount::Mg(35.0),
        duration_h: 40.0 / 60.0,
    };
    // One day after the infusion, output every minute.
    let window = Window {
        start_h: 0.0,
        end_h: 24.0,
        dt_out_h: 1.0 / 60.0,
    };

    for weight in [70.0, 100.0] {
        let mut p = Params::default();
        // `set` checks the range and names the unit if the value is out of it.
        p.set(id::WEIGHT, weight).map_err(anyhow::Error::msg)?;
        let model = Model::new(&p);

        // Streaming statistics: the largest plasma level and NMDA block, and
        // the lowest score, without keeping any row.
        let (mut c_max, mut occ_max, mut best) = (0.0_f64, 0.0_f64, f64::INFINITY);
        simulate_each(
            &model,
            &StiffSolver::from_params(&p),
            &[infusion],
            &window,
            |o| {
                c_max = c_max.max(o.plasma.ketamine);
                occ_max = occ_max.max(o.occupancy.nmda);
                best = best.min(o.symptom_score);
            },
        )?;
        println!(
            "{weight:>5} kg: peak plasma {c_max:6.1} ng/mL, peak NMDA occupancy {:4.1} %, lowest score in 24 h {best:.1} (baseline {:.1})",
            100.0 * occ_max,
            model.symptom.baseline_score()
        );
    }
    Ok(())
}
