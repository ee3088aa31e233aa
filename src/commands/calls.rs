//! `cov calls`.

use std::process::ExitCode;

use crate::cli::CallsArgs;
use crate::run::Context;

pub fn run(_args: &CallsArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cov calls` is not implemented yet")
}
