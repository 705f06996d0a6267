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
    for drug in r.drugs() {
        if drug == Drug::Placebo {
            continue;
        }
        let mine: Vec<&DoseEvent> = doses.iter().filter(|d| d.drug == drug).collect();
        for route in [Route::IvInfusion, Route::IvBolus, Route::Nasal, Route::Oral] {
            let given: Vec<&DoseEvent> =
                mine.iter().copied().filter(|d| d.route == route).collect();
            if given.is_empty() {
                continue;
            }
            for m in route_warnings(drug, route, &given, w) {
                // The same departure found twice is said once.
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
    }
    out
}

/// The doses of one drug by one route, against its calibrated row.
struct Given<'a> {
    drug: Drug,
    route: Route,
    c: &'static Calibrated,
    doses: &'a [&'a DoseEvent],
    weight_kg: f64,
}

/// The warnings for the doses of one drug by one route: the route is not
/// calibrated at all, or a dose, the infusion rate or the daily total is
/// out of range.
fn route_warnings(drug: Drug, route: Route, doses: &[&DoseEvent], weight_kg: f64) -> Vec<String> {
    let Some(c) = row(drug, route) else {
        return vec![format!(
            "{drug} {} is outside what the model was calibrated for (its PK here is illustrative); read the result as a what-if",
            route.name()
        )];
    };
    let g = Given {
        drug,
        route,
        c,
        doses,
        weight_kg,
    };
    let mut out = Vec::new();
    match g.dose_warning() {
        // One warning per cause: a dose already out of range explains
        // its rate and its daily total.
        Some(m) => out.push(m),
        None => out.extend(g.rate_warning().into_iter().chain(g.daily_warning())),
    }
    out
}

impl Given<'_> {
    /// The unit of the calibrated row's doses.
    fn unit(&self) -> &'static str {
        if self.c.per_kg {
            "mg/kg"
        } else {
            "mg"
        }
    }

    /// A dose in the row's unit (mg, or mg per kg of body weight).
    fn amount(&self, d: &DoseEvent) -> f64 {
        let mg = d.amount.mg(self.weight_kg);
        if self.c.per_kg {
            mg / self.weight_kg
        } else {
            mg
        }
    }

    /// The dose furthest from the calibrated range's low end, if any dose
    /// lies outside the range.
    fn dose_warning(&self) -> Option<String> {
        let (lo, hi) = self.c.dose?;
        let a = self
            .doses
            .iter()
            .map(|d| self.amount(d))
            .filter(|a| *a < lo * (1.0 - 1e-9) || *a > hi * (1.0 + 1e-9))
            .fold(None, |m: Option<f64>, a| {
                Some(m.map_or(a, |m| {
                    if (a - lo).abs() > (m - lo).abs() {
                        a
                    } else {
                        m
                    }
                }))
            })?;
        let unit = self.unit();
        Some(format!(
            "{} {} {} {unit} per dose is outside the calibrated range {}-{} {unit} (calibration: {}); read the result as extrapolation",
            self.drug,
            self.route.name(),
            num(a),
            num(lo),
            num(hi),
            self.c.source
        ))
    }

    /// The fastest infusion, if faster than the calibrated rate.
    fn rate_warning(&self) -> Option<String> {
        let max = self.c.max_rate_per_h?;
        let fastest = self
            .doses
            .iter()
            .filter(|d| d.duration_h > 0.0)
            .map(|d| self.amount(d) / d.duration_h)
            .fold(0.0, f64::max);
        let unit = self.unit();
        (fastest > max * (1.0 + 1e-9)).then(|| format!(
            "{} infused at {} {unit}/h is faster than the calibrated {} {unit}/h (calibration: {}); plasma peaks are extrapolation",
            self.drug,
            num(fastest),
            num(max),
            self.c.source
        ))
    }

    /// The most given in any 24 hours from a dose, if more than the
    /// calibrated daily total.
    fn daily_warning(&self) -> Option<String> {
        let max = self.c.max_per_24h?;
        let most = self
            .doses
            .iter()
            .map(|d| {
                self.doses
                    .iter()
                    .filter(|e| e.time_h >= d.time_h && e.time_h < d.time_h + 24.0 - 1e-9)
                    .map(|e| self.amount(e))
                    .sum::<f64>()
            })
            .fold(0.0, f64::max);
        let unit = self.unit();
        (most > max * (1.0 + 1e-9)).then(|| format!(
            "{} {}: {} {unit} within 24 hours is more than the calibrated {} {unit} a day (calibration: {}); read the result as extrapolation",
            self.drug,
            self.route.name(),
            num(most),
            num(max),
            self.c.source
        ))
    }
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
