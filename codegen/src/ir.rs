//! The intermediate representation: named Rust types with fields, variants, checks and docs,
//! independent of both JSON Schema and token syntax.

/// Index of a [`TypeDef`] in [`Module::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Everything one generated file contains.
#[derive(Debug, Default)]
pub struct Module {
    /// In emission order.
    pub types: Vec<TypeDef>,
}

/// One named Rust item.
#[derive(Debug)]
pub struct TypeDef {
    pub name: String,
    /// Where it comes from, for errors and docs.
    pub pointer: String,
    /// Doc lines; a deprecated type says so here rather than with `#[deprecated]` (see
    /// `lower::type_docs`).
    pub docs: Vec<String>,
    pub kind: Kind,
    /// Whether every value it can hold supports `Eq` and `Hash` (no floating point inside).
    pub eq: bool,
    /// Reached only from requests (documents named `*.request.*`): what we send is what the
    /// schema lists, so its enums and tagged unions have no `Unknown` variant.
    pub closed: bool,
}

#[derive(Debug)]
pub enum Kind {
    /// `pub type Name = Target;` for a named schema that needs no type of its own.
    Alias(Ty),
    Struct(Struct),
    /// A string enum that keeps unknown values.
    Enum(Vec<Variant>),
    /// A single string value (`const`).
    Const(String),
    /// A checked wrapper with a private field.
    Newtype(Newtype),
    /// `oneOf` told apart by a `const` property.
    Tagged(Tagged),
    /// An `enum` with non-string (or mixed) values that keeps unknown values of the same JSON
    /// types, as string enums keep unknown strings.
    ValueEnum(ValueEnum),
    /// A single non-string value (`const`).
    ConstValue(serde_json::Value),
    /// `oneOf` (exactly one branch) or `anyOf` (the first branch, in schema order) without a tag.
    Union(Union),
    /// `items` as an array (draft-07) or `prefixItems` (2020-12).
    Tuple(Tuple),
    /// Members matched by `patternProperties`, and what happens to the others.
    PatternMap(PatternMap),
}

/// The JSON types a [`ValueEnum`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
}

#[derive(Debug)]
pub struct ValueEnum {
    pub variants: Vec<ValueVariant>,
    /// Unknown values of these types are kept; other types are errors.
    pub types: Vec<JsonType>,
}

#[derive(Debug)]
pub struct ValueVariant {
    pub name: String,
    pub value: serde_json::Value,
    pub docs: Vec<String>,
}

#[derive(Debug)]
pub struct Union {
    /// `oneOf`: exactly one branch may match. `anyOf`: the first matching branch wins.
    pub exclusive: bool,
    /// Variant name and the type it holds, in schema order.
    pub variants: Vec<(String, Ty)>,
}

#[derive(Debug)]
pub struct Tuple {
    pub items: Vec<Ty>,
    /// How many leading items must be present (`minItems`); the others are `Option`.
    pub required: usize,
    /// Type of the items after the tuple, if any may follow.
    pub rest: Option<Ty>,
}

#[derive(Debug)]
pub struct PatternMap {
    /// ECMA-262 patterns; a member whose name matches any of them holds a `value`.
    pub patterns: Vec<String>,
    pub value: Ty,
    /// Members no pattern matches: kept, denied or collected (never `Patterns`).
    pub other: UnknownFields,
}

#[derive(Debug)]
pub struct Struct {
    pub fields: Vec<Field>,
    pub unknown: UnknownFields,
}

/// What happens to members the schema does not list.
#[derive(Debug)]
pub enum UnknownFields {
    /// Tolerated and kept in a JSON map, so additive server changes neither break clients nor
    /// get lost when a value is serialized again.
    Keep,
    /// `additionalProperties: false`.
    Deny,
    /// `additionalProperties: {schema}`: collected into a map of this value type.
    Collect(Ty),
    /// `patternProperties`: every other member goes to this [`PatternMap`] type.
    Patterns(TypeId),
}

#[derive(Debug)]
pub struct Field {
    /// Rust identifier (snake case, without `r#`).
    pub name: String,
    /// Member name on the wire.
    pub wire: String,
    pub ty: Ty,
    pub presence: Presence,
    pub docs: Vec<String>,
    pub deprecated: bool,
    /// The schema's `default`, applied when the member is absent on read; only for a plain
    /// scalar of the default's JSON type (anything else is documented, not applied).
    pub default: Option<serde_json::Value>,
}

/// How a member's absence and `null` are represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Must be present, never null: `T`.
    Required,
    /// Must be present, may be null: `Option<T>`, a missing key is an error.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, skipped when `None`.
    Optional,
    /// May be absent or null: `Tristate<T>`.
    OptionalNullable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Integer,
    /// An integer that needs the range of `u64` (bounds beyond `i64::MAX`).
    Unsigned,
    Number,
    String,
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
    Named(TypeId),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    /// A nullable value where no field presence applies (array items, map values).
    Option(Box<Ty>),
    /// Indirection on a cycle edge.
    Box(Box<Ty>),
}

#[derive(Debug)]
pub struct Variant {
    pub name: String,
    pub value: String,
    pub docs: Vec<String>,
}

#[derive(Debug)]
pub struct Newtype {
    pub inner: Ty,
    pub checks: crate::schema::Checks,
    /// `x-secret`: `Debug` prints no value.
    pub secret: bool,
    /// The doc lines that describe the value itself (constraints, format), without the
    /// description of any one use: what a type shared by identical inline values says.
    pub constraint_docs: Vec<String>,
}

#[derive(Debug)]
pub struct Tagged {
    /// The member holding the tag.
    pub tag: String,
    /// Tag value and the struct that carries it.
    pub variants: Vec<(String, TypeId)>,
    /// The variant names, in the order of `variants`: the tag values in Pascal case where they
    /// are distinct identifiers, else the structs' names.
    pub names: Vec<String>,
    /// The variant structs do not hold the tag member: the variant implies it, and the union
    /// reads and writes it.
    pub implied: bool,
    /// Where `implied`, per variant: the members that follow the tag in the schema, so the
    /// union writes the tag back where the struct held it.
    pub after_tag: Vec<Vec<String>>,
}
