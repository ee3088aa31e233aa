//! Governed skips: rules from the config that exclude endpoints from the
//! gate, each with a required reason, an optional link and an optional
//! `until` date. Applying them to an [`Audit`] turns matching missing and
//! setup-only endpoints into `skipped`, and reports every rule that needs a
//! person's attention: expired, matching nothing, or skipping an endpoint
//! that is in fact covered (stale).

use std::fmt;

use crate::audit::{Audit, SkipInfo, Status};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::method::Method;

/// Diagnostic kind of a rule that matches no endpoint or skips a covered one.
pub const STALE: &str = "stale-skip";
/// Diagnostic kind of a rule whose `until` date has passed.
pub const EXPIRED: &str = "expired-skip";

/// One validated skip rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkipRule {
    /// `None` for `"*"` (every method).
    pub method: Option<Method>,
    /// The path pattern as written.
    pub path: String,
    pub reason: String,
    pub link: Option<String>,
    pub until: Option<Date>,
    /// Config file that declares the rule, and the rule's 1-based line.
    pub file: String,
    pub line: u32,
    pattern: Vec<Piece>,
}

/// One `/`-separated piece of a path pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// `**`: any number of segments, none included.
    Any,
    /// A segment pattern: literal text, `{param}` (any parameter name) and
    /// `*` (any run of characters) inside one segment.
    Segment(Vec<Atom>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Text(String),
    Param,
    Star,
}

impl SkipRule {
    /// Validates a rule; the error says what is wrong, without the location
    /// (the caller knows the file and line).
    pub fn new(
        method: &str,
        path: &str,
        reason: &str,
        link: Option<String>,
        until: Option<&str>,
        file: impl Into<String>,
        line: u32,
    ) -> Result<SkipRule, String> {
        let method = match method.trim() {
            "*" => None,
            name => Some(Method::parse(name).ok_or_else(|| {
                format!("`method = {name:?}` is not an HTTP method: use GET, POST, ... or \"*\"")
            })?),
        };
        if !path.starts_with('/') {
            return Err(format!("`path = {path:?}` must start with `/`"));
        }
        if reason.trim().is_empty() {
            return Err("`reason` is empty: say why this endpoint needs no load test".into());
        }
        let until = match until {
            None => None,
            Some(text) => Some(Date::parse(text.trim()).ok_or_else(|| {
                format!("`until = {text:?}` is not a date: write it as YYYY-MM-DD")
            })?),
        };
        let link = link.filter(|l| !l.trim().is_empty());
        Ok(SkipRule {
            method,
            path: path.to_string(),
            reason: reason.trim().to_string(),
            link,
            until,
            file: file.into(),
            line,
            pattern: compile(path)?,
        })
    }

    /// Whether the rule names this endpoint.
    pub fn matches(&self, method: Method, path: &str) -> bool {
        if self.method.is_some_and(|m| m != method) {
            return false;
        }
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        match_pieces(&self.pattern, &segments)
    }

    /// Whether the rule has expired on `today` (it still holds on its `until` day).
    pub fn expired(&self, today: Date) -> bool {
        self.until.is_some_and(|until| today > until)
    }
}

impl fmt::Display for SkipRule {
    /// `GET /servers/*/sse` or `* /health`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = self.method.map_or("*", Method::as_str);
        write!(f, "{method} {}", self.path)
    }
}

fn compile(path: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    for segment in path.split('/').skip(1) {
        if segment == "**" {
            pieces.push(Piece::Any);
            continue;
        }
        if segment.contains("**") {
            return Err(format!(
                "`path = {path:?}`: `**` must be a whole segment (`/a/**/b`)"
            ));
        }
        let mut atoms = Vec::new();
        let mut text = String::new();
        let mut chars = segment.chars();
        while let Some(c) = chars.next() {
            match c {
                '*' => {
                    flush(&mut text, &mut atoms);
                    atoms.push(Atom::Star);
                }
                '{' => {
                    let mut closed = false;
                    for c in chars.by_ref() {
                        if c == '}' {
                            closed = true;
                            break;
                        }
                    }
                    if !closed {
                        return Err(format!("`path = {path:?}`: `{{` without `}}`"));
                    }
                    flush(&mut text, &mut atoms);
                    atoms.push(Atom::Param);
                }
                _ => text.push(c),
            }
        }
        flush(&mut text, &mut atoms);
        pieces.push(Piece::Segment(atoms));
    }
    Ok(pieces)
}

fn flush(text: &mut String, atoms: &mut Vec<Atom>) {
    if !text.is_empty() {
        atoms.push(Atom::Text(std::mem::take(text)));
    }
}

