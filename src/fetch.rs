//! Reading an input that may live on a server: a local file or an
//! `http(s)://` URL fetched with the request headers, deadline, redirect limit,
//! size cap and extra certificate authority the user asked for.
//!
//! Every failure is one line that names the file or URL and says what to do.
//! Header values are held in [`Secret`], whose `Debug` and `Display` never
//! show them, and they are never part of a message.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context as _};
use reqwest::blocking::{Client, Response};
use reqwest::header::{self, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};

use crate::cli::SpecArgs;

/// How long a fetch may take, connection and body included, unless told.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest `--timeout` accepted.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// The largest body (or file) read, after decompression.
pub const MAX_BODY_BYTES: u64 = 256 * 1024 * 1024;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 10;

/// A value that must never be shown: `Debug` and `Display` print
/// `<redacted>`; only [`Secret::expose`] gives the text.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret text, for putting on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One request header to send with every fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub name: String,
    pub value: Secret,
}

impl Header {
    /// Parses `Name: value`, as given to `-H/--header`.
    pub fn parse(arg: &str) -> anyhow::Result<Header> {
        let Some((name, value)) = arg.split_once(':') else {
            bail!("--header expects `Name: value`, but one argument has no `:`");
        };
        Header::new(name.trim(), value.trim(), "--header")
    }

    /// Parses `Name=ENVVAR`, as given to `--header-env`, and reads the value
    /// from the environment through `lookup` (normally [`std::env::var_os`]).
    pub fn from_env(
        arg: &str,
        lookup: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> anyhow::Result<Header> {
        let Some((name, var)) = arg.split_once('=') else {
            bail!("--header-env expects `Name=ENVVAR`, got `{arg}`");
        };
        let (name, var) = (name.trim(), var.trim());
        if var.is_empty() {
            bail!("--header-env `{arg}` names no environment variable after `=`");
        }
        let value = lookup(var).ok_or_else(|| {
            anyhow!("environment variable `{var}` (for --header-env {name}={var}) is not set")
        })?;
        let value = value.into_string().map_err(|_| {
            anyhow!(
                "environment variable `{var}` (for --header-env {name}={var}) is not valid UTF-8"
            )
        })?;
        Header::new(name, value.trim(), "--header-env")
    }

    fn new(name: &str, value: &str, flag: &str) -> anyhow::Result<Header> {
        if name.is_empty() {
            bail!("{flag} has an empty header name; expected `Name: value`");
        }
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            bail!("{flag}: `{name}` is not a valid header name");
        }
        if value.is_empty() {
            bail!("{flag}: header `{name}` has an empty value");
        }
        if HeaderValue::from_str(value).is_err() {
            bail!("{flag}: the value of header `{name}` holds characters a header cannot carry");
        }
        Ok(Header {
            name: name.to_string(),
            value: Secret::new(value),
        })
    }
}

/// How to fetch: headers, a total deadline per fetch, an extra CA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    pub headers: Vec<Header>,
    /// The whole fetch, redirects and body included, must end within this.
    pub timeout: Duration,
    /// Extra PEM certificate authority (or bundle) to trust for https.
    pub ca_cert: Option<PathBuf>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            headers: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            ca_cert: None,
        }
    }
}

impl FetchOptions {
    /// Builds the options from `--header`, `--header-env`, `--timeout` and
    /// `--cacert`, reading `--header-env` variables from the environment.
    pub fn from_spec_args(args: &SpecArgs) -> anyhow::Result<FetchOptions> {
        Self::from_spec_args_with_env(args, |var| std::env::var_os(var))
    }

