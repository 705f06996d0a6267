//! Pharmacokinetics: linear compartment models for each drug, with effect
//! sites and the ketamine -> norketamine -> HNK metabolite chain.
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

/// Rate constants of every drug, per hour, for one patient.
#[derive(Debug, Clone)]
pub struct PkModel {
    // ketamine
    ket_v1_l: f64,
    k10: f64,
    k12: f64,
    k13: f64,
    k21: f64,
    k31: f64,
    ket_ke0: f64,
    ket_ka: f64,
    ket_f_nasal: f64,
    ket_f_oral: f64,
    f_nk: f64,
    // norketamine and HNK
    nk_v_l: f64,
    k_nk: f64,
    nk_ke0: f64,
    f_hnk: f64,
    hnk_v_l: f64,
    k_hnk: f64,
    // esketamine
    esk_f: f64,
    esk_f_oral: f64,
    esk_ka: f64,
    esk_v1_l: f64,
    esk_k10: f64,
    esk_k12: f64,
    esk_k21: f64,
    esk_ke0: f64,
    // escitalopram
    esc_f: f64,
    esc_ka: f64,
    esc_v_l: f64,
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
const NG_ML_PER_MG_L: f64 = 1000.0;

impl PkModel {
    /// Builds the per-hour rate constants from the parameters.
    pub fn new(p: &Params) -> PkModel {
        let w = p[id::WEIGHT];
        let ln2 = std::f64::consts::LN_2;
        let esk_v1 = p[id::ESK_V1];
        PkModel {
            ket_v1_l: p[id::KET_V1] * w,
            k10: p[id::KET_K10] * MIN_PER_H,
            k12: p[id::KET_K12] * MIN_PER_H,
            k13: p[id::KET_K13] * MIN_PER_H,
            k21: p[id::KET_K21] * MIN_PER_H,
            k31: p[id::KET_K31] * MIN_PER_H,
            ket_ke0: p[id::KET_KE0] * MIN_PER_H,
            ket_ka: p[id::KET_KA],
            ket_f_nasal: p[id::KET_F_NASAL],
            ket_f_oral: p[id::KET_F_ORAL],
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
            esk_v1_l: esk_v1,
            esk_k10: p[id::ESK_CL] / esk_v1,
            esk_k12: p[id::ESK_Q] / esk_v1,
            esk_k21: p[id::ESK_Q] / p[id::ESK_V2],
            esk_ke0: p[id::ESK_KE0] * MIN_PER_H,
            esc_f: p[id::ESC_F],
            esc_ka: p[id::ESC_KA],
            esc_v_l: p[id::ESC_V],
            esc_k: p[id::ESC_CL] / p[id::ESC_V],
        }
    }

    /// Time derivatives of the PK states (indices `0..PK_N` of the model
    /// state) under constant infusion `inf`.
    pub fn derivs(&self, x: &[f64], inf: &Infusion, dx: &mut [f64]) {
        // Racemic ketamine, Domino mammillary 3-compartment model.
        let kc = x[KET_C];
        let ket_elim = self.k10 * kc;
        let ket_abs = self.ket_ka * x[KET_DEPOT];
        dx[KET_C] = inf.ketamine + ket_abs - ket_elim - (self.k12 + self.k13) * kc
            + self.k21 * x[KET_P1]
            + self.k31 * x[KET_P2];
        dx[KET_P1] = self.k12 * kc - self.k21 * x[KET_P1];
        dx[KET_P2] = self.k13 * kc - self.k31 * x[KET_P2];
        dx[KET_DEPOT] = -ket_abs;
        dx[KET_CE] = self.ket_ke0 * (self.ket_plasma(x) - x[KET_CE]);

        // Norketamine formed from eliminated ketamine (mass converted by MW).
        let nk_in = self.f_nk * ket_elim * (mw::NORKETAMINE / mw::KETAMINE);
        let nk_elim = self.k_nk * x[NK_C];
        dx[NK_C] = nk_in - nk_elim;
        dx[NK_CE] = self.nk_ke0 * (self.nk_plasma(x) - x[NK_CE]);
        let hnk_in = self.f_hnk * nk_elim * (mw::HNK / mw::NORKETAMINE);
        dx[HNK_C] = hnk_in - self.k_hnk * x[HNK_C];

        // Esketamine: nasal depot -> 2 compartments.
        let esk_abs = self.esk_ka * x[ESK_DEPOT];
        let ec = x[ESK_C];
        dx[ESK_DEPOT] = -esk_abs;
        dx[ESK_C] =
            inf.esketamine + esk_abs - (self.esk_k10 + self.esk_k12) * ec + self.esk_k21 * x[ESK_P];
        dx[ESK_P] = self.esk_k12 * ec - self.esk_k21 * x[ESK_P];
        dx[ESK_CE] = self.esk_ke0 * (self.esk_plasma(x) - x[ESK_CE]);

        // Escitalopram: gut depot -> 1 compartment.
        let esc_abs = self.esc_ka * x[ESC_DEPOT];
        dx[ESC_DEPOT] = -esc_abs;
        dx[ESC_C] = inf.escitalopram + esc_abs - self.esc_k * x[ESC_C];
    }