/// Matches a whole endpoint path, split into segments after the leading `/`.
fn match_pieces(pieces: &[Piece], segments: &[&str]) -> bool {
    // `reach[j]`: the pieces so far can match the first `j` segments. One
    // pass per piece, so `**` costs no backtracking (polynomial, not
    // exponential, in the number of wildcards).
    let mut reach = vec![false; segments.len() + 1];
    if let Some(first) = reach.first_mut() {
        *first = true;
    }
    for piece in pieces {
        let mut next = vec![false; segments.len() + 1];
        match piece {
            Piece::Any => {
                let mut seen = false;
                for (to, from) in next.iter_mut().zip(&reach) {
                    seen |= *from;
                    *to = seen;
                }
            }
            Piece::Segment(atoms) => {
                for ((to, from), seg) in next.iter_mut().skip(1).zip(&reach).zip(segments) {
                    *to = *from && match_atoms(atoms, seg);
                }
            }
        }
        reach = next;
    }
    reach.last().copied().unwrap_or(false)
}

/// Matches one endpoint segment. A `{param}` in the pattern matches a
/// `{name}` of the endpoint whatever the names; `*` matches any text,
/// parameters included. Table-driven like [`match_pieces`]: `reach[p]` says
/// the atoms so far can match the segment's first `p` bytes.
fn match_atoms(atoms: &[Atom], segment: &str) -> bool {
    let mut reach = vec![false; segment.len() + 1];
    if let Some(first) = reach.first_mut() {
        *first = true;
    }
    for atom in atoms {
        let mut next = vec![false; segment.len() + 1];
        for (p, _) in reach.iter().enumerate().filter(|(_, r)| **r) {
            let Some(tail) = segment.get(p..) else {
                continue;
            };
            match atom {
                Atom::Text(text) => {
                    if tail.starts_with(text.as_str()) {
                        if let Some(to) = next.get_mut(p + text.len()) {
                            *to = true;
                        }
                    }
                }
                Atom::Param => {
                    if let (true, Some(end)) = (tail.starts_with('{'), tail.find('}')) {
                        if let Some(to) = next.get_mut(p + end + 1) {
                            *to = true;
                        }
                    }
                }
                Atom::Star => {
                    // Any text from here on: every later character boundary.
                    for (q, to) in next.iter_mut().enumerate().skip(p) {
                        if segment.is_char_boundary(q) {
                            *to = true;
                        }
                    }
                    break;
                }
            }
        }
        reach = next;
    }
    reach.last().copied().unwrap_or(false)
}

/// What applying the rules found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkipOutcome {
    /// Endpoints turned into `skipped`.
    pub skipped: usize,
    /// Rules matching nothing, or skipping covered endpoints.
    pub stale: Vec<Diagnostic>,
    /// Rules past their `until` date.
    pub expired: Vec<Diagnostic>,
}

impl SkipOutcome {
    /// Findings that fail the gate under `--strict`.
    pub fn attention(&self) -> usize {
        self.stale.len() + self.expired.len()
    }
}

