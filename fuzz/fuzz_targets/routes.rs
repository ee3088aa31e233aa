//! The FastAPI router reader on arbitrary source text: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = cov::routes::read_sources(&[("app/main.py", &text)]);
});
