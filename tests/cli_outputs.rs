//! What synsim writes, through the binary: output folders replaced as a
//! whole (also when killed mid-write), folders it did not write left alone,
//! output sizes checked before computing, standard-output write errors,
//! exit codes by kind of error and clipped echoes of user input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn synsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(args)
        .output()
        .expect("synsim runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("synsim-outputs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Killed at random moments while writing, the folder is always either
/// absent, the previous complete output or the new complete one, and the
/// next run removes the temporaries of killed ones.
#[test]
fn output_folder_is_replaced_as_a_whole_even_when_killed() {
    let dir = temp_dir("kill");
    let out = dir.join("out");
    let complete = |tag: &str| {
        let files = names(&out);
        let want = [
            ".synsim-output",
            "dashboard.png",
            "dashboard.svg",
            "summary.json",
            "timeseries.csv",
        ];
        assert_eq!(files, want, "{tag}: a partial or mixed folder");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        json["days"].as_f64().unwrap()
    };
    // Deterministic "random" delays (a small LCG), spread over a run's life.
    let mut x: u64 = 12345;
    let mut previous: Option<f64> = None;
    for k in 0..24 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay_ms = 20 + (x >> 33) % 400;
        let days = if k % 2 == 0 { "2" } else { "3" };
        let mut child = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .args([
                "run",
                "ketamine-iv-single",
                "--days",
                days,
                "--dt-out",
                "1 min",
            ])
            .args(["--out", out.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if out.exists() {
            let d = complete(&format!("kill {k} after {delay_ms} ms"));
            // The previous output, or this run's (killed after its swap).
            let this: f64 = days.parse().unwrap();
            assert!(
                previous == Some(d) || d == this,
                "kill {k}: {d} vs {previous:?}, this run {this} ({status})"
            );
            if status.success() {
                assert_eq!(d, this, "kill {k}: finished but not in place");
            }
            previous = Some(d);
        } else {
            assert!(previous.is_none(), "kill {k}: the previous output vanished");
        }
    }
    // A complete run cleans up what the killed ones left.
    let o = synsim(&[
        "run",
        "placebo",
        "--days",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let left: Vec<String> = names(&dir).into_iter().filter(|n| n != "out").collect();
    assert!(left.is_empty(), "stale temporaries: {left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A folder with files synsim did not write is never touched, and the
/// refusal comes before any computation, as an input error.
#[test]
fn foreign_folders_and_files_are_refused_with_exit_2() {
    let dir = temp_dir("foreign");
    let mine = dir.join("notes");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("essay.txt"), "my homework").unwrap();
    let t0 = std::time::Instant::now();
    let o = synsim(&["run", "ketamine-iv-serial", "--out", mine.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("did not write"), "{}", stderr(&o));
    assert!(t0.elapsed().as_secs_f64() < 2.0, "checked after computing");
    assert_eq!(names(&mine), ["essay.txt"]);
    let file = dir.join("plain.txt");
    std::fs::write(&file, "x").unwrap();
    let o = synsim(&[
        "run",
        "placebo",
        "--no-plot",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is a file"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("File exists"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The default folder is named after the scenario and its changes, so two
/// runs being compared keep their own figures.
#[test]
fn default_folders_follow_the_scenario_and_changes() {
    let dir = temp_dir("default");
    let run = |extra: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .current_dir(&dir)
            .args(["run", "placebo", "--days", "1", "--no-plot"])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let a = run(&[]);
    let b = run(&["--set", "synapse.max_density=1.2"]);
    let sub = names(&dir.join("synsim-out"));
    assert_eq!(sub.len(), 2, "{sub:?}\n{a}\n{b}");
    assert!(sub.iter().all(|s| s.starts_with("placebo")), "{sub:?}");
    assert!(
        b.contains(&sub.iter().find(|s| s.len() > 7).unwrap().to_string()),
        "{b}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `compare` and `circuit` (like every command) write by default under
/// synsim-out/, into a folder named after the command and what it ran,
/// with a suffix when options change the result: a second comparison or
/// circuit with other settings keeps the first one's files.
#[test]
fn compare_and_circuit_default_folders_do_not_overwrite_each_other() {
    let dir = temp_dir("default-commands");
    let synsim_in = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .current_dir(&dir)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let compare = ["compare", "ketamine-iv-single", "placebo", "--days", "1"];
    synsim_in(&compare);
    synsim_in(&[&compare[..], &["--set", "synapse.max_density=1.2"]].concat());
    synsim_in(&[
        "compare",
        "ketamine-iv-single",
        "--days",
        "1",
        "--vary",
        "synapse.max_density=1.1,1.4",
    ]);
    synsim_in(&["circuit", "--duration-ms", "20"]);
    synsim_in(&["circuit", "--duration-ms", "20", "--occupancy", "0.5"]);
    let sub = names(&dir.join("synsim-out"));
    assert_eq!(sub.len(), 5, "{sub:?}");
    let starting = |p: &str| sub.iter().filter(|s| s.starts_with(p)).count();
    assert_eq!(
        starting("compare-ketamine-iv-single-vs-placebo"),
        2,
        "{sub:?}"
    );
    assert_eq!(starting("compare-ketamine-iv-single-"), 3, "{sub:?}");
    assert_eq!(starting("circuit-"), 2, "{sub:?}");
    for s in &sub {
        assert!(dir
            .join("synsim-out")
            .join(s)
            .join(".synsim-output")
            .exists());
    }
    // The same command again replaces its own output, as `run` does.
    synsim_in(&compare);
    assert_eq!(names(&dir.join("synsim-out")).len(), 5);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Huge outputs are refused before computing, with the size and the way out.
#[test]
fn oversized_output_is_refused_and_named() {
    let t0 = std::time::Instant::now();
    let o = synsim(&[
        "run",
        "ketamine-iv-single",
        "--dt-out",
        "1 s",
        "--out",
        "/nonexistent/x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("MB") && e.contains("--dt-out") && e.contains("--force"),
        "{e}"
    );
    assert!(t0.elapsed().as_secs_f64() < 2.0);
    // An output step longer than the run is refused too, never -inf.
    let o = synsim(&[
        "run",
        "ketamine-iv-single",
        "--days",
        "28",
        "--dt-out",
        "30 d",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("longer than the run"), "{}", stderr(&o));
}

/// An output step as long as the run still gives finite measures and no
/// nulls in summary.json's measures.
#[test]
fn coarsest_output_step_gives_finite_measures() {
    let dir = temp_dir("coarse");
    let o = synsim(&[
        "run",
        "ketamine-iv-single",
        "--days",
        "28",
        "--dt-out",
        "29 d",
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains("-inf") && !text.contains("NaN"), "{text}");
    let json = std::fs::read_to_string(dir.join("o/summary.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let summary = v["summary"].to_string();
    assert!(!summary.contains("null"), "{summary}");
    assert!(
        v["summary"]["peak_plasma_ng_ml"]["ketamine"]["value"]
            .as_f64()
            .unwrap()
            > 150.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A full disk on standard output is a clear error with exit code 1, never
/// a panic (101), for every printing subcommand.
#[cfg(target_os = "linux")]
#[test]
fn full_standard_output_is_an_error_not_a_panic() {
    let dir = temp_dir("full");
    let out = dir.join("o");
    let o = out.to_str().unwrap();
    for args in [
        vec!["params", "--toml"],
        vec!["params"],
        vec!["list"],
        vec!["explain"],
        vec![
            "regimen",
            "ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6",
        ],
        vec!["run", "placebo", "--days", "1", "--no-plot", "--out", o],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let r = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(r.status.code(), Some(1), "{args:?}: {}", stderr(&r));
        let e = stderr(&r);
        assert!(
            e.contains("cannot write to standard output"),
            "{args:?}: {e}"
        );
        assert!(!e.contains("panicked"), "{args:?}: {e}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Bad input exits 2, failed runs and checks exit 1, decided by the kind of
/// error.
#[test]
fn exit_codes_follow_the_kind_of_error() {
    for args in [
        vec!["run", "no-such-scenario"],
        vec!["run", "placebo", "--set", "pk.nothing=1"],
        vec!["run", "placebo", "--regimen", "ketamine lots"],
        vec!["run", "placebo", "--dt-out", "40 d"],
        vec!["population", "placebo", "--patients", "0"],
        vec!["regimen", "ketamine 0.5 mg/kg iv over"],
    ] {
        let o = synsim(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}

/// Long unknown names are echoed back cut, with "…".
#[test]
fn long_user_input_is_clipped_in_messages() {
    let long = "x".repeat(500);
    for args in [
        vec!["run".to_string(), long.clone()],
        vec![
            "run".into(),
            "placebo".into(),
            "--set".into(),
            format!("{long}=1"),
        ],
        vec![
            "run".into(),
            "placebo".into(),
            "--dt-out".into(),
            format!("1 {long}"),
        ],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        let e = stderr(&o);
        assert!(e.contains('…') && !e.contains(&"x".repeat(100)), "{e}");
    }
}
