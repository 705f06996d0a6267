//! Virtual-trial calibration targets (docs/MODEL.md section 7.2): the
//! control arms of the built-in trials against the published arms they
//! imitate. Each trial runs with `per_arm` patients per arm and the
//! validation seed; a value is read at the trial's primary visit.

use super::{check, Check};
use crate::trial::{self, analysis, TrialSpec};

/// One built-in trial, run and analysed.
struct Ran {
    analysis: analysis::Analysis,
    primary: usize,
}

impl Ran {
    fn new(name: &str, per_arm: u64, seed: u64) -> anyhow::Result<Ran> {
        let spec = TrialSpec::load(name)?;
        let run = trial::run(&spec, per_arm, seed)?;
        Ok(Ran {
            analysis: analysis::analyse(&spec, &run),
            primary: spec.primary_index(),
        })
    }

    /// Arm `arm` at the primary visit.
    fn arm(&self, arm: usize) -> &analysis::ArmVisit {
        &self.analysis.visits[arm][self.primary]
    }

    /// The control arm (the last) at the primary visit.
    fn control(&self) -> &analysis::ArmVisit {
        self.arm(self.analysis.visits.len() - 1)
    }
}

/// Every trial target, with `per_arm` patients per arm and `seed`.
pub fn trial_checks(per_arm: u64, seed: u64) -> anyhow::Result<Vec<Check>> {
    let n = format!("{per_arm} virtual patients per arm, seed {seed}");
    let mut out = Vec::new();

    let ssri = Ran::new("ssri-vs-placebo", per_arm, seed)?;
    out.push(check(
        "trial-pill-response",
        &format!("placebo-pill arm of an 8-week antidepressant trial: responders at week 8 ({n})"),
        "Furukawa 2016 Lancet Psychiatry (placebo response 35-40 % in 252 trials); Lepola 2003 (48.6 %)",
        25.0,
        50.0,
        "%",
        100.0 * ssri.control().response.p,
    ));
    out.push(check(
        "trial-pill-share",
        &format!("placebo-pill arm's week-8 improvement, share of the escitalopram arm's ({n})"),
        "Rief 2009 J Psychopharmacol (placebo d 1.69 vs drug 2.50: 0.68); Li 2019 (about 0.8)",
        0.55,
        0.9,
        "fraction",
        ssri.control().change.mean / ssri.arm(0).change.mean,
    ));

    let ket = Ran::new("ketamine-vs-midazolam", per_arm, seed)?;
    out.push(check(
        "trial-midazolam",
        &format!("midazolam (active placebo) arm: MADRS change at 24 h ({n})"),
        "Murrough 2013 Am J Psychiatry (-8.8)",
        -13.0,
        -5.0,
        "points",
        ket.control().change.mean,
    ));
    out.push(check(
        "trial-mdz-response",
        &format!("midazolam arm: responders at 24 h ({n})"),
        "Murrough 2013 Am J Psychiatry (28 %); Wilkinson 2019 (18 % at day 1)",
        10.0,
        40.0,
        "%",
        100.0 * ket.control().response.p,
    ));
    out.push(check(
        "trial-ket-minus-mdz",
        &format!("ketamine minus midazolam: MADRS change at 24 h ({n})"),
        "Murrough 2013 Am J Psychiatry (-7.95 adjusted; -16.5 vs -8.8)",
        -12.0,
        -4.0,
        "points",
        ket.arm(0).change.mean - ket.control().change.mean,
    ));

    let esk = Ran::new("esketamine-transform", per_arm, seed)?;
    out.push(check(
        "trial-spray-control",
        &format!("placebo spray + new oral antidepressant: MADRS change at day 28 ({n})"),
        "TRANSFORM-1/2 pooled (-15.8 and -16.0; Popova 2019 Am J Psychiatry)",
        -20.0,
        -10.0,
        "points",
        esk.control().change.mean,
    ));
    Ok(out)
}
