//! Hostile and pathological inputs, each run through the real binary with
//! one clear outcome: huge and deeply nested files, broken encodings, files
//! that are not files (FIFOs, directories, dangling links), symlink loops,
//! huge and malformed specs. Time and memory are bounded by how the inputs
//! are read (size caps, iterative parsers, depth limits), not by timers
//! here; only the FIFO cases carry a deadline, because a regression there
//! would block forever.

use std::fs;
use std::io::Write;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Test;

const LOCUSTFILE: &str = "\
from locust import HttpUser, task


class Reader(HttpUser):
    @task
    def list_items(self):
        self.client.get(\"/items\")
";

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Runs `cov args` in `dir`, killing it after 60 s so that a run blocked on
/// a FIFO fails the test rather than hanging it. Returns (status, stderr).
fn run_bounded(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cov"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cov");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().expect("wait for cov") {
            let out = child.wait_with_output().expect("collect output");
            return (
                status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cov {} blocked on its input", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ---- locustfiles and router sources -------------------------------------

#[test]
fn a_20_mb_single_line_locustfile_is_scanned() {
    let mut text = String::from(LOCUSTFILE);
    text.push_str("BLOB = \"");
    text.push_str(&"ab".repeat(10 * 1024 * 1024));
    text.push('"'); // no newline: the last line is 20 MB long
    Test::new()
        .write_bytes("locustfile.py", text.as_bytes())
        .args(["calls", "--locustfile", "locustfile.py", "--format", "json"])
        .stdout_contains("\"url\": \"/items\"")
        .stderr("1 request at 1 call site in 1 file: 0 unresolved, 0 reached by no user\n")
        .success();
}

#[test]
fn a_20_mb_single_line_router_source_is_read() {
    let mut text = String::from("x = '");
    text.push_str(&"y".repeat(20 * 1024 * 1024));
    text.push('\'');
    Test::new()
        .write_bytes("app/main.py", text.as_bytes())
        .args(["routes", "--routers", "app"])
        .stderr_contains("0 routes")
        .success();
}

fn nested_brackets(depth: usize) -> String {
    let mut s = String::with_capacity(depth * 2 + 16);
    s.push_str("x = ");
    for i in 0..depth {
        s.push(['(', '[', '{'][i % 3]);
    }
    for i in (0..depth).rev() {
        s.push([')', ']', '}'][i % 3]);
    }
    s.push('\n');
    s
}

#[test]
fn a_locustfile_with_100000_nested_brackets_still_yields_its_requests() {
    let text = format!("{LOCUSTFILE}{}", nested_brackets(100_000));
    Test::new()
        .write("locustfile.py", &text)
        .args(["calls", "--locustfile", "locustfile.py"])
        .stdout_contains("locustfile.py:7  GET     /items")
        .success();
}

#[test]
fn unbalanced_100000_open_brackets_do_not_overflow_the_stack() {
    let text = format!("{LOCUSTFILE}x = {}\n", "[(".repeat(50_000));
    Test::new()
        .write("locustfile.py", &text)
        .args(["calls", "--locustfile", "locustfile.py"])
        .stdout_contains("/items")
        .success();
}

#[test]
fn a_router_source_with_100000_nested_brackets_is_read() {
    let text = format!(
        "from fastapi import FastAPI\napp = FastAPI()\n\n\
         @app.get(\"/items\")\ndef list_items():\n    return {}\n{}",
        "{}",
        nested_brackets(100_000)
    );
    Test::new()
        .write("app/main.py", &text)
        .args(["routes", "--routers", "app"])
        .stdout_contains("GET     /items")
        .success();
}

#[test]
fn an_unterminated_triple_quoted_string_at_the_top_is_a_warning() {
    Test::new()
        .write_bytes(
            "locustfile.py",
            format!("\"\"\"never closed\n{LOCUSTFILE}").as_bytes(),
        )
        .args(["calls", "--locustfile", "locustfile.py"])
        .stderr_contains("locustfile.py:1:1: warning[lex-error]: unterminated triple-quoted string")
        .stderr_contains("0 requests")
        .success();
}

#[test]
fn nul_bytes_and_invalid_utf8_are_warnings_and_the_rest_is_read() {
    let mut bytes = b"from locust import HttpUser, task  # \x00 \xff\xfe\n".to_vec();
    bytes.extend_from_slice(LOCUSTFILE.split_once('\n').expect("two lines").1.as_bytes());
    Test::new()
        .write_bytes("locustfile.py", &bytes)
        .args(["calls", "--locustfile", "locustfile.py"])
        .stdout_contains("locustfile.py:7  GET     /items")
        .stderr_contains("locustfile.py: warning[lex-error]: the file is not valid UTF-8")
        .success();
}

#[test]
fn crlf_line_ends_and_tab_indentation_keep_lines_right() {
    let text = LOCUSTFILE.replace("    ", "\t").replace('\n', "\r\n");
    Test::new()
        .write_bytes("locustfile.py", text.as_bytes())
        .args(["calls", "--locustfile", "locustfile.py"])
        .stdout_contains("locustfile.py:7  GET     /items")
        .success();
}

#[test]
fn mixed_tabs_and_spaces_in_one_block_are_read() {
    let text = "from locust import HttpUser, task\nclass U(HttpUser):\n\t@task\n    \tdef t(self):\n\t\tself.client.get(\"/a\")\n        \tself.client.post(\"/b\")\n";
    Test::new()
        .write("locustfile.py", text)
        .args(["calls", "--locustfile", "locustfile.py"])
        .stdout_contains("GET     /a")
        .stdout_contains("POST    /b")
        .success();
}

#[test]
fn a_locustfile_directory_without_python_files_is_an_error() {
    Test::new()
        .write("load/README.md", "no locustfiles here\n")
        .args(["calls", "--locustfile", "load"])
        .stderr("cov: found no Python file under `load`: name the locustfiles with --locustfile\n")
        .status(2);
}

#[test]
fn a_fifo_as_locustfile_spec_or_config_is_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    mkfifo(&dir.path().join("pipe.py"));
    let cases: [(&[&str], &str); 4] = [
        (
            &["calls", "--locustfile", "pipe.py"],
            "cov: cannot read locustfile `pipe.py`: it is not a regular file",
        ),
        (
            &["endpoints", "--spec", "pipe.py"],
            "cov: cannot read `pipe.py`: it is not a regular file",
        ),
        (
            &["endpoints", "--config", "pipe.py", "--spec", "x.json"],
            "cov: cannot read config file pipe.py: it is not a regular file",
        ),
        (
            &["routes", "--routers", "pipe.py"],
            "cov: --routers pipe.py: not a file or a directory",
        ),
    ];
    for (args, message) in cases {
        let (status, stderr) = run_bounded(dir.path(), args);
        assert_eq!(status, Some(2), "cov {}: {stderr}", args.join(" "));
        assert!(
            stderr.starts_with(message),
            "cov {}: {stderr}",
            args.join(" ")
        );
    }
}

#[test]
fn a_fifo_inside_a_locustfile_directory_is_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("load")).expect("mkdir");
    fs::write(dir.path().join("load/locustfile.py"), LOCUSTFILE).expect("write");
    mkfifo(&dir.path().join("load/locustfile_pipe.py"));
    mkfifo(&dir.path().join("load/pipe.py"));
    let (status, stderr) = run_bounded(dir.path(), &["calls", "--locustfile", "load"]);
    assert_eq!(status, Some(0), "{stderr}");
    let (status, stderr) = run_bounded(dir.path(), &["routes", "--routers", "load"]);
    assert_eq!(status, Some(0), "{stderr}");
}

