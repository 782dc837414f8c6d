//! Objects with `properties`: a struct with serde attributes per field presence.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Field, Module, Presence, Struct, TypeDef, UnknownFields};

use super::common::{deprecated, derives, docs, ident, ty};
use super::helpers::Needs;

pub(super) fn emit_struct(
    module: &Module,
    def: &TypeDef,
    s: &Struct,
    needs: &mut Needs,
) -> TokenStream {
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

pub(super) fn emit_field(module: &Module, f: &Field, needs: &mut Needs) -> TokenStream {
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
