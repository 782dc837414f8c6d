//! The schema model: one JSON Schema node read into typed keywords, with every keyword outside
//! the supported subset rejected by name and JSON pointer.

use serde_json::{Map, Value};

use crate::error::Error;

/// Keywords that only annotate (or identify) a schema: none changes which values are valid, so
/// the generator may read them for docs or naming, or ignore them. OpenAPI exports carry most of
/// these (`discriminator`, `readOnly`, `example`, `xml`...), which is why they are accepted.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "examples",
    "example",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "xml",
    "discriminator",
];

/// Whether `key` only annotates a schema (see [`ANNOTATIONS`]); every `x-` extension does.
pub fn is_annotation(key: &str) -> bool {
    key.starts_with("x-") || ANNOTATIONS.contains(&key)
}

/// Keywords the generator understands.
const STRUCTURE: &[&str] = &[
    "$ref",
    "$defs",
    "definitions",
    "type",
    "nullable",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "allOf",
    "oneOf",
    "anyOf",
    "patternProperties",
    "additionalItems",
    "prefixItems",
    "format",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "pattern",
    "minLength",
    "maxLength",
    "isNotOnlyWhitespace",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

/// One schema node. Sub-schemas stay as borrowed JSON so lowering can follow them lazily and
/// compute their pointers.
#[derive(Debug)]
pub struct Schema<'a> {
    /// `document#/json/pointer` of this node, used in every error message.
    pub pointer: String,
    /// The whole node, for merging and fingerprinting.
    pub raw: &'a Map<String, Value>,
    pub reference: Option<&'a str>,
    /// `type`, without `"null"`.
    pub types: Vec<&'a str>,
    /// `nullable: true`, `"null"` in `type`, or `null` in `enum`.
    pub nullable: bool,
    pub properties: Vec<(&'a str, &'a Value)>,
    pub required: Vec<&'a str>,
    pub additional: Additional<'a>,
    pub items: Option<&'a Value>,
    /// `enum` without `null`.
    pub enum_values: Option<Vec<&'a Value>>,
    pub constant: Option<&'a Value>,
    pub all_of: Vec<&'a Value>,
    pub one_of: Vec<&'a Value>,
    /// `anyOf`.
    pub any_of: Vec<&'a Value>,
    /// `patternProperties`, in schema order.
    pub pattern_properties: Vec<(&'a str, &'a Value)>,
    /// Draft-07 `additionalItems` (only meaningful next to an array `items`).
    pub additional_items: Option<&'a Value>,
    /// 2020-12 `prefixItems`.
    pub prefix_items: Option<&'a Value>,
    pub defs: Vec<(&'a str, &'a Value)>,
    pub checks: Checks,
    pub docs: Annotations<'a>,
}

/// `additionalProperties`.
#[derive(Debug, Clone, Copy)]
pub enum Additional<'a> {
    /// Absent or `true`: other members are tolerated.
    Tolerated,
    /// `false`: other members are an error.
    Denied,
    /// A schema every other member must match.
    Schema(&'a Value),
}

/// Value constraints that turn a plain type into a checked newtype.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks {
    pub pattern: Option<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub minimum: Option<serde_json::Number>,
    pub maximum: Option<serde_json::Number>,
    pub exclusive_minimum: Option<serde_json::Number>,
    pub exclusive_maximum: Option<serde_json::Number>,
    /// `format`, checked the way ajv-formats checks it (see `crate::formats`).
    pub format: Option<String>,
    /// `uniqueItems: true` (`false` constrains nothing and is not recorded).
    pub unique_items: bool,
    /// connectFi's custom keyword `isNotOnlyWhitespace: true`: the string has a character
    /// JavaScript's `\S` matches (`false` constrains nothing and is not recorded).
    pub not_only_whitespace: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
}

impl Checks {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Constraints that can only hold for strings.
    pub fn has_string_checks(&self) -> bool {
        self.pattern.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.not_only_whitespace
    }

    pub fn has_array_checks(&self) -> bool {
        self.min_items.is_some() || self.max_items.is_some() || self.unique_items
    }

    pub fn has_object_checks(&self) -> bool {
        self.min_properties.is_some() || self.max_properties.is_some()
    }

    pub fn has_number_checks(&self) -> bool {
        self.minimum.is_some()
            || self.maximum.is_some()
            || self.exclusive_minimum.is_some()
            || self.exclusive_maximum.is_some()
    }
}

