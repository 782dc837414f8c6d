//! IR → tokens: one `quote!` function per kind of type, plus the runtime helpers the types
//! need, emitted into the module itself so it depends only on serde, serde_json, schemars and
//! regress.

use std::str::FromStr;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{
    Field, Kind, Module, Newtype, Presence, Struct, Tagged, Ty, TypeDef, UnknownFields, Variant,
};
use crate::naming;

/// Which helpers the module needs; each is emitted only when some type uses it.
#[derive(Default)]
struct Needs {
    tristate: bool,
    unknown_value: bool,
    unknown_object: bool,
    constraint_error: bool,
    deserialize_present: bool,
    deserialize_some: bool,
}

/// The items of the generated module (without the header).
pub fn emit(module: &Module) -> TokenStream {
    let mut needs = Needs::default();
    let mut items = TokenStream::new();
    for def in &module.types {
        items.extend(emit_type(module, def, &mut needs));
    }
    let mut out = TokenStream::new();
    if module.types.iter().any(|t| t.deprecated) {
        // `#[deprecated]` is for the module's users; schemars' derive names deprecated types in
        // its impls, so the module has to allow its own uses.
        out.extend(quote!(#![allow(deprecated)]));
    }
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
    let literal = Literal::from_str(&n.to_string()).expect("a JSON number is a Rust literal");
    quote!(#literal)
}

fn emit_type(module: &Module, def: &TypeDef, needs: &mut Needs) -> TokenStream {
    let doc = docs(&def.docs);
    let dep = deprecated(def.deprecated);
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
            emit_newtype(module, def, n)
        }
        Kind::Tagged(t) => {
            needs.unknown_object = true;
            emit_tagged(module, def, t)
        }
    };
    quote!(#doc #dep #body)
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

fn emit_newtype(module: &Module, def: &TypeDef, n: &Newtype) -> TokenStream {
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
        quote! {
            /// Redacted: the value is secret (`x-secret`) and must not reach a log.
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
                checks.extend(quote! {
                    const PATTERN: &str = #pattern;
                    static REGEX: std::sync::LazyLock<regress::Regex> = std::sync::LazyLock::new(|| {
                        regress::Regex::with_flags(PATTERN, "u").expect("the generator compiled this pattern")
                    });
                    if REGEX.find(&value).is_none() { #err }
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
        }
        Ty::Integer | Ty::Number => {
            let float = matches!(n.inner, Ty::Number);
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
                let lit = if float {
                    let f = bound.as_f64().unwrap_or_default();
                    Literal::from_str(&format!("{f:?}")).expect("a float literal")
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
        _ => {
            let schema = json(&Value::Object(schema));
            quote!(schemars::json_schema!(#schema))
        }
    };
    let schema = schema_impl(&name, schema_body, matches!(n.inner, Ty::Vec(_)));
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
    let number_display = matches!(n.inner, Ty::Integer | Ty::Number).then(|| {
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
        out.extend(quote! {
            /// A member that may be absent, `null`, or hold a value, keeping the three apart so
            /// each round-trips exactly.
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub enum Tristate<T> {
                /// The member is not in the object.
                #[default]
                Absent,
                /// The member is `null`.
                Null,
                /// The member holds a value.
                Value(T),
            }

            impl<T> Tristate<T> {
                /// Whether the member is absent (used to skip it when serializing).
                pub fn is_absent(&self) -> bool {
                    matches!(self, Self::Absent)
                }

                /// Whether the member is `null`.
                pub fn is_null(&self) -> bool {
                    matches!(self, Self::Null)
                }

                /// The value, if there is one.
                pub fn as_value(&self) -> Option<&T> {
                    match self {
                        Self::Value(value) => Some(value),
                        Self::Absent | Self::Null => None,
                    }
                }

                /// The value, if there is one, treating absent and `null` alike.
                pub fn into_value(self) -> Option<T> {
                    match self {
                        Self::Value(value) => Some(value),
                        Self::Absent | Self::Null => None,
                    }
                }
            }

            impl<T: Serialize> Serialize for Tristate<T> {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        Self::Value(value) => value.serialize(serializer),
                        Self::Absent | Self::Null => serializer.serialize_none(),
                    }
                }
            }

            impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tristate<T> {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    Ok(match Option::<T>::deserialize(deserializer)? {
                        Some(value) => Self::Value(value),
                        None => Self::Null,
                    })
                }
            }

            impl<T: JsonSchema> JsonSchema for Tristate<T> {
                fn inline_schema() -> bool {
                    true
                }

                fn schema_name() -> std::borrow::Cow<'static, str> {
                    format!("Nullable_{}", T::schema_name()).into()
                }

                fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                    Option::<T>::json_schema(generator)
                }
            }
        });
    }
    if needs.unknown_value {
        out.extend(quote! {
            /// A string enum value the schema does not list. It cannot be built or matched by
            /// literal outside this module; read it with [`UnknownValue::as_str`].
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
            pub struct UnknownValue(String);

            impl UnknownValue {
                /// The value exactly as received.
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }
        });
    }
    if needs.unknown_object {
        out.extend(quote! {
            /// An object whose tag the schema does not list, exactly as received.
            #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
            pub struct UnknownObject(serde_json::Map<String, serde_json::Value>);

            impl UnknownObject {
                /// The object's members.
                pub fn as_map(&self) -> &serde_json::Map<String, serde_json::Value> {
                    &self.0
                }
            }
        });
    }
    if needs.constraint_error {
        out.extend(quote! {
            /// A value that breaks a schema constraint of the named type.
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub struct ConstraintError {
                type_name: &'static str,
                violation: Violation,
            }

            impl ConstraintError {
                fn new(type_name: &'static str, violation: Violation) -> Self {
                    Self { type_name, violation }
                }

                /// The generated type whose constraint failed.
                pub fn type_name(&self) -> &'static str {
                    self.type_name
                }

                /// Which constraint failed.
                pub fn violation(&self) -> &Violation {
                    &self.violation
                }
            }

            /// The constraint a value breaks.
            #[derive(Clone, Debug, PartialEq, Eq)]
            #[non_exhaustive]
            pub enum Violation {
                /// Fewer characters (code points) than `minLength`.
                TooShort { min: usize, actual: usize },
                /// More characters (code points) than `maxLength`.
                TooLong { max: usize, actual: usize },
                /// No match for the ECMA-262 `pattern`.
                PatternMismatch { pattern: &'static str },
                /// Fewer items than `minItems`.
                TooFewItems { min: usize, actual: usize },
                /// More items than `maxItems`.
                TooManyItems { max: usize, actual: usize },
                /// Outside `minimum`/`maximum`; `expected` reads like `>= 0`.
                OutOfRange { expected: &'static str },
            }

            impl std::fmt::Display for ConstraintError {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    let name = self.type_name;
                    match &self.violation {
                        Violation::TooShort { min, actual } => write!(f, "{name}: {actual} characters, at least {min} required"),
                        Violation::TooLong { max, actual } => write!(f, "{name}: {actual} characters, at most {max} allowed"),
                        Violation::PatternMismatch { pattern } => write!(f, "{name}: does not match the pattern {pattern}"),
                        Violation::TooFewItems { min, actual } => write!(f, "{name}: {actual} items, at least {min} required"),
                        Violation::TooManyItems { max, actual } => write!(f, "{name}: {actual} items, at most {max} allowed"),
                        Violation::OutOfRange { expected } => write!(f, "{name}: out of range, expected {expected}"),
                    }
                }
            }

            impl std::error::Error for ConstraintError {}
        });
    }
    if needs.deserialize_present {
        out.extend(quote! {
            /// Reads a required, nullable member: unlike serde's default for `Option`, a missing
            /// key is an error.
            fn deserialize_present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
            where
                D: serde::Deserializer<'de>,
                T: Deserialize<'de>,
            {
                Option::<T>::deserialize(deserializer)
            }
        });
    }
    if needs.deserialize_some {
        out.extend(quote! {
            /// Reads an optional, non-nullable member: absent is `None`, but an explicit `null`
            /// is an error, as the schema says.
            fn deserialize_some<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
            where
                D: serde::Deserializer<'de>,
                T: Deserialize<'de>,
            {
                T::deserialize(deserializer).map(Some)
            }
        });
    }
    out
}
