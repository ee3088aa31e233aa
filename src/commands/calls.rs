//! `cov calls`: list the requests the locustfiles send, one record per
//! (call site, resolved URL), as a table or a JSON array; warnings and a
//! one-line count on stderr.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::bail;
use comfy_table::{Cell, Color};

use crate::cli::{CallsArgs, ListFormat};
use crate::diag::Diagnostic;
use crate::exit;
use crate::run::Context;
use crate::scanner;
use crate::site::{Client, ReachKind, RequestSite, Scan};

pub fn run(args: &CallsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    // `locustfiles` may come from the config file.
    let locust = crate::config::locust_settings(&args.locust, ctx)?;
    if locust.locustfiles.is_empty() {
        bail!("`cov calls` needs --locustfile PATH (a locustfile or a directory of them)");
    }
    let scan = scanner::scan_files(&locust.locustfiles)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        ListFormat::Table => write_table(&mut out, &scan.sites, ctx.color)?,
        ListFormat::Json => write_json(&mut out, &scan.sites)?,
    }
    out.flush()?;
    if !ctx.quiet {
        let mut err = io::stderr().lock();
        write_warnings(&mut err, &scan.warnings)?;
        writeln!(err, "{}", summary(&scan))?;
    }
    // The process ends here: freeing a large scan piece by piece would only
    // cost time.
    std::mem::forget(scan);
    Ok(exit::ok())
}

/// The sites as a pretty JSON array (see the README for the contract).
pub fn write_json<W: Write>(out: &mut W, sites: &[RequestSite]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, sites)?;
    writeln!(out)
}

/// `file:line:col: warning[kind]: message`, one per line.
pub fn write_warnings<W: Write>(out: &mut W, warnings: &[Diagnostic]) -> io::Result<()> {
    for w in warnings {
        match (w.line, w.column) {
            (0, _) => writeln!(out, "{}: warning[{}]: {}", w.file, w.kind, w.message)?,
            (l, 0) => writeln!(out, "{}:{l}: warning[{}]: {}", w.file, w.kind, w.message)?,
            (l, c) => writeln!(
                out,
                "{}:{l}:{c}: warning[{}]: {}",
                w.file, w.kind, w.message
            )?,
        }
    }
    Ok(())
}

/// A table: where, method, URL (with query), label, client and reach.
pub fn write_table<W: Write>(out: &mut W, sites: &[RequestSite], color: bool) -> io::Result<()> {
    let mut table = super::list_table(color);
    table.set_header([
        "LOCATION",
        "METHOD",
        "URL",
        "NAME",
        "CLIENT",
        "REACHED FROM",
    ]);
    for s in sites {
        let url = match (&s.url, &s.query) {
            (Some(u), Some(q)) if q.starts_with('#') => format!("{u}{q}"),
            (Some(u), Some(q)) => format!("{u}?{q}"),
            (Some(u), None) => u.to_string(),
            (None, _) => format!("unresolved: {}", s.reason.as_deref().unwrap_or("")),
        };
        let mut url = Cell::new(url);
        if color && !s.resolved {
            url = url.fg(Color::Yellow);
        }
        let reach = if s.reached_from.is_empty() {
            "(no user)".to_string()
        } else {
            s.reached_from
                .iter()
                .map(|r| {
                    let hook = match r.kind {
                        ReachKind::Task => "",
                        ReachKind::OnStart | ReachKind::OnStop => " (hook)",
                    };
                    format!("{}.{}{hook}", r.user, r.task)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        table.add_row([
            Cell::new(format!("{}:{}", s.file, s.line)),
            Cell::new(s.method.map_or("?", |m| m.as_str())),
            url,
            Cell::new(s.name.as_deref().unwrap_or("")),
            Cell::new(match s.client {
                Client::Locust => "locust",
                Client::Other => "other",
            }),
            Cell::new(reach),
        ]);
    }
    super::write_list_table(out, &mut table)
}

/// `12 requests at 10 call sites in 2 files: 1 unresolved, 2 reached by no user`.
pub fn summary(scan: &Scan) -> String {
    let n = scan.sites.len();
    let mut places: Vec<(&str, u32, u32)> = scan
        .sites
        .iter()
        .map(|s| (s.file.as_str(), s.line, s.column))
        .collect();
    places.dedup();
    let mut files: Vec<&str> = scan.sites.iter().map(|s| s.file.as_str()).collect();
    files.dedup();
    let unresolved = scan.sites.iter().filter(|s| !s.resolved).count();
    let dead = scan
        .sites
        .iter()
        .filter(|s| s.reached_from.is_empty())
        .count();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    format!(
        "{} at {} in {}: {} unresolved, {} reached by no user",
        plural(n, "request", "requests"),
        plural(places.len(), "call site", "call sites"),
        plural(files.len(), "file", "files"),
        unresolved,
        dead,
    )
}
