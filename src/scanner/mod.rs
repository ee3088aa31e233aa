//! The locustfile scanner: Python source in, [`Scan`] out — every request
//! the suite sends, resolved to a method and a path template, with the
//! concrete users and tasks that reach it.
//!
//! Stages, each in its own module: [`discover`] finds the files; the
//! tokenizer ([`crate::python`]) and [`structure`] read them into
//! [`ast`], noting the names each calls ([`calls`]); [`program`] indexes
//! what they define and [`users`] works out the class hierarchy and the
//! tasks; [`eval`] walks the code from each task and records the requests,
//! with URLs as [`value`] templates finished by [`url`]; [`label`] checks
//! `name=` labels.

pub mod ast;
pub mod calls;
pub mod discover;
pub mod eval;
pub mod hash;
pub mod label;
pub mod program;
pub mod structure;
pub mod url;
pub mod users;
pub mod value;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::rc::Rc;

use crate::diag::Diagnostic;
use crate::method::Method;
use crate::name::Name;
use crate::python::{tokenize, LexErrorKind, LineIndex, Source};
use crate::site::{Client, Reach, ReachKind, RequestSite, Scan, UserClass};

use self::discover::Input;
use self::eval::{Evaluator, FnResult, Hit, SelfCtx};
use self::hash::{FastMap, FastSet};
use self::program::{ClassId, ParsedFile, Program};
use self::users::{Hierarchy, Kind};

/// Scans the locustfiles and directories named by `paths`. A path that
/// cannot be read is an error; anything wrong inside a file is a warning.
pub fn scan_files(paths: &[PathBuf]) -> anyhow::Result<Scan> {
    let inputs = discover::discover(paths)?;
    let mut scan = scan_inputs(inputs);
    // A directory with Python but nothing of Locust is likely the wrong one
    // (the service's `app/` instead of the load tests).
    if scan.users.is_empty() && scan.sites.is_empty() {
        for dir in paths.iter().filter(|p| p.is_dir()) {
            scan.warnings.push(Diagnostic::new(
                dir.display().to_string(),
                0,
                0,
                "no-user",
                format!(
                    "found no Locust user class and no request under `{}`; check --locustfile",
                    dir.display()
                ),
            ));
        }
        scan.warnings.sort();
    }
    Ok(scan)
}

/// Scans one file's text (as if named on the command line as `file`).
pub fn scan_source(file: &str, text: &str) -> Scan {
    scan_inputs(vec![Input {
        path: file.to_string(),
        bytes: text.as_bytes().to_vec(),
        required: true,
    }])
}

/// Lex errors reported per file; the rest are counted in one more warning.
const LEX_ERRORS_SHOWN: usize = 10;

