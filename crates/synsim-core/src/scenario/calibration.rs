//! The range of doses, rates and schedules the model was calibrated for,
//! and plain warnings when a scenario leaves it. Such runs still run: the
//! warnings say that the answer is extrapolation. The ranges are those of
//! the calibration targets (docs/MODEL.md section 7) and their sources.

use super::Scenario;
use crate::regimen::{DoseEvent, Drug, Route};

/// What the model was calibrated on for one drug and route.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibrated {
    /// Drug.
    pub drug: Drug,
    /// Routes this row covers.
    pub routes: &'static [Route],
    /// Calibrated dose per administration, lowest and highest.
    pub dose: Option<(f64, f64)>,
    /// Whether `dose` is per kg of body weight (else mg).
    pub per_kg: bool,
    /// Highest calibrated infusion rate (dose unit per hour), if any.
    pub max_rate_per_h: Option<f64>,
    /// Highest calibrated total in any 24 hours (dose unit), if any.
    pub max_per_24h: Option<f64>,
    /// What the calibration rests on.
    pub source: &'static str,
}

/// The calibrated range of every drug and route the model has data for.
/// A drug x route missing here (a ketamine bolus, nasal or oral ketamine,
/// oral or iv esketamine, iv escitalopram) is simulated with illustrative
/// PK and never calibrated.
pub static CALIBRATED: &[Calibrated] = &[
    Calibrated {
        drug: Drug::Ketamine,
        routes: &[Route::IvInfusion],
        dose: Some((0.1, 1.0)),
        per_kg: true,
        // 1.0 mg/kg over 40 min.
        max_rate_per_h: Some(1.5),
        max_per_24h: Some(1.0),
        source: "0.5 mg/kg over 40 min in Zarate 2006 and Murrough 2013, 0.1-1.0 mg/kg in Fava 2020, thrice weekly in Murrough 2013 Biol Psychiatry",
    },
    Calibrated {
        drug: Drug::Esketamine,
        routes: &[Route::Nasal],
        dose: Some((28.0, 84.0)),
        per_kg: false,
        max_rate_per_h: None,
        max_per_24h: Some(84.0),
        source: "28-84 mg, at most twice weekly, Spravato label",
    },
    Calibrated {
        drug: Drug::Escitalopram,
        routes: &[Route::Oral],
        dose: Some((5.0, 20.0)),
        per_kg: false,
        max_rate_per_h: None,
        max_per_24h: Some(20.0),
        source: "10 mg daily, at most 20 mg a day, Lexapro label",
    },
];

fn row(drug: Drug, route: Route) -> Option<&'static Calibrated> {
    CALIBRATED
        .iter()
        .find(|c| c.drug == drug && c.routes.contains(&route))
}

fn num(v: f64) -> String {
    crate::params::fmt_num((v * 1000.0).round() / 1000.0)
}