    /// [`FetchOptions::from_spec_args`] with the environment given as a function.
    pub fn from_spec_args_with_env(
        args: &SpecArgs,
        lookup: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> anyhow::Result<FetchOptions> {
        let mut headers = Vec::new();
        for arg in &args.headers {
            headers.push(Header::parse(arg)?);
        }
        for arg in &args.header_env {
            headers.push(Header::from_env(arg, &lookup)?);
        }
        let timeout = match args.timeout {
            None => DEFAULT_TIMEOUT,
            Some(secs) => parse_timeout(secs)?,
        };
        Ok(FetchOptions {
            headers,
            timeout,
            ca_cert: args.cacert.clone(),
        })
    }
}

fn parse_timeout(secs: f64) -> anyhow::Result<Duration> {
    if !(secs.is_finite() && secs > 0.0) {
        bail!("--timeout must be a positive number of seconds, got {secs}");
    }
    if secs > MAX_TIMEOUT.as_secs_f64() {
        bail!("--timeout {secs} is longer than a day; give at most 86400 seconds");
    }
    Duration::try_from_secs_f64(secs)
        .map_err(|_| anyhow!("--timeout {secs} is not a usable number of seconds"))
}

/// True when `source` is an `http://` or `https://` URL rather than a path.
pub fn is_url(source: &str) -> bool {
    let lower = source.get(..8).unwrap_or(source).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Reads `source`: fetched when it is an http(s) URL, read from disk otherwise.
pub fn read_source(source: &str, opts: &FetchOptions) -> anyhow::Result<Vec<u8>> {
    if is_url(source) {
        fetch(source, opts)
    } else {
        read_file(Path::new(source))
    }
}

/// Reads a local file, refusing directories and files over [`MAX_BODY_BYTES`].
pub fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let shown = path.display();
    let meta = fs::metadata(path).map_err(|e| anyhow!("cannot read `{shown}`: {e}"))?;
    if meta.is_dir() {
        bail!("cannot read `{shown}`: it is a directory, not a file");
    }
    if !meta.is_file() {
        // A FIFO, socket or device would block or never end: refuse it
        // before opening it.
        bail!("cannot read `{shown}`: it is not a regular file (a FIFO, socket or device); pass the spec file itself");
    }
    if meta.len() > MAX_BODY_BYTES {
        bail!(
            "cannot read `{shown}`: it is {} MiB, more than the {} MiB limit",
            meta.len() / (1024 * 1024),
            MAX_BODY_BYTES / (1024 * 1024)
        );
    }
    fs::read(path).map_err(|e| anyhow!("cannot read `{shown}`: {e}"))
}

/// Fetches `url` with a GET and returns the (decompressed) body of a 2xx answer.
///
/// Redirects are followed up to [`MAX_REDIRECTS`]; the user's headers go only
/// to the origin of the first URL. The whole exchange, every redirect and the
/// body included, must end within `opts.timeout`.
pub fn fetch(url: &str, opts: &FetchOptions) -> anyhow::Result<Vec<u8>> {
    let capped;
    let opts = if opts.timeout > MAX_TIMEOUT {
        capped = FetchOptions {
            timeout: MAX_TIMEOUT,
            ..opts.clone()
        };
        &capped
    } else {
        opts
    };
    let deadline = Instant::now() + opts.timeout;
    let mut current = Url::parse(url.trim())
        .map_err(|e| anyhow!("`{}` is not a valid URL: {e}", shown_str(url)))?;
    if !matches!(current.scheme(), "http" | "https") {
        bail!(
            "`{}` is not an http:// or https:// URL",
            shown_url(&current)
        );
    }
    let client = build_client(opts)?;
    let first = shown_url(&current);
    let origin = current.origin();
    let mut visited = vec![current.clone()];
    loop {
        let shown = shown_url(&current);
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            bail!("{}", timeout_message(&shown, opts.timeout));
        }
        let mut request = client.get(current.clone()).timeout(remaining);
        if current.origin() == origin {
            for h in &opts.headers {
                let name = HeaderName::from_bytes(h.name.as_bytes())
                    .map_err(|_| anyhow!("`{}` is not a valid header name", h.name))?;
                let mut value = HeaderValue::from_str(h.value.expose()).map_err(|_| {
                    anyhow!(
                        "the value of header `{}` holds characters a header cannot carry",
                        h.name
                    )
                })?;
                value.set_sensitive(true);
                request = request.header(name, value);
            }
        }
        let response = request
            .send()
            .map_err(|e| anyhow!("{}", send_error_message(&e, &shown, opts, deadline)))?;
        let status = response.status();
        if status.is_redirection() {
            if let Some(location) = response.headers().get(header::LOCATION) {
                let next = location
                    .to_str()
                    .ok()
                    .and_then(|loc| current.join(loc).ok())
                    .ok_or_else(|| {
                        anyhow!("cannot fetch {shown}: HTTP {status} redirects to an invalid URL")
                    })?;
                if visited.contains(&next) {
                    bail!(
                        "cannot fetch {first}: redirect loop ({} -> {}); check the URL",
                        shown,
                        shown_url(&next)
                    );
                }
                if visited.len() > MAX_REDIRECTS {
                    bail!(
                        "cannot fetch {first}: more than {MAX_REDIRECTS} redirects; check the URL"
                    );
                }
                visited.push(next.clone());
                current = next;
                continue;
            }
        }
        if !status.is_success() {
            bail!("{}", status_message(status, &shown, opts));
        }
        return read_body(response, &shown, opts, deadline);
    }
}

