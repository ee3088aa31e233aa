//! Audits of hand-built specs and scans.

use super::*;

use crate::method::Method::{self, Delete, Get, Post};
use crate::route::RouteDecl;
use crate::site::{Reach, UserClass};

fn endpoint(method: Method, path: &str, tags: &[&str]) -> Endpoint {
    Endpoint {
        method,
        path: path.into(),
        operation_id: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        summary: None,
        deprecated: false,
    }
}

fn spec(base_path: &str, endpoints: Vec<Endpoint>) -> Spec {
    Spec {
        title: Some("T".into()),
        version: Some("1".into()),
        spec_version: "3.1.0".into(),
        base_path: base_path.into(),
        endpoints,
    }
}

fn reach(user: &str, task: &str, kind: ReachKind) -> Reach {
    Reach {
        user: user.into(),
        user_file: "locustfile.py".into(),
        task: task.into(),
        kind,
    }
}

fn site(line: u32, method: Method, url: &str, reached_from: Vec<Reach>) -> RequestSite {
    RequestSite {
        file: "locustfile.py".into(),
        line,
        column: 9,
        method: Some(method),
        url: Some(url.into()),
        query: None,
        name: None,
        client: Client::Locust,
        resolved: true,
        reason: None,
        reached_from,
    }
}

fn task(user: &str, task_name: &str) -> Vec<Reach> {
    vec![reach(user, task_name, ReachKind::Task)]
}

fn user(name: &str, concrete: bool) -> UserClass {
    UserClass {
        name: name.into(),
        file: "locustfile.py".into(),
        line: 1,
        weight: None,
        concrete,
    }
}

fn statuses(audit: &Audit) -> Vec<String> {
    audit
        .endpoints
        .iter()
        .map(|e| format!("{} {} {:?}", e.method, e.path, e.status))
        .collect()
}

#[test]
fn statuses_follow_who_reaches_the_endpoint() {
    let spec = spec(
        "",
        vec![
            endpoint(Get, "/a", &[]),
            endpoint(Post, "/login", &[]),
            endpoint(Get, "/b", &[]),
            endpoint(Get, "/c", &[]),
            endpoint(Get, "/d", &[]),
        ],
    );
    let mut dead = site(30, Get, "/c", vec![]);
    dead.column = 5;
    let mut other = site(40, Get, "/d", task("Api", "t"));
    other.client = Client::Other;
    let scan = Scan {
        sites: vec![
            site(10, Get, "/a", task("Api", "read")),
            site(11, Get, "/a", task("Base", "read")),
            site(
                20,
                Post,
                "/login",
                vec![reach("Api", "on_start", ReachKind::OnStart)],
            ),
            dead,
            other,
        ],
        users: vec![user("Api", true), user("Base", false)],
        warnings: vec![],
    };
    let audit = build(&spec, &scan, None, &AuditOptions::default());
    assert_eq!(
        statuses(&audit),
        [
            "GET /a Covered",
            "GET /b Missing",
            "GET /c Missing",
            "GET /d Missing",
            "POST /login SetupOnly"
        ]
    );
    let a = &audit.endpoints[0];
    assert_eq!(
        a.covered_by,
        [Coverer {
            user: "Api".into(),
            task: "read".into(),
            kind: ReachKind::Task,
            file: "locustfile.py".into(),
            line: 10,
            url: "/a".into(),
        }]
    );
    let kinds: Vec<(u32, &str)> = audit
        .warnings
        .iter()
        .map(|w| (w.line, w.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (11, "unreached"),
            (30, "unreached"),
            (40, "not-locust-client")
        ]
    );
    assert_eq!(audit.summary.total, 5);
    assert_eq!(audit.summary.covered, 1);
    assert_eq!(audit.summary.setup_only, 1);
    assert_eq!(audit.summary.missing, 3);
    assert_eq!(audit.summary.percent, 20.0);
}

