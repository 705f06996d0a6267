//! Reading the what of a phase: its drug, its dose and its route (with
//! "bolus", "infusion" and "over"), each carried over from the previous
//! phase when left out.

use super::quantity::OVER;
use super::Parser;
use crate::regimen::notation::error::RegimenError;
use crate::regimen::notation::implied_amount;
use crate::regimen::notation::words::{
    drug_word, is_keyword, route_word, suggestion, RouteKind, DRUG_NAMES, ROUTE_WORDS,
};
use crate::regimen::{routes, DoseAmount, Drug, Phase, Route};
use crate::units;

/// Word indices of "bolus" and "infusion", and "over" with its hours.
struct IvModifiers {
    bolus: Option<usize>,
    infusion: Option<usize>,
    over: Option<(usize, f64)>,
}

impl Parser<'_> {
    /// One phase; also returns the index of its schedule's first word (for
    /// errors about its size).
    pub(super) fn phase(&mut self, prev: Option<&Phase>) -> Result<(Phase, usize), RegimenError> {
        let drug_at = self.pos;
        let drug = self.drug(prev)?;
        let amount = self.amount(drug, prev)?;
        let route_at = self.pos;
        let (route, duration_h) = self.route(prev)?;
        if let Some(problem) = routes::problem(drug, route) {
            // Point at the route as written, or at the drug if it was carried.
            return Err(if self.pos > route_at {
                self.error_words(route_at, self.pos, problem)
            } else {
                self.error_at(drug_at, problem)
            });
        }
        let delay_h = self.delay()?;
        let schedule_word = self.pos;
        let (schedule, count) = self.schedule()?;
        let phase = Phase {
            drug,
            amount,
            route,
            duration_h,
            schedule,
            count,
            delay_h,
            concurrent: false,
        };
        Ok((phase, schedule_word))
    }

    /// The drug, or the previous phase's when none is written.
    fn drug(&mut self, prev: Option<&Phase>) -> Result<Drug, RegimenError> {
        let at = self.pos;
        let word = self.peek().unwrap_or("");
        if let Some(drug) = drug_word(word) {
            self.bump();
            self.mark(at);
            return Ok(drug);
        }
        let name_like = !word.is_empty()
            && word.chars().all(|c| c.is_alphabetic() || c == '-')
            && !is_keyword(word);
        match prev {
            // A later phase may omit the drug, but a near-miss is a typo.
            Some(p) if !(name_like && suggestion(word, &DRUG_NAMES).is_some()) => Ok(p.drug),
            _ if name_like => Err(self.unknown_drug()),
            _ => Err(self.expected(
                "a drug (ketamine, esketamine, escitalopram or placebo)",
                &DRUG_NAMES,
            )),
        }
    }

    /// "unknown drug" at the current word, with a "did you mean".
    fn unknown_drug(&self) -> RegimenError {
        let word = self.peek().unwrap_or("");
        let hint = suggestion(word, &DRUG_NAMES)
            .map(|s| format!("; did you mean \"{s}\"?"))
            .unwrap_or_default();
        self.error_at(
            self.pos,
            format!(
                "unknown drug \"{}\"{hint} (known: ketamine, esketamine, escitalopram, placebo)",
                self.raw(self.pos)
            ),
        )
    }

    /// The dose, or the one implied when none is written.
    fn amount(&mut self, drug: Drug, prev: Option<&Phase>) -> Result<DoseAmount, RegimenError> {
        if self.peek().is_some_and(units::looks_numeric) {
            return self.dose();
        }
        implied_amount(drug, prev).ok_or_else(|| {
            let what = match prev {
                Some(_) => format!(
                    "a dose for {drug} (e.g. 56 mg; doses carry over only within the same drug)"
                ),
                None => format!("a dose for {drug} (e.g. 0.5 mg/kg or 56 mg)"),
            };
            self.expected(&what, &[])
        })
    }

    /// Route plus "bolus" / "infusion" / "over D" (see the module docs).
    fn route(&mut self, prev: Option<&Phase>) -> Result<(Route, f64), RegimenError> {
        let at = self.pos;
        let carried = prev.map(|p| (p.route, p.duration_h));
        let kind = match (self.peek().and_then(route_word), carried) {
            (Some(kind), _) => {
                self.bump();
                self.mark(at);
                kind
            }
            (None, Some((route, _))) => RouteKind::of(route),
            (None, None) => {
                return Err(self.expected("a route (iv, nasal or oral)", &ROUTE_WORDS));
            }
        };
        let mods = self.iv_modifiers()?;
        self.check_modifiers(kind, &mods)?;
        if self.pos > at {
            self.mark(at);
        }
        let carried_infusion = match carried {
            Some((Route::IvInfusion, d)) => Some(d),
            _ => None,
        };
        Ok(match kind {
            RouteKind::Nasal => (Route::Nasal, 0.0),
            RouteKind::Oral => (Route::Oral, 0.0),
            RouteKind::Iv => match (mods.bolus, mods.over, carried_infusion) {
                (Some(_), _, _) => (Route::IvBolus, 0.0),
                (None, Some((_, d)), _) | (None, None, Some(d)) => (Route::IvInfusion, d),
                (None, None, None) if mods.infusion.is_some() => {
                    return Err(self.expected("\"over\" and an infusion time", &["over"]));
                }
                (None, None, None) => (Route::IvBolus, 0.0),
            },
        })
    }

    /// Reads the optional "bolus", "infusion" and "over D" after a route.
    fn iv_modifiers(&mut self) -> Result<IvModifiers, RegimenError> {
        let bolus = self.eat("bolus");
        let infusion = self.eat("infusion");
        let over = match self.eat("over") {
            Some(i) => {
                self.mark(i);
                Some((i, self.duration(&OVER)?))
            }
            None => None,
        };
        Ok(IvModifiers {
            bolus,
            infusion,
            over,
        })
    }

    /// Rejects modifiers that contradict the route or each other.
    fn check_modifiers(&self, kind: RouteKind, mods: &IvModifiers) -> Result<(), RegimenError> {
        let timed = mods.infusion.or(mods.over.map(|(i, _)| i));
        if let (Some(i), false) = (mods.bolus.or(timed), kind == RouteKind::Iv) {
            let name = if kind == RouteKind::Nasal {
                "nasal"
            } else {
                "oral"
            };
            let msg = format!("\"{}\" applies only to iv doses, not {name}", self.raw(i));
            return Err(self.error_at(i, msg));
        }
        if let (Some(_), Some(i)) = (mods.bolus, timed) {
            let msg = format!(
                "a bolus has no infusion time; remove \"bolus\" or \"{}\"",
                self.raw(i)
            );
            return Err(self.error_at(i, msg));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::regimen::notation::testing::err;
    use crate::regimen::notation::{expand, format_route, parse};
    use crate::regimen::{routes, DoseAmount, Drug, Route};

    #[test]
    fn single_doses() {
        for text in ["placebo iv over 40 min once", "saline iv over 40 min once"] {
            let ev = expand(&parse(text).unwrap());
            assert_eq!(ev.len(), 1);
            assert_eq!(ev[0].drug, Drug::Placebo);
            assert_eq!(ev[0].amount, DoseAmount::Mg(0.0));
            assert_eq!(ev[0].route, Route::IvInfusion);
            assert_eq!(ev[0].time_h, 0.0);
        }
        let bolus = parse("ketamine 0.5 mg/kg iv bolus once").unwrap();
        assert_eq!(bolus.phases[0].route, Route::IvBolus);
        assert_eq!(bolus.phases[0].duration_h, 0.0);
        let plain = parse("ketamine 35 mg iv once").unwrap();
        assert_eq!(plain.phases[0].route, Route::IvBolus);
        assert_eq!(plain.phases[0].amount, DoseAmount::Mg(35.0));
    }

    #[test]
    fn carried_values() {
        let r = parse("ketamine 0.5 mg/kg iv over 40 min once then iv once then iv bolus once")
            .unwrap();
        assert_eq!(r.phases[1].route, Route::IvInfusion);
        assert_eq!(r.phases[1].duration_h, 40.0 / 60.0);
        assert_eq!(r.phases[2].route, Route::IvBolus);
        let r = parse("ketamine 0.5 mg/kg iv once then over 20 min once").unwrap();
        assert_eq!(r.phases[1].route, Route::IvInfusion);
        assert_eq!(r.phases[1].duration_h, 20.0 / 60.0);
        let r = parse("ketamine 0.5 mg/kg iv over 40 min once then placebo once").unwrap();
        assert_eq!(r.phases[1].amount, DoseAmount::Mg(0.0));
        assert_eq!(r.phases[1].route, Route::IvInfusion);
        // A new drug needs its own dose.
        let e = err("ketamine 0.5 mg/kg iv once then esketamine nasal once");
        assert_eq!(e.word, 7);
        assert!(e.message.contains("a dose for esketamine"), "{}", e.message);
    }

    #[test]
    fn unknown_drug_suggests_a_name() {
        let e = err("ketamin 0.5 mg/kg iv once");
        assert_eq!(
            e.message,
            "unknown drug \"ketamin\"; did you mean \"ketamine\"? \
             (known: ketamine, esketamine, escitalopram, placebo)"
        );
        assert_eq!(e.word, 0);
        assert!(
            e.message.contains("did you mean \"ketamine\"?"),
            "{}",
            e.message
        );
        let e = err("escitalopramm 10 mg oral daily x 3");
        assert!(e.message.contains("\"escitalopram\""), "{}", e.message);
        let e = err("aspirin 100 mg oral once");
        assert_eq!(
            e.message,
            "unknown drug \"aspirin\" (known: ketamine, esketamine, escitalopram, placebo)"
        );
        let e = err("ketamine 35 mg iv once then esketamin 56 mg nasal once");
        assert_eq!(e.word, 6);
        assert!(
            e.message.contains("did you mean \"esketamine\"?"),
            "{}",
            e.message
        );
        let e = err("35 mg iv once");
        assert_eq!(e.word, 0);
        assert!(e.message.starts_with("expected a drug"), "{}", e.message);
    }

    #[test]
    fn over_without_duration() {
        let e = err("ketamine 0.5 mg/kg iv over once");
        assert_eq!(e.word, 5);
        assert_eq!(
            e.message,
            "expected an infusion time (e.g. 40 min) after \"over\", found \"once\""
        );
        let e = err("ketamine 0.5 mg/kg iv over");
        assert_eq!(e.word, 5);
        let e = err("esketamine 56 mg nasal over 5 min once");
        assert_eq!(e.word, 4);
        assert!(e.message.contains("only to iv"));
        let e = err("ketamine 0.5 mg/kg iv bolus over 5 min once");
        assert_eq!(e.word, 5);
        let e = err("ketamine 0.5 mg/kg iv infusion once");
        assert_eq!(e.word, 5);
    }

    /// Drug x route follows the one table: what it lists parses, the rest is
    /// refused at the route (or at the drug, when the route is carried over).
    #[test]
    fn routes_follow_the_drug_route_table() {
        for row in routes::ROUTES {
            for route in [Route::IvInfusion, Route::IvBolus, Route::Nasal, Route::Oral] {
                let text = format!(
                    "{} 10 mg {} once",
                    row.drug.name(),
                    format_route(route, 1.0)
                );
                match parse(&text) {
                    Ok(r) => {
                        assert!(row.routes.contains(&route), "{text} parsed");
                        assert_eq!(r.phases[0].route, route);
                    }
                    Err(e) => {
                        assert!(!row.routes.contains(&route), "{text}: {e}");
                        assert!(
                            e.message.contains(row.drug.name())
                                && e.message.contains(&routes::routes_text(row.drug)),
                            "{e}"
                        );
                    }
                }
            }
        }
        let e = err("escitalopram 10 mg nasal once");
        assert_eq!(e.offset, "escitalopram 10 mg ".len());
        let e = err("ketamine 35 mg nasal once then escitalopram 10 mg once");
        assert_eq!(e.offset, "ketamine 35 mg nasal once then ".len());
    }
}
