//! The glutamate/GABA circuit: a Wilson–Cowan excitatory/inhibitory pair in
//! the form and with the parameter names of neurolib's `WCModel`.
//!
//! ```text
//! tau_exc dE/dt = -E + (1 - E) S_E(c_excexc E - c_inhexc I + exc_ext)
//! tau_inh dI/dt = -I + (1 - I) S_I(c_excinh E - c_inhinh I + inh_ext)
//! S_X(x) = 1 / (1 + exp(-a_X (x - mu_X)))
//! ```
//!
//! Drugs act on the couplings ([`Circuit::with_block`]): NMDA block on
//! interneurons removes the NMDA share of the E -> I drive (disinhibition),
//! block on pyramidal cells removes the NMDA share of E -> E, and the GABA
//! pool (made from glutamate by GAD) scales the strength of inhibition.
//!
//! The circuit relaxes in milliseconds, so in day-to-week simulations it sits
//! at its fixed point ([`Circuit::fixed_point`], quasi-steady state);
//! [`Circuit::simulate`] runs it on its own millisecond time scale.

use crate::params::{id, Params};

/// Wilson–Cowan parameters (neurolib names; time constants in ms).
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub struct Circuit {
    pub tau_exc: f64,
    pub tau_inh: f64,
    pub c_excexc: f64,
    pub c_excinh: f64,
    pub c_inhexc: f64,
    pub c_inhinh: f64,
    pub a_exc: f64,
    pub a_inh: f64,
    pub mu_exc: f64,
    pub mu_inh: f64,
    pub exc_ext: f64,
    pub inh_ext: f64,
}

/// Logistic sigmoid used by both populations.
pub fn sigmoid(x: f64, a: f64, mu: f64) -> f64 {
    1.0 / (1.0 + (-a * (x - mu)).exp())
}

/// Inverse of [`sigmoid`] for `0 < y < 1`.
fn sigmoid_inv(y: f64, a: f64, mu: f64) -> f64 {
    mu - (1.0 / y - 1.0).ln() / a
}

/// One point of a simulated trace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CircuitSample {
    /// Time, ms.
    pub t_ms: f64,
    /// Excitatory activity (0-1).
    pub exc: f64,
    /// Inhibitory activity (0-1).
    pub inh: f64,
}

/// A fixed point with the local derivatives that let the next solve, of a
/// slightly different circuit, start from a first-order prediction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Solved {
    /// Excitatory activity.
    pub e: f64,
    /// Inhibitory activity.
    pub i: f64,
    /// `c_excexc`, `c_excinh`, `c_inhexc` of the circuit solved.
    couplings: [f64; 3],
    /// `(1 - E) S_E'` and `(1 - I) S_I'` at the point.
    slopes: [f64; 2],
    /// Jacobian of the fixed-point residual at the point.
    jac: [[f64; 2]; 2],
}

impl Circuit {
    /// Reads `circuit.*` from the parameters.
    pub fn new(p: &Params) -> Circuit {
        Circuit {
            tau_exc: p[id::TAU_EXC],
            tau_inh: p[id::TAU_INH],
            c_excexc: p[id::C_EXCEXC],
            c_excinh: p[id::C_EXCINH],
            c_inhexc: p[id::C_INHEXC],
            c_inhinh: p[id::C_INHINH],
            a_exc: p[id::A_EXC],
            a_inh: p[id::A_INH],
            mu_exc: p[id::MU_EXC],
            mu_inh: p[id::MU_INH],
            exc_ext: p[id::EXC_EXT],
            inh_ext: p[id::INH_EXT],
        }
    }

    /// Effective circuit under NMDA block and a GABA pool relative to healthy.
    ///
    /// `frac_exc`/`frac_inh` are the NMDA shares of the E -> E and E -> I drives.
    pub fn with_block(
        &self,
        occ_exc: f64,
        occ_inh: f64,
        gaba_pool: f64,
        frac_exc: f64,
        frac_inh: f64,
    ) -> Circuit {
        Circuit {
            c_excexc: self.c_excexc * (1.0 - frac_exc * occ_exc),
            c_excinh: self.c_excinh * (1.0 - frac_inh * occ_inh),
            c_inhexc: self.c_inhexc * gaba_pool,
            ..*self
        }
    }

