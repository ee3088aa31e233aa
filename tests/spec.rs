//! `cov endpoints` on spec files: every supported dialect, both output
//! formats, colour, and one clear error for each kind of bad input.

use crate::support::{fixtures, Test};

fn spec(name: &str) -> String {
    fixtures()
        .join("specs")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn lists_an_openapi_3_0_json_spec() {
    Test::new()
        .fixture("specs/openapi-3.0.json", "openapi.json")
        .args(["endpoints", "--spec", "openapi.json"])
        .stdout(
            "
            METHOD  PATH           TAGS  OPERATION ID
            GET     /pets          pets  listPets
            POST    /pets          pets  createPet
            GET     /pets/{petId}  pets  showPetById
            ",
        )
        .stderr("3 endpoints in Petstore 1.0.0 (OpenAPI 3.0.3)\n")
        .success();
}

#[test]
fn lists_all_eight_methods_of_an_openapi_3_1_yaml_spec() {
    Test::new()
        .args(["endpoints", "--spec", &spec("openapi-3.1.yaml")])
        .stdout(
            "
            METHOD   PATH                           TAGS          OPERATION ID
            GET      /diagnostics/{probe}           diagnostics   probe_get
            PUT      /diagnostics/{probe}           diagnostics   probe_put
            POST     /diagnostics/{probe}           diagnostics   probe_post
            DELETE   /diagnostics/{probe}           diagnostics   probe_delete
            OPTIONS  /diagnostics/{probe}           diagnostics   probe_options
            HEAD     /diagnostics/{probe}           diagnostics   probe_head
            PATCH    /diagnostics/{probe}           diagnostics   probe_patch
            TRACE    /diagnostics/{probe}           diagnostics   probe_trace
            GET      /tools                         tools         list_tools
            POST     /tools                         tools         create_tool
            GET      /tools/{tool_id}               tools         get_tool
            DELETE   /tools/{tool_id} (deprecated)  tools, admin  delete_tool
            ",
        )
        .stderr("12 endpoints in Tool Registry 0.9.1 (OpenAPI 3.1.0)\n")
        .success();
}

#[test]
fn swagger_2_0_base_path_is_reported() {
    Test::new()
        .args(["endpoints", "--spec", &spec("swagger-2.0.json")])
        .stdout_contains("PATCH   /items/{sku}  items  patchItem\n")
        .stderr("4 endpoints in Legacy Inventory 3.2 (Swagger 2.0, base path /api/v2)\n")
        .success();
}

#[test]
fn the_first_server_gives_the_base_path_with_its_variables() {
    Test::new()
        .args(["endpoints", "--spec", &spec("servers-prefix.yaml")])
        .stdout_contains("GET     /status             meta    status\n")
        .stderr("2 endpoints in Gateway 1.0 (OpenAPI 3.0.3, base path /gateway/v1)\n")
        .success();
}

#[test]
fn json_format_prints_an_array_of_endpoints() {
    Test::new()
        .args([
            "endpoints",
            "--format",
            "json",
            "--spec",
            &spec("openapi-3.1.yaml"),
        ])
        .stdout_contains(
            r#"
  {
    "method": "DELETE",
    "path": "/tools/{tool_id}",
    "operation_id": "delete_tool",
    "tags": [
      "tools",
      "admin"
    ],
    "summary": null,
    "deprecated": true
  }
]
"#,
        )
        .success();
    let run = Test::new()
        .args([
            "endpoints",
            "--format",
            "json",
            "--spec",
            &spec("openapi-3.0.json"),
        ])
        .success();
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let endpoints = value.as_array().expect("an array");
    assert_eq!(endpoints.len(), 3);
    assert_eq!(endpoints[0]["method"], "GET");
    assert_eq!(endpoints[0]["path"], "/pets");
    assert_eq!(endpoints[0]["summary"], "List all pets");
    assert_eq!(endpoints[2]["operation_id"], "showPetById");
}

#[test]
fn quiet_drops_the_count() {
    Test::new()
        .args(["-q", "endpoints", "--spec", &spec("openapi-3.0.json")])
        .stdout_contains("showPetById")
        .stderr("")
        .success();
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let esc = "\u{1b}[";
    let run = Test::new()
        .args([
            "endpoints",
            "--color",
            "always",
            "--spec",
            &spec("openapi-3.0.json"),
        ])
        .success();
    assert!(run.stdout.contains(esc), "no colour:\n{}", run.stdout);
    for args in [
        vec!["endpoints", "--spec"],
        vec!["endpoints", "--color", "never", "--spec"],
        vec!["endpoints", "--color", "auto", "--spec"],
    ] {
        let run = Test::new()
            .args(args)
            .arg(spec("openapi-3.0.json"))
            .success();
        assert!(!run.stdout.contains(esc), "colour:\n{}", run.stdout);
    }
}

