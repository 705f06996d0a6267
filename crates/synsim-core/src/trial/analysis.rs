//! The analysis a trial paper reports: mean change from baseline per visit
//! and arm (± SE), the difference between each active arm and the control
//! at the primary visit (ANCOVA on the rated baseline, and Welch's t-test),
//! response and remission per arm with Wilson intervals, the risk
//! difference (Newcombe) and the number needed to treat.
//!
//! Patients who dropped out are analysed as observed (each visit uses the
//! patients rated at it); synsim does not impute. In a relapse-prevention
//! design with a relapse rule, the share not relapsed by each visit is the
//! Kaplan–Meier estimate, a patient who left censored at the last rating.

use super::stats::{self, Difference, Proportion, RiskDifference, Summary};
use super::survival::{kaplan_meier, FollowUp, Survival};
use super::{TrialRun, TrialSpec};
use crate::symptom::RESPONSE_FRACTION;

/// Confidence level of every interval.
pub const LEVEL: f64 = 0.95;

/// One arm at one visit.
#[derive(Debug, Clone)]
pub struct ArmVisit {
    /// Arm index.
    pub arm: usize,
    /// Visit day.
    pub day: f64,
    /// Change from the rated baseline (mean, SD, SE, n).
    pub change: Summary,
    /// Responders (rated score at most half the rated baseline).
    pub response: Proportion,
    /// Remitters (rated score at most `remission_max`).
    pub remission: Proportion,
    /// Mean true (unrated) score of every randomised patient.
    pub mean_true_score: f64,
    /// Kaplan–Meier share not relapsed by this visit, in a trial with a
    /// [`super::RelapseRule`] (visits after `responders_at` only).
    pub relapse_free: Option<Survival>,
}

/// One active arm against the control at the primary visit.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Active arm index.
    pub arm: usize,
    /// Control arm index.
    pub control: usize,
    /// Welch's t-test of the change from baseline (active minus control).
    pub welch: Option<Difference>,
    /// ANCOVA of the change, adjusted for the rated baseline.
    pub ancova: Option<Difference>,
    /// Response: active minus control, with NNT.
    pub response: RiskDifference,
    /// Remission: active minus control, with NNT.
    pub remission: RiskDifference,
}

/// The whole analysis of one trial run.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Per arm, per visit (arm-major).
    pub visits: Vec<Vec<ArmVisit>>,
    /// Each active arm against the control (the last arm).
    pub comparisons: Vec<Comparison>,
    /// Randomised patients per arm (failures excluded).
    pub randomised: Vec<usize>,
    /// Mean screenings per enrolled patient.
    pub screens_per_patient: f64,
    /// Mean rated screening score and mean rated baseline (all arms): the
    /// drop between them is regression to the mean.
    pub mean_screening: f64,
    /// Mean rated score at the baseline visit.
    pub mean_baseline: f64,
    /// Mean true score at the baseline visit.
    pub mean_true_baseline: f64,
}

/// Analyses one run of `spec` (in a randomised-withdrawal design, only
/// the patients responding at [`TrialSpec::responders_at`]).
pub fn analyse(spec: &TrialSpec, run: &TrialRun) -> Analysis {
    match spec.responders_at {
        Some(day) => analyse_all(spec, &enriched(spec, run, day)),
        None => analyse_all(spec, run),
    }
}

/// The patients who respond (rated) at visit `day`.
pub fn enriched(spec: &TrialSpec, run: &TrialRun, day: f64) -> TrialRun {
    let v = spec.visits_d.iter().position(|&d| d == day).unwrap_or(0);
    TrialRun {
        patients: run
            .patients
            .iter()
            .filter(|p| p.rated[v].is_some_and(|r| r <= (1.0 - RESPONSE_FRACTION) * p.baseline))
            .cloned()
            .collect(),
        failures: run.failures.clone(),
    }
}

