//! Telling a source file from binary data before it is tokenized: a file
//! full of NUL bytes, mostly control bytes, or largely invalid UTF-8
//! (compressed or random data) is not Python. A stray NUL or a Latin-1
//! comment in an otherwise textual file is left to the tokenizer's warnings.

/// How much of a file is looked at.
const SAMPLE: usize = 8 * 1024;

/// True when `bytes` are clearly not text: in the first 8 KB, NUL bytes
/// make more than 1% of the bytes, control bytes more than 30% (tab, LF,
/// CR and form feed are text), or bytes that are not valid UTF-8 more than
/// 10% (and at least 8 of them).
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
    if control * 10 > sample.len() * 3 {
        return true;
    }
    // A few stray bytes in a tiny file are the tokenizer's to report.
    let invalid = invalid_utf8(sample);
    invalid >= 8 && invalid * 10 > sample.len()
}

/// How many bytes of `sample` are not part of valid UTF-8 (a character cut
/// at the sample's end counts as valid).
fn invalid_utf8(mut sample: &[u8]) -> usize {
    let mut invalid = 0;
    while let Err(e) = std::str::from_utf8(sample) {
        let Some(len) = e.error_len() else { break };
        invalid += len;
        sample = sample.get(e.valid_up_to() + len..).unwrap_or_default();
    }
    invalid
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

    #[test]
    fn compressed_or_random_data_is_binary_but_latin1_comments_are_not() {
        // Bytes as a compressor or a random source writes them: few NUL or
        // control bytes, mostly invalid UTF-8.
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        assert!(looks_binary(&noise));
        let mut latin1 = b"from locust import HttpUser\n".to_vec();
        for _ in 0..50 {
            latin1.extend_from_slice(
                b"# the caf\xe9 endpoint answers slowly\nx = self.client.get(\"/x\")\n",
            );
        }
        assert!(!looks_binary(&latin1));
        // A character cut at the end of the sample is not an error.
        let mut long = "\u{e9}".repeat(5000).into_bytes();
        long.truncate(8 * 1024 + 1);
        assert!(!looks_binary(&long));
    }
}
