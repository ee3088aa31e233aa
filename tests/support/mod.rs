//! A builder for running the `cov` binary in a scratch directory:
//!
//! ```ignore
//! Test::new()
//!     .write("openapi.json", SPEC)
//!     .args(["endpoints", "--spec", "openapi.json"])
//!     .stdout(EXPECTED)
//!     .status(0);
//! ```
//!
//! Status, stdout and stderr are all compared before one panic, so a failure
//! shows everything that differs.

#![allow(dead_code)]

pub mod http;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

/// Removes the common leading indentation of `text` and a leading newline,
/// so expected output can be written indented in the test source.
pub fn unindent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            out.push_str(if line.ends_with('\n') { "\n" } else { "" });
        } else {
            out.push_str(&line[indent.min(line.len())..]);
        }
    }
    out
}

/// Path of the repository's `fixtures/` folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[must_use]
pub struct Test {
    dir: TempDir,
    args: Vec<String>,
    envs: Vec<(String, String)>,
    stdin: Option<String>,
    stdout: Option<String>,
    stdout_contains: Vec<String>,
    stderr: Option<String>,
    stderr_contains: Vec<String>,
    forbidden: Vec<String>,
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

impl Test {
    pub fn new() -> Self {
        Test {
            dir: tempfile::tempdir().expect("create temp dir"),
            args: Vec::new(),
            envs: Vec::new(),
            stdin: None,
            stdout: None,
            stdout_contains: Vec::new(),
            stderr: None,
            stderr_contains: Vec::new(),
            forbidden: Vec::new(),
        }
    }

    /// The scratch directory the command runs in.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (unindented) under the scratch directory, creating parents.
    pub fn write(self, rel: &str, contents: &str) -> Self {
        self.write_bytes(rel, unindent(contents).as_bytes())
    }

    /// Writes raw bytes under the scratch directory, creating parents.
    pub fn write_bytes(self, rel: &str, contents: &[u8]) -> Self {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent dir");
        }
        fs::write(&path, contents).expect("write file");
        self
    }

    /// Copies a file from `fixtures/` into the scratch directory under `rel`.
    pub fn fixture(self, fixture: &str, rel: &str) -> Self {
        let bytes = fs::read(fixtures().join(fixture)).expect("read fixture");
        self.write_bytes(rel, &bytes)
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.into(), value.into()));
        self
    }

    pub fn stdin(mut self, input: &str) -> Self {
        self.stdin = Some(input.into());
        self
    }

    /// Expect exactly this stdout (unindented).
    pub fn stdout(mut self, expected: &str) -> Self {
        self.stdout = Some(unindent(expected));
        self
    }

    pub fn stdout_contains(mut self, needle: &str) -> Self {
        self.stdout_contains.push(needle.into());
        self
    }

    /// Expect exactly this stderr (unindented).
    pub fn stderr(mut self, expected: &str) -> Self {
        self.stderr = Some(unindent(expected));
        self
    }

    pub fn stderr_contains(mut self, needle: &str) -> Self {
        self.stderr_contains.push(needle.into());
        self
    }

    /// This text must appear neither on stdout nor on stderr (a secret).
    pub fn never_prints(mut self, secret: &str) -> Self {
        self.forbidden.push(secret.into());
        self
    }

    /// Runs and expects exit status 0.
    pub fn success(self) -> Run {
        self.status(0)
    }

    /// Runs and checks everything that was asked, then the status.
    pub fn status(self, expected: i32) -> Run {
        let output = self.output();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let code = output.status.code();
        let mut problems = Vec::new();
        if code != Some(expected) {
            problems.push(format!("status: expected {expected}, got {code:?}"));
        }
        if let Some(want) = &self.stdout {
            if *want != stdout {
                problems.push(format!(
                    "stdout differs:\n--- expected\n{want}--- actual\n{stdout}"
                ));
            }
        }
        for needle in &self.stdout_contains {
            if !stdout.contains(needle.as_str()) {
                problems.push(format!("stdout lacks {needle:?}"));
            }
        }
        if let Some(want) = &self.stderr {
            if *want != stderr {
                problems.push(format!(
                    "stderr differs:\n--- expected\n{want}--- actual\n{stderr}"
                ));
            }
        }
        for needle in &self.stderr_contains {
            if !stderr.contains(needle.as_str()) {
                problems.push(format!("stderr lacks {needle:?}"));
            }
        }
        for secret in &self.forbidden {
            if stdout.contains(secret.as_str()) || stderr.contains(secret.as_str()) {
                problems.push(format!("output contains the secret {secret:?}"));
            }
        }
        if !problems.is_empty() {
            panic!(
                "cov {}\n{}\n--- full stdout\n{stdout}--- full stderr\n{stderr}",
                self.args.join(" "),
                problems.join("\n")
            );
        }
        Run {
            dir: self.dir,
            stdout,
            stderr,
        }
    }

    fn output(&self) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cov"));
        cmd.args(&self.args)
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .env("COV_TEST", "1")
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn cov");
        if let Some(input) = &self.stdin {
            use std::io::Write;
            let mut pipe = child.stdin.take().expect("stdin");
            pipe.write_all(input.as_bytes()).expect("write stdin");
        }
        child.wait_with_output().expect("wait for cov")
    }
}

/// A finished run: its output, and the scratch directory for a follow-up
/// look at files it wrote.
pub struct Run {
    pub dir: TempDir,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.dir.path().join(rel)).expect("read output file")
    }
}
