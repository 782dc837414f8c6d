//! Patterns that are one ASCII character class repeated, such as `^[0-9a-zA-Z_-]+$` or
//! `^[A-Z]{3}$`, checked by testing bytes instead of running a regex.
//!
//! Most of the contract's ids and references have this shape, and the mock builds such a
//! value on every request. `regress` allocates for each match it attempts; a byte test does
//! not. The two agree exactly: without the `m` flag, `^` and `$` only match at the ends of
//! the input, and a class of ASCII characters matches no other code point (under the `u`
//! flag, and without `i`, which generated checks never use). So a value matches when every
//! byte is in the class and its length is in the quantifier's bounds; a non-ASCII character
//! fails the byte test, so counting bytes is counting characters whenever it matters.
//! Anything else (escapes, negated classes, groups, lookarounds) is left to `regress`.

use proc_macro2::TokenStream;
use quote::quote;

/// `^[class]{min,max}$`, the class as inclusive byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AsciiClass {
    ranges: Vec<(u8, u8)>,
    min: usize,
    max: Option<usize>,
}

impl AsciiClass {
    /// Recognises the shape, or `None` when the pattern needs a regex.
    pub(crate) fn parse(pattern: &str) -> Option<AsciiClass> {
        let body = pattern.strip_prefix("^[")?.strip_suffix('$')?;
        let (class, quantifier) = body.split_once(']')?;
        let ranges = class_ranges(class.as_bytes())?;
        let (min, max) = match quantifier {
            "+" => (1, None),
            "*" => (0, None),
            _ => bounds(quantifier.strip_prefix('{')?.strip_suffix('}')?)?,
        };
        Some(AsciiClass { ranges, min, max })
    }

