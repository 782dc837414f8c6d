//! Compiles a schema set into the tree the walker evaluates, deciding at compile time
//! everything Ajv 8 decides when it generates code: which keywords run in which rule group,
//! whether `type` is checked first or as the `else` of its group, which `$ref` targets are
//! inlined (errors prefixed with the literal `$ref`, also when the target was reached
//! through aliases) and which are compiled separately (errors restart at `#`), and every
//! error's `schemaPath`, `params` and `message` that depend only on the schema.
//!
//! Anything Ajv would accept that this module cannot reproduce exactly is refused with an
//! [`Error`] naming the schema location: nothing is silently ignored.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::ecma_regex::Pattern;
use super::formats::Format;
use super::messages::{self, Fixed};
use super::{Error, js_number, js_order, paths};

/// Index of a node in [`Program::nodes`].
pub type NodeId = usize;

/// The compiled schema set.
#[derive(Debug)]
pub struct Program {
    /// Every node; refs point at each other by index, so recursion is allowed.
    pub nodes: Vec<Node>,
    /// The root schema.
    pub root: NodeId,
}

/// One (sub)schema.
#[derive(Debug)]
pub enum Node {
    /// Reserved while a recursive `$ref` target is being compiled.
    Pending,
    /// `true` or `false`.
    Bool {
        /// The schema value.
        value: bool,
        /// Its error (used when `false`).
        error: Fixed,
    },
    /// A schema object.
    Schema(Box<SchemaNode>),
}

/// JSON Schema's primitive types, tested the way Ajv tests them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsType {
    /// `null`.
    Null,
    /// `boolean`.
    Boolean,
    /// `object` (not arrays, not null).
    Object,
    /// `array`.
    Array,
    /// `number`.
    Number,
    /// `integer`: a number without fraction (`1.0` counts).
    Integer,
    /// `string`.
    String,
}

impl JsType {
    fn parse(name: &str) -> Option<JsType> {
        Some(match name {
            "null" => JsType::Null,
            "boolean" => JsType::Boolean,
            "object" => JsType::Object,
            "array" => JsType::Array,
            "number" => JsType::Number,
            "integer" => JsType::Integer,
            "string" => JsType::String,
            _ => return None,
        })
    }

    /// Whether `value` has this type.
    pub fn matches(self, value: &Value) -> bool {
        match (self, value) {
            (JsType::Null, Value::Null)
            | (JsType::Boolean, Value::Bool(_))
            | (JsType::Object, Value::Object(_))
            | (JsType::Array, Value::Array(_))
            | (JsType::Number, Value::Number(_))
            | (JsType::String, Value::String(_)) => true,
            (JsType::Integer, Value::Number(n)) => {
                n.is_i64() || n.is_u64() || js_number::to_f64(n).fract() == 0.0
            }
            _ => false,
        }
    }

    fn group(self) -> Option<Group> {
        match self {
            JsType::Number => Some(Group::Number),
            JsType::String => Some(Group::String),
            JsType::Array => Some(Group::Array),
            JsType::Object => Some(Group::Object),
            JsType::Null | JsType::Boolean | JsType::Integer => None,
        }
    }
}

/// True when `value` has one of `types`.
pub fn types_match(types: &[JsType], value: &Value) -> bool {
    types.iter().any(|t| t.matches(value))
}

/// Ajv's typed rule groups, in the order Ajv runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// maximum, minimum, exclusiveMaximum, exclusiveMinimum, multipleOf, format.
    Number = 0,
    /// maxLength, minLength, pattern, format, then connectFi's `isNotOnlyWhitespace` (a
    /// custom keyword registered for strings, which Ajv appends to the group).
    String = 1,
    /// maxItems, minItems, additionalItems, items, contains, uniqueItems.
    Array = 2,
    /// maxProperties, minProperties, required, propertyNames, additionalProperties,
    /// dependencies, properties, patternProperties.
    Object = 3,
}

impl Group {
    /// All groups in Ajv's order.
    pub const ALL: [Group; 4] = [Group::Number, Group::String, Group::Array, Group::Object];

    fn keywords(self) -> &'static [&'static str] {
        match self {
            Group::Number => &[
                "maximum",
                "minimum",
                "exclusiveMaximum",
                "exclusiveMinimum",
                "multipleOf",
                "format",
            ],
            Group::String => &[
                "maxLength",
                "minLength",
                "pattern",
                "format",
                "isNotOnlyWhitespace",
            ],
            Group::Array => &[
                "maxItems",
                "minItems",
                "additionalItems",
                "items",
                "contains",
                "uniqueItems",
            ],
            Group::Object => &[
                "maxProperties",
                "minProperties",
                "required",
                "propertyNames",
                "additionalProperties",
                "dependencies",
                "properties",
                "patternProperties",
            ],
        }
    }
}

/// Keywords of Ajv's untyped rule group (plus `type`/`nullable`/`$comment`, which Ajv also
/// registers there and which therefore make the group "used").
const UNTYPED: &[&str] = &[
    "$ref", "type", "nullable", "$comment", "const", "enum", "not", "anyOf", "oneOf", "allOf",
    "if", "then", "else",
];