/// Applies the rules in order (the first rule that matches an endpoint gives
/// its reason), adds the findings to the audit's warnings and recounts the
/// audit's totals.
pub fn apply(audit: &mut Audit, rules: &[SkipRule], today: Date) -> SkipOutcome {
    let mut outcome = SkipOutcome::default();
    for rule in rules {
        if rule.expired(today) {
            let until = rule.until.map(|d| d.to_string()).unwrap_or_default();
            outcome.expired.push(Diagnostic::new(
                &rule.file,
                rule.line,
                0,
                EXPIRED,
                format!(
                    "skip rule `{rule}` expired on {until}: it no longer skips anything; \
                     add a load test, or extend `until` with a reason"
                ),
            ));
            for endpoint in audit.endpoints.iter_mut() {
                if matches!(endpoint.status, Status::Missing | Status::SetupOnly)
                    && rule.matches(endpoint.method, &endpoint.path)
                {
                    endpoint
                        .notes
                        .push(format!("skip rule `{rule}` expired on {until}"));
                    endpoint.notes.sort();
                    endpoint.notes.dedup();
                }
            }
            continue;
        }
        let mut matched = 0usize;
        for endpoint in audit.endpoints.iter_mut() {
            if !rule.matches(endpoint.method, &endpoint.path) {
                continue;
            }
            matched += 1;
            match endpoint.status {
                Status::Missing | Status::SetupOnly => {
                    endpoint.status = Status::Skipped;
                    endpoint.skip = Some(Box::new(SkipInfo {
                        reason: rule.reason.clone(),
                        link: rule.link.clone(),
                        until: rule.until.map(|d| d.to_string()),
                    }));
                    outcome.skipped += 1;
                }
                Status::Skipped => {}
                Status::Covered => outcome.stale.push(Diagnostic::new(
                    &rule.file,
                    rule.line,
                    0,
                    STALE,
                    format!(
                        "skip rule `{rule}` names {} {}, which a load test covers: \
                         remove the rule or narrow its path",
                        endpoint.method, endpoint.path
                    ),
                )),
            }
        }
        if matched == 0 {
            outcome.stale.push(Diagnostic::new(
                &rule.file,
                rule.line,
                0,
                STALE,
                format!("skip rule `{rule}` matches no endpoint of the spec: remove or fix it"),
            ));
        }
    }
    audit.warnings.extend(outcome.stale.iter().cloned());
    audit.warnings.extend(outcome.expired.iter().cloned());
    audit.warnings.sort();
    audit.recount();
    outcome
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::audit::{Coverer, EndpointReport, GroupKind};
    use crate::site::ReachKind;

    fn rule(method: &str, path: &str) -> SkipRule {
        SkipRule::new(method, path, "because", None, None, "cov.toml", 1).unwrap()
    }

    #[test]
    fn many_wildcards_match_in_polynomial_time() {
        // Backtracking over every way to split the path took exponential
        // time on these; the table-driven match takes microseconds.
        let r = rule("*", &format!("{}/x", "/**".repeat(30)));
        let path = "/a".repeat(60);
        assert!(!r.matches(Method::Get, &path));
        assert!(r.matches(Method::Get, &format!("{path}/x")));
        let r = rule("*", &format!("/{}b", "*a".repeat(30)));
        let seg = format!("/{}", "a".repeat(80));
        assert!(!r.matches(Method::Get, &seg));
        assert!(r.matches(Method::Get, &format!("{seg}b")));
    }

    #[test]
    fn templates_match_whatever_the_parameter_names() {
        let r = rule("GET", "/servers/{id}/sse");
        assert!(r.matches(Method::Get, "/servers/{server_id}/sse"));
        assert!(!r.matches(Method::Post, "/servers/{server_id}/sse"));
        assert!(!r.matches(Method::Get, "/servers/all/sse"));
        assert!(!r.matches(Method::Get, "/servers/{id}/sse/x"));
    }

    #[test]
    fn star_is_one_segment_and_double_star_any_number() {
        let one = rule("*", "/servers/*/sse");
        assert!(one.matches(Method::Get, "/servers/{id}/sse"));
        assert!(one.matches(Method::Delete, "/servers/all/sse"));
        assert!(!one.matches(Method::Get, "/servers/a/b/sse"));
        assert!(!one.matches(Method::Get, "/servers/sse"));

        let any = rule("*", "/admin/**");
        assert!(any.matches(Method::Get, "/admin"));
        assert!(any.matches(Method::Get, "/admin/x"));
        assert!(any.matches(Method::Get, "/admin/x/{y}/z"));
        assert!(!any.matches(Method::Get, "/administrator"));

        let middle = rule("GET", "/**/sse");
        assert!(middle.matches(Method::Get, "/sse"));
        assert!(middle.matches(Method::Get, "/a/{b}/sse"));
        assert!(!middle.matches(Method::Get, "/a/sse/x"));

        let inside = rule("GET", "/files/*.json");
        assert!(inside.matches(Method::Get, "/files/{name}.json"));
        assert!(inside.matches(Method::Get, "/files/a.json"));
        assert!(!inside.matches(Method::Get, "/files/a.yaml"));
    }

    #[test]
    fn literal_paths_match_exactly_trailing_slash_included() {
        let r = rule("GET", "/health");
        assert!(r.matches(Method::Get, "/health"));
        assert!(!r.matches(Method::Get, "/health/"));
        assert!(!r.matches(Method::Get, "/healthz"));
    }

    #[test]
    fn invalid_rules_are_explained() {
        let err = |m: &str, p: &str, r: &str, u: Option<&str>| {
            SkipRule::new(m, p, r, None, u, "cov.toml", 1).unwrap_err()
        };
        assert!(err("FETCH", "/x", "r", None).contains("not an HTTP method"));
        assert!(err("GET", "x", "r", None).contains("must start with `/`"));
        assert!(err("GET", "/x", " ", None).contains("`reason` is empty"));
        assert!(err("GET", "/x", "r", Some("2027-02-30")).contains("not a date"));
        assert!(err("GET", "/a**", "r", None).contains("whole segment"));
        assert!(err("GET", "/{a", "r", None).contains("without"));
    }

    pub(crate) fn endpoint(
        method: Method,
        path: &str,
        group: &str,
        status: Status,
    ) -> EndpointReport {
        let covered_by = if status == Status::Missing {
            Vec::new()
        } else {
            vec![Coverer {
                user: "ApiUser".into(),
                task: if status == Status::SetupOnly {
                    "on_start".into()
                } else {
                    "browse".into()
                },
                kind: if status == Status::SetupOnly {
                    ReachKind::OnStart
                } else {
                    ReachKind::Task
                },
                file: "locustfile.py".into(),
                line: 10,
                url: path.into(),
            }]
        };
        EndpointReport {
            method,
            path: path.into(),
            group: group.into(),
            group_kind: GroupKind::File,
            status,
            operation_id: None,
            tags: Default::default(),
            covered_by,
            notes: Vec::new(),
            skip: None,
            declared_at: None,
            runtime: None,
            runtime_status: None,
        }
    }

    pub(crate) fn audit(endpoints: Vec<EndpointReport>) -> Audit {
        let mut audit = Audit {
            spec_title: Some("Demo API".into()),
            spec_version: Some("1.0".into()),
            summary: Default::default(),
            groups: Vec::new(),
            endpoints,
            unmatched: Vec::new(),
            unresolved: Vec::new(),
            warnings: Vec::new(),
            unattributed_stats: None,
        };
        audit.recount();
        audit
    }

    #[test]
    fn applies_rules_and_reports_stale_and_expired_ones() {
        let mut a = audit(vec![
            endpoint(Method::Get, "/health", "app.py", Status::Covered),
            endpoint(
                Method::Get,
                "/servers/{id}/sse",
                "servers.py",
                Status::Missing,
            ),
            endpoint(
                Method::Post,
                "/servers/{id}/sse",
                "servers.py",
                Status::SetupOnly,
            ),
            endpoint(Method::Get, "/old", "app.py", Status::Missing),
        ]);
        let today = Date::parse("2027-04-01").unwrap();
        let rules = vec![
            SkipRule::new(
                "*",
                "/servers/*/sse",
                "SSE",
                Some("https://x/1".into()),
                Some("2027-04-01"),
                "cov.toml",
                3,
            )
            .unwrap(),
            rule("GET", "/health"),
            rule("GET", "/nothing/**"),
            SkipRule::new(
                "GET",
                "/old",
                "later",
                None,
                Some("2027-03-31"),
                "cov.toml",
                9,
            )
            .unwrap(),
        ];
        let outcome = apply(&mut a, &rules, today);
        assert_eq!(outcome.skipped, 2);
        assert_eq!(outcome.stale.len(), 2);
        assert_eq!(outcome.expired.len(), 1);
        assert_eq!(outcome.attention(), 3);
        assert_eq!(a.endpoints[0].status, Status::Covered);
        assert_eq!(a.endpoints[1].status, Status::Skipped);
        assert_eq!(
            a.endpoints[1].skip,
            Some(Box::new(SkipInfo {
                reason: "SSE".into(),
                link: Some("https://x/1".into()),
                until: Some("2027-04-01".into())
            }))
        );
        assert_eq!(a.endpoints[2].status, Status::Skipped);
        assert_eq!(a.endpoints[3].status, Status::Missing);
        assert_eq!(
            a.endpoints[3].notes,
            ["skip rule `GET /old` expired on 2027-03-31"]
        );
        assert_eq!(a.summary.skipped, 2);
        assert_eq!(a.summary.missing, 1);
        assert_eq!(a.summary.covered, 1);
        assert_eq!(a.summary.percent, 50.0);
        assert_eq!(a.warnings.len(), 3);
        let servers = a.groups.iter().find(|g| g.group == "servers.py").unwrap();
        assert_eq!(servers.totals.skipped, 2);
        assert_eq!(servers.totals.percent, 100.0);
        assert!(outcome.expired[0].message.contains("expired on 2027-03-31"));
        assert!(outcome
            .stale
            .iter()
            .any(|d| d.message.contains("matches no endpoint")));
        assert!(outcome
            .stale
            .iter()
            .any(|d| d.message.contains("GET /health, which a load test covers")));
    }

    proptest::proptest! {
        #[test]
        fn a_literal_path_matches_itself_and_double_star_matches_all(
            segments in proptest::collection::vec("[a-z0-9_.-]{0,6}", 0..6),
        ) {
            let path = format!("/{}", segments.join("/"));
            proptest::prop_assert!(rule("GET", &path).matches(Method::Get, &path));
            proptest::prop_assert!(rule("*", "/**").matches(Method::Patch, &path));
            let templated = format!("{path}/{{id}}");
            let pattern = format!("{path}/*");
            proptest::prop_assert!(rule("*", &pattern).matches(Method::Get, &templated));
        }
    }

    #[test]
    fn the_first_matching_rule_gives_the_reason() {
        let mut a = audit(vec![endpoint(Method::Get, "/a", "g", Status::Missing)]);
        let first = SkipRule::new("GET", "/a", "first", None, None, "cov.toml", 1).unwrap();
        let second = SkipRule::new("*", "/**", "second", None, None, "cov.toml", 5).unwrap();
        let outcome = apply(&mut a, &[first, second], Date::parse("2027-01-01").unwrap());
        assert!(outcome.stale.is_empty());
        assert_eq!(a.endpoints[0].skip.as_ref().unwrap().reason, "first");
    }
}
