//! `cov audit --stats`: Locust's statistics joined to the audit, on the
//! Bookshop fixture (its spec, service source, locustfile and a recorded
//! Locust CSV), and every way the statistics input can be wrong.

use crate::support::http::{Reply, Server};
use crate::support::Test;

const APP_FILES: [&str; 7] = [
    "app/__init__.py",
    "app/main.py",
    "app/routers/__init__.py",
    "app/routers/admin.py",
    "app/routers/books.py",
    "app/routers/files.py",
    "app/routers/orders.py",
];

/// The Bookshop fixture copied into the scratch directory.
fn bookshop() -> Test {
    let mut t = Test::new()
        .fixture("e2e/openapi.json", "openapi.json")
        .fixture("e2e/locustfile.py", "locustfile.py")
        .fixture("e2e/bookshop_stats.csv", "bookshop_stats.csv");
    for file in APP_FILES {
        t = t.fixture(&format!("e2e/{file}"), file);
    }
    t
}

fn audit_args(stats: &str) -> Vec<String> {
    [
        "audit",
        "--spec",
        "openapi.json",
        "--routers",
        "app",
        "--locustfile",
        "locustfile.py",
        "--stats",
        stats,
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn table_shows_runtime_status_next_to_static_coverage() {
    bookshop()
        .args(audit_args("bookshop_stats.csv"))
        .stdout_contains(
            "
            Runtime (Locust statistics)
              runtime: 22 exercised, 1 failing, 1 declared but not run, 3 not run; 1 stats row unattributed

            Failing endpoints (1)
              GET  /orders/{order_id}/invoice  42/42 failed (100%)  median 2 ms, p95 17 ms

            Declared but not run (1): a task covers them, no request was recorded
              GET  /admin/users/stats  ShopUser.user_stats  locustfile.py:155

            Unattributed stats rows (1)
              GET  /favicon.ico  30 req, 0 failed  hidden route (not in the spec)
            "
            .replace("\n            ", "\n")
            .trim_start(),
        )
        .stderr("cov: 3 of 27 endpoints without a load test\n")
        .status(1);
}

#[test]
fn verbose_table_lists_every_endpoint_with_its_figures() {
    bookshop()
        .args(audit_args("bookshop_stats.csv"))
        .arg("-v")
        .stdout_contains("Runtime by endpoint (27)\n")
        // Two stats rows (`[setup]` and `[create]`) add up on one endpoint.
        .stdout_contains("  POST    /books/                     exercised         22 ")
        // A plain label resolved through the request site that carries it.
        .stdout_contains("  POST    /rpc                        exercised         42 ")
        // A `[path]` placeholder reaches a `{file_path:path}` route.
        .stdout_contains("  PUT     /files/{file_path}          exercised         17 ")
        .stdout_contains("  GET     /orders                     not-run           0         0         -       -\n")
        .status(1);
}

#[test]
fn json_gains_runtime_per_endpoint_and_the_unattributed_rows() {
    bookshop()
        .args(audit_args("bookshop_stats.csv"))
        .args(["--format", "json"])
        .stdout_contains(
            r#"      "runtime": {
        "requests": 42,
        "failures": 42,
        "failure_rate": 1.0,
        "median_ms": 2.0,
        "p95_ms": 17.0
      },
      "runtime_status": "failing""#,
        )
        .stdout_contains(
            r#"      "runtime": {
        "requests": 0,
        "failures": 0,
        "failure_rate": 0.0,
        "median_ms": null,
        "p95_ms": null
      },
      "runtime_status": "not_run""#,
        )
        .stdout_contains(
            r#"    "runtime": {
      "exercised": 22,
      "failing": 1,
      "declared_not_run": 1,
      "not_run": 3,
      "unattributed": 1
    }"#,
        )
        .stdout_contains(
            r#"  "unattributed_stats": [
    {
      "method": "GET",
      "name": "/favicon.ico",
      "requests": 30,
      "failures": 0,
      "reason": "hidden route (not in the spec)"
    }
  ]"#,
        )
        .status(1);
}

#[test]
fn without_stats_there_is_no_runtime_in_the_json() {
    bookshop()
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
            "--format",
            "json",
        ])
        .stdout_contains(r#""status": "covered""#)
        .never_prints("runtime")
        .never_prints("unattributed_stats")
        .status(1);
}

#[test]
fn fail_on_failures_fails_the_gate_on_a_failing_endpoint() {
    bookshop()
        .args(audit_args("bookshop_stats.csv"))
        .args(["--fail-under", "0", "--fail-on-failures"])
        .stderr("cov: 1 endpoint failing at run time: GET /orders/{order_id}/invoice\n")
        .status(1);
    bookshop()
        .args(audit_args("bookshop_stats.csv"))
        .args([
            "--fail-under",
            "0",
            "--fail-on-failures",
            "--max-failure-rate",
            "1",
        ])
        .stdout_contains("runtime: 23 exercised, 0 failing,")
        .stderr("")
        .status(0);
    // Failing endpoints alone do not fail the gate without the flag.
    bookshop()
        .args(audit_args("bookshop_stats.csv"))
        .args(["--fail-under", "0"])
        .stderr("")
        .status(0);
}

