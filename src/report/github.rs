//! GitHub Actions workflow commands, most important first and bounded:
//!
//! 1. one `::error title=Coverage gate::` per reason the gate failed;
//! 2. annotations anchored in a file: unmatched calls at the locustfile line,
//!    missing endpoints at the declaring router line;
//! 3. the rest: missing endpoints without a known declaration, unresolved
//!    calls, warnings, then a `::notice` with the totals.
//!
//! A missing endpoint is an `::error` only when it fails the gate (see
//! [`Levels`]). GitHub shows at most [`CAP`] annotations of each level per
//! step and drops the rest, so no more than that many of each level are
//! written, gate reasons and the closing lines included; when findings are
//! left off, one `::warning` says how many of each kind.

use std::io::{self, Write};

use crate::audit::{Audit, EndpointReport, Status};
use crate::report::markdown::percent;

/// Annotations of one level GitHub shows per step (errors, warnings and
/// notices each); it drops the rest.
pub const CAP: usize = 10;

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
    for reason in levels.reasons.iter().take(CAP) {
        command(out, Level::Error, None, 0, "Coverage gate", reason)?;
    }
    let mut findings = Vec::new();
    let missing: Vec<&EndpointReport> = audit
        .endpoints
        .iter()
        .filter(|e| e.status == Status::Missing)
        .collect();
    // Anchored in a file first.
    // An unmatched call does not fail the gate by itself: an error while
    // the gate fails, else a warning, so a passing check shows no red.
    let unmatched_level = if levels.reasons.is_empty() {
        Level::Warning
    } else {
        Level::Error
    };
    for call in &audit.unmatched {
        findings.push(Finding {
            level: unmatched_level,
            at: Some((call.file.as_str(), call.line)),
            title: "Unmatched call",
            message: format!(
                "{} {} matches no endpoint of the spec: {}",
                call.method, call.url, call.reason
            ),
            what: "unmatched calls",
        });
    }
    for e in missing.iter().filter(|e| e.declared_at.is_some()) {
        let at = e.declared_at.as_ref().map(|d| (d.file.as_str(), d.line));
        findings.push(gap(levels, e, at));
    }
    // Then the rest.
    for e in missing.iter().filter(|e| e.declared_at.is_none()) {
        findings.push(gap(levels, e, None));
    }
    for call in &audit.unresolved {
        findings.push(Finding {
            level: Level::Warning,
            at: Some((call.file.as_str(), call.line)),
            title: "Unresolved call",
            message: format!("request not resolved statically: {}", call.reason),
            what: "unresolved calls",
        });
    }
    for d in &audit.warnings {
        findings.push(Finding {
            level: Level::Warning,
            at: (!d.file.is_empty()).then_some((d.file.as_str(), d.line)),
            title: &d.kind,
            message: d.message.clone(),
            what: "warnings",
        });
    }

    // What each level may still show: errors after the gate's reasons,
    // notices before the totals, warnings before the overflow line when
    // there is one.
    let count = |level: Level| findings.iter().filter(|f| f.level == level).count();
    let errors = CAP.saturating_sub(levels.reasons.len());
    let notices = CAP - 1;
    let overflow = count(Level::Error) > errors || count(Level::Notice) > notices;
    let warnings = if overflow || count(Level::Warning) > CAP {
        CAP - 1
    } else {
        CAP
    };
    let mut room = [errors, warnings, notices];
    let mut left_off: Vec<(&str, usize)> = Vec::new();
    for f in &findings {
        let slot = &mut room[f.level as usize];
        if *slot == 0 {
            match left_off.iter_mut().find(|(w, _)| *w == f.what) {
                Some((_, n)) => *n += 1,
                None => left_off.push((f.what, 1)),
            }
            continue;
        }
        *slot -= 1;
        let (file, line) = match f.at {
            Some((file, line)) => (Some(file), line),
            None => (None, 0),
        };
        command(out, f.level, file, line, f.title, &f.message)?;
    }
    if !left_off.is_empty() {
        let kinds: Vec<String> = left_off
            .iter()
            .map(|(what, n)| format!("{n} more {what}"))
            .collect();
        let message = format!(
            "... and {} not annotated (see {})",
            kinds.join(", "),
            levels.document
        );
        command(out, Level::Warning, None, 0, "Locust coverage", &message)?;
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
    command(out, Level::Notice, None, 0, "Locust coverage", &message)
}

