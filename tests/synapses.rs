//! `synsim synapses`: the spine picture of any scenarios at chosen times,
//! through the binary. Its numbers are `synsim run`'s, it draws as many
//! spines as it says, it refuses bad input before writing anything, and its
//! default folders do not overwrite each other.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn synsim_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synsim"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("synsim runs")
}

fn ok_in(cwd: &Path, args: &[&str]) -> Output {
    let o = synsim_in(cwd, args);
    assert!(
        o.status.success(),
        "synsim {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("synsim-synapses-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A CSV as rows of column name -> text.
fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut lines = text.lines();
    let head: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells.len(), head.len(), "ragged row in {path:?}: {l}");
            head.iter()
                .cloned()
                .zip(cells.iter().map(|c| c.to_string()))
                .collect()
        })
        .collect()
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?}", row[col]))
}

/// The synapse density `synsim run SCENARIO --days DAYS` writes to
/// timeseries.csv at each time it writes.
fn run_densities(dir: &Path, scenario: &str, days: &str) -> Vec<(f64, String)> {
    let out = dir.join(format!("run-{scenario}-{days}"));
    ok_in(
        dir,
        &[
            "run",
            scenario,
            "--days",
            days,
            "--no-plot",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    read_csv(&out.join("timeseries.csv"))
        .iter()
        .map(|r| (num(r, "time_h"), r["synapse_density_rel"].clone()))
        .collect()
}

/// Every density in synapses.csv is the one `synsim run` writes at the
/// same time (the same text, so equal to all printed digits), with or
/// without an explicit --days; the percent is the whole percent drawn.
#[test]
fn densities_are_those_of_run_at_the_same_times() {
    let dir = temp_dir("same");
    let o = ok_in(
        &dir,
        &[
            "synapses",
            "ketamine-iv-single",
            "ssri-escitalopram",
            "--at",
            "2h,1d,1w,4w,8w",
            "--days",
            "60",
            "--out",
            "both",
        ],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("wrote synapses.png, synapses.svg, synapses.csv in both"),
        "{stdout}"
    );
    let rows = read_csv(&dir.join("both/synapses.csv"));
    assert_eq!(rows.len(), 10);
    for scenario in ["ketamine-iv-single", "ssri-escitalopram"] {
        let run = run_densities(&dir, scenario, "60");
        let mine: Vec<_> = rows.iter().filter(|r| r["scenario"] == scenario).collect();
        let times: Vec<&str> = mine.iter().map(|r| r["time"].as_str()).collect();
        assert_eq!(times, ["2 h", "1 d", "1 w", "4 w", "8 w"]);
        for r in mine {
            let t = num(r, "time_h");
            let (_, want) = run
                .iter()
                .find(|(rt, _)| *rt == t)
                .unwrap_or_else(|| panic!("{scenario}: no row at {t} h in timeseries.csv"));
            assert_eq!(&r["synapse_density_rel"], want, "{scenario} at {t} h");
            let d = num(r, "synapse_density_rel");
            assert_eq!(num(r, "percent_of_healthy"), (100.0 * d).round());
        }
    }
    // The two treatments' story, in the picture's numbers: ketamine's
    // spines a day on, the SSRI's few and after weeks (lesson 1, section 4).
    let at = |s: &str, t: &str| {
        num(
            rows.iter()
                .find(|r| r["scenario"] == s && r["time"] == t)
                .unwrap(),
            "synapse_density_rel",
        )
    };
    assert!(at("ketamine-iv-single", "1 d") > at("ssri-escitalopram", "1 d") + 0.05);
    // By 8 weeks the SSRI has caught up with the faded infusion.
    assert!((at("ssri-escitalopram", "8 w") - at("ketamine-iv-single", "8 w")).abs() < 0.01);
    assert!(at("ssri-escitalopram", "8 w") - at("ssri-escitalopram", "1 d") > 0.02);
    // Without --days a short scenario runs on to the latest time, says so,
    // and gives what `synsim run` gives for that length.
    let o = ok_in(
        &dir,
        &[
            "synapses",
            "ketamine-iv-single",
            "--at",
            "8w",
            "--out",
            "extended",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "note: ketamine-iv-single runs 56 d (its scenario runs 28 d) to reach --at 8 w"
        ),
        "{err}"
    );
    let row = &read_csv(&dir.join("extended/synapses.csv"))[0];
    let run = run_densities(&dir, "ketamine-iv-single", "56");
    assert_eq!(run.last().unwrap().0, 1344.0);
    assert_eq!(row["synapse_density_rel"], run.last().unwrap().1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// SVG fill colour (plotters writes upper-case hex) of the spines that were
/// there before treatment and of new ones.
const OLD_FILL: &str = "fill=\"#584E70\"";
const NEW_FILL: &str = "fill=\"#D55E00\"";

/// More density, more spines: the CSV's spine counts rise with the density
/// (20 at a healthy density), and the figure draws exactly that many
/// spine heads, new ones in their own colour.
#[test]
fn spines_drawn_grow_with_density() {
    let dir = temp_dir("spines");
    ok_in(
        &dir,
        &[
            "synapses",
            "ketamine-iv-serial",
            "ssri-escitalopram",
            "placebo",
            "--at",
            "0h,1d,1w,2w,8w,12w",
            "--out",
            "three",
        ],
    );
    let rows = read_csv(&dir.join("three/synapses.csv"));
    assert_eq!(rows.len(), 18);
    let mut by_density: Vec<(f64, usize)> = rows
        .iter()
        .map(|r| {
            (
                num(r, "synapse_density_rel"),
                num(r, "spines_drawn") as usize,
            )
        })
        .collect();
    for (d, n) in &by_density {
        assert_eq!(*n, (20.0 * d).round() as usize, "{d}");
    }
    by_density.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(
        by_density.windows(2).all(|w| w[1].1 >= w[0].1),
        "{by_density:?}"
    );
    let (least, most) = (by_density[0], by_density[by_density.len() - 1]);
    assert!(most.1 >= least.1 + 3, "{least:?} {most:?}");
    // The figure: one filled head per spine drawn (plus one legend dot for
    // each of the two colours); new spines only where the count rose.
    let svg = std::fs::read_to_string(dir.join("three/synapses.svg")).unwrap();
    let heads = svg.matches(OLD_FILL).count() + svg.matches(NEW_FILL).count();
    let drawn: usize = by_density.iter().map(|(_, n)| n).sum();
    assert_eq!(heads, drawn + 2, "heads in the SVG vs spines_drawn");
    let new_expected: usize = ["ketamine-iv-serial", "ssri-escitalopram", "placebo"]
        .iter()
        .map(|s| {
            let mine: Vec<usize> = rows
                .iter()
                .filter(|r| r["scenario"] == *s)
                .map(|r| num(r, "spines_drawn") as usize)
                .collect();
            mine.iter()
                .map(|n| n.saturating_sub(mine[0]))
                .sum::<usize>()
        })
        .sum();
    assert!(new_expected > 0);
    assert_eq!(svg.matches(NEW_FILL).count(), new_expected + 1);
    for name in ["ketamine-iv-serial", "ssri-escitalopram", "placebo"] {
        assert!(svg.contains(name), "{name} not named in the figure");
    }
    let png = std::fs::read(dir.join("three/synapses.png")).unwrap();
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    assert!(be(16) >= 1600 && be(20) >= 1000, "{}x{}", be(16), be(20));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Bad input exits 2 with a message naming the option, the value and what
/// is allowed, before any output folder is made.
#[test]
fn refused_inputs_give_clear_errors() {
    let dir = temp_dir("refused");
    let cases: [(&[&str], &str); 10] = [
        (
            &["ketamine-iv-single", "--at", "1d,,1w"],
            "--at \"1d,,1w\": a time is missing between commas",
        ),
        (
            &["ketamine-iv-single", "--at", "3 fortnights"],
            "--at: \"3 fortnights\": unknown duration unit \"fortnights\"; use min, h, d or w",
        ),
        (
            &["ketamine-iv-single", "--at", "7"],
            "--at: \"7\": a unit is required",
        ),
        (
            &["ketamine-iv-single", "--at", "1w,7d"],
            "--at: \"1w\" and \"7d\" are the same time (1 w); give each time once",
        ),
        (
            &["ketamine-iv-single", "--at", "1h,2h,3h,4h,5h,6h,7h"],
            "7 times were given; at most 6 fit",
        ),
        (
            &["ketamine-iv-single", "--at", "8w", "--days", "30"],
            "--at 8 w is after the end of the run (--days 30); pass --days 56 or more",
        ),
        (
            &["a", "b", "c", "d", "e"],
            "5 scenarios were given; at most 4 fit",
        ),
        (
            &["ketamine-iv-single", "ketamine-iv-single"],
            "scenario \"ketamine-iv-single\" is given twice",
        ),
        (
            &[
                "ketamine-iv-single",
                "placebo",
                "--regimen",
                "ketamine 0.5 mg/kg iv once",
            ],
            "--regimen replaces one scenario's regimen, but 2 scenarios were given",
        ),
        (&["ketamin"], "unknown scenario \"ketamin\""),
    ];
    for (args, wanted) in cases {
        let o = synsim_in(
            &dir,
            &[&["synapses"][..], args, &["--out", "never"]].concat(),
        );
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert!(
            e.starts_with("error: ") && e.contains(wanted),
            "{args:?}: {e}"
        );
        assert!(!e.contains("panicked"), "{args:?}: {e}");
        assert!(!dir.join("never").exists(), "{args:?} wrote output");
    }
    let o = synsim_in(&dir, &["synapses"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("<SCENARIO>"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The default folder is named after the command, the scenarios and the
/// options that change the picture: other times or changes keep the
/// earlier picture; the same command again replaces its own.
#[test]
fn default_folders_do_not_overwrite_each_other() {
    let dir = temp_dir("folders");
    let run = |extra: &[&str]| {
        let o = ok_in(
            &dir,
            &[&["synapses", "ketamine-iv-single", "placebo"][..], extra].concat(),
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let first = run(&["--at", "1d,1w"]);
    run(&["--at", "1d,2w"]);
    run(&["--at", "1d,1w", "--set", "synapse.turnover_d=30"]);
    let again = run(&["--at", "1d,1w"]);
    let folder = |out: &str| {
        out.lines()
            .last()
            .unwrap()
            .rsplit(" in ")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(folder(&first), folder(&again));
    assert!(
        folder(&first).starts_with("synsim-out/synapses-ketamine-iv-single-vs-placebo"),
        "{first}"
    );
    let mut made: Vec<String> = std::fs::read_dir(dir.join("synsim-out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    made.sort();
    assert_eq!(made.len(), 3, "{made:?}");
    for m in &made {
        assert!(dir.join("synsim-out").join(m).join("synapses.png").exists());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--help` shows worked examples, ketamine against the SSRI first.
#[test]
fn help_has_examples() {
    let dir = temp_dir("help");
    let o = ok_in(&dir, &["synapses", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("Examples:"), "{help}");
    assert!(
        help.contains(
            "synsim synapses ketamine-iv-single ssri-escitalopram --at 1d,1w,4w,8w --days 60"
        ),
        "{help}"
    );
    let top = String::from_utf8_lossy(&ok_in(&dir, &["--help"]).stdout).into_owned();
    assert!(top.contains("synapses"), "{top}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The grid takes the figure options every figure command takes: a slide
/// size, larger text and a print version in their own default folder; it
/// has no panels to choose.
#[test]
fn figure_options_apply_to_the_grid() {
    let d = temp_dir("options");
    let args = [
        "synapses",
        "ketamine-iv-single",
        "--at",
        "1d,1w",
        "--days",
        "8",
        "--size",
        "4:3",
        "--font-scale",
        "1.5",
        "--style",
        "print",
        "--title",
        "Spines after one infusion",
    ];
    let o = ok_in(&d, &args);
    let said = String::from_utf8_lossy(&o.stdout);
    let folder = said
        .lines()
        .last()
        .and_then(|l| l.split(" in ").last())
        .unwrap()
        .trim()
        .to_string();
    let png = d.join(&folder).join("synapses.png");
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{png:?}: {e}"));
    // Width and height from the PNG's IHDR chunk.
    let wh = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    assert_eq!((wh(16), wh(20)), (1600, 1200), "{folder}");
    let svg = std::fs::read_to_string(d.join(&folder).join("synapses.svg")).unwrap();
    assert!(svg.contains("Spines after one infusion"));
    assert!(
        folder != "synsim-out/synapses-ketamine-iv-single",
        "{folder}"
    );
    let refused = synsim_in(&d, &["synapses", "ketamine-iv-single", "--panels", "score"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--panels"));
    let _ = std::fs::remove_dir_all(&d);
}