#[test]
fn unmatched_calls_say_why() {
    let spec = spec(
        "",
        vec![
            endpoint(Get, "/tools", &[]),
            endpoint(Post, "/tools", &[]),
            endpoint(Get, "/pets/{id}", &[]),
            endpoint(Get, "/pets/{petId}", &[]),
        ],
    );
    let routes = RouteKnowledge {
        declared: vec![None; 4],
        catch_all: vec![],
        hidden: vec![RouteDecl {
            method: Get,
            path: "/favicon.ico".into(),
            prefix_known: true,
            file: "app/main.py".into(),
            line: 3,
            router: "app".into(),
            hidden: true,
        }],
    };
    let mut unresolved = site(50, Get, "/x", task("Api", "t"));
    unresolved.url = None;
    unresolved.resolved = false;
    unresolved.reason = Some("URL from an environment variable".into());
    let mut no_method = site(51, Get, "/tools", task("Api", "t"));
    no_method.method = None;
    let scan = Scan {
        sites: vec![
            site(10, Delete, "/tools", task("Api", "t")),
            site(11, Get, "/nope", task("Api", "t")),
            site(12, Get, "/favicon.ico", task("Api", "t")),
            site(13, Get, "/pets/{pid}", task("Api", "t")),
            unresolved,
            no_method,
        ],
        users: vec![user("Api", true)],
        warnings: vec![],
    };
    let opts = AuditOptions {
        spec_source: "openapi.json".into(),
        ..Default::default()
    };
    let audit = build(&spec, &scan, Some(&routes), &opts);
    let reasons: Vec<String> = audit
        .unmatched
        .iter()
        .map(|u| format!("{} {} {}: {}", u.line, u.method, u.url, u.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            "10 DELETE /tools: wrong method (allowed: GET, POST)",
            "11 GET /nope: no such path",
            "12 GET /favicon.ico: hidden route (not in the spec)",
            "13 GET /pets/{pid}: ambiguous (GET /pets/{id}, GET /pets/{petId})",
        ]
    );
    let unresolved: Vec<String> = audit
        .unresolved
        .iter()
        .map(|u| format!("{} {:?}: {}", u.line, u.method, u.reason))
        .collect();
    assert_eq!(
        unresolved,
        [
            "50 Some(Get): URL from an environment variable",
            "51 None: method not known statically"
        ]
    );
    assert_eq!(audit.warnings.len(), 1);
    assert_eq!(audit.warnings[0].file, "openapi.json");
    assert_eq!(audit.warnings[0].kind, "conflicting-templates");
    assert_eq!(
        audit.warnings[0].message,
        "`GET /pets/{id}` and `GET /pets/{petId}` differ only in parameter names: no request can tell them apart"
    );
}

#[test]
fn redirects_and_aliases_leave_notes() {
    let spec = spec(
        "",
        vec![
            endpoint(Get, "/v1/teams/", &[]),
            endpoint(Get, "/v1/tools", &[]),
        ],
    );
    let scan = Scan {
        sites: vec![
            site(10, Get, "/v1/teams", task("Api", "t")),
            site(11, Get, "/tools", task("Api", "t")),
        ],
        users: vec![],
        warnings: vec![],
    };
    let opts = AuditOptions {
        aliases: vec!["/v1".into()],
        ..Default::default()
    };
    let audit = build(&spec, &scan, None, &opts);
    assert_eq!(
        audit.endpoints[0].notes,
        ["trailing-slash redirect: `/v1/teams` (locustfile.py:10) is answered with a 307"]
    );
    assert_eq!(
        audit.endpoints[1].notes,
        ["called without the `/v1` prefix (alias)"]
    );
    assert_eq!(audit.warnings.len(), 1);
    assert_eq!(audit.warnings[0].kind, "redirect");
    assert_eq!(audit.summary.covered, 2);

    let strict = AuditOptions {
        strict_slashes: true,
        ..opts
    };
    let audit = build(&spec, &scan, None, &strict);
    assert_eq!(audit.summary.covered, 1);
    assert_eq!(
        audit.unmatched[0].reason,
        "no such path (`GET /v1/teams/` differs only by a trailing slash; slashes are strict)"
    );
}

