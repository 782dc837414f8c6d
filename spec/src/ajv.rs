//! Ajv-exact validation: for any schema set built from the keywords our schemas use, the
//! error list is the one Ajv 8.20 (+ ajv-formats 3, `strict: false`) returns, object for
//! object, in the same order, with the same messages; and [`render_line`] prints it byte for
//! byte as `JSON.stringify` does.
//!
//! Two engines agree on every instance: the `jsonschema` crate compiles a rewritten copy of
//! the schemas and answers [`Validator::is_valid`] fast; only when it says "invalid" does the
//! Ajv-ordered walker build the error list. They agree by construction: the copy keeps only
//! the keywords the walker evaluates (annotations such as `contentMediaType` and `x-`
//! extensions are dropped) and runs the walker's own checks for `pattern`, `format` and the
//! numeric keywords; property tests check it on our schemas and on generated general ones.
//!
//! Modules: `compile` (schema → tree, Ajv's compile-time decisions),
//! `walker` (Ajv's evaluation order and early exits), `messages` (params and
//! messages), `crate_schema` (the rewrite for the crate), `ecma_regex`, `formats`,
//! `equality`, `js_number`, `js_json`, `js_order`, `paths`.

use std::sync::OnceLock;

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::Document;

mod compile;
mod crate_schema;
mod ecma_regex;
mod equality;
pub mod formats;
pub mod js_json;
pub mod js_number;
mod js_order;
pub mod js_space;
mod messages;
mod paths;
mod regex_translation;
mod walker;

/// One error object, serialized with Ajv's key order.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AjvError {
    /// JSON pointer into the instance.
    pub instance_path: String,
    /// URI fragment of the failing keyword. Shared with the compiled schema: most errors are
    /// fixed at compile time, and an error list is built on every rejected request, so the
    /// parts that do not depend on the data are reference-counted instead of copied.
    pub schema_path: Arc<str>,
    /// The failing keyword.
    pub keyword: &'static str,
    /// Keyword-specific details. Numbers are stored the way JavaScript prints them where
    /// serde can (`1.0` as `1`); [`render_errors`] is exact for every number.
    pub params: Arc<Map<String, Value>>,
    /// Ajv's default message.
    pub message: Arc<str>,
    /// Set only on errors raised inside `propertyNames`: the property name being checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property_name: Option<String>,
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
        /// JSON pointer into the schema (prefixed with the document's `$id` when it has one).
        pointer: String,
        /// What is wrong.
        reason: String,
    },
}

/// A compiled validator for one root schema.
pub struct Validator {
    program: compile::Program,
    fast: jsonschema::Validator,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("nodes", &self.program.nodes.len())
            .finish_non_exhaustive()
    }
}

impl Validator {
    /// Validator for one of the embedded documents (cross-file refs resolved among them),
    /// compiled once on first use.
    ///
    /// # Panics
    ///
    /// When an embedded schema does not compile: the crate's tests compile every embedded
    /// document, so this means the binary was built from a broken checkout.
    pub fn embedded(doc: Document) -> &'static Validator {
        static CELLS: [OnceLock<Validator>; Document::ALL.len()] =
            [const { OnceLock::new() }; Document::ALL.len()];
        let index = Document::ALL
            .iter()
            .position(|d| *d == doc)
            .expect("Document::ALL lists every document");
        CELLS[index].get_or_init(|| {
            let others: Vec<Value> = doc.referenced().into_iter().map(Document::json).collect();
            Validator::new(&doc.json(), &others).unwrap_or_else(|e| {
                panic!("embedded schema {} does not compile: {e}", doc.file_name())
            })
        })
    }

    /// Validator for an arbitrary root schema plus the documents its `$ref`s point into
    /// (matched by their `$id`).
    pub fn new(root: &Value, others: &[Value]) -> Result<Validator, Error> {
        let program = compile::compile(root, others)?;
        let fast = crate_schema::build(root, others)?;
        Ok(Validator { program, fast })
    }

    /// True when the instance is valid (the compiled `jsonschema` validator; no error list).
    pub fn is_valid(&self, instance: &Value) -> bool {
        self.fast.is_valid(instance)
    }

    /// Validates like Ajv with the given mode: `Ok(())` or Ajv's error list.
    pub fn validate(&self, instance: &Value, mode: Mode) -> Result<(), Vec<AjvError>> {
        if self.fast.is_valid(instance) {
            return Ok(());
        }
        let errors = self.ajv_errors(instance, mode);
        // Empty only where Ajv itself accepts what the schema rejects (its `contains` reads a
        // stale result for an empty array inside a loop); Ajv's answer wins.
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Runs only the Ajv-ordered walker (no fast path): Ajv's error list, empty when Ajv
    /// would accept the instance. For tests that compare the two engines.
    pub fn ajv_errors(&self, instance: &Value, mode: Mode) -> Vec<AjvError> {
        walker::Walker::run(&self.program, instance, mode == Mode::AllErrors)
    }
}

/// `JSON.stringify(errors)`: the error list exactly as Ajv's callers print it.
pub fn render_errors(errors: &[AjvError]) -> String {
    let mut out = String::with_capacity(256 * errors.len() + 2);
    write_errors(&mut out, errors);
    out
}

fn write_errors(out: &mut String, errors: &[AjvError]) {
    out.push('[');
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"instancePath\":");
        js_json::write_string(out, &e.instance_path);
        out.push_str(",\"schemaPath\":");
        js_json::write_string(out, &e.schema_path);
        out.push_str(",\"keyword\":");
        js_json::write_string(out, e.keyword);
        out.push_str(",\"params\":");
        js_json::write_object(out, &e.params);
        out.push_str(",\"message\":");
        js_json::write_string(out, &e.message);
        if let Some(name) = &e.property_name {
            out.push_str(",\"propertyName\":");
            js_json::write_string(out, name);
        }
        out.push('}');
    }
    out.push(']');
}

/// One line of the Ajv oracle's output, `{"valid":…,"errors":[…]}`, byte for byte as the
/// oracle prints it with `JSON.stringify` (no trailing newline).
pub fn render_line(result: &Result<(), Vec<AjvError>>) -> String {
    let mut out = String::with_capacity(64);
    match result {
        Ok(()) => out.push_str("{\"valid\":true,\"errors\":[]}"),
        Err(errors) => {
            out.push_str("{\"valid\":false,\"errors\":");
            write_errors(&mut out, errors);
            out.push('}');
        }
    }
    out
}