/// Scans files already read.
pub fn scan_inputs(inputs: Vec<Input>) -> Scan {
    let mut warnings = BTreeSet::new();
    let sources: Vec<(Input, Source)> = inputs
        .into_iter()
        .map(|mut i| {
            let s = Source::from_vec(std::mem::take(&mut i.bytes));
            (i, s)
        })
        .collect();
    // The syntax trees of every file, freed at once when the scan is done;
    // sized for the usual tree of about four bytes per byte of source, so
    // that it is one block of memory (grown as needed when it is not).
    let text_bytes: usize = sources.iter().map(|(_, s)| s.text.len()).sum();
    let arena = bumpalo::Bump::try_with_capacity(text_bytes.saturating_mul(4))
        .unwrap_or_else(|_| bumpalo::Bump::new());
    let mut parsed = Vec::with_capacity(sources.len());
    for (input, source) in &sources {
        let text = source.text.as_str();
        let lines = LineIndex::new(text);
        let tokens = tokenize(text);
        if source.invalid_utf8 {
            warnings.insert(Diagnostic::new(
                &input.path,
                0,
                0,
                "lex-error",
                "the file is not valid UTF-8; the bad bytes were read as U+FFFD",
            ));
        }
        for err in tokens.errors.iter().take(LEX_ERRORS_SHOWN) {
            let (line, column) = lines.line_col(err.range.start);
            warnings.insert(Diagnostic::new(
                &input.path,
                line,
                column,
                "lex-error",
                lex_message(err.kind),
            ));
        }
        let more = tokens.errors.len().saturating_sub(LEX_ERRORS_SHOWN);
        if more > 0 {
            warnings.insert(Diagnostic::new(
                &input.path,
                0,
                0,
                "lex-error",
                format!("... and {more} more places that are not valid Python"),
            ));
        }
        let mut called = FastSet::default();
        let body = structure::parse_module(text, tokens.tokens, &arena, &mut called);
        parsed.push(ParsedFile {
            path: input.path.clone(),
            lines,
            body,
            called,
        });
    }
    let prog = Program::build(&parsed);
    let h = Hierarchy::build(&prog);
    let mut kept: Vec<bool> = sources.iter().map(|(input, _)| input.required).collect();
    for (c, class) in prog.classes.iter().enumerate() {
        if h.kind[c].is_some() {
            if let Some(k) = kept.get_mut(class.file) {
                *k = true;
            }
        }
    }

    let (records, reaches) = attribute(&prog, &h);

    // Every reach ranked once in output order (equal reaches share a
    // rank), so that each site sorts and dedups small integers and copies
    // only the reaches it keeps; files are ranked by path likewise.
    let file_rank = rank_by(prog.files.len(), |a, b| {
        prog.files[a].path.cmp(&prog.files[b].path)
    });
    let ranks = reach_ranks(&prog, &file_rank, &reaches);
    let mut sites = Vec::with_capacity(records.len());
    // (file rank, line, column) of each site, to sort on before the text.
    let mut order: Vec<(u32, u32, u32, u32)> = Vec::with_capacity(records.len());
    let mut site_ranks: Vec<u32> = Vec::new();
    let mut urls: Vec<Option<String>> = Vec::with_capacity(records.len());
    for (key, ids) in records {
        if !kept.get(key.file).copied().unwrap_or(false) {
            continue;
        }
        site_ranks.clear();
        site_ranks.extend(ids.iter().filter_map(|&i| ranks.rank.get(i as usize)));
        site_ranks.sort_unstable();
        site_ranks.dedup();
        let reach: Vec<Reach> = site_ranks
            .iter()
            .filter_map(|&r| {
                let id = *ranks.first.get(r as usize)?;
                let root = reaches.get(id as usize)?;
                let class = prog.classes.get(root.class)?;
                Some(Reach {
                    user: class.qualname.clone(),
                    user_file: prog.files.get(class.file)?.path.clone(),
                    task: root.task.clone(),
                    kind: root.kind,
                })
            })
            .collect();
        let info = &prog.files[key.file];
        let (line, column) = info.lines.line_col(key.at);
        let (url, query, resolved, reason) = match key.url {
            Ok((u, q)) => (Some(u), q, true, None),
            Err(r) => (None, None, false, Some(r)),
        };
        if let (Some(u), Some(n)) = (&url, &key.name) {
            if !label::agrees(n, u) {
                warnings.insert(Diagnostic::new(
                    &info.path,
                    line,
                    column,
                    "label-mismatch",
                    format!(
                        "the label `{n}` does not match the URL `{u}`: Locust reports this request under a misleading name"
                    ),
                ));
            }
        }
        let fr = file_rank.get(key.file).copied().unwrap_or(u32::MAX);
        order.push((fr, line, column, sites.len() as u32));
        // The URL becomes the site's own text once the sites are in order.
        urls.push(url);
        sites.push(RequestSite {
            file: info.path.clone(),
            line,
            column,
            method: key.method,
            url: None,
            query,
            name: key.name,
            client: key.client,
            resolved,
            reason,
            reached_from: reach,
        });
    }
    // Stable: sites equal in every compared field keep their order.
    order.sort_by(|a, b| {
        (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then_with(|| {
            let (x, y) = (&sites[a.3 as usize], &sites[b.3 as usize]);
            let (xu, yu) = (&urls[a.3 as usize], &urls[b.3 as usize]);
            (xu, x.method, &x.name, x.client).cmp(&(yu, y.method, &y.name, y.client))
        })
    });
    let mut slots: Vec<Option<RequestSite>> = sites.into_iter().map(Some).collect();
    // Each site's URL is made and its reaches copied in the final order, so
    // that a later stage reading the sites one after the other reads them
    // one after the other in memory too (the sites were made in the order
    // of a hash map).
    let sites: Vec<RequestSite> = order
        .iter()
        .filter_map(|o| {
            let mut site = slots.get_mut(o.3 as usize).and_then(Option::take)?;
            site.url = urls
                .get_mut(o.3 as usize)
                .and_then(Option::take)
                .map(Name::from);
            site.reached_from = site.reached_from.to_vec();
            Some(site)
        })
        .collect();

    let mut users = Vec::new();
    for (c, class) in prog.classes.iter().enumerate() {
        let Some(kind) = h.kind[c] else { continue };
        if !(kind.is_user() || kind == Kind::LoadTestShape) {
            continue;
        }
        if !kept.get(class.file).copied().unwrap_or(false) {
            continue;
        }
        let info = &prog.files[class.file];
        users.push(UserClass {
            name: class.qualname.to_string(),
            file: info.path.to_string(),
            line: info.lines.line_col(class.def.at).0,
            weight: users::int_attr(&prog, &h, c, "weight"),
            concrete: h.is_concrete_user(&prog, c),
        });
    }
    users.sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
    for (input, _) in &sources {
        let declares = |file: &str| file == input.path;
        if input.required
            && !users.iter().any(|u| declares(&u.file))
            && !sites.iter().any(|s| declares(&s.file))
        {
            warnings.insert(Diagnostic::new(
                &input.path,
                0,
                0,
                "no-user",
                "declares no Locust user class and makes no request; check --locustfile",
            ));
        }
    }
    Scan {
        sites,
        users,
        warnings: warnings.into_iter().collect(),
    }
}

/// Where a reach comes from: a concrete user class and one of its roots.
struct RootReach {
    class: ClassId,
    task: Name,
    kind: ReachKind,
}

/// Ranks `0..n` by `cmp`: equal items share a rank, ranks follow the order.
fn rank_by(n: usize, cmp: impl Fn(usize, usize) -> std::cmp::Ordering) -> Vec<u32> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    let mut rank = vec![0u32; n];
    let mut next = 0u32;
    for (i, &x) in order.iter().enumerate() {
        if i > 0 && cmp(order[i - 1], x) != std::cmp::Ordering::Equal {
            next += 1;
        }
        rank[x] = next;
    }
    rank
}

