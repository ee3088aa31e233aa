//! `cov audit`.

use std::process::ExitCode;

use crate::cli::AuditArgs;
use crate::run::Context;

pub fn run(_args: &AuditArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`cov audit` is not implemented yet")
}
