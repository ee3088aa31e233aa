//! The static edges of the whole trie in one flat table: `(parent node,
//! segment text) -> child node`.
//!
//! One open-addressing table (linear probing, at most half full) instead of
//! a map per node: a lookup step reads one 32-byte slot that holds the
//! parent, the child, a tag of the text's hash and the text itself (texts
//! longer than [`INLINE_KEY`] bytes live in one shared string). Nothing is
//! allocated per node or per edge, and a step touches one cache line where
//! a map per node touched four (node, control bytes, bucket, boxed key).
//! The table is never iterated in an order that reaches any output.

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
    /// The text when at most [`INLINE_KEY`] bytes; else its offset in
    /// `Statics::long` (first four bytes, little-endian).
    key: [u8; INLINE_KEY],
}

const VACANT: Edge = Edge {
    parent: EMPTY,
    child: EMPTY,
    tag: 0,
    len: 0,
    key: [0; INLINE_KEY],
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
}

/// Hash of one segment's text (multiply-rotate over 8-byte words, then a
/// final mix so that every bit of the result depends on every input bit).
/// Computed once per call segment, whatever the number of nodes it is
/// looked up at.
pub(super) fn hash(text: &str) -> u64 {
    hash_bytes(text.as_bytes())
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word))
            .wrapping_mul(K)
            .rotate_left(29);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut word = [0u8; 8];
        for (to, from) in word.iter_mut().zip(tail) {
            *to = *from;
        }
        h = (h ^ u64::from_le_bytes(word))
            .wrapping_mul(K)
            .rotate_left(29);
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
        }
    }

    fn start(&self, parent: NodeId, hash: u64) -> usize {
        let mixed = hash.wrapping_add(u64::from(parent).wrapping_mul(0xa076_1d64_78bd_642f));
        (mixed >> self.shift) as usize
    }

    fn key_is(&self, edge: &Edge, text: &str) -> bool {
        edge.len as usize == text.len() && self.text(edge) == text.as_bytes()
    }

    /// The child of `parent` by the static segment `text` (`hash` is
    /// [`hash`]`(text)`).
    #[inline]
    pub(super) fn get(&self, parent: NodeId, text: &str, hash: u64) -> Option<NodeId> {
        let mask = self.slots.len() - 1;
        let tag = hash as u32;
        let mut i = self.start(parent, hash);
        loop {
            let edge = self.slots.get(i)?;
            if edge.parent == EMPTY {
                return None;
            }
            if edge.parent == parent && edge.tag == tag && self.key_is(edge, text) {
                return Some(edge.child);
            }
            i = (i + 1) & mask;
        }
    }

    /// The child of `parent` by `text`, or `child` after recording it as
    /// that child.
    pub(super) fn get_or_insert(&mut self, parent: NodeId, text: &str, child: NodeId) -> NodeId {
        let h = hash(text);
        if let Some(found) = self.get(parent, text, h) {
            return found;
        }
        if (self.count + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mut key = [0u8; INLINE_KEY];
        if text.len() <= INLINE_KEY {
            for (to, from) in key.iter_mut().zip(text.as_bytes()) {
                *to = *from;
            }
        } else {
            let off = self.long.len() as u32;
            key[..4].copy_from_slice(&off.to_le_bytes());
            self.long.push_str(text);
        }
        self.put(
            h,
            Edge {
                parent,
                child,
                tag: h as u32,
                len: text.len() as u32,
                key,
            },
        );
        self.count += 1;
        child
    }

    /// Places `edge` (its text hashing to `h`) in the first empty slot
    /// from its start.
    fn put(&mut self, h: u64, edge: Edge) {
        let mask = self.slots.len() - 1;
        let mut i = self.start(edge.parent, h);
        while let Some(slot) = self.slots.get_mut(i) {
            if slot.parent == EMPTY {
                *slot = edge;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn text<'s>(&'s self, edge: &'s Edge) -> &'s [u8] {
        let len = edge.len as usize;
        let bytes = if len <= INLINE_KEY {
            edge.key.get(..len)
        } else {
            let mut off = [0u8; 4];
            off.copy_from_slice(&edge.key[..4]);
            let off = u32::from_le_bytes(off) as usize;
            self.long.as_bytes().get(off..off + len)
        };
        bytes.unwrap_or_default()
    }

    /// Doubles the table.
    fn grow(&mut self) {
        let len = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![VACANT; len]);
        self.shift = 64 - len.trailing_zeros();
        for edge in old {
            if edge.parent != EMPTY {
                self.put(hash_bytes(self.text(&edge)), edge);
            }
        }
    }
}
