//! `prefixItems`/array `items`: tuple structs with optional trailing items and a rest.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{Module, Tuple, TypeDef};

use super::common::{derives, ident, schema_impl, ty};

pub(super) fn emit_tuple(module: &Module, def: &TypeDef, t: &Tuple) -> TokenStream {
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
