//! The runtime part of the reports, present only when `--stats` was given:
//! a section of the table (summary, failing endpoints, tasks that never
//! ran, stats rows joined to nothing), the JSON keys `runtime`,
//! `runtime_status`, `summary.runtime` and `unattributed_stats`, and the
//! tracking document's runtime column and section.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::audit::{Audit, EndpointReport, Runtime, RuntimeStatus};
use crate::report::markdown::{cell as md_cell, code as md_code};
use crate::runtime::{cell, percent, summary_line, totals};

/// How a runtime status is written in reports.
pub fn status_text(status: RuntimeStatus) -> &'static str {
    match status {
        RuntimeStatus::Exercised => "exercised",
        RuntimeStatus::Failing => "failing",
        RuntimeStatus::DeclaredNotRun => "declared-not-run",
        RuntimeStatus::NotRun => "not-run",
    }
}

/// Writes the runtime section of the table; nothing without `--stats`.
/// With `verbose`, every endpoint's figures.
pub fn write_table<W: Write>(out: &mut W, audit: &Audit, verbose: bool) -> io::Result<()> {
    let Some(line) = summary_line(audit) else {
        return Ok(());
    };
    writeln!(out)?;
    writeln!(out, "Runtime (Locust statistics)")?;
    writeln!(out, "  {line}")?;

    let with = |status: RuntimeStatus| -> Vec<&EndpointReport> {
        audit
            .endpoints
            .iter()
            .filter(|e| e.runtime_status == Some(status))
            .collect()
    };
    let failing = with(RuntimeStatus::Failing);
    if !failing.is_empty() {
        writeln!(out)?;
        writeln!(out, "Failing endpoints ({})", failing.len())?;
        let rows: Vec<Vec<String>> = failing
            .iter()
            .map(|e| {
                let r = e.runtime.as_deref().copied().unwrap_or_default();
                vec![
                    e.method.to_string(),
                    e.path.to_string(),
                    format!(
                        "{}/{} failed ({})",
                        r.failures,
                        r.requests,
                        percent(r.failure_rate)
                    ),
                    times(&r),
                ]
            })
            .collect();
        write_rows(out, &rows)?;
    }
    let idle = with(RuntimeStatus::DeclaredNotRun);
    if !idle.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Declared but not run ({}): a task covers them, no request was recorded",
            idle.len()
        )?;
        let rows: Vec<Vec<String>> = idle
            .iter()
            .map(|e| {
                let by = e
                    .covered_by
                    .first()
                    .map(|c| format!("{}.{}  {}:{}", c.user, c.task, c.file, c.line))
                    .unwrap_or_default();
                vec![e.method.to_string(), e.path.to_string(), by]
            })
            .collect();
        write_rows(out, &rows)?;
    }
    let unattributed = audit.unattributed_stats.as_deref().unwrap_or_default();
    if !unattributed.is_empty() {
        writeln!(out)?;
        writeln!(out, "Unattributed stats rows ({})", unattributed.len())?;
        let rows: Vec<Vec<String>> = unattributed
            .iter()
            .map(|u| {
                vec![
                    u.method.clone(),
                    u.name.clone(),
                    format!("{} req, {} failed", u.requests, u.failures),
                    u.reason.clone(),
                ]
            })
            .collect();
        write_rows(out, &rows)?;
    }
    if verbose {
        writeln!(out)?;
        writeln!(out, "Runtime by endpoint ({})", audit.endpoints.len())?;
        let mut rows = vec![[
            "method", "path", "runtime", "requests", "failures", "median", "p95",
        ]
        .map(String::from)
        .to_vec()];
        rows.extend(audit.endpoints.iter().map(|e| {
            let r = e.runtime.as_deref().copied().unwrap_or_default();
            vec![
                e.method.to_string(),
                e.path.to_string(),
                e.runtime_status.map(status_text).unwrap_or("").to_string(),
                r.requests.to_string(),
                r.failures.to_string(),
                ms(r.median_ms),
                ms(r.p95_ms),
            ]
        }));
        write_rows(out, &rows)?;
    }
    Ok(())
}

