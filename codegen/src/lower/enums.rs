//! `enum`s: string enums and value enums, with their variant names and docs.

use serde_json::Value;

use crate::error::Error;
use crate::ir::{JsonType, ValueEnum, ValueVariant, Variant};
use crate::naming;
use crate::schema::Schema;

pub(super) fn lower_enum(schema: &Schema<'_>, values: &[&Value]) -> Result<Vec<Variant>, Error> {
    let docs = &schema.docs;
    for (list, key) in [
        (docs.enum_descriptions.len(), "x-enum-descriptions"),
        (docs.enum_varnames.len(), "x-enum-varnames"),
    ] {
        if list != 0 && list != values.len() {
            return Err(Error::unsupported(
                &schema.child(&[key]),
                "needs exactly one entry per non-null `enum` value",
            ));
        }
    }
    if values.is_empty() {
        return Err(Error::unsupported(
            &schema.child(&["enum"]),
            "an `enum` of only `null`",
        ));
    }
    let mut variants: Vec<Variant> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let Value::String(value) = value else {
            return Err(Error::unsupported(
                &schema.child(&["enum", &i.to_string()]),
                "only string `enum` values are supported",
            ));
        };
        let name = match docs.enum_varnames.get(i) {
            Some(name) => (*name).to_owned(),
            None => naming::pascal(value),
        };
        let pointer = schema.child(&["enum", &i.to_string()]);
        if !naming::is_identifier(&name) || name == "Unknown" || name == "Self" {
            return Err(Error::unsupported(
                &pointer,
                format!("{value:?} gives no usable variant name ({name:?}); add `x-enum-varnames`"),
            ));
        }
        if let Some(first) = variants.iter().position(|v| v.name == name) {
            return Err(Error::NameCollision {
                name,
                first: schema.child(&["enum", &first.to_string()]),
                second: pointer,
            });
        }
        let docs = docs
            .enum_descriptions
            .get(i)
            .map(|d| d.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        variants.push(Variant {
            name,
            value: value.clone(),
            docs,
        });
    }
    Ok(variants)
}

/// The JSON type of an `enum` value, or `None` for arrays and objects.
pub(super) fn json_type(value: &Value) -> Option<JsonType> {
    match value {
        Value::String(_) => Some(JsonType::String),
        Value::Bool(_) => Some(JsonType::Boolean),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(JsonType::Integer),
        Value::Number(_) => Some(JsonType::Number),
        _ => None,
    }
}

/// An `enum` with a non-string value. Names come from `x-enum-varnames`, else from the value:
/// strings as for string enums, `7` → `Value7`, `-1` → `ValueMinus1`, `true` → `True`; other
/// numbers need `x-enum-varnames`.
pub(super) fn lower_value_enum(schema: &Schema<'_>, values: &[&Value]) -> Result<ValueEnum, Error> {
    let docs = &schema.docs;
    for (list, key) in [
        (docs.enum_descriptions.len(), "x-enum-descriptions"),
        (docs.enum_varnames.len(), "x-enum-varnames"),
    ] {
        if list != 0 && list != values.len() {
            return Err(Error::unsupported(
                &schema.child(&[key]),
                "needs exactly one entry per non-null `enum` value",
            ));
        }
    }
    let mut types: Vec<JsonType> = Vec::new();
    for t in &schema.types {
        types.push(match *t {
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            other => {
                return Err(Error::unsupported(
                    &schema.child(&["type"]),
                    format!("an `enum` of type {other:?} is not supported (only scalars)"),
                ));
            }
        });
    }
    let declared = !types.is_empty();
    let mut variants: Vec<ValueVariant> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let pointer = schema.child(&["enum", &i.to_string()]);
        let Some(kind) = json_type(value) else {
            return Err(Error::unsupported(
                &pointer,
                "only scalar `enum` values (strings, numbers, booleans, null) are supported",
            ));
        };
        let allowed = types.contains(&kind)
            || (kind == JsonType::Integer && types.contains(&JsonType::Number));
        if !allowed {
            if declared {
                return Err(Error::unsupported(
                    &pointer,
                    "the value is not of the schema's `type`, so it could never match",
                ));
            }
            types.push(kind);
        }
        let name = match (docs.enum_varnames.get(i), value) {
            (Some(name), _) => (*name).to_owned(),
            (None, Value::String(s)) => naming::pascal(s),
            (None, Value::Bool(b)) => if *b { "True" } else { "False" }.to_owned(),
            (None, Value::Number(n)) if n.is_u64() => format!("Value{n}"),
            (None, Value::Number(n)) if n.is_i64() => {
                format!("ValueMinus{}", n.to_string().trim_start_matches('-'))
            }
            (None, _) => {
                return Err(Error::unsupported(
                    &pointer,
                    format!("{value} gives no variant name; add `x-enum-varnames`"),
                ));
            }
        };
        if !naming::is_identifier(&name) || name == "Unknown" || name == "Self" {
            return Err(Error::unsupported(
                &pointer,
                format!("{value} gives no usable variant name ({name:?}); add `x-enum-varnames`"),
            ));
        }
        if let Some(first) = variants.iter().position(|v| v.name == name) {
            return Err(Error::NameCollision {
                name,
                first: schema.child(&["enum", &first.to_string()]),
                second: pointer,
            });
        }
        let docs = docs
            .enum_descriptions
            .get(i)
            .map(|d| d.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        variants.push(ValueVariant {
            name,
            value: (*value).clone(),
            docs,
        });
    }
    Ok(ValueEnum { variants, types })
}