    /// Whether `value` matches; the negation of what [`AsciiClass::mismatch`] emits (the
    /// tests hold both to `regress`).
    #[cfg(test)]
    fn matches(&self, value: &str) -> bool {
        value.len() >= self.min
            && self.max.is_none_or(|max| value.len() <= max)
            && value
                .bytes()
                .all(|b| self.ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&b)))
    }

    /// An expression of type `bool` over `value: &str` (or `String`): true when it does *not*
    /// match (written the way Clippy wants a negated condition written).
    pub(crate) fn mismatch(&self) -> TokenStream {
        let byte = self.byte_test();
        let bytes = quote!(!value.bytes().all(|b| #byte));
        let min = proc_macro2::Literal::usize_unsuffixed(self.min);
        let length = match (self.min, self.max) {
            (0, None) => quote!(),
            (1, None) => quote!(value.is_empty() ||),
            (_, None) => quote!(value.len() < #min ||),
            (_, Some(max)) if max == self.min => quote!(value.len() != #min ||),
            (_, Some(max)) => {
                let max = proc_macro2::Literal::usize_unsuffixed(max);
                quote!(!(#min..=#max).contains(&value.len()) ||)
            }
        };
        quote!(#length #bytes)
    }

    /// Whether the byte `b` is in the class: the standard library's ASCII tests for whole
    /// digit and letter ranges (as Clippy asks of hand-written code), `matches!` for the rest.
    fn byte_test(&self) -> TokenStream {
        let mut members = [false; 128];
        for &(lo, hi) in &self.ranges {
            for b in lo..=hi {
                members[usize::from(b)] = true;
            }
        }
        const DIGITS: (u8, u8) = (b'0', b'9');
        const LOWER: (u8, u8) = (b'a', b'z');
        const UPPER: (u8, u8) = (b'A', b'Z');
        let full = |members: &[bool; 128], (lo, hi): (u8, u8)| {
            members[usize::from(lo)..=usize::from(hi)]
                .iter()
                .all(|m| *m)
        };
        let clear = |members: &mut [bool; 128], (lo, hi): (u8, u8)| {
            members[usize::from(lo)..=usize::from(hi)].fill(false);
        };
        let mut tests = Vec::new();
        if [DIGITS, LOWER, UPPER].iter().all(|r| full(&members, *r)) {
            [DIGITS, LOWER, UPPER]
                .iter()
                .for_each(|r| clear(&mut members, *r));
            tests.push(quote!(b.is_ascii_alphanumeric()));
        }
        for (range, test) in [
            (DIGITS, quote!(b.is_ascii_digit())),
            (LOWER, quote!(b.is_ascii_lowercase())),
            (UPPER, quote!(b.is_ascii_uppercase())),
        ] {
            if full(&members, range) {
                clear(&mut members, range);
                tests.push(test);
            }
        }
        let mut rest = Vec::new();
        let mut b = 0u8;
        while b < 128 {
            if !members[usize::from(b)] {
                b += 1;
                continue;
            }
            let lo = b;
            while b < 127 && members[usize::from(b + 1)] {
                b += 1;
            }
            let (l, h) = (
                proc_macro2::Literal::byte_character(lo),
                proc_macro2::Literal::byte_character(b),
            );
            rest.push(if lo == b { quote!(#l) } else { quote!(#l..=#h) });
            b += 1;
        }
        match rest.as_slice() {
            [] => {}
            [single] if !single.to_string().contains("..=") => tests.push(quote!(b == #single)),
            _ => tests.push(quote!(matches!(b, #(#rest)|*))),
        }
        quote!(#(#tests)||*)
    }
}

/// The members of a class body (`0-9a-z_-`): single characters and ranges of letters,
/// digits, `_` and `-`. `-` counts as itself only first or last, as in ECMAScript.
fn class_ranges(class: &[u8]) -> Option<Vec<(u8, u8)>> {
    let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < class.len() {
        let c = class[i];
        let edge = i == 0 || i == class.len() - 1;
        if c == b'-' && edge {
            ranges.push((c, c));
            i += 1;
        } else if plain(c) && class.get(i + 1) == Some(&b'-') && i + 2 < class.len() {
            let hi = class[i + 2];
            // A range between characters of one kind (`a-z`, `0-9`) and in order.
            let same_kind = (c.is_ascii_digit() && hi.is_ascii_digit())
                || (c.is_ascii_lowercase() && hi.is_ascii_lowercase())
                || (c.is_ascii_uppercase() && hi.is_ascii_uppercase());
            if !same_kind || hi < c {
                return None;
            }
            ranges.push((c, hi));
            i += 3;
        } else if plain(c) {
            ranges.push((c, c));
            i += 1;
        } else {
            return None;
        }
    }
    (!ranges.is_empty()).then_some(ranges)
}

/// `n`, `m,n` (a `{m,}` is left to the regex).
fn bounds(text: &str) -> Option<(usize, Option<usize>)> {
    let number = |s: &str| -> Option<usize> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    match text.split_once(',') {
        None => number(text).map(|n| (n, Some(n))),
        Some((min, max)) => {
            let (min, max) = (number(min)?, number(max)?);
            (min <= max).then_some((min, Some(max)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pattern of this shape in the contract, and some that are not of it.
    #[test]
    fn recognises_the_shape_and_nothing_else() {
        for pattern in [
            "^[0-9a-zA-Z_-]+$",
            "^[0-9a-zA-Z]+$",
            "^[0-9a-zA-Z_]+$",
            "^[a-z-]*$",
            "^[A-Z]{3}$",
            "^[0-9]{9}$",
            "^[0-9a-f]{32}$",
            "^[0-9]{2,4}$",
            "^[-a]+$",
        ] {
            assert!(AsciiClass::parse(pattern).is_some(), "{pattern}");
        }
        for pattern in [
            "^[a-z][a-z0-9-]*$",
            "^((?![<>]).)*$",
            "^(.+)@(.+)$",
            "^[^a-z]+$",
            "^[\\w]+$",
            "^[a-z]+",
            "[a-z]+$",
            "^[a-z]{2,}$",
            "^[a-z]{4,2}$",
            "^[z-a]+$",
            "^[a-Z]+$",
            "^[0-z]+$",
            "^[a-c-e]+$",
            "^[]+$",
            "^[a.]+$",
            "^[a-z]+?$",
            "^[a-z]{+}$",
        ] {
            assert_eq!(AsciiClass::parse(pattern), None, "{pattern}");
        }
    }

    /// The byte test and `regress` (ECMAScript semantics, `u` flag) agree on edge characters:
    /// the neighbours of every range, line terminators, and non-ASCII look-alikes (U+212A
    /// KELVIN SIGN, U+017F LONG S, which case folding would confuse with `K` and `s`).
    #[test]
    fn agrees_with_regress() {
        let alphabet: Vec<char> = "09azAZ_-/:@[`{ \n\u{2028}é\u{212a}\u{17f}Ks5"
            .chars()
            .collect();
        for pattern in [
            "^[0-9a-zA-Z_-]+$",
            "^[0-9a-zA-Z]+$",
            "^[a-z-]*$",
            "^[A-Z]{3}$",
            "^[0-9]{2,4}$",
            "^[0-9a-f]{32}$",
        ] {
            let class = AsciiClass::parse(pattern).expect("the shape");
            let regex = regress::Regex::with_flags(pattern, "u").expect("compiles");
            let mut seed = 7u64;
            let mut cases = vec![String::new(), "A".repeat(32), "0".repeat(32), "é".repeat(2)];
            for _ in 0..20_000 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let len = (seed >> 59) as usize;
                let value: String = (0..len)
                    .map(|i| alphabet[((seed >> (i * 5 % 54)) as usize + i) % alphabet.len()])
                    .collect();
                cases.push(value);
            }
            for value in &cases {
                assert_eq!(
                    class.matches(value),
                    regress_matches(&regex, value),
                    "{pattern} on {value:?}"
                );
            }
        }
    }

    fn regress_matches(regex: &regress::Regex, value: &str) -> bool {
        regex.find(value).is_some()
    }
}
