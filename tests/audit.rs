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

fn gateway() -> Test {
    Test::new()
        .fixture("audit/service/openapi.json", "openapi.json")
        .fixture("audit/service/locustfile.py", "locustfile.py")
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
}

fn pet_store() -> Test {
    Test::new()
        .fixture("audit/swagger/swagger.json", "swagger.json")
        .fixture("audit/swagger/locustfile.py", "locustfile.py")
        .args([
            "audit",
            "--spec",
            "swagger.json",
            "--locustfile",
            "locustfile.py",
        ])
}

#[test]
fn the_gateway_table_shows_every_rule_and_fails_the_gate() {
    gateway()
        .args(["--alias", "/v1"])
        .stdout(
            "
            Coverage by group
            group    total  covered  setup-only  skipped  missing  percent
            /health      1        1           0        0        0   100.0%
            Admin        1        0           0        0        1     0.0%
            Auth         1        0           1        0        0     0.0%
            Files        4        4           0        0        0   100.0%
            Legacy       2        0           0        0        2     0.0%
            Servers      2        0           0        0        2     0.0%
            Teams        2        2           0        0        0   100.0%
            Tools        5        4           1        0        0    80.0%
            Users        3        2           0        0        1    66.6%
            total       21       13           2        0        6    61.9%

            Missing endpoints (6)
              GET    /v1/admin/resources/{resource_uri}  Admin
              GET    /v1/legacy/{id}                     Legacy
              GET    /v1/legacy/{legacy_id}              Legacy
              GET    /v1/servers                         Servers
              PATCH  /v1/servers/{server_id}             Servers
              GET    /v1/users/{user_id}                 Users

            Unmatched calls (5)
              locustfile.py:92   GET  /api/v1/admin/resources/test/test://sample  no such path
              locustfile.py:97   PUT  /api/v1/servers/{server_id}                 wrong method (allowed: PATCH)
              locustfile.py:101  GET  /favicon.ico                                no such path
              locustfile.py:105  GET  /api/v1/nowhere                             no such path
              locustfile.py:109  GET  /api/v1/legacy/1                            ambiguous (GET /v1/legacy/{id}, GET /v1/legacy/{legacy_id})

            Unresolved calls (1)
              locustfile.py:113  GET  the environment variable `TARGET_URL`

            Warnings (4)
              locustfile.py:14:5   not-locust-client:      `GET /api/v1/servers` is sent outside Locust's client (setup traffic): not counted as coverage
              locustfile.py:82:9   redirect:               `GET /api/v1/teams` differs from `/v1/teams/` by a trailing slash: the service answers 307 and the request is sent twice
              locustfile.py:116:9  unreached:              `GET /api/v1/teams/t-1` is reached from no task of a concrete user: not counted as coverage
              openapi.json         conflicting-templates:  `GET /v1/legacy/{id}` and `GET /v1/legacy/{legacy_id}` differ only in parameter names: no request can tell them apart
            ",
        )
        .stderr("cov: 6 of 21 endpoints without a load test\n")
        .status(1);
}

