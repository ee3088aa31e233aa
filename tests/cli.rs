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
