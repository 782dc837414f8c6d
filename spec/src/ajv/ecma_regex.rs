//! Patterns with JavaScript semantics. Ajv compiles `pattern` and `patternProperties` with
//! `new RegExp(source, "u")` and calls `.test` (a search, not a full match). `regress` is an
//! ECMAScript regex engine, so `.` (which excludes `\n`, `\r`, U+2028 and U+2029), `\d`, `\w`,
//! lookahead and the `u`-mode escape rules all behave as in V8 without any translation.

use std::fmt;

use super::regex_translation;

/// A compiled ECMAScript regular expression and its source text.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: regress::Regex,
    /// The same pattern for the `regex` crate, when [`regex_translation`] can express it.
    fast: Option<regex::Regex>,
}

impl Pattern {
    /// Compiles `source` with the given ECMAScript flags (`"u"` for schema patterns).
    pub fn new(source: &str, flags: &str) -> Result<Pattern, String> {
        regress::Regex::with_flags(source, flags)
            .map(|regex| Pattern {
                source: source.to_owned(),
                regex,
                fast: (flags == "u")
                    .then(|| regex_translation::to_rust(source))
                    .flatten()
                    .and_then(|translated| regex::Regex::new(&translated).ok()),
            })
            .map_err(|e| format!("not an ECMAScript regular expression with flags {flags:?}: {e}"))
    }

    /// `RegExp.prototype.test`: true when the pattern matches anywhere in `text`.
    pub fn test(&self, text: &str) -> bool {
        match &self.fast {
            Some(fast) => fast.is_match(text),
            None => self.regex.find(text).is_some(),
        }
    }

    /// `RegExp.prototype.exec`: the first match with its capture groups.
    pub fn exec(&self, text: &str) -> Option<regress::Match> {
        self.regex.find(text)
    }
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
