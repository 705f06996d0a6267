//! Everything that can be set by name, in one list: the model parameters of
//! the registry ([`crate::params::REGISTRY`]) and the regimen knobs
//! ([`REGIMEN_KNOBS`]). `--set`, `sweep --param`, the `[params]` table of
//! scenario files and `synsim params` all read it; [`settable`] lists it for
//! other front ends (sliders).
//!
//! A regimen knob addresses phases of the scenario's regimen:
//! `regimen.dose` sets the dose of every drug phase (in the regimen's own
//! unit), `regimen.interval_d` the interval of the maintenance phase (the
//! last repeating one), `regimen.infusion_min` the length of every infusion;
//! `regimen.phaseN.KNOB` (N from 1) addresses phase N only. Changing an
//! interval keeps that phase's treatment length (count x interval, or its
//! `for D`), so the number of doses follows the interval.

use crate::params::{self, fmt_num, Kind, ParamDef, ParamId, REGISTRY};
use crate::regimen::{Count, DoseAmount, Drug, Phase, Regimen, Route, Schedule};
use crate::units;

/// What a regimen knob changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    /// Dose per administration, in the regimen's own unit.
    Dose,
    /// Days between doses of a repeating phase.
    IntervalD,
    /// Minutes per IV infusion.
    InfusionMin,
}

/// One regimen knob: name, unit, range and meaning, like a [`ParamDef`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KnobDef {
    /// What it changes.
    pub knob: Knob,
    /// Name without a phase, e.g. `regimen.dose`.
    pub name: &'static str,
    /// Short key used after `regimen.phaseN.`.
    pub key: &'static str,
    /// Unit ("dose unit" for the regimen's own mg or mg/kg).
    pub unit: &'static str,
    /// Smallest value (for doses, in either unit).
    pub min: f64,
    /// Largest value (for doses: in mg; mg/kg doses use
    /// [`units::MAX_DOSE_MG_PER_KG`]).
    pub max: f64,
    /// Plain-words meaning, with the phases it addresses by default.
    pub description: &'static str,
}

/// Shortest interval the knobs and the notation accept, hours (1 minute).
pub const MIN_INTERVAL_H: f64 = units::MIN_DURATION_H;

/// Every regimen knob.
pub static REGIMEN_KNOBS: &[KnobDef] = &[
    KnobDef {
        knob: Knob::Dose,
        name: "regimen.dose",
        key: "dose",
        unit: "mg or mg/kg",
        min: 0.0,
        max: units::MAX_DOSE_MG,
        description: "dose per administration of every drug phase, in the regimen's own unit (regimen.phaseN.dose: phase N only)",
    },
    KnobDef {
        knob: Knob::IntervalD,
        name: "regimen.interval_d",
        key: "interval_d",
        unit: "d",
        min: 0.1,
        max: 365.0,
        description: "days between doses of the maintenance (last repeating) phase; its treatment length stays, so the number of doses follows (regimen.phaseN.interval_d: phase N)",
    },
    KnobDef {
        knob: Knob::InfusionMin,
        name: "regimen.infusion_min",
        key: "infusion_min",
        unit: "min",
        min: 1.0,
        max: 24.0 * 60.0,
        description: "length of every IV infusion (regimen.phaseN.infusion_min: phase N only)",
    },
];

/// One settable name: a registry parameter or a regimen knob.
#[derive(Debug, Clone, Copy)]
pub enum Setting {
    /// A model parameter.
    Param(&'static ParamDef),
    /// A regimen knob (needs a scenario with a regimen).
    Regimen(&'static KnobDef),
}

impl Setting {
    /// Dotted name.
    pub fn name(&self) -> &'static str {
        match self {
            Setting::Param(d) => d.name,
            Setting::Regimen(k) => k.name,
        }
    }

    /// Unit ("-" when dimensionless).
    pub fn unit(&self) -> &'static str {
        match self {
            Setting::Param(d) => d.unit,
            Setting::Regimen(k) => k.unit,
        }
    }

    /// Valid range (for doses: the mg range; see [`KnobDef::max`]).
    pub fn range(&self) -> (f64, f64) {
        match self {
            Setting::Param(d) => (d.min, d.max),
            Setting::Regimen(k) => (k.min, k.max),
        }
    }

    /// Default value (regimen knobs have none: they start from the regimen).
    pub fn default(&self) -> Option<f64> {
        match self {
            Setting::Param(d) => Some(d.default),
            Setting::Regimen(_) => None,
        }
    }

