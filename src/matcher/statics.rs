//! The static edges of the whole trie in one flat table: `(parent node,
//! segment text) -> child node`.
//!
//! One open-addressing table (linear probing, at most half full) instead of
//! a map per node: a lookup step reads one 32-byte slot that holds the
//! parent, the child, a tag of the text's hash and the text itself as two
//! zero-padded words (texts longer than [`INLINE_KEY`] bytes live in one
//! shared string). Nothing is allocated per node or per edge, a step
//! touches one cache line where a map per node touched four (node, control
//! bytes, bucket, boxed key), and a short text is compared as two words.
//! The table is never iterated in an order that reaches any output.
//!
//! Where an edge sits is decided by its child's *place*, a hash of the
//! path of static texts that leads to the child (see [`static_place`]),
//! not by the parent's id. So the slots a call's run of static segments
//! will probe can all be computed, and fetched from memory together,
//! before the first probe has answered (see [`Statics::prefetch`]).

use super::NodeId;

/// Texts up to this many bytes are stored in the slot itself.
const INLINE_KEY: usize = 16;

/// Marks an empty slot (no node has this id: ids are indices of a `Vec`).
const EMPTY: NodeId = NodeId::MAX;

/// One slot: an edge, or empty when `parent` is [`EMPTY`].
#[derive(Debug, Clone, Copy)]
#[repr(align(32))]
struct Edge {
    parent: NodeId,
    child: NodeId,
    /// Low half of the text's hash: most mismatches stop here.
    tag: u32,
    len: u32,
    /// The text's words (see [`Key`]) when at most [`INLINE_KEY`] bytes;
    /// else its offset in `Statics::long`, then zero.
    words: [u64; 2],
}

const VACANT: Edge = Edge {
    parent: EMPTY,
    child: EMPTY,
    tag: 0,
    len: 0,
    words: [0; 2],
};

/// The table of static edges.
#[derive(Debug)]
pub(super) struct Statics {
    /// A power of two in length, never more than half full.
    slots: Vec<Edge>,
    /// `64 - log2(slots.len())`: a slot is chosen by the hash's top bits.
    shift: u32,
    count: usize,
    /// Texts longer than [`INLINE_KEY`] bytes, one after the other.
    long: String,
    /// While the index is built: each static child's place, by node id
    /// (what placing its edge again after a resize needs). Emptied by
    /// [`Statics::fit`].
    places: Vec<u64>,
}

/// The place of the root.
pub(super) const ROOT_PLACE: u64 = 0x243f_6a88_85a3_08d3;

/// The place of the child of the node at `parent` by the static text whose
/// key is `key`.
#[inline]
pub(super) fn static_place(parent: u64, key: &Key) -> u64 {
    let mut h = parent.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ key.hash;
    h ^= h >> 32;
    h = h.wrapping_mul(0xd6e8_feb8_6659_fd93);
    h ^ (h >> 32)
}

/// The place of a node reached otherwise than by a static text (a
/// parameter, a catch-all or an in-segment template): its id decides.
#[inline]
pub(super) fn node_place(id: NodeId) -> u64 {
    static_place(
        0x1319_8a2e_0370_7344,
        &Key {
            hash: u64::from(id),
            words: [0; 2],
        },
    )
}

/// A segment's text as the table compares it: its hash, and its first
/// [`INLINE_KEY`] bytes as two little-endian words padded with zeros (with
/// the length, equal words mean equal short texts). Computed once per call
/// segment, whatever the number of nodes it is looked up at.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Key {
    hash: u64,
    words: [u64; 2],
}

impl Key {
    pub(super) const EMPTY: Key = Key {
        hash: 0,
        words: [0; 2],
    };

    pub(super) fn new(text: &str) -> Key {
        let bytes = text.as_bytes();
        let words = [
            word(bytes.get(..8).unwrap_or(bytes)),
            word(bytes.get(8..16).or_else(|| bytes.get(8..)).unwrap_or(&[])),
        ];
        Key {
            hash: hash_bytes(bytes),
            words,
        }
    }
}

/// Up to 8 bytes as a little-endian word padded with zeros, without a loop
/// over the bytes.
#[inline]
fn word(b: &[u8]) -> u64 {
    let n = b.len();
    let u32_at = |at: usize| {
        b.get(at..at + 4)
            .and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
    };
    let byte_at = |at: usize| b.get(at).map_or(0, |&x| u64::from(x));
    match n {
        8.. => b
            .get(..8)
            .and_then(|s| <[u8; 8]>::try_from(s).ok())
            .map_or(0, u64::from_le_bytes),
        // Two overlapping reads put every byte at its place.
        4..=7 => u32_at(0) | u32_at(n - 4) << (8 * (n - 4)),
        1..=3 => byte_at(0) | byte_at(n / 2) << (8 * (n / 2)) | byte_at(n - 1) << (8 * (n - 1)),
        _ => 0,
    }
}

