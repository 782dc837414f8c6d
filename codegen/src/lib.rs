//! JSON Schema to Rust source text (skeleton).
