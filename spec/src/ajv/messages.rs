//! Ajv's error objects, keyword by keyword: the `params` each keyword reports and its English
//! `message`, built exactly from the schema values the way Ajv 8.20's error definitions
//! interpolate them (JavaScript number formatting included).

use std::sync::Arc;

use serde_json::{Map, Value};

use super::AjvError;
use super::js_number;

/// An error whose keyword, params and message depend only on the schema; prepared once at
/// compile time and stamped with the instance path when it fires.
#[derive(Clone, Debug)]
pub struct Fixed {
    /// Full `schemaPath` of the keyword.
    pub schema_path: Arc<str>,
    /// The keyword.
    pub keyword: &'static str,
    /// Keyword-specific details.
    pub params: Arc<Map<String, Value>>,
    /// Ajv's message.
    pub message: Arc<str>,
}

impl Fixed {
    /// The error for data at `instance_path`.
    pub fn at(&self, instance_path: &str, property_name: Option<&str>) -> AjvError {
        AjvError {
            instance_path: instance_path.to_owned(),
            schema_path: self.schema_path.clone(),
            keyword: self.keyword,
            params: self.params.clone(),
            message: self.message.clone(),
            property_name: property_name.map(str::to_owned),
        }
    }
}

fn params<const N: usize>(entries: [(&str, Value); N]) -> Map<String, Value> {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_owned(), js_number::normalize(&v)))
        .collect()
}

/// `String(value)` for a schema value interpolated into a message.
pub fn js_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => js_number::format(js_number::to_f64(n)),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::Null => String::new(),
                v => js_string(v),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_owned(),
    }
}

fn fixed(
    schema_path: String,
    keyword: &'static str,
    p: Map<String, Value>,
    message: String,
) -> Fixed {
    Fixed {
        schema_path: schema_path.into(),
        keyword,
        params: Arc::new(p),
        message: message.into(),
    }
}

/// `type`: `must be string` / `must be string,null`, params `{type}` as written.
pub fn type_error(schema_path: String, written: &Value) -> Fixed {
    fixed(
        schema_path,
        "type",
        params([("type", written.clone())]),
        format!("must be {}", js_string(written)),
    )
}

/// `const`.
pub fn const_error(schema_path: String, value: &Value) -> Fixed {
    fixed(
        schema_path,
        "const",
        params([("allowedValue", value.clone())]),
        "must be equal to constant".to_owned(),
    )
}

/// `enum`.
pub fn enum_error(schema_path: String, values: &Value) -> Fixed {
    fixed(
        schema_path,
        "enum",
        params([("allowedValues", values.clone())]),
        "must be equal to one of the allowed values".to_owned(),
    )
}

/// `maximum`, `minimum`, `exclusiveMaximum`, `exclusiveMinimum`.
pub fn number_limit(schema_path: String, keyword: &'static str, limit: &Value) -> Fixed {
    let comparison = match keyword {
        "maximum" => "<=",
        "minimum" => ">=",
        "exclusiveMaximum" => "<",
        _ => ">",
    };
    fixed(
        schema_path,
        keyword,
        params([
            ("comparison", Value::from(comparison)),
            ("limit", limit.clone()),
        ]),
        format!("must be {comparison} {}", js_string(limit)),
    )
}

/// `multipleOf`.
pub fn multiple_of(schema_path: String, divisor: &Value) -> Fixed {
    fixed(
        schema_path,
        "multipleOf",
        params([("multipleOf", divisor.clone())]),
        format!("must be multiple of {}", js_string(divisor)),
    )
}

/// `maxLength`, `minLength`, `maxItems`, `minItems`, `maxProperties`, `minProperties`.
pub fn count_limit(schema_path: String, keyword: &'static str, limit: &Value) -> Fixed {
    let comparison = if keyword.starts_with("max") {
        "more"
    } else {
        "fewer"
    };
    let unit = if keyword.ends_with("Length") {
        "characters"
    } else if keyword.ends_with("Items") {
        "items"
    } else {
        "properties"
    };
    fixed(
        schema_path,
        keyword,
        params([("limit", limit.clone())]),
        format!(
            "must NOT have {comparison} than {} {unit}",
            js_string(limit)
        ),
    )
}

/// `pattern`.
pub fn pattern(schema_path: String, source: &str) -> Fixed {
    fixed(
        schema_path,
        "pattern",
        params([("pattern", Value::from(source))]),
        format!("must match pattern \"{source}\""),
    )
}

/// `format`.
pub fn format(schema_path: String, name: &str) -> Fixed {
    fixed(
        schema_path,
        "format",
        params([("format", Value::from(name))]),
        format!("must match format \"{name}\""),
    )
}

/// A custom keyword registered without errors of its own (`errors: false`): Ajv reports its
/// default error, with no params.
pub fn custom_keyword(schema_path: String, keyword: &'static str) -> Fixed {
    fixed(
        schema_path,
        keyword,
        params([]),
        format!("must pass \"{keyword}\" keyword validation"),
    )
}