#[test]
fn the_demo_spec_lists_its_operations() {
    Test::new()
        .args(["endpoints", "--spec"])
        .arg(fixtures().join("demo/openapi.json").to_string_lossy())
        .stdout_contains("POST    /v1/admin/reindex (deprecated)")
        .stdout_contains("GET     /v1/files/{file_path}")
        .stderr("22 endpoints in Acme Shop 2.4.0 (OpenAPI 3.1.0)\n")
        .success();
}

#[test]
fn spec_is_required() {
    Test::new()
        .args(["endpoints"])
        .stderr("cov: `cov endpoints` needs --spec SOURCE (a file path or an http(s):// URL)\n")
        .status(2);
}

#[test]
fn missing_file_and_directory_are_named() {
    Test::new()
        .args(["endpoints", "--spec", "nope.json"])
        .stderr("cov: cannot read `nope.json`: No such file or directory (os error 2)\n")
        .status(2);
    Test::new()
        .write("specs/keep", "")
        .args(["endpoints", "--spec", "specs"])
        .stderr("cov: cannot read `specs`: it is a directory, not a file\n")
        .status(2);
}

#[test]
fn broken_specs_get_one_precise_line_each() {
    let cases = [
        (
            "trailing-comma.json",
            "invalid JSON at line 6, column 3: trailing comma",
        ),
        (
            "bad-indent.yaml",
            "invalid YAML at line 9, column 5: illegal placement of ':' indicator",
        ),
        (
            "no-paths.json",
            "no `paths` object: the document declares no endpoints",
        ),
        (
            "paths-not-object.json",
            "/paths: invalid type: sequence, expected an object mapping path templates \
             to path items (line 4, column 12)",
        ),
        (
            "wrong-version.yaml",
            "unsupported `openapi` version `2.0.0`; cov reads OpenAPI 3.0, 3.1 and \
             Swagger 2.0 documents",
        ),
        (
            "bad-operation.json",
            "/paths/~1tools/get: invalid type: string \"list the tools\", expected an \
             operation object (line 6, column 29)",
        ),
        (
            "login.html",
            "looks like an HTML page, not an OpenAPI document (a login page or the wrong URL?)",
        ),
    ];
    for (file, message) in cases {
        Test::new()
            .fixture(&format!("specs/broken/{file}"), file)
            .args(["endpoints", "--spec", file])
            .stdout("")
            .stderr(&format!("cov: {file}: {message}\n"))
            .status(2);
    }
}

#[test]
fn a_malformed_header_is_a_usage_error_that_hides_its_value() {
    Test::new()
        .args(["endpoints", "--spec", &spec("openapi-3.0.json")])
        .args(["-H", "Bearer s3cr3t-value"])
        .stderr("cov: --header expects `Name: value`, but one argument has no `:`\n")
        .never_prints("s3cr3t-value")
        .status(2);
    Test::new()
        .args(["endpoints", "--spec", &spec("openapi-3.0.json")])
        .args(["-H", "Bad Name: s3cr3t-value"])
        .stderr("cov: --header: `Bad Name` is not a valid header name\n")
        .never_prints("s3cr3t-value")
        .status(2);
}

#[test]
fn header_env_names_a_missing_variable() {
    Test::new()
        .args(["endpoints", "--spec", &spec("openapi-3.0.json")])
        .args(["--header-env", "Authorization=COV_TEST_NO_SUCH_TOKEN"])
        .stderr(
            "cov: environment variable `COV_TEST_NO_SUCH_TOKEN` (for --header-env \
             Authorization=COV_TEST_NO_SUCH_TOKEN) is not set\n",
        )
        .status(2);
}

#[test]
fn timeout_must_be_positive() {
    Test::new()
        .args([
            "endpoints",
            "--spec",
            &spec("openapi-3.0.json"),
            "--timeout",
            "0",
        ])
        .stderr("cov: --timeout must be a positive number of seconds, got 0\n")
        .status(2);
}
