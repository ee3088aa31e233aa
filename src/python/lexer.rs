//! The Python tokenizer: source text in, [`Token`]s and [`LexError`]s out.
//!
//! A byte cursor over `&str`. Tokens carry byte ranges only. F-strings are
//! lexed as `FStringStart`, `FStringMiddle` and ordinary tokens inside
//! `{}`, then `FStringEnd`, with a stack of f-string contexts keyed on the
//! bracket depth at which each started. Errors never stop the tokenizer:
//! each is recorded with its range, the offending input becomes an
//! `Unknown` token, and lexing resumes at a sensible point.

use super::token::{LexError, LexErrorKind, TextRange, Token, TokenKind};

/// The result of [`tokenize`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokenized {
    /// Every token in source order, ending with `EndOfFile`.
    pub tokens: Vec<Token>,
    /// Lexical errors in the order they were found.
    pub errors: Vec<LexError>,
}

/// Tokenizes Python source. Never panics; always ends with `EndOfFile`.
pub fn tokenize(source: &str) -> Tokenized {
    Lexer::new(source).run()
}

/// An open bracket kind that is the `{` of an f-string replacement field.
const FIELD: u8 = b'F';

/// An open bracket on the nesting stack.
#[derive(Debug, Clone, Copy)]
struct Open {
    /// `(`, `[`, `{` or [`FIELD`].
    kind: u8,
    start: u32,
    /// For a [`FIELD`]: its format spec (after `:`) has started.
    spec: bool,
}

/// An f-string being lexed.
#[derive(Debug, Clone, Copy)]
struct FString {
    quote: u8,
    triple: bool,
    raw: bool,
    /// Bracket depth when the f-string started: at this depth we are in its
    /// literal text, deeper inside one of its replacement fields.
    depth: usize,
    start: u32,
}

struct Lexer<'src> {
    bytes: &'src [u8],
    src: &'src str,
    pos: usize,
    tokens: Vec<Token>,
    errors: Vec<LexError>,
    /// Indentation columns of the enclosing blocks (0 is implicit).
    indents: Vec<u32>,
    opens: Vec<Open>,
    fstrings: Vec<FString>,
    /// At the start of a logical line: indentation is measured next.
    at_line_start: bool,
    /// The current logical line has a token that is not trivia.
    line_has_content: bool,
}

impl<'src> Lexer<'src> {
    fn new(src: &'src str) -> Self {
        let mut errors = Vec::new();
        // Ranges are u32: a larger source is tokenized up to 4 GiB.
        let src = if src.len() > u32::MAX as usize {
            let mut end = u32::MAX as usize;
            while !src.is_char_boundary(end) {
                end -= 1;
            }
            errors.push(LexError {
                kind: LexErrorKind::UnexpectedCharacter,
                range: TextRange::new(end as u32, end as u32),
            });
            src.get(..end).unwrap_or_default()
        } else {
            src
        };
        Lexer {
            bytes: src.as_bytes(),
            src,
            pos: 0,
            tokens: Vec::with_capacity(src.len() / 4 + 8),
            errors,
            indents: Vec::new(),
            opens: Vec::new(),
            fstrings: Vec::new(),
            at_line_start: true,
            line_has_content: false,
        }
    }

    fn run(mut self) -> Tokenized {
        loop {
            if let Some(fstring) = self.fstrings.last().copied() {
                if self.opens.len() == fstring.depth {
                    self.fstring_text(fstring, false);
                    continue;
                }
                if matches!(self.opens.last(), Some(open) if open.kind == FIELD && open.spec) {
                    self.fstring_text(fstring, true);
                    continue;
                }
            } else if self.at_line_start {
                self.indentation();
            }
            if !self.next_token() {
                break;
            }
        }
        self.finish()
    }

    // ---- cursor helpers -------------------------------------------------

