//! The JSON report: a stable contract (see the README) with a fixed key
//! order, pretty-printed.

use std::io;

use serde_json::{json, Value};

use crate::audit::{Audit, GroupSummary, Totals};
use crate::report::{percent_value, status_text};

/// The audit as the JSON document the README describes.
pub fn to_value(audit: &Audit) -> Value {
    let endpoints: Vec<Value> = audit
        .endpoints
        .iter()
        .map(|e| {
            let mut value = json!({
                "method": e.method.as_str(),
                "path": e.path,
                "group": e.group,
                "status": status_key(status_text(e.status)),
                "operation_id": e.operation_id,
                "tags": e.tags,
                "covered_by": e.covered_by.iter().map(|c| json!({
                    "user": c.user,
                    "task": c.task,
                    "file": c.file,
                    "line": c.line,
                    "url": c.url,
                })).collect::<Vec<_>>(),
                "notes": e.notes,
            });
            crate::report::runtime::add_endpoint_json(&mut value, e);
            value
        })
        .collect();
    let unmatched: Vec<Value> = audit
        .unmatched
        .iter()
        .map(|u| {
            json!({
                "file": u.file,
                "line": u.line,
                "method": u.method.as_str(),
                "url": u.url,
                "reason": u.reason,
            })
        })
        .collect();
    let unresolved: Vec<Value> = audit
        .unresolved
        .iter()
        .map(|u| {
            json!({
                "file": u.file,
                "line": u.line,
                "method": u.method.map(|m| m.as_str()),
                "reason": u.reason,
            })
        })
        .collect();
    let warnings: Vec<Value> = audit
        .warnings
        .iter()
        // A warning about a whole file (the spec itself) has no position:
        // `Diagnostic` writes `null` for it.
        .map(|w| json!(w))
        .collect();
    let mut summary = totals(&audit.summary);
    if let Value::Object(map) = &mut summary {
        map.insert(
            "groups".into(),
            Value::Array(audit.groups.iter().map(group).collect()),
        );
    }
    let mut doc = json!({
        "summary": summary,
        "endpoints": endpoints,
        "unmatched": unmatched,
        "unresolved": unresolved,
        "warnings": warnings,
    });
    crate::report::runtime::add_audit_json(&mut doc, audit);
    doc
}

/// Writes the audit as pretty-printed JSON and a final newline.
pub fn write<W: io::Write>(out: &mut W, audit: &Audit) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(audit))?;
    writeln!(out)
}

fn status_key(text: &str) -> String {
    text.replace('-', "_")
}

fn totals(t: &Totals) -> Value {
    json!({
        "total": t.total,
        "covered": t.covered,
        "setup_only": t.setup_only,
        "skipped": t.skipped,
        "missing": t.missing,
        "percent": percent_value(t.percent),
    })
}

fn group(g: &GroupSummary) -> Value {
    let mut value = json!({
        "group": g.group,
        "kind": g.group_kind,
    });
    if let (Value::Object(map), Value::Object(t)) = (&mut value, totals(&g.totals)) {
        map.extend(t);
    }
    value
}