/// The order of reaches in the output: `rank[id]` is reach `id`'s place
/// among the distinct reaches, `first[rank]` one reach of that rank.
struct ReachRanks {
    rank: Vec<u32>,
    first: Vec<u32>,
}

/// Ranks reaches in the order of [`Reach`] (user, user file, task, kind)
/// without building them: users and files compare by their ranks, so the
/// task text is read only between roots of one user.
fn reach_ranks(prog: &Program<'_>, file_rank: &[u32], reaches: &[RootReach]) -> ReachRanks {
    let user_rank = rank_by(prog.classes.len(), |a, b| {
        prog.classes[a].qualname.cmp(&prog.classes[b].qualname)
    });
    let keys: Vec<(u32, u32)> = reaches
        .iter()
        .map(|r| {
            let file = prog.classes.get(r.class).map_or(usize::MAX, |c| c.file);
            (
                user_rank.get(r.class).copied().unwrap_or(u32::MAX),
                file_rank.get(file).copied().unwrap_or(u32::MAX),
            )
        })
        .collect();
    let cmp = |a: usize, b: usize| {
        let (x, y) = (&reaches[a], &reaches[b]);
        keys[a]
            .cmp(&keys[b])
            .then_with(|| x.task.cmp(&y.task))
            .then_with(|| x.kind.cmp(&y.kind))
    };
    let mut order: Vec<usize> = (0..reaches.len()).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    let mut rank = vec![0u32; reaches.len()];
    let mut first: Vec<u32> = Vec::new();
    for (i, &id) in order.iter().enumerate() {
        if i == 0 || cmp(order[i - 1], id) != std::cmp::Ordering::Equal {
            first.push(id as u32);
        }
        rank[id] = first.len().saturating_sub(1) as u32;
    }
    ReachRanks { rank, first }
}

