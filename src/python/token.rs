//! Tokens of Python source. A token is `Copy` and owns no text: the text is
//! sliced from the source by its byte range.

use std::ops::Range;

/// A half-open byte range `start..end` into the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: u32, end: u32) -> Self {
        TextRange { start, end }
    }

    pub fn as_range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An identifier or keyword (`self`, `def`, `client`).
    Name,
    /// Any numeric literal (`3`, `0x1f`, `1_000`, `2.5e3`, `3j`).
    Number,
    /// A complete string literal that is not an f-string, prefix and quotes
    /// included (`"/tools"`, `r'x'`, `b"..."`, `"""doc"""`).
    String,
    /// Start of an f-string: prefix and opening quote(s) (`f"`, `rf'''`).
    FStringStart,
    /// Literal text inside an f-string, between replacement fields (or in a
    /// format spec). Doubled braces `{{`/`}}` stay doubled in the source text.
    FStringMiddle,
    /// Closing quote(s) of an f-string.
    FStringEnd,
    /// `# ...` up to, not including, the line end.
    Comment,
    /// End of a logical line.
    Newline,
    /// A line end that does not end a logical line (inside brackets, or a
    /// blank/comment-only line).
    NonLogicalNewline,
    Indent,
    Dedent,
    Lpar,
    Rpar,
    Lsqb,
    Rsqb,
    Lbrace,
    Rbrace,
    Colon,
    Comma,
    Semi,
    Dot,
    At,
    /// `=` alone.
    Equal,
    Plus,
    Minus,
    Star,
    DoubleStar,
    Slash,
    Percent,
    /// `!` (f-string conversion marker).
    Exclamation,
    /// `->`.
    Arrow,
    /// `:=`.
    ColonEqual,
    /// Any other operator (`==`, `+=`, `<<`, `|`, `...`).
    Operator,
    /// Input that is not Python; a [`LexError`] was recorded for it.
    Unknown,
    EndOfFile,
}

impl TokenKind {
    /// Comments and non-logical newlines: what the structure pass skips.
    pub fn is_trivia(self) -> bool {
        matches!(self, TokenKind::Comment | TokenKind::NonLogicalNewline)
    }
}

/// One token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

/// Why a piece of input is not valid Python.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LexErrorKind {
    UnterminatedString,
    UnterminatedTripleQuotedString,
    UnexpectedCharacter,
    InconsistentDedent,
    UnmatchedBracket,
    /// The source had bytes that are not UTF-8 (decoded lossily).
    InvalidUtf8,
}

/// A lexical error with the range it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LexError {
    pub kind: LexErrorKind,
    pub range: TextRange,
}
