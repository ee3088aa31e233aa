//! `cov endpoints`: list the spec's operations as a table or a JSON array,
//! with a one-line count on stderr.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::bail;
use comfy_table::{Cell, Color};

use crate::cli::{EndpointsArgs, ListFormat};
use crate::exit;
use crate::fetch::FetchOptions;
use crate::method::Method;
use crate::run::Context;
use crate::spec::{self, Endpoint, Spec};

pub fn run(args: &EndpointsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    // `spec`, `headers`, `timeout`, `cacert` may come from the config file.
    let spec_args = crate::config::spec_settings(&args.spec, ctx)?;
    let Some(source) = spec_args.spec.as_deref() else {
        bail!("`cov endpoints` needs --spec SOURCE (a file path or an http(s):// URL)");
    };
    let opts = FetchOptions::from_spec_args(&spec_args)?;
    let spec = spec::load(source, &opts)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        ListFormat::Table => write_table(&mut out, &spec.endpoints, ctx.color)?,
        ListFormat::Json => write_json(&mut out, &spec.endpoints)?,
    }
    out.flush()?;
    if !ctx.quiet {
        writeln!(io::stderr(), "{}", summary(&spec))?;
    }
    Ok(exit::ok())
}

/// A table of method, path, tags and operationId; coloured methods when `color`.
pub fn write_table<W: Write>(out: &mut W, endpoints: &[Endpoint], color: bool) -> io::Result<()> {
    let mut table = super::list_table(color);
    table.set_header(["METHOD", "PATH", "TAGS", "OPERATION ID"]);
    for e in endpoints {
        let mut method = Cell::new(e.method.as_str());
        if color {
            method = method.fg(method_color(e.method));
        }
        let mut path = Cell::new(&e.path);
        if e.deprecated {
            path = Cell::new(format!("{} (deprecated)", e.path));
        }
        table.add_row([
            method,
            path,
            Cell::new(e.tags.join(", ")),
            Cell::new(e.operation_id.as_deref().unwrap_or("")),
        ]);
    }
    super::write_list_table(out, &mut table)
}

fn method_color(method: Method) -> Color {
    match method {
        Method::Get | Method::Head | Method::Options | Method::Trace => Color::Blue,
        Method::Post => Color::Green,
        Method::Put | Method::Patch => Color::Yellow,
        Method::Delete => Color::Red,
    }
}

/// The endpoints as a pretty JSON array.
pub fn write_json<W: Write>(out: &mut W, endpoints: &[Endpoint]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, endpoints)?;
    writeln!(out)
}

/// `581 endpoints in ContextForge 1.0.8 (OpenAPI 3.1.0, base path /api)`.
pub fn summary(spec: &Spec) -> String {
    let n = spec.endpoints.len();
    let noun = if n == 1 { "endpoint" } else { "endpoints" };
    let mut line = format!("{n} {noun}");
    match (&spec.title, &spec.version) {
        (Some(title), Some(version)) => line.push_str(&format!(" in {title} {version}")),
        (Some(title), None) => line.push_str(&format!(" in {title}")),
        _ => {}
    }
    let kind = if spec.spec_version.starts_with('2') {
        "Swagger"
    } else {
        "OpenAPI"
    };
    line.push_str(&format!(" ({kind} {}", spec.spec_version));
    if !spec.base_path.is_empty() {
        line.push_str(&format!(", base path {}", spec.base_path));
    }
    line.push(')');
    line
}
