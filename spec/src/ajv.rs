//! Ajv-exact validation (skeleton: the API is fixed, the walker is being written).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::Document;

/// One error object, serialized with Ajv's key order.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AjvError {
    /// JSON pointer into the instance.
    pub instance_path: String,
    /// URI fragment of the failing keyword.
    pub schema_path: String,
    /// The failing keyword.
    pub keyword: String,
    /// Keyword-specific details.
    pub params: Map<String, Value>,
    /// Ajv's default message.
    pub message: String,
}

/// Whether to stop at the first failing keyword (Ajv's default) or collect every error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// `allErrors: false`.
    #[default]
    FirstError,
    /// `allErrors: true`.
    AllErrors,
}

/// Could not build a validator.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The schema itself is unusable.
    #[error("invalid schema at {pointer}: {reason}")]
    Schema {
        /// JSON pointer into the schema.
        pointer: String,
        /// What is wrong.
        reason: String,
    },
}

/// A compiled validator for one root schema.
#[derive(Debug)]
pub struct Validator {
    _root: Value,
}

impl Validator {
    /// Validator for one of the embedded documents (cross-file refs resolved among them).
    pub fn embedded(doc: Document) -> &'static Validator {
        let _ = doc;
        unimplemented!("being written")
    }

    /// Validator for an arbitrary root schema plus the documents its `$ref`s point into.
    pub fn new(root: &Value, others: &[Value]) -> Result<Validator, Error> {
        let _ = others;
        Ok(Validator {
            _root: root.clone(),
        })
    }

    /// True when the instance is valid.
    pub fn is_valid(&self, instance: &Value) -> bool {
        let _ = instance;
        true
    }

    /// Validates like Ajv with the given mode: `Ok(())` or Ajv's error list.
    pub fn validate(&self, instance: &Value, mode: Mode) -> Result<(), Vec<AjvError>> {
        let _ = (instance, mode);
        Ok(())
    }
}
