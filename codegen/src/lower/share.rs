//! One type per concept: inline values with the same constraints share one checked newtype,
//! and an inline value identical to a named definition of its own member's name is that
//! definition (`customerId` written out again where `CustomerId` is defined).

use std::collections::BTreeMap;

use crate::ir::{Kind, Module, Newtype, Ty, TypeId};
use crate::naming;

use super::renumber::renumber;

/// What makes two checked newtypes interchangeable: the same value type, the same checks, the
/// same secrecy.
fn same_value(a: &Newtype, b: &Newtype) -> bool {
    a.inner == b.inner && a.checks == b.checks && a.secret == b.secret
}

/// Merges the inline newtypes of `module` (the types some other type introduced, `children`)
/// that hold the same values, and returns which types are gone (merged into another).
pub(super) fn share_identical(module: &mut Module, children: &[Vec<TypeId>]) -> Vec<bool> {
    let count = module.types.len();
    let mut inline = vec![false; count];
    for list in children {
        for id in list {
            inline[id.0] = true;
        }
    }
    let newtype = |id: usize| match &module.types[id].kind {
        Kind::Newtype(n) => Some(n),
        _ => None,
    };
    // The member names each inline type is the value of.
    let mut members: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for def in &module.types {
        if let Kind::Struct(s) = &def.kind {
            for field in &s.fields {
                if let Some(TypeId(id)) = named(&field.ty)
                    && inline[id]
                {
                    members
                        .entry(id)
                        .or_default()
                        .push(naming::pascal(&field.wire));
                }
            }
        }
    }
    let mut target: Vec<usize> = (0..count).collect();
    // An inline value identical to the named definition its member is named after.
    for id in (0..count).filter(|&i| inline[i]) {
        let Some(this) = newtype(id) else { continue };
        let Some(names) = members.get(&id) else {
            continue;
        };
        let definition = (0..count).find(|&other| {
            !inline[other]
                && names.contains(&module.types[other].name)
                && newtype(other).is_some_and(|n| same_value(n, this))
        });
        if let Some(definition) = definition {
            target[id] = definition;
        }
    }
    // Inline values identical to each other: the first one stands for the rest.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for id in (0..count).filter(|&i| inline[i] && target[i] == i) {
        let Some(this) = newtype(id) else { continue };
        match groups
            .iter_mut()
            .find(|g| newtype(g[0]).is_some_and(|n| same_value(n, this)))
        {
            Some(group) => group.push(id),
            None => groups.push(vec![id]),
        }
    }
    let mut renames: Vec<(usize, String)> = Vec::new();
    for group in groups.iter().filter(|g| g.len() > 1) {
        let first = group[0];
        for &id in &group[1..] {
            target[id] = first;
        }
        let names: Vec<&str> = group
            .iter()
            .map(|&i| module.types[i].name.as_str())
            .collect();
        let by_value = newtype(first).and_then(value_name);
        let shared = match by_value {
            // A format names a concept (`DateTime`, `Email`) better than a common last word
            // (`CreatedAt`, `UpdatedAt` → `At`).
            Some(name) if newtype(first).is_some_and(|n| n.checks.format.is_some()) => name,
            by_value => shared_name(&names, by_value),
        };
        let taken = module
            .types
            .iter()
            .enumerate()
            .any(|(i, t)| t.name == shared && target[i] == i && i != first);
        let assigned = renames.iter().any(|(_, name)| *name == shared);
        if !shared.is_empty() && !taken && !assigned && !naming::RESERVED.contains(&shared.as_str())
        {
            renames.push((first, shared));
        }
    }
    for (id, name) in renames {
        let def = &mut module.types[id];
        def.name = name;
        if let Kind::Newtype(n) = &def.kind {
            def.docs = n.constraint_docs.clone();
        }
    }
    let remap: BTreeMap<TypeId, TypeId> =
        (0..count).map(|i| (TypeId(i), TypeId(target[i]))).collect();
    for def in &mut module.types {
        renumber(def, &remap);
    }
    (0..count).map(|i| target[i] != i).collect()
}

fn named(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Option(inner) | Ty::Box(inner) => named(inner),
        _ => None,
    }
}

/// A name that says what the values are, for a type that stands for values of several meanings:
/// the format (`DateTime`), else the bounds of a text or an integer without a pattern
/// (`Text1To50`, `IntegerFrom0`).
fn value_name(n: &Newtype) -> Option<String> {
    let c = &n.checks;
    if c.pattern.is_some() || c.has_array_checks() || c.has_object_checks() {
        return None;
    }
    if let Some(format) = &c.format {
        let plain = crate::schema::Checks {
            format: None,
            ..c.clone()
        };
        return plain.is_empty().then(|| naming::pascal(format));
    }
    let range = |what: &str, min: Option<String>, max: Option<String>| match (min, max) {
        (Some(min), Some(max)) if min == max => Some(format!("{what}Of{min}")),
        (Some(min), Some(max)) => Some(format!("{what}{min}To{max}")),
        (Some(min), None) => Some(format!("{what}From{min}")),
        (None, Some(max)) => Some(format!("{what}UpTo{max}")),
        (None, None) => None,
    };
    let whole = |n: &Option<serde_json::Number>| {
        n.as_ref()
            .filter(|n| n.is_u64())
            .map(serde_json::Number::to_string)
    };
    let name = match n.inner {
        Ty::String if !c.has_number_checks() => range(
            "Text",
            c.min_length.map(|n| n.to_string()),
            c.max_length.map(|n| n.to_string()),
        ),
        Ty::Integer | Ty::Unsigned
            if !c.has_string_checks()
                && c.exclusive_minimum.is_none()
                && c.exclusive_maximum.is_none() =>
        {
            range("Integer", whole(&c.minimum), whole(&c.maximum))
        }
        _ => None,
    }?;
    let name = if c.not_only_whitespace {
        format!("NotBlank{name}")
    } else {
        name
    };
    Some(if n.secret {
        format!("Secret{name}")
    } else {
        name
    })
}

/// The name several inline types share: the longest run of words they all end with
/// (`PersonFirstName`, `NewIndividualFirstName` → `FirstName`), else what the values are
/// (`by_value`), else the longest run of words they all start with, else nothing.
fn shared_name(names: &[&str], by_value: Option<String>) -> String {
    let words: Vec<Vec<&str>> = names.iter().map(|n| split_words(n)).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let suffix = (0..shortest)
        .take_while(|&k| {
            let word = words[0][words[0].len() - 1 - k];
            words.iter().all(|w| w[w.len() - 1 - k] == word)
        })
        .count();
    if suffix > 0 {
        return words[0][words[0].len() - suffix..].concat();
    }
    if let Some(name) = by_value {
        return name;
    }
    let prefix = (0..shortest)
        .take_while(|&k| words.iter().all(|w| w[k] == words[0][k]))
        .count();
    words[0][..prefix].concat()
}

/// `NewIndividualFirstName` → `New`, `Individual`, `First`, `Name`.
fn split_words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            out.push(&name[start..i]);
            start = i;
        }
    }
    out.push(&name[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::shared_name;

    #[test]
    fn the_shared_name_is_the_common_ending_else_the_common_start() {
        let names = ["PersonFirstName", "NewIndividualFirstName"];
        assert_eq!(shared_name(&names, None), "FirstName");
        let text = Some("Text1To50".to_owned());
        assert_eq!(shared_name(&["ListCity", "ListName"], text), "Text1To50");
        assert_eq!(
            shared_name(&["ListDateFrom", "ListDateTo"], None),
            "ListDate"
        );
        assert_eq!(shared_name(&["Alpha", "Beta"], None), "");
    }
}
