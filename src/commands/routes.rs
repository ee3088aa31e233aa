//! `cov routes`.

use std::process::ExitCode;

use crate::cli::RoutesArgs;
use crate::run::Context;

pub fn run(_args: &RoutesArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cov routes` is not implemented yet")
}
