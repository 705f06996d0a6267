//! Keeps the module structure that synsim-core's crate docs draw.
//!
//! - **No import circles.** Within every folder of every crate, the sibling
//!   modules' imports (`crate::…`, `super::…`, `self::…` paths outside
//!   comments and test modules) form no cycle, so each module can be read
//!   knowing only the ones below it.
//! - **No arrow back up the chain.** In `synsim-core` a stage imports only
//!   the ground floor (`units`, `num`, `layout`, `params`) and the stages
//!   before it: regimen → pk → receptor → circuit → signalling → synapse →
//!   symptom, then `model` (which couples them) and `solve` (which
//!   integrates the model).
//! - **Small functions.** No production function (outside test modules)
//!   is longer than 80 lines, signature and braces included.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The source roots: each crate's `src/` (the command line's root is `src/`).
fn crate_roots() -> Vec<PathBuf> {
    let r = root();
    vec![
        r.join("src"),
        r.join("crates/synsim-core/src"),
        r.join("crates/synsim-plot/src"),
        r.join("crates/synsim-web/src"),
    ]
}

/// Every production `.rs` file under `dir` (test-only module files left out).
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let all = all_rust_files(dir);
    let tests = test_only_files(&all);
    all.into_iter().filter(|f| !tests.contains(f)).collect()
}

fn all_rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a readable source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            out.extend(all_rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The module path of a file (`a/b.rs` and `a/b/mod.rs` are both `a::b`;
/// the crate root is the empty path).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("a file under its root");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The production lines of a file: up to its inline test module (a
/// top-level `#[cfg(test)]` followed by `mod name {`). A test module in a
/// file of its own (`#[cfg(test)] mod name;`) is left out by
/// [`rust_files`] instead.
fn production_lines(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let end = (0..lines.len())
        .find(|&i| {
            lines[i].starts_with("#[cfg(test)]")
                && lines[i + 1..]
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| l.starts_with("mod ") && l.trim_end().ends_with('{'))
        })
        .unwrap_or(lines.len());
    lines[..end].to_vec()
}

/// The production code of a file, comment lines dropped.
fn production_code(text: &str) -> String {
    production_lines(text)
        .into_iter()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The files of test-only modules declared in `dir`'s files
/// (`#[cfg(test)]` then `mod name;`).
fn test_only_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).expect("a readable source file");
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for w in lines.windows(2) {
            let Some(name) = w[1].strip_prefix("mod ").and_then(|n| n.strip_suffix(';')) else {
                continue;
            };
            if w[0] == "#[cfg(test)]" {
                let dir = file.parent().expect("a file in a folder");
                let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                let base = if matches!(stem, "mod" | "lib" | "main") {
                    dir.to_path_buf()
                } else {
                    dir.join(stem)
                };
                out.push(base.join(format!("{name}.rs")));
                out.push(base.join(name).join("mod.rs"));
            }
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths after `head::` at byte `at`: one path, or the first segment
/// path of each item of a `{…}` group (`crate::{a::X, b}` → `a::X`, `b`).
fn paths_after(code: &str, at: usize) -> Vec<Vec<String>> {
    let rest = &code[at..];
    if let Some(group) = rest.strip_prefix('{') {
        let mut depth = 0usize;
        let mut end = group.len();
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    end = i;
                    break;
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        let mut items = Vec::new();
        let (mut depth, mut start) = (0usize, 0usize);
        let body = &group[..end];
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&body[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        items.push(&body[start..]);
        return items
            .into_iter()
            .map(|it| one_path(it.trim()))
            .filter(|p| !p.is_empty())
            .collect();
    }
    vec![one_path(rest)]
}

/// The `a::b::c` path at the start of `s`.
fn one_path(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let n = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        if n == 0 {
            break;
        }
        out.push(rest[..n].to_string());
        match rest[n..].strip_prefix("::") {
            Some(r) if r.starts_with(is_ident) => rest = r,
            _ => break,
        }
    }
    out
}

/// The module paths a file's production code names.
fn references(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for head in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(head) {
            let at = from + i;
            from = at + head.len();
            if code[..at].chars().next_back().is_some_and(is_ident) {
                continue;
            }
            let base: Vec<String> = match head {
                "crate::" => Vec::new(),
                // `super` of `a/b.rs` and of `a/b/mod.rs` (both `a::b`) is `a`.
                "super::" => module[..module.len().saturating_sub(1)].to_vec(),
                _ => module.to_vec(),
            };
            for p in paths_after(code, from) {
                let mut full = base.clone();
                full.extend(p);
                out.push(full);
            }
        }
    }
    out
}

/// Sibling-level import edges of one crate: (parent folder, from, to).
fn sibling_edges(src: &Path) -> BTreeSet<(Vec<String>, String, String)> {
    let files = rust_files(src);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(src, f)).collect();
    let mut edges = BTreeSet::new();
    for file in &files {
        let module = module_path(src, file);
        let text = std::fs::read_to_string(file).expect("a readable source file");
        for path in references(&module, &production_code(&text)) {
            // The longest prefix that is a module of this crate.
            let mut k = path.len();
            while k > 0 && !modules.contains(&path[..k]) {
                k -= 1;
            }
            let target = &path[..k];
            let common = module
                .iter()
                .zip(target)
                .take_while(|(a, b)| a == b)
                .count();
            if common < module.len() && common < target.len() {
                edges.insert((
                    module[..common].to_vec(),
                    module[common].clone(),
                    target[common].clone(),
                ));
            }
        }
    }
    edges
}

