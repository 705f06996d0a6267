//! `synsim sensitivity` end to end: the files, exact zeros for parameters that cannot
//! matter, the same bytes for any thread count, clear errors for bad input, and the
//! lesson's commands.

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn synsim_env(args: &[&str], threads: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_synsim"));
    c.args(args);
    if let Some(t) = threads {
        c.env("RAYON_NUM_THREADS", t);
    }
    c.output().expect("the synsim binary runs")
}

fn synsim(args: &[&str]) -> Output {
    synsim_env(args, None)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh folder path under the system temp dir (not created).
fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("synsim-sa-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// sensitivity.csv as (header, rows of cells).
fn csv(dir: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(dir.join("sensitivity.csv")).expect("sensitivity.csv");
    let mut lines = text.lines();
    let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let head = split(lines.next().expect("header"));
    (head, lines.map(split).collect())
}

/// The cell of `column` in the row of `param`.
fn cell(dir: &Path, param: &str, column: &str) -> String {
    let (head, rows) = csv(dir);
    let c = head.iter().position(|h| h == column).expect("column");
    let row = rows.iter().find(|r| r[1] == param).expect("row");
    row[c].clone()
}

fn run_ok(args: &[&str]) -> Output {
    let o = synsim(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    o
}

/// Runs `synsim sensitivity <scenario> --metric response_24h` with `extra`
/// arguments in a fresh folder named after `tag` and returns μ* by parameter.
fn mu_star_by_parameter(tag: &str, scenario: &str, extra: &[&str]) -> HashMap<String, f64> {
    let out = temp_dir(tag);
    let mut args = vec![
        "sensitivity",
        scenario,
        "--metric",
        "response_24h",
        "--no-plot",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run_ok(&args);
    let (head, rows) = csv(&out);
    let col = |name: &str| head.iter().position(|h| h == name).expect("column");
    let (param, mu_star) = (col("parameter"), col("mu_star"));
    let _ = std::fs::remove_dir_all(&out);
    rows.iter()
        .map(|r| (r[param].clone(), r[mu_star].parse().unwrap()))
        .collect()
}

#[test]
fn morris_writes_ranked_csv_summary_and_figure() {
    let out = temp_dir("morris");
    let o = run_ok(&[
        "sensitivity",
        "ketamine-iv-single",
        "--metric",
        "response_24h",
        "--params",
        "receptor.interneuron_sensitivity,signalling.ampa_gain",
        "--params",
        "receptor.sert_ec50_ng_ml",
        "--samples",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("= 8 runs"), "cost line: {text}");
    assert!(text.contains("For the response at 24 h"), "{text}");
    for f in [
        "sensitivity.csv",
        "summary.json",
        "sensitivity.png",
        "sensitivity.svg",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let (head, rows) = csv(&out);
    assert_eq!(
        head.join(","),
        "rank,parameter,unit,typical,lo,hi,scale,mu_star,mu,sigma,mu_star_lo,mu_star_hi,negligible"
    );
    assert_eq!(rows.len(), 3);
    let mu_star: Vec<f64> = rows.iter().map(|r| r[7].parse().unwrap()).collect();
    assert!(
        mu_star.windows(2).all(|w| w[0] >= w[1]),
        "ranked: {mu_star:?}"
    );
    assert_eq!(rows[2][1], "receptor.sert_ec50_ng_ml");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["method"], "morris");
    assert_eq!(json["runs"], 8);
    assert_eq!(json["metric"], "response_24h");
    assert_eq!(json["negligible"][0], "receptor.sert_ec50_ng_ml");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn parameters_that_cannot_matter_get_exactly_zero() {
    // The SSRI's PK and serotonin parameters cannot touch a ketamine-only run.
    let out = temp_dir("zero");
    run_ok(&[
        "sensitivity",
        "ketamine-iv-single",
        "--metric",
        "response_24h",
        "--params",
        "pk.escitalopram,ssri,receptor.interneuron_sensitivity",
        "--samples",
        "3",
        "--no-plot",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (_, rows) = csv(&out);
    assert_eq!(rows.len(), 11);
    for r in &rows {
        let mu_star: f64 = r[7].parse().unwrap();
        if r[1] == "receptor.interneuron_sensitivity" {
            assert!(mu_star > 1.0, "{r:?}");
            assert_eq!(r[0], "1");
        } else {
            assert_eq!(
                (mu_star, r[9].as_str(), r[12].as_str()),
                (0.0, "0", "true"),
                "{r:?}"
            );
        }
    }
    // Sobol': both indices of such a parameter are exactly 0 as well.
    let sob = temp_dir("zero-sobol");
    run_ok(&[
        "sensitivity",
        "ketamine-iv-single",
        "--metric",
        "response_24h",
        "--method",
        "sobol",
        "--params",
        "receptor.interneuron_sensitivity,receptor.sert_ec50_ng_ml",
        "--samples",
        "64",
        "--quiet",
        "--out",
        sob.to_str().unwrap(),
    ]);
    assert_eq!(cell(&sob, "receptor.sert_ec50_ng_ml", "st"), "0");
    assert_eq!(cell(&sob, "receptor.sert_ec50_ng_ml", "s1"), "0");
    let st: f64 = cell(&sob, "receptor.interneuron_sensitivity", "st")
        .parse()
        .unwrap();
    assert!(
        (0.8..=1.2).contains(&st),
        "one active factor explains it all: {st}"
    );
    assert!(sob.join("sensitivity.png").exists());
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(&sob);
}

#[test]
fn same_files_for_one_and_two_threads() {
    let cases: [&[&str]; 2] = [
        &["--samples", "4"],
        &[
            "--method",
            "sobol",
            "--samples",
            "32",
            "--params",
            "receptor.interneuron_sensitivity,signalling,patient.synapse_deficit",
        ],
    ];
    for (k, extra) in cases.iter().enumerate() {
        let mut files = Vec::new();
        for threads in ["1", "2"] {
            let out = temp_dir(&format!("threads-{k}-{threads}"));
            let mut args = vec![
                "sensitivity",
                "ketamine-iv-single",
                "--metric",
                "best_score",
                "--quiet",
                "--no-plot",
                "--seed",
                "7",
                "--out",
                out.to_str().unwrap(),
            ];
            args.extend_from_slice(extra);
            let o = synsim_env(&args, Some(threads));
            assert!(o.status.success(), "{}", stderr(&o));
            files.push((
                std::fs::read(out.join("sensitivity.csv")).unwrap(),
                std::fs::read(out.join("summary.json")).unwrap(),
            ));
            let _ = std::fs::remove_dir_all(&out);
        }
        assert!(
            files[0] == files[1],
            "case {k}: files differ between 1 and 2 threads"
        );
    }
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let out = temp_dir("bad");
    let o = out.to_str().unwrap();
    let cases: [(&[&str], &str); 7] = [
        (&["--metric", "response_25h"], "valid metrics: response_24h"),
        (
            &["--metric", "response_24h", "--params", "recepter"],
            "did you mean \"receptor\"",
        ),
        (
            &["--metric", "response_24h", "--params", "mechanisms.hnk"],
            "is a switch",
        ),
        (
            &["--metric", "response_24h", "--samples", "0"],
            "--samples 0",
        ),
        (
            &["--metric", "response_24h", "--samples", "1"],
            "at least 2 trajectories",
        ),
        (
            &[
                "--metric",
                "response_24h",
                "--method",
                "sobol",
                "--samples",
                "100",
            ],
            "power of two",
        ),
        (
            &["--metric", "response_28d", "--days", "2"],
            "too short for it",
        ),
    ];
    for (extra, want) in cases {
        let mut args = vec!["sensitivity", "ketamine-iv-single", "--out", o, "--quiet"];
        args.extend_from_slice(extra);
        let r = synsim(&args);
        assert_eq!(r.status.code(), Some(2), "{extra:?}: {}", stderr(&r));
        assert!(stderr(&r).contains(want), "{extra:?}: {}", stderr(&r));
    }
    assert!(!out.exists(), "nothing is written on bad input");
}

/// `synsim sensitivity …` lines of a fenced block in a Markdown file.
fn commands(md: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let l = line.trim();
        if fenced && (l.starts_with("synsim sensitivity") || !cur.is_empty()) {
            cur.push_str(l.trim_end_matches('\\'));
            cur.push(' ');
            if !l.ends_with('\\') {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    out
}

#[test]
fn the_lessons_sensitivity_commands_run() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let md = std::fs::read_to_string(root.join("docs/lessons/05-which-knob-matters.md"))
        .expect("lesson 5");
    let cmds = commands(&md);
    assert!(cmds.len() >= 3, "{cmds:?}");
    for (k, cmd) in cmds.iter().enumerate() {
        let cmd = cmd.split(" #").next().unwrap_or(cmd);
        let mut args: Vec<String> = Vec::new();
        let mut quoted = false;
        let mut word = String::new();
        for c in cmd.chars().skip("synsim ".len()) {
            match c {
                '"' => quoted = !quoted,
                ' ' if !quoted => {
                    if !word.is_empty() {
                        args.push(std::mem::take(&mut word));
                    }
                }
                c => word.push(c),
            }
        }
        if !word.is_empty() {
            args.push(word);
        }
        // The lesson's own --out is replaced by a temporary folder.
        if let Some(p) = args.iter().position(|a| a == "--out") {
            args.drain(p..(p + 2).min(args.len()));
        }
        let out = temp_dir(&format!("lesson-{k}"));
        args.extend(["--quiet".into(), "--out".into(), out.display().to_string()]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = synsim(&refs);
        assert!(o.status.success(), "`{cmd}`: {}", stderr(&o));
        assert!(out.join("sensitivity.csv").exists());
        let _ = std::fs::remove_dir_all(&out);
    }
}

#[test]
fn lesson_5_claims_hold() {
    // Section 2: the Morris screen of the varying parameters, seed 1.
    let out = temp_dir("lesson5-screen");
    let o = run_ok(&[
        "sensitivity",
        "ketamine-iv-single",
        "--metric",
        "response_24h",
        "--no-plot",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (head, rows) = csv(&out);
    let col = |name: &str| head.iter().position(|h| h == name).expect("column");
    let (param, mu_star, negligible) = (col("parameter"), col("mu_star"), col("negligible"));
    assert_eq!(rows.len(), 21, "the lesson screens 21 parameters");
    assert_eq!(rows[0][col("rank")], "1");
    assert_eq!(rows[0][param], "signalling.mtor_threshold", "rank 1");
    let next: Vec<&str> = rows[1..4].iter().map(|r| r[param].as_str()).collect();
    assert_eq!(
        next,
        [
            "patient.healthy_score",
            "symptom.placebo_gain",
            "signalling.ampa_gain"
        ],
        "ranks 2-4"
    );
    assert_eq!(rows[4][param], "receptor.interneuron_sensitivity", "rank 5");
    let mut zeros: Vec<&str> = rows
        .iter()
        .filter(|r| r[mu_star].parse::<f64>().unwrap() == 0.0)
        .map(|r| r[param].as_str())
        .collect();
    zeros.sort_unstable();
    assert_eq!(
        zeros,
        [
            "pk.escitalopram.cl_l_per_h",
            "pk.escitalopram.ka_per_h",
            "pk.escitalopram.v_l",
            "pk.esketamine.cl_l_per_h",
            "pk.esketamine.ka_per_h",
            "pk.esketamine.v1_l",
            "receptor.sert_ec50_ng_ml",
            "ssri.bdnf_gain",
        ],
        "parameters with mu* exactly 0"
    );
    let matter = rows.iter().filter(|r| r[negligible] == "false").count();
    assert_eq!(matter, 9, "non-negligible parameters");
    let caption = "9 parameters matter; 12 don't";
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(caption), "{text}");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert!(
        json["caption"].as_str().unwrap().contains(caption),
        "{}",
        json["caption"]
    );

    // Try this: the spray has its own PK; the racemate's is exactly 0, and
    // the swallowed share matters as much as the nasal absorption rate.
    let esk = mu_star_by_parameter("lesson5-esk-0", "esketamine-nasal", &[]);
    assert_eq!(
        esk["pk.ketamine.cl_l_per_h"], 0.0,
        "racemic clearance cannot matter"
    );
    assert_eq!(esk["pk.ketamine.v1_l"], 0.0, "racemic volume cannot matter");
    let mut ranked: Vec<(&String, &f64)> = esk.iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(a.1));
    assert_eq!(
        ranked[4].0, "pk.esketamine.cl_l_per_h",
        "rank 5: {ranked:?}"
    );
    let own = mu_star_by_parameter(
        "lesson5-esk-1",
        "esketamine-nasal",
        &["--params", "pk.esketamine,pk.noresketamine"],
    );
    let mut ranked: Vec<(&String, &f64)> = own.iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(a.1));
    let top: Vec<&str> = ranked[..3].iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        top,
        [
            "pk.esketamine.cl_l_per_h",
            "pk.esketamine.nasal_fraction",
            "pk.esketamine.f_oral"
        ]
    );
    assert!(own["pk.esketamine.f_oral"] > 3.0 * own["pk.esketamine.ka_per_h"]);
    let _ = std::fs::remove_dir_all(&out);
}

/// Lesson 5, section 3: the leading PK/receptor factors, and the three
/// "almost 0" values are solver noise (below 0.005) that tighter
/// population tolerances shrink 10 000-fold or more.
#[test]
fn lesson_5_stage_claims_hold() {
    let mu = |extra: &[&str]| {
        let tag = format!("lesson5-pk-{}", extra.len());
        let extra = [&["--params", "pk.ketamine,receptor"][..], extra].concat();
        let mu_star = mu_star_by_parameter(&tag, "ketamine-iv-single", &extra);
        assert_eq!(mu_star.len(), 21, "21 PK and receptor parameters");
        move |name: &str| mu_star[name]
    };
    let loose = mu(&[]);
    for (name, want) in [
        ("receptor.interneuron_sensitivity", 46.0),
        ("pk.ketamine.fu", 32.0),
        ("receptor.ki_s_ketamine_um", 23.0),
        ("pk.ketamine.cl_l_per_h", 23.0),
    ] {
        let got = loose(name);
        assert!((got - want).abs() < 0.5, "{name}: {got}");
    }
    for name in [
        "pk.ketamine.f_nasal",
        "pk.ketamine.f_oral",
        "receptor.sert_ec50_ng_ml",
        "receptor.dissociation_occ50",
        "receptor.dissociation_hill",
    ] {
        assert_eq!(loose(name), 0.0, "{name}");
    }
    let noise = [
        "receptor.dissociation_tolerance_gain_per_h",
        "receptor.dissociation_tolerance_tau_d",
        "pk.ketamine.ka_per_h",
        "pk.ketamine.first_pass_ratio",
    ];
    for name in noise {
        let v = loose(name);
        assert!(v > 0.0 && v < 0.005, "{name}: {v}");
    }
    for name in &noise[2..] {
        assert!(loose(name) < 1e-10, "{name}: {}", loose(name));
    }
    let tight = mu(&[
        "--set",
        "solver.population_rtol=1e-8",
        "--set",
        "solver.population_atol=1e-12",
    ]);
    for name in &noise[..2] {
        assert!(
            tight(name) * 1e4 <= loose(name),
            "{name}: {} {}",
            loose(name),
            tight(name)
        );
    }
    for name in &noise[2..] {
        assert!(tight(name) < 1e-10, "{name}: {}", tight(name));
    }
}

/// The caption `synsim sensitivity ketamine-iv-single` prints with `extra`.
fn caption_of(tag: &str, extra: &[&str]) -> String {
    let out = temp_dir(tag);
    let mut args = vec![
        "sensitivity",
        "ketamine-iv-single",
        "--no-plot",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = run_ok(&args);
    let _ = std::fs::remove_dir_all(&out);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    text.lines()
        .find(|l| l.contains("parameters matter"))
        .unwrap_or_default()
        .to_string()
}

/// Lesson 5, section 4 and "Try this": the dissociation's own knobs, the
/// fading expectancy by day 7, and another seed.
#[test]
fn lesson_5_other_outcomes_hold() {
    let out = temp_dir("lesson5-diss");
    run_ok(&[
        "sensitivity",
        "ketamine-iv-single",
        "--metric",
        "peak_dissociation",
        "--params",
        "pk.ketamine,receptor,signalling",
        "--no-plot",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (head, rows) = csv(&out);
    let col = |name: &str| head.iter().position(|h| h == name).expect("column");
    let (param, mu_star) = (col("parameter"), col("mu_star"));
    let mu = |name: &str| -> f64 {
        let r = rows.iter().find(|r| r[param] == name).expect(name);
        r[mu_star].parse().unwrap()
    };
    let top: Vec<&str> = rows[..5].iter().map(|r| r[param].as_str()).collect();
    assert_eq!(
        top,
        [
            "receptor.dissociation_occ50",
            "pk.ketamine.fu",
            "receptor.ki_s_ketamine_um",
            "receptor.dissociation_hill",
            "pk.ketamine.v1_l"
        ]
    );
    for (name, want) in [
        ("receptor.dissociation_occ50", 0.73),
        ("pk.ketamine.fu", 0.34),
        ("receptor.ki_s_ketamine_um", 0.33),
        ("receptor.dissociation_hill", 0.24),
        ("pk.ketamine.v1_l", 0.13),
    ] {
        assert!((mu(name) - want).abs() < 0.006, "{name}: {}", mu(name));
    }
    for r in rows.iter().filter(|r| r[param].starts_with("signalling.")) {
        let v: f64 = r[mu_star].parse().unwrap();
        assert!(v < 1e-6, "{}: {v}", r[param]);
    }
    assert!(mu("receptor.interneuron_sensitivity") < 1e-6);
    assert_eq!(mu("signalling.hnk_gain"), 0.0);
    assert_eq!(mu("signalling.hnk_ec50_ng_ml"), 0.0);
    let _ = std::fs::remove_dir_all(&out);

    assert!(caption_of("lesson5-7d", &["--metric", "response_7d"])
        .contains("8 parameters matter; 13 don't"));
    // Try this: the session's expectancy (μ* about 20 at 24 h) drops under
    // the negligible line by day 7.
    let dir = temp_dir("lesson5-7d-mu");
    run_ok(&[
        "sensitivity",
        "ketamine-iv-single",
        "--metric",
        "response_7d",
        "--no-plot",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let mu_star = |name: &str| cell(&dir, name, "mu_star").parse::<f64>().unwrap();
    let line = 0.05 * mu_star("signalling.mtor_threshold");
    let placebo = mu_star("symptom.placebo_gain");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        (2.0..line).contains(&placebo),
        "placebo_gain {placebo}, line {line}"
    );
    assert!(caption_of(
        "lesson5-seed2",
        &["--metric", "response_24h", "--seed", "2"]
    )
    .contains("10 parameters matter; 11 don't"));
}
