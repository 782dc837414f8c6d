//! Token helpers every construct uses: identifiers, docs, Rust types, derives, JSON literals
//! and the hand-written `JsonSchema` impl.

use std::str::FromStr;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{Module, Ty, TypeDef};
use crate::naming;

pub(super) fn ident(name: &str) -> Ident {
    if naming::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

pub(super) fn docs(lines: &[String]) -> TokenStream {
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

pub(super) fn deprecated(on: bool) -> TokenStream {
    if on {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}

pub(super) fn ty(module: &Module, t: &Ty) -> TokenStream {
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

pub(super) fn derives(def: &TypeDef, extra: TokenStream) -> TokenStream {
    let eq = if def.eq {
        quote!(Eq, Hash,)
    } else {
        TokenStream::new()
    };
    quote!(#[derive(Clone, Debug, PartialEq, #eq #extra)])
}

/// A JSON value as `json!`-style tokens for `schemars::json_schema!`.
pub(super) fn json(value: &Value) -> TokenStream {
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

pub(super) fn number(n: &serde_json::Number) -> TokenStream {
    // An unsuffixed integer literal is an `i32` to `json!`; larger ones need their type.
    let literal = match (n.as_i64(), n.as_u64()) {
        (Some(i), _) if i32::try_from(i).is_err() => Literal::i64_suffixed(i),
        (None, Some(u)) => Literal::u64_suffixed(u),
        _ => Literal::from_str(&n.to_string()).expect("a JSON number is a Rust literal"),
    };
    quote!(#literal)
}

pub(super) fn count(n: u64) -> Literal {
    Literal::u64_unsuffixed(n)
}

pub(super) fn schema_impl(name: &Ident, body: TokenStream, uses_generator: bool) -> TokenStream {
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
