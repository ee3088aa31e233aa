//! Configuration: `cov.toml` and `[tool.cov]` in `pyproject.toml`, the
//! command line over the file, strict keys and types, headers from the
//! environment only, and skip rules of every kind.

use std::path::Path;

use crate::support::{fixtures, Test};

/// Copies every file of `fixtures/config/<name>/` into the scratch directory
/// under `under` (empty for its root).
pub fn project(mut test: Test, name: &str, under: &str) -> Test {
    let root = fixtures().join("config").join(name);
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.expect("walk fixtures");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&root).expect("under root");
            let fixture = Path::new("config").join(name).join(rel);
            let target = Path::new(under).join(rel);
            test = test.fixture(
                fixture.to_str().expect("utf-8 path"),
                target.to_str().expect("utf-8 path"),
            );
        }
    }
    test
}

#[test]
fn cov_toml_gives_spec_locustfiles_output_and_skip_rules() {
    let run = project(Test::new(), "cov-toml", "")
        .env("COV_TODAY", "2027-06-01")
        .args(["audit", "--write", "--format", "github"])
        .stdout_contains(
            "::warning file=cov.toml,line=18,title=expired-skip::skip rule `GET /legacy/export` expired on 2020-01-31",
        )
        .stdout_contains(
            "::warning file=cov.toml,line=24,title=stale-skip::skip rule `GET /health` names GET /health, which a load test covers",
        )
        .stdout_contains(
            "::warning file=cov.toml,line=29,title=stale-skip::skip rule `* /reports/**` matches no endpoint of the spec",
        )
        .stdout_contains("::error title=Missing load test::DELETE /items/{item_id} has no load test")
        .stdout_contains("::error title=Missing load test::GET /legacy/export has no load test")
        .stdout_contains("9 endpoints: 3 covered, 1 setup-only, 3 skipped, 2 missing (50.0%25 covered)")
        .stderr_contains("cov: wrote docs/locust-coverage.md")
        .stderr_contains("cov: 2 of 9 endpoints without a load test\n")
        .status(1);
    let doc = run.read("docs/locust-coverage.md");
    assert!(
        doc.contains("Spec: **Fixture Shop** version 2.1.0"),
        "{doc}"
    );
    assert!(
        doc.contains("| GET | `/items/{item_id}/events` | skipped | Server-sent events: held open, not a request/response load test ([link](https://example.org/shop/issues/12)) |"),
        "{doc}"
    );
    assert!(doc.contains("| POST | `/admin/reindex` | Operator endpoints, rate-limited to one call a minute |  | 2099-12-31 |"), "{doc}");
}

#[test]
fn strict_turns_stale_and_expired_rules_into_a_gate_failure() {
    project(Test::new(), "cov-toml", "")
        .env("COV_TODAY", "2027-06-01")
        .args([
            "audit",
            "--fail-under",
            "0",
            "--format",
            "github",
            "--strict",
        ])
        .stderr_contains("cov: 3 skip rules are stale or expired (--strict)")
        .status(1);
    project(Test::new(), "cov-toml", "")
        .env("COV_TODAY", "2027-06-01")
        .args(["audit", "--fail-under", "0", "--format", "github"])
        .status(0);
}

#[test]
fn an_until_date_holds_through_its_day() {
    project(Test::new(), "cov-toml", "")
        .env("COV_TODAY", "2020-01-31")
        .args(["audit", "--format", "github"])
        .stdout_contains(
            "9 endpoints: 3 covered, 1 setup-only, 4 skipped, 1 missing (60.0%25 covered)",
        )
        .status(1);
}

#[test]
fn a_bad_cov_today_is_an_input_error() {
    project(Test::new(), "cov-toml", "")
        .env("COV_TODAY", "tomorrow")
        .args(["audit"])
        .stderr_contains("COV_TODAY=\"tomorrow\" is not a date")
        .status(2);
}

#[test]
fn paths_are_relative_to_the_named_config_file() {
    let here = project(Test::new(), "cov-toml", "")
        .env("COV_TODAY", "2027-06-01")
        .args(["audit", "--write", "--fail-under", "0", "-q"])
        .status(0);
    let there = project(Test::new(), "cov-toml", "svc")
        .env("COV_TODAY", "2027-06-01")
        .args([
            "--config",
            "svc/cov.toml",
            "audit",
            "--write",
            "--fail-under",
            "0",
            "-q",
        ])
        .status(0);
    // The document names files relative to the config file's directory, so
    // it is the same whichever directory cov runs from.
    let doc = there.read("svc/docs/locust-coverage.md");
    assert!(doc.contains("at `load/locustfile.py:12`"), "{doc}");
    assert_eq!(doc, here.read("docs/locust-coverage.md"));
}

#[test]
fn the_default_document_sits_next_to_the_config_file() {
    let run = Test::new()
        .fixture("config/cov-toml/openapi.json", "svc/openapi.json")
        .fixture(
            "config/cov-toml/load/locustfile.py",
            "svc/load/locustfile.py",
        )
        .write(
            "svc/cov.toml",
            "spec = \"openapi.json\"\nlocustfiles = \"load\"\n",
        )
        .args([
            "--config",
            "svc/cov.toml",
            "audit",
            "--write",
            "--fail-under",
            "0",
        ])
        .stderr_contains("cov: wrote svc/todo/locust-coverage.md")
        .status(0);
    assert!(run
        .read("svc/todo/locust-coverage.md")
        .contains("`load/locustfile.py:24`"));
}

