//! `cov audit`: load the spec, scan the locustfiles, match every request
//! to an endpoint, print the table or JSON report, and run the gate.
//!
//! [`produce`] builds the [`Audit`] from named inputs, so other entry
//! points (a config file, `--write`, `--check`) can reuse it.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;

use crate::audit::{self, Audit, AuditOptions};
use crate::cli::{AuditArgs, AuditFormat};
use crate::config;
use crate::fetch::FetchOptions;
use crate::report::{json, table};
use crate::run::Context;
use crate::runtime::{self, StatsInput};
use crate::spec;
use crate::workflow;
use crate::{routes, scanner, stats};

/// Everything an audit is built from.
#[derive(Debug, Clone)]
pub struct AuditInputs {
    /// The spec: a file path or an http(s) URL.
    pub spec: String,
    pub fetch: FetchOptions,
    pub locustfiles: Vec<PathBuf>,
    pub routers: Vec<PathBuf>,
    pub options: AuditOptions,
}

impl AuditInputs {
    /// The inputs the command line names.
    pub fn from_args(args: &AuditArgs) -> anyhow::Result<AuditInputs> {
        let Some(spec) = args.spec.spec.clone() else {
            bail!("`cov audit` needs --spec SOURCE (a file path or an http(s):// URL)");
        };
        if args.locust.locustfiles.is_empty() {
            bail!("`cov audit` needs --locustfile PATH (a locustfile or a directory of them)");
        }
        Ok(AuditInputs {
            fetch: FetchOptions::from_spec_args(&args.spec)?,
            locustfiles: args.locust.locustfiles.clone(),
            routers: args.routers.routers.clone(),
            options: AuditOptions {
                aliases: args.matching.aliases.clone(),
                strict_slashes: args.matching.strict_slashes,
                catch_all_routes: Vec::new(),
                spec_source: crate::fetch::shown_source(&spec),
            },
            spec,
        })
    }
}

pub fn run(args: &AuditArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    // The config file under the command line; from here on `args` is resolved.
    let settings = config::audit_settings(args, ctx)?;
    let args = &settings.args;
    if let Some(pct) = args.fail_under {
        if !(0.0..=100.0).contains(&pct) {
            bail!("--fail-under takes a percentage from 0 to 100, not {pct}");
        }
    }
    let mut inputs = AuditInputs::from_args(args)?;
    inputs.options.catch_all_routes = settings.catch_all_routes.clone();
    let stats = StatsInput::from_args(args)?;
    let mut audit = produce_with_stats(&inputs, stats.as_ref())?;
    let skips = workflow::apply_skips(&mut audit, &settings)?;
    // Buffered: the lock alone flushes at every line.
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        AuditFormat::Table => {
            let opts = table::TableOptions {
                color: ctx.color,
                verbose: args.verbose,
            };
            table::write(&mut out, &audit, &opts)?;
        }
        AuditFormat::Json => json::write(&mut out, &audit)?,
        other => {
            workflow::print(&mut out, &audit, &settings, other)?;
        }
    }
    out.flush()?;
    drop(out);
    workflow::finish(&audit, &settings, &skips, ctx)
}

/// The result of a scoped thread; a panic in it goes on in this thread.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Loads, scans, reads the routers (when named) and matches: the audit
/// before any skip rule.
pub fn produce(inputs: &AuditInputs) -> anyhow::Result<Audit> {
    produce_with_stats(inputs, None)
}

/// [`produce`], then Locust's statistics joined to the endpoints (`--stats`).
pub fn produce_with_stats(
    inputs: &AuditInputs,
    stats: Option<&StatsInput>,
) -> anyhow::Result<Audit> {
    let rows = match stats {
        Some(s) => Some(stats::load(&s.source, &s.fetch)?),
        None => None,
    };
    // The three inputs do not depend on each other: the locustfiles and the
    // service source are read on their own threads while the spec loads.
    // Errors are reported in the same order as if read one after another.
    let (spec, scan, found) = std::thread::scope(|scope| {
        let scan = scope.spawn(|| scanner::scan_files(&inputs.locustfiles));
        let found = (!inputs.routers.is_empty())
            .then(|| scope.spawn(|| routes::read_routes(&inputs.routers)));
        let spec = spec::load(&inputs.spec, &inputs.fetch);
        (spec, joined(scan), found.map(joined))
    });
    let spec = spec?;
    if spec.endpoints.is_empty() {
        anyhow::bail!(
            "{}: the spec declares no operations (no method under `paths`), so there is nothing to measure coverage against; check --spec",
            inputs.options.spec_source
        );
    }
    let scan = scan?;
    let (knowledge, route_warnings) = match found {
        None => (None, Vec::new()),
        Some(found) => {
            let found = found?;
            (Some(routes::attribute(&found, &spec)), found.warnings)
        }
    };
    let mut audit = audit::build(&spec, &scan, knowledge.as_ref(), &inputs.options);
    if !route_warnings.is_empty() {
        audit.warnings.extend(route_warnings);
        audit.warnings.sort();
        audit.warnings.dedup();
    }
    if let (Some(s), Some(rows)) = (stats, rows) {
        runtime::attach(
            &mut audit,
            &spec,
            &scan,
            knowledge.as_ref(),
            &inputs.options,
            &rows,
            s.options,
        );
    }
    Ok(audit)
}
