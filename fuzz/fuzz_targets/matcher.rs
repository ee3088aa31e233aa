//! The matcher on arbitrary templates and lookup paths: input is lines,
//! the first half templates, the rest calls; never a panic.
#![no_main]

use cov::matcher::{Index, MatchOptions};
use cov::method::Method;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = text.lines().collect();
    let (templates, calls) = lines.split_at(lines.len() / 2);
    let aliases: Vec<String> = calls.iter().take(1).map(|s| s.to_string()).collect();
    let catch_all: Vec<Vec<String>> = templates
        .iter()
        .map(|t| t.split('{').skip(1).take(1).map(|s| s.chars().take(4).collect()).collect())
        .collect();
    for strict_slashes in [false, true] {
        let opts = MatchOptions {
            aliases: &aliases,
            strict_slashes,
            catch_all: &catch_all,
        };
        let index = Index::from_templates(
            templates.first().copied().unwrap_or(""),
            templates
                .iter()
                .enumerate()
                .map(|(i, t)| (Method::ALL[i % Method::ALL.len()], *t)),
            &opts,
        );
        for (i, call) in calls.iter().enumerate() {
            let _ = index.lookup(Method::ALL[i % Method::ALL.len()], call);
        }
    }
});
