//! The words of the command line: `regimen`, `explain`, `list`, the scenario
//! file from `params --toml`, and the errors for bad `--set` values.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};
use synsim::params::{lookup, REGISTRY};
use synsim::regimen::Regimen;
use synsim::scenario::{Scenario, BUILTINS};

fn synsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(args)
        .output()
        .expect("the synsim binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh, empty folder under the system temp dir for one test.
fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("synsim-words-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// `synsim regimen --json` for `notation`.
fn regimen_json(notation: &str, extra: &[&str]) -> Value {
    let mut args = vec!["regimen", notation, "--json"];
    args.extend_from_slice(extra);
    let o = synsim(&args);
    assert!(o.status.success(), "{notation}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("valid JSON")
}

fn dose_days(v: &Value) -> Vec<f64> {
    v["doses"]
        .as_array()
        .expect("doses")
        .iter()
        .map(|d| d["time_h"].as_f64().expect("time_h") / 24.0)
        .collect()
}

fn assert_days(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-9, "{got:?} vs {want:?}");
    }
}

#[test]
fn regimen_every_3_5_days() {
    let v = regimen_json("ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 6", &[]);
    assert_days(&dose_days(&v), &[0.0, 3.5, 7.0, 10.5, 14.0, 17.5]);
    for d in v["doses"].as_array().unwrap() {
        assert_eq!(d["drug"], "ketamine");
        assert_eq!(d["route"], "iv infusion");
        assert_eq!(d["dose_unit"], "mg/kg");
        assert!(
            (d["mg"].as_f64().unwrap() - 35.0).abs() < 1e-9,
            "0.5 mg/kg at 70 kg"
        );
        assert!((d["duration_h"].as_f64().unwrap() - 40.0 / 60.0).abs() < 1e-9);
    }
    assert!((v["totals"]["ketamine"]["mg"].as_f64().unwrap() - 210.0).abs() < 1e-9);
    // The canonical text reads back to the same regimen.
    let canonical = v["notation"].as_str().unwrap();
    assert_eq!(
        Regimen::parse(canonical).unwrap(),
        Regimen::parse("ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 6").unwrap()
    );
}

#[test]
fn regimen_weekdays_then_maintenance() {
    let text = "ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6 then every 4 w x 3";
    let v = regimen_json(text, &[]);
    // Mon/Wed/Fri: days 0, 2, 4, 7, 9, 11; then every 28 days after the last.
    assert_days(
        &dose_days(&v),
        &[0.0, 2.0, 4.0, 7.0, 9.0, 11.0, 39.0, 67.0, 95.0],
    );
    assert_eq!(v["n_doses"], 9);
    // The listing agrees with the library's expansion.
    let lib: Vec<f64> = Regimen::parse(text)
        .unwrap()
        .expand()
        .iter()
        .map(|e| e.time_h / 24.0)
        .collect();
    assert_days(&dose_days(&v), &lib);
}

#[test]
fn regimen_esketamine_two_phases_totals() {
    let v = regimen_json(
        "esketamine 56 mg nasal twice weekly for 4 w then 84 mg weekly for 4 w",
        &[],
    );
    let doses = v["doses"].as_array().unwrap();
    let n56 = doses.iter().filter(|d| d["dose"] == 56.0).count();
    let n84 = doses.iter().filter(|d| d["dose"] == 84.0).count();
    assert_eq!(
        (n56, n84),
        (8, 4),
        "twice weekly for 4 weeks, then weekly for 4 weeks"
    );
    let total = v["totals"]["esketamine"]["mg"].as_f64().unwrap();
    assert!((total - (8.0 * 56.0 + 4.0 * 84.0)).abs() < 1e-9, "{total}");
    assert!(doses
        .iter()
        .all(|d| d["route"] == "nasal" && d["duration_h"] == 0.0));
}

#[test]
fn regimen_ssri_and_placebo_and_weight() {
    let v = regimen_json("escitalopram 10 mg oral daily for 8 w", &[]);
    assert_eq!(v["n_doses"], 56);
    assert!((v["totals"]["escitalopram"]["mg"].as_f64().unwrap() - 560.0).abs() < 1e-9);

    let v = regimen_json("placebo iv over 40 min once", &[]);
    assert_eq!(v["n_doses"], 1);
    assert_eq!(v["doses"][0]["mg"], 0.0);

    let v = regimen_json(
        "ketamine 0.5 mg/kg iv over 40 min once",
        &["--weight", "80"],
    );
    assert!((v["doses"][0]["mg"].as_f64().unwrap() - 40.0).abs() < 1e-9);
}

#[test]
fn regimen_table_shows_days_clock_totals_and_canonical_text() {
    let o = synsim(&[
        "regimen",
        "ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // Second dose: day 3 at 12:00.
    let row2 = out
        .lines()
        .find(|l| l.trim_start().starts_with("2 "))
        .expect("row 2");
    let cols: Vec<&str> = row2.split_whitespace().collect();
    assert_eq!(&cols[..3], &["2", "3", "12:00"], "{row2}");
    assert!(
        row2.contains("0.5 mg/kg") && row2.contains("35") && row2.contains("40 min"),
        "{row2}"
    );
    assert!(out.contains("2 doses"), "{out}");
    assert!(out.contains("ketamine: 2 dose(s), 70 mg in total"), "{out}");
    let canonical = Regimen::parse("ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 2")
        .unwrap()
        .to_notation();
    assert!(
        out.contains(&format!("canonical notation: {canonical}")),
        "{out}"
    );
}

#[test]
fn bad_regimen_points_at_the_word_and_exits_2() {
    let text = "escitalopram 10 mg oral daly for 8 w";
    let o = synsim(&["regimen", text]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("\"daly\"") && err.contains("did you mean \"daily\""),
        "{err}"
    );
    // The caret sits under the offending word in the echoed input.
    let lines: Vec<&str> = err.lines().collect();
    let echo = lines
        .iter()
        .position(|l| l.trim() == text)
        .expect("input echoed");
    let caret = lines[echo + 1];
    let col = lines[echo].find("daly").unwrap();
    assert_eq!(caret.find('^'), Some(col), "{err}");
    assert_eq!(caret.trim(), "^^^^", "{err}");
    assert!(o.stdout.is_empty(), "no listing on error");
}

/// Every command `synsim regimen` suggests is one `synsim run` accepts:
/// the weight goes in as `--set patient.weight_kg=...`, and the suggested
/// run works as printed; `--weight` given to `run` points there too.
#[test]
fn the_suggested_run_command_runs() {
    let o = synsim(&[
        "regimen",
        "ketamine 0.5 mg/kg iv over 40 min every 7 d x 2",
        "--weight",
        "90",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("in a run --set patient.weight_kg=KG"), "{out}");
    let cmd = out
        .lines()
        .find_map(|l| l.strip_prefix("simulate it: synsim "))
        .expect("a suggested command");
    let (head, rest) = cmd.split_once(" --regimen \"").expect("--regimen");
    let (notation, tail) = rest.split_once('"').expect("closing quote");
    assert_eq!(tail, " --set patient.weight_kg=90", "{cmd}");
    let dir = temp_dir("suggested");
    let out_dir = dir.join("out");
    let mut args: Vec<&str> = head.split(' ').collect();
    args.extend(["--regimen", notation]);
    args.extend(tail.split_whitespace());
    args.extend(["--no-plot", "--out", out_dir.to_str().unwrap()]);
    let o = synsim(&args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["patient"]["weight_kg"], 90.0, "{summary}");
    let _ = std::fs::remove_dir_all(&dir);
    // Without a weight of its own the suggestion needs no --set.
    let o = synsim(&["regimen", "escitalopram 10 mg oral daily for 8 w"]);
    let out = stdout(&o);
    assert!(
        out.contains(
            "simulate it: synsim run placebo --regimen \"escitalopram 10 mg oral daily for 8 w\"\n"
        ),
        "{out}"
    );
    let o = synsim(&["run", "placebo", "--weight", "90"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--set patient.weight_kg=90"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_weight_is_an_input_error() {
    let o = synsim(&[
        "regimen",
        "ketamine 0.5 mg/kg iv over 40 min once",
        "--weight",
        "500",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--weight") && stderr(&o).contains("kg"),
        "{}",
        stderr(&o)
    );
}

const STAGES: [&str; 9] = [
    "regimen",
    "pk",
    "receptor",
    "circuit",
    "signalling",
    "serotonin",
    "synapse",
    "symptom",
    "solver",
];

#[test]
fn explain_overview_lists_every_stage() {
    let o = synsim(&["explain"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for st in STAGES {
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(st)),
            "{st} missing:\n{out}"
        );
    }
    assert!(out.contains("mechanisms.disinhibition") && out.contains("mechanisms.synaptogenesis"));
}

#[test]
fn explain_every_stage_shows_equations_parameters_and_theory() {
    for st in STAGES {
        let o = synsim(&["explain", st]);
        assert!(o.status.success(), "{st}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.starts_with(st), "{st}");
        assert!(out.contains("belongs to:"), "{st}: no theory line");
        assert!(out.contains("EQUATIONS"), "{st}: no equations");
        // Every parameter listed is a registry parameter with its unit shown.
        let section = out.split("PARAMETERS (").nth(1).expect("parameter section");
        let section = section.split("SEE ALSO").next().unwrap();
        let listed: Vec<&str> = section
            .lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert!(!listed.is_empty(), "{st}: no parameters");
        for name in listed {
            let d = &REGISTRY[lookup(name)
                .unwrap_or_else(|| panic!("{st}: {name} is not a parameter"))
                .0];
            let line = section
                .lines()
                .find(|l| l.split_whitespace().next() == Some(name))
                .unwrap();
            assert!(line.contains(&d.range_text()), "{st}: {line}");
            if d.unit != "-" {
                assert!(line.contains(d.unit), "{st}: unit missing in {line}");
            }
        }
    }
}

#[test]
fn explain_theories_are_named() {
    let out = stdout(&synsim(&["explain", "circuit"]));
    assert!(
        out.contains("theory 1") && out.contains("disinhibition"),
        "{out}"
    );
    let out = stdout(&synsim(&["explain", "synapse"]));
    assert!(
        out.contains("theory 2") && out.contains("synaptogenesis"),
        "{out}"
    );
    let out = stdout(&synsim(&["explain", "serotonin"]));
    assert!(out.contains("SSRI"), "{out}");
}

#[test]
fn explain_unknown_stage_suggests_and_exits_2() {
    let o = synsim(&["explain", "synapes"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("Did you mean \"synapse\""), "{err}");
    for st in STAGES {
        assert!(err.contains(st), "{st} not listed: {err}");
    }
}

#[test]
fn list_shows_every_builtin() {
    let o = synsim(&["list"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for (name, _) in BUILTINS {
        let s = Scenario::load(name).unwrap();
        assert!(
            out.contains(name) && out.contains(&s.title),
            "{name} missing:\n{out}"
        );
    }
    assert!(
        out.contains("synsim params --toml"),
        "how to write your own"
    );
    let long = stdout(&synsim(&["list", "--long"]));
    for (name, _) in BUILTINS {
        let s = Scenario::load(name).unwrap();
        if !s.regimen_text.is_empty() {
            assert!(
                long.contains(&s.regimen_text),
                "{name}: regimen missing in --long"
            );
        }
    }
}

#[test]
fn params_toml_is_a_runnable_scenario() {
    let dir = temp_dir("toml");
    let o = synsim(&["params", "--toml"]);
    assert!(o.status.success());
    let file = dir.join("my.toml");
    std::fs::write(&file, &o.stdout).unwrap();
    let s = Scenario::load(file.to_str().unwrap()).unwrap_or_else(|e| panic!("{e}"));
    // Every value in the file is the default, so the parameters are the defaults.
    assert_eq!(s.params, synsim::params::Params::default());
    let out = dir.join("out");
    let o = synsim(&[
        "run",
        file.to_str().unwrap(),
        "--days",
        "2",
        "--no-plot",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("timeseries.csv").is_file() && out.join("summary.json").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn set_unknown_name_suggests_and_writes_nothing() {
    let dir = temp_dir("unknown");
    let out = dir.join("out");
    let o = synsim(&[
        "run",
        "ketamine-iv-single",
        "--days",
        "1",
        "--no-plot",
        "--out",
        out.to_str().unwrap(),
        "--set",
        "pk.ketamine.cl_l_per_hh=90",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("did you mean") && err.contains("pk.ketamine.cl_l_per_h"),
        "{err}"
    );
    assert!(
        !out.join("timeseries.csv").exists(),
        "no output on bad input"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn set_out_of_range_names_range_and_unit() {
    let name = "pk.ketamine.ke0_per_min";
    let d = &REGISTRY[lookup(name).unwrap().0];
    let too_big = format!("{name}={}", d.max * 10.0);
    let o = synsim(&[
        "run",
        "ketamine-iv-single",
        "--days",
        "1",
        "--no-plot",
        "--set",
        &too_big,
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(name) && err.contains(&d.range_text()) && err.contains(d.unit),
        "{err}"
    );
    let o = synsim(&[
        "run",
        "ketamine-iv-single",
        "--days",
        "1",
        "--no-plot",
        "--set",
        "mechanisms.hnk=maybe",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("true or false"), "{}", stderr(&o));
}

#[test]
fn every_word_has_worked_examples_in_help() {
    for cmd in ["regimen", "explain", "list"] {
        let o = synsim(&[cmd, "--help"]);
        assert!(o.status.success(), "{cmd}");
        let out = stdout(&o);
        assert!(
            out.contains("Examples:") && out.contains(&format!("synsim {cmd}")),
            "{cmd}:\n{out}"
        );
    }
    let out = stdout(&synsim(&["regimen", "--help"]));
    for word in [
        "every",
        "on mon,wed,fri",
        "twice weekly",
        "then",
        "for",
        "x N",
    ] {
        assert!(out.contains(word), "grammar word {word} missing");
    }
}
