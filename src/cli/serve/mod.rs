//! `synsim serve`: the lab in a browser, served by this binary.
//!
//! The page, its scripts and styles are embedded at build time (nothing is
//! read from disk or fetched at run time); the page calls the native engine
//! at full speed through `POST /api/<method>` ([`synsim_web::api::answer`]),
//! the same JSON the in-page WebAssembly engine answers.
//!
//! Built to hold a classroom on a teacher's laptop: every connection has a
//! deadline to send its request and to take its answer
//! ([`http::READ_DEADLINE`], [`http::WRITE_DEADLINE`]); API calls wait in a
//! bounded queue and are taken in turn from each client ([`queue`]), quick
//! calls and populations in separate lanes so a page-maximum population
//! never holds up a slider; a call whose client hangs up is skipped, or
//! stopped between patients; answers are capped in size. The server
//! listens on 127.0.0.1 unless told otherwise, never touches the file
//! system on behalf of a request and stops with Ctrl-C.

mod files;
mod http;
mod queue;

use super::common::InputError;
use http::{Answer, Refused};
use queue::{Lane, Queue, Refusal};
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;
use synsim_web::api::Limits;

/// Serve the interactive lab on this computer.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim serve                   # http://127.0.0.1:8080/ on this computer only
  synsim serve --port 9000 --open
  synsim serve --host 0.0.0.0    # a classroom: prints the address students type

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

/// Connections open at once (each waits for its request within a
/// deadline, so slow clients free their place within seconds).
const MAX_OPEN: usize = 256;
/// Largest answer, numbers in its series: a built-in scenario's run sends
/// up to 450 000 (about a fifth of that on the figure grid the page
/// plots); a 10-year run of one infusion would send 12.9 million (155 MB
/// of JSON).
pub const MAX_VALUES: usize = 2_000_000;
/// How often a waiting connection checks that its client is still there.
const HANG_UP_POLL: Duration = Duration::from_millis(50);

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
    let port = listener.local_addr()?.port();
    announce(a.host, port)?;
    if a.open {
        open_browser(&format!("http://127.0.0.1:{port}/"));
    }
    let queue = Arc::new(Queue::default());
    start_workers(&queue)?;
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if open.load(Ordering::Acquire) >= MAX_OPEN {
            // Refused without reading: the refusal is short enough for the
            // socket's buffer, so this never blocks the accepting thread.
            let mut stream = stream;
            let _ = stream.set_nonblocking(true);
            let body = error(
                "the lab has too many connections open: try again in a moment",
                "input",
            );
            let a = Answer {
                status: 503,
                kind: "application/json",
                body: body.as_bytes(),
            };
            let _ = http::respond(&mut stream, &a, false);
            continue;
        }
        open.fetch_add(1, Ordering::AcqRel);
        let (open, queue) = (Arc::clone(&open), Arc::clone(&queue));
        let spawned = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                handle(stream, &queue);
                open.fetch_sub(1, Ordering::AcqRel);
            });
        if spawned.is_err() {
            eprintln!("could not start a connection thread: the connection was dropped");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints where the lab is; with a widened `--host`, the addresses that
/// students on the same network type.
fn announce(host: IpAddr, port: u16) -> anyhow::Result<()> {
    let shown = if host.is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        host
    };
    outln!(
        "synsim lab at {}  (Ctrl-C to stop; a teaching tool, never clinical advice)",
        url(shown, port)
    );
    if !host.is_loopback() {
        eprintln!(
            "warning: --host {host} makes the lab reachable from other computers on the network"
        );
        if host.is_unspecified() {
            let lan = lan_addresses();
            if lan.is_empty() {
                outln!("students type http://<this computer's address>:{port}/ (see its network settings)");
            }
            for ip in lan {
                outln!("students type {}", url(ip, port));
            }
        }
    }
    let _ = std::io::stdout().flush();
    Ok(())
}

fn url(ip: IpAddr, port: u16) -> String {
    format!("http://{}/", SocketAddr::new(ip, port))
}

