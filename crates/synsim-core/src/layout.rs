//! The state layout, in one place. PK states come first (`0..PK_N`).
//!
//! Units: amounts in mg, effect-site concentrations in ng/mL, pools relative
//! to the healthy baseline (1) unless noted.

/// Racemic ketamine, central compartment (mg).
pub const KET_C: usize = 0;
/// Racemic ketamine, peripheral compartment (mg).
pub const KET_P: usize = 1;
/// Racemic ketamine, nasal/oral absorption depot (mg): the part that reaches
/// the circulation as ketamine plus the part made into norketamine on first
/// pass (in ketamine equivalents); both leave at the absorption rate.
pub const KET_DEPOT: usize = 2;
/// Racemic ketamine, effect site (ng/mL).
pub const KET_CE: usize = 3;
/// Norketamine, central (mg).
pub const NK_C: usize = 4;
/// Norketamine, effect site (ng/mL).
pub const NK_CE: usize = 5;
/// Hydroxynorketamine (mg).
pub const HNK_C: usize = 6;
/// Esketamine, nasal depot: the part absorbed through the nasal mucosa (mg).
pub const ESK_DEPOT: usize = 7;
/// Esketamine, central (mg).
pub const ESK_C: usize = 8;
/// Esketamine, shallow peripheral compartment (mg).
pub const ESK_P: usize = 9;
/// Esketamine, effect site (ng/mL).
pub const ESK_CE: usize = 10;
/// Escitalopram, gut depot (mg, bioavailable part).
pub const ESC_DEPOT: usize = 11;
/// Escitalopram, central (mg).
pub const ESC_C: usize = 12;
/// Esketamine, gut depot: the swallowed part of a nasal dose and oral doses
/// (mg, before gut and liver first pass).
pub const ESK_GUT: usize = 13;
/// Esketamine, deep peripheral compartment (mg).
pub const ESK_P2: usize = 14;
/// Noresketamine, central (mg).
pub const NESK_C: usize = 15;
/// Noresketamine, peripheral (mg).
pub const NESK_P: usize = 16;
/// Noresketamine, effect site (ng/mL).
pub const NESK_CE: usize = 17;
/// Number of PK states.
pub const PK_N: usize = 18;

/// Tissue glutamate pool, MRS-like (relative to healthy).
pub const GLU_POOL: usize = 18;
/// Tissue GABA pool made from glutamate by GAD, MRS-like (relative).
pub const GABA_POOL: usize = 19;
/// BDNF (relative).
pub const BDNF: usize = 20;
/// mTOR activity (relative).
pub const MTOR: usize = 21;
/// Newly made synaptic proteins (excess, arbitrary units, 0 at baseline).
pub const PROTEIN: usize = 22;
/// Maturing (nascent) spines driven by the proteins (same units).
pub const NASCENT: usize = 23;
/// Synapse (spine) density (relative; healthy 1).
pub const SYNAPSE: usize = 24;
/// 5-HT1A autoreceptor sensitivity (1 = naive).
pub const AUTORECEPTOR: usize = 25;
/// Serotonergic (CREB-driven) BDNF transcription (excess, relative).
pub const SERO_BDNF: usize = 26;
/// Expectancy relief felt (0-1): follows the drive with a rise time of hours.
pub const EXPECTANCY: usize = 27;
/// Expectancy drive (0-1): renewed by each treatment session, decays over days.
pub const EXPECTANCY_DRIVE: usize = 28;
/// Illness state (1 = the untreated illness, 0 = fully consolidated recovery):
/// scales the extra synapse elimination of depression.
pub const ILLNESS: usize = 29;
/// Dissociation tolerance (0 = naive): raises the NMDA occupancy that gives
/// a given dissociation; builds with each session, fades over days.
pub const DISS_TOLERANCE: usize = 30;
/// Pill expectancy relief felt (0-1): follows the pill drive over weeks.
pub const PILL_EXPECTANCY: usize = 31;
/// Pill expectancy drive (0-1): renewed by each pill, fades over weeks once
/// the pills stop.
pub const PILL_DRIVE: usize = 32;
/// A new episode's own extra illness (0 = none; 1 = as much again as the
/// untreated illness): set by the episode's onset, fades as it resolves.
pub const EPISODE: usize = 33;
/// Number of states.
pub const N: usize = 34;

/// Human-readable name of state `i` (for error messages).
pub fn name(i: usize) -> &'static str {
    const NAMES: [&str; N] = [
        "ketamine central",
        "ketamine peripheral",
        "ketamine depot",
        "ketamine effect site",
        "norketamine central",
        "norketamine effect site",
        "HNK",
        "esketamine depot",
        "esketamine central",
        "esketamine peripheral",
        "esketamine effect site",
        "escitalopram depot",
        "escitalopram central",
        "esketamine gut depot",
        "esketamine deep peripheral",
        "noresketamine central",
        "noresketamine peripheral",
        "noresketamine effect site",
        "glutamate pool",
        "GABA pool",
        "BDNF",
        "mTOR",
        "synaptic protein",
        "nascent spines",
        "synapse density",
        "autoreceptor sensitivity",
        "serotonergic BDNF",
        "expectancy",
        "expectancy drive",
        "illness state",
        "dissociation tolerance",
        "pill expectancy",
        "pill expectancy drive",
        "new episode",
    ];
    NAMES.get(i).copied().unwrap_or("unknown")
}

/// Which stage of the chain a state index belongs to.
pub fn stage_of(i: usize) -> &'static str {
    match i {
        _ if i < PK_N => "pharmacokinetics",
        GLU_POOL | GABA_POOL => "circuit",
        BDNF | MTOR | PROTEIN => "signalling",
        AUTORECEPTOR | SERO_BDNF => "serotonin",
        NASCENT | SYNAPSE | ILLNESS | EPISODE => "synapse",
        DISS_TOLERANCE => "receptor",
        _ => "symptom",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every slow state is named after the stage whose equations (and
    /// `synsim explain` page) hold it, as in docs/MODEL.md section 2.
    #[test]
    fn each_slow_state_names_its_stage() {
        let want = [
            (GLU_POOL, "circuit"),
            (GABA_POOL, "circuit"),
            (BDNF, "signalling"),
            (MTOR, "signalling"),
            (PROTEIN, "signalling"),
            (NASCENT, "synapse"),
            (SYNAPSE, "synapse"),
            (AUTORECEPTOR, "serotonin"),
            (SERO_BDNF, "serotonin"),
            (EXPECTANCY, "symptom"),
            (EXPECTANCY_DRIVE, "symptom"),
            (PILL_EXPECTANCY, "symptom"),
            (PILL_DRIVE, "symptom"),
            (ILLNESS, "synapse"),
            (DISS_TOLERANCE, "receptor"),
            (EPISODE, "synapse"),
        ];
        assert_eq!(want.len(), N - PK_N);
        for (i, stage) in want {
            assert_eq!(stage_of(i), stage, "{}", name(i));
            assert!(crate::stages::STAGES.iter().any(|s| s.name == stage));
        }
    }
}
