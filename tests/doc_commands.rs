//! The documentation keeps its promises:
//! - every `synsim …` command quoted in README.md, docs/GUIDE.md, docs/FAQ.md
//!   and docs/lessons/*.md runs and exits 0 (in order, in one scratch folder,
//!   so `synsim params --toml > my.toml` then `synsim run my.toml` works;
//!   populations capped at 200 patients to keep the test quick), and so does
//!   every `cargo run --release -- …` (the same command without installing);
//! - every other line of their shell blocks is either an example (run by
//!   tests/examples.rs) or listed in [`NOT_RUN`] with the reason, such as
//!   the line that installs Rust;
//! - every `--help` fits in 100 columns;
//! - the key "what to notice" statements of the lessons, the esketamine
//!   caption and example 05 hold for the model's output.

use std::path::{Path, PathBuf};
use std::process::Command;
use synsim::params::id;
use synsim::population::{self, Options, Population, Setup};
use synsim::run::{run, RunResult};
use synsim::scenario::Scenario;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files whose commands are run, in reading order.
fn files() -> Vec<PathBuf> {
    let mut v = vec![
        root().join("README.md"),
        root().join("docs/GUIDE.md"),
        root().join("docs/FAQ.md"),
    ];
    let mut lessons: Vec<PathBuf> = std::fs::read_dir(root().join("docs/lessons"))
        .expect("docs/lessons exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    lessons.sort();
    v.extend(lessons);
    v
}

/// `synsim …` command lines: lines of fenced blocks and inline code spans.
/// `cargo run --release -- …` is read as the `synsim …` it runs.
fn commands(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            let l = as_synsim(line.trim().trim_start_matches("$ "));
            if l.starts_with("synsim ") {
                out.push(strip_comment(&l));
            }
            continue;
        }
        for (k, span) in line.split('`').enumerate() {
            let span = as_synsim(span);
            if k % 2 == 1 && span.starts_with("synsim ") {
                out.push(span);
            }
        }
    }
    out
}

/// `cargo run --release -- ARGS` is `synsim ARGS` built from the checkout.
fn as_synsim(line: &str) -> String {
    match line.strip_prefix("cargo run --release -- ") {
        Some(args) => format!("synsim {args}"),
        None => line.to_string(),
    }
}

/// Lines of the shell blocks that no test runs, each with the reason. Every
/// other line of a ```sh block is a `synsim` command (or `cargo run --release
/// -- …`), run by [`every_documented_command_runs`] (which leaves out only
/// `serve`, a server that .ci/lab drives), or an example, run by
/// tests/examples.rs.
const NOT_RUN: [(&str, &str); 4] = [
    (
        "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh",
        "installs Rust: it downloads rustup's installer and runs it, which a test must never do",
    ),
    (
        "cargo test --release",
        "the test suite itself; .ci/run runs it",
    ),
    (
        "cargo install --path .",
        "installs synsim into ~/.cargo/bin, outside the checkout",
    ),
    (
        "cargo run --release -p xtask -- lab",
        "builds the WebAssembly page; .ci/lab runs it and tests the page in Chromium",
    ),
];

/// The lines of a markdown file's ```sh blocks, without shell comments.
fn shell_lines(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut sh = false;
    for line in md.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            sh = !sh && t == "```sh";
            continue;
        }
        if sh && !t.is_empty() {
            out.push(strip_comment(t));
        }
    }
    out
}

/// What runs a shell block's line, or `None` when nothing does and it is
/// not in [`NOT_RUN`].
fn runner(line: &str) -> Option<&'static str> {
    if as_synsim(line).starts_with("synsim ") {
        return Some("every_documented_command_runs");
    }
    if let Some(name) = line.strip_prefix("cargo run --release --example ") {
        return root()
            .join("examples")
            .join(format!("{name}.rs"))
            .is_file()
            .then_some("tests/examples.rs");
    }
    NOT_RUN.iter().find(|(l, _)| *l == line).map(|_| "nothing")
}

#[test]
fn every_shell_line_is_run_or_listed_as_not_run() {
    let mut unaccounted = Vec::new();
    let mut all = Vec::new();
    for f in files() {
        let md = std::fs::read_to_string(&f).expect("doc file");
        for line in shell_lines(&md) {
            if runner(&line).is_none() {
                unaccounted.push(format!("{}: {line}", f.display()));
            }
            all.push(line);
        }
    }
    assert!(
        unaccounted.is_empty(),
        "shell lines that no test runs; make them `synsim` commands or add them to NOT_RUN \
         with the reason:\n{}",
        unaccounted.join("\n")
    );
    // No stale entries: each line left unrun is still in the docs.
    for (line, why) in NOT_RUN {
        assert!(
            all.iter().any(|l| l == line),
            "NOT_RUN lists `{line}` ({why}), which no doc has"
        );
    }
}

