//! `cov routes`: lists the route declarations read from the service's
//! source and, with `--spec`, the endpoint each declares and the endpoints
//! no source declares.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::bail;
use serde::Serialize;

use crate::cli::{ListFormat, RoutesArgs};
use crate::diag::Diagnostic;
use crate::exit;
use crate::fetch::FetchOptions;
use crate::method::Method;
use crate::route::{RouteDecl, Routes};
use crate::routes;
use crate::run::Context;
use crate::spec::{self, Spec};

pub fn run(args: &RoutesArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    // `routers` and the spec options may come from the config file.
    let routers = crate::config::router_settings(&args.routers, ctx)?;
    if routers.routers.is_empty() {
        bail!(
            "`cov routes` needs the service's source: pass --routers PATH (a file or a directory)"
        );
    }
    let spec_args = crate::config::spec_settings(&args.spec, ctx)?;
    let spec = match &spec_args.spec {
        Some(source) => Some(spec::load(
            source,
            &FetchOptions::from_spec_args(&spec_args)?,
        )?),
        None => None,
    };
    let routes = routes::read_routes(&routers.routers)?;
    let listing = Listing::new(&routes, spec.as_ref());
    let mut out = io::stdout().lock();
    match args.format {
        ListFormat::Table => write_table(&mut out, &listing)?,
        ListFormat::Json => write_json(&mut out, &listing)?,
    }
    out.flush()?;
    if !ctx.quiet {
        let mut err = io::stderr().lock();
        if args.format == ListFormat::Table {
            for warning in &routes.warnings {
                writeln!(err, "{}", warning_line(warning))?;
            }
        }
        writeln!(err, "{}", listing.summary())?;
    }
    Ok(exit::ok())
}

/// A spec endpoint as the listing names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointRef {
    pub method: Method,
    pub path: String,
}

/// One declaration with the spec endpoints attributed to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedRoute {
    #[serde(flatten)]
    pub decl: RouteDecl,
    /// Empty without `--spec`.
    pub endpoints: Vec<EndpointRef>,
}

/// What `cov routes` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub routes: Vec<ListedRoute>,
    /// Spec endpoints no source declares; absent without `--spec`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undeclared: Option<Vec<EndpointRef>>,
    pub warnings: Vec<Diagnostic>,
}

impl Listing {
    pub fn new(routes: &Routes, spec: Option<&Spec>) -> Listing {
        let mut listed: Vec<ListedRoute> = routes
            .decls
            .iter()
            .map(|decl| ListedRoute {
                decl: decl.clone(),
                endpoints: Vec::new(),
            })
            .collect();
        let undeclared = spec.map(|spec| {
            let mut undeclared = Vec::new();
            for (endpoint, index) in spec
                .endpoints
                .iter()
                .zip(routes::attribute_indices(routes, spec))
            {
                let named = EndpointRef {
                    method: endpoint.method,
                    path: endpoint.path.to_string(),
                };
                match index.and_then(|i| listed.get_mut(i)) {
                    Some(route) => route.endpoints.push(named),
                    None => undeclared.push(named),
                }
            }
            undeclared
        });
        Listing {
            routes: listed,
            undeclared,
            warnings: routes.warnings.clone(),
        }
    }

    fn summary(&self) -> String {
        let mut files: Vec<&str> = self.routes.iter().map(|r| r.decl.file.as_str()).collect();
        files.dedup();
        let hidden = self.routes.iter().filter(|r| r.decl.hidden).count();
        let mut line = format!(
            "{} {} ({hidden} hidden) in {} {}",
            self.routes.len(),
            plural(self.routes.len(), "route", "routes"),
            files.len(),
            plural(files.len(), "file", "files"),
        );
        if let Some(undeclared) = &self.undeclared {
            let declared: usize = self.routes.iter().map(|r| r.endpoints.len()).sum();
            let total = declared + undeclared.len();
            line.push_str(&format!("; {declared} of {total} spec endpoints declared"));
        }
        line
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn warning_line(w: &Diagnostic) -> String {
    match (w.line, w.column) {
        (0, _) => format!("warning: {}: {}", w.file, w.message),
        (line, 0) => format!("warning: {}:{line}: {}", w.file, w.message),
        (line, col) => format!("warning: {}:{line}:{col}: {}", w.file, w.message),
    }
}

/// The path as the table prints it: `...` before a known suffix whose
/// prefix cannot be read.
fn shown_path(decl: &RouteDecl) -> String {
    if decl.prefix_known {
        decl.path.clone()
    } else {
        format!("...{}", decl.path)
    }
}

/// Writes the listing as aligned columns.
pub fn write_table<W: Write>(out: &mut W, listing: &Listing) -> io::Result<()> {
    let with_spec = listing.undeclared.is_some();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["METHOD", "PATH", "DECLARED AT", "ROUTER", "HIDDEN"];
    if with_spec {
        header.push("ENDPOINT");
    }
    rows.push(header.into_iter().map(String::from).collect());
    for route in &listing.routes {
        let d = &route.decl;
        let mut row = vec![
            d.method.to_string(),
            shown_path(d),
            format!("{}:{}", d.file, d.line),
            d.router.clone(),
            if d.hidden { "yes" } else { "" }.to_string(),
        ];
        if with_spec {
            let endpoints: Vec<String> = route
                .endpoints
                .iter()
                .map(|e| format!("{} {}", e.method, e.path))
                .collect();
            row.push(if endpoints.is_empty() {
                "-".to_string()
            } else {
                endpoints.join(", ")
            });
        }
        rows.push(row);
    }
    write_columns(out, &rows)?;
    if listing.routes.iter().any(|r| !r.decl.prefix_known) {
        writeln!(
            out,
            "\n`...` stands for a prefix that cannot be read from the source."
        )?;
    }
    if let Some(undeclared) = &listing.undeclared {
        if !undeclared.is_empty() {
            writeln!(out, "\nSpec endpoints no source declares:")?;
            let rows: Vec<Vec<String>> = undeclared
                .iter()
                .map(|e| vec![e.method.to_string(), e.path.clone()])
                .collect();
            write_columns(out, &rows)?;
        }
    }
    Ok(())
}

/// Left-aligned columns two spaces apart, no trailing spaces.
fn write_columns<W: Write>(out: &mut W, rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let width = cell.chars().count();
            match widths.get_mut(i) {
                Some(w) => *w = (*w).max(width),
                None => widths.push(width),
            }
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            let pad = widths
                .get(i)
                .copied()
                .unwrap_or(0)
                .saturating_sub(cell.chars().count());
            line.extend(std::iter::repeat_n(' ', pad));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Writes the listing as one JSON object.
pub fn write_json<W: Write>(out: &mut W, listing: &Listing) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, listing)?;
    writeln!(out)
}