/// One output record before positions are resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    file: usize,
    at: u32,
    method: Option<Method>,
    url: url::Finished,
    name: Option<String>,
    client: Client,
}

impl Key {
    fn of(hit: Hit) -> Key {
        Key {
            file: hit.file,
            at: hit.at,
            method: hit.method,
            url: hit.url,
            name: hit.name,
            client: hit.client,
        }
    }
}

/// The hits of a root's evaluation, moved out when the result is not
/// shared (a root's result is not memoised), copied otherwise.
fn owned_hits(result: Rc<FnResult>) -> Vec<Hit> {
    match Rc::try_unwrap(result) {
        Ok(r) => r.hits,
        Err(shared) => shared.hits.clone(),
    }
}

/// Evaluates the program from every concrete user's tasks and hooks, then
/// whatever no user reaches (dead code, listeners, module level).
fn attribute(prog: &Program<'_>, h: &Hierarchy) -> (FastMap<Key, Vec<u32>>, Vec<RootReach>) {
    let mut records: FastMap<Key, Vec<u32>> = FastMap::default();
    let mut reaches: Vec<RootReach> = Vec::new();
    let mut ev = Evaluator::new(prog, h);
    for c in 0..prog.classes.len() {
        if !h.is_concrete_user(prog, c) {
            continue;
        }
        for root in h.roots(prog, c) {
            let this = SelfCtx {
                class: root.self_class,
                user: root.user_behind,
            };
            let id = reaches.len() as u32;
            reaches.push(RootReach {
                class: c,
                task: Name::from(root.task),
                kind: root.kind,
            });
            let result = ev.run_root(root.func, Some(this), true);
            for hit in owned_hits(result) {
                records.entry(Key::of(hit)).or_default().push(id);
            }
        }
    }
    for file in 0..prog.files.len() {
        for hit in ev.run_module(file) {
            records.entry(Key::of(hit)).or_default();
        }
    }
    for pass in 0..2 {
        for func in 0..prog.funcs.len() {
            if ev.entered.get(func).copied().unwrap_or(true) {
                continue;
            }
            let info = &prog.funcs[func];
            if pass == 0 && prog.called.contains(info.def.name) {
                continue;
            }
            let this = info.class.map(|c| SelfCtx {
                class: c,
                user: None,
            });
            let result = ev.run_root(func, this, this.is_some());
            for hit in owned_hits(result) {
                records.entry(Key::of(hit)).or_default();
            }
        }
    }
    (records, reaches)
}

fn lex_message(kind: LexErrorKind) -> &'static str {
    match kind {
        LexErrorKind::UnterminatedString => "unterminated string",
        LexErrorKind::UnterminatedTripleQuotedString => "unterminated triple-quoted string",
        LexErrorKind::UnexpectedCharacter => "a character that is not Python",
        LexErrorKind::InconsistentDedent => "the indentation does not match any outer block",
        LexErrorKind::UnmatchedBracket => "an unmatched bracket",
        LexErrorKind::InvalidUtf8 => "the file is not valid UTF-8",
    }
}

#[cfg(test)]
mod tests;