/// Adds `runtime` and `runtime_status` to one endpoint's JSON object.
pub fn add_endpoint_json(value: &mut Value, endpoint: &EndpointReport) {
    let Value::Object(map) = value else {
        return;
    };
    if let Some(r) = &endpoint.runtime {
        map.insert(
            "runtime".into(),
            json!({
                "requests": r.requests,
                "failures": r.failures,
                "failure_rate": r.failure_rate,
                "median_ms": r.median_ms,
                "p95_ms": r.p95_ms,
            }),
        );
    }
    if let Some(status) = endpoint.runtime_status {
        map.insert(
            "runtime_status".into(),
            Value::String(status_text(status).replace('-', "_")),
        );
    }
}

/// Adds `summary.runtime` and `unattributed_stats` to the whole document.
pub fn add_audit_json(value: &mut Value, audit: &Audit) {
    let (Some(t), Some(unattributed)) = (totals(audit), &audit.unattributed_stats) else {
        return;
    };
    let Value::Object(map) = value else {
        return;
    };
    if let Some(Value::Object(summary)) = map.get_mut("summary") {
        summary.insert(
            "runtime".into(),
            json!({
                "exercised": t.exercised,
                "failing": t.failing,
                "declared_not_run": t.declared_not_run,
                "not_run": t.not_run,
                "unattributed": t.unattributed,
            }),
        );
    }
    map.insert(
        "unattributed_stats".into(),
        Value::Array(
            unattributed
                .iter()
                .map(|u| {
                    json!({
                        "method": u.method,
                        "name": u.name,
                        "requests": u.requests,
                        "failures": u.failures,
                        "reason": u.reason,
                    })
                })
                .collect(),
        ),
    );
}

/// The tracking document's runtime cell: `exercised: 73 req, p95 4 ms`,
/// `**failing** 42/42 (100%), p95 17 ms`, `declared, not run`, `not run`.
pub fn markdown_cell(endpoint: &EndpointReport) -> String {
    let text = cell(endpoint.runtime.as_deref(), endpoint.runtime_status);
    match endpoint.runtime_status {
        Some(RuntimeStatus::Exercised) => format!("exercised: {text}"),
        Some(RuntimeStatus::Failing) => match text.strip_prefix("failing ") {
            Some(rest) => format!("**failing** {rest}"),
            None => text,
        },
        _ => text,
    }
}

/// The tracking document's `## Runtime` section; nothing without `--stats`.
pub fn write_markdown<W: Write>(out: &mut W, audit: &Audit) -> io::Result<()> {
    let (Some(t), Some(unattributed)) = (totals(audit), &audit.unattributed_stats) else {
        return Ok(());
    };
    writeln!(out)?;
    writeln!(out, "## Runtime")?;
    writeln!(out)?;
    writeln!(
        out,
        "From Locust's statistics: {} exercised, {} failing, {} declared but not run, {} not run.",
        t.exercised, t.failing, t.declared_not_run, t.not_run
    )?;
    writeln!(out)?;
    writeln!(out, "Statistics rows joined to no endpoint:")?;
    writeln!(out)?;
    if unattributed.is_empty() {
        writeln!(out, "None.")?;
    } else {
        writeln!(out, "| type | name | requests | failures | why |")?;
        writeln!(out, "|---|---|---:|---:|---|")?;
        for u in unattributed {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md_cell(&u.method),
                md_code(&u.name),
                u.requests,
                u.failures,
                md_cell(&u.reason)
            )?;
        }
    }
    Ok(())
}

fn times(r: &Runtime) -> String {
    match (r.median_ms, r.p95_ms) {
        (None, None) => String::new(),
        (m, p) => format!("median {}, p95 {}", ms(m), ms(p)),
    }
}

fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v} ms"))
}

