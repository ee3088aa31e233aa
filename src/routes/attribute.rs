//! Attribution: which declaration declares each spec endpoint.
//!
//! Three tiers, each tried only when the one before found nothing:
//!
//! 1. a declaration whose full path is known and has the endpoint's shape
//!    (with or without the spec's base path), same method;
//! 2. a declaration whose prefix is unknown, by the longest known suffix:
//!    the spec path ends with it, same method;
//! 3. a declaration whose full path is known but mounted where the spec
//!    does not say, by the same longest-suffix rule (a suffix of at least
//!    one segment).
//!
//! Shapes compare parameters by position and drop converters, so the
//! source's `{uri:path}` is the spec's `{uri}`; a trailing slash counts
//! (`/teams` and `/teams/` are two endpoints). Hidden declarations
//! (`include_in_schema=False`) are not in the spec and never attributed.
//! When several declarations share the endpoint's shape (templates that
//! differ only in parameter names), the one whose parameter names are the
//! endpoint's wins; other ties go to the first declaration in file and line
//! order.

use std::hash::{Hash as _, Hasher as _};

use rustc_hash::FxHasher;

use crate::audit::Declaration;
use crate::method::Method;
use crate::route::{RouteKnowledge, Routes};
use crate::spec::Spec;

use super::template::{boundary_suffixes, push_shape, same_param_names, Params};

/// No declaration. Declarations are numbered in `u32`: four billion of them
/// would take hundreds of gigabytes of source.
const NONE: u32 = u32::MAX;

/// The declarations of one method and shape.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// First and last declaration with a known prefix (the exact tier and
    /// the known-elsewhere tier); the others in between are chained
    /// through `next`.
    known_first: u32,
    known_last: u32,
    /// First declaration with an unknown prefix.
    unknown_first: u32,
}

impl Slot {
    fn known(&self) -> Option<usize> {
        (self.known_first != NONE).then_some(self.known_first as usize)
    }

    fn unknown(&self) -> Option<usize> {
        (self.unknown_first != NONE).then_some(self.unknown_first as usize)
    }
}

/// The declarations' (method, shape) keys, in an open-addressing table
/// (linear probing, at most half full) whose first slot for a key can be
/// fetched from memory before the key is probed: with tens of thousands of
/// declarations the table outgrows the first-level cache and shares the
/// second with everything else being read, and the spec's endpoints are
/// looked up a few places ahead (see [`Shapes::prefetch`]).
struct Shapes<'a> {
    cells: Vec<Cell>,
    /// `64 - log2(cells.len())`: a key's first slot is its hash's top bits.
    shift: u32,
    /// The keys and their slots, in order of first declaration.
    keys: Vec<(Method, &'a str, Slot)>,
}

/// A slot of [`Shapes`]: the low half of a key's hash (its top bits chose
/// the slot) and one more than its index in `Shapes::keys` (0 when empty,
/// so that a new table is zeroed memory). Eight bytes: the table is half
/// the size a full hash would make it.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    tag: u32,
    key: u32,
}

/// The hash of a (method, shape) key, its top bits well mixed.
fn key_hash(method: Method, shape: &str) -> u64 {
    let mut h = FxHasher::default();
    method.hash(&mut h);
    shape.hash(&mut h);
    let mut x = h.finish();
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^ (x >> 33)
}

