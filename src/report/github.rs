//! GitHub Actions workflow commands, most important first and bounded:
//!
//! 1. one `::error title=Coverage gate::` per reason the gate failed;
//! 2. annotations anchored in a file: unmatched calls at the locustfile line,
//!    missing endpoints at the declaring router line;
//! 3. the rest: missing endpoints without a known declaration, unresolved
//!    calls, warnings, then a `::notice` with the totals.
//!
//! A missing endpoint is an `::error` only when it fails the gate (see
//! [`Levels`]). GitHub shows only the first few annotations of each level, so
//! at most [`CAP`] per-finding annotations of each level are written, then
//! one `::warning` saying how many more there are.

use std::io::{self, Write};

use crate::audit::{Audit, EndpointReport, Status};
use crate::report::markdown::percent;

/// Per-finding annotations written at most, per level.
pub const CAP: usize = 50;

/// A workflow command's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
    Notice,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
        }
    }
}

/// What the gate decided, as far as the annotations need it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Levels<'a> {
    /// Why the gate failed; empty when it passed.
    pub reasons: &'a [String],
    /// Missing endpoints fail the gate: always with the default gate, under
    /// `--fail-under` only when coverage is below it.
    pub gaps_fail: bool,
    /// With a baseline: the missing endpoints not in it (`(path, method)`).
    pub new_gaps: Option<&'a [crate::baseline::Entry]>,
    /// Where the tracking document lives, for the overflow line.
    pub document: &'a str,
}

impl Levels<'_> {
    /// The level of a missing endpoint's annotation.
    fn gap(&self, e: &EndpointReport) -> Level {
        if let Some(new) = self.new_gaps {
            return if new.iter().any(|(p, m)| *p == e.path && *m == e.method) {
                Level::Error
            } else {
                Level::Notice
            };
        }
        if self.gaps_fail {
            Level::Error
        } else {
            Level::Warning
        }
    }
}

/// Writes the gate's reasons, then one workflow command per finding.
pub fn write<W: Write>(out: &mut W, audit: &Audit, levels: &Levels<'_>) -> io::Result<()> {
    for reason in levels.reasons {
        command(out, Level::Error, None, 0, "Coverage gate", reason)?;
    }
    let mut w = Capped {
        out,
        written: [0; 3],
        left_off: Vec::new(),
    };
    let missing: Vec<&EndpointReport> = audit
        .endpoints
        .iter()
        .filter(|e| e.status == Status::Missing)
        .collect();
    // Anchored in a file first.
    for call in &audit.unmatched {
        let message = format!(
            "{} {} matches no endpoint of the spec: {}",
            call.method, call.url, call.reason
        );
        let at = Some((call.file.as_str(), call.line));
        w.finding(
            Level::Error,
            at,
            "Unmatched call",
            &message,
            "unmatched calls",
        )?;
    }
    for e in missing.iter().filter(|e| e.declared_at.is_some()) {
        let at = e.declared_at.as_ref().map(|d| (d.file.as_str(), d.line));
        gap(&mut w, levels, e, at)?;
    }
    // Then the rest.
    for e in missing.iter().filter(|e| e.declared_at.is_none()) {
        gap(&mut w, levels, e, None)?;
    }
    for call in &audit.unresolved {
        let message = format!("request not resolved statically: {}", call.reason);
        let at = Some((call.file.as_str(), call.line));
        w.finding(
            Level::Warning,
            at,
            "Unresolved call",
            &message,
            "unresolved calls",
        )?;
    }
    for d in &audit.warnings {
        let at = (!d.file.is_empty()).then_some((d.file.as_str(), d.line));
        w.finding(Level::Warning, at, &d.kind, &d.message, "warnings")?;
    }
    let left_off = std::mem::take(&mut w.left_off);
    for (what, n) in left_off {
        let message = format!(
            "... and {n} more {what} not annotated (see {})",
            levels.document
        );
        command(w.out, Level::Warning, None, 0, "Locust coverage", &message)?;
    }
    let t = &audit.summary;
    let message = format!(
        "{} endpoint{}: {} covered, {} setup-only, {} skipped, {} missing ({} covered)",
        t.total,
        if t.total == 1 { "" } else { "s" },
        t.covered,
        t.setup_only,
        t.skipped,
        t.missing,
        percent(t.percent)
    );
    command(w.out, Level::Notice, None, 0, "Locust coverage", &message)
}

fn gap<W: Write>(
    w: &mut Capped<'_, W>,
    levels: &Levels<'_>,
    e: &EndpointReport,
    at: Option<(&str, u32)>,
) -> io::Result<()> {
    let message = format!("{} {} has no load test", e.method, e.path);
    w.finding(
        levels.gap(e),
        at,
        "Missing load test",
        &message,
        "missing endpoints",
    )
}

/// Writes findings up to [`CAP`] per level and counts the rest by kind.
struct Capped<'a, W: Write> {
    out: &'a mut W,
    written: [usize; 3],
    /// `(what, how many)` left off, in the order first met.
    left_off: Vec<(&'static str, usize)>,
}

