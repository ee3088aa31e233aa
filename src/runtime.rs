//! Runtime coverage: Locust's statistics rows joined to the audit's
//! endpoints, giving each endpoint its request counts, failure rate and
//! times, and a runtime status (`exercised`, `failing`, `declared_not_run`,
//! `not_run`). Rows that join no endpoint are kept, with the reason.
//!
//! A row's name is first looked up among the request sites of the static
//! scan that carry it as `name=`: their URLs are what was really sent
//! (this resolves plain labels such as `/rpc tools/list`, and labels that
//! name another path than their URL). Otherwise the name is read as a path
//! (`/servers/[id]/tools [create]`: suffix tags dropped, `[id]`
//! placeholders made dynamic segments) and resolved like a request URL.

use serde::Serialize;

use anyhow::bail;

use crate::audit::{Audit, AuditOptions, Runtime, RuntimeStatus, Status, UnattributedStat};
use crate::cli::{AuditArgs, SpecArgs};
use crate::fetch::FetchOptions;
use crate::matcher::{Index, Lookup, MatchOptions};
use crate::method::Method;
use crate::route::RouteKnowledge;
use crate::site::{Client, Scan};
use crate::spec::Spec;
use crate::stats::{max_opt, StatsRow};

/// Resolves a request (method, URL path template with `{placeholders}`) to
/// the spec path of the endpoint it reaches, or says why none. The audit
/// command backs this with the matcher, so runtime and static coverage use
/// the same rules.
pub type Resolve<'a> = dyn Fn(Method, &str) -> Result<String, String> + 'a;

/// Joins `rows` to the endpoints of an audit built from `spec`, `scan` and
/// `routes` with `opts`: the same index, aliases, slashes and catch-alls as
/// the static audit, so a stats name reaches the endpoint its URL would.
pub fn attach(
    audit: &mut Audit,
    spec: &Spec,
    scan: &Scan,
    routes: Option<&RouteKnowledge>,
    opts: &AuditOptions,
    rows: &[StatsRow],
    options: RuntimeOptions,
) {
    let catch_all = crate::audit::catch_all_names(spec, routes, &opts.catch_all_routes);
    let index = Index::build(
        spec,
        &MatchOptions {
            aliases: &opts.aliases,
            strict_slashes: opts.strict_slashes,
            catch_all: &catch_all,
        },
    );
    let hidden = crate::audit::hidden_index(routes, opts);
    let paths: Vec<&str> = spec.endpoints.iter().map(|e| e.path.as_str()).collect();
    let resolve = matcher_resolver(&index, &paths, hidden.as_ref());
    apply(audit, scan, rows, &resolve, options);
}

