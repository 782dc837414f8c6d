//! Patterns with JavaScript semantics. Ajv compiles `pattern` and `patternProperties` with
//! `new RegExp(source, "u")` and calls `.test` (a search, not a full match). `regress` is an
//! ECMAScript regex engine, so `.` (which excludes `\n`, `\r`, U+2028 and U+2029), `\d`, `\w`,
//! lookahead and the `u`-mode escape rules all behave as in V8 without any translation.
//!
//! One exception needs help: case-insensitive matching without `u` (ajv-formats compiles
//! most of its regexes with plain `i`). JavaScript's non-unicode `Canonicalize` maps a
//! character to its simple uppercase *unless* that would turn a non-ASCII character into an
//! ASCII one, so `/[a-z]/i` matches no non-ASCII character at all; `regress` folds character
//! classes by Unicode's case folding whatever the flags, so its `[a-z]` with `i` also matches
//! U+017F (LATIN SMALL LETTER LONG S, folds to `s`) and U+212A (KELVIN SIGN, folds to `k`).
//! Those two are the only non-ASCII characters Unicode folds into ASCII, so for patterns
//! whose own characters are all ASCII, testing a copy of the text with each replaced by a
//! caseless stand-in gives JavaScript's answer (see [`LEGACY_ICASE_STAND_INS`]).

use std::fmt;

use super::regex_translation;

/// The non-ASCII characters `regress` folds into ASCII letters where JavaScript's
/// non-unicode `i` does not, each with the character tested in its place. A stand-in has
/// the same UTF-8 and UTF-16 length (so match offsets and `.{n}` counts stay those of the
/// original text), no case, is not ASCII, and is neither `\w` nor `\s`: like the original
/// in JavaScript, it can match only `.`, negated classes and `\W`/`\S`/`\D`, never a letter.
const LEGACY_ICASE_STAND_INS: [(char, char); 2] = [
    ('\u{17f}', '\u{d7}'),    // LATIN SMALL LETTER LONG S -> MULTIPLICATION SIGN
    ('\u{212a}', '\u{2116}'), // KELVIN SIGN -> NUMERO SIGN
];

/// A compiled ECMAScript regular expression and its source text.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: regress::Regex,
    /// The same pattern for the `regex` crate, when [`regex_translation`] can express it.
    fast: Option<regex::Regex>,
    /// Compiled with `i` but without `u`: texts get [`LEGACY_ICASE_STAND_INS`].
    legacy_icase: bool,
}

impl Pattern {
    /// Compiles `source` with the given ECMAScript flags (`"u"` for schema patterns).
    pub fn new(source: &str, flags: &str) -> Result<Pattern, String> {
        let legacy_icase = flags.contains('i') && !flags.contains('u');
        if legacy_icase && !ascii_only(source) {
            // The stand-ins are exact only when every character the pattern itself can
            // denote is ASCII (true of every ajv-formats regex compiled with plain `i`).
            return Err(format!(
                "{source:?}: case-insensitive non-unicode patterns must denote ASCII characters only"
            ));
        }
        regress::Regex::with_flags(source, flags)
            .map(|regex| Pattern {
                source: source.to_owned(),
                regex,
                fast: (flags == "u")
                    .then(|| regex_translation::to_rust(source))
                    .flatten()
                    .and_then(|translated| regex::Regex::new(&translated).ok()),
                legacy_icase,
            })
            .map_err(|e| format!("not an ECMAScript regular expression with flags {flags:?}: {e}"))
    }

    /// `RegExp.prototype.test`: true when the pattern matches anywhere in `text`.
    pub fn test(&self, text: &str) -> bool {
        if let Some(stood_in) = self.stand_ins(text) {
            return self.regex.find(&stood_in).is_some();
        }
        match &self.fast {
            Some(fast) => fast.is_match(text),
            None => self.regex.find(text).is_some(),
        }
    }

    /// `RegExp.prototype.exec`: the first match with its capture groups (byte ranges into
    /// `text`).
    pub fn exec(&self, text: &str) -> Option<regress::Match> {
        match self.stand_ins(text) {
            Some(stood_in) => self.regex.find(&stood_in),
            None => self.regex.find(text),
        }
    }

    /// The text to search when it differs from `text` (legacy `i` patterns only).
    fn stand_ins(&self, text: &str) -> Option<String> {
        let is_folded = |c: char| LEGACY_ICASE_STAND_INS.iter().any(|(f, _)| *f == c);
        if !self.legacy_icase || !text.contains(is_folded) {
            return None;
        }
        Some(
            text.chars()
                .map(|c| {
                    LEGACY_ICASE_STAND_INS
                        .iter()
                        .find(|(f, _)| *f == c)
                        .map_or(c, |(_, stand_in)| *stand_in)
                })
                .collect(),
        )
    }
}

