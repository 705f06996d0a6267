//! `synsim kit`: every lesson's kit builds, through the binary; its
//! answer key's numbers are a fresh `synsim run`'s; its teacher notes'
//! timings add up to the lesson's length; the school kit speaks plainly;
//! the handout prints to PDF in headless Chromium (skipped, saying so,
//! where Chromium is not installed; required by .ci/lab).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Every kit: (lesson, level).
const KITS: [(&str, &str); 7] = [
    ("hours-not-weeks", "school"),
    ("1", "university"),
    ("2", "university"),
    ("3", "university"),
    ("4", "university"),
    ("5", "university"),
    ("6", "university"),
];

fn synsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(args)
        .output()
        .expect("synsim runs")
}

fn ok(args: &[&str]) -> Output {
    let o = synsim(args);
    assert!(
        o.status.success(),
        "synsim {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("synsim-kit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Builds the kit of `lesson` at `level` into a fresh folder of test `tag`
/// (tests run side by side).
fn build(tag: &str, lesson: &str, level: &str) -> PathBuf {
    let dir = temp_dir(&format!("{tag}-{lesson}-{level}")).join("kit");
    let out = dir.to_str().unwrap();
    ok(&["kit", lesson, "--level", level, "--out", out]);
    dir
}

/// Removes a kit built by [`build`] (and its test folder).
fn done(kit: &Path) {
    if let Some(d) = kit.parent() {
        let _ = std::fs::remove_dir_all(d);
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p:?}: {e}"))
}

/// Width and height of a PNG, from its header.
fn png_size(p: &Path) -> (u32, u32) {
    let b = std::fs::read(p).unwrap();
    assert_eq!(&b[1..4], b"PNG", "{p:?}");
    let be = |k: usize| u32::from_be_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
    (be(16), be(20))
}

/// The CSV fields of one line, with "..." quoting.
fn fields(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// A CSV file as rows of column name -> text.
fn read_csv(p: &Path) -> Vec<BTreeMap<String, String>> {
    let text = read(p);
    let mut lines = text.lines();
    let head = fields(lines.next().unwrap());
    lines
        .map(|l| {
            let f = fields(l);
            assert_eq!(f.len(), head.len(), "ragged row in {p:?}: {l}");
            head.iter().cloned().zip(f).collect()
        })
        .collect()
}

/// The words of a shell command line, with "..." quoting.
fn words(cmd: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for c in cmd.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// (minutes of each row, stated total) of the teacher notes' timing table.
fn timings(notes: &str) -> (Vec<u32>, u32) {
    let rows: Vec<u32> = notes
        .split("<tr><td>")
        .skip(1)
        .filter_map(|r| r.split("</td><td>").nth(2))
        .filter_map(|m| m.parse().ok())
        .collect();
    let stated = notes
        .split("of a ")
        .nth(1)
        .and_then(|r| r.split('-').next())
        .and_then(|m| m.parse().ok())
        .expect("the notes state the lesson's length");
    (rows, stated)
}

#[test]
fn every_kit_builds_with_slides_pages_and_timings_that_add_up() {
    for (lesson, level) in KITS {
        let dir = build("builds", lesson, level);
        let mut slides: Vec<PathBuf> = std::fs::read_dir(dir.join("slides"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        slides.sort();
        assert!(!slides.is_empty(), "{lesson}: no slides");
        let notes = read(&dir.join("teacher-notes.html"));
        for (k, s) in slides.iter().enumerate() {
            let name = s.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                name.starts_with(&format!("{:02}-", k + 1)),
                "{lesson}: {name}"
            );
            assert!(
                notes.contains(&format!("slides/{name}")),
                "{lesson}: notes miss {name}"
            );
            assert!(
                s.with_extension("svg").exists(),
                "{lesson}: {name} has no SVG"
            );
            let (w, h) = png_size(s);
            if !name.contains("spines") {
                assert_eq!((w, h), (1920, 1080), "{lesson}: {name} is not a 16:9 slide");
            }
        }
        for page in ["handout.html", "answer-key.html", "teacher-notes.html"] {
            let html = read(&dir.join(page));
            assert!(html.contains("not clinical advice") || html.contains("not medical advice"));
            assert!(
                !html.contains("http://") && !html.contains("https://"),
                "{page}"
            );
        }
        let handout = read(&dir.join("handout.html"));
        assert!(
            handout.contains("@page") && handout.contains("<svg"),
            "{lesson}"
        );
        let (rows, stated) = timings(&notes);
        assert_eq!(
            rows.iter().sum::<u32>(),
            stated,
            "{lesson} {level}: {rows:?}"
        );
        assert!(!dir.join(".scratch").exists());
        done(&dir);
    }
}

#[test]
fn the_answer_keys_numbers_are_a_fresh_runs() {
    for (lesson, level) in KITS {
        let dir = build("answers", lesson, level);
        let key = read_csv(&dir.join("answer-key.csv"));
        let html = read(&dir.join("answer-key.html"));
        assert!(!key.is_empty(), "{lesson}: empty answer key");
        let mut runs: BTreeMap<String, Vec<BTreeMap<String, String>>> = BTreeMap::new();
        for row in &key {
            let cmd = &row["command"];
            if !runs.contains_key(cmd) {
                let out = dir.join(format!("run-{}", runs.len()));
                let mut args = words(cmd);
                assert_eq!(args.remove(0), "synsim");
                args.extend([
                    "--out".into(),
                    out.to_string_lossy().into_owned(),
                    "--no-plot".into(),
                ]);
                let a: Vec<&str> = args.iter().map(String::as_str).collect();
                ok(&a);
                runs.insert(cmd.clone(), read_csv(&out.join("timeseries.csv")));
            }
            let t: f64 = row["time_h"].parse().unwrap();
            let at = runs[cmd]
                .iter()
                .find(|r| (r["time_h"].parse::<f64>().unwrap() - t).abs() < 1e-6)
                .unwrap_or_else(|| panic!("{cmd}: no row at {t} h"));
            assert_eq!(
                at[&row["column"]], row["value"],
                "{lesson}: {cmd}, {} at {t} h",
                row["column"]
            );
            assert!(
                html.contains(&format!("<b>{}</b>", row["shown"])),
                "{lesson}: {} not in the answer key",
                row["shown"]
            );
        }
        for k in 0..10 {
            let p = format!("{{{k}}}");
            assert!(
                !html.contains(&p),
                "{lesson}: placeholder {p} was left unfilled"
            );
        }
        done(&dir);
    }
}

#[test]
fn the_school_kit_speaks_plainly() {
    let dir = build("plain", "hours-not-weeks", "school");
    let handout = read(&dir.join("handout.html"));
    let key = read(&dir.join("answer-key.html"));
    for d in synsim::params::REGISTRY {
        assert!(!handout.contains(d.name), "the handout names {}", d.name);
        // The answer key names parameters only in the commands that check it.
        let prose: String = key
            .split("<code>")
            .map(|p| p.split("</code>").last().unwrap_or(""))
            .collect();
        assert!(!prose.contains(d.name), "the answer key names {}", d.name);
    }
    for word in ["log scale", "NMDA", "mTOR", "BDNF", "equation"] {
        assert!(!handout.contains(word), "the school handout says {word}");
    }
    let notes = read(&dir.join("teacher-notes.html"));
    assert!(
        notes.contains("spine lifetime (days)"),
        "the plain label is used"
    );
    done(&dir);
}

#[test]
fn unknown_lessons_and_levels_name_the_valid_ones() {
    let o = synsim(&["kit", "seven"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("unknown lesson \"seven\"")
            && e.contains("1 hours-not-weeks (school, university)"),
        "{e}"
    );
    let o = synsim(&["kit", "3", "--level", "school"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no school level"));
}

/// Prints `html` to PDF with headless Chromium on `paper` (an @page size),
/// and returns the PDF's bytes.
fn print_pdf(chromium: &str, html: &Path, paper: &str, out: &Path) -> Vec<u8> {
    let text = read(html).replace("@page {", &format!("@page {{ size: {paper}; "));
    let copy = html.with_file_name(format!("handout-{}.html", paper.replace(' ', "-")));
    std::fs::write(&copy, text).unwrap();
    let o = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", out.display()),
            &format!("file://{}", copy.display()),
        ])
        .output()
        .expect("chromium runs");
    assert!(
        out.exists(),
        "no PDF: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read(out).unwrap()
}

#[test]
fn the_handout_prints_to_pdf_on_a4_and_letter() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(chromium) = chromium else {
        assert!(
            std::env::var_os("SYNSIM_REQUIRE_CHROMIUM").is_none(),
            "SYNSIM_REQUIRE_CHROMIUM is set but no chromium was found"
        );
        eprintln!("skipped: no chromium on the PATH (.ci/lab installs it and runs this test)");
        return;
    };
    for (lesson, level) in [("hours-not-weeks", "school"), ("1", "university")] {
        let dir = build("pdf", lesson, level);
        for (paper, media) in [
            ("A4", "/MediaBox [0 0 59"),
            ("letter", "/MediaBox [0 0 612 "),
        ] {
            let pdf = print_pdf(
                chromium,
                &dir.join("handout.html"),
                paper,
                &dir.join(format!("{paper}.pdf")),
            );
            assert!(pdf.starts_with(b"%PDF"), "{lesson} {paper}");
            let text = String::from_utf8_lossy(&pdf);
            // One media box per page.
            let pages = text.matches("/MediaBox").count();
            assert!((1..=4).contains(&pages), "{lesson} {paper}: {pages} pages");
            assert_eq!(
                text.matches(media).count(),
                pages,
                "{lesson}: not printed on {paper}"
            );
        }
        done(&dir);
    }
}

#[test]
fn style_school_draws_plain_words_on_a_linear_axis() {
    let dir = temp_dir("style");
    let out = dir.join("fig");
    ok(&[
        "compare",
        "ketamine-iv-single",
        "--vary",
        "synapse.turnover_d=9,36",
        "--panels",
        "score,synapses",
        "--style",
        "school",
        "--out",
        out.to_str().unwrap(),
    ]);
    let svg = read(&out.join("compare.svg"));
    assert!(
        svg.contains("spine lifetime (days) = 9"),
        "the plain label names the lines"
    );
    assert!(
        !svg.contains("synapse.turnover_d"),
        "the dotted name is not shown"
    );
    assert!(
        !svg.contains("log scale"),
        "a school figure has a linear time axis"
    );
    assert!(svg.contains("How depressed"), "plain panel titles");
    let o = synsim(&["compare", "--style", "comic"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("school"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Words a secondary-school class would not read on a figure, and the figure
/// texts that carry them (what `--style school` must replace).
const TECHNICAL: &[&str] = &[
    "NMDA block,",
    "pyramidal",
    "interneuron",
    "(metabolite)",
    "MADRS",
    "percentile",
    "nullcline",
    "tissue transmitter",
    "confidence interval",
    "illustrative score",
    "synapse.turnover_d",
    "mechanisms.",
    "healthy floor",
    "Receptor block",
    "Plasma concentration",
    "synaptogenesis only",
];

#[test]
fn every_figure_command_speaks_plainly_in_the_school_style() {
    let dir = temp_dir("school-figures");
    let out = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let runs: &[(&str, Vec<String>)] = &[
        (
            "run/dashboard.svg",
            vec![
                "run".into(),
                "ketamine-iv-single".into(),
                "--set".into(),
                "synapse.turnover_d=9".into(),
            ],
        ),
        (
            "run-ssri/dashboard.svg",
            vec!["run".into(), "ssri-escitalopram".into()],
        ),
        (
            "population/population.svg",
            vec![
                "population".into(),
                "ketamine-iv-single".into(),
                "--patients".into(),
                "40".into(),
            ],
        ),
        (
            "trial/trial.svg",
            vec![
                "trial".into(),
                "ketamine-vs-midazolam".into(),
                "--patients-per-arm".into(),
                "20".into(),
            ],
        ),
        (
            "sweep/sweep.svg",
            vec![
                "sweep".into(),
                "ketamine-iv-single".into(),
                "--param".into(),
                "synapse.turnover_d=9:36:3".into(),
                "--patients".into(),
                "20".into(),
                "--days".into(),
                "8".into(),
            ],
        ),
        ("circuit/circuit.svg", vec!["circuit".into()]),
        (
            "theories/theories.svg",
            vec!["theories".into(), "ketamine-iv-single".into()],
        ),
        (
            "compare/compare.svg",
            vec![
                "compare".into(),
                "ketamine-iv-single".into(),
                "ssri-escitalopram".into(),
            ],
        ),
    ];
    for (file, args) in runs {
        let folder = file.split('/').next().unwrap();
        let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = out(folder);
        a.extend(["--style", "school", "--out", &o]);
        ok(&a);
        let svg = read(&dir.join(file));
        for word in TECHNICAL {
            assert!(!svg.contains(word), "{file}: \"{word}\" in a school figure");
        }
        // The same figure in colour does use the technical words, so the
        // list above is tested against real figure text.
        let colour = format!("{o}-colour");
        let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
        a.extend(["--out", &colour]);
        ok(&a);
        let svg = read(
            &dir.join(format!("{folder}-colour"))
                .join(file.split('/').nth(1).unwrap()),
        );
        assert!(
            TECHNICAL.iter().any(|w| svg.contains(w)),
            "{file}: the colour figure has none of the technical words"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn each_slide_s_remake_command_draws_that_slide() {
    for (lesson, level) in KITS {
        let dir = build("remake", lesson, level);
        let notes = read(&dir.join("teacher-notes.html"));
        let commands: Vec<String> = notes
            .split("Remake or change it: <code>")
            .skip(1)
            .map(|r| {
                r.split("</code>")
                    .next()
                    .unwrap()
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            })
            .collect();
        let mut slides: Vec<PathBuf> = std::fs::read_dir(dir.join("slides"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "svg"))
            .collect();
        slides.sort();
        assert_eq!(
            commands.len(),
            slides.len(),
            "{lesson}: a command per slide"
        );
        for (k, (cmd, slide)) in commands.iter().zip(&slides).enumerate() {
            let out = dir.join(format!("remade-{k}"));
            let mut args = words(cmd);
            assert_eq!(args.remove(0), "synsim");
            let figure = format!(
                "{}.svg",
                if args[0] == "run" {
                    "dashboard"
                } else {
                    &args[0]
                }
            );
            args.extend(["--out".into(), out.to_string_lossy().into_owned()]);
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            ok(&a);
            assert!(
                read(&out.join(&figure)) == read(slide),
                "{lesson} {level}: `{cmd}` does not draw {slide:?}"
            );
            // A slide shows every word whole: no title, subtitle sentence
            // or panel heading cut short with an ellipsis.
            assert!(
                !read(slide).contains('\u{2026}'),
                "{lesson} {level}: {slide:?} cuts a text short"
            );
        }
        done(&dir);
    }
}
