//! Diagnostics: non-fatal findings (warnings) that any stage can report
//! with the place in the input they are about.

use serde::Serialize;

/// A warning about one place in one input file. Stages collect these instead
/// of aborting; the report prints them and they never change the exit status
/// on their own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Path of the input as the user named it (relative stays relative).
    pub file: String,
    /// 1-based line; 0 when the warning is about the whole file.
    pub line: u32,
    /// 1-based column in characters; 0 when unknown.
    pub column: u32,
    /// Short machine-friendly kind, e.g. `label-mismatch`, `lex-error`.
    pub kind: String,
    /// One human sentence.
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        file: impl Into<String>,
        line: u32,
        column: u32,
        kind: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            column,
            kind: kind.into(),
            message: message.into(),
        }
    }
}