    /// Right-hand side (per ms).
    pub fn derivs(&self, e: f64, i: f64) -> (f64, f64) {
        let se = sigmoid(
            self.c_excexc * e - self.c_inhexc * i + self.exc_ext,
            self.a_exc,
            self.mu_exc,
        );
        let si = sigmoid(
            self.c_excinh * e - self.c_inhinh * i + self.inh_ext,
            self.a_inh,
            self.mu_inh,
        );
        (
            (-e + (1.0 - e) * se) / self.tau_exc,
            (-i + (1.0 - i) * si) / self.tau_inh,
        )
    }

    /// Residual of the fixed-point equations, its Jacobian, and the slopes
    /// `(1 - E) S_E'`, `(1 - I) S_I'`.
    fn residual(&self, e: f64, i: f64) -> ([f64; 2], [[f64; 2]; 2], [f64; 2]) {
        let xe = self.c_excexc * e - self.c_inhexc * i + self.exc_ext;
        let xi = self.c_excinh * e - self.c_inhinh * i + self.inh_ext;
        let se = sigmoid(xe, self.a_exc, self.mu_exc);
        let si = sigmoid(xi, self.a_inh, self.mu_inh);
        let ge = (1.0 - e) * self.a_exc * se * (1.0 - se);
        let gi = (1.0 - i) * self.a_inh * si * (1.0 - si);
        let f = [-e + (1.0 - e) * se, -i + (1.0 - i) * si];
        let j = [
            [-1.0 - se + ge * self.c_excexc, -ge * self.c_inhexc],
            [gi * self.c_excinh, -1.0 - si - gi * self.c_inhinh],
        ];
        (f, j, [ge, gi])
    }

    /// dE/d(gaba_pool) at the fixed point `(e, i)` of [`Circuit::with_block`]
    /// with pool `pool`, by the implicit function theorem (`self` is the
    /// blocked circuit; the pool scales `c_inhexc`).
    pub fn exc_sensitivity_to_pool(&self, e: f64, i: f64, pool: f64) -> f64 {
        let (_, j, [slope_e, _]) = self.residual(e, i);
        // c_inhexc here already includes the pool: c = c0 · pool.
        let dfe = slope_e * (-(self.c_inhexc / pool) * i);
        let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
        -j[1][1] * dfe / det
    }

    /// The low-activity fixed point (the resting state), by Newton's method
    /// from `guess`, falling back to a bracketing search when Newton fails or
    /// lands far above the guess (where a lower root may exist).
    pub fn fixed_point(&self, guess: (f64, f64)) -> (f64, f64) {
        self.fixed_point_from(guess, guess.0)
    }

    /// [`Circuit::fixed_point`] with Newton started at `start`; a root more
    /// than three times `rest_exc` is accepted only if no lower root exists,
    /// so a start on an upper branch cannot leave the answer there.
    pub fn fixed_point_from(&self, start: (f64, f64), rest_exc: f64) -> (f64, f64) {
        let s = self.solve_from(start, rest_exc);
        (s.e, s.i)
    }

    /// [`Circuit::fixed_point_from`], keeping the derivatives at the answer.
    pub fn solve_from(&self, start: (f64, f64), rest_exc: f64) -> Solved {
        match self.newton(start) {
            Some(s) if s.e <= 3.0 * rest_exc.max(0.01) || !self.dips_below(s.e) => s,
            _ => {
                let (e, i) = self.fixed_point_bracketed();
                self.solved_at(e, i)
            }
        }
    }

    /// The fixed point of this circuit near `last`, the fixed point of a
    /// slightly different one. Newton starts from the implicit-function
    /// prediction `(E, I) - J⁻¹ ∂F/∂c · Δc`, so a small change in the
    /// couplings needs one residual evaluation instead of two.
    pub fn solve_near(&self, last: &Solved, rest_exc: f64) -> Solved {
        let (e, i) = (last.e, last.i);
        let dc = [
            self.c_excexc - last.couplings[0],
            self.c_excinh - last.couplings[1],
            self.c_inhexc - last.couplings[2],
        ];
        let df = [
            last.slopes[0] * (dc[0] * e - dc[2] * i),
            last.slopes[1] * dc[1] * e,
        ];
        let j = last.jac;
        let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
        let start = if det.abs() < 1e-14 {
            (e, i)
        } else {
            (
                e - (df[0] * j[1][1] - df[1] * j[0][1]) / det,
                i - (j[0][0] * df[1] - j[1][0] * df[0]) / det,
            )
        };
        let inside = |x: f64| (0.0..1.0).contains(&x);
        let start = if inside(start.0) && inside(start.1) {
            start
        } else {
            (e, i)
        };
        self.solve_from(start, rest_exc)
    }