/// `additionalItems: false` (and a too-long tuple).
pub fn additional_items(schema_path: String, len: usize) -> Fixed {
    fixed(
        schema_path,
        "additionalItems",
        params([("limit", Value::from(len))]),
        format!("must NOT have more than {len} items"),
    )
}

/// `contains` (draft-07: at least one item).
pub fn contains(schema_path: String) -> Fixed {
    fixed(
        schema_path,
        "contains",
        params([("minContains", Value::from(1))]),
        "must contain at least 1 valid item(s)".to_owned(),
    )
}

/// `not`.
pub fn not(schema_path: String) -> Fixed {
    fixed(
        schema_path,
        "not",
        Map::new(),
        "must NOT be valid".to_owned(),
    )
}

/// `anyOf`.
pub fn any_of(schema_path: String) -> Fixed {
    fixed(
        schema_path,
        "anyOf",
        Map::new(),
        "must match a schema in anyOf".to_owned(),
    )
}

/// A `false` schema: keyword `"false schema"`.
pub fn false_schema(schema_path: String) -> Fixed {
    fixed(
        schema_path,
        "false schema",
        Map::new(),
        "boolean schema is false".to_owned(),
    )
}

/// `if` with its failing clause (`"then"` or `"else"`).
pub fn if_clause(schema_path: String, clause: &'static str) -> Fixed {
    fixed(
        schema_path,
        "if",
        params([("failingKeyword", Value::from(clause))]),
        format!("must match \"{clause}\" schema"),
    )
}

/// Builds an error that depends on the data.
fn dynamic(
    instance_path: &str,
    schema_path: &str,
    keyword: &'static str,
    params: Map<String, Value>,
    message: String,
    property_name: Option<&str>,
) -> AjvError {
    AjvError {
        instance_path: instance_path.to_owned(),
        schema_path: schema_path.into(),
        keyword,
        params: Arc::new(params),
        message: message.into(),
        property_name: property_name.map(str::to_owned),
    }
}

/// `oneOf`: `passingSchemas` is `null` when none passed, `[i, j]` when two did.
pub fn one_of(
    instance_path: &str,
    schema_path: &str,
    passing: Value,
    property_name: Option<&str>,
) -> AjvError {
    dynamic(
        instance_path,
        schema_path,
        "oneOf",
        params([("passingSchemas", passing)]),
        "must match exactly one schema in oneOf".to_owned(),
        property_name,
    )
}

/// `required`.
pub fn required(
    instance_path: &str,
    schema_path: &str,
    missing: &str,
    property_name: Option<&str>,
) -> AjvError {
    dynamic(
        instance_path,
        schema_path,
        "required",
        params([("missingProperty", Value::from(missing))]),
        format!("must have required property '{missing}'"),
        property_name,
    )
}

/// `additionalProperties: false`.
pub fn additional_property(
    instance_path: &str,
    schema_path: &str,
    key: &str,
    property_name: Option<&str>,
) -> AjvError {
    dynamic(
        instance_path,
        schema_path,
        "additionalProperties",
        params([("additionalProperty", Value::from(key))]),
        "must NOT have additional properties".to_owned(),
        property_name,
    )
}

/// `dependencies` (property form).
pub fn dependencies(
    instance_path: &str,
    schema_path: &str,
    property: &str,
    missing: &str,
    deps: &[String],
    property_name: Option<&str>,
) -> AjvError {
    let joined = deps.join(", ");
    let noun = if deps.len() == 1 {
        "property"
    } else {
        "properties"
    };
    let message = format!("must have {noun} {joined} when property {property} is present");
    dynamic(
        instance_path,
        schema_path,
        "dependencies",
        params([
            ("property", Value::from(property)),
            ("missingProperty", Value::from(missing)),
            ("depsCount", Value::from(deps.len())),
            ("deps", Value::from(joined)),
        ]),
        message,
        property_name,
    )
}

/// `propertyNames`: the key whose name failed.
pub fn property_names(
    instance_path: &str,
    schema_path: &str,
    key: &str,
    property_name: Option<&str>,
) -> AjvError {
    dynamic(
        instance_path,
        schema_path,
        "propertyNames",
        params([("propertyName", Value::from(key))]),
        "property name must be valid".to_owned(),
        property_name,
    )
}

/// `uniqueItems`: the duplicate pair as Ajv's loop finds it.
pub fn unique_items(
    instance_path: &str,
    schema_path: &str,
    i: usize,
    j: usize,
    property_name: Option<&str>,
) -> AjvError {
    dynamic(
        instance_path,
        schema_path,
        "uniqueItems",
        params([("i", Value::from(i)), ("j", Value::from(j))]),
        format!("must NOT have duplicate items (items ## {j} and {i} are identical)"),
        property_name,
    )
}
