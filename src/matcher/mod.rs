//! The matcher: an index over the spec's endpoints that answers "which
//! endpoint does this request reach?" by OpenAPI's rules.
//!
//! The index is a segment trie. At each node a call's segment tries, in
//! order, the static child of the same text, the in-segment templates
//! (`{name}.json`; more literal text first), the parameter child, then the
//! catch-all child (`{p:path}`: one or more whole segments, as few as let
//! the rest of the path match, or nothing after a final slash), backtracking
//! when a branch dead-ends. So concrete beats templated segment by segment
//! from the left, and a lookup costs about the length of the path, not the
//! number of endpoints.
//!
//! A call's segment that is a whole placeholder (`{tid}` from an f-string)
//! only fits a parameter or a catch-all; a segment that mixes text and
//! placeholders (`item-{id}`) fits an in-segment template or a parameter;
//! a literal segment fits anything that accepts its text.
//!
//! The path is found first among the endpoints of the call's method (the
//! server routes a request to the most specific route that has its method).
//! Then, in order: the same path with another method (`WrongMethod`); the
//! path that differs only by a trailing slash (`Matched` with a redirect
//! note, unless slashes are strict); `NoPath`. Each step tries the call as
//! written, then under each alias prefix. `Spec::base_path` is stripped from
//! a call that starts with it; a call without it is matched as written (the
//! Locust host may already end with the base path). Methods must agree
//! exactly: `HEAD` does not cover `GET`.

mod path;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub use path::call_path;
use path::{classify_call, literal_len, split, CallSeg, Piece, SpecPath, SpecSeg};

use crate::method::Method;
use crate::spec::Spec;

/// How the index is built and how lookups treat slashes and prefixes.
#[derive(Debug, Clone, Copy, Default)]
pub struct MatchOptions<'a> {
    /// Prefixes the service also serves its paths without (`/v1`): a call to
    /// `/X` reaches the spec's `/v1/X` when nothing at `/X` takes it.
    pub aliases: &'a [String],
    /// A call that differs from an endpoint only by a trailing slash does not
    /// match it.
    pub strict_slashes: bool,
    /// Per spec endpoint (same order, may be shorter): names of parameters
    /// that take one or more whole segments (`{uri:path}` in the source).
    pub catch_all: &'a [Vec<String>],
}

/// Remarks about how a call reached its endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Notes {
    /// The call differs by a trailing slash: the server answers with a 307.
    pub redirect: bool,
    /// Index of the alias prefix (see [`Index::alias`]) the call was
    /// matched under.
    pub alias: Option<usize>,
}

/// The answer to one lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The call reaches this endpoint (index into `Spec::endpoints`).
    Matched { endpoint: usize, notes: Notes },
    /// The path exists, but not for this method.
    WrongMethod { allowed: Vec<Method> },
    /// No endpoint has this path. `slash_twin` is the endpoint the call
    /// would reach but for a trailing slash, when slashes are strict.
    NoPath { slash_twin: Option<usize> },
    /// Several endpoints are equally specific (conflicting templates such
    /// as `/pets/{id}` and `/pets/{petId}`). Sorted.
    Ambiguous { candidates: Vec<usize> },
}

/// Two endpoints with the same method whose templates differ only in the
/// names of their parameters: no request can tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Conflict {
    pub method: Method,
    /// The endpoint inserted later (spec order).
    pub endpoint: usize,
    /// The endpoint it conflicts with.
    pub with: usize,
}

type NodeId = u32;
type LeafId = u32;

#[derive(Debug, Default)]
struct Node {
    statics: HashMap<Box<str>, NodeId, BuildHasherDefault<SegHasher>>,
    /// Sorted by descending literal length, then pieces.
    patterns: Vec<PatternChild>,
    param: Option<NodeId>,
    catch_all: Option<NodeId>,
    /// Leaves for the path without / with a trailing slash.
    ends: [Option<LeafId>; 2],
    /// Reached through a catch-all: a trailing slash is part of its value.
    via_catch_all: bool,
}

#[derive(Debug)]
struct PatternChild {
    rank: usize,
    pieces: Box<[Piece]>,
    node: NodeId,
}

/// The endpoints that end at one node: (method, endpoint), sorted.
#[derive(Debug, Default)]
struct Leaf {
    entries: Vec<(Method, u32)>,
}