/// This computer's IPv4 addresses other than loopback.
#[cfg(unix)]
fn lan_addresses() -> Vec<IpAddr> {
    let mut out = Vec::new();
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `list` with a linked list that is read
    // here only and released with freeifaddrs.
    unsafe {
        if libc::getifaddrs(&mut list) != 0 {
            return out;
        }
        let mut p = list;
        while !p.is_null() {
            let a = (*p).ifa_addr;
            if !a.is_null() && i32::from((*a).sa_family) == libc::AF_INET {
                let v4 = &*(a as *const libc::sockaddr_in);
                let ip = IpAddr::from(u32::from_be(v4.sin_addr.s_addr).to_be_bytes());
                if !ip.is_loopback() && !out.contains(&ip) {
                    out.push(ip);
                }
            }
            p = (*p).ifa_next;
        }
        libc::freeifaddrs(list);
    }
    out
}

#[cfg(not(unix))]
fn lan_addresses() -> Vec<IpAddr> {
    Vec::new()
}

/// The workers: quick calls on all cores; heavy calls one at a time on all
/// cores but one, at a lower priority, so a quick call always finds a core.
fn start_workers(queue: &Arc<Queue>) -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let heavy_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cores.saturating_sub(1).max(1))
        .thread_name(|k| format!("synsim-heavy-{k}"))
        .start_handler(|_| yield_to_quick_calls())
        .build()?;
    let heavy_pool = Arc::new(heavy_pool);
    let lanes = std::iter::repeat_n(Lane::Quick, cores.max(2)).chain([Lane::Heavy]);
    for lane in lanes {
        let queue = Arc::clone(queue);
        let pool = Arc::clone(&heavy_pool);
        std::thread::Builder::new()
            .name(format!("synsim-{lane:?}").to_lowercase())
            .spawn(move || loop {
                let job = queue.next(lane);
                let limits = Limits {
                    stop: &job.cancel,
                    max_values: MAX_VALUES,
                };
                let work = || synsim_web::api::answer_with(&job.method, &job.body, &limits);
                // A fault in the model answers 500 and leaves the worker running.
                let answer =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match lane {
                        Lane::Quick => work(),
                        Lane::Heavy => pool.install(work),
                    }))
                    .unwrap_or_else(|_| {
                        let msg = "the model failed on this request: please report it";
                        (500, error(msg, "run"))
                    });
                let _ = job.reply.send(answer);
            })?;
    }
    Ok(())
}

/// Lowers the calling thread's scheduling priority (Linux: per-thread
/// nice 10), so heavy calls use the cores quick calls leave idle and a
/// slider stays responsive beside a population.
fn yield_to_quick_calls() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority with `who` 0 changes only the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
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
fn handle(mut s: TcpStream, queue: &Queue) {
    let req = match http::read_request(&mut s) {
        Ok(req) => req,
        Err(Refused { status, message }) => {
            let _ = reply(&mut s, (status, error(&message, "input")));
            return;
        }
    };
    let head_only = req.method == "HEAD";
    let (status, kind, body) = match api_method(&req.path) {
        Some(m) => match check_api_method(&req.method, m) {
            Ok(()) => {
                let _ = call(&mut s, queue, m, req.body);
                return;
            }
            Err(refusal) => refusal,
        },
        None => page(&req.method, &req.path),
    };
    let _ = http::respond(
        &mut s,
        &Answer {
            status,
            kind,
            body: &body,
        },
        head_only,
    );
}

/// The API method a path names, if it is an API path.
fn api_method(path: &str) -> Option<&str> {
    path.split(['?', '#'])
        .next()
        .unwrap_or("")
        .strip_prefix("/api/")
}