/// What a schema says about itself for people.
#[derive(Debug, Clone, Default)]
pub struct Annotations<'a> {
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    /// `examples`, then OpenAPI's single `example`.
    pub examples: Vec<&'a Value>,
    pub default: Option<&'a Value>,
    pub deprecated: bool,
    /// `readOnly: true`: the server sets the value; a request need not send it.
    pub read_only: bool,
    /// `writeOnly: true`: the value is sent, never returned.
    pub write_only: bool,
    /// OpenAPI's `externalDocs`: a URL and what it is.
    pub external_docs: Option<ExternalDocs<'a>>,
    /// OpenAPI's `discriminator` beside a `oneOf`.
    pub discriminator: Option<Discriminator<'a>>,
    /// `x-enum-descriptions`, one per non-null `enum` value.
    pub enum_descriptions: Vec<&'a str>,
    /// `x-enum-varnames`, one Rust variant name per non-null `enum` value.
    pub enum_varnames: Vec<&'a str>,
    /// `x-secret: true`: the value must never reach a log, so its `Debug` is redacted.
    pub secret: bool,
}

/// OpenAPI's `externalDocs`.
#[derive(Debug, Clone, Copy)]
pub struct ExternalDocs<'a> {
    pub url: &'a str,
    pub description: Option<&'a str>,
}

/// OpenAPI's `discriminator`: the member whose value says which `oneOf` branch an object is.
#[derive(Debug, Clone)]
pub struct Discriminator<'a> {
    /// `propertyName`.
    pub property: &'a str,
    /// `mapping`: tag value → the branch's `$ref` (made canonical like every `$ref`) or the
    /// last segment of its pointer (a component name).
    pub mapping: Vec<(&'a str, &'a str)>,
}

impl<'a> Schema<'a> {
    /// Reads `value` (found at `pointer`). `true` and `{}` read as a schema without keywords.
    pub fn parse(value: &'a Value, pointer: String) -> Result<Self, Error> {
        let raw = node(value, &pointer)?;
        let k = Keywords {
            raw,
            pointer: &pointer,
        };
        let (types, typed_null) = k.types()?;
        let (enum_values, enum_null) = k.enum_values()?;
        // `oneOf`/`anyOf` with a `{"type": "null"}` branch is the OpenAPI 3.1 spelling of
        // nullability: the branch makes the node nullable and is not a variant of its own.
        let (one_of, one_of_null) = k.union("oneOf")?;
        let (any_of, any_of_null) = k.union("anyOf")?;
        let nullable = k.flag("nullable")? || typed_null || enum_null || one_of_null || any_of_null;
        let mut defs = k.members("$defs")?;
        defs.extend(k.members("definitions")?);
        Ok(Self {
            reference: k.string("$ref")?,
            nullable,
            properties: k.members("properties")?,
            required: k.strings("required")?,
            additional: k.additional()?,
            items: raw.get("items"),
            enum_values,
            constant: raw.get("const"),
            all_of: k.schemas("allOf")?,
            one_of,
            any_of,
            pattern_properties: k.members("patternProperties")?,
            additional_items: raw.get("additionalItems"),
            prefix_items: raw.get("prefixItems"),
            defs,
            checks: k.checks(&types)?,
            docs: k.annotations()?,
            types,
            raw,
            pointer,
        })
    }

    /// Whether the node constrains or shapes values at all (annotations and `$defs` do not).
    pub fn has_validation(&self) -> bool {
        self.raw.keys().any(|k| {
            STRUCTURE.contains(&k.as_str()) && !matches!(k.as_str(), "$defs" | "definitions")
        })
    }

    /// Pointer of a child reached through `keys`.
    pub fn child(&self, keys: &[&str]) -> String {
        let mut pointer = self.pointer.clone();
        for key in keys {
            pointer.push('/');
            pointer.push_str(&escape(key));
        }
        pointer
    }
}

/// The members of a schema node, or an error if it is neither an object nor `true`, or has a
/// keyword outside the supported subset.
fn node<'a>(value: &'a Value, pointer: &str) -> Result<&'a Map<String, Value>, Error> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    let raw = match value {
        Value::Object(map) => map,
        Value::Bool(true) => &*EMPTY,
        Value::Bool(false) => {
            return Err(Error::unsupported(
                pointer,
                "the `false` schema (nothing matches) has no Rust type",
            ));
        }
        _ => {
            return Err(Error::unsupported(
                pointer,
                "a schema must be an object or a boolean",
            ));
        }
    };
    for key in raw.keys() {
        if !is_annotation(key) && !STRUCTURE.contains(&key.as_str()) {
            return Err(Error::unsupported(
                pointer,
                format!("keyword `{key}` is not supported"),
            ));
        }
    }
    Ok(raw)
}