/// The matcher as a [`Resolve`]: `index` built over `endpoint_paths` (the
/// spec's paths, in index order); `hidden`, when given, an index over the
/// routes the service serves but hides from the spec, to say so.
pub fn matcher_resolver<'a>(
    index: &'a Index,
    endpoint_paths: &'a [&'a str],
    hidden: Option<&'a Index>,
) -> impl Fn(Method, &str) -> Result<String, String> + 'a {
    let is_hidden = move |method: Method, url: &str| {
        hidden.is_some_and(|h| matches!(h.lookup(method, url), Lookup::Matched { .. }))
    };
    move |method, url| match index.lookup(method, url) {
        Lookup::Matched { endpoint, .. } => endpoint_paths
            .get(endpoint)
            .map(|p| (*p).to_string())
            .ok_or_else(|| "matched an endpoint the audit does not list".to_string()),
        Lookup::WrongMethod { .. } | Lookup::NoPath { .. } if is_hidden(method, url) => {
            Err("hidden route (not in the spec)".to_string())
        }
        Lookup::WrongMethod { allowed } => Err(format!(
            "wrong method (allowed: {})",
            allowed
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Lookup::Ambiguous { candidates } => Err(format!(
            "ambiguous: {}",
            candidates
                .iter()
                .filter_map(|i| endpoint_paths.get(*i).copied())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Lookup::NoPath { .. } => {
            let is_hidden =
                hidden.is_some_and(|h| matches!(h.lookup(method, url), Lookup::Matched { .. }));
            Err(if is_hidden {
                "hidden route (not in the spec)".to_string()
            } else {
                "no such path".to_string()
            })
        }
    }
}

/// Where the statistics come from and how they are judged (`--stats`,
/// `--max-failure-rate`).
#[derive(Debug, Clone, PartialEq)]
pub struct StatsInput {
    /// A `*_stats.csv` file, or a running Locust's `/stats/requests[/csv]` URL.
    pub source: String,
    /// `--timeout` and `--cacert` of the spec; never its headers.
    pub fetch: FetchOptions,
    pub options: RuntimeOptions,
}

impl StatsInput {
    /// The statistics the command line names; `None` without `--stats`.
    pub fn from_args(args: &AuditArgs) -> anyhow::Result<Option<StatsInput>> {
        let rate = args.max_failure_rate.unwrap_or(0.0);
        if !(0.0..=1.0).contains(&rate) {
            bail!("--max-failure-rate takes a rate from 0 to 1 (0.05 is 5%), not {rate}");
        }
        let Some(source) = args.stats.clone() else {
            return Ok(None);
        };
        let fetch = FetchOptions::from_spec_args(&SpecArgs {
            spec: None,
            headers: Vec::new(),
            header_env: Vec::new(),
            timeout: args.spec.timeout,
            cacert: args.spec.cacert.clone(),
        })?;
        Ok(Some(StatsInput {
            source,
            fetch,
            options: RuntimeOptions {
                max_failure_rate: rate,
            },
        }))
    }
}

/// Settings of the runtime join.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuntimeOptions {
    /// An endpoint whose failure rate (0 to 1) is above this is `failing`.
    pub max_failure_rate: f64,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        RuntimeOptions {
            max_failure_rate: 0.0,
        }
    }
}

/// Runtime statuses counted over an audit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RuntimeTotals {
    pub exercised: usize,
    pub failing: usize,
    pub declared_not_run: usize,
    pub not_run: usize,
    /// Stats rows joined to no endpoint.
    pub unattributed: usize,
}

/// Joins `rows` to the endpoints of `audit`, filling every endpoint's
/// `runtime` and `runtime_status` and the audit's `unattributed_stats`.
pub fn apply(
    audit: &mut Audit,
    scan: &Scan,
    rows: &[StatsRow],
    resolve: &Resolve<'_>,
    options: RuntimeOptions,
) {
    let mut sums: Vec<Runtime> = vec![Runtime::default(); audit.endpoints.len()];
    let mut unattributed = Vec::new();
    for row in rows {
        match attribute(row, scan, resolve) {
            Ok(path) => {
                let Some(method) = Method::parse(&row.method) else {
                    continue;
                };
                match audit
                    .endpoints
                    .iter()
                    .position(|e| e.method == method && e.path == path)
                {
                    Some(i) => {
                        if let Some(sum) = sums.get_mut(i) {
                            add(sum, row);
                        }
                    }
                    None => unattributed.push(unattributed_row(
                        row,
                        format!("resolves to {method} {path}, which the audit does not list"),
                    )),
                }
            }
            Err(reason) => unattributed.push(unattributed_row(row, reason)),
        }
    }
    for (endpoint, mut runtime) in audit.endpoints.iter_mut().zip(sums) {
        runtime.failure_rate = rate(runtime.failures, runtime.requests);
        runtime.median_ms = runtime.median_ms.map(round_ms);
        runtime.p95_ms = runtime.p95_ms.map(round_ms);
        let status = if runtime.requests == 0 {
            match endpoint.status {
                Status::Covered | Status::SetupOnly => RuntimeStatus::DeclaredNotRun,
                Status::Skipped | Status::Missing => RuntimeStatus::NotRun,
            }
        } else if runtime.failure_rate > options.max_failure_rate {
            RuntimeStatus::Failing
        } else {
            RuntimeStatus::Exercised
        };
        endpoint.runtime = Some(Box::new(runtime));
        endpoint.runtime_status = Some(status);
    }
    unattributed.sort_by(|a: &UnattributedStat, b| (&a.name, &a.method).cmp(&(&b.name, &b.method)));
    audit.unattributed_stats = Some(unattributed);
}

