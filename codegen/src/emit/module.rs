//! The whole module: the `use` lines, each type in IR order, then the helpers they need.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Kind, Module, Ty, TypeDef};
use crate::{Options, typed};

use super::common::{docs, ident, ty};
use super::enums::{emit_const, emit_const_value, emit_enum, emit_value_enum};
use super::helpers::{Needs, helpers};
use super::newtype::emit_newtype;
use super::pattern_map::emit_pattern_map;
use super::structs::emit_struct;
use super::tuple::emit_tuple;
use super::union::{emit_tagged, emit_union};

/// The items of the generated module (without the header).
pub fn emit(module: &Module, options: &Options) -> TokenStream {
    let mut needs = Needs::default();
    let mut items = TokenStream::new();
    for def in &module.types {
        items.extend(emit_type(module, def, options, &mut needs));
    }
    let mut out = TokenStream::new();
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
    out.extend(typed::helpers(&needs.typed, options));
    out
}

pub(super) fn emit_type(
    module: &Module,
    def: &TypeDef,
    options: &Options,
    needs: &mut Needs,
) -> TokenStream {
    let doc = docs(&def.docs);
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
            let typed = match (&n.inner, n.checks.format.as_deref()) {
                (Ty::String, Some(format)) => {
                    typed::accessors(&name, format, options, &mut needs.typed)
                }
                _ => TokenStream::new(),
            };
            let newtype = emit_newtype(module, def, n, needs);
            quote!(#newtype #typed)
        }
        Kind::Tagged(t) => {
            needs.unknown_object |= !def.closed;
            emit_tagged(module, def, t)
        }
        Kind::ValueEnum(e) => {
            needs.unknown_json = true;
            emit_value_enum(def, e)
        }
        Kind::ConstValue(value) => emit_const_value(def, value),
        Kind::Union(u) => emit_union(module, def, u),
        Kind::Tuple(t) => emit_tuple(module, def, t),
        Kind::PatternMap(p) => {
            needs.constraint_error = true;
            needs.violation_names = true;
            emit_pattern_map(module, def, p)
        }
    };
    quote!(#doc #body)
}
