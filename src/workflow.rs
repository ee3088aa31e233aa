//! What `cov audit` does once the audit is built: applies the skip rules,
//! prints the Markdown and GitHub formats, writes or checks the tracking
//! document, reads or records the baseline, and runs the gate.
//!
//! The command calls [`apply_skips`] before printing any report (so every
//! format shows the skipped endpoints), [`print`] for the formats this module
//! owns, and [`finish`] last for the exit status.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::audit::Audit;
use crate::baseline::{self, Baseline};
use crate::cli::AuditFormat;
use crate::config::Settings;
use crate::date::Date;
use crate::document::{self, Check, Written};
use crate::exit;
use crate::gate::{self, Rules};
use crate::report::github;
use crate::run::Context;
use crate::skip::{self, SkipOutcome};

/// Applies the config's skip rules with today's date (`COV_TODAY` or the clock).
pub fn apply_skips(audit: &mut Audit, settings: &Settings) -> anyhow::Result<SkipOutcome> {
    if settings.skips.is_empty() {
        return Ok(SkipOutcome::default());
    }
    let today = Date::today()?;
    Ok(skip::apply(audit, &settings.skips, today))
}

/// The audit as the tracking document shows it: file paths relative to the
/// config file's directory.
fn document_view(audit: &Audit, settings: &Settings) -> anyhow::Result<Audit> {
    match &settings.root {
        Some(root) => document::rebase(audit, root),
        None => Ok(audit.clone()),
    }
}

/// Prints the formats this module owns; `false` for the others (table, JSON).
pub fn print<W: Write>(
    out: &mut W,
    audit: &Audit,
    settings: &Settings,
    format: AuditFormat,
) -> anyhow::Result<bool> {
    match format {
        AuditFormat::Markdown => {
            // The same bytes `--write` would write, notes included.
            let path = settings.output();
            let existing = document::read(&path)?;
            let audit = document_view(audit, settings)?;
            let text = document::render(&audit, existing.as_deref(), &path)?;
            out.write_all(text.as_bytes())?;
        }
        // Written by [`finish`], once the gate has decided what is an error.
        AuditFormat::Github => return Ok(true),
        AuditFormat::Table | AuditFormat::Json => return Ok(false),
    }
    out.flush()?;
    Ok(true)
}

/// Writes or checks the document, handles the baseline, and runs the gate.
/// Messages go to stderr (unless `--quiet`, which keeps only why the gate
/// failed); stdout holds only the report.
pub fn finish(
    audit: &Audit,
    settings: &Settings,
    skips: &SkipOutcome,
    ctx: &Context,
) -> anyhow::Result<ExitCode> {
    let args = &settings.args;
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let say = |err: &mut io::StderrLock<'_>, text: &str| {
        if !ctx.quiet {
            let _ = writeln!(err, "cov: {text}");
        }
    };

    let output = settings.output();
    let shown = output.display().to_string();
    let mut stale_document: Option<String> = None;
    if args.write {
        match document::write(&document_view(audit, settings)?, &output)? {
            Written::Created => say(&mut err, &format!("wrote {shown}")),
            Written::Updated => say(&mut err, &format!("updated {shown}")),
            Written::Unchanged => say(&mut err, &format!("{shown} is up to date")),
        }
    } else if args.check {
        match document::check(&document_view(audit, settings)?, &output)? {
            Check::UpToDate => {}
            Check::Missing => {
                stale_document = Some(format!(
                    "{shown} does not exist: create it with `cov audit --write`"
                ));
            }
            Check::Differs(diff) => {
                if !ctx.quiet {
                    let _ = err.write_all(diff.as_bytes());
                }
                stale_document = Some(format!("{shown} is out of date: run `cov audit --write`"));
            }
        }
    }

    let ratchet = match &args.baseline {
        None if args.update_baseline => anyhow::bail!(
            "--update-baseline needs a baseline file: pass --baseline FILE or set `baseline` \
             in the config file"
        ),
        None => None,
        Some(path) => Some(ratchet(audit, path, args.update_baseline, &mut |t| {
            say(&mut err, t)
        })?),
    };

    let rules = Rules {
        fail_under: args.fail_under,
        ratchet: ratchet.as_ref(),
        strict: args.strict,
        skip_attention: skips.attention(),
        stale_document: stale_document.as_deref(),
        fail_on_failures: args.fail_on_failures,
    };
    let reasons = gate::evaluate(audit, &rules);
    // Why the gate fails is printed even with `--quiet`: it explains exit 1.
    for reason in &reasons {
        let _ = writeln!(err, "cov: {reason}");
    }
    if args.format == AuditFormat::Github {
        let gaps_fail = match (&ratchet, args.fail_under) {
            (None, None) => true,
            (None, Some(threshold)) => audit.summary.percent < threshold,
            (Some(_), _) => false,
        };
        let levels = github::Levels {
            reasons: &reasons,
            gaps_fail,
            new_gaps: ratchet.as_ref().map(|r| r.new_gaps.as_slice()),
            document: &shown,
        };
        let stdout = io::stdout();
        let mut out = stdout.lock();
        github::write(&mut out, audit, &levels)?;
        out.flush()?;
    }
    Ok(if reasons.is_empty() {
        exit::ok()
    } else {
        exit::gate()
    })
}