impl Leaf {
    fn accepts(&self, want: Want) -> bool {
        match want {
            Want::Any => !self.entries.is_empty(),
            Want::Method(m) => self.entries.iter().any(|&(em, _)| em == m),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Want {
    Method(Method),
    Any,
}

/// One leaf, or several equally specific ones.
#[derive(Debug)]
enum Hits {
    One(LeafId),
    Many(Vec<LeafId>),
}

impl Hits {
    fn merge(acc: Option<Hits>, next: Hits) -> Hits {
        let Some(acc) = acc else { return next };
        let mut all = match acc {
            Hits::One(l) => vec![l],
            Hits::Many(v) => v,
        };
        match next {
            Hits::One(l) => all.push(l),
            Hits::Many(v) => all.extend(v),
        }
        Hits::Many(all)
    }

    fn leaves(&self) -> &[LeafId] {
        match self {
            Hits::One(l) => std::slice::from_ref(l),
            Hits::Many(v) => v,
        }
    }
}

#[derive(Debug)]
struct Alias {
    text: String,
    segs: Vec<Box<str>>,
}

/// The index over a spec's endpoints.
#[derive(Debug)]
pub struct Index {
    nodes: Vec<Node>,
    leaves: Vec<Leaf>,
    base: Vec<Box<str>>,
    aliases: Vec<Alias>,
    strict_slashes: bool,
    conflicts: Vec<Conflict>,
    len: usize,
}

/// Segments kept on the stack for paths up to this many segments.
const INLINE: usize = 32;

impl Index {
    /// Indexes every endpoint of `spec`.
    pub fn build(spec: &Spec, opts: &MatchOptions<'_>) -> Index {
        Index::from_templates(
            &spec.base_path,
            spec.endpoints.iter().map(|e| (e.method, e.path.as_str())),
            opts,
        )
    }

    /// Indexes `(method, path template)` pairs under `base_path`; the n-th
    /// pair is endpoint `n`.
    pub fn from_templates<'s>(
        base_path: &str,
        templates: impl IntoIterator<Item = (Method, &'s str)>,
        opts: &MatchOptions<'_>,
    ) -> Index {
        let mut index = Index {
            nodes: vec![Node::default()],
            leaves: Vec::new(),
            base: static_segs(base_path),
            aliases: Vec::new(),
            strict_slashes: opts.strict_slashes,
            conflicts: Vec::new(),
            len: 0,
        };
        for alias in opts.aliases {
            let segs = static_segs(alias);
            if segs.is_empty() || index.aliases.iter().any(|a| a.segs == segs) {
                continue;
            }
            let text = format!("/{}", segs.join("/"));
            index.aliases.push(Alias { text, segs });
        }
        let none = Vec::new();
        for (i, (method, template)) in templates.into_iter().enumerate() {
            let catch_all = opts.catch_all.get(i).unwrap_or(&none);
            index.insert(i, method, &SpecPath::parse(template, catch_all));
            index.len += 1;
        }
        index.conflicts.sort();
        index
    }

    /// Number of indexed endpoints.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Conflicting templates found while building, sorted.
    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }

    /// The alias prefix with this index, as `/v1`.
    pub fn alias(&self, i: usize) -> &str {
        self.aliases.get(i).map_or("", |a| a.text.as_str())
    }

    fn insert(&mut self, endpoint: usize, method: Method, path: &SpecPath) {
        let mut id: usize = 0;
        for seg in &path.segs {
            let next = self.nodes.len() as NodeId;
            let node = &mut self.nodes[id];
            let child = match seg {
                // Looked up first: the key is copied only when new.
                SpecSeg::Static(text) => match node.statics.get(text) {
                    Some(&child) => child,
                    None => {
                        node.statics.insert(text.clone(), next);
                        next
                    }
                },
                SpecSeg::Param => *node.param.get_or_insert(next),
                SpecSeg::CatchAll => *node.catch_all.get_or_insert(next),
                SpecSeg::Pattern(pieces) => {
                    match node.patterns.iter().find(|p| p.pieces == *pieces) {
                        Some(p) => p.node,
                        None => {
                            node.patterns.push(PatternChild {
                                rank: literal_len(pieces),
                                pieces: pieces.clone(),
                                node: next,
                            });
                            node.patterns.sort_by(|a, b| {
                                b.rank.cmp(&a.rank).then_with(|| a.pieces.cmp(&b.pieces))
                            });
                            next
                        }
                    }
                }
            };
            if child == next {
                self.nodes.push(Node {
                    via_catch_all: matches!(seg, SpecSeg::CatchAll),
                    ..Node::default()
                });
            }
            id = child as usize;
        }
        let slot = usize::from(path.trailing_slash);
        let leaf = match self.nodes[id].ends[slot] {
            Some(l) => l as usize,
            None => {
                self.leaves.push(Leaf::default());
                let l = self.leaves.len() - 1;
                self.nodes[id].ends[slot] = Some(l as LeafId);
                l
            }
        };
        let entries = &mut self.leaves[leaf].entries;
        if let Some(&(_, with)) = entries.iter().find(|&&(m, _)| m == method) {
            self.conflicts.push(Conflict {
                method,
                endpoint,
                with: with as usize,
            });
        }
        entries.push((method, endpoint as u32));
        entries.sort_unstable();
    }

    /// Finds the endpoint a `method` request to `url` (a path template with
    /// `{placeholder}` pieces; query and fragment ignored) reaches.
    pub fn lookup(&self, method: Method, url: &str) -> Lookup {
        let (iter, trailing) = split(call_path(url));
        let mut inline = [""; INLINE];
        let mut heap = Vec::new();
        let mut n = 0;
        for seg in iter {
            if n < INLINE {
                inline[n] = seg;
            } else {
                if heap.is_empty() {
                    heap.extend_from_slice(&inline);
                }
                heap.push(seg);
            }
            n += 1;
        }
        let segs: &[&str] = if n <= INLINE { &inline[..n] } else { &heap };
        let mut view = segs;
        let mut trailing = trailing;
        if !self.base.is_empty()
            && segs.len() >= self.base.len()
            && segs.iter().zip(&self.base).all(|(s, b)| *s == &**b)
        {
            view = &segs[self.base.len()..];
            if view.is_empty() {
                trailing = false;
            }
        }
        self.resolve(method, view, trailing)
    }

    fn resolve(&self, method: Method, view: &[&str], trailing: bool) -> Lookup {
        let want = Want::Method(method);
        if let Some((hits, alias)) = self.attempt(view, trailing, want) {
            let notes = Notes {
                redirect: false,
                alias,
            };
            return self.matched(method, &hits, notes);
        }
        if let Some((hits, _)) = self.attempt(view, trailing, Want::Any) {
            return self.wrong_method(&hits);
        }
        if view.is_empty() {
            return Lookup::NoPath { slash_twin: None };
        }
        if let Some((hits, alias)) = self.attempt(view, !trailing, want) {
            let notes = Notes {
                redirect: true,
                alias,
            };
            return match self.matched(method, &hits, notes) {
                Lookup::Matched { endpoint, .. } if self.strict_slashes => Lookup::NoPath {
                    slash_twin: Some(endpoint),
                },
                _ if self.strict_slashes => Lookup::NoPath { slash_twin: None },
                found => found,
            };
        }
        if !self.strict_slashes {
            if let Some((hits, _)) = self.attempt(view, !trailing, Want::Any) {
                return self.wrong_method(&hits);
            }
        }
        Lookup::NoPath { slash_twin: None }
    }

    /// The call as written, then under each alias.
    fn attempt(&self, view: &[&str], trailing: bool, want: Want) -> Option<(Hits, Option<usize>)> {
        if let Some(hits) = self.find(0, view, trailing, want) {
            return Some((hits, None));
        }
        for (i, alias) in self.aliases.iter().enumerate() {
            let found = with_prefix(&alias.segs, view, |segs| self.find(0, segs, trailing, want));
            if let Some(hits) = found {
                return Some((hits, Some(i)));
            }
        }
        None
    }

    fn matched(&self, method: Method, hits: &Hits, notes: Notes) -> Lookup {
        let mut candidates: Vec<usize> = Vec::new();
        for &leaf in hits.leaves() {
            if let Some(l) = self.leaves.get(leaf as usize) {
                candidates.extend(
                    l.entries
                        .iter()
                        .filter(|&&(m, _)| m == method)
                        .map(|&(_, e)| e as usize),
                );
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        match candidates[..] {
            [endpoint] => Lookup::Matched { endpoint, notes },
            [] => Lookup::NoPath { slash_twin: None },
            _ => Lookup::Ambiguous { candidates },
        }
    }

    fn wrong_method(&self, hits: &Hits) -> Lookup {
        let mut allowed: Vec<Method> = hits
            .leaves()
            .iter()
            .filter_map(|&l| self.leaves.get(l as usize))
            .flat_map(|l| l.entries.iter().map(|&(m, _)| m))
            .collect();
        allowed.sort_unstable();
        allowed.dedup();
        Lookup::WrongMethod { allowed }
    }

    /// Depth-first search in specificity order; the first leaf found is the
    /// most specific. Equally ranked in-segment templates that both lead to a
    /// leaf make the answer ambiguous.
    fn find(&self, id: NodeId, segs: &[&str], trailing: bool, want: Want) -> Option<Hits> {
        let node = self.nodes.get(id as usize)?;
        let Some((&seg, rest)) = segs.split_first() else {
            return self.at_end(node, trailing, want);
        };
        let kind = classify_call(seg);
        if kind == CallSeg::Literal {
            if let Some(&child) = node.statics.get(seg) {
                if let Some(hits) = self.find(child, rest, trailing, want) {
                    return Some(hits);
                }
            }
        }
        if kind != CallSeg::Dynamic && !node.patterns.is_empty() {
            let mut acc: Option<Hits> = None;
            let mut rank = usize::MAX;
            for p in &node.patterns {
                if p.rank != rank {
                    if acc.is_some() {
                        return acc;
                    }
                    rank = p.rank;
                }
                if path::pattern_matches(&p.pieces, seg) {
                    if let Some(hits) = self.find(p.node, rest, trailing, want) {
                        acc = Some(Hits::merge(acc, hits));
                    }
                }
            }
            if acc.is_some() {
                return acc;
            }
        }
        if let Some(child) = node.param {
            if !seg.is_empty() {
                if let Some(hits) = self.find(child, rest, trailing, want) {
                    return Some(hits);
                }
            }
        }
        if let Some(child) = node.catch_all {
            for take in 1..=segs.len() {
                if let Some(hits) = self.find(child, &segs[take..], trailing, want) {
                    return Some(hits);
                }
            }
        }
        None
    }

    fn at_end(&self, node: &Node, trailing: bool, want: Want) -> Option<Hits> {
        let mut slots = [Some(usize::from(trailing)), None];
        if trailing && node.via_catch_all {
            slots[1] = Some(0);
        }
        let accepts = |leaf: &LeafId| {
            self.leaves
                .get(*leaf as usize)
                .is_some_and(|l| l.accepts(want))
        };
        let found = slots
            .into_iter()
            .flatten()
            .filter_map(|slot| node.ends[slot])
            .find(accepts);
        // `/files/` reaches `/files/{p:path}` with an empty value, as the
        // service's `.*` pattern does.
        let empty_catch_all = || {
            let child = node.catch_all.and_then(|c| self.nodes.get(c as usize))?;
            child.ends[0].filter(accepts)
        };
        found
            .or_else(|| if trailing { empty_catch_all() } else { None })
            .map(Hits::One)
    }
}

/// A fast hash for short path segments (the multiply-rotate scheme rustc
/// uses for its own tables). The trie never iterates its maps, so the hash
/// cannot change any output.
#[derive(Debug, Default, Clone, Copy)]
struct SegHasher(u64);

impl Hasher for SegHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Static segments of a prefix such as `/v1/` (empty for `/` or ``).
fn static_segs(prefix: &str) -> Vec<Box<str>> {
    let (iter, _) = split(prefix.trim());
    iter.filter(|s| !s.is_empty()).map(Box::from).collect()
}

/// Calls `f` with `prefix` followed by `view`, on the stack when short.
fn with_prefix<R>(prefix: &[Box<str>], view: &[&str], f: impl FnOnce(&[&str]) -> R) -> R {
    let n = prefix.len() + view.len();
    let joined = prefix.iter().map(|s| &**s).chain(view.iter().copied());
    if n <= INLINE {
        let mut inline = [""; INLINE];
        for (slot, seg) in inline.iter_mut().zip(joined) {
            *slot = seg;
        }
        f(&inline[..n])
    } else {
        let heap: Vec<&str> = joined.collect();
        f(&heap)
    }
}

#[cfg(test)]
mod tests;
