//! The CI gate: decides, from everything `cov audit` found, whether the run
//! fails (exit 1), and says why in plain sentences.
//!
//! - Without a baseline or `--fail-under`: any missing endpoint fails.
//!
//! Each reason is printed on stderr as `cov: REASON`.
//! - `--fail-under PCT`: coverage below PCT fails (missing endpoints alone do not).
//! - `--baseline FILE`: missing endpoints not in the file fail.
//! - `--strict`: skip rules that are stale or expired fail.
//! - `--check`: a tracking document that is missing or out of date fails.
//! - `--fail-on-failures`: endpoints failing at run time fail.

use crate::audit::{Audit, RuntimeStatus, Status};
use crate::baseline::Ratchet;
use crate::report::markdown::percent;

/// How many endpoints a reason lists by name.
const LISTED: usize = 10;

/// What the gate looks at besides the audit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules<'a> {
    pub fail_under: Option<f64>,
    pub ratchet: Option<&'a Ratchet>,
    pub strict: bool,
    /// Skip rules that are stale or expired.
    pub skip_attention: usize,
    /// `--check` found the document missing or different; names it.
    pub stale_document: Option<&'a str>,
    pub fail_on_failures: bool,
}

/// Why the gate failed; empty when it passes.
pub fn evaluate(audit: &Audit, rules: &Rules<'_>) -> Vec<String> {
    let mut reasons = Vec::new();
    let missing = audit
        .endpoints
        .iter()
        .filter(|e| e.status == Status::Missing)
        .count();
    if let Some(ratchet) = rules.ratchet {
        if !ratchet.new_gaps.is_empty() {
            let names: Vec<String> = ratchet
                .new_gaps
                .iter()
                .map(|(path, method)| format!("{method} {path}"))
                .collect();
            reasons.push(format!(
                "{} endpoint{} without a load test not in the baseline: {}",
                names.len(),
                plural(names.len()),
                list(&names)
            ));
        }
    }
    if let Some(threshold) = rules.fail_under {
        if audit.summary.percent < threshold {
            reasons.push(format!(
                "coverage {} is below --fail-under {threshold}%",
                percent(audit.summary.percent),
            ));
        }
    }
    if rules.ratchet.is_none() && rules.fail_under.is_none() && missing > 0 {
        reasons.push(format!(
            "{} of {} endpoint{} without a load test",
            missing,
            audit.summary.total,
            plural(audit.summary.total),
        ));
    }
    if rules.strict && rules.skip_attention > 0 {
        reasons.push(format!(
            "{} skip rule{} stale or expired (--strict)",
            rules.skip_attention,
            if rules.skip_attention == 1 {
                " is"
            } else {
                "s are"
            }
        ));
    }
    if let Some(doc) = rules.stale_document {
        reasons.push(format!("{doc} is out of date: run `cov audit --write`"));
    }
    if rules.fail_on_failures {
        let failing: Vec<String> = audit
            .endpoints
            .iter()
            .filter(|e| e.runtime_status == Some(RuntimeStatus::Failing))
            .map(|e| format!("{} {}", e.method, e.path))
            .collect();
        if !failing.is_empty() {
            reasons.push(format!(
                "{} endpoint{} failing at run time: {}",
                failing.len(),
                plural(failing.len()),
                list(&failing)
            ));
        }
    }
    reasons
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(LISTED).map(String::as_str).collect();
    let more = names.len().saturating_sub(LISTED);
    if more > 0 {
        format!("{}, and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::Method;
    use crate::skip::tests::{audit, endpoint};

    fn sample() -> Audit {
        audit(vec![
            endpoint(Method::Get, "/a", "g", Status::Covered),
            endpoint(Method::Get, "/b", "g", Status::Missing),
            endpoint(Method::Get, "/c", "g", Status::Skipped),
        ])
    }

    #[test]
    fn any_missing_endpoint_fails_by_default() {
        assert_eq!(
            evaluate(&sample(), &Rules::default()),
            ["1 of 3 endpoints without a load test"]
        );
        let all = audit(vec![endpoint(Method::Get, "/a", "g", Status::Covered)]);
        assert!(evaluate(&all, &Rules::default()).is_empty());
    }

    #[test]
    fn fail_under_is_a_threshold() {
        let pass = Rules {
            fail_under: Some(50.0),
            ..Rules::default()
        };
        assert!(evaluate(&sample(), &pass).is_empty());
        let fail = Rules {
            fail_under: Some(60.0),
            ..Rules::default()
        };
        assert_eq!(
            evaluate(&sample(), &fail),
            ["coverage 50.0% is below --fail-under 60%"]
        );
    }

    #[test]
    fn baseline_fails_only_on_new_gaps() {
        let old = Ratchet::default();
        assert!(evaluate(
            &sample(),
            &Rules {
                ratchet: Some(&old),
                ..Rules::default()
            }
        )
        .is_empty());
        let new = Ratchet {
            new_gaps: vec![("/b".into(), Method::Get)],
            ..Ratchet::default()
        };
        assert_eq!(
            evaluate(
                &sample(),
                &Rules {
                    ratchet: Some(&new),
                    ..Rules::default()
                }
            ),
            ["1 endpoint without a load test not in the baseline: GET /b"]
        );
    }

    #[test]
    fn strict_stale_document_and_lists_are_bounded() {
        let rules = Rules {
            fail_under: Some(0.0),
            strict: true,
            skip_attention: 2,
            stale_document: Some("todo/locust-coverage.md"),
            ..Rules::default()
        };
        assert_eq!(
            evaluate(&sample(), &rules),
            [
                "2 skip rules are stale or expired (--strict)",
                "todo/locust-coverage.md is out of date: run `cov audit --write`"
            ]
        );
        let names: Vec<String> = (0..12).map(|i| i.to_string()).collect();
        assert_eq!(list(&names), "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, and 2 more");
    }
}
