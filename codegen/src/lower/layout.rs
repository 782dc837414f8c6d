//! The last pass: `Box` on cycle edges, `Eq`/`Hash` where no float is inside, and the order
//! the types are emitted in.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::ir::{Kind, Module, Ty, TypeDef, TypeId, UnknownFields};

use super::lowerer::Lowerer;
use super::renumber::renumber;

impl Lowerer<'_> {
    /// Fixes up cycles and trait support, then lays the types out in emission order.
    pub(super) fn finish(
        mut self,
        roots: &[TypeId],
        uses: &[(TypeId, bool)],
    ) -> Result<Module, Error> {
        let types: Vec<TypeDef> = self
            .types
            .iter_mut()
            .map(|t| t.take().expect("every registered type is lowered once"))
            .collect();
        let mut module = Module { types };
        let mut merged = super::share::share_identical(&mut module, &self.children);
        super::requests::imply_tags(&mut module, &self.children, &mut merged);
        super::requests::close_requests(&mut module, uses);
        box_cycles(&mut module)?;
        compute_eq(&mut module);
        // Top-level types in document order, each followed by the inline types it introduced.
        let mut order = Vec::new();
        let mut stack: Vec<TypeId> = roots.iter().rev().copied().collect();
        // A type merged into another is not emitted.
        let mut seen = merged;
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.0], true) {
                continue;
            }
            order.push(id);
            stack.extend(self.children[id.0].iter().rev());
        }
        // Types reached only through a `$ref` to a non-`$defs` pointer come last.
        order.extend((0..module.types.len()).map(TypeId).filter(|id| !seen[id.0]));
        let mut slots: Vec<Option<TypeDef>> = module.types.into_iter().map(Some).collect();
        let remap: BTreeMap<TypeId, TypeId> = order
            .iter()
            .enumerate()
            .map(|(new, old)| (*old, TypeId(new)))
            .collect();
        let mut types: Vec<TypeDef> = order
            .iter()
            .map(|old| slots[old.0].take().expect("each type is placed once"))
            .collect();
        for def in &mut types {
            renumber(def, &remap);
        }
        Ok(Module { types })
    }
}

/// Types a value of `ty` contains by value (not behind `Vec`, a map or `Box`).
pub(super) fn contained(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Option(inner) => contained(inner, out),
        _ => {}
    }
}

pub(super) fn direct_children(def: &TypeDef) -> Vec<TypeId> {
    let mut out = Vec::new();
    match &def.kind {
        Kind::Alias(ty) => contained(ty, &mut out),
        Kind::Struct(s) => s.fields.iter().for_each(|f| contained(&f.ty, &mut out)),
        Kind::Newtype(n) => contained(&n.inner, &mut out),
        Kind::Tagged(t) => out.extend(t.variants.iter().map(|(_, id)| *id)),
        Kind::Union(u) => u.variants.iter().for_each(|(_, t)| contained(t, &mut out)),
        Kind::Tuple(t) => t.items.iter().for_each(|t| contained(t, &mut out)),
        Kind::PatternMap(_) => {}
        Kind::Enum(_) | Kind::Const(_) | Kind::ValueEnum(_) | Kind::ConstValue(_) => {}
    }
    if let Kind::Struct(s) = &def.kind
        && let UnknownFields::Patterns(id) = s.unknown
    {
        out.push(id);
    }
    out
}

pub(super) fn reaches(module: &Module, from: TypeId, to: TypeId) -> bool {
    let mut seen = vec![false; module.types.len()];
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if !std::mem::replace(&mut seen[id.0], true) {
            stack.extend(direct_children(&module.types[id.0]));
        }
    }
    false
}

/// Boxes exactly the struct fields whose type leads back to the struct by value.
pub(super) fn box_cycles(module: &mut Module) -> Result<(), Error> {
    for i in 0..module.types.len() {
        let this = TypeId(i);
        let cyclic: Vec<usize> = match &module.types[i].kind {
            Kind::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    let mut targets = Vec::new();
                    contained(&f.ty, &mut targets);
                    targets.iter().any(|t| reaches(module, *t, this))
                })
                .map(|(n, _)| n)
                .collect(),
            Kind::Alias(_) | Kind::Newtype(_) | Kind::Union(_) | Kind::Tuple(_)
                if reaches_self(module, this) =>
            {
                return Err(Error::unsupported(
                    &module.types[i].pointer,
                    "a recursive schema must recurse through an object property",
                ));
            }
            _ => Vec::new(),
        };
        if let Kind::Struct(s) = &mut module.types[i].kind {
            for n in cyclic {
                let ty = &mut s.fields[n].ty;
                *ty = box_named(std::mem::replace(ty, Ty::Json));
            }
        }
    }
    Ok(())
}

pub(super) fn reaches_self(module: &Module, id: TypeId) -> bool {
    direct_children(&module.types[id.0])
        .into_iter()
        .any(|c| reaches(module, c, id))
}

pub(super) fn box_named(ty: Ty) -> Ty {
    match ty {
        Ty::Option(inner) => Ty::Option(Box::new(box_named(*inner))),
        named @ Ty::Named(_) => Ty::Box(Box::new(named)),
        other => other,
    }
}

pub(super) fn ty_eq(module: &Module, ty: &Ty) -> bool {
    match ty {
        Ty::Number => false,
        Ty::Bool | Ty::Integer | Ty::Unsigned | Ty::String | Ty::Json | Ty::JsonObject => true,
        Ty::Named(id) => module.types[id.0].eq,
        Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Box(t) => ty_eq(module, t),
    }
}

/// `Eq` and `Hash` hold unless a float is inside; iterate to a fixed point for recursion.
pub(super) fn compute_eq(module: &mut Module) {
    loop {
        let mut changed = false;
        for i in 0..module.types.len() {
            if !module.types[i].eq {
                continue;
            }
            let eq = match &module.types[i].kind {
                Kind::Alias(ty) => ty_eq(module, ty),
                Kind::Struct(s) => {
                    s.fields.iter().all(|f| ty_eq(module, &f.ty))
                        && match &s.unknown {
                            UnknownFields::Collect(ty) => ty_eq(module, ty),
                            UnknownFields::Patterns(id) => module.types[id.0].eq,
                            _ => true,
                        }
                }
                Kind::Newtype(n) => ty_eq(module, &n.inner),
                Kind::Tagged(t) => t.variants.iter().all(|(_, id)| module.types[id.0].eq),
                Kind::Union(u) => u.variants.iter().all(|(_, t)| ty_eq(module, t)),
                Kind::Tuple(t) => {
                    t.items.iter().all(|t| ty_eq(module, t))
                        && t.rest.as_ref().is_none_or(|t| ty_eq(module, t))
                }
                Kind::PatternMap(p) => {
                    ty_eq(module, &p.value)
                        && match &p.other {
                            UnknownFields::Collect(ty) => ty_eq(module, ty),
                            _ => true,
                        }
                }
                Kind::Enum(_) | Kind::Const(_) | Kind::ValueEnum(_) | Kind::ConstValue(_) => true,
            };
            if !eq {
                module.types[i].eq = false;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}
