//! CSV and JSON output, written atomically (temporary name, then rename) so
//! an error never leaves a half-written file.

mod meta;
pub use meta::{column_meta, ColumnMeta, COLUMN_META};

use crate::model::Observables;
use crate::regimen::Drug;
use std::io::Write;
use std::path::Path;

/// One output column: its contract name and how to read it.
#[derive(Clone, Copy)]
pub struct Column {
    /// Column name (the time-series output contract).
    pub name: &'static str,
    /// Reads the value from a row.
    pub get: fn(&Observables) -> f64,
}

impl std::fmt::Debug for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

macro_rules! col {
    ($name:literal, |$o:ident| $e:expr) => {
        Column {
            name: $name,
            get: |$o: &Observables| $e,
        }
    };
}

/// The time-series columns for a scenario that gives `drugs`, in contract
/// order; extra (non-contract) columns come last.
pub fn columns(drugs: &[Drug]) -> Vec<Column> {
    let has = |d: Drug| drugs.contains(&d);
    let mut c = vec![
        col!("time_h", |o| o.time_h),
        col!("dose_rate_mg_per_h", |o| o.dose_rate_mg_per_h),
    ];
    if has(Drug::Ketamine) {
        c.push(col!("plasma_ketamine_ng_ml", |o| o.plasma.ketamine));
        c.push(col!("plasma_norketamine_ng_ml", |o| o.plasma.norketamine));
    }
    if has(Drug::Esketamine) {
        c.push(col!("plasma_esketamine_ng_ml", |o| o.plasma.esketamine));
        c.push(col!("plasma_noresketamine_ng_ml", |o| o
            .plasma
            .noresketamine));
    }
    if has(Drug::Escitalopram) {
        c.push(col!("plasma_escitalopram_ng_ml", |o| o.plasma.escitalopram));
    }
    c.push(col!("nmda_occupancy", |o| o.occupancy.nmda));
    c.push(col!("nmda_occupancy_interneuron", |o| o
        .occupancy
        .nmda_interneuron));
    if has(Drug::Escitalopram) {
        c.push(col!("sert_occupancy", |o| o.occupancy.sert));
    }
    c.extend([
        col!("exc_activity", |o| o.exc_activity),
        col!("inh_activity", |o| o.inh_activity),
        col!("glutamate_rel", |o| o.glutamate_rel),
        col!("gaba_rel", |o| o.gaba_rel),
        col!("bdnf_rel", |o| o.bdnf_rel),
        col!("mtor_rel", |o| o.mtor_rel),
        col!("synapse_density_rel", |o| o.synapse_density_rel),
        col!("symptom_score", |o| o.symptom_score),
        col!("dissociation", |o| o.dissociation),
        // Extras beyond the contract, for students who want to look inside.
        col!("synaptic_protein", |o| o.synaptic_protein),
        col!("rapid_relief", |o| o.rapid_relief),
        col!("serotonin_rel", |o| o.serotonin_rel),
        col!("autoreceptor_sensitivity", |o| o.autoreceptor),
        col!("expectancy", |o| o.expectancy),
    ]);
    if has(Drug::Ketamine) {
        c.push(col!("plasma_hnk_ng_ml", |o| o.plasma.hnk));
    }
    c
}

/// Formats a number for CSV: compact, round-trippable to 9 significant digits.
pub fn fmt_csv(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e-4 && v.abs() < 1e7 {
        let s = format!("{v:.9}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" {
            "0".into()
        } else {
            s.to_string()
        }
    } else {
        format!("{v:.8e}")
    }
}

/// The time series as CSV text.
pub fn timeseries_csv(rows: &[Observables], cols: &[Column]) -> String {
    let mut out = String::with_capacity(rows.len() * cols.len() * 10);
    out.push_str(&cols.iter().map(|c| c.name).collect::<Vec<_>>().join(","));
    out.push('\n');
    for r in rows {
        let line: Vec<String> = cols.iter().map(|c| fmt_csv((c.get)(r))).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// Writes `bytes` to `path` via a temporary file in the same folder and a
/// rename, so readers never see a partial file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_column_order() {
        let names: Vec<&str> = columns(&[Drug::Ketamine]).iter().map(|c| c.name).collect();
        let contract = [
            "time_h",
            "dose_rate_mg_per_h",
            "plasma_ketamine_ng_ml",
            "plasma_norketamine_ng_ml",
            "nmda_occupancy",
            "nmda_occupancy_interneuron",
            "exc_activity",
            "inh_activity",
            "glutamate_rel",
            "gaba_rel",
            "bdnf_rel",
            "mtor_rel",
            "synapse_density_rel",
            "symptom_score",
            "dissociation",
        ];
        assert_eq!(&names[..contract.len()], &contract);
        let ssri: Vec<&str> = columns(&[Drug::Escitalopram])
            .iter()
            .map(|c| c.name)
            .collect();
        assert!(ssri.contains(&"sert_occupancy") && ssri.contains(&"plasma_escitalopram_ng_ml"));
    }

    #[test]
    fn csv_numbers_are_compact() {
        assert_eq!(fmt_csv(1.5), "1.5");
        assert_eq!(fmt_csv(0.0), "0");
        assert_eq!(fmt_csv(-0.0), "0");
        assert_eq!(fmt_csv(2.0), "2");
    }

    #[test]
    fn atomic_write_leaves_no_temp_file() {
        let dir = std::env::temp_dir().join(format!("synsim-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.csv");
        write_atomic(&p, b"x,y\n").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "x,y\n");
        let n = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(n, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
