//! Values of literal tokens: string prefixes, decoded string contents,
//! f-string text, and an f-string split into literal text and replacement
//! fields. Shared by every reader of Python source.

use std::borrow::Cow;
use std::ops::Range;

use super::token::{TextRange, Token, TokenKind};

/// The text of a token, or `""` if its range is not in `src`.
pub fn token_text(src: &str, token: Token) -> &str {
    src.get(token.range.as_range()).unwrap_or_default()
}

/// What a string's prefix and opening quotes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StringFlags {
    /// `r`: backslashes are literal.
    pub raw: bool,
    /// `b`: a bytes literal.
    pub bytes: bool,
    /// `f` (or `t`): an f-string.
    pub fstring: bool,
    /// Bytes of prefix letters before the opening quote.
    pub prefix_len: usize,
    /// 1, or 3 for a triple-quoted string; 0 if no quote follows the prefix.
    pub quote_len: usize,
}

/// Reads the prefix of a `String` or `FStringStart` token's text.
pub fn string_prefix(text: &str) -> StringFlags {
    let bytes = text.as_bytes();
    let mut flags = StringFlags::default();
    for &b in bytes.iter().take(2) {
        match b.to_ascii_lowercase() {
            b'r' => flags.raw = true,
            b'b' => flags.bytes = true,
            b'f' | b't' => flags.fstring = true,
            b'u' => {}
            _ => break,
        }
        flags.prefix_len += 1;
    }
    let quotes = bytes.get(flags.prefix_len..).unwrap_or_default();
    flags.quote_len = match quotes {
        [q @ (b'\'' | b'"'), a, b, ..] if a == q && b == q => 3,
        [b'\'' | b'"', ..] => 1,
        _ => 0,
    };
    flags
}

/// The value of a `String` token: prefix and quotes stripped, escapes
/// processed unless raw. Bytes literals are decoded as if text (`\xhh` is
/// the character U+00hh). `None` for another kind of token or a range that
/// is not a complete literal.
pub fn string_value(src: &str, token: Token) -> Option<Cow<'_, str>> {
    if token.kind != TokenKind::String {
        return None;
    }
    let text = src.get(token.range.as_range())?;
    let flags = string_prefix(text);
    if flags.quote_len == 0 || flags.fstring {
        return None;
    }
    let body_start = flags.prefix_len + flags.quote_len;
    let body_end = text.len().checked_sub(flags.quote_len)?;
    if body_end < body_start {
        return None;
    }
    let body = text.get(body_start..body_end)?;
    if flags.raw {
        Some(Cow::Borrowed(body))
    } else {
        Some(decode_escapes(body, flags.bytes))
    }
}

/// The value of `FStringMiddle` text: doubled braces undoubled, escapes
/// processed unless the f-string is raw.
pub fn fstring_middle_value(text: &str, raw: bool) -> Cow<'_, str> {
    let undoubled = if text.contains("{{") || text.contains("}}") {
        Cow::Owned(text.replace("{{", "{").replace("}}", "}"))
    } else {
        Cow::Borrowed(text)
    };
    if raw || !undoubled.contains('\\') {
        return undoubled;
    }
    Cow::Owned(decode_escapes(&undoubled, false).into_owned())
}

