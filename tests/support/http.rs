//! A tiny HTTP/1.1 server on 127.0.0.1 for tests that fetch over the network:
//! each connection is answered by a handler on its own thread, and every
//! request is recorded so a test can check what `cov` sent.
//!
//! ```ignore
//! let server = Server::start(|req| Reply::ok("application/json", SPEC));
//! Test::new().args(["endpoints", "--spec", &server.url("/openapi.json")]);
//! ```

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The longest any connection is kept open, whatever the reply.
const MAX_CONNECTION: Duration = Duration::from_secs(20);

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
pub enum Reply {
    /// Write these bytes (a whole response) and close.
    Raw(Vec<u8>),
    /// Read the request, then say nothing until the test ends.
    Hang,
    /// Send a head promising a large body, then one byte every 100 ms.
    Trickle,
}

impl Reply {
    /// A complete response with a status line, content type and body.
    pub fn status(code: u16, reason: &str, content_type: &str, body: &[u8]) -> Reply {
        Reply::with_headers(code, reason, &[("Content-Type", content_type)], body)
    }

    pub fn ok(content_type: &str, body: &str) -> Reply {
        Reply::status(200, "OK", content_type, body.as_bytes())
    }

    pub fn with_headers(code: u16, reason: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut out = format!("HTTP/1.1 {code} {reason}\r\n");
        for (name, value) in headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ));
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(body);
        Reply::Raw(bytes)
    }

    /// A redirect to `location` (absolute or relative).
    pub fn redirect(code: u16, location: &str) -> Reply {
        Reply::with_headers(code, "Found", &[("Location", location)], b"")
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<Request>>>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let accept = {
            let stop = Arc::clone(&stop);
            let requests = Arc::clone(&requests);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let handler = Arc::clone(&handler);
                    let stop = Arc::clone(&stop);
                    let requests = Arc::clone(&requests);
                    thread::spawn(move || serve(stream, &*handler, &stop, &requests));
                }
            })
        };
        Server {
            addr,
            stop,
            requests,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("requests lock").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

fn serve(mut stream: TcpStream, handler: &Handler, stop: &AtomicBool, log: &Mutex<Vec<Request>>) {
    let started = Instant::now();
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    // A TLS handshake (first byte 0x16) gets a plain-text answer at once, as
    // a real plain-HTTP server would give.
    let mut first = [0u8; 1];
    if stream.peek(&mut first).is_ok_and(|n| n == 1) && first[0] == 0x16 {
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        return;
    }
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    log.lock().expect("requests lock").push(request.clone());
    match handler(&request) {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes);
            let _ = stream.flush();
        }
        Reply::Hang => {
            while !stop.load(Ordering::SeqCst) && started.elapsed() < MAX_CONNECTION {
                thread::sleep(Duration::from_millis(50));
            }
        }
        Reply::Trickle => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                        Content-Length: 100000000\r\n\r\n{\"openapi\": \"3.0.0\", \"x\": \"";
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            while !stop.load(Ordering::SeqCst) && started.elapsed() < MAX_CONNECTION {
                if stream
                    .write_all(b"a")
                    .and_then(|()| stream.flush())
                    .is_err()
                {
                    return;
                }
                thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// Reads the request head (the body, if any, is ignored).
fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 64 * 1024 || stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Request {
        method,
        path,
        headers,
    })
}

/// A port on 127.0.0.1 that nothing listens on: a privileged one that refuses.
pub fn closed_port() -> u16 {
    // A port below 1024 is never handed out for port 0, so no test running
    // in parallel can take it between this check and the request; binding
    // and dropping an ephemeral port would leave that race open.
    for port in 1..1024 {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let probe = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(1));
        if probe.is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused) {
            return port;
        }
    }
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local addr").port();
    drop(listener);
    port
}
