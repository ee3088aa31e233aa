//! `cov routes`: the router reader on a FastAPI-style source tree.

use std::fs;
use std::path::Path;

use crate::support::{fixtures, Test};

/// Copies `fixtures/<name>/` into the test's scratch directory.
fn with_tree(mut test: Test, name: &str) -> Test {
    fn copy(test: Test, dir: &Path, rel: &str) -> Test {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .expect("read fixture dir")
            .map(|e| e.expect("fixture entry").path())
            .collect();
        entries.sort();
        let mut test = test;
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let target = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            test = if path.is_dir() {
                copy(test, &path, &target)
            } else {
                test.write_bytes(&target, &fs::read(&path).expect("read fixture"))
            };
        }
        test
    }
    test = copy(test, &fixtures().join(name), "");
    test
}

/// Files a walk must skip, each declaring a route that would show.
fn with_decoys(test: Test) -> Test {
    let decoy = "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get(\"/decoy\")\ndef decoy(): ...\n";
    test.write("app/.venv/lib/site.py", decoy)
        .write("app/node_modules/pkg/x.py", decoy)
        .write("app/__pycache__/main.py", decoy)
        .write("app/build/lib/app.py", decoy)
        .write("app/env3/pyvenv.cfg", "home = /usr\n")
        .write("app/env3/lib/x.py", decoy)
        .write("app/routers/README.txt", "@router.get(\"/decoy\")\n")
}

const TABLE: &str = "
    METHOD  PATH                                    DECLARED AT                    ROUTER        HIDDEN
    GET     /health                                 app/main.py:35                 app
    GET     /favicon.ico                            app/main.py:40                 app           yes
    POST    /initialize                             app/main.py:49                 app
    GET     /admin/stats                            app/routers/admin/panel.py:9   admin_router  yes
    GET     /v1/admin/stats                         app/routers/admin/panel.py:9   admin_router
    GET     /admin/iam/users/{user_id}              app/routers/admin/users.py:6   admin_router  yes
    GET     /v1/admin/iam/users/{user_id}           app/routers/admin/users.py:6   admin_router
    PATCH   /admin/iam/users/{user_id}              app/routers/admin/users.py:11  admin_router  yes
    PATCH   /v1/admin/iam/users/{user_id}           app/routers/admin/users.py:11  admin_router
    GET     /v1/experimental/flags/{flag}           app/routers/experimental.py:6  router
    GET     .../plugins/{name}                      app/routers/plugins.py:6       router
    POST    .../plugins/{name}/enable               app/routers/plugins.py:11      router
    GET     /resources                              app/routers/resources.py:14    router        yes
    GET     /v1/resources                           app/routers/resources.py:14    router
    GET     /resources/{root_uri:path}/children     app/routers/resources.py:15    router        yes
    GET     /v1/resources/{root_uri:path}/children  app/routers/resources.py:15    router        yes
    GET     /resources/{resource_uri:path}          app/routers/resources.py:20    router        yes
    GET     /v1/resources/{resource_uri:path}       app/routers/resources.py:20    router
    GET     /teams                                  app/routers/teams.py:11        router        yes
    GET     /v1/teams                               app/routers/teams.py:11        router
    GET     /teams/                                 app/routers/teams.py:12        router        yes
    GET     /v1/teams/                              app/routers/teams.py:12        router
    POST    /teams/                                 app/routers/teams.py:18        router        yes
    POST    /v1/teams/                              app/routers/teams.py:18        router
    GET     /teams/{team_id}                        app/routers/teams.py:27        router        yes
    GET     /v1/teams/{team_id}                     app/routers/teams.py:27        router
    GET     /teams/{team_id}/members                app/routers/teams.py:32        router        yes
    GET     /v1/teams/{team_id}/members             app/routers/teams.py:32        router
    PUT     /teams/{team_id}/members                app/routers/teams.py:32        router        yes
    PUT     /v1/teams/{team_id}/members             app/routers/teams.py:32        router
    GET     /tools/search                           app/routers/tools.py:16        router        yes
    GET     /v1/tools/search                        app/routers/tools.py:16        router
    GET     /tools/{tool_id}                        app/routers/tools.py:21        router        yes
    GET     /v1/tools/{tool_id}                     app/routers/tools.py:21        router
    DELETE  /tools/{tool_id}                        app/routers/tools.py:26        router        yes
    DELETE  /v1/tools/{tool_id}                     app/routers/tools.py:26        router

    `...` stands for a prefix that cannot be read from the source.