/// Plain warnings, one per kind of departure, when the scenario's regimen
/// leaves the doses, infusion rates or schedules the model was calibrated
/// for. Empty when everything is inside (or there is no regimen).
pub fn calibration_warnings(s: &Scenario) -> Vec<String> {
    let Some(r) = &s.regimen else {
        return Vec::new();
    };
    let w = s.weight_kg();
    let doses: Vec<DoseEvent> = r.expand();
    let mut out: Vec<String> = Vec::new();
    let mut push = |m: String| {
        if !out.contains(&m) {
            out.push(m);
        }
    };
    for drug in r.drugs() {
        if drug == Drug::Placebo {
            continue;
        }
        let mine: Vec<&DoseEvent> = doses.iter().filter(|d| d.drug == drug).collect();
        for route in [Route::IvInfusion, Route::IvBolus, Route::Nasal, Route::Oral] {
            let given: Vec<&&DoseEvent> = mine.iter().filter(|d| d.route == route).collect();
            if given.is_empty() {
                continue;
            }
            let Some(c) = row(drug, route) else {
                push(format!(
                    "{drug} {} is outside what the model was calibrated for (its PK here is illustrative); read the result as a what-if",
                    route.name()
                ));
                continue;
            };
            let unit = if c.per_kg { "mg/kg" } else { "mg" };
            let amount = |d: &DoseEvent| {
                let mg = d.amount.mg(w);
                if c.per_kg {
                    mg / w
                } else {
                    mg
                }
            };
            let mut dose_warned = false;
            if let Some((lo, hi)) = c.dose {
                let out_of = given
                    .iter()
                    .map(|d| amount(d))
                    .filter(|a| *a < lo * (1.0 - 1e-9) || *a > hi * (1.0 + 1e-9))
                    .fold(None, |m: Option<f64>, a| {
                        Some(m.map_or(a, |m| {
                            if (a - lo).abs() > (m - lo).abs() {
                                a
                            } else {
                                m
                            }
                        }))
                    });
                if let Some(a) = out_of {
                    dose_warned = true;
                    push(format!(
                        "{drug} {} {} {unit} per dose is outside the calibrated range {}-{} {unit} (calibration: {}); read the result as extrapolation",
                        route.name(),
                        num(a),
                        num(lo),
                        num(hi),
                        c.source
                    ));
                }
            }
            // One warning per cause: a dose already out of range explains
            // its rate and its daily total.
            if let Some(max) = c.max_rate_per_h.filter(|_| !dose_warned) {
                let fastest = given
                    .iter()
                    .filter(|d| d.duration_h > 0.0)
                    .map(|d| amount(d) / d.duration_h)
                    .fold(0.0, f64::max);
                if fastest > max * (1.0 + 1e-9) {
                    push(format!(
                        "{drug} infused at {} {unit}/h is faster than the calibrated {} {unit}/h (calibration: {}); plasma peaks are extrapolation",
                        num(fastest),
                        num(max),
                        c.source
                    ));
                }
            }
            if let Some(max) = c.max_per_24h.filter(|_| !dose_warned) {
                let most = given
                    .iter()
                    .map(|d| {
                        given
                            .iter()
                            .filter(|e| e.time_h >= d.time_h && e.time_h < d.time_h + 24.0 - 1e-9)
                            .map(|e| amount(e))
                            .sum::<f64>()
                    })
                    .fold(0.0, f64::max);
                if most > max * (1.0 + 1e-9) {
                    push(format!(
                        "{drug} {}: {} {unit} within 24 hours is more than the calibrated {} {unit} a day (calibration: {}); read the result as extrapolation",
                        route.name(),
                        num(most),
                        num(max),
                        c.source
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(regimen: &str) -> Vec<String> {
        let mut s = Scenario::load("placebo").unwrap();
        s.set_regimen(regimen).unwrap();
        calibration_warnings(&s)
    }

    #[test]
    fn builtins_are_inside_the_calibration() {
        for (name, _) in super::super::BUILTINS {
            let s = Scenario::load(name).unwrap();
            assert!(
                calibration_warnings(&s).is_empty(),
                "{name}: {:?}",
                calibration_warnings(&s)
            );
        }
    }

    #[test]
    fn doses_rates_and_schedules_outside_warn_once() {
        let w = with("ketamine 2 mg/kg iv over 40 min once");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("2 mg/kg per dose") && w[0].contains("0.1-1 mg/kg"));
        let w = with("ketamine 0.5 mg/kg iv over 10 min once");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("3 mg/kg/h"), "{w:?}");
        let w = with("ketamine 0.5 mg/kg iv bolus once");
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("iv bolus is outside"), "{w:?}");
        let w = with("ketamine 0.5 mg/kg iv over 40 min every 6 h x 8");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("within 24 hours"), "{w:?}");
        let w = with("escitalopram 15 mg oral bid for 4 w");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(with("escitalopram 20 mg oral daily for 8 w").is_empty());
        assert!(with("esketamine 56 mg nasal twice weekly x 8").is_empty());
        assert!(with("placebo iv over 40 min once").is_empty());
    }
}