#[test]
fn unreadable_locustfiles_are_named() {
    let test = Test::new().write("afile", "not a directory\n");
    symlink("nowhere.py", test.path().join("dangling.py")).expect("symlink");
    let test = test
        .args(["calls", "--locustfile", "dangling.py"])
        .stderr(
            "cov: cannot read locustfile `dangling.py`: No such file or directory (os error 2)\n",
        )
        .status(2);
    drop(test);
    Test::new()
        .write("afile", "not a directory\n")
        .args(["calls", "--locustfile", "afile/locustfile.py"])
        .stderr(
            "cov: cannot read locustfile `afile/locustfile.py`: Not a directory (os error 20)\n",
        )
        .status(2);
}

#[test]
fn a_symlink_loop_under_routers_is_a_warning() {
    let test = Test::new().write(
        "app/main.py",
        "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/items\")\ndef items():\n    return []\n",
    );
    fs::create_dir(test.path().join("app/sub")).expect("mkdir");
    symlink("..", test.path().join("app/sub/up")).expect("symlink");
    test.args(["routes", "--routers", "app"])
        .stdout_contains("GET     /items  app/main.py:4")
        .stderr_contains(
            "warning: app/sub/up: skipped: a symlink loops back to a directory above it",
        )
        .success();
}

#[test]
fn a_symlink_loop_under_a_locustfile_directory_is_not_followed() {
    let test = Test::new().write("load/locustfile.py", LOCUSTFILE);
    symlink("..", test.path().join("load/up")).expect("symlink");
    symlink("loop_b", test.path().join("load/loop_a.py")).expect("symlink");
    symlink("loop_a.py", test.path().join("load/loop_b")).expect("symlink");
    test.args(["calls", "--locustfile", "load"])
        .stdout_contains("load/locustfile.py:7  GET     /items")
        .success();
}

