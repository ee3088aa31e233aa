//! The command line itself: help, version, usage errors.

use crate::support::Test;

#[test]
fn version_prints_the_crate_version() {
    Test::new()
        .arg("--version")
        .stdout(&format!("cov {}\n", env!("CARGO_PKG_VERSION")))
        .success();
}

#[test]
fn help_lists_subcommands_and_examples() {
    Test::new()
        .arg("--help")
        .stdout_contains("audit")
        .stdout_contains("endpoints")
        .stdout_contains("calls")
        .stdout_contains("routes")
        .stdout_contains("Examples:")
        .success();
}

#[test]
fn unknown_flag_is_a_usage_error() {
    Test::new()
        .args(["audit", "--no-such-flag"])
        .stderr_contains("--no-such-flag")
        .status(2);
}

#[test]
fn negative_numbers_get_the_range_message() {
    Test::new()
        .args(["audit", "--spec", "s.json", "--locustfile", "l.py"])
        .args(["--fail-under", "-5"])
        .stderr("cov: --fail-under takes a percentage from 0 to 100, not -5\n")
        .status(2);
    Test::new()
        .args(["endpoints", "--spec", "s.json", "--timeout", "-1"])
        .stderr("cov: --timeout must be a positive number of seconds, got -1\n")
        .status(2);
    Test::new()
        .write(
            "s.json",
            r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}}"#,
        )
        .write("l.py", "x = 1\n")
        .args(["audit", "--spec", "s.json", "--locustfile", "l.py"])
        .args(["--stats", "stats.csv", "--max-failure-rate", "-1"])
        .stderr_contains("--max-failure-rate takes a rate from 0 to 1 (0.05 is 5%), not -1")
        .status(2);
}

#[test]
fn the_usage_line_does_not_make_format_look_required() {
    Test::new()
        .args(["audit", "--format", "json", "--bogus"])
        .stderr_contains("Usage: cov audit [OPTIONS] --spec <SOURCE> --locustfile <PATH>\n")
        .status(2);
    Test::new()
        .args(["endpoints", "--format", "json", "--bogus"])
        .stderr_contains("Usage: cov endpoints [OPTIONS] --spec <SOURCE>\n")
        .status(2);
}
