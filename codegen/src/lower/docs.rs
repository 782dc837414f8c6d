//! Doc lines: titles, descriptions, flags, constraints, defaults and examples.

use serde_json::Value;

use crate::formats::{self, Check};
use crate::schema::Schema;

/// Doc lines of a named type: title (unless it is the name), description, constraints,
/// default and examples.
pub(super) fn type_docs(schema: &Schema<'_>, name: &str) -> Vec<String> {
    let mut docs = Vec::new();
    if let Some(title) = schema.docs.title.filter(|t| *t != name) {
        docs.push(title.to_owned());
    }
    describe(schema, &mut docs);
    constraint_docs(schema, &mut docs);
    example_docs(schema, &mut docs);
    // Not `#[deprecated]`: schemars' derive names the type in impls it does not mark
    // `#[allow(deprecated)]`, so the generated code would warn about itself, and the only cure
    // would be an inner `#![allow(deprecated)]`, which `include!` cannot take. Fields keep
    // `#[deprecated]`, which the derives tolerate.
    if schema.docs.deprecated {
        paragraph(
            &mut docs,
            [
                "Deprecated (`deprecated: true`): kept for compatibility, avoid it in new code."
                    .to_owned(),
            ],
        );
    }
    docs
}

/// Doc lines of a field. Constraints live on the field's own type, except when that type is
/// plain.
pub(super) fn field_docs(schema: &Schema<'_>, has_own_type: bool) -> Vec<String> {
    let mut docs = Vec::new();
    if !has_own_type && let Some(title) = schema.docs.title {
        docs.push(title.to_owned());
    }
    describe(schema, &mut docs);
    if !has_own_type {
        constraint_docs(schema, &mut docs);
    }
    example_docs(schema, &mut docs);
    docs
}

pub(super) fn paragraph(docs: &mut Vec<String>, lines: impl IntoIterator<Item = String>) {
    if !docs.is_empty() {
        docs.push(String::new());
    }
    docs.extend(lines);
}

pub(super) fn describe(schema: &Schema<'_>, docs: &mut Vec<String>) {
    if let Some(description) = schema.docs.description {
        paragraph(docs, description.lines().map(|l| l.trim_end().to_owned()));
    }
    let flags: Vec<String> = [
        (
            "x-personal",
            "Personal data (`x-personal`): pseudonymise it in recordings.",
        ),
        (
            "x-secret",
            "Secret (`x-secret`): never log, record or report it.",
        ),
        (
            "x-assumption",
            "Assumed (`x-assumption`): not published by the API's owner.",
        ),
    ]
    .iter()
    .filter(|(key, _)| schema.raw.get(*key) == Some(&Value::Bool(true)))
    .map(|(_, text)| (*text).to_owned())
    .chain(schema.docs.read_only.then(|| {
        "Read-only (`readOnly`): the server sets it; a request need not send it.".to_owned()
    }))
    .chain(
        schema
            .docs
            .write_only
            .then(|| "Write-only (`writeOnly`): sent in requests, never returned.".to_owned()),
    )
    .collect();
    if !flags.is_empty() {
        paragraph(docs, flags);
    }
    if let Some(external) = schema.docs.external_docs {
        let line = match external.description {
            Some(description) => format!("See also: [{description}]({}).", external.url),
            None => format!("See also: <{}>.", external.url),
        };
        paragraph(docs, [line]);
    }
}

pub(super) fn constraint_docs(schema: &Schema<'_>, docs: &mut Vec<String>) {
    let c = &schema.checks;
    let mut lines = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => {
            lines.push(format!("Length: {min} to {max} characters (code points)."))
        }
        (Some(min), None) => {
            lines.push(format!("Length: at least {min} characters (code points)."))
        }
        (None, Some(max)) => lines.push(format!("Length: at most {max} characters (code points).")),
        (None, None) => {}
    }
    if let Some(pattern) = &c.pattern {
        lines.push(format!("Pattern (ECMA-262): `{pattern}`."));
    }
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => lines.push(format!("Items: {min} to {max}.")),
        (Some(min), None) => lines.push(format!("Items: at least {min}.")),
        (None, Some(max)) => lines.push(format!("Items: at most {max}.")),
        (None, None) => {}
    }
    for (bound, text) in [
        (&c.minimum, ">="),
        (&c.exclusive_minimum, ">"),
        (&c.maximum, "<="),
        (&c.exclusive_maximum, "<"),
    ] {
        if let Some(bound) = bound {
            lines.push(format!("Value: {text} {bound}."));
        }
    }
    if c.unique_items {
        lines.push("Items: unique.".to_owned());
    }
    match (c.min_properties, c.max_properties) {
        (Some(min), Some(max)) => lines.push(format!("Members: {min} to {max}.")),
        (Some(min), None) => lines.push(format!("Members: at least {min}.")),
        (None, Some(max)) => lines.push(format!("Members: at most {max}.")),
        (None, None) => {}
    }
    if let Some(Value::String(format)) = schema.raw.get("format") {
        let how = match formats::by_name(format).map(|f| f.check) {
            Some(Check::Nothing) => "the text is kept as received, nothing is checked",
            _ => "checked as ajv-formats checks it; the text is kept as received",
        };
        lines.push(format!("Format: `{format}` ({how})."));
    }
    if let Some(default) = schema.docs.default {
        lines.push(format!("Default when absent: `{default}`."));
    }
    if !lines.is_empty() {
        paragraph(docs, lines);
    }
}

pub(super) fn example_docs(schema: &Schema<'_>, docs: &mut Vec<String>) {
    if schema.docs.examples.is_empty() {
        return;
    }
    let mut lines = vec!["# Examples".to_owned(), String::new(), "```json".to_owned()];
    lines.extend(schema.docs.examples.iter().map(|e| e.to_string()));
    lines.push("```".to_owned());
    paragraph(docs, lines);
}