/// Processes backslash escapes the way Python does for a non-raw literal.
/// Escapes Python would reject (or `\N{name}`, which needs the Unicode
/// name table) are kept as written.
pub fn decode_escapes(body: &str, bytes: bool) -> Cow<'_, str> {
    if !body.contains('\\') {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find('\\') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 1..).unwrap_or_default();
        let Some(c) = after.chars().next() else {
            out.push('\\');
            rest = "";
            break;
        };
        let mut used = c.len_utf8();
        match c {
            '\n' => {}
            '\r' => {
                if after.as_bytes().get(1) == Some(&b'\n') {
                    used = 2;
                }
            }
            '\\' | '\'' | '"' => out.push(c),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let digits = after
                    .bytes()
                    .take(3)
                    .take_while(|b| (b'0'..=b'7').contains(b))
                    .count();
                used = digits;
                let value = after
                    .bytes()
                    .take(digits)
                    .fold(0u32, |v, b| v * 8 + u32::from(b - b'0'));
                let value = if bytes { value & 0xFF } else { value };
                out.push(char::from_u32(value).unwrap_or('\u{FFFD}'));
            }
            'x' | 'u' | 'U' if c == 'x' || !bytes => {
                let n = match c {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex = after
                    .get(1..1 + n)
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
                match hex
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                {
                    Some(decoded) => {
                        out.push(decoded);
                        used = 1 + n;
                    }
                    None => {
                        out.push('\\');
                        out.push(c);
                    }
                }
            }
            _ => {
                out.push('\\');
                out.push(c);
            }
        }
        rest = after.get(used..).unwrap_or_default();
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A piece of an f-string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FStringPart {
    /// Literal text, decoded (braces undoubled, escapes processed).
    Literal(String),
    /// A replacement field `{expr!r:spec}`: `expr_range` is the source
    /// range of `expr` alone, `tokens` the indices of its tokens in the
    /// slice given to [`fstring_parts`]. A self-documenting `{expr=}` is
    /// preceded by a `Literal` holding `expr=` as written.
    Field {
        expr_range: TextRange,
        tokens: Range<usize>,
    },
}

