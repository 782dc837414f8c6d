//! The copy of the schema set that the `jsonschema` crate compiles for the fast valid/invalid
//! decision, rewritten where the crate's draft-07 semantics differ from Ajv's:
//!
//! * `nullable: true` (an Ajv keyword) becomes `null` in `type`;
//! * `$ref` with sibling keywords (Ajv applies the siblings) becomes `allOf: [{$ref}]` + siblings;
//! * `pattern`, `format`, `multipleOf`, the numeric limits and connectFi's
//!   `isNotOnlyWhitespace` become custom keywords that run the very checks the Ajv walker runs
//!   (ECMAScript regexes, ajv-formats, JavaScript doubles, JavaScript's `\s`);
//! * every key the walker does not evaluate is dropped: annotations (`contentMediaType` and
//!   `contentEncoding`, which the crate asserts in draft 7 and Ajv's draft-07 class ignores;
//!   `title`, `readOnly`, …) and `x-` extensions (so a schema's own `x-ajv-…` key can never
//!   pose as one of the custom keywords). The crate thus sees only the keywords
//!   [`compile`](super::compile) turns into rules, plus what `$ref` resolution needs.

use std::collections::HashMap;

use jsonschema::{Keyword, ValidationError};
use serde_json::{Map, Value};

use super::compile::{Fails, NUMBER_LIMITS, is_rule};
use super::ecma_regex::Pattern;
use super::formats::{Format, FormatType};
use super::{Error, js_number};

const PREFIX: &str = "x-ajv-";

/// Keywords moved to custom keywords.
const CUSTOM: &[&str] = &[
    "isNotOnlyWhitespace",
    "pattern",
    "format",
    "multipleOf",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
];

/// Keywords whose value is one schema.
const ONE_SCHEMA: &[&str] = &[
    "additionalProperties",
    "additionalItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
];

/// Keywords whose value is a map of schemas.
const SCHEMA_MAP: &[&str] = &["properties", "patternProperties", "$defs", "definitions"];

/// Keywords whose value is an array of schemas.
const SCHEMA_LIST: &[&str] = &["anyOf", "oneOf", "allOf"];

/// Keys kept in the crate's copy: the rules the walker evaluates, and what `$ref` needs to
/// find its target. `compile` refuses any key that is neither a rule, an annotation nor an
/// `x-` extension, so dropping everything else drops exactly what the walker ignores.
fn kept(key: &str) -> bool {
    is_rule(key) || matches!(key, "$ref" | "$id" | "$schema" | "$defs" | "definitions")
}

/// Rewrites one schema (recursively).
pub fn rewrite(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::with_capacity(map.len());
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    // The same test as the walker's `ref_only`: a `$ref` next to any rule keyword.
    let ref_with_siblings =
        map.contains_key("$ref") && map.keys().any(|k| k != "$ref" && is_rule(k));
    for (key, value) in map {
        let k = key.as_str();
        if k == "nullable" || !kept(k) {
            continue;
        }
        if k == "$ref" && ref_with_siblings {
            continue;
        }
        let new = if k == "type" && nullable {
            match value {
                Value::String(t) if t != "null" => {
                    Value::Array(vec![value.clone(), Value::from("null")])
                }
                Value::Array(ts) if !ts.contains(&Value::from("null")) => {
                    let mut ts = ts.clone();
                    ts.push(Value::from("null"));
                    Value::Array(ts)
                }
                other => other.clone(),
            }
        } else if CUSTOM.contains(&k) {
            out.insert(format!("{PREFIX}{k}"), value.clone());
            continue;
        } else if ONE_SCHEMA.contains(&k) {
            rewrite(value)
        } else if k == "items" {
            match value {
                Value::Array(items) => Value::Array(items.iter().map(rewrite).collect()),
                other => rewrite(other),
            }
        } else if SCHEMA_MAP.contains(&k) || k == "dependencies" {
            match value {
                Value::Object(m) => Value::Object(
                    m.iter()
                        .map(|(name, sub)| {
                            let sub = if sub.is_array() {
                                sub.clone()
                            } else {
                                rewrite(sub)
                            };
                            (name.clone(), sub)
                        })
                        .collect(),
                ),
                other => other.clone(),
            }
        } else if SCHEMA_LIST.contains(&k) {
            match value {
                Value::Array(items) => Value::Array(items.iter().map(rewrite).collect()),
                other => other.clone(),
            }
        } else {
            value.clone()
        };
        out.insert(key.clone(), new);
    }
    if ref_with_siblings {
        let mut all_of = vec![Value::Object(
            [("$ref".to_owned(), map["$ref"].clone())]
                .into_iter()
                .collect(),
        )];
        if let Some(Value::Array(existing)) = out.get("allOf") {
            all_of.extend(existing.iter().cloned());
        }
        out.insert("allOf".to_owned(), Value::Array(all_of));
    }
    Value::Object(out)
}

