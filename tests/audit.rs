//! `cov audit`: the report on the bundled fixtures, exact output and exit
//! statuses (0 all covered, 1 missing or below --fail-under, 2 bad input).

use crate::support::Test;

#[test]
fn without_a_spec_is_a_usage_error() {
    Test::new()
        .args(["audit", "--locustfile", "locustfile.py"])
        .stderr("cov: `cov audit` needs --spec SOURCE (a file path or an http(s):// URL)\n")
        .status(2);
}

#[test]
fn without_a_locustfile_is_a_usage_error() {
    Test::new()
        .fixture("audit/swagger/swagger.json", "swagger.json")
        .args(["audit", "--spec", "swagger.json"])
        .stderr("cov: `cov audit` needs --locustfile PATH (a locustfile or a directory of them)\n")
        .status(2);
}

#[test]
fn fail_under_must_be_a_percentage() {
    Test::new()
        .fixture("audit/swagger/swagger.json", "swagger.json")
        .args(["audit", "--spec", "swagger.json", "--locustfile", "x.py"])
        .args(["--fail-under", "150"])
        .stderr("cov: --fail-under takes a percentage from 0 to 100, not 150\n")
        .status(2);
}

#[test]
fn an_unreadable_spec_is_an_input_error() {
    Test::new()
        .write("locustfile.py", "")
        .args([
            "audit",
            "--spec",
            "missing.json",
            "--locustfile",
            "locustfile.py",
        ])
        .stderr_contains("missing.json")
        .stdout("")
        .status(2);
}