/// Index of the `FStringEnd` that closes the `FStringStart` at
/// `tokens[start]` (nested f-strings skipped), if it was closed.
pub fn fstring_end(tokens: &[Token], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(start) {
        match token.kind {
            TokenKind::FStringStart => depth += 1,
            TokenKind::FStringEnd => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        if depth == 0 {
            return None;
        }
    }
    None
}

/// Splits an f-string into literal text and replacement fields. `tokens`
/// starts at an `FStringStart`; reading stops at its `FStringEnd` (or the
/// end of the slice if it was never closed). Adjacent literal text is
/// merged. Empty if `tokens` does not start with `FStringStart`.
pub fn fstring_parts(src: &str, tokens: &[Token]) -> Vec<FStringPart> {
    let mut parts = Vec::new();
    let Some(first) = tokens.first().filter(|t| t.kind == TokenKind::FStringStart) else {
        return parts;
    };
    let raw = string_prefix(token_text(src, *first)).raw;
    let mut i = 1;
    while let Some(token) = tokens.get(i) {
        match token.kind {
            TokenKind::FStringEnd | TokenKind::Newline | TokenKind::EndOfFile => break,
            TokenKind::FStringMiddle => {
                let text = fstring_middle_value(token_text(src, *token), raw);
                push_literal(&mut parts, &text);
                i += 1;
            }
            TokenKind::Lbrace => i = field(src, tokens, i, &mut parts),
            _ => i += 1,
        }
    }
    parts
}

fn push_literal(parts: &mut Vec<FStringPart>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(FStringPart::Literal(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(FStringPart::Literal(text.to_owned()));
    }
}

/// Reads the field whose `{` is `tokens[open]`; returns the index after
/// its `}`.
fn field(src: &str, tokens: &[Token], open: usize, parts: &mut Vec<FStringPart>) -> usize {
    let mut depth = 0usize;
    let mut expr_end = None;
    let mut self_doc = None;
    let mut close = tokens.len();
    let mut nested = 0usize;
    let mut unclosed = false;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        match token.kind {
            TokenKind::Lbrace | TokenKind::Lpar | TokenKind::Lsqb => depth += 1,
            TokenKind::Rbrace | TokenKind::Rpar | TokenKind::Rsqb => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close = i;
                    break;
                }
            }
            TokenKind::Colon | TokenKind::Exclamation if depth == 1 && expr_end.is_none() => {
                expr_end = Some(i);
            }
            TokenKind::Equal if depth == 1 && expr_end.is_none() => {
                let next = tokens.get(i + 1).map(|t| t.kind);
                if matches!(
                    next,
                    Some(TokenKind::Rbrace | TokenKind::Exclamation | TokenKind::Colon)
                ) {
                    expr_end = Some(i);
                    self_doc = Some(i);
                }
            }
            TokenKind::FStringStart => nested += 1,
            TokenKind::FStringEnd if nested > 0 => nested -= 1,
            // The field was never closed.
            TokenKind::FStringEnd | TokenKind::Newline | TokenKind::EndOfFile => {
                close = i;
                unclosed = true;
                break;
            }
            _ => {}
        }
    }
    let expr_end = expr_end.unwrap_or(close);
    let mut first = open + 1;
    let mut last = expr_end;
    while first < last && tokens.get(first).is_some_and(|t| t.kind.is_trivia()) {
        first += 1;
    }
    while last > first && tokens.get(last - 1).is_some_and(|t| t.kind.is_trivia()) {
        last -= 1;
    }
    let lbrace_end = tokens.get(open).map_or(0, |t| t.range.end);
    let expr_range = match (tokens.get(first), tokens.get(last.wrapping_sub(1))) {
        (Some(a), Some(b)) if first < last => TextRange::new(a.range.start, b.range.end),
        _ => TextRange::new(lbrace_end, lbrace_end),
    };
    if let Some(eq) = self_doc {
        let end = tokens.get(eq + 1).map_or(lbrace_end, |t| t.range.start);
        let text = src
            .get(lbrace_end as usize..end as usize)
            .unwrap_or_default();
        push_literal(parts, text);
    }
    parts.push(FStringPart::Field {
        expr_range,
        tokens: first..last,
    });
    if unclosed {
        close
    } else {
        close + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::lexer::tokenize;

    fn first_string(src: &str) -> Option<Cow<'_, str>> {
        let tokens = tokenize(src).tokens;
        let token = tokens.iter().find(|t| t.kind == TokenKind::String)?;
        string_value(src, *token)
    }

    #[test]
    fn prefixes() {
        let f = string_prefix("rb'x'");
        assert!(f.raw && f.bytes && !f.fstring);
        assert_eq!((f.prefix_len, f.quote_len), (2, 1));
        let f = string_prefix("Rf\"\"\"");
        assert!(f.raw && f.fstring && !f.bytes);
        assert_eq!((f.prefix_len, f.quote_len), (2, 3));
        let f = string_prefix("U''");
        assert!(!f.raw && !f.bytes && !f.fstring);
        assert_eq!((f.prefix_len, f.quote_len), (1, 1));
        assert!(string_prefix("t'").fstring);
        assert_eq!(string_prefix("x").quote_len, 0);
        assert_eq!(string_prefix("").quote_len, 0);
    }

    #[test]
    fn plain_strings() {
        assert_eq!(first_string("'/tools'").as_deref(), Some("/tools"));
        assert_eq!(first_string("\"\"").as_deref(), Some(""));
        assert_eq!(first_string("''''''").as_deref(), Some(""));
        assert_eq!(first_string("\"\"\"a\nb\"\"\"").as_deref(), Some("a\nb"));
        assert!(matches!(first_string("'plain'"), Some(Cow::Borrowed(_))));
    }

    #[test]
    fn escapes() {
        assert_eq!(
            first_string(r#"'a\'b\"c\\d\n\t'"#).as_deref(),
            Some("a'b\"c\\d\n\t")
        );
        assert_eq!(
            first_string(r"'\x41\101\u00e9\U0001F600'").as_deref(),
            Some("AAé😀")
        );
        assert_eq!(
            first_string(r"'\q\xZZ\N{DASH}'").as_deref(),
            Some(r"\q\xZZ\N{DASH}")
        );
        assert_eq!(first_string("'a\\\nb'").as_deref(), Some("ab"));
        assert_eq!(first_string("'a\\\r\nb'").as_deref(), Some("ab"));
        assert_eq!(first_string(r"'\0'").as_deref(), Some("\0"));
    }

    #[test]
    fn raw_and_bytes() {
        assert_eq!(first_string(r"r'\d+\''").as_deref(), Some(r"\d+\'"));
        assert_eq!(first_string(r"b'\x41\u0041'").as_deref(), Some(r"A\u0041"));
        assert_eq!(first_string(r"BR'\x41'").as_deref(), Some(r"\x41"));
    }

    #[test]
    fn not_a_string() {
        let src = "x 'unterminated";
        let tokens = tokenize(src).tokens;
        assert!(tokens.iter().all(|t| string_value(src, *t).is_none()));
    }

    #[test]
    fn middle_values() {
        assert_eq!(fstring_middle_value("a{{b}}c", false), "a{b}c");
        assert_eq!(fstring_middle_value(r"\n{{", false), "\n{");
        assert_eq!(fstring_middle_value(r"\n{{", true), r"\n{");
        assert!(matches!(
            fstring_middle_value("/tools/", false),
            Cow::Borrowed(_)
        ));
    }

    fn parts(src: &str) -> Vec<String> {
        let tokens = tokenize(src).tokens;
        let start = tokens
            .iter()
            .position(|t| t.kind == TokenKind::FStringStart)
            .unwrap_or(0);
        let end = fstring_end(&tokens, start).map_or(tokens.len(), |e| e + 1);
        fstring_parts(src, tokens.get(start..end).unwrap_or_default())
            .into_iter()
            .map(|part| match part {
                FStringPart::Literal(text) => format!("L({text})"),
                FStringPart::Field { expr_range, tokens } => format!(
                    "F({} {}..{})",
                    src.get(expr_range.as_range()).unwrap_or("?"),
                    tokens.start,
                    tokens.end
                ),
            })
            .collect()
    }

    #[test]
    fn fstring_template_pieces() {
        assert_eq!(
            parts(r#"f"/tools/{tool_id}/x""#),
            ["L(/tools/)", "F(tool_id 3..4)", "L(/x)"]
        );
        assert_eq!(
            parts(r#"f"/u/{uuid.uuid4().hex[:8]}""#),
            ["L(/u/)", "F(uuid.uuid4().hex[:8] 3..14)"]
        );
        assert_eq!(parts(r#"f"{delay:.1f}s""#), ["F(delay 2..3)", "L(s)"]);
        assert_eq!(parts(r#"f"{x!r:>{w}}""#), ["F(x 2..3)"]);
        assert_eq!(parts(r#"f"{user["email"]}""#), ["F(user[\"email\"] 2..6)"]);
        assert_eq!(
            parts(r#"f"{{literal}} {a}""#),
            ["L({literal} )", "F(a 3..4)"]
        );
        assert_eq!(parts(r#"f"{x = }""#), ["L(x = )", "F(x 2..3)"]);
        assert_eq!(parts(r#"f"{ f'{a}' }""#), ["F(f'{a}' 2..7)"]);
        assert_eq!(parts(r#"f"a\n{b}""#), ["L(a\n)", "F(b 3..4)"]);
        assert_eq!(parts(r#"f"{}""#), ["F( 2..2)"]);
        assert_eq!(parts(r#"x"#), Vec::<String>::new());
    }

    #[test]
    fn unterminated_fstring_parts() {
        assert_eq!(parts("f'/a/{b}\n"), ["L(/a/)", "F(b 3..4)"]);
        assert_eq!(parts("f'/a/{b\n"), ["L(/a/)", "F(b 3..4)"]);
    }

    #[test]
    fn fstring_end_skips_nested() {
        let src = r#"f"{f'{a}'}" + x"#;
        let tokens = tokenize(src).tokens;
        let end = fstring_end(&tokens, 0);
        assert_eq!(
            end.and_then(|e| tokens.get(e)).map(|t| t.range),
            Some(TextRange::new(10, 11))
        );
        assert_eq!(fstring_end(&tokens, 100), None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn escapes_never_panic(text in r#"([\\xuUN0-7a-f{}'"\n\r]|é|€|\PC){0,40}"#) {
            let decoded = decode_escapes(&text, false);
            // An escape is never shorter than the character it stands for.
            prop_assert!(decoded.len() <= text.len());
            prop_assert!(decode_escapes(&text, true).len() <= text.len());
            let _ = fstring_middle_value(&text, false);
            let _ = fstring_middle_value(&text, true);
            let _ = string_prefix(&text);
        }
    }
}
