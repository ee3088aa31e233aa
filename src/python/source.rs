//! Python source text as read from disk, and positions in it.
//!
//! [`Source::from_bytes`] turns raw file bytes into text the tokenizer can
//! read (BOM stripped, invalid UTF-8 replaced). [`LineIndex`] maps byte
//! offsets to 1-based line and character columns.

use super::lexer::{tokenize, Tokenized};
use super::token::{LexError, LexErrorKind, TextRange};

/// Decoded source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The text, without a leading UTF-8 byte order mark.
    pub text: String,
    /// The input had bytes that are not UTF-8; each bad sequence was
    /// replaced by U+FFFD.
    pub invalid_utf8: bool,
}

impl Source {
    /// Decodes file bytes: strips a UTF-8 BOM and decodes lossily.
    pub fn from_bytes(bytes: &[u8]) -> Source {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) => Source {
                text: text.to_owned(),
                invalid_utf8: false,
            },
            Err(_) => Source {
                text: String::from_utf8_lossy(bytes).into_owned(),
                invalid_utf8: true,
            },
        }
    }

    /// Decodes file bytes like [`Source::from_bytes`], reusing their
    /// buffer as the text when they are valid UTF-8 (no copy).
    pub fn from_vec(mut bytes: Vec<u8>) -> Source {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Source {
                text,
                invalid_utf8: false,
            },
            Err(err) => Source {
                text: String::from_utf8_lossy(err.as_bytes()).into_owned(),
                invalid_utf8: true,
            },
        }
    }

    /// Tokenizes the text. If the input was not UTF-8, an
    /// [`LexErrorKind::InvalidUtf8`] error points at the first replaced
    /// character. Errors are in source order.
    pub fn tokenize(&self) -> Tokenized {
        let mut result = tokenize(&self.text);
        if self.invalid_utf8 {
            let start = self.text.find('\u{FFFD}').unwrap_or(0);
            let end = (start + '\u{FFFD}'.len_utf8()).min(self.text.len());
            result.errors.push(LexError {
                kind: LexErrorKind::InvalidUtf8,
                range: TextRange::new(start as u32, end as u32),
            });
            result.errors.sort_by_key(|error| error.range.start);
        }
        result
    }
}

