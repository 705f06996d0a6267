//! `synsim serve` holds a classroom: a loopback load test.
//!
//! For [`LOAD`], 30 students, each from their own loopback address as if
//! from their own computer, use one server: 24 drag sliders (bursts of
//! single runs, each sent when the last answer arrived, as the page does,
//! then a pause to look), 6 run 500-patient populations of three built-in
//! scenarios. Beside them, 16 slow clients (8 that send their request a
//! byte at a time, 8 that never read their answer), 2 that ask for the
//! page's largest population and hang up at once, and 2 that ask for a
//! year of one patient over and over. The test asserts what a class needs:
//! single runs answered in under 300 ms at the 95th percentile, no 5xx and
//! no refused call for any of the students, populations not held up behind
//! abandoned ones, and the server's memory bounded.

use socket2::{Domain, SockAddr, Socket, Type};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long the class works.
const LOAD: Duration = Duration::from_secs(30);

/// The server, stopped when the test ends however it ends.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_synsim"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start synsim serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Server { child, port }
}

/// A connection from loopback address 127.0.0.`host`.
fn connect(host: u8, port: u16) -> std::io::Result<TcpStream> {
    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    s.bind(&SockAddr::from(SocketAddr::from((
        Ipv4Addr::new(127, 0, 0, host),
        0,
    ))))?;
    s.connect_timeout(
        &SockAddr::from(SocketAddr::from(([127, 0, 0, 1], port))),
        Duration::from_secs(5),
    )?;
    Ok(s.into())
}

