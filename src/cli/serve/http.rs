//! Just enough HTTP/1.1 for the lab: one request per connection, read and
//! answered within deadlines, so a slow or silent client cannot hold a
//! connection for long.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Largest request body, bytes (a request is a few hundred bytes).
pub const MAX_BODY: usize = 64 * 1024;
/// Largest request head (request line plus headers), bytes.
pub const MAX_HEAD: usize = 16 * 1024;
/// Time a client has to send its whole request.
pub const READ_DEADLINE: Duration = Duration::from_secs(5);
/// Time a client has to take the whole answer (a plotted run is under
/// 2 MB: a second on a slow classroom network).
pub const WRITE_DEADLINE: Duration = Duration::from_secs(10);

/// One request.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, `HEAD`, ...
    pub method: String,
    /// The path with its query.
    pub path: String,
    /// The body as text.
    pub body: String,
}

/// Why a request could not be read; `status` is the answer's.
#[derive(Debug)]
pub struct Refused {
    /// 400, 408, 413 or 431.
    pub status: u16,
    /// What was wrong, for the client.
    pub message: String,
}

fn refused(status: u16, message: impl Into<String>) -> Refused {
    Refused {
        status,
        message: message.into(),
    }
}

/// Reads a request that must arrive whole within [`READ_DEADLINE`].
pub fn read_request(s: &mut TcpStream) -> Result<Request, Refused> {
    let deadline = Instant::now() + READ_DEADLINE;
    let mut buf = Vec::with_capacity(1024);
    let head_end = loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            break end + 4;
        }
        if buf.len() > MAX_HEAD {
            return Err(refused(431, format!("request head over {MAX_HEAD} bytes")));
        }
        read_some(s, &mut buf, deadline)?;
    };
    let head = std::str::from_utf8(&buf[..head_end])
        .map_err(|_| refused(400, "the request head is not text"))?;
    let mut lines = head.split("\r\n");
    let mut words = lines.next().unwrap_or("").split_whitespace();
    let (method, path) = match (words.next(), words.next()) {
        (Some(m), Some(p)) => (m.to_string(), p.to_string()),
        _ => return Err(refused(400, "not an HTTP request")),
    };
    let mut length = 0usize;
    for h in lines {
        if let Some((k, v)) = h.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                length = v
                    .trim()
                    .parse()
                    .map_err(|_| refused(400, "bad Content-Length"))?;
            }
        }
    }
    if length > MAX_BODY {
        return Err(refused(413, format!("request body over {MAX_BODY} bytes")));
    }
    while buf.len() < head_end + length {
        read_some(s, &mut buf, deadline)?;
    }
    let body = String::from_utf8(buf[head_end..head_end + length].to_vec())
        .map_err(|_| refused(400, "the request body is not UTF-8"))?;
    Ok(Request { method, path, body })
}

/// One read, waiting no later than `deadline`.
fn read_some(s: &mut TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> Result<(), Refused> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(refused(408, "the request did not arrive in time"));
    }
    s.set_read_timeout(Some(left))
        .map_err(|_| refused(400, "unreadable request"))?;
    let mut chunk = [0u8; 4096];
    match s.read(&mut chunk) {
        Ok(0) => Err(refused(400, "the request was cut short")),
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Ok(())
        }
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            Err(refused(408, "the request did not arrive in time"))
        }
        Err(_) => Err(refused(400, "unreadable request")),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Has the client closed its side (hung up) while waiting for an answer?
pub fn hung_up(s: &TcpStream) -> bool {
    if s.set_nonblocking(true).is_err() {
        return true;
    }
    let mut byte = [0u8; 1];
    let gone = match s.peek(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    };
    gone || s.set_nonblocking(false).is_err()
}

/// The reason phrase of the statuses the server uses.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

/// An answer: status, content type, body; a `HEAD` request gets the same
/// head with no body.
pub struct Answer<'a> {
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub kind: &'a str,
    /// Body bytes.
    pub body: &'a [u8],
}

/// Writes `a`, giving up after [`WRITE_DEADLINE`].
pub fn respond(s: &mut TcpStream, a: &Answer, head_only: bool) -> io::Result<()> {
    let deadline = Instant::now() + WRITE_DEADLINE;
    // The answer's last small segment goes at once, not after the client's
    // delayed acknowledgement (up to 200 ms on some systems).
    s.set_nodelay(true)?;
    let retry = if a.status == 503 {
        "Retry-After: 2\r\n"
    } else {
        ""
    };
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{retry}\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        a.status,
        reason(a.status),
        a.kind,
        a.body.len()
    );
    write_by(s, head.as_bytes(), deadline)?;
    if !head_only {
        write_by(s, a.body, deadline)?;
    }
    s.flush()
}

/// Writes all of `bytes` unless `deadline` passes first.
fn write_by(s: &mut TcpStream, mut bytes: &[u8], deadline: Instant) -> io::Result<()> {
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        s.set_write_timeout(Some(left))?;
        let n = s.write(&bytes[..bytes.len().min(64 * 1024)])?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
    }
    Ok(())
}
