//! Dosing regimens: drugs, routes, the compact regimen notation and its
//! expansion into an explicit, sorted list of dose events.
//!
//! A regimen is written in a small notation in the spirit of mrgsolve's
//! `ev_rx`, for example
//!
//! ```text
//! ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 6
//! ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6 then every 4 w x 3
//! esketamine 56 mg nasal once then 84 mg twice weekly x 7 then weekly for 4 w
//! escitalopram 10 mg oral daily for 12 w
//! placebo iv over 40 min once
//! ```
//!
//! [`Regimen::parse`] turns the text into phases; [`Regimen::expand`] lists
//! every dose with its time in hours since the first dose.

mod notation;
pub mod routes;
mod title;

pub use crate::units::DoseAmount;
pub use notation::RegimenError;

use serde::Serialize;

/// A drug synsim knows how to dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Drug {
    /// Racemic ketamine (50:50 S and R).
    Ketamine,
    /// S-ketamine (Spravato nasal spray).
    Esketamine,
    /// Escitalopram, the SSRI comparator.
    Escitalopram,
    /// Saline / inactive comparator: no drug, only the expectancy of treatment.
    Placebo,
}

impl Drug {
    /// All drugs, in a fixed order.
    pub const ALL: [Drug; 4] = [
        Drug::Ketamine,
        Drug::Esketamine,
        Drug::Escitalopram,
        Drug::Placebo,
    ];

    /// Lower-case name as used in the notation and in output columns.
    pub fn name(self) -> &'static str {
        match self {
            Drug::Ketamine => "ketamine",
            Drug::Esketamine => "esketamine",
            Drug::Escitalopram => "escitalopram",
            Drug::Placebo => "placebo",
        }
    }
}

impl std::fmt::Display for Drug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a dose enters the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Intravenous infusion at a constant rate over `duration_h`.
    IvInfusion,
    /// Intravenous bolus (instantaneous).
    IvBolus,
    /// Intranasal spray (absorbed from a nasal depot).
    Nasal,
    /// Oral (absorbed from a gut depot).
    Oral,
}

impl Route {
    /// Short name used in listings.
    pub fn name(self) -> &'static str {
        match self {
            Route::IvInfusion => "iv infusion",
            Route::IvBolus => "iv bolus",
            Route::Nasal => "nasal",
            Route::Oral => "oral",
        }
    }
}

/// One administration, with its time in hours since the first dose.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DoseEvent {
    /// Start time, hours since the first dose of the regimen.
    pub time_h: f64,
    /// Which drug.
    pub drug: Drug,
    /// How it is given.
    pub route: Route,
    /// How much.
    pub amount: DoseAmount,
    /// Infusion duration in hours (0 for bolus, nasal and oral doses).
    pub duration_h: f64,
}

impl DoseEvent {
    /// End of administration (equal to `time_h` for instantaneous doses).
    pub fn end_h(&self) -> f64 {
        self.time_h + self.duration_h
    }
}

/// When the doses of one phase fall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Schedule {
    /// A single dose.
    Once,
    /// Every `interval_h` hours.
    Every {
        /// Hours between doses.
        interval_h: f64,
    },
    /// On named weekdays (0 = the weekday of the phase's first dose is the
    /// first listed day; offsets in days within a week, sorted, first is 0).
    Weekdays {
        /// Day offsets within the week, relative to the first listed day.
        offsets_d: Vec<f64>,
    },
}

/// How many doses a repeating phase gives.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Count {
    /// Exactly this many doses (`x 6`).
    Times(u32),
    /// As many as start within this many hours (`for 4 w`).
    For(f64),
}

