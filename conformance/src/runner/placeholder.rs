//! `{{name}}` placeholders in cassettes, filled at replay time.
//!
//! Values come from the cassette's `variables` and from the target (`token`). A placeholder
//! without a value is an error naming where it sits, so a cassette never goes out half-filled.

use std::collections::BTreeMap;

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
        if !text.contains("{{") {
            return Ok(text.to_string());
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start + 2..].find("}}") else {
                break;
            };
            let name = rest[start + 2..start + 2 + len].trim();
            out.push_str(&rest[..start]);
            let value = self.map.get(name).ok_or_else(|| Unfilled {
                name: name.to_string(),
                pointer: pointer.to_string(),
            })?;
            out.push_str(value);
            rest = &rest[start + 2 + len + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Fills every string (values, not keys) inside a JSON value.
    pub fn fill_json(&self, value: &Value, pointer: &str) -> Result<Value, Unfilled> {
        Ok(match value {
            Value::String(s) => Value::String(self.fill_str(s, pointer)?),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.fill_json(v, &format!("{pointer}/{i}")))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let at = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                        Ok((k.clone(), self.fill_json(v, &at)?))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            other => other.clone(),
        })
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
    }
}
