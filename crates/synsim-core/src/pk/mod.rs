//! Pharmacokinetics: linear compartment models for each drug, with effect
//! sites and the ketamine -> norketamine -> HNK metabolite chain.
//!
//! Racemic ketamine and esketamine share one ketamine disposition (two
//! compartments, effect site): the same S-ketamine dose gives the same
//! exposure whether it comes as half of the racemate or as esketamine, and
//! routes differ only by absorption, bioavailability and (for nasal and
//! oral racemic ketamine) the norketamine made on first pass.
//!
//! All PK is linear, so between dose events the state obeys
//! `dx/dt = A x + b`, with `b` the constant infusion input. Runs evaluate it
//! exactly in modal form ([`modal`]); the matrix exponential
//! ([`PkModel::propagate_exact`]) is the independent oracle the tests use.
//!
//! Units: amounts in mg, effect-site concentrations in ng/mL (total drug),
//! time in hours.

use crate::model::layout::*;
use crate::params::{id, Params};
use crate::regimen::{routes, DoseEvent, Drug, Route};
use nalgebra::{DMatrix, DVector};

pub mod modal;

/// Molar masses (g/mol) of the free bases, for ng/mL <-> µM.
pub mod mw {
    /// Ketamine C13H16ClNO.
    pub const KETAMINE: f64 = 237.7;
    /// Norketamine C12H14ClNO.
    pub const NORKETAMINE: f64 = 223.7;
    /// Hydroxynorketamine C12H14ClNO2.
    pub const HNK: f64 = 239.7;
    /// Escitalopram C20H21FN2O.
    pub const ESCITALOPRAM: f64 = 324.4;
}

/// The ketamine disposition (per hour), shared by racemic ketamine and
/// esketamine.
#[derive(Debug, Clone, Copy)]
pub struct Disposition {
    /// Central volume, L.
    pub v1_l: f64,
    /// Elimination, central -> out.
    pub k10: f64,
    /// Central -> peripheral.
    pub k12: f64,
    /// Peripheral -> central.
    pub k21: f64,
    /// Plasma -> effect site.
    pub ke0: f64,
}

impl Disposition {
    /// Writes the derivatives of the central, peripheral and effect-site
    /// states `(c, p, ce)` with input `input` (mg/h) into the central
    /// compartment; returns the elimination flux (mg/h).
    fn derivs(
        &self,
        x: &[f64],
        (c, p, ce): (usize, usize, usize),
        input: f64,
        dx: &mut [f64],
    ) -> f64 {
        let elim = self.k10 * x[c];
        dx[c] = input - elim - self.k12 * x[c] + self.k21 * x[p];
        dx[p] = self.k12 * x[c] - self.k21 * x[p];
        dx[ce] = self.ke0 * (self.plasma(x[c]) - x[ce]);
        elim
    }

    /// Plasma concentration (ng/mL) of a central amount (mg).
    fn plasma(&self, central_mg: f64) -> f64 {
        central_mg / self.v1_l * NG_ML_PER_MG_L
    }

    /// Terminal (slower) disposition half-life, hours.
    pub fn terminal_half_life_h(&self) -> f64 {
        let s = self.k10 + self.k12 + self.k21;
        let beta = (s - (s * s - 4.0 * self.k10 * self.k21).max(0.0).sqrt()) / 2.0;
        std::f64::consts::LN_2 / beta
    }

    /// Clearance, L/h.
    pub fn clearance_l_per_h(&self) -> f64 {
        self.k10 * self.v1_l
    }
}

/// Rate constants of every drug, per hour, for one patient.
#[derive(Debug, Clone)]
pub struct PkModel {
    /// The ketamine disposition (racemic ketamine and esketamine).
    pub ketamine: Disposition,
    // racemic ketamine routes
    ket_ka: f64,
    ket_f_nasal: f64,
    ket_f_oral: f64,
    ket_fp_nasal: f64,
    ket_fp_oral: f64,
    f_nk: f64,
    // norketamine and HNK
    nk_v_l: f64,
    k_nk: f64,
    nk_ke0: f64,
    f_hnk: f64,
    pub(crate) hnk_v_l: f64,
    k_hnk: f64,
    // esketamine routes
    esk_f: f64,
    esk_f_oral: f64,
    esk_ka: f64,
    // escitalopram
    esc_f: f64,
    esc_ka: f64,
    pub(crate) esc_v_l: f64,
    esc_k: f64,
}

