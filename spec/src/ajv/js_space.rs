//! ECMAScript's `\s`, written once: WhiteSpace (TAB, VT, FF, SP, NBSP, ZWNBSP and Unicode `Zs`)
//! and LineTerminator (LF, CR, LS, PS). connectFi's `isNotOnlyWhitespace`, the separator of
//! ajv-formats' `date-time` and the translation of `\s` into the `regex` crate all read this
//! table; `kyc-codegen`, which does not depend on this crate, holds its copies equal to it in
//! its tests.

use std::fmt::Write as _;
use std::sync::OnceLock;

/// The code points of `\s` as inclusive ranges, in ascending order.
pub const RANGES: &[(char, char)] = &[
    ('\u{9}', '\u{d}'),
    ('\u{20}', '\u{20}'),
    ('\u{a0}', '\u{a0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200a}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202f}', '\u{202f}'),
    ('\u{205f}', '\u{205f}'),
    ('\u{3000}', '\u{3000}'),
    ('\u{feff}', '\u{feff}'),
];

/// Whether JavaScript's `/\s/` matches `c`.
pub fn is_js_whitespace(c: char) -> bool {
    RANGES.iter().any(|&(low, high)| (low..=high).contains(&c))
}

/// The members of a `regex` crate character class that matches what `\s` matches
/// (`\x{9}-\x{D}\x{20}…`), without the brackets.
pub fn regex_class_members() -> &'static str {
    static MEMBERS: OnceLock<String> = OnceLock::new();
    MEMBERS.get_or_init(|| {
        let mut out = String::new();
        for &(low, high) in RANGES {
            let _ = write!(out, "\\x{{{:X}}}", u32::from(low));
            if high != low {
                let _ = write!(out, "-\\x{{{:X}}}", u32::from(high));
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_javascripts_white_space_and_line_terminators() {
        // Unicode White_Space, which Rust's `char::is_whitespace` follows, is `Zs` and the
        // ASCII and line-terminator controls plus U+0085 (NEL), which JavaScript leaves out;
        // JavaScript adds U+FEFF.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let expected = (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}';
            assert_eq!(is_js_whitespace(c), expected, "U+{:04X}", u32::from(c));
        }
        assert!(RANGES.windows(2).all(|w| w[0].1 < w[1].0), "ascending");
    }

    #[test]
    fn the_regex_class_matches_the_table() {
        let class = regex::Regex::new(&format!("^[{}]$", regex_class_members())).unwrap();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(
                class.is_match(c.encode_utf8(&mut [0; 4])),
                is_js_whitespace(c),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }
}
