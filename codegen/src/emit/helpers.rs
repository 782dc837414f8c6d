//! Which runtime helpers (see `crate::runtime`) a module needs, and emitting them.

use proc_macro2::TokenStream;

use crate::{runtime, typed};

/// Which helpers the module needs; each is emitted only when some type uses it.
#[derive(Default)]
pub(super) struct Needs {
    pub(super) tristate: bool,
    pub(super) unknown_value: bool,
    pub(super) unknown_object: bool,
    pub(super) constraint_error: bool,
    pub(super) deserialize_present: bool,
    pub(super) deserialize_some: bool,
    pub(super) unknown_json: bool,
    /// Extra `Violation` variants, emitted only when a type can fail that way so modules
    /// without these constraints stay as they were.
    pub(super) violation_format: bool,
    pub(super) violation_whitespace: bool,
    pub(super) violation_unique: bool,
    pub(super) violation_members: bool,
    pub(super) violation_names: bool,
    pub(super) format_date: bool,
    pub(super) format_time: bool,
    pub(super) format_regex: bool,
    pub(super) typed: typed::Needs,
}

pub(super) fn helpers(needs: &Needs) -> TokenStream {
    let mut out = TokenStream::new();
    if needs.tristate {
        out.extend(runtime::item(runtime::TRISTATE, "Tristate"));
    }
    if needs.unknown_value {
        out.extend(runtime::item(runtime::UNKNOWN, "UnknownValue"));
    }
    if needs.unknown_object {
        out.extend(runtime::item(runtime::UNKNOWN, "UnknownObject"));
    }
    if needs.constraint_error {
        let extra: Vec<&str> = [
            (needs.violation_whitespace, &["OnlyWhitespace"][..]),
            (needs.violation_format, &["FormatMismatch"]),
            (needs.violation_unique, &["DuplicateItems"]),
            (
                needs.violation_members,
                &["TooFewMembers", "TooManyMembers"],
            ),
            (needs.violation_names, &["NameMismatch", "NameMatches"]),
        ]
        .into_iter()
        .filter(|(needed, _)| *needed)
        .flat_map(|(_, variants)| variants.iter().copied())
        .collect();
        out.extend(runtime::constraint_error(&extra));
    }
    if needs.unknown_json {
        out.extend(runtime::item(runtime::UNKNOWN, "UnknownJson"));
    }
    // The calendar and `regex` checks of ajv-formats.
    for (needed, name) in [
        (needs.format_date, "format_date"),
        (needs.format_time, "format_time"),
        (needs.format_date && needs.format_time, "format_date_time"),
        (needs.format_regex, "format_regex"),
    ] {
        if needed {
            out.extend(runtime::item(runtime::FORMATS, name));
        }
    }
    if needs.deserialize_present {
        out.extend(runtime::item(runtime::PRESENCE, "deserialize_present"));
    }
    if needs.deserialize_some {
        out.extend(runtime::item(runtime::PRESENCE, "deserialize_some"));
    }
    out
}