/// Constant infusion rates (mg/h) into the central compartments during a
/// segment between dose events.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Infusion {
    /// Racemic ketamine, mg/h.
    pub ketamine: f64,
    /// Esketamine, mg/h.
    pub esketamine: f64,
    /// Escitalopram, mg/h.
    pub escitalopram: f64,
}

impl Infusion {
    /// Total administration rate, mg/h.
    pub fn total(&self) -> f64 {
        self.ketamine + self.esketamine + self.escitalopram
    }

    /// The sum of two infusions running at once.
    pub fn plus(self, o: Infusion) -> Infusion {
        Infusion {
            ketamine: self.ketamine + o.ketamine,
            esketamine: self.esketamine + o.esketamine,
            escitalopram: self.escitalopram + o.escitalopram,
        }
    }
}

/// Plasma concentrations (total drug, ng/mL) read from a PK state.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Plasma {
    /// Racemic ketamine.
    pub ketamine: f64,
    /// Norketamine (racemic, from ketamine).
    pub norketamine: f64,
    /// Hydroxynorketamine.
    pub hnk: f64,
    /// Esketamine.
    pub esketamine: f64,
    /// Escitalopram.
    pub escitalopram: f64,
}

const MIN_PER_H: f64 = 60.0;
pub(crate) const NG_ML_PER_MG_L: f64 = 1000.0;

impl PkModel {
    /// Builds the per-hour rate constants from the parameters.
    pub fn new(p: &Params) -> PkModel {
        let w = p[id::WEIGHT];
        let ln2 = std::f64::consts::LN_2;
        // Volumes scale with weight, clearances allometrically (exponent 3/4).
        let (vol, clr) = (w / 70.0, (w / 70.0).powf(0.75));
        let (v1, v2) = (p[id::KET_V1] * vol, p[id::KET_V2] * vol);
        let q = p[id::KET_Q] * clr;
        PkModel {
            ketamine: Disposition {
                v1_l: v1,
                k10: p[id::KET_CL] * clr / v1,
                k12: q / v1,
                k21: q / v2,
                ke0: p[id::KET_KE0] * MIN_PER_H,
            },
            ket_ka: p[id::KET_KA],
            ket_f_nasal: p[id::KET_F_NASAL],
            ket_f_oral: p[id::KET_F_ORAL],
            ket_fp_nasal: p[id::KET_FP_NASAL],
            ket_fp_oral: p[id::KET_FP_ORAL],
            f_nk: p[id::KET_F_NORKET],
            nk_v_l: p[id::NK_V] * w,
            k_nk: ln2 / p[id::NK_THALF],
            nk_ke0: p[id::NK_KE0] * MIN_PER_H,
            f_hnk: p[id::NK_F_HNK],
            hnk_v_l: p[id::HNK_V] * w,
            k_hnk: ln2 / p[id::HNK_THALF],
            esk_f: p[id::ESK_F_NASAL],
            esk_f_oral: p[id::ESK_F_ORAL],
            esk_ka: p[id::ESK_KA],
            esc_f: p[id::ESC_F],
            esc_ka: p[id::ESC_KA],
            esc_v_l: p[id::ESC_V],
            esc_k: p[id::ESC_CL] / p[id::ESC_V],
        }
    }

