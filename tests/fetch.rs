//! Fetching the spec over HTTP from a server on 127.0.0.1 started by each
//! test: success in JSON, YAML and gzip, redirects, and one clear error for
//! every way a server or the network can fail. The header value is a secret
//! that must never be printed.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::support::http::{closed_port, Reply, Server};
use crate::support::Test;

const SECRET: &str = "Bearer s3cr3t-t0ken";
const HEADER: &str = "Authorization: Bearer s3cr3t-t0ken";

const JSON_SPEC: &str = r#"{"openapi": "3.0.3", "info": {"title": "Remote", "version": "1"},
  "paths": {"/remote/{id}": {"get": {"operationId": "get_remote", "tags": ["remote"]}}}}"#;

const YAML_SPEC: &str = "openapi: 3.1.0\ninfo: {title: Remote YAML, version: '2'}\n\
servers: [{url: 'https://example.com/api/'}]\n\
paths:\n  /things:\n    post: {operationId: make_thing}\n";

const HTML_PAGE: &str = "<!DOCTYPE html>\n<html><body><h1>Sign in</h1></body></html>\n";

/// A run that reaches 127.0.0.1 directly even where a proxy is configured.
fn cov() -> Test {
    Test::new()
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
}

/// `cov endpoints --spec URL -H HEADER`, expecting exit 2 and `message`.
fn fails_with(url: &str, message: &str) {
    fails_within(url, "5", message);
}

/// [`fails_with`] with `--timeout SECS`.
fn fails_within(url: &str, secs: &str, message: &str) {
    cov()
        .args(["endpoints", "--spec", url, "-H", HEADER, "--timeout", secs])
        .stdout("")
        .stderr_contains(message)
        .never_prints(SECRET)
        .never_prints("s3cr3t")
        .status(2);
}

#[test]
fn fetches_a_json_spec_with_the_header() {
    let server = Server::start(|req| match req.header("authorization") {
        Some(SECRET) => Reply::ok("application/json", JSON_SPEC),
        _ => Reply::status(401, "Unauthorized", "application/json", b"{}"),
    });
    cov()
        .args([
            "endpoints",
            "--spec",
            &server.url("/openapi.json"),
            "-H",
            HEADER,
        ])
        .stdout_contains("GET     /remote/{id}  remote  get_remote\n")
        .stderr("1 endpoint in Remote 1 (OpenAPI 3.0.3)\n")
        .never_prints("s3cr3t")
        .success();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/openapi.json");
}

#[test]
fn header_env_reads_the_token_from_the_environment() {
    let server = Server::start(|req| match req.header("x-api-key") {
        Some("env-s3cr3t") => Reply::ok("application/json", JSON_SPEC),
        _ => Reply::status(403, "Forbidden", "text/plain", b"no"),
    });
    cov()
        .env("COV_TEST_API_KEY", "env-s3cr3t")
        .args(["endpoints", "--spec", &server.url("/openapi.json")])
        .args(["--header-env", "X-Api-Key=COV_TEST_API_KEY"])
        .stdout_contains("get_remote")
        .never_prints("env-s3cr3t")
        .success();
}

#[test]
fn fetches_a_yaml_spec_without_an_extension() {
    let server = Server::start(|_| Reply::ok("application/yaml", YAML_SPEC));
    cov()
        .args(["endpoints", "--spec", &server.url("/openapi")])
        .stdout_contains("POST    /things        make_thing\n")
        .stderr("1 endpoint in Remote YAML 2 (OpenAPI 3.1.0, base path /api)\n")
        .success();
}

#[test]
fn fetches_a_gzip_body() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(JSON_SPEC.as_bytes()).expect("gzip");
    let body = gz.finish().expect("gzip");
    let server = Server::start(move |req| {
        assert!(
            req.header("accept-encoding")
                .is_some_and(|v| v.contains("gzip")),
            "cov should offer gzip"
        );
        Reply::with_headers(
            200,
            "OK",
            &[
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
            ],
            &body,
        )
    });
    cov()
        .args(["endpoints", "--spec", &server.url("/openapi.json")])
        .stdout_contains("get_remote")
        .success();
}

#[test]
fn unauthorized_asks_for_a_header() {
    let server = Server::start(|_| {
        Reply::status(
            401,
            "Unauthorized",
            "application/json",
            br#"{"detail": "Not authenticated"}"#,
        )
    });
    let url = server.url("/openapi.json");
    cov()
        .args(["endpoints", "--spec", &url])
        .stderr(&format!(
            "cov: cannot fetch {url}: HTTP 401 Unauthorized: the server wants credentials; \
             pass them with --header 'Name: value' or --header-env Name=ENVVAR\n"
        ))
        .status(2);
    fails_with(
        &url,
        &format!(
            "cov: cannot fetch {url}: HTTP 401 Unauthorized: the server refused the credentials; \
             check the --header / --header-env values\n"
        ),
    );
}

