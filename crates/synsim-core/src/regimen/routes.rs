//! Drug x route: which routes each drug can be given by, in one table that
//! the regimen parser (refuses other combinations), the PK
//! ([`crate::pk::PkModel::apply_dose`], [`crate::pk::PkModel::infusion_rate`])
//! and docs/MODEL.md section 3.1 (copied from the block below by
//! tests/docs.rs; a unit test keeps the block equal to [`ROUTES`]) all read.
//!
//! ```text
//! drug          routes                                  dose units   where a dose enters
//! ketamine      iv infusion, iv bolus, nasal, oral      mg, mg/kg    infusion/bolus: central; nasal/oral: F x dose to the absorption depot
//! esketamine    iv infusion, iv bolus, nasal, oral      mg, mg/kg    infusion/bolus: central; nasal/oral: F x dose to the absorption depot
//! escitalopram  oral, iv infusion, iv bolus             mg, mg/kg    oral: F x dose to the gut depot; infusion/bolus: central
//! placebo       iv infusion, iv bolus, nasal, oral      mg, mg/kg    no drug (a treatment session only)
//! ```

use super::{Drug, Route};

/// The routes and dose units of one drug.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrugRoutes {
    /// The drug.
    pub drug: Drug,
    /// Routes it can be given by, in the order listed in messages.
    pub routes: &'static [Route],
    /// Dose units the notation accepts for it.
    pub units: &'static [&'static str],
    /// Where a dose of each route enters the PK, in words.
    pub entry: &'static str,
}

const ALL_ROUTES: &[Route] = &[Route::IvInfusion, Route::IvBolus, Route::Nasal, Route::Oral];
const UNITS: &[&str] = &["mg", "mg/kg"];

/// Every drug's routes. Intravenous infusions of the racemate citalopram are
/// used clinically, so iv escitalopram is kept (illustrative: the PK is the
/// oral model without absorption); nasal escitalopram does not exist and is
/// refused.
pub static ROUTES: &[DrugRoutes] = &[
    DrugRoutes {
        drug: Drug::Ketamine,
        routes: ALL_ROUTES,
        units: UNITS,
        entry: "infusion/bolus: central; nasal/oral: F x dose to the absorption depot",
    },
    DrugRoutes {
        drug: Drug::Esketamine,
        routes: ALL_ROUTES,
        units: UNITS,
        entry: "infusion/bolus: central; nasal/oral: F x dose to the absorption depot",
    },
    DrugRoutes {
        drug: Drug::Escitalopram,
        routes: &[Route::Oral, Route::IvInfusion, Route::IvBolus],
        units: UNITS,
        entry: "oral: F x dose to the gut depot; infusion/bolus: central",
    },
    DrugRoutes {
        drug: Drug::Placebo,
        routes: ALL_ROUTES,
        units: UNITS,
        entry: "no drug (a treatment session only)",
    },
];

/// The table row of `drug`.
pub fn of(drug: Drug) -> &'static DrugRoutes {
    ROUTES
        .iter()
        .find(|r| r.drug == drug)
        .unwrap_or(&ROUTES[ROUTES.len() - 1])
}

/// Can `drug` be given by `route`?
pub fn allowed(drug: Drug, route: Route) -> bool {
    of(drug).routes.contains(&route)
}

/// The routes of `drug` as text ("oral, iv infusion, iv bolus").
pub fn routes_text(drug: Drug) -> String {
    of(drug)
        .routes
        .iter()
        .map(|r| r.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why `drug` cannot be given by `route`, if it cannot.
pub fn problem(drug: Drug, route: Route) -> Option<String> {
    (!allowed(drug, route)).then(|| {
        format!(
            "{drug} cannot be given {} in synsim; its routes are {}",
            match route {
                Route::Nasal | Route::Oral => route.name().to_string(),
                _ => format!("as an {}", route.name()),
            },
            routes_text(drug)
        )
    })
}

/// The table as the text block of the module docs.
pub fn table_text() -> String {
    let mut out = format!(
        "{:<14}{:<40}{:<13}{}\n",
        "drug", "routes", "dose units", "where a dose enters"
    );
    for r in ROUTES {
        out.push_str(&format!(
            "{:<14}{:<40}{:<13}{}\n",
            r.drug.name(),
            routes_text(r.drug),
            r.units.join(", "),
            r.entry
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The module docs (copied into docs/MODEL.md) show [`ROUTES`] exactly.
    #[test]
    fn module_docs_show_the_table() {
        let src = include_str!("routes.rs");
        let block: Vec<&str> = src
            .lines()
            .skip_while(|l| !l.starts_with("//! ```text"))
            .skip(1)
            .take_while(|l| !l.starts_with("//! ```"))
            .map(|l| l.strip_prefix("//! ").unwrap_or("").trim_end())
            .collect();
        let want: Vec<String> = table_text()
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect();
        assert_eq!(
            block,
            want,
            "update the ```text block of regimen/routes.rs to:\n{}",
            table_text()
        );
    }

    #[test]
    fn every_drug_has_a_row() {
        for d in Drug::ALL {
            assert_eq!(of(d).drug, d);
            assert!(!of(d).routes.is_empty());
        }
        assert!(!allowed(Drug::Escitalopram, Route::Nasal));
        let m = problem(Drug::Escitalopram, Route::Nasal).unwrap();
        assert!(m.contains("escitalopram") && m.contains("oral, iv infusion, iv bolus"));
    }
}
