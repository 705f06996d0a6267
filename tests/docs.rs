//! Keeps the documentation true to the code.
//!
//! - docs/MODEL.md holds generated blocks: the parameter tables (the output
//!   of `synsim params --markdown`), the calibration targets (`synsim
//!   validate --list --markdown`) and, per stage, the equations copied from
//!   the module documentation next to the code. If either changed, the test
//!   fails and says how to regenerate:
//!
//!   ```text
//!   SYNSIM_UPDATE_DOCS=1 cargo test --test docs
//!   ```
//!
//! - Every `synsim …` command in docs/ uses a real subcommand, real
//!   parameter names with valid values, regimen notation that parses and
//!   scenario names that exist, so lessons keep working as the model changes.

use std::path::{Path, PathBuf};
use std::process::Command;
use synsim::params::{lookup, parse_value, REGISTRY};
use synsim::regimen::Regimen;
use synsim::scenario::builtin;

const UPDATE_VAR: &str = "SYNSIM_UPDATE_DOCS";
const PARAMS_BEGIN: &str = "<!-- params:begin -->";
const PARAMS_END: &str = "<!-- params:end -->";
const TARGETS_BEGIN: &str = "<!-- targets:begin -->";
const TARGETS_END: &str = "<!-- targets:end -->";
const EQ_BEGIN: &str = "<!-- equations:begin ";
const EQ_END: &str = "<!-- equations:end -->";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// What `synsim ARGS` prints (the generated blocks' text).
fn synsim_prints(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(args)
        .output()
        .expect("synsim runs");
    assert!(o.status.success(), "synsim {} failed", args.join(" "));
    String::from_utf8(o.stdout).expect("UTF-8")
}

/// The ```text blocks of a source file's `//!` module documentation.
fn module_equations(src: &str) -> String {
    #[derive(PartialEq)]
    enum Fence {
        Outside,
        Text,
        Other,
    }
    let mut out = Vec::new();
    let mut fence = Fence::Outside;
    for line in src.lines() {
        let Some(rest) = line.trim_start().strip_prefix("//!") else {
            if line.trim().is_empty() {
                continue;
            }
            break;
        };
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        let t = rest.trim();
        if t.starts_with("```") {
            fence = match fence {
                Fence::Outside if t == "```text" => Fence::Text,
                Fence::Outside => Fence::Other,
                _ => Fence::Outside,
            };
            continue;
        }
        if fence == Fence::Text {
            out.push(rest.trim_end().to_string());
        }
    }
    out.join("\n")
}

/// MODEL.md with every generated block brought up to date, plus the names
/// of the blocks that changed.
fn regenerate(md: &str) -> (String, Vec<String>) {
    let mut changed = Vec::new();
    let mut out = String::new();
    let mut rest = md;
    loop {
        // The next generated block: a fixed one (its begin marker) or a
        // module's equations.
        let fixed = [(PARAMS_BEGIN, PARAMS_END), (TARGETS_BEGIN, TARGETS_END)]
            .into_iter()
            .filter_map(|(b, e)| rest.find(b).map(|at| (at, Some((b, e)))));
        let eq = rest.find(EQ_BEGIN).map(|at| (at, None));
        let Some((start, block)) = fixed.chain(eq).min_by_key(|(at, _)| *at) else {
            break;
        };
        let (end_marker, name, body) = match block {
            Some((PARAMS_BEGIN, end)) => (
                end,
                "parameter tables".to_string(),
                synsim_prints(&["params", "--markdown"]),
            ),
            Some((_, end)) => (
                end,
                "calibration targets".to_string(),
                synsim_prints(&["validate", "--list", "--markdown"]),
            ),
            None => {
                let head_end = rest[start..]
                    .find("-->")
                    .expect("unterminated equations marker")
                    + start;
                let file = rest[start + EQ_BEGIN.len()..head_end].trim().to_string();
                let src = read(&root().join(&file));
                let eq = module_equations(&src);
                assert!(
                    !eq.is_empty(),
                    "{file} has no ```text block in its module docs"
                );
                (
                    EQ_END,
                    format!("equations of {file}"),
                    format!("\n```text\n{eq}\n```\n"),
                )
            }
        };
        let head_len = rest[start..].find("-->").unwrap() + 3;
        let body_start = start + head_len;
        let body_end = rest[body_start..]
            .find(end_marker)
            .unwrap_or_else(|| panic!("{name}: missing {end_marker}"))
            + body_start;
        let want = format!("\n{}\n", body.trim());
        if rest[body_start..body_end].trim() != want.trim() {
            changed.push(name);
        }
        out.push_str(&rest[..body_start]);
        out.push_str(&want);
        out.push_str(end_marker);
        rest = &rest[body_end + end_marker.len()..];
    }
    out.push_str(rest);
    (out, changed)
}

