//! File-system faults around `cov audit --write`: a full disk (simulated
//! with a file-size limit, so every write past it fails with EFBIG as on a
//! full disk), and several runs writing the same document at once. The old
//! document must survive a failed write; concurrent writers must leave one
//! complete version, never a mix, and no temporary files.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::Test;

const SPEC: &str = r#"{"openapi": "3.0.3", "info": {"title": "Faults", "version": "1"},
  "paths": {"/a": {"get": {}}, "/b": {"get": {}}, "/c": {"get": {}}, "/d": {"get": {}}}}"#;

fn locustfile(paths: &[&str]) -> String {
    let mut text = String::from("from locust import HttpUser, task\n\n\nclass U(HttpUser):\n");
    for (i, p) in paths.iter().enumerate() {
        text.push_str(&format!(
            "    @task\n    def t{i}(self):\n        self.client.get(\"{p}\")\n\n"
        ));
    }
    text
}

const DOC: &str = "todo/locust-coverage.md";

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir.join("todo"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != "locust-coverage.md")
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_full_disk_fails_with_exit_2_and_leaves_the_old_document() {
    let run = Test::new()
        .write("openapi.json", SPEC)
        .write("locustfile.py", &locustfile(&["/a"]))
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
        .args(["--write", "--fail-under", "0"])
        .status(0);
    let old = run.read(DOC);
    assert!(
        old.len() > 1024,
        "the document must outgrow the limit below"
    );
    fs::write(run.path().join("locustfile.py"), locustfile(&["/a", "/b"])).expect("edit");
    // `ulimit -f 1`: no file may grow past 512 bytes; SIGXFSZ ignored (the
    // disposition survives exec) so the write fails with an error instead.
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 1 && trap '' XFSZ && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_cov"))
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
        .args(["--write", "--fail-under", "0"])
        .current_dir(run.path())
        .stdin(Stdio::null())
        .output()
        .expect("run cov");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "cov: cannot write todo/locust-coverage.md: the old file, if any, is untouched: "
        ),
        "{stderr}"
    );
    assert_eq!(run.read(DOC), old, "the old document changed");
    assert_eq!(leftovers(run.path()), Vec::<String>::new());
}

#[test]
fn concurrent_writers_leave_one_complete_version() {
    let variants: [&[&str]; 4] = [
        &["/a"],
        &["/a", "/b"],
        &["/b", "/c"],
        &["/a", "/b", "/c", "/d"],
    ];
    let test = Test::new().write("openapi.json", SPEC);
    let dir = test.path().to_path_buf();
    // What each run alone writes.
    let mut versions = Vec::new();
    for (i, paths) in variants.iter().enumerate() {
        fs::write(dir.join(format!("locust{i}.py")), locustfile(paths)).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_cov"))
            .args(["audit", "--spec", "openapi.json", "--locustfile"])
            .arg(format!("locust{i}.py"))
            .args(["--write", "--fail-under", "0", "--output"])
            .arg(format!("alone{i}.md"))
            .current_dir(&dir)
            .output()
            .expect("run cov");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        versions.push(fs::read_to_string(dir.join(format!("alone{i}.md"))).expect("read"));
    }
    // The versions differ only in what they cover, not in the file name.
    for round in 0..5 {
        let children: Vec<_> = (0..variants.len() * 2)
            .map(|k| {
                Command::new(env!("CARGO_BIN_EXE_cov"))
                    .args(["audit", "--spec", "openapi.json", "--locustfile"])
                    .arg(format!("locust{}.py", k % variants.len()))
                    .args(["--write", "--fail-under", "0", "--output", DOC])
                    .current_dir(&dir)
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn cov")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            assert_eq!(
                out.status.code(),
                Some(0),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let text = fs::read_to_string(dir.join(DOC)).expect("read the document");
        assert!(
            versions.contains(&text),
            "round {round}: the document is not one run's complete version:\n{text}"
        );
        assert_eq!(leftovers(&dir), Vec::<String>::new(), "round {round}");
    }
    drop(test);
}
