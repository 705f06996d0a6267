//! Parameter sweeps: one outcome over a 1-D or 2-D grid of parameter
//! values, each grid point a population of virtual patients.
//!
//! Any real-valued registry parameter can be swept (the swept value becomes
//! the typical value; patients still vary around it), and so can every
//! regimen knob of [`crate::settable`]: `regimen.dose` (in the regimen's own
//! dose unit), `regimen.interval_d` (days between doses of the maintenance
//! phase, the last repeating one, with its treatment length kept so that the
//! number of doses follows), `regimen.infusion_min`, and
//! `regimen.phaseN.KNOB` for phase N only.
//!
//! Patient `i` gets the same random draws at every grid point (common random
//! numbers), so differences between grid points come from the swept value,
//! not from sampling noise. All patients of all grid points run in one
//! parallel loop, and the results do not depend on the number of threads.

use crate::params::{self, fmt_num, Kind, REGISTRY};
use crate::population::stats::{self, Estimate};
use crate::population::{self, outcome::Outcome, par, PopulationError, Setup, MAX_PATIENTS};
use crate::scenario::Scenario;
use crate::settable::{self, Knob};

/// Most values along one axis.
pub const MAX_STEPS: usize = 200;

/// What a sweep axis changes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// A registry parameter.
    Param(params::ParamId),
    /// The dose of the addressed phases, in the regimen's own unit.
    Dose,
    /// Days between doses of the addressed repeating phase.
    IntervalD,
    /// Minutes per IV infusion.
    InfusionMin,
}

/// One axis of a sweep: a name and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Name as given (`pk.ketamine.cl_l_per_h`, `regimen.dose`, …).
    pub name: String,
    /// What it changes.
    pub target: Target,
    /// Unit for labels.
    pub unit: String,
    /// Grid values, increasing.
    pub values: Vec<f64>,
    /// For a regimen knob: the phases it changes and its range.
    pub regimen: Option<settable::Resolved>,
}

impl Axis {
    /// The phases a regimen axis changes, in words ("phase 2 of 2"), if any.
    pub fn phases_text(&self, s: &Scenario) -> Option<String> {
        let r = self.regimen.as_ref()?;
        let n = s.regimen.as_ref().map_or(0, |g| g.phases.len());
        let list: Vec<String> = r.phases.iter().map(|p| (p + 1).to_string()).collect();
        Some(format!(
            "phase{} {} of {n}",
            if list.len() == 1 { "" } else { "s" },
            list.join(", ")
        ))
    }
}

/// Parses `NAME=LO:HI:N` for scenario `s` (checks names, ranges and that the
/// regimen has what the name changes).
pub fn parse_axis(spec: &str, s: &Scenario) -> Result<Axis, String> {
    let usage = "use --param NAME=LO:HI:N, e.g. --param regimen.dose=0.1:1.0:10";
    let (name, range) = spec
        .split_once('=')
        .ok_or_else(|| format!("--param \"{spec}\": {usage}"))?;
    let name = name.trim();
    let parts: Vec<&str> = range.split(':').map(str::trim).collect();
    let [lo, hi, n] = parts[..] else {
        return Err(format!(
            "--param \"{spec}\": the range must be LO:HI:N (three numbers); {usage}"
        ));
    };
    let num = |t: &str, what: &str| -> Result<f64, String> {
        t.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("--param \"{spec}\": {what} \"{t}\" is not a number; {usage}"))
    };
    let (lo, hi) = (num(lo, "LO")?, num(hi, "HI")?);
    let steps: usize = n
        .parse()
        .ok()
        .filter(|k| (2..=MAX_STEPS).contains(k))
        .ok_or_else(|| {
            format!(
                "--param \"{spec}\": N must be a whole number from 2 to {MAX_STEPS}, got \"{n}\""
            )
        })?;
    if lo >= hi {
        return Err(format!(
            "--param \"{spec}\": LO must be below HI (got {} to {})",
            fmt_num(lo),
            fmt_num(hi)
        ));
    }
    let (target, unit, min, max, regimen) = target_of(name, s)?;
    if lo < min || hi > max {
        let u = if unit == "-" {
            String::new()
        } else {
            format!(" {unit}")
        };
        return Err(format!(
            "--param \"{spec}\": {name} must stay within its valid range {} to {}{u} (got {} to {})",
            fmt_num(min),
            fmt_num(max),
            fmt_num(lo),
            fmt_num(hi)
        ));
    }
    let values = (0..steps)
        .map(|k| {
            if k + 1 == steps {
                hi
            } else {
                lo + (hi - lo) * k as f64 / (steps - 1) as f64
            }
        })
        .collect();
    Ok(Axis {
        name: name.to_string(),
        target,
        unit,
        values,
        regimen,
    })
}

