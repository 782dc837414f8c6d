//! Type ids renumbered after types were dropped or merged: the one walk over every place a
//! definition names another type, shared by the layout pass and the merging of identical
//! values.

use std::collections::BTreeMap;

use crate::ir::{Kind, Ty, TypeDef, TypeId, UnknownFields};

pub(super) fn renumber(def: &mut TypeDef, remap: &BTreeMap<TypeId, TypeId>) {
    fn ty(t: &mut Ty, remap: &BTreeMap<TypeId, TypeId>) {
        match t {
            Ty::Named(id) => *id = remap[id],
            Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) => ty(i, remap),
            _ => {}
        }
    }
    match &mut def.kind {
        Kind::Alias(t) => ty(t, remap),
        Kind::Struct(s) => {
            s.fields.iter_mut().for_each(|f| ty(&mut f.ty, remap));
            match &mut s.unknown {
                UnknownFields::Collect(t) => ty(t, remap),
                UnknownFields::Patterns(id) => *id = remap[id],
                UnknownFields::Keep | UnknownFields::Deny => {}
            }
        }
        Kind::Newtype(n) => ty(&mut n.inner, remap),
        Kind::Tagged(t) => t.variants.iter_mut().for_each(|(_, id)| *id = remap[id]),
        Kind::Union(u) => u.variants.iter_mut().for_each(|(_, t)| ty(t, remap)),
        Kind::Tuple(t) => {
            t.items.iter_mut().for_each(|t| ty(t, remap));
            if let Some(rest) = &mut t.rest {
                ty(rest, remap);
            }
        }
        Kind::PatternMap(p) => {
            ty(&mut p.value, remap);
            if let UnknownFields::Collect(t) = &mut p.other {
                ty(t, remap);
            }
        }
        Kind::Enum(_) | Kind::Const(_) | Kind::ValueEnum(_) | Kind::ConstValue(_) => {}
    }
}
