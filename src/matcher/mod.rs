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
//!
//! The trie is laid out flat so that a lookup touches few cache lines
//! however large the spec: nodes are small fixed-size records in one
//! `Vec`; every static edge of every node sits in one hash table keyed by
//! (parent, text) (see `statics`); the endpoints ending at a node are a
//! range of one sorted `Vec`. A lookup scans the call once, keys its
//! segments once, on the stack, and allocates only for an answer that
//! carries a list (`WrongMethod`, `Ambiguous`) or a path of more than
//! 16 segments.

mod path;
mod statics;

pub use path::call_path;
use path::{classify_call, literal_len, parse_spec_seg, split, CallSeg, Piece, SpecSeg};
use statics::{node_place, static_place, Key, Statics, ROOT_PLACE};

use crate::method::Method;
use crate::prefetch::{prefetch, prefetch_all};
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

/// No such node (a missing parameter or catch-all child, no pattern list).
const NONE: u32 = u32::MAX;

/// The endpoints that end at one node, for one trailing-slash variant.
/// Empty when none does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Leaf {
    /// `Index::entries[start..start + len]`; or, when `direct`, the first
    /// endpoint's number.
    start: u32,
    len: u32,
    /// The endpoints' methods, a bit each (bit `i` for `Method::ALL[i]`).
    methods: u8,
    /// The leaf holds one endpoint per method, numbered from `start` in
    /// method order (the common case, as a spec sorted by path and method
    /// gives them): a lookup finds its endpoint without reading `entries`.
    direct: bool,
}

/// One node of the trie. Its static children are in `Index::statics`.
#[derive(Debug, Clone, Copy)]
#[repr(align(32))]
struct Node {
    param: NodeId,
    catch_all: NodeId,
    /// Index into `Index::patterns`, or [`NONE`] without in-segment
    /// templates.
    patterns: u32,
    /// Reached through a catch-all: a trailing slash is part of its value.
    via_catch_all: bool,
    /// For the path without / with a trailing slash: `Leaf::methods`, and
    /// `Leaf::direct` as bit 0 / 1 of `direct`.
    methods: [u8; 2],
    direct: u8,
    /// For the path without / with a trailing slash: `Leaf::start`,
    /// `Leaf::len`.
    ends: [(u32, u32); 2],
}

impl Node {
    /// The endpoints that end here, without (`slot` 0) or with (1) a
    /// trailing slash.
    #[inline]
    fn leaf(&self, slot: usize) -> Option<Leaf> {
        let &(start, len) = self.ends.get(slot)?;
        Some(Leaf {
            start,
            len,
            methods: self.methods.get(slot).copied().unwrap_or(0),
            direct: self.direct & (1 << slot) != 0,
        })
    }
}

const NEW_NODE: Node = Node {
    param: NONE,
    catch_all: NONE,
    patterns: NONE,
    via_catch_all: false,
    methods: [0; 2],
    direct: 0,
    ends: [(0, 0); 2],
};

/// The bit of `method` in `Leaf::methods`.
#[inline]
fn method_bit(method: Method) -> u8 {
    1 << (method as u8)
}

#[derive(Debug)]
struct PatternChild {
    rank: usize,
    pieces: Box<[Piece]>,
    node: NodeId,
}

#[derive(Debug, Clone, Copy)]
enum Want {
    Method(Method),
    Any,
}

/// One leaf, or several equally specific ones.
#[derive(Debug)]
enum Hits {
    One(Leaf),
    Many(Vec<Leaf>),
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

    fn leaves(&self) -> &[Leaf] {
        match self {
            Hits::One(l) => std::slice::from_ref(l),
            Hits::Many(v) => v,
        }
    }
}

/// One segment of a call, classified and keyed once per lookup.
#[derive(Debug, Clone, Copy)]
struct Seg<'a> {
    text: &'a str,
    key: Key,
    kind: CallSeg,
}

const NO_SEG: Seg<'static> = Seg {
    text: "",
    key: Key::EMPTY,
    kind: CallSeg::Literal,
};

