//! What each time-series column means, for readers that label it (the
//! lab's panels and legends): a readable label, the unit and the stage of
//! the chain it belongs to.

/// Label, unit and stage of one `timeseries.csv` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnMeta {
    /// Contract column name.
    pub name: &'static str,
    /// Readable label for legends.
    pub label: &'static str,
    /// Unit ("1" for quantities relative to healthy, "-" for fractions).
    pub unit: &'static str,
    /// Stage of the chain (`synsim explain <stage>`).
    pub stage: &'static str,
}

const fn m(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    stage: &'static str,
) -> ColumnMeta {
    ColumnMeta {
        name,
        label,
        unit,
        stage,
    }
}

/// Every column `export::columns` can produce.
pub static COLUMN_META: &[ColumnMeta] = &[
    m("time_h", "time since the first dose", "h", "regimen"),
    m("dose_rate_mg_per_h", "infusion rate", "mg/h", "regimen"),
    m("plasma_ketamine_ng_ml", "plasma ketamine", "ng/mL", "pk"),
    m(
        "plasma_norketamine_ng_ml",
        "plasma norketamine",
        "ng/mL",
        "pk",
    ),
    m(
        "plasma_esketamine_ng_ml",
        "plasma esketamine",
        "ng/mL",
        "pk",
    ),
    m(
        "plasma_noresketamine_ng_ml",
        "plasma noresketamine",
        "ng/mL",
        "pk",
    ),
    m(
        "plasma_escitalopram_ng_ml",
        "plasma escitalopram",
        "ng/mL",
        "pk",
    ),
    m(
        "nmda_occupancy",
        "NMDA block, pyramidal cells",
        "fraction",
        "receptor",
    ),
    m(
        "nmda_occupancy_interneuron",
        "NMDA block, interneurons",
        "fraction",
        "receptor",
    ),
    m("sert_occupancy", "SERT occupancy", "fraction", "receptor"),
    m("exc_activity", "pyramidal (E) activity", "rate", "circuit"),
    m(
        "inh_activity",
        "interneuron (I) activity",
        "rate",
        "circuit",
    ),
    m("glutamate_rel", "glutamate", "× healthy", "circuit"),
    m("gaba_rel", "GABA", "× healthy", "circuit"),
    m("bdnf_rel", "BDNF", "× healthy", "signalling"),
    m("mtor_rel", "mTOR activity", "× healthy", "signalling"),
    m(
        "synapse_density_rel",
        "synapse density",
        "× healthy",
        "synapse",
    ),
    m(
        "symptom_score",
        "depression score (MADRS-like)",
        "points",
        "symptom",
    ),
    m(
        "dissociation",
        "dissociation (side effect)",
        "0-1",
        "symptom",
    ),
    m(
        "synaptic_protein",
        "synaptic protein",
        "× healthy",
        "signalling",
    ),
    m("rapid_relief", "rapid relief", "0-1", "symptom"),
    m("serotonin_rel", "serotonin tone", "× healthy", "serotonin"),
    m(
        "autoreceptor_sensitivity",
        "5-HT1A autoreceptor sensitivity",
        "× untreated",
        "serotonin",
    ),
    m("expectancy", "expectancy of relief", "0-1", "symptom"),
    m("plasma_hnk_ng_ml", "plasma HNK", "ng/mL", "pk"),
];

/// The meaning of a column, if it is one of synsim's.
pub fn column_meta(name: &str) -> Option<&'static ColumnMeta> {
    COLUMN_META.iter().find(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regimen::Drug;

    #[test]
    fn every_column_is_described() {
        for c in super::super::columns(&Drug::ALL) {
            assert!(column_meta(c.name).is_some(), "{} has no meta", c.name);
        }
        assert_eq!(
            COLUMN_META.len(),
            super::super::columns(&Drug::ALL).len(),
            "a described column no longer exists"
        );
    }
}
