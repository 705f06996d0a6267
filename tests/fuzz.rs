//! A seeded, bounded property test over what users type: regimen notation,
//! scenario files (generated TOML text), `--set NAME=VALUE` and the figure
//! options (`--title`, `--size`, `--font-scale`, `--style`, `--panels`). For every
//! input: no panic, errors are the typed input errors (`RegimenError`,
//! `ScenarioError`), every accepted value is inside its valid range, and the
//! same input gives the same answer twice. A few hundred inputs also go
//! through the binary, which must exit 0 or 2, never crash.
//!
//! The generator is hand-rolled on `rand_pcg` (fixed seeds), so a failure
//! reproduces exactly; it prints the offending input.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::{Command, Output};
use synsim::params::REGISTRY;
use synsim::regimen::Regimen;
use synsim::scenario::Scenario;

struct Gen(Pcg64Mcg);

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen(Pcg64Mcg::seed_from_u64(seed))
    }

    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Mostly one of `good`, sometimes one of `bad`.
    fn mostly<'a>(&mut self, good: &[&'a str], bad: &[&'a str]) -> &'a str {
        if self.chance(88) {
            self.pick(good)
        } else {
            self.pick(bad)
        }
    }

    /// Mostly a plausible positive number, sometimes an odd one.
    fn plausible(&mut self) -> String {
        if self.chance(85) {
            format!("{}", (1 + self.below(400)) as f64 / 4.0)
        } else {
            self.number()
        }
    }

    /// A number as a person (or a fuzzer) might write it.
    fn number(&mut self) -> String {
        match self.below(12) {
            0 => "0".into(),
            1 => "-1".into(),
            2 => "1e308".into(),
            3 => "NaN".into(),
            4 => "inf".into(),
            5 => "0.0001".into(),
            6 => format!("{}", self.below(100_000)),
            7 => ".5".into(),
            8 => "1.5.2".into(),
            _ => format!("{:.3}", self.below(10_000) as f64 / 100.0),
        }
    }
}

const DRUGS: &[&str] = &[
    "ketamine",
    "esketamine",
    "escitalopram",
    "placebo",
    "saline",
];
const BAD_DRUGS: &[&str] = &["ketamin", "", "aspirin"];
const UNITS: &[&str] = &["mg", "mg/kg", "ug", "g"];
const BAD_UNITS: &[&str] = &["mg/lb", "", "µg", "ml"];
const ROUTES: &[&str] = &["iv", "iv bolus", "iv over 40 min", "nasal", "oral", "po"];
const BAD_ROUTES: &[&str] = &["iv over 0.5 s", "iv infusion", "", "rectal"];
const SCHEDULES: &[&str] = &[
    "once",
    "every 3.5 d",
    "daily",
    "weekly",
    "twice weekly",
    "bid",
    "q12h",
    "on mon,wed,fri",
    "monthly",
];
const BAD_SCHEDULES: &[&str] = &["every 1 s", "q0h", "on mon wed fry", "every", "sometimes"];
const COUNTS: &[&str] = &["x 6", "x 2", "for 4 w", "for 10 d"];
const BAD_COUNTS: &[&str] = &["x 0", "x 2.5", "for 0 d", "x 99999999", ""];
const TIME_UNITS: &[&str] = &["min", "h", "d", "w"];
const BAD_TIME_UNITS: &[&str] = &["s", "months", "parsecs", ""];