    /// Plain-words meaning.
    pub fn description(&self) -> &'static str {
        match self {
            Setting::Param(d) => d.description,
            Setting::Regimen(k) => k.description,
        }
    }

    /// Is it a true/false switch?
    pub fn is_switch(&self) -> bool {
        matches!(self, Setting::Param(d) if d.kind == Kind::Bool)
    }
}

/// Every settable name: the registry, then the regimen knobs.
pub fn settable() -> impl Iterator<Item = Setting> {
    REGISTRY
        .iter()
        .map(Setting::Param)
        .chain(REGIMEN_KNOBS.iter().map(Setting::Regimen))
}

/// A regimen knob with the phase it addresses (`None`: its default phases).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegimenTarget {
    /// What it changes.
    pub knob: Knob,
    /// 0-based phase, when the name gives one.
    pub phase: Option<usize>,
}

/// What a name sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A registry parameter.
    Param(ParamId),
    /// A regimen knob.
    Regimen(RegimenTarget),
}

/// A regimen knob checked against one regimen.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The knob.
    pub target: RegimenTarget,
    /// Phases it changes, 0-based.
    pub phases: Vec<usize>,
    /// Unit of its values here (for doses, the regimen's unit).
    pub unit: String,
    /// Valid range here.
    pub min: f64,
    /// Valid range here.
    pub max: f64,
}

fn knob_def(k: Knob) -> &'static KnobDef {
    REGIMEN_KNOBS
        .iter()
        .find(|d| d.knob == k)
        .unwrap_or(&REGIMEN_KNOBS[0])
}

fn knob_names() -> String {
    let mut v: Vec<&str> = REGIMEN_KNOBS.iter().map(|k| k.name).collect();
    v.push("regimen.phaseN.dose (and .interval_d, .infusion_min)");
    v.join(", ")
}

/// What `name` sets: a registry parameter or a regimen knob. Unknown names
/// get a "did you mean" message.
pub fn lookup(name: &str) -> Result<Target, String> {
    let Some(rest) = name.strip_prefix("regimen.") else {
        return params::lookup(name)
            .map(Target::Param)
            .ok_or_else(|| params::unknown_param_message(name));
    };
    let unknown = || {
        let near = REGIMEN_KNOBS
            .iter()
            .map(|k| k.name)
            .filter(|k| k.len().abs_diff(name.len()) <= 3)
            .min_by_key(|k| params::edit_distance(name, k))
            .filter(|k| params::edit_distance(name, k) <= 3)
            .map(|k| format!("did you mean \"{k}\"? "))
            .unwrap_or_default();
        format!(
            "unknown regimen knob \"{}\"; {near}the regimen knobs are {}",
            clip(name),
            knob_names()
        )
    };
    let (phase, key) = match rest.strip_prefix("phase") {
        Some(p) => {
            let (n, key) = p.split_once('.').ok_or_else(unknown)?;
            let n: usize = n
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| format!("\"{}\": the phase number must be 1, 2, ... (regimen.phase2.interval_d is the second phase)", clip(name)))?;
            (Some(n - 1), key)
        }
        None => (None, rest),
    };
    let def = REGIMEN_KNOBS
        .iter()
        .find(|k| k.key == key)
        .ok_or_else(unknown)?;
    Ok(Target::Regimen(RegimenTarget {
        knob: def.knob,
        phase,
    }))
}

/// At most 60 characters of a name, for messages.
fn clip(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(57).collect::<String>())
    }
}

impl RegimenTarget {
    /// The name as written (`regimen.dose`, `regimen.phase2.interval_d`).
    pub fn name(&self) -> String {
        let def = knob_def(self.knob);
        match self.phase {
            None => def.name.to_string(),
            Some(p) => format!("regimen.phase{}.{}", p + 1, def.key),
        }
    }

