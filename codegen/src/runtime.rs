//! The helpers a generated module carries with it (`Tristate`, `ConstraintError`, the format
//! checks...), kept as real Rust under `runtime/`: this crate's tests compile and exercise those
//! files as they are, and emission copies their items by name, so what is tested is what is
//! emitted.
//!
//! The files are written as the generated module sees them: `Serialize`, `Deserialize` and
//! `JsonSchema` in scope, and nothing that needs an inner attribute.

use proc_macro2::TokenStream;
use quote::ToTokens;

pub const CONSTRAINT: &str = include_str!("runtime/constraint.rs");
pub const FORMATS: &str = include_str!("runtime/formats.rs");
pub const PRESENCE: &str = include_str!("runtime/presence.rs");
pub const TRISTATE: &str = include_str!("runtime/tristate.rs");
pub const UNKNOWN: &str = include_str!("runtime/unknown.rs");

/// The `Violation` variants every module with a `ConstraintError` has; the others are emitted
/// only when a type can fail that way.
const BASE_VIOLATIONS: &[&str] = &[
    "TooShort",
    "TooLong",
    "PatternMismatch",
    "TooFewItems",
    "TooManyItems",
    "OutOfRange",
];

/// The items of `file` named `name`: the type or function of that name and the impls for it, in
/// the file's order.
pub fn item(file: &str, name: &str) -> TokenStream {
    parse(file)
        .items
        .into_iter()
        .filter(|item| item_name(item).as_deref() == Some(name))
        .map(ToTokens::into_token_stream)
        .collect()
}

/// `ConstraintError` and `Violation` with the base variants and those of `extra`, and the
/// `Display` arms for exactly those.
pub fn constraint_error(extra: &[&str]) -> TokenStream {
    let keep = |variant: &str| BASE_VIOLATIONS.contains(&variant) || extra.contains(&variant);
    let mut out = TokenStream::new();
    for mut item in parse(CONSTRAINT).items {
        match &mut item {
            syn::Item::Enum(violation) if violation.ident == "Violation" => {
                violation.variants = std::mem::take(&mut violation.variants)
                    .into_iter()
                    .filter(|v| keep(&v.ident.to_string()))
                    .collect();
            }
            syn::Item::Impl(display) if display.trait_.is_some() => {
                for member in &mut display.items {
                    if let syn::ImplItem::Fn(fmt) = member {
                        keep_match_arms(&mut fmt.block, &keep);
                    }
                }
            }
            _ => {}
        }
        if item_name(&item).is_some() {
            out.extend(item.into_token_stream());
        }
    }
    out
}

/// Drops the arms of the `match` in `block` whose pattern names a variant `keep` refuses.
fn keep_match_arms(block: &mut syn::Block, keep: &dyn Fn(&str) -> bool) {
    for stmt in &mut block.stmts {
        if let syn::Stmt::Expr(syn::Expr::Match(matched), _) = stmt {
            matched.arms.retain(|arm| {
                // `Violation::Name { .. }`: the identifier after the first `::`.
                let pattern = arm.pat.to_token_stream().to_string();
                let variant = pattern
                    .split("::")
                    .nth(1)
                    .and_then(|rest| rest.split_whitespace().next())
                    .unwrap_or_default();
                keep(variant)
            });
        }
    }
}

fn parse(file: &str) -> syn::File {
    syn::parse_file(file).expect("the runtime files are Rust this crate compiles")
}

/// The name an item defines or implements; `None` for the files' test modules.
fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
        syn::Item::Impl(i) => match &*i.self_ty {
            syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The files compiled as the generated module would compile them, with their tests.
#[cfg(test)]
#[allow(dead_code)]
mod compiled {
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    include!("runtime/constraint.rs");
    include!("runtime/formats.rs");
    include!("runtime/presence.rs");
    include!("runtime/tristate.rs");
    include!("runtime/unknown.rs");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_picked_by_name_with_their_impls_and_without_tests() {
        let tristate = item(TRISTATE, "Tristate").to_string();
        assert!(tristate.contains("pub enum Tristate"));
        assert!(tristate.contains("impl < T : JsonSchema > JsonSchema for Tristate"));
        assert!(!tristate.contains("tristate_tests"));
        assert!(
            item(UNKNOWN, "UnknownJson")
                .to_string()
                .contains("fn as_json")
        );
        assert!(
            !item(UNKNOWN, "UnknownJson")
                .to_string()
                .contains("UnknownValue")
        );
    }

    fn violations(tokens: TokenStream) -> Vec<String> {
        let file: syn::File = syn::parse2(tokens).expect("items");
        file.items
            .iter()
            .find_map(|item| match item {
                syn::Item::Enum(e) if e.ident == "Violation" => {
                    Some(e.variants.iter().map(|v| v.ident.to_string()).collect())
                }
                _ => None,
            })
            .expect("Violation is emitted")
    }

    #[test]
    fn only_the_violations_asked_for_are_emitted() {
        assert_eq!(violations(constraint_error(&[])), BASE_VIOLATIONS);
        let more = constraint_error(&["OnlyWhitespace"]);
        assert!(
            more.to_string().contains("Violation :: OnlyWhitespace =>"),
            "its arm"
        );
        assert_eq!(
            violations(more).last().map(String::as_str),
            Some("OnlyWhitespace")
        );
        assert!(
            !constraint_error(&[])
                .to_string()
                .contains("constraint_tests")
        );
    }
}
