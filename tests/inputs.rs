//! What synsim does with the inputs its questions invite, through the
//! binary: drug x route, regimen knobs in `--set`, phase-addressed regimen
//! sweeps, calibration warnings, inputs that cannot be simulated and the
//! `[variability]` table of scenario files.

use std::path::PathBuf;
use std::process::{Command, Output};

fn synsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(args)
        .output()
        .expect("synsim runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("synsim-inputs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs `synsim run` without figures into a fresh folder and returns the
/// output and the summary.json.
fn run(name: &str, args: &[&str]) -> (Output, Option<serde_json::Value>) {
    let dir = temp_dir(name);
    let out = dir.join("out");
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--no-plot", "--out", out.to_str().unwrap()]);
    let o = synsim(&all);
    let summary = std::fs::read_to_string(out.join("summary.json"))
        .ok()
        .map(|t| serde_json::from_str(&t).unwrap());
    (o, summary)
}

fn peak_plasma(summary: &serde_json::Value, drug: &str) -> f64 {
    summary["summary"]["peak_plasma_ng_ml"][drug]["value"]
        .as_f64()
        .unwrap_or(0.0)
}

/// An escitalopram infusion reaches plasma like the same dose as a bolus;
/// a combination outside the drug x route table is refused with exit 2.
#[test]
fn escitalopram_infusion_reaches_plasma_and_nasal_is_refused() {
    let (o, s) = run(
        "esc-iv",
        &[
            "placebo",
            "--regimen",
            "escitalopram 10 mg iv over 60 min once",
            "--days",
            "3",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let infused = peak_plasma(&s.unwrap(), "escitalopram");
    let (o, s) = run(
        "esc-bolus",
        &[
            "placebo",
            "--regimen",
            "escitalopram 10 mg iv bolus once",
            "--days",
            "3",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let bolus = peak_plasma(&s.unwrap(), "escitalopram");
    assert!(
        infused > 0.9 * bolus && infused <= bolus,
        "infusion {infused} vs bolus {bolus}"
    );
    let (o, _) = run(
        "esc-nasal",
        &["placebo", "--regimen", "escitalopram 10 mg nasal once"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("escitalopram cannot be given nasal") && e.contains("oral, iv infusion"),
        "{e}"
    );
}

/// Regimen knobs are settable names like any parameter: `--set` works on
/// a scenario with a regimen and says what to do on one without.
#[test]
fn set_accepts_regimen_knobs() {
    let (o, s) = run(
        "set-dose",
        &[
            "ketamine-iv-single",
            "--set",
            "regimen.dose=0.7",
            "--days",
            "2",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        s.unwrap()["regimen"].as_str(),
        Some("ketamine 0.7 mg/kg iv over 40 min once")
    );
    let (o, _) = run("set-none", &["healthy", "--set", "regimen.dose=0.7"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("has no regimen") && e.contains("--regimen"),
        "{e}"
    );
    let o = synsim(&["params", "--filter", "regimen."]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("regimen.interval_d"), "{}", stdout(&o));
}

/// An interval sweep addresses the maintenance phase, says so, answers with
/// days in response and explains `-` cells.
#[test]
fn interval_sweep_addresses_the_maintenance_phase() {
    let dir = temp_dir("sweep");
    let o = synsim(&[
        "sweep",
        "ketamine-maintenance",
        "--param",
        "regimen.interval_d=7:28:2",
        "--typical",
        "--metric",
        "days_in_response,relapse_d",
        "--no-plot",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("changes phase 2 of 2"), "{out}");
    assert!(out.contains("number of doses follows"), "{out}");
    let o = synsim(&[
        "sweep",
        "ketamine-maintenance",
        "--param",
        "regimen.phase1.interval_d=2:3:2",
        "--typical",
        "--no-plot",
        "--out",
        dir.join("out1").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("days_in_response"), "{}", stdout(&o));
    assert!(stdout(&o).contains("phase 1 of 2"), "{}", stdout(&o));
}

/// Out-of-model inputs still run, with one plain warning on stderr; the
/// built-in scenarios give none.
#[test]
fn out_of_calibration_inputs_warn_once() {
    let (o, _) = run(
        "warn-dose",
        &[
            "ketamine-iv-single",
            "--regimen",
            "ketamine 1.5 mg/kg iv over 40 min once",
            "--days",
            "2",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert_eq!(e.matches("warning:").count(), 1, "{e}");
    assert!(
        e.contains("1.5 mg/kg per dose is outside the calibrated range"),
        "{e}"
    );
    let (o, _) = run("warn-none", &["ketamine-iv-single", "--days", "2"]);
    assert!(!stderr(&o).contains("calibrated"), "{}", stderr(&o));
    let dir = temp_dir("warn-sweep");
    let o = synsim(&[
        "sweep",
        "ketamine-iv-single",
        "--param",
        "regimen.dose=0.5:1.5:3",
        "--typical",
        "--days",
        "2",
        "--no-plot",
        "--quiet",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert_eq!(e.matches("warning:").count(), 1, "{e}");
    assert!(e.contains("at 1 of 3 grid points"), "{e}");
}

/// What cannot be simulated is refused up front (exit 2); where the
/// integrator still stops, the message names time, stage and parameters in
/// words and dumps no state vector.
#[test]
fn unsimulable_inputs_are_refused_or_explained() {
    for regimen in [
        "ketamine 0.5 mg/kg iv over 0.5 s once",
        "ketamine 35 mg iv every 0.001 s x 3",
        "ketamine 35 mg iv after 1 s every 1 d x 2 then after 0.1 s once",
        "ketamine 35 mg iv q1s x 3",
    ] {
        let (o, _) = run("tiny", &["placebo", "--regimen", regimen, "--days", "1"]);
        assert_eq!(o.status.code(), Some(2), "{regimen}: {}", stderr(&o));
        assert!(stderr(&o).contains("1 min"), "{regimen}: {}", stderr(&o));
    }
    let (o, _) = run(
        "stiff",
        &[
            "ketamine-iv-single",
            "--set",
            "receptor.interneuron_sensitivity=20",
            "--set",
            "circuit.nmda_frac_inh=1",
            "--set",
            "pk.norketamine.thalf_h=0.5",
            "--set",
            "pk.hnk.thalf_h=0.5",
            "--set",
            "pk.norketamine.ke0_per_min=5",
            "--days",
            "2",
        ],
    );
    if !o.status.success() {
        let e = stderr(&o);
        assert!(e.contains("the simulation stopped at"), "{e}");
        assert!(e.contains("stage (state '"), "{e}");
        assert!(e.contains("circuit.nmda_frac_inh = 1"), "{e}");
        assert!(
            !e.contains("y:") && !e.contains("StepTooSmall") && !e.contains("[0."),
            "{e}"
        );
    }
}

/// A scenario file of one's own: only the title is required, `days` may be
/// a duration, and a file without `[regimen]` runs untreated with a warning
/// that says how to add one (built-ins without one, like healthy, do not
/// warn).
#[test]
fn own_scenario_files_need_little_and_warn_when_untreated() {
    let dir = temp_dir("own-file");
    let file = dir.join("mine.toml");
    std::fs::write(&file, "title = \"Mine\"\ndays = \"2 d\"\n").unwrap();
    let (o, summary) = run("own-file-run", &[file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("mine.toml has no [regimen], so this run is untreated")
            && e.contains("notation = "),
        "{e}"
    );
    let summary = summary.unwrap();
    assert_eq!(summary["days"], 2.0, "{summary}");
    assert!(summary["warnings"][0]
        .as_str()
        .unwrap()
        .contains("no [regimen]"));
    let (o, _) = run(
        "own-file-regimen",
        &[
            file.to_str().unwrap(),
            "--regimen",
            "ketamine 0.5 mg/kg iv over 40 min once",
        ],
    );
    assert!(
        o.status.success() && !stderr(&o).contains("[regimen]"),
        "{}",
        stderr(&o)
    );
    let (o, _) = run("healthy-quiet", &["healthy", "--days", "1"]);
    assert!(
        o.status.success() && !stderr(&o).contains("[regimen]"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&file, "title = \"Mine\"\ndays = \"four weeks\"\n").unwrap();
    let (o, _) = run("own-file-bad-days", &[file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("mine.toml:2: days = \"four weeks\"") && e.contains("\"4 w\""),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
