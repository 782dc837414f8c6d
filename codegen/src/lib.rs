//! JSON Schema documents → Rust source text, as one pure function.
//!
//! The layers are one module each: `schema` reads a node's keywords, `lower` turns the
//! documents into the [`ir`] (named types, fields, enums, newtypes, docs), `emit` turns the
//! IR into tokens (`ascii_class` turns the simplest patterns into byte tests), and `render`
//! prints them with prettyplease. `lower` and `emit` have a module per construct (objects,
//! enums, unions, tuples, newtypes...). The helpers the output carries (`Tristate`,
//! `ConstraintError`, the format checks) are the files under `runtime/`, compiled and tested here
//! and copied into the output by item. The library does no I/O.

mod ascii_class;
mod emit;
pub mod error;
mod formats;
pub mod ir;
mod lower;
mod naming;
mod render;
mod runtime;
mod schema;
mod typed;

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
///
/// The same as [`generate_with`] and the default [`Options`]: no typed accessors, so the module
/// depends only on serde, serde_json, schemars and regress.
pub fn generate(documents: &[Document], command: &str) -> Result<String, Error> {
    generate_with(documents, command, &Options::default())
}

/// [`generate`], with typed accessors on `format` newtypes as `options` asks.
pub fn generate_with(
    documents: &[Document],
    command: &str,
    options: &Options,
) -> Result<String, Error> {
    let module = lower::lower(documents)?;
    let tokens = emit::emit(&module, options);
    let sources: Vec<String> = documents.iter().map(|d| d.name.clone()).collect();
    render::render(tokens, &sources, command)
}

/// How [`generate_with`] generates, beyond what the schemas say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The crates whose types `format` newtypes offer typed accessors for (`to_jiff()`,
    /// `to_uuid()`, `to_url()`, `to_ipv4()`, ...). Each parses the kept text on demand; the
    /// newtype still holds, serializes and compares the text exactly as received. Empty (the
    /// default) generates no accessor.
    pub typed_access: Vec<Crate>,
    /// Puts the accessors that need a dependency behind `#[cfg(feature = "<crate>")]`: in the
    /// crate that includes the generated module, that is the feature Cargo defines for an
    /// optional dependency of that name (`jiff = { version = "1", optional = true }`). Without
    /// it the crates must be plain dependencies there. `std` accessors are never gated.
    pub feature_gates: bool,
}

/// A crate typed accessors may return values of (see [`Options::typed_access`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Crate {
    /// The standard library: `ipv4`, `ipv6` as `std::net::Ipv4Addr`/`Ipv6Addr`.
    Std,
    /// jiff 1: `date-time`, `iso-date-time`, `date`, `time`, `iso-time`, `duration`.
    Jiff,
    /// uuid 1: `uuid`.
    Uuid,
    /// url 2: `uri`, `url`.
    Url,
}

impl Crate {
    /// Every crate, in the order the command line lists them.
    pub const ALL: [Crate; 4] = [Crate::Std, Crate::Jiff, Crate::Uuid, Crate::Url];

    /// The crate's name, which is also the feature that gates its accessors.
    pub fn name(self) -> &'static str {
        match self {
            Crate::Std => "std",
            Crate::Jiff => "jiff",
            Crate::Uuid => "uuid",
            Crate::Url => "url",
        }
    }

    /// The crate named `name`, if typed access knows it.
    pub fn from_name(name: &str) -> Option<Crate> {
        Crate::ALL.into_iter().find(|c| c.name() == name)
    }
}
