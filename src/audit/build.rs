//! Building the audit: every request site looked up in the matcher's
//! index, every endpoint given a status, every call that reaches nothing
//! listed with the reason, and the totals per group.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use crate::diag::Diagnostic;
use crate::matcher::{Index, Lookup, MatchOptions};
use crate::method::Method;
use crate::name::Name;
use crate::prefetch::{prefetch, prefetch_all};
use crate::route::RouteKnowledge;
use crate::site::{Client, ReachKind, RequestSite, Scan};
use crate::spec::{Endpoint, Spec};

use super::{
    Audit, Coverer, Declaration, EndpointReport, GroupKind, GroupSummary, Status, Totals,
    UnmatchedCall, UnresolvedCall,
};

/// Sites looked up, then read, together: a chunk's sites, their texts and
/// lookups stay in the CPU's caches between the two.
const CHUNK: usize = 256;

/// How far ahead (in sites, coverers or endpoints) the join asks for the
/// memory it will read.
const AHEAD: usize = 8;

/// How calls are matched, and how inputs are named in warnings.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// The service also serves the spec's `PREFIX/X` at `/X`.
    pub aliases: Vec<String>,
    /// A trailing-slash difference is no match (instead of a redirect note).
    pub strict_slashes: bool,
    /// Route templates whose `{name:path}` parameters take whole segments,
    /// written as the service declares them (`/resources/{uri:path}`), for
    /// when the router reader cannot say so. Compared with spec paths with
    /// the converter removed, with or without the base path.
    pub catch_all_routes: Vec<String>,
    /// The spec as the user named it, for warnings about the spec itself.
    pub spec_source: String,
}