type Reply = (u16, &'static str, Vec<u8>);

fn check_api_method(http_method: &str, api: &str) -> Result<(), Reply> {
    if http_method == "POST" || (http_method == "GET" && api == "catalog") {
        Ok(())
    } else {
        Err((
            405,
            "application/json",
            error("use POST for /api/ methods", "input").into_bytes(),
        ))
    }
}

/// Queues an API call, waits for its answer while the client is still
/// there and writes it; a client that hung up is not answered (its call is
/// then skipped or stopped).
fn call(s: &mut TcpStream, queue: &Queue, method: &str, body: String) -> std::io::Result<()> {
    let client = s.peer_addr()?.ip();
    let (tx, rx) = channel();
    let ticket = match queue.submit(client, method, body, tx) {
        Ok(t) => t,
        Err(Refusal::Full) => return reply(s, busy_json("the lab is busy: try again in a moment")),
        Err(Refusal::ClientBusy) => {
            return reply(
                s,
                busy_json("this computer already has several calls running: wait for them"),
            )
        }
    };
    loop {
        match rx.recv_timeout(HANG_UP_POLL) {
            // The ticket lives until the answer is written.
            Ok(answer) => return reply(s, answer),
            Err(RecvTimeoutError::Timeout) if !http::hung_up(s) => {}
            Err(_) => {
                ticket.cancel.store(true, Ordering::Release);
                return Ok(());
            }
        }
    }
}

fn reply(s: &mut TcpStream, (status, json): (u16, String)) -> std::io::Result<()> {
    let a = Answer {
        status,
        kind: "application/json",
        body: json.as_bytes(),
    };
    http::respond(s, &a, false)
}

fn busy_json(msg: &str) -> (u16, String) {
    (503, error(msg, "input"))
}

/// Answers a request for one of the page's files.
pub fn page(method: &str, path: &str) -> Reply {
    if method != "GET" && method != "HEAD" {
        return (
            405,
            "application/json",
            error("only GET serves the page", "input").into_bytes(),
        );
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    let name = match path.trim_start_matches('/') {
        "" => "index.html",
        p => p,
    };
    match files::FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, text)) => (200, kind, text.as_bytes().to_vec()),
        None => (
            404,
            "application/json",
            error("no such page", "input").into_bytes(),
        ),
    }
}

/// The API's error answer: `kind` is "input" (the student can fix it) or
/// "run" (the model failed).
fn error(msg: &str, kind: &str) -> String {
    serde_json::json!({"ok": false, "error": {"message": msg, "kind": kind}}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_states_the_server_s_limits() {
        let guide = include_str!("../../../docs/GUIDE.md")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for claim in [
            format!(
                "at most {} calls waiting or being answered",
                queue::MAX_PER_CLIENT
            ),
            format!("at most {} wait in all", queue::MAX_WAITING),
            format!("arrive within {} s", http::READ_DEADLINE.as_secs()),
            format!("taken within {} s", http::WRITE_DEADLINE.as_secs()),
            format!("an answer over {MAX_VALUES} numbers"),
        ] {
            assert!(guide.contains(&claim), "docs/GUIDE.md should say {claim:?}");
        }
    }

    /// Sends `request` to a one-connection server and returns the answer.
    fn exchange(request: &str) -> String {
        use std::io::Read;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (s, _) = listener.accept().unwrap();
            handle(s, &Queue::default());
        });
        let mut c = TcpStream::connect(addr).unwrap();
        c.write_all(request.as_bytes()).unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        server.join().unwrap();
        out
    }

    #[test]
    fn head_gets_the_head_of_get_and_no_body() {
        let get = exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        let head = exchange("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        let (get_head, get_body) = get.split_once("\r\n\r\n").unwrap();
        assert!(get_head.starts_with("HTTP/1.1 200 OK"), "{get_head}");
        assert!(get_head.contains(&format!("Content-Length: {}", get_body.len())));
        assert_eq!(head, format!("{get_head}\r\n\r\n"));
    }

    #[test]
    fn bad_requests_are_answered_with_their_status() {
        let big = format!(
            "POST /api/run HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            http::MAX_BODY + 1
        );
        assert!(exchange(&big).starts_with("HTTP/1.1 413 "));
        assert!(exchange("HEAD /api/run HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405 "));
        assert!(exchange("nonsense\r\n\r\n").starts_with("HTTP/1.1 400 "));
    }

    #[test]
    fn pages_and_api_paths_are_told_apart() {
        assert_eq!(page("GET", "/").0, 200);
        assert_eq!(page("HEAD", "/app.js?x=1").0, 200);
        assert_eq!(page("GET", "/../Cargo.toml").0, 404);
        assert_eq!(page("DELETE", "/").0, 405);
        assert_eq!(api_method("/api/run?x=1"), Some("run"));
        assert_eq!(api_method("/app.js"), None);
        assert!(check_api_method("GET", "catalog").is_ok());
        assert_eq!(check_api_method("GET", "run").unwrap_err().0, 405);
        assert_eq!(check_api_method("HEAD", "run").unwrap_err().0, 405);
        assert!(check_api_method("POST", "run").is_ok());
    }
}
