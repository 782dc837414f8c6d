//! What varies between two answers to the same request: the learning `record` writes into a
//! cassette, and what the audit cancels before it compares two answers.
//!
//! A value that changed is matched by presence, a member only one answer has is ignored, and
//! an array whose length changed by type: the loosest rule that still says something.

use serde_json::Value;

use super::compare::DEFAULT_VOLATILE;
use super::matcher::{Matcher, Matchers};
use super::pointer::Pattern;

/// The places where `a` and `b` differ, each with the matcher that tolerates the difference.
pub fn varying(a: &Value, b: &Value) -> Matchers {
    let mut out = Matchers::new();
    walk(a, b, &mut String::new(), &mut out);
    out
}

fn walk(a: &Value, b: &Value, at: &mut String, out: &mut Matchers) {
    let len = at.len();
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, xv) in x {
                at.push('/');
                at.push_str(&kyc_spec::pointer::escape(key));
                match y.get(key) {
                    Some(yv) => walk(xv, yv, at, out),
                    None => {
                        out.insert(at.clone(), Matcher::Ignore);
                    }
                }
                at.truncate(len);
            }
            for key in y.keys().filter(|k| !x.contains_key(*k)) {
                out.insert(
                    format!("{at}/{}", kyc_spec::pointer::escape(key)),
                    Matcher::Ignore,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (xv, yv)) in x.iter().zip(y).enumerate() {
                at.push_str(&format!("/{i}"));
                walk(xv, yv, at, out);
                at.truncate(len);
            }
        }
        (Value::Array(_), Value::Array(_)) => {
            out.insert(at.clone(), Matcher::Type);
        }
        (x, y) if x != y => {
            out.entry(at.clone()).or_insert(Matcher::Present);
        }
        _ => {}
    }
}

/// The places where `a` and `b` differ beyond `noise` (places that differ between two
/// identical requests) and the places volatile in every cassette (request ids, timestamps,
/// generated document ids): what actually tells the two answers apart.
pub fn differences(a: &Value, b: &Value, noise: &Matchers) -> Vec<String> {
    let defaults: Vec<Pattern> = DEFAULT_VOLATILE.iter().map(|p| Pattern::parse(p)).collect();
    varying(a, b)
        .into_keys()
        .filter(|pointer| {
            let segments = kyc_spec::pointer::split(pointer);
            let under = |p: &str| {
                pointer == p
                    || pointer.starts_with(&format!("{p}/"))
                    || p.starts_with(&format!("{pointer}/"))
            };
            !noise.keys().any(|p| under(p))
                && !(0..=segments.len()).any(|n| defaults.iter().any(|d| d.matches(&segments[..n])))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_varies_is_learned_and_cancelled() {
        let a = json!({"requestId": "1", "data": {"id": "x1", "status": "A", "list": [1, 2], "only": 1}});
        let b =
            json!({"requestId": "2", "data": {"id": "x2", "status": "A", "list": [1], "new": 2}});
        let v = varying(&a, &b);
        assert_eq!(v["/requestId"], Matcher::Present);
        assert_eq!(v["/data/id"], Matcher::Present);
        assert_eq!(v["/data/list"], Matcher::Type);
        assert_eq!(v["/data/only"], Matcher::Ignore);
        assert_eq!(v["/data/new"], Matcher::Ignore);
        assert!(!v.contains_key("/data/status"));
        // The request id is volatile everywhere; the id varies between identical requests.
        let noise: Matchers = [("/data/id".to_owned(), Matcher::Present)].into();
        assert_eq!(
            differences(&a, &b, &noise),
            ["/data/list", "/data/new", "/data/only"]
        );
        let c = json!({"requestId": "3", "data": {"id": "x3", "status": "B", "list": [1, 2], "only": 1}});
        assert_eq!(differences(&a, &c, &noise), ["/data/status"]);
    }
}
