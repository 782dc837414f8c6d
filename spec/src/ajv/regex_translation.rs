//! Translation of ECMAScript `u`-mode patterns into the `regex` crate's syntax, for speed:
//! the crate's automata answer "does it match anywhere" much faster than a backtracking
//! engine. Only constructs whose meaning is identical in both engines are translated (for a
//! yes/no answer, captures, greediness and alternation order do not matter); anything else
//! returns `None` and the pattern stays with the ECMAScript engine.
//!
//! One lookahead idiom is translated because connectFi's schemas use it:
//! `(?!CLASS).` (one character that is not in CLASS) is the class's complement minus line
//! terminators, e.g. `^((?![<>]).)*$` → `^([^<>\n\r\x{2028}\x{2029}])*$`.

use super::js_space;

/// What `.` excludes in JavaScript.
const LINE_TERMINATORS: &str = r"\n\r\x{2028}\x{2029}";

/// The equivalent `regex` crate pattern, or `None` when the pattern uses anything whose
/// meaning could differ.
pub fn to_rust(js: &str) -> Option<String> {
    let chars: Vec<char> = js.chars().collect();
    let mut out = String::with_capacity(js.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '^' | '$' | '|' | '*' | '+' | '?' | ')' => {
                out.push(c);
                i += 1;
            }
            '{' => {
                let end = i + chars[i..].iter().position(|&c| c == '}')?;
                let body: String = chars[i + 1..end].iter().collect();
                if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == ',') {
                    return None;
                }
                out.push('{');
                out.push_str(&body);
                out.push('}');
                i = end + 1;
            }
            '(' => match (chars.get(i + 1), chars.get(i + 2)) {
                (Some('?'), Some(':')) => {
                    out.push_str("(?:");
                    i += 3;
                }
                (Some('?'), Some('!')) => {
                    let (members, negated, j) = class_or_char(&chars, i + 3)?;
                    if negated || chars.get(j) != Some(&')') || chars.get(j + 1) != Some(&'.') {
                        return None;
                    }
                    out.push_str(&format!("[^{members}{LINE_TERMINATORS}]"));
                    i = j + 2;
                }
                (Some('?'), _) => return None,
                _ => {
                    out.push('(');
                    i += 1;
                }
            },
            '.' => {
                out.push_str(&format!("[^{LINE_TERMINATORS}]"));
                i += 1;
            }
            '[' => {
                let (members, negated, j) = class(&chars, i)?;
                out.push('[');
                if negated {
                    out.push('^');
                }
                out.push_str(&members);
                out.push(']');
                i = j;
            }
            '\\' => {
                let (atom, j) = escape(&chars, i + 1)?;
                out.push_str(&atom);
                i = j;
            }
            ']' | '}' => return None,
            c => {
                out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
                i += 1;
            }
        }
    }
    Some(out)
}

/// True when `js` reads the same in ECMAScript and in the `jsonschema` crate's own pattern
/// handling, so the crate may compile it natively (needed for `patternProperties`, which the
/// crate must see to decide what is "additional"): literals, anchors, groups, alternation,
/// quantifiers and bracket classes of literals, with `\` only before punctuation. No `.`,
/// no `\d`-style classes, no lookaround, no Unicode escapes.
pub fn is_plain(js: &str) -> bool {
    let mut chars = js.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) if e.is_ascii_punctuation() => {}
                _ => return false,
            },
            '.' => return false,
            '(' if chars.peek() == Some(&'?') => {
                chars.next();
                if chars.next() != Some(':') {
                    return false;
                }
            }
            c if c.is_ascii() && !c.is_ascii_control() => {}
            _ => return false,
        }
    }
    true
}

/// A bracket class or a single literal character at `i`: (class members, negated, next index).
fn class_or_char(chars: &[char], i: usize) -> Option<(String, bool, usize)> {
    match chars.get(i)? {
        '[' => class(chars, i),
        '\\' | '(' | ')' | '.' | '|' | '*' | '+' | '?' | '{' | '}' | ']' | '^' | '$' => None,
        c => Some((class_char(*c), false, i + 1)),
    }
}

fn class_char(c: char) -> String {
    match c {
        '\\' | '[' | ']' | '-' | '^' | '&' | '~' => format!("\\{c}"),
        c => c.to_string(),
    }
}