#[test]
fn forbidden_is_a_refusal_of_the_credentials() {
    let server = Server::start(|_| Reply::status(403, "Forbidden", "text/plain", b"nope"));
    let url = server.url("/openapi.json");
    fails_with(
        &url,
        &format!("cov: cannot fetch {url}: HTTP 403 Forbidden: the server refused the credentials"),
    );
}

#[test]
fn not_found_says_check_the_url() {
    let server = Server::start(|_| Reply::status(404, "Not Found", "text/plain", b"not found"));
    let url = server.url("/openapi.jsn");
    fails_with(
        &url,
        &format!("cov: cannot fetch {url}: HTTP 404 Not Found; check the URL\n"),
    );
}

#[test]
fn a_server_error_with_an_html_page_gives_the_status() {
    let server = Server::start(|_| {
        Reply::status(
            500,
            "Internal Server Error",
            "text/html",
            HTML_PAGE.as_bytes(),
        )
    });
    let url = server.url("/openapi.json");
    fails_with(
        &url,
        &format!(
            "cov: cannot fetch {url}: HTTP 500 Internal Server Error: the server failed; \
             try again or check its logs\n"
        ),
    );
}

#[test]
fn an_html_page_with_status_200_is_named() {
    let server = Server::start(|_| Reply::ok("text/html", HTML_PAGE));
    let url = server.url("/openapi.json");
    fails_with(
        &url,
        &format!(
            "cov: {url}: looks like an HTML page, not an OpenAPI document \
             (a login page or the wrong URL?)\n"
        ),
    );
}

#[test]
fn follows_a_redirect_and_keeps_the_header_on_the_same_origin() {
    let server = Server::start(|req| match req.path.as_str() {
        "/openapi.json" => Reply::redirect(302, "/v2/openapi.json"),
        "/v2/openapi.json" if req.header("authorization") == Some(SECRET) => {
            Reply::ok("application/json", JSON_SPEC)
        }
        _ => Reply::status(404, "Not Found", "text/plain", b""),
    });
    cov()
        .args([
            "endpoints",
            "--spec",
            &server.url("/openapi.json"),
            "-H",
            HEADER,
        ])
        .stdout_contains("get_remote")
        .success();
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/openapi.json", "/v2/openapi.json"]);
}

#[test]
fn a_redirect_to_another_origin_drops_the_header() {
    let other = Server::start(|_| Reply::ok("application/json", JSON_SPEC));
    let target = other.url("/openapi.json");
    let server = Server::start(move |_| Reply::redirect(301, &target));
    cov()
        .args([
            "endpoints",
            "--spec",
            &server.url("/openapi.json"),
            "-H",
            HEADER,
        ])
        .stdout_contains("get_remote")
        .success();
    assert_eq!(server.requests()[0].header("authorization"), Some(SECRET));
    let reached = other.requests();
    assert_eq!(reached.len(), 1);
    assert_eq!(reached[0].header("authorization"), None);
}

