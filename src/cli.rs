//! Command-line interface: every subcommand and flag, parsed by clap.
//!
//! Options that a config file may also set are `Option`s (or empty `Vec`s)
//! here, so that the command line wins only when it says something.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  cov audit --spec openapi.json --locustfile locustfile.py
  cov audit --spec https://api.example.com/openapi.json --header-env 'Authorization=API_TOKEN' \\
            --locustfile tests/load --routers app/ --alias /v1
  cov audit --write            # regenerate todo/locust-coverage.md (settings from cov.toml)
  cov audit --check            # CI: fail when coverage or the document is out of date
  cov endpoints --spec openapi.yaml --format json
  cov calls --locustfile locustfile.py
  cov routes --routers app/ --spec openapi.json

Exit status: 0 all good, 1 the gate failed (missing coverage, stale document), 2 usage or input error.";

/// Which endpoints of an HTTP API does a Locust load-test suite exercise?
#[derive(Debug, Parser)]
#[command(name = "cov", version, about, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    /// When to colour output [default: auto; NO_COLOR is honoured].
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,

    /// Print only what is asked for: no summary lines or hints on stderr (why the gate failed is still printed).
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Read settings from this file (`cov.toml` or `pyproject.toml`) instead
    /// of looking for one in the working directory and above.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    // Usage lines written out: clap's own would list an option with a
    // default (`--format <FORMAT>`) as if it were required once it is used.
    /// Match the suite's requests to the spec's endpoints and report coverage.
    #[command(override_usage = "cov audit [OPTIONS] --spec <SOURCE> --locustfile <PATH>")]
    Audit(AuditArgs),
    /// List the spec's operations.
    #[command(override_usage = "cov endpoints [OPTIONS] --spec <SOURCE>")]
    Endpoints(EndpointsArgs),
    /// List the request sites found in locustfiles.
    #[command(override_usage = "cov calls [OPTIONS] --locustfile <PATH>")]
    Calls(CallsArgs),
    /// List the route declarations found in the service's source.
    #[command(override_usage = "cov routes [OPTIONS] --routers <PATH>")]
    Routes(RoutesArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Output of the listing subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

/// Output of `cov audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Table,
    Json,
    /// The tracking document, to stdout.
    Markdown,
    /// GitHub Actions annotations.
    Github,
}

/// Where the spec comes from and how to fetch it.
#[derive(Debug, Clone, Default, Args)]
pub struct SpecArgs {
    /// OpenAPI/Swagger document: a file path or an http(s):// URL.
    #[arg(long, value_name = "SOURCE")]
    pub spec: Option<String>,

    /// Request header for fetching the spec, `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "'NAME: VALUE'")]
    pub headers: Vec<String>,

    /// Request header whose value is read from an environment variable,
    /// `Name=ENVVAR` (repeatable), so a token need not be on the command line.
    #[arg(long = "header-env", value_name = "NAME=ENVVAR")]
    pub header_env: Vec<String>,

    /// Seconds allowed for a fetch over http(s), connection, redirects and body included
    /// [default: 30].
    #[arg(long, value_name = "SECS", allow_negative_numbers = true)]
    pub timeout: Option<f64>,

    /// Extra PEM certificate authority to trust when fetching over https.
    #[arg(long, value_name = "PEM")]
    pub cacert: Option<PathBuf>,
}

/// Where the locustfiles are.
#[derive(Debug, Clone, Default, Args)]
pub struct LocustArgs {
    /// Locustfile or directory of locustfiles (repeatable).
    #[arg(short = 'l', long = "locustfile", value_name = "PATH")]
    pub locustfiles: Vec<PathBuf>,
}

/// Where the service's source is.
#[derive(Debug, Clone, Default, Args)]
pub struct RouterArgs {
    /// Service source file or directory declaring FastAPI routes (repeatable).
    #[arg(long = "routers", value_name = "PATH")]
    pub routers: Vec<PathBuf>,
}

/// How calls are matched to endpoints.
#[derive(Debug, Clone, Default, Args)]
pub struct MatchArgs {
    /// The service also serves the spec's `PREFIX/X` at `/X` (repeatable), e.g. `--alias /v1`.
    #[arg(long = "alias", value_name = "PREFIX")]
    pub aliases: Vec<String>,

    /// A call that differs from an endpoint only by a trailing slash does not match it.
    #[arg(long)]
    pub strict_slashes: bool,
}

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub locust: LocustArgs,
    #[command(flatten)]
    pub routers: RouterArgs,
    #[command(flatten)]
    pub matching: MatchArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,

    /// List every endpoint with the users and tasks that cover it.
    #[arg(short, long)]
    pub verbose: bool,

    /// Pass the gate when at least PCT percent of countable endpoints are covered, instead of
    /// failing on any missing endpoint.
    #[arg(long, value_name = "PCT", allow_negative_numbers = true)]
    pub fail_under: Option<f64>,

    /// Write the tracking document (default `todo/locust-coverage.md`).
    #[arg(long, conflicts_with = "check")]
    pub write: bool,

    /// Exit 1, with a diff, when the tracking document on disk is missing or out of date.
    #[arg(long)]
    pub check: bool,

    /// Path of the tracking document [default: `todo/locust-coverage.md`, next to the config
    /// file if there is one].
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Fail only on missing endpoints not listed in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Rewrite the baseline file (`--baseline` or `baseline` in the config)
    /// with today's missing endpoints.
    #[arg(long)]
    pub update_baseline: bool,

    /// Fail the gate on stale or expired skip rules (otherwise they are warnings).
    #[arg(long)]
    pub strict: bool,

    /// Locust statistics: a `*_stats.csv` file, or a running Locust's
    /// `/stats/requests/csv` or `/stats/requests` URL.
    #[arg(long, value_name = "SOURCE")]
    pub stats: Option<String>,

    /// Failure rate (0 to 1) above which an endpoint is `failing` [default: 0].
    #[arg(long, value_name = "RATE", allow_negative_numbers = true)]
    pub max_failure_rate: Option<f64>,

    /// Fail the gate when an endpoint is `failing` at run time (with `--stats`).
    #[arg(long)]
    pub fail_on_failures: bool,
}

#[derive(Debug, Clone, Args)]
pub struct EndpointsArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Args)]
pub struct CallsArgs {
    #[command(flatten)]
    pub locust: LocustArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Args)]
pub struct RoutesArgs {
    #[command(flatten)]
    pub routers: RouterArgs,
    /// Attribute each route to an endpoint of this spec.
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
