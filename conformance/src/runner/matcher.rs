//! Written tolerances: how one place of an answer is compared with its recording.
//!
//! A cassette step's `match` (and the suite's `_defaults.json`) maps JSON pointers, `*` for any
//! one segment, to a matcher. `exact` is what every place gets without one: the structural diff.
//! The others say what a sandbox may choose for itself at that place, so only what the author
//! cares about can fail:
//!
//! | matcher | the answer's value must be |
//! |---|---|
//! | `exact` | equal to the recording, compared member by member |
//! | `type` | of the recorded JSON type (any type when the recording has no value there) |
//! | `{"regex": "…"}` | a string the regular expression finds a match in (Rust `regex` syntax; anchor it) |
//! | `{"oneOf": […]}` | one of the listed values |
//! | `present` | there, whatever its value |
//! | `absent` | not there |
//! | `ignore` | anything, even missing |
//!
//! A matcher decides its place entirely: nothing under it is compared member by member.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Value, json};

use super::deviation::{Kind, Severity};

/// Matchers by pointer, as a step's `match` or the suite's defaults hold them.
pub type Matchers = std::collections::BTreeMap<String, Matcher>;

/// One place's matcher, as written in a cassette.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// The structural diff (the default).
    Exact,
    /// Same JSON type as recorded.
    Type,
    /// A string the expression matches.
    Regex(regex::Regex),
    /// One of a set of values.
    OneOf(Vec<Value>),
    /// There, any value.
    Present,
    /// Not there.
    Absent,
    /// Anything.
    Ignore,
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Matcher) -> bool {
        match (self, other) {
            (Matcher::Regex(a), Matcher::Regex(b)) => a.as_str() == b.as_str(),
            (Matcher::OneOf(a), Matcher::OneOf(b)) => a == b,
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }
}

impl Matcher {
    /// Compiles a regex matcher; the error is the regex crate's, for a message with a pointer.
    pub fn regex(pattern: &str) -> Result<Matcher, regex::Error> {
        regex::Regex::new(pattern).map(Matcher::Regex)
    }

    /// The matcher as written in a cassette.
    pub fn to_json(&self) -> Value {
        match self {
            Matcher::Exact => "exact".into(),
            Matcher::Type => "type".into(),
            Matcher::Present => "present".into(),
            Matcher::Absent => "absent".into(),
            Matcher::Ignore => "ignore".into(),
            Matcher::Regex(r) => json!({ "regex": r.as_str() }),
            Matcher::OneOf(set) => json!({ "oneOf": set }),
        }
    }

    /// Judges the answer's value at a place (`None`: the place is absent) against the
    /// recording's. `Ok(true)` when the two differ but the matcher accepts it (a tolerance worth
    /// showing), `Ok(false)` when they agree.
    pub fn judge(&self, want: Option<&Value>, got: Option<&Value>) -> Result<bool, Miss> {
        let differs = want != got;
        let missing = || Miss {
            kind: Kind::MissingField,
            severity: Severity::Breaking,
            message: format!("nothing here, where the matcher {self} wants a value"),
        };
        match self {
            Matcher::Exact => match differs {
                false => Ok(false),
                true => Err(Miss {
                    kind: Kind::ValueMismatch,
                    severity: Severity::Breaking,
                    message: "value differs from the recording".into(),
                }),
            },
            Matcher::Ignore => Ok(differs),
            Matcher::Absent => match got {
                None => Ok(differs),
                Some(_) => Err(Miss {
                    kind: Kind::UnexpectedField,
                    severity: Severity::Breaking,
                    message: "a value where the matcher absent wants none".into(),
                }),
            },
            Matcher::Present => got.map(|_| differs).ok_or_else(missing),
            Matcher::Type => {
                let got = got.ok_or_else(missing)?;
                match want {
                    Some(w) if type_name(w) != type_name(got) => Err(Miss {
                        kind: Kind::TypeMismatch,
                        severity: Severity::Breaking,
                        message: format!("{} where {} was recorded", type_name(got), type_name(w)),
                    }),
                    _ => Ok(differs),
                }
            }
            Matcher::Regex(re) => match got.ok_or_else(missing)? {
                Value::String(s) if re.is_match(s) => Ok(differs),
                Value::String(_) => Err(Miss {
                    kind: Kind::ValueMismatch,
                    severity: Severity::Breaking,
                    message: format!("does not match {self}"),
                }),
                other => Err(Miss {
                    kind: Kind::TypeMismatch,
                    severity: Severity::Breaking,
                    message: format!("{} where {self} wants a string", type_name(other)),
                }),
            },
            Matcher::OneOf(set) => {
                let got = got.ok_or_else(missing)?;
                if set.contains(got) {
                    Ok(differs)
                } else {
                    Err(Miss {
                        kind: Kind::ValueMismatch,
                        severity: Severity::Breaking,
                        message: format!("not {self}"),
                    })
                }
            }
        }
    }
}