/// The cycles (strongly connected components with more than one module)
/// of a directed graph.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Kosaraju: finish order on the graph, then components on its reverse.
    fn visit(
        v: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<String>,
    ) {
        if !seen.insert(v.to_string()) {
            return;
        }
        for w in g.get(v).into_iter().flatten() {
            visit(w, g, seen, out);
        }
        out.push(v.to_string());
    }
    let nodes: BTreeSet<String> = graph
        .iter()
        .flat_map(|(a, bs)| std::iter::once(a.clone()).chain(bs.iter().cloned()))
        .collect();
    let mut reverse: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, bs) in graph {
        for b in bs {
            reverse.entry(b.clone()).or_default().insert(a.clone());
        }
    }
    let (mut seen, mut order) = (BTreeSet::new(), Vec::new());
    for v in &nodes {
        visit(v, graph, &mut seen, &mut order);
    }
    let mut assigned = BTreeSet::new();
    let mut found = Vec::new();
    for v in order.iter().rev() {
        let mut comp = Vec::new();
        visit(v, &reverse, &mut assigned, &mut comp);
        if comp.len() > 1 {
            comp.sort();
            found.push(comp);
        }
    }
    found
}

#[test]
fn no_module_imports_in_a_circle() {
    let mut circles = Vec::new();
    for src in crate_roots() {
        let mut graphs: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
        for (parent, from, to) in sibling_edges(&src) {
            graphs
                .entry(parent)
                .or_default()
                .entry(from)
                .or_default()
                .insert(to);
        }
        for (parent, graph) in &graphs {
            for c in cycles(graph) {
                circles.push(format!(
                    "{}: in {}: {}",
                    src.strip_prefix(root()).unwrap_or(&src).display(),
                    if parent.is_empty() {
                        "the crate root".to_string()
                    } else {
                        parent.join("::")
                    },
                    c.join(" ↔ ")
                ));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules importing each other in a circle:\n{}",
        circles.join("\n")
    );
}

#[test]
fn no_stage_imports_a_stage_above_it() {
    const GROUND: [&str; 4] = ["units", "num", "layout", "params"];
    const CHAIN: [&str; 9] = [
        "regimen",
        "pk",
        "receptor",
        "circuit",
        "signalling",
        "synapse",
        "symptom",
        "model",
        "solve",
    ];
    let src = root().join("crates/synsim-core/src");
    let floor = |m: &str| {
        if GROUND.contains(&m) {
            Some(0)
        } else {
            CHAIN.iter().position(|c| *c == m).map(|i| i + 1)
        }
    };
    let mut up = Vec::new();
    let mut seen_edges = 0;
    for (parent, from, to) in sibling_edges(&src) {
        if !parent.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (floor(&from), floor(&to)) {
            seen_edges += 1;
            // The ground floor imports nothing of the chain; a stage imports
            // the ground floor and the stages before it.
            if (a == 0 && b > 0) || (a > 0 && b > a) {
                up.push(format!("{from} imports {to}"));
            }
        }
    }
    // The graph is really read: the chain's stages import each other.
    assert!(seen_edges > 20, "only {seen_edges} imports found");
    assert!(
        up.is_empty(),
        "imports back up the chain (or from the ground floor into it):\n{}",
        up.join("\n")
    );
}

/// The name of the function a line declares (`fn`, `pub fn`,
/// `pub(crate) const fn`, …), if it does.
fn declared_fn(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace().peekable();
    while let Some(w) = words.next() {
        match w {
            "pub" | "const" | "async" | "unsafe" | "extern" => continue,
            _ if w.starts_with("pub(") => continue,
            "fn" => {
                let name = words.next()?;
                let end = name.find(|c: char| !is_ident(c)).unwrap_or(name.len());
                return (end > 0).then_some(&name[..end]);
            }
            _ => return None,
        }
    }
    None
}

/// Production functions longer than `limit` lines in `file`: (lines, name,
/// first line). Test modules (from the first top-level `#[cfg(test)]`) are
/// left out; a body ends where its braces balance.
fn long_functions(file: &Path, limit: usize) -> Vec<(usize, String, usize)> {
    let text = std::fs::read_to_string(file).expect("a readable source file");
    let lines = production_lines(&text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(name) = declared_fn(lines[i]) else {
            i += 1;
            continue;
        };
        let (mut depth, mut opened, mut j) = (0i64, false, i);
        while j < lines.len() {
            for c in lines[j].chars() {
                match c {
                    '{' => (depth, opened) = (depth + 1, true),
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if (opened && depth == 0) || (!opened && lines[j].trim_end().ends_with(';')) {
                break;
            }
            j += 1;
        }
        if opened && j - i + 1 > limit {
            out.push((j - i + 1, name.to_string(), i + 1));
        }
        i = if opened { j + 1 } else { i + 1 };
    }
    out
}

#[test]
fn no_production_function_is_over_80_lines() {
    let mut long = Vec::new();
    for src in crate_roots().into_iter().chain([root().join("xtask/src")]) {
        for file in rust_files(&src) {
            for (n, name, line) in long_functions(&file, 80) {
                let rel = file
                    .strip_prefix(root())
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                long.push(format!("{rel}:{line}: {name} is {n} lines"));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over 80 lines (split them into named steps):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_reader_finds_a_circle_and_a_path_group() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, vs)| (k.to_string(), vs.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
    let code = "use crate::{layout::{N, PK_N}, num::Real};\nuse super::canvas::Figure;";
    let refs = references(&["plot".into(), "x".into()], code);
    assert!(refs.contains(&vec!["layout".into()]));
    assert!(refs.contains(&vec!["num".into(), "Real".into()]));
    assert!(refs.contains(&vec!["plot".into(), "canvas".into(), "Figure".into()]));
    assert_eq!(
        declared_fn("    pub(crate) fn step<T: Real>("),
        Some("step")
    );
    assert_eq!(
        declared_fn("pub const fn lanes() -> usize {"),
        Some("lanes")
    );
    assert_eq!(declared_fn("    let f = |x| x;"), None);
    // The scanner finds long functions, also past a test-only module's
    // declaration near the top of a file (solve/mod.rs declares `coupled`
    // there): the ESDIRK driver is over 50 lines, the output grid's
    // `Window::times` over 30.
    let core = root().join("crates/synsim-core/src/solve");
    let names = |f: &str, limit: usize| -> Vec<String> {
        long_functions(&core.join(f), limit)
            .into_iter()
            .map(|x| x.1)
            .collect()
    };
    assert!(names("esdirk.rs", 50).contains(&"integrate_with".to_string()));
    assert!(names("mod.rs", 30).contains(&"times".to_string()));
}
