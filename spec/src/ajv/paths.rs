//! The two path syntaxes in an Ajv error: `instancePath` is a plain JSON Pointer
//! (`~` → `~0`, `/` → `~1`), `schemaPath` is a URI fragment whose segments taken from schema
//! property names are also `encodeURIComponent`-escaped.

use std::fmt::Write as _;

/// Appends `/segment` to a JSON Pointer.
pub fn push_pointer_segment(path: &mut String, segment: &str) {
    crate::pointer::push(path, segment);
}

/// Ajv's `escapeFragment`: `encodeURIComponent(escapeJsonPointer(segment))`.
pub fn fragment_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for c in crate::pointer::escape(segment).chars() {
        match c {
            // encodeURIComponent's unreserved characters.
            'A'..='Z'
            | 'a'..='z'
            | '0'..='9'
            | '-'
            | '_'
            | '.'
            | '!'
            | '~'
            | '*'
            | '\''
            | '('
            | ')' => {
                out.push(c);
            }
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    out
}

/// Decodes a URI fragment holding a JSON Pointer into its unescaped segments
/// (`None` when the fragment is not a pointer or not valid percent-encoded UTF-8).
pub fn decode_fragment_pointer(fragment: &str) -> Option<Vec<String>> {
    let bytes = fragment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = fragment.get(i + 1..i + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let pointer = String::from_utf8(decoded).ok()?;
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|s| crate::pointer::unescape(s).into_owned())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_ajv() {
        let mut p = String::new();
        push_pointer_segment(&mut p, "a b/c~d");
        assert_eq!(p, "/a b~1c~0d");
        assert_eq!(fragment_segment("a b/c~d"), "a%20b~1c~0d");
        assert_eq!(fragment_segment("é$"), "%C3%A9%24");
        assert_eq!(
            decode_fragment_pointer("/$defs/a%20b~1c"),
            Some(vec!["$defs".to_owned(), "a b/c".to_owned()])
        );
    }
}