/// Keys Ajv knows but that never validate anything.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$defs",
    "definitions",
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "contentMediaType",
    "contentEncoding",
];

/// Names Ajv would look up on `Object.prototype` (it tests `data[name] !== undefined`), so
/// `required` and `properties` would see inherited members where JSON has none.
const PROTOTYPE_NAMES: &[&str] = &[
    "__proto__",
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toString",
    "toLocaleString",
    "valueOf",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
];

/// A numeric comparison that fails: `(data, limit) -> failed`.
pub type Fails = fn(f64, f64) -> bool;

/// Ajv's number-group limits in its order, with the comparison that fails each.
pub const NUMBER_LIMITS: [(&str, Fails); 4] = [
    ("maximum", |d, l| d > l),
    ("minimum", |d, l| d < l),
    ("exclusiveMaximum", |d, l| d >= l),
    ("exclusiveMinimum", |d, l| d <= l),
];

/// A `$ref` keyword.
#[derive(Debug)]
pub struct Ref {
    /// The referenced schema.
    pub target: NodeId,
    /// Compiled as a separate Ajv function: it starts a new non-composite context.
    pub separate: bool,
}

/// A numeric limit with its prepared error.
#[derive(Debug)]
pub struct Limit {
    /// The limit as JavaScript holds it.
    pub limit: f64,
    /// The error.
    pub error: Fixed,
}

/// `if`/`then`/`else`.
#[derive(Debug)]
pub struct IfThenElse {
    /// The condition.
    pub condition: NodeId,
    /// `then`, unless absent or always valid.
    pub then: Option<NodeId>,
    /// `else`, unless absent or always valid.
    pub otherwise: Option<NodeId>,
    /// Error when `then` fails.
    pub then_error: Fixed,
    /// Error when `else` fails.
    pub else_error: Fixed,
}

/// `items`.
#[derive(Debug)]
pub enum Items {
    /// One schema for every item.
    All(NodeId),
    /// A tuple: schema per position (`None` = always valid).
    Tuple(Vec<Option<NodeId>>),
}

/// `additionalItems` next to a tuple `items`.
#[derive(Debug)]
pub enum AdditionalItems {
    /// `false`: at most `len` items.
    False(Fixed),
    /// Items past the tuple must match.
    Schema(NodeId),
}

/// `additionalProperties`.
#[derive(Debug)]
pub enum AdditionalProperties {
    /// `false`.
    False(String),
    /// A schema for every additional property.
    Schema(NodeId),
}

/// `dependencies`.
#[derive(Debug)]
pub struct Dependencies {
    /// `schemaPath` of the keyword.
    pub schema_path: String,
    /// Property form: trigger, required names.
    pub properties: Vec<(String, Vec<String>)>,
    /// Schema form: trigger, schema.
    pub schemas: Vec<(String, NodeId)>,
}

/// `uniqueItems: true`.
#[derive(Debug)]
pub struct UniqueItems {
    /// `schemaPath`.
    pub schema_path: String,
    /// Types of `items` (Ajv takes a faster, differently ordered loop when they are all scalar).
    pub item_types: Vec<JsType>,
}

