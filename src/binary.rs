//! Telling a source file from binary data before it is tokenized: a file
//! with NUL bytes, or mostly control bytes, is not Python.

/// How much of a file is looked at.
const SAMPLE: usize = 8 * 1024;

/// True when `bytes` are clearly not text: a NUL byte in the first 8 KB,
/// or more than 30% control bytes there (tab, LF, CR and form feed are text).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if sample.contains(&0) {
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
        assert!(looks_binary(&[0x01, 0x02, 0x03, b'a', 0x1b]));
        assert!(!looks_binary(
            b"from locust import HttpUser\n\tpass\r\n\x0c"
        ));
        assert!(!looks_binary("caf\u{e9} = 1\n".as_bytes()));
        assert!(!looks_binary(b""));
    }
}
