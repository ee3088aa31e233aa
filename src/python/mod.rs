//! Python source: a tokenizer of our own (no parser, no Python at run time)
//! and helpers to read string literals and positions.

pub mod debug;
pub mod keyword;
pub mod lexer;
pub mod literal;
pub mod source;
pub mod token;

pub use debug::tokens_debug;
pub use keyword::is_keyword;
pub use lexer::{tokenize, Tokenized};
pub use literal::{
    decode_escapes, fstring_end, fstring_middle_value, fstring_parts, string_prefix, string_value,
    token_text, FStringPart, StringFlags,
};
pub use source::{LineIndex, Source};
pub use token::{LexError, LexErrorKind, TextRange, Token, TokenKind};
