//! Checks an answer against the spec. Which document describes an answer is the contract's
//! answer ([`Contract::response_document`]): the operation's success document for its
//! statuses, and for any 4xx or 5xx the error document narrowed to the branch its `code`
//! names, so the errors are about that branch rather than about every alternative of its
//! `oneOf`. The validators are the contract's and `Validator::embedded`'s: one cache.

use kyc_spec::Contract;
use kyc_spec::ajv::{AjvError, Mode, Validator};
use kyc_spec::fields::Node;
use serde_json::{Value, json};

use super::deviation::{Deviation, Kind, Severity};

/// Validates `body` (the answer with `status` to `method request_path`) and returns the
/// deviations. An answer no document covers (1xx, 3xx, a success of an unknown route) yields
/// none.
pub fn check(method: &str, request_path: &str, status: u16, body: &Value) -> Vec<Deviation> {
    let contract = Contract::embedded();
    let Some(doc) = contract.response_document(method, request_path, status) else {
        return Vec::new();
    };
    let validator = if doc == contract.error_document() {
        let code = body.get("code").and_then(Value::as_str);
        match code.and_then(|c| contract.error_code(c)) {
            Some(code) => code.validator(),
            None => return vec![unknown_error_code(contract, body)],
        }
    } else {
        Validator::embedded(doc)
    };
    match validator.validate(body, Mode::AllErrors) {
        Ok(()) => Vec::new(),
        Err(errors) => to_deviations(&errors, body),
    }
}

/// One deviation for an error body outside every branch, instead of Ajv's errors for each of
/// the branches it fails.
fn unknown_error_code(contract: &Contract, body: &Value) -> Deviation {
    let codes: Vec<Value> = contract
        .error_codes()
        .iter()
        .map(|c| json!(c.code))
        .collect();
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
        message: format!(
            "the error code is none of those {} lists (#/oneOf)",
            contract.error_document().file_name()
        ),
        step: None,
        mark: Default::default(),
    }
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
                step: None,
                mark: Default::default(),
            }
        } else {
            Deviation {
                kind: Kind::SchemaViolation,
                path: e.instance_path.clone(),
                severity: Severity::Breaking,
                expected: Value::Object((*e.params).clone()),
                actual: shown,
                message: format!("{} ({})", e.message, e.schema_path),
                step: None,
                mark: Default::default(),
            }
        });
    }
    out
}

/// The values the spec's `enum` allows at `path` in the answer with `status` to `method
/// request_path`, found by following `properties`, `items` and `$ref` through the embedded
/// schemas. `None` when the spec has no enum there (or the path leaves the schema). Unlike
/// the validator, this also works where the recording, not the spec, is what disagrees.
pub fn enum_at(
    method: &str,
    request_path: &str,
    status: u16,
    path: &[String],
) -> Option<&'static [Value]> {
    if !(200..300).contains(&status) {
        return None;
    }
    let doc = Contract::embedded().response_document(method, request_path, status)?;
    let mut node = Node::root(doc).resolved()?;
    for segment in path {
        let next = match node.schema.get("properties").and_then(|p| p.get(segment)) {
            Some(s) => s,
            None if segment.parse::<usize>().is_ok() => node.schema.get("items")?,
            None => return None,
        };
        node = Node {
            doc: node.doc,
            schema: next,
        }
        .resolved()?;
    }
    node.schema
        .get("enum")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<String> {
        crate::runner::pointer::split(p)
    }

    #[test]
    fn enums_are_found_through_refs_and_arrays() {
        let status = enum_at("POST", "/customer/kyc/init", 200, &path("/data/kyc/status")).unwrap();
        assert!(status.contains(&json!("DECLINED")));
        let doc_type = enum_at(
            "POST",
            "/customer/kyc/init",
            200,
            &path("/data/kycDocumentList/3/type"),
        )
        .unwrap();
        assert!(doc_type.contains(&json!("ID_CARD")));
        let codes = enum_at(
            "POST",
            "/customer/kyc/init",
            200,
            &path("/data/kyc/attributeCodes/0"),
        )
        .unwrap();
        assert_eq!(codes, [json!("cardAttributes")]);
    }

    #[test]
    fn no_enum_where_the_spec_has_none() {
        assert!(enum_at("POST", "/customer/kyc/init", 200, &path("/data/kyc/system")).is_none());
        assert!(
            enum_at(
                "POST",
                "/customer/kyc/init",
                200,
                &path("/data/nothing/here")
            )
            .is_none()
        );
        assert!(enum_at("POST", "/customer/kyc/init", 400, &path("/code")).is_none());
        assert!(enum_at("POST", "/auth/get-token", 200, &path("/data/token")).is_none());
    }

    #[test]
    fn error_bodies_are_checked_against_the_branch_their_code_names() {
        let ok = json!({"requestId": "28f3c700b85111ed94b4966a132cde12", "code": "customerNotFound",
                        "context": {"customerId": "csta_x"}, "message": "Customer not found."});
        assert_eq!(check("POST", "/customer/kyc/init", 400, &ok), vec![]);
        let mut bad = ok.clone();
        bad.as_object_mut().unwrap().shift_remove("message");
        let found = check("POST", "/customer/kyc/init", 400, &bad);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].kind, Kind::SchemaViolation);
        assert_eq!(found[0].expected, json!({"missingProperty": "message"}));
    }

    #[test]
    fn unknown_enum_values_from_the_validator_are_additive() {
        let mut body: Value =
            serde_json::from_str(include_str!("../../cassettes/declined.json")).unwrap();
        // The init answer of a created customer: a KYC envelope in PENDING.
        let mut answer = body["steps"][1]["response"]["body"].take();
        answer["data"]["customer"]["customerId"] = json!("csta_x");
        answer["data"]["customer"]["reference"] = json!("ref1");
        answer["data"]["customer"]["customer"]["email"] = json!("ada@example.com");
        answer["data"]["kyc"]["status"] = json!("ON_HOLD");
        let found = check("POST", "/customer/kyc/init", 200, &answer);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            (found[0].kind, found[0].severity),
            (Kind::UnknownEnumValue, Severity::Additive)
        );
        assert_eq!(found[0].path, "/data/kyc/status");
    }
}
