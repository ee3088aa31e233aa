//! The locustfile scanner on arbitrary bytes: never a panic.
#![no_main]

use cov::scanner::{discover::Input, scan_inputs};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = scan_inputs(vec![Input {
        path: "locustfile.py".to_string(),
        bytes: data.to_vec(),
        required: true,
    }]);
});
