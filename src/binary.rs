//! Telling a source file from binary data before it is tokenized: a file
//! full of NUL bytes, or mostly control bytes, is not Python. A stray NUL in
//! an otherwise textual file is left to the tokenizer's warnings.

/// How much of a file is looked at.
const SAMPLE: usize = 8 * 1024;

/// True when `bytes` are clearly not text: in the first 8 KB, NUL bytes
/// make more than 1% of the bytes, or control bytes more than 30% (tab, LF,
/// CR and form feed are text).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let nul = sample.iter().filter(|&&b| b == 0).count();
    if nul * 100 > sample.len() {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    control * 10 > sample.len() * 3
}

#[cfg(test)]
mod tests {
    use super::looks_binary;

    #[test]
    fn nul_bytes_and_control_bytes_are_binary() {
        assert!(looks_binary(b"import os\0\n"));
        let mut stray = b"x = 1  # \0\n".to_vec();
        stray.extend(std::iter::repeat_n(b'#', 200));
        assert!(!looks_binary(&stray));
        assert!(looks_binary(&[0x01, 0x02, 0x03, b'a', 0x1b]));
        assert!(!looks_binary(
            b"from locust import HttpUser\n\tpass\r\n\x0c"
        ));
        assert!(!looks_binary("caf\u{e9} = 1\n".as_bytes()));
        assert!(!looks_binary(b""));
    }
}