/// What `name` addresses, its unit, its valid range and (for regimen
/// knobs) the phases it changes.
#[allow(clippy::type_complexity)]
fn target_of(
    name: &str,
    s: &Scenario,
) -> Result<(Target, String, f64, f64, Option<settable::Resolved>), String> {
    match settable::lookup(name)? {
        settable::Target::Regimen(t) => {
            let r = s.resolve_knob(&t)?;
            let target = match t.knob {
                Knob::Dose => Target::Dose,
                Knob::IntervalD => Target::IntervalD,
                Knob::InfusionMin => Target::InfusionMin,
            };
            Ok((target, r.unit.clone(), r.min, r.max, Some(r)))
        }
        settable::Target::Param(id) => {
            let d = &REGISTRY[id.0];
            if d.kind == Kind::Bool {
                return Err(format!("{name} is a switch (true/false) and cannot be swept; compare the two settings with --set"));
            }
            Ok((Target::Param(id), d.unit.to_string(), d.min, d.max, None))
        }
    }
}

/// The scenario at one grid point.
pub fn apply(base: &Scenario, axes: &[Axis], values: &[f64]) -> Result<Scenario, String> {
    let mut s = base.clone();
    for (a, v) in axes.iter().zip(values) {
        match (&a.target, &a.regimen) {
            (Target::Param(id), _) => s.params.set(*id, *v)?,
            (_, Some(r)) => s.set_regimen_value(r, *v)?,
            (_, None) => return Err(format!("{}: no regimen", a.name)),
        }
    }
    Ok(s)
}

/// The metric a sweep shows when none is asked for: for an interval axis,
/// days in response over the run (how often to come back is a question
/// about staying well, not about one time point); otherwise response at
/// 7 d, or 24 h for runs shorter than a week, or 24 h after the last dose.
pub fn default_metric(axes: &[Axis], days: f64) -> Metric {
    if axes.iter().any(|a| a.target == Target::IntervalD) {
        return Metric::DaysInResponse;
    }
    [
        Metric::Response(1),
        Metric::Response(0),
        Metric::Response(4),
    ]
    .into_iter()
    .find(|m| m.needs_h().is_none_or(|h| h <= days * 24.0 + 1e-9))
    .unwrap_or(Metric::Response(4))
}

/// The warnings of a sweep ([`crate::scenario::warnings`]: doses after the
/// run's end, calibration), once each: for every warning of any grid point,
/// how many of the grid points it applies to.
pub fn warnings_summary(base: &Scenario, axes: &[Axis]) -> Vec<String> {
    let points = grid(axes);
    let mut seen: Vec<(String, usize)> = Vec::new();
    for values in &points {
        let Ok(s) = apply(base, axes, values) else {
            continue;
        };
        for w in crate::scenario::warnings(&s) {
            match seen.iter_mut().find(|(m, _)| *m == w) {
                Some((_, n)) => *n += 1,
                None => seen.push((w, 1)),
            }
        }
    }
    // Values differ between points ("1.2 mg/kg", "1.5 mg/kg"): one line per
    // kind of warning, told by its text up to the first number.
    let mut out: Vec<(String, String, usize)> = Vec::new();
    for (w, n) in seen {
        let kind: String = w.chars().take_while(|c| !c.is_ascii_digit()).collect();
        match out.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((_, _, m)) => *m += n,
            None => out.push((kind, w, n)),
        }
    }
    out.into_iter()
        .map(|(_, w, n)| {
            let n = n.min(points.len());
            if n == points.len() {
                format!("at every grid point: {w}")
            } else {
                format!("at {n} of {} grid points, e.g.: {w}", points.len())
            }
        })
        .collect()
}