/// Why a value fails its matcher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    /// The deviation kind it is reported as.
    pub kind: Kind,
    /// Its severity.
    pub severity: Severity,
    /// One line for people, naming the matcher.
    pub message: String,
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Matcher::Exact => f.write_str("exact"),
            Matcher::Type => f.write_str("type"),
            Matcher::Present => f.write_str("present"),
            Matcher::Absent => f.write_str("absent"),
            Matcher::Ignore => f.write_str("ignore"),
            Matcher::Regex(r) => write!(f, "regex {}", Value::from(r.as_str())),
            Matcher::OneOf(set) => write!(f, "oneOf {}", Value::Array(set.clone())),
        }
    }
}

impl Serialize for Matcher {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Matcher {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Matcher, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Matcher::from_json(&value).map_err(D::Error::custom)
    }
}

impl Matcher {
    /// Reads a matcher as written in a cassette; the error says what is wrong with it.
    pub fn from_json(value: &Value) -> Result<Matcher, String> {
        match value {
            Value::String(s) => match s.as_str() {
                "exact" => Ok(Matcher::Exact),
                "type" => Ok(Matcher::Type),
                "present" => Ok(Matcher::Present),
                "absent" => Ok(Matcher::Absent),
                "ignore" => Ok(Matcher::Ignore),
                other => Err(format!(
                    "unknown matcher {other:?}: one of exact, type, present, absent, ignore, {{\"regex\": …}}, {{\"oneOf\": […]}}"
                )),
            },
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((k, Value::String(p))) if k == "regex" => {
                    // The regex crate draws a caret under the error over three lines;
                    // one line reads better after a file and pointer.
                    Matcher::regex(p).map_err(|e| {
                        let text = e.to_string();
                        let lines: Vec<&str> = text.lines().map(str::trim).collect();
                        format!("invalid regex: {}", lines.join(" "))
                    })
                }
                Some((k, Value::Array(set))) if k == "oneOf" && !set.is_empty() => {
                    Ok(Matcher::OneOf(set.clone()))
                }
                _ => Err(
                    "a matcher object is {\"regex\": \"…\"} or {\"oneOf\": [at least one value]}"
                        .into(),
                ),
            },
            _ => Err("a matcher is a name or {\"regex\": …} / {\"oneOf\": […]}".into()),
        }
    }
}

/// The JSON type name of a value, as reports spell it.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(v: Value) -> Matcher {
        Matcher::from_json(&v).unwrap()
    }

    #[test]
    fn each_matcher_accepts_what_it_says_and_refuses_the_rest() {
        let a = json!("a");
        let b = json!("b");
        let one = json!(1);
        // exact
        assert_eq!(m(json!("exact")).judge(Some(&a), Some(&a)), Ok(false));
        assert!(m(json!("exact")).judge(Some(&a), Some(&b)).is_err());
        // type
        assert_eq!(m(json!("type")).judge(Some(&a), Some(&b)), Ok(true));
        assert_eq!(
            m(json!("type"))
                .judge(Some(&a), Some(&one))
                .unwrap_err()
                .kind,
            Kind::TypeMismatch
        );
        assert_eq!(m(json!("type")).judge(None, Some(&one)), Ok(true));
        // regex
        let re = m(json!({"regex": "^[a-z]$"}));
        assert_eq!(re.judge(Some(&a), Some(&b)), Ok(true));
        assert_eq!(
            re.judge(Some(&a), Some(&json!("ab"))).unwrap_err().kind,
            Kind::ValueMismatch
        );
        assert_eq!(
            re.judge(Some(&a), Some(&one)).unwrap_err().kind,
            Kind::TypeMismatch
        );
        // oneOf
        let set = m(json!({"oneOf": ["a", "b"]}));
        assert_eq!(set.judge(Some(&a), Some(&b)), Ok(true));
        assert!(set.judge(Some(&a), Some(&json!("c"))).is_err());
        // present, absent, ignore
        assert_eq!(m(json!("present")).judge(Some(&a), Some(&one)), Ok(true));
        assert_eq!(
            m(json!("present")).judge(Some(&a), None).unwrap_err().kind,
            Kind::MissingField
        );
        assert_eq!(m(json!("absent")).judge(Some(&a), None), Ok(true));
        let extra = m(json!("absent")).judge(None, Some(&a)).unwrap_err();
        assert_eq!(
            (extra.kind, extra.severity),
            (Kind::UnexpectedField, Severity::Breaking)
        );
        assert_eq!(m(json!("ignore")).judge(Some(&a), None), Ok(true));
        assert_eq!(m(json!("ignore")).judge(None, Some(&a)), Ok(true));
    }

    #[test]
    fn bad_matchers_say_what_is_wrong() {
        for (bad, why) in [
            (json!("fuzzy"), "unknown matcher"),
            (json!({"regex": "("}), "invalid regex"),
            (json!({"oneOf": []}), "at least one"),
            (json!(3), "a matcher is"),
        ] {
            let err = Matcher::from_json(&bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
        for good in [
            json!("ignore"),
            json!({"regex": "^x$"}),
            json!({"oneOf": [1]}),
        ] {
            assert_eq!(m(good.clone()).to_json(), good);
        }
    }
}