/// Hash of one segment's text: multiply-rotate over 8-byte words, then a
/// final mix so that every bit of the result depends on every input bit.
fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    for chunk in bytes.chunks(8) {
        h = (h ^ word(chunk)).wrapping_mul(K).rotate_left(29);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

impl Statics {
    /// A table sized for about `edges` edges without growing.
    pub(super) fn with_capacity(edges: usize) -> Statics {
        let len = edges.saturating_mul(2).max(16).next_power_of_two();
        Statics {
            slots: vec![VACANT; len],
            shift: 64 - len.trailing_zeros(),
            count: 0,
            long: String::new(),
            places: Vec::new(),
        }
    }

    /// The first slot for an edge to a child at `place`.
    #[inline]
    fn start(&self, place: u64) -> usize {
        (place >> self.shift) as usize
    }

    /// Starts fetching the first slot for an edge to a child at `place`.
    #[inline]
    pub(super) fn prefetch(&self, place: u64) {
        if let Some(slot) = self.slots.get(self.start(place)) {
            crate::prefetch::prefetch(slot);
        }
    }

    #[inline]
    fn key_is(&self, edge: &Edge, text: &str, key: &Key) -> bool {
        if edge.len as usize != text.len() {
            return false;
        }
        if text.len() <= INLINE_KEY {
            return edge.words == key.words;
        }
        self.long_text(edge) == text.as_bytes()
    }

    /// The child of `parent` by the static segment `text` (`key` is
    /// [`Key::new`]`(text)`, `place` the child's [`static_place`]).
    #[inline]
    pub(super) fn get(&self, parent: NodeId, place: u64, text: &str, key: &Key) -> Option<NodeId> {
        let mask = self.slots.len() - 1;
        let tag = key.hash as u32;
        let mut i = self.start(place);
        loop {
            let edge = self.slots.get(i)?;
            if edge.parent == EMPTY {
                return None;
            }
            if edge.parent == parent && edge.tag == tag && self.key_is(edge, text, key) {
                return Some(edge.child);
            }
            i = (i + 1) & mask;
        }
    }

    /// The child of `parent` (at `parent_place`) by `text`, or `child`
    /// after recording it as that child; and the child's place.
    pub(super) fn get_or_insert(
        &mut self,
        parent: NodeId,
        parent_place: u64,
        text: &str,
        child: NodeId,
    ) -> (NodeId, u64) {
        let key = Key::new(text);
        let place = static_place(parent_place, &key);
        if let Some(found) = self.get(parent, place, text, &key) {
            return (found, place);
        }
        if (self.count + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let words = if text.len() <= INLINE_KEY {
            key.words
        } else {
            let off = self.long.len() as u64;
            self.long.push_str(text);
            [off, 0]
        };
        let at = child as usize;
        if self.places.len() <= at {
            self.places.resize(at + 1, 0);
        }
        if let Some(p) = self.places.get_mut(at) {
            *p = place;
        }
        self.put(
            place,
            Edge {
                parent,
                child,
                tag: key.hash as u32,
                len: text.len() as u32,
                words,
            },
        );
        self.count += 1;
        (child, place)
    }

    /// Places `edge` (to a child at `place`) in the first empty slot from
    /// its start.
    fn put(&mut self, place: u64, edge: Edge) {
        let mask = self.slots.len() - 1;
        let mut i = self.start(place);
        while let Some(slot) = self.slots.get_mut(i) {
            if slot.parent == EMPTY {
                *slot = edge;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// The text of an edge longer than [`INLINE_KEY`] bytes.
    fn long_text(&self, edge: &Edge) -> &[u8] {
        let off = edge.words[0] as usize;
        self.long
            .as_bytes()
            .get(off..off + edge.len as usize)
            .unwrap_or_default()
    }

    /// Doubles the table.
    fn grow(&mut self) {
        self.resize(self.slots.len() * 2);
    }

    /// Shrinks the table to the smallest size that keeps it at most half
    /// full: fewer cache lines for lookups to touch. Nothing is inserted
    /// after.
    pub(super) fn fit(&mut self) {
        let len = self.count.saturating_mul(2).max(16).next_power_of_two();
        if len < self.slots.len() {
            self.resize(len);
        }
        self.places = Vec::new();
    }

    /// A bit per possible hash of a root child's text, for
    /// a filter of which texts may be children of one node.
    pub(super) fn filter_bit(key: &Key) -> u64 {
        1 << (key.hash >> 58)
    }

    fn resize(&mut self, len: usize) {
        let old = std::mem::replace(&mut self.slots, vec![VACANT; len]);
        self.shift = 64 - len.trailing_zeros();
        for edge in old {
            if edge.parent != EMPTY {
                let place = self.places.get(edge.child as usize).copied().unwrap_or(0);
                self.put(place, edge);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_hold_the_bytes_in_place() {
        let text = "abcdefghijklmnopq";
        for len in 0..=text.len() {
            let bytes = &text.as_bytes()[..len];
            let mut padded = [0u8; 8];
            padded[..len.min(8)].copy_from_slice(&bytes[..len.min(8)]);
            assert_eq!(
                word(&bytes[..len.min(8)]),
                u64::from_le_bytes(padded),
                "{len}"
            );
        }
    }

    #[test]
    fn finds_what_it_holds_after_growing() {
        let mut table = Statics::with_capacity(0);
        let texts: Vec<String> = (0..200)
            .map(|i| format!("{}{i}", "s".repeat(i % 23)))
            .collect();
        let place = |parent: NodeId| node_place(parent);
        for (i, t) in texts.iter().enumerate() {
            let parent = (i % 7) as NodeId;
            let (child, at) = table.get_or_insert(parent, place(parent), t, i as NodeId + 10);
            assert_eq!(child, i as NodeId + 10);
            assert_eq!(at, static_place(place(parent), &Key::new(t)));
        }
        table.fit();
        for (i, t) in texts.iter().enumerate() {
            let parent = (i % 7) as NodeId;
            let key = Key::new(t);
            assert_eq!(
                table.get(parent, static_place(place(parent), &key), t, &key),
                Some(i as NodeId + 10),
                "{t}"
            );
            let other = static_place(place(parent + 1), &key);
            assert_eq!(table.get(parent + 1, other, t, &key), None, "{t}");
        }
    }
}