/// Joins the spec's endpoints with the scan's request sites.
pub fn build(
    spec: &Spec,
    scan: &Scan,
    routes: Option<&RouteKnowledge>,
    opts: &AuditOptions,
) -> Audit {
    // The router reader's lists as they are when nothing is configured and
    // they are already sorted (they hold one or two names): no copy.
    let owned;
    let catch_all: &[Vec<String>] = match routes {
        None if opts.catch_all_routes.is_empty() => &[],
        Some(r)
            if opts.catch_all_routes.is_empty()
                && r.catch_all
                    .iter()
                    .all(|names| names.windows(2).all(|w| w[0] < w[1])) =>
        {
            &r.catch_all
        }
        _ => {
            owned = catch_all_names(spec, routes, &opts.catch_all_routes);
            &owned
        }
    };
    let index = Index::build(
        spec,
        &MatchOptions {
            aliases: &opts.aliases,
            strict_slashes: opts.strict_slashes,
            catch_all,
        },
    );
    // The prefix most spec paths share, offered as an alias when a call
    // misses only that; not when an alias already covers it.
    let prefix = common_prefix(spec).filter(|p| {
        !opts
            .aliases
            .iter()
            .any(|a| a.trim_end_matches('/') == p.as_str())
    });
    let hidden = hidden_index(routes, opts);
    let abstract_users: BTreeSet<(&str, &str)> = scan
        .users
        .iter()
        .filter(|u| !u.concrete)
        .map(|u| (u.name.as_str(), u.file.as_str()))
        .collect();

    let n = spec.endpoints.len();
    let mut warnings: Vec<Diagnostic> = scan.warnings.clone();
    for c in index.conflicts() {
        if let (Some(a), Some(b)) = (spec.endpoints.get(c.with), spec.endpoints.get(c.endpoint)) {
            warnings.push(Diagnostic::new(
                &opts.spec_source,
                0,
                0,
                "conflicting-templates",
                format!(
                    "`{}` and `{}` differ only in parameter names: no request can tell them apart",
                    show(a),
                    show(b)
                ),
            ));
        }
    }

    // Hits are written while the sites are read one after the other,
    // instead of into a growing list per endpoint; the coverers themselves
    // are made once, in their report. Notes are sorted and deduplicated as
    // integers once all sites are in.
    let mut join = SiteJoin {
        spec,
        index: &index,
        hidden,
        prefix,
        abstract_users,
        hits: Vec::with_capacity(scan.sites.len()),
        covers: Vec::with_capacity(scan.sites.len()),
        texts: Vec::new(),
        notes: Vec::new(),
        alias_notes: Vec::new(),
        unmatched: Vec::new(),
        unresolved: Vec::new(),
        warnings,
    };
    // The calls are looked up a chunk at a time, in one tight pass over the
    // chunk (the index stays in the CPU's caches while nothing else is
    // read or written), then the chunk's sites are read again while they
    // are still in the caches too.
    let mut chunk_lookups: Vec<Option<Lookup>> = Vec::with_capacity(CHUNK);
    for (c, chunk) in scan.sites.chunks(CHUNK).enumerate() {
        chunk_lookups.clear();
        chunk_lookups.resize_with(chunk.len(), || None);
        index.lookup_each(
            chunk,
            |site| match (site.method, site.url.as_deref(), site.resolved) {
                (Some(method), Some(url), true) => Some((method, url)),
                _ => None,
            },
            |i, lookup| {
                if let Some(slot) = chunk_lookups.get_mut(i) {
                    *slot = Some(lookup);
                }
            },
        );
        for (j, (site, looked)) in chunk.iter().zip(chunk_lookups.drain(..)).enumerate() {
            let at = (c * CHUNK + j) as u32;
            // The reaches of the site a few places on are fetched early.
            if let Some(ahead) = chunk.get(j + AHEAD) {
                prefetch(ahead.reached_from.as_slice());
            }
            join.site(at, site, looked);
        }
    }
    let SiteJoin {
        hits,
        covers,
        texts,
        mut notes,
        mut unmatched,
        mut unresolved,
        mut warnings,
        ..
    } = join;
    // The coverers' numbers grouped by endpoint (a counting sort: each
    // endpoint's in one slice, in site order). Only these 4-byte numbers
    // move; each coverer is made once, in its report.
    let mut starts = vec![0u32; n + 1];
    for &endpoint in &covers {
        if let Some(c) = starts.get_mut(endpoint as usize + 1) {
            *c += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut order = vec![0u32; covers.len()];
    let mut fill = starts.clone();
    for (k, &endpoint) in covers.iter().enumerate() {
        if let Some(at) = fill.get_mut(endpoint as usize) {
            if let Some(slot) = order.get_mut(*at as usize) {
                *slot = k as u32;
            }
            *at += 1;
        }
    }
    notes.sort_unstable();
    notes.dedup();

    let declared = |i: usize| {
        routes
            .and_then(|r| r.declared.get(i))
            .and_then(Option::as_ref)
    };
    let mut groups = Grouping::new(spec, declared, &opts.aliases);
    let mut tally = Tally::default();
    // Reports are built in the spec's order, which is their final order
    // (path, then method) unless the spec was put together otherwise.
    let mut endpoints: Vec<EndpointReport> = Vec::with_capacity(n);
    let mut in_order = true;
    let mut notes_left = notes.as_slice();
    for (i, ep) in spec.endpoints.iter().enumerate() {
        // The memory the report a few places on will be written to is
        // fetched early too: a write that misses the cache holds up the
        // counter updates of the clones below.
        if let Some(ahead) = endpoints.spare_capacity_mut().get(AHEAD) {
            prefetch_all(ahead);
        }
        // The names a report shares with its endpoint (each clone writes
        // to the name's counter) are fetched a few endpoints early.
        if let Some(further) = spec.endpoints.get(i + 2 * AHEAD) {
            prefetch_all(further);
        }
        if let Some(ahead) = spec.endpoints.get(i + AHEAD) {
            prefetch(ahead.path.as_bytes());
            if let Some(id) = &ahead.operation_id {
                prefetch(id.as_bytes());
            }
        }
        if let Some(last) = endpoints.last() {
            in_order &= if Name::ptr_eq(&last.path, &ep.path) {
                last.method <= ep.method
            } else {
                (&last.path, last.method) <= (&ep.path, ep.method)
            };
        }
        let (from, to) = (
            starts.get(i).copied().unwrap_or(0) as usize,
            starts.get(i + 1).copied().unwrap_or(0) as usize,
        );
        // The coverers' sites are read in an order of their own: the site,
        // reach and names of the ones a few places on are fetched, in
        // that order, while this one is made.
        let covered_by: Vec<Coverer> = (from..to)
            .filter_map(|pos| {
                let hit = |ahead: usize| {
                    let &(s, r) = hits.get(*order.get(pos + ahead)? as usize)?;
                    let site = scan.sites.get(s as usize)?;
                    Some((site, r as usize))
                };
                if let Some((site, _)) = hit(2 * AHEAD) {
                    prefetch_all(site);
                }
                if let Some((site, r)) = hit(AHEAD) {
                    if let Some(reach) = site.reached_from.get(r) {
                        prefetch(reach);
                    }
                }
                if let Some((site, r)) = hit(AHEAD / 2) {
                    if let Some(reach) = site.reached_from.get(r) {
                        prefetch(reach.user.as_bytes());
                        prefetch(reach.task.as_bytes());
                    }
                    if let Some(url) = &site.url {
                        prefetch(url.as_bytes());
                    }
                }
                let (site, r) = hit(0)?;
                let reach = site.reached_from.get(r)?;
                Some(Coverer {
                    user: reach.user.clone(),
                    task: reach.task.clone(),
                    kind: reach.kind,
                    file: site.file.clone(),
                    line: site.line,
                    url: site.url.clone()?,
                })
            })
            .collect();
        // The notes are sorted by endpoint: this one's come first.
        let mine = notes_left
            .iter()
            .take_while(|(e, _)| *e as usize == i)
            .count();
        let (this, rest) = notes_left.split_at(mine);
        notes_left = rest;
        let endpoint_notes: Vec<String> = this
            .iter()
            .filter_map(|&(_, text)| texts.get(text as usize).cloned())
            .collect();
        let declared_at = declared(i).cloned();
        let (group, group_kind) = groups.group_of(ep, declared_at.as_ref());
        let status = if covered_by.iter().any(|c| c.kind == ReachKind::Task) {
            Status::Covered
        } else if covered_by.is_empty() {
            Status::Missing
        } else {
            Status::SetupOnly
        };
        tally.add(&group, group_kind, status);
        endpoints.push(EndpointReport {
            method: ep.method,
            path: ep.path.clone(),
            group,
            group_kind,
            status,
            operation_id: ep.operation_id.clone(),
            tags: ep.tags.clone(),
            covered_by: sorted(covered_by),
            notes: sorted(endpoint_notes),
            skip: None,
            declared_at,
            runtime: None,
            runtime_status: None,
        });
    }
    if !in_order {
        // Stable: endpoints with the same path and method keep the spec's
        // order.
        endpoints.sort_by(|a, b| (&a.path, a.method).cmp(&(&b.path, b.method)));
    }
    unmatched.sort();
    unmatched.dedup();
    unresolved.sort();
    unresolved.dedup();
    warnings.sort();
    warnings.dedup();

    let (summary, groups) = tally.finish();
    Audit {
        spec_title: spec.title.clone(),
        spec_version: spec.version.clone(),
        summary,
        groups,
        endpoints,
        unmatched,
        unresolved,
        warnings,
        unattributed_stats: None,
    }
}

/// The join's reading of the request sites: what it reads of the spec and
/// the index, and what it writes, site after site.
struct SiteJoin<'a> {
    spec: &'a Spec,
    index: &'a Index,
    hidden: Option<Index>,
    /// The prefix most spec paths share, offered as an alias when a call
    /// misses only that.
    prefix: Option<String>,
    abstract_users: BTreeSet<(&'a str, &'a str)>,
    /// Each coverer as (site, reach) numbers, and apart the endpoint it
    /// covers, in site order.
    hits: Vec<(u32, u32)>,
    covers: Vec<u32>,
    /// The texts of notes, and (endpoint, text) pairs.
    texts: Vec<String>,
    notes: Vec<(u32, u32)>,
    /// The text of each alias's note, written once.
    alias_notes: Vec<(usize, u32)>,
    unmatched: Vec<UnmatchedCall>,
    unresolved: Vec<UnresolvedCall>,
    warnings: Vec<Diagnostic>,
}

impl SiteJoin<'_> {
    /// Joins the site numbered `at` with its lookup (`None` when it has
    /// no call to look up): a hit per reach of a concrete user, notes,
    /// warnings, or the reason it reaches nothing.
    fn site(&mut self, at: u32, site: &RequestSite, looked: Option<Lookup>) {
        let SiteJoin {
            spec,
            index,
            hidden,
            prefix,
            abstract_users,
            hits,
            covers,
            texts,
            notes,
            alias_notes,
            unmatched,
            unresolved,
            warnings,
        } = self;
        let (spec, index): (&Spec, &Index) = (spec, index);
        let (Some(method), Some(url), true, Some(lookup)) =
            (site.method, site.url.as_ref(), site.resolved, looked)
        else {
            unresolved.push(UnresolvedCall {
                file: site.file.to_string(),
                line: site.line,
                method: site.method,
                reason: unresolved_reason(site),
            });
            return;
        };
        let warn = |kind: &str, message: String| {
            Diagnostic::new(&site.file, site.line, site.column, kind, message)
        };
        if site.client == Client::Other {
            warnings.push(warn(
                "not-locust-client",
                format!(
                    "`{method} {url}` is sent outside Locust's client (setup traffic): not counted as coverage"
                ),
            ));
            return;
        }
        let reaches = || {
            site.reached_from.iter().enumerate().filter(|(_, r)| {
                abstract_users.is_empty()
                    || !abstract_users.contains(&(r.user.as_str(), r.user_file.as_str()))
            })
        };
        if reaches().next().is_none() {
            warnings.push(warn(
                "unreached",
                format!(
                    "`{method} {url}` is reached from no task of a concrete user: not counted as coverage"
                ),
            ));
            return;
        }
        if let Lookup::Matched {
            endpoint,
            notes: how,
        } = lookup
        {
            let Some(ep) = spec.endpoints.get(endpoint) else {
                return;
            };
            let endpoint = endpoint as u32;
            for (r, _) in reaches() {
                covers.push(endpoint);
                hits.push((at, r as u32));
            }
            if how.redirect {
                notes.push((endpoint, texts.len() as u32));
                texts.push(format!(
                    "trailing-slash redirect: `{url}` ({}:{}) is answered with a 307",
                    site.file, site.line
                ));
                warnings.push(warn(
                    "redirect",
                    format!(
                        "`{method} {url}` differs from `{}` by a trailing slash: the service answers 307 and the request is sent twice",
                        ep.path
                    ),
                ));
            }
            if let Some(a) = how.alias {
                let text = match alias_notes.iter().find(|(i, _)| *i == a) {
                    Some(&(_, text)) => text,
                    None => {
                        let text = texts.len() as u32;
                        texts.push(format!(
                            "called without the `{}` prefix (alias)",
                            index.alias(a)
                        ));
                        alias_notes.push((a, text));
                        text
                    }
                };
                notes.push((endpoint, text));
            }
            return;
        }
        let is_hidden = || {
            hidden
                .as_ref()
                .is_some_and(|h| matches!(h.lookup(method, url), Lookup::Matched { .. }))
        };
        let reason = match lookup {
            Lookup::Matched { .. } => return,
            Lookup::Ambiguous { candidates } => {
                let all: Vec<String> = candidates
                    .iter()
                    .filter_map(|&e| spec.endpoints.get(e))
                    .map(show)
                    .collect();
                format!("ambiguous ({})", all.join(", "))
            }
            _ if is_hidden() => "hidden route (not in the spec)".to_string(),
            Lookup::WrongMethod { allowed } => {
                let names: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
                format!("wrong method (allowed: {})", names.join(", "))
            }
            Lookup::NoPath { slash_twin } => match slash_twin.and_then(|e| spec.endpoints.get(e)) {
                Some(ep) => format!(
                    "no such path (`{}` differs only by a trailing slash; slashes are strict)",
                    show(ep)
                ),
                None => match alias_hint(index, spec, prefix.as_deref(), method, url) {
                    Some(hint) => hint,
                    None => "no such path".to_string(),
                },
            },
        };
        unmatched.push(UnmatchedCall {
            file: site.file.to_string(),
            line: site.line,
            method,
            url: url.to_string(),
            reason,
        });
    }
}