    fn ket_plasma(&self, x: &[f64]) -> f64 {
        x[KET_C] / self.ket_v1_l * NG_ML_PER_MG_L
    }

    fn nk_plasma(&self, x: &[f64]) -> f64 {
        x[NK_C] / self.nk_v_l * NG_ML_PER_MG_L
    }

    fn esk_plasma(&self, x: &[f64]) -> f64 {
        x[ESK_C] / self.esk_v1_l * NG_ML_PER_MG_L
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
            (Drug::Ketamine, Route::Nasal) => x[KET_DEPOT] += self.ket_f_nasal * mg,
            (Drug::Ketamine, Route::Oral) => x[KET_DEPOT] += self.ket_f_oral * mg,
            (Drug::Esketamine, Route::IvBolus) => x[ESK_C] += mg,
            (Drug::Esketamine, Route::Nasal) => x[ESK_DEPOT] += self.esk_f * mg,
            (Drug::Esketamine, Route::Oral) => x[ESK_DEPOT] += self.esk_f_oral * mg,
            (Drug::Escitalopram, Route::Oral) => x[ESC_DEPOT] += self.esc_f * mg,
            (Drug::Escitalopram, Route::IvBolus) => x[ESC_C] += mg,
            (Drug::Escitalopram, Route::Nasal) => {}
        }
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

    /// Terminal (slowest) disposition half-life of racemic ketamine in hours,
    /// from the eigenvalues of its 3-compartment matrix.
    pub fn ketamine_terminal_half_life_h(&self) -> f64 {
        let m = nalgebra::Matrix3::new(
            -(self.k10 + self.k12 + self.k13),
            self.k21,
            self.k31,
            self.k12,
            -self.k21,
            0.0,
            self.k13,
            0.0,
            -self.k31,
        );
        let slowest = m
            .complex_eigenvalues()
            .iter()
            .map(|z| z.re.abs())
            .fold(f64::INFINITY, f64::min);
        std::f64::consts::LN_2 / slowest
    }

    /// Ketamine clearance, L/h.
    pub fn ketamine_clearance_l_per_h(&self) -> f64 {
        self.k10 * self.ket_v1_l
    }

    /// Terminal half-life of esketamine, hours.
    pub fn esketamine_terminal_half_life_h(&self) -> f64 {
        let s = self.esk_k10 + self.esk_k12 + self.esk_k21;
        let prod = self.esk_k10 * self.esk_k21;
        let beta = (s - (s * s - 4.0 * prod).max(0.0).sqrt()) / 2.0;
        std::f64::consts::LN_2 / beta
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
        let mut p = Params::default();
        p.set(id::KET_K12, 0.0).unwrap();
        p.set(id::KET_K13, 0.0).unwrap();
        let pk = PkModel::new(&p);
        let ev = ketamine_infusion(35.0, 2.0 / 3.0);
        let inf = PkModel::infusion_rate(&ev, 70.0);
        let x = pk.propagate_exact(&[0.0; PK_N], &inf, 0.5);
        let k = pk.k10;
        let expected = inf.ketamine / (k * pk.ket_v1_l) * (1.0 - (-k * 0.5_f64).exp()) * 1000.0;
        let got = pk.plasma(&x).ketamine;
        assert!(
            (got - expected).abs() / expected < 1e-9,
            "{got} vs {expected}"
        );
    }

    /// Domino model, 0.5 mg/kg over 40 min in 70 kg: integrating Domino 1982 gives
    /// 240 ng/mL at the end of infusion and 36 ng/mL at 120 min.
    #[test]
    fn domino_infusion_matches_published_profile() {
        let pk = PkModel::new(&Params::default());
        let ev = ketamine_infusion(35.0, 40.0 / 60.0);
        let inf = PkModel::infusion_rate(&ev, 70.0);
        let x_end = pk.propagate_exact(&[0.0; PK_N], &inf, 40.0 / 60.0);
        let c_end = pk.plasma(&x_end).ketamine;
        assert!((c_end - 240.0).abs() < 8.0, "end of infusion {c_end}");
        let x_120 = pk.propagate_exact(&x_end, &Infusion::default(), 80.0 / 60.0);
        let c_120 = pk.plasma(&x_120).ketamine;
        assert!((c_120 - 36.0).abs() < 3.0, "120 min {c_120}");
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
            eliminated += 0.5 * dt * pk.k10 * (x[KET_C] + x1[KET_C]);
            x = x1;
        }
        let remaining = x[KET_C] + x[KET_P1] + x[KET_P2];
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
        assert!((1.8..3.5).contains(&t), "ketamine t1/2 {t}");
        let cl = pk.ketamine_clearance_l_per_h();
        assert!((60.0..120.0).contains(&cl), "ketamine CL {cl}");
        let te = pk.esketamine_terminal_half_life_h();
        assert!((7.0..12.0).contains(&te), "esketamine t1/2 {te}");
    }
}
