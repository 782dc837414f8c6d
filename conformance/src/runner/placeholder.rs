//! `{{name}}` placeholders in cassettes, filled at replay time.
//!
//! Values come from the cassette's `variables` and from the target (`token`). A placeholder
//! without a value is an error naming where it sits, so a cassette never goes out half-filled.

use std::collections::BTreeMap;

use kyc_spec::pointer;
use serde_json::Value;

/// A placeholder that has no value.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("no value for placeholder {{{{{name}}}}} at {pointer}")]
pub struct Unfilled {
    /// The placeholder's name.
    pub name: String,
    /// Where it sits in the cassette.
    pub pointer: String,
}

/// The names of the placeholders in `text`, in order (`{{ name }}` reads as `name`).
pub fn names(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find("{{")?;
        let len = rest[start + 2..].find("}}")?;
        let name = rest[start + 2..start + 2 + len].trim();
        rest = &rest[start + 2 + len + 2..];
        Some(name)
    })
}

/// Placeholder values for one replay.
#[derive(Clone, Debug, Default)]
pub struct Values<'a> {
    map: BTreeMap<&'a str, &'a str>,
}

impl<'a> Values<'a> {
    /// Adds (or overrides) a value.
    pub fn set(&mut self, name: &'a str, value: &'a str) {
        self.map.insert(name, value);
    }

    /// Fills every placeholder in one string; `pointer` locates it for errors.
    pub fn fill_str(&self, text: &str, pointer: &str) -> Result<String, Unfilled> {
        match self.fill(text) {
            Ok(filled) => Ok(filled.unwrap_or_else(|| text.to_string())),
            Err(name) => Err(Unfilled {
                name,
                pointer: pointer.to_string(),
            }),
        }
    }

    /// Fills every string (values, not keys) inside a JSON value; `pointer` locates the value
    /// for errors.
    pub fn fill_json(&self, value: &Value, pointer: &str) -> Result<Value, Unfilled> {
        let mut out = value.clone();
        self.fill_in_place(&mut out).map_err(|(name, mut rev)| {
            rev.reverse();
            Unfilled {
                name,
                pointer: format!("{pointer}{}", rev.concat()),
            }
        })?;
        Ok(out)
    }

    /// The filled text, `None` when there is nothing to fill, or the unknown name.
    fn fill(&self, text: &str) -> Result<Option<String>, String> {
        if !text.contains("{{") {
            return Ok(None);
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start + 2..].find("}}") else {
                break;
            };
            let name = rest[start + 2..start + 2 + len].trim();
            out.push_str(&rest[..start]);
            out.push_str(self.map.get(name).ok_or_else(|| name.to_string())?);
            rest = &rest[start + 2 + len + 2..];
        }
        out.push_str(rest);
        Ok(Some(out))
    }

    /// Fills strings in place. On failure: the name and the path's segments, innermost first
    /// (built only on the way out, so a successful fill allocates no pointers).
    fn fill_in_place(&self, value: &mut Value) -> Result<(), (String, Vec<String>)> {
        match value {
            Value::String(s) => {
                if let Some(filled) = self.fill(s).map_err(|name| (name, Vec::new()))? {
                    *s = filled;
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    self.fill_in_place(v).map_err(|(n, mut rev)| {
                        rev.push(format!("/{i}"));
                        (n, rev)
                    })?;
                }
            }
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    self.fill_in_place(v).map_err(|(n, mut rev)| {
                        rev.push(format!("/{}", pointer::escape(k)));
                        (n, rev)
                    })?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fills_known_and_reports_unknown_with_location() {
        let mut values = Values::default();
        values.set("customerId", "csta_1");
        let filled = values
            .fill_json(
                &json!({"customerId": "{{customerId}}", "n": 1}),
                "/request/body",
            )
            .unwrap();
        assert_eq!(filled, json!({"customerId": "csta_1", "n": 1}));
        assert_eq!(
            values.fill_str("a {{ nope }} b", "/request/path"),
            Err(Unfilled {
                name: "nope".into(),
                pointer: "/request/path".into()
            })
        );
        assert_eq!(values.fill_str("{{unclosed", "").unwrap(), "{{unclosed");
        let err = values
            .fill_json(&json!({"a": [1, {"b/c": "{{x}}"}]}), "/response/body")
            .unwrap_err();
        assert_eq!(err.pointer, "/response/body/a/1/b~1c");
    }
}
