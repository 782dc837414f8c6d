//! Equality as Ajv decides it for `const`, `enum` and `uniqueItems` (the `fast-deep-equal`
//! package): numbers compare as doubles (`1` equals `1.0`, `-0` equals `0`), objects ignore
//! key order.

use serde_json::Value;

use super::js_number::to_f64;

/// `fast-deep-equal(a, b)` on parsed JSON.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => to_f64(x) == to_f64(y),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::equal;

    #[test]
    fn numbers_are_doubles_and_key_order_is_ignored() {
        assert!(equal(&json!(1), &json!(1.0)));
        assert!(equal(&json!(-0.0), &json!(0)));
        assert!(equal(
            &json!({"a": 1, "b": [2]}),
            &json!({"b": [2.0], "a": 1})
        ));
        assert!(!equal(&json!("1"), &json!(1)));
        assert!(!equal(&json!({"a": null}), &json!({})));
    }
}
