//! `patternProperties`: a map whose member names are checked against the patterns.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Module, PatternMap, TypeDef, UnknownFields};

use super::common::{ident, schema_impl, ty};

pub(super) fn emit_pattern_map(module: &Module, def: &TypeDef, p: &PatternMap) -> TokenStream {
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