impl<W: Write> Capped<'_, W> {
    fn finding(
        &mut self,
        level: Level,
        at: Option<(&str, u32)>,
        title: &str,
        message: &str,
        what: &'static str,
    ) -> io::Result<()> {
        let slot = &mut self.written[level as usize];
        if *slot >= CAP {
            match self.left_off.iter_mut().find(|(w, _)| *w == what) {
                Some((_, n)) => *n += 1,
                None => self.left_off.push((what, 1)),
            }
            return Ok(());
        }
        *slot += 1;
        let (file, line) = match at {
            Some((file, line)) => (Some(file), line),
            None => (None, 0),
        };
        command(self.out, level, file, line, title, message)
    }
}

fn command<W: Write>(
    out: &mut W,
    level: Level,
    file: Option<&str>,
    line: u32,
    title: &str,
    message: &str,
) -> io::Result<()> {
    let mut props = Vec::new();
    if let Some(file) = file {
        props.push(format!("file={}", property(file)));
        if line > 0 {
            props.push(format!("line={line}"));
        }
    }
    props.push(format!("title={}", property(title)));
    writeln!(
        out,
        "::{} {}::{}",
        level.name(),
        props.join(","),
        data(message)
    )
}

/// Escapes a command's message: `%`, CR and LF.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as [`data`], plus `:` and `,`.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Declaration, UnmatchedCall};
    use crate::diag::Diagnostic;
    use crate::method::Method;
    use crate::skip::tests::{audit, endpoint};

    #[test]
    fn annotates_missing_unmatched_and_warnings() {
        let mut declared = endpoint(
            Method::Delete,
            "/items/{id}",
            "app/items.py",
            Status::Missing,
        );
        declared.declared_at = Some(Declaration {
            file: "app/items.py".into(),
            line: 12,
        });
        let mut a = audit(vec![
            declared,
            endpoint(Method::Get, "/items", "app/items.py", Status::Covered),
            endpoint(Method::Get, "/health", "app/main.py", Status::Missing),
        ]);
        a.unmatched.push(UnmatchedCall {
            file: "load/locust,file.py".into(),
            line: 7,
            method: Method::Get,
            url: "/itemz".into(),
            reason: "no such path".into(),
        });
        a.warnings.push(Diagnostic::new(
            "cov.toml",
            4,
            0,
            "stale-skip",
            "100% stale\nrule",
        ));
        let reasons = vec!["2 of 3 endpoints without a load test".to_string()];
        let levels = Levels {
            reasons: &reasons,
            gaps_fail: true,
            new_gaps: None,
            document: "todo/locust-coverage.md",
        };
        let mut out = Vec::new();
        write(&mut out, &a, &levels).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error title=Coverage gate::2 of 3 endpoints without a load test\n\
             ::error file=load/locust%2Cfile.py,line=7,title=Unmatched call::GET /itemz matches no endpoint of the spec: no such path\n\
             ::error file=app/items.py,line=12,title=Missing load test::DELETE /items/{id} has no load test\n\
             ::error title=Missing load test::GET /health has no load test\n\
             ::warning file=cov.toml,line=4,title=stale-skip::100%25 stale%0Arule\n\
             ::notice title=Locust coverage::3 endpoints: 1 covered, 0 setup-only, 0 skipped, 2 missing (33.3%25 covered)\n"
        );
    }

    #[test]
    fn gaps_that_do_not_fail_the_gate_are_warnings_or_notices() {
        let a = audit(vec![
            endpoint(Method::Get, "/a", "g", Status::Missing),
            endpoint(Method::Get, "/b", "g", Status::Missing),
        ]);
        let relaxed = Levels {
            document: "doc.md",
            ..Levels::default()
        };
        let mut out = Vec::new();
        write(&mut out, &a, &relaxed).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("::warning title=Missing load test::GET /a has no load test\n::warning title=Missing load test::GET /b"), "{text}");
        let new_gaps = vec![("/b".to_string(), Method::Get)];
        let ratchet = Levels {
            new_gaps: Some(&new_gaps),
            ..relaxed
        };
        let mut out = Vec::new();
        write(&mut out, &a, &ratchet).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("::notice title=Missing load test::GET /a has no load test\n::error title=Missing load test::GET /b"), "{text}");
    }

    #[test]
    fn at_most_cap_annotations_per_level_then_one_summary() {
        let many = (0..CAP + 7)
            .map(|i| endpoint(Method::Get, &format!("/e{i:03}"), "g", Status::Missing))
            .collect();
        let levels = Levels {
            gaps_fail: true,
            document: "todo/locust-coverage.md",
            ..Levels::default()
        };
        let mut out = Vec::new();
        write(&mut out, &audit(many), &levels).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("::error ").count(), CAP, "{text}");
        assert!(text.contains("::warning title=Locust coverage::... and 7 more missing endpoints not annotated (see todo/locust-coverage.md)\n::notice"), "{text}");
    }

    #[test]
    fn escapes_by_the_workflow_command_rules() {
        assert_eq!(data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(property("C:\\x,y%"), "C%3A\\x%2Cy%25");
    }
}
