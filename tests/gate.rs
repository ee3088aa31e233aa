//! The CI gate: exit 1 on missing endpoints, below `--fail-under`, on new
//! gaps against a baseline; GitHub annotations; exit 2 on bad baselines.

use crate::support::Test;

fn spec(paths: &[&str]) -> String {
    let items: Vec<String> = paths
        .iter()
        .map(|p| format!(r#""{p}": {{"get": {{"tags": ["api"], "responses": {{"200": {{"description": "ok"}}}}}}}}"#))
        .collect();
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "Gate API", "version": "1"}}, "paths": {{{}}}}}"#,
        items.join(", ")
    )
}

const LOCUSTFILE: &str = r#"
from locust import HttpUser, task


class Visitor(HttpUser):
    @task
    def home(self):
        self.client.get("/a")

    @task
    def broken(self):
        self.client.get("/zzz")
"#;

fn project(paths: &[&str]) -> Test {
    Test::new()
        .write("openapi.json", &spec(paths))
        .write("locustfile.py", LOCUSTFILE)
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
}

#[test]
fn any_missing_endpoint_fails() {
    project(&["/a", "/b", "/c"])
        .stderr_contains("cov: 2 of 3 endpoints without a load test\n")
        .status(1);
    project(&["/a"]).status(0);
}

#[test]
fn fail_under_relaxes_the_gate_to_a_threshold() {
    project(&["/a", "/b"])
        .args(["--fail-under", "50"])
        .status(0);
    project(&["/a", "/b"])
        .args(["--fail-under", "50.1"])
        .stderr_contains("cov: coverage 50.0% is below --fail-under 50.1%\n")
        .status(1);
}

#[test]
fn github_format_annotates_missing_endpoints_and_unmatched_calls() {
    project(&["/a", "/b"])
        .args(["--format", "github"])
        .stdout(
            "
            ::error title=Coverage gate::1 of 2 endpoints without a load test
            ::error file=locustfile.py,line=11,title=Unmatched call::GET /zzz matches no endpoint of the spec: no such path
            ::error title=Missing load test::GET /b has no load test
            ::notice title=Locust coverage::2 endpoints: 1 covered, 0 setup-only, 0 skipped, 1 missing (50.0%25 covered)
            ",
        )
        .status(1);
}

#[test]
fn github_format_warns_of_gaps_that_do_not_fail_the_gate() {
    project(&["/a", "/b"])
        .args(["--format", "github", "--fail-under", "50"])
        .stdout_contains("::warning title=Missing load test::GET /b has no load test\n")
        .status(0);
    project(&["/a", "/b", "/c"])
        .write("ci/baseline.txt", "GET /b\n")
        .args(["--format", "github", "--baseline", "ci/baseline.txt"])
        .stdout_contains(
            "::error title=Coverage gate::1 endpoint without a load test not in the baseline: GET /c\n",
        )
        .stdout_contains("::notice title=Missing load test::GET /b has no load test\n")
        .stdout_contains("::error title=Missing load test::GET /c has no load test\n")
        .status(1);
}

#[test]
fn skipped_endpoints_do_not_fail_the_gate() {
    project(&["/a", "/b"])
        .write(
            "cov.toml",
            "[[skip]]\nmethod = \"GET\"\npath = \"/b\"\nreason = \"admin only\"\n",
        )
        .status(0);
}

#[test]
fn the_baseline_ratchet_passes_on_old_gaps_and_fails_on_new_ones() {
    let run = project(&["/a", "/b", "/c"])
        .args(["--baseline", "ci/baseline.txt", "--update-baseline"])
        .stderr_contains("cov: recorded 2 missing endpoints in ci/baseline.txt")
        .status(0);
    let recorded = run.read("ci/baseline.txt");
    assert!(recorded.ends_with("\nGET /b\nGET /c\n"), "{recorded}");

    // Same gaps: passes.
    project(&["/a", "/b", "/c"])
        .write("ci/baseline.txt", &recorded)
        .args(["--baseline", "ci/baseline.txt"])
        .status(0);

    // A new endpoint without a load test: fails, naming only the new one.
    project(&["/a", "/b", "/c", "/d"])
        .write("ci/baseline.txt", &recorded)
        .args(["--baseline", "ci/baseline.txt"])
        .stderr_contains("cov: 1 endpoint without a load test not in the baseline: GET /d")
        .status(1);

    // A gap closed: passes, with a hint to ratchet.
    project(&["/a", "/b", "/c"])
        .write("ci/baseline.txt", "GET /a\nGET /b\nGET /c\n")
        .args(["--baseline", "ci/baseline.txt"])
        .stderr_contains("cov: 1 endpoint in the baseline is no longer missing (GET /a): ratchet with `cov audit --baseline ci/baseline.txt --update-baseline`")
        .status(0);

    // An endpoint gone from the spec: passes, saying so rather than calling it progress.
    let run = project(&["/a", "/b"])
        .write("ci/baseline.txt", &recorded)
        .args(["--baseline", "ci/baseline.txt"])
        .stderr_contains("cov: 1 endpoint in the baseline is not in the spec (removed?): GET /c; drop it with `cov audit --baseline ci/baseline.txt --update-baseline`")
        .status(0);
    assert!(!run.stderr.contains("no longer missing"), "{}", run.stderr);
}

#[test]
fn the_baseline_comes_from_the_config_too() {
    project(&["/a", "/b"])
        .write("cov.toml", "baseline = \"ci/baseline.txt\"\n")
        .write("ci/baseline.txt", "GET /b\n")
        .status(0);
}

#[test]
fn a_missing_or_malformed_baseline_is_an_input_error() {
    project(&["/a"])
        .args(["--baseline", "nope.txt"])
        .stderr_contains("cov: baseline nope.txt does not exist: record it with `cov audit --baseline nope.txt --update-baseline`")
        .status(2);
    project(&["/a"])
        .write("b.txt", "GET /a\nthis is not a line\n")
        .args(["--baseline", "b.txt"])
        .stderr_contains("cov: b.txt:2: expected `METHOD /path`")
        .status(2);
}

#[test]
fn update_baseline_uses_the_configured_file_or_asks_for_one() {
    let run = project(&["/a", "/b"])
        .write("cov.toml", "baseline = \"ci/baseline.txt\"\n")
        .arg("--update-baseline")
        .status(0);
    assert!(run.read("ci/baseline.txt").ends_with("\nGET /b\n"));
    project(&["/a", "/b"])
        .arg("--update-baseline")
        .stderr_contains("--update-baseline needs a baseline file")
        .status(2);
}

#[test]
fn quiet_still_says_why_the_gate_failed() {
    project(&["/a", "/b"])
        .arg("--quiet")
        .stderr("cov: 1 of 2 endpoints without a load test\n")
        .status(1);
    project(&["/a"]).arg("--quiet").stderr("").status(0);
}
