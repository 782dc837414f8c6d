//! IR → tokens: one `quote!` function per kind of type, plus the runtime helpers the types
//! need, emitted into the module itself so it depends only on serde, serde_json, schemars and
//! regress.

use std::str::FromStr;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ascii_class::AsciiClass;
use crate::formats::{self, Check};
use crate::ir::{
    Field, JsonType, Kind, Module, Newtype, PatternMap, Presence, Struct, Tagged, Tuple, Ty,
    TypeDef, Union, UnknownFields, ValueEnum, Variant,
};
use crate::naming;
use crate::{Options, runtime, typed};

/// Which helpers the module needs; each is emitted only when some type uses it.
#[derive(Default)]
struct Needs {
    tristate: bool,
    unknown_value: bool,
    unknown_object: bool,
    constraint_error: bool,
    deserialize_present: bool,
    deserialize_some: bool,
    unknown_json: bool,
    /// Extra [`Violation`] variants, emitted only when a type can fail that way so modules
    /// without these constraints stay as they were.
    violation_format: bool,
    violation_whitespace: bool,
    violation_unique: bool,
    violation_members: bool,
    violation_names: bool,
    format_date: bool,
    format_time: bool,
    format_regex: bool,
    typed: typed::Needs,
}

/// The items of the generated module (without the header).
pub fn emit(module: &Module, options: &Options) -> TokenStream {
    let mut needs = Needs::default();
    let mut items = TokenStream::new();
    for def in &module.types {
        items.extend(emit_type(module, def, options, &mut needs));
    }
    let mut out = TokenStream::new();
    if module
        .types
        .iter()
        .any(|t| !matches!(t.kind, Kind::Alias(_)))
    {
        out.extend(quote! {
            use schemars::JsonSchema;
            use serde::{Deserialize, Serialize};
        });
    }
    out.extend(items);
    out.extend(helpers(&needs));
    out.extend(typed::helpers(&needs.typed, options));
    out
}