/// Counts runtime statuses; `None` when the audit has no runtime figures.
pub fn totals(audit: &Audit) -> Option<RuntimeTotals> {
    let unattributed = audit.unattributed_stats.as_ref()?.len();
    let mut totals = RuntimeTotals {
        unattributed,
        ..RuntimeTotals::default()
    };
    for endpoint in &audit.endpoints {
        match endpoint.runtime_status {
            Some(RuntimeStatus::Exercised) => totals.exercised += 1,
            Some(RuntimeStatus::Failing) => totals.failing += 1,
            Some(RuntimeStatus::DeclaredNotRun) => totals.declared_not_run += 1,
            Some(RuntimeStatus::NotRun) => totals.not_run += 1,
            None => {}
        }
    }
    Some(totals)
}

/// One line for the end of a table report, e.g.
/// `runtime: 20 exercised, 1 failing, 1 declared but not run, 5 not run; 2 stats rows unattributed`.
pub fn summary_line(audit: &Audit) -> Option<String> {
    let t = totals(audit)?;
    let mut line = format!(
        "runtime: {} exercised, {} failing, {} declared but not run, {} not run",
        t.exercised, t.failing, t.declared_not_run, t.not_run
    );
    if t.unattributed > 0 {
        line.push_str(&format!(
            "; {} stats row{} unattributed",
            t.unattributed,
            if t.unattributed == 1 { "" } else { "s" }
        ));
    }
    Some(line)
}

/// A short cell for tables: `exercised 73 req, p95 4 ms`, `failing 55/55 (100%)`.
pub fn cell(runtime: Option<&Runtime>, status: Option<RuntimeStatus>) -> String {
    let (Some(r), Some(status)) = (runtime, status) else {
        return String::new();
    };
    match status {
        RuntimeStatus::DeclaredNotRun => "declared, not run".to_string(),
        RuntimeStatus::NotRun => "not run".to_string(),
        RuntimeStatus::Exercised | RuntimeStatus::Failing => {
            let mut text = if status == RuntimeStatus::Failing {
                format!(
                    "failing {}/{} ({})",
                    r.failures,
                    r.requests,
                    percent(r.failure_rate)
                )
            } else {
                format!("{} req", r.requests)
            };
            if let Some(p95) = r.p95_ms {
                text.push_str(&format!(", p95 {} ms", trim_number(p95)));
            }
            text
        }
    }
}

/// `0.0333` -> `3.3%`, `1.0` -> `100%`.
pub fn percent(rate: f64) -> String {
    let pct = (rate * 1000.0).round() / 10.0;
    format!("{}%", trim_number(pct))
}

