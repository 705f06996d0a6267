//! Every figure is produced as PNG and SVG of at least 1600x1000 px, with its
//! CSV where it has one; bad input is refused before anything is written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_synsim");

/// A fresh, empty folder for one test.
fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("synsim-figures-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn synsim(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("the synsim binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = synsim(args);
    assert!(
        out.status.success(),
        "synsim {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(path: &Path) -> (u32, u32) {
    let b = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(b.len() > 24, "{} is too short for a PNG", path.display());
    assert_eq!(
        &b[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    assert_eq!(
        &b[12..16],
        b"IHDR",
        "{}: first chunk is not IHDR",
        path.display()
    );
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}

/// DIR/STEM.png is a big enough PNG and DIR/STEM.svg a non-empty SVG.
fn check_figure(dir: &Path, stem: &str) {
    let (w, h) = png_size(&dir.join(format!("{stem}.png")));
    assert!(w >= 1600 && h >= 1000, "{stem}.png is {w}x{h}");
    let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
    assert!(
        svg.contains("<svg") && svg.len() > 10_000,
        "{stem}.svg looks empty"
    );
    assert!(
        svg.contains(&format!("width=\"{w}\"")),
        "{stem}.svg has another size than the PNG"
    );
}

/// No temporary files are left behind.
fn check_no_temp(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        // The marker says "a synsim output folder"; anything else hidden is a leftover.
        assert!(
            name == ".synsim-output" || !name.starts_with('.'),
            "temporary file left: {name}"
        );
    }
    if let Some(parent) = dir.parent() {
        for e in std::fs::read_dir(parent).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            let mine = dir
                .file_name()
                .is_some_and(|d| name.ends_with(&format!("-{}", d.to_string_lossy())));
            assert!(
                !(name.starts_with(".synsim-tmp-") && mine),
                "temporary folder left: {name}"
            );
        }
    }
}

fn header(csv: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(csv).unwrap();
    let mut lines = text.lines();
    let head: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let mut rows = 0;
    for l in lines {
        assert_eq!(
            l.split(',').count(),
            head.len(),
            "ragged row in {}: {l}",
            csv.display()
        );
        rows += 1;
    }
    assert!(rows > 10, "{} has only {rows} rows", csv.display());
    head
}

/// Exit code 2, a message naming `needle`, and no output folder content.
fn refused(args: &[&str], dir: &Path, needle: &str) {
    let out = synsim(args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "synsim {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(needle),
        "synsim {args:?}: message lacks {needle:?}: {err}"
    );
    let empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true);
    assert!(empty, "synsim {args:?} wrote files although it failed");
}