fn ident(name: &str) -> Ident {
    if naming::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

fn docs(lines: &[String]) -> TokenStream {
    lines
        .iter()
        .map(|line| {
            let text = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            quote!(#[doc = #text])
        })
        .collect()
}

fn deprecated(on: bool) -> TokenStream {
    if on {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}

fn ty(module: &Module, t: &Ty) -> TokenStream {
    match t {
        Ty::Bool => quote!(bool),
        Ty::Integer => quote!(i64),
        Ty::Unsigned => quote!(u64),
        Ty::Number => quote!(f64),
        Ty::String => quote!(String),
        Ty::Json => quote!(serde_json::Value),
        Ty::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Ty::Named(id) => {
            let name = ident(&module.types[id.0].name);
            quote!(#name)
        }
        Ty::Vec(inner) => {
            let inner = ty(module, inner);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty(module, inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = ty(module, inner);
            quote!(Option<#inner>)
        }
        Ty::Box(inner) => {
            let inner = ty(module, inner);
            quote!(Box<#inner>)
        }
    }
}

fn derives(def: &TypeDef, extra: TokenStream) -> TokenStream {
    let eq = if def.eq {
        quote!(Eq, Hash,)
    } else {
        TokenStream::new()
    };
    quote!(#[derive(Clone, Debug, PartialEq, #eq #extra)])
}

/// A JSON value as `json!`-style tokens for `schemars::json_schema!`.
fn json(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => number(n),
        Value::String(s) => quote!(#s),
        Value::Array(list) => {
            let items = list.iter().map(json);
            quote!([#(#items),*])
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json(v);
                quote!(#k: #v)
            });
            quote!({#(#entries),*})
        }
    }
}

fn number(n: &serde_json::Number) -> TokenStream {
    // An unsuffixed integer literal is an `i32` to `json!`; larger ones need their type.
    let literal = match (n.as_i64(), n.as_u64()) {
        (Some(i), _) if i32::try_from(i).is_err() => Literal::i64_suffixed(i),
        (None, Some(u)) => Literal::u64_suffixed(u),
        _ => Literal::from_str(&n.to_string()).expect("a JSON number is a Rust literal"),
    };
    quote!(#literal)
}

fn emit_type(module: &Module, def: &TypeDef, options: &Options, needs: &mut Needs) -> TokenStream {
    let doc = docs(&def.docs);
    let name = ident(&def.name);
    let body = match &def.kind {
        Kind::Alias(target) => {
            let target = ty(module, target);
            quote!(pub type #name = #target;)
        }
        Kind::Struct(s) => emit_struct(module, def, s, needs),
        Kind::Enum(variants) => {
            needs.unknown_value = true;
            emit_enum(def, variants)
        }
        Kind::Const(value) => emit_const(def, value),
        Kind::Newtype(n) => {
            needs.constraint_error = true;
            let typed = match (&n.inner, n.checks.format.as_deref()) {
                (Ty::String, Some(format)) => {
                    typed::accessors(&name, format, options, &mut needs.typed)
                }
                _ => TokenStream::new(),
            };
            let newtype = emit_newtype(module, def, n, needs);
            quote!(#newtype #typed)
        }
        Kind::Tagged(t) => {
            needs.unknown_object = true;
            emit_tagged(module, def, t)
        }
        Kind::ValueEnum(e) => {
            needs.unknown_json = true;
            emit_value_enum(def, e)
        }
        Kind::ConstValue(value) => emit_const_value(def, value),
        Kind::Union(u) => emit_union(module, def, u),
        Kind::Tuple(t) => emit_tuple(module, def, t),
        Kind::PatternMap(p) => {
            needs.constraint_error = true;
            needs.violation_names = true;
            emit_pattern_map(module, def, p)
        }
    };
    quote!(#doc #body)
}

fn emit_struct(module: &Module, def: &TypeDef, s: &Struct, needs: &mut Needs) -> TokenStream {
    let name = ident(&def.name);
    let fields = s.fields.iter().map(|f| emit_field(module, f, needs));
    let deny =
        matches!(s.unknown, UnknownFields::Deny).then(|| quote!(#[serde(deny_unknown_fields)]));
    let extra = match &s.unknown {
        UnknownFields::Collect(value) => {
            let value = ty(module, value);
            quote! {
                /// Members the schema does not name (`additionalProperties`).
                #[serde(flatten)]
                pub additional_properties: std::collections::BTreeMap<String, #value>,
            }
        }
        UnknownFields::Keep => quote! {
            /// Members the schema does not name, kept so serializing again loses nothing.
            #[serde(flatten)]
            pub additional_properties: serde_json::Map<String, serde_json::Value>,
        },
        UnknownFields::Patterns(id) => {
            let map = ident(&module.types[id.0].name);
            let text =
                format!(" Members `patternProperties` matches, and the others (see [`{map}`]).");
            quote! {
                #[doc = #text]
                #[serde(flatten)]
                pub pattern_properties: #map,
            }
        }
        UnknownFields::Deny => TokenStream::new(),
    };
    let derive = derives(def, quote!(Serialize, Deserialize, JsonSchema));
    quote! {
        #derive
        #deny
        pub struct #name {
            #(#fields)*
            #extra
        }
    }
}

fn emit_field(module: &Module, f: &Field, needs: &mut Needs) -> TokenStream {
    let doc = docs(&f.docs);
    let dep = deprecated(f.deprecated);
    let name = ident(&f.name);
    let inner = ty(module, &f.ty);
    let wire = &f.wire;
    let mut serde = Vec::new();
    if f.name != *wire {
        serde.push(quote!(rename = #wire));
    }
    let field_ty = match f.presence {
        Presence::Required => inner,
        Presence::RequiredNullable => {
            needs.deserialize_present = true;
            serde.push(quote!(deserialize_with = "deserialize_present"));
            quote!(Option<#inner>)
        }
        Presence::Optional => {
            needs.deserialize_some = true;
            serde.push(quote!(
                default,
                deserialize_with = "deserialize_some",
                skip_serializing_if = "Option::is_none"
            ));
            quote!(Option<#inner>)
        }
        Presence::OptionalNullable => {
            needs.tristate = true;
            serde.push(quote!(default, skip_serializing_if = "Tristate::is_absent"));
            quote!(Tristate<#inner>)
        }
    };
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    quote! {
        #doc
        #dep
        #serde
        pub #name: #field_ty,
    }
}

fn schema_impl(name: &Ident, body: TokenStream, uses_generator: bool) -> TokenStream {
    let name_str = name.to_string();
    let generator = if uses_generator {
        quote!(generator)
    } else {
        quote!(_generator)
    };
    quote! {
        impl JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #name_str.into()
            }

            fn json_schema(#generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                #body
            }
        }
    }
}

fn emit_enum(def: &TypeDef, variants: &[Variant]) -> TokenStream {
    let name = ident(&def.name);
    let variant_defs = variants.iter().map(|v| {
        let doc = docs(&v.docs);
        let vname = ident(&v.name);
        quote!(#doc #vname,)
    });
    let names: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let schema = schema_impl(
        &name,
        quote!(schemars::json_schema!({ "type": "string", "enum": [#(#values),*] })),
        false,
    );
    quote! {
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            /// A value the schema does not list. It keeps the original string, which
            /// [`Self::as_str`] returns and serialization writes back unchanged.
            Unknown(UnknownValue),
        }

        impl #name {
            /// Every value the schema lists, in schema order.
            pub const KNOWN: &'static [Self] = &[#(Self::#names),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether the value is one the schema does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }

            fn from_wire(value: String) -> Self {
                match value.as_str() {
                    #(#values => Self::#names,)*
                    _ => Self::Unknown(UnknownValue(value)),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(value.to_owned()))
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from_wire)
            }
        }

        #schema
    }
}

fn emit_const(def: &TypeDef, value: &str) -> TokenStream {
    let name = ident(&def.name);
    let expected = format!("the string {value:?}");
    let schema = schema_impl(
        &name,
        quote!(schemars::json_schema!({ "type": "string", "const": #value })),
        false,
    );
    quote! {
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct #name;

        impl #name {
            /// The only value this type holds.
            pub const VALUE: &'static str = #value;

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &'static str {
                Self::VALUE
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(Self::VALUE)
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                if value == Self::VALUE {
                    Ok(Self)
                } else {
                    Err(serde::de::Error::invalid_value(serde::de::Unexpected::Str(&value), &#expected))
                }
            }
        }

        #schema
    }
}

fn count(n: u64) -> Literal {
    Literal::u64_unsuffixed(n)
}

fn emit_newtype(module: &Module, def: &TypeDef, n: &Newtype, needs: &mut Needs) -> TokenStream {
    let name = ident(&def.name);
    let name_str = &def.name;
    let c = &n.checks;
    let inner = ty(module, &n.inner);
    let derive = if n.secret {
        let eq = if def.eq {
            quote!(Eq, Hash,)
        } else {
            TokenStream::new()
        };
        quote!(#[derive(Clone, PartialEq, #eq Serialize, Deserialize)])
    } else {
        derives(def, quote!(Serialize, Deserialize))
    };
    let redacted = n.secret.then(|| {
        let text = format!("{}(<redacted>)", def.name);
        let why = if n.checks.format.as_deref() == Some("password") {
            " Redacted: the value is a password (`format: password`) and must not reach a log."
        } else {
            " Redacted: the value is secret (`x-secret`) and must not reach a log."
        };
        quote! {
            #[doc = #why]
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(#text)
                }
            }
        }
    });
    let mut checks = TokenStream::new();
    let mut schema = serde_json::Map::new();
    let fail =
        |violation: TokenStream| quote!(return Err(ConstraintError::new(#name_str, #violation)););
    match &n.inner {
        Ty::String => {
            schema.insert("type".into(), "string".into());
            if c.min_length.is_some() || c.max_length.is_some() {
                checks.extend(quote!(let length = value.chars().count();));
            }
            if let Some(min) = c.min_length.filter(|m| *m > 0) {
                let lit = count(min);
                let err = fail(quote!(Violation::TooShort { min: #lit, actual: length }));
                checks.extend(quote!(if length < #lit { #err }));
            }
            if let Some(max) = c.max_length {
                let lit = count(max);
                let err = fail(quote!(Violation::TooLong { max: #lit, actual: length }));
                checks.extend(quote!(if length > #lit { #err }));
            }
            if let Some(pattern) = &c.pattern {
                let err = fail(quote!(Violation::PatternMismatch { pattern: PATTERN }));
                checks.extend(match AsciiClass::parse(pattern) {
                    // One ASCII class repeated: a byte test decides it as regress would.
                    Some(class) => {
                        let mismatch = class.mismatch();
                        quote! {
                            const PATTERN: &str = #pattern;
                            if #mismatch { #err }
                        }
                    }
                    None => quote! {
                        const PATTERN: &str = #pattern;
                        static REGEX: std::sync::LazyLock<regress::Regex> = std::sync::LazyLock::new(|| {
                            regress::Regex::with_flags(PATTERN, "u").expect("the generator compiled this pattern")
                        });
                        if REGEX.find(&value).is_none() { #err }
                    },
                });
            }
            if let Some(format) = c.format.as_deref().and_then(formats::by_name) {
                checks.extend(format_check(format, &fail, needs));
            }
            if c.not_only_whitespace {
                needs.violation_whitespace = true;
                let err = fail(quote!(Violation::OnlyWhitespace));
                // JavaScript's `\s`: white space and line terminators, Unicode `Zs` included.
                checks.extend(quote! {
                    let blank = |c: char| matches!(c,
                        '\u{9}'..='\u{d}' | '\u{20}' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}'
                        | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}');
                    if value.chars().all(blank) { #err }
                });
            }
        }
        Ty::Vec(_) => {
            schema.insert("type".into(), "array".into());
            checks.extend(quote!(let length = value.len();));
            if let Some(min) = c.min_items.filter(|m| *m > 0) {
                let lit = count(min);
                let err = fail(quote!(Violation::TooFewItems { min: #lit, actual: length }));
                checks.extend(quote!(if length < #lit { #err }));
            }
            if let Some(max) = c.max_items {
                let lit = count(max);
                let err = fail(quote!(Violation::TooManyItems { max: #lit, actual: length }));
                checks.extend(quote!(if length > #lit { #err }));
            }
            if c.unique_items {
                needs.violation_unique = true;
                let err = fail(quote!(Violation::DuplicateItems { first, second }));
                checks.extend(quote! {
                    // Quadratic, like Ajv for items it cannot hash; lists in API payloads are short.
                    let duplicate = (1..length)
                        .flat_map(|second| (0..second).map(move |first| (first, second)))
                        .find(|&(first, second)| value[first] == value[second]);
                    if let Some((first, second)) = duplicate { #err }
                });
            }
        }
        Ty::Map(_) | Ty::JsonObject => {
            schema.insert("type".into(), "object".into());
            needs.violation_members = true;
            checks.extend(quote!(let length = value.len();));
            if let Some(min) = c.min_properties.filter(|m| *m > 0) {
                let lit = count(min);
                let err = fail(quote!(Violation::TooFewMembers { min: #lit, actual: length }));
                checks.extend(quote!(if length < #lit { #err }));
            }
            if let Some(max) = c.max_properties {
                let lit = count(max);
                let err = fail(quote!(Violation::TooManyMembers { max: #lit, actual: length }));
                checks.extend(quote!(if length > #lit { #err }));
            }
        }
        Ty::Integer | Ty::Unsigned | Ty::Number => {
            let float = matches!(n.inner, Ty::Number);
            if let Some(format) = c.format.as_deref().and_then(formats::by_name) {
                checks.extend(format_check(format, &fail, needs));
            }
            schema.insert(
                "type".into(),
                if float { "number" } else { "integer" }.into(),
            );
            if float {
                let err = fail(quote!(Violation::OutOfRange {
                    expected: "a number, not NaN"
                }));
                checks.extend(quote!(if value.is_nan() { #err }));
            }
            // Each check names the failing comparison, so a NaN has been ruled out above.
            for (bound, op, failing) in [
                (&c.minimum, ">=", quote!(<)),
                (&c.exclusive_minimum, ">", quote!(<=)),
                (&c.maximum, "<=", quote!(>)),
                (&c.exclusive_maximum, "<", quote!(>=)),
            ] {
                let Some(bound) = bound else { continue };
                // `u64` already holds `>= 0` and `<= u64::MAX`; comparing would not compile
                // cleanly (`unused_comparisons`).
                let implied = match op {
                    ">=" => bound.as_u64() == Some(0),
                    "<=" => bound.as_u64() == Some(u64::MAX),
                    _ => false,
                };
                if implied && matches!(n.inner, Ty::Unsigned) {
                    continue;
                }
                let lit = if float {
                    let f = bound.as_f64().unwrap_or_default();
                    Literal::from_str(&format!("{f:?}")).expect("a float literal")
                } else if let Ty::Unsigned = n.inner {
                    Literal::u64_unsuffixed(bound.as_u64().unwrap_or_default())
                } else {
                    Literal::i64_unsuffixed(bound.as_i64().unwrap_or_default())
                };
                let text = format!("{op} {bound}");
                let err = fail(quote!(Violation::OutOfRange { expected: #text }));
                checks.extend(quote!(if value #failing #lit { #err }));
            }
        }
        _ => {}
    }
    for (key, v) in [
        ("minLength", c.min_length.map(Value::from)),
        ("maxLength", c.max_length.map(Value::from)),
        ("pattern", c.pattern.clone().map(Value::from)),
        (
            "isNotOnlyWhitespace",
            c.not_only_whitespace.then_some(Value::Bool(true)),
        ),
        ("minItems", c.min_items.map(Value::from)),
        ("maxItems", c.max_items.map(Value::from)),
        ("minimum", c.minimum.clone().map(Value::Number)),
        ("maximum", c.maximum.clone().map(Value::Number)),
        (
            "exclusiveMinimum",
            c.exclusive_minimum.clone().map(Value::Number),
        ),
        (
            "exclusiveMaximum",
            c.exclusive_maximum.clone().map(Value::Number),
        ),
        ("format", c.format.clone().map(Value::from)),
        ("uniqueItems", c.unique_items.then_some(Value::Bool(true))),
        ("minProperties", c.min_properties.map(Value::from)),
        ("maxProperties", c.max_properties.map(Value::from)),
    ] {
        if let Some(v) = v {
            schema.insert(key.into(), v);
        }
    }
    let schema_body = match &n.inner {
        Ty::Vec(item) => {
            let item = ty(module, item);
            let rest = schema.iter().map(|(k, v)| {
                let v = json(v);
                quote!(#k: #v)
            });
            quote!(
                schemars::json_schema!({ "items": generator.subschema_for::<#item>(), #(#rest),* })
            )
        }
        Ty::Map(value) => {
            let value = ty(module, value);
            let rest = schema.iter().map(|(k, v)| {
                let v = json(v);
                quote!(#k: #v)
            });
            quote!(
                schemars::json_schema!({ "additionalProperties": generator.subschema_for::<#value>(), #(#rest),* })
            )
        }
        _ => {
            let schema = json(&Value::Object(schema));
            quote!(schemars::json_schema!(#schema))
        }
    };
    let schema = schema_impl(
        &name,
        schema_body,
        matches!(n.inner, Ty::Vec(_) | Ty::Map(_)),
    );
    let accessors = match &n.inner {
        Ty::String => quote! {
            /// The checked string.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        },
        Ty::Vec(item) => {
            let item = ty(module, item);
            quote! {
                /// The checked items.
                pub fn as_slice(&self) -> &[#item] {
                    &self.0
                }
            }
        }
        Ty::Map(_) | Ty::JsonObject => quote! {
            /// The checked members.
            pub fn as_map(&self) -> &#inner {
                &self.0
            }
        },
        _ => quote! {
            /// The checked number.
            pub fn get(&self) -> #inner {
                self.0
            }
        },
    };
    let new_param = match &n.inner {
        Ty::String => quote!(value: impl Into<String>),
        _ => quote!(value: #inner),
    };
    let convert = match &n.inner {
        Ty::String => quote!(let value = value.into();),
        _ => TokenStream::new(),
    };
    let string_impls = matches!(n.inner, Ty::String).then(|| {
        quote! {
            impl TryFrom<&str> for #name {
                type Error = ConstraintError;

                fn try_from(value: &str) -> Result<Self, Self::Error> {
                    Self::new(value)
                }
            }

            impl std::str::FromStr for #name {
                type Err = ConstraintError;

                fn from_str(value: &str) -> Result<Self, Self::Err> {
                    Self::new(value)
                }
            }

            impl AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    &self.0
                }
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(&self.0)
                }
            }
        }
    });
    let number_display = matches!(n.inner, Ty::Integer | Ty::Unsigned | Ty::Number).then(|| {
        quote! {
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "{}", self.0)
                }
            }
        }
    });
    let serde_inner = inner.to_string().replace(' ', "");
    quote! {
        #derive
        #[serde(try_from = #serde_inner, into = #serde_inner)]
        pub struct #name(#inner);

        impl #name {
            /// Checks `value` against the schema's constraints.
            pub fn new(#new_param) -> Result<Self, ConstraintError> {
                #convert
                #checks
                Ok(Self(value))
            }

            #accessors

            /// The checked value.
            pub fn into_inner(self) -> #inner {
                self.0
            }
        }

        impl TryFrom<#inner> for #name {
            type Error = ConstraintError;

            fn try_from(value: #inner) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<#name> for #inner {
            fn from(value: #name) -> Self {
                value.0
            }
        }

        #string_impls
        #number_display
        #redacted
        #schema
    }
}

/// The statements that reject a `value` breaking `format`, as Ajv with ajv-formats would.
fn format_check(
    format: formats::Format,
    fail: &dyn Fn(TokenStream) -> TokenStream,
    needs: &mut Needs,
) -> TokenStream {
    let name = format.name;
    let err = || fail(quote!(Violation::FormatMismatch { format: #name }));
    let regex = |source: &str, flags: &str| {
        quote! {
            static FORMAT: std::sync::LazyLock<regress::Regex> = std::sync::LazyLock::new(|| {
                regress::Regex::with_flags(#source, #flags).expect("ajv-formats' expression compiles")
            });
        }
    };
    let (setup, bad) = match format.check {
        Check::Nothing => return TokenStream::new(),
        Check::Regex(source, flags) => {
            (regex(source, flags), quote!(FORMAT.find(&value).is_none()))
        }
        Check::Uri => {
            let (source, flags) = formats::uri_regex();
            (
                regex(source, flags),
                quote!(
                    !(value.contains('/') || value.contains(':')) || FORMAT.find(&value).is_none()
                ),
            )
        }
        Check::Date => {
            needs.format_date = true;
            (TokenStream::new(), quote!(!format_date(&value)))
        }
        Check::Time { strict_zone } => {
            needs.format_time = true;
            (
                TokenStream::new(),
                quote!(!format_time(&value, #strict_zone)),
            )
        }
        Check::DateTime { strict_zone } => {
            needs.format_date = true;
            needs.format_time = true;
            (
                TokenStream::new(),
                quote!(!format_date_time(&value, #strict_zone)),
            )
        }
        Check::EcmaRegex => {
            needs.format_regex = true;
            (TokenStream::new(), quote!(!format_regex(&value)))
        }
        Check::Int32 => (TokenStream::new(), quote!(i32::try_from(value).is_err())),
    };
    needs.violation_format = true;
    let err = err();
    quote! {
        #setup
        if #bad { #err }
    }
}

/// The wire form of a scalar `enum`/`const` value as a `serialize_*` call.
fn serialize_scalar(value: &Value) -> TokenStream {
    match value {
        Value::String(s) => quote!(serializer.serialize_str(#s)),
        Value::Bool(b) => quote!(serializer.serialize_bool(#b)),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => {
                let lit = Literal::i64_suffixed(i);
                quote!(serializer.serialize_i64(#lit))
            }
            (None, Some(u)) => {
                let lit = Literal::u64_suffixed(u);
                quote!(serializer.serialize_u64(#lit))
            }
            _ => {
                let lit = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
                quote!(serializer.serialize_f64(#lit))
            }
        },
        _ => quote!(serializer.serialize_unit()),
    }
}

/// A pattern (with guard) matching exactly `value` in a `&serde_json::Value`: `1` matches `1`
/// but not `1.0`, so what was read is what is written back.
fn match_scalar(value: &Value) -> TokenStream {
    match value {
        Value::String(s) => quote!(serde_json::Value::String(text) if text == #s),
        Value::Bool(b) => quote!(serde_json::Value::Bool(#b)),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => {
                let lit = Literal::i64_suffixed(i);
                quote!(serde_json::Value::Number(n) if n.as_i64() == Some(#lit))
            }
            (None, Some(u)) => {
                let lit = Literal::u64_suffixed(u);
                quote!(serde_json::Value::Number(n) if n.as_u64() == Some(#lit))
            }
            _ => {
                let text = n.to_string();
                quote!(serde_json::Value::Number(n) if n.is_f64() && n.to_string() == #text)
            }
        },
        _ => quote!(serde_json::Value::Null),
    }
}

fn emit_value_enum(def: &TypeDef, e: &ValueEnum) -> TokenStream {
    let name = ident(&def.name);
    let variant_defs = e.variants.iter().map(|v| {
        let doc = docs(&v.docs);
        let vname = ident(&v.name);
        let text = format!(" `{}`", v.value);
        let doc = if v.docs.is_empty() {
            quote!(#[doc = #text])
        } else {
            doc
        };
        quote!(#doc #vname,)
    });
    let names: Vec<Ident> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let jsons: Vec<TokenStream> = e.variants.iter().map(|v| json(&v.value)).collect();
    let serializes = e.variants.iter().map(|v| serialize_scalar(&v.value));
    let matches = e.variants.iter().map(|v| match_scalar(&v.value));
    let (kept, expected): (Vec<TokenStream>, Vec<&str>) = e
        .types
        .iter()
        .map(|t| match t {
            JsonType::String => (quote!(serde_json::Value::String(_)), "a string"),
            JsonType::Integer => (
                quote!(serde_json::Value::Number(n) if n.is_i64() || n.is_u64()),
                "an integer",
            ),
            JsonType::Number => (quote!(serde_json::Value::Number(_)), "a number"),
            JsonType::Boolean => (quote!(serde_json::Value::Bool(_)), "a boolean"),
        })
        .unzip();
    let mismatch = format!("{}: expected {}, got {{}}", def.name, expected.join(" or "));
    let kept = kept
        .iter()
        .map(|pattern| quote!(matches!(&value, #pattern)))
        .reduce(|a, b| quote!(#a || #b))
        .unwrap_or_else(|| quote!(false));
    let types: Vec<&str> = e
        .types
        .iter()
        .map(|t| match t {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
        })
        .collect();
    let schema = schema_impl(
        &name,
        quote!(schemars::json_schema!({ "type": [#(#types),*], "enum": [#(#jsons),*] })),
        false,
    );
    quote! {
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            /// A value of the same JSON type that the schema does not list. It keeps the
            /// original value, which serialization writes back unchanged.
            Unknown(UnknownJson),
        }

        impl #name {
            /// Every value the schema lists, in schema order.
            pub const KNOWN: &'static [Self] = &[#(Self::#names),*];

            /// The value as it appears on the wire.
            pub fn to_json(&self) -> serde_json::Value {
                match self {
                    #(Self::#names => serde_json::json!(#jsons),)*
                    Self::Unknown(value) => value.0.clone(),
                }
            }

            /// Whether the value is one the schema does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#names => #serializes,)*
                    Self::Unknown(value) => value.0.serialize(serializer),
                }
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let value = serde_json::Value::deserialize(deserializer)?;
                let known = match &value {
                    #(#matches => Some(Self::#names),)*
                    _ => None,
                };
                if let Some(known) = known {
                    return Ok(known);
                }
                if #kept {
                    Ok(Self::Unknown(UnknownJson(value)))
                } else {
                    Err(D::Error::custom(format!(#mismatch, value)))
                }
            }
        }

        #schema
    }
}

fn emit_const_value(def: &TypeDef, value: &Value) -> TokenStream {
    let name = ident(&def.name);
    let literal = json(value);
    let expected = value.to_string().replace('{', "{{").replace('}', "}}");
    let mismatch = format!("{}: expected {expected}, got {{}}", def.name);
    let schema = schema_impl(
        &name,
        quote!(schemars::json_schema!({ "const": #literal })),
        false,
    );
    quote! {
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct #name;

        impl #name {
            /// The only value this type holds.
            pub fn value() -> serde_json::Value {
                serde_json::json!(#literal)
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                Self::value().serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let value = serde_json::Value::deserialize(deserializer)?;
                if value == Self::value() {
                    Ok(Self)
                } else {
                    Err(D::Error::custom(format!(#mismatch, value)))
                }
            }
        }

        #schema
    }
}

fn emit_union(module: &Module, def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let derive = derives(def, quote!(Serialize));
    let names: Vec<Ident> = u.variants.iter().map(|(n, _)| ident(n)).collect();
    let labels: Vec<&str> = u.variants.iter().map(|(n, _)| n.as_str()).collect();
    let failures: Vec<String> = labels.iter().map(|l| format!("{l}: {{error}}")).collect();
    let tys: Vec<TokenStream> = u.variants.iter().map(|(_, t)| ty(module, t)).collect();
    let keyword = if u.exclusive { "oneOf" } else { "anyOf" };
    let variant_docs = (0..u.variants.len()).map(|i| {
        let text = format!(" Branch {i} of the `{keyword}`.");
        quote!(#[doc = #text])
    });
    let none = format!(
        "{}: the value matches no `{keyword}` branch ({{}})",
        def.name
    );
    let body = if u.exclusive {
        let many = format!(
            "{}: the value matches {{}} `oneOf` branches ({{}}), but must match exactly one",
            def.name
        );
        quote! {
            let mut matched = Vec::new();
            let mut failed = Vec::new();
            #(
                match <#tys as Deserialize>::deserialize(&value) {
                    Ok(branch) => matched.push(Self::#names(branch)),
                    Err(error) => failed.push(format!(#failures)),
                }
            )*
            if matched.len() > 1 {
                let names: Vec<&str> = matched.iter().map(Self::branch).collect();
                return Err(D::Error::custom(format!(#many, names.len(), names.join(", "))));
            }
            matched.pop().ok_or_else(|| D::Error::custom(format!(#none, failed.join("; "))))
        }
    } else {
        quote! {
            let mut failed = Vec::new();
            #(
                match <#tys as Deserialize>::deserialize(&value) {
                    Ok(branch) => return Ok(Self::#names(branch)),
                    Err(error) => failed.push(format!(#failures)),
                }
            )*
            Err(D::Error::custom(format!(#none, failed.join("; "))))
        }
    };
    let schema = schema_impl(
        &name,
        quote!(schemars::json_schema!({ #keyword: [#(generator.subschema_for::<#tys>()),*] })),
        true,
    );
    quote! {
        #derive
        #[serde(untagged)]
        pub enum #name {
            #(#variant_docs #names(#tys),)*
        }

        impl #name {
            /// The variant's name, as error messages give it.
            pub fn branch(&self) -> &'static str {
                match self {
                    #(Self::#names(_) => #labels,)*
                }
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let value = serde_json::Value::deserialize(deserializer)?;
                #body
            }
        }

        #schema
    }
}

fn emit_tuple(module: &Module, def: &TypeDef, t: &Tuple) -> TokenStream {
    let name = ident(&def.name);
    let derive = derives(def, TokenStream::new());
    let n = t.items.len();
    let mut fields = Vec::new();
    let mut serialize = TokenStream::new();
    let mut read = Vec::new();
    let optional: Vec<usize> = (t.required..n).collect();
    let gaps = optional.len() > 1;
    for (i, item) in t.items.iter().enumerate() {
        let item_ty = ty(module, item);
        let index = syn::Index::from(i);
        let label = format!("item {i}: {{error}}");
        if i < t.required {
            fields.push(quote!(pub #item_ty));
            serialize.extend(quote!(seq.serialize_element(&self.#index)?;));
            read.push(quote! {
                serde_json::from_value(items.next().unwrap_or_default())
                    .map_err(|error| D::Error::custom(format!(#label)))?
            });
        } else {
            fields.push(quote!(pub Option<#item_ty>));
            let first = i == t.required;
            let last = i + 1 == n;
            let check = (gaps && !first).then(|| {
                let text = format!("{}: item {i} follows an absent item", def.name);
                quote!(if gap { return Err(S::Error::custom(#text)); })
            });
            let mark = (gaps && !last).then(|| quote!(else { gap = true; }));
            serialize.extend(quote! {
                if let Some(item) = &self.#index {
                    #check
                    seq.serialize_element(item)?;
                } #mark
            });
            read.push(quote! {
                items.next().map(serde_json::from_value).transpose()
                    .map_err(|error| D::Error::custom(format!(#label)))?
            });
        }
    }
    if let Some(rest) = &t.rest {
        let rest_ty = ty(module, rest);
        fields.push(quote!(pub Vec<#rest_ty>));
        let index = syn::Index::from(n);
        serialize.extend(quote! {
            for item in &self.#index {
                seq.serialize_element(item)?;
            }
        });
        let label = format!("item after {n}: {{error}}");
        read.push(quote! {
            items.map(serde_json::from_value).collect::<Result<_, _>>()
                .map_err(|error| D::Error::custom(format!(#label)))?
        });
    }
    let (min, max) = (t.required, t.rest.is_none().then_some(n));
    let min_lit = Literal::usize_unsuffixed(min);
    let (length_bad, expected) = match max {
        Some(max) if max == min => {
            let lit = Literal::usize_unsuffixed(max);
            (Some(quote!(length != #lit)), format!("{max} items"))
        }
        Some(max) => {
            let lit = Literal::usize_unsuffixed(max);
            (
                Some(quote!(!(#min_lit..=#lit).contains(&length))),
                format!("{min} to {max} items"),
            )
        }
        None if min > 0 => (
            Some(quote!(length < #min_lit)),
            format!("at least {min} items"),
        ),
        None => (None, String::new()),
    };
    let length_check = length_bad.map(|bad| {
        quote! {
            if #bad {
                return Err(D::Error::invalid_length(length, &#expected));
            }
        }
    });
    let gap_decl = gaps.then(|| quote!(let mut gap = false;));
    let ser_error = gaps.then(|| {
        quote!(
            use serde::ser::Error as _;
        )
    });
    let item_tys: Vec<TokenStream> = t.items.iter().map(|i| ty(module, i)).collect();
    let rest_schema = match &t.rest {
        Some(rest) => {
            let rest = ty(module, rest);
            quote!(generator.subschema_for::<#rest>())
        }
        None => quote!(false),
    };
    let max_schema = max.map(|m| {
        let lit = Literal::usize_unsuffixed(m);
        quote!("maxItems": #lit,)
    });
    let schema = schema_impl(
        &name,
        quote!(schemars::json_schema!({
            "type": "array",
            "prefixItems": [#(generator.subschema_for::<#item_tys>()),*],
            "items": #rest_schema,
            #max_schema
            "minItems": #min_lit
        })),
        true,
    );
    let length_binding = length_check
        .is_some()
        .then(|| quote!(let length = items.len();));
    quote! {
        #derive
        pub struct #name(#(#fields),*);

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeSeq as _;
                #ser_error
                #gap_decl
                let mut seq = serializer.serialize_seq(None)?;
                #serialize
                seq.end()
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let items = Vec::<serde_json::Value>::deserialize(deserializer)?;
                #length_binding
                #length_check
                let mut items = items.into_iter();
                Ok(Self(#(#read),*))
            }
        }

        #schema
    }
}

fn emit_pattern_map(module: &Module, def: &TypeDef, p: &PatternMap) -> TokenStream {
    let name = ident(&def.name);
    let name_str = &def.name;
    let value = ty(module, &p.value);
    let patterns = &p.patterns;
    let eq = if def.eq {
        quote!(Eq, Hash,)
    } else {
        TokenStream::new()
    };
    let other_ty = match &p.other {
        UnknownFields::Keep => Some(quote!(serde_json::Map<String, serde_json::Value>)),
        UnknownFields::Collect(t) => {
            let t = ty(module, t);
            Some(quote!(std::collections::BTreeMap<String, #t>))
        }
        UnknownFields::Deny | UnknownFields::Patterns(_) => None,
    };
    let other_field = other_ty.as_ref().map(|t| quote!(other: #t,));
    let other_param = other_ty.as_ref().map(|t| quote!(, other: #t));
    let other_init = other_ty.as_ref().map(|_| quote!(, other));
    let other_check = other_ty.as_ref().map(|_| {
        quote! {
            if let Some(key) = other.keys().find(|key| Self::matches(key)) {
                return Err(ConstraintError::new(#name_str, Violation::NameMatches { key: key.clone() }));
            }
        }
    });
    let other_access = other_ty.as_ref().map(|t| {
        quote! {
            /// The members no pattern matches (`additionalProperties`).
            pub fn other(&self) -> &#t {
                &self.other
            }
        }
    });
    let other_serialize = other_ty.as_ref().map(|_| {
        quote! {
            for (key, value) in &self.other {
                map.serialize_entry(key, value)?;
            }
        }
    });
    let denied =
        format!("{name_str}: unknown member {{key:?}} (no `patternProperties` pattern matches it)");
    let other_read = match &p.other {
        UnknownFields::Keep => quote! {
            out.other.insert(key, value);
        },
        UnknownFields::Collect(_) => quote! {
            let value = serde_json::from_value(value)
                .map_err(|error| D::Error::custom(format!("member {key:?}: {error}")))?;
            out.other.insert(key, value);
        },
        _ => quote! {
            return Err(D::Error::custom(format!(#denied)));
        },
    };
    let additional_schema = match &p.other {
        UnknownFields::Keep => quote!(true),
        UnknownFields::Collect(t) => {
            let t = ty(module, t);
            quote!(generator.subschema_for::<#t>())
        }
        _ => quote!(false),
    };
    let schema = schema_impl(
        &name,
        quote!(schemars::json_schema!({
            "type": "object",
            "patternProperties": { #(#patterns: generator.subschema_for::<#value>()),* },
            "additionalProperties": #additional_schema
        })),
        true,
    );
    quote! {
        #[derive(Clone, Debug, Default, PartialEq, #eq)]
        pub struct #name {
            matching: std::collections::BTreeMap<String, #value>,
            #other_field
        }

        impl #name {
            /// The `patternProperties` patterns (ECMA-262), in schema order.
            pub const PATTERNS: &'static [&'static str] = &[#(#patterns),*];

            /// Whether a member name matches one of [`Self::PATTERNS`], with the semantics
            /// Ajv gives them (the `u` flag).
            pub fn matches(key: &str) -> bool {
                static REGEXES: std::sync::LazyLock<Vec<regress::Regex>> = std::sync::LazyLock::new(|| {
                    #name::PATTERNS
                        .iter()
                        .map(|pattern| regress::Regex::with_flags(pattern, "u").expect("the generator compiled this pattern"))
                        .collect()
                });
                REGEXES.iter().any(|regex| regex.find(key).is_some())
            }

            /// Checks that every name in `matching` matches a pattern (and that none of the
            /// others does).
            pub fn new(matching: std::collections::BTreeMap<String, #value> #other_param) -> Result<Self, ConstraintError> {
                if let Some(key) = matching.keys().find(|key| !Self::matches(key)) {
                    return Err(ConstraintError::new(#name_str, Violation::NameMismatch { key: key.clone() }));
                }
                #other_check
                Ok(Self { matching #other_init })
            }

            /// The members a pattern matches.
            pub fn matching(&self) -> &std::collections::BTreeMap<String, #value> {
                &self.matching
            }

            #other_access
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                for (key, value) in &self.matching {
                    map.serialize_entry(key, value)?;
                }
                #other_serialize
                map.end()
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let members = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
                let mut out = Self::default();
                for (key, value) in members {
                    if Self::matches(&key) {
                        let value = serde_json::from_value(value)
                            .map_err(|error| D::Error::custom(format!("member {key:?}: {error}")))?;
                        out.matching.insert(key, value);
                    } else {
                        #other_read
                    }
                }
                Ok(out)
            }
        }

        #schema
    }
}

fn emit_tagged(module: &Module, def: &TypeDef, t: &Tagged) -> TokenStream {
    let name = ident(&def.name);
    let tag = &t.tag;
    let derive = derives(def, quote!(Serialize));
    let variants: Vec<Ident> = t
        .variants
        .iter()
        .map(|(_, id)| ident(&module.types[id.0].name))
        .collect();
    let values: Vec<&str> = t.variants.iter().map(|(v, _)| v.as_str()).collect();
    let variant_docs = values.iter().map(|v| {
        let text = format!(" `{tag}` is `{v:?}`.");
        quote!(#[doc = #text])
    });
    let missing = tag.as_str();
    let not_string = format!("`{tag}` must be a string");
    let schema = schema_impl(
        &name,
        quote!(schemars::json_schema!({ "oneOf": [#(generator.subschema_for::<#variants>()),*] })),
        true,
    );
    quote! {
        #derive
        #[serde(untagged)]
        pub enum #name {
            #(#variant_docs #variants(#variants),)*
            /// An object whose tag the schema does not list, kept whole.
            Unknown(UnknownObject),
        }

        impl #name {
            /// The tag value, as it appears on the wire.
            pub fn tag(&self) -> &str {
                match self {
                    #(Self::#variants(_) => #values,)*
                    Self::Unknown(object) => object.0.get(#tag).and_then(serde_json::Value::as_str).unwrap_or_default(),
                }
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
                let tag = match object.get(#tag) {
                    Some(serde_json::Value::String(tag)) => tag.clone(),
                    Some(_) => return Err(D::Error::custom(#not_string)),
                    None => return Err(D::Error::missing_field(#missing)),
                };
                match tag.as_str() {
                    #(#values => serde_json::from_value(serde_json::Value::Object(object)).map(Self::#variants),)*
                    _ => Ok(Self::Unknown(UnknownObject(object))),
                }
                .map_err(D::Error::custom)
            }
        }

        #schema
    }
}

fn helpers(needs: &Needs) -> TokenStream {
    let mut out = TokenStream::new();
    if needs.tristate {
        out.extend(runtime::item(runtime::TRISTATE, "Tristate"));
    }
    if needs.unknown_value {
        out.extend(runtime::item(runtime::UNKNOWN, "UnknownValue"));
    }
    if needs.unknown_object {
        out.extend(runtime::item(runtime::UNKNOWN, "UnknownObject"));
    }
    if needs.constraint_error {
        let extra: Vec<&str> = [
            (needs.violation_whitespace, &["OnlyWhitespace"][..]),
            (needs.violation_format, &["FormatMismatch"]),
            (needs.violation_unique, &["DuplicateItems"]),
            (
                needs.violation_members,
                &["TooFewMembers", "TooManyMembers"],
            ),
            (needs.violation_names, &["NameMismatch", "NameMatches"]),
        ]
        .into_iter()
        .filter(|(needed, _)| *needed)
        .flat_map(|(_, variants)| variants.iter().copied())
        .collect();
        out.extend(runtime::constraint_error(&extra));
    }
    if needs.unknown_json {
        out.extend(runtime::item(runtime::UNKNOWN, "UnknownJson"));
    }
    // The calendar and `regex` checks of ajv-formats.
    for (needed, name) in [
        (needs.format_date, "format_date"),
        (needs.format_time, "format_time"),
        (needs.format_date && needs.format_time, "format_date_time"),
        (needs.format_regex, "format_regex"),
    ] {
        if needed {
            out.extend(runtime::item(runtime::FORMATS, name));
        }
    }
    if needs.deserialize_present {
        out.extend(runtime::item(runtime::PRESENCE, "deserialize_present"));
    }
    if needs.deserialize_some {
        out.extend(runtime::item(runtime::PRESENCE, "deserialize_some"));
    }
    out
}
