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
        tags: tags.iter().map(|&t| t.into()).collect(),
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
fn an_untagged_endpoint_joins_the_tag_group_its_segment_names() {
    let spec = spec(
        "",
        vec![
            endpoint(Get, "/health", &[]),
            endpoint(Get, "/health/ready", &["health"]),
            endpoint(Get, "/metrics", &[]),
            endpoint(Get, "/Teams", &[]),
            endpoint(Get, "/v1/teams", &["teams"]),
        ],
    );
    let audit = build(&spec, &Scan::default(), None, &AuditOptions::default());
    let groups: Vec<(&str, &str, GroupKind)> = audit
        .endpoints
        .iter()
        .map(|e| (e.path.as_str(), e.group.as_str(), e.group_kind))
        .collect();
    assert_eq!(
        groups,
        [
            ("/Teams", "/Teams", GroupKind::Segment),
            ("/health", "health", GroupKind::Tag),
            ("/health/ready", "health", GroupKind::Tag),
            ("/metrics", "/metrics", GroupKind::Segment),
            ("/v1/teams", "teams", GroupKind::Tag),
        ]
    );
    let names: Vec<(&str, usize)> = audit
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.totals.total))
        .collect();
    assert_eq!(
        names,
        [("/Teams", 1), ("/metrics", 1), ("health", 2), ("teams", 1)]
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

/// A fixture's spec, through the spec loader.
fn fixture_spec(rel: &str) -> Spec {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let bytes = std::fs::read(path).unwrap();
    crate::spec::parse(&bytes, rel).unwrap()
}

fn gateway_site(line: u32, method: Method, url: &str, task_name: &str) -> RequestSite {
    let kind = match task_name {
        "on_start" => ReachKind::OnStart,
        "on_stop" => ReachKind::OnStop,
        _ => ReachKind::Task,
    };
    let reached = if task_name.is_empty() {
        vec![]
    } else {
        vec![reach("GatewayUser", task_name, kind)]
    };
    let mut s = site(line, method, url, reached);
    s.column = 9;
    s
}

/// What the scanner sees in `fixtures/audit/service/locustfile.py`.
fn gateway_scan() -> Scan {
    let mut seed = gateway_site(14, Get, "http://localhost:4444/api/v1/servers", "");
    seed.client = Client::Other;
    seed.column = 5;
    let mut from_env = gateway_site(113, Get, "", "from_env");
    from_env.url = None;
    from_env.resolved = false;
    from_env.reason = Some("the environment variable `TARGET_URL`".into());
    let mut sites = vec![
        seed,
        gateway_site(22, Post, "/api/v1/auth/login", "on_start"),
        gateway_site(30, Delete, "/api/v1/tools/t-1", "on_stop"),
        gateway_site(34, Get, "/api/health", "health"),
        gateway_site(39, Get, "/api/tools", "list_tools"),
        gateway_site(43, Post, "/api/v1/tools", "create_tool"),
        gateway_site(47, Get, "/api/v1/tools/search", "search_tools"),
        gateway_site(52, Get, "/api/v1/tools/t-1", "show_tool"),
        gateway_site(52, Get, "/api/v1/tools/t-2", "show_tool"),
        gateway_site(56, Get, "/api/v1/users/me", "me"),
        gateway_site(60, Get, "/api/v1/users/me/roles", "my_roles"),
        gateway_site(64, Get, "/api/v1/files/data.json", "file_json"),
        gateway_site(69, Get, "/api/v1/files/{file_id}", "file_by_id"),
        gateway_site(73, Get, "/api/v1/report.csv", "report"),
        gateway_site(78, Get, "/api/v1/items/{a}-{b}", "item_pair"),
        gateway_site(82, Get, "/api/v1/teams", "teams"),
        gateway_site(88, Get, "/api/v1/teams/team-{n}", "team"),
        gateway_site(
            92,
            Get,
            "/api/v1/admin/resources/test/test://sample",
            "resource",
        ),
        gateway_site(
            97,
            Method::Put,
            "/api/v1/servers/{server_id}",
            "update_server",
        ),
        gateway_site(101, Get, "/favicon.ico", "favicon"),
        gateway_site(105, Get, "/api/v1/nowhere", "nowhere"),
        gateway_site(109, Get, "/api/v1/legacy/1", "legacy"),
        from_env,
        gateway_site(116, Get, "/api/v1/teams/t-1", ""),
    ];
    sites[4].query = Some("limit=10".into());
    sites[6].query = Some("q=time".into());
    Scan {
        sites,
        users: vec![user("BaseUser", false), user("GatewayUser", true)],
        warnings: vec![],
    }
}

#[test]
fn the_gateway_fixture_gets_the_statuses_a_careful_reader_gives() {
    let spec = fixture_spec("fixtures/audit/service/openapi.json");
    assert_eq!(spec.base_path, "/api");
    let opts = AuditOptions {
        aliases: vec!["/v1".into()],
        spec_source: "openapi.json".into(),
        ..Default::default()
    };
    let audit = build(&spec, &gateway_scan(), None, &opts);
    let want = [
        "GET /health Covered",
        "GET /v1/admin/resources/{resource_uri} Missing",
        "POST /v1/auth/login SetupOnly",
        "GET /v1/files/{file_id} Covered",
        "GET /v1/files/{name}.json Covered",
        "GET /v1/items/{a}-{b} Covered",
        "GET /v1/legacy/{id} Missing",
        "GET /v1/legacy/{legacy_id} Missing",
        "GET /v1/report.{format} Covered",
        "GET /v1/servers Missing",
        "PATCH /v1/servers/{server_id} Missing",
        "GET /v1/teams/ Covered",
        "GET /v1/teams/{team_id} Covered",
        "GET /v1/tools Covered",
        "POST /v1/tools Covered",
        "GET /v1/tools/search Covered",
        "GET /v1/tools/{tool_id} Covered",
        "DELETE /v1/tools/{tool_id} SetupOnly",
        "GET /v1/users/me Covered",
        "GET /v1/users/{user_id} Missing",
        "GET /v1/users/{user_id}/roles Covered",
    ];
    assert_eq!(statuses(&audit), want);
    let unmatched: Vec<String> = audit
        .unmatched
        .iter()
        .map(|u| format!("{} {} {}: {}", u.line, u.method, u.url, u.reason))
        .collect();
    assert_eq!(
        unmatched,
        [
            "92 GET /api/v1/admin/resources/test/test://sample: no such path",
            "97 PUT /api/v1/servers/{server_id}: wrong method (allowed: PATCH)",
            "101 GET /favicon.ico: no such path",
            "105 GET /api/v1/nowhere: no such path",
            "109 GET /api/v1/legacy/1: ambiguous (GET /v1/legacy/{id}, GET /v1/legacy/{legacy_id})",
        ]
    );

    // What the router reader adds: the `:path` converter and the hidden route.
    let mut catch_all = vec![Vec::new(); spec.endpoints.len()];
    catch_all[1] = vec!["resource_uri".to_string()];
    let routes = RouteKnowledge {
        declared: vec![],
        catch_all,
        hidden: vec![RouteDecl {
            method: Get,
            path: "/favicon.ico".into(),
            prefix_known: true,
            file: "app/main.py".into(),
            line: 8,
            router: "app".into(),
            hidden: true,
        }],
    };
    let audit = build(&spec, &gateway_scan(), Some(&routes), &opts);
    assert_eq!(audit.endpoints[1].status, Status::Covered);
    assert_eq!(audit.unmatched[1].reason, "hidden route (not in the spec)");
    assert_eq!(audit.summary.covered, 14);
    assert_eq!(audit.summary.missing, 5);
}

#[test]
fn the_swagger_fixture_applies_its_base_path() {
    let spec = fixture_spec("fixtures/audit/swagger/swagger.json");
    assert_eq!(spec.base_path, "/api/v2");
    let scan = Scan {
        sites: vec![
            site(9, Get, "/api/v2/pets", task("PetUser", "list_pets")),
            site(15, Get, "/pets/{pet_id}", task("PetUser", "show_pet")),
            site(
                19,
                Get,
                "/api/store/inventory",
                task("PetUser", "inventory"),
            ),
        ],
        ..Default::default()
    };
    let audit = build(&spec, &scan, None, &AuditOptions::default());
    assert_eq!(
        statuses(&audit),
        [
            "GET /pets Covered",
            "POST /pets Missing",
            "GET /pets/{petId} Covered",
            "GET /store/inventory Missing",
        ]
    );
    assert_eq!(audit.unmatched.len(), 1);
    assert_eq!(audit.unmatched[0].reason, "no such path");
}

#[test]
fn an_unsorted_spec_gives_reports_sorted_with_their_own_coverers_and_notes() {
    // Put together by hand, out of order: the parser's specs come sorted.
    let spec = spec(
        "",
        vec![
            endpoint(Post, "/v1/tools", &["tools"]),
            endpoint(Get, "/v1/teams", &["teams"]),
            endpoint(Get, "/v1/tools", &["tools"]),
            endpoint(Delete, "/v1/agents/{id}", &[]),
        ],
    );
    let scan = Scan {
        sites: vec![
            site(10, Get, "/tools", task("Api", "list_tools")),
            site(11, Post, "/v1/tools", task("Api", "make_tool")),
            site(12, Get, "/v1/teams", task("Admin", "teams")),
            site(13, Get, "/v1/teams", task("Api", "teams")),
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
        statuses(&audit),
        [
            "DELETE /v1/agents/{id} Missing",
            "GET /v1/teams Covered",
            "GET /v1/tools Covered",
            "POST /v1/tools Covered",
        ]
    );
    let who: Vec<Vec<(u32, &str)>> = audit
        .endpoints
        .iter()
        .map(|e| {
            e.covered_by
                .iter()
                .map(|c| (c.line, c.task.as_str()))
                .collect()
        })
        .collect();
    assert_eq!(
        who,
        [
            vec![],
            vec![(12, "teams"), (13, "teams")],
            vec![(10, "list_tools")],
            vec![(11, "make_tool")],
        ]
    );
    let notes: Vec<&[String]> = audit.endpoints.iter().map(|e| &e.notes[..]).collect();
    assert_eq!(notes[2], ["called without the `/v1` prefix (alias)"]);
    assert!(notes[0].is_empty() && notes[1].is_empty() && notes[3].is_empty());
    let groups: Vec<(&str, usize)> = audit
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.totals.total))
        .collect();
    assert_eq!(groups, [("/agents", 1), ("teams", 1), ("tools", 2)]);
    assert_eq!((audit.summary.total, audit.summary.covered), (4, 3));
}