/// One node's keywords, read by JSON type with an error naming the keyword's pointer.
struct Keywords<'a, 'p> {
    raw: &'a Map<String, Value>,
    pointer: &'p str,
}

impl<'a> Keywords<'a, '_> {
    fn at(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, escape(key))
    }

    fn wrong(&self, key: &str, what: &str) -> Error {
        Error::unsupported(&self.at(key), what)
    }

    fn string(&self, key: &str) -> Result<Option<&'a str>, Error> {
        match self.raw.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(self.wrong(key, "must be a string")),
        }
    }

    fn count(&self, key: &str) -> Result<Option<u64>, Error> {
        match self.raw.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "must be a non-negative integer")),
        }
    }

    fn number(&self, key: &str) -> Result<Option<serde_json::Number>, Error> {
        match self.raw.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(Some(n.clone())),
            Some(_) => Err(self.wrong(key, "must be a number")),
        }
    }

    /// `true`, `false` or absent (read as `false`).
    fn flag(&self, key: &str) -> Result<bool, Error> {
        match self.raw.get(key) {
            None | Some(Value::Bool(false)) => Ok(false),
            Some(Value::Bool(true)) => Ok(true),
            Some(_) => Err(self.wrong(key, "must be a boolean")),
        }
    }

    fn schemas(&self, key: &str) -> Result<Vec<&'a Value>, Error> {
        match self.raw.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(list)) if !list.is_empty() => Ok(list.iter().collect()),
            Some(_) => Err(self.wrong(key, "must be a non-empty array of schemas")),
        }
    }

    fn members(&self, key: &str) -> Result<Vec<(&'a str, &'a Value)>, Error> {
        match self.raw.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Object(map)) => Ok(map.iter().map(|(k, v)| (k.as_str(), v)).collect()),
            Some(_) => Err(self.wrong(key, "must be an object of schemas")),
        }
    }

    fn strings(&self, key: &str) -> Result<Vec<&'a str>, Error> {
        let wrong = || self.wrong(key, "must be an array of strings");
        match self.raw.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(list)) => list.iter().map(|v| v.as_str().ok_or_else(wrong)).collect(),
            Some(_) => Err(wrong()),
        }
    }

    /// `type` without `"null"`, and whether it named `"null"`.
    fn types(&self) -> Result<(Vec<&'a str>, bool), Error> {
        let mut types = match self.raw.get("type") {
            None => Vec::new(),
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(list)) => list
                .iter()
                .map(|t| {
                    t.as_str()
                        .ok_or_else(|| self.wrong("type", "must name types"))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(self.wrong("type", "must be a string or an array")),
        };
        let null = types.contains(&"null");
        types.retain(|t| *t != "null");
        Ok((types, null))
    }

    /// `enum` without `null`, and whether it listed `null`.
    fn enum_values(&self) -> Result<(Option<Vec<&'a Value>>, bool), Error> {
        match self.raw.get("enum") {
            None => Ok((None, false)),
            Some(Value::Array(list)) => Ok((
                Some(list.iter().filter(|v| !v.is_null()).collect()),
                list.contains(&Value::Null),
            )),
            Some(_) => Err(self.wrong("enum", "must be an array")),
        }
    }

    /// The branches of `oneOf` or `anyOf` but for those admitting only `null`, and whether
    /// there was such a branch.
    fn union(&self, key: &str) -> Result<(Vec<&'a Value>, bool), Error> {
        let mut branches = self.schemas(key)?;
        let before = branches.len();
        branches.retain(|branch| !is_null_only(branch));
        let null = branches.len() != before;
        Ok((branches, null))
    }

    fn additional(&self) -> Result<Additional<'a>, Error> {
        match self.raw.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Ok(Additional::Tolerated),
            Some(Value::Bool(false)) => Ok(Additional::Denied),
            Some(v @ Value::Object(_)) => Ok(Additional::Schema(v)),
            Some(_) => Err(self.wrong("additionalProperties", "must be a boolean or a schema")),
        }
    }

    fn checks(&self, types: &[&str]) -> Result<Checks, Error> {
        let mut checks = Checks {
            pattern: self.string("pattern")?.map(str::to_owned),
            min_length: self.count("minLength")?,
            max_length: self.count("maxLength")?,
            min_items: self.count("minItems")?,
            max_items: self.count("maxItems")?,
            minimum: self.number("minimum")?,
            maximum: self.number("maximum")?,
            exclusive_minimum: self.number("exclusiveMinimum")?,
            exclusive_maximum: self.number("exclusiveMaximum")?,
            format: self.string("format")?.map(str::to_owned),
            unique_items: self.flag("uniqueItems")?,
            min_properties: self.count("minProperties")?,
            max_properties: self.count("maxProperties")?,
            not_only_whitespace: self.flag("isNotOnlyWhitespace")?,
        };
        // Formats the Rust type already guarantees (`i64`, `f64`) need no type of their own.
        let implied = matches!(
            (checks.format.as_deref(), types),
            (Some("int64"), ["integer"]) | (Some("float" | "double"), ["integer" | "number"])
        );
        if implied {
            checks.format = None;
        }
        Ok(checks)
    }

    fn annotations(&self) -> Result<Annotations<'a>, Error> {
        let raw = self.raw;
        let mut examples: Vec<&Value> = match raw.get("examples") {
            None => Vec::new(),
            Some(Value::Array(list)) => list.iter().collect(),
            Some(_) => return Err(self.wrong("examples", "must be an array")),
        };
        examples.extend(raw.get("example"));
        Ok(Annotations {
            title: self.string("title")?,
            description: self.string("description")?,
            examples,
            default: raw.get("default"),
            deprecated: self.flag("deprecated")?,
            read_only: self.flag("readOnly")?,
            write_only: self.flag("writeOnly")?,
            external_docs: external_docs(raw.get("externalDocs"), || self.at("externalDocs"))?,
            discriminator: discriminator(raw.get("discriminator"), || self.at("discriminator"))?,
            enum_descriptions: self.strings("x-enum-descriptions")?,
            enum_varnames: self.strings("x-enum-varnames")?,
            secret: raw.get("x-secret") == Some(&Value::Bool(true)),
        })
    }
}