#[test]
fn run_writes_the_dashboard() {
    let d = tmp("dashboard");
    let ds = d.to_str().unwrap();
    ok(&[
        "run",
        "ketamine-iv-single",
        "--days",
        "2",
        "--dt-out",
        "30 min",
        "--out",
        ds,
    ]);
    check_figure(&d, "dashboard");
    check_no_temp(&d);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn dashboard_on_a_log_time_axis() {
    let d = tmp("dashboard-log");
    let ds = d.to_str().unwrap();
    ok(&[
        "run",
        "ssri-escitalopram",
        "--days",
        "10",
        "--log-time",
        "--out",
        ds,
    ]);
    check_figure(&d, "dashboard");
    let svg = std::fs::read_to_string(d.join("dashboard.svg")).unwrap();
    for tick in ["0", "1 h", "1 d", "1 w"] {
        assert!(
            svg.lines().any(|l| l.trim() == tick),
            "log axis lacks the tick {tick}"
        );
    }
    // The log axis starts before the first dose: the run-in has a tick.
    assert!(
        svg.lines().any(|l| l.trim() == "\u{2212}1 d"),
        "log axis does not show the run-in"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn compare_overlays_scenarios_with_a_table() {
    let d = tmp("compare");
    let ds = d.to_str().unwrap();
    ok(&[
        "compare",
        "ketamine-iv-single",
        "placebo",
        "--days",
        "3",
        "--out",
        ds,
    ]);
    check_figure(&d, "compare");
    check_no_temp(&d);
    let head = header(&d.join("compare.csv"));
    assert_eq!(head[0], "time_h");
    for q in [
        "symptom_score",
        "synapse_density_rel",
        "glutamate_rel",
        "dissociation",
    ] {
        for s in ["ketamine-iv-single", "placebo"] {
            assert!(
                head.contains(&format!("{q}:{s}")),
                "compare.csv lacks {q}:{s}: {head:?}"
            );
        }
    }
    assert_eq!(head.len(), 1 + 4 * 2);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn compare_refuses_bad_input_without_writing() {
    let d = tmp("compare-bad");
    let ds = d.to_str().unwrap();
    let regimen = "ketamine 0.5 mg/kg iv over 40 min once";
    refused(
        &[
            "compare",
            "placebo",
            "healthy",
            "--regimen",
            regimen,
            "--out",
            ds,
        ],
        &d,
        "--regimen",
    );
    refused(
        &["compare", "ketamine-iv-singel", "placebo", "--out", ds],
        &d,
        "ketamine-iv-single",
    );
    refused(
        &[
            "compare",
            "placebo",
            "--set",
            "no.such.param=1",
            "--out",
            ds,
        ],
        &d,
        "no.such.param",
    );
    refused(&["compare", "placebo", "placebo", "--out", ds], &d, "twice");
    refused(
        &["compare", "placebo", "--days=-3", "--out", ds],
        &d,
        "--days",
    );
}

#[test]
fn theories_runs_all_four_settings() {
    let d = tmp("theories");
    let ds = d.to_str().unwrap();
    let out = ok(&["theories", "ketamine-iv-single", "--days", "3", "--out", ds]);
    assert!(out.contains("disinhibition only"), "{out}");
    check_figure(&d, "theories");
    let head = header(&d.join("theories.csv"));
    for v in [
        "all",
        "disinhibition-only",
        "synaptogenesis-only",
        "neither",
    ] {
        for q in [
            "glutamate_rel",
            "mtor_rel",
            "synapse_density_rel",
            "symptom_score",
        ] {
            assert!(
                head.contains(&format!("{q}:{v}")),
                "theories.csv lacks {q}:{v}"
            );
        }
    }
    // The settings differ where the theories say they should: no
    // disinhibition, no glutamate surge.
    let text = std::fs::read_to_string(d.join("theories.csv")).unwrap();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (all, neither) = (col("glutamate_rel:all"), col("glutamate_rel:neither"));
    let peak = |c: usize| {
        text.lines()
            .skip(1)
            .filter_map(|l| l.split(',').nth(c).and_then(|v| v.parse::<f64>().ok()))
            .fold(f64::MIN, f64::max)
    };
    assert!(
        peak(all) > peak(neither) + 0.05,
        "no glutamate surge difference"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn circuit_writes_traces_and_phase_plane() {
    let d = tmp("circuit");
    let ds = d.to_str().unwrap();
    let out = ok(&[
        "circuit",
        "--duration-ms",
        "20",
        "--occupancy",
        "0.5",
        "--set",
        "receptor.interneuron_sensitivity=3",
        "--out",
        ds,
    ]);
    // Single-site formula: L = 0.5/0.5 = 1, occ_i = 3/(1+3).
    assert!(out.contains("interneurons 75 %"), "{out}");
    check_figure(&d, "circuit");
    for f in ["circuit.csv", "circuit_healthy.csv"] {
        let text = std::fs::read_to_string(d.join(f)).unwrap();
        assert_eq!(
            text.lines().next(),
            Some("time_ms,exc_activity,inh_activity"),
            "{f}"
        );
        let last: Vec<f64> = text
            .lines()
            .last()
            .unwrap()
            .split(',')
            .map(|v| v.parse().unwrap())
            .collect();
        assert!((last[0] - 20.0).abs() < 1e-9, "{f} ends at {} ms", last[0]);
    }
    check_no_temp(&d);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn circuit_refuses_bad_numbers_without_writing() {
    let d = tmp("circuit-bad");
    let ds = d.to_str().unwrap();
    refused(
        &["circuit", "--occupancy", "1.5", "--out", ds],
        &d,
        "0 to 0.99",
    );
    refused(
        &["circuit", "--occupancy", "-0.1", "--out", ds],
        &d,
        "--occupancy",
    );
    refused(&["circuit", "--duration-ms", "0", "--out", ds], &d, "ms");
    refused(
        &["circuit", "--duration-ms", "-5", "--out", ds],
        &d,
        "above 0",
    );
    refused(
        &["circuit", "--duration-ms", "20000", "--out", ds],
        &d,
        "10000",
    );
    refused(
        &["circuit", "--set", "circuit.tau_exc=-1", "--out", ds],
        &d,
        "circuit.tau_exc",
    );
}

#[test]
fn synapse_picture_from_the_library() {
    let d = tmp("synapses");
    let mut s = synsim::scenario::Scenario::load("ketamine-iv-serial").unwrap();
    s.days = 10.0;
    let r = synsim::run::run(&s).unwrap();
    let files = synsim::plot::synapse::write(&r, &d, "synapses", &Default::default()).unwrap();
    assert_eq!(files.len(), 2);
    check_figure(&d, "synapses");
    // Rows beyond the end of the run are left out, the others are drawn.
    let svg = std::fs::read_to_string(d.join("synapses.svg")).unwrap();
    let has = |t: &str| svg.lines().any(|l| l.trim() == t);
    assert!(has("1 week") && !has("1 month (28 days)"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn demo_builds_the_whole_gallery() {
    let d = tmp("demo");
    let ds = d.to_str().unwrap();
    let out = ok(&["demo", "--out", ds]);
    assert!(out.contains("[1/") && out.contains("index.html"), "{out}");
    let html = std::fs::read_to_string(d.join("index.html")).unwrap();
    let pngs: Vec<&str> = html
        .split("src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    for (name, _) in synsim::scenario::BUILTINS {
        assert!(
            pngs.contains(&format!("dashboard-{name}.png").as_str()),
            "no dashboard for {name}"
        );
    }
    for want in [
        "compare.png",
        "theories.png",
        "circuit.png",
        "synapses-ketamine-iv-single.png",
    ] {
        assert!(pngs.contains(&want), "gallery lacks {want}");
    }
    for p in &pngs {
        check_figure(&d, p.trim_end_matches(".png"));
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "index.html must not load external resources"
    );
    check_no_temp(&d);
    let _ = std::fs::remove_dir_all(&d);
}

/// Text lines of an SVG (plotters writes each text element's content on
/// its own line).
fn svg_text(dir: &Path, stem: &str) -> String {
    std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap()
}

#[test]
fn titles_and_legends_follow_what_was_run() {
    let d = tmp("titles");
    let ds = d.to_str().unwrap();
    ok(&[
        "run",
        "placebo",
        "--regimen",
        "ketamine 0.5 mg/kg iv over 40 min every 7 d x 4",
        "--set",
        "synapse.turnover_d=20",
        "--no-plot",
        "--out",
        ds,
    ]);
    ok(&[
        "run",
        "placebo",
        "--regimen",
        "ketamine 0.5 mg/kg iv over 40 min every 7 d x 4",
        "--set",
        "synapse.turnover_d=20",
        "--out",
        ds,
    ]);
    let svg = svg_text(&d, "dashboard");
    // The regimen given replaces the scenario's own title (saline).
    assert!(svg.contains("Ketamine 0.5 mg/kg iv over 40 min every 7 d x 4"));
    assert!(!svg.contains("Saline infusion"));
    assert!(svg.contains("changed: synapse.turnover_d = 20"));
    // The score panel marks the healthy floor.
    assert!(svg.contains("healthy floor (6)"));
    // compare: readable legends, not scenario ids; --set listed.
    ok(&[
        "compare",
        "ketamine-iv-single",
        "placebo",
        "--set",
        "synapse.turnover_d=20",
        "--out",
        ds,
    ]);
    let svg = svg_text(&d, "compare");
    assert!(svg.contains("One ketamine infusion, 0.5 mg/kg over 40 min"));
    assert!(svg.contains("changed in every run: synapse.turnover_d = 20"));
    assert!(svg.lines().all(|l| l.trim() != "ketamine-iv-single"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn compare_varies_one_parameter_of_one_scenario() {
    let d = tmp("vary");
    let ds = d.to_str().unwrap();
    let out = ok(&[
        "compare",
        "ketamine-iv-single",
        "--vary",
        "synapse.max_density=1.1,1.4",
        "--out",
        ds,
    ]);
    assert!(out.contains("synapse.max_density=1.4"), "{out}");
    let svg = svg_text(&d, "compare");
    assert!(svg.contains("synapse.max_density = 1.1 vs 1.4"));
    assert!(svg.contains("synapse.max_density = 1.4"));
    let csv = std::fs::read_to_string(d.join("compare.csv")).unwrap();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .contains("symptom_score:synapse.max_density=1.1"));
    // Two scenarios with --vary, or one value, are refused with exit 2.
    let o = synsim(&[
        "compare",
        "placebo",
        "healthy",
        "--vary",
        "synapse.max_density=1.1,1.4",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = synsim(&["compare", "placebo", "--vary", "synapse.max_density=1.1"]);
    assert_eq!(o.status.code(), Some(2));
    // The default comparison stops at the end of the SSRI course and says so.
    let o = synsim(&["compare", "--out", ds]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("ssri-escitalopram course"), "{err}");
    let svg = svg_text(&d, "compare");
    assert!(svg.contains("Same patient, different treatments"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn theories_names_coinciding_settings() {
    let d = tmp("theories-same");
    let ds = d.to_str().unwrap();
    ok(&["theories", "ketamine-iv-single", "--out", ds]);
    let svg = svg_text(&d, "theories");
    assert!(svg.contains("same line: both theories = disinhibition only"));
    assert!(svg.contains("Synapses (theory 2 acts here)"));
    assert!(!svg.contains("mTOR activity (theory 2 acts here)"));
    assert!(svg.contains("synaptogenesis only:"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn small_messages_say_what_is_meant() {
    let o = synsim(&["run", "ketamine"]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("Did you mean \"ketamine-iv-single\""), "{e}");
    let o = synsim(&["params", "--filter", "zzz"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no parameter name starts with"));
    let o = synsim(&["run", "placebo", "--days", "0", "--no-plot"]);
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("the run length must be from 0.0417 d (1 h) to 3650 d"));
    let o = synsim(&[
        "run",
        "ketamine-iv-single",
        "--no-plot",
        "--out",
        tmp("plural").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("(1 dose)"));
    let o = synsim(&["list", "--help"]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("\\\""));
}

// ---------------------------------------------------------------------------
// Figure options: --title, --size, --font-scale, --style, --panels.

/// Exit code 2 and a message holding every one of `needles`; nothing written.
fn refused_with(args: &[&str], dir: &Path, needles: &[&str]) {
    for n in needles {
        refused(args, dir, n);
    }
}

#[test]
fn figure_options_are_checked_with_the_option_the_value_and_the_range() {
    let d = tmp("bad-options");
    let ds = d.to_str().unwrap();
    let run = |more: &[&str]| {
        let mut v = vec!["run", "ketamine-iv-single", "--days", "1", "--out", ds];
        v.extend_from_slice(more);
        v.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let args = |v: &[String]| v.to_vec();
    for (more, needles) in [
        (
            &["--size", "5:4"][..],
            &["--size", "5:4", "16:9", "4:3", "A4", "A4-landscape"][..],
        ),
        (&["--font-scale", "4"], &["--font-scale", "'4'", "0.5", "3"]),
        (&["--font-scale", "0.2"], &["--font-scale", "0.5 to 3"]),
        (
            &["--font-scale", "big"],
            &["--font-scale", "big", "0.5 to 3"],
        ),
        (
            &["--style", "sepia"],
            &["--style", "sepia", "colour", "print"],
        ),
        (&["--title", "  "], &["--title", "needs some text"]),
        (
            &["--panels", "score,synapse"],
            &[
                "--panels",
                "\"synapse\"",
                "plasma, receptors, glutamate, bdnf, synapses, score",
            ],
        ),
        (&["--panels", "score,score"], &["--panels", "twice"]),
    ] {
        let v = args(&run(more));
        let v: Vec<&str> = v.iter().map(String::as_str).collect();
        refused_with(&v, &d, needles);
    }
    let long = "t".repeat(201);
    let v = args(&run(&["--title", &long]));
    let v: Vec<&str> = v.iter().map(String::as_str).collect();
    refused_with(&v, &d, &["--title", "201 characters", "at most 200"]);
    // A figure of one panel has no panels to choose; demo makes many figures.
    refused_with(
        &[
            "sweep",
            "ketamine-iv-single",
            "--param",
            "regimen.dose=0.1:1:3",
            "--panels",
            "curve",
            "--out",
            ds,
        ],
        &d,
        &["--panels", "single panel"],
    );
    // demo's figures keep their own titles: it has no --title to refuse.
    refused_with(
        &["demo", "--title", "Gallery", "--out", ds],
        &d,
        &["--title"],
    );
    let help = Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(["demo", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("--font-scale") && !help.contains("--title") && !help.contains("--panels")
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// Every pixel of a PNG as RGB.
fn png_pixels(path: &Path) -> Vec<[u8; 3]> {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
    buf[..info.buffer_size()]
        .chunks(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect()
}

/// Pixels whose channels differ by more than `tol`: colour, not grey.
fn chromatic(pixels: &[[u8; 3]], tol: u8) -> usize {
    pixels
        .iter()
        .filter(|p| p[0].abs_diff(p[1]) > tol || p[1].abs_diff(p[2]) > tol)
        .count()
}

/// Largest `font-size` in an SVG.
fn max_font(svg: &str) -> f64 {
    svg.split("font-size=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse::<f64>().ok())
        .fold(0.0, f64::max)
}

#[test]
fn size_title_and_font_scale_change_the_figure() {
    let d = tmp("size-title");
    let ds = d.to_str().unwrap();
    let base = ["run", "ketamine-iv-single", "--days", "2", "--out", ds];
    ok(&base);
    let plain = svg_text(&d, "dashboard");
    for (size, want) in [
        ("16:9", (1920, 1080)),
        ("4:3", (1600, 1200)),
        ("A4", (1240, 1754)),
        ("a4-landscape", (1754, 1240)),
    ] {
        ok(&[&base[..], &["--size", size]].concat());
        assert_eq!(png_size(&d.join("dashboard.png")), want, "--size {size}");
        let svg = svg_text(&d, "dashboard");
        assert!(svg.contains(&format!("width=\"{}\" height=\"{}\"", want.0, want.1)));
    }
    ok(&[&base[..], &["--title", "Hours, not weeks"]].concat());
    let svg = svg_text(&d, "dashboard");
    assert!(svg.lines().any(|l| l.trim() == "Hours, not weeks"));
    assert!(!svg.contains("One ketamine infusion, 0.5 mg/kg over 40 min\n"));
    assert!(plain.contains("One ketamine infusion, 0.5 mg/kg over 40 min"));
    // Two panels on a slide: every text 1.5 times as large.
    let slide = [&base[..], &["--size", "16:9", "--panels", "score,synapses"]].concat();
    ok(&slide);
    let normal = svg_text(&d, "dashboard");
    ok(&[&slide[..], &["--font-scale", "1.5"]].concat());
    let big = svg_text(&d, "dashboard");
    let ratio = max_font(&big) / max_font(&normal);
    assert!((ratio - 1.5).abs() < 0.02, "{ratio}");
    let fonts = |svg: &str| {
        let mut v: Vec<f64> = svg
            .split("font-size=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let (a, b) = (fonts(&normal), fonts(&big));
    assert!(
        (b[0] / a[0] - 1.5).abs() < 0.05,
        "smallest text {} -> {}",
        a[0],
        b[0]
    );
    // Six panels cannot keep text three times as large on a 4:3 slide:
    // the whole figure's text shrinks until the plots have room.
    ok(&[&base[..], &["--font-scale", "3", "--size", "4:3"]].concat());
    let ratio = max_font(&svg_text(&d, "dashboard")) / max_font(&plain);
    assert!(ratio < 2.0, "{ratio}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn panels_choose_what_the_multi_panel_figures_show() {
    let d = tmp("panels");
    let ds = d.to_str().unwrap();
    let has = |svg: &str, t: &str| svg.lines().any(|l| l.trim() == t);
    ok(&[
        "run",
        "ketamine-iv-single",
        "--days",
        "2",
        "--panels",
        "score,synapses",
        "--out",
        ds,
    ]);
    let svg = svg_text(&d, "dashboard");
    // Numbered in the order asked; the others are left out.
    assert!(has(&svg, "1  Symptoms (illustrative score)"), "score first");
    assert!(has(&svg, "2  Synapses"));
    assert!(!svg.contains("Plasma concentration") && !svg.contains("Receptor block"));
    ok(&["theories", "--days", "2", "--panels", "score", "--out", ds]);
    let svg = svg_text(&d, "theories");
    assert!(has(&svg, "Symptoms (illustrative score)"));
    assert!(!svg.contains("Glutamate tone (theory 1 acts here)"));
    ok(&[
        "compare",
        "ketamine-iv-single",
        "placebo",
        "--days",
        "2",
        "--panels",
        "glutamate",
        "--out",
        ds,
    ]);
    let svg = svg_text(&d, "compare");
    assert!(has(&svg, "Glutamate tone (theory 1)"));
    assert!(!has(&svg, "Doses") && !svg.contains("Symptoms (illustrative score)"));
    ok(&["circuit", "--panels", "phase", "--out", ds]);
    let svg = svg_text(&d, "circuit");
    assert!(svg.contains("Phase plane") && !svg.contains("Activity over time"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn print_style_is_black_and_white() {
    let d = tmp("print");
    let ds = d.to_str().unwrap();
    // Two drugs at once: two dose markers, many coloured lines in colour.
    let regimen =
        "esketamine 56 mg nasal twice weekly for 2 w + escitalopram 10 mg oral daily for 2 w";
    let run = [
        "run",
        "placebo",
        "--regimen",
        regimen,
        "--days",
        "14",
        "--out",
        ds,
    ];
    ok(&run);
    let colour = png_pixels(&d.join("dashboard.png"));
    assert!(
        chromatic(&colour, 10) > 10_000,
        "the colour figure has colour"
    );
    ok(&[&run[..], &["--style", "print"]].concat());
    assert_eq!(chromatic(&png_pixels(&d.join("dashboard.png")), 2), 0);
    // Every colour of the SVG is a grey too.
    let svg = svg_text(&d, "dashboard");
    for c in svg.split('#').skip(1).filter_map(|s| s.get(..6)) {
        if c.chars().all(|x| x.is_ascii_hexdigit()) {
            assert!(c[..2] == c[2..4] && c[2..4] == c[4..], "#{c} is not grey");
        }
    }
    for (args, stem) in [
        (&["compare", "--days", "7"][..], "compare"),
        (
            &[
                "population",
                "ketamine-iv-serial",
                "--patients",
                "60",
                "--quiet",
            ],
            "population",
        ),
        (&["theories", "--days", "2"], "theories"),
        (&["circuit"], "circuit"),
    ] {
        ok(&[args, &["--style", "print", "--out", ds]].concat());
        let px = png_pixels(&d.join(format!("{stem}.png")));
        assert_eq!(chromatic(&px, 2), 0, "{stem} --style print has colour");
        // Lines, not only text: a good share of the figure is inked.
        let ink = px.iter().filter(|p| p[0] < 128).count();
        assert!(ink > px.len() / 200, "{stem}: {ink} dark pixels");
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_plus_regimen_gets_a_real_title() {
    let d = tmp("plus-title");
    let ds = d.to_str().unwrap();
    ok(&[
        "run",
        "placebo",
        "--regimen",
        "esketamine 56 mg nasal twice weekly for 4 w + escitalopram 10 mg oral daily for 4 w",
        "--days",
        "3",
        "--out",
        ds,
    ]);
    let svg = svg_text(&d, "dashboard");
    assert!(
        svg.lines()
            .any(|l| l.trim()
                == "Esketamine 56 mg nasal twice weekly + escitalopram 10 mg oral daily"),
        "no title from the regimen"
    );
    assert!(!svg.contains("Own regimen"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_regimen_of_thousands_of_characters_draws_quickly_at_any_size() {
    let d = tmp("long-regimen");
    let ds = d.to_str().unwrap();
    let regimen = vec!["ketamine 35 mg iv over 40 min once"; 100].join(" then ");
    assert!(regimen.len() > 3000);
    for args in [
        &["run", "placebo", "--days", "2"][..],
        &["compare", "placebo", "--days", "2"],
        &["theories", "placebo", "--days", "2"],
    ] {
        for look in [
            &["--font-scale", "3", "--size", "4:3"][..],
            &["--font-scale", "0.5", "--size", "A4", "--style", "print"],
        ] {
            let t0 = std::time::Instant::now();
            ok(&[args, look, &["--regimen", &regimen, "--out", ds]].concat());
            let took = t0.elapsed().as_secs_f64();
            assert!(took < 60.0, "{args:?} {look:?} took {took:.1} s");
            let stem = if args[0] == "run" {
                "dashboard"
            } else {
                args[0]
            };
            let svg = svg_text(&d, stem);
            // The regimen is cut, not written out in full.
            assert!(
                !svg.contains(&regimen[..600]),
                "{args:?}: regimen written out"
            );
            assert!(svg.len() < 3_000_000, "{args:?}: {} bytes", svg.len());
        }
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Two drugs' dose triangles never cover each other: each drug's marks get
/// their own row (esketamine sessions beside daily escitalopram pills).
#[test]
fn dose_marks_of_two_drugs_do_not_hide_each_other() {
    let d = tmp("two-drug-doses");
    let out = d.join("o");
    ok(&[
        "run",
        "esketamine-nasal",
        "--regimen",
        "esketamine 56 mg nasal once then 84 mg twice weekly x 7 + escitalopram 10 mg oral daily for 4 w",
        "--days",
        "30",
        "--out",
        out.to_str().unwrap(),
    ]);
    let svg = svg_text(&out, "dashboard");
    // Dose triangles: three-point polygons 16 px wide, (fill, left x, top y).
    let triangles: Vec<(String, i32, i32)> = svg
        .split("<polygon ")
        .skip(1)
        .filter_map(|p| {
            let attr = |name: &str| {
                let at = p.find(&format!("{name}=\""))? + name.len() + 2;
                Some(p[at..at + p[at..].find('"')?].to_string())
            };
            let pts: Vec<(i32, i32)> = attr("points")?
                .split_whitespace()
                .filter_map(|xy| {
                    let (x, y) = xy.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            (pts.len() == 3 && pts[1].0 - pts[0].0 == 16 && pts[0].1 == pts[1].1)
                .then_some(())
                .and_then(|()| Some((attr("fill")?, pts[0].0, pts[0].1)))
        })
        .collect();
    let fills: std::collections::BTreeSet<&str> = triangles.iter().map(|t| t.0.as_str()).collect();
    assert!(fills.len() >= 2, "two drugs' marks: {fills:?}");
    for a in &triangles {
        for b in &triangles {
            let overlap = (a.1 - b.1).abs() < 16 && (a.2 - b.2).abs() < 15;
            assert!(a.0 == b.0 || !overlap, "{a:?} covers {b:?}");
        }
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// `--title` names trial.png and, as "Power: TITLE", power.png, whose
/// axis has a tick at every trial size.
#[test]
fn a_title_names_the_trial_and_its_power_figure() {
    let d = tmp("trial-title");
    let out = d.join("o");
    ok(&[
        "trial",
        "ketamine-vs-midazolam",
        "--patients-per-arm",
        "5,10",
        "--replicates",
        "3",
        "--title",
        "One infusion vs midazolam",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    // The SVG writer puts each text on a line of its own.
    assert!(svg_text(&out, "trial").contains("\nOne infusion vs midazolam\n"));
    let power = svg_text(&out, "power");
    assert!(power.contains("\nPower: One infusion vs midazolam\n"));
    // The smallest trial size has its tick on the log axis.
    assert!(power.contains("\n5\n"));
    let _ = std::fs::remove_dir_all(&d);
}

/// `--vary` colours its runs in the order of the values (viridis, dark to
/// light), whatever order they are given in, and a panel where every run
/// draws the same line says so (issue: lines hidden under another).
#[test]
fn varied_runs_are_coloured_in_value_order_and_hidden_lines_are_named() {
    let d = tmp("vary-order");
    ok(&[
        "compare",
        "ketamine-iv-single",
        "--vary",
        "synapse.turnover_d=18,6,36",
        "--out",
        d.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(d.join("compare.svg")).unwrap();
    // Each legend label's swatch is the polyline just before its text.
    let swatch = |label: &str| -> String {
        let at = svg
            .find(&format!("\n{label}\n"))
            .unwrap_or_else(|| panic!("no legend entry {label}"));
        let before = &svg[..at];
        let s = before.rfind("stroke=\"#").unwrap() + "stroke=\"".len();
        before[s..s + 7].to_string()
    };
    let hex = |x: f64| {
        let c = synsim::plot::compare::ramp_colour(x);
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    };
    assert_eq!(swatch("synapse.turnover_d = 6"), hex(0.0));
    assert_eq!(swatch("synapse.turnover_d = 18"), hex(0.5));
    assert_eq!(swatch("synapse.turnover_d = 36"), hex(1.0));
    // Spine turnover does not reach glutamate or dissociation.
    assert_eq!(svg.matches("every run draws the same line").count(), 2);
    // Two of three scenarios coinciding are named.
    ok(&[
        "compare",
        "ketamine-iv-single",
        "ssri-escitalopram",
        "placebo",
        "--out",
        d.to_str().unwrap(),
    ]);
    let svg = svg_text(&d, "compare");
    assert!(svg.contains("same line: Escitalopram 10 mg daily for 12 weeks (SSRI comparator) and Saline infusion"), "{svg}");
    let _ = std::fs::remove_dir_all(&d);
}

/// A heat map's ticks sit on its cells' centres: the grid values, not
/// round numbers between them.
#[test]
fn heat_map_ticks_are_the_grid_values() {
    let dir = tmp("heat-ticks");
    ok(&[
        "sweep",
        "ketamine-iv-single",
        "--param",
        "regimen.dose=0.2:1.0:5",
        "--param",
        "synapse.turnover_d=9:36:4",
        "--typical",
        "--days",
        "8",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let svg = svg_text(&dir, "sweep");
    let tick = |t: &str| svg.contains(&format!(">\n{t}\n</text>"));
    for t in ["9", "18", "27", "36", "0.2", "0.6", "1"] {
        assert!(tick(t), "no tick at the grid value {t}");
    }
    for t in ["10", "20", "30", "40"] {
        assert!(!tick(t), "a tick at {t}, between the cells");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
