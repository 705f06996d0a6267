//! `synsim serve`: the lab in a browser, served by this binary.
//!
//! The page, its scripts and styles are embedded at build time (nothing is
//! read from disk or fetched at run time); the page calls the native engine
//! at full speed through `POST /api/<method>` ([`synsim_web::api::call`]),
//! the same JSON the in-page WebAssembly engine answers. The server listens
//! on 127.0.0.1 unless told otherwise, reads bounded requests, never touches
//! the file system on behalf of a request and stops with Ctrl-C.

use super::common::InputError;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Serve the interactive lab on this computer.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim serve                   # http://127.0.0.1:8080/ on this computer only
  synsim serve --port 9000 --open
  synsim serve --host 0.0.0.0    # reachable from the classroom network (warns)

The same page also exists as one self-contained file that needs no server:
`cargo run -p xtask -- lab` writes target/lab/synsim-lab.html (see README).
Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Port to listen on
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on; anything but loopback exposes the lab to the network
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Open the page in the default browser
    #[arg(long)]
    pub open: bool,
}

/// Largest request body, bytes (a request is a few hundred bytes).
const MAX_BODY: usize = 64 * 1024;
/// Largest request head (request line plus headers), bytes.
const MAX_HEAD: usize = 16 * 1024;
/// Connections handled at once; more wait in the kernel's queue.
const MAX_CONNECTIONS: usize = 16;

/// The page's files, embedded; `page_files_cover_index_html` keeps the
/// list complete.
static FILES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../../web/index.html"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../../web/style.css"),
    ),
    (
        "engine.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/engine.js"),
    ),
    (
        "charts.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/charts.js"),
    ),
    (
        "controls.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/controls.js"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/app.js"),
    ),
    (
        "vendor/uplot-1.6.32/uPlot.iife.min.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/vendor/uplot-1.6.32/uPlot.iife.min.js"),
    ),
    (
        "vendor/uplot-1.6.32/uPlot.min.css",
        "text/css; charset=utf-8",
        include_str!("../../web/vendor/uplot-1.6.32/uPlot.min.css"),
    ),
    (
        "vendor/uplot-1.6.32/LICENSE",
        "text/plain; charset=utf-8",
        include_str!("../../web/vendor/uplot-1.6.32/LICENSE"),
    ),
];

/// Runs the subcommand (until Ctrl-C).
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let addr = SocketAddr::new(a.host, a.port);
    let listener = TcpListener::bind(addr).map_err(|e| {
        InputError(format!(
            "cannot listen on {addr}: {e}. Is another program using port {}? Try --port {}",
            a.port,
            a.port.wrapping_add(1).max(1024)
        ))
    })?;
    let url = format!("http://{}/", listener.local_addr()?);
    if !a.host.is_loopback() {
        eprintln!(
            "warning: --host {} makes the lab reachable from other computers on the network",
            a.host
        );
    }
    outln!("synsim lab at {url}  (Ctrl-C to stop; a teaching tool, never clinical advice)");
    let _ = std::io::stdout().flush();
    if a.open {
        open_browser(&url);
    }
    let busy = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if busy.load(Ordering::Acquire) >= MAX_CONNECTIONS {
            let mut s = stream;
            let _ = respond(
                &mut s,
                503,
                "application/json",
                &error("the lab is busy: try again"),
            );
            continue;
        }
        busy.fetch_add(1, Ordering::AcqRel);
        let busy = Arc::clone(&busy);
        std::thread::spawn(move || {
            let mut s = stream;
            let _ = handle(&mut s);
            busy.fetch_sub(1, Ordering::AcqRel);
        });
    }
    Ok(ExitCode::SUCCESS)
}

/// Best effort: the page is usable from the printed address anyway.
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("could not start a browser: open {url} yourself");
    }
}

/// One HTTP/1.1 exchange (the connection then closes).
fn handle(s: &mut TcpStream) -> std::io::Result<()> {
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let (method, path, body) = match read_request(s) {
        Ok(r) => r,
        Err(msg) => {
            eprintln!("bad request: {msg}");
            return respond(s, 400, "application/json", &error(&msg));
        }
    };
    let (status, kind, bytes) = route(&method, &path, &body);
    respond(s, status, kind, &bytes)
}

