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
use crate::exit;
use crate::fetch::FetchOptions;
use crate::report::{self, json, table};
use crate::route::RouteKnowledge;
use crate::run::Context;
use crate::runtime::{self, StatsInput};
use crate::site::Scan;
use crate::spec::{self, Spec};
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
                spec_source: spec.clone(),
            },
            spec,
        })
    }
}

pub fn run(args: &AuditArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if let Some(pct) = args.fail_under {
        if !(0.0..=100.0).contains(&pct) {
            bail!("--fail-under takes a percentage from 0 to 100, not {pct}");
        }
    }
    let stats = StatsInput::from_args(args)?;
    let audit = produce_with_stats(&AuditInputs::from_args(args)?, stats.as_ref())?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        AuditFormat::Table => {
            let opts = table::TableOptions {
                color: ctx.color,
                verbose: args.verbose,
            };
            table::write(&mut out, &audit, &opts)?;
        }
        AuditFormat::Json => json::write(&mut out, &audit)?,
        other => bail!("--format {other:?} is not available in this build"),
    }
    out.flush()?;
    let code = gate(&audit, args.fail_under, ctx);
    if args.fail_on_failures {
        if let Some(reason) = runtime::failing_reason(&audit) {
            if !ctx.quiet {
                let _ = writeln!(io::stderr(), "cov: {reason}");
            }
            return Ok(exit::gate());
        }
    }
    Ok(code)
}

/// Loads, scans and matches: the audit before any skip rule.
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
    let spec = spec::load(&inputs.spec, &inputs.fetch)?;
    let scan = scan(&inputs.locustfiles)?;
    let routes = read_routes(&spec, &inputs.routers)?;
    let mut audit = audit::build(&spec, &scan, routes.as_ref(), &inputs.options);
    if let (Some(s), Some(rows)) = (stats, rows) {
        runtime::attach(
            &mut audit,
            &spec,
            &scan,
            routes.as_ref(),
            &inputs.options,
            &rows,
            s.options,
        );
    }
    Ok(audit)
}

fn scan(locustfiles: &[PathBuf]) -> anyhow::Result<Scan> {
    scanner::scan_files(locustfiles)
}

fn read_routes(spec: &Spec, routers: &[PathBuf]) -> anyhow::Result<Option<RouteKnowledge>> {
    if routers.is_empty() {
        return Ok(None);
    }
    let routes = routes::read_routes(routers)?;
    Ok(Some(routes::attribute(&routes, spec)))
}

/// Exit 1 when an endpoint is missing, or, with `--fail-under`, when
/// coverage is below it; 0 otherwise. Says why on stderr.
fn gate(audit: &Audit, fail_under: Option<f64>, ctx: &Context) -> ExitCode {
    let s = &audit.summary;
    let reason = match fail_under {
        Some(pct) if s.percent < pct => Some(format!(
            "coverage {} is below --fail-under {pct}%",
            report::percent_text(s.percent)
        )),
        Some(_) => None,
        None if s.missing > 0 => Some(format!(
            "{} of {} endpoint{} without a load test",
            s.missing,
            s.total,
            if s.total == 1 { "" } else { "s" }
        )),
        None => None,
    };
    match reason {
        Some(reason) => {
            if !ctx.quiet {
                let _ = writeln!(io::stderr(), "cov: {reason}");
            }
            exit::gate()
        }
        None => exit::ok(),
    }
}