/// A number without a needless `.0`, at most one decimal.
fn trim_number(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

fn add(sum: &mut Runtime, row: &StatsRow) {
    sum.requests += row.requests;
    sum.failures += row.failures;
    sum.median_ms = max_opt(sum.median_ms, row.median_ms);
    sum.p95_ms = max_opt(sum.p95_ms, row.p95_ms);
}

/// Milliseconds to two decimals: Locust reports medians of few samples
/// with float noise (`1.1642619999747694`).
fn round_ms(ms: f64) -> f64 {
    (ms * 100.0).round() / 100.0
}

/// Failures over requests, rounded to 4 decimals; 0 when nothing ran.
fn rate(failures: u64, requests: u64) -> f64 {
    if requests == 0 {
        return 0.0;
    }
    let r = failures as f64 / requests as f64;
    (r * 10_000.0).round() / 10_000.0
}

fn unattributed_row(row: &StatsRow, reason: String) -> UnattributedStat {
    UnattributedStat {
        method: row.method.clone(),
        name: row.name.clone(),
        requests: row.requests,
        failures: row.failures,
        reason,
    }
}

/// The spec path one stats row belongs to, or why none.
fn attribute(row: &StatsRow, scan: &Scan, resolve: &Resolve<'_>) -> Result<String, String> {
    let Some(method) = Method::parse(&row.method) else {
        return Err(if row.method.is_empty() {
            "no request type".to_string()
        } else {
            format!("request type `{}` is not an HTTP method", row.method)
        });
    };
    // The request sites that carry the name know the URL really sent; the
    // name read as a path is the fallback (statistics from another version
    // of the locustfile, a name set at run time, no `name=` at all).
    let label = by_label(method, &row.name, scan, resolve);
    let label_error = match label {
        Label::Found(path) => return Ok(path),
        Label::Ambiguous(reason) => return Err(reason),
        Label::Failed(reason) => Some(reason),
        Label::Absent => None,
    };
    match label_path(&row.name).map(|path| resolve(method, &path)) {
        Some(Ok(path)) => Ok(path),
        Some(Err(reason)) => Err(label_error.unwrap_or(reason)),
        None => Err(label_error
            .unwrap_or_else(|| "a label that no request in the locustfiles carries".to_string())),
    }
}

/// What the request sites carrying a label say about it.
enum Label {
    /// They all reach this endpoint.
    Found(String),
    /// They reach several endpoints: the row mixes them.
    Ambiguous(String),
    /// They reach none; why.
    Failed(String),
    /// No site carries the label.
    Absent,
}

/// Resolves a label through the request sites that carry it as `name=`.
fn by_label(method: Method, name: &str, scan: &Scan, resolve: &Resolve<'_>) -> Label {
    let sites: Vec<_> = scan
        .sites
        .iter()
        .filter(|s| s.client == Client::Locust && s.name.as_deref() == Some(name))
        .filter(|s| s.method.is_none_or(|m| m == method))
        .collect();
    if sites.is_empty() {
        return Label::Absent;
    }
    let mut paths: Vec<String> = Vec::new();
    let mut last_err = None;
    for site in &sites {
        let Some(url) = site.url.as_deref().filter(|_| site.resolved) else {
            last_err = Some(format!(
                "labelled request at {}:{} has no static URL",
                site.file, site.line
            ));
            continue;
        };
        match resolve(method, url) {
            Ok(path) => paths.push(path),
            Err(reason) => last_err = Some(format!("labels {url}: {reason}")),
        }
    }
    paths.sort();
    paths.dedup();
    match paths.as_slice() {
        [one] => Label::Found(one.clone()),
        [] => {
            Label::Failed(last_err.unwrap_or_else(|| "label resolves to no endpoint".to_string()))
        }
        many => Label::Ambiguous(format!(
            "label used for several endpoints: {}",
            many.join(", ")
        )),
    }
}

/// The path a stats name stands for, as a URL template the matcher takes:
/// ` [suffix]` tags dropped, scheme and host dropped, query dropped,
/// `[id]` placeholders turned into `{id}`. `None` for a plain label (no
/// leading `/`, or spaces left after the tags are dropped).
pub fn label_path(name: &str) -> Option<String> {
    let mut text = name.trim();
    while let Some(open) = text.rfind(" [") {
        let tail = &text[open + 2..];
        if tail.ends_with(']') && !tail[..tail.len() - 1].contains([' ', '[', ']']) {
            text = text[..open].trim_end();
        } else {
            break;
        }
    }
    for scheme in ["http://", "https://"] {
        if let Some(rest) = text.strip_prefix(scheme) {
            text = rest.find('/').map_or("/", |i| &rest[i..]);
        }
    }
    let text = text.split(['?', '#']).next().unwrap_or("");
    if !text.starts_with('/') || text.chars().any(char::is_whitespace) {
        return None;
    }
    Some(text.replace('[', "{").replace(']', "}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{EndpointReport, GroupKind, Totals};
    use crate::site::RequestSite;

    fn endpoint(method: Method, path: &str, status: Status) -> EndpointReport {
        EndpointReport {
            method,
            path: path.into(),
            group: "g".into(),
            group_kind: GroupKind::Segment,
            status,
            operation_id: None,
            tags: Default::default(),
            covered_by: vec![],
            notes: vec![],
            skip: None,
            declared_at: None,
            runtime: None,
            runtime_status: None,
        }
    }

    fn audit(endpoints: Vec<EndpointReport>) -> Audit {
        Audit {
            spec_title: None,
            spec_version: None,
            summary: Totals::default(),
            groups: vec![],
            endpoints,
            unmatched: vec![],
            unresolved: vec![],
            warnings: vec![],
            unattributed_stats: None,
        }
    }

    fn row(method: &str, name: &str, requests: u64, failures: u64) -> StatsRow {
        StatsRow {
            method: method.into(),
            name: name.into(),
            requests,
            failures,
            median_ms: Some(2.0),
            p95_ms: Some(requests as f64),
        }
    }

    fn site(method: Method, url: &str, name: &str) -> RequestSite {
        RequestSite {
            file: "locustfile.py".into(),
            line: 7,
            column: 9,
            method: Some(method),
            url: Some(url.into()),
            query: None,
            name: Some(name.into()),
            client: Client::Locust,
            resolved: true,
            reason: None,
            reached_from: vec![],
        }
    }

    /// A toy resolver: templates match segment by segment, `{x}` matches
    /// anything; concrete segments win.
    fn resolver(
        paths: &'static [(Method, &'static str)],
    ) -> impl Fn(Method, &str) -> Result<String, String> {
        move |method, url| {
            let segs: Vec<&str> = url.split('/').collect();
            let mut best: Option<(usize, &str)> = None;
            for (m, p) in paths {
                let ps: Vec<&str> = p.split('/').collect();
                if *m != method || ps.len() != segs.len() {
                    continue;
                }
                let mut concrete = 0;
                let ok = ps.iter().zip(&segs).all(|(a, b)| {
                    if a.starts_with('{') || b.starts_with('{') {
                        true
                    } else {
                        concrete += 1;
                        a == b
                    }
                });
                if ok && best.is_none_or(|(c, _)| concrete > c) {
                    best = Some((concrete, p));
                }
            }
            best.map(|(_, p)| p.to_string())
                .ok_or_else(|| "no such path".to_string())
        }
    }

    const PATHS: &[(Method, &str)] = &[
        (Method::Get, "/books/{book_id}"),
        (Method::Get, "/books/search"),
        (Method::Post, "/rpc"),
        (Method::Delete, "/books/{book_id}"),
        (Method::Get, "/health"),
    ];

    #[test]
    fn label_paths() {
        assert_eq!(
            label_path("/servers/[id]/tools").as_deref(),
            Some("/servers/{id}/tools")
        );
        assert_eq!(
            label_path("/tools/[id] [cleanup]").as_deref(),
            Some("/tools/{id}")
        );
        assert_eq!(
            label_path("/admin/x [htmx] [stress]").as_deref(),
            Some("/admin/x")
        );
        assert_eq!(
            label_path("/books/search?q=dune").as_deref(),
            Some("/books/search")
        );
        assert_eq!(
            label_path("http://127.0.0.1:8000/health").as_deref(),
            Some("/health")
        );
        assert_eq!(label_path("https://example.com").as_deref(), Some("/"));
        assert_eq!(label_path("/rpc tools/list"), None);
        assert_eq!(label_path("MCP initialize"), None);
        assert_eq!(label_path(""), None);
        assert_eq!(label_path("/[id]]"), Some("/{id}}".to_string()));
    }

    #[test]
    fn joins_rows_and_sets_statuses() {
        let mut a = audit(vec![
            endpoint(Method::Get, "/books/search", Status::Covered),
            endpoint(Method::Delete, "/books/{book_id}", Status::Covered),
            endpoint(Method::Get, "/books/{book_id}", Status::Covered),
            endpoint(Method::Get, "/health", Status::Missing),
            endpoint(Method::Post, "/rpc", Status::Covered),
        ]);
        let rows = vec![
            row("GET", "/books/[id]", 30, 0),
            row("GET", "/books/[id] [again]", 10, 0),
            row("GET", "/books/search?q=x", 5, 1),
            row("POST", "/rpc tools/list", 4, 0),
            row("GET", "/favicon.ico", 3, 0),
            row("MCP", "initialize", 2, 0),
            row("GET", "some label", 1, 0),
        ];
        let scan = Scan {
            sites: vec![site(Method::Post, "/rpc", "/rpc tools/list")],
            ..Scan::default()
        };
        apply(
            &mut a,
            &scan,
            &rows,
            &resolver(PATHS),
            RuntimeOptions::default(),
        );

        let statuses: Vec<_> = a
            .endpoints
            .iter()
            .map(|e| e.runtime_status.unwrap())
            .collect();
        assert_eq!(
            statuses,
            [
                RuntimeStatus::Failing,
                RuntimeStatus::DeclaredNotRun,
                RuntimeStatus::Exercised,
                RuntimeStatus::NotRun,
                RuntimeStatus::Exercised,
            ]
        );
        let get_book = a.endpoints[2].runtime.as_deref().copied().unwrap();
        assert_eq!((get_book.requests, get_book.failures), (40, 0));
        assert_eq!(get_book.p95_ms, Some(30.0));
        assert_eq!(
            a.endpoints[0]
                .runtime
                .as_deref()
                .copied()
                .unwrap()
                .failure_rate,
            0.2
        );
        assert_eq!(a.endpoints[1].runtime, Some(Box::new(Runtime::default())));

        let un: Vec<(&str, &str, &str)> = a
            .unattributed_stats
            .as_ref()
            .unwrap()
            .iter()
            .map(|u| (u.method.as_str(), u.name.as_str(), u.reason.as_str()))
            .collect();
        assert_eq!(
            un,
            [
                ("GET", "/favicon.ico", "no such path"),
                (
                    "MCP",
                    "initialize",
                    "request type `MCP` is not an HTTP method"
                ),
                (
                    "GET",
                    "some label",
                    "a label that no request in the locustfiles carries"
                ),
            ]
        );
        assert_eq!(
            summary_line(&a).unwrap(),
            "runtime: 2 exercised, 1 failing, 1 declared but not run, 1 not run; 3 stats rows unattributed"
        );
        assert_eq!(totals(&a).unwrap().failing, 1);
    }

    #[test]
    fn max_failure_rate_is_a_strict_bound() {
        let mut a = audit(vec![endpoint(Method::Get, "/health", Status::Covered)]);
        let rows = vec![row("GET", "/health", 10, 1)];
        let opts = RuntimeOptions {
            max_failure_rate: 0.1,
        };
        apply(&mut a, &Scan::default(), &rows, &resolver(PATHS), opts);
        assert_eq!(
            a.endpoints[0].runtime_status,
            Some(RuntimeStatus::Exercised)
        );
        let opts = RuntimeOptions {
            max_failure_rate: 0.05,
        };
        apply(&mut a, &Scan::default(), &rows, &resolver(PATHS), opts);
        assert_eq!(a.endpoints[0].runtime_status, Some(RuntimeStatus::Failing));
        assert_eq!(totals(&audit(vec![])), None);
    }

    #[test]
    fn a_label_on_requests_to_several_endpoints_is_unattributed() {
        let mut a = audit(vec![
            endpoint(Method::Get, "/books/search", Status::Covered),
            endpoint(Method::Get, "/health", Status::Covered),
        ]);
        let scan = Scan {
            sites: vec![
                site(Method::Get, "/books/search", "reads"),
                site(Method::Get, "/health", "reads"),
            ],
            ..Scan::default()
        };
        apply(
            &mut a,
            &scan,
            &[row("GET", "reads", 3, 0)],
            &resolver(PATHS),
            RuntimeOptions::default(),
        );
        assert_eq!(
            a.unattributed_stats.unwrap()[0].reason,
            "label used for several endpoints: /books/search, /health"
        );
    }

    #[test]
    fn a_label_that_disagrees_with_its_url_follows_the_url() {
        // The label hard-codes a value the endpoint does not have; the request site resolves.
        let mut a = audit(vec![endpoint(
            Method::Get,
            "/books/{book_id}",
            Status::Covered,
        )]);
        let scan = Scan {
            sites: vec![site(Method::Get, "/books/{book_id}", "/library/[id]")],
            ..Scan::default()
        };
        apply(
            &mut a,
            &scan,
            &[row("GET", "/library/[id]", 3, 0)],
            &resolver(PATHS),
            RuntimeOptions::default(),
        );
        assert_eq!(
            a.endpoints[0].runtime.as_deref().copied().unwrap().requests,
            3
        );
        assert_eq!(a.unattributed_stats, Some(vec![]));
    }

    /// The Bookshop fixture's endpoints and the CSV of a real Locust run
    /// against it, through the real matcher.
    #[test]
    fn recorded_run_joins_through_the_matcher() {
        const BOOKSHOP: &[(Method, &str)] = &[
            (Method::Get, "/admin/users"),
            (Method::Post, "/admin/users"),
            (Method::Get, "/admin/users/stats"),
            (Method::Delete, "/admin/users/{email}"),
            (Method::Get, "/admin/users/{email}/roles"),
            (Method::Get, "/books/"),
            (Method::Post, "/books/"),
            (Method::Get, "/books/search"),
            (Method::Get, "/books/{book_id}"),
            (Method::Get, "/files/{file_path}"),
            (Method::Put, "/files/{file_path}"),
            (Method::Get, "/orders/{order_id}/invoice"),
            (Method::Post, "/rpc"),
        ];
        let catch_all: Vec<Vec<String>> = BOOKSHOP
            .iter()
            .map(|(_, p)| {
                if p.starts_with("/files/") {
                    vec!["file_path".to_string()]
                } else {
                    vec![]
                }
            })
            .collect();
        let opts = crate::matcher::MatchOptions {
            catch_all: &catch_all,
            ..Default::default()
        };
        let index = Index::from_templates("", BOOKSHOP.iter().copied(), &opts);
        let hidden = Index::from_templates("", [(Method::Get, "/favicon.ico")], &opts);
        let paths: Vec<&str> = BOOKSHOP.iter().map(|(_, p)| *p).collect();
        let resolve = matcher_resolver(&index, &paths, Some(&hidden));
        let mut a = audit(
            BOOKSHOP
                .iter()
                .map(|(m, p)| endpoint(*m, p, Status::Covered))
                .collect(),
        );
        let scan = Scan {
            sites: vec![site(Method::Post, "/rpc", "/rpc tools/list")],
            ..Scan::default()
        };
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/e2e/samples");
        let text = std::fs::read_to_string(dir.join("web_requests.csv")).unwrap();
        let rows = crate::stats::parse(&text, "web_requests.csv").unwrap();
        apply(&mut a, &scan, &rows, &resolve, RuntimeOptions::default());
        let status = |m: Method, p: &str| {
            a.endpoints
                .iter()
                .find(|e| e.method == m && e.path == p)
                .and_then(|e| e.runtime_status)
                .unwrap()
        };
        assert_eq!(
            status(Method::Get, "/files/{file_path}"),
            RuntimeStatus::Exercised
        );
        assert_eq!(
            status(Method::Get, "/admin/users/{email}/roles"),
            RuntimeStatus::Exercised
        );
        assert_eq!(status(Method::Post, "/books/"), RuntimeStatus::Exercised);
        assert_eq!(status(Method::Post, "/rpc"), RuntimeStatus::Exercised);
        assert_eq!(
            status(Method::Get, "/orders/{order_id}/invoice"),
            RuntimeStatus::Failing
        );
        assert_eq!(
            status(Method::Delete, "/admin/users/{email}"),
            RuntimeStatus::DeclaredNotRun
        );
        let favicon = a
            .unattributed_stats
            .as_ref()
            .unwrap()
            .iter()
            .find(|u| u.name == "/favicon.ico")
            .unwrap();
        assert_eq!(favicon.reason, "hidden route (not in the spec)");
        // `/rpc books/count` is not on any scanned site here.
        assert!(a
            .unattributed_stats
            .as_ref()
            .unwrap()
            .iter()
            .any(|u| u.name == "/rpc books/count"));
    }

    #[test]
    fn a_label_naming_another_path_follows_its_request() {
        // `name="/books/search"` on a request to `/books/{book_id}`: Locust
        // files the requests under the label, but they went to the book.
        let mut a = audit(vec![
            endpoint(Method::Get, "/books/search", Status::Covered),
            endpoint(Method::Get, "/books/{book_id}", Status::Covered),
        ]);
        let scan = Scan {
            sites: vec![site(Method::Get, "/books/{book_id}", "/books/search")],
            ..Scan::default()
        };
        apply(
            &mut a,
            &scan,
            &[row("GET", "/books/search", 3, 0)],
            &resolver(PATHS),
            RuntimeOptions::default(),
        );
        assert_eq!(
            a.endpoints[0].runtime.as_deref().copied().unwrap().requests,
            0
        );
        assert_eq!(
            a.endpoints[1].runtime.as_deref().copied().unwrap().requests,
            3
        );
    }

    #[test]
    fn cells_and_percent() {
        let r = Runtime {
            requests: 55,
            failures: 55,
            failure_rate: 1.0,
            median_ms: Some(1.2),
            p95_ms: Some(3.0),
        };
        assert_eq!(
            cell(Some(&r), Some(RuntimeStatus::Failing)),
            "failing 55/55 (100%), p95 3 ms"
        );
        assert_eq!(
            cell(Some(&r), Some(RuntimeStatus::Exercised)),
            "55 req, p95 3 ms"
        );
        assert_eq!(cell(None, None), "");
        assert_eq!(percent(0.0333), "3.3%");
    }
}