/// A compiled schema object.
#[derive(Debug, Default)]
pub struct SchemaNode {
    /// Only `$ref` counts: Ajv runs nothing else (no type check).
    pub ref_only: bool,
    /// `$ref`.
    pub reference: Option<Ref>,
    /// Types accepted (`nullable: true` adds null); empty when there is no `type`.
    pub types: Vec<JsType>,
    /// The type error.
    pub type_error: Option<Fixed>,
    /// Type checked before all keywords (otherwise as the `else` of `deferred_type`'s group).
    pub type_first: bool,
    /// The group whose `else` reports the type error.
    pub deferred_type: Option<Group>,
    /// Whether the untyped group is used.
    pub untyped: bool,
    /// Which typed groups are used.
    pub groups: [bool; 4],
    /// `const`.
    pub constant: Option<(Value, Fixed)>,
    /// `enum`.
    pub enumeration: Option<(Vec<Value>, Fixed)>,
    /// `not`.
    pub not: Option<(NodeId, Fixed)>,
    /// `anyOf` (absent when a branch is always valid: Ajv skips the keyword).
    pub any_of: Option<(Vec<NodeId>, Fixed)>,
    /// `oneOf` (`None` branches are always valid) and its `schemaPath`.
    pub one_of: Option<(Vec<Option<NodeId>>, String)>,
    /// `allOf` branches that can fail.
    pub all_of: Vec<NodeId>,
    /// `if`.
    pub if_then_else: Option<IfThenElse>,
    /// `maximum`, `minimum`, `exclusiveMaximum`, `exclusiveMinimum` (Ajv's order), with the
    /// comparison that fails.
    pub number_limits: Vec<(Limit, Fails)>,
    /// `multipleOf`.
    pub multiple_of: Option<Limit>,
    /// `format`.
    pub format: Option<(Format, Fixed)>,
    /// `maxLength`.
    pub max_length: Option<Limit>,
    /// `minLength`.
    pub min_length: Option<Limit>,
    /// `pattern`.
    pub pattern: Option<(Pattern, Fixed)>,
    /// `isNotOnlyWhitespace: true` (connectFi's custom keyword, DECISIONS.md).
    pub not_only_whitespace: Option<Fixed>,
    /// `maxItems`.
    pub max_items: Option<Limit>,
    /// `minItems`.
    pub min_items: Option<Limit>,
    /// `additionalItems` and the tuple length.
    pub additional_items: Option<(AdditionalItems, usize)>,
    /// `items`.
    pub items: Option<Items>,
    /// `contains` (`None` schema = always valid) and its error.
    pub contains: Option<(Option<NodeId>, Fixed)>,
    /// `uniqueItems: true`.
    pub unique_items: Option<UniqueItems>,
    /// `maxProperties`.
    pub max_properties: Option<Limit>,
    /// `minProperties`.
    pub min_properties: Option<Limit>,
    /// `required` and its `schemaPath`.
    pub required: Option<(Vec<String>, String)>,
    /// `propertyNames` and its `schemaPath`.
    pub property_names: Option<(NodeId, String)>,
    /// `additionalProperties`.
    pub additional_properties: Option<AdditionalProperties>,
    /// Names in `properties` (all of them, for `additionalProperties`).
    pub declared: Vec<String>,
    /// `dependencies`.
    pub dependencies: Option<Dependencies>,
    /// `properties` that can fail, in JavaScript key order.
    pub properties: Vec<(String, NodeId)>,
    /// `patternProperties` in JavaScript key order (`None` schema = always valid).
    pub pattern_properties: Vec<(Pattern, Option<NodeId>)>,
}

struct Doc<'d> {
    id: Option<String>,
    json: &'d Value,
}

struct Compiler<'d> {
    docs: Vec<Doc<'d>>,
    nodes: Vec<Node>,
    separate: HashMap<(usize, String), NodeId>,
}

/// Compiles `root` with `others` available to cross-document `$ref`s (matched by `$id`).
pub fn compile(root: &Value, others: &[Value]) -> Result<Program, Error> {
    let docs = std::iter::once(root)
        .chain(others)
        .map(|json| Doc {
            id: json
                .get("$id")
                .and_then(Value::as_str)
                .map(|id| id.trim_end_matches('#').to_owned()),
            json,
        })
        .collect();
    let mut c = Compiler {
        docs,
        nodes: Vec::new(),
        separate: HashMap::new(),
    };
    let root_id = c.reserve();
    c.separate.insert((0, String::new()), root_id);
    let node = c.node(0, "", root, "#".to_owned())?;
    c.nodes[root_id] = node;
    Ok(Program {
        nodes: c.nodes,
        root: root_id,
    })
}

fn join(pointer: &str, segment: &str) -> String {
    let mut p = pointer.to_owned();
    paths::push_pointer_segment(&mut p, segment);
    p
}

/// Ajv's `hasRef`: any `$ref` anywhere below decides against inlining.
fn has_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k == "$ref" || k == "$recursiveRef" || k == "$dynamicRef" || has_ref(v)),
        Value::Array(items) => items.iter().any(has_ref),
        _ => false,
    }
}

/// A `$ref` whose fragment is a JSON pointer (`#/…`, `other.json#/…`): the only refs Ajv
/// resolves through `getJsonPointer`, which follows aliases.
fn is_pointer_ref(r: &str) -> bool {
    r.split_once('#').is_some_and(|(_, f)| f.starts_with('/'))
}

/// The `$ref` of a schema that is only a `$ref` (Ajv's `schemaHasRulesButRef` is false: no
/// other rule keyword; annotations, `definitions` and unknown `x-` keys do not count).
fn alias_ref(schema: &Value) -> Option<&str> {
    let map = schema.as_object()?;
    let r = map.get("$ref")?.as_str()?;
    (!map.keys().any(|k| k != "$ref" && is_rule(k))).then_some(r)
}

fn has_duplicates(values: &[Value]) -> bool {
    values
        .iter()
        .enumerate()
        .any(|(i, v)| values[..i].iter().any(|w| super::equality::equal(v, w)))
}

/// Ajv's `alwaysValidSchema`: `true`, `{}`, or an object without any rule keyword.
fn always_valid(schema: &Value) -> bool {
    match schema {
        Value::Bool(b) => *b,
        Value::Object(map) => !map.keys().any(|k| is_rule(k)),
        _ => false,
    }
}

/// A keyword Ajv compiles into code (the walker evaluates it).
pub fn is_rule(key: &str) -> bool {
    UNTYPED.contains(&key) || Group::ALL.iter().any(|g| g.keywords().contains(&key))
}

impl<'d> Compiler<'d> {
    fn reserve(&mut self) -> NodeId {
        self.nodes.push(Node::Pending);
        self.nodes.len() - 1
    }

