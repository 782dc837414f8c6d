//! Why generation failed: every error names the JSON pointer of the schema node at fault.

/// A schema the generator cannot turn into Rust types.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A document is not JSON.
    #[error("{document}: not valid JSON: {source}")]
    Json {
        document: String,
        #[source]
        source: serde_json::Error,
    },
    /// A keyword, or a combination of keywords, outside the supported subset.
    #[error("{pointer}: {message}")]
    Unsupported { pointer: String, message: String },
    /// A `$ref` that does not lead to a schema in the given documents.
    #[error("{pointer}: cannot resolve $ref {reference:?}: {why}")]
    Unresolved {
        pointer: String,
        reference: String,
        why: String,
    },
    /// Two schema nodes would produce the same Rust name.
    #[error("name collision: {name} is the name of both {first} and {second}")]
    NameCollision {
        name: String,
        first: String,
        second: String,
    },
    /// The token stream did not parse as Rust (a generator bug, reported instead of panicking).
    #[error("generated code does not parse: {0}")]
    Syntax(String),
}

impl Error {
    pub(crate) fn unsupported(pointer: &str, message: impl Into<String>) -> Self {
        Self::Unsupported {
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }
}