impl<'a> Seg<'a> {
    /// `open`: the text holds a `{` (else it is plain text).
    fn new(text: &'a str, open: bool) -> Seg<'a> {
        let kind = if open {
            classify_call(text)
        } else {
            CallSeg::Literal
        };
        let key = if kind == CallSeg::Literal {
            Key::new(text)
        } else {
            Key::EMPTY
        };
        Seg { text, key, kind }
    }
}

#[derive(Debug)]
struct Alias {
    text: String,
    segs: Vec<(Box<str>, Key, CallSeg)>,
    /// The place (see `statics`) the alias's segments lead to from the
    /// root, when they are all static text.
    place: Option<u64>,
}

/// The index over a spec's endpoints.
#[derive(Debug)]
pub struct Index {
    nodes: Vec<Node>,
    statics: Statics,
    /// In-segment templates of one node each, sorted by descending literal
    /// length, then pieces.
    patterns: Vec<Vec<PatternChild>>,
    /// (method, endpoint) of every endpoint, sorted within each leaf.
    entries: Vec<(Method, u32)>,
    base: Vec<Box<str>>,
    aliases: Vec<Alias>,
    strict_slashes: bool,
    conflicts: Vec<Conflict>,
    len: usize,
    /// Segments of the longest alias: room a lookup leaves before the call's.
    alias_room: usize,
    /// A bit per static child of the root (see `Statics::filter_bit`): a call
    /// tried as written and under each alias starts at the root, and most
    /// of its first segments are no child there.
    root_filter: u64,
}

/// How many calls ahead [`Index::lookup_each`] asks for a call's text, and
/// how many endpoints ahead [`Index::build`] asks for a path's.
const AHEAD: usize = 8;

/// How many of a call's static edges a lookup fetches ahead.
const PREFETCH_DEPTH: usize = 6;

/// Segments kept on the stack for paths up to this many segments.
const INLINE: usize = 16;

impl Index {
    /// Indexes every endpoint of `spec`.
    pub fn build(spec: &Spec, opts: &MatchOptions<'_>) -> Index {
        // Each path's text is fetched a few endpoints before it is read:
        // the texts lie wherever the spec reader allocated them.
        let endpoints = &spec.endpoints;
        Index::from_templates(
            &spec.base_path,
            endpoints.iter().enumerate().map(|(i, e)| {
                if let Some(ahead) = endpoints.get(i + AHEAD) {
                    prefetch(ahead.path.as_bytes());
                }
                (e.method, e.path.as_str())
            }),
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
        let templates = templates.into_iter();
        let hint = templates.size_hint().0;
        let mut index = Index {
            nodes: Vec::with_capacity(hint + 1),
            // About one static edge per two endpoints in a typical spec; the
            // table grows when there are more.
            statics: Statics::with_capacity(hint / 2),
            patterns: Vec::new(),
            entries: Vec::new(),
            base: static_segs(base_path),
            aliases: Vec::new(),
            strict_slashes: opts.strict_slashes,
            conflicts: Vec::new(),
            len: 0,
            alias_room: 0,
            root_filter: 0,
        };
        index.nodes.push(NEW_NODE);
        for alias in opts.aliases {
            let segs = static_segs(alias);
            if segs.is_empty() || index.aliases.iter().any(|a| same_segs(&a.segs, &segs)) {
                continue;
            }
            let text = format!("/{}", segs.join("/"));
            let segs = segs
                .into_iter()
                .map(|s| {
                    let seg = Seg::new(&s, s.contains('{'));
                    let (key, kind) = (seg.key, seg.kind);
                    (s, key, kind)
                })
                .collect::<Vec<_>>();
            index.alias_room = index.alias_room.max(segs.len());
            let place = segs.iter().try_fold(ROOT_PLACE, |place, (_, key, kind)| {
                (*kind == CallSeg::Literal).then(|| static_place(place, key))
            });
            index.aliases.push(Alias { text, segs, place });
        }
        // (node, slot, method, endpoint) for every endpoint, in spec order.
        let mut ends: Vec<(NodeId, u8, Method, u32)> = Vec::with_capacity(hint);
        let none = Vec::new();
        for (i, (method, template)) in templates.enumerate() {
            let catch_all = opts.catch_all.get(i).unwrap_or(&none);
            let (node, slot) = index.insert(template, catch_all);
            ends.push((node, slot, method, i as u32));
            index.len += 1;
        }
        index.place_entries(&ends);
        index.statics.fit();
        for list in &mut index.patterns {
            list.sort_by(|a, b| b.rank.cmp(&a.rank).then_with(|| a.pieces.cmp(&b.pieces)));
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

    /// Walks (adding nodes as needed) to the node where `template` ends;
    /// returns it and the trailing-slash slot.
    fn insert(&mut self, template: &str, catch_all: &[String]) -> (NodeId, u8) {
        let is_catch_all = |name: &str| catch_all.iter().any(|c| c == name);
        let (segs, trailing_slash) = split(template);
        let mut id: NodeId = 0;
        let mut place = ROOT_PLACE;
        for text in segs {
            let seg = parse_spec_seg(text, &is_catch_all);
            let next = self.nodes.len() as NodeId;
            let via_catch_all = matches!(seg, SpecSeg::CatchAll);
            let (child, at) = match seg {
                SpecSeg::Static(text) => {
                    if id == 0 {
                        self.root_filter |= Statics::filter_bit(&Key::new(text));
                    }
                    self.statics.get_or_insert(id, place, text, next)
                }
                SpecSeg::Param => placed(self.child_slot(id, |n| &mut n.param, next)),
                SpecSeg::CatchAll => placed(self.child_slot(id, |n| &mut n.catch_all, next)),
                SpecSeg::Pattern(pieces) => placed(self.pattern_child(id, pieces, next)),
            };
            if child == next {
                self.nodes.push(Node {
                    via_catch_all,
                    ..NEW_NODE
                });
            }
            id = child;
            place = at;
        }
        (id, u8::from(trailing_slash))
    }

    /// The child in the field `slot` picks of node `id`, set to `next` when
    /// there is none yet.
    fn child_slot(
        &mut self,
        id: NodeId,
        slot: impl FnOnce(&mut Node) -> &mut NodeId,
        next: NodeId,
    ) -> NodeId {
        let Some(node) = self.nodes.get_mut(id as usize) else {
            return next;
        };
        let child = slot(node);
        if *child == NONE {
            *child = next;
        }
        *child
    }

    /// The child of node `id` by the in-segment template `pieces`, added
    /// as `next` when new.
    fn pattern_child(&mut self, id: NodeId, pieces: Box<[Piece]>, next: NodeId) -> NodeId {
        let Some(node) = self.nodes.get_mut(id as usize) else {
            return next;
        };
        if node.patterns == NONE {
            node.patterns = self.patterns.len() as u32;
            self.patterns.push(Vec::new());
        }
        let Some(list) = self.patterns.get_mut(node.patterns as usize) else {
            return next;
        };
        if let Some(p) = list.iter().find(|p| p.pieces == pieces) {
            return p.node;
        }
        list.push(PatternChild {
            rank: literal_len(&pieces),
            pieces,
            node: next,
        });
        next
    }

    /// Groups the endpoints by the node and slot they end at (in linear
    /// time: counted, then placed), sorts each group by (method,
    /// endpoint), and records endpoints of one method that end at the same
    /// place as conflicting with the first of them.
    fn place_entries(&mut self, ends: &[(NodeId, u8, Method, u32)]) {
        // Each node's slots get a group id in order of first use.
        let mut group_of = vec![[NONE; 2]; self.nodes.len()];
        let mut counts: Vec<u32> = Vec::new();
        let mut groups: Vec<u32> = Vec::with_capacity(ends.len());
        for &(node, slot, _, _) in ends {
            let Some(g) = group_of
                .get_mut(node as usize)
                .and_then(|s| s.get_mut(usize::from(slot)))
            else {
                continue;
            };
            if *g == NONE {
                *g = counts.len() as u32;
                counts.push(0);
            }
            if let Some(c) = counts.get_mut(*g as usize) {
                *c += 1;
            }
            groups.push(*g);
        }
        // Starts of each group, then every entry at its place.
        let mut starts = Vec::with_capacity(counts.len());
        let mut total = 0u32;
        for &c in &counts {
            starts.push(total);
            total += c;
        }
        let mut fill = starts.clone();
        let mut entries = vec![(Method::Get, 0u32); ends.len()];
        for (&(_, _, method, endpoint), &g) in ends.iter().zip(&groups) {
            if let Some(at) = fill.get_mut(g as usize) {
                if let Some(e) = entries.get_mut(*at as usize) {
                    *e = (method, endpoint);
                }
                *at += 1;
            }
        }
        // Each group's leaf, once its entries are sorted.
        let mut leaves = Vec::with_capacity(counts.len());
        for (&start, &len) in starts.iter().zip(&counts) {
            let Some(group) = entries.get_mut(start as usize..(start + len) as usize) else {
                leaves.push(Leaf::default());
                continue;
            };
            group.sort_unstable();
            let methods = group.iter().fold(0, |bits, &(m, _)| bits | method_bit(m));
            let first = group.first().map_or(0, |&(_, e)| e);
            let direct = methods.count_ones() == len
                && group
                    .iter()
                    .enumerate()
                    .all(|(k, &(_, e))| u64::from(e) == u64::from(first) + k as u64);
            leaves.push(Leaf {
                start: if direct { first } else { start },
                len,
                methods,
                direct,
            });
            let mut first: Option<(Method, u32)> = None;
            for &(method, endpoint) in group.iter() {
                match first {
                    Some((m, with)) if m == method => self.conflicts.push(Conflict {
                        method,
                        endpoint: endpoint as usize,
                        with: with as usize,
                    }),
                    _ => first = Some((method, endpoint)),
                }
            }
        }
        for (node, slots) in self.nodes.iter_mut().zip(&group_of) {
            for (slot, &g) in slots.iter().enumerate() {
                let Some(leaf) = leaves.get(g as usize) else {
                    continue;
                };
                if let (Some(end), Some(methods)) =
                    (node.ends.get_mut(slot), node.methods.get_mut(slot))
                {
                    *end = (leaf.start, leaf.len);
                    *methods = leaf.methods;
                }
                if leaf.direct {
                    node.direct |= 1 << slot;
                }
            }
        }
        self.entries = entries;
    }

    /// Calls `f` with each (method, endpoint) of `leaf`, sorted.
    fn each_entry(&self, leaf: Leaf, mut f: impl FnMut(Method, u32)) {
        if leaf.direct {
            let mut endpoint = leaf.start;
            for method in Method::ALL {
                if leaf.methods & method_bit(method) != 0 {
                    f(method, endpoint);
                    endpoint += 1;
                }
            }
            return;
        }
        let start = leaf.start as usize;
        for &(method, endpoint) in self
            .entries
            .get(start..start + leaf.len as usize)
            .unwrap_or_default()
        {
            f(method, endpoint);
        }
    }

    fn accepts(&self, leaf: Leaf, want: Want) -> bool {
        match want {
            Want::Any => leaf.len > 0,
            Want::Method(m) => leaf.methods & method_bit(m) != 0,
        }
    }

    /// Finds the endpoint a `method` request to `url` (a path template with
    /// `{placeholder}` pieces; query and fragment ignored) reaches.
    pub fn lookup(&self, method: Method, url: &str) -> Lookup {
        // The call's segments go after room for the longest alias, so that
        // trying the call under an alias writes only the alias's segments.
        let room = self.alias_room;
        let mut inline = [NO_SEG; INLINE];
        let mut heap = Vec::new();
        let mut n = room;
        let trailing = path::split_call(url, |text, open| {
            let seg = Seg::new(text, open);
            if let Some(slot) = inline.get_mut(n) {
                *slot = seg;
            } else {
                if heap.is_empty() {
                    heap.extend_from_slice(&inline);
                }
                heap.push(seg);
            }
            n += 1;
        });
        let segs: &mut [Seg] = if n <= INLINE {
            inline.get_mut(..n).unwrap_or_default()
        } else {
            &mut heap
        };
        let mut start = room;
        let mut trailing = trailing;
        let call = segs.get(room..).unwrap_or_default();
        if !self.base.is_empty()
            && call.len() >= self.base.len()
            && call.iter().zip(&self.base).all(|(s, b)| s.text == &**b)
        {
            start += self.base.len();
            if start == segs.len() {
                trailing = false;
            }
        }
        self.prefetch_statics(segs.get(start..).unwrap_or_default());
        self.resolve(method, segs, start, trailing)
    }

    /// Starts fetching the static edges the call's leading run of static
    /// segments will probe, as written and under each alias: those probes
    /// then wait for memory together instead of one after the other.
    fn prefetch_statics(&self, call: &[Seg]) {
        let chain = |mut place: u64| {
            for seg in call.iter().take(PREFETCH_DEPTH) {
                if seg.kind != CallSeg::Literal {
                    break;
                }
                place = static_place(place, &seg.key);
                self.statics.prefetch(place);
            }
        };
        if call
            .first()
            .is_some_and(|s| self.root_filter & Statics::filter_bit(&s.key) != 0)
        {
            chain(ROOT_PLACE);
        }
        for place in self.aliases.iter().filter_map(|a| a.place) {
            chain(place);
        }
    }

    /// Looks up, in order, the call of each of `items` (as [`Index::lookup`]
    /// does one) and gives `f` each item's index and lookup; an item
    /// without a call (`call` gives `None`) is skipped. While one call is
    /// looked up, the text of the call [`AHEAD`] places on is already
    /// being fetched: with calls in their thousands, their texts are no
    /// longer in the CPU's caches, and each lookup would otherwise begin by
    /// waiting for memory.
    pub fn lookup_each<'u, T>(
        &self,
        items: &'u [T],
        call: impl Fn(&'u T) -> Option<(Method, &'u str)>,
        mut f: impl FnMut(usize, Lookup),
    ) {
        for (i, item) in items.iter().enumerate() {
            // The item whose call text is asked for next, then that text.
            if let Some(further) = items.get(i + 2 * AHEAD) {
                prefetch_all(further);
            }
            if let Some((_, ahead)) = items.get(i + AHEAD).and_then(&call) {
                prefetch(ahead.as_bytes());
            }
            if let Some((method, url)) = call(item) {
                f(i, self.lookup(method, url));
            }
        }
    }

    /// Resolves the call `segs[start..]`; the segments before `start` are
    /// room for an alias.
    fn resolve<'a>(
        &'a self,
        method: Method,
        segs: &mut [Seg<'a>],
        start: usize,
        trailing: bool,
    ) -> Lookup {
        let want = Want::Method(method);
        if let Some((hits, alias)) = self.attempt(segs, start, trailing, want) {
            let notes = Notes {
                redirect: false,
                alias,
            };
            return self.matched(method, &hits, notes);
        }
        if let Some((hits, _)) = self.attempt(segs, start, trailing, Want::Any) {
            return self.wrong_method(&hits);
        }
        if start >= segs.len() {
            return Lookup::NoPath { slash_twin: None };
        }
        if let Some((hits, alias)) = self.attempt(segs, start, !trailing, want) {
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
            if let Some((hits, _)) = self.attempt(segs, start, !trailing, Want::Any) {
                return self.wrong_method(&hits);
            }
        }
        Lookup::NoPath { slash_twin: None }
    }

    /// The call `segs[start..]` as written, then under each alias (written
    /// into the room before `start`).
    fn attempt<'a>(
        &'a self,
        segs: &mut [Seg<'a>],
        start: usize,
        trailing: bool,
        want: Want,
    ) -> Option<(Hits, Option<usize>)> {
        if let Some(hits) = self.find(0, ROOT_PLACE, segs.get(start..)?, trailing, want) {
            return Some((hits, None));
        }
        for (i, alias) in self.aliases.iter().enumerate() {
            let from = start.checked_sub(alias.segs.len())?;
            let room = segs.get_mut(from..start)?;
            for (slot, (text, key, kind)) in room.iter_mut().zip(&alias.segs) {
                *slot = Seg {
                    text,
                    key: *key,
                    kind: *kind,
                };
            }
            if let Some(hits) = self.find(0, ROOT_PLACE, segs.get(from..)?, trailing, want) {
                return Some((hits, Some(i)));
            }
        }
        None
    }

    fn matched(&self, method: Method, hits: &Hits, notes: Notes) -> Lookup {
        // The common answer, one endpoint at one leaf, without allocating.
        if let Hits::One(leaf) = hits {
            let bit = method_bit(method);
            if leaf.methods & bit == 0 {
                return Lookup::NoPath { slash_twin: None };
            }
            if leaf.direct {
                // The endpoints of the methods before this one come first.
                let before = (leaf.methods & (bit - 1)).count_ones();
                return Lookup::Matched {
                    endpoint: (leaf.start + before) as usize,
                    notes,
                };
            }
        }
        let mut candidates: Vec<usize> = Vec::new();
        for &leaf in hits.leaves() {
            self.each_entry(leaf, |m, e| {
                if m == method {
                    candidates.push(e as usize);
                }
            });
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
        let bits = hits.leaves().iter().fold(0, |bits, l| bits | l.methods);
        // In method order, each once.
        let allowed: Vec<Method> = Method::ALL
            .into_iter()
            .filter(|&m| bits & method_bit(m) != 0)
            .collect();
        Lookup::WrongMethod { allowed }
    }

    /// Depth-first search in specificity order; the first leaf found is the
    /// most specific. Equally ranked in-segment templates that both lead to a
    /// leaf make the answer ambiguous.
    fn find(
        &self,
        id: NodeId,
        place: u64,
        segs: &[Seg],
        trailing: bool,
        want: Want,
    ) -> Option<Hits> {
        let Some((seg, rest)) = segs.split_first() else {
            let node = self.nodes.get(id as usize)?;
            return self.at_end(node, trailing, want);
        };
        // The static child first, found without reading the node itself.
        if seg.kind == CallSeg::Literal
            && (id != 0 || self.root_filter & Statics::filter_bit(&seg.key) != 0)
        {
            let at = static_place(place, &seg.key);
            if let Some(child) = self.statics.get(id, at, seg.text, &seg.key) {
                if let Some(hits) = self.find(child, at, rest, trailing, want) {
                    return Some(hits);
                }
            }
        }
        let node = self.nodes.get(id as usize)?;
        if seg.kind != CallSeg::Dynamic && node.patterns != NONE {
            let patterns = self
                .patterns
                .get(node.patterns as usize)
                .map_or(&[][..], |p| &p[..]);
            let mut acc: Option<Hits> = None;
            let mut rank = usize::MAX;
            for p in patterns {
                if p.rank != rank {
                    if acc.is_some() {
                        return acc;
                    }
                    rank = p.rank;
                }
                if path::pattern_matches(&p.pieces, seg.text) {
                    if let Some(hits) = self.find(p.node, node_place(p.node), rest, trailing, want)
                    {
                        acc = Some(Hits::merge(acc, hits));
                    }
                }
            }
            if acc.is_some() {
                return acc;
            }
        }
        if node.param != NONE && !seg.text.is_empty() {
            if let Some(hits) = self.find(node.param, node_place(node.param), rest, trailing, want)
            {
                return Some(hits);
            }
        }
        if node.catch_all != NONE {
            for take in 1..=segs.len() {
                let after = segs.get(take..).unwrap_or_default();
                let at = node_place(node.catch_all);
                if let Some(hits) = self.find(node.catch_all, at, after, trailing, want) {
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
        let accepts = |leaf: &Leaf| self.accepts(*leaf, want);
        let found = slots
            .into_iter()
            .flatten()
            .filter_map(|slot| node.leaf(slot))
            .find(accepts);
        // `/files/` reaches `/files/{p:path}` with an empty value, as the
        // service's `.*` pattern does.
        let empty_catch_all = || {
            let child = self.nodes.get(node.catch_all as usize)?;
            child.leaf(0).filter(accepts)
        };
        found
            .or_else(|| if trailing { empty_catch_all() } else { None })
            .map(Hits::One)
    }
}

/// A node reached otherwise than by static text, with its place.
fn placed(id: NodeId) -> (NodeId, u64) {
    (id, node_place(id))
}

/// Static segments of a prefix such as `/v1/` (empty for `/` or ``).
fn static_segs(prefix: &str) -> Vec<Box<str>> {
    let (iter, _) = split(prefix.trim());
    iter.filter(|s| !s.is_empty()).map(Box::from).collect()
}

fn same_segs(a: &[(Box<str>, Key, CallSeg)], b: &[Box<str>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|((x, _, _), y)| x == y)
}

#[cfg(test)]
mod tests;
