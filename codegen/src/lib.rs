//! JSON Schema documents → Rust source text, as one pure function.
//!
//! The layers are one module each: `schema` reads a node's keywords, `lower` turns the
//! documents into the [`ir`] (named types, fields, enums, newtypes, docs), `emit` turns the
//! IR into tokens, and `render` prints them with prettyplease. The library does no I/O.

mod emit;
pub mod error;
mod formats;
pub mod ir;
mod lower;
mod naming;
mod render;
mod schema;

pub use error::Error;

/// One schema document: its display name (used in `$ref` resolution by file name, in error
/// pointers and in the header) and its JSON text.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub text: String,
}

/// Generates one self-contained Rust module for `documents`. `command` is named in the
/// `@generated` header as the way to regenerate it.
pub fn generate(documents: &[Document], command: &str) -> Result<String, Error> {
    let module = lower::lower(documents)?;
    let tokens = emit::emit(&module);
    let sources: Vec<String> = documents.iter().map(|d| d.name.clone()).collect();
    render::render(tokens, &sources, command)
}