/// What a `-` cell of a sweep table means for `m`.
pub fn undefined_note(m: Metric) -> &'static str {
    match m {
        Metric::RelapseD => "no patient was in response 24 h after the last dose, so there is no relapse to time",
        Metric::Response(_) | Metric::Remission(_) => "the outcome time falls after the end of the run (lengthen it with --days), or no patient could be simulated",
        _ => "no patient could be simulated at this point",
    }
}

/// An outcome a sweep can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Share of responders at outcome time `WHEN[k]`.
    Response(usize),
    /// Share of remitters at outcome time `WHEN[k]`.
    Remission(usize),
    /// Mean days in response from the first dose to the end of the run.
    DaysInResponse,
    /// Median of the patients' highest dissociation.
    PeakDissociation,
    /// Median of the patients' lowest score.
    BestScore,
    /// Median days from the last dose to relapse, among responders 24 h after it.
    RelapseD,
}

/// Every metric, in sweep.csv column order.
pub const METRICS: [Metric; 14] = [
    Metric::Response(0),
    Metric::Response(1),
    Metric::Response(2),
    Metric::Response(3),
    Metric::Response(4),
    Metric::Remission(0),
    Metric::Remission(1),
    Metric::Remission(2),
    Metric::Remission(3),
    Metric::Remission(4),
    Metric::DaysInResponse,
    Metric::PeakDissociation,
    Metric::BestScore,
    Metric::RelapseD,
];

impl Metric {
    /// Column name, e.g. `response_7d`.
    pub fn name(self) -> String {
        match self {
            Metric::Response(k) => format!("response_{}", population::WHEN[k]),
            Metric::Remission(k) => format!("remission_{}", population::WHEN[k]),
            Metric::DaysInResponse => "days_in_response".into(),
            Metric::PeakDissociation => "peak_dissociation".into(),
            Metric::BestScore => "best_score".into(),
            Metric::RelapseD => "relapse_d".into(),
        }
    }

    /// Plain-words description with unit, for figures and help.
    pub fn describe(self) -> String {
        let when = |k: usize| match population::WHEN[k] {
            "end" => "24 h after the last dose".to_string(),
            w => format!("at {} {}", &w[..w.len() - 1], &w[w.len() - 1..]),
        };
        match self {
            Metric::Response(k) => format!("response rate {} (% of patients)", when(k)),
            Metric::Remission(k) => format!("remission rate {} (% of patients)", when(k)),
            Metric::DaysInResponse => "days in response during the run (mean)".into(),
            Metric::PeakDissociation => "peak dissociation (median, 0-1)".into(),
            Metric::BestScore => "best score (median)".into(),
            Metric::RelapseD => "days from last dose to relapse (median, responders)".into(),
        }
    }

    /// Is it a share of patients (0-1, shown as %)?
    pub fn is_rate(self) -> bool {
        matches!(self, Metric::Response(_) | Metric::Remission(_))
    }