fn ratchet(
    audit: &Audit,
    path: &Path,
    update: bool,
    say: &mut dyn FnMut(&str),
) -> anyhow::Result<baseline::Ratchet> {
    let shown = path.display();
    if update {
        let fresh = Baseline::from_audit(audit);
        fresh.write(path)?;
        say(&format!(
            "recorded {} missing endpoint{} in {shown}",
            fresh.entries.len(),
            if fresh.entries.len() == 1 { "" } else { "s" }
        ));
        return Ok(baseline::compare(&fresh, audit));
    }
    let recorded = Baseline::read(path)?;
    let ratchet = baseline::compare(&recorded, audit);
    if !ratchet.improved.is_empty() {
        let names: Vec<String> = ratchet
            .improved
            .iter()
            .map(|(p, m)| format!("{m} {p}"))
            .collect();
        say(&format!(
            "{} endpoint{} in the baseline {} no longer missing ({}): ratchet with \
             `cov audit --baseline {shown} --update-baseline`",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            if names.len() == 1 { "is" } else { "are" },
            names.join(", ")
        ));
    }
    if !ratchet.removed.is_empty() {
        let names: Vec<String> = ratchet
            .removed
            .iter()
            .map(|(p, m)| format!("{m} {p}"))
            .collect();
        say(&format!(
            "{} endpoint{} in the baseline {} not in the spec (removed?): {}; drop {} with \
             `cov audit --baseline {shown} --update-baseline`",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            if names.len() == 1 { "is" } else { "are" },
            names.join(", "),
            if names.len() == 1 { "it" } else { "them" },
        ));
    }
    Ok(ratchet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Status;
    use crate::config::resolve_audit;
    use crate::method::Method;
    use crate::skip::tests::{audit, endpoint};
    use clap::Parser;

    #[test]
    fn markdown_format_prints_what_write_would_write() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("doc.md");
        let cli = crate::cli::Cli::parse_from(["cov", "audit", "--output", out.to_str().unwrap()]);
        let crate::cli::Command::Audit(args) = cli.command else {
            unreachable!()
        };
        let settings = resolve_audit(&args, None, |_| None).unwrap();
        let a = audit(vec![endpoint(Method::Get, "/a", "g", Status::Missing)]);
        document::write(&a, &out).unwrap();
        let mut buf = Vec::new();
        assert!(print(&mut buf, &a, &settings, AuditFormat::Markdown).unwrap());
        assert_eq!(buf, std::fs::read(&out).unwrap());
        assert!(!print(&mut buf, &a, &settings, AuditFormat::Table).unwrap());
    }
}