fn analyse_all(spec: &TrialSpec, run: &TrialRun) -> Analysis {
    let arms = spec.arms.len();
    let of_arm = |a: usize| run.patients.iter().filter(move |p| p.arm == a);
    let visits: Vec<Vec<ArmVisit>> = (0..arms)
        .map(|a| {
            let mut relapse_free = relapse_free(spec, run, a);
            spec.visits_d
                .iter()
                .enumerate()
                .map(|(v, &day)| ArmVisit {
                    relapse_free: relapse_free.as_mut().and_then(|r| r[v].take()),
                    ..arm_visit(spec, run, a, v, day)
                })
                .collect()
        })
        .collect();
    let primary = spec.primary_index();
    let control = arms - 1;
    let changes = |a: usize| -> (Vec<f64>, Vec<f64>) {
        of_arm(a)
            .filter_map(|p| p.rated[primary].map(|r| (r - p.baseline, p.baseline)))
            .unzip()
    };
    let (c_change, c_base) = changes(control);
    let comparisons = (0..control)
        .map(|a| {
            let (change, base) = changes(a);
            let (ra, rc) = (&visits[a][primary], &visits[control][primary]);
            Comparison {
                arm: a,
                control,
                welch: stats::welch_t_test(&change, &c_change, LEVEL),
                ancova: stats::ancova(&change, &base, &c_change, &c_base, LEVEL),
                response: stats::risk_difference(
                    ra.response.k,
                    ra.response.n,
                    rc.response.k,
                    rc.response.n,
                    LEVEL,
                ),
                remission: stats::risk_difference(
                    ra.remission.k,
                    ra.remission.n,
                    rc.remission.k,
                    rc.remission.n,
                    LEVEL,
                ),
            }
        })
        .collect();
    let n = run.patients.len().max(1) as f64;
    let mean =
        |f: &dyn Fn(&super::PatientRecord) -> f64| run.patients.iter().map(f).sum::<f64>() / n;
    Analysis {
        visits,
        comparisons,
        randomised: (0..arms).map(|a| of_arm(a).count()).collect(),
        screens_per_patient: mean(&|p| p.screened as f64),
        mean_screening: mean(&|p| p.screening),
        mean_baseline: mean(&|p| p.baseline),
        mean_true_baseline: mean(&|p| p.true_baseline),
    }
}

fn arm_visit(spec: &TrialSpec, run: &TrialRun, arm: usize, v: usize, day: f64) -> ArmVisit {
    let mut change = Vec::new();
    let (mut resp, mut rem, mut seen, mut true_sum, mut all) = (0, 0, 0, 0.0, 0usize);
    for p in run.patients.iter().filter(|p| p.arm == arm) {
        true_sum += p.true_score[v];
        all += 1;
        if let Some(r) = p.rated[v] {
            seen += 1;
            change.push(r - p.baseline);
            resp += usize::from(r <= (1.0 - RESPONSE_FRACTION) * p.baseline);
            rem += usize::from(r <= spec.remission_max);
        }
    }
    ArmVisit {
        arm,
        day,
        change: stats::summarise(&change),
        response: stats::wilson(resp, seen, LEVEL),
        remission: stats::wilson(rem, seen, LEVEL),
        mean_true_score: true_sum / all.max(1) as f64,
        relapse_free: None,
    }
}

/// Arm `arm`'s share not relapsed by each visit (None up to and including
/// `responders_at`), or None without a relapse rule.
fn relapse_free(spec: &TrialSpec, run: &TrialRun, arm: usize) -> Option<Vec<Option<Survival>>> {
    let rule = spec.relapse?;
    let start = spec
        .visits_d
        .iter()
        .position(|&d| Some(d) == spec.responders_at)?;
    let follow: Vec<FollowUp> = run
        .patients
        .iter()
        .filter(|p| p.arm == arm)
        .map(|p| match rule.onset(&p.rated, p.baseline, start + 1) {
            Some(j) => FollowUp {
                time: spec.visits_d[j],
                event: true,
            },
            None => FollowUp {
                time: spec.visits_d[p.rated.iter().rposition(Option::is_some).unwrap_or(start)],
                event: false,
            },
        })
        .collect();
    let km = kaplan_meier(&follow, &spec.visits_d, LEVEL);
    Some(
        km.into_iter()
            .enumerate()
            .map(|(v, s)| (v > start).then_some(s))
            .collect(),
    )
}