fn external_docs(
    value: Option<&Value>,
    pointer: impl Fn() -> String,
) -> Result<Option<ExternalDocs<'_>>, Error> {
    let Some(value) = value else {
        return Ok(None);
    };
    let url = value.get("url").and_then(Value::as_str);
    let description = value.get("description").map(Value::as_str);
    match (url, description) {
        (Some(url), None | Some(Some(_))) => Ok(Some(ExternalDocs {
            url,
            description: description.flatten(),
        })),
        _ => Err(Error::unsupported(
            &pointer(),
            "must be an object with a string `url` (and optionally a string `description`)",
        )),
    }
}

fn discriminator(
    value: Option<&Value>,
    pointer: impl Fn() -> String,
) -> Result<Option<Discriminator<'_>>, Error> {
    let Some(value) = value else {
        return Ok(None);
    };
    let wrong = || {
        Error::unsupported(
            &pointer(),
            "must be an object with a string `propertyName` and an optional `mapping` of strings",
        )
    };
    let property = value
        .get("propertyName")
        .and_then(Value::as_str)
        .ok_or_else(wrong)?;
    let mapping = match value.get("mapping") {
        None => Vec::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(tag, target)| Ok((tag.as_str(), target.as_str().ok_or_else(wrong)?)))
            .collect::<Result<_, Error>>()?,
        Some(_) => return Err(wrong()),
    };
    Ok(Some(Discriminator { property, mapping }))
}

/// Whether a union branch admits only `null`: `{"type": "null"}`, `{"const": null}` or
/// `{"enum": [null]}`, with nothing but annotations beside.
fn is_null_only(branch: &Value) -> bool {
    let Value::Object(map) = branch else {
        return false;
    };
    let mut shape = map.iter().filter(|(k, _)| !is_annotation(k));
    let null = serde_json::json!(null);
    match (shape.next(), shape.next()) {
        (Some((key, value)), None) => match key.as_str() {
            "type" => *value == "null" || *value == serde_json::json!(["null"]),
            "const" => *value == null,
            "enum" => *value == serde_json::json!([null]),
            _ => false,
        },
        _ => false,
    }
}

/// Escapes one JSON pointer reference token. The generator's only copy of RFC 6901's escaping
/// (it does not depend on kyc-spec, whose `pointer` module is the workspace's): a test holds
/// the two equal.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one JSON pointer reference token (`~1` before `~0`, as the RFC orders it).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod pointer_tests {
    /// The generator's escaping is kyc-spec's, the workspace's one implementation.
    #[test]
    fn escaping_is_kyc_specs() {
        for token in ["plain", "a/b", "c~d", "~1", "~01", "/~/", ""] {
            let escaped = super::escape(token);
            assert_eq!(escaped, kyc_spec::pointer::escape(token), "{token:?}");
            assert_eq!(super::unescape(&escaped), token, "{token:?}");
            assert_eq!(
                super::unescape(token),
                kyc_spec::pointer::unescape(token),
                "{token:?}"
            );
        }
    }
}