    /// Parses a metric name; the error lists the valid names.
    pub fn parse(name: &str) -> Result<Metric, String> {
        METRICS
            .iter()
            .copied()
            .find(|m| m.name() == name)
            .ok_or_else(|| {
                format!(
                    "unknown metric \"{name}\"; valid metrics: {}",
                    METRICS
                        .iter()
                        .map(|m| m.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }

    /// Hours after the first dose the metric needs the run to reach (the
    /// fixed outcome times), if any.
    pub fn needs_h(self) -> Option<f64> {
        match self {
            Metric::Response(k) | Metric::Remission(k) if k < 4 => {
                Some(population::outcome::FIXED_TIMES_H[k].1)
            }
            _ => None,
        }
    }

    /// The metric over a group of patients.
    pub fn estimate(self, outcomes: &[Outcome], typical: bool) -> Estimate {
        let points = |k: usize| {
            outcomes
                .iter()
                .filter_map(move |o| if k < 4 { o.at[k] } else { o.end })
        };
        let e = match self {
            Metric::Response(k) => {
                let (n, hit) =
                    points(k).fold((0, 0), |(n, h), p| (n + 1, h + u64::from(p.responder)));
                stats::wilson(hit, n)
            }
            Metric::Remission(k) => {
                let (n, hit) =
                    points(k).fold((0, 0), |(n, h), p| (n + 1, h + u64::from(p.remitter)));
                stats::wilson(hit, n)
            }
            Metric::DaysInResponse => stats::mean(
                &outcomes
                    .iter()
                    .map(|o| o.days_in_response)
                    .collect::<Vec<_>>(),
            ),
            Metric::PeakDissociation => stats::median(
                &outcomes
                    .iter()
                    .map(|o| o.peak_dissociation)
                    .collect::<Vec<_>>(),
            ),
            Metric::BestScore => {
                stats::median(&outcomes.iter().map(|o| o.best_score).collect::<Vec<_>>())
            }
            Metric::RelapseD => stats::median(
                &outcomes
                    .iter()
                    .filter(|o| o.end.is_some_and(|p| p.responder))
                    .map(|o| o.relapse_d.unwrap_or(f64::INFINITY))
                    .collect::<Vec<_>>(),
            ),
        };
        if typical && e.n > 0 {
            Estimate::exact(e.value)
        } else {
            e
        }
    }
}

/// One grid point's results.
#[derive(Debug, Clone)]
pub struct Point {
    /// Axis values, in axis order.
    pub values: Vec<f64>,
    /// Patients simulated successfully.
    pub patients: u64,
    /// Patients whose run failed (left out).
    pub failed: u64,
    /// Every metric of [`METRICS`], in order.
    pub metrics: Vec<Estimate>,
}

/// A finished sweep.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The base scenario.
    pub scenario: Scenario,
    /// The axes (1 or 2).
    pub axes: Vec<Axis>,
    /// Grid points, first axis outermost.
    pub points: Vec<Point>,
    /// Patients per grid point (1 with `typical`).
    pub patients: u64,
    /// Seed.
    pub seed: u64,
    /// Only the typical patient (no variability).
    pub typical: bool,
}

/// Every combination of axis values, first axis outermost.
pub fn grid(axes: &[Axis]) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> = vec![Vec::new()];
    for a in axes {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                a.values.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(*v);
                    p
                })
            })
            .collect();
    }
    out
}

/// The population set-up of every grid point (checks each one).
pub fn setups(
    base: &Scenario,
    axes: &[Axis],
    typical: bool,
) -> Result<Vec<Setup>, PopulationError> {
    grid(axes)
        .iter()
        .map(|values| {
            let s = apply(base, axes, values).map_err(PopulationError::Input)?;
            if typical {
                Setup::typical(s)
            } else {
                Setup::new(s)
            }
        })
        .collect()
}

