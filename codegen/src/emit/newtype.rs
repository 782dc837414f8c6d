//! Checked newtypes: a private field, `new` that checks the constraints, and conversions.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{Module, Newtype, Ty, TypeDef};

use super::checks::newtype_checks;
use super::common::{derives, ident, json, schema_impl, ty};
use super::helpers::Needs;

pub(super) fn emit_newtype(
    module: &Module,
    def: &TypeDef,
    n: &Newtype,
    needs: &mut Needs,
) -> TokenStream {
    let name = ident(&def.name);
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
    let redacted = n.secret.then(|| redacted_debug(def, n));
    let checks = newtype_checks(&def.name, n, needs);
    let schema = schema_impl(
        &name,
        schema_body(module, n),
        matches!(n.inner, Ty::Vec(_) | Ty::Map(_)),
    );
    let accessors = accessors(module, n, &inner);
    let new_param = match &n.inner {
        Ty::String => quote!(value: impl Into<String>),
        _ => quote!(value: #inner),
    };
    let convert = match &n.inner {
        Ty::String => quote!(let value = value.into();),
        _ => TokenStream::new(),
    };
    let display = display_impls(&name, n);
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

        #display
        #redacted
        #schema
    }
}

/// A `Debug` that prints the type's name and no value.
fn redacted_debug(def: &TypeDef, n: &Newtype) -> TokenStream {
    let name = ident(&def.name);
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
}

/// The body of `json_schema`: the JSON type and every constraint, with the item or value
/// schema from the generator for arrays and maps.
fn schema_body(module: &Module, n: &Newtype) -> TokenStream {
    let c = &n.checks;
    let mut schema = serde_json::Map::new();
    let json_type = match n.inner {
        Ty::String => Some("string"),
        Ty::Vec(_) => Some("array"),
        Ty::Map(_) | Ty::JsonObject => Some("object"),
        Ty::Number => Some("number"),
        Ty::Integer | Ty::Unsigned => Some("integer"),
        _ => None,
    };
    if let Some(json_type) = json_type {
        schema.insert("type".into(), json_type.into());
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
    match &n.inner {
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
    }
}

/// `as_str`, `as_slice`, `as_map` or `get`: the checked value, borrowed or copied.
fn accessors(module: &Module, n: &Newtype, inner: &TokenStream) -> TokenStream {
    match &n.inner {
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
    }
}

/// Parsing from and printing as text: the string conversions for a string, `Display` for a
/// number.
fn display_impls(name: &Ident, n: &Newtype) -> TokenStream {
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
    quote!(#string_impls #number_display)
}
