//! The fast E/I (Wilson–Cowan) circuit on its own millisecond time scale,
//! healthy versus NMDA-blocked: the experiment behind `synsim circuit` and
//! the lab's circuit view.

use crate::circuit::{Circuit, CircuitSample};
use crate::params::{id, Params};

/// Size of the excitatory nudge both circuits start from (added to the
/// healthy resting E), so both show a transient.
pub const KICK: f64 = 0.01;

/// Interneuron occupancy that goes with pyramidal occupancy `x` for one
/// binding site whose interneuron sensitivity is `s`:
/// `L = x/(1-x)`, `occ_i = s·L/(1+s·L)`.
pub fn interneuron_occupancy(x: f64, s: f64) -> f64 {
    let x = x.clamp(0.0, 0.999_999);
    let l = s * x / (1.0 - x);
    l / (1.0 + l)
}

/// Integrates `c` from `(e0, i0)` for `duration_ms`, keeping one sample every
/// `dt_out_ms` (internal RK4 step at most 0.01 ms).
pub fn simulate_sampled(
    c: &Circuit,
    (e0, i0): (f64, f64),
    dt_out_ms: f64,
    duration_ms: f64,
) -> Vec<CircuitSample> {
    let n = (duration_ms / dt_out_ms).round().max(1.0) as usize;
    let sub = (dt_out_ms / 0.01).ceil().max(1.0);
    let dt = dt_out_ms / sub;
    let mut out = Vec::with_capacity(n + 1);
    let (mut e, mut i) = (e0, i0);
    out.push(CircuitSample {
        t_ms: 0.0,
        exc: e,
        inh: i,
    });
    for k in 1..=n {
        if let Some(last) = c.simulate(e, i, dt, dt_out_ms).last() {
            (e, i) = (last.exc, last.inh);
        }
        out.push(CircuitSample {
            t_ms: k as f64 * dt_out_ms,
            exc: e,
            inh: i,
        });
    }
    out
}

/// A sampling step (ms) that keeps a trace of `duration_ms` near 2000 rows.
pub fn output_step_ms(duration_ms: f64) -> f64 {
    const STEPS: [f64; 12] = [
        0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0,
    ];
    STEPS
        .iter()
        .copied()
        .find(|s| duration_ms / s <= 2000.0)
        .unwrap_or(50.0)
}

/// Healthy and blocked circuits, their resting points and their traces from
/// the same nudged start.
#[derive(Debug, Clone)]
pub struct CircuitView {
    /// The healthy circuit.
    pub healthy: Circuit,
    /// The same circuit under NMDA block.
    pub blocked: Circuit,
    /// NMDA occupancy on pyramidal cells, 0-1.
    pub occ_exc: f64,
    /// NMDA occupancy on interneurons, 0-1.
    pub occ_inh: f64,
    /// NMDA share of the E -> E and E -> I drive.
    pub frac: (f64, f64),
    /// Interneuron sensitivity used.
    pub sensitivity: f64,
    /// Whether disinhibition (block on interneurons) is switched on.
    pub disinhibition: bool,
    /// Common start (E, I).
    pub start: (f64, f64),
    /// Resting points (E, I).
    pub rest_healthy: (f64, f64),
    /// Resting point under block.
    pub rest_blocked: (f64, f64),
    /// Healthy trace.
    pub trace_healthy: Vec<CircuitSample>,
    /// Blocked trace.
    pub trace_blocked: Vec<CircuitSample>,
}

impl CircuitView {
    /// Builds both circuits from `p` at pyramidal NMDA occupancy `occ_exc`
    /// (GABA pool at its healthy level) and runs both for `duration_ms`.
    pub fn new(p: &Params, occ_exc: f64, duration_ms: f64) -> CircuitView {
        let healthy = Circuit::new(p);
        let sensitivity = p[id::INTERNEURON_SENS];
        let disinhibition = p.flag(id::MECH_DISINHIBITION);
        let occ_inh = if disinhibition {
            interneuron_occupancy(occ_exc, sensitivity)
        } else {
            0.0
        };
        let frac = (p[id::NMDA_FRAC_EXC], p[id::NMDA_FRAC_INH]);
        let blocked = healthy.with_block(occ_exc, occ_inh, 1.0, frac.0, frac.1);
        let rest_healthy = healthy.fixed_point((0.03, 0.02));
        let rest_blocked = blocked.fixed_point(rest_healthy);
        let start = ((rest_healthy.0 + KICK).min(0.95), rest_healthy.1);
        let dt = output_step_ms(duration_ms);
        CircuitView {
            trace_healthy: simulate_sampled(&healthy, start, dt, duration_ms),
            trace_blocked: simulate_sampled(&blocked, start, dt, duration_ms),
            healthy,
            blocked,
            occ_exc,
            occ_inh,
            frac,
            sensitivity,
            disinhibition,
            start,
            rest_healthy,
            rest_blocked,
        }
    }
}

/// A trace as CSV with the header `time_ms,exc_activity,inh_activity`.
pub fn trace_csv(trace: &[CircuitSample]) -> String {
    let mut out = String::from("time_ms,exc_activity,inh_activity\n");
    for s in trace {
        out.push_str(&format!(
            "{},{},{}\n",
            crate::export::fmt_csv(s.t_ms),
            crate::export::fmt_csv(s.exc),
            crate::export::fmt_csv(s.inh)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interneuron_occupancy_follows_the_single_site_formula() {
        assert_eq!(interneuron_occupancy(0.0, 3.0), 0.0);
        // Same site, sensitivity 1: same occupancy.
        assert!((interneuron_occupancy(0.5, 1.0) - 0.5).abs() < 1e-12);
        // L = 1, s = 3: 3/4.
        assert!((interneuron_occupancy(0.5, 3.0) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn sampled_trace_has_the_asked_spacing_and_settles() {
        let c = Circuit::new(&Params::default());
        let fp = c.fixed_point((0.03, 0.02));
        let tr = simulate_sampled(&c, (fp.0 + KICK, fp.1), 0.5, 100.0);
        assert_eq!(tr.len(), 201);
        assert!((tr[1].t_ms - 0.5).abs() < 1e-12);
        let last = tr.last().unwrap();
        assert!((last.exc - fp.0).abs() < 1e-6, "{} vs {}", last.exc, fp.0);
    }

    #[test]
    fn block_raises_resting_excitation() {
        let v = CircuitView::new(&Params::default(), 0.5, 50.0);
        assert!(v.occ_inh > v.occ_exc);
        assert!(v.rest_blocked.0 > v.rest_healthy.0);
    }
}