/// A regimen text from the grammar's words, sometimes mangled.
/// Runs the binary with `args` and `--out out`.
fn run_out<S: AsRef<std::ffi::OsStr>>(args: &[S], out: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn regimen_text(g: &mut Gen) -> String {
    let phases = 1 + g.below(3);
    let mut parts = Vec::new();
    for _ in 0..phases {
        let mut w: Vec<String> = vec![g.mostly(DRUGS, BAD_DRUGS).to_string()];
        if g.chance(85) {
            w.push(format!("{} {}", g.plausible(), g.mostly(UNITS, BAD_UNITS)));
        }
        w.push(g.mostly(ROUTES, BAD_ROUTES).to_string());
        if g.chance(15) {
            w.push(format!(
                "after {} {}",
                g.plausible(),
                g.mostly(TIME_UNITS, BAD_TIME_UNITS)
            ));
        }
        w.push(g.mostly(SCHEDULES, BAD_SCHEDULES).to_string());
        w.push(g.mostly(COUNTS, BAD_COUNTS).to_string());
        parts.push(w.join(" "));
    }
    let mut text = parts.join(" then ");
    if g.chance(10) {
        // Mangle: insert, delete or duplicate a character.
        let chars: Vec<char> = text.chars().collect();
        let at = g.below(chars.len() + 1);
        let junk = ['x', ',', ' ', 'é', '\t', '0', '.', '\n'];
        let mut out: Vec<char> = chars.clone();
        match g.below(3) {
            0 => out.insert(at, junk[g.below(junk.len())]),
            1 if at < out.len() => {
                out.remove(at);
            }
            _ => out.extend(chars.iter().take(at)),
        }
        text = out.into_iter().collect();
    }
    text
}

fn no_panic<T>(what: &str, input: &str, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(_) => panic!("{what} panicked on input:\n{input}"),
    }
}

#[test]
fn regimen_notation_never_panics_and_round_trips() {
    let mut g = Gen::new(8);
    let (mut ok, mut err) = (0, 0);
    for _ in 0..4000 {
        let text = regimen_text(&mut g);
        let first = no_panic("Regimen::parse", &text, || Regimen::parse(&text));
        let again = Regimen::parse(&text);
        assert_eq!(first, again, "not deterministic: {text:?}");
        match first {
            Ok(r) => {
                ok += 1;
                let canon = r.to_notation();
                let back = Regimen::parse(&canon)
                    .unwrap_or_else(|e| panic!("{text:?} -> {canon:?} does not parse: {e}"));
                assert_eq!(back, r, "{text:?} -> {canon:?}");
                let doses = r.expand();
                assert!(doses.len() <= 10_000, "{text:?}");
                assert!(
                    doses.windows(2).all(|w| w[0].time_h <= w[1].time_h),
                    "{text:?}"
                );
            }
            Err(e) => {
                err += 1;
                assert!(!e.message.is_empty(), "{text:?}");
                assert!(e.offset <= text.len(), "{text:?}");
                let _ = e.to_string();
            }
        }
    }
    assert!(
        ok > 300 && err > 300,
        "generator too narrow: {ok} ok, {err} errors"
    );
}

/// A scenario file from fields, parameters, regimen knobs and
/// `[variability]` entries, valid and not.
fn scenario_text(g: &mut Gen) -> String {
    let mut t = String::new();
    if g.chance(95) {
        t.push_str("title = \"t\"\n");
    }
    t.push_str("teaching_note = \"n\"\n");
    if g.chance(40) {
        t.push_str(&format!("days = {}\n", g.plausible()));
    }
    if g.chance(30) {
        t.push_str(&format!(
            "dt_out = \"{} {}\"\n",
            g.plausible(),
            g.mostly(TIME_UNITS, BAD_TIME_UNITS)
        ));
    }
    if g.chance(10) {
        t.push_str("dayz = 3\n");
    }
    if g.chance(30) {
        t.push_str(&format!(
            "[patient]\nstate = \"{}\"\nweight = \"{} {}\"\n",
            g.mostly(&["depressed", "healthy"], &["sad"]),
            30 + g.below(100),
            g.mostly(&["kg", "lb"], &[""])
        ));
    }
    if g.chance(70) {
        t.push_str(&format!(
            "[regimen]\nnotation = {:?}\n",
            regimen_text(g).replace('\n', " ")
        ));
    }
    t.push_str("[params]\n");
    for _ in 0..g.below(3) {
        let name = match g.below(8) {
            0 => "regimen.dose".to_string(),
            1 => format!(
                "regimen.phase{}.{}",
                g.below(4),
                g.pick(&["interval_d", "dose", "infusion_min", "x"])
            ),
            2 => "pk.ketamine.fuu".to_string(),
            _ => REGISTRY[g.below(REGISTRY.len())].name.to_string(),
        };
        let value = match g.below(5) {
            0 => g
                .pick(&["true", "false", "\"0.3\"", "\"abc\"", "nan"])
                .to_string(),
            1 => g.number(),
            _ => format!("{}", g.below(100) as f64 / 100.0),
        };
        t.push_str(&format!("{name:?} = {value}\n"));
    }
    t.push_str("[variability]\n");
    for _ in 0..g.below(2) {
        let name = REGISTRY[g.below(REGISTRY.len())].name;
        let value = match g.below(5) {
            0 => "\"none\"".to_string(),
            1 => format!(
                "{{ dist = \"lognormal\", cv = {} }}",
                g.below(40) as f64 / 10.0
            ),
            2 => format!(
                "{{ dist = \"normal\", sd = {}, lo = {}, hi = {} }}",
                g.number(),
                g.number(),
                g.number()
            ),
            3 => format!(
                "{{ dist = \"uniform\", lo = {}, hi = {}{} }}",
                g.number(),
                g.number(),
                if g.chance(20) { ", cv = 1" } else { "" }
            ),
            _ => format!("{{ dist = {:?} }}", g.pick(&["gamma", "", "normal"])),
        };
        t.push_str(&format!("{name:?} = {value}\n"));
    }
    t
}