    /// Time derivatives of the PK states (indices `0..PK_N` of the model
    /// state) under constant infusion `inf`.
    pub fn derivs(&self, x: &[f64], inf: &Infusion, dx: &mut [f64]) {
        // Racemic ketamine: depot -> the ketamine disposition.
        let ket_abs = self.ket_ka * x[KET_DEPOT];
        dx[KET_DEPOT] = -ket_abs;
        let ket_elim = self
            .ketamine
            .derivs(x, (KET_C, KET_P, KET_CE), inf.ketamine + ket_abs, dx);

        // Norketamine formed from eliminated ketamine (mass converted by MW).
        let nk_in = self.f_nk * ket_elim * (mw::NORKETAMINE / mw::KETAMINE);
        let nk_elim = self.k_nk * x[NK_C];
        dx[NK_C] = nk_in - nk_elim;
        dx[NK_CE] = self.nk_ke0 * (self.nk_plasma(x) - x[NK_CE]);
        let hnk_in = self.f_hnk * nk_elim * (mw::HNK / mw::NORKETAMINE);
        dx[HNK_C] = hnk_in - self.k_hnk * x[HNK_C];

        // Esketamine: nasal/oral depot -> the same disposition.
        let esk_abs = self.esk_ka * x[ESK_DEPOT];
        dx[ESK_DEPOT] = -esk_abs;
        self.ketamine
            .derivs(x, (ESK_C, ESK_P, ESK_CE), inf.esketamine + esk_abs, dx);

        // Escitalopram: gut depot -> 1 compartment.
        let esc_abs = self.esc_ka * x[ESC_DEPOT];
        dx[ESC_DEPOT] = -esc_abs;
        dx[ESC_C] = inf.escitalopram + esc_abs - self.esc_k * x[ESC_C];
    }

    fn ket_plasma(&self, x: &[f64]) -> f64 {
        self.ketamine.plasma(x[KET_C])
    }

    fn nk_plasma(&self, x: &[f64]) -> f64 {
        x[NK_C] / self.nk_v_l * NG_ML_PER_MG_L
    }

    fn esk_plasma(&self, x: &[f64]) -> f64 {
        self.ketamine.plasma(x[ESK_C])
    }

    /// Plasma concentrations from a state.
    pub fn plasma(&self, x: &[f64]) -> Plasma {
        Plasma {
            ketamine: self.ket_plasma(x),
            norketamine: self.nk_plasma(x),
            hnk: x[HNK_C] / self.hnk_v_l * NG_ML_PER_MG_L,
            esketamine: self.esk_plasma(x),
            escitalopram: x[ESC_C] / self.esc_v_l * NG_ML_PER_MG_L,
        }
    }

    /// Applies the instantaneous part of a dose (bolus, nasal or oral) to the
    /// state; infusions act through [`Infusion`] instead. Placebo adds nothing.
    /// Combinations outside [`crate::regimen::routes::ROUTES`] (refused by
    /// the parser) add nothing either.
    pub fn apply_dose(&self, ev: &DoseEvent, weight_kg: f64, x: &mut [f64]) {
        if !routes::allowed(ev.drug, ev.route) {
            return;
        }
        let mg = ev.amount.mg(weight_kg);
        match (ev.drug, ev.route) {
            (_, Route::IvInfusion) | (Drug::Placebo, _) => {}
            (Drug::Ketamine, Route::IvBolus) => x[KET_C] += mg,
            // The first-pass part enters as norketamine at once: absorption
            // (minutes) is fast against norketamine's hours.
            (Drug::Ketamine, Route::Nasal) => {
                x[KET_DEPOT] += self.ket_f_nasal * mg;
                x[NK_C] += self.first_pass_norketamine(self.ket_fp_nasal * mg);
            }
            (Drug::Ketamine, Route::Oral) => {
                x[KET_DEPOT] += self.ket_f_oral * mg;
                x[NK_C] += self.first_pass_norketamine(self.ket_fp_oral * mg);
            }
            (Drug::Esketamine, Route::IvBolus) => x[ESK_C] += mg,
            (Drug::Esketamine, Route::Nasal) => x[ESK_DEPOT] += self.esk_f * mg,
            (Drug::Esketamine, Route::Oral) => x[ESK_DEPOT] += self.esk_f_oral * mg,
            (Drug::Escitalopram, Route::Oral) => x[ESC_DEPOT] += self.esc_f * mg,
            (Drug::Escitalopram, Route::IvBolus) => x[ESC_C] += mg,
            (Drug::Escitalopram, Route::Nasal) => {}
        }
    }

    /// Norketamine (mg) made on first pass from `ketamine_mg` of ketamine.
    fn first_pass_norketamine(&self, ketamine_mg: f64) -> f64 {
        ketamine_mg * (mw::NORKETAMINE / mw::KETAMINE)
    }