#[test]
fn model_md_generated_blocks_are_current() {
    let path = root().join("docs/MODEL.md");
    let md = read(&path);
    for marker in [PARAMS_BEGIN, PARAMS_END, TARGETS_BEGIN, TARGETS_END] {
        assert!(
            md.contains(marker),
            "docs/MODEL.md lost its marker {marker}"
        );
    }
    let (fresh, changed) = regenerate(&md);
    if changed.is_empty() {
        return;
    }
    if std::env::var_os(UPDATE_VAR).is_some() {
        let tmp = path.with_extension("md.tmp");
        std::fs::write(&tmp, fresh).expect("write docs/MODEL.md.tmp");
        std::fs::rename(&tmp, &path).expect("replace docs/MODEL.md");
        eprintln!("updated docs/MODEL.md: {}", changed.join(", "));
        return;
    }
    panic!(
        "docs/MODEL.md is out of date ({}). Regenerate it with\n\n    {UPDATE_VAR}=1 cargo test --test docs\n\n\
         then reread the prose next to any changed equations.",
        changed.join(", ")
    );
}

#[test]
fn module_equations_reads_text_fences_only() {
    let src = "//! Intro.\n//!\n//! ```text\n//! a = b\n//! ```\n//! More.\n//! ```toml\n//! x = 1\n//! ```\nuse y;\n";
    assert_eq!(module_equations(src), "a = b");
}

/// Every markdown file under docs/.
fn doc_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root().join("docs")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("docs/ exists") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "md") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// `synsim …` command lines: lines of fenced blocks and inline code spans.
fn commands(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            let l = line.trim().trim_start_matches("$ ");
            if l.starts_with("synsim ") {
                out.push(strip_comment(l));
            }
            continue;
        }
        for (k, span) in line.split('`').enumerate() {
            if k % 2 == 1 && span.starts_with("synsim ") {
                out.push(span.to_string());
            }
        }
    }
    out
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

/// Shell-like split on whitespace with double quotes; stops at a pipe or
/// redirection.
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
    let stop = out
        .iter()
        .position(|w| matches!(w.as_str(), "|" | ">" | ">>" | "&&" | ";"));
    out.truncate(stop.unwrap_or(out.len()));
    out
}

const SUBCOMMANDS: [&str; 17] = [
    "run",
    "compare",
    "synapses",
    "theories",
    "circuit",
    "population",
    "sweep",
    "sensitivity",
    "regimen",
    "params",
    "explain",
    "list",
    "validate",
    "demo",
    "serve",
    "trial",
    "kit",
];
/// Subcommands whose positional arguments are scenarios.
const TAKES_SCENARIOS: [&str; 8] = [
    "run",
    "compare",
    "synapses",
    "theories",
    "population",
    "sweep",
    "sensitivity",
    "params",
];

/// `<SCENARIO>`, `<notation>` and the like stand for something the reader fills in.
fn is_placeholder(s: &str) -> bool {
    s.starts_with('<') || s.ends_with('>') || s.contains("…") || s == "..."
}

