//! `JSON.stringify` for the values Ajv reports: JavaScript number formatting and property
//! order, and the same string escaping (serde_json and `JSON.stringify` agree on every
//! well-formed string: `"`, `\`, control characters as `\n` or lower-case `\u00XX`, nothing else).

use std::fmt::Write as _;

use serde_json::Value;

use super::{js_number, js_order};

/// Appends `value` as `JSON.stringify(value)` would print it.
pub fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&js_number::format(js_number::to_f64(n))),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(out, map),
    }
}

/// `JSON.stringify` of an object: integer-like keys first, as JavaScript orders them.
pub fn write_object(out: &mut String, map: &serde_json::Map<String, Value>) {
    out.push('{');
    for (i, key) in js_order::keys(map).enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, key);
        out.push(':');
        write_value(out, &map[key]);
    }
    out.push('}');
}

/// Appends a JSON string literal.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_json_stringify() {
        let v: Value = serde_json::from_str(
            r#"{"b":[1.0,1e21,-0.0,0.5],"1":"a\"\\\n\u0001\u007f\u2028/é","a":{"2":null,"x":true}}"#,
        )
        .expect("literal JSON");
        let mut out = String::new();
        write_value(&mut out, &v);
        assert_eq!(
            out,
            "{\"1\":\"a\\\"\\\\\\n\\u0001\u{7f}\u{2028}/é\",\"b\":[1,1e+21,0,0.5],\"a\":{\"2\":null,\"x\":true}}"
        );
    }
}
