//! Expansion of a regimen into its dose events, and the timing rules it
//! shares with the parser's limit checks: when a phase starts after the
//! previous one, and when each of its doses falls.

use super::MAX_DOSES;
use crate::regimen::{Count, DoseEvent, Phase, Regimen, Route, Schedule};

/// Gap before a `once` or weekday phase that follows another phase.
const DEFAULT_GAP_H: f64 = 24.0;
/// Hours in a day, for weekday schedules.
const DAY_H: f64 = 24.0;
/// Hours in a week, for weekday schedules.
const WEEK_H: f64 = 168.0;

/// Lists every dose of `regimen`, sorted by time (stable). Regimens built
/// by hand rather than parsed are cut off after [`MAX_DOSES`] doses.
pub fn expand(regimen: &Regimen) -> Vec<DoseEvent> {
    let mut events: Vec<DoseEvent> = Vec::new();
    let mut last_h = None;
    for phase in &regimen.phases {
        if phase.concurrent {
            last_h = None;
        }
        let offsets = dose_offsets(phase, MAX_DOSES - events.len());
        let start = phase_start(phase, last_h);
        let duration_h = if phase.route == Route::IvInfusion {
            phase.duration_h
        } else {
            0.0
        };
        events.extend(offsets.iter().map(|o| DoseEvent {
            time_h: start + o,
            drug: phase.drug,
            route: phase.route,
            amount: phase.amount,
            duration_h,
        }));
        last_h = Some(offsets.last().map_or(start, |o| start + o));
    }
    events.sort_by(|a, b| a.time_h.total_cmp(&b.time_h));
    events
}

/// Start time of `phase` given the previous phase's last dose.
pub(super) fn phase_start(phase: &Phase, prev_last_h: Option<f64>) -> f64 {
    match prev_last_h {
        None => phase.delay_h,
        Some(last) if phase.delay_h > 0.0 => last + phase.delay_h,
        Some(last) => last + chain_gap_h(&phase.schedule),
    }
}

/// Gap between the previous phase's last dose and this phase's first.
fn chain_gap_h(schedule: &Schedule) -> f64 {
    match schedule {
        Schedule::Every { interval_h } => *interval_h,
        Schedule::Once | Schedule::Weekdays { .. } => DEFAULT_GAP_H,
    }
}

/// Dose times relative to the phase start, at most `limit` of them.
pub(super) fn dose_offsets(phase: &Phase, limit: usize) -> Vec<f64> {
    if phase.schedule == Schedule::Once {
        return if limit > 0 { vec![0.0] } else { Vec::new() };
    }
    let wanted = match phase.count {
        Count::Times(n) => n as usize,
        Count::For(_) => usize::MAX,
    };
    let mut out = Vec::new();
    for k in 0..wanted.min(limit) {
        let Some(t) = nth_offset(&phase.schedule, k) else {
            break;
        };
        if let Count::For(span_h) = phase.count {
            if !starts_before(t, span_h) {
                break;
            }
        }
        out.push(t);
    }
    out
}

/// Time of the `k`-th dose of a repeating schedule, relative to its start.
fn nth_offset(schedule: &Schedule, k: usize) -> Option<f64> {
    match schedule {
        Schedule::Once => (k == 0).then_some(0.0),
        Schedule::Every { interval_h } => Some(k as f64 * interval_h),
        Schedule::Weekdays { offsets_d } => {
            let per_week = offsets_d.len();
            let day = offsets_d.get(k.checked_rem(per_week)?)?;
            Some((k / per_week) as f64 * WEEK_H + day * DAY_H)
        }
    }
}

