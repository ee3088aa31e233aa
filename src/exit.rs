//! Exit statuses, the same for every subcommand.

use std::process::ExitCode;

/// Everything is fine.
pub const OK: u8 = 0;
/// The gate failed: missing coverage, a stale document, a new gap.
pub const GATE: u8 = 1;
/// Usage or input error.
pub const ERROR: u8 = 2;

pub fn ok() -> ExitCode {
    ExitCode::from(OK)
}

pub fn gate() -> ExitCode {
    ExitCode::from(GATE)
}