    fn err(&self, doc: usize, pointer: &str, reason: impl Into<String>) -> Error {
        let base = self.docs[doc].id.as_deref().unwrap_or("");
        Error::Schema {
            pointer: format!("{base}#{pointer}"),
            reason: reason.into(),
        }
    }

    fn sub(
        &mut self,
        doc: usize,
        pointer: &str,
        schema: &'d Value,
        path: String,
    ) -> Result<NodeId, Error> {
        let node = self.node(doc, pointer, schema, path)?;
        self.nodes.push(node);
        Ok(self.nodes.len() - 1)
    }

    /// A subschema that may be skipped when always valid.
    fn optional_sub(
        &mut self,
        doc: usize,
        pointer: &str,
        schema: &'d Value,
        path: String,
    ) -> Result<Option<NodeId>, Error> {
        // Still compiled for its errors in the schema (an invalid keyword must be refused).
        let id = self.sub(doc, pointer, schema, path)?;
        Ok((!always_valid(schema)).then_some(id))
    }

    fn node(
        &mut self,
        doc: usize,
        pointer: &str,
        schema: &'d Value,
        path: String,
    ) -> Result<Node, Error> {
        let map = match schema {
            Value::Bool(value) => {
                return Ok(Node::Bool {
                    value: *value,
                    error: messages::false_schema(format!("{path}/false schema")),
                });
            }
            Value::Object(map) => map,
            _ => return Err(self.err(doc, pointer, "a schema must be an object or a boolean")),
        };
        let mut s = SchemaNode::default();
        self.check_keys(doc, pointer, map)?;
        let kw_path = |kw: &str| format!("{path}/{kw}");
        let kw_ptr = |kw: &str| join(pointer, kw);

        // `$ref`.
        if let Some(r) = map.get("$ref") {
            let r = r
                .as_str()
                .ok_or_else(|| self.err(doc, &kw_ptr("$ref"), "`$ref` must be a string"))?;
            s.reference = Some(self.reference(doc, &kw_ptr("$ref"), r)?);
            s.ref_only = !map.keys().any(|k| k != "$ref" && is_rule(k));
            if s.ref_only {
                return Ok(Node::Schema(Box::new(s)));
            }
        }

        // `type` and `nullable`.
        let nullable = match map.get("nullable") {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                return Err(self.err(doc, &kw_ptr("nullable"), "`nullable` must be a boolean"));
            }
        };
        if let Some(written) = map.get("type") {
            let names: Vec<&str> = match written {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            let well_formed = match written {
                Value::Array(ts) => !ts.is_empty() && ts.len() == names.len(),
                _ => !names.is_empty(),
            };
            let mut types = Vec::new();
            for name in &names {
                match JsType::parse(name) {
                    Some(t) if well_formed && !types.contains(&t) => types.push(t),
                    _ => {
                        return Err(self.err(
                            doc,
                            &kw_ptr("type"),
                            format!(
                                "`type` must be a type name or a non-empty array of distinct ones, not {written}"
                            ),
                        ));
                    }
                }
            }
            if types.contains(&JsType::Null) {
                if nullable == Some(false) {
                    return Err(self.err(doc, pointer, "type: null contradicts nullable: false"));
                }
            } else if nullable == Some(true) {
                types.push(JsType::Null);
            }
            // Ajv's `getSchemaTypes` pushes "null" into a written type *array* in place, so
            // its errors then show the array with "null"; a single written type stays as is.
            let reported = match written {
                Value::Array(ts)
                    if nullable == Some(true) && !ts.contains(&Value::from("null")) =>
                {
                    let mut ts = ts.clone();
                    ts.push(Value::from("null"));
                    Value::Array(ts)
                }
                other => other.clone(),
            };
            s.type_error = Some(messages::type_error(kw_path("type"), &reported));
            s.types = types;
        } else if nullable.is_some() {
            return Err(self.err(doc, pointer, "\"nullable\" cannot be used without \"type\""));
        }

        s.untyped = map.keys().any(|k| UNTYPED.contains(&k.as_str()));
        for g in Group::ALL {
            s.groups[g as usize] = g.keywords().iter().any(|k| map.contains_key(*k));
        }
        if !s.types.is_empty() {
            let deferred = match s.types.as_slice() {
                [single] => single.group().filter(|g| s.groups[*g as usize]),
                _ => None,
            };
            s.deferred_type = deferred;
            s.type_first = deferred.is_none();
        }

        // Untyped keywords.
        if let Some(v) = map.get("const") {
            s.constant = Some((v.clone(), messages::const_error(kw_path("const"), v)));
        }
        if let Some(v) = map.get("enum") {
            let values = v
                .as_array()
                .ok_or_else(|| self.err(doc, &kw_ptr("enum"), "`enum` must be an array"))?;
            if has_duplicates(values) {
                // Ajv's meta-schema requires unique `enum` items.
                return Err(self.err(doc, &kw_ptr("enum"), "`enum` items must be unique"));
            }
            s.enumeration = Some((values.clone(), messages::enum_error(kw_path("enum"), v)));
        }
        if let Some(v) = map.get("not") {
            let id = self.sub(doc, &kw_ptr("not"), v, kw_path("not"))?;
            s.not = Some((id, messages::not(kw_path("not"))));
        }
        if let Some(v) = map.get("anyOf") {
            let branches = self.branches(doc, &kw_ptr("anyOf"), v, &kw_path("anyOf"))?;
            if v.as_array().is_some_and(|b| !b.iter().any(always_valid)) {
                let ids = branches.into_iter().map(|(id, _)| id).collect();
                s.any_of = Some((ids, messages::any_of(kw_path("anyOf"))));
            }
        }
        if let Some(v) = map.get("oneOf") {
            let branches = self.branches(doc, &kw_ptr("oneOf"), v, &kw_path("oneOf"))?;
            let ids = branches
                .into_iter()
                .map(|(id, trivial)| (!trivial).then_some(id))
                .collect();
            s.one_of = Some((ids, kw_path("oneOf")));
        }
        if let Some(v) = map.get("allOf") {
            let branches = self.branches(doc, &kw_ptr("allOf"), v, &kw_path("allOf"))?;
            s.all_of = branches
                .into_iter()
                .filter(|(_, t)| !t)
                .map(|(id, _)| id)
                .collect();
        }
        if let Some(cond) = map.get("if") {
            let condition = self.sub(doc, &kw_ptr("if"), cond, kw_path("if"))?;
            let mut clause = |kw: &str| -> Result<Option<NodeId>, Error> {
                match map.get(kw) {
                    Some(v) => self.optional_sub(doc, &kw_ptr(kw), v, kw_path(kw)),
                    None => Ok(None),
                }
            };
            let then = clause("then")?;
            let otherwise = clause("else")?;
            if then.is_some() || otherwise.is_some() {
                s.if_then_else = Some(IfThenElse {
                    condition,
                    then,
                    otherwise,
                    then_error: messages::if_clause(kw_path("if"), "then"),
                    else_error: messages::if_clause(kw_path("if"), "else"),
                });
            }
        }

        // Number group.
        for (kw, fails) in NUMBER_LIMITS {
            if let Some(v) = map.get(kw) {
                let limit = self.number(doc, &kw_ptr(kw), v)?;
                s.number_limits.push((
                    Limit {
                        limit,
                        error: messages::number_limit(kw_path(kw), kw, v),
                    },
                    fails,
                ));
            }
        }
        if let Some(v) = map.get("multipleOf") {
            let limit = self.number(doc, &kw_ptr("multipleOf"), v)?;
            if limit <= 0.0 {
                return Err(self.err(doc, &kw_ptr("multipleOf"), "`multipleOf` must be > 0"));
            }
            s.multiple_of = Some(Limit {
                limit,
                error: messages::multiple_of(kw_path("multipleOf"), v),
            });
        }
        if let Some(v) = map.get("format") {
            let name = v
                .as_str()
                .ok_or_else(|| self.err(doc, &kw_ptr("format"), "`format` must be a string"))?;
            let format = Format::by_name(name).ok_or_else(|| {
                self.err(
                    doc,
                    &kw_ptr("format"),
                    format!("unknown format {name:?} (ajv-formats does not define it; Ajv would ignore it)"),
                )
            })?;
            s.format = Some((format, messages::format(kw_path("format"), name)));
        }

        // String group.
        s.max_length = self.count(doc, map, pointer, &path, "maxLength")?;
        s.min_length = self.count(doc, map, pointer, &path, "minLength")?;
        if let Some(v) = map.get("pattern") {
            let source = v
                .as_str()
                .ok_or_else(|| self.err(doc, &kw_ptr("pattern"), "`pattern` must be a string"))?;
            let pattern =
                Pattern::new(source, "u").map_err(|e| self.err(doc, &kw_ptr("pattern"), e))?;
            s.pattern = Some((pattern, messages::pattern(kw_path("pattern"), source)));
        }
        match map.get("isNotOnlyWhitespace") {
            None | Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => {
                s.not_only_whitespace = Some(messages::custom_keyword(
                    kw_path("isNotOnlyWhitespace"),
                    "isNotOnlyWhitespace",
                ));
            }
            Some(_) => {
                return Err(self.err(
                    doc,
                    &kw_ptr("isNotOnlyWhitespace"),
                    "`isNotOnlyWhitespace` must be a boolean",
                ));
            }
        }

        // Array group.
        s.max_items = self.count(doc, map, pointer, &path, "maxItems")?;
        s.min_items = self.count(doc, map, pointer, &path, "minItems")?;
        match map.get("items") {
            None => {}
            Some(Value::Array(tuple)) => {
                let mut ids = Vec::with_capacity(tuple.len());
                for (i, item) in tuple.iter().enumerate() {
                    let i = i.to_string();
                    ids.push(self.optional_sub(
                        doc,
                        &join(&kw_ptr("items"), &i),
                        item,
                        format!("{path}/items/{i}"),
                    )?);
                }
                if let Some(extra) = map.get("additionalItems") {
                    let ptr = kw_ptr("additionalItems");
                    let additional = match extra {
                        Value::Bool(false) => Some(AdditionalItems::False(
                            messages::additional_items(kw_path("additionalItems"), tuple.len()),
                        )),
                        other => self
                            .optional_sub(doc, &ptr, other, kw_path("additionalItems"))?
                            .map(AdditionalItems::Schema),
                    };
                    s.additional_items = additional.map(|a| (a, tuple.len()));
                }
                s.items = Some(Items::Tuple(ids));
            }
            Some(item) => {
                if let Some(id) =
                    self.optional_sub(doc, &kw_ptr("items"), item, kw_path("items"))?
                {
                    s.items = Some(Items::All(id));
                }
            }
        }
        if let Some(v) = map.get("contains") {
            let id = self.optional_sub(doc, &kw_ptr("contains"), v, kw_path("contains"))?;
            s.contains = Some((id, messages::contains(kw_path("contains"))));
        }
        match map.get("uniqueItems") {
            None | Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => {
                let item_types = match map.get("items") {
                    Some(Value::Object(items)) => {
                        let mut types: Vec<JsType> = match items.get("type") {
                            Some(Value::String(t)) => JsType::parse(t).into_iter().collect(),
                            Some(Value::Array(ts)) => ts
                                .iter()
                                .filter_map(|t| t.as_str().and_then(JsType::parse))
                                .collect(),
                            _ => Vec::new(),
                        };
                        if items.get("nullable") == Some(&Value::Bool(true))
                            && !types.is_empty()
                            && !types.contains(&JsType::Null)
                        {
                            types.push(JsType::Null);
                        }
                        types
                    }
                    _ => Vec::new(),
                };
                s.unique_items = Some(UniqueItems {
                    schema_path: kw_path("uniqueItems"),
                    item_types,
                });
            }
            Some(_) => {
                return Err(self.err(
                    doc,
                    &kw_ptr("uniqueItems"),
                    "`uniqueItems` must be a boolean",
                ));
            }
        }

        // Object group.
        s.max_properties = self.count(doc, map, pointer, &path, "maxProperties")?;
        s.min_properties = self.count(doc, map, pointer, &path, "minProperties")?;
        if let Some(v) = map.get("required") {
            let names = self.names(doc, &kw_ptr("required"), v)?;
            if names
                .iter()
                .enumerate()
                .any(|(i, n)| names[..i].contains(n))
            {
                return Err(self.err(doc, &kw_ptr("required"), "`required` items must be unique"));
            }
            s.required = Some((names, kw_path("required")));
        }
        if let Some(v) = map.get("propertyNames")
            && let Some(id) =
                self.optional_sub(doc, &kw_ptr("propertyNames"), v, kw_path("propertyNames"))?
        {
            s.property_names = Some((id, kw_path("propertyNames")));
        }
        if let Some(v) = map.get("properties") {
            let props = v.as_object().ok_or_else(|| {
                self.err(doc, &kw_ptr("properties"), "`properties` must be an object")
            })?;
            for name in js_order::keys(props) {
                self.check_name(doc, &kw_ptr("properties"), name)?;
                let ptr = join(&kw_ptr("properties"), name);
                let sp = format!("{path}/properties/{}", paths::fragment_segment(name));
                if let Some(id) = self.optional_sub(doc, &ptr, &props[name], sp)? {
                    s.properties.push((name.to_owned(), id));
                }
                s.declared.push(name.to_owned());
            }
        }
        if let Some(v) = map.get("patternProperties") {
            let pats = v.as_object().ok_or_else(|| {
                self.err(
                    doc,
                    &kw_ptr("patternProperties"),
                    "`patternProperties` must be an object",
                )
            })?;
            for source in js_order::keys(pats) {
                let ptr = join(&kw_ptr("patternProperties"), source);
                let pattern = Pattern::new(source, "u").map_err(|e| self.err(doc, &ptr, e))?;
                if !super::regex_translation::is_plain(source) {
                    return Err(self.err(
                        doc,
                        &ptr,
                        "patternProperties patterns must keep to the syntax ECMAScript and the \
                         jsonschema crate read alike (no `.`, no `\\d`-style classes, no \
                         lookaround, ASCII only)",
                    ));
                }
                let sp = format!(
                    "{path}/patternProperties/{}",
                    paths::fragment_segment(source)
                );
                let id = self.optional_sub(doc, &ptr, &pats[source], sp)?;
                s.pattern_properties.push((pattern, id));
            }
        }
        if let Some(v) = map.get("additionalProperties") {
            s.additional_properties = match v {
                Value::Bool(false) => {
                    Some(AdditionalProperties::False(kw_path("additionalProperties")))
                }
                other => self
                    .optional_sub(
                        doc,
                        &kw_ptr("additionalProperties"),
                        other,
                        kw_path("additionalProperties"),
                    )?
                    .map(AdditionalProperties::Schema),
            };
        }
        if let Some(v) = map.get("dependencies") {
            let deps = v.as_object().ok_or_else(|| {
                self.err(
                    doc,
                    &kw_ptr("dependencies"),
                    "`dependencies` must be an object",
                )
            })?;
            let mut d = Dependencies {
                schema_path: kw_path("dependencies"),
                properties: Vec::new(),
                schemas: Vec::new(),
            };
            for name in js_order::keys(deps) {
                self.check_name(doc, &kw_ptr("dependencies"), name)?;
                let ptr = join(&kw_ptr("dependencies"), name);
                match &deps[name] {
                    Value::Array(_) => {
                        let names = self.names(doc, &ptr, &deps[name])?;
                        if !names.is_empty() {
                            d.properties.push((name.to_owned(), names));
                        }
                    }
                    other => {
                        let sp = format!("{path}/dependencies/{}", paths::fragment_segment(name));
                        if let Some(id) = self.optional_sub(doc, &ptr, other, sp)? {
                            d.schemas.push((name.to_owned(), id));
                        }
                    }
                }
            }
            s.dependencies = Some(d);
        }
        Ok(Node::Schema(Box::new(s)))
    }