    #[inline]
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    #[inline]
    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        if !matches!(
            kind,
            TokenKind::Comment
                | TokenKind::NonLogicalNewline
                | TokenKind::Newline
                | TokenKind::Indent
                | TokenKind::Dedent
        ) {
            self.line_has_content = true;
        }
        self.tokens.push(Token {
            kind,
            range: TextRange::new(start as u32, end as u32),
        });
    }

    fn error(&mut self, kind: LexErrorKind, start: usize, end: usize) {
        self.errors.push(LexError {
            kind,
            range: TextRange::new(start as u32, end as u32),
        });
    }

    // ---- logical lines ------------------------------------------------

    /// Measures the indentation of a new logical line and emits `Indent` or
    /// `Dedent`s. Blank and comment-only lines change nothing.
    fn indentation(&mut self) {
        self.at_line_start = false;
        let start = self.pos;
        let mut col = 0u32;
        loop {
            match self.peek(0) {
                Some(b' ') => col = col.saturating_add(1),
                Some(b'\t') => col = (col / 8).saturating_add(1).saturating_mul(8),
                Some(b'\x0c') => col = 0,
                _ => break,
            }
            self.pos += 1;
        }
        if matches!(self.peek(0), None | Some(b'#' | b'\n' | b'\r')) {
            return;
        }
        let current = self.indents.last().copied().unwrap_or(0);
        if col > current {
            self.indents.push(col);
            self.push(TokenKind::Indent, start, self.pos);
        } else if col < current {
            while matches!(self.indents.last(), Some(&level) if level > col) {
                self.indents.pop();
                self.push(TokenKind::Dedent, self.pos, self.pos);
            }
            if self.indents.last().copied().unwrap_or(0) != col {
                self.error(LexErrorKind::InconsistentDedent, start, self.pos);
            }
        }
    }

    /// Emits the end of input: errors for what is still open, a final
    /// `Newline`, `Dedent`s and `EndOfFile`.
    fn finish(mut self) -> Tokenized {
        let end = self.bytes.len();
        while let Some(fstring) = self.fstrings.pop() {
            self.error(unterminated(fstring.triple), fstring.start as usize, end);
        }
        let opens = std::mem::take(&mut self.opens);
        for open in opens.iter().filter(|open| open.kind != FIELD) {
            let start = open.start as usize;
            self.error(LexErrorKind::UnmatchedBracket, start, start + 1);
        }
        if self.line_has_content {
            self.push(TokenKind::Newline, end, end);
        }
        for _ in 0..self.indents.len() {
            self.push(TokenKind::Dedent, end, end);
        }
        self.push(TokenKind::EndOfFile, end, end);
        Tokenized {
            tokens: self.tokens,
            errors: self.errors,
        }
    }

    // ---- ordinary tokens ------------------------------------------------

    /// Lexes one token outside f-string text. Returns false at end of input.
    fn next_token(&mut self) -> bool {
        while matches!(self.peek(0), Some(b' ' | b'\t' | b'\x0c')) {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(b) = self.peek(0) else {
            return false;
        };
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => self.name_or_string(),
            b'0'..=b'9' => self.number(),
            b'\'' | b'"' => self.string(start, start, Prefix::default()),
            b'#' => {
                let rest = self.bytes.get(start..).unwrap_or_default();
                let len = rest
                    .iter()
                    .position(|&c| c == b'\n' || c == b'\r')
                    .unwrap_or(rest.len());
                self.pos = start + len;
                self.push(TokenKind::Comment, start, self.pos);
            }
            b'\n' | b'\r' => self.newline(),
            b'\\' => {
                let len = match (self.peek(1), self.peek(2)) {
                    (Some(b'\r'), Some(b'\n')) => 3,
                    (Some(b'\n' | b'\r'), _) => 2,
                    _ => 0,
                };
                if len > 0 {
                    self.pos += len;
                } else {
                    self.unknown(1);
                }
            }
            b'.' if matches!(self.peek(1), Some(b'0'..=b'9')) => self.number(),
            0x80.. => {
                let c = self.src.get(start..).and_then(|s| s.chars().next());
                match c {
                    Some(c) if unicode_ident::is_xid_start(c) => self.name_or_string(),
                    Some(c) => self.unknown(c.len_utf8()),
                    None => self.unknown(1),
                }
            }
            _ => self.operator(b),
        }
        true
    }

    /// An `Unknown` token of `len` bytes and its error.
    fn unknown(&mut self, len: usize) {
        let start = self.pos;
        self.pos = (start + len).min(self.bytes.len());
        self.error(LexErrorKind::UnexpectedCharacter, start, self.pos);
        self.push(TokenKind::Unknown, start, self.pos);
    }

    fn newline(&mut self) {
        let start = self.pos;
        // In a single-quoted f-string a line break directly inside a
        // replacement field ends the f-string: it was left unterminated.
        // (Inside brackets in the field, or after a comment, the field
        // goes on on the next line.)
        if let Some(fstring) = self.fstrings.last().copied() {
            let after_comment = self.tokens.last().map(|t| t.kind) == Some(TokenKind::Comment);
            if !fstring.triple
                && !after_comment
                && matches!(self.opens.last(), Some(open) if open.kind == FIELD)
            {
                self.unterminated_fstring(fstring);
                return;
            }
        }
        let len = if self.peek(0) == Some(b'\r') && self.peek(1) == Some(b'\n') {
            2
        } else {
            1
        };
        self.pos += len;
        if self.opens.is_empty() && self.line_has_content {
            self.push(TokenKind::Newline, start, self.pos);
            self.line_has_content = false;
        } else {
            self.push(TokenKind::NonLogicalNewline, start, self.pos);
        }
        if self.opens.is_empty() {
            self.at_line_start = true;
        }
    }

    fn name_or_string(&mut self) {
        let start = self.pos;
        if let Some(prefix) = self.string_prefix() {
            self.string(start, start + prefix.len as usize, prefix);
            return;
        }
        loop {
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            self.pos += rest
                .iter()
                .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
                .unwrap_or(rest.len());
            match self.peek(0) {
                Some(0x80..) => {
                    let c = self.src.get(self.pos..).and_then(|s| s.chars().next());
                    match c {
                        Some(c) if unicode_ident::is_xid_continue(c) => self.pos += c.len_utf8(),
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        if self.pos == start {
            // Not reached for the callers' first characters; stay total.
            self.unknown(1);
            return;
        }
        self.push(TokenKind::Name, start, self.pos);
    }

    /// A string prefix (`r`, `b`, `u`, `f`, `t` and the two-letter
    /// combinations) directly followed by a quote.
    fn string_prefix(&self) -> Option<Prefix> {
        let first = self.peek(0)?.to_ascii_lowercase();
        let second = self.peek(1)?;
        if second == b'\'' || second == b'"' {
            return Prefix::from_letters(first, None);
        }
        let third = self.peek(2)?;
        if third == b'\'' || third == b'"' {
            return Prefix::from_letters(first, Some(second.to_ascii_lowercase()));
        }
        None
    }

    /// A string literal whose prefix spans `start..quote_at`.
    fn string(&mut self, start: usize, quote_at: usize, prefix: Prefix) {
        self.pos = quote_at;
        let Some(quote) = self.peek(0) else {
            self.unknown(1);
            return;
        };
        let triple = self.peek(1) == Some(quote) && self.peek(2) == Some(quote);
        let quote_len = if triple { 3 } else { 1 };
        self.pos += quote_len;
        if prefix.fstring {
            self.push(TokenKind::FStringStart, start, self.pos);
            self.fstrings.push(FString {
                quote,
                triple,
                raw: prefix.raw,
                depth: self.opens.len(),
                start: start as u32,
            });
            return;
        }
        loop {
            let Some(b) = self.peek(0) else {
                self.error(unterminated(triple), start, self.pos);
                self.push(TokenKind::Unknown, start, self.pos);
                return;
            };
            match b {
                b'\\' => {
                    let len = if self.peek(1) == Some(b'\r') && self.peek(2) == Some(b'\n') {
                        3
                    } else {
                        2
                    };
                    self.pos = (self.pos + len).min(self.bytes.len());
                }
                b'\n' | b'\r' if !triple => {
                    self.error(LexErrorKind::UnterminatedString, start, self.pos);
                    self.push(TokenKind::Unknown, start, self.pos);
                    return;
                }
                _ if b == quote => {
                    if !triple {
                        self.pos += 1;
                        break;
                    }
                    if self.peek(1) == Some(quote) && self.peek(2) == Some(quote) {
                        self.pos += 3;
                        break;
                    }
                    self.pos += 1;
                }
                _ => {
                    // Skip to the next byte that can matter.
                    let rest = self.bytes.get(self.pos + 1..).unwrap_or_default();
                    self.pos += 1 + rest
                        .iter()
                        .position(|&c| c == quote || c == b'\\' || c == b'\n' || c == b'\r')
                        .unwrap_or(rest.len());
                }
            }
        }
        self.push(TokenKind::String, start, self.pos);
    }

    fn number(&mut self) {
        let start = self.pos;
        let radix = matches!(
            (self.peek(0), self.peek(1)),
            (Some(b'0'), Some(b'x' | b'X' | b'o' | b'O' | b'b' | b'B'))
        );
        if radix {
            self.pos += 2;
            while matches!(
                self.peek(0),
                Some(b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' | b'_')
            ) {
                self.pos += 1;
            }
        } else {
            self.digits();
            if self.peek(0) == Some(b'.') {
                self.pos += 1;
                self.digits();
            }
            if matches!(self.peek(0), Some(b'e' | b'E')) {
                let sign = usize::from(matches!(self.peek(1), Some(b'+' | b'-')));
                if matches!(self.peek(1 + sign), Some(b'0'..=b'9')) {
                    self.pos += 1 + sign;
                    self.digits();
                }
            }
            if matches!(self.peek(0), Some(b'j' | b'J')) {
                self.pos += 1;
            }
        }
        self.push(TokenKind::Number, start, self.pos);
    }

    fn digits(&mut self) {
        while matches!(self.peek(0), Some(b'0'..=b'9' | b'_')) {
            self.pos += 1;
        }
    }

    fn operator(&mut self, b: u8) {
        use TokenKind as K;
        let start = self.pos;
        let next = self.peek(1);
        let (kind, len) = match (b, next) {
            (b'(', _) => (K::Lpar, 1),
            (b'[', _) => (K::Lsqb, 1),
            (b'{', _) => (K::Lbrace, 1),
            (b')', _) => return self.close(b'(', K::Rpar),
            (b']', _) => return self.close(b'[', K::Rsqb),
            (b'}', _) => return self.close(b'{', K::Rbrace),
            (b':', _) if self.at_field_level() => {
                if let Some(open) = self.opens.last_mut() {
                    open.spec = true;
                }
                (K::Colon, 1)
            }
            (b':', Some(b'=')) => (K::ColonEqual, 2),
            (b':', _) => (K::Colon, 1),
            (b',', _) => (K::Comma, 1),
            (b';', _) => (K::Semi, 1),
            (b'.', Some(b'.')) if self.peek(2) == Some(b'.') => (K::Operator, 3),
            (b'.', _) => (K::Dot, 1),
            (b'-', Some(b'>')) => (K::Arrow, 2),
            (b'*', Some(b'*')) if self.peek(2) == Some(b'=') => (K::Operator, 3),
            (b'*', Some(b'*')) => (K::DoubleStar, 2),
            (b'/', Some(b'/')) if self.peek(2) == Some(b'=') => (K::Operator, 3),
            (b'/', Some(b'/')) => (K::Operator, 2),
            (b'<', Some(b'<')) | (b'>', Some(b'>')) if self.peek(2) == Some(b'=') => {
                (K::Operator, 3)
            }
            (b'<', Some(b'<' | b'=' | b'>')) | (b'>', Some(b'>' | b'=')) => (K::Operator, 2),
            (
                b'!' | b'=' | b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'@',
                Some(b'='),
            ) => (K::Operator, 2),
            (b'!', _) => (K::Exclamation, 1),
            (b'=', _) => (K::Equal, 1),
            (b'+', _) => (K::Plus, 1),
            (b'-', _) => (K::Minus, 1),
            (b'*', _) => (K::Star, 1),
            (b'/', _) => (K::Slash, 1),
            (b'%', _) => (K::Percent, 1),
            (b'@', _) => (K::At, 1),
            (b'<' | b'>' | b'&' | b'|' | b'^' | b'~', _) => (K::Operator, 1),
            _ => return self.unknown(1),
        };
        match kind {
            K::Lpar | K::Lsqb | K::Lbrace => self.opens.push(Open {
                kind: b,
                start: start as u32,
                spec: false,
            }),
            _ => {}
        }
        self.pos += len;
        self.push(kind, start, self.pos);
    }

    /// Directly inside a replacement field (not inside a bracket in it).
    fn at_field_level(&self) -> bool {
        matches!(self.opens.last(), Some(open) if open.kind == FIELD && !open.spec)
    }

    /// A closing bracket matching `opener`. Closes back to the matching
    /// opener if there is one (within the current replacement field),
    /// otherwise records an error and leaves the depth alone.
    fn close(&mut self, opener: u8, kind: TokenKind) {
        let start = self.pos;
        let floor = self.fstrings.last().map_or(0, |f| f.depth);
        let mut found = None;
        for (i, open) in self.opens.iter().enumerate().skip(floor).rev() {
            if open.kind == opener || (opener == b'{' && open.kind == FIELD) {
                found = Some(i);
                break;
            }
            if open.kind == FIELD {
                break;
            }
        }
        match found {
            Some(i) => {
                if i + 1 != self.opens.len() {
                    self.error(LexErrorKind::UnmatchedBracket, start, start + 1);
                }
                self.opens.truncate(i);
            }
            None => self.error(LexErrorKind::UnmatchedBracket, start, start + 1),
        }
        self.pos += 1;
        self.push(kind, start, self.pos);
    }

    // ---- f-strings --------------------------------------------------------

    /// Lexes f-string text (literal text, or a format spec when `spec`) up
    /// to a replacement field, the end of the field, or the closing quote.
    fn fstring_text(&mut self, fstring: FString, spec: bool) {
        let start = self.pos;
        loop {
            let Some(b) = self.peek(0) else {
                self.middle(start);
                self.unterminated_fstring(fstring);
                return;
            };
            match b {
                b'\\' => {
                    self.pos += match (self.peek(1), self.peek(2)) {
                        (Some(b'N'), Some(b'{')) if !fstring.raw => self.named_escape_len(),
                        // A backslash does not escape a brace.
                        (Some(b'{' | b'}'), _) | (None, _) => 1,
                        (Some(b'\r'), Some(b'\n')) => 3,
                        _ => 2,
                    };
                    self.pos = self.pos.min(self.bytes.len());
                }
                b'{' if !spec && self.peek(1) == Some(b'{') => self.pos += 2,
                b'}' if !spec && self.peek(1) == Some(b'}') => self.pos += 2,
                b'{' => {
                    self.middle(start);
                    self.opens.push(Open {
                        kind: FIELD,
                        start: self.pos as u32,
                        spec: false,
                    });
                    self.pos += 1;
                    self.push(TokenKind::Lbrace, self.pos - 1, self.pos);
                    return;
                }
                b'}' if spec => {
                    self.middle(start);
                    self.opens.pop();
                    self.pos += 1;
                    self.push(TokenKind::Rbrace, self.pos - 1, self.pos);
                    return;
                }
                b'}' => {
                    // A single `}` in literal text is not allowed.
                    self.error(LexErrorKind::UnexpectedCharacter, self.pos, self.pos + 1);
                    self.pos += 1;
                }
                b'\n' | b'\r' if !fstring.triple => {
                    self.middle(start);
                    self.unterminated_fstring(fstring);
                    return;
                }
                _ if b == fstring.quote
                    && (!fstring.triple
                        || (self.peek(1) == Some(b) && self.peek(2) == Some(b))) =>
                {
                    self.middle(start);
                    if spec {
                        // The field never closed.
                        if let Some(open) = self.opens.get(fstring.depth) {
                            let at = open.start as usize;
                            self.error(LexErrorKind::UnmatchedBracket, at, at + 1);
                        }
                        self.opens.truncate(fstring.depth);
                    }
                    self.fstrings.pop();
                    let end = self.pos + if fstring.triple { 3 } else { 1 };
                    self.push(TokenKind::FStringEnd, self.pos, end);
                    self.pos = end;
                    return;
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Length of `\N{...}` at the cursor (the braces are not a field), up
    /// to the line end or quote if it never closes.
    fn named_escape_len(&self) -> usize {
        let rest = self.bytes.get(self.pos + 3..).unwrap_or_default();
        match rest
            .iter()
            .position(|&c| matches!(c, b'}' | b'\n' | b'\r' | b'\'' | b'"'))
        {
            Some(i) if rest.get(i) == Some(&b'}') => 3 + i + 1,
            Some(i) => 3 + i,
            None => 3 + rest.len(),
        }
    }

    fn middle(&mut self, start: usize) {
        if self.pos > start {
            self.push(TokenKind::FStringMiddle, start, self.pos);
        }
    }

    /// Abandons the innermost f-string at the cursor.
    fn unterminated_fstring(&mut self, fstring: FString) {
        self.fstrings.pop();
        self.opens.truncate(fstring.depth);
        self.error(
            unterminated(fstring.triple),
            fstring.start as usize,
            self.pos,
        );
    }
}

fn unterminated(triple: bool) -> LexErrorKind {
    if triple {
        LexErrorKind::UnterminatedTripleQuotedString
    } else {
        LexErrorKind::UnterminatedString
    }
}

/// A recognised string prefix.
#[derive(Debug, Clone, Copy, Default)]
struct Prefix {
    len: u8,
    raw: bool,
    fstring: bool,
}

impl Prefix {
    fn from_letters(first: u8, second: Option<u8>) -> Option<Prefix> {
        let raw = |len| Prefix {
            len,
            raw: true,
            fstring: false,
        };
        match (first, second) {
            (b'r', None) => Some(raw(1)),
            (b'b' | b'u', None) => Some(Prefix {
                len: 1,
                ..Prefix::default()
            }),
            (b'f' | b't', None) => Some(Prefix {
                len: 1,
                raw: false,
                fstring: true,
            }),
            (b'r', Some(b'b')) | (b'b', Some(b'r')) => Some(raw(2)),
            (b'r', Some(b'f' | b't')) | (b'f' | b't', Some(b'r')) => Some(Prefix {
                len: 2,
                raw: true,
                fstring: true,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::debug::tokens_debug;
    use TokenKind as K;

    /// Tokenizes `src`, asserting it has no errors.
    #[track_caller]
    fn lex_source(src: &str) -> Vec<Token> {
        let result = tokenize(src);
        assert!(
            result.errors.is_empty(),
            "unexpected errors for {src:?}:\n{}",
            tokens_debug(src)
        );
        result.tokens
    }

    /// Tokenizes `src`, asserting it has errors.
    #[track_caller]
    fn lex_invalid(src: &str) -> Tokenized {
        let result = tokenize(src);
        assert!(!result.errors.is_empty(), "expected errors for {src:?}");
        result
    }

    #[track_caller]
    fn kinds(src: &str) -> Vec<TokenKind> {
        lex_source(src).iter().map(|t| t.kind).collect()
    }

    /// `Kind `text`` of every token but the final `EndOfFile`.
    #[track_caller]
    fn texts(src: &str) -> Vec<String> {
        render(src, &lex_source(src))
    }

    fn render(src: &str, tokens: &[Token]) -> Vec<String> {
        tokens
            .iter()
            .filter(|t| t.kind != K::EndOfFile)
            .map(|t| format!("{:?} {}", t.kind, &src[t.range.as_range()]))
            .collect()
    }

    fn error_kinds(result: &Tokenized) -> Vec<LexErrorKind> {
        result.errors.iter().map(|e| e.kind).collect()
    }

    #[test]
    fn empty_source() {
        assert_eq!(kinds(""), [K::EndOfFile]);
        assert_eq!(
            kinds("\n\n"),
            [K::NonLogicalNewline, K::NonLogicalNewline, K::EndOfFile]
        );
    }

    #[test]
    fn simple_statement() {
        assert_eq!(
            texts("x = 1\n"),
            ["Name x", "Equal =", "Number 1", "Newline \n"]
        );
    }

    #[test]
    fn final_newline_is_added() {
        let tokens = lex_source("x");
        assert_eq!(
            tokens.iter().map(|t| t.kind).collect::<Vec<_>>(),
            [K::Name, K::Newline, K::EndOfFile]
        );
        assert_eq!(tokens[1].range, TextRange::new(1, 1));
    }

    #[test]
    fn eol_lf() {
        assert_eq!(
            texts("a\nb\n"),
            ["Name a", "Newline \n", "Name b", "Newline \n"]
        );
    }

    #[test]
    fn eol_crlf() {
        assert_eq!(
            texts("a\r\nb\r\n"),
            ["Name a", "Newline \r\n", "Name b", "Newline \r\n"]
        );
    }

    #[test]
    fn eol_cr() {
        assert_eq!(
            texts("a\rb\r"),
            ["Name a", "Newline \r", "Name b", "Newline \r"]
        );
    }

    #[test]
    fn eol_crlf_in_strings_and_continuations() {
        assert_eq!(
            texts("x = 'a\\\r\nb' + \\\r\n  \"\"\"c\r\nd\"\"\"\r\n"),
            [
                "Name x",
                "Equal =",
                "String 'a\\\r\nb'",
                "Plus +",
                "String \"\"\"c\r\nd\"\"\"",
                "Newline \r\n"
            ]
        );
    }

    #[test]
    fn names_and_unicode_identifiers() {
        assert_eq!(
            texts("_a1 données π ŝ\n"),
            ["Name _a1", "Name données", "Name π", "Name ŝ", "Newline \n"]
        );
    }

    #[test]
    fn identifiers_use_xid_classes() {
        // A combining accent and a variation selector continue a name;
        // a currency sign starts none.
        assert_eq!(
            texts("e\u{301}x x\u{E0100} _\u{2118}\n"),
            [
                "Name e\u{301}x",
                "Name x\u{E0100}",
                "Name _\u{2118}",
                "Newline \n"
            ]
        );
        assert_eq!(lex_invalid("\u{20AC}x").tokens[0].kind, K::Unknown);
    }

    #[test]
    fn keywords_are_names() {
        assert_eq!(kinds("def f(): pass")[..2], [K::Name, K::Name]);
    }

    #[test]
    fn numbers() {
        let src =
            "1 1_000 0x1F 0o17 0b1010 0XdEaD_bEeF 1.5 .5 5. 1e10 1E-3 2.5e+3 3j 1.5J 1_0.0_1e1_0";
        let tokens = lex_source(src);
        let numbers: Vec<&str> = tokens
            .iter()
            .filter(|t| t.kind == K::Number)
            .map(|t| &src[t.range.as_range()])
            .collect();
        assert_eq!(numbers, src.split(' ').collect::<Vec<_>>());
        assert_eq!(tokens.len(), numbers.len() + 2);
    }

    #[test]
    fn number_followed_by_name() {
        assert_eq!(
            texts("1if x else 2e"),
            [
                "Number 1",
                "Name if",
                "Name x",
                "Name else",
                "Number 2",
                "Name e",
                "Newline "
            ]
        );
        assert_eq!(
            texts("1..real"),
            ["Number 1.", "Dot .", "Name real", "Newline "]
        );
    }

    #[test]
    fn operators() {
        let src = "( ) [ ] { } : , ; . @ = + - * ** / % ! -> := == != <= >= < > << >> \
                   += -= *= /= //= %= &= |= ^= >>= <<= **= @= // & | ^ ~ ...";
        let tokens = lex_source(src);
        let ops: Vec<&str> = tokens
            .iter()
            .filter(|t| !matches!(t.kind, K::Newline | K::EndOfFile))
            .map(|t| &src[t.range.as_range()])
            .collect();
        assert_eq!(ops, src.split_whitespace().collect::<Vec<_>>());
        let kinds: Vec<TokenKind> = tokens.iter().take(20).map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                K::Lpar,
                K::Rpar,
                K::Lsqb,
                K::Rsqb,
                K::Lbrace,
                K::Rbrace,
                K::Colon,
                K::Comma,
                K::Semi,
                K::Dot,
                K::At,
                K::Equal,
                K::Plus,
                K::Minus,
                K::Star,
                K::DoubleStar,
                K::Slash,
                K::Percent,
                K::Exclamation,
                K::Arrow,
            ]
        );
        assert_eq!(tokens[20].kind, K::ColonEqual);
        assert!(tokens[21..tokens.len() - 2]
            .iter()
            .all(|t| t.kind == K::Operator));
    }

    #[test]
    fn comments_are_tokens() {
        assert_eq!(
            texts("x  # a comment\n# alone\n"),
            [
                "Name x",
                "Comment # a comment",
                "Newline \n",
                "Comment # alone",
                "NonLogicalNewline \n"
            ]
        );
    }

    #[test]
    fn string_prefixes() {
        for prefix in [
            "", "r", "u", "R", "U", "b", "B", "br", "Br", "bR", "BR", "rb", "rB", "Rb", "RB",
        ] {
            for quote in ["'", "\"", "'''", "\"\"\""] {
                let src = format!("{prefix}{quote}x{quote}");
                assert_eq!(kinds(&src), [K::String, K::Newline, K::EndOfFile], "{src}");
            }
        }
        for prefix in [
            "f", "F", "fr", "Fr", "fR", "FR", "rf", "rF", "Rf", "RF", "t", "tr", "Rt",
        ] {
            for quote in ["'", "\"", "'''", "\"\"\""] {
                let src = format!("{prefix}{quote}x{quote}");
                assert_eq!(
                    kinds(&src),
                    [
                        K::FStringStart,
                        K::FStringMiddle,
                        K::FStringEnd,
                        K::Newline,
                        K::EndOfFile
                    ],
                    "{src}"
                );
            }
        }
    }

    #[test]
    fn prefix_like_names() {
        assert_eq!(
            texts("rb ur fb bu f r(x)"),
            [
                "Name rb", "Name ur", "Name fb", "Name bu", "Name f", "Name r", "Lpar (", "Name x",
                "Rpar )", "Newline "
            ]
        );
        // Not valid prefixes: the name ends and a string follows.
        assert_eq!(texts("ub'x'"), ["Name ub", "String 'x'", "Newline "]);
    }

    #[test]
    fn escaped_quotes_do_not_end_strings() {
        assert_eq!(texts(r#"'a\'b'"#), [r"String 'a\'b'", "Newline "]);
        assert_eq!(texts(r#""a\"b""#), [r#"String "a\"b""#, "Newline "]);
        assert_eq!(texts(r#"r'a\'b'"#), [r"String r'a\'b'", "Newline "]);
        assert_eq!(
            texts(r#"'a\\' 'b'"#),
            [r"String 'a\\'", "String 'b'", "Newline "]
        );
        assert_eq!(
            texts(r#"'''a\'''b'''"#),
            [r"String '''a\'''b'''", "Newline "]
        );
    }

    #[test]
    fn triple_quoted_strings() {
        assert_eq!(
            texts("'''a\n'b'\n\"\"c'''\n\"\"\"x''\"\"\""),
            [
                "String '''a\n'b'\n\"\"c'''",
                "Newline \n",
                "String \"\"\"x''\"\"\"",
                "Newline "
            ]
        );
        assert_eq!(texts("''''''"), ["String ''''''", "Newline "]);
        assert_eq!(
            texts("'''''''a'"),
            ["String ''''''", "String 'a'", "Newline "]
        );
    }

    #[test]
    fn implicit_concatenation_is_two_strings() {
        assert_eq!(
            texts("('a'\n 'b')"),
            [
                "Lpar (",
                "String 'a'",
                "NonLogicalNewline \n",
                "String 'b'",
                "Rpar )",
                "Newline "
            ]
        );
    }

    #[test]
    fn fstring_simple() {
        assert_eq!(
            texts(r#"f"/tools/{tool_id}/x""#),
            [
                "FStringStart f\"",
                "FStringMiddle /tools/",
                "Lbrace {",
                "Name tool_id",
                "Rbrace }",
                "FStringMiddle /x",
                "FStringEnd \"",
                "Newline "
            ]
        );
    }

    #[test]
    fn fstring_doubled_braces_stay_in_middle() {
        assert_eq!(
            texts(r#"f"{{a}} {b} }}""#),
            [
                "FStringStart f\"",
                "FStringMiddle {{a}} ",
                "Lbrace {",
                "Name b",
                "Rbrace }",
                "FStringMiddle  }}",
                "FStringEnd \"",
                "Newline "
            ]
        );
    }

    #[test]
    fn fstring_format_spec() {
        assert_eq!(
            texts(r#"f"{delay:.1f}s""#),
            [
                "FStringStart f\"",
                "Lbrace {",
                "Name delay",
                "Colon :",
                "FStringMiddle .1f",
                "Rbrace }",
                "FStringMiddle s",
                "FStringEnd \"",
                "Newline "
            ]
        );
    }

    #[test]
    fn fstring_nested_field_in_format_spec() {
        assert_eq!(
            texts(r#"f"{a:>{w}.{p}}""#),
            [
                "FStringStart f\"",
                "Lbrace {",
                "Name a",
                "Colon :",
                "FStringMiddle >",
                "Lbrace {",
                "Name w",
                "Rbrace }",
                "FStringMiddle .",
                "Lbrace {",
                "Name p",
                "Rbrace }",
                "Rbrace }",
                "FStringEnd \"",
                "Newline "
            ]
        );
        assert_eq!(
            texts(r#"f"{a:{w}}""#)[..8],
            [
                "FStringStart f\"",
                "Lbrace {",
                "Name a",
                "Colon :",
                "Lbrace {",
                "Name w",
                "Rbrace }",
                "Rbrace }"
            ]
        );
    }

    #[test]
    fn fstring_conversion_and_self_documenting() {
        assert_eq!(
            texts(r#"f"{x!r} {y=} {z = !s:>4}""#),
            [
                "FStringStart f\"",
                "Lbrace {",
                "Name x",
                "Exclamation !",
                "Name r",
                "Rbrace }",
                "FStringMiddle  ",
                "Lbrace {",
                "Name y",
                "Equal =",
                "Rbrace }",
                "FStringMiddle  ",
                "Lbrace {",
                "Name z",
                "Equal =",
                "Exclamation !",
                "Name s",
                "Colon :",
                "FStringMiddle >4",
                "Rbrace }",
                "FStringEnd \"",
                "Newline "
            ]
        );
        assert_eq!(
            texts(r#"f"{a!=b}""#)[2..5],
            ["Name a", "Operator !=", "Name b"]
        );
    }

    #[test]
    fn fstring_brackets_inside_field() {
        // The `:` of a slice inside brackets is not a format spec.
        assert_eq!(
            texts(r#"f"/a/{uuid.uuid4().hex[:8]}""#),
            [
                "FStringStart f\"",
                "FStringMiddle /a/",
                "Lbrace {",
                "Name uuid",
                "Dot .",
                "Name uuid4",
                "Lpar (",
                "Rpar )",
                "Dot .",
                "Name hex",
                "Lsqb [",
                "Colon :",
                "Number 8",
                "Rsqb ]",
                "Rbrace }",
                "FStringEnd \"",
                "Newline "
            ]
        );
        assert_eq!(
            texts(r#"f"{ {'a': 1}['a'] }""#)[1..9],
            [
                "Lbrace {",
                "Lbrace {",
                "String 'a'",
                "Colon :",
                "Number 1",
                "Rbrace }",
                "Lsqb [",
                "String 'a'"
            ]
        );
    }

    #[test]
    fn fstring_same_quote_nesting() {
        assert_eq!(
            texts(r#"f"{user["email"]}!""#),
            [
                "FStringStart f\"",
                "Lbrace {",
                "Name user",
                "Lsqb [",
                "String \"email\"",
                "Rsqb ]",
                "Rbrace }",
                "FStringMiddle !",
                "FStringEnd \"",
                "Newline "
            ]
        );
        assert_eq!(
            texts(r#"f"{f"{f"{x}"}"}""#),
            [
                "FStringStart f\"",
                "Lbrace {",
                "FStringStart f\"",
                "Lbrace {",
                "FStringStart f\"",
                "Lbrace {",
                "Name x",
                "Rbrace }",
                "FStringEnd \"",
                "Rbrace }",
                "FStringEnd \"",
                "Rbrace }",
                "FStringEnd \"",
                "Newline "
            ]
        );
    }

    #[test]
    fn fstring_escapes() {
        assert_eq!(
            texts(r#"f"a\"b\{x}\N{DASH}{y}""#),
            [
                "FStringStart f\"",
                "FStringMiddle a\\\"b\\",
                "Lbrace {",
                "Name x",
                "Rbrace }",
                "FStringMiddle \\N{DASH}",
                "Lbrace {",
                "Name y",
                "Rbrace }",
                "FStringEnd \"",
                "Newline "
            ]
        );
        // In a raw f-string `\N{...}` is a backslash, an N and a field.
        assert_eq!(
            texts(r#"rf"\N{x}""#)[1..3],
            ["FStringMiddle \\N", "Lbrace {"]
        );
        assert_eq!(texts(r#"rf'\''"#)[1], "FStringMiddle \\'");
    }

    #[test]
    fn fstring_triple_quoted_multiline() {
        assert_eq!(
            texts("f'''a\n{\n  x # c\n}\nb'''\n"),
            [
                "FStringStart f'''",
                "FStringMiddle a\n",
                "Lbrace {",
                "NonLogicalNewline \n",
                "Name x",
                "Comment # c",
                "NonLogicalNewline \n",
                "Rbrace }",
                "FStringMiddle \nb",
                "FStringEnd '''",
                "Newline \n"
            ]
        );
    }

    #[test]
    fn fstring_single_quoted_may_break_lines_inside_brackets() {
        assert_eq!(
            texts("f\"{', '.join([\n  a,\n])}\""),
            [
                "FStringStart f\"",
                "Lbrace {",
                "String ', '",
                "Dot .",
                "Name join",
                "Lpar (",
                "Lsqb [",
                "NonLogicalNewline \n",
                "Name a",
                "Comma ,",
                "NonLogicalNewline \n",
                "Rsqb ]",
                "Rpar )",
                "Rbrace }",
                "FStringEnd \"",
                "Newline "
            ]
        );
    }

    #[test]
    fn fstring_single_quoted_field_continues_after_comment() {
        assert_eq!(
            texts("f\"{1+2 = # c\n  }\"\n"),
            [
                "FStringStart f\"",
                "Lbrace {",
                "Number 1",
                "Plus +",
                "Number 2",
                "Equal =",
                "Comment # c",
                "NonLogicalNewline \n",
                "Rbrace }",
                "FStringEnd \"",
                "Newline \n"
            ]
        );
    }

    #[test]
    fn fstring_lambda_and_walrus_in_parens() {
        assert_eq!(
            texts(r#"f"{(x:=1)}{(lambda: 2)()}""#)[1..7],
            [
                "Lbrace {",
                "Lpar (",
                "Name x",
                "ColonEqual :=",
                "Number 1",
                "Rpar )"
            ]
        );
    }

    #[test]
    fn implicit_line_joining() {
        assert_eq!(
            kinds("f(a,\n  b)\nc\n"),
            [
                K::Name,
                K::Lpar,
                K::Name,
                K::Comma,
                K::NonLogicalNewline,
                K::Name,
                K::Rpar,
                K::Newline,
                K::Name,
                K::Newline,
                K::EndOfFile
            ]
        );
    }

    #[test]
    fn explicit_line_joining() {
        assert_eq!(
            texts("x = 1 + \\\n    2\ny"),
            [
                "Name x",
                "Equal =",
                "Number 1",
                "Plus +",
                "Number 2",
                "Newline \n",
                "Name y",
                "Newline "
            ]
        );
    }

    #[test]
    fn indent_and_dedent() {
        assert_eq!(
            texts("class A:\n    def f(self):\n        pass\n\n    x = 1\ny\n"),
            [
                "Name class",
                "Name A",
                "Colon :",
                "Newline \n",
                "Indent     ",
                "Name def",
                "Name f",
                "Lpar (",
                "Name self",
                "Rpar )",
                "Colon :",
                "Newline \n",
                "Indent         ",
                "Name pass",
                "Newline \n",
                "NonLogicalNewline \n",
                "Dedent ",
                "Name x",
                "Equal =",
                "Number 1",
                "Newline \n",
                "Dedent ",
                "Name y",
                "Newline \n"
            ]
        );
    }

    #[test]
    fn dedents_at_end_of_file() {
        let k = kinds("if a:\n  if b:\n    c");
        assert_eq!(
            k[k.len() - 4..],
            [K::Newline, K::Dedent, K::Dedent, K::EndOfFile]
        );
    }

    #[test]
    fn blank_and_comment_lines_do_not_indent() {
        assert_eq!(
            texts("if a:\n    b\n        # deep comment\n  \n\t\n    c\n"),
            [
                "Name if",
                "Name a",
                "Colon :",
                "Newline \n",
                "Indent     ",
                "Name b",
                "Newline \n",
                "Comment # deep comment",
                "NonLogicalNewline \n",
                "NonLogicalNewline \n",
                "NonLogicalNewline \n",
                "Name c",
                "Newline \n",
                "Dedent "
            ]
        );
    }

    #[test]
    fn tabs_indent_to_multiples_of_eight() {
        // A tab and eight spaces are the same indentation.
        assert_eq!(
            kinds("if a:\n\tb\n        c\n"),
            [
                K::Name,
                K::Name,
                K::Colon,
                K::Newline,
                K::Indent,
                K::Name,
                K::Newline,
                K::Name,
                K::Newline,
                K::Dedent,
                K::EndOfFile
            ]
        );
        // Four spaces and a tab reach column 8 as well.
        assert_eq!(lex_source("if a:\n\tb\n    \tc\n").len(), 11);
    }

    #[test]
    fn indentation_inside_brackets_is_ignored() {
        assert_eq!(
            kinds("x = [\n        1,\n  2]\n"),
            [
                K::Name,
                K::Equal,
                K::Lsqb,
                K::NonLogicalNewline,
                K::Number,
                K::Comma,
                K::NonLogicalNewline,
                K::Number,
                K::Rsqb,
                K::Newline,
                K::EndOfFile
            ]
        );
    }

    #[test]
    fn ranges_of_tokens() {
        let tokens = lex_source("ab = 'c'");
        let ranges: Vec<(u32, u32)> = tokens
            .iter()
            .map(|t| (t.range.start, t.range.end))
            .collect();
        assert_eq!(ranges, [(0, 2), (3, 4), (5, 8), (8, 8), (8, 8)]);
    }

    // ---- errors -------------------------------------------------------

    #[test]
    fn unterminated_single_quoted_string_resyncs_at_line_end() {
        let src = "x = 'abc\ny = 1\n";
        let result = lex_invalid(src);
        assert_eq!(error_kinds(&result), [LexErrorKind::UnterminatedString]);
        assert_eq!(result.errors[0].range, TextRange::new(4, 8));
        assert_eq!(
            render(src, &result.tokens),
            [
                "Name x",
                "Equal =",
                "Unknown 'abc",
                "Newline \n",
                "Name y",
                "Equal =",
                "Number 1",
                "Newline \n"
            ]
        );
    }

    #[test]
    fn unterminated_string_at_end_of_file() {
        let result = lex_invalid("'abc\\");
        assert_eq!(error_kinds(&result), [LexErrorKind::UnterminatedString]);
        assert_eq!(result.tokens[0].range, TextRange::new(0, 5));
    }

    #[test]
    fn unterminated_triple_quoted_string_runs_to_end() {
        let src = "x = '''abc\ny = 1\n";
        let result = lex_invalid(src);
        assert_eq!(
            error_kinds(&result),
            [LexErrorKind::UnterminatedTripleQuotedString]
        );
        assert_eq!(
            render(src, &result.tokens),
            ["Name x", "Equal =", "Unknown '''abc\ny = 1\n", "Newline "]
        );
    }

    #[test]
    fn unterminated_fstring_resyncs_at_line_end() {
        let src = "x = f'/a/{b}\ny = 1\n";
        let result = lex_invalid(src);
        assert_eq!(error_kinds(&result), [LexErrorKind::UnterminatedString]);
        assert_eq!(result.errors[0].range, TextRange::new(4, 12));
        assert_eq!(
            render(src, &result.tokens)[2..],
            [
                "FStringStart f'",
                "FStringMiddle /a/",
                "Lbrace {",
                "Name b",
                "Rbrace }",
                "Newline \n",
                "Name y",
                "Equal =",
                "Number 1",
                "Newline \n"
            ]
        );
    }

    #[test]
    fn unterminated_fstring_field_resyncs_at_line_end() {
        for src in ["f'{b\ny\n", "f'{b:>4\ny\n", "(f'{b\ny)\n"] {
            let result = lex_invalid(src);
            assert_eq!(
                result.errors[0].kind,
                LexErrorKind::UnterminatedString,
                "{src}"
            );
            let names: Vec<_> = render(src, &result.tokens)
                .into_iter()
                .filter(|t| t.starts_with("Name"))
                .collect();
            assert_eq!(names.last().map(String::as_str), Some("Name y"), "{src}");
        }
        // After the f-string is abandoned, the line is a normal line again.
        let result = lex_invalid("f'{b\ny\n");
        assert!(result
            .tokens
            .iter()
            .any(|t| t.kind == K::Newline && t.range.start == 4));
    }

    #[test]
    fn unterminated_triple_quoted_fstring() {
        let result = lex_invalid("f'''a{b}\nc");
        assert_eq!(
            error_kinds(&result),
            [LexErrorKind::UnterminatedTripleQuotedString]
        );
        let result = lex_invalid("f'''a{b");
        assert_eq!(
            error_kinds(&result),
            [LexErrorKind::UnterminatedTripleQuotedString]
        );
        assert_eq!(result.tokens.last().map(|t| t.kind), Some(K::EndOfFile));
    }

    #[test]
    fn fstring_closing_inside_format_spec() {
        let result = lex_invalid("f'{a:b'\nx");
        assert_eq!(error_kinds(&result), [LexErrorKind::UnmatchedBracket]);
        assert!(result.tokens.iter().any(|t| t.kind == K::FStringEnd));
    }

    #[test]
    fn single_close_brace_in_fstring_text() {
        let result = lex_invalid("f'a}b'");
        assert_eq!(error_kinds(&result), [LexErrorKind::UnexpectedCharacter]);
        assert_eq!(result.errors[0].range, TextRange::new(3, 4));
    }

    #[test]
    fn stray_characters_become_unknown() {
        let src = "a $ ? ` \0 \x01 € b";
        let result = lex_invalid(src);
        assert_eq!(result.errors.len(), 6);
        assert!(result
            .errors
            .iter()
            .all(|e| e.kind == LexErrorKind::UnexpectedCharacter));
        assert_eq!(
            render(src, &result.tokens),
            [
                "Name a",
                "Unknown $",
                "Unknown ?",
                "Unknown `",
                "Unknown \0",
                "Unknown \x01",
                "Unknown €",
                "Name b",
                "Newline "
            ]
        );
    }

    #[test]
    fn replacement_character_is_unknown() {
        let result = lex_invalid("x = \u{FFFD}\n");
        assert_eq!(result.tokens[2].kind, K::Unknown);
        assert_eq!(result.tokens[2].range, TextRange::new(4, 7));
    }

    #[test]
    fn backslash_not_before_line_end() {
        let result = lex_invalid("a \\ b\nc \\");
        assert_eq!(result.errors.len(), 2);
        assert_eq!(result.tokens[1].kind, K::Unknown);
    }

    #[test]
    fn unmatched_closing_brackets_do_not_underflow() {
        let src = "a)]}\nif b:\n    c\n";
        let result = lex_invalid(src);
        assert_eq!(result.errors.len(), 3);
        assert!(result
            .errors
            .iter()
            .all(|e| e.kind == LexErrorKind::UnmatchedBracket));
        // Depth stayed at zero: the next lines are logical lines.
        let k: Vec<_> = result.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(k[4], K::Newline);
        assert!(k.contains(&K::Indent));
    }

    #[test]
    fn mismatched_bracket_closes_back_to_its_opener() {
        let src = "f(a[1)\nx\n";
        let result = lex_invalid(src);
        assert_eq!(error_kinds(&result), [LexErrorKind::UnmatchedBracket]);
        assert_eq!(result.errors[0].range, TextRange::new(5, 6));
        assert_eq!(result.tokens[6].kind, K::Newline);
    }

    #[test]
    fn unclosed_brackets_at_end_of_file() {
        let result = lex_invalid("f(a, [b,\n");
        assert_eq!(
            result.errors,
            [
                LexError {
                    kind: LexErrorKind::UnmatchedBracket,
                    range: TextRange::new(1, 2)
                },
                LexError {
                    kind: LexErrorKind::UnmatchedBracket,
                    range: TextRange::new(5, 6)
                }
            ]
        );
        assert_eq!(result.tokens.last().map(|t| t.kind), Some(K::EndOfFile));
    }

    #[test]
    fn closing_paren_does_not_close_an_fstring_field() {
        let result = lex_invalid("f'{a)}'");
        assert_eq!(error_kinds(&result), [LexErrorKind::UnmatchedBracket]);
        assert_eq!(result.tokens[4].kind, K::Rbrace);
        assert_eq!(result.tokens[5].kind, K::FStringEnd);
    }

    #[test]
    fn inconsistent_dedent() {
        let src = "if a:\n        b\n    c\nd\n";
        let result = lex_invalid(src);
        assert_eq!(error_kinds(&result), [LexErrorKind::InconsistentDedent]);
        assert_eq!(result.errors[0].range, TextRange::new(16, 20));
        let indents = result.tokens.iter().filter(|t| t.kind == K::Indent).count();
        let dedents = result.tokens.iter().filter(|t| t.kind == K::Dedent).count();
        assert_eq!(indents, dedents);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::python::literal::{fstring_end, fstring_parts, string_value, FStringPart};
    use crate::python::source::Source;
    use proptest::prelude::*;

    const LOCUSTFILE: &str = include_str!("../../fixtures/python/sample_locustfile.py");

    /// Inserts or deletes characters that upset a tokenizer.
    fn mangle(edits: &[(usize, u8)]) -> String {
        const NOISE: &[&str] = &[
            "'", "\"", "'''", "(", ")", "[", "]", "{", "}", "\\", "\n", "\r\n", "\r", "f'", "#",
            "\t", ":", "!", "\u{FFFD}", "\0", "$",
        ];
        let mut text = LOCUSTFILE.to_string();
        for &(at, what) in edits {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let what = what as usize;
            if what.is_multiple_of(3) {
                let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                text.replace_range(at..end, "");
            } else {
                text.insert_str(at, NOISE[what % NOISE.len()]);
            }
        }
        text
    }

    fn check(text: &str) -> Result<(), TestCaseError> {
        let result = tokenize(text);
        let tokens = &result.tokens;
        prop_assert_eq!(tokens.last().map(|t| t.kind), Some(TokenKind::EndOfFile));
        let mut covered = vec![false; text.len()];
        let mut previous_end = 0u32;
        for token in tokens {
            let TextRange { start, end } = token.range;
            prop_assert!(start <= end && end as usize <= text.len(), "{token:?}");
            prop_assert!(start >= previous_end, "overlap at {token:?}");
            prop_assert!(text.is_char_boundary(start as usize));
            prop_assert!(text.is_char_boundary(end as usize));
            previous_end = end;
            for flag in &mut covered[token.range.as_range()] {
                *flag = true;
            }
        }
        for error in &result.errors {
            prop_assert!(error.range.start <= error.range.end);
            prop_assert!(error.range.end as usize <= text.len());
        }
        // Every byte no token covers is whitespace or a line continuation.
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if covered[i] {
                continue;
            }
            let ok = match b {
                b' ' | b'\t' | b'\x0c' => true,
                b'\\' => matches!(bytes.get(i + 1), Some(b'\n' | b'\r')),
                b'\n' => i > 0 && matches!(bytes[i - 1], b'\\' | b'\r'),
                b'\r' => i > 0 && bytes[i - 1] == b'\\',
                _ => false,
            };
            prop_assert!(ok, "byte {} ({:?}) not covered", i, b as char);
        }
        // The literal helpers take any token the tokenizer makes.
        for (i, token) in tokens.iter().enumerate() {
            let _ = string_value(text, *token);
            if token.kind == TokenKind::FStringStart {
                let end = fstring_end(tokens, i).map_or(tokens.len(), |e| e + 1);
                let slice = tokens.get(i..end).unwrap_or_default();
                for part in fstring_parts(text, slice) {
                    if let FStringPart::Field {
                        expr_range,
                        tokens: range,
                    } = part
                    {
                        prop_assert!(expr_range.end as usize <= text.len());
                        prop_assert!(range.start <= range.end && range.end <= slice.len());
                    }
                }
            }
        }
        let indents = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Indent)
            .count();
        let dedents = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Dedent)
            .count();
        prop_assert_eq!(indents, dedents);
        Ok(())
    }

    #[test]
    fn the_sample_is_clean() {
        let result = tokenize(LOCUSTFILE);
        assert_eq!(result.errors, []);
        assert!(check(LOCUSTFILE).is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let source = Source::from_bytes(&bytes);
            check(&source.text)?;
        }

        #[test]
        fn python_like_bytes_never_panic(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b'\''), Just(b'"'), Just(b'f'), Just(b'r'), Just(b'{'), Just(b'}'),
                    Just(b'('), Just(b')'), Just(b'['), Just(b']'), Just(b'\\'), Just(b'\n'),
                    Just(b'\r'), Just(b' '), Just(b'\t'), Just(b':'), Just(b'#'), Just(b'x'),
                    Just(b'1'), Just(b'.'), Just(b'!'), Just(b'='), Just(b'N'), Just(0xC3),
                ],
                0..200,
            )
        ) {
            let source = Source::from_bytes(&bytes);
            check(&source.text)?;
        }

        #[test]
        fn mangled_locustfile_never_panics(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..12)
        ) {
            check(&mangle(&edits))?;
        }
    }
}

#[cfg(test)]
mod snapshots {
    use crate::python::debug::tokens_debug;

    #[test]
    fn sample_locustfile() {
        let src = include_str!("../../fixtures/python/sample_locustfile.py");
        insta::assert_snapshot!(tokens_debug(src));
    }

    #[test]
    fn fstring_forms() {
        let src = concat!(
            "f\"/tools/{tool_id}\"\n",
            "f'{{a}} {b!r:>{w}.{p}} }}'\n",
            "rf\"\\d{x[:8]}\\N{y}\"\n",
            "f\"{user[\"email\"]}{f'{z=}'}\"\n",
            "F'''{\n  a  # c\n}'''\n",
            "t\"{x:{y}}\" b\"{not a field}\"\n",
        );
        insta::assert_snapshot!(tokens_debug(src));
    }

    #[test]
    fn error_recovery() {
        let src = concat!(
            "a = 'open\n",
            "b = f\"{c\n",
            "d = f'x:{e:>4'\n",
            "g) $ ? \u{FFFD}\n",
            "if h:\n",
            "        i\n",
            "    j\n",
            "k = \"\"\"never closed\n",
        );
        insta::assert_snapshot!(tokens_debug(src));
    }

    #[test]
    fn indentation_with_crlf_and_tabs() {
        let src = "class A:\r\n\tdef f(self):\r\n\t\treturn [\r\n  1]\r\n\r\n    # c\r\nx = \\\r\n  2\r\n";
        insta::assert_snapshot!(tokens_debug(src));
    }
}

/// Throughput measurement, not a test: run with
/// `cargo test --release --lib python::lexer::throughput -- --ignored --nocapture`.
/// Reports wall time and, on Linux, the thread's CPU time (the honest
/// figure on a busy machine).
#[cfg(test)]
mod throughput {
    use super::*;
    use crate::python::source::LineIndex;
    use std::time::Instant;

    /// CPU time this thread has run, in seconds, where the OS tells.
    fn cpu_seconds() -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
        Some(ns as f64 / 1e9)
    }

    /// Best of five (wall, cpu) seconds for `f`.
    fn measure(mut f: impl FnMut()) -> (f64, f64) {
        let (mut wall, mut cpu) = (f64::MAX, f64::MAX);
        for _ in 0..5 {
            let (start, cpu_start) = (Instant::now(), cpu_seconds());
            f();
            wall = wall.min(start.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (cpu_start, cpu_seconds()) {
                cpu = cpu.min(b - a);
            }
        }
        (wall, cpu)
    }

    #[test]
    #[ignore = "a measurement; run it explicitly in release mode"]
    fn tokenize_50_mb() {
        // The sample fixture, or the file named by TOKENIZE_BENCH_FILE,
        // repeated to 50 MB.
        let sample = match std::env::var_os("TOKENIZE_BENCH_FILE") {
            Some(path) => std::fs::read_to_string(path).unwrap_or_default(),
            None => include_str!("../../fixtures/python/sample_locustfile.py").to_owned(),
        };
        assert!(
            !sample.is_empty(),
            "TOKENIZE_BENCH_FILE is empty or unreadable"
        );
        let mut text = String::with_capacity(50 << 20);
        while text.len() < 50 << 20 {
            text.push_str(&sample);
            if !sample.ends_with('\n') {
                text.push('\n');
            }
        }
        let lines = text.lines().count();
        let mb = text.len() as f64 / (1 << 20) as f64;
        let mut tokens = 0;
        let (wall, cpu) = measure(|| {
            let result = tokenize(&text);
            tokens = result.tokens.len();
        });
        println!(
            "tokenize: {mb:.1} MB, {lines} lines, {tokens} tokens: \
             wall {wall:.3} s ({:.0} MB/s), cpu {cpu:.3} s ({:.0} MB/s, {:.1} M lines/s)",
            mb / wall,
            mb / cpu,
            lines as f64 / cpu / 1e6
        );
        let (wall, cpu) = measure(|| {
            std::hint::black_box(LineIndex::new(&text));
        });
        println!(
            "line index: wall {wall:.3} s ({:.0} MB/s), cpu {cpu:.3} s ({:.0} MB/s)",
            mb / wall,
            mb / cpu
        );
    }
}