/// Parses `[...]` starting at `i` (which holds `[`).
fn class(chars: &[char], i: usize) -> Option<(String, bool, usize)> {
    let mut j = i + 1;
    let negated = chars.get(j) == Some(&'^');
    if negated {
        j += 1;
    }
    let mut members = String::new();
    let mut prev_single = false;
    loop {
        let c = *chars.get(j)?;
        match c {
            ']' => {
                if members.is_empty() {
                    // `[]` matches nothing and `[^]` anything: no `regex` spelling needed.
                    return None;
                }
                return Some((members, negated, j + 1));
            }
            '-' if prev_single && chars.get(j + 1).is_some_and(|n| *n != ']') => {
                members.push('-');
                prev_single = false;
                j += 1;
            }
            '\\' => {
                let e = *chars.get(j + 1)?;
                let (member, single) = match e {
                    'd' => ("0-9".to_owned(), false),
                    'w' => ("0-9A-Za-z_".to_owned(), false),
                    's' => (js_space::regex_class_members().to_owned(), false),
                    'b' => (r"\x08".to_owned(), true),
                    'n' => (r"\n".to_owned(), true),
                    'r' => (r"\r".to_owned(), true),
                    't' => (r"\t".to_owned(), true),
                    'f' => (r"\x0C".to_owned(), true),
                    'v' => (r"\x0B".to_owned(), true),
                    'u' | 'x' => {
                        let (cp, next) = hex_escape(chars, j + 1)?;
                        members.push_str(&format!("\\x{{{cp:X}}}"));
                        prev_single = true;
                        j = next;
                        continue;
                    }
                    e if e.is_ascii_punctuation() => (class_char(e), true),
                    _ => return None,
                };
                members.push_str(&member);
                prev_single = single;
                j += 2;
            }
            c => {
                members.push_str(&class_char(c));
                prev_single = true;
                j += 1;
            }
        }
    }
}

/// `\uXXXX`, `\u{X…}` or `\xHH` at `i` (which holds `u` or `x`): (code point, next index).
fn hex_escape(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let (digits, next): (String, usize) = match (chars.get(i)?, chars.get(i + 1)) {
        ('u', Some('{')) => {
            let end = i + 2 + chars[i + 2..].iter().position(|&c| c == '}')?;
            (chars[i + 2..end].iter().collect(), end + 1)
        }
        ('u', _) => (chars.get(i + 1..i + 5)?.iter().collect(), i + 5),
        ('x', _) => (chars.get(i + 1..i + 3)?.iter().collect(), i + 3),
        _ => return None,
    };
    let cp = u32::from_str_radix(&digits, 16).ok()?;
    // Surrogates combine in pairs in `u` mode; leave those to the ECMAScript engine.
    char::from_u32(cp).map(|_| (cp, next))
}

/// An escape outside a class, at `i` (the character after `\`): (Rust atom, next index).
fn escape(chars: &[char], i: usize) -> Option<(String, usize)> {
    let e = *chars.get(i)?;
    let atom = match e {
        'd' => "[0-9]".to_owned(),
        'D' => "[^0-9]".to_owned(),
        'w' => "[0-9A-Za-z_]".to_owned(),
        'W' => "[^0-9A-Za-z_]".to_owned(),
        's' => format!("[{}]", js_space::regex_class_members()),
        'S' => format!("[^{}]", js_space::regex_class_members()),
        'n' => r"\n".to_owned(),
        'r' => r"\r".to_owned(),
        't' => r"\t".to_owned(),
        'f' => r"\x0C".to_owned(),
        'v' => r"\x0B".to_owned(),
        '0' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => r"\x00".to_owned(),
        'u' | 'x' => {
            let (cp, next) = hex_escape(chars, i)?;
            return Some((format!("\\x{{{cp:X}}}"), next));
        }
        e if e.is_ascii_punctuation() => regex::escape(e.encode_utf8(&mut [0; 4])),
        _ => return None,
    };
    Some((atom, i + 1))
}

#[cfg(test)]
mod tests {
    use super::to_rust;

    #[test]
    fn translates_what_our_schemas_use() {
        assert_eq!(
            to_rust("^((?![<>]).)*$").as_deref(),
            Some(r"^([^<>\n\r\x{2028}\x{2029}])*$")
        );
        assert_eq!(
            to_rust("^[0-9a-zA-Z_-]+$").as_deref(),
            Some(r"^[0-9a-zA-Z_\-]+$")
        );
        assert_eq!(
            to_rust("^(.+)@(.+)$").as_deref(),
            Some(r"^([^\n\r\x{2028}\x{2029}]+)@([^\n\r\x{2028}\x{2029}]+)$")
        );
        assert!(super::is_plain("^x-[a-z0-9_]+$"));
        assert!(super::is_plain(r"^(?:a|b)\.c{1,2}$"));
        for not_plain in [".", r"\d", "(?!a)", "é", r"\u0041"] {
            assert!(!super::is_plain(not_plain), "{not_plain}");
        }
        for untranslatable in [
            "\\bword", "(a)\\1", "(?<=a)b", "(?<n>a)", "[^]", "\\p{L}", "\\uD83D",
        ] {
            assert_eq!(to_rust(untranslatable), None, "{untranslatable}");
        }
    }
}