/// Line starts and multi-byte characters of a text, built once, so that
/// [`LineIndex::line_col`] is two binary searches and needs no text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is always 0.
    line_starts: Vec<u32>,
    /// Byte offset of every character longer than one byte.
    wide_chars: Vec<u32>,
    /// `extra_bytes[i]`: bytes beyond one per character, summed over
    /// `wide_chars[..=i]`.
    extra_bytes: Vec<u32>,
    /// Length of the text in bytes.
    len: u32,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\r\n`, `\r` or `\n`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0);
        let mut wide_chars = Vec::new();
        let mut extra_bytes = Vec::new();
        let mut extra = 0u32;
        let mut i = 0usize;
        while let Some(&b) = bytes.get(i) {
            // Eight plain bytes at a time (no line break, no wide character):
            // most of a source file.
            if let Some(chunk) = bytes
                .get(i..i + 8)
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
            {
                if is_plain(u64::from_le_bytes(chunk)) {
                    i += 8;
                    continue;
                }
            }
            match b {
                b'\n' => {
                    i += 1;
                    line_starts.push(i as u32);
                }
                b'\r' => {
                    i += if bytes.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    line_starts.push(i as u32);
                }
                0x80.. => {
                    let width = utf8_width(b);
                    if width > 1 {
                        extra += width as u32 - 1;
                        wide_chars.push(i as u32);
                        extra_bytes.push(extra);
                    }
                    i += width.max(1);
                }
                _ => i += 1,
            }
        }
        LineIndex {
            line_starts,
            wide_chars,
            extra_bytes,
            len: bytes.len() as u32,
        }
    }

    /// The 1-based line and 1-based character column of a byte offset.
    /// Offsets past the end are clamped to the end.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(self.len);
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let line_start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let extra = self.extra_before(offset) - self.extra_before(line_start);
        let col = offset - line_start - extra + 1;
        (line as u32, col)
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where the 1-based `line` starts, if there is such a line.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        let index = (line as usize).checked_sub(1)?;
        self.line_starts.get(index).copied()
    }

    /// Extra bytes of the wide characters that start before `offset`.
    fn extra_before(&self, offset: u32) -> u32 {
        let n = self.wide_chars.partition_point(|&s| s < offset);
        match n.checked_sub(1) {
            Some(i) => self.extra_bytes.get(i).copied().unwrap_or(0),
            None => 0,
        }
    }
}

/// Length of the UTF-8 sequence a lead byte starts.
/// No byte of `word` is `\n`, `\r` or above 0x7F.
fn is_plain(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    word & HIGH == 0
        && !has_zero(word ^ (ONES * u64::from(b'\n')))
        && !has_zero(word ^ (ONES * u64::from(b'\r')))
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        // A continuation byte never starts a character of a `str`.
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_index_agrees_with_a_byte_by_byte_reading() {
        let texts = [
            "",
            "a",
            "abcdefgh\nijklmnop\r\nqrstuvwx\ryz",
            "12345678\n",
            "1234567\n8",
            "résumé café naïve\nunicode ✓ here\r\n𝔘 wide\n",
            "        x = 1\n\n\n        y = \"é\"\r",
        ];
        for text in texts {
            let index = LineIndex::new(text);
            let mut line = 1;
            let mut col = 1;
            let mut chars = text.char_indices().peekable();
            while let Some((at, c)) = chars.next() {
                assert_eq!(index.line_col(at as u32), (line, col), "{text:?} at {at}");
                match c {
                    '\r' if chars.peek().is_some_and(|&(_, n)| n == '\n') => {
                        let (at, _) = chars.next().unwrap_or_default();
                        assert_eq!(index.line_col(at as u32), (line, col + 1));
                        line += 1;
                        col = 1;
                    }
                    '\n' | '\r' => {
                        line += 1;
                        col = 1;
                    }
                    _ => col += 1,
                }
            }
            assert_eq!(index.line_count() as u32, line, "{text:?}");
        }
    }

    #[test]
    fn strips_bom_and_keeps_valid_text() {
        let source = Source::from_bytes(b"\xEF\xBB\xBFx = 1\n");
        assert_eq!(source.text, "x = 1\n");
        assert!(!source.invalid_utf8);
    }

    #[test]
    fn bom_only_in_front_is_stripped() {
        let source = Source::from_bytes(b"x\xEF\xBB\xBF");
        assert_eq!(source.text, "x\u{FEFF}");
    }

    #[test]
    fn invalid_utf8_is_replaced_and_flagged() {
        let source = Source::from_bytes(b"a = '\xff\xfe'\n");
        assert_eq!(source.text, "a = '\u{FFFD}\u{FFFD}'\n");
        assert!(source.invalid_utf8);
    }

    #[test]
    fn tokenize_reports_invalid_utf8_once_in_order() {
        let source = Source::from_bytes(b"$ x = '\xff' + '\xfe'\n");
        let kinds: Vec<_> = source.tokenize().errors.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [LexErrorKind::UnexpectedCharacter, LexErrorKind::InvalidUtf8]
        );
        assert_eq!(source.tokenize().errors[1].range, TextRange::new(7, 10));
        assert!(Source::from_bytes(b"x = '\xe2\x82\xac'")
            .tokenize()
            .errors
            .is_empty());
    }

    #[test]
    fn decoding_an_owned_buffer_agrees_with_decoding_a_slice() {
        let inputs: [&[u8]; 6] = [
            b"",
            b"\xEF\xBB\xBF",
            b"\xEF\xBB\xBFx = 1\n",
            b"x\xEF\xBB\xBF",
            b"a = '\xff\xfe'\n",
            b"\xEF\xBB\xBFa = '\xe2\x82'\n",
        ];
        for bytes in inputs {
            assert_eq!(
                Source::from_vec(bytes.to_vec()),
                Source::from_bytes(bytes),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn empty_input() {
        let source = Source::from_bytes(b"");
        assert_eq!(source.text, "");
        let index = LineIndex::new(&source.text);
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(10), (1, 1));
        assert_eq!(index.line_count(), 1);
    }

    #[test]
    fn lf_line_ends() {
        let index = LineIndex::new("ab\ncd\n");
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(2), (1, 3));
        assert_eq!(index.line_col(3), (2, 1));
        assert_eq!(index.line_col(4), (2, 2));
        assert_eq!(index.line_col(6), (3, 1));
        assert_eq!(index.line_count(), 3);
    }

    #[test]
    fn crlf_line_ends() {
        let index = LineIndex::new("ab\r\ncd\r\ne");
        assert_eq!(index.line_col(2), (1, 3));
        assert_eq!(index.line_col(3), (1, 4));
        assert_eq!(index.line_col(4), (2, 1));
        assert_eq!(index.line_col(8), (3, 1));
        assert_eq!(index.line_start(2), Some(4));
        assert_eq!(index.line_start(0), None);
        assert_eq!(index.line_start(4), None);
    }

    #[test]
    fn cr_line_ends() {
        let index = LineIndex::new("ab\rcd\re");
        assert_eq!(index.line_col(3), (2, 1));
        assert_eq!(index.line_col(6), (3, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // "é" is 2 bytes, "€" 3, "𝄞" 4.
        let text = "é€x\n𝄞y";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(2), (1, 2));
        assert_eq!(index.line_col(5), (1, 3));
        assert_eq!(index.line_col(7), (2, 1));
        assert_eq!(index.line_col(11), (2, 2));
        assert_eq!(index.line_col(12), (2, 3));
    }

    #[test]
    fn columns_on_later_lines_ignore_earlier_wide_chars() {
        let index = LineIndex::new("ééé\nab");
        assert_eq!(index.line_col(8), (2, 2));
    }
}