fn build_client(opts: &FetchOptions) -> anyhow::Result<Client> {
    let mut builder = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(opts.timeout)
        .connect_timeout(opts.timeout)
        .user_agent(concat!("cov/", env!("CARGO_PKG_VERSION")))
        .default_headers({
            let mut h = header::HeaderMap::new();
            h.insert(
                header::ACCEPT,
                HeaderValue::from_static(
                    "application/json, application/yaml;q=0.9, text/csv;q=0.9, */*;q=0.8",
                ),
            );
            h
        });
    if let Some(path) = &opts.ca_cert {
        let pem = fs::read(path)
            .map_err(|e| anyhow!("cannot read --cacert `{}`: {e}", path.display()))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).unwrap_or_default();
        if certs.is_empty() {
            bail!(
                "--cacert `{}` holds no PEM certificate (expected `-----BEGIN CERTIFICATE-----`)",
                path.display()
            );
        }
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .context("cannot set up the HTTP client (TLS configuration)")
}

fn read_body(
    mut response: Response,
    shown: &str,
    opts: &FetchOptions,
    deadline: Instant,
) -> anyhow::Result<Vec<u8>> {
    if response
        .content_length()
        .is_some_and(|len| len > MAX_BODY_BYTES)
    {
        bail!("{}", too_large_message(shown));
    }
    let mut body = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if Instant::now() >= deadline {
            bail!("{}", timeout_message(shown, opts.timeout));
        }
        match response.read(&mut chunk) {
            Ok(0) => return Ok(body),
            Ok(n) => {
                if body.len() as u64 + n as u64 > MAX_BODY_BYTES {
                    bail!("{}", too_large_message(shown));
                }
                body.extend_from_slice(chunk.get(..n).unwrap_or_default());
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => bail!("{}", body_error_message(&e, shown, opts, deadline)),
        }
    }
}

/// The URL as shown in messages: without a password.
fn shown_url(url: &Url) -> String {
    if url.password().is_some() {
        let mut url = url.clone();
        let _ = url.set_password(None);
        url.to_string()
    } else {
        url.to_string()
    }
}

fn shown_str(url: &str) -> String {
    match Url::parse(url.trim()) {
        Ok(u) => shown_url(&u),
        Err(_) => url.to_string(),
    }
}

fn seconds(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs.fract() == 0.0 {
        format!("{secs:.0} s")
    } else {
        format!("{secs} s")
    }
}

fn timeout_message(shown: &str, timeout: Duration) -> String {
    format!(
        "cannot fetch {shown}: no complete answer within {}; raise --timeout or check the server",
        seconds(timeout)
    )
}

fn too_large_message(shown: &str) -> String {
    format!(
        "cannot fetch {shown}: the body is larger than {} MiB; check the URL",
        MAX_BODY_BYTES / (1024 * 1024)
    )
}

fn status_message(status: StatusCode, shown: &str, opts: &FetchOptions) -> String {
    let code = status_text(status);
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            if opts.headers.is_empty() {
                format!(
                    "cannot fetch {shown}: HTTP {code}: the server wants credentials; \
                     pass them with --header 'Name: value' or --header-env Name=ENVVAR"
                )
            } else {
                format!(
                    "cannot fetch {shown}: HTTP {code}: the server refused the credentials; \
                     check the --header / --header-env values"
                )
            }
        }
        StatusCode::NOT_FOUND => format!("cannot fetch {shown}: HTTP {code}; check the URL"),
        s if s.is_server_error() => {
            format!(
                "cannot fetch {shown}: HTTP {code}: the server failed; try again or check its logs"
            )
        }
        s if s.is_redirection() => {
            format!("cannot fetch {shown}: HTTP {code} without a Location to follow")
        }
        _ => format!("cannot fetch {shown}: HTTP {code}"),
    }
}

fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// What went wrong while connecting or waiting for the response head.
fn send_error_message(
    err: &reqwest::Error,
    shown: &str,
    opts: &FetchOptions,
    deadline: Instant,
) -> String {
    let timed_out = err.is_timeout() || Instant::now() >= deadline;
    let refused = has_io_kind(err, io::ErrorKind::ConnectionRefused);
    let failure = classify_send(&causes(err), timed_out, refused);
    failure_message(failure, shown, opts.timeout, &last_cause(err))
}

/// Ways a request can fail before a response head arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SendFailure {
    Timeout,
    Refused,
    Dns,
    Tls,
    Closed,
    Other,
}

/// Sorts a failure by the messages of its cause chain (the HTTP stack's
/// error types are not all reachable, their messages are stable).
fn classify_send(causes: &str, timed_out: bool, refused: bool) -> SendFailure {
    let lower = causes.to_ascii_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|n| lower.contains(n));
    if timed_out || any(&["timed out"]) {
        SendFailure::Timeout
    } else if refused || any(&["connection refused"]) {
        SendFailure::Refused
    } else if any(&[
        "dns error",
        "failed to lookup address",
        "name or service not known",
        "no address associated",
        "nodename nor servname",
    ]) {
        SendFailure::Dns
    } else if any(&[
        "certificate",
        "tls",
        "handshake",
        "unknownissuer",
        "corrupt message",
        "peer misbehaved",
        "peer is incompatible",
        "alert received",
    ]) {
        SendFailure::Tls
    } else if any(&[
        "connection reset",
        "connection closed",
        "incomplete",
        "broken pipe",
    ]) {
        SendFailure::Closed
    } else {
        SendFailure::Other
    }
}

fn failure_message(failure: SendFailure, shown: &str, timeout: Duration, cause: &str) -> String {
    match failure {
        SendFailure::Timeout => timeout_message(shown, timeout),
        SendFailure::Refused => format!(
            "cannot fetch {shown}: connection refused; is the server running and listening there?"
        ),
        SendFailure::Dns => {
            let host = Url::parse(shown)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default();
            format!("cannot fetch {shown}: cannot resolve host `{host}`; check the host name")
        }
        SendFailure::Tls => format!(
            "cannot fetch {shown}: TLS failed ({cause}); if the server uses a private \
             certificate authority, pass it with --cacert PEM"
        ),
        SendFailure::Closed => format!(
            "cannot fetch {shown}: the server closed the connection without a complete \
             answer ({cause})"
        ),
        SendFailure::Other => format!("cannot fetch {shown}: {cause}"),
    }
}

/// What went wrong while reading the body.
fn body_error_message(
    err: &io::Error,
    shown: &str,
    opts: &FetchOptions,
    deadline: Instant,
) -> String {
    let causes = causes(err).to_ascii_lowercase();
    if err.kind() == io::ErrorKind::TimedOut
        || Instant::now() >= deadline
        || causes.contains("timed out")
        || causes.contains("timeout")
    {
        return timeout_message(shown, opts.timeout);
    }
    if causes.contains("decod") || causes.contains("gzip") || causes.contains("deflate") {
        return format!(
            "cannot fetch {shown}: the compressed body could not be decoded ({})",
            last_cause(err)
        );
    }
    format!(
        "cannot fetch {shown}: the body was cut short ({}); try again or check the server",
        last_cause(err)
    )
}

/// Every message in the error's source chain, joined.
fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

/// The innermost cause's message: the most specific one.
fn last_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut last: &dyn std::error::Error = err;
    while let Some(cause) = last.source() {
        last = cause;
    }
    last.to_string()
}

