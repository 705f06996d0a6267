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

/// Formats a number for CSV: nine decimals with trailing zeros dropped for
/// magnitudes in [1e-4, 1e7), otherwise nine significant digits in scientific
/// notation; both are what `format!("{v:.9}")` and `format!("{v:.8e}")` give.
pub fn fmt_csv(v: f64) -> String {
    let mut s = String::with_capacity(24);
    push_csv(&mut s, v);
    s
}

/// Appends [`fmt_csv`]`(v)` to `out` without allocating.
pub fn push_csv(out: &mut String, v: f64) {
    use std::fmt::Write as _;
    let a = v.abs();
    if v == 0.0 {
        out.push('0');
        return;
    }
    if v < 0.0 {
        out.push('-');
    }
    if (1e-4..1e7).contains(&a) {
        push_fixed9(out, a);
    } else if (1e-18..1e-4).contains(&a) {
        push_sci9(out, a);
    } else {
        // Outside what the model's outputs reach; the standard library's
        // exact formatting is slower but right everywhere.
        let _ = write!(out, "{a:.8e}");
    }
}

/// `a = m / 2^shift` exactly, for a positive normal `a < 2^53`.
fn mantissa_shift(a: f64) -> (u128, u32) {
    let bits = a.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as u32;
    let m = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    (u128::from(m), 1075 - exp)
}

/// `scaled / 2^shift` rounded half to even, as the standard library's exact
/// float formatting rounds.
fn round_shifted(scaled: u128, shift: u32) -> u128 {
    let q = scaled >> shift;
    let r = scaled - (q << shift);
    let half = 1u128 << (shift - 1);
    if r > half || (r == half && q & 1 == 1) {
        q + 1
    } else {
        q
    }
}

/// Nine decimals of `a` (1e-4 <= a < 1e7) with trailing zeros and a bare
/// point dropped, equal to `format!("{a:.9}")` trimmed. Integer arithmetic on
/// the mantissa makes it exact: a * 1e9 = m * 1e9 / 2^shift with m < 2^53, so
/// m * 1e9 < 2^83 fits a u128. Why not `format!`: a single run's CSV is mostly
/// this call, and the general float formatter was most of the run's time.
fn push_fixed9(out: &mut String, a: f64) {
    let (m, shift) = mantissa_shift(a);
    let q = round_shifted(m * 1_000_000_000, shift) as u64;
    push_digits(out, q / 1_000_000_000, 1);
    let mut frac = q % 1_000_000_000;
    if frac != 0 {
        let mut width = 9;
        while frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
        out.push('.');
        push_digits(out, frac, width);
    }
}

/// Nine significant digits of `a` (1e-18 <= a < 1e-4) in the form of
/// `format!("{a:.8e}")` ("1.23456789e-5"), exact by the same integer
/// arithmetic: a * 10^p = m * 5^p / 2^(shift - p), and m * 5^p < 2^117 for the
/// p <= 27 this range needs.
fn push_sci9(out: &mut String, a: f64) {
    let (m, shift) = mantissa_shift(a);
    // The decimal exponent E of the first significant digit; the estimate
    // from log10 is corrected by the exact comparison below.
    let mut e = a.log10().floor() as i32;
    let q = loop {
        let p = (8 - e) as u32; // 12..=27 in this range
        let scaled = m * 5u128.pow(p);
        let q = round_shifted(scaled, shift - p);
        let floor = scaled >> (shift - p);
        if floor < 100_000_000 {
            e -= 1;
        } else if floor >= 1_000_000_000 {
            e += 1;
        } else if q == 1_000_000_000 {
            e += 1;
            break 100_000_000;
        } else {
            break q as u64;
        }
    };
    push_digits(out, q / 100_000_000, 1);
    out.push('.');
    push_digits(out, q % 100_000_000, 8);
    out.push('e');
    if e < 0 {
        out.push('-');
    }
    push_digits(out, u64::from(e.unsigned_abs()), 1);
}

/// Appends the decimal digits of `n`, zero-padded to at least `width`.
fn push_digits(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    while n > 0 || buf.len() - i < width {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend(buf[i..].iter().map(|&d| char::from(d)));
}

/// The time series as CSV text.
pub fn timeseries_csv(rows: &[Observables], cols: &[Column]) -> String {
    let mut out = String::with_capacity(rows.len() * cols.len() * 10);
    out.push_str(&cols.iter().map(|c| c.name).collect::<Vec<_>>().join(","));
    out.push('\n');
    for r in rows {
        for (i, c) in cols.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_csv(&mut out, (c.get)(r));
        }
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

    /// The fast path prints what the standard library's exact formatting
    /// prints, ties (values whose tenth decimal is an exact 5) included.
    #[test]
    fn csv_numbers_equal_the_standard_formatting() {
        let reference = |v: f64| {
            if v == 0.0 {
                return "0".to_string();
            }
            if v.abs() >= 1e-4 && v.abs() < 1e7 {
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
        };
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut checked = 0;
        for _ in 0..400_000 {
            let r = next();
            // Log-uniform magnitudes across and beyond the fixed range.
            let mag = 10f64.powf(-20.0 + 28.0 * (r >> 11) as f64 / (1u64 << 53) as f64);
            let v = if next() & 1 == 0 { mag } else { -mag };
            assert_eq!(fmt_csv(v), reference(v), "{v:e}");
            checked += 1;
        }
        // Exact ties: k / 2^10 has ten decimals ending in 5.
        for k in 0..5000 {
            let v = f64::from(k) / 1024.0;
            assert_eq!(fmt_csv(v), reference(v), "{v:e}");
            let w = f64::from(k) * 2f64.powi(-30);
            assert_eq!(fmt_csv(w), reference(w), "{w:e}");
            checked += 2;
        }
        for v in [
            1e-4,
            -1e-4,
            9_999_999.999_999_999,
            1e7,
            0.000_099_999_999_5,
            5e-10,
            2.5e-9,
        ] {
            assert_eq!(fmt_csv(v), reference(v), "{v:e}");
        }
        assert!(checked > 400_000);
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