";

#[test]
fn lists_every_route_of_the_fixture_tree_and_skips_what_is_not_source() {
    with_decoys(with_tree(Test::new(), "service"))
        .args(["routes", "--routers", "app"])
        .stdout(TABLE)
        .stderr("36 routes (17 hidden) in 8 files\n")
        .success();
}

#[test]
fn json_lists_every_route_and_its_endpoint_exactly() {
    let expected =
        fs::read_to_string(fixtures().join("service/routes.json")).expect("read expected");
    let run = with_decoys(with_tree(Test::new(), "service"))
        .args(["routes", "--routers", "./app/", "--spec", "openapi.json"])
        .args(["--format", "json", "--quiet"])
        .stderr("")
        .success();
    assert_eq!(run.stdout, expected);
}

/// Every endpoint of the fixture spec, with the file and line that declare it.
/// Method, spec path, and the declaring file and line (`None`: undeclared).
type Expected = (&'static str, &'static str, Option<(&'static str, u32)>);

const DECLARED: &[Expected] = &[
    ("GET", "/health", Some(("app/main.py", 35))),
    ("POST", "/initialize", Some(("app/main.py", 49))),
    (
        "GET",
        "/v1/admin/iam/users/{user_id}",
        Some(("app/routers/admin/users.py", 6)),
    ),
    (
        "PATCH",
        "/v1/admin/iam/users/{user_id}",
        Some(("app/routers/admin/users.py", 11)),
    ),
    (
        "GET",
        "/v1/admin/stats",
        Some(("app/routers/admin/panel.py", 9)),
    ),
    (
        "GET",
        "/v1/experimental/flags/{flag}",
        Some(("app/routers/experimental.py", 6)),
    ),
    (
        "GET",
        "/v1/plugins/{plugin_name}",
        Some(("app/routers/plugins.py", 6)),
    ),
    (
        "POST",
        "/v1/plugins/{plugin_name}/enable",
        Some(("app/routers/plugins.py", 11)),
    ),
    ("GET", "/v1/reports/{report_id}", None),
    (
        "GET",
        "/v1/resources",
        Some(("app/routers/resources.py", 14)),
    ),
    (
        "GET",
        "/v1/resources/{resource_uri}",
        Some(("app/routers/resources.py", 20)),
    ),
    ("GET", "/v1/teams", Some(("app/routers/teams.py", 11))),
    ("GET", "/v1/teams/", Some(("app/routers/teams.py", 12))),
    ("POST", "/v1/teams/", Some(("app/routers/teams.py", 18))),
    (
        "GET",
        "/v1/teams/{team_id}",
        Some(("app/routers/teams.py", 27)),
    ),
    (
        "GET",
        "/v1/teams/{team_id}/members",
        Some(("app/routers/teams.py", 32)),
    ),
    (
        "PUT",
        "/v1/teams/{team_id}/members",
        Some(("app/routers/teams.py", 32)),
    ),
    (
        "GET",
        "/v1/tools/search",
        Some(("app/routers/tools.py", 16)),
    ),
    (
        "GET",
        "/v1/tools/{tool_id}",
        Some(("app/routers/tools.py", 21)),
    ),
    (
        "DELETE",
        "/v1/tools/{tool_id}",
        Some(("app/routers/tools.py", 26)),
    ),
];

type Attributed = (String, String, Option<(String, u32)>);

/// Method, spec path and declaring file and line of every endpoint in a
/// `cov routes --format json` listing, sorted by path then method.
fn attributed(stdout: &str) -> Vec<Attributed> {
    let listing: serde_json::Value = serde_json::from_str(stdout).expect("JSON output");
    let text = |v: &serde_json::Value| v.as_str().expect("a string").to_string();
    let mut got: Vec<Attributed> = Vec::new();
    for route in listing["routes"].as_array().expect("routes") {
        for endpoint in route["endpoints"].as_array().expect("endpoints") {
            let line = route["line"].as_u64().expect("a line") as u32;
            got.push((
                text(&endpoint["method"]),
                text(&endpoint["path"]),
                Some((text(&route["file"]), line)),
            ));
        }
    }
    for endpoint in listing["undeclared"].as_array().expect("undeclared") {
        got.push((text(&endpoint["method"]), text(&endpoint["path"]), None));
    }
    got.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    got
}

/// `expected` in the form of [`attributed`].
fn wanted(expected: &[Expected]) -> Vec<Attributed> {
    let mut want: Vec<Attributed> = expected
        .iter()
        .map(|(m, p, at)| {
            let at = at.map(|(f, l)| (f.to_string(), l));
            (m.to_string(), p.to_string(), at)
        })
        .collect();
    want.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    want
}

#[test]
fn every_spec_endpoint_is_attributed_to_the_file_and_line_that_declare_it() {
    let run = with_tree(Test::new(), "service")
        .args(["routes", "--routers", "app", "--spec", "openapi.json"])
        .args(["--format", "json"])
        .success();
    assert_eq!(attributed(&run.stdout), wanted(DECLARED));
}

#[test]
fn the_table_names_the_endpoint_of_each_route_and_the_undeclared_ones_last() {
    with_tree(Test::new(), "service")
        .args(["routes", "--routers", "app/routers/plugins.py"])
        .args(["--routers", "app/routers/teams.py", "--spec", "openapi.json"])
        .stdout(
            "
            METHOD  PATH                         DECLARED AT                ROUTER  HIDDEN  ENDPOINT
            GET     .../plugins/{name}           app/routers/plugins.py:6   router          GET /v1/plugins/{plugin_name}
            POST    .../plugins/{name}/enable    app/routers/plugins.py:11  router          POST /v1/plugins/{plugin_name}/enable
            GET     .../teams                    app/routers/teams.py:11    router          GET /v1/teams
            GET     .../teams/                   app/routers/teams.py:12    router          GET /v1/teams/
            POST    .../teams/                   app/routers/teams.py:18    router          POST /v1/teams/
            GET     .../teams/{team_id}          app/routers/teams.py:27    router          GET /v1/teams/{team_id}
            GET     .../teams/{team_id}/members  app/routers/teams.py:32    router          GET /v1/teams/{team_id}/members
            PUT     .../teams/{team_id}/members  app/routers/teams.py:32    router          PUT /v1/teams/{team_id}/members

            `...` stands for a prefix that cannot be read from the source.

            Spec endpoints no source declares:
            GET     /health
            POST    /initialize
            GET     /v1/admin/iam/users/{user_id}
            PATCH   /v1/admin/iam/users/{user_id}
            GET     /v1/admin/stats
            GET     /v1/experimental/flags/{flag}
            GET     /v1/reports/{report_id}
            GET     /v1/resources
            GET     /v1/resources/{resource_uri}
            GET     /v1/tools/search
            GET     /v1/tools/{tool_id}
            DELETE  /v1/tools/{tool_id}
            ",
        )
        .stderr("8 routes (0 hidden) in 2 files; 8 of 20 spec endpoints declared\n")
        .success();
}

#[test]
fn a_bad_spec_is_an_input_error() {
    with_tree(Test::new(), "service")
        .write("broken.json", "{\"openapi\": \"3.1.0\", \"paths\": [}")
        .args(["routes", "--routers", "app", "--spec", "broken.json"])
        .stdout("")
        .stderr_contains("broken.json")
        .status(2);
}

#[test]
fn files_and_directories_may_be_named_together() {
    with_tree(Test::new(), "service")
        .args([
            "routes",
            "--routers",
            "app/routers/teams.py",
            "--routers",
            "app/routers/admin",
            "--routers",
            "app/routers/teams.py",
            "-q",
        ])
        .stdout(
            "
            METHOD  PATH                           DECLARED AT                    ROUTER        HIDDEN
            GET     .../admin/stats                app/routers/admin/panel.py:9   admin_router
            GET     .../admin/iam/users/{user_id}  app/routers/admin/users.py:6   admin_router
            PATCH   .../admin/iam/users/{user_id}  app/routers/admin/users.py:11  admin_router
            GET     .../teams                      app/routers/teams.py:11        router
            GET     .../teams/                     app/routers/teams.py:12        router
            POST    .../teams/                     app/routers/teams.py:18        router
            GET     .../teams/{team_id}            app/routers/teams.py:27        router
            GET     .../teams/{team_id}/members    app/routers/teams.py:32        router
            PUT     .../teams/{team_id}/members    app/routers/teams.py:32        router

            `...` stands for a prefix that cannot be read from the source.
            ",
        )
        .success();
}

#[test]
fn warnings_name_the_file_and_line() {
    Test::new()
        .write(
            "svc/main.py",
            r#"
            app = FastAPI()
            app.include_router(build_router())

            @app.get(ROUTE_PATH)
            def a(): ...

            @app.api_route("/m", methods=ALLOWED)
            def m(): ...
            "#,
        )
        .args(["routes", "--routers", "svc"])
        .stdout("METHOD  PATH  DECLARED AT  ROUTER  HIDDEN\n")
        .stderr(
            "
            warning: svc/main.py:2:1: cannot tell which router its argument is; its routes keep an unknown prefix
            warning: svc/main.py:4:1: the path of this route is not a string literal; route skipped
            warning: svc/main.py:7:1: the `methods` of this route are not a list of string literals; route skipped
            0 routes (0 hidden) in 0 files
            ",
        )
        .success();
}

#[test]
fn a_missing_path_is_an_input_error() {
    Test::new()
        .args(["routes", "--routers", "nowhere"])
        .stdout("")
        .stderr_contains("cov: --routers nowhere: cannot read it")
        .status(2);
}

#[test]
fn routers_are_required() {
    Test::new()
        .args(["routes"])
        .stderr_contains("--routers")
        .status(2);
}

#[test]
fn a_file_that_is_not_utf8_is_read_with_a_warning() {
    Test::new()
        .write_bytes(
            "svc/main.py",
            b"# caf\xe9\napp = FastAPI()\n@app.get(\"/ok\")\ndef ok(): ...\n",
        )
        .args(["routes", "--routers", "svc"])
        .stdout(
            "
            METHOD  PATH  DECLARED AT    ROUTER  HIDDEN
            GET     /ok   svc/main.py:3  app
            ",
        )
        .stderr(
            "
            warning: svc/main.py: not UTF-8: bytes that are not were replaced before reading
            1 route (0 hidden) in 1 file
            ",
        )
        .success();
}

#[test]
fn routers_and_spec_come_from_the_config_file() {
    with_tree(Test::new(), "audit/service")
        .write("cov.toml", "spec = \"openapi.json\"\nrouters = [\"app\"]\n")
        .args(["routes"])
        .stdout_contains("GET     /v1/tools/search")
        .stdout_contains("ENDPOINT")
        .stderr_contains("spec endpoints declared")
        .status(0);
}

#[test]
fn templates_that_differ_in_parameter_names_each_declare_their_own_endpoint() {
    with_tree(Test::new(), "audit/service")
        .args(["routes", "--routers", "app", "--spec", "openapi.json"])
        .stdout_contains(
            "GET     /v1/legacy/{id}                          app/main.py:43           app             GET /v1/legacy/{id}\n",
        )
        .stdout_contains(
            "GET     /v1/legacy/{legacy_id}                   app/main.py:48           app             GET /v1/legacy/{legacy_id}\n",
        )
        .stderr_contains("22 routes (1 hidden) in 5 files; 21 of 21 spec endpoints declared")
        .status(0);
}

#[test]
fn a_warning_about_a_whole_file_has_no_position_in_json() {
    let run = Test::new()
        .write(
            "app/main.py",
            "from fastapi import APIRouter\nrouter = APIRouter()\n",
        )
        .write_bytes("app/blob.py", b"\x00\x01\x02")
        .args(["routes", "--routers", "app", "--format", "json", "--quiet"])
        .success();
    let listing: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    let warnings = listing["warnings"].as_array().expect("warnings");
    let blob = warnings
        .iter()
        .find(|w| w["file"] == "app/blob.py")
        .expect("a warning about the binary file");
    assert_eq!(blob["kind"], "binary-file");
    assert_eq!(blob["line"], serde_json::Value::Null);
    assert_eq!(blob["column"], serde_json::Value::Null);
}

const MORE_TABLE: &str = "
    METHOD  PATH                     DECLARED AT              ROUTER              HIDDEN
    GET     /admin/audit/events      app/admin.py:8           audit
    GET     /admin/stats             app/admin.py:13          admin_app
    GET     /health                  app/main.py:27           app
    GET     .../old/items            app/routers/legacy.py:6  router
    GET     /api/teams/teams-count   app/routers/teams.py:7   router
    GET     /api/teams/{team_id}     app/routers/teams.py:12  router
    GET     /api/tools/search        app/routers/tools.py:6   router
    GET     /api/v1/users/{user_id}  app/routers/users.py:6   router
    GET     /v1/reports              app/views.py:8           ReportsView.router
    GET     /v1/reports/{report_id}  app/views.py:9           ReportsView.router
    POST    /api/jobs/{job_id}/run   app/views.py:21          JobsView.router

    `...` stands for a prefix that cannot be read from the source.
";

#[test]
fn prefixes_from_constants_mounted_applications_and_class_based_views() {
    with_tree(Test::new(), "routes-more")
        .args(["routes", "--routers", "app"])
        .stdout(MORE_TABLE)
        .stderr("11 routes (0 hidden) in 7 files\n")
        .success();
}

/// Every endpoint of the application's own spec: the mounted admin
/// application's routes are not in it.
const MORE_DECLARED: &[Expected] = &[
    ("GET", "/health", Some(("app/main.py", 27))),
    (
        "GET",
        "/api/teams/teams-count",
        Some(("app/routers/teams.py", 7)),
    ),
    (
        "GET",
        "/api/teams/{team_id}",
        Some(("app/routers/teams.py", 12)),
    ),
    (
        "GET",
        "/api/tools/search",
        Some(("app/routers/tools.py", 6)),
    ),
    (
        "GET",
        "/api/v1/users/{user_id}",
        Some(("app/routers/users.py", 6)),
    ),
    ("GET", "/v1/reports", Some(("app/views.py", 8))),
    ("GET", "/v1/reports/{report_id}", Some(("app/views.py", 9))),
    ("POST", "/api/jobs/{job_id}/run", Some(("app/views.py", 21))),
    (
        "GET",
        "/legacy/old/items",
        Some(("app/routers/legacy.py", 6)),
    ),
];

#[test]
fn constants_and_class_based_views_attribute_every_endpoint_of_the_spec() {
    let run = with_tree(Test::new(), "routes-more")
        .args(["routes", "--routers", "app", "--spec", "openapi.json"])
        .args(["--format", "json", "--quiet"])
        .stderr("")
        .success();
    assert_eq!(attributed(&run.stdout), wanted(MORE_DECLARED));
}

#[test]
fn a_mounted_application_s_own_spec_is_attributed_through_its_server_path() {
    // The admin application's own document lists `/stats` with
    // `servers: [{"url": "/admin"}]`, as FastAPI serves it under the mount.
    let run = with_tree(Test::new(), "routes-more")
        .args(["routes", "--routers", "app", "--spec", "admin-openapi.json"])
        .args(["--format", "json", "--quiet"])
        .success();
    let want: &[Expected] = &[
        ("GET", "/stats", Some(("app/admin.py", 13))),
        ("GET", "/audit/events", Some(("app/admin.py", 8))),
    ];
    assert_eq!(attributed(&run.stdout), wanted(want));
}