/// Sorted and without duplicates.
fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    if items.len() > 1 {
        items.sort_unstable();
        items.dedup();
    }
    items
}

impl Audit {
    /// Recomputes the summary and the per-group totals from the endpoints'
    /// statuses (after skip rules changed some of them).
    pub fn recount(&mut self) {
        let mut tally = Tally::default();
        for ep in &self.endpoints {
            tally.add(&ep.group, ep.group_kind, ep.status);
        }
        let (summary, groups) = tally.finish();
        self.summary = summary;
        self.groups = groups;
    }
}

/// Totals over all endpoints and per group, counted one endpoint at a time.
#[derive(Default)]
struct Tally {
    /// Groups in order of appearance, found by hash.
    slots: FxHashMap<(Name, GroupKind), usize>,
    groups: Vec<((Name, GroupKind), Totals)>,
    /// Neighbours (sorted by path) mostly share a group: the last one is
    /// tried first.
    last: Option<usize>,
    summary: Totals,
}

impl Tally {
    fn add(&mut self, group: &Name, kind: GroupKind, status: Status) {
        let same = |g: &((Name, GroupKind), Totals)| g.0 .1 == kind && g.0 .0 == *group;
        let slot = match self.last.filter(|&l| self.groups.get(l).is_some_and(same)) {
            Some(l) => l,
            None => {
                let groups = &mut self.groups;
                *self.slots.entry((group.clone(), kind)).or_insert_with(|| {
                    groups.push(((group.clone(), kind), Totals::default()));
                    groups.len() - 1
                })
            }
        };
        self.last = Some(slot);
        let Some((_, totals)) = self.groups.get_mut(slot) else {
            return;
        };
        for t in [&mut self.summary, totals] {
            t.total += 1;
            match status {
                Status::Covered => t.covered += 1,
                Status::SetupOnly => t.setup_only += 1,
                Status::Skipped => t.skipped += 1,
                Status::Missing => t.missing += 1,
            }
        }
    }