    /// Refuses keys this module cannot reproduce (nothing is silently ignored).
    fn check_keys(&self, doc: usize, pointer: &str, map: &Map<String, Value>) -> Result<(), Error> {
        for key in map.keys() {
            let known =
                is_rule(key) || ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-");
            if !known {
                return Err(self.err(
                    doc,
                    pointer,
                    format!(
                        "unsupported keyword `{key}` (Ajv-exact validation cannot reproduce it)"
                    ),
                ));
            }
            if key == "$id" && !pointer.is_empty() {
                return Err(self.err(
                    doc,
                    pointer,
                    "`$id` below a document's root is not supported",
                ));
            }
        }
        Ok(())
    }

    fn branches(
        &mut self,
        doc: usize,
        pointer: &str,
        value: &'d Value,
        path: &str,
    ) -> Result<Vec<(NodeId, bool)>, Error> {
        let items = value
            .as_array()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| self.err(doc, pointer, "must be a non-empty array of schemas"))?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let i = i.to_string();
            let id = self.sub(doc, &join(pointer, &i), item, format!("{path}/{i}"))?;
            out.push((id, always_valid(item)));
        }
        Ok(out)
    }

    fn number(&self, doc: usize, pointer: &str, value: &Value) -> Result<f64, Error> {
        match value {
            Value::Number(n) => Ok(js_number::to_f64(n)),
            _ => Err(self.err(doc, pointer, "must be a number")),
        }
    }

    fn count(
        &self,
        doc: usize,
        map: &Map<String, Value>,
        pointer: &str,
        path: &str,
        keyword: &'static str,
    ) -> Result<Option<Limit>, Error> {
        let Some(v) = map.get(keyword) else {
            return Ok(None);
        };
        let ptr = join(pointer, keyword);
        let limit = self.number(doc, &ptr, v)?;
        if limit < 0.0 || limit.fract() != 0.0 {
            return Err(self.err(doc, &ptr, "must be a non-negative integer"));
        }
        Ok(Some(Limit {
            limit,
            error: messages::count_limit(format!("{path}/{keyword}"), keyword, v),
        }))
    }

    fn names(&self, doc: usize, pointer: &str, value: &Value) -> Result<Vec<String>, Error> {
        let items = value
            .as_array()
            .ok_or_else(|| self.err(doc, pointer, "must be an array of strings"))?;
        let mut names = Vec::with_capacity(items.len());
        for item in items {
            let name = item
                .as_str()
                .ok_or_else(|| self.err(doc, pointer, "must be an array of strings"))?;
            self.check_name(doc, pointer, name)?;
            names.push(name.to_owned());
        }
        Ok(names)
    }

    fn check_name(&self, doc: usize, pointer: &str, name: &str) -> Result<(), Error> {
        if PROTOTYPE_NAMES.contains(&name) {
            return Err(self.err(
                doc,
                pointer,
                format!(
                    "property name {name:?} is an Object.prototype member, which Ajv would consult"
                ),
            ));
        }
        Ok(())
    }

    fn reference(&mut self, doc: usize, pointer: &str, r: &str) -> Result<Ref, Error> {
        let (target_doc, segments) = self
            .resolve(doc, r)
            .ok_or_else(|| self.err(doc, pointer, format!("cannot resolve $ref {r:?}")))?;
        let (mut target_doc, mut target_ptr, mut target) = self
            .lookup(target_doc, &segments)
            .ok_or_else(|| self.err(doc, pointer, format!("$ref {r:?} points at nothing")))?;
        if is_pointer_ref(r) {
            // Ajv's `getJsonPointer` (compile/resolve): when a pointer lands on an alias (a
            // schema that is only a `$ref`), it resolves the alias's own `$ref` instead, and
            // again, so the alias is never compiled. What is inlined or compiled is the final
            // target, but an inlined target's errors are still prefixed with *this* `$ref`
            // as written: `{"$ref": "#/definitions/a"}` with `a` → `b` → `{"type": …}`
            // reports `#/definitions/a/type`.
            let mut seen = vec![(target_doc, target_ptr.clone())];
            while let Some(next) = alias_ref(target) {
                self.check_keys(target_doc, &target_ptr, target.as_object().expect("alias"))?;
                let Some((next_doc, next_segments)) = self.resolve(target_doc, next) else {
                    // Ajv keeps the alias, whose compilation then fails; so will ours.
                    break;
                };
                if !is_pointer_ref(next) {
                    // A document ref (`resolve` refuses other fragments): Ajv's
                    // `resolveSchema` returns another document's root as is (no further alias
                    // following), and nothing for the alias's own document (the alias is
                    // kept: its `#` calls that root).
                    if next_doc != target_doc {
                        target_doc = next_doc;
                        target_ptr = String::new();
                        target = self.docs[next_doc].json;
                    }
                    break;
                }
                let Some(found) = self.lookup(next_doc, &next_segments) else {
                    break;
                };
                (target_doc, target_ptr, target) = found;
                if seen.contains(&(target_doc, target_ptr.clone())) {
                    // Ajv recurses until the stack overflows ("Maximum call stack size
                    // exceeded" at compile time).
                    return Err(self.err(
                        doc,
                        pointer,
                        format!("$ref {r:?} leads into a cycle of schemas that are only a $ref"),
                    ));
                }
                seen.push((target_doc, target_ptr.clone()));
            }
        }
        if !has_ref(target) {
            // Ajv inlines the target: its errors are prefixed with the `$ref` string as written.
            let id = self.sub(target_doc, &target_ptr, target, r.to_owned())?;
            return Ok(Ref {
                target: id,
                separate: false,
            });
        }
        let key = (target_doc, target_ptr.clone());
        if let Some(id) = self.separate.get(&key) {
            return Ok(Ref {
                target: *id,
                separate: true,
            });
        }
        let id = self.reserve();
        self.separate.insert(key, id);
        let node = self.node(target_doc, &target_ptr, target, "#".to_owned())?;
        self.nodes[id] = node;
        Ok(Ref {
            target: id,
            separate: true,
        })
    }

    /// The schema at `segments` in document `doc`, with its JSON pointer.
    fn lookup(&self, doc: usize, segments: &[String]) -> Option<(usize, String, &'d Value)> {
        let mut target: &'d Value = self.docs[doc].json;
        let mut target_ptr = String::new();
        for seg in segments {
            target = match target {
                Value::Object(m) => m.get(seg),
                Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            }?;
            paths::push_pointer_segment(&mut target_ptr, seg);
        }
        Some((doc, target_ptr, target))
    }

    /// Resolves `r` against the document's `$id` to a document and pointer segments.
    fn resolve(&self, doc: usize, r: &str) -> Option<(usize, Vec<String>)> {
        let (uri, fragment) = r.split_once('#').unwrap_or((r, ""));
        let target = if uri.is_empty() {
            doc
        } else {
            let absolute = resolve_uri(self.docs[doc].id.as_deref().unwrap_or(""), uri)?;
            self.docs
                .iter()
                .position(|d| d.id.as_deref() == Some(absolute.as_str()))?
        };
        Some((target, paths::decode_fragment_pointer(fragment)?))
    }
}

