//! The table report for people: coverage per group with a total row, then
//! the missing endpoints, unmatched calls, unresolved calls and warnings;
//! with `verbose`, every endpoint and who covers it.

use std::io::{self, Write};

use crate::audit::{Audit, EndpointReport, Status, Totals};
use crate::report::{percent_text, status_text};

/// How the table is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// ANSI colours.
    pub color: bool,
    /// List every endpoint with the users and tasks that cover it.
    pub verbose: bool,
}

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    fn heading(&self, text: &str) -> String {
        self.paint(BOLD, text)
    }

    fn status(&self, status: Status, padded: &str) -> String {
        let style = match status {
            Status::Covered => GREEN,
            Status::SetupOnly => YELLOW,
            Status::Skipped => CYAN,
            Status::Missing => RED,
        };
        self.paint(style, padded)
    }
}

/// Writes the whole table report.
pub fn write<W: Write>(out: &mut W, audit: &Audit, opts: &TableOptions) -> io::Result<()> {
    let p = Painter { color: opts.color };
    write_groups(out, audit, &p)?;
    if opts.verbose {
        write_endpoints(out, audit, &p)?;
    }
    crate::report::runtime::write_table(out, audit, opts.verbose)?;
    let missing: Vec<&EndpointReport> = audit
        .endpoints
        .iter()
        .filter(|e| e.status == Status::Missing)
        .collect();
    if !missing.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            p.heading(&format!("Missing endpoints ({})", missing.len()))
        )?;
        let rows: Vec<Vec<String>> = missing
            .iter()
            .map(|e| {
                vec![
                    e.method.to_string(),
                    e.path.to_string(),
                    e.group.to_string(),
                ]
            })
            .collect();
        write_rows(out, &rows, &[])?;
    }
    if !audit.unmatched.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            p.heading(&format!("Unmatched calls ({})", audit.unmatched.len()))
        )?;
        let rows: Vec<Vec<String>> = audit
            .unmatched
            .iter()
            .map(|u| {
                vec![
                    format!("{}:{}", u.file, u.line),
                    u.method.to_string(),
                    u.url.clone(),
                    u.reason.clone(),
                ]
            })
            .collect();
        write_rows(out, &rows, &[])?;
        if let Some((alias, n)) = alias_hint(audit) {
            writeln!(
                out,
                "hint: {n} calls miss only the `{alias}` prefix the spec puts on its paths: try --alias {alias}"
            )?;
        }
    }
    if !audit.unresolved.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            p.heading(&format!("Unresolved calls ({})", audit.unresolved.len()))
        )?;
        let rows: Vec<Vec<String>> = audit
            .unresolved
            .iter()
            .map(|u| {
                vec![
                    format!("{}:{}", u.file, u.line),
                    u.method.map_or("?", |m| m.as_str()).to_string(),
                    u.reason.clone(),
                ]
            })
            .collect();
        write_rows(out, &rows, &[])?;
    }
    if !audit.warnings.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            p.heading(&format!("Warnings ({})", audit.warnings.len()))
        )?;
        let rows: Vec<Vec<String>> = audit
            .warnings
            .iter()
            .map(|w| {
                let place = match (w.line, w.column) {
                    (0, _) => w.file.clone(),
                    (l, 0) => format!("{}:{l}", w.file),
                    (l, c) => format!("{}:{l}:{c}", w.file),
                };
                vec![place, format!("{}:", w.kind), w.message.clone()]
            })
            .collect();
        write_rows(out, &rows, &[])?;
    }
    Ok(())
}

/// The alias most unmatched calls suggest (`add --alias /v1?`), when two or
/// more do.
fn alias_hint(audit: &Audit) -> Option<(&str, usize)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for u in &audit.unmatched {
        let hint = u
            .reason
            .split_once(": add --alias ")
            .and_then(|(_, rest)| rest.strip_suffix("?)"));
        if let Some(alias) = hint {
            *counts.entry(alias).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .filter(|(_, n)| *n >= 2)
}

fn write_groups<W: Write>(out: &mut W, audit: &Audit, p: &Painter) -> io::Result<()> {
    let header = [
        "group",
        "total",
        "covered",
        "setup-only",
        "skipped",
        "missing",
        "percent",
    ];
    let row = |name: &str, t: &Totals| {
        vec![
            name.to_string(),
            t.total.to_string(),
            t.covered.to_string(),
            t.setup_only.to_string(),
            t.skipped.to_string(),
            t.missing.to_string(),
            percent_text(t.percent),
        ]
    };
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    rows.extend(audit.groups.iter().map(|g| row(&g.group, &g.totals)));
    rows.push(row("total", &audit.summary));
    let widths = widths(&rows);
    let right = [false, true, true, true, true, true, true];
    writeln!(out, "{}", p.heading("Coverage by group"))?;
    let last = rows.len() - 1;
    for (i, r) in rows.iter().enumerate() {
        let line = format_row(r, &widths, &right);
        if i == 0 || i == last {
            writeln!(out, "{}", p.heading(&line))?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn write_endpoints<W: Write>(out: &mut W, audit: &Audit, p: &Painter) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        p.heading(&format!("Endpoints ({})", audit.endpoints.len()))
    )?;
    let method_w = audit
        .endpoints
        .iter()
        .map(|e| e.method.as_str().len())
        .max()
        .unwrap_or(0);
    let path_w = audit
        .endpoints
        .iter()
        .map(|e| e.path.chars().count())
        .max()
        .unwrap_or(0);
    let status_w = "setup-only".len();
    let indent = " ".repeat(2 + method_w + 2);
    for e in &audit.endpoints {
        let status = format!("{:<status_w$}", status_text(e.status));
        let line = format!(
            "  {:<method_w$}  {}  {}  {}",
            e.method.as_str(),
            pad(&e.path, path_w),
            p.status(e.status, &status),
            e.group
        );
        writeln!(out, "{}", line.trim_end())?;
        for c in &e.covered_by {
            writeln!(
                out,
                "{indent}{}.{}  {}:{}  {}",
                c.user, c.task, c.file, c.line, c.url
            )?;
        }
        if let Some(skip) = &e.skip {
            writeln!(out, "{indent}skipped: {}", skip.reason)?;
        }
        for note in &e.notes {
            writeln!(out, "{indent}note: {note}")?;
        }
    }
    Ok(())
}

/// Rows indented by two spaces, columns separated by two spaces, the last
/// column unpadded.
fn write_rows<W: Write>(out: &mut W, rows: &[Vec<String>], right: &[bool]) -> io::Result<()> {
    let widths = widths(rows);
    for r in rows {
        writeln!(out, "  {}", format_row(r, &widths, right))?;
    }
    Ok(())
}

fn widths(rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = Vec::new();
    for r in rows {
        for (i, cell) in r.iter().enumerate() {
            let w = cell.chars().count();
            match widths.get_mut(i) {
                Some(old) => *old = (*old).max(w),
                None => widths.push(w),
            }
        }
    }
    widths
}

fn format_row(row: &[String], widths: &[usize], right: &[bool]) -> String {
    let mut line = String::new();
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        let w = widths.get(i).copied().unwrap_or(0);
        if right.get(i).copied().unwrap_or(false) {
            line.push_str(&" ".repeat(w.saturating_sub(cell.chars().count())));
            line.push_str(cell);
        } else if i + 1 == row.len() {
            line.push_str(cell);
        } else {
            line.push_str(&pad(cell, w));
        }
    }
    line.trim_end().to_string()
}

fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(n)))
}
