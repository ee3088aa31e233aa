//! `cov calls`: the fixture locustfiles give exactly the expected records,
//! directories are walked, bad input is a clear error or a warning.

use crate::support::Test;

const SUITE_FILES: &[&str] = &[
    "suite/common.py",
    "suite/locustfile.py",
    "suite/notes.py",
    "suite/perf/locustfile_admin.py",
    "suite/.venv/locustfile.py",
    "suite/node_modules/pkg/locustfile.py",
];

fn with_suite(mut test: Test) -> Test {
    for f in SUITE_FILES {
        test = test.fixture(&format!("locust/{f}"), f);
    }
    test
}

#[test]
fn gateway_locustfile_gives_the_expected_records() {
    Test::new()
        .fixture("locust/locustfile.py", "locustfile.py")
        .args(["calls", "--locustfile", "locustfile.py", "--format", "json"])
        .stdout(include_str!("../fixtures/locust/expected/locustfile.json"))
        .stderr_contains(
            "locustfile.py:155:9: warning[label-mismatch]: the label `/servers/default/tools` \
             does not match the URL `/servers/srv-1/tools`",
        )
        .success();
}

#[test]
fn other_clients_and_unresolvable_urls() {
    Test::new()
        .fixture("locust/other_clients.py", "other_clients.py")
        .args(["calls", "-l", "other_clients.py", "--format", "json"])
        .stdout(include_str!(
            "../fixtures/locust/expected/other_clients.json"
        ))
        .success();
}

#[test]
fn tasksets_task_lists_and_fasthttp() {
    Test::new()
        .fixture("locust/tasksets.py", "tasksets.py")
        .args(["calls", "-l", "tasksets.py", "--format", "json"])
        .stdout(include_str!("../fixtures/locust/expected/tasksets.json"))
        .success();
}

#[test]
fn directories_are_walked_skipping_environments() {
    with_suite(Test::new())
        .args(["calls", "--locustfile", "suite", "--format", "json"])
        .stdout(include_str!("../fixtures/locust/expected/suite.json"))
        .success();
}

#[test]
fn table_lists_every_record_readably() {
    with_suite(Test::new())
        .fixture("locust/locustfile.py", "locustfile.py")
        .args(["calls", "-l", "locustfile.py", "-l", "suite/perf"])
        .stdout(include_str!("../fixtures/locust/expected/table.txt"))
        .stderr_contains(
            "28 requests at 21 call sites in 2 files: 0 unresolved, 1 reached by no user",
        )
        .success();
}

#[test]
fn quiet_prints_no_warnings() {
    Test::new()
        .fixture("locust/locustfile.py", "locustfile.py")
        .args(["calls", "-q", "-l", "locustfile.py", "--format", "json"])
        .stderr("")
        .success();
}

#[test]
fn a_missing_locustfile_is_an_input_error() {
    Test::new()
        .args(["calls", "--locustfile", "nope.py"])
        .stderr_contains("cov: cannot read locustfile `nope.py`")
        .status(2);
}

#[test]
fn no_locustfile_is_a_usage_error() {
    Test::new()
        .args(["calls"])
        .stderr_contains("--locustfile")
        .status(2);
}

#[test]
fn lexer_errors_and_bad_utf8_are_warnings() {
    Test::new()
        .write(
            "locustfile.py",
            r#"
            from locust import HttpUser, task

            class U(HttpUser):
                @task
                def t(self):
                    self.client.get("/before")
                    broken = "never closed
                    self.client.get("/after")
            "#,
        )
        .write_bytes("junk.py", b"\xff\xfe(((\"\x80class X(:\n\tdef")
        .args([
            "calls",
            "-l",
            "locustfile.py",
            "-l",
            "junk.py",
            "--format",
            "json",
        ])
        .stdout_contains("\"/before\"")
        .stdout_contains("\"/after\"")
        .stderr_contains("locustfile.py:7:18: warning[lex-error]: unterminated string")
        .stderr_contains("junk.py: warning[lex-error]: the file is not valid UTF-8")
        .success();
}

#[test]
fn binary_junk_named_as_a_locustfile_is_an_input_error() {
    Test::new()
        .write_bytes("junk.py", b"\x00\xff\xfe(((\"\x80class X(:\n\tdef")
        .args(["calls", "-l", "junk.py"])
        .stderr("cov: junk.py: not a Python source file (binary data); check --locustfile\n")
        .status(2);
}

#[test]
fn compressed_data_named_as_a_locustfile_is_an_input_error() {
    // Bytes as gzip or a random source writes them: almost no NUL or control
    // bytes, but mostly not UTF-8.
    let mut x: u32 = 7;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8 | 0x80
        })
        .collect();
    Test::new()
        .write_bytes("locustfile.py.gz.py", &noise)
        .args(["calls", "-l", "locustfile.py.gz.py"])
        .stderr(
            "cov: locustfile.py.gz.py: not a Python source file (binary data); check --locustfile\n",
        )
        .status(2);
}

#[test]
fn a_directory_without_locust_gets_a_warning() {
    Test::new()
        .write(
            "app/main.py",
            "from fastapi import FastAPI\n\nclass User:\n    pass\n\napp = FastAPI()\n",
        )
        .args(["calls", "-l", "app"])
        .stderr_contains(
            "app: warning[no-user]: found no Locust user class and no request under `app`; check --locustfile\n",
        )
        .status(0);
}

#[test]
fn a_directory_of_python_without_locust_is_an_input_error() {
    Test::new()
        .write("app/main.py", "from fastapi import FastAPI\n\napp = FastAPI()\n")
        .write("app/db.py", "import sqlite3\n")
        .args(["calls", "-l", "app"])
        .stderr("cov: found no locustfile under `app`: 2 Python files, none of them mentions Locust; name the locustfiles with --locustfile\n")
        .status(2);
}

#[test]
fn an_empty_directory_is_an_input_error() {
    Test::new()
        .write("load/README.md", "no python here\n")
        .args(["calls", "-l", "load"])
        .stderr_contains("found no Python file under `load`")
        .status(2);
}
