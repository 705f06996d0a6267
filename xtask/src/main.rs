//! Build tasks: `cargo run --release -p xtask -- lab [FILE]`.
//!
//! `lab` compiles the lab's engine (crates/synsim-web) to WebAssembly and
//! writes one self-contained page, `target/lab/synsim-lab.html` unless a
//! FILE is given: the page of `web/index.html` with every script and style
//! sheet inlined and the WebAssembly module inlined as base64, so it opens
//! straight from disk (`file://`), offline, with nothing to install. The
//! copy for readers without Rust is committed as `docs/lab/synsim-lab.html`
//! and refreshed with `cargo run --release -p xtask -- lab docs/lab/synsim-lab.html`
//! (docs/lab/README.md; `.ci/lab` fails when it is stale). Needs the target
//! `wasm32-unknown-unknown` (`rustup target add wasm32-unknown-unknown`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const TARGET: &str = "wasm32-unknown-unknown";
const WASM_SLOT: &str = r#"<script id="synsim-wasm" type="application/octet-stream"></script>"#;
const USAGE: &str = "usage: cargo run --release -p xtask -- lab [FILE]   \
                     (FILE defaults to target/lab/synsim-lab.html; `--out FILE` also works)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("lab") => lab(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace this xtask was run from. `cargo run` and `cargo test` set
/// CARGO_MANIFEST_DIR for the running program too; the compile-time value
/// is only the fallback, because a binary reused from another checkout
/// (a copied or shared target/) would otherwise bundle that checkout's
/// engine and pages.
fn root() -> PathBuf {
    root_from(std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from))
}

/// The workspace above xtask's manifest directory as cargo gives it when
/// running the task, else as it was when the task was compiled.
fn root_from(manifest_dir: Option<PathBuf>) -> PathBuf {
    manifest_dir
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

fn lab(args: &[String]) -> Result<(), String> {
    let root = root();
    let out = out_path(&root, args)?;
    let wasm = build_wasm(&root)?;
    let bytes = std::fs::read(&wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let page = bundle(&root.join("web"), &bytes)?;
    write_atomic(&out, page.as_bytes())?;
    println!(
        "wrote {} ({:.2} MB; engine {:.2} MB of WebAssembly)",
        out.display(),
        page.len() as f64 / 1e6,
        bytes.len() as f64 / 1e6
    );
    Ok(())
}

/// Where `lab` writes: FILE (relative to where cargo was run), `--out FILE`,
/// or target/lab/synsim-lab.html.
fn out_path(root: &Path, args: &[String]) -> Result<PathBuf, String> {
    match args {
        [] => Ok(root.join("target/lab/synsim-lab.html")),
        [path] if !path.starts_with('-') => Ok(PathBuf::from(path)),
        [flag, path] if flag == "--out" => Ok(PathBuf::from(path)),
        _ => Err(USAGE.into()),
    }
}

/// `cargo build` of the engine for the browser, in the `web` profile.
fn build_wasm(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "-p",
            "synsim-web",
            "--lib",
            "--no-default-features",
        ])
        .args(["--target", TARGET, "--profile", "web"])
        // 128-bit SIMD (every current browser): the lock-step batches of
        // virtual patients run two lanes per instruction.
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "-C target-feature=+simd128",
        )
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "building the WebAssembly engine failed; is the target installed? \
             (rustup target add {TARGET})"
        ));
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target_dir.join(TARGET).join("web").join("synsim_web.wasm"))
}

/// web/index.html with its scripts, style sheets and the engine inlined.
fn bundle(web: &Path, wasm: &[u8]) -> Result<String, String> {
    let html = read(&web.join("index.html"))?;
    if !html.contains(WASM_SLOT) {
        return Err(format!("web/index.html has no {WASM_SLOT}"));
    }
    let mut out = String::with_capacity(html.len() + wasm.len() * 4 / 3 + 200_000);
    for line in html.lines() {
        let t = line.trim();
        if let Some(src) = attr(t, "<script src=\"") {
            let js = read(&web.join(src))?;
            if js.contains("</script") {
                return Err(format!(
                    "web/{src} contains \"</script\" and cannot be inlined"
                ));
            }
            out.push_str(&format!("<script>/* {src} */\n{js}\n</script>\n"));
        } else if let Some(href) = attr(t, "<link rel=\"stylesheet\" href=\"") {
            let css = read(&web.join(href))?;
            out.push_str(&format!("<style>/* {href} */\n{css}\n</style>\n"));
        } else if t == WASM_SLOT {
            out.push_str(&line.replace("></script>", &format!(">{}</script>", base64(wasm))));
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// The quoted value after `prefix` when the whole tag is on one line.
fn attr<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(prefix)?;
    let end = rest.find('"')?;
    let v = &rest[..end];
    // Only the page's own relative files: never a URL.
    (!v.contains("://") && !v.starts_with('/')).then_some(v)
}

fn read(p: &Path) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
}

fn write_atomic(p: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let tmp = p.with_extension("html.tmp");
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, p))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("cannot write {}: {e}", p.display())
        })
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                s.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn lab_writes_where_it_is_told() {
        let root = Path::new("/repo");
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let committed = Path::new("docs/lab/synsim-lab.html");
        assert_eq!(
            out_path(root, &args(&[])).unwrap(),
            root.join("target/lab/synsim-lab.html")
        );
        assert_eq!(
            out_path(root, &args(&["docs/lab/synsim-lab.html"])).unwrap(),
            committed
        );
        assert_eq!(
            out_path(root, &args(&["--out", "docs/lab/synsim-lab.html"])).unwrap(),
            committed
        );
        for bad in [&["--out"][..], &["--outt"], &["a", "b"]] {
            assert!(out_path(root, &args(bad)).unwrap_err().contains("usage"));
        }
    }

    #[test]
    fn root_is_the_checkout_cargo_runs_the_task_in() {
        // A binary compiled in one checkout and reused from another (a copied
        // target/) must bundle the checkout it is run in.
        let elsewhere = PathBuf::from("/elsewhere/synsim/xtask");
        assert_eq!(root_from(Some(elsewhere)), Path::new("/elsewhere/synsim"));
        assert!(root_from(None).join("web/index.html").is_file());
    }

    #[test]
    fn the_page_inlines_every_local_file() {
        let page = bundle(&root().join("web"), b"\0asm").unwrap();
        assert!(!page.contains("<script src="), "a script was left out");
        assert!(
            !page.contains("rel=\"stylesheet\""),
            "a style sheet was left out"
        );
        assert!(page.contains(">AGFzbQ==</script>"));
    }
}
