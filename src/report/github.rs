//! GitHub Actions workflow commands: `::error` annotations for missing
//! endpoints (at the declaring router line when known) and unmatched calls
//! (at the locustfile line), `::warning` for everything worth a look, and a
//! `::notice` with the totals, skipped count included.

use std::io::{self, Write};

use crate::audit::{Audit, Status};
use crate::report::markdown::percent;

/// Writes one workflow command per finding.
pub fn write<W: Write>(out: &mut W, audit: &Audit) -> io::Result<()> {
    for e in audit
        .endpoints
        .iter()
        .filter(|e| e.status == Status::Missing)
    {
        let (file, line) = match &e.declared_at {
            Some(d) => (Some(d.file.as_str()), d.line),
            None => (None, 0),
        };
        let message = format!("{} {} has no load test", e.method, e.path);
        command(out, "error", file, line, "Missing load test", &message)?;
    }
    for call in &audit.unmatched {
        let message = format!(
            "{} {} matches no endpoint of the spec: {}",
            call.method, call.url, call.reason
        );
        command(
            out,
            "error",
            Some(&call.file),
            call.line,
            "Unmatched call",
            &message,
        )?;
    }
    for call in &audit.unresolved {
        let message = format!("request not resolved statically: {}", call.reason);
        command(
            out,
            "warning",
            Some(&call.file),
            call.line,
            "Unresolved call",
            &message,
        )?;
    }
    for w in &audit.warnings {
        let file = (!w.file.is_empty()).then_some(w.file.as_str());
        command(out, "warning", file, w.line, &w.kind, &w.message)?;
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
    command(out, "notice", None, 0, "Locust coverage", &message)
}

/// One `::error` per reason the gate failed, so the run's summary says why.
pub fn write_gate<W: Write>(out: &mut W, reasons: &[String]) -> io::Result<()> {
    for reason in reasons {
        command(out, "error", None, 0, "Coverage gate", reason)?;
    }
    Ok(())
}

fn command<W: Write>(
    out: &mut W,
    level: &str,
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
    writeln!(out, "::{level} {}::{}", props.join(","), data(message))
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
        let mut out = Vec::new();
        write(&mut out, &a).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=app/items.py,line=12,title=Missing load test::DELETE /items/{id} has no load test\n\
             ::error title=Missing load test::GET /health has no load test\n\
             ::error file=load/locust%2Cfile.py,line=7,title=Unmatched call::GET /itemz matches no endpoint of the spec: no such path\n\
             ::warning file=cov.toml,line=4,title=stale-skip::100%25 stale%0Arule\n\
             ::notice title=Locust coverage::3 endpoints: 1 covered, 0 setup-only, 0 skipped, 2 missing (33.3%25 covered)\n"
        );
    }

    #[test]
    fn escapes_by_the_workflow_command_rules() {
        assert_eq!(data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(property("C:\\x,y%"), "C%3A\\x%2Cy%25");
    }
}