fn write_rows<W: Write>(out: &mut W, rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.chars().count();
            match widths.get_mut(i) {
                Some(old) => *old = (*old).max(w),
                None => widths.push(w),
            }
        }
    }
    for row in rows {
        let mut line = String::from(" ");
        for (i, cell) in row.iter().enumerate() {
            line.push(' ');
            line.push_str(cell);
            if i + 1 < row.len() {
                let w = widths.get(i).copied().unwrap_or(0);
                line.push_str(&" ".repeat(w.saturating_sub(cell.chars().count()) + 1));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{GroupKind, Status, Totals, UnattributedStat};
    use crate::method::Method;

    fn endpoint(
        method: Method,
        path: &str,
        runtime: Option<Runtime>,
        status: Option<RuntimeStatus>,
    ) -> EndpointReport {
        EndpointReport {
            method,
            path: path.into(),
            group: "g".into(),
            group_kind: GroupKind::Segment,
            status: Status::Covered,
            operation_id: None,
            tags: Default::default(),
            covered_by: vec![],
            notes: vec![],
            skip: None,
            declared_at: None,
            runtime: runtime.map(Box::new),
            runtime_status: status,
        }
    }

    fn sample(with_stats: bool) -> Audit {
        let run = |requests, failures, rate| Runtime {
            requests,
            failures,
            failure_rate: rate,
            median_ms: Some(2.0),
            p95_ms: Some(4.5),
        };
        let pick = |r: Runtime, s| {
            if with_stats {
                (Some(r), Some(s))
            } else {
                (None, None)
            }
        };
        let (r1, s1) = pick(run(10, 0, 0.0), RuntimeStatus::Exercised);
        let (r2, s2) = pick(run(4, 1, 0.25), RuntimeStatus::Failing);
        let (r3, s3) = pick(Runtime::default(), RuntimeStatus::DeclaredNotRun);
        Audit {
            spec_title: None,
            spec_version: None,
            summary: Totals::default(),
            groups: vec![],
            endpoints: vec![
                endpoint(Method::Get, "/a", r1, s1),
                endpoint(Method::Post, "/a/{id}", r2, s2),
                endpoint(Method::Get, "/b", r3, s3),
            ],
            unmatched: vec![],
            unresolved: vec![],
            warnings: vec![],
            unattributed_stats: with_stats.then(|| {
                vec![UnattributedStat {
                    method: "GET".into(),
                    name: "/favicon.ico".into(),
                    requests: 3,
                    failures: 0,
                    reason: "no such path".into(),
                }]
            }),
        }
    }

    #[test]
    fn table_section() {
        let mut out = Vec::new();
        write_table(&mut out, &sample(true), true).unwrap();
        let expected = "
Runtime (Locust statistics)
  runtime: 1 exercised, 1 failing, 1 declared but not run, 0 not run; 1 stats row unattributed

Failing endpoints (1)
  POST  /a/{id}  1/4 failed (25%)  median 2 ms, p95 4.5 ms

Declared but not run (1): a task covers them, no request was recorded
  GET  /b

Unattributed stats rows (1)
  GET  /favicon.ico  3 req, 0 failed  no such path

Runtime by endpoint (3)
  method  path     runtime           requests  failures  median  p95
  GET     /a       exercised         10        0         2 ms    4.5 ms
  POST    /a/{id}  failing           4         1         2 ms    4.5 ms
  GET     /b       declared-not-run  0         0         -       -
";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        let mut out = Vec::new();
        write_table(&mut out, &sample(false), true).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn markdown_cells_and_section() {
        let audit = sample(true);
        let cells: Vec<String> = audit.endpoints.iter().map(markdown_cell).collect();
        assert_eq!(
            cells,
            [
                "exercised: 10 req, p95 4.5 ms",
                "**failing** 1/4 (25%), p95 4.5 ms",
                "declared, not run"
            ]
        );
        let mut out = Vec::new();
        write_markdown(&mut out, &audit).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "
## Runtime

From Locust's statistics: 1 exercised, 1 failing, 1 declared but not run, 0 not run.

Statistics rows joined to no endpoint:

| type | name | requests | failures | why |
|---|---|---:|---:|---|
| GET | `/favicon.ico` | 3 | 0 | no such path |
"
        );
        let mut out = Vec::new();
        write_markdown(&mut out, &sample(false)).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn json_keys_only_with_stats() {
        let audit = sample(true);
        let mut doc = json!({"summary": {"total": 3}});
        add_audit_json(&mut doc, &audit);
        assert_eq!(
            doc["summary"]["runtime"],
            json!({"exercised": 1, "failing": 1, "declared_not_run": 1, "not_run": 0, "unattributed": 1})
        );
        assert_eq!(doc["unattributed_stats"][0]["name"], "/favicon.ico");
        let mut e = json!({});
        add_endpoint_json(&mut e, &audit.endpoints[2]);
        assert_eq!(
            e,
            json!({"runtime": {"requests": 0, "failures": 0, "failure_rate": 0.0, "median_ms": null, "p95_ms": null},
                   "runtime_status": "declared_not_run"})
        );

        let bare = sample(false);
        let mut doc = json!({"summary": {}});
        add_audit_json(&mut doc, &bare);
        assert_eq!(doc, json!({"summary": {}}));
        let mut e = json!({});
        add_endpoint_json(&mut e, &bare.endpoints[0]);
        assert_eq!(e, json!({}));
    }
}