/// One phase of a regimen: the same dose on one schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// Drug given in this phase.
    pub drug: Drug,
    /// Amount per dose.
    pub amount: DoseAmount,
    /// Route.
    pub route: Route,
    /// Infusion duration in hours (0 when not an infusion).
    pub duration_h: f64,
    /// Dose timing.
    pub schedule: Schedule,
    /// Number of doses (ignored for `Once`).
    pub count: Count,
    /// Extra wait before this phase's first dose, hours (`after 2 w`).
    pub delay_h: f64,
    /// Starts a new strand at time 0, alongside the earlier phases (`+`),
    /// instead of following the previous phase (`then`).
    pub concurrent: bool,
}

/// A parsed dosing regimen: one or more phases given one after another
/// (`then`), in one or more strands given alongside each other (`+`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Regimen {
    /// The phases, in order.
    pub phases: Vec<Phase>,
}

impl Regimen {
    /// Parses the compact notation (see the module docs).
    pub fn parse(text: &str) -> Result<Regimen, RegimenError> {
        notation::parse(text)
    }

    /// Expands the phases into a sorted list of dose events.
    pub fn expand(&self) -> Vec<DoseEvent> {
        notation::expand(self)
    }

    /// The drugs this regimen gives, without repeats, in [`Drug::ALL`] order.
    pub fn drugs(&self) -> Vec<Drug> {
        Drug::ALL
            .into_iter()
            .filter(|d| self.phases.iter().any(|p| p.drug == *d))
            .collect()
    }

    /// The placebo twin: the same sessions (routes, times, infusion
    /// lengths) with no drug in any of them, as a placebo arm gives (the
    /// lab's second arm).
    pub fn as_placebo(&self) -> Regimen {
        let mut r = self.clone();
        for p in &mut r.phases {
            p.drug = Drug::Placebo;
            p.amount = DoseAmount::Mg(0.0);
        }
        r
    }

    /// A regimen with every phase's dose set to `value` (in each phase's own
    /// unit). Used by sweeps over `regimen.dose`.
    pub fn with_dose(&self, value: f64) -> Regimen {
        let mut r = self.clone();
        for p in &mut r.phases {
            p.amount = p.amount.with_value(value);
        }
        r
    }

    /// A regimen whose repeating phases dose every `days` days (sweeps over
    /// `regimen.interval_d`). Weekday schedules become plain intervals.
    pub fn with_interval_d(&self, days: f64) -> Regimen {
        let mut r = self.clone();
        for p in &mut r.phases {
            if p.schedule != Schedule::Once {
                p.schedule = Schedule::Every {
                    interval_h: days * 24.0,
                };
            }
        }
        r
    }

    /// A regimen whose infusions last `minutes` (sweeps over
    /// `regimen.infusion_min`).
    pub fn with_infusion_min(&self, minutes: f64) -> Regimen {
        let mut r = self.clone();
        for p in &mut r.phases {
            if p.route == Route::IvInfusion {
                p.duration_h = minutes / 60.0;
            }
        }
        r
    }

    /// Canonical text of the regimen (parses back to the same regimen).
    pub fn to_notation(&self) -> String {
        notation::format(self)
    }

    /// A title of at most `max` characters for this regimen written as
    /// `text`: the text itself when short enough, else the regimen said
    /// with less detail, down to its drugs ("Esketamine + escitalopram").
    pub fn title(&self, text: &str, max: usize) -> String {
        title::title(self, text, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The placebo twin keeps every session's time, route and length and
    /// reads back as placebo notation.
    #[test]
    fn the_placebo_twin_keeps_every_session() {
        let r = Regimen::parse(
            "esketamine 56 mg nasal twice weekly for 4 w + escitalopram 10 mg oral daily for 4 w",
        )
        .unwrap();
        let twin = r.as_placebo();
        let (a, b) = (r.expand(), twin.expand());
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                (x.time_h, x.route, x.duration_h),
                (y.time_h, y.route, y.duration_h)
            );
            assert_eq!(y.drug, Drug::Placebo);
        }
        let text = twin.to_notation();
        assert!(
            !text.contains("esketamine") && text.contains("placebo"),
            "{text}"
        );
        assert_eq!(Regimen::parse(&text).unwrap().expand(), b);
    }
}