    /// The summary, and the groups sorted by name and kind.
    fn finish(self) -> (Totals, Vec<GroupSummary>) {
        let mut groups = self.groups;
        groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut summary = self.summary;
        summary.percent = percent(&summary);
        let groups = groups
            .into_iter()
            .map(|((group, group_kind), mut totals)| {
                totals.percent = percent(&totals);
                GroupSummary {
                    group: group.to_string(),
                    group_kind,
                    totals,
                }
            })
            .collect();
        (summary, groups)
    }
}

/// `covered / (total - skipped) * 100`; 100 when nothing is countable.
fn percent(t: &Totals) -> f64 {
    let countable = t.total.saturating_sub(t.skipped);
    if countable == 0 {
        100.0
    } else {
        t.covered as f64 * 100.0 / countable as f64
    }
}

/// An index over the routes the service serves but hides from the spec,
/// when there are any: a call that reaches one is named as such.
pub(crate) fn hidden_index(routes: Option<&RouteKnowledge>, opts: &AuditOptions) -> Option<Index> {
    routes.filter(|r| !r.hidden.is_empty()).map(|r| {
        Index::from_templates(
            "",
            r.hidden.iter().map(|d| (d.method, d.path.as_str())),
            &MatchOptions {
                aliases: &opts.aliases,
                strict_slashes: opts.strict_slashes,
                catch_all: &[],
            },
        )
    })
}