/// The Ajv-semantics checks behind the custom keywords.
enum Check {
    /// `isNotOnlyWhitespace: true` (`false` checks nothing).
    NotOnlyWhitespace(bool),
    Pattern(Pattern),
    Format(Format),
    MultipleOf(f64),
    Limit(f64, Fails),
}

impl Check {
    fn holds(&self, instance: &Value) -> bool {
        match (self, instance) {
            (Check::NotOnlyWhitespace(on), Value::String(s)) => {
                !on || super::walker::has_non_whitespace(s)
            }
            (Check::Pattern(p), Value::String(s)) => p.test(s),
            (Check::Format(f), Value::String(s)) => {
                f.applies_to() != Some(FormatType::String) || f.check_str(s)
            }
            (Check::Format(f), Value::Number(n)) => {
                f.applies_to() != Some(FormatType::Number) || f.check_number(js_number::to_f64(n))
            }
            (Check::MultipleOf(m), Value::Number(n)) => {
                let res = js_number::to_f64(n) / m;
                res.fract() == 0.0 && res.abs() < 1e21
            }
            (Check::Limit(limit, fails), Value::Number(n)) => {
                let x = js_number::to_f64(n);
                !(fails(x, *limit) || x.is_nan())
            }
            _ => true,
        }
    }
}

struct AjvKeyword {
    check: Check,
    name: &'static str,
}

impl<'i> Keyword<'i> for AjvKeyword {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.holds(instance) {
            Ok(())
        } else {
            Err(ValidationError::custom(format!(
                "fails Ajv's {}",
                self.name
            )))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.holds(instance)
    }
}

impl AjvKeyword {
    fn holds(&self, instance: &Value) -> bool {
        self.check.holds(instance)
    }
}

/// Builds the check for custom keyword `x-ajv-<name>` from its schema value.
fn make_check(name: &str, value: &Value) -> Result<Check, String> {
    let number = || {
        value
            .as_f64()
            .ok_or_else(|| format!("{name} must be a number"))
    };
    let limit = |fails| Ok(Check::Limit(number()?, fails));
    match name {
        "isNotOnlyWhitespace" => value
            .as_bool()
            .map(Check::NotOnlyWhitespace)
            .ok_or_else(|| format!("{name} must be a boolean")),
        "pattern" => Pattern::new(
            value
                .as_str()
                .ok_or_else(|| format!("{name} must be a string"))?,
            "u",
        )
        .map(Check::Pattern),
        "format" => value
            .as_str()
            .and_then(Format::by_name)
            .map(Check::Format)
            .ok_or_else(|| format!("unknown format {value}")),
        "multipleOf" => Ok(Check::MultipleOf(number()?)),
        _ => match NUMBER_LIMITS.iter().find(|(kw, _)| *kw == name) {
            Some((_, fails)) => limit(*fails),
            None => Err(format!("{name} is not an Ajv keyword")),
        },
    }
}

/// Serves the (rewritten) documents of the schema set to the crate by `$id`; nothing is
/// ever fetched from the network or the file system.
struct Documents(HashMap<String, Value>);

impl jsonschema::Retrieve for Documents {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let uri = uri.as_str();
        let key = uri.split_once('#').map_or(uri, |(doc, _)| doc);
        self.0
            .get(key)
            .cloned()
            .ok_or_else(|| format!("{key} is not part of the schema set").into())
    }
}

/// Compiles the crate-side validator.
pub fn build(root: &Value, others: &[Value]) -> Result<jsonschema::Validator, Error> {
    let documents = others
        .iter()
        .filter_map(|doc| {
            let id = doc.get("$id")?.as_str()?.trim_end_matches('#').to_owned();
            Some((id, rewrite(doc)))
        })
        .collect();
    let mut options = jsonschema::draft7::options()
        .should_validate_formats(false)
        .with_retriever(Documents(documents));
    for name in CUSTOM {
        options = options.with_keyword(format!("{PREFIX}{name}"), move |_parent, value, _path| {
            let check = make_check(name, value).map_err(ValidationError::custom)?;
            Ok(Box::new(AjvKeyword { check, name }) as Box<dyn for<'i> Keyword<'i>>)
        });
    }
    options.build(&rewrite(root)).map_err(|e| Error::Schema {
        pointer: format!("#{}", e.schema_path().as_str()),
        reason: format!("the jsonschema crate refused the rewritten schema: {e}"),
    })
}
