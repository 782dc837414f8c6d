//! `oneOf`/`anyOf`: untagged unions that try every branch, and unions told apart by a tag.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::{Module, Tagged, TypeDef, Union};

use super::common::{derives, ident, schema_impl, ty};

pub(super) fn emit_union(module: &Module, def: &TypeDef, u: &Union) -> TokenStream {
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

pub(super) fn emit_tagged(module: &Module, def: &TypeDef, t: &Tagged) -> TokenStream {
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