fn has_io_kind(err: &(dyn std::error::Error + 'static), kind: io::ErrorKind) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(cause) = source {
        if cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == kind)
        {
            return true;
        }
        source = cause.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_shows_in_debug_or_display() {
        let h = Header::parse("Authorization: Bearer hunter2").unwrap();
        assert_eq!(h.name, "Authorization");
        assert_eq!(h.value.expose(), "Bearer hunter2");
        let shown = format!(
            "{h:?} {} {:?}",
            h.value,
            FetchOptions {
                headers: vec![h.clone()],
                ..FetchOptions::default()
            }
        );
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn header_parsing_trims_and_splits_at_the_first_colon() {
        let h = Header::parse("  X-Api-Key :  a:b:c ").unwrap();
        assert_eq!(h.name, "X-Api-Key");
        assert_eq!(h.value.expose(), "a:b:c");
    }

    #[test]
    fn malformed_headers_are_rejected_without_their_value() {
        for bad in [
            "Bearer hunter2",
            ": hunter2",
            "Bad Name: hunter2",
            "X:",
            "X: hun\nter2",
        ] {
            let err = Header::parse(bad).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{bad:?} -> {err}");
            assert!(err.contains("--header"), "{bad:?} -> {err}");
        }
    }

    #[test]
    fn header_env_reads_the_variable_and_names_a_missing_one() {
        let env = |var: &str| (var == "TOKEN").then(|| "Bearer hunter2".into());
        let h = Header::from_env("Authorization=TOKEN", env).unwrap();
        assert_eq!(h.value.expose(), "Bearer hunter2");
        let err = Header::from_env("Authorization=NOPE", env)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`NOPE`") && err.contains("not set"), "{err}");
        assert!(Header::from_env("Authorization", env).is_err());
        assert!(Header::from_env("Authorization=", env).is_err());
    }

    #[test]
    fn timeout_must_be_positive_and_finite() {
        assert_eq!(parse_timeout(1.5).unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_timeout(86_400.0).unwrap(), MAX_TIMEOUT);
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 86_400.5, 1e300] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn options_default_to_thirty_seconds() {
        let opts = FetchOptions::from_spec_args_with_env(&SpecArgs::default(), |_| None).unwrap();
        assert_eq!(opts.timeout, Duration::from_secs(30));
        assert!(opts.headers.is_empty());
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("http://x/openapi.json"));
        assert!(is_url("HTTPS://x/openapi.json"));
        assert!(!is_url("openapi.json"));
        assert!(!is_url("./http/openapi.json"));
        assert!(!is_url("ftp://x"));
    }

    #[test]
    fn failures_are_sorted_by_their_causes() {
        let cases = [
            (
                "error sending request for url (http://nope.invalid/): client error (Connect): \
                 dns error: failed to lookup address information: Name or service not known",
                SendFailure::Dns,
            ),
            (
                "error sending request: client error (Connect): tcp connect error: \
                 Connection refused (os error 111)",
                SendFailure::Refused,
            ),
            (
                "error sending request: client error (Connect): invalid peer certificate: \
                 UnknownIssuer",
                SendFailure::Tls,
            ),
            (
                "error sending request: received corrupt message of type InvalidContentType",
                SendFailure::Tls,
            ),
            (
                "error sending request: connection closed before message completed",
                SendFailure::Closed,
            ),
            (
                "error sending request: operation timed out",
                SendFailure::Timeout,
            ),
            ("error sending request: something new", SendFailure::Other),
        ];
        for (causes, want) in cases {
            assert_eq!(classify_send(causes, false, false), want, "{causes}");
        }
        assert_eq!(classify_send("x", true, false), SendFailure::Timeout);
        assert_eq!(classify_send("x", false, true), SendFailure::Refused);
    }

    #[test]
    fn a_dns_failure_names_the_host() {
        assert_eq!(
            failure_message(
                SendFailure::Dns,
                "https://nope.invalid:8443/openapi.json",
                DEFAULT_TIMEOUT,
                "Name or service not known"
            ),
            "cannot fetch https://nope.invalid:8443/openapi.json: cannot resolve host \
             `nope.invalid`; check the host name"
        );
        assert_eq!(
            failure_message(
                SendFailure::Timeout,
                "http://h/x",
                Duration::from_millis(1500),
                ""
            ),
            "cannot fetch http://h/x: no complete answer within 1.5 s; raise --timeout or \
             check the server"
        );
    }

    #[test]
    fn passwords_are_hidden_in_shown_urls() {
        assert_eq!(
            shown_str("https://me:hunter2@example.com/openapi.json"),
            "https://me@example.com/openapi.json"
        );
    }
}
