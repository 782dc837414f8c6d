//! Checks an answer against the spec: which schema applies to which answer, and how Ajv's
//! errors become deviations.
//!
//! * 2xx from `/auth/get-token` → `auth-token.response.schema.json`;
//! * 2xx from anything else (the `/customer/kyc/*` endpoints) → `kyc-init.response.schema.json`;
//! * 4xx and 5xx → `error.schema.json`, narrowed to the branch its `code` names so the
//!   errors are about that branch rather than about every alternative of its `oneOf`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use kyc_spec::Document;
use kyc_spec::ajv::{AjvError, Mode, Validator};
use serde_json::{Value, json};

use super::deviation::{Deviation, Kind, Severity};

/// Error-body `code` → the `$defs` entry of `error.schema.json` describing it.
const ERROR_BRANCHES: [(&str, &str); 8] = [
    ("requestValidateError", "RequestValidateError"),
    ("customerNotFound", "CustomerNotFound"),
    ("documentNotFound", "DocumentNotFound"),
    ("unauthorized", "Unauthorized"),
    ("invalidBody", "InvalidBody"),
    ("payloadTooLarge", "PayloadTooLarge"),
    ("unsupportedMediaType", "UnsupportedMediaType"),
    ("notFound", "NotFound"),
];

/// Validates `body` (the answer to `request_path` with `status`) and returns the deviations.
/// An answer no schema covers (1xx, 3xx) yields none.
pub fn check(request_path: &str, status: u16, body: &Value) -> Vec<Deviation> {
    let validator = match validator_for(request_path, status, body) {
        Choice::None => return Vec::new(),
        Choice::UnknownErrorCode => return vec![unknown_error_code(body)],
        Choice::Schema(v) => v,
    };
    match validator.validate(body, Mode::AllErrors) {
        Ok(()) => Vec::new(),
        Err(errors) => to_deviations(&errors, body),
    }
}

/// Which schema applies to an answer.
enum Choice {
    /// No schema covers the status.
    None,
    /// An error body whose `code` names no branch of the error schema.
    UnknownErrorCode,
    /// This one.
    Schema(&'static Validator),
}

fn validator_for(request_path: &str, status: u16, body: &Value) -> Choice {
    let route = request_path.split('?').next().unwrap_or(request_path);
    match status {
        200..=299 if route == "/auth/get-token" => {
            Choice::Schema(document(Document::AuthTokenResponse))
        }
        200..=299 => Choice::Schema(document(Document::Response)),
        400..=599 => {
            let code = body.get("code").and_then(Value::as_str);
            match ERROR_BRANCHES.iter().find(|(c, _)| Some(*c) == code) {
                Some((_, def)) => {
                    Choice::Schema(error_branch(def).unwrap_or_else(|| document(Document::Error)))
                }
                None => Choice::UnknownErrorCode,
            }
        }
        _ => Choice::None,
    }
}

/// One deviation for an error body outside every branch, instead of Ajv's errors for each of
/// the eight branches it fails.
fn unknown_error_code(body: &Value) -> Deviation {
    let codes: Vec<Value> = ERROR_BRANCHES.iter().map(|(c, _)| json!(c)).collect();
    let (path, actual) = match body.get("code") {
        Some(code) => ("/code".to_string(), code.clone()),
        None => (String::new(), Value::Null),
    };
    Deviation {
        kind: Kind::SchemaViolation,
        path,
        severity: Severity::Breaking,
        expected: json!({ "allowedValues": codes }),
        actual,
        message: "the error code is none of those error.schema.json lists (#/oneOf)".into(),
    }
}

fn others(except: Option<Document>) -> Vec<Value> {
    Document::ALL
        .into_iter()
        .filter(|d| Some(*d) != except)
        .map(Document::json)
        .collect()
}

fn document(doc: Document) -> &'static Validator {
    static CACHE: OnceLock<BTreeMap<Document, Validator>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        [
            Document::Response,
            Document::AuthTokenResponse,
            Document::Error,
        ]
        .into_iter()
        .map(|d| {
            let v = Validator::new(&d.json(), &others(Some(d)))
                .unwrap_or_else(|e| panic!("embedded {} compiles: {e}", d.file_name()));
            (d, v)
        })
        .collect()
    });
    &all[&doc]
}

/// A validator for one branch of the error schema's `oneOf`. `None` if the validator cannot
/// take a bare cross-document `$ref` as its root; the caller then uses the whole document.
fn error_branch(def: &str) -> Option<&'static Validator> {
    static CACHE: OnceLock<BTreeMap<&'static str, Validator>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        ERROR_BRANCHES
            .iter()
            .filter_map(|(_, d)| {
                let root = json!({ "$ref": format!("{}#/$defs/{d}", Document::Error.id()) });
                Validator::new(&root, &others(None)).ok().map(|v| (*d, v))
            })
            .collect()
    });
    all.get(def)
}

