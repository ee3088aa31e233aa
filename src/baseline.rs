//! The baseline ratchet: a file listing the endpoints that had no load test
//! when it was recorded, one `METHOD /path` a line, sorted like the audit
//! (path, then method) so it diffs well in review. With a baseline the gate
//! fails only on missing endpoints that are not listed; listed endpoints
//! that are no longer missing are improvements (time to update the file).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{bail, Context as _};

use crate::audit::{Audit, Status};
use crate::document;
use crate::method::Method;

/// One endpoint as the baseline names it, ordered by path then method.
pub type Entry = (String, Method);

/// A recorded baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    pub entries: BTreeSet<Entry>,
}

const HEADER: &str = "\
# cov baseline: endpoints that had no load test when this file was recorded.
# `cov audit --baseline FILE` fails only on missing endpoints not listed here;
# `cov audit --baseline FILE --update-baseline` rewrites this file.
";

impl Baseline {
    /// Today's missing endpoints.
    pub fn from_audit(audit: &Audit) -> Baseline {
        Baseline {
            entries: missing(audit).collect(),
        }
    }

    /// Parses a baseline; blank lines and `#` comments are ignored.
    pub fn parse(text: &str, shown: &str) -> anyhow::Result<Baseline> {
        let mut entries = BTreeSet::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(method), Some(path), None) = (parts.next(), parts.next(), parts.next())
            else {
                bail!(
                    "{shown}:{}: expected `METHOD /path`, found {line:?}; \
                     regenerate the file with --update-baseline",
                    i + 1
                );
            };
            let Some(method) = Method::parse(method) else {
                bail!("{shown}:{}: `{method}` is not an HTTP method", i + 1);
            };
            if !path.starts_with('/') {
                bail!(
                    "{shown}:{}: `{path}` is not a path (it must start with `/`)",
                    i + 1
                );
            }
            entries.insert((path.to_string(), method));
        }
        Ok(Baseline { entries })
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let mut out = String::from(HEADER);
        for (path, method) in &self.entries {
            out.push_str(&format!("{method} {path}\n"));
        }
        out
    }

    /// Reads a baseline file; a missing file is an error that says how to create it.
    pub fn read(path: &Path) -> anyhow::Result<Baseline> {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                "baseline {shown} does not exist: record it with \
                 `cov audit --baseline {shown} --update-baseline`"
            ),
            Err(e) => return Err(e).with_context(|| format!("cannot read baseline {shown}")),
        };
        Baseline::parse(&text, &shown)
    }

    /// Writes the baseline atomically.
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        document::write_atomic(path, self.render().as_bytes())
    }
}

fn missing(audit: &Audit) -> impl Iterator<Item = Entry> + '_ {
    audit
        .endpoints
        .iter()
        .filter(|e| e.status == Status::Missing)
        .map(|e| (e.path.to_string(), e.method))
}

/// Today's audit against a baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ratchet {
    /// Missing now, not in the baseline: these fail the gate.
    pub new_gaps: Vec<Entry>,
    /// In the baseline and the spec, no longer missing (covered or skipped).
    pub improved: Vec<Entry>,
    /// In the baseline, not in the spec (removed or renamed).
    pub removed: Vec<Entry>,
}

/// Compares today's missing endpoints with the baseline.
pub fn compare(baseline: &Baseline, audit: &Audit) -> Ratchet {
    let now: BTreeSet<Entry> = missing(audit).collect();
    let in_spec: BTreeSet<Entry> = audit
        .endpoints
        .iter()
        .map(|e| (e.path.to_string(), e.method))
        .collect();
    let (improved, removed) = baseline
        .entries
        .difference(&now)
        .cloned()
        .partition(|entry| in_spec.contains(entry));
    Ratchet {
        new_gaps: now.difference(&baseline.entries).cloned().collect(),
        improved,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skip::tests::{audit, endpoint};

    #[test]
    fn round_trips_sorted_by_path_then_method() {
        let a = audit(vec![
            endpoint(Method::Post, "/b", "g", Status::Missing),
            endpoint(Method::Get, "/b", "g", Status::Missing),
            endpoint(Method::Get, "/a", "g", Status::Missing),
            endpoint(Method::Get, "/c", "g", Status::Covered),
        ]);
        let text = Baseline::from_audit(&a).render();
        assert!(text.ends_with("GET /a\nGET /b\nPOST /b\n"), "{text}");
        assert_eq!(
            Baseline::parse(&text, "b.txt").unwrap(),
            Baseline::from_audit(&a)
        );
    }

    #[test]
    fn rejects_malformed_lines_with_their_number() {
        let err = Baseline::parse("# c\nGET /a\nGET\n", "b.txt")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("b.txt:3:"), "{err}");
        assert!(Baseline::parse("FETCH /a\n", "b").is_err());
        assert!(Baseline::parse("GET a\n", "b").is_err());
        assert!(Baseline::parse("GET /a extra\n", "b").is_err());
    }

    #[test]
    fn ratchet_fails_only_on_new_gaps() {
        let base = Baseline::parse("GET /a\nGET /b\nGET /gone\n", "b").unwrap();
        let a = audit(vec![
            endpoint(Method::Get, "/a", "g", Status::Missing),
            endpoint(Method::Get, "/b", "g", Status::Covered),
            endpoint(Method::Get, "/c", "g", Status::Missing),
        ]);
        let r = compare(&base, &a);
        assert_eq!(r.new_gaps, [("/c".to_string(), Method::Get)]);
        assert_eq!(r.improved, [("/b".to_string(), Method::Get)]);
        assert_eq!(r.removed, [("/gone".to_string(), Method::Get)]);
    }
}