    /// Checks the knob against regimen `r` (written `text`): which phases it
    /// changes, and the unit and range of its values there.
    pub fn resolve(&self, r: &Regimen, text: &str) -> Result<Resolved, String> {
        let name = self.name();
        let n = r.phases.len();
        if let Some(p) = self.phase {
            if p >= n {
                return Err(format!(
                    "{name}: the regimen \"{text}\" has {n} phase{} (phase1 to phase{n})",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
        let candidates: Vec<usize> = match self.phase {
            Some(p) => vec![p],
            None => (0..n).collect(),
        };
        let def = knob_def(self.knob);
        let (phases, unit, min, max) = match self.knob {
            Knob::Dose => {
                let (phases, amount) = self.dosed_phases(&name, r, &candidates)?;
                let max = match amount {
                    DoseAmount::Mg(_) => units::MAX_DOSE_MG,
                    DoseAmount::MgPerKg(_) => units::MAX_DOSE_MG_PER_KG,
                };
                (phases, amount.unit().to_string(), 0.0, max)
            }
            Knob::IntervalD => {
                let phases = self.repeating_phase(&name, r, text, &candidates)?;
                (phases, def.unit.to_string(), def.min, def.max)
            }
            Knob::InfusionMin => {
                let phases = self.infusion_phases(&name, r, text, &candidates)?;
                (phases, def.unit.to_string(), def.min, def.max)
            }
        };
        Ok(Resolved {
            target: *self,
            phases,
            unit,
            min,
            max,
        })
    }

    /// The dose knob's phases among `candidates` (every drug phase, or the
    /// one addressed) and their common amount.
    fn dosed_phases(
        &self,
        name: &str,
        r: &Regimen,
        candidates: &[usize],
    ) -> Result<(Vec<usize>, DoseAmount), String> {
        let phases: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| self.phase.is_some() || r.phases[i].drug != Drug::Placebo)
            .collect();
        let Some(&first) = phases.first() else {
            return Err(format!("{name}: the regimen gives no drug, only placebo"));
        };
        let amount = r.phases[first].amount;
        if phases
            .iter()
            .any(|&i| r.phases[i].amount.unit() != amount.unit())
        {
            return Err(format!(
                "{name}: the regimen mixes mg and mg/kg doses; write it in one unit or address one phase (regimen.phase1.dose)"
            ));
        }
        Ok((phases, amount))
    }

    /// The interval knob's phase: the last repeating one among `candidates`.
    fn repeating_phase(
        &self,
        name: &str,
        r: &Regimen,
        text: &str,
        candidates: &[usize],
    ) -> Result<Vec<usize>, String> {
        let mut repeating = candidates
            .iter()
            .copied()
            .filter(|&i| r.phases[i].schedule != Schedule::Once);
        match (self.phase, repeating.next_back()) {
            (_, Some(last)) => Ok(vec![last]),
            (Some(_), None) => Err(format!(
                "{name}: {} gives a single dose; address a repeating phase",
                phase_word(r, candidates[0])
            )),
            (None, None) => Err(format!(
                "{name}: the regimen \"{}\" gives no repeated doses; use a repeating one, e.g. --regimen \"ketamine 0.5 mg/kg iv over 40 min every 7 d for 12 w\"",
                text
            )),
        }
    }

    /// The infusion-length knob's phases: the IV infusions among `candidates`.
    fn infusion_phases(
        &self,
        name: &str,
        r: &Regimen,
        text: &str,
        candidates: &[usize],
    ) -> Result<Vec<usize>, String> {
        let phases: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| r.phases[i].route == Route::IvInfusion)
            .collect();
        if phases.is_empty() {
            return Err(match self.phase {
                Some(p) => format!("{name}: {} is not an IV infusion", phase_word(r, p)),
                None => format!("{name}: the regimen \"{}\" has no IV infusion", text),
            });
        }
        Ok(phases)
    }
}

/// "phase 2 (every 4 w x 3)", for messages.
fn phase_word(r: &Regimen, i: usize) -> String {
    format!("phase {} ({})", i + 1, phase_text(&r.phases[i]))
}

/// A phase in words, for messages ("every 4 w x 3").
fn phase_text(p: &Phase) -> String {
    Regimen {
        phases: vec![p.clone()],
    }
    .to_notation()
}

impl Resolved {
    /// Checks `v` against the range, in plain words.
    pub fn check(&self, v: f64) -> Result<(), String> {
        if v.is_finite() && v >= self.min && v <= self.max {
            return Ok(());
        }
        Err(format!(
            "{} = {}: out of range; valid range {} to {} {}",
            self.target.name(),
            fmt_num(v),
            fmt_num(self.min),
            fmt_num(self.max),
            self.unit
        ))
    }

    /// `r` with the knob set to `v` in the addressed phases (checked).
    pub fn apply(&self, r: &Regimen, v: f64) -> Result<Regimen, String> {
        self.check(v)?;
        let mut r = r.clone();
        for &i in &self.phases {
            let Some(p) = r.phases.get_mut(i) else {
                continue;
            };
            match self.target.knob {
                Knob::Dose => p.amount = p.amount.with_value(v),
                Knob::InfusionMin => p.duration_h = v / 60.0,
                Knob::IntervalD => {
                    let span_h = treatment_length_h(p);
                    p.schedule = Schedule::Every {
                        interval_h: v * 24.0,
                    };
                    p.count = Count::For(span_h);
                }
            }
        }
        Ok(r)
    }
}

/// The treatment length a repeating phase covers: `for D`, or its count
/// times its interval (whole weeks for weekday schedules).
pub fn treatment_length_h(p: &Phase) -> f64 {
    match (&p.schedule, p.count) {
        (_, Count::For(d)) => d,
        (Schedule::Every { interval_h }, Count::Times(n)) => f64::from(n) * interval_h,
        (Schedule::Weekdays { offsets_d }, Count::Times(n)) => {
            let per_week = offsets_d.len().max(1) as f64;
            (f64::from(n) / per_week).ceil() * 168.0
        }
        (Schedule::Once, _) => 24.0,
    }
}

/// Reads `text` as the number for regimen knob `name`, whose unit and range
/// `resolved` gives.
pub fn knob_number(name: &str, resolved: &Resolved, text: &str) -> Result<f64, String> {
    text.trim().parse().map_err(|_| {
        format!(
            "{name} needs a number in {} (valid range {} to {}), got \"{}\"",
            resolved.unit,
            fmt_num(resolved.min),
            fmt_num(resolved.max),
            clip(text.trim())
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn set(s: &mut Scenario, name: &str, text: &str) -> Result<(), String> {
        s.set(name, text)
    }

    fn maintenance() -> Scenario {
        Scenario::load("ketamine-maintenance").unwrap()
    }

    #[test]
    fn settable_lists_params_and_knobs_once() {
        let names: Vec<&str> = settable().map(|s| s.name()).collect();
        assert_eq!(names.len(), REGISTRY.len() + REGIMEN_KNOBS.len());
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        assert!(names.contains(&"regimen.dose") && names.contains(&"pk.ketamine.fu"));
        for s in settable() {
            let (lo, hi) = s.range();
            assert!(lo <= hi && !s.description().is_empty(), "{}", s.name());
        }
    }

    #[test]
    fn names_resolve_with_phases() {
        assert!(matches!(lookup("pk.ketamine.fu"), Ok(Target::Param(_))));
        let t = lookup("regimen.phase2.interval_d").unwrap();
        assert_eq!(
            t,
            Target::Regimen(RegimenTarget {
                knob: Knob::IntervalD,
                phase: Some(1)
            })
        );
        assert!(lookup("regimen.doze").unwrap_err().contains("regimen.dose"));
        assert!(lookup("regimen.phase0.dose")
            .unwrap_err()
            .contains("phase number"));
        assert!(lookup("pk.ketamine.fuu")
            .unwrap_err()
            .contains("pk.ketamine.fu"));
    }

    /// The interval knob addresses the maintenance phase by default, keeps
    /// its treatment length and leaves the induction alone.
    #[test]
    fn interval_changes_the_maintenance_phase_and_keeps_its_length() {
        let mut s = maintenance();
        let before = s.regimen.clone().unwrap();
        set(&mut s, "regimen.interval_d", "7").unwrap();
        let r = s.regimen.clone().unwrap();
        assert_eq!(r.phases[0], before.phases[0]);
        let ev = r.expand();
        assert_eq!(ev.len(), 6 + 12, "{}", s.regimen_text);
        let span = ev.last().unwrap().time_h - ev[6].time_h;
        assert!((span - 11.0 * 168.0).abs() < 1e-9);
        let mut s = maintenance();
        set(&mut s, "regimen.phase1.interval_d", "3").unwrap();
        let ev = s.regimen.unwrap().expand();
        assert_eq!(ev.len(), 5 + 3, "14 days of induction every 3 d");
    }

    #[test]
    fn regimen_knobs_need_a_regimen_and_check_ranges() {
        let mut s = Scenario::load("healthy").unwrap();
        let e = set(&mut s, "regimen.dose", "0.7").unwrap_err();
        assert!(
            e.contains("has no regimen") && e.contains("--regimen"),
            "{e}"
        );
        let mut s = maintenance();
        set(&mut s, "regimen.dose", "0.7").unwrap();
        assert!(s.regimen_text.contains("0.7 mg/kg"), "{}", s.regimen_text);
        let e = set(&mut s, "regimen.dose", "5000").unwrap_err();
        assert!(e.contains("valid range 0 to 1000 mg/kg"), "{e}");
        let e = set(&mut s, "regimen.phase3.dose", "1").unwrap_err();
        assert!(e.contains("has 2 phases"), "{e}");
        let e = set(&mut s, "regimen.infusion_min", "abc").unwrap_err();
        assert!(e.contains("needs a number in min"), "{e}");
    }
}