/// The first path segment at least half of the spec's paths (two or more)
/// start with, when one does: `/v1` for `/v1/tools`, `/v1/users`, ...
fn common_prefix(spec: &Spec) -> Option<String> {
    // Counted per first segment; a sorted spec gives each in one run, so
    // the last one counted is tried first.
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    let mut run: Option<(&str, usize)> = None;
    let mut paths = 0usize;
    let mut last: Option<&Name> = None;
    for (i, ep) in spec.endpoints.iter().enumerate() {
        if let Some(further) = spec.endpoints.get(i + 2 * AHEAD) {
            prefetch_all(further);
        }
        if let Some(ahead) = spec.endpoints.get(i + AHEAD) {
            prefetch(ahead.path.as_bytes());
        }
        // Each path once per run of equal paths (the methods of one path
        // share its text).
        if last.is_some_and(|l| Name::ptr_eq(l, &ep.path) || *l == ep.path) {
            continue;
        }
        last = Some(&ep.path);
        paths += 1;
        let mut segs = ep.path.trim_start_matches('/').split('/');
        let (Some(first), Some(_)) = (segs.next(), segs.next()) else {
            continue;
        };
        if first.is_empty() || first.contains('{') {
            continue;
        }
        match &mut run {
            Some((seg, n)) if *seg == first => *n += 1,
            _ => {
                if let Some((seg, n)) = run.replace((first, 1)) {
                    *counts.entry(seg).or_default() += n;
                }
            }
        }
    }
    if let Some((seg, n)) = run {
        *counts.entry(seg).or_default() += n;
    }
    let (first, n) = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?;
    (n >= 2 && n * 2 >= paths).then(|| format!("/{first}"))
}

