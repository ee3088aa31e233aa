//! A plain-text rendering of a token stream, one token a line, for tests
//! and for looking at what the tokenizer made of a file.

use std::fmt::Write;

use super::lexer::tokenize;

/// Renders `Kind start..end `text`` lines, then an `Errors:` section if
/// there were errors. Text is shown with newlines and tabs escaped.
pub fn tokens_debug(source: &str) -> String {
    let tokenized = tokenize(source);
    let mut out = String::new();
    for token in &tokenized.tokens {
        let text = source
            .get(token.range.as_range())
            .unwrap_or("<out of bounds>");
        let _ = write!(
            out,
            "{:?} {}..{}",
            token.kind, token.range.start, token.range.end
        );
        if !text.is_empty() {
            let _ = write!(out, " `{}`", text.escape_debug());
        }
        out.push('\n');
    }
    if !tokenized.errors.is_empty() {
        out.push_str("Errors:\n");
        for error in &tokenized.errors {
            let _ = writeln!(
                out,
                "{:?} {}..{}",
                error.kind, error.range.start, error.range.end
            );
        }
    }
    out
}