impl<'a> Shapes<'a> {
    /// A table for at most `keys` keys, never resized.
    fn with_capacity(keys: usize) -> Shapes<'a> {
        let len = keys.saturating_mul(2).max(16).next_power_of_two();
        Shapes {
            cells: vec![Cell::default(); len],
            shift: 64 - len.trailing_zeros(),
            keys: Vec::with_capacity(keys),
        }
    }

    /// The cell index a key of this hash is looked for first.
    #[inline]
    fn start(&self, hash: u64) -> usize {
        (hash >> self.shift) as usize
    }

    /// Starts fetching the first cell of a key of this hash.
    #[inline]
    fn prefetch(&self, hash: u64) {
        if let Some(cell) = self.cells.get(self.start(hash)) {
            crate::prefetch::prefetch(cell);
        }
    }

    /// The cell holding the key, or the empty cell where it would go.
    fn find(&self, method: Method, shape: &str, hash: u64) -> (usize, Option<usize>) {
        let mask = self.cells.len() - 1;
        let mut i = self.start(hash);
        loop {
            let Some(cell) = self.cells.get(i) else {
                return (i, None);
            };
            if cell.key == 0 {
                return (i, None);
            }
            if cell.tag == hash as u32 {
                let k = cell.key as usize - 1;
                if let Some(&(m, text, _)) = self.keys.get(k) {
                    if m == method && text == shape {
                        return (i, Some(k));
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    fn get(&self, method: Method, shape: &str, hash: u64) -> Option<&Slot> {
        let (_, key) = self.find(method, shape, hash);
        self.keys.get(key?).map(|(_, _, slot)| slot)
    }

    /// The slot of the key, added empty when new. The table never holds
    /// more keys than its capacity: one per declaration.
    fn entry(&mut self, method: Method, shape: &'a str, hash: u64) -> Option<&mut Slot> {
        let k = match self.find(method, shape, hash) {
            (_, Some(k)) => k,
            (i, None) => {
                let k = self.keys.len();
                *self.cells.get_mut(i)? = Cell {
                    tag: hash as u32,
                    key: k as u32 + 1,
                };
                self.keys.push((
                    method,
                    shape,
                    Slot {
                        known_first: NONE,
                        known_last: NONE,
                        unknown_first: NONE,
                    },
                ));
                k
            }
        };
        self.keys.get_mut(k).map(|(_, _, slot)| slot)
    }
}

/// How many endpoints ahead attribution fetches a key's first cell.
const AHEAD: usize = 8;

/// For each spec endpoint, the index in `routes.decls` of its declaration.
pub fn attribute_indices(routes: &Routes, spec: &Spec) -> Vec<Option<usize>> {
    attribute_with_converters(routes, spec).0
}

/// [`attribute_indices`], and per declaration whether its path names a
/// converter (only `{uri:path}` makes a catch-all).
fn attribute_with_converters(routes: &Routes, spec: &Spec) -> (Vec<Option<usize>>, Vec<bool>) {
    let decls = &routes.decls;
    // Every shape in one buffer, then one map keyed by method and a slice
    // of it: no string per declaration.
    let mut arena = String::with_capacity(decls.iter().map(|d| d.path.len()).sum());
    let mut ends = Vec::with_capacity(decls.len());
    let mut converters = Vec::with_capacity(decls.len());
    let mut hashes = Vec::with_capacity(decls.len());
    for (i, decl) in decls.iter().enumerate() {
        // Declarations are read in order, but each path is a text of its
        // own: both are fetched a few declarations early.
        if let Some(further) = decls.get(i + 2 * AHEAD) {
            crate::prefetch::prefetch_all(further);
        }
        if let Some(ahead) = decls.get(i + AHEAD) {
            crate::prefetch::prefetch(ahead.path.as_bytes());
        }
        let start = arena.len();
        converters.push(!decl.hidden && push_shape(&mut arena, &decl.path));
        hashes.push(key_hash(
            decl.method,
            arena.get(start..).unwrap_or_default(),
        ));
        ends.push(arena.len());
    }
    let mut slots = Shapes::with_capacity(decls.len());
    let mut next = vec![NONE; decls.len()];
    let mut any_unknown = false;
    let mut start = 0;
    for (i, ((decl, &end), &hash)) in decls.iter().zip(&ends).zip(&hashes).enumerate() {
        let key = arena.get(start..end).unwrap_or_default();
        start = end;
        if let Some(&ahead) = hashes.get(i + AHEAD) {
            slots.prefetch(ahead);
        }
        if decl.hidden {
            continue;
        }
        let Some(slot) = slots.entry(decl.method, key, hash) else {
            continue;
        };
        if decl.prefix_known {
            let i = i as u32;
            if let Some(last) = next.get_mut(slot.known_last as usize) {
                *last = i;
            } else {
                slot.known_first = i;
            }
            slot.known_last = i;
        } else if slot.unknown_first == NONE {
            slot.unknown_first = i as u32;
            any_unknown = true;
        }
    }

    let base = spec.base_path.trim_end_matches('/');
    let endpoints = &spec.endpoints;
    // Each endpoint's shape written after the base path, so that both
    // `shape` and `base + shape` are slices of one buffer; made `AHEAD`
    // endpoints early, with its hash, in a ring of buffers.
    let mut ring: [(String, u64); AHEAD] = Default::default();
    let shape_of = |buf: &mut String, endpoint: &crate::spec::Endpoint| {
        buf.clear();
        buf.push_str(base);
        push_shape(buf, &endpoint.path);
        key_hash(endpoint.method, buf.get(base.len()..).unwrap_or_default())
    };
    for (endpoint, (buf, hash)) in endpoints.iter().zip(ring.iter_mut()) {
        *hash = shape_of(buf, endpoint);
        slots.prefetch(*hash);
    }
    let mut indices = Vec::with_capacity(endpoints.len());
    for (i, endpoint) in endpoints.iter().enumerate() {
        let Some((buf, hash)) = ring.get_mut(i % AHEAD) else {
            indices.push(None);
            continue;
        };
        let method = endpoint.method;
        let spec_shape = buf.get(base.len()..).unwrap_or_default();
        let get = |key: &str| slots.get(method, key, key_hash(method, key));
        let known = |slot: &&Slot| slot.known().is_some();
        let exact = slots
            .get(method, spec_shape, *hash)
            .filter(known)
            .or_else(|| {
                (!base.is_empty())
                    .then(|| get(buf.as_str()).filter(known))
                    .flatten()
            });
        let found = if let Some(slot) = exact {
            Some(same_names(decls, &next, slot, &endpoint.path))
        } else {
            let by_suffix = |pick: fn(&Slot) -> Option<usize>, min_len: usize| {
                boundary_suffixes(spec_shape)
                    .filter(|suffix| suffix.len() >= min_len)
                    .find_map(|suffix| get(suffix).and_then(pick))
            };
            // A full path that is known but elsewhere must share at least a
            // segment; an unknown prefix may leave only `/` known.
            any_unknown
                .then(|| by_suffix(Slot::unknown, 0))
                .flatten()
                .or_else(|| by_suffix(Slot::known, 2))
        };
        indices.push(found);
        if let Some(further) = endpoints.get(i + 3 * AHEAD) {
            crate::prefetch::prefetch_all(further);
        }
        if let Some(further) = endpoints.get(i + 2 * AHEAD) {
            crate::prefetch::prefetch(further.path.as_bytes());
        }
        if let Some(ahead) = endpoints.get(i + AHEAD) {
            *hash = shape_of(buf, ahead);
            slots.prefetch(*hash);
        }
    }
    (indices, converters)
}

/// Among the known declarations of `slot` (same method and shape), the
/// first whose parameter names are those of `spec_path`, else the first.
fn same_names(
    decls: &[crate::route::RouteDecl],
    next: &[u32],
    slot: &Slot,
    spec_path: &str,
) -> usize {
    let first = slot.known_first as usize;
    if slot.known_first == slot.known_last {
        return first;
    }
    let mut i = first;
    while let Some(decl) = decls.get(i) {
        if same_param_names(&decl.path, spec_path) {
            return i;
        }
        i = match next.get(i) {
            Some(&n) if n != NONE => n as usize,
            _ => break,
        };
    }
    first
}

/// What the matcher and the audit need to know about `spec` from the
/// routes: each endpoint's declaration, its catch-all parameters, and the
/// hidden routes.
pub fn attribute(routes: &Routes, spec: &Spec) -> RouteKnowledge {
    let decls = &routes.decls;
    let (indices, converters) = attribute_with_converters(routes, spec);
    let mut declared = Vec::with_capacity(indices.len());
    let mut catch_all = Vec::with_capacity(indices.len());
    for (k, (endpoint, index)) in spec.endpoints.iter().zip(&indices).enumerate() {
        // The declaration a few endpoints on is fetched while this one's
        // is read.
        if let Some(ahead) = indices
            .get(k + AHEAD)
            .copied()
            .flatten()
            .and_then(|i| decls.get(i))
        {
            crate::prefetch::prefetch(ahead);
        }
        let decl = index.and_then(|i| Some((decls.get(i)?, converters.get(i) == Some(&true))));
        declared.push(decl.map(|(d, _)| Declaration {
            file: d.file.clone(),
            line: d.line,
        }));
        // Only a converter (`{uri:path}`) makes a catch-all.
        catch_all.push(match decl {
            Some((d, true)) => catch_all_names(&d.path, &endpoint.path),
            _ => Vec::new(),
        });
    }
    RouteKnowledge {
        declared,
        catch_all,
        hidden: decls.iter().filter(|d| d.hidden).cloned().collect(),
    }
}

/// The spec's names of the parameters the declaration takes with the
/// `:path` converter, lined up from the end (a known suffix holds the last
/// parameters).
fn catch_all_names(decl_path: &str, spec_path: &str) -> Vec<String> {
    let declared = Params::new(decl_path);
    let in_spec = Params::new(spec_path);
    let Some(skip) = in_spec
        .clone()
        .count()
        .checked_sub(declared.clone().count())
    else {
        return Vec::new();
    };
    declared
        .zip(in_spec.skip(skip))
        .filter(|(d, _)| d.catch_all)
        .map(|(_, s)| s.name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::RouteDecl;
    use crate::spec::Endpoint;

    fn decl(method: Method, path: &str, known: bool, line: u32, hidden: bool) -> RouteDecl {
        RouteDecl {
            method,
            path: path.to_string(),
            prefix_known: known,
            file: "app/x.py".into(),
            line,
            router: "router".to_string(),
            hidden,
        }
    }

    fn spec(base: &str, endpoints: &[(Method, &str)]) -> Spec {
        Spec {
            title: None,
            version: None,
            spec_version: "3.1.0".to_string(),
            base_path: base.to_string(),
            endpoints: endpoints
                .iter()
                .map(|&(method, path)| Endpoint {
                    method,
                    path: path.into(),
                    operation_id: None,
                    tags: Default::default(),
                    summary: None,
                    deprecated: false,
                })
                .collect(),
        }
    }

    fn lines(routes: &Routes, spec: &Spec) -> Vec<Option<u32>> {
        attribute(routes, spec)
            .declared
            .into_iter()
            .map(|d| d.map(|d| d.line))
            .collect()
    }

    #[test]
    fn exact_paths_with_parameters_by_position() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/v1/teams/{id}", true, 1, false),
                decl(Method::Delete, "/v1/teams/{id}", true, 2, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[
                (Method::Get, "/v1/teams/{team_id}"),
                (Method::Put, "/v1/teams/{team_id}"),
            ],
        );
        assert_eq!(lines(&routes, &spec), [Some(1), None]);
    }

    #[test]
    fn name_twins_each_get_the_declaration_with_their_parameter_names() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/v1/legacy/{id}", true, 1, false),
                decl(Method::Get, "/v1/legacy/{legacy_id:int}", true, 2, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[
                (Method::Get, "/v1/legacy/{legacy_id}"),
                (Method::Get, "/v1/legacy/{id}"),
                (Method::Get, "/v1/legacy/{other}"),
            ],
        );
        assert_eq!(lines(&routes, &spec), [Some(2), Some(1), Some(1)]);
    }

    #[test]
    fn slash_twins_each_get_their_own_declaration() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/teams", false, 10, false),
                decl(Method::Get, "/teams/", false, 11, false),
                decl(Method::Get, "/v1/tools", true, 20, false),
                decl(Method::Get, "/v1/tools/", true, 21, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[
                (Method::Get, "/v1/teams"),
                (Method::Get, "/v1/teams/"),
                (Method::Get, "/v1/tools"),
                (Method::Get, "/v1/tools/"),
            ],
        );
        assert_eq!(
            lines(&routes, &spec),
            [Some(10), Some(11), Some(20), Some(21)]
        );
    }

    #[test]
    fn unknown_prefixes_match_the_longest_known_suffix_of_the_same_method() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/{name}", false, 1, false),
                decl(Method::Get, "/plugins/{name}", false, 2, false),
                decl(Method::Post, "/plugins/{name}/enable", false, 3, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[
                (Method::Get, "/api/plugins/{plugin}"),
                (Method::Get, "/api/other/{x}"),
                (Method::Post, "/api/plugins/{plugin}/enable"),
                (Method::Get, "/api/plugins/{plugin}/enable"),
            ],
        );
        assert_eq!(lines(&routes, &spec), [Some(2), Some(1), Some(3), None]);
    }

    #[test]
    fn hidden_routes_are_known_but_never_attributed() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/favicon.ico", true, 1, true),
                decl(Method::Get, "/teams", true, 2, true),
                decl(Method::Get, "/v1/teams", true, 2, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[(Method::Get, "/favicon.ico"), (Method::Get, "/v1/teams")],
        );
        let knowledge = attribute(&routes, &spec);
        assert_eq!(knowledge.declared[0], None);
        assert_eq!(knowledge.declared[1].as_ref().map(|d| d.line), Some(2));
        assert_eq!(knowledge.hidden.len(), 2);
    }

    #[test]
    fn base_path_and_mounts_the_source_does_not_show() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/api/items", true, 1, false),
                decl(Method::Get, "/things", true, 2, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "/api",
            &[(Method::Get, "/items"), (Method::Get, "/v2/things")],
        );
        assert_eq!(lines(&routes, &spec), [Some(1), Some(2)]);
    }

    #[test]
    fn path_converters_become_catch_all_parameters() {
        let routes = Routes {
            decls: vec![
                decl(
                    Method::Get,
                    "/v1/resources/{resource_uri:path}",
                    true,
                    1,
                    false,
                ),
                decl(Method::Get, "/{root:path}/children/{n}", false, 2, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[
                (Method::Get, "/v1/resources/{resource_uri}"),
                (Method::Get, "/v1/{tenant}/{root_uri}/children/{n}"),
            ],
        );
        let knowledge = attribute(&routes, &spec);
        assert_eq!(
            knowledge.catch_all,
            [
                vec!["resource_uri".to_string()],
                vec!["root_uri".to_string()]
            ]
        );
    }

    #[test]
    fn thousands_of_declarations_each_find_their_endpoint() {
        // Far more keys than a table probed one at a time would hold in
        // the CPU's caches, shapes that share long prefixes, and spec
        // paths in another order with other parameter names.
        let mut decls = Vec::new();
        let mut endpoints = Vec::new();
        for i in 0..3000u32 {
            let method = [Method::Get, Method::Post][i as usize % 2];
            let path = format!("/v1/resources/r{}/{{id}}/items/{}", i / 2, i % 5);
            decls.push(decl(method, &path, true, i + 1, i % 97 == 0));
            endpoints.push((method, path.replace("{id}", "{resource_id}")));
        }
        endpoints.reverse();
        let spec = spec(
            "",
            &endpoints
                .iter()
                .map(|(m, p)| (*m, p.as_str()))
                .collect::<Vec<_>>(),
        );
        let routes = Routes {
            decls,
            warnings: vec![],
        };
        let want: Vec<Option<u32>> = (0..3000u32)
            .rev()
            .map(|i| (i % 97 != 0).then_some(i + 1))
            .collect();
        assert_eq!(lines(&routes, &spec), want);
    }
}