/// `t < end`, with a tolerance so that "daily for 8 w" stops at 56 doses
/// despite rounding in the products.
fn starts_before(t: f64, end: f64) -> bool {
    t < end - 1e-9 * end.abs().max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regimen::notation::testing::{assert_days, days, err};
    use crate::regimen::notation::{format, parse, RegimenError};
    use crate::regimen::{DoseAmount, Drug};

    /// `+` gives strands alongside each other, each from time 0, and reads
    /// back from its canonical text.
    #[test]
    fn combined_regimens_run_alongside() {
        let text =
            "esketamine 56 mg nasal twice weekly for 4 w + escitalopram 10 mg oral daily for 4 w";
        let r = parse(text).unwrap();
        assert!(!r.phases[0].concurrent && r.phases[1].concurrent);
        let ev = expand(&r);
        let esk: Vec<f64> = ev
            .iter()
            .filter(|e| e.drug == Drug::Esketamine)
            .map(|e| e.time_h)
            .collect();
        let esc: Vec<f64> = ev
            .iter()
            .filter(|e| e.drug == Drug::Escitalopram)
            .map(|e| e.time_h)
            .collect();
        assert_eq!(esk.len(), 8);
        assert_eq!(esc.len(), 28);
        assert_eq!((esk[0], esc[0], esc[1]), (0.0, 0.0, 24.0));
        assert!(ev.windows(2).all(|w| w[0].time_h <= w[1].time_h));
        assert_eq!(parse(&format(&r)).unwrap(), r);
        // A strand may have phases of its own, and wait with `after`.
        let r = parse("ketamine 0.5 mg/kg iv over 40 min once then every 7 d x 2 + escitalopram 10 mg oral after 2 d daily x 2").unwrap();
        assert_eq!(days(&expand(&r)), vec![0.0, 2.0, 3.0, 7.0, 14.0]);
        assert_eq!(parse(&format(&r)).unwrap(), r);
        // Nothing is carried over across `+`.
        assert!(err("esketamine 56 mg nasal once + 10 mg oral daily x 3")
            .to_string()
            .contains("after \"+\""));
    }

    #[test]
    fn twice_weekly_infusions() {
        let ev = assert_days(
            "ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 6",
            &[0.0, 3.5, 7.0, 10.5, 14.0, 17.5],
        );
        for e in &ev {
            assert_eq!(e.drug, Drug::Ketamine);
            assert_eq!(e.route, Route::IvInfusion);
            assert_eq!(e.amount, DoseAmount::MgPerKg(0.5));
            assert!((e.duration_h - 0.666_666_7).abs() < 1e-6);
        }
        assert_eq!(ev[1].time_h, 84.0);
    }

    #[test]
    fn weekday_then_monthly_maintenance() {
        let ev = assert_days(
            "ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6 then every 4 w x 3",
            &[0.0, 2.0, 4.0, 7.0, 9.0, 11.0, 39.0, 67.0, 95.0],
        );
        // Route, dose and infusion time carry over.
        assert!(ev
            .iter()
            .all(|e| e.route == Route::IvInfusion && e.amount == DoseAmount::MgPerKg(0.5)));
    }

    #[test]
    fn esketamine_induction_then_maintenance() {
        let ev = assert_days(
            "esketamine 56 mg nasal twice weekly for 4 w then 84 mg weekly for 4 w",
            &[
                0.0, 3.5, 7.0, 10.5, 14.0, 17.5, 21.0, 24.5, 31.5, 38.5, 45.5, 52.5,
            ],
        );
        assert!(ev[..8].iter().all(|e| e.amount == DoseAmount::Mg(56.0)));
        assert!(ev[8..].iter().all(|e| e.amount == DoseAmount::Mg(84.0)));
        assert!(ev
            .iter()
            .all(|e| e.route == Route::Nasal && e.duration_h == 0.0));
    }

    #[test]
    fn four_phase_esketamine() {
        let ev = assert_days(
            "esketamine 56 mg nasal once then 84 mg twice weekly x 7 then weekly for 4 w then every 2 w x 4",
            &[
                0.0, 3.5, 7.0, 10.5, 14.0, 17.5, 21.0, 24.5, 31.5, 38.5, 45.5, 52.5, 66.5, 80.5,
                94.5, 108.5,
            ],
        );
        assert_eq!(ev[0].amount, DoseAmount::Mg(56.0));
        assert!(ev[1..].iter().all(|e| e.amount == DoseAmount::Mg(84.0)));
    }

    #[test]
    fn daily_ssri() {
        let ev = expand(&parse("escitalopram 10 mg oral daily for 8 w").unwrap());
        assert_eq!(ev.len(), 56);
        for (k, e) in ev.iter().enumerate() {
            assert_eq!(e.time_h, 24.0 * k as f64);
            assert_eq!(e.route, Route::Oral);
            assert_eq!(e.amount, DoseAmount::Mg(10.0));
        }
    }

    #[test]
    fn delays_and_gaps() {
        // `after` on the first phase postpones the first dose.
        assert_days("ketamine 35 mg iv after 2 d every 1 d x 2", &[2.0, 3.0]);
        // `after` on a later phase replaces the interval.
        assert_days(
            "ketamine 35 mg iv every 1 w x 2 then after 2 d every 4 w x 2",
            &[0.0, 7.0, 9.0, 37.0],
        );
        // A `once` or weekday phase after another starts one day later.
        assert_days(
            "ketamine 35 mg iv every 1 w x 2 then once",
            &[0.0, 7.0, 8.0],
        );
        assert_days(
            "ketamine 35 mg iv once then on mon,wed x 2",
            &[0.0, 1.0, 3.0],
        );
    }

    #[test]
    fn expand_survives_hand_made_regimens() {
        let mut r = parse("ketamine 35 mg iv daily for 4 w").unwrap();
        r = r.with_interval_d(0.0);
        assert_eq!(expand(&r).len(), MAX_DOSES);
        r.phases[0].schedule = Schedule::Weekdays { offsets_d: vec![] };
        assert!(expand(&r).is_empty());
        r.phases[0].schedule = Schedule::Every {
            interval_h: f64::NAN,
        };
        assert!(expand(&r).len() <= MAX_DOSES);
        let _ = format(&r);
        let odd = RegimenError {
            input: "µµµ".to_string(),
            word: 9,
            offset: 1,
            len: 99,
            message: String::new(),
        };
        let _ = odd.to_string();
    }
}