#[test]
fn pyproject_tool_cov_is_read() {
    project(Test::new(), "pyproject", "")
        .args(["audit", "--format", "github"])
        .stdout_contains(
            "::error title=Missing load test::DELETE /items/{item_id} has no load test",
        )
        .stdout_contains(
            "9 endpoints: 3 covered, 1 setup-only, 4 skipped, 1 missing (60.0%25 covered)",
        )
        .status(1);
}

#[test]
fn the_command_line_wins_over_the_file() {
    project(Test::new(), "pyproject", "")
        .write("other.json", r#"{"openapi": "3.0.3", "info": {"title": "Other", "version": "1"}, "paths": {"/items": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#)
        .args(["audit", "--spec", "other.json", "--format", "github"])
        .stdout_contains("1 endpoint: 1 covered, 0 setup-only, 0 skipped, 0 missing")
        .stdout_contains("title=stale-skip::skip rule `* /admin/**` matches no endpoint")
        .status(0);
}

#[test]
fn unknown_keys_are_errors_naming_key_file_and_line() {
    Test::new()
        .write("cov.toml", "spec = \"openapi.json\"\nfail_undr = 80\n")
        .args(["audit"])
        .stderr_contains("cov: invalid config file cov.toml:2: unknown field `fail_undr`")
        .status(2);
    Test::new()
        .write("pyproject.toml", "[tool.cov]\nspec = \"openapi.json\"\n\n[[tool.cov.skip]]\nmethod = \"GET\"\npath = \"/x\"\nreason = \"r\"\nlnk = \"x\"\n")
        .args(["audit"])
        .stderr_contains("cov: invalid config file pyproject.toml:8: unknown field `lnk`")
        .status(2);
}

#[test]
fn wrong_types_are_errors_naming_the_key() {
    Test::new()
        .write("cov.toml", "strict = \"yes\"\n")
        .args(["audit"])
        .stderr_contains(
            "cov.toml:1: invalid type: string \"yes\", expected a boolean (at `strict = \"yes\"`)",
        )
        .status(2);
    Test::new()
        .write("cov.toml", "[[skip]]\nmethod = \"GET\"\npath = \"/x\"\n")
        .args(["audit"])
        .stderr_contains("missing field `reason`")
        .status(2);
    Test::new()
        .write(
            "cov.toml",
            "[[skip]]\nmethod = \"GET\"\npath = \"/x\"\nreason = \"r\"\nuntil = \"31/03/2027\"\n",
        )
        .args(["audit"])
        .stderr_contains("cov.toml:1: [[skip]] `until = \"31/03/2027\"` is not a date")
        .status(2);
}

#[test]
fn header_values_must_come_from_the_environment() {
    Test::new()
        .write("cov.toml", "spec = \"http://127.0.0.1:9/openapi.json\"\n[headers]\nAuthorization = \"Bearer hunter2\"\n")
        .args(["audit"])
        .stderr_contains("header `Authorization` has a literal value")
        .never_prints("hunter2")
        .status(2);
    Test::new()
        .write("cov.toml", "spec = \"http://127.0.0.1:9/openapi.json\"\n[headers]\nAuthorization = \"Bearer ${COV_TEST_TOKEN}\"\n")
        .args(["audit"])
        .stderr_contains("needs the environment variable COV_TEST_TOKEN, which is not set")
        .status(2);
}

#[test]
fn a_named_config_that_does_not_exist_is_an_error() {
    Test::new()
        .args(["--config", "nope.toml", "audit"])
        .stderr_contains("cannot read config file nope.toml")
        .status(2);
}

#[test]
fn the_listing_commands_read_the_config_too() {
    project(Test::new(), "pyproject", "")
        .args(["endpoints", "--format", "json"])
        .stdout_contains("/legacy/export")
        .status(0);
    project(Test::new(), "pyproject", "")
        .args(["calls", "--format", "json"])
        .stdout_contains("/itemz")
        .status(0);
}

#[test]
fn config_headers_are_sent_with_the_spec_request_and_never_printed() {
    use crate::support::http::{Reply, Server};
    let spec = std::fs::read_to_string(fixtures().join("config/pyproject/openapi.json")).unwrap();
    let server = Server::start(move |req| {
        if req.header("authorization") == Some("Bearer t0ps3cret") {
            Reply::ok("application/json", &spec)
        } else {
            Reply::status(401, "Unauthorized", "text/plain", b"no")
        }
    });
    let toml = format!(
        "spec = \"{}\"\nlocustfiles = \"locustfile.py\"\nfail_under = 0\n[headers]\nAuthorization = \"Bearer ${{COV_TEST_TOKEN}}\"\n",
        server.url("/openapi.json")
    );
    Test::new()
        .fixture("config/pyproject/locustfile.py", "locustfile.py")
        .write("cov.toml", &toml)
        .env("COV_TEST_TOKEN", "t0ps3cret")
        .args(["audit", "--format", "github"])
        .stdout_contains("9 endpoints: 3 covered")
        .never_prints("t0ps3cret")
        .status(0);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer t0ps3cret")
    );
}
