//! `cov endpoints`.

use std::process::ExitCode;

use crate::cli::EndpointsArgs;
use crate::run::Context;

pub fn run(_args: &EndpointsArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cov endpoints` is not implemented yet")
}
