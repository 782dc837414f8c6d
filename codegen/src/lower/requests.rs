//! What a sender writes: tagged unions whose variants imply the tag, and types reached only
//! from requests, which have no `Unknown` variants.

use crate::ir::{Kind, Module, Ty, TypeDef, TypeId, UnknownFields};

/// Every type `def` names, through collections and boxes too.
fn references(def: &TypeDef) -> Vec<TypeId> {
    fn ty(t: &Ty, out: &mut Vec<TypeId>) {
        match t {
            Ty::Named(id) => out.push(*id),
            Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) => ty(i, out),
            _ => {}
        }
    }
    let unknown = |u: &UnknownFields, out: &mut Vec<TypeId>| match u {
        UnknownFields::Collect(t) => ty(t, out),
        UnknownFields::Patterns(id) => out.push(*id),
        UnknownFields::Keep | UnknownFields::Deny => {}
    };
    let mut out = Vec::new();
    match &def.kind {
        Kind::Alias(t) => ty(t, &mut out),
        Kind::Struct(s) => {
            s.fields.iter().for_each(|f| ty(&f.ty, &mut out));
            unknown(&s.unknown, &mut out);
        }
        Kind::Newtype(n) => ty(&n.inner, &mut out),
        Kind::Tagged(t) => out.extend(t.variants.iter().map(|(_, id)| *id)),
        Kind::Union(u) => u.variants.iter().for_each(|(_, t)| ty(t, &mut out)),
        Kind::Tuple(t) => {
            t.items.iter().for_each(|t| ty(t, &mut out));
            if let Some(rest) = &t.rest {
                ty(rest, &mut out);
            }
        }
        Kind::PatternMap(p) => {
            ty(&p.value, &mut out);
            unknown(&p.other, &mut out);
        }
        Kind::Enum(_) | Kind::Const(_) | Kind::ValueEnum(_) | Kind::ConstValue(_) => {}
    }
    out
}

/// Takes the tag member out of the variant structs of each tagged union whose structs serve
/// only as variants of unions with that tag: the variant then implies the tag (nothing to
/// write), and the union reads and writes it. An inline type of the tag member that nothing
/// else uses is marked in `gone`.
pub(super) fn imply_tags(module: &mut Module, children: &[Vec<TypeId>], gone: &mut [bool]) {
    let count = module.types.len();
    // Who refers to each type, other than as a tagged union's variant (with which tag).
    let mut plain_uses = vec![0usize; count];
    let mut tags: Vec<Vec<String>> = vec![Vec::new(); count];
    for (i, def) in module.types.iter().enumerate() {
        if gone[i] {
            continue;
        }
        match &def.kind {
            Kind::Tagged(t) => {
                for (_, id) in &t.variants {
                    tags[id.0].push(t.tag.clone());
                }
            }
            _ => references(def).iter().for_each(|id| plain_uses[id.0] += 1),
        }
    }
    for i in 0..count {
        let Kind::Tagged(t) = &module.types[i].kind else {
            continue;
        };
        if gone[i] {
            continue;
        }
        let tag = t.tag.clone();
        let variants: Vec<TypeId> = t.variants.iter().map(|(_, id)| *id).collect();
        let only_variants = variants.iter().all(|id| {
            plain_uses[id.0] == 0
                && tags[id.0].iter().all(|t| *t == tag)
                && matches!(&module.types[id.0].kind, Kind::Struct(s)
                    if s.fields.iter().any(|f| f.wire == tag))
        });
        if !only_variants {
            continue;
        }
        let mut after_tag = Vec::new();
        for id in &variants {
            let Kind::Struct(s) = &mut module.types[id.0].kind else {
                continue;
            };
            let Some(at) = s.fields.iter().position(|f| f.wire == tag) else {
                continue;
            };
            let field = s.fields.remove(at);
            after_tag.push(s.fields[at..].iter().map(|f| f.wire.clone()).collect());
            // The member's own inline type (a `const`), unless something else uses it.
            if let Ty::Named(own) = field.ty
                && children[id.0].contains(&own)
                && plain_uses[own.0] <= 1
            {
                gone[own.0] = true;
            }
        }
        if let Kind::Tagged(t) = &mut module.types[i].kind {
            t.implied = true;
            t.after_tag = after_tag;
        }
    }
}

/// Marks the types reached from the requests' document types and from no other document's
/// type as closed.
pub(super) fn close_requests(module: &mut Module, uses: &[(TypeId, bool)]) {
    let reach = |from: &mut dyn Iterator<Item = TypeId>| {
        let mut seen = vec![false; module.types.len()];
        let mut stack: Vec<TypeId> = from.collect();
        while let Some(id) = stack.pop() {
            if !std::mem::replace(&mut seen[id.0], true) {
                stack.extend(references(&module.types[id.0]));
            }
        }
        seen
    };
    let sent = reach(&mut uses.iter().filter(|(_, r)| *r).map(|(id, _)| *id));
    let received = reach(&mut uses.iter().filter(|(_, r)| !*r).map(|(id, _)| *id));
    for (i, def) in module.types.iter_mut().enumerate() {
        def.closed = sent[i] && !received[i];
    }
}
