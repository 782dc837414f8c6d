//! The statements of a newtype's `new` that reject a value breaking its constraints, as Ajv
//! would: each returns a `ConstraintError` naming the type and the `Violation`.

use std::str::FromStr;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ascii_class::AsciiClass;
use crate::formats::{self, Check};
use crate::ir::{Newtype, Ty};
use crate::schema::Checks;

use super::common::count;
use super::helpers::Needs;

/// Builds the `return Err(..)` of one violation.
type Fail<'a> = &'a dyn Fn(TokenStream) -> TokenStream;

/// The checks of `n`'s constraints on `value`, in the `new` of the type named `name`.
pub(super) fn newtype_checks(name: &str, n: &Newtype, needs: &mut Needs) -> TokenStream {
    let fail =
        |violation: TokenStream| quote!(return Err(ConstraintError::new(#name, #violation)););
    let c = &n.checks;
    match &n.inner {
        Ty::String => string_checks(c, &fail, needs),
        Ty::Vec(_) => array_checks(c, &fail, needs),
        Ty::Map(_) | Ty::JsonObject => object_checks(c, &fail, needs),
        Ty::Integer | Ty::Unsigned | Ty::Number => number_checks(c, &n.inner, &fail, needs),
        _ => TokenStream::new(),
    }
}

/// `minLength`/`maxLength` in code points, `pattern`, `format` and `isNotOnlyWhitespace`.
fn string_checks(c: &Checks, fail: Fail<'_>, needs: &mut Needs) -> TokenStream {
    let mut checks = TokenStream::new();
    if c.min_length.is_some() || c.max_length.is_some() {
        checks.extend(quote!(let length = value.chars().count();));
    }
    if let Some(min) = c.min_length.filter(|m| *m > 0) {
        let lit = count(min);
        let err = fail(quote!(Violation::TooShort { min: #lit, actual: length }));
        checks.extend(quote!(if length < #lit { #err }));
    }
    if let Some(max) = c.max_length {
        let lit = count(max);
        let err = fail(quote!(Violation::TooLong { max: #lit, actual: length }));
        checks.extend(quote!(if length > #lit { #err }));
    }
    if let Some(pattern) = &c.pattern {
        let err = fail(quote!(Violation::PatternMismatch { pattern: PATTERN }));
        checks.extend(match AsciiClass::parse(pattern) {
            // One ASCII class repeated: a byte test decides it as regress would.
            Some(class) => {
                let mismatch = class.mismatch();
                quote! {
                    const PATTERN: &str = #pattern;
                    if #mismatch { #err }
                }
            }
            None => quote! {
                const PATTERN: &str = #pattern;
                static REGEX: std::sync::LazyLock<regress::Regex> = std::sync::LazyLock::new(|| {
                    regress::Regex::with_flags(PATTERN, "u").expect("the generator compiled this pattern")
                });
                if REGEX.find(&value).is_none() { #err }
            },
        });
    }
    if let Some(format) = c.format.as_deref().and_then(formats::by_name) {
        checks.extend(format_check(format, fail, needs));
    }
    if c.not_only_whitespace {
        needs.violation_whitespace = true;
        let err = fail(quote!(Violation::OnlyWhitespace));
        // JavaScript's `\s`: white space and line terminators, Unicode `Zs` included.
        checks.extend(quote! {
            let blank = |c: char| matches!(c,
                '\u{9}'..='\u{d}' | '\u{20}' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}'
                | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}');
            if value.chars().all(blank) { #err }
        });
    }
    checks
}

fn array_checks(c: &Checks, fail: Fail<'_>, needs: &mut Needs) -> TokenStream {
    let mut checks = TokenStream::new();
    checks.extend(quote!(let length = value.len();));
    if let Some(min) = c.min_items.filter(|m| *m > 0) {
        let lit = count(min);
        let err = fail(quote!(Violation::TooFewItems { min: #lit, actual: length }));
        checks.extend(quote!(if length < #lit { #err }));
    }
    if let Some(max) = c.max_items {
        let lit = count(max);
        let err = fail(quote!(Violation::TooManyItems { max: #lit, actual: length }));
        checks.extend(quote!(if length > #lit { #err }));
    }
    if c.unique_items {
        needs.violation_unique = true;
        let err = fail(quote!(Violation::DuplicateItems { first, second }));
        checks.extend(quote! {
            // Quadratic, like Ajv for items it cannot hash; lists in API payloads are short.
            let duplicate = (1..length)
                .flat_map(|second| (0..second).map(move |first| (first, second)))
                .find(|&(first, second)| value[first] == value[second]);
            if let Some((first, second)) = duplicate { #err }
        });
    }
    checks
}

fn object_checks(c: &Checks, fail: Fail<'_>, needs: &mut Needs) -> TokenStream {
    let mut checks = TokenStream::new();
    needs.violation_members = true;
    checks.extend(quote!(let length = value.len();));
    if let Some(min) = c.min_properties.filter(|m| *m > 0) {
        let lit = count(min);
        let err = fail(quote!(Violation::TooFewMembers { min: #lit, actual: length }));
        checks.extend(quote!(if length < #lit { #err }));
    }
    if let Some(max) = c.max_properties {
        let lit = count(max);
        let err = fail(quote!(Violation::TooManyMembers { max: #lit, actual: length }));
        checks.extend(quote!(if length > #lit { #err }));
    }
    checks
}

/// `format` (`int32`), NaN for floats, then the bounds.
fn number_checks(c: &Checks, inner: &Ty, fail: Fail<'_>, needs: &mut Needs) -> TokenStream {
    let mut checks = TokenStream::new();
    let float = matches!(inner, Ty::Number);
    if let Some(format) = c.format.as_deref().and_then(formats::by_name) {
        checks.extend(format_check(format, fail, needs));
    }
    if float {
        let err = fail(quote!(Violation::OutOfRange {
            expected: "a number, not NaN"
        }));
        checks.extend(quote!(if value.is_nan() { #err }));
    }
    // Each check names the failing comparison, so a NaN has been ruled out above.
    for (bound, op, failing) in [
        (&c.minimum, ">=", quote!(<)),
        (&c.exclusive_minimum, ">", quote!(<=)),
        (&c.maximum, "<=", quote!(>)),
        (&c.exclusive_maximum, "<", quote!(>=)),
    ] {
        let Some(bound) = bound else { continue };
        // `u64` already holds `>= 0` and `<= u64::MAX`; comparing would not compile
        // cleanly (`unused_comparisons`).
        let implied = match op {
            ">=" => bound.as_u64() == Some(0),
            "<=" => bound.as_u64() == Some(u64::MAX),
            _ => false,
        };
        if implied && matches!(inner, Ty::Unsigned) {
            continue;
        }
        let lit = if float {
            let f = bound.as_f64().unwrap_or_default();
            Literal::from_str(&format!("{f:?}")).expect("a float literal")
        } else if let Ty::Unsigned = inner {
            Literal::u64_unsuffixed(bound.as_u64().unwrap_or_default())
        } else {
            Literal::i64_unsuffixed(bound.as_i64().unwrap_or_default())
        };
        let text = format!("{op} {bound}");
        let err = fail(quote!(Violation::OutOfRange { expected: #text }));
        checks.extend(quote!(if value #failing #lit { #err }));
    }
    checks
}

/// The statements that reject a `value` breaking `format`, as Ajv with ajv-formats would.
pub(super) fn format_check(
    format: formats::Format,
    fail: &dyn Fn(TokenStream) -> TokenStream,
    needs: &mut Needs,
) -> TokenStream {
    let name = format.name;
    let err = || fail(quote!(Violation::FormatMismatch { format: #name }));
    let regex = |source: &str, flags: &str| {
        quote! {
            static FORMAT: std::sync::LazyLock<regress::Regex> = std::sync::LazyLock::new(|| {
                regress::Regex::with_flags(#source, #flags).expect("ajv-formats' expression compiles")
            });
        }
    };
    let (setup, bad) = match format.check {
        Check::Nothing => return TokenStream::new(),
        Check::Regex(source, flags) => {
            (regex(source, flags), quote!(FORMAT.find(&value).is_none()))
        }
        Check::Uri => {
            let (source, flags) = formats::uri_regex();
            (
                regex(source, flags),
                quote!(
                    !(value.contains('/') || value.contains(':')) || FORMAT.find(&value).is_none()
                ),
            )
        }
        Check::Date => {
            needs.format_date = true;
            (TokenStream::new(), quote!(!format_date(&value)))
        }
        Check::Time { strict_zone } => {
            needs.format_time = true;
            (
                TokenStream::new(),
                quote!(!format_time(&value, #strict_zone)),
            )
        }
        Check::DateTime { strict_zone } => {
            needs.format_date = true;
            needs.format_time = true;
            (
                TokenStream::new(),
                quote!(!format_date_time(&value, #strict_zone)),
            )
        }
        Check::EcmaRegex => {
            needs.format_regex = true;
            (TokenStream::new(), quote!(!format_regex(&value)))
        }
        Check::Int32 => (TokenStream::new(), quote!(i32::try_from(value).is_err())),
    };
    needs.violation_format = true;
    let err = err();
    quote! {
        #setup
        if #bad { #err }
    }
}