/// RFC 3986 reference resolution for the relative forms schemas use (`other.json`,
/// `./other.json`, `../dir/other.json`, absolute URIs).
fn resolve_uri(base: &str, reference: &str) -> Option<String> {
    if reference.contains("://") || reference.starts_with("urn:") {
        return Some(reference.to_owned());
    }
    let (prefix, base_path) = match base.find("://") {
        Some(i) => {
            let after = &base[i + 3..];
            let host_end = after.find('/').map_or(base.len(), |j| i + 3 + j);
            (&base[..host_end], &base[host_end..])
        }
        None => ("", base),
    };
    let mut segments: Vec<&str> = if reference.starts_with('/') {
        Vec::new()
    } else {
        let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in reference.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    if prefix.is_empty() && !base_path.starts_with('/') && !reference.starts_with('/') {
        return Some(segments.join("/"));
    }
    Some(format!("{prefix}/{}", segments.join("/")))
}

#[cfg(test)]
mod tests {
    use super::resolve_uri;

    #[test]
    fn resolves_relative_references() {
        let base = "https://kyc-spec.example/schema/kyc-init.response.schema.json";
        assert_eq!(
            resolve_uri(base, "common.schema.json").as_deref(),
            Some("https://kyc-spec.example/schema/common.schema.json")
        );
        assert_eq!(
            resolve_uri(base, "./common.schema.json").as_deref(),
            Some("https://kyc-spec.example/schema/common.schema.json")
        );
        assert_eq!(
            resolve_uri(base, "../other/x.json").as_deref(),
            Some("https://kyc-spec.example/other/x.json")
        );
    }
}
