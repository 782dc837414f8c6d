//! Objects with `properties`: a struct with serde attributes per field presence.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::ir::{Field, Module, Presence, Struct, TypeDef, UnknownFields};
use crate::naming;

use super::common::{deprecated, derives, docs, ident, ty};
use super::helpers::Needs;

pub(super) fn emit_struct(
    module: &Module,
    def: &TypeDef,
    s: &Struct,
    needs: &mut Needs,
) -> TokenStream {
    let name = ident(&def.name);
    let fields = s.fields.iter().map(|f| emit_field(module, def, f, needs));
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
    let construct = emit_construction(module, def, s);
    let defaults = s
        .fields
        .iter()
        .filter_map(|f| emit_default_fn(module, def, f));
    quote! {
        #derive
        #deny
        pub struct #name {
            #(#fields)*
            #extra
        }

        #construct
        #(#defaults)*
    }
}

/// The function serde calls for an absent member with a schema `default`.
fn default_fn(def: &TypeDef, f: &Field) -> proc_macro2::Ident {
    format_ident!("default_{}_{}", naming::snake(&def.name), f.name)
}

fn default_value(value: &Value) -> TokenStream {
    match value {
        Value::Bool(b) => quote!(#b),
        Value::String(s) => quote!(#s.to_owned()),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => {
                let lit = Literal::i64_suffixed(i);
                quote!(#lit)
            }
            (None, Some(u)) => {
                let lit = Literal::u64_suffixed(u);
                quote!(#lit)
            }
            _ => {
                let lit = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
                quote!(#lit)
            }
        },
        _ => quote!(Default::default()),
    }
}

fn emit_default_fn(module: &Module, def: &TypeDef, f: &Field) -> Option<TokenStream> {
    let value = default_value(f.default.as_ref()?);
    let name = default_fn(def, f);
    let inner = ty(module, &f.ty);
    let (ty, value) = match f.presence {
        Presence::OptionalNullable => (quote!(Tristate<#inner>), quote!(Tristate::Value(#value))),
        _ => (inner, value),
    };
    let doc = format!(" The schema's `default` of [`{}::{}`].", def.name, f.name);
    Some(quote! {
        #[doc = #doc]
        fn #name() -> #ty {
            #value
        }
    })
}

/// `new` with the required members (or `Default` when there are none) and a `with_` setter
/// per optional member, so a value is built without spelling every absent member.
fn emit_construction(module: &Module, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    if matches!(s.unknown, UnknownFields::Patterns(_)) {
        return TokenStream::new();
    }
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for f in &s.fields {
        let field = ident(&f.name);
        let inner = ty(module, &f.ty);
        let default = f.default.as_ref().map(|_| {
            let function = default_fn(def, f);
            quote!(#function())
        });
        match f.presence {
            Presence::Required => {
                params.push(quote!(#field: #inner));
                inits.push(quote!(#field));
            }
            Presence::RequiredNullable => {
                params.push(quote!(#field: Option<#inner>));
                inits.push(quote!(#field));
            }
            Presence::Optional | Presence::OptionalNullable => {
                let nullable = f.presence == Presence::OptionalNullable;
                let init = match (&default, nullable) {
                    (Some(default), _) => default.clone(),
                    (None, false) => quote!(None),
                    (None, true) => quote!(Tristate::Absent),
                };
                inits.push(quote!(#field: #init));
                let set = match (default.is_some(), nullable) {
                    (true, false) => quote!(value),
                    (false, false) => quote!(Some(value)),
                    (_, true) => quote!(Tristate::Value(value)),
                };
                let setter = format_ident!("with_{}", f.name.trim_start_matches("r#"));
                let doc = format!(" Sets [`Self::{}`].", f.name);
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #setter(mut self, value: #inner) -> Self {
                        self.#field = #set;
                        self
                    }
                });
            }
        }
    }
    match &s.unknown {
        UnknownFields::Keep | UnknownFields::Collect(_) => {
            inits.push(quote!(additional_properties: Default::default()));
        }
        UnknownFields::Deny | UnknownFields::Patterns(_) => {}
    }
    let allow_deprecated = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let many = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let create = if params.is_empty() {
        quote! {
            #allow_deprecated
            #[allow(clippy::derivable_impls)]
            impl Default for #name {
                fn default() -> Self {
                    Self { #(#inits),* }
                }
            }
        }
    } else {
        quote! {
            #allow_deprecated
            impl #name {
                /// The value with these required members; the optional ones are absent (or
                /// their schema `default`) until a `with_` setter gives them.
                #many
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits),* }
                }
            }
        }
    };
    let setters = (!setters.is_empty()).then(|| {
        quote! {
            #allow_deprecated
            impl #name {
                #(#setters)*
            }
        }
    });
    quote!(#create #setters)
}

pub(super) fn emit_field(
    module: &Module,
    def: &TypeDef,
    f: &Field,
    needs: &mut Needs,
) -> TokenStream {
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
        Presence::Optional if f.default.is_some() => {
            let function = default_fn(def, f).to_string();
            serde.push(quote!(default = #function));
            inner
        }
        Presence::OptionalNullable if f.default.is_some() => {
            needs.tristate = true;
            let function = default_fn(def, f).to_string();
            serde.push(quote!(default = #function, skip_serializing_if = "Tristate::is_absent"));
            quote!(Tristate<#inner>)
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