/// Checks one command line; returns what is wrong with it.
fn check_command(cmd: &str) -> Vec<String> {
    let w = words(cmd);
    let mut problems = Vec::new();
    let Some(sub) = w.get(1) else {
        return vec!["no subcommand".into()];
    };
    if sub.starts_with('-') {
        return problems; // `synsim --help` and the like
    }
    if !SUBCOMMANDS.contains(&sub.as_str()) {
        return vec![format!("unknown subcommand \"{sub}\"")];
    }
    let mut i = 2;
    while i < w.len() {
        let a = &w[i];
        let value = w.get(i + 1).map(String::as_str);
        match a.as_str() {
            "--set" | "--param" => {
                let v = value.unwrap_or("");
                let (name, val) = v.split_once('=').unwrap_or((v, ""));
                match lookup(name) {
                    None if synsim::settable::lookup(name).is_ok() => {}
                    None => problems.push(format!("unknown parameter \"{name}\"")),
                    Some(id) if a == "--set" => {
                        if let Err(e) = parse_value(&REGISTRY[id.0], val) {
                            problems.push(e);
                        }
                    }
                    Some(_) => {}
                }
                i += 2;
            }
            "--regimen" if value.is_some_and(is_placeholder) => i += 2,
            "--regimen" => {
                if let Err(e) = Regimen::parse(value.unwrap_or("")) {
                    problems.push(e.to_string());
                }
                i += 2;
            }
            s if s.starts_with("--") => {
                // Flags with a value: skip it unless it looks like another flag.
                let takes_value = !matches!(
                    s,
                    "--no-plot"
                        | "--log-time"
                        | "--linear-time"
                        | "--json"
                        | "--toml"
                        | "--markdown"
                        | "--quiet"
                        | "--long"
                        | "--help"
                );
                i += if takes_value { 2 } else { 1 };
            }
            s if is_placeholder(s) => i += 1,
            s => {
                if sub == "regimen" {
                    if let Err(e) = Regimen::parse(s) {
                        problems.push(e.to_string());
                    }
                } else if TAKES_SCENARIOS.contains(&sub.as_str())
                    && builtin(s).is_none()
                    && !s.ends_with(".toml")
                {
                    problems.push(format!(
                        "\"{s}\" is neither a built-in scenario nor a .toml file"
                    ));
                }
                i += 1;
            }
        }
    }
    problems
}

#[test]
fn commands_in_docs_are_real() {
    let mut problems = Vec::new();
    let mut seen = 0;
    for file in doc_files() {
        for cmd in commands(&read(&file)) {
            seen += 1;
            for p in check_command(&cmd) {
                problems.push(format!("{}: `{cmd}`: {p}", file.display()));
            }
        }
    }
    assert!(seen > 20, "found only {seen} commands in docs/");
    assert!(
        problems.is_empty(),
        "commands in docs/ that would fail:\n{}",
        problems.join("\n")
    );
}

#[test]
fn command_checker_catches_mistakes() {
    assert!(check_command("synsim run ketamine-iv-single --set mechanisms.hnk=true").is_empty());
    assert!(!check_command("synsim run ketamine-iv-singel").is_empty());
    assert!(!check_command("synsim run ketamine-iv-single --set pk.ketamine.fu=7").is_empty());
    assert!(!check_command("synsim run ketamine-iv-single --set nope.nope=1").is_empty());
    assert!(!check_command(
        "synsim run placebo --regimen \"ketamine 0.5 mg/kg iv ovr 40 min once\""
    )
    .is_empty());
    assert!(!check_command("synsim frobnicate").is_empty());
    assert!(check_command("synsim params --toml > my.toml").is_empty());
    assert!(check_command("synsim regimen \"<notation>\"").is_empty());
    assert!(!check_command("synsim run ketamine-iv-single --regimen").is_empty());
    assert_eq!(strip_comment("synsim list   # all of them"), "synsim list");
}

/// GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Anchors of every heading in a markdown text (outside code fences).
fn anchors(md: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.push(slug(line.trim_start_matches('#')));
        }
    }
    out
}

/// Targets of `[text](target)` links.
fn links(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = md;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        if let Some(j) = rest.find(')') {
            out.push(rest[..j].to_string());
        }
    }
    out
}

#[test]
fn links_between_docs_resolve() {
    let mut broken = Vec::new();
    for file in doc_files() {
        let md = read(&file);
        for link in links(&md) {
            if link.starts_with("http") {
                continue;
            }
            let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            if !target.exists() {
                broken.push(format!("{}: {link} (no such file)", file.display()));
                continue;
            }
            if !anchor.is_empty()
                && target.extension().is_some_and(|e| e == "md")
                && !anchors(&read(&target)).iter().any(|a| a == anchor)
            {
                broken.push(format!("{}: {link} (no such heading)", file.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "broken links in docs/:\n{}",
        broken.join("\n")
    );
}

#[test]
fn slugs_and_links_are_read() {
    assert_eq!(links("see [a](b.md#c) and [d](#e)."), ["b.md#c", "#e"]);
    assert_eq!(slug(" 3.2 pk (pharmacokinetics)"), "32-pk-pharmacokinetics");
    assert_eq!(
        slug(" 4. Patients: healthy and depressed baselines"),
        "4-patients-healthy-and-depressed-baselines"
    );
}