/// One annotation, before the levels' room is shared out.
struct Finding<'a> {
    level: Level,
    at: Option<(&'a str, u32)>,
    title: &'a str,
    message: String,
    /// The kind, as the overflow line counts it.
    what: &'static str,
}

fn gap<'a>(levels: &Levels<'_>, e: &EndpointReport, at: Option<(&'a str, u32)>) -> Finding<'a> {
    Finding {
        level: levels.gap(e),
        at,
        title: "Missing load test",
        message: format!("{} {} has no load test", e.method, e.path),
        what: "missing endpoints",
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
    fn no_level_exceeds_what_github_shows_per_step() {
        let many = (0..15)
            .map(|i| endpoint(Method::Get, &format!("/e{i:03}"), "g", Status::Missing))
            .collect();
        let mut a = audit(many);
        a.warnings = (1..=12)
            .map(|i| Diagnostic::new("locustfile.py", i, 1, "unreached", "not counted"))
            .collect();
        let reasons = vec!["3 of 15 endpoints without a load test".to_string()];
        let levels = Levels {
            reasons: &reasons,
            gaps_fail: true,
            document: "doc.md",
            ..Levels::default()
        };
        let mut out = Vec::new();
        write(&mut out, &a, &levels).unwrap();
        let text = String::from_utf8(out).unwrap();
        // The gate's reason and nine gaps; nine warnings and the overflow line.
        assert_eq!(text.matches("::error ").count(), CAP, "{text}");
        assert_eq!(
            text.matches("::error title=Missing load test::").count(),
            CAP - 1,
            "{text}"
        );
        assert_eq!(text.matches("::warning ").count(), CAP, "{text}");
        assert!(
            text.contains("::warning title=Locust coverage::... and 6 more missing endpoints, 3 more warnings not annotated (see doc.md)\n"),
            "{text}"
        );
        assert_eq!(text.matches("::notice ").count(), 1, "{text}");

        // With room for every finding, nothing is left off.
        let mut a = audit(
            (0..3)
                .map(|i| endpoint(Method::Get, &format!("/e{i}"), "g", Status::Missing))
                .collect(),
        );
        a.warnings = (1..=CAP as u32)
            .map(|i| Diagnostic::new("locustfile.py", i, 1, "unreached", "not counted"))
            .collect();
        let mut out = Vec::new();
        write(&mut out, &a, &levels).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("::warning ").count(), CAP, "{text}");
        assert!(!text.contains("not annotated"), "{text}");
    }

    #[test]
    fn an_unmatched_call_is_an_error_only_while_the_gate_fails() {
        let mut a = audit(vec![endpoint(
            Method::Get,
            "/items",
            "app/items.py",
            Status::Covered,
        )]);
        a.unmatched.push(UnmatchedCall {
            file: "locustfile.py".into(),
            line: 7,
            method: Method::Get,
            url: "/itemz".into(),
            reason: "no such path".into(),
        });
        let passing = Levels {
            document: "doc.md",
            ..Levels::default()
        };
        let mut out = Vec::new();
        write(&mut out, &a, &passing).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("::warning file=locustfile.py,line=7,title=Unmatched call::"),
            "{text}"
        );
        assert!(!text.contains("::error"), "{text}");
        let reasons = vec!["doc.md is out of date: run `cov audit --write`".to_string()];
        let failing = Levels {
            reasons: &reasons,
            ..passing
        };
        let mut out = Vec::new();
        write(&mut out, &a, &failing).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("::error file=locustfile.py,line=7,title=Unmatched call::"),
            "{text}"
        );
    }

    #[test]
    fn escapes_by_the_workflow_command_rules() {
        assert_eq!(data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(property("C:\\x,y%"), "C%3A\\x%2Cy%25");
    }
}