#[test]
fn the_rust_install_line_is_never_run() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let curl: Vec<String> = shell_lines(&readme)
        .into_iter()
        .filter(|l| l.starts_with("curl "))
        .collect();
    assert_eq!(curl, [NOT_RUN[0].0], "README's Rust install line");
    assert_eq!(runner(&curl[0]), Some("nothing"));
    assert!(!commands(&readme).iter().any(|c| c.contains("rustup")));
    // `cargo run --release -- demo` is run, as `synsim demo`.
    assert!(commands(&readme).contains(&"synsim demo".to_string()));
}

/// Drops a trailing shell comment ("  # …") outside quotes.
fn strip_comment(line: &str) -> String {
    let mut quoted = false;
    let chars: Vec<char> = line.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted && i > 0 && chars[i - 1] == ' ' => {
                return chars[..i].iter().collect::<String>().trim_end().to_string();
            }
            _ => {}
        }
    }
    line.to_string()
}

/// Shell-like split on whitespace with double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut has = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                has = true;
            }
            c if c.is_whitespace() && !quoted => {
                if has {
                    out.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            c => {
                cur.push(c);
                has = true;
            }
        }
    }
    if has {
        out.push(cur);
    }
    out
}

/// A command ready to run: arguments after `synsim`, and where stdout goes.
#[derive(Debug, PartialEq)]
struct Plan {
    args: Vec<String>,
    stdout_to: Option<String>,
}

/// Turns a quoted command into a [`Plan`], or `None` for a template with
/// placeholders (`<stage>`, `…`). Populations are capped at 200 patients.
fn plan(cmd: &str) -> Option<Plan> {
    let mut w = words(cmd);
    if w.iter()
        .any(|s| s.starts_with('<') || s.ends_with('>') && s != ">" || s.contains('…'))
    {
        return None;
    }
    let mut stdout_to = None;
    if let Some(k) = w.iter().position(|s| s == ">") {
        stdout_to = w.get(k + 1).cloned();
        w.truncate(k);
    }
    if let Some(k) = w
        .iter()
        .position(|s| matches!(s.as_str(), "|" | "&&" | ";"))
    {
        w.truncate(k);
    }
    let mut args: Vec<String> = w.into_iter().skip(1).collect();
    // A server runs until it is stopped; .ci/lab drives `synsim serve`.
    if args.first().is_some_and(|a| a == "serve") {
        return None;
    }
    // Prose names a subcommand ("`synsim run` prints…"); those that need a
    // scenario are not commands on their own.
    if args.len() == 1
        && matches!(
            args[0].as_str(),
            "run"
                | "population"
                | "sweep"
                | "regimen"
                | "sensitivity"
                | "trial"
                | "synapses"
                | "kit"
        )
    {
        return None;
    }
    for k in 1..args.len() {
        if args[k - 1] == "--patients" {
            if let Ok(n) = args[k].parse::<u64>() {
                args[k] = n.min(200).to_string();
            }
        }
    }
    Some(Plan { args, stdout_to })
}

#[test]
fn plans_are_read_from_quoted_commands() {
    let p = plan("synsim params --toml > my.toml").unwrap();
    assert_eq!(p.args, ["params", "--toml"]);
    assert_eq!(p.stdout_to.as_deref(), Some("my.toml"));
    let p = plan("synsim population ketamine-iv-serial --patients 100000 --days 90").unwrap();
    assert_eq!(p.args[3], "200");
    let p =
        plan("synsim run placebo --regimen \"ketamine 0.5 mg/kg iv over 40 min once\"").unwrap();
    assert_eq!(p.args[3], "ketamine 0.5 mg/kg iv over 40 min once");
    assert!(plan("synsim explain <stage>").is_none());
    assert!(plan("synsim run").is_none());
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("synsim-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch folder");
    d
}