/// Answers one request: (status, content type, body).
pub fn route(method: &str, path: &str, body: &str) -> (u16, &'static str, Vec<u8>) {
    let path = path.split(['?', '#']).next().unwrap_or("");
    if let Some(api) = path.strip_prefix("/api/") {
        if method != "POST" && !(method == "GET" && api == "catalog") {
            return (405, "application/json", error("use POST for /api/ methods"));
        }
        let (status, out) = synsim_web::api::answer(api, body);
        return (status, "application/json", out.into_bytes());
    }
    if method != "GET" && method != "HEAD" {
        return (405, "application/json", error("only GET serves the page"));
    }
    let name = match path.trim_start_matches('/') {
        "" => "index.html",
        p => p,
    };
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, text)) => (200, kind, text.as_bytes().to_vec()),
        None => (404, "application/json", error("no such page")),
    }
}

fn error(msg: &str) -> Vec<u8> {
    serde_json::json!({"ok": false, "error": {"message": msg, "kind": "input"}})
        .to_string()
        .into_bytes()
}

/// Reads the request line, the headers and a bounded body.
fn read_request(s: &mut TcpStream) -> Result<(String, String, String), String> {
    let mut r = BufReader::new(s.take((MAX_HEAD + MAX_BODY) as u64));
    let mut head = 0usize;
    let mut line = String::new();
    let mut next_line = |r: &mut BufReader<_>, line: &mut String| -> Result<(), String> {
        line.clear();
        let n = r
            .read_line(line)
            .map_err(|_| "unreadable request".to_string())?;
        head += n;
        if n == 0 || head > MAX_HEAD {
            return Err("request head too long or cut short".into());
        }
        Ok(())
    };
    next_line(&mut r, &mut line)?;
    let mut words = line.split_whitespace();
    let (method, path) = match (words.next(), words.next()) {
        (Some(m), Some(p)) => (m.to_string(), p.to_string()),
        _ => return Err("not an HTTP request".into()),
    };
    let mut length = 0usize;
    loop {
        next_line(&mut r, &mut line)?;
        let h = line.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v
                    .trim()
                    .parse()
                    .map_err(|_| "bad Content-Length".to_string())?;
            }
        }
    }
    if length > MAX_BODY {
        return Err(format!("request body over {MAX_BODY} bytes"));
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body)
        .map_err(|_| "request body cut short".to_string())?;
    let body = String::from_utf8(body).map_err(|_| "request body is not UTF-8".to_string())?;
    Ok((method, path, body))
}

fn respond(s: &mut TcpStream, status: u16, kind: &str, body: &[u8]) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    s.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_files_cover_index_html() {
        let index = FILES[0].2;
        let after = |attr: &str| index.split(attr).skip(1).collect::<Vec<_>>();
        for part in after("src=\"").into_iter().chain(after("href=\"")) {
            let target = part.split('"').next().unwrap_or("");
            if target.contains(':') || target.starts_with('#') {
                continue;
            }
            assert!(
                FILES.iter().any(|(n, _, _)| *n == target),
                "web/index.html uses {target}, which serve does not embed"
            );
        }
    }

    #[test]
    fn routes_answer_pages_api_and_errors() {
        assert_eq!(route("GET", "/", "").0, 200);
        assert_eq!(route("GET", "/app.js?x=1", "").0, 200);
        assert_eq!(route("GET", "/../Cargo.toml", "").0, 404);
        assert_eq!(route("GET", "/api/catalog", "").0, 200);
        assert_eq!(route("GET", "/api/run", "").0, 405);
        assert_eq!(route("DELETE", "/", "").0, 405);
        let (st, _, b) = route("POST", "/api/run", r#"{"scenario":"nope"}"#);
        assert_eq!(st, 400);
        assert!(String::from_utf8(b).unwrap().contains("Did you mean"));
        let (st, _, _) = route("POST", "/api/run", r#"{"scenario":"healthy","days":2}"#);
        assert_eq!(st, 200);
    }
}
