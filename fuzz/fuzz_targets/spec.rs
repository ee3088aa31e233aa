//! The spec loader on arbitrary bytes (JSON and YAML): an endpoint list or
//! an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cov::spec::parse(data, "openapi.json");
    let _ = cov::spec::parse(data, "openapi.yaml");
});