fn exec(plan: &Plan, cwd: &Path) -> Result<(), String> {
    let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(&plan.args)
        .current_dir(cwd)
        .output()
        .map_err(|e| e.to_string())?;
    if let Some(f) = &plan.stdout_to {
        std::fs::write(cwd.join(f), &o.stdout).map_err(|e| e.to_string())?;
    }
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "exit {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

#[test]
fn every_documented_command_runs() {
    let dir = scratch("doc-commands");
    let mut seen: Vec<String> = Vec::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    for f in files() {
        let md = std::fs::read_to_string(&f).expect("doc file");
        for cmd in commands(&md) {
            if seen.contains(&cmd) {
                continue;
            }
            seen.push(cmd.clone());
            let Some(p) = plan(&cmd) else { continue };
            ran += 1;
            let t = std::time::Instant::now();
            let res = exec(&p, &dir);
            if t.elapsed().as_secs_f64() > 3.0 {
                eprintln!("{:5.1} s  {cmd}", t.elapsed().as_secs_f64());
            }
            if let Err(e) = res {
                failures.push(format!("{} — `{cmd}`: {e}", f.display()));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(ran > 40, "only {ran} commands found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_help_fits_in_100_columns() {
    let subs = [
        "",
        "run",
        "compare",
        "synapses",
        "theories",
        "circuit",
        "population",
        "sweep",
        "regimen",
        "params",
        "explain",
        "list",
        "validate",
        "demo",
        "sensitivity",
        "serve",
        "kit",
    ];
    let mut long = Vec::new();
    for s in subs {
        let mut c = Command::new(env!("CARGO_BIN_EXE_synsim"));
        if !s.is_empty() {
            c.arg(s);
        }
        // A wide terminal must not widen the help either.
        let o = c
            .arg("--help")
            .env("COLUMNS", "200")
            .output()
            .expect("runs");
        assert!(o.status.success(), "synsim {s} --help");
        for l in String::from_utf8_lossy(&o.stdout).lines() {
            if l.chars().count() > 100 {
                long.push(format!("synsim {s} --help: {l}"));
            }
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}

fn with(name: &str, f: impl FnOnce(&mut Scenario)) -> RunResult {
    let mut s = Scenario::load(name).expect("built-in");
    s.dt_out_h = 2.0 / 60.0;
    f(&mut s);
    run(&s).expect("runs")
}

fn max_in(r: &RunResult, a_h: f64, b_h: f64, get: fn(&synsim::model::Observables) -> f64) -> f64 {
    r.rows
        .iter()
        .filter(|o| o.time_h >= a_h && o.time_h <= b_h)
        .map(get)
        .fold(f64::NEG_INFINITY, f64::max)
}

fn min_in(r: &RunResult, a_h: f64, b_h: f64, get: fn(&synsim::model::Observables) -> f64) -> f64 {
    r.rows
        .iter()
        .filter(|o| o.time_h >= a_h && o.time_h <= b_h)
        .map(get)
        .fold(f64::INFINITY, f64::min)
}

fn at(r: &RunResult, t_h: f64, get: fn(&synsim::model::Observables) -> f64) -> f64 {
    synsim::run::value_at(&r.rows, t_h, get).expect("inside the run")
}

/// Lesson 2: with disinhibition off, BDNF and mTOR fall (they do not rise),
/// glutamate does not surge, and the score is no better than with neither;
/// mTOR does not depend on the synaptogenesis switch.
#[test]
fn lesson_2_disinhibition_off_bdnf_falls() {
    let off = with("ketamine-iv-single", |s| {
        s.params.set(id::MECH_DISINHIBITION, 0.0).unwrap();
    });
    let before = at(&off, -0.5, |o| o.bdnf_rel);
    assert!(max_in(&off, 0.0, 48.0, |o| o.bdnf_rel) <= before + 1e-3);
    assert!(min_in(&off, 0.0, 6.0, |o| o.bdnf_rel) < before - 0.1);
    assert!(min_in(&off, 0.0, 6.0, |o| o.mtor_rel) < at(&off, -0.5, |o| o.mtor_rel) - 0.1);
    let glu0 = at(&off, -0.5, |o| o.glutamate_rel);
    assert!(max_in(&off, 0.0, 48.0, |o| o.glutamate_rel) <= glu0 + 1e-3);
    let neither = with("ketamine-iv-single", |s| {
        s.params.set(id::MECH_DISINHIBITION, 0.0).unwrap();
        s.params.set(id::MECH_SYNAPTOGENESIS, 0.0).unwrap();
    });
    let best = |r: &RunResult| min_in(r, 0.0, 28.0 * 24.0, |o| o.symptom_score);
    assert!(best(&off) >= best(&neither) - 0.05);
    let all = with("ketamine-iv-single", |_| {});
    let no_syn = with("ketamine-iv-single", |s| {
        s.params.set(id::MECH_SYNAPTOGENESIS, 0.0).unwrap();
    });
    for (a, b) in all.rows.iter().zip(&no_syn.rows) {
        assert!((a.mtor_rel - b.mtor_rel).abs() < 1e-3);
    }
    // ... while the synapse density does depend on it.
    assert!(max_in(&all, 0.0, 672.0, |o| o.synapse_density_rel) > 0.85);
    assert!(max_in(&no_syn, 0.0, 672.0, |o| o.synapse_density_rel) < 0.81);
}

fn dose(mg_kg: f64, minutes: f64) -> RunResult {
    with("ketamine-iv-single", |s| {
        s.set_regimen(&format!(
            "ketamine {mg_kg} mg/kg iv over {minutes} min once"
        ))
        .unwrap();
    })
}

/// Lesson 4: occupancy saturates, dissociation rises much more steeply at
/// low doses and then saturates too, while the response keeps growing; a
/// slower infusion lowers the side effect at about the same benefit.
#[test]
fn lesson_4_dose_claims_hold() {
    let peak = |r: &RunResult, f: fn(&synsim::model::Observables) -> f64| max_in(r, 0.0, 48.0, f);
    let runs: Vec<RunResult> = [0.1, 0.25, 0.5, 1.0]
        .iter()
        .map(|d| dose(*d, 40.0))
        .collect();
    let occ: Vec<f64> = runs.iter().map(|r| peak(r, |o| o.occupancy.nmda)).collect();
    let dis: Vec<f64> = runs.iter().map(|r| peak(r, |o| o.dissociation)).collect();
    let s24: Vec<f64> = runs
        .iter()
        .map(|r| at(r, 24.0, |o| o.symptom_score))
        .collect();
    assert!(occ[2] / occ[0] < 5.0, "occupancy saturates: {occ:?}");
    assert!(dis[2] / dis[0] > 2.0 * occ[2] / occ[0], "{dis:?} {occ:?}");
    assert!(dis[0] < 0.1 && dis[2] > 0.3 && dis[3] > 0.5, "{dis:?}");
    assert!(
        s24[0] > s24[1] && s24[1] > s24[2] && s24[2] > s24[3],
        "{s24:?}"
    );
    // Dissociation flattens above 0.5 mg/kg (its rise per mg/kg falls to
    // under half of that between 0.25 and 0.5) while the score keeps falling.
    assert!(
        (dis[3] - dis[2]) / 0.5 < 0.5 * (dis[2] - dis[1]) / 0.25,
        "{dis:?}"
    );
    assert!(s24[2] - s24[3] > 3.0, "{s24:?}");
    // Mostly gone within two hours.
    assert!(at(&runs[2], 2.0, |o| o.dissociation) < 0.25 * dis[2]);
    // The same dose over 100 minutes.
    let slow = dose(0.5, 100.0);
    let p = |r: &RunResult| peak(r, |o| o.plasma.ketamine);
    // "falls by about a third"
    assert!(
        (0.55..0.75).contains(&(p(&slow) / p(&runs[2]))),
        "{}",
        p(&slow) / p(&runs[2])
    );
    assert!(peak(&slow, |o| o.dissociation) < dis[2] - 0.1);
    assert!((at(&slow, 24.0, |o| o.symptom_score) - s24[2]).abs() < 2.0);
    // 1.5 mg/kg holds the score within half a point of the healthy floor
    // for days.
    let high = dose(1.5, 40.0);
    let floor = high.scenario.params[id::HEALTHY_SCORE];
    let near: Vec<f64> = high
        .rows
        .iter()
        .filter(|o| o.symptom_score < floor + 0.5)
        .map(|o| o.time_h)
        .collect();
    let span = near.last().unwrap_or(&0.0) - near.first().unwrap_or(&0.0);
    assert!(span > 48.0, "near the floor for {span} h");
}

/// Lesson 3: maintenance every two weeks keeps the score lower between
/// infusions than every four weeks, and eight weeks apart is little better
/// than no maintenance.
#[test]
fn lesson_3_maintenance_claims_hold() {
    let course = |tail: &str| {
        with("ketamine-maintenance", |s| {
            s.dt_out_h = 1.0;
            s.set_regimen(&format!(
                "ketamine 0.5 mg/kg iv over 40 min on mon,wed,fri x 6{tail}"
            ))
            .unwrap();
        })
    };
    let mean = |r: &RunResult| {
        let v: Vec<f64> = r
            .rows
            .iter()
            .filter(|o| o.time_h >= 40.0 * 24.0 && o.time_h <= 110.0 * 24.0)
            .map(|o| o.symptom_score)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let (w2, w4, w8, none) = (
        course(" then every 2 w x 7"),
        course(" then every 4 w x 3"),
        course(" then every 8 w x 2"),
        course(""),
    );
    assert!(mean(&w2) < mean(&w4) - 3.0, "{} {}", mean(&w2), mean(&w4));
    assert!(mean(&w4) < mean(&none));
    assert!(mean(&none) - mean(&w8) < mean(&none) - mean(&w4));
}

/// docs/MODEL.md 3.4, FAQ and lesson 4: the glutamate peak levels off above
/// about 1 mg/kg (+32, +33, +31 % at 1, 2, 5 mg/kg), shrinks slightly at
/// 5 mg/kg and never falls below baseline.
#[test]
fn glutamate_peak_levels_off_at_high_doses() {
    let rise = |mg_kg: f64| {
        let r = dose(mg_kg, 40.0);
        let base = r.rows[0].glutamate_rel;
        max_in(&r, 0.0, 24.0, |o| o.glutamate_rel) / base - 1.0
    };
    let v: Vec<f64> = [0.25, 0.5, 1.0, 2.0, 5.0]
        .iter()
        .map(|d| rise(*d))
        .collect();
    for (got, want) in v.iter().zip([0.22, 0.28, 0.32, 0.33, 0.31]) {
        assert!((got - want).abs() < 0.01, "{v:?}");
    }
    assert!(v[4] < v[3] && v[4] > 0.0, "{v:?}");
}

/// README.md's "One run" console block is what `synsim run
/// ketamine-iv-single` prints.
#[test]
fn readme_console_block_is_the_real_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = "$ cargo run --release -- run ketamine-iv-single\n";
    let block = &readme[readme.find(start).expect("README console block") + start.len()..];
    let block = &block[..block.find("```").unwrap()];
    let dir = scratch("readme-run");
    let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(["run", "ketamine-iv-single", "--no-plot", "--out"])
        .arg(dir.join("o"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let got = String::from_utf8_lossy(&o.stdout);
    let summary = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with("wrote "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(summary(block), summary(&got));
}

/// docs/FAQ.md: a 56 mg nasal esketamine session blocks about as many NMDA
/// receptors as 0.5 mg/kg of ketamine over 40 minutes.
#[test]
fn nasal_esketamine_blocks_like_an_infusion() {
    let peak = |r: &RunResult| max_in(r, 0.0, 24.0, |o| o.occupancy.nmda);
    let esk = peak(&dose_with("esketamine 56 mg nasal once"));
    let ket = peak(&dose_with("ketamine 0.5 mg/kg iv over 40 min once"));
    assert!((esk / ket - 1.0).abs() < 0.15, "{esk} vs {ket}");
}

/// docs/MODEL.md section 7.1: a 0.5 mg/kg bolus peaks at about 230 ng/mL
/// at once, above the infusion's 167 ng/mL.
#[test]
fn bolus_peak_claim_holds() {
    let bolus = dose_with("ketamine 0.5 mg/kg iv bolus once");
    let infusion = dose_with("ketamine 0.5 mg/kg iv over 40 min once");
    let peak = |r: &RunResult| r.summary.peak_plasma_ng_ml["ketamine"];
    let (b, i) = (peak(&bolus), peak(&infusion));
    assert!(
        (215.0..245.0).contains(&b.value) && b.time_h.abs() < 1e-9,
        "{b:?}"
    );
    assert!((155.0..180.0).contains(&i.value), "{i:?}");
}

fn dose_with(regimen: &str) -> RunResult {
    with("ketamine-iv-single", |s| s.set_regimen(regimen).unwrap())
}

/// Lesson 1: the model's TRANSFORM arm responds far more often than the
/// trial's, at 24 h (pooled 17.3 %) and on day 28 (69.3 %).
#[test]
fn lesson_1_transform_arm_outdoes_the_trial() {
    let pop = population_of("esketamine-nasal", "esketamine 56 mg nasal once then 84 mg twice weekly x 7 + escitalopram 10 mg oral daily for 4 w", 28.0, 500);
    let sum = pop.summary();
    let (r24, r28) = (sum.response[0].value, sum.response[2].value);
    assert!(r24 > 0.173 + 0.1, "24 h {r24}");
    assert!(r28 > 0.693 + 0.1, "day 28 {r28}");
}

/// `synsim population NAME --regimen R --days D --patients N` (seed 1), as
/// the lessons quote it.
fn population_of(name: &str, regimen: &str, days: f64, patients: u64) -> Population {
    let mut s = Scenario::load(name).unwrap();
    s.set_regimen(regimen).unwrap();
    s.days = days;
    let opt = Options {
        patients,
        seed: 1,
        bands: false,
        individuals: 0,
        acute_dissociation: false,
        ..Options::default()
    };
    population::run(Setup::new(s).unwrap(), &opt, &|_| {}).unwrap()
}

/// Lesson 3: after a switch to a placebo pill at week 12 about one in six
/// of synsim's responders relapse and almost nobody who continues
/// (`synsim trial ssri-withdrawal`); stopping every pill after 24 weeks,
/// half of the responders relapse within about a month (the quoted
/// `synsim population` command's median relapse).
#[test]
fn lesson_3_relapse_claims_hold() {
    use synsim::trial::{analyse, run, TrialSpec};
    let spec = TrialSpec::load("ssri-withdrawal").unwrap();
    let a = analyse(&spec, &run(&spec, spec.patients_per_arm, 1).unwrap());
    let p = spec.primary_index();
    let (kept, gone) = (
        1.0 - a.visits[0][p].response.p,
        1.0 - a.visits[1][p].response.p,
    );
    assert!((0.12..=0.22).contains(&gone), "one in six: {gone}");
    assert!(kept < 0.05, "almost nobody: {kept}");

    let pop = population_of(
        "ssri-escitalopram",
        "escitalopram 10 mg oral daily for 24 w",
        534.0,
        1000,
    );
    let median = pop.summary().relapse_d.value;
    assert!((20.0..=40.0).contains(&median), "about a month: {median} d");
}

/// Lesson 1, section 4: the densities the spine picture shows for ketamine
/// and the SSRI at 1 d, 4 w and 8 w (whole percent and spines, as drawn).
#[test]
fn lesson_1_spine_picture_numbers_hold() {
    use synsim::plot::synapse::{spines_for, GRID_HEALTHY_SPINES};
    let density = |name: &str, t_h: f64| {
        let mut s = Scenario::load(name).unwrap();
        s.days = 60.0;
        synsim::run::observe_at(&s, &[t_h]).unwrap()[0].synapse_density_rel
    };
    let pct = |name: &str, t_h: f64| (100.0 * density(name, t_h)).round() as i64;
    let (ket, ssri) = ("ketamine-iv-single", "ssri-escitalopram");
    let (k1, s1, s0) = (pct(ket, 24.0), pct(ssri, 24.0), pct(ssri, 0.0));
    let (k4, s4, k8, s8) = (
        pct(ket, 672.0),
        pct(ssri, 672.0),
        pct(ket, 1344.0),
        pct(ssri, 1344.0),
    );
    let spines = spines_for(density(ket, 24.0), GRID_HEALTHY_SPINES);
    let lesson = std::fs::read_to_string(root().join("docs/lessons/01-why-hours-not-weeks.md"))
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for claim in [
        format!(
            "the ketamine row is at {k1} % of healthy ({spines} of {GRID_HEALTHY_SPINES} spines)"
        ),
        format!("the SSRI row is still at {s1} %, where the untreated patient started"),
        format!("still behind at 4 weeks ({s4} % against ketamine's {k4} %)"),
        format!("by 8 weeks it has caught up ({s8} %)"),
        format!("have faded back to {k8} %"),
    ] {
        assert!(lesson.contains(&claim), "lesson 1 should say: {claim}");
    }
    assert_eq!(s1, s0, "the SSRI row moved in the first day");
    // "caught up": level with the faded infusion, within a point.
    assert!(k1 > s1 && s4 < k4 && (s8 - k8).abs() <= 1);
    // "small": the SSRI's gain at 8 weeks is a fraction of the day-1 gain
    // of one infusion.
    assert!(s8 - s0 < k1 - s0, "SSRI {s8} against ketamine {k1}");
}

/// Lesson 3, section 3: after the course the typical patient relapses but
/// settles below its untreated score; faster consolidation lasts longer
/// and settles lower.
#[test]
fn lesson_3_lasting_recovery_claims_hold() {
    let course = |tau: Option<f64>| {
        with("ketamine-iv-serial", |s| {
            s.dt_out_h = 1.0;
            s.days = 180.0;
            if let Some(t) = tau {
                s.apply_overrides(&[format!("synapse.consolidation_tau_d={t}")])
                    .unwrap();
            }
        })
    };
    let (default, fast) = (course(None), course(Some(20.0)));
    let base = default.reference.baseline_score;
    let last = |r: &RunResult| r.rows.last().unwrap().symptom_score;
    let relapse = |r: &RunResult| r.summary.relapse_after_last_dose_d.unwrap_or(f64::NAN);
    assert!(
        (10.0..=20.0).contains(&relapse(&default)),
        "{}",
        relapse(&default)
    );
    assert!(base - last(&default) > 4.0, "settles at {}", last(&default));
    assert!(
        last(&default) > default.reference.response_score,
        "{}",
        last(&default)
    );
    // Fast consolidation may keep the response to the end of the run (no
    // relapse to report): that lasts longer still.
    assert!(fast.summary.best_score.value <= fast.reference.response_score);
    let fast_relapse = fast
        .summary
        .relapse_after_last_dose_d
        .unwrap_or(f64::INFINITY);
    assert!(fast_relapse > relapse(&default) + 7.0, "{fast_relapse}");
    assert!(last(&fast) < last(&default) - 3.0, "{}", last(&fast));
    // Most of the settled fall is consolidation, a little the natural course.
    let no_course = with("ketamine-iv-serial", |s| {
        s.dt_out_h = 1.0;
        s.days = 180.0;
        s.apply_overrides(&["mechanisms.natural_course=false".into()])
            .unwrap();
    });
    let (all, consolidated) = (base - last(&default), base - last(&no_course));
    assert!(
        consolidated > 4.0 && consolidated > 0.5 * all && consolidated < all,
        "{consolidated} of {all}"
    );
}

/// The esketamine caption: weekly sessions keep the score within a few
/// points of the healthy floor; by the two-weekly phase the recovery has
/// consolidated and the score stays below the response line.
#[test]
fn esketamine_caption_matches_the_model() {
    let r = with("esketamine-nasal", |s| s.dt_out_h = 1.0);
    let floor = r.scenario.params[id::HEALTHY_SCORE];
    let score = |o: &synsim::model::Observables| o.symptom_score;
    let weekly = max_in(&r, 30.0 * 24.0, 52.0 * 24.0, score);
    assert!(weekly < floor + 4.0, "{weekly}");
    let before_last = max_in(&r, 100.0 * 24.0, 108.4 * 24.0, score);
    assert!(before_last < r.reference.response_score, "{before_last}");
    let note = &r.scenario.teaching_note;
    assert!(note.contains("stays below the response line"), "{note}");
}

/// Example 05: blocking interneurons alone raises E, and I less than E.
#[test]
fn example_05_claim_holds() {
    let p = synsim::params::Params::default();
    let c = synsim::circuit::Circuit::new(&p);
    let rest = c.fixed_point((0.03, 0.02));
    for occ in [0.25, 0.5, 0.75] {
        let b = c
            .with_block(0.0, occ, 1.0, p[id::NMDA_FRAC_EXC], p[id::NMDA_FRAC_INH])
            .fixed_point(rest);
        assert!(b.0 > rest.0);
        assert!(b.1 / b.0 < rest.1 / rest.0);
    }
}

/// Lesson 1 (synaptogenesis off), lesson 2 (both on; disinhibition off) and
/// the ketamine-iv-single teaching note: how long each effect lasts.
#[test]
fn lesson_1_and_2_durations_hold() {
    let score = |o: &synsim::model::Observables| o.symptom_score;
    // Synaptogenesis off: about two-thirds of the best drop is left at
    // 24 h, almost none by day 3, and no synapses are rebuilt.
    let no_syn = with("ketamine-iv-single", |s| {
        s.params.set(id::MECH_SYNAPTOGENESIS, 0.0).unwrap();
    });
    let base = at(&no_syn, -0.5, score);
    let drop = base - min_in(&no_syn, 0.0, 24.0, score);
    let left_24 = (base - at(&no_syn, 24.0, score)) / drop;
    let left_72 = (base - at(&no_syn, 72.0, score)) / drop;
    assert!((0.55..0.75).contains(&left_24), "{left_24}");
    assert!(left_72 < 0.15, "{left_72}");
    // Both on: half of the spine gain is still there after two weeks, and
    // the response lasts about three days.
    let all = with("ketamine-iv-single", |_| {});
    let syn0 = at(&all, -0.5, |o| o.synapse_density_rel);
    let gain = max_in(&all, 0.0, 14.0 * 24.0, |o| o.synapse_density_rel) - syn0;
    let half = (at(&all, 14.0 * 24.0, |o| o.synapse_density_rel) - syn0) / gain;
    assert!((0.4..0.6).contains(&half), "{half}");
    let responding_d = all.summary.days_in_response;
    assert!((2.0..4.0).contains(&responding_d), "{responding_d} d");
    assert_eq!(all.summary.response_episodes, 1);
    // Disinhibition off: most of the mTOR dip is over within a few hours,
    // all of it within two days.
    let off = with("ketamine-iv-single", |s| {
        s.params.set(id::MECH_DISINHIBITION, 0.0).unwrap();
    });
    let m0 = at(&off, -0.5, |o| o.mtor_rel);
    let dip = m0 - min_in(&off, 0.0, 48.0, |o| o.mtor_rel);
    assert!(m0 - at(&off, 4.0, |o| o.mtor_rel) < 0.5 * dip);
    assert!(m0 - at(&off, 48.0, |o| o.mtor_rel) < 0.02 * dip);
}

/// Lesson 3, GUIDE and `--help`: with longer-lived spines
/// (`synapse.turnover_d=30`, default 18) the response lasts longer after
/// the last infusion.
#[test]
fn longer_lived_spines_keep_the_response_longer() {
    let lost = |r: &RunResult| r.summary.relapse_after_last_dose_d;
    let default = with("ketamine-iv-serial", |_| {});
    let longer = with("ketamine-iv-serial", |s| {
        s.params.set(id::SYN_TURNOVER, 30.0).unwrap();
    });
    let (a, b) = (lost(&default).unwrap(), lost(&longer).unwrap());
    assert!(b > a + 5.0, "{a} d vs {b} d");
}

/// The dashboard's glutamate panel remark: before a dose, a depressed
/// patient's cells fire more than a healthy circuit's (dotted lines above
/// 1) on less tissue transmitter (solid lines below 1).
#[test]
fn depressed_circuit_fires_more_on_less_transmitter() {
    let r = with("ketamine-iv-single", |_| {});
    let (e0, i0) = synsim::circuit::Circuit::new(&r.scenario.params).fixed_point((0.03, 0.02));
    let before = |f: fn(&synsim::model::Observables) -> f64| at(&r, -0.5, f);
    assert!(before(|o| o.exc_activity) / e0 > 1.05);
    assert!(before(|o| o.inh_activity) / i0 > 1.05);
    assert!(before(|o| o.glutamate_rel) < 1.0);
    assert!(before(|o| o.gaba_rel) < 0.95);
}

/// Lesson 1, section 3 and its "try this" rows: the SSRI course beside a
/// placebo pill. Both fall from the first week; the drug's own part (the
/// gap) is about 2 points by week 12, less than the pill's own fall, and
/// opens only over weeks; without synaptogenesis the course is the placebo
/// pill's; without the autoreceptor brake the drug's part at week 4 is
/// about three times as large (the score about 2 points lower); faster
/// desensitisation starts the drug's part a little earlier.
#[test]
fn lesson_1_ssri_beside_a_placebo_pill() {
    let score = |o: &synsim::model::Observables| o.symptom_score;
    let hourly = |f: &dyn Fn(&mut Scenario)| {
        with("ssri-escitalopram", |s| {
            s.dt_out_h = 1.0;
            f(s)
        })
    };
    let ssri = hourly(&|_| {});
    let pill = hourly(&|s| s.set_regimen("placebo oral daily for 12 w").unwrap());
    let day = |r: &RunResult, d: f64| at(r, d * 24.0, score);
    let base = day(&ssri, 0.0);
    assert!(base - day(&ssri, 7.0) > 1.0 && base - day(&pill, 7.0) > 1.0);
    let gap = |d: f64| day(&pill, d) - day(&ssri, d);
    assert!(
        (1.5..=2.5).contains(&gap(84.0)) && gap(84.0) < base - day(&pill, 84.0),
        "gap at week 12 {}",
        gap(84.0)
    );
    assert!(gap(7.0) < 0.25 * gap(84.0), "gap at week 1 {}", gap(7.0));
    let no_syn = hourly(&|s| s.params.set(id::MECH_SYNAPTOGENESIS, 0.0).unwrap());
    for d in [7.0, 28.0, 84.0] {
        assert!((day(&no_syn, d) - day(&pill, d)).abs() < 0.2, "day {d}");
    }
    let no_brake = hourly(&|s| s.params.set(id::SSRI_AUTO_GAIN, 0.0).unwrap());
    let lower = day(&ssri, 28.0) - day(&no_brake, 28.0);
    assert!(
        (1.5..=2.5).contains(&lower),
        "no brake, week 4: {lower} lower"
    );
    let part = day(&pill, 28.0) - day(&no_brake, 28.0);
    assert!(
        (2.5..=3.5).contains(&(part / gap(28.0))),
        "{part} vs {}",
        gap(28.0)
    );
    let fast = hourly(&|s| s.params.set(id::SSRI_DESENS_TAU, 3.0).unwrap());
    let gap_fast = day(&pill, 14.0) - day(&fast, 14.0);
    assert!(gap_fast > day(&pill, 14.0) - day(&ssri, 14.0));
    assert!(
        day(&fast, 28.0) < day(&fast, 14.0) - 1.0,
        "still takes weeks"
    );
}

/// docs/MODEL.md section 7.2: three to four weeks after one infusion the
/// typical patient's own improvement is about the relapse line of 25 %
/// (18 % at day 28, `synsim run ketamine-iv-single --days 28`).
#[test]
fn single_infusion_improvement_at_day_28_is_near_the_relapse_line() {
    let r = with("ketamine-iv-single", |s| s.days = 28.0);
    let first = r.rows.first().unwrap().symptom_score;
    let last = r.rows.last().unwrap();
    assert!((last.time_h - 28.0 * 24.0).abs() < 1e-9);
    let improvement = 100.0 * (1.0 - last.symptom_score / first);
    let text =
        format!("({improvement:.0} % at day 28 in `synsim run ketamine-iv-single --days 28`)");
    assert!(
        std::fs::read_to_string(root().join("docs/MODEL.md"))
            .unwrap()
            .replace('\n', " ")
            .contains(&text),
        "MODEL.md should say: {text}"
    );
}