#[test]
fn a_failure_rate_out_of_range_is_a_usage_error() {
    bookshop()
        .args(audit_args("bookshop_stats.csv"))
        .args(["--max-failure-rate", "5"])
        .stdout("")
        .stderr("cov: --max-failure-rate takes a rate from 0 to 1 (0.05 is 5%), not 5\n")
        .status(2);
}

#[test]
fn a_file_that_is_not_locust_statistics_names_the_missing_columns() {
    bookshop()
        .write("run_failures.csv", "Method,Name,Error,Occurrences\nGET,/orders/[id]/invoice,500,42\n")
        .args(audit_args("run_failures.csv"))
        .stdout("")
        .stderr(
            "cov: run_failures.csv: not a Locust stats file: missing columns `Request Count`, `Failure Count`; give PREFIX_stats.csv from `locust --csv PREFIX`\n",
        )
        .status(2);
    bookshop()
        .write(
            "run_stats.csv",
            "Type,Name,Request Count,Failure Count\nGET,/health,lots,0\n",
        )
        .args(audit_args("run_stats.csv"))
        .stdout("")
        .stderr("cov: run_stats.csv:2: `Request Count` is `lots`, not a count\n")
        .status(2);
}

#[test]
fn a_missing_stats_file_is_an_input_error() {
    bookshop()
        .args(audit_args("out/none_stats.csv"))
        .stdout("")
        .stderr_contains("cov: cannot read Locust statistics from out/none_stats.csv: cannot read `out/none_stats.csv`")
        .status(2);
}

#[test]
fn custom_request_types_and_unknown_labels_are_unattributed() {
    bookshop()
        .write(
            "mixed_stats.csv",
            "Type,Name,Request Count,Failure Count,Median Response Time,95%
            GET,/health,10,0,2,3
            MCP,initialize,4,0,5,9
            GET,warm-up,2,1,N/A,N/A
            DELETE,/health,1,1,2,2
            ,Aggregated,17,2,2,9
            ",
        )
        .args(audit_args("mixed_stats.csv"))
        .stdout_contains(&
            "
            Unattributed stats rows (3)
              DELETE  /health     1 req, 1 failed  wrong method (allowed: GET)
              MCP     initialize  4 req, 0 failed  request type `MCP` is not an HTTP method
              GET     warm-up     2 req, 1 failed  a label that no request in the locustfiles carries
            "
            .replace("\n            ", "\n"),
        )
        .status(1);
}

/// A running Locust's `/stats/requests` JSON, fetched without the spec's
/// credentials.
#[test]
fn stats_from_a_running_locust_url() {
    let body = r#"{"state": "running", "user_count": 2, "stats": [
        {"method": "GET", "name": "/health", "num_requests": 12, "num_failures": 0,
         "median_response_time": 1.5, "response_time_percentile_0.95": 3},
        {"method": "POST", "name": "/rpc tools/list", "num_requests": 5, "num_failures": 5,
         "median_response_time": 2, "response_time_percentile_0.95": 4},
        {"method": "", "name": "Aggregated", "num_requests": 17, "num_failures": 5}
    ]}"#;
    let server = Server::start(move |_| Reply::ok("application/json", body));
    bookshop()
        .args(audit_args(&server.url("/stats/requests")))
        .args(["-H", "Authorization: Bearer s3cr3t"])
        .stdout_contains("runtime: 1 exercised, 1 failing, 22 declared but not run, 3 not run\n")
        .stdout_contains("  POST  /rpc  5/5 failed (100%)  median 2 ms, p95 4 ms\n")
        .never_prints("s3cr3t")
        .status(1);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/stats/requests");
    assert_eq!(requests[0].header("authorization"), None);
}

#[test]
fn tracking_document_gains_a_runtime_column_and_section() {
    bookshop()
        .args(audit_args("bookshop_stats.csv"))
        .args(["--format", "markdown"])
        .stdout_contains("| method | path | status | runtime | covered by, or why skipped |\n|---|---|---|---|---|\n")
        .stdout_contains(
            "| GET | `/orders/{order_id}/invoice` | covered | **failing** 42/42 (100%), p95 17 ms | `ShopUser.order_flow` at `locustfile.py:113` |\n",
        )
        .stdout_contains("| GET | `/admin/users/stats` | covered | declared, not run | ")
        .stdout_contains(
            "## Runtime

From Locust's statistics: 22 exercised, 1 failing, 1 declared but not run, 3 not run.

Statistics rows joined to no endpoint:

| type | name | requests | failures | why |
|---|---|---:|---:|---|
| GET | `/favicon.ico` | 30 | 0 | hidden route (not in the spec) |
",
        )
        .status(1);
    // Without statistics the document has neither.
    bookshop()
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
        .args(["--format", "markdown"])
        .stdout_contains("| method | path | status | covered by, or why skipped |\n")
        .never_prints("## Runtime")
        .status(1);
}
