//! What a schema node is, read from its keywords alone: the predicates the lowering pass and
//! the constructs share, so that no construct has to ask another.

use serde_json::Value;

use crate::error::Error;
use crate::ir::Ty;
use crate::schema::{Additional, Schema, is_annotation};

/// In draft-07 `$ref` siblings are ignored and in 2019-09+ they apply: accept only siblings
/// that mean the same either way.
pub(super) fn check_ref_siblings(schema: &Schema<'_>) -> Result<(), Error> {
    match schema
        .raw
        .keys()
        .find(|k| *k != "$ref" && !is_annotation(k) && *k != "nullable")
    {
        Some(key) => Err(Error::unsupported(
            &schema.pointer,
            format!("`{key}` next to `$ref` is not supported (only annotations)"),
        )),
        None => Ok(()),
    }
}

/// Whether a schema (not a `$ref`) becomes a type of its own rather than `String`, `Vec<_>`...
pub(super) fn needs_named_type(schema: &Schema<'_>) -> bool {
    schema.reference.is_none()
        && (is_struct(schema)
            || schema.enum_values.is_some()
            || schema.constant.is_some()
            || !schema.one_of.is_empty()
            || !schema.any_of.is_empty()
            || !schema.all_of.is_empty()
            || !schema.pattern_properties.is_empty()
            || is_tuple(schema)
            || !schema.checks.is_empty()
            || is_secret_string(schema))
}

/// A secret string gets a type of its own so that its `Debug` can be redacted.
pub(super) fn is_secret_string(schema: &Schema<'_>) -> bool {
    schema.docs.secret && schema.types == ["string"]
}

pub(super) fn wrap_nullable(ty: Ty, nullable: bool) -> Ty {
    if nullable {
        Ty::Option(Box::new(ty))
    } else {
        ty
    }
}

pub(super) fn is_struct(schema: &Schema<'_>) -> bool {
    !schema.properties.is_empty()
        || (schema.types == ["object"] && matches!(schema.additional, Additional::Denied))
}

/// `items` as an array or `prefixItems`.
pub(super) fn is_tuple(schema: &Schema<'_>) -> bool {
    matches!(schema.items, Some(Value::Array(_))) || schema.prefix_items.is_some()
}

/// The only branch of a `oneOf`/`anyOf` (once `null` branches are read as nullability).
pub(super) fn single_branch<'a>(schema: &Schema<'a>) -> Option<&'a Value> {
    match (schema.one_of.as_slice(), schema.any_of.as_slice()) {
        ([branch], []) | ([], [branch]) => Some(branch),
        _ => None,
    }
}

/// Pointer of the `i`th union branch (after null branches were set aside the index may be off
/// by the null branches before it; the pointer is for messages only).
pub(super) fn union_pointer(schema: &Schema<'_>, i: usize) -> String {
    let keyword = if schema.one_of.is_empty() {
        "anyOf"
    } else {
        "oneOf"
    };
    schema.child(&[keyword, &i.to_string()])
}

/// An untagged union stands alone: beside it only annotations, `$defs`, `nullable` and a
/// `type` that every branch respects.
pub(super) fn check_union_siblings(schema: &Schema<'_>) -> Result<(), Error> {
    if !schema.one_of.is_empty() && !schema.any_of.is_empty() {
        return Err(Error::unsupported(
            &schema.pointer,
            "`oneOf` and `anyOf` on one schema are not supported",
        ));
    }
    let extra = schema.raw.keys().find(|k| {
        !matches!(
            k.as_str(),
            "type" | "nullable" | "oneOf" | "anyOf" | "$defs" | "definitions"
        ) && !is_annotation(k)
    });
    match extra {
        Some(key) => Err(Error::unsupported(
            &schema.pointer,
            format!(
                "`{key}` next to an untagged `oneOf`/`anyOf` is not supported; move it into the branches"
            ),
        )),
        None => Ok(()),
    }
}