/// True when `source` can denote only ASCII characters: ASCII text, and no escape that
/// names a code point above U+007F (`\u…`, `\x80`–`\xFF`, legacy octal or backreference
/// digits, which the ajv-formats regexes never use).
fn ascii_only(source: &str) -> bool {
    let b = source.as_bytes();
    source.is_ascii()
        && !b.windows(2).enumerate().any(|(i, w)| {
            let escaped =
                w[0] == b'\\' && b[..i].iter().rev().take_while(|c| **c == b'\\').count() % 2 == 0;
            escaped
                && (w[1] == b'u'
                    || w[1].is_ascii_digit() && w[1] != b'0'
                    || w[1] == b'x' && b.get(i + 2).is_some_and(|h| !(b'0'..=b'7').contains(h)))
        })
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn dot_and_lookahead_behave_like_javascript() {
        let p = Pattern::new("^((?![<>]).)*$", "u").expect("valid pattern");
        assert!(p.test("http://127.0.0.1:9000/cb?x=1"));
        assert!(p.test(""));
        assert!(!p.test("a<b"));
        for line_break in ["a\nb", "a\rb", "a\u{2028}b", "a\u{2029}b"] {
            assert!(!p.test(line_break), "{line_break:?}");
        }
        let digits = Pattern::new("^\\d+$", "u").expect("valid pattern");
        assert!(!digits.test("١٢"), "\\d is ASCII-only in JavaScript");
        assert!(
            Pattern::new("a", "u").expect("valid").test("xax"),
            "test searches"
        );
    }

    /// JavaScript's answers for every non-ASCII BMP character (node 22, V8): with plain `i`,
    /// no non-ASCII character matches an ASCII letter, literal or in a class, and every one
    /// matches a negated ASCII class or `\W`.
    #[test]
    fn non_unicode_ignore_case_never_folds_into_ascii() {
        let letters = ["^[a-z]$", "^k$", "^[s]$", "^\\w$", "^[0-9a-f]$", "^(?:z)$"];
        let negated = ["^[^a-z]$", "^\\W$", "^[^0-9a-f]$"];
        let compiled = |sources: &[&str]| -> Vec<Pattern> {
            sources
                .iter()
                .map(|p| Pattern::new(p, "i").expect("valid pattern"))
                .collect()
        };
        let (letters, negated) = (compiled(&letters), compiled(&negated));
        let mut text = String::new();
        for c in (0x80..=0xffff).filter_map(char::from_u32) {
            text.clear();
            text.push(c);
            for p in &letters {
                assert!(!p.test(&text), "{p:?} matches U+{:04X}", c as u32);
            }
            for p in &negated {
                assert!(p.test(&text), "{p:?} misses U+{:04X}", c as u32);
            }
        }
        // With `u`, JavaScript folds by Unicode: both characters match `[a-z]`.
        let unicode = Pattern::new("^[a-z]$", "iu").expect("valid pattern");
        assert!(unicode.test("\u{212a}") && unicode.test("\u{17f}"));
        // The stand-ins keep byte offsets: the match ends where the original text does.
        let m = Pattern::new("^\\W+", "i")
            .expect("valid")
            .exec("\u{212a}\u{17f}k")
            .expect("matches");
        assert_eq!(m.range(), 0..5);
    }

    #[test]
    fn legacy_ignore_case_patterns_must_be_ascii() {
        for bad in ["\\u00e9", "é", "\\xff", "(a)\\1"] {
            assert!(Pattern::new(bad, "i").is_err(), "{bad:?}");
        }
        for good in ["[\\x00-\\x20]", "\\\\u", "\\d\\0", "[a-z]"] {
            assert!(Pattern::new(good, "i").is_ok(), "{good:?}");
        }
        assert!(
            Pattern::new("é", "iu").is_ok(),
            "unicode mode folds like JavaScript"
        );
    }

    /// The translated `regex` crate pattern must answer exactly like the ECMAScript engine.
    #[test]
    fn translation_agrees_with_the_ecmascript_engine() {
        let patterns = [
            r"^((?![<>]).)*$",
            r"^[0-9a-zA-Z_-]+$",
            r"^(.+)@(.+)$",
            r"^[0-9a-f]{32}$",
            r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$",
            r"^[aA][pP][pP][lL][iI][cC][aA][tT][iI][oO][nN]/[jJ][sS][oO][nN]\s*(;.*)?$",
            r"^[A-Z]{3}$",
            r"\d+\.\w*\S",
            r"^x-",
            r"a|b+c?",
            r"[\s\-\]\\]",
            r"^\u00e9\u{1F600}?\x41$",
            r"[^a-c]",
            r"(?:ab){2,3}",
            r"^$",
        ];
        let texts = [
            "",
            "a",
            "b",
            "abc",
            "ABC",
            "USA",
            "x-y",
            "a\nb",
            "a\rb",
            "a\u{2028}b",
            "<",
            "a>b",
            "csta-6TqoA6HtSItCANO1KT0W7u",
            "aa@aa.aa",
            "@",
            "3eb38da0b79811ed877e9cb46042ed12",
            "2022-10-07T17:18:56.424Z",
            "application/json; charset=utf-8",
            "application/json\u{a0}",
            "12.ab ",
            "١٢.x",
            "é",
            "é😀A",
            "éA",
            "abab",
            "ababab",
            "\\",
            "]",
            "-",
            " ",
            "\u{feff}",
        ];
        for p in patterns {
            let pattern = Pattern::new(p, "u").expect("valid pattern");
            let fast = pattern
                .fast
                .as_ref()
                .unwrap_or_else(|| panic!("{p} should be translated"));
            for t in texts {
                assert_eq!(
                    fast.is_match(t),
                    pattern.regex.find(t).is_some(),
                    "pattern {p:?} on {t:?}"
                );
            }
        }
    }
}