#[test]
fn a_redirect_loop_is_detected() {
    let server = Server::start(|req| match req.path.as_str() {
        "/a" => Reply::redirect(302, "/b"),
        _ => Reply::redirect(302, "/a"),
    });
    let (a, b) = (server.url("/a"), server.url("/b"));
    fails_with(
        &a,
        &format!("cov: cannot fetch {a}: redirect loop ({b} -> {a}); check the URL\n"),
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn too_many_redirects_stop() {
    let server = Server::start(|req| {
        let n: u32 = req.path.trim_start_matches("/r").parse().unwrap_or(0);
        Reply::redirect(302, &format!("/r{}", n + 1))
    });
    let url = server.url("/r0");
    fails_with(
        &url,
        &format!("cov: cannot fetch {url}: more than 10 redirects; check the URL\n"),
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = Server::start(|_| Reply::Hang);
    let url = server.url("/openapi.json");
    let started = Instant::now();
    fails_within(
        &url,
        "1",
        &format!(
            "cov: cannot fetch {url}: no complete answer within 1 s; \
             raise --timeout or check the server\n"
        ),
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the timeout did not fire"
    );
}

#[test]
fn a_server_that_trickles_bytes_forever_hits_the_deadline() {
    let server = Server::start(|_| Reply::Trickle);
    let url = server.url("/openapi.json");
    let started = Instant::now();
    fails_within(
        &url,
        "1",
        &format!(
            "cov: cannot fetch {url}: no complete answer within 1 s; \
             raise --timeout or check the server\n"
        ),
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the deadline did not fire"
    );
}

#[test]
fn a_body_cut_short_is_named() {
    let server = Server::start(|_| {
        let mut raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                        Content-Length: 5000\r\nConnection: close\r\n\r\n"
            .to_vec();
        raw.extend_from_slice(&JSON_SPEC.as_bytes()[..40]);
        Reply::Raw(raw)
    });
    let url = server.url("/openapi.json");
    fails_with(
        &url,
        &format!("cov: cannot fetch {url}: the body was cut short ("),
    );
}

#[test]
fn a_body_over_the_size_limit_is_refused() {
    let server = Server::start(|_| {
        Reply::Raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
              Content-Length: 300000000\r\nConnection: close\r\n\r\n{"
                .to_vec(),
        )
    });
    let url = server.url("/openapi.json");
    fails_with(
        &url,
        &format!("cov: cannot fetch {url}: the body is larger than 256 MiB; check the URL\n"),
    );
}

#[test]
fn connection_refused_is_named() {
    let url = format!("http://127.0.0.1:{}/openapi.json", closed_port());
    fails_with(
        &url,
        &format!(
            "cov: cannot fetch {url}: connection refused; \
             is the server running and listening there?\n"
        ),
    );
}

#[test]
fn tls_to_a_plain_http_server_fails_with_a_hint() {
    let server = Server::start(|_| Reply::ok("application/json", JSON_SPEC));
    let url = server.url("/openapi.json").replace("http://", "https://");
    fails_with(&url, &format!("cov: cannot fetch {url}: TLS failed ("));
    fails_with(&url, "pass it with --cacert PEM\n");
}

#[test]
fn a_bad_cacert_file_is_named() {
    cov()
        .write("ca.pem", "not a certificate\n")
        .args([
            "endpoints",
            "--spec",
            "https://127.0.0.1:1/openapi.json",
            "--cacert",
            "ca.pem",
        ])
        .stderr(
            "cov: --cacert `ca.pem` holds no PEM certificate \
             (expected `-----BEGIN CERTIFICATE-----`)\n",
        )
        .status(2);
}

#[test]
fn a_password_in_the_url_is_not_printed() {
    let url = format!(
        "http://me:pa55w0rd@127.0.0.1:{}/openapi.json",
        closed_port()
    );
    cov()
        .args(["endpoints", "--spec", &url])
        .stderr_contains("connection refused")
        .never_prints("pa55w0rd")
        .status(2);
}

/// An https server on 127.0.0.1 with a certificate for 127.0.0.1 signed by a
/// CA made for the test: one thread per connection, each answering any
/// request with `JSON_SPEC`. Returns the URL and the CA's PEM.
fn tls_server() -> (String, String) {
    use std::sync::Arc;

    let ca_key = rcgen::KeyPair::generate().expect("CA key");
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "cov test CA");
    let ca_cert = ca.self_signed(&ca_key).expect("CA cert");
    let leaf_key = rcgen::KeyPair::generate().expect("leaf key");
    let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
        .expect("leaf params")
        .signed_by(&leaf_key, &ca_cert, &ca_key)
        .expect("leaf cert");
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .expect("server config");
    let config = Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "https://127.0.0.1:{}/openapi.json",
        listener.local_addr().expect("addr").port()
    );
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = Arc::clone(&config);
            std::thread::spawn(move || {
                use std::io::Read;
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = write!(
                    tls,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{JSON_SPEC}",
                    JSON_SPEC.len()
                );
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    (url, ca_cert.pem())
}

#[test]
fn tls_to_a_server_with_an_unknown_ca_fails_with_a_hint_and_cacert_trusts_it() {
    let (url, ca_pem) = tls_server();
    cov()
        .args(["endpoints", "--spec", &url, "-H", HEADER, "--timeout", "10"])
        .stdout("")
        .stderr_contains(&format!("cov: cannot fetch {url}: TLS failed ("))
        .stderr_contains("pass it with --cacert PEM")
        .never_prints("s3cr3t")
        .status(2);
    cov()
        .write("ca.pem", &ca_pem)
        .args(["endpoints", "--spec", &url, "-H", HEADER, "--timeout", "10"])
        .args(["--cacert", "ca.pem"])
        .stdout_contains("GET     /remote/{id}  remote  get_remote\n")
        .never_prints("s3cr3t")
        .success();
}
