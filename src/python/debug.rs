//! A plain-text rendering of a token stream, one token a line, for tests
//! and for looking at what the tokenizer made of a file.

use std::fmt::Write;

use super::lexer::tokenize;

/// Renders `Kind start..end `text`` lines, then an `Errors:` section if
/// there were errors. Line breaks, tabs and other control characters in
/// token text are escaped (`\n`, `\r`, `\t`, `\u{1}`).
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
            out.push_str(" `");
            escape_into(&mut out, text);
            out.push('`');
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

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tokens_and_errors() {
        assert_eq!(
            tokens_debug("x = 'a\\'b'\t$\r\n"),
            "Name 0..1 `x`\n\
             Equal 2..3 `=`\n\
             String 4..10 `'a\\'b'`\n\
             Unknown 11..12 `$`\n\
             Newline 12..14 `\\r\\n`\n\
             EndOfFile 14..14\n\
             Errors:\n\
             UnexpectedCharacter 11..12\n"
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert!(tokens_debug("\u{1}").starts_with("Unknown 0..1 `\\u{1}`\n"));
    }
}