#[test]
fn scenario_files_never_panic_and_accept_only_valid_values() {
    let mut g = Gen::new(88);
    let (mut ok, mut err) = (0, 0);
    for _ in 0..1500 {
        let text = scenario_text(&mut g);
        let r = no_panic("Scenario::from_toml", &text, || {
            Scenario::from_toml(&text, "fuzz", "fuzz.toml")
        });
        let again = Scenario::from_toml(&text, "fuzz", "fuzz.toml");
        assert_eq!(
            r.as_ref()
                .map(|s| s.regimen_text.clone())
                .map_err(|e| e.to_string()),
            again
                .as_ref()
                .map(|s| s.regimen_text.clone())
                .map_err(|e| e.to_string()),
            "not deterministic:\n{text}"
        );
        match r {
            Ok(s) => {
                ok += 1;
                for (d, v) in REGISTRY.iter().zip(s.params.values()) {
                    assert!(d.check(*v).is_ok(), "{} = {v} accepted:\n{text}", d.name);
                }
                for d in REGISTRY.iter() {
                    let pid = synsim::params::lookup(d.name).unwrap();
                    if let synsim::params::Variability::Uniform { lo, hi }
                    | synsim::params::Variability::Normal { lo, hi, .. } = s.variability_of(pid)
                    {
                        assert!(
                            lo <= hi && d.check(lo).is_ok() && d.check(hi).is_ok(),
                            "{text}"
                        );
                    }
                }
                assert!(s.days > 0.0 && s.days.is_finite(), "{text}");
            }
            Err(e) => {
                err += 1;
                assert_eq!(e.file, "fuzz.toml", "{text}");
                let lines = text.lines().count() + 1;
                assert!(e.line.is_none_or(|l| l >= 1 && l <= lines), "{e}\n{text}");
                assert!(!e.message.is_empty(), "{text}");
            }
        }
    }
    assert!(
        ok > 50 && err > 300,
        "generator too narrow: {ok} ok, {err} errors"
    );
}

