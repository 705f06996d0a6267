//! Doses far above the antidepressant range: anaesthesia, not a treatment
//! the model describes. The model's circuit and signalling were built for
//! sub-anaesthetic NMDA block (docs/MODEL.md section 8: at anaesthetic doses
//! real glutamate falls, the model's does not), so such a regimen would
//! look like a cure. Front ends refuse it unless the user asks explicitly,
//! and then mark every output.

use super::Scenario;
use crate::layout::PK_N;
use crate::model::Model;
use crate::regimen::Drug;
use crate::solve::{pk_each, Window};

/// Plasma racemic ketamine (ng/mL) at and above which a patient is
/// anaesthetised: patients woke from ketamine anaesthesia at 2.7 µmol/L
/// (Idvall 1979 Br J Anaesth 51:1167), 640 ng/mL; induction doses of 1-2
/// mg/kg give 1200-2400 ng/mL (Zanos 2018 Pharmacol Rev Table 1).
pub const ANAESTHETIC_KETAMINE_NG_ML: f64 = 640.0;
/// Plasma esketamine (ng/mL) at and above which a patient is anaesthetised:
/// half the racemic level, as S-ketamine is about twice as potent an
/// anaesthetic (White 1985 Anesthesiology).
pub const ANAESTHETIC_ESKETAMINE_NG_ML: f64 = 320.0;
/// What marks every output of a run allowed past the check.
pub const MARK: &str = "outside the model's range: anaesthesia, not antidepressant dosing";

/// A regimen that reaches anaesthetic plasma levels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anaesthetic {
    /// The drug.
    pub drug: Drug,
    /// Its highest plasma concentration, ng/mL.
    pub peak_ng_ml: f64,
    /// When, hours after the first dose.
    pub at_h: f64,
    /// The anaesthetic level it reaches, ng/mL.
    pub threshold_ng_ml: f64,
}

impl Anaesthetic {
    /// The refusal, ending with how to run it anyway (`how`, e.g. "pass
    /// --allow-anaesthetic").
    pub fn message(&self, how: &str) -> String {
        format!(
            "this regimen takes plasma {} to {:.0} ng/mL at {:.1} h, above {:.0} ng/mL where \
             patients are anaesthetised (docs/MODEL.md section 7.1): that is anaesthesia, not \
             antidepressant dosing, and the model was not built for it (it would show a cure); \
             {how} to run it anyway, with every output marked",
            self.drug, self.peak_ng_ml, self.at_h, self.threshold_ng_ml
        )
    }
}

/// The first drug of `s`'s regimen whose plasma level reaches anaesthesia
/// (exact PK on a 1-min grid to 6 h after the last dose), if any.
pub fn anaesthetic_peak(s: &Scenario) -> Option<Anaesthetic> {
    let r = s.regimen.as_ref()?;
    let drugs = r.drugs();
    if !drugs
        .iter()
        .any(|d| matches!(d, Drug::Ketamine | Drug::Esketamine))
    {
        return None;
    }
    let doses = r.expand();
    let last = doses.iter().map(|d| d.end_h()).fold(0.0, f64::max);
    let window = Window {
        start_h: 0.0,
        end_h: (last + 6.0).min(s.days * 24.0),
        dt_out_h: 1.0 / 60.0,
    };
    let model = Model::new(&s.params);
    let mut worst: Option<Anaesthetic> = None;
    let seen = pk_each(&model, &doses, &window, |t, state| {
        let c = model.pk.plasma(&state[..PK_N]);
        for (drug, level, threshold) in [
            (Drug::Ketamine, c.ketamine, ANAESTHETIC_KETAMINE_NG_ML),
            (Drug::Esketamine, c.esketamine, ANAESTHETIC_ESKETAMINE_NG_ML),
        ] {
            let share = level / threshold;
            if share >= 1.0 && worst.is_none_or(|w| share > w.peak_ng_ml / w.threshold_ng_ml) {
                worst = Some(Anaesthetic {
                    drug,
                    peak_ng_ml: level,
                    at_h: t,
                    threshold_ng_ml: threshold,
                });
            }
        }
    });
    // A walk that fails checks nothing here: the run itself reports it.
    seen.ok().and(worst)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(regimen: &str) -> Option<Anaesthetic> {
        let mut s = Scenario::builtin_named("ketamine-iv-single").unwrap();
        s.set_regimen(regimen).unwrap();
        anaesthetic_peak(&s)
    }

    /// Every antidepressant regimen, the calibrated maxima and a 0.5 mg/kg
    /// bolus stay below anaesthesia; induction doses and the absurd ones
    /// do not.
    #[test]
    fn anaesthetic_doses_are_found_and_antidepressant_ones_pass() {
        for ok in [
            "ketamine 0.5 mg/kg iv over 40 min once",
            "ketamine 1 mg/kg iv over 40 min once",
            "ketamine 0.5 mg/kg iv bolus once",
            "ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6",
            "esketamine 84 mg nasal twice weekly for 4 w",
            "esketamine 0.25 mg/kg iv over 40 min once",
            "escitalopram 20 mg oral daily for 8 w",
        ] {
            assert_eq!(with(ok), None, "{ok}");
        }
        for (bad, drug) in [
            ("ketamine 2 mg/kg iv bolus once", Drug::Ketamine),
            ("ketamine 100 mg/kg iv over 40 min once", Drug::Ketamine),
            ("esketamine 1 mg/kg iv bolus once", Drug::Esketamine),
        ] {
            let a = with(bad).unwrap_or_else(|| panic!("{bad}"));
            assert_eq!(a.drug, drug, "{bad}");
            assert!(a.peak_ng_ml >= a.threshold_ng_ml);
            assert!(a
                .message("pass --allow-anaesthetic")
                .contains("anaesthesia"));
        }
    }
}
