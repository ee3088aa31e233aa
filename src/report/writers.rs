//! Both writers on one small audit, compared with their exact output.

use crate::audit::{build, AuditOptions, Status};
use crate::method::Method::{self, Get, Post};
use crate::site::{Client, Reach, ReachKind, RequestSite, Scan};
use crate::spec::{Endpoint, Spec};

use super::{json, table};

fn sample() -> crate::audit::Audit {
    let ep = |method: Method, path: &str, tag: Option<&str>| Endpoint {
        method,
        path: path.into(),
        operation_id: Some(format!("op_{}", path.trim_matches('/').replace('/', "_")).into()),
        tags: tag.map(|t| vec![t.into()].into()).unwrap_or_default(),
        summary: None,
        deprecated: false,
    };
    let spec = Spec {
        title: Some("Pets".into()),
        version: Some("1.0".into()),
        spec_version: "3.0.3".into(),
        base_path: String::new(),
        endpoints: vec![
            ep(Get, "/health", None),
            ep(Post, "/login", Some("auth")),
            ep(Get, "/pets", Some("pets")),
            ep(Get, "/pets/{id}", Some("pets")),
        ],
    };
    let site =
        |line: u32, method: Method, url: Option<&str>, task: &str, kind: ReachKind| RequestSite {
            file: "locustfile.py".into(),
            line,
            column: 9,
            method: Some(method),
            url: url.map(Into::into),
            query: None,
            name: None,
            client: Client::Locust,
            resolved: url.is_some(),
            reason: url.is_none().then(|| "URL from os.environ".to_string()),
            reached_from: vec![Reach {
                user: "Api".into(),
                user_file: "locustfile.py".into(),
                task: task.into(),
                kind,
            }],
        };
    let scan = Scan {
        sites: vec![
            site(10, Get, Some("/pets/"), "list", ReachKind::Task),
            site(12, Get, Some("/pets/{pid}"), "show", ReachKind::Task),
            site(14, Post, Some("/login"), "on_start", ReachKind::OnStart),
            site(16, Post, Some("/pets"), "create", ReachKind::Task),
            site(18, Get, None, "other", ReachKind::Task),
        ],
        ..Default::default()
    };
    build(&spec, &scan, None, &AuditOptions::default())
}

fn table_text(verbose: bool, color: bool) -> String {
    let mut out = Vec::new();
    table::write(&mut out, &sample(), &table::TableOptions { color, verbose }).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn table_report() {
    assert_eq!(
        table_text(false, false),
        "\
Coverage by group
group    total  covered  setup-only  skipped  missing  percent
/health      1        0           0        0        1     0.0%
auth         1        0           1        0        0     0.0%
pets         2        2           0        0        0   100.0%
total        4        2           1        0        1    50.0%

Missing endpoints (1)
  GET  /health  /health

Unmatched calls (1)
  locustfile.py:16  POST  /pets  wrong method (allowed: GET)

Unresolved calls (1)
  locustfile.py:18  GET  URL from os.environ

Warnings (1)
  locustfile.py:10:9  redirect:  `GET /pets/` differs from `/pets` by a trailing slash: the service answers 307 and the request is sent twice
"
    );
}

#[test]
fn verbose_table_lists_every_endpoint() {
    let text = table_text(true, false);
    let start = text.find("Endpoints (4)").unwrap();
    let end = text.find("Missing endpoints").unwrap();
    assert_eq!(
        &text[start..end],
        "\
Endpoints (4)
  GET   /health     missing     /health
  POST  /login      setup-only  auth
        Api.on_start  locustfile.py:14  /login
  GET   /pets       covered     pets
        Api.list  locustfile.py:10  /pets/
        note: trailing-slash redirect: `/pets/` (locustfile.py:10) is answered with a 307
  GET   /pets/{id}  covered     pets
        Api.show  locustfile.py:12  /pets/{pid}

"
    );
}

#[test]
fn colour_only_when_asked() {
    assert!(!table_text(true, false).contains('\x1b'));
    let coloured = table_text(true, true);
    assert!(coloured.contains("\x1b[1mCoverage by group\x1b[0m"));
    assert!(coloured.contains("\x1b[31mmissing   \x1b[0m"));
    assert!(coloured.contains("\x1b[32mcovered   \x1b[0m"));
}

#[test]
fn json_report_follows_the_contract() {
    let mut audit = sample();
    audit.endpoints[0].status = Status::Skipped;
    audit.recount();
    let mut out = Vec::new();
    json::write(&mut out, &audit).unwrap();
    let text = String::from_utf8(out).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "summary",
            "endpoints",
            "unmatched",
            "unresolved",
            "warnings"
        ]
    );
    assert_eq!(
        value["summary"],
        serde_json::json!({
            "total": 4, "covered": 2, "setup_only": 1, "skipped": 1, "missing": 0,
            "percent": 66.6,
            "groups": [
                {"group": "/health", "kind": "segment", "total": 1, "covered": 0,
                 "setup_only": 0, "skipped": 1, "missing": 0, "percent": 100.0},
                {"group": "auth", "kind": "tag", "total": 1, "covered": 0,
                 "setup_only": 1, "skipped": 0, "missing": 0, "percent": 0.0},
                {"group": "pets", "kind": "tag", "total": 2, "covered": 2,
                 "setup_only": 0, "skipped": 0, "missing": 0, "percent": 100.0},
            ]
        })
    );
    assert!(text.contains(
        "    {
      \"method\": \"POST\",
      \"path\": \"/login\",
      \"group\": \"auth\",
      \"status\": \"setup_only\",
      \"operation_id\": \"op_login\",
      \"tags\": [
        \"auth\"
      ],
      \"covered_by\": [
        {
          \"user\": \"Api\",
          \"task\": \"on_start\",
          \"file\": \"locustfile.py\",
          \"line\": 14,
          \"url\": \"/login\"
        }
      ],
      \"notes\": []
    },"
    ));
    assert_eq!(
        value["unmatched"],
        serde_json::json!([{"file": "locustfile.py", "line": 16, "method": "POST",
            "url": "/pets", "reason": "wrong method (allowed: GET)"}])
    );
    assert_eq!(
        value["unresolved"],
        serde_json::json!([{"file": "locustfile.py", "line": 18, "method": "GET",
            "reason": "URL from os.environ"}])
    );
    assert_eq!(value["warnings"][0]["kind"], "redirect");
    assert!(text.ends_with("}\n"));
}