#[test]
fn set_values_never_panic_and_stay_in_range() {
    let mut g = Gen::new(888);
    let base = [
        Scenario::load("ketamine-maintenance").unwrap(),
        Scenario::load("healthy").unwrap(),
        Scenario::load("esketamine-nasal").unwrap(),
    ];
    for _ in 0..3000 {
        let mut s = base[g.below(base.len())].clone();
        let name = match g.below(5) {
            0 => format!(
                "regimen.{}",
                g.pick(&[
                    "dose",
                    "interval_d",
                    "infusion_min",
                    "phase2.interval_d",
                    "phase9.dose",
                    "doze"
                ])
            ),
            1 => "x".repeat(g.below(300)),
            _ => REGISTRY[g.below(REGISTRY.len())].name.to_string(),
        };
        let value = match g.below(4) {
            0 => g.pick(&["true", "off", "maybe", "", "1e-400"]).to_string(),
            _ => g.number(),
        };
        let set = if g.chance(3) {
            name.clone()
        } else {
            format!("{name}={value}")
        };
        let r = no_panic("apply_overrides", &set, || {
            s.apply_overrides(std::slice::from_ref(&set))
        });
        match r {
            Ok(()) => {
                for (d, v) in REGISTRY.iter().zip(s.params.values()) {
                    assert!(d.check(*v).is_ok(), "--set {set}: {} = {v}", d.name);
                }
                if let Some(r) = &s.regimen {
                    assert_eq!(
                        Regimen::parse(&s.regimen_text).as_ref(),
                        Ok(r),
                        "--set {set}"
                    );
                }
            }
            Err(e) => {
                assert_eq!(e.file, "--set");
                assert!(e.message.chars().count() < 700, "--set {set}: {e}");
            }
        }
    }
}

/// Through the binary: regimen and `--set` inputs exit 0 or 2, never crash.
#[test]
fn the_binary_answers_bad_input_with_exit_2() {
    let mut g = Gen::new(8888);
    for _ in 0..60 {
        let text = regimen_text(&mut g);
        let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .args(["regimen", &text])
            .output()
            .unwrap();
        let code = o.status.code();
        assert!(matches!(code, Some(0 | 2)), "regimen {text:?}: {code:?}");
        let parsed = Regimen::parse(&text).is_ok();
        assert_eq!(code == Some(0), parsed, "regimen {text:?}");
    }
    let out = std::env::temp_dir().join(format!("synsim-fuzz-{}", std::process::id()));
    for _ in 0..20 {
        let name = REGISTRY[g.below(REGISTRY.len())].name;
        let set = format!("{name}={}", g.number());
        let mut s = Scenario::load("placebo").unwrap();
        if s.apply_overrides(std::slice::from_ref(&set)).is_ok() {
            continue;
        }
        let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .args(["run", "placebo", "--days", "1", "--no-plot", "--set", &set])
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "--set {set}");
    }
    let _ = std::fs::remove_dir_all(&out);
}

/// A `synsim synapses --at` list: times in the duration notation, sometimes
/// odd numbers, bad units, empty pieces or too many of them.
fn at_text(g: &mut Gen) -> String {
    let n = if g.chance(10) { 7 } else { 1 + g.below(4) };
    let pieces: Vec<String> = (0..n)
        .map(|_| match g.below(20) {
            0 => String::new(),
            1 | 2 => format!("{}{}", g.number(), g.pick(TIME_UNITS)),
            3 => g.pick(&["0h", "0", "1e-3 s", "0.5 min", "3 d"]).to_string(),
            4 => format!("{}{}", 1 + g.below(48), g.pick(BAD_TIME_UNITS)),
            _ => format!(
                "{}{}{}",
                1 + g.below(48),
                if g.chance(30) { " " } else { "" },
                g.pick(&["h", "min", "hours"])
            ),
        })
        .collect();
    pieces.join(if g.chance(90) { "," } else { ", " })
}

/// What `--at` accepts for a run of 2 d: every piece a duration of 0 or
/// from 1 min to 2 d, at most 6 of them, no time twice.
fn at_is_valid(text: &str) -> bool {
    let mut hours = Vec::new();
    for p in text.split(',').map(str::trim) {
        match synsim::units::parse_duration_h(p) {
            Ok(h) if h == 0.0 || (1.0 / 60.0..=48.0).contains(&h) => hours.push(h),
            _ => return false,
        }
    }
    hours.sort_by(f64::total_cmp);
    hours.len() <= 6 && hours.windows(2).all(|w| w[0] != w[1])
}

