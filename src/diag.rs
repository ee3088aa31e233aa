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
    /// 1-based line; 0 when the warning is about the whole file (JSON
    /// `null`).
    #[serde(serialize_with = "position")]
    pub line: u32,
    /// 1-based column in characters; 0 when unknown (JSON `null`).
    #[serde(serialize_with = "position")]
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

/// A 1-based position, or `null` for 0 (the whole file, or unknown).
fn position<S: serde::Serializer>(n: &u32, s: S) -> Result<S::Ok, S::Error> {
    match n {
        0 => s.serialize_none(),
        n => s.serialize_u32(*n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_no_position_zero() {
        let whole = Diagnostic::new("app/x.py", 0, 0, "unreadable", "m");
        let json = serde_json::to_value(&whole).unwrap();
        assert_eq!(json["line"], serde_json::Value::Null);
        assert_eq!(json["column"], serde_json::Value::Null);
        let placed = Diagnostic::new("app/x.py", 3, 0, "k", "m");
        let json = serde_json::to_value(&placed).unwrap();
        assert_eq!(json["line"], 3);
        assert_eq!(json["column"], serde_json::Value::Null);
    }
}