#[test]
fn verbose_lists_coverers_and_notes() {
    let run = gateway().args(["--alias", "/v1", "-v"]).status(1);
    let start = run.stdout.find("Endpoints (21)").expect("endpoint list");
    let end = run.stdout.find("Missing endpoints").expect("missing list");
    let expected = "\
Endpoints (21)
  GET     /health                             covered     /health
          GatewayUser.health  locustfile.py:34  /api/health
  GET     /v1/admin/resources/{resource_uri}  missing     Admin
  POST    /v1/auth/login                      setup-only  Auth
          GatewayUser.on_start  locustfile.py:22  /api/v1/auth/login
  GET     /v1/files/{file_id}                 covered     Files
          GatewayUser.file_by_id  locustfile.py:69  /api/v1/files/{file_id}
  GET     /v1/files/{name}.json               covered     Files
          GatewayUser.file_json  locustfile.py:64  /api/v1/files/data.json
  GET     /v1/items/{a}-{b}                   covered     Files
          GatewayUser.item_pair  locustfile.py:78  /api/v1/items/{a}-{b}
  GET     /v1/legacy/{id}                     missing     Legacy
  GET     /v1/legacy/{legacy_id}              missing     Legacy
  GET     /v1/report.{format}                 covered     Files
          GatewayUser.report  locustfile.py:73  /api/v1/report.csv
  GET     /v1/servers                         missing     Servers
  PATCH   /v1/servers/{server_id}             missing     Servers
  GET     /v1/teams/                          covered     Teams
          GatewayUser.teams  locustfile.py:82  /api/v1/teams
          note: trailing-slash redirect: `/api/v1/teams` (locustfile.py:82) is answered with a 307
  GET     /v1/teams/{team_id}                 covered     Teams
          GatewayUser.team  locustfile.py:88  /api/v1/teams/team-{n}
  GET     /v1/tools                           covered     Tools
          GatewayUser.list_tools  locustfile.py:39  /api/tools
          note: called without the `/v1` prefix (alias)
  POST    /v1/tools                           covered     Tools
          GatewayUser.create_tool  locustfile.py:43  /api/v1/tools
  GET     /v1/tools/search                    covered     Tools
          GatewayUser.search_tools  locustfile.py:47  /api/v1/tools/search
  GET     /v1/tools/{tool_id}                 covered     Tools
          GatewayUser.show_tool  locustfile.py:52  /api/v1/tools/t-1
          GatewayUser.show_tool  locustfile.py:52  /api/v1/tools/t-2
  DELETE  /v1/tools/{tool_id}                 setup-only  Tools
          GatewayUser.on_stop  locustfile.py:30  /api/v1/tools/t-1
  GET     /v1/users/me                        covered     Users
          GatewayUser.me  locustfile.py:56  /api/v1/users/me
  GET     /v1/users/{user_id}                 missing     Users
  GET     /v1/users/{user_id}/roles           covered     Users
          GatewayUser.my_roles  locustfile.py:60  /api/v1/users/me/roles

";
    assert_eq!(&run.stdout[start..end], expected);
}

#[test]
fn without_the_alias_legacy_paths_match_nothing() {
    let run = gateway().status(1);
    assert!(run
        .stdout
        .contains("total       21       12           2        0        7    57.1%"));
    assert!(run.stdout.contains(
        "locustfile.py:39   GET  /api/tools                                  no such path (the spec has /v1/tools: add --alias /v1?)"
    ));
}

#[test]
fn strict_slashes_turn_the_redirect_into_a_miss() {
    let run = gateway()
        .args(["--alias", "/v1", "--strict-slashes"])
        .status(1);
    assert!(run.stdout.contains(
        "locustfile.py:82   GET  /api/v1/teams                               no such path (`GET /v1/teams/` differs only by a trailing slash; slashes are strict)"
    ));
    assert!(!run.stdout.contains("redirect:"));
}

#[test]
fn the_swagger_base_path_applies_with_and_without_it() {
    pet_store()
        .args(["--format", "json"])
        .stdout_contains("\"url\": \"/api/v2/pets\"")
        .stdout_contains("\"url\": \"/pets/7\"")
        .stdout_contains(
            "  \"unmatched\": [
    {
      \"file\": \"locustfile.py\",
      \"line\": 19,
      \"method\": \"GET\",
      \"url\": \"/api/store/inventory\",
      \"reason\": \"no such path\"
    }
  ],
  \"unresolved\": [],
  \"warnings\": []
}
",
        )
        .stderr("cov: 2 of 4 endpoints without a load test\n")
        .status(1);
}

#[test]
fn json_summary_and_endpoint_shape() {
    let run = pet_store().args(["--format", "json"]).status(1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        value["summary"],
        serde_json::json!({
            "total": 4, "covered": 2, "setup_only": 0, "skipped": 0, "missing": 2,
            "percent": 50.0,
            "groups": [
                {"group": "pets", "kind": "tag", "total": 3, "covered": 2, "setup_only": 0,
                 "skipped": 0, "missing": 1, "percent": 66.6},
                {"group": "store", "kind": "tag", "total": 1, "covered": 0, "setup_only": 0,
                 "skipped": 0, "missing": 1, "percent": 0.0},
            ]
        })
    );
    assert_eq!(
        value["endpoints"][2],
        serde_json::json!({
            "method": "GET", "path": "/pets/{petId}", "group": "pets", "status": "covered",
            "operation_id": "showPet", "tags": ["pets"],
            "covered_by": [{"user": "PetUser", "task": "show_pet", "file": "locustfile.py",
                            "line": 15, "url": "/pets/7"}],
            "notes": []
        })
    );
}