/// Through the binary: `synsim synapses --at` lists exit 0 exactly when
/// every time is valid and inside the run, 2 otherwise, never crash; an
/// accepted list gives one CSV row per time.
#[test]
fn synapses_times_exit_0_or_2() {
    let mut g = Gen::new(88888);
    let out = std::env::temp_dir().join(format!("synsim-fuzz-at-{}", std::process::id()));
    let (mut ok, mut err) = (0, 0);
    for _ in 0..60 {
        let at = at_text(&mut g);
        let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .args(["synapses", "placebo", "--days", "2", "--at", &at])
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&o.stderr);
        let code = o.status.code();
        assert!(matches!(code, Some(0 | 2)), "--at {at:?}: {code:?}: {e}");
        assert!(!e.contains("panicked"), "--at {at:?}: {e}");
        assert_eq!(code == Some(0), at_is_valid(&at), "--at {at:?}: {e}");
        if code == Some(0) {
            ok += 1;
            let csv = std::fs::read_to_string(out.join("synapses.csv")).unwrap();
            assert_eq!(csv.lines().count(), 1 + at.split(',').count(), "{at:?}");
        } else {
            err += 1;
            assert!(
                e.starts_with("error: ") && e.contains("--at"),
                "{at:?}: {e}"
            );
        }
    }
    assert!(
        ok > 5 && err > 20,
        "generator too narrow: {ok} ok, {err} errors"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// `--set` and `--vary` written with spaces around `=` (so the shell
/// passes several words), without `=`, or with a mistyped name: exit 2
/// with the expected form, the closest names, and a quoting hint for
/// names with shell characters; nothing is run.
#[test]
fn set_and_vary_mistakes_say_what_form_is_expected() {
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .args(args)
            .args(["--out", "/nonexistent/synsim-never-written"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let form = "with no spaces around \"=\"";
    for args in [
        &["run", "ketamine-iv-single", "--set", "a", "=", "b"][..],
        &[
            "run",
            "ketamine-iv-single",
            "--set",
            "synapse.turnover_d",
            "=20",
        ],
        &[
            "compare",
            "ketamine-iv-single",
            "--set",
            "synapse.turnover_d=",
            "20",
        ],
        &[
            "compare",
            "ketamine-iv-single",
            "--vary",
            "synapse.turnover_d",
            "=",
            "10,20",
        ],
    ] {
        let e = run(args);
        assert!(
            e.contains("separate words") && e.contains(form) && e.contains("quote"),
            "{args:?}: {e}"
        );
    }
    let e = run(&[
        "compare",
        "ketamine-iv-single",
        "--vary",
        "synapse.turnover_d",
        "10,20",
    ]);
    assert!(
        e.contains("--vary \"synapse.turnover_d\" is not NAME=V1,V2")
            && e.contains("--vary name=value1,value2")
            && e.contains(form),
        "{e}"
    );
    let e = run(&["run", "placebo", "--set", "mechanisms.hnk"]);
    assert!(e.contains("--set name=value") && e.contains(form), "{e}");
    let e = run(&[
        "compare",
        "ketamine-iv-single",
        "--vary",
        "synapse.turnovr_d=10,20",
    ]);
    assert!(
        e.starts_with("error: --vary: unknown parameter \"synapse.turnovr_d\"; did you mean \"synapse.turnover_d\""),
        "{e}"
    );
    let e = run(&["run", "placebo", "--set", "synapse.turnover d=10"]);
    assert!(e.contains("single quotes"), "{e}");
}

/// Run lengths too short to simulate (`--days 1e-300`, `days = 5e-324` in a
/// file, a run-in of 1e-300 s, a trial visit at 1e-300 d) are refused up
/// front as bad input naming the option or field, its unit and range; they
/// never reach the integrator.
#[test]
fn near_zero_run_lengths_are_refused_with_the_valid_range() {
    let dir = std::env::temp_dir().join(format!("synsim-fuzz-days-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("o");
    let file = |name: &str, body: &str| {
        let p = dir.join(name);
        std::fs::write(
            &p,
            format!(
                "title = \"t\"\nteaching_note = \"n\"\n{body}\n[regimen]\n\
                 notation = \"ketamine 0.5 mg/kg iv over 40 min once\"\n"
            ),
        )
        .unwrap();
        p.to_string_lossy().into_owned()
    };
    let tiny_days = file("tiny-days.toml", "days = 5e-324");
    let tiny_runin = file("tiny-runin.toml", "days = 1\nrunin = \"1e-300 s\"");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["run", "ketamine-iv-single", "--days", "1e-300"], "--days 1e-300: the run length must be from 0.0417 d (1 h) to 3650 d"),
        (vec!["run", "ketamine-iv-single", "--days", "0.01"], "--days 0.01: the run length must be from"),
        (vec!["run", &tiny_days], "days = 5e-324: the run length must be from 0.0417 d (1 h)"),
        (vec!["run", &tiny_runin], "runin = \"1e-300 s\": the run-in before the first dose must be 0 (none) or from 1 min to 365 d"),
        (vec!["population", "placebo", "--patients", "2", "--days", "1e-300"], "--days 1e-300"),
        (vec!["compare", "placebo", "healthy", "--days", "5e-324"], "--days 5e-324"),
        (vec!["synapses", "placebo", "healthy", "--days", "1e-300"], "--days 1e-300: the run length must be from"),
        (vec!["trial", "--arm", "placebo iv over 40 min once", "--arm", "ketamine 0.5 mg/kg iv over 40 min once", "--visits", "1e-300"], "visits: days must increase, each from 0.0417 (1 h)"),
    ];
    for (args, wanted) in cases {
        let o = run_out(&args, &out);
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert!(e.contains(wanted), "{args:?}: {e}");
        assert!(
            !e.contains("integrator") && !e.contains("simulation stopped"),
            "{args:?}: {e}"
        );
    }
    // The shortest run allowed runs.
    let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args([
            "run",
            "ketamine-iv-single",
            "--days",
            "0.0417",
            "--no-plot",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Help and the version that cannot be written (`synsim --help > /dev/full`)
/// fail with exit code 1 and a short message, never a silent 0.
#[cfg(target_os = "linux")]
#[test]
fn help_that_cannot_be_written_is_an_error() {
    for args in [
        vec!["--help"],
        vec!["--version"],
        vec!["run", "--help"],
        vec!["help"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {e}");
        assert!(
            e.starts_with("error: cannot write to standard output"),
            "{args:?}: {e}"
        );
        assert!(
            e.lines().count() == 1 && !e.contains("panicked"),
            "{args:?}: {e}"
        );
    }
}

/// Output into a pipe the reader has closed (`synsim demo | head -1`) stops
/// quietly: exit 0 or death by SIGPIPE (141 in a shell), no panic, no error.
#[cfg(unix)]
#[test]
fn a_closed_pipe_stops_quietly() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let dir = std::env::temp_dir().join(format!("synsim-fuzz-pipe-{}", std::process::id()));
    let out = dir.join("demo");
    for args in [
        vec!["demo", "--out", out.to_str().unwrap()],
        vec!["params"],
        vec!["--help"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_synsim"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is gone (`head -1` exited).
        let o = child.wait_with_output().unwrap();
        let e = String::from_utf8_lossy(&o.stderr);
        let quiet = o.status.code() == Some(0) || o.status.signal() == Some(13);
        assert!(quiet, "{args:?}: {:?}: {e}", o.status);
        assert!(
            !e.contains("panicked") && !e.contains("error"),
            "{args:?}: {e}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A figure-option value as a person (or a fuzzer) might type it: mostly
/// one of `good`, sometimes a near miss or junk.
fn option_value(g: &mut Gen, good: &[&str]) -> String {
    match g.below(16) {
        0 => g.number(),
        1 => String::new(),
        2 => {
            let mut v = g.pick(good).to_string();
            v.push(['x', ' ', ':', ',', '\u{e9}'][g.below(5)]);
            v
        }
        3 => g.pick(good).to_uppercase(),
        _ => g.pick(good).to_string(),
    }
}

const SIZES: &[&str] = &["16:9", "4:3", "A4", "A4-landscape", "a4-portrait"];
const STYLES: &[&str] = &["colour", "color", "print"];
const PANEL_NAMES: &[&str] = &[
    "plasma",
    "receptors",
    "glutamate",
    "bdnf",
    "synapses",
    "score",
    "mtor",
    "doses",
];

/// Parsing figure options never panics, answers the same twice, and every
/// accepted value is in range; every refusal says what is valid.
#[test]
fn figure_options_never_panic_and_stay_in_range() {
    use synsim::plot::options::{check_font_scale, check_title, pick, PageSize, Style, MAX_TITLE};
    let mut g = Gen::new(22);
    let dashboard = synsim::plot::dashboard::PANELS;
    for _ in 0..3000 {
        let size = option_value(&mut g, SIZES);
        let first = no_panic("PageSize", &size, || size.parse::<PageSize>());
        assert_eq!(first, size.parse::<PageSize>(), "{size:?}");
        match first {
            Ok(p) => assert_eq!(
                p.name().to_lowercase(),
                size.trim().to_lowercase().replace("-portrait", "")
            ),
            Err(e) => assert!(e.contains("16:9") && e.contains("A4-landscape"), "{e}"),
        }
        let style = option_value(&mut g, STYLES);
        if let Err(e) = no_panic("Style", &style, || style.parse::<Style>()) {
            assert!(e.contains("colour") && e.contains("print"), "{e}");
        }
        let x: f64 = g.number().parse().unwrap_or(f64::NAN);
        match check_font_scale(x) {
            Ok(v) => assert!((0.5..=3.0).contains(&v), "{x}"),
            Err(e) => assert!(e.contains("0.5") && e.contains('3'), "{e}"),
        }
        let title = regimen_text(&mut g).repeat(1 + g.below(8));
        match no_panic("check_title", &title, || check_title(&title)) {
            Ok(t) => {
                assert!(!t.is_empty() && t.chars().count() <= MAX_TITLE, "{title:?}");
                assert!(!t.chars().any(char::is_control), "{t:?}");
            }
            Err(e) => assert!(e.contains("title"), "{e}"),
        }
        let wanted: Vec<String> = (0..g.below(4))
            .map(|_| option_value(&mut g, PANEL_NAMES))
            .collect();
        let joined = wanted.join(",");
        match no_panic("pick", &joined, || pick("run", &dashboard, &wanted)) {
            Ok(k) => {
                assert!(k.iter().all(|&i| i < dashboard.len()), "{joined}");
                let mut d = k.clone();
                d.dedup();
                assert_eq!(d.len(), k.len(), "{joined}");
            }
            Err(e) => assert!(
                e.contains("twice") || e.contains("plasma, receptors"),
                "{joined}: {e}"
            ),
        }
    }
}

/// Through the binary: random figure options (and a regimen of thousands
/// of characters now and then) exit 0 with a figure of the asked size, or 2
/// with a message naming the option; never a crash or a hang.
#[test]
fn the_binary_draws_any_figure_options_or_names_the_bad_one() {
    let mut g = Gen::new(2222);
    let out = std::env::temp_dir().join(format!("synsim-fuzz-fig-{}", std::process::id()));
    let (mut drawn, mut refused) = (0, 0);
    for _ in 0..20 {
        let mut args: Vec<String> =
            vec!["run".into(), "placebo".into(), "--days".into(), "1".into()];
        let mut size = None;
        let mut given: Vec<&str> = Vec::new();
        if g.chance(60) {
            let v = option_value(&mut g, SIZES);
            size = v.parse::<synsim::plot::options::PageSize>().ok();
            args.extend(["--size".into(), v]);
            given.push("--size");
        }
        if g.chance(60) {
            let x = g.mostly(
                &["0.5", "0.8", "1", "1.5", "2.25", "3"],
                &["0.49", "3.01", "NaN", "-1", "x"],
            );
            args.extend(["--font-scale".into(), x.to_string()]);
            given.push("--font-scale");
        }
        if g.chance(50) {
            args.extend(["--style".into(), option_value(&mut g, STYLES)]);
            given.push("--style");
        }
        if g.chance(50) {
            let v: Vec<String> = (0..1 + g.below(3))
                .map(|_| option_value(&mut g, PANEL_NAMES))
                .collect();
            args.extend(["--panels".into(), v.join(",")]);
            given.push("--panels");
        }
        if g.chance(30) {
            args.extend(["--title".into(), regimen_text(&mut g)]);
            given.push("--title");
        }
        if g.chance(30) {
            let one = "esketamine 56 mg nasal twice weekly for 4 w + escitalopram 10 mg oral daily for 4 w";
            let long = vec![one; 1 + g.below(30)].join(" then ");
            args.extend(["--regimen".into(), long, "--allow-anaesthetic".into()]);
        }
        let t0 = std::time::Instant::now();
        let o = run_out(&args, &out);
        let took = t0.elapsed().as_secs_f64();
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(took < 60.0, "{args:?} took {took:.0} s");
        match o.status.code() {
            Some(0) => {
                drawn += 1;
                if let Some(s) = size {
                    let png = std::fs::read(out.join("dashboard.png")).unwrap();
                    let be =
                        |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
                    assert_eq!((be(16), be(20)), s.pixels(), "{args:?}");
                }
            }
            Some(2) => {
                refused += 1;
                assert!(
                    given.iter().any(|opt| e.contains(opt)) || e.contains("--regimen"),
                    "{args:?}: {e}"
                );
            }
            c => panic!("{args:?}: exit {c:?}: {e}"),
        }
    }
    assert!(
        drawn >= 4 && refused >= 4,
        "generator too narrow: {drawn} drawn, {refused} refused"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// Through the binary: any number of `--label`s, of any text, on `compare`
/// and `synapses` exit 0 with each label in the figure, or 2 with a message
/// naming `--label`; never a crash.
#[test]
fn the_binary_takes_any_labels_or_names_the_bad_one() {
    let mut g = Gen::new(3131);
    let out = std::env::temp_dir().join(format!("synsim-fuzz-label-{}", std::process::id()));
    let long = "a".repeat(61);
    let (mut drawn, mut refused) = (0, 0);
    for k in 0..16 {
        let (cmd, figure) = if k % 2 == 0 {
            ("compare", "compare.svg")
        } else {
            ("synapses", "synapses.svg")
        };
        let mut args: Vec<String> = vec![
            cmd.into(),
            "ketamine-iv-single".into(),
            "placebo".into(),
            "--days".into(),
            "2".into(),
        ];
        if cmd == "synapses" {
            args.extend(["--at".into(), "1d".into()]);
        }
        let mut labels: Vec<&str> = Vec::new();
        for _ in 0..g.below(4) {
            let l = g.mostly(
                &["one drip", "SSRI pill, daily", "x", "saline (placebo)"],
                &["", "   ", long.as_str(), "\u{7}"],
            );
            args.extend(["--label".into(), l.to_string()]);
            labels.push(l);
        }
        let o = run_out(&args, &out);
        let e = String::from_utf8_lossy(&o.stderr);
        match o.status.code() {
            Some(0) => {
                drawn += 1;
                let svg = std::fs::read_to_string(out.join(figure)).unwrap();
                for l in &labels {
                    let shown = l.replace('&', "&amp;");
                    assert!(svg.contains(&shown), "{args:?}: {l} not drawn");
                }
            }
            Some(2) => {
                refused += 1;
                assert!(e.contains("--label"), "{args:?}: {e}");
            }
            c => panic!("{args:?}: exit {c:?}: {e}"),
        }
    }
    assert!(
        drawn >= 3 && refused >= 3,
        "generator too narrow: {drawn} drawn, {refused} refused"
    );
    let _ = std::fs::remove_dir_all(&out);
}
