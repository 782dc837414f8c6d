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
    let names: Vec<Ident> = t.names.iter().map(|n| ident(n)).collect();
    let tys: Vec<Ident> = t
        .variants
        .iter()
        .map(|(_, id)| ident(&module.types[id.0].name))
        .collect();
    let values: Vec<&str> = t.variants.iter().map(|(v, _)| v.as_str()).collect();
    let variant_docs: Vec<TokenStream> = values
        .iter()
        .map(|v| {
            let text = format!(" `{tag}` is `{v:?}`.");
            quote!(#[doc = #text])
        })
        .collect();
    let schema = tagged_schema(&name, t, &tys);
    let tag_fn = {
        let unknown = (!def.closed).then(|| {
            quote!(Self::Unknown(object) => object.0.get(#tag).and_then(serde_json::Value::as_str).unwrap_or_default(),)
        });
        quote! {
            impl #name {
                /// The tag value, as it appears on the wire.
                pub fn tag(&self) -> &str {
                    match self {
                        #(Self::#names(_) => #values,)*
                        #unknown
                    }
                }
            }
        }
    };
    if def.closed && t.implied {
        let derive = derives(def, quote!(Serialize, Deserialize));
        return quote! {
            #derive
            #[serde(tag = #tag)]
            pub enum #name {
                #(#variant_docs #[serde(rename = #values)] #names(#tys),)*
            }

            #tag_fn

            #schema
        };
    }
    let derive = derives(def, TokenStream::new());
    let unknown_variant = (!def.closed).then(|| {
        quote! {
            /// An object whose tag the schema does not list, kept whole.
            Unknown(UnknownObject),
        }
    });
    let missing = tag.as_str();
    let not_string = format!("`{tag}` must be a string");
    let unknown_arm = if def.closed {
        quote!(other => Err(D::Error::unknown_variant(other, &[#(#values),*])),)
    } else {
        quote!(_ => Ok(Self::Unknown(UnknownObject(object))),)
    };
    // Where the variant implies the tag, the struct does not hold it: it is taken out before
    // the struct reads the object, and written first when the union writes it.
    let take = if t.implied {
        quote!(let mut rest = object.clone(); rest.remove(#tag);)
    } else {
        quote!(let rest = object.clone();)
    };
    let writes: Vec<TokenStream> = if t.implied {
        t.after_tag
            .iter()
            .map(|after| {
                quote! {{
                    const AFTER: &[&str] = &[#(#after),*];
                    let tag = serde_json::Value::String(self.tag().to_owned());
                    let members = match serde_json::to_value(inner).map_err(S::Error::custom)? {
                        serde_json::Value::Object(members) => members,
                        _ => return Err(S::Error::custom("a variant struct writes an object")),
                    };
                    let mut object = serde_json::Map::new();
                    let mut tag = Some(tag);
                    for (key, value) in members {
                        if AFTER.contains(&key.as_str()) && let Some(tag) = tag.take() {
                            object.insert(#tag.to_owned(), tag);
                        }
                        object.insert(key, value);
                    }
                    if let Some(tag) = tag {
                        object.insert(#tag.to_owned(), tag);
                    }
                    object.serialize(serializer)
                }}
            })
            .collect()
    } else {
        names
            .iter()
            .map(|_| quote!(inner.serialize(serializer)))
            .collect()
    };
    let serialize_unknown =
        (!def.closed).then(|| quote!(Self::Unknown(object) => object.serialize(serializer),));
    quote! {
        #derive
        pub enum #name {
            #(#variant_docs #names(#tys),)*
            #unknown_variant
        }

        #tag_fn

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #[allow(unused_imports)]
                use serde::ser::Error as _;
                match self {
                    #(Self::#names(inner) => #writes,)*
                    #serialize_unknown
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
                #take
                match tag.as_str() {
                    #(#values => serde_json::from_value(serde_json::Value::Object(rest)).map(Self::#names).map_err(D::Error::custom),)*
                    #unknown_arm
                }
            }
        }

        #schema
    }
}

/// `oneOf` the variants' schemas; where the variant implies the tag, its schema gets the tag
/// member back (a required `const`).
fn tagged_schema(name: &Ident, t: &Tagged, tys: &[Ident]) -> TokenStream {
    if !t.implied {
        return schema_impl(
            name,
            quote!(schemars::json_schema!({ "oneOf": [#(generator.subschema_for::<#tys>()),*] })),
            true,
        );
    }
    let tag = &t.tag;
    let values: Vec<&str> = t.variants.iter().map(|(v, _)| v.as_str()).collect();
    schema_impl(
        name,
        quote! {
            let mut branches = Vec::new();
            #(
                let mut branch = <#tys as JsonSchema>::json_schema(generator);
                if let Some(object) = branch.as_object_mut() {
                    if let Some(serde_json::Value::Object(properties)) = object.get_mut("properties") {
                        properties.insert(#tag.to_owned(), serde_json::json!({ "type": "string", "const": #values }));
                    }
                    match object.get_mut("required") {
                        Some(serde_json::Value::Array(required)) => required.push(#tag.into()),
                        _ => {
                            object.insert("required".to_owned(), serde_json::json!([#tag]));
                        }
                    }
                }
                branches.push(branch.to_value());
            )*
            schemars::json_schema!({ "oneOf": branches })
        },
        true,
    )
}
