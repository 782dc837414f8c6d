//! IR → tokens: one module per construct, each a `quote!` function of its kind of type, plus
//! the runtime helpers the types need (`crate::runtime`), emitted into the module itself so it
//! depends only on serde, serde_json, schemars and regress.

mod checks;
mod common;
mod enums;
mod helpers;
mod module;
mod newtype;
mod pattern_map;
mod structs;
mod tuple;
mod union;

pub use module::emit;
