//! JSON Pointers (RFC 6901): the one implementation of their escaping, used by the validator's
//! `instancePath`, the OpenAPI translation, the contract's error messages and every tool
//! that names a place in a body.

use std::borrow::Cow;

/// One reference token escaped: `~` → `~0`, `/` → `~1`.
pub fn escape(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        let mut out = String::with_capacity(segment.len() + 2);
        push_escaped(&mut out, segment);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(segment)
    }
}

/// Appends `/segment` (escaped) to a pointer.
pub fn push(pointer: &mut String, segment: &str) {
    pointer.push('/');
    push_escaped(pointer, segment);
}

fn push_escaped(out: &mut String, segment: &str) {
    if !segment.contains(['~', '/']) {
        out.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// One reference token unescaped (`~1` before `~0`, as the RFC orders it).
pub fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// The unescaped segments of a pointer; `""` is the root (no segments). A text that does not
/// start with `/` is read as if it did, so a sloppy `a/b` still names `/a/b`.
pub fn split(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .map(|s| unescape(s).into_owned())
        .collect()
}

/// A pointer from unescaped segments.
pub fn join<S: AsRef<str>>(segments: &[S]) -> String {
    let mut out = String::new();
    for s in segments {
        push(&mut out, s.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips_and_orders_the_two_escapes_as_the_rfc_says() {
        let segments = ["a/b", "c~d", "~1", "", "plain"];
        let pointer = join(&segments);
        assert_eq!(pointer, "/a~1b/c~0d/~01//plain");
        assert_eq!(split(&pointer), segments);
        // `~01` is `~1` literally, not `/`.
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(escape("x"), Cow::Borrowed("x"));
        assert!(split("").is_empty());
        assert_eq!(split("/"), [""]);
    }
}