/// Runs `patients` virtual patients (or the typical patient) at every grid
/// point. `progress` is called with the number of patient runs just finished.
pub fn run(
    base: &Scenario,
    axes: &[Axis],
    patients: u64,
    seed: u64,
    typical: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sweep, PopulationError> {
    if axes.is_empty() || axes.len() > 2 {
        return Err(PopulationError::Input(
            "give one or two --param axes".into(),
        ));
    }
    let per_point = if typical { 1 } else { patients };
    let setups = setups(base, axes, typical)?;
    let total = per_point.saturating_mul(setups.len() as u64);
    if per_point == 0 || total > MAX_PATIENTS {
        return Err(PopulationError::Input(format!(
            "{} grid points x {per_point} patients = {total} patient runs: use between 1 and {MAX_PATIENTS} in total",
            setups.len()
        )));
    }
    let opt = population::Options {
        patients: per_point,
        seed,
        bands: false,
        individuals: 0,
        acute_dissociation: true,
        lockstep: true,
    };
    // A chunk may span two grid points: its patients are run point by
    // point, in lock-step batches that start at the chunk or point start.
    let job = |range: std::ops::Range<u64>, _: &mut ()| {
        let mut out = Vec::with_capacity((range.end - range.start) as usize);
        let mut t = range.start;
        while t < range.end {
            let g = (t / per_point) as usize;
            let end = range.end.min((g as u64 + 1) * per_point);
            let i = t % per_point;
            let rs = population::simulate_range(&setups[g], i..i + (end - t), &opt, None);
            out.extend(rs.into_iter().map(|r| r.map(|p| p.outcome)));
            t = end;
        }
        out
    };
    let (results, _) = par::run_chunked(total, population::CHUNK, || (), job, progress);
    let mut points = Vec::with_capacity(setups.len());
    for (values, chunk) in grid(axes)
        .into_iter()
        .zip(results.chunks(per_point as usize))
    {
        let outcomes: Vec<Outcome> = chunk
            .iter()
            .filter_map(|r| r.as_ref().ok().copied())
            .collect();
        points.push(Point {
            values,
            patients: outcomes.len() as u64,
            failed: (chunk.len() - outcomes.len()) as u64,
            metrics: METRICS
                .iter()
                .map(|m| m.estimate(&outcomes, typical))
                .collect(),
        });
    }
    Ok(Sweep {
        scenario: base.clone(),
        axes: axes.to_vec(),
        points,
        patients: per_point,
        seed,
        typical,
    })
}

impl Sweep {
    /// Index of `m` in each point's metrics.
    pub fn index_of(m: Metric) -> usize {
        METRICS.iter().position(|x| *x == m).unwrap_or(0)
    }

    /// sweep.csv: the axis values, `patients`, `failed`, then every metric
    /// with its 95 % interval (`<metric>`, `<metric>_lo`, `<metric>_hi`;
    /// rates as fractions 0-1; empty when undefined, e.g. a time after the
    /// end of the run or a bound beyond it).
    pub fn csv(&self) -> String {
        let mut head: Vec<String> = self.axes.iter().map(|a| a.name.clone()).collect();
        head.push("patients".into());
        head.push("failed".into());
        for m in METRICS {
            let n = m.name();
            head.extend([n.clone(), format!("{n}_lo"), format!("{n}_hi")]);
        }
        let mut out = head.join(",");
        out.push('\n');
        let cell = |v: f64| {
            if v.is_finite() {
                crate::export::fmt_csv(v)
            } else {
                String::new()
            }
        };
        for p in &self.points {
            let mut row: Vec<String> = p.values.iter().map(|v| cell(*v)).collect();
            row.push(p.patients.to_string());
            row.push(p.failed.to_string());
            for e in &p.metrics {
                row.extend([cell(e.value), cell(e.lo), cell(e.hi)]);
            }
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serial() -> Scenario {
        Scenario::load("ketamine-iv-serial").unwrap()
    }

    use crate::regimen::DoseAmount;

    #[test]
    fn axes_parse_and_check() {
        let s = serial();
        let a = parse_axis("regimen.dose=0.1:1.0:10", &s).unwrap();
        assert_eq!(a.values.len(), 10);
        assert_eq!(a.values[9], 1.0);
        assert_eq!(a.unit, "mg/kg");
        assert!(parse_axis("regimen.dose=1:0.1:10", &s)
            .unwrap_err()
            .contains("LO must be below HI"));
        assert!(parse_axis("regimen.dose=0.1:1:1", &s)
            .unwrap_err()
            .contains("N must be"));
        assert!(parse_axis("regimen.dose=0.1:1", &s)
            .unwrap_err()
            .contains("LO:HI:N"));
        assert!(parse_axis("regimen.dose", &s)
            .unwrap_err()
            .contains("NAME=LO:HI:N"));
        let e = parse_axis("pk.ketamine.cl_l_per_hh=50:100:3", &s).unwrap_err();
        assert!(
            e.contains("did you mean") && e.contains("pk.ketamine.cl_l_per_h"),
            "{e}"
        );
        let e = parse_axis("pk.ketamine.fu=0.1:0.9:3", &s).unwrap_err();
        assert!(e.contains("valid range 0.3 to 1 (got"), "{e}");
        assert!(parse_axis("mechanisms.hnk=0:1:2", &s)
            .unwrap_err()
            .contains("switch"));
        assert!(parse_axis("regimen.doze=0.1:1:3", &s)
            .unwrap_err()
            .contains("regimen.dose"));
        let single = Scenario::load("ketamine-iv-single").unwrap();
        assert!(parse_axis("regimen.interval_d=1:7:3", &single)
            .unwrap_err()
            .contains("no repeated doses"));
    }

    #[test]
    fn grid_points_change_the_scenario() {
        let s = serial();
        let axes = [
            parse_axis("regimen.dose=0.2:0.6:3", &s).unwrap(),
            parse_axis("regimen.interval_d=2:4:2", &s).unwrap(),
        ];
        let g = grid(&axes);
        assert_eq!(g.len(), 6);
        assert_eq!(g[1], vec![0.2, 4.0]);
        let p = apply(&s, &axes, &g[5]).unwrap();
        let doses = p.regimen.unwrap().expand();
        // Mon/Wed/Fri x 6 covers two weeks; every 4 d that is 4 doses.
        assert_eq!(doses.len(), 4);
        assert!((doses[1].time_h - 96.0).abs() < 1e-9);
        assert_eq!(doses[0].amount, DoseAmount::MgPerKg(0.6));
    }

    #[test]
    fn metric_names_round_trip_and_errors_list_them() {
        for m in METRICS {
            assert_eq!(Metric::parse(&m.name()).unwrap(), m);
        }
        let e = Metric::parse("respons_7d").unwrap_err();
        assert!(
            e.contains("response_7d") && e.contains("peak_dissociation"),
            "{e}"
        );
    }

    /// "How often must a patient come back?": the interval axis changes
    /// only the maintenance phase, keeps its length, defaults to days in
    /// response, and more frequent maintenance is never worse.
    #[test]
    fn maintenance_interval_sweep_answers_the_question() {
        let s = Scenario::load("ketamine-maintenance").unwrap();
        let axis = parse_axis("regimen.interval_d=7:28:4", &s).unwrap();
        assert_eq!(axis.regimen.as_ref().unwrap().phases, vec![1]);
        assert_eq!(
            default_metric(std::slice::from_ref(&axis), s.days),
            Metric::DaysInResponse
        );
        let sw = run(&s, &[axis], 1, 1, true, &|_| {}).unwrap();
        let k = Sweep::index_of(Metric::DaysInResponse);
        let days: Vec<f64> = sw.points.iter().map(|p| p.metrics[k].value).collect();
        for w in days.windows(2) {
            assert!(
                w[0] >= w[1],
                "weekly must not lose to rarer dosing: {days:?}"
            );
        }
        assert!(days[0] > days[3] + 5.0, "the interval matters: {days:?}");
    }
}