// ---- specs ---------------------------------------------------------------

fn deep_json(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn a_json_spec_nested_10000_levels_deep_is_a_clear_error() {
    let spec = format!(
        r#"{{"openapi": "3.0.3", "paths": {{"/a": {{"get": {{"tags": {}}}}}}}}}"#,
        deep_json(10_000)
    );
    Test::new()
        .write("openapi.json", &spec)
        .args(["endpoints", "--spec", "openapi.json"])
        .stderr_contains("cov: openapi.json: /paths/~1a/get/tags: invalid type: sequence")
        .status(2);
    // Depth in a part cov skips costs no stack either.
    let spec = format!(
        r#"{{"openapi": "3.0.3", "x-deep": {}, "paths": {{"/a": {{"get": {{}}}}}}}}"#,
        deep_json(10_000)
    );
    Test::new()
        .write("openapi.json", &spec)
        .args(["endpoints", "--spec", "openapi.json", "-q"])
        .stdout_contains("GET     /a")
        .success();
}

#[test]
fn a_yaml_spec_nested_10000_levels_deep_is_a_clear_error() {
    let mut block = String::from("openapi: 3.0.3\npaths:\n  /a:\n    get:\n      x-deep:\n");
    for depth in 0..10_000 {
        block.push_str(&" ".repeat(8 + depth));
        block.push_str("k:\n");
    }
    Test::new()
        .write_bytes("openapi.yaml", block.as_bytes())
        .args(["endpoints", "--spec", "openapi.yaml"])
        .stderr_contains("cov: openapi.yaml: the YAML document is nested more than 128 levels deep")
        .status(2);
    let flow = format!(
        "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      tags: {}\n",
        deep_json(10_000)
    );
    Test::new()
        .write("openapi.yaml", &flow)
        .args(["endpoints", "--spec", "openapi.yaml"])
        .stderr_contains("cov: openapi.yaml: invalid YAML at line 5")
        .status(2);
}

#[test]
fn a_200_mb_spec_is_read() {
    let test = Test::new();
    let path = test.path().join("openapi.json");
    let mut file = std::io::BufWriter::new(fs::File::create(&path).expect("create"));
    let filler = "x".repeat(20_000);
    write!(file, r#"{{"openapi": "3.0.3", "paths": {{"#).expect("write");
    let mut size = 0;
    let mut i = 0;
    while size < 200 * 1024 * 1024 {
        let item = format!(
            r#"{}"/items{i}/{{id}}": {{"get": {{"operationId": "get{i}", "description": "{filler}"}}}}"#,
            if i == 0 { "" } else { "," }
        );
        size += item.len();
        file.write_all(item.as_bytes()).expect("write");
        i += 1;
    }
    file.write_all(b"}}").expect("write");
    file.flush().expect("flush");
    drop(file);
    test.args(["endpoints", "--spec", "openapi.json", "-q"])
        .stdout_contains(&format!("GET     /items{}/{{id}}", i - 1))
        .success();
}

#[test]
fn a_spec_over_the_size_limit_is_refused_before_reading() {
    let test = Test::new();
    let file = fs::File::create(test.path().join("openapi.json")).expect("create");
    file.set_len(300 * 1024 * 1024).expect("sparse file");
    test.args(["endpoints", "--spec", "openapi.json"])
        .stderr("cov: cannot read `openapi.json`: it is 300 MiB, more than the 256 MiB limit\n")
        .status(2);
}

#[test]
fn duplicate_keys_in_a_json_spec_are_errors() {
    for (spec, message) in [
        (
            r#"{"openapi": "3.0.3", "openapi": "2.0", "paths": {}}"#,
            "cov: openapi.json: duplicate field `openapi`",
        ),
        (
            r#"{"openapi": "3.0.3", "paths": {"/a": {"get": {}}}, "paths": {}}"#,
            "cov: openapi.json: duplicate field `paths`",
        ),
        (
            r#"{"openapi": "3.0.3", "paths": {"/a": {"get": {}}, "/a": {"post": {}}}}"#,
            "cov: openapi.json: /paths/~1a: path `/a` is declared twice",
        ),
    ] {
        Test::new()
            .write("openapi.json", spec)
            .args(["endpoints", "--spec", "openapi.json"])
            .stderr_contains(message)
            .status(2);
    }
}

#[test]
fn paths_that_is_not_an_object_is_named() {
    for paths in ["[]", "\"/a\"", "1", "null"] {
        Test::new()
            .write(
                "openapi.json",
                &format!(r#"{{"openapi": "3.0.3", "paths": {paths}}}"#),
            )
            .args(["endpoints", "--spec", "openapi.json"])
            .stderr_contains("cov: openapi.json: /paths: invalid type")
            .status(2);
    }
}

#[test]
fn path_templates_with_unbalanced_braces_are_literal_and_match_nothing_else() {
    let spec = r#"{"openapi": "3.0.3", "paths": {
        "/a/{b": {"get": {}}, "/a/b}": {"get": {}}, "/}{": {"get": {}},
        "//": {"get": {}}, "/%": {"get": {}}, "/{}": {"get": {}}, "/{{x}}": {"get": {}}}}"#;
    let locustfile = "from locust import HttpUser, task\n\nclass U(HttpUser):\n    @task\n    def t(self):\n        self.client.get(\"/a/{b\")\n        self.client.get(\"/a/c\")\n        self.client.get(\"/%\")\n";
    Test::new()
        .write("openapi.json", spec)
        .write("locustfile.py", locustfile)
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
        .args(["--format", "json"])
        .stdout_contains("\"path\": \"/a/{b\"")
        .status(1);
}

#[test]
fn a_ref_cycle_between_path_items_is_refused() {
    for items in [
        r##"{"A": {"$ref": "#/components/pathItems/A"}}"##,
        r##"{"A": {"$ref": "#/components/pathItems/B"}, "B": {"$ref": "#/components/pathItems/A"}}"##,
    ] {
        let spec = format!(
            r##"{{"openapi": "3.1.0", "paths": {{"/a": {{"$ref": "#/components/pathItems/A"}}}},
              "components": {{"pathItems": {items}}}}}"##
        );
        Test::new()
            .write("openapi.json", &spec)
            .args(["endpoints", "--spec", "openapi.json"])
            .stderr_contains("chains of references are not followed")
            .status(2);
    }
}

#[test]
fn schema_ref_cycles_are_never_followed() {
    let spec = r##"{"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
      "components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}}}"##;
    Test::new()
        .write("openapi.json", spec)
        .write("locustfile.py", LOCUSTFILE)
        .args(["endpoints", "--spec", "openapi.json", "-q"])
        .stdout_contains("GET     /a")
        .success();
}
