//! Header values are secrets: run `cov` through every error path we know,
//! with the value coming from `-H`, from `--header-env` and from the config
//! file, under `--verbose`, `RUST_LOG=trace` and `RUST_BACKTRACE=full`, and
//! check that the value appears nowhere in what it prints. A server that
//! echoes the request's headers into its error page is included.

use crate::support::http::{closed_port, Reply, Server};
use crate::support::Test;

const VALUE: &str = "s3cr3t-TOKEN-value";

/// Parts of the value that must not leak either (a truncated echo).
const PARTS: [&str; 3] = ["s3cr3t", "TOKEN-value", "s3cr3t-TOKEN"];

const SPEC: &str = r#"{"openapi": "3.0.3", "paths": {"/a": {"get": {}}}}"#;

const LOCUSTFILE: &str = "from locust import HttpUser, task\n\nclass U(HttpUser):\n    @task\n    def t(self):\n        self.client.get(\"/a\")\n";

/// Every way the header can be given: extra arguments, environment, and
/// config text (empty when the config is not used).
/// One way to pass the header: arguments, environment, config text.
type Way = (Vec<String>, Vec<(&'static str, String)>, String);

fn ways() -> Vec<Way> {
    vec![
        (
            vec!["-H".into(), format!("X-Token: {VALUE}")],
            vec![],
            String::new(),
        ),
        (
            vec!["-H".into(), format!("Authorization: Bearer {VALUE}")],
            vec![],
            String::new(),
        ),
        (
            vec!["--header-env".into(), "X-Token=COV_SECRET_TOKEN".into()],
            vec![("COV_SECRET_TOKEN", VALUE.to_string())],
            String::new(),
        ),
        (
            vec![],
            vec![("COV_SECRET_TOKEN", VALUE.to_string())],
            "[headers]\nAuthorization = \"Bearer ${COV_SECRET_TOKEN}\"\n".to_string(),
        ),
    ]
}

fn never_leaks(
    spec: &str,
    command: &str,
    extra: &[&str],
    config_extra: &str,
    files: &[(&str, &str)],
    status: i32,
) {
    for (args, envs, config) in ways() {
        for debug in [false, true] {
            let mut test = Test::new()
                .env("NO_PROXY", "127.0.0.1,localhost")
                .env("no_proxy", "127.0.0.1,localhost")
                .write("locustfile.py", LOCUSTFILE);
            for (name, text) in files {
                test = test.write(name, text);
            }
            if !config.is_empty() || !config_extra.is_empty() {
                test = test.write("cov.toml", &format!("{config}{config_extra}"));
            }
            for (k, v) in &envs {
                test = test.env(k, v);
            }
            if debug {
                test = test
                    .env("RUST_LOG", "trace")
                    .env("RUST_BACKTRACE", "full")
                    .env("COV_LOG", "trace");
            }
            test = test.args([command, "--spec", spec]).args(args.clone());
            if command == "audit" {
                test = test.args(["--locustfile", "locustfile.py"]);
                if debug {
                    test = test.arg("--verbose");
                }
            }
            test = test.args(extra.iter().copied()).never_prints(VALUE);
            for part in PARTS {
                test = test.never_prints(part);
            }
            drop(test.status(status));
        }
    }
}

#[test]
fn no_error_about_the_spec_file_prints_the_value() {
    for (file, text) in [
        ("missing.json", None),
        ("broken.json", Some("{\"openapi\": ")),
        ("page.json", Some("<html>login</html>")),
        ("empty.json", Some("")),
        ("old.json", Some(r#"{"openapi": "2.0", "paths": {}}"#)),
    ] {
        let files: Vec<(&str, &str)> = text.map(|t| (file, t)).into_iter().collect();
        never_leaks(file, "endpoints", &[], "", &files, 2);
        never_leaks(file, "audit", &[], "", &files, 2);
    }
}

#[test]
fn no_fetch_failure_prints_the_value() {
    let echo = Server::start(|req| {
        // A careless server that echoes every request header in its page.
        let mut page = String::from("<html><body><pre>");
        for (name, value) in &req.headers {
            page.push_str(&format!("{name}: {value}\n"));
        }
        page.push_str("</pre></body></html>");
        match req.path.as_str() {
            "/401" => Reply::status(401, "Unauthorized", "text/html", page.as_bytes()),
            "/403" => Reply::status(403, "Forbidden", "application/json", page.as_bytes()),
            "/500" => Reply::status(500, "Internal Server Error", "text/html", page.as_bytes()),
            "/html" => Reply::ok("text/html", &page),
            "/json" => Reply::ok("application/json", &format!("{{\"echo\": \"{page}\"")),
            "/loop" => Reply::redirect(302, "/loop"),
            "/away" => Reply::redirect(302, &format!("http://127.0.0.1:{}/x", closed_port())),
            "/hang" => Reply::Hang,
            _ => Reply::status(404, "Not Found", "text/plain", page.as_bytes()),
        }
    });
    for path in [
        "/401", "/403", "/500", "/html", "/json", "/loop", "/away", "/hang", "/404",
    ] {
        let url = echo.url(path);
        never_leaks(&url, "endpoints", &["--timeout", "1"], "", &[], 2);
    }
    let refused = format!("http://127.0.0.1:{}/openapi.json", closed_port());
    never_leaks(&refused, "endpoints", &[], "", &[], 2);
    never_leaks(&refused, "audit", &[], "", &[], 2);
    never_leaks("https://127.0.0.1:1/x", "endpoints", &[], "", &[], 2);
    never_leaks("http://[::1", "endpoints", &[], "", &[], 2);
}

#[test]
fn no_error_after_a_good_fetch_prints_the_value() {
    let server = Server::start(|_| Reply::ok("application/json", SPEC));
    let url = server.url("/openapi.json");
    // Later stages fail: a missing locustfile, a bad config key.
    never_leaks(&url, "audit", &["--locustfile", "missing.py"], "", &[], 2);
    never_leaks(&url, "audit", &[], "no_such_key = 1\n", &[], 2);
    never_leaks(&url, "audit", &["--routers", "missing/"], "", &[], 2);
    // And success, verbose: the gate passes, the value is still not shown.
    never_leaks(&url, "audit", &[], "", &[], 0);
}

#[test]
fn malformed_header_arguments_do_not_echo_the_value() {
    for arg in [
        VALUE.to_string(),
        format!("Bad Name: {VALUE}"),
        format!("X-Token {VALUE}"),
        format!("X-Token: {VALUE}\u{7}"),
        format!(": {VALUE}"),
    ] {
        Test::new()
            .write("openapi.json", SPEC)
            .args(["endpoints", "--spec", "openapi.json", "-H", &arg])
            .never_prints(VALUE)
            .never_prints("s3cr3t")
            .status(2);
    }
    // A header value with a control character, fetched: refused, not shown.
    let server = Server::start(|_| Reply::ok("application/json", SPEC));
    Test::new()
        .env("COV_SECRET_TOKEN", &format!("{VALUE}\u{1}"))
        .env("NO_PROXY", "127.0.0.1")
        .args(["endpoints", "--spec", &server.url("/x")])
        .args(["--header-env", "X-Token=COV_SECRET_TOKEN"])
        .never_prints("s3cr3t")
        .status(2);
}

#[test]
fn config_header_errors_do_not_print_the_value() {
    let server = Server::start(|_| Reply::ok("application/json", SPEC));
    let url = server.url("/openapi.json");
    for (config, env) in [
        // The variable is missing: its name may be shown, the rest not.
        ("[headers]\nX-Token = \"s3cr3t-${COV_NOT_SET}\"\n", None),
        // A literal value (not from the environment) is refused.
        ("[headers]\nX-Token = \"s3cr3t-TOKEN-value\"\n", None),
        ("[headers]\nX-Token = \"${COV_SECRET_TOKEN\"\n", Some(VALUE)),
        (
            "[headers]\n\"Bad Name\" = \"${COV_SECRET_TOKEN}\"\n",
            Some(VALUE),
        ),
        ("headers = \"${COV_SECRET_TOKEN}\"\n", Some(VALUE)),
    ] {
        let mut test = Test::new()
            .env("NO_PROXY", "127.0.0.1")
            .write("cov.toml", config);
        if let Some(v) = env {
            test = test.env("COV_SECRET_TOKEN", v);
        }
        test.args(["endpoints", "--spec", &url])
            .never_prints("s3cr3t")
            .never_prints("TOKEN-value")
            .status(2);
    }
}