/// Ajv errors as deviations: `enum` failures are unknown enum values (additive), everything
/// else a schema violation (breaking). Duplicates (same place, same keyword) are dropped.
fn to_deviations(errors: &[AjvError], body: &Value) -> Vec<Deviation> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for e in errors {
        if !seen.insert((e.instance_path.clone(), e.keyword, e.schema_path.clone())) {
            continue;
        }
        let at = body
            .pointer(&e.instance_path)
            .cloned()
            .unwrap_or(Value::Null);
        let shown = if at.is_object() || at.is_array() {
            Value::Null
        } else {
            at
        };
        out.push(if e.keyword == "enum" {
            Deviation {
                kind: Kind::UnknownEnumValue,
                path: e.instance_path.clone(),
                severity: Severity::Additive,
                expected: e
                    .params
                    .get("allowedValues")
                    .cloned()
                    .unwrap_or(Value::Null),
                actual: shown,
                message: format!("value not in the spec's enum ({})", e.schema_path),
            }
        } else {
            Deviation {
                kind: Kind::SchemaViolation,
                path: e.instance_path.clone(),
                severity: Severity::Breaking,
                expected: Value::Object((*e.params).clone()),
                actual: shown,
                message: format!("{} ({})", e.message, e.schema_path),
            }
        });
    }
    out
}

/// The values the spec's `enum` allows at `path` in an answer to `request_path` with
/// `status`, found by following `properties`, `items` and `$ref` through the embedded
/// schemas. `None` when the spec has no enum there (or the path leaves the schema). Unlike
/// the validator, this also works where the recording, not the spec, is what disagrees.
pub fn enum_at(request_path: &str, status: u16, path: &[String]) -> Option<&'static [Value]> {
    let route = request_path.split('?').next().unwrap_or(request_path);
    let doc = match status {
        200..=299 if route == "/auth/get-token" => Document::AuthTokenResponse,
        200..=299 => Document::Response,
        _ => return None,
    };
    let (mut doc, mut schema) = resolve(doc, parsed(doc))?;
    for segment in path {
        let next = match schema.get("properties").and_then(|p| p.get(segment)) {
            Some(s) => s,
            None if segment.parse::<usize>().is_ok() => schema.get("items")?,
            None => return None,
        };
        (doc, schema) = resolve(doc, next)?;
    }
    let _ = doc;
    schema
        .get("enum")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
}

/// The embedded documents, parsed once.
fn parsed(doc: Document) -> &'static Value {
    static CACHE: OnceLock<BTreeMap<Document, Value>> = OnceLock::new();
    &CACHE.get_or_init(|| Document::ALL.into_iter().map(|d| (d, d.json())).collect())[&doc]
}

/// Follows `$ref`s (to this or another embedded document) until a schema without one.
fn resolve(mut doc: Document, mut schema: &'static Value) -> Option<(Document, &'static Value)> {
    // The schemas hold no reference cycles at the points an answer can reach; the bound
    // only guards against a future edit adding one.
    for _ in 0..16 {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return Some((doc, schema));
        };
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if !file.is_empty() {
            doc = Document::from_name(file)?;
        }
        schema = parsed(doc).pointer(fragment)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<String> {
        crate::runner::pointer::split(p)
    }

    #[test]
    fn enums_are_found_through_refs_and_arrays() {
        let status = enum_at("/customer/kyc/init", 200, &path("/data/kyc/status")).unwrap();
        assert!(status.contains(&json!("DECLINED")));
        let doc_type = enum_at(
            "/customer/kyc/init",
            200,
            &path("/data/kycDocumentList/3/type"),
        )
        .unwrap();
        assert!(doc_type.contains(&json!("ID_CARD")));
        let codes = enum_at(
            "/customer/kyc/init",
            200,
            &path("/data/kyc/attributeCodes/0"),
        )
        .unwrap();
        assert_eq!(codes, [json!("cardAttributes")]);
    }

    #[test]
    fn no_enum_where_the_spec_has_none() {
        assert!(enum_at("/customer/kyc/init", 200, &path("/data/kyc/system")).is_none());
        assert!(enum_at("/customer/kyc/init", 200, &path("/data/nothing/here")).is_none());
        assert!(enum_at("/customer/kyc/init", 400, &path("/code")).is_none());
        assert!(enum_at("/auth/get-token", 200, &path("/data/token")).is_none());
    }

    #[test]
    fn error_bodies_are_checked_against_the_branch_their_code_names() {
        let ok = json!({"requestId": "28f3c700b85111ed94b4966a132cde12", "code": "customerNotFound",
                        "context": {"customerId": "csta_x"}, "message": "Customer not found."});
        assert_eq!(check("/customer/kyc/init", 400, &ok), vec![]);
        let mut bad = ok.clone();
        bad.as_object_mut().unwrap().shift_remove("message");
        let found = check("/customer/kyc/init", 400, &bad);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].kind, Kind::SchemaViolation);
        assert_eq!(found[0].expected, json!({"missingProperty": "message"}));
    }

    #[test]
    fn unknown_enum_values_from_the_validator_are_additive() {
        let mut body: Value =
            serde_json::from_str(include_str!("../../cassettes/init-status-pending.json")).unwrap();
        let mut answer = body["response"]["body"].take();
        answer["data"]["customer"]["customerId"] = json!("csta_x");
        answer["data"]["kyc"]["status"] = json!("ON_HOLD");
        let found = check("/customer/kyc/init", 200, &answer);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            (found[0].kind, found[0].severity),
            (Kind::UnknownEnumValue, Severity::Additive)
        );
        assert_eq!(found[0].path, "/data/kyc/status");
    }
}