#[test]
fn groups_come_from_the_declaring_file_then_the_tag_then_the_segment() {
    let spec = spec(
        "",
        vec![
            endpoint(Get, "/", &[]),
            endpoint(Get, "/v1/teams", &["Teams"]),
            endpoint(Get, "/v1/tools", &["Tools"]),
            endpoint(Get, "/v1/x/y", &[]),
        ],
    );
    let routes = RouteKnowledge {
        declared: vec![
            None,
            None,
            Some(Declaration {
                file: "app/routers/tools.py".into(),
                line: 7,
            }),
            None,
        ],
        catch_all: vec![],
        hidden: vec![],
    };
    let opts = AuditOptions {
        aliases: vec!["/v1".into()],
        ..Default::default()
    };
    let audit = build(&spec, &Scan::default(), Some(&routes), &opts);
    let groups: Vec<(&str, GroupKind)> = audit
        .endpoints
        .iter()
        .map(|e| (e.group.as_str(), e.group_kind))
        .collect();
    assert_eq!(
        groups,
        [
            ("/", GroupKind::Segment),
            ("Teams", GroupKind::Tag),
            ("app/routers/tools.py", GroupKind::File),
            ("/x", GroupKind::Segment),
        ]
    );
    let names: Vec<&str> = audit.groups.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(names, ["/", "/x", "Teams", "app/routers/tools.py"]);
    assert_eq!(
        audit.endpoints[2].declared_at,
        Some(Declaration {
            file: "app/routers/tools.py".into(),
            line: 7
        })
    );
}

#[test]
fn recount_leaves_skipped_endpoints_out_of_the_percent() {
    let spec = spec(
        "",
        vec![
            endpoint(Get, "/a", &[]),
            endpoint(Get, "/b", &[]),
            endpoint(Get, "/c", &[]),
        ],
    );
    let scan = Scan {
        sites: vec![site(10, Get, "/a", task("Api", "t"))],
        ..Default::default()
    };
    let mut audit = build(&spec, &scan, None, &AuditOptions::default());
    assert_eq!(audit.summary.percent, 100.0 / 3.0);
    audit.endpoints[1].status = Status::Skipped;
    audit.recount();
    assert_eq!(audit.summary.skipped, 1);
    assert_eq!(audit.summary.percent, 50.0);
    assert_eq!(audit.groups.len(), 3);
    audit.endpoints[0].status = Status::Skipped;
    audit.endpoints[2].status = Status::Skipped;
    audit.recount();
    assert_eq!(audit.summary.percent, 100.0);
}

#[test]
fn catch_alls_come_from_routes_or_configuration() {
    let spec = spec(
        "/api",
        vec![
            endpoint(Get, "/resources/{uri}", &[]),
            endpoint(Get, "/roots/{uri}", &[]),
        ],
    );
    let scan = Scan {
        sites: vec![
            site(
                10,
                Get,
                "/api/resources/test/test://sample",
                task("Api", "t"),
            ),
            site(11, Get, "/api/roots/file:///tmp", task("Api", "t")),
        ],
        ..Default::default()
    };
    let audit = build(&spec, &scan, None, &AuditOptions::default());
    assert_eq!(audit.summary.covered, 0);
    assert_eq!(audit.unmatched.len(), 2);

    let routes = RouteKnowledge {
        declared: vec![],
        catch_all: vec![vec!["uri".into()]],
        hidden: vec![],
    };
    let opts = AuditOptions {
        catch_all_routes: vec!["/api/roots/{ uri : path }".into()],
        ..Default::default()
    };
    let audit = build(&spec, &scan, Some(&routes), &opts);
    assert_eq!(audit.summary.covered, 2, "{:?}", audit.unmatched);
}

#[test]
fn strips_converters() {
    assert_eq!(
        strip_converters("/r/{uri:path}/{id:int}/{x}"),
        ("/r/{uri}/{id}/{x}".to_string(), vec!["uri".to_string()])
    );
    assert_eq!(strip_converters("/r/{bad"), ("/r/{bad".to_string(), vec![]));
}
