//! Glue: parse the command line, run a subcommand, print an error once and
//! map it to an exit status.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, ColorChoice, Command};
use crate::commands;
use crate::exit;

/// Settings every subcommand receives besides its own arguments.
#[derive(Debug, Clone)]
pub struct Context {
    /// Colour stdout.
    pub color: bool,
    pub quiet: bool,
    /// `--config PATH`, when given.
    pub config: Option<PathBuf>,
}

impl Context {
    fn new(cli: &Cli) -> Self {
        let color = match cli.color.unwrap_or(ColorChoice::Auto) {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && io::stdout().is_terminal()
            }
        };
        Context {
            color,
            quiet: cli.quiet,
            config: cli.config.clone(),
        }
    }
}

/// Entry point of the `cov` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Context::new(&cli);
    match dispatch(cli.command, &ctx) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => exit::ok(),
        Err(err) => {
            let _ = writeln!(io::stderr(), "cov: {err:#}");
            ExitCode::from(exit::ERROR)
        }
    }
}

fn dispatch(command: Command, ctx: &Context) -> anyhow::Result<ExitCode> {
    match command {
        Command::Audit(args) => commands::audit::run(&args, ctx),
        Command::Endpoints(args) => commands::endpoints::run(&args, ctx),
        Command::Calls(args) => commands::calls::run(&args, ctx),
        Command::Routes(args) => commands::routes::run(&args, ctx),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
