//! Patterns with JavaScript semantics. Ajv compiles `pattern` and `patternProperties` with
//! `new RegExp(source, "u")` and calls `.test` (a search, not a full match). `regress` is an
//! ECMAScript regex engine, so `.` (which excludes `\n`, `\r`, U+2028 and U+2029), `\d`, `\w`,
//! lookahead and the `u`-mode escape rules all behave as in V8 without any translation.

use std::fmt;

/// A compiled ECMAScript regular expression and its source text.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: regress::Regex,
}

impl Pattern {
    /// Compiles `source` with the given ECMAScript flags (`"u"` for schema patterns).
    pub fn new(source: &str, flags: &str) -> Result<Pattern, String> {
        regress::Regex::with_flags(source, flags)
            .map(|regex| Pattern {
                source: source.to_owned(),
                regex,
            })
            .map_err(|e| format!("not an ECMAScript regular expression with flags {flags:?}: {e}"))
    }

    /// `RegExp.prototype.test`: true when the pattern matches anywhere in `text`.
    pub fn test(&self, text: &str) -> bool {
        self.regex.find(text).is_some()
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
}
