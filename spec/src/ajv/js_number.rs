//! JavaScript's `Number#toString`, which Ajv's messages and `JSON.stringify` use for every
//! number: `1.0` prints `1`, `1e21` prints `1e+21`, `-0` prints `0`.

use serde_json::{Number, Value};

/// Formats `x` exactly as JavaScript's `String(x)` does (ECMA-262 `Number::toString`).
pub fn format(x: f64) -> String {
    if x == 0.0 {
        return "0".to_owned();
    }
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    // Rust's `{:e}` prints the shortest digits that round-trip, which is the digit string
    // ECMA-262 asks for; only the layout around the digits differs.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci
        .split_once('e')
        .expect("`{:e}` always prints an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exponent: i32 = exponent.parse().expect("`{:e}` prints an integer exponent");
    let k = i32::try_from(digits.len()).expect("an f64 has at most 17 significant digits");
    let n = exponent + 1;
    let mut out = String::with_capacity(24);
    if x < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

/// The value JavaScript holds for a JSON number: every number is a double.
pub fn to_f64(n: &Number) -> f64 {
    // `as_f64` never fails without `arbitrary_precision`; integers beyond 2^53 round to the
    // nearest double exactly as `JSON.parse` does.
    n.as_f64().unwrap_or(f64::NAN)
}

/// A copy of `value` whose numbers serde prints the way JavaScript does wherever that is
/// possible: integral doubles become integers (`1.0` → `1`), so serializing an [`AjvError`]
/// with serde gives Ajv's bytes for every number our schemas contain. Only [`crate::ajv::render_line`]
/// is exact for huge or tiny doubles (`1e+21`).
///
/// [`AjvError`]: crate::ajv::AjvError
pub fn normalize(value: &Value) -> Value {
    match value {
        Value::Number(n) => {
            let x = to_f64(n);
            const EXACT: f64 = 9_007_199_254_740_992.0;
            if x.fract() == 0.0 && x.abs() <= EXACT {
                // Exact: |x| ≤ 2^53 and integral.
                #[allow(clippy::cast_possible_truncation)]
                let i = x as i64;
                Value::Number(Number::from(i))
            } else {
                Number::from_f64(x).map_or(Value::Null, Value::Number)
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn matches_javascript() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1"),
            (-0.0, "0"),
            (0.5, "0.5"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123_456_789.125, "123456789.125"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (0.000_001, "0.000001"),
            (0.000_001_5, "0.0000015"),
            (-2.5e30, "-2.5e+30"),
            (0.1 + 0.2, "0.30000000000000004"),
            (9_007_199_254_740_993.0, "9007199254740992"),
            (5e-324, "5e-324"),
            (1.797_693_134_862_315_7e308, "1.7976931348623157e+308"),
        ];
        for (x, js) in cases {
            assert_eq!(format(*x), *js, "formatting {x:?}");
        }
    }
}