    /// Infusion rate (mg/h) into the central compartment contributed by `ev`
    /// while it runs (every drug with an `iv infusion` route in
    /// [`crate::regimen::routes::ROUTES`]).
    pub fn infusion_rate(ev: &DoseEvent, weight_kg: f64) -> Infusion {
        let mut inf = Infusion::default();
        if ev.route == Route::IvInfusion
            && ev.duration_h > 0.0
            && routes::allowed(ev.drug, ev.route)
        {
            let rate = ev.amount.mg(weight_kg) / ev.duration_h;
            match ev.drug {
                Drug::Ketamine => inf.ketamine = rate,
                Drug::Esketamine => inf.esketamine = rate,
                Drug::Escitalopram => inf.escitalopram = rate,
                Drug::Placebo => {}
            }
        }
        inf
    }

    /// The system matrix `A` (per hour) and input vector `b` of the linear PK
    /// system `dx/dt = A x + b` for infusion `inf`, found by probing
    /// [`PkModel::derivs`] (exact, since the system is linear).
    pub fn linear_system(&self, inf: &Infusion) -> (DMatrix<f64>, DVector<f64>) {
        let zero = vec![0.0; PK_N];
        let mut b = vec![0.0; PK_N];
        self.derivs(&zero, inf, &mut b);
        let mut a = DMatrix::zeros(PK_N, PK_N);
        let mut e = vec![0.0; PK_N];
        let mut col = vec![0.0; PK_N];
        for j in 0..PK_N {
            e.iter_mut().for_each(|v| *v = 0.0);
            e[j] = 1.0;
            self.derivs(&e, &Infusion::default(), &mut col);
            for i in 0..PK_N {
                a[(i, j)] = col[i];
            }
        }
        (a, DVector::from_vec(b))
    }

    /// The input vector `b` of `dx/dt = A x + b` for infusion `inf` (cheap).
    pub fn linear_system_input(&self, inf: &Infusion) -> ((), Vec<f64>) {
        let zero = [0.0; PK_N];
        let mut b = vec![0.0; PK_N];
        self.derivs(&zero, inf, &mut b);
        ((), b)
    }

    /// Exact PK state after `dt_h` hours of constant infusion, from the
    /// matrix exponential of the augmented system `[[A, b], [0, 0]]`.
    pub fn propagate_exact(&self, x0: &[f64], inf: &Infusion, dt_h: f64) -> Vec<f64> {
        let (a, b) = self.linear_system(inf);
        let n = PK_N;
        let mut m = DMatrix::zeros(n + 1, n + 1);
        m.view_mut((0, 0), (n, n)).copy_from(&a);
        m.view_mut((0, n), (n, 1)).copy_from(&b);
        let e = (m * dt_h).exp();
        let mut z = DVector::zeros(n + 1);
        z.rows_mut(0, n).copy_from_slice(&x0[..n]);
        z[n] = 1.0;
        let out = e * z;
        out.rows(0, n).iter().copied().collect()
    }

    /// Terminal disposition half-life of ketamine (and esketamine), hours.
    pub fn ketamine_terminal_half_life_h(&self) -> f64 {
        self.ketamine.terminal_half_life_h()
    }