/// `no such path (the spec has /v1/tools: add --alias /v1?)` when the call
/// reaches an endpoint once `prefix` is put in front of it.
fn alias_hint(
    index: &Index,
    spec: &Spec,
    prefix: Option<&str>,
    method: Method,
    url: &str,
) -> Option<String> {
    let prefix = prefix?;
    // The spec's base path, when the call carries it, stays in front.
    let base = spec.base_path.trim_end_matches('/');
    let url = match url.strip_prefix(base) {
        Some(rest) if !base.is_empty() && rest.starts_with('/') => rest,
        _ => url,
    };
    if !url.starts_with('/')
        || url
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
    {
        return None;
    }
    let endpoint = match index.lookup(method, &format!("{prefix}{url}")) {
        Lookup::Matched { endpoint, .. } => spec.endpoints.get(endpoint)?,
        _ => return None,
    };
    Some(format!(
        "no such path (the spec has {}: add --alias {prefix}?)",
        endpoint.path
    ))
}

fn show(ep: &Endpoint) -> String {
    format!("{} {}", ep.method, ep.path)
}

fn unresolved_reason(site: &RequestSite) -> String {
    if let Some(reason) = &site.reason {
        return reason.clone();
    }
    match (site.method, &site.url) {
        (None, Some(_)) => "method not known statically".to_string(),
        _ => "URL not known statically".to_string(),
    }
}

/// How endpoints are grouped: by the declaring file, else the first tag,
/// else the first path segment (after an alias prefix such as `/v1`).
///
/// An untagged endpoint whose first segment names a tag group joins that
/// group (`GET /health` beside endpoints tagged `health`) instead of
/// standing apart as `/health`; its kind becomes [`GroupKind::Tag`], the
/// group's.
struct Grouping<'a> {
    /// The tag groups: first tags of endpoints that no file declares, with
    /// the name each group is given. Sorted, without duplicates.
    tags: Vec<(&'a str, Name)>,
    /// The segment groups given so far (`/health`), by first segment.
    segments: FxHashMap<&'a str, Name>,
    /// Alias prefixes without their slashes (`v1`), empty ones left out.
    aliases: Vec<&'a str>,
}