/// One call: (status, seconds until the whole answer was read).
fn call(host: u8, port: u16, method: &str, body: &str) -> (u16, f64) {
    let t0 = Instant::now();
    let Ok(mut s) = connect(host, port) else {
        return (0, t0.elapsed().as_secs_f64());
    };
    let req = format!(
        "POST /api/{method} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut out = Vec::new();
    let status = s
        .write_all(req.as_bytes())
        .and_then(|_| s.read_to_end(&mut out))
        .ok()
        .and_then(|_| std::str::from_utf8(out.get(9..12)?).ok()?.parse().ok())
        .unwrap_or(0);
    (status, t0.elapsed().as_secs_f64())
}

/// A small seeded generator for the students' pauses and choices.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// What the students saw: (kind, status, seconds).
type Log = Arc<Mutex<Vec<(&'static str, u16, f64)>>>;

fn student(k: u8, port: u16, end: Instant, log: Log) {
    let mut rng = Lcg(u64::from(k) * 7919 + 1);
    let host = 10 + k;
    let mut step = 0u32;
    // Students start within the first five seconds, not at one instant.
    thread::sleep(Duration::from_secs_f64(5.0 * rng.next()));
    while Instant::now() < end {
        if k < 24 {
            // A slider drag: a burst of runs, each sent when the last
            // answer arrived, on the figure grid, as the page asks.
            for _ in 0..(4 + (rng.next() * 6.0) as u32) {
                step += 1;
                // The page's main controls: the dose of one infusion, the
                // dose of the nasal course, the patient's weight.
                let body = match k % 4 {
                    0 | 2 => {
                        let dose = 0.1 + 0.05 * f64::from(step % 18);
                        format!(
                            r#"{{"scenario":"ketamine-iv-single","regimen":"ketamine {dose:.2} mg/kg iv over 40 min once","display":true}}"#
                        )
                    }
                    1 => {
                        let mg = 28 + 4 * (step % 15);
                        format!(
                            r#"{{"scenario":"esketamine-nasal","regimen":"esketamine {mg} mg nasal twice weekly for 4 w then {mg} mg weekly for 4 w","display":true}}"#
                        )
                    }
                    _ => {
                        let kg = 50 + 3 * (step % 17);
                        format!(
                            r#"{{"scenario":"esketamine-nasal","set":{{"patient.weight_kg":{kg}}},"display":true}}"#
                        )
                    }
                };
                let (status, secs) = call(host, port, "run", &body);
                let kind = if k.is_multiple_of(2) {
                    "run-dose"
                } else {
                    "run-course"
                };
                log.lock().unwrap().push((kind, status, secs));
            }
            thread::sleep(Duration::from_secs_f64(5.0 + 10.0 * rng.next()));
        } else {
            let scenario = [
                "ketamine-iv-single",
                "ketamine-iv-serial",
                "esketamine-nasal",
            ][(step % 3) as usize];
            step += 1;
            let body = format!(r#"{{"scenario":"{scenario}","patients":500,"seed":{step}}}"#);
            let (status, secs) = call(host, port, "population", &body);
            log.lock().unwrap().push(("population", status, secs));
            thread::sleep(Duration::from_secs_f64(5.0 + 10.0 * rng.next()));
        }
    }
}

/// Sends a request head a byte every 300 ms, again when cut off; returns
/// how long the server kept each connection that it cut off.
fn trickler(k: u8, port: u16, end: Instant) -> Vec<f64> {
    let head = b"POST /api/run HTTP/1.1\r\nContent-Length: 30\r\n";
    let mut held = Vec::new();
    while Instant::now() < end {
        let Ok(mut s) = connect(200 + k, port) else {
            break;
        };
        let t0 = Instant::now();
        for b in head.iter().cycle() {
            if Instant::now() >= end {
                break;
            }
            if s.write_all(&[*b]).is_err() {
                held.push(t0.elapsed().as_secs_f64());
                break;
            }
            thread::sleep(Duration::from_millis(300));
        }
    }
    held
}

/// Sends a run request and never reads the answer.
fn non_reader(k: u8, port: u16, end: Instant) {
    let body = r#"{"scenario":"ketamine-iv-serial","days":90}"#;
    let req = format!(
        "POST /api/run HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut held = Vec::new();
    while Instant::now() < end {
        if let Ok(mut s) = connect(210 + k, port) {
            let _ = s.write_all(req.as_bytes());
            held.push(s);
        }
        thread::sleep(Duration::from_secs(4));
    }
}

/// Asks for the page's largest population of a long course and hangs up.
fn quitter(k: u8, port: u16, end: Instant) {
    let body = r#"{"scenario":"esketamine-nasal","patients":2000}"#;
    let req = format!(
        "POST /api/population HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    while Instant::now() < end {
        if let Ok(mut s) = connect(220 + k, port) {
            let _ = s.write_all(req.as_bytes());
            thread::sleep(Duration::from_millis(200));
        }
        thread::sleep(Duration::from_secs(2));
    }
}

/// The server's peak resident memory, MB (Linux; `None` elsewhere).
fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

#[test]
fn one_server_holds_a_class_of_thirty_and_sixteen_slow_clients() {
    let server = start();
    let port = server.port;
    // Warm up: the catalog, as every page does first.
    assert_eq!(call(9, port, "catalog", "").0, 200);
    let end = Instant::now() + LOAD;
    let log: Log = Arc::default();
    let abuse_log: Log = Arc::default();
    let mut threads = Vec::new();
    for k in 0..30 {
        let log = Arc::clone(&log);
        threads.push(thread::spawn(move || student(k, port, end, log)));
    }
    let trick: Vec<_> = (0..8)
        .map(|k| thread::spawn(move || trickler(k, port, end)))
        .collect();
    for k in 0..8 {
        threads.push(thread::spawn(move || non_reader(k, port, end)));
    }
    for k in 0..2 {
        threads.push(thread::spawn(move || quitter(k, port, end)));
        let log = Arc::clone(&abuse_log);
        threads.push(thread::spawn(move || {
            let body = r#"{"scenario":"ketamine-maintenance","days":365}"#;
            while Instant::now() < end {
                let r = call(230 + k, port, "run", body);
                log.lock().unwrap().push(("year", r.0, r.1));
                thread::sleep(Duration::from_secs(1));
            }
        }));
    }
    for t in threads {
        t.join().unwrap();
    }
    let cut: Vec<f64> = trick.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let log = log.lock().unwrap().clone();
    let times = |kind: &str| -> Vec<f64> {
        log.iter()
            .filter(|(k, _, _)| k.starts_with(kind))
            .map(|r| r.2)
            .collect()
    };
    let runs = times("run");
    let pops = times("population");
    let bad: Vec<_> = log.iter().filter(|(_, s, _)| *s != 200).collect();
    let years = abuse_log.lock().unwrap().clone();
    let p95 = percentile(runs.clone(), 0.95);
    let pop95 = percentile(pops.clone(), 0.95);
    let rss = peak_rss_mb(server.child.id());
    eprintln!(
        "one dose: median {:.0} ms, p95 {:.0} ms; a course: median {:.0} ms, p95 {:.0} ms",
        1e3 * percentile(times("run-dose"), 0.5),
        1e3 * percentile(times("run-dose"), 0.95),
        1e3 * percentile(times("run-course"), 0.5),
        1e3 * percentile(times("run-course"), 0.95),
    );
    eprintln!(
        "{} single runs: median {:.0} ms, p95 {:.0} ms; {} populations: median {:.2} s, \
         p95 {:.2} s; {} one-year runs; peak memory {rss:?} MB",
        runs.len(),
        1e3 * percentile(runs.clone(), 0.5),
        1e3 * p95,
        pops.len(),
        percentile(pops.clone(), 0.5),
        pop95,
        years.len(),
    );
    // A request that has not arrived in 5 s is cut off (the first write
    // after the server closed fails a moment later).
    assert!(cut.len() >= 16, "slow requests cut off: {cut:?}");
    assert!(cut.iter().all(|t| (5.0..6.5).contains(t)), "{cut:?}");
    assert!(
        bad.is_empty(),
        "students got {} failed calls: {bad:?}",
        bad.len()
    );
    assert!(
        years.iter().all(|y| y.1 == 200),
        "a one-year run was refused: {years:?}"
    );
    assert!(runs.len() > 250, "only {} single runs", runs.len());
    assert!(pops.len() >= 12, "only {} populations", pops.len());
    assert!(p95 < 0.300, "single runs p95 {:.0} ms", 1e3 * p95);
    // Populations share the heavy lane, in turn per student, with the
    // abandoned ones (stopped) and the year-long runs.
    assert!(pop95 < 5.0, "populations p95 {pop95:.2} s");
    // What the server holds at most: each never-reading client 4 answers
    // (8 × 4 plotted-length runs of about 5 MB), one heavy call (a year of
    // one patient, about 60 MB while it is written) and the threads' stacks.
    if let Some(mb) = rss {
        assert!(mb < 400.0, "the server peaked at {mb:.0} MB");
    }
    // A call whose client hung up is stopped: the page's largest population
    // of the longest course (about 8 s on the heavy lane's one core here)
    // abandoned after 0.3 s holds up the next population by less than that.
    let body = r#"{"scenario":"esketamine-nasal","patients":5000}"#;
    let req = format!(
        "POST /api/population HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut s = connect(240, port).unwrap();
    s.write_all(req.as_bytes()).unwrap();
    thread::sleep(Duration::from_millis(300));
    drop(s);
    let next = r#"{"scenario":"ketamine-iv-single","patients":500}"#;
    let (status, secs) = call(241, port, "population", next);
    eprintln!("a population after an abandoned one: {secs:.2} s");
    assert_eq!(status, 200);
    assert!(secs < 2.0, "the abandoned population ran on: {secs:.2} s");
}
