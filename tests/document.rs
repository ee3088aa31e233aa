//! The tracking document: `--write`, the notes block, `--check`,
//! `--format markdown`, and atomic writes that leave the old file alone.

use std::fs;

use crate::support::Test;

const SPEC: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Notes API", "version": "0.3"},
  "paths": {
    "/notes": {
      "get": {"tags": ["notes"], "responses": {"200": {"description": "ok"}}},
      "post": {"tags": ["notes"], "responses": {"201": {"description": "ok"}}}
    },
    "/notes/{note_id}": {"get": {"tags": ["notes"], "responses": {"200": {"description": "ok"}}}}
  }
}"#;

const LOCUSTFILE: &str = r#"
from locust import HttpUser, task


class Reader(HttpUser):
    @task
    def list_notes(self):
        self.client.get("/notes")

    @task
    def read_note(self):
        self.client.get(f"/notes/{self.note_id}")
"#;

const COV_TOML: &str = "spec = \"openapi.json\"\nlocustfiles = \"locustfile.py\"\nfail_under = 0\n";

const DOC: &str = "todo/locust-coverage.md";

fn notes_project() -> Test {
    Test::new()
        .write("openapi.json", SPEC)
        .write("locustfile.py", LOCUSTFILE)
        .write("cov.toml", COV_TOML)
}

#[test]
fn write_creates_the_document_and_regenerating_gives_identical_bytes() {
    let run = notes_project()
        .args(["audit", "--write"])
        .stderr_contains("cov: wrote todo/locust-coverage.md")
        .status(0);
    let first = fs::read(run.path().join(DOC)).unwrap();
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(text.contains("| 3 | 2 | 0 | 0 | 1 | 66.6% |"), "{text}");
    assert!(
        text.contains("| POST | `/notes` | **missing** | no load test |"),
        "{text}"
    );
    assert!(
        text.contains(
            "| GET | `/notes/{note_id}` | covered | `Reader.read_note` at `locustfile.py:11` |"
        ),
        "{text}"
    );
    assert!(
        text.contains("<!-- cov:notes:start -->\n<!-- cov:notes:end -->"),
        "{text}"
    );

    // A second run over the first one's output.
    let again = notes_project()
        .write_bytes(DOC, &first)
        .args(["audit", "--write"])
        .stderr_contains("cov: todo/locust-coverage.md is up to date")
        .status(0);
    assert_eq!(fs::read(again.path().join(DOC)).unwrap(), first);
}

#[test]
fn the_notes_block_survives_regeneration() {
    let run = notes_project().args(["audit", "--write", "-q"]).status(0);
    let doc = run.read(DOC).replace(
        "<!-- cov:notes:start -->\n",
        "<!-- cov:notes:start -->\nOwner: notes team | POST /notes lands in sprint 12.\n",
    );
    let spec = SPEC.replace(
        r#""/notes/{note_id}""#,
        r#""/archive": {"get": {"tags": ["notes"], "responses": {"200": {"description": "ok"}}}},
    "/notes/{note_id}""#,
    );
    let run = Test::new()
        .write("openapi.json", &spec)
        .write("locustfile.py", LOCUSTFILE)
        .write("cov.toml", COV_TOML)
        .write(DOC, &doc)
        .args(["audit", "--write"])
        .stderr_contains("cov: updated todo/locust-coverage.md")
        .status(0);
    let after = run.read(DOC);
    assert!(after.contains("<!-- cov:notes:start -->\nOwner: notes team | POST /notes lands in sprint 12.\n<!-- cov:notes:end -->"), "{after}");
    assert!(
        after.contains("| GET | `/archive` | **missing** |"),
        "{after}"
    );
}

#[test]
fn check_passes_when_the_document_is_current() {
    let run = notes_project().args(["audit", "--write", "-q"]).status(0);
    let doc = run.read(DOC);
    notes_project()
        .write(DOC, &doc)
        .args(["audit", "--check"])
        .status(0);
}

#[test]
fn check_fails_with_a_diff_when_the_document_is_stale() {
    let run = notes_project().args(["audit", "--write", "-q"]).status(0);
    let doc = run.read(DOC).replace(
        "| 3 | 2 | 0 | 0 | 1 | 66.6% |",
        "| 3 | 3 | 0 | 0 | 0 | 100.0% |",
    );
    notes_project()
        .write(DOC, &doc)
        .args(["audit", "--check"])
        .stderr_contains(
            "--- todo/locust-coverage.md (on disk)\n+++ todo/locust-coverage.md (regenerated)\n",
        )
        .stderr_contains("-| 3 | 3 | 0 | 0 | 0 | 100.0% |\n+| 3 | 2 | 0 | 0 | 1 | 66.6% |\n")
        .stderr_contains("cov: todo/locust-coverage.md is out of date: run `cov audit --write`")
        .status(1);
}

#[test]
fn check_fails_when_the_document_is_missing() {
    notes_project()
        .args(["audit", "--check"])
        .stderr_contains(
            "cov: todo/locust-coverage.md does not exist: create it with `cov audit --write`",
        )
        .status(1);
}

#[test]
fn format_markdown_prints_the_document() {
    let run = notes_project().args(["audit", "--write", "-q"]).status(0);
    let doc = run.read(DOC);
    notes_project()
        .write(DOC, &doc)
        .args(["audit", "--format", "markdown"])
        .stdout(&doc)
        .status(0);
}

// Tests run as root, where permission bits do not stop a write, so each
// failing write below is made impossible another way.

#[test]
fn a_write_under_a_regular_file_fails_and_changes_nothing() {
    // The output's parent directory is a regular file: no directory can be
    // created there, whoever runs the test.
    let run = notes_project()
        .write("todo", "a file where the directory should be\n")
        .args(["audit", "--write"])
        .stderr_contains(
            "cov: cannot write todo/locust-coverage.md: the old file, if any, is untouched",
        )
        .status(2);
    assert_eq!(run.read("todo"), "a file where the directory should be\n");
}

#[test]
fn a_directory_in_the_way_is_an_error_and_is_left_alone() {
    let run = notes_project()
        .write("todo/locust-coverage.md/keep.txt", "old\n")
        .args(["audit", "--write"])
        .stderr_contains("cov: cannot read todo/locust-coverage.md")
        .status(2);
    assert_eq!(run.read("todo/locust-coverage.md/keep.txt"), "old\n");
    let names: Vec<String> = fs::read_dir(run.path().join("todo"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["locust-coverage.md"]);
}

#[test]
fn a_broken_notes_block_stops_the_write_and_keeps_the_old_file() {
    let old = "# Locust coverage\n\n<!-- cov:notes:start -->\nprecious notes\n";
    let run = notes_project()
        .write(DOC, old)
        .args(["audit", "--write"])
        .stderr_contains("has `<!-- cov:notes:start -->` without `<!-- cov:notes:end -->`")
        .status(2);
    assert_eq!(run.read(DOC), old);
}