#[test]
fn coverers_stay_with_their_sites_across_many_sites() {
    // More sites than the join reads at a time, several reaches each, and
    // sites that cover nothing in between.
    let spec = spec(
        "",
        (0..7)
            .map(|k| endpoint(Get, &format!("/e{k}"), &[]))
            .collect(),
    );
    let sites: Vec<RequestSite> = (0..1000u32)
        .map(|i| {
            let url = if i % 11 == 0 {
                "/nowhere".to_string()
            } else {
                format!("/e{}", i % 7)
            };
            let reached = (0..=i % 3)
                .map(|u| reach(&format!("U{u}"), &format!("t{i}"), ReachKind::Task))
                .collect();
            site(i + 1, Get, &url, reached)
        })
        .collect();
    let scan = Scan {
        sites,
        ..Default::default()
    };
    let audit = build(&spec, &scan, None, &AuditOptions::default());
    for (k, report) in audit.endpoints.iter().enumerate() {
        let got: Vec<(u32, String, String)> = report
            .covered_by
            .iter()
            .map(|c| (c.line, c.user.to_string(), c.task.to_string()))
            .collect();
        let mut want = Vec::new();
        for i in (0..1000u32).filter(|i| i % 11 != 0 && (i % 7) as usize == k) {
            for u in 0..=i % 3 {
                want.push((i + 1, format!("U{u}"), format!("t{i}")));
            }
        }
        // Coverers sort by user, then task, then site.
        want.sort_by(|a, b| (&a.1, &a.2, a.0).cmp(&(&b.1, &b.2, b.0)));
        assert_eq!(got, want, "{}", report.path);
        assert!(report.covered_by.iter().all(|c| c.url == report.path));
    }
    // One per site that reaches nothing (every 11th).
    assert_eq!(audit.unmatched.len(), 91);
}