#[test]
fn fail_under_relaxes_the_gate_to_a_threshold() {
    pet_store()
        .args(["--fail-under", "50"])
        .stderr("")
        .success();
    pet_store()
        .args(["--fail-under", "50.1"])
        .stderr("cov: coverage 50.0% is below --fail-under 50.1%\n")
        .status(1);
}

#[test]
fn full_coverage_passes() {
    Test::new()
        .write(
            "openapi.json",
            r#"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
                "paths": {"/items": {"get": {"tags": ["items"], "responses": {}}},
                          "/items/{id}": {"get": {"tags": ["items"], "responses": {}}}}}"#,
        )
        .write(
            "locustfile.py",
            r#"
            from locust import HttpUser, task

            class Reader(HttpUser):
                @task
                def read(self):
                    self.client.get("/items")
                    self.client.get(f"/items/{self.item_id}")
            "#,
        )
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
        .stdout(
            "
            Coverage by group
            group  total  covered  setup-only  skipped  missing  percent
            items      2        2           0        0        0   100.0%
            total      2        2           0        0        0   100.0%
            ",
        )
        .stderr("")
        .success();
}

#[test]
fn output_is_identical_across_runs() {
    let a = gateway()
        .args(["--alias", "/v1", "--format", "json"])
        .status(1);
    let b = gateway()
        .args(["--alias", "/v1", "--format", "json"])
        .status(1);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn routers_supply_converters_hidden_routes_and_groups() {
    gateway()
        .fixture("audit/service/app/main.py", "app/main.py")
        .fixture("audit/service/app/routers/admin.py", "app/routers/admin.py")
        .fixture("audit/service/app/routers/files.py", "app/routers/files.py")
        .fixture("audit/service/app/routers/tools.py", "app/routers/tools.py")
        .fixture("audit/service/app/routers/users.py", "app/routers/users.py")
        .args(["--alias", "/v1", "--routers", "app"])
        .stdout_contains(
            "
group                 total  covered  setup-only  skipped  missing  percent
app/main.py               8        3           1        0        4    37.5%
app/routers/admin.py      1        1           0        0        0   100.0%
app/routers/files.py      4        4           0        0        0   100.0%
app/routers/tools.py      5        4           1        0        0    80.0%
app/routers/users.py      3        2           0        0        1    66.6%
total                    21       14           2        0        5    66.6%
",
        )
        .stdout_contains(
            "
Unmatched calls (4)
  locustfile.py:97   PUT  /api/v1/servers/{server_id}  wrong method (allowed: PATCH)
  locustfile.py:101  GET  /favicon.ico                 hidden route (not in the spec)
  locustfile.py:105  GET  /api/v1/nowhere              no such path
  locustfile.py:109  GET  /api/v1/legacy/1             ambiguous (GET /v1/legacy/{id}, GET /v1/legacy/{legacy_id})
",
        )
        .stderr("cov: 5 of 21 endpoints without a load test\n")
        .status(1);
}

const ONE_PATH: &str = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#;

#[test]
fn a_binary_locustfile_or_router_file_is_an_input_error() {
    Test::new()
        .write("openapi.json", ONE_PATH)
        .write_bytes("locustfile.py", b"PK\x03\x04\x00\x00junk")
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
        .stderr("cov: locustfile.py: not a Python source file (binary data); check --locustfile\n")
        .stdout("")
        .status(2);
    Test::new()
        .write("openapi.json", ONE_PATH)
        .write("locustfile.py", "x = 1\n")
        .write_bytes("app.py", b"\x00\x01\x02")
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
        .args(["--routers", "app.py"])
        .stderr("cov: app.py: not a Python source file (binary data); check --routers\n")
        .status(2);
    Test::new()
        .write("openapi.json", ONE_PATH)
        .write("locustfile.py", "x = 1\n")
        .write_bytes("app/blob.py", b"\x00\x01\x02")
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
        .args(["--routers", "app"])
        .stdout_contains("app/blob.py")
        .stdout_contains("binary-file:  skipped: binary data, not Python source")
        .status(1);
}

#[test]
fn lex_errors_are_capped_and_an_empty_locustfile_is_named() {
    let bad: String = (0..15).map(|i| format!("x = ${i}\n")).collect();
    Test::new()
        .write("openapi.json", ONE_PATH)
        .write("locustfile.py", &bad)
        .args([
            "audit",
            "--spec",
            "openapi.json",
            "--locustfile",
            "locustfile.py",
        ])
        .stdout_contains("locustfile.py:10:5")
        .stdout_contains("... and 5 more places that are not valid Python")
        .stdout_contains("declares no Locust user class and makes no request; check --locustfile")
        .status(1);
}

#[test]
fn calls_without_the_spec_prefix_get_an_alias_hint() {
    let spec = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {
        "/v1/tools": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/v1/users": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/health": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#;
    let locustfile = r#"
from locust import HttpUser, task


class Visitor(HttpUser):
    @task
    def t(self):
        self.client.get("/tools")
        self.client.get("/users")
        self.client.get("/nowhere")
        self.client.get(os.environ["TARGET"])
"#;
    let project = || {
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
    };
    let run = project()
        .stdout_contains("no such path (the spec has /v1/tools: add --alias /v1?)")
        .stdout_contains("no such path (the spec has /v1/users: add --alias /v1?)")
        .stdout_contains(
            "hint: 2 calls miss only the `/v1` prefix the spec puts on its paths: try --alias /v1\n",
        )
        .stdout_contains("Unresolved calls (1)")
        .status(1);
    // Once, under the unmatched calls, not again under the unresolved ones.
    assert_eq!(run.stdout.matches("hint: ").count(), 1, "{}", run.stdout);
    project()
        .args(["--alias", "/v1"])
        .stdout_contains("locustfile.py:9  GET  /nowhere  no such path\n")
        .status(1);
}

#[test]
fn an_alias_without_its_slashes_works_like_the_written_out_one() {
    let slashed = gateway().args(["--alias", "/v1"]).status(1);
    let bare = gateway().args(["--alias", "v1/"]).status(1);
    assert_eq!(bare.stdout, slashed.stdout);
    assert!(!bare
        .stdout
        .contains("GET  /api/tools                                  no such path"));
}

#[test]
fn an_empty_alias_or_one_with_a_parameter_is_a_usage_error() {
    gateway()
        .args(["--alias", "/"])
        .stderr_contains("cov: invalid alias `/`: give a literal path prefix such as `/v1`")
        .status(2);
    gateway()
        .args(["--alias", "/v{n}"])
        .stderr_contains("cov: invalid alias `/v{n}`")
        .status(2);
}

#[test]
fn json_warnings_about_the_spec_itself_have_no_position() {
    let run = gateway()
        .args(["--alias", "/v1", "--format", "json"])
        .status(1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let warnings = value["warnings"].as_array().expect("warnings");
    let spec = warnings
        .iter()
        .find(|w| w["kind"] == "conflicting-templates")
        .expect("the spec's warning");
    assert_eq!(spec["file"], "openapi.json");
    assert_eq!(spec["line"], serde_json::Value::Null);
    assert_eq!(spec["column"], serde_json::Value::Null);
    let in_code = warnings
        .iter()
        .find(|w| w["kind"] == "redirect")
        .expect("a located warning");
    assert_eq!(
        (in_code["line"].as_u64(), in_code["column"].as_u64()),
        (Some(82), Some(9))
    );
}

#[test]
fn a_spec_without_operations_is_an_input_error_not_a_green_gate() {
    Test::new()
        .write(
            "openapi.json",
            r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"parameters": []}}}"#,
        )
        .write(
            "locustfile.py",
            "from locust import HttpUser, task\n\n\nclass U(HttpUser):\n    @task\n    def t(self):\n        self.client.get(\"/a\")\n",
        )
        .args(["audit", "--spec", "openapi.json", "--locustfile", "locustfile.py"])
        .args(["--write"])
        .stderr(
            "cov: openapi.json: the spec declares no operations (no method under `paths`), so there is nothing to measure coverage against; check --spec\n",
        )
        .status(2);
}