    /// The derivatives at a known fixed point.
    /// Sigmoid slopes and the residual's Jacobian at this fixed point, by
    /// [`Circuit::solve_near`] used to predict the next one.
    pub(crate) fn derivatives_of(s: &Solved) -> ([f64; 2], [[f64; 2]; 2]) {
        (s.slopes, s.jac)
    }

    fn solved_at(&self, e: f64, i: f64) -> Solved {
        let (_, jac, slopes) = self.residual(e, i);
        self.solved(e, i, slopes, jac)
    }

    /// A fixed point of this circuit with its derivatives.
    fn solved(&self, e: f64, i: f64, slopes: [f64; 2], jac: [[f64; 2]; 2]) -> Solved {
        Solved {
            e,
            i,
            couplings: [self.c_excexc, self.c_excinh, self.c_inhexc],
            slopes,
            jac,
        }
    }

    /// Reduced residual g(E) = (1 - E) S_E(...) - E with I at its balance.
    fn reduced(&self, e: f64) -> f64 {
        let i = self.inh_given_exc(e);
        let se = sigmoid(
            self.c_excexc * e - self.c_inhexc * i + self.exc_ext,
            self.a_exc,
            self.mu_exc,
        );
        (1.0 - e) * se - e
    }

    /// Could there be a lower root than `e`? g(0) > 0 and g(e) = 0, so a
    /// lower root means g dips to zero somewhere below: look on a coarse grid
    /// (much cheaper than the full scan, which runs only when this says yes).
    fn dips_below(&self, e: f64) -> bool {
        (1..16).any(|k| self.reduced(e * k as f64 / 16.0) <= 0.0)
    }

    fn newton(&self, guess: (f64, f64)) -> Option<Solved> {
        let (mut e, mut i) = guess;
        for _ in 0..30 {
            let (f, j, slopes) = self.residual(e, i);
            let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
            if det.abs() < 1e-14 {
                break;
            }
            let de = (f[0] * j[1][1] - f[1] * j[0][1]) / det;
            let di = (j[0][0] * f[1] - j[1][0] * f[0]) / det;
            e -= de;
            i -= di;
            if !(0.0..1.0).contains(&e) || !(0.0..1.0).contains(&i) {
                break;
            }
            // Quadratic convergence: after an update below 1e-8 the
            // remaining error is of order 1e-16 times the curvature. The
            // derivatives from just before the update serve the next
            // prediction well enough.
            if de.abs() < 1e-8 && di.abs() < 1e-8 {
                return Some(self.solved(e, i, slopes, j));
            }
        }
        None
    }