    /// Ketamine clearance, L/h.
    pub fn ketamine_clearance_l_per_h(&self) -> f64 {
        self.ketamine.clearance_l_per_h()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regimen::DoseAmount;

    fn ketamine_infusion(mg: f64, hours: f64) -> DoseEvent {
        DoseEvent {
            time_h: 0.0,
            drug: Drug::Ketamine,
            route: Route::IvInfusion,
            amount: DoseAmount::Mg(mg),
            duration_h: hours,
        }
    }

    #[test]
    fn linear_system_reproduces_derivs() {
        let pk = PkModel::new(&Params::default());
        let inf = Infusion {
            ketamine: 50.0,
            esketamine: 10.0,
            escitalopram: 5.0,
        };
        let x: Vec<f64> = (0..PK_N).map(|i| 1.0 + i as f64 * 0.37).collect();
        let (a, b) = pk.linear_system(&inf);
        let lin = &a * DVector::from_column_slice(&x) + b;
        let mut dx = vec![0.0; PK_N];
        pk.derivs(&x, &inf, &mut dx);
        for i in 0..PK_N {
            assert!((lin[i] - dx[i]).abs() < 1e-9 * (1.0 + dx[i].abs()));
        }
    }

    /// One-compartment closed form: with no distribution, C(t) during a
    /// constant infusion is R/CL (1 - exp(-k t)).
    #[test]
    fn one_compartment_infusion_closed_form() {
        let mut pk = PkModel::new(&Params::default());
        pk.ketamine.k12 = 0.0;
        let ev = ketamine_infusion(35.0, 2.0 / 3.0);
        let inf = PkModel::infusion_rate(&ev, 70.0);
        let x = pk.propagate_exact(&[0.0; PK_N], &inf, 0.5);
        let k = pk.ketamine.k10;
        let expected =
            inf.ketamine / (k * pk.ketamine.v1_l) * (1.0 - (-k * 0.5_f64).exp()) * 1000.0;
        let got = pk.plasma(&x).ketamine;
        assert!(
            (got - expected).abs() / expected < 1e-9,
            "{got} vs {expected}"
        );
    }

    /// Two-compartment closed form after a bolus:
    /// C(t) = D/V1 [(α - k21) e^(-αt) + (k21 - β) e^(-βt)] / (α - β).
    #[test]
    fn two_compartment_bolus_closed_form() {
        let pk = PkModel::new(&Params::default());
        let d = pk.ketamine;
        let s = d.k10 + d.k12 + d.k21;
        let root = (s * s - 4.0 * d.k10 * d.k21).sqrt();
        let (alpha, beta) = ((s + root) / 2.0, (s - root) / 2.0);
        let mut x0 = [0.0; PK_N];
        x0[KET_C] = 35.0;
        for t in [0.1, 0.5, 2.0, 8.0, 24.0] {
            let x = pk.propagate_exact(&x0, &Infusion::default(), t);
            let c = 35.0 / d.v1_l
                * 1000.0
                * ((alpha - d.k21) * (-alpha * t).exp() + (d.k21 - beta) * (-beta * t).exp())
                / (alpha - beta);
            let got = pk.plasma(&x).ketamine;
            assert!((got - c).abs() <= 1e-9 * c, "t {t}: {got} vs {c}");
        }
        let t_half = std::f64::consts::LN_2 / beta;
        assert!((t_half - pk.ketamine_terminal_half_life_h()).abs() < 1e-12);
    }

    /// One S-ketamine disposition: esketamine gives exactly the exposure of
    /// the S-half of the same racemic dose, by every route.
    #[test]
    fn esketamine_is_the_s_half_of_the_racemate() {
        let mut p = Params::default();
        p.set(id::KET_F_NASAL, 0.48).unwrap();
        p.set(id::KET_KA, 3.2).unwrap();
        let pk = PkModel::new(&p);
        let dose = |drug, route, mg| DoseEvent {
            time_h: 0.0,
            drug,
            route,
            amount: DoseAmount::Mg(mg),
            duration_h: if route == Route::IvInfusion {
                2.0 / 3.0
            } else {
                0.0
            },
        };
        for route in [Route::IvInfusion, Route::IvBolus, Route::Nasal] {
            let (ket, esk) = (
                dose(Drug::Ketamine, route, 35.0),
                dose(Drug::Esketamine, route, 17.5),
            );
            let mut x = vec![0.0; PK_N];
            pk.apply_dose(&ket, 70.0, &mut x);
            pk.apply_dose(&esk, 70.0, &mut x);
            let inf = PkModel::infusion_rate(&ket, 70.0).plus(PkModel::infusion_rate(&esk, 70.0));
            for t in [0.25, 0.5, 2.0 / 3.0] {
                let y = pk.propagate_exact(&x, &inf, t);
                let c = pk.plasma(&y);
                assert!(
                    (c.esketamine - 0.5 * c.ketamine).abs() <= 1e-9 * c.ketamine,
                    "{}: {} vs {}",
                    route.name(),
                    c.esketamine,
                    c.ketamine
                );
                assert!((y[ESK_CE] - 0.5 * y[KET_CE]).abs() <= 1e-9 * y[KET_CE]);
            }
        }
    }

    /// First pass: nasal and oral ketamine make far more norketamine per
    /// unit of ketamine exposure than an infusion does.
    #[test]
    fn first_pass_makes_norketamine() {
        let pk = PkModel::new(&Params::default());
        let auc = |route: Route| {
            let ev = DoseEvent {
                time_h: 0.0,
                drug: Drug::Ketamine,
                route,
                amount: DoseAmount::Mg(50.0),
                duration_h: if route == Route::IvInfusion {
                    2.0 / 3.0
                } else {
                    0.0
                },
            };
            let mut x = vec![0.0; PK_N];
            pk.apply_dose(&ev, 70.0, &mut x);
            let inf = PkModel::infusion_rate(&ev, 70.0);
            let (mut k, mut n) = (0.0, 0.0);
            for i in 0..480 {
                let on = if route == Route::IvInfusion && i < 8 {
                    inf
                } else {
                    Infusion::default()
                };
                x = pk.propagate_exact(&x, &on, 1.0 / 12.0);
                let c = pk.plasma(&x);
                (k, n) = (k + c.ketamine, n + c.norketamine);
            }
            n / k
        };
        let (iv, nasal, oral) = (auc(Route::IvInfusion), auc(Route::Nasal), auc(Route::Oral));
        assert!(nasal > 2.0 * iv && oral > 2.0 * iv, "{iv} {nasal} {oral}");
    }

    /// Mass balance: ketamine infused = ketamine eliminated + ketamine left,
    /// with elimination integrated from the exact solution.
    #[test]
    fn ketamine_mass_balance() {
        let pk = PkModel::new(&Params::default());
        let inf = Infusion {
            ketamine: 52.5,
            ..Infusion::default()
        };
        let (n, dt) = (4000, 2.0 / 3.0 / 4000.0);
        let mut x = vec![0.0; PK_N];
        let mut eliminated = 0.0;
        for _ in 0..n {
            let x1 = pk.propagate_exact(&x, &inf, dt);
            eliminated += 0.5 * dt * pk.ketamine.k10 * (x[KET_C] + x1[KET_C]);
            x = x1;
        }
        let remaining = x[KET_C] + x[KET_P];
        let dosed = 52.5 * 2.0 / 3.0;
        assert!(
            ((eliminated + remaining) - dosed).abs() / dosed < 1e-4,
            "{eliminated} + {remaining} vs {dosed}"
        );
    }

    /// Every drug x route of the table puts drug into plasma; for
    /// escitalopram (slow elimination) a 1-h infusion peaks near the bolus.
    #[test]
    fn every_route_of_the_table_reaches_plasma() {
        let pk = PkModel::new(&Params::default());
        let conc = |p: &Plasma, d: Drug| match d {
            Drug::Ketamine => p.ketamine,
            Drug::Esketamine => p.esketamine,
            Drug::Escitalopram => p.escitalopram,
            Drug::Placebo => 0.0,
        };
        for row in routes::ROUTES.iter().filter(|r| r.drug != Drug::Placebo) {
            let mut iv_peaks = Vec::new();
            for &route in row.routes {
                let ev = DoseEvent {
                    time_h: 0.0,
                    drug: row.drug,
                    route,
                    amount: DoseAmount::Mg(10.0),
                    duration_h: if route == Route::IvInfusion { 1.0 } else { 0.0 },
                };
                let mut x = vec![0.0; PK_N];
                pk.apply_dose(&ev, 70.0, &mut x);
                let inf = PkModel::infusion_rate(&ev, 70.0);
                let mut peak = conc(&pk.plasma(&x), row.drug);
                for k in 0..200 {
                    let on = if k < 10 && route == Route::IvInfusion {
                        inf
                    } else {
                        Infusion::default()
                    };
                    x = pk.propagate_exact(&x, &on, 0.1);
                    peak = peak.max(conc(&pk.plasma(&x), row.drug));
                }
                assert!(peak > 0.1, "{} {}: peak {peak}", row.drug, route.name());
                if matches!(route, Route::IvInfusion | Route::IvBolus) {
                    iv_peaks.push(peak);
                }
            }
            if row.drug == Drug::Escitalopram {
                let (inf, bolus) = (iv_peaks[0], iv_peaks[1]);
                assert!(inf < bolus && inf > 0.95 * bolus, "{inf} vs {bolus}");
            }
        }
    }

    #[test]
    fn half_lives_and_clearance_in_published_ranges() {
        let pk = PkModel::new(&Params::default());
        let t = pk.ketamine_terminal_half_life_h();
        assert!((7.0..12.0).contains(&t), "ketamine and esketamine t1/2 {t}");
        let cl = pk.ketamine_clearance_l_per_h();
        assert!((60.0..120.0).contains(&cl), "ketamine CL {cl}");
    }
}
