//! The theory switchboard: one scenario run with both mechanisms, with each
//! alone and with neither (`synsim theories`, the lab's theory switches).

use crate::params::id;
use crate::run::{run, RunResult};
use crate::scenario::Scenario;
use crate::solve::SolveError;

/// One switchboard setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// Short key used in CSV columns.
    pub key: &'static str,
    /// Legend text.
    pub label: &'static str,
    /// A few words for notes such as "disinhibition only = both theories".
    pub short: &'static str,
    /// `mechanisms.disinhibition`.
    pub disinhibition: bool,
    /// `mechanisms.synaptogenesis`.
    pub synaptogenesis: bool,
}

/// The four settings, full model first.
pub const VARIANTS: [Variant; 4] = [
    Variant {
        key: "all",
        label: "both theories (full model)",
        short: "both theories",
        disinhibition: true,
        synaptogenesis: true,
    },
    Variant {
        key: "disinhibition-only",
        label: "disinhibition only (theory 1)",
        short: "disinhibition only",
        disinhibition: true,
        synaptogenesis: false,
    },
    Variant {
        key: "synaptogenesis-only",
        label: "synaptogenesis only (theory 2)",
        short: "synaptogenesis only",
        disinhibition: false,
        synaptogenesis: true,
    },
    Variant {
        key: "neither",
        label: "neither",
        short: "neither",
        disinhibition: false,
        synaptogenesis: false,
    },
];

impl Variant {
    /// `base` with this setting's two switches.
    pub fn apply(&self, base: &Scenario) -> Scenario {
        let mut s = base.clone();
        let flag = |on: bool| f64::from(u8::from(on));
        // Both switches are registry flags with range 0-1, so these cannot fail.
        let _ = s
            .params
            .set(id::MECH_DISINHIBITION, flag(self.disinhibition));
        let _ = s
            .params
            .set(id::MECH_SYNAPTOGENESIS, flag(self.synaptogenesis));
        s
    }
}

/// `base` run once per [`VARIANTS`] entry, in that order.
pub fn run_variants(base: &Scenario) -> Result<Vec<RunResult>, SolveError> {
    VARIANTS.iter().map(|v| run(&v.apply(base))).collect()
}
