//! Python source: a tokenizer of our own (no parser, no Python at run time)
//! and helpers to read string literals and positions.

pub mod token;