    /// Interneuron activity that balances a given E (unique: the I equation is
    /// monotone in I).
    fn inh_given_exc(&self, e: f64) -> f64 {
        let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            let si = sigmoid(
                self.c_excinh * e - self.c_inhinh * mid + self.inh_ext,
                self.a_inh,
                self.mu_inh,
            );
            if (1.0 - mid) * si - mid > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    /// Lowest root of the reduced 1-D equation, by scanning then bisection.
    fn fixed_point_bracketed(&self) -> (f64, f64) {
        let g = |e: f64| self.reduced(e);
        let n = 400;
        let mut prev_e = 0.0;
        let mut prev_g = g(0.0);
        for k in 1..=n {
            let e = k as f64 / n as f64 * 0.999;
            let ge = g(e);
            if prev_g > 0.0 && ge <= 0.0 {
                let (mut lo, mut hi) = (prev_e, e);
                for _ in 0..60 {
                    let mid = 0.5 * (lo + hi);
                    if g(mid) > 0.0 {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                let e = 0.5 * (lo + hi);
                return (e, self.inh_given_exc(e));
            }
            prev_e = e;
            prev_g = ge;
        }
        (prev_e, self.inh_given_exc(prev_e))
    }

    /// Integrates the circuit on its own time scale with classical RK4.
    /// Returns one sample every `dt_ms`, starting at `(e0, i0)`.
    pub fn simulate(&self, e0: f64, i0: f64, dt_ms: f64, duration_ms: f64) -> Vec<CircuitSample> {
        let steps = (duration_ms / dt_ms).round().max(0.0) as usize;
        let mut out = Vec::with_capacity(steps + 1);
        let (mut e, mut i) = (e0, i0);
        out.push(CircuitSample {
            t_ms: 0.0,
            exc: e,
            inh: i,
        });
        for k in 1..=steps {
            let (k1e, k1i) = self.derivs(e, i);
            let (k2e, k2i) = self.derivs(e + 0.5 * dt_ms * k1e, i + 0.5 * dt_ms * k1i);
            let (k3e, k3i) = self.derivs(e + 0.5 * dt_ms * k2e, i + 0.5 * dt_ms * k2i);
            let (k4e, k4i) = self.derivs(e + dt_ms * k3e, i + dt_ms * k3i);
            e += dt_ms / 6.0 * (k1e + 2.0 * k2e + 2.0 * k3e + k4e);
            i += dt_ms / 6.0 * (k1i + 2.0 * k2i + 2.0 * k3i + k4i);
            out.push(CircuitSample {
                t_ms: k as f64 * dt_ms,
                exc: e,
                inh: i,
            });
        }
        out
    }

    /// The E-nullcline (dE/dt = 0) as points (E, I), for E in (0, 0.5).
    pub fn exc_nullcline(&self, n: usize) -> Vec<(f64, f64)> {
        (1..n)
            .map(|k| 0.5 * k as f64 / n as f64)
            .map(|e| {
                let x = sigmoid_inv(e / (1.0 - e), self.a_exc, self.mu_exc);
                (e, (self.c_excexc * e + self.exc_ext - x) / self.c_inhexc)
            })
            .collect()
    }

    /// The I-nullcline (dI/dt = 0) as points (E, I), for I in (0, 0.5).
    pub fn inh_nullcline(&self, n: usize) -> Vec<(f64, f64)> {
        (1..n)
            .map(|k| 0.5 * k as f64 / n as f64)
            .map(|i| {
                let x = sigmoid_inv(i / (1.0 - i), self.a_inh, self.mu_inh);
                ((x + self.c_inhinh * i - self.inh_ext) / self.c_excinh, i)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neurolib_defaults() -> Circuit {
        Circuit {
            c_excexc: 16.0,
            exc_ext: 0.0,
            ..Circuit::new(&Params::default())
        }
    }

    /// neurolib defaults at exc_ext = 0: the node rests at E ≈ 0.011.
    #[test]
    fn neurolib_default_fixed_point() {
        let (e, i) = neurolib_defaults().fixed_point((0.01, 0.01));
        assert!((e - 0.011).abs() < 0.002, "E = {e}");
        assert!((i - 0.013).abs() < 0.003, "I = {i}");
    }

    /// Calibration target 20: at exc_ext = 0.5 a 40 % cut in c_excinh raises E
    /// by about 40 % (+20 to +60 %) without switching state.
    #[test]
    fn disinhibition_is_graded_at_half_drive() {
        let c = Circuit {
            exc_ext: 0.5,
            ..neurolib_defaults()
        };
        let (e0, _) = c.fixed_point((0.03, 0.02));
        let cut = Circuit {
            c_excinh: 0.6 * c.c_excinh,
            ..c
        };
        let (e1, _) = cut.fixed_point((e0, 0.02));
        let rise = e1 / e0 - 1.0;
        assert!((0.2..0.6).contains(&rise), "rise {rise}, E {e0} -> {e1}");
        assert!(e1 < 0.2, "switched to the high state");
    }

    #[test]
    fn simulation_converges_to_fixed_point() {
        let c = Circuit::new(&Params::default());
        let fp = c.fixed_point((0.03, 0.02));
        let tr = c.simulate(0.2, 0.1, 0.01, 200.0);
        let last = tr.last().unwrap();
        assert!((last.exc - fp.0).abs() < 1e-6 && (last.inh - fp.1).abs() < 1e-6);
    }

    #[test]
    fn bracketed_and_newton_agree() {
        let c = Circuit::new(&Params::default());
        let a = c.fixed_point((0.03, 0.02));
        let b = c.fixed_point_bracketed();
        assert!((a.0 - b.0).abs() < 1e-8 && (a.1 - b.1).abs() < 1e-8);
    }

    #[test]
    fn fixed_point_lies_on_both_nullclines() {
        let c = Circuit::new(&Params::default());
        let (e, i) = c.fixed_point((0.03, 0.02));
        let (de, di) = c.derivs(e, i);
        assert!(de.abs() < 1e-10 && di.abs() < 1e-10);
        assert!(!c.exc_nullcline(50).is_empty() && !c.inh_nullcline(50).is_empty());
    }
}
