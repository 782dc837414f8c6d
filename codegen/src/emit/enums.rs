//! Enumerations and constants: string enums and value enums that keep unknown values, and
//! the zero-sized `const` types.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{JsonType, TypeDef, ValueEnum, Variant};

use super::common::{docs, ident, json, schema_impl};

pub(super) fn emit_enum(def: &TypeDef, variants: &[Variant]) -> TokenStream {
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
    if def.closed {
        return quote! {
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variant_defs)*
            }

            impl #name {
                /// Every value the schema lists, in schema order.
                pub const KNOWN: &'static [Self] = &[#(Self::#names),*];

                /// The value as it appears on the wire.
                pub fn as_str(&self) -> &'static str {
                    match self {
                        #(Self::#names => #values,)*
                    }
                }
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl std::str::FromStr for #name {
                /// The value the schema does not list.
                type Err = UnknownValue;

                fn from_str(value: &str) -> Result<Self, Self::Err> {
                    match value {
                        #(#values => Ok(Self::#names),)*
                        _ => Err(UnknownValue(value.to_owned())),
                    }
                }
            }

            impl Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = String::deserialize(deserializer)?;
                    value.parse().map_err(|_| serde::de::Error::unknown_variant(&value, &[#(#values),*]))
                }
            }

            #schema
        };
    }
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

pub(super) fn emit_const(def: &TypeDef, value: &str) -> TokenStream {
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

pub(super) fn emit_value_enum(def: &TypeDef, e: &ValueEnum) -> TokenStream {
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

pub(super) fn emit_const_value(def: &TypeDef, value: &Value) -> TokenStream {
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

/// The wire form of a scalar `enum`/`const` value as a `serialize_*` call.
pub(super) fn serialize_scalar(value: &Value) -> TokenStream {
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
pub(super) fn match_scalar(value: &Value) -> TokenStream {
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