impl<'a> Grouping<'a> {
    fn new(
        spec: &'a Spec,
        declared: impl Fn(usize) -> Option<&'a Declaration>,
        aliases: &'a [String],
    ) -> Self {
        let mut firsts: Vec<&Name> = spec
            .endpoints
            .iter()
            .enumerate()
            .filter(|&(i, _)| declared(i).is_none())
            .filter_map(|(_, ep)| ep.tags.first())
            .collect();
        firsts.sort_unstable();
        firsts.dedup();
        let tags = firsts
            .into_iter()
            .map(|t| (t.as_str(), t.clone()))
            .collect();
        let aliases = aliases
            .iter()
            .map(|a| a.trim().trim_matches('/'))
            .filter(|a| !a.is_empty())
            .collect();
        Grouping {
            tags,
            segments: FxHashMap::default(),
            aliases,
        }
    }

    fn group_of(&mut self, ep: &'a Endpoint, declared: Option<&Declaration>) -> (Name, GroupKind) {
        if let Some(d) = declared {
            return (d.file.clone(), GroupKind::File);
        }
        if let Some(tag) = ep.tags.first() {
            return (tag.clone(), GroupKind::Tag);
        }
        let mut path = ep.path.as_str();
        for alias in &self.aliases {
            if let Some(rest) = path.strip_prefix('/').and_then(|p| p.strip_prefix(alias)) {
                if rest.starts_with('/') {
                    path = rest;
                    break;
                }
            }
        }
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        if let Some(tag) = self.tag(first) {
            return (tag, GroupKind::Tag);
        }
        let group = self
            .segments
            .entry(first)
            .or_insert_with(|| Name::from(format!("/{first}")));
        (group.clone(), GroupKind::Segment)
    }

    /// The group of a tag group's name.
    fn tag(&self, tag: &str) -> Option<Name> {
        let at = self.tags.binary_search_by(|(t, _)| (*t).cmp(tag)).ok()?;
        self.tags.get(at).map(|(_, name)| name.clone())
    }
}

/// Per endpoint, the parameters that take whole segments: from the router
/// reader, plus the configured route templates. The runtime join uses the
/// same, so stats rows match by the static audit's rules.
pub(crate) fn catch_all_names(
    spec: &Spec,
    routes: Option<&RouteKnowledge>,
    configured: &[String],
) -> Vec<Vec<String>> {
    let configured: Vec<(String, Vec<String>)> = configured
        .iter()
        .map(|t| strip_converters(t.trim()))
        .collect();
    spec.endpoints
        .iter()
        .enumerate()
        .map(|(i, ep)| {
            let mut names: Vec<String> = routes
                .and_then(|r| r.catch_all.get(i))
                .cloned()
                .unwrap_or_default();
            for (template, path_params) in &configured {
                let full = template
                    .strip_prefix(spec.base_path.as_str())
                    .is_some_and(|rest| rest == ep.path);
                if *template == ep.path || full {
                    names.extend(path_params.iter().cloned());
                }
            }
            sorted(names)
        })
        .collect()
}

/// `/r/{uri:path}/{id:int}` -> (`/r/{uri}/{id}`, [`uri`]).
fn strip_converters(template: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(template.len());
    let mut path_params = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 1..close];
        let (name, converter) = inner.split_once(':').unwrap_or((inner, ""));
        let name = name.trim();
        if converter.trim() == "path" {
            path_params.push(name.to_string());
        }
        out.push('{');
        out.push_str(name);
        out.push('}');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    (out, path_params)
}

#[cfg(test)]
mod tests;
