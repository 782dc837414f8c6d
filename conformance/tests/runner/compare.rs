//! Answer vs recording vs spec, without sockets. Each file in `compare/` describes an answer
//! as edits of the seed cassette's recorded response (`fixtures/seed.json`):
//!
//! ```json
//! {"status": 200, "headers": {"content-type": "text/html"},
//!  "set": {"/data/kyc/status": "REVIEW"}, "remove": ["/data/kyc/system"], "raw": "<html>"}
//! ```
//!
//! Every field is optional; `raw` replaces the body with bytes. The deviation list is
//! snapshotted. Add a case by adding a file and running `cargo insta review`.

use std::time::Duration;

use kyc_conformance::runner::client::{Answer, Secret, Session, SessionConfig};
use kyc_conformance::runner::deviation::{Kind, Severity};
use kyc_conformance::runner::{judge, prepare, redact_result};
use serde_json::Value;

use crate::playback::{TOKEN, seed_cassette};

fn set(body: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match body.pointer_mut(parent).unwrap() {
        Value::Object(m) => {
            m.insert(key.to_string(), value);
        }
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
        _ => panic!("{pointer}: parent is not a container"),
    }
}

fn remove(body: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match body.pointer_mut(parent).unwrap() {
        Value::Object(m) => {
            m.shift_remove(key);
        }
        Value::Array(a) => {
            a.remove(key.parse::<usize>().unwrap());
        }
        _ => panic!("{pointer}: parent is not a container"),
    }
}

fn session() -> Session {
    let mut s =
        Session::new(SessionConfig::new("http://127.0.0.1:9").timeout(Duration::from_secs(1)))
            .unwrap();
    s.set_token(Secret::new(TOKEN));
    s
}

/// Builds the answer a fixture describes and judges it against the seed cassette.
fn check(spec: &Value) -> kyc_conformance::runner::report::CaseResult {
    let cassette = seed_cassette("seed");
    let session = session();
    let prepared = prepare(&cassette, &session).unwrap();
    let mut body = prepared.body.clone().unwrap();
    for (pointer, value) in spec
        .get("set")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let value = match value {
            Value::String(s) if s == "{{token}}" => Value::String(TOKEN.into()),
            v => v.clone(),
        };
        set(&mut body, pointer, value);
    }
    for pointer in spec
        .get("remove")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        remove(&mut body, pointer.as_str().unwrap());
    }
    let bytes = match spec.get("raw") {
        Some(Value::String(raw)) => raw.clone().into_bytes(),
        _ => body.to_string().into_bytes(),
    };
    let headers = match spec.get("headers").and_then(Value::as_object) {
        Some(h) => h
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect(),
        None => vec![(
            "content-type".into(),
            "application/json; charset=utf-8".into(),
        )],
    };
    let answer = Answer {
        status: spec.get("status").and_then(Value::as_u64).unwrap_or(200) as u16,
        headers,
        body: bytes,
    };
    let mut result = judge(
        &cassette.name,
        &cassette.steps[0],
        &cassette.defaults,
        &prepared,
        answer,
    );
    redact_result(&session, &prepared, &mut result);
    result
}

#[test]
fn answers_are_compared_with_recording_and_spec() {
    insta::glob!("compare/*.json", |path| {
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let result = check(&spec);
        let shown = serde_json::to_string(&result.deviations).unwrap();
        assert!(
            !shown.contains(TOKEN),
            "the token leaked into a deviation: {shown}"
        );
        insta::assert_json_snapshot!(serde_json::json!({
            "outcome": result.outcome,
            "deviations": result.deviations,
        }));
    });
}

#[test]
fn the_recording_itself_passes() {
    let result = check(&serde_json::json!({}));
    assert!(result.deviations.is_empty(), "{:#?}", result.deviations);
}

#[test]
fn severities_follow_the_documented_policy() {
    let result = check(&serde_json::json!({
        "set": {"/data/kyc/system": 1, "/data/new": true, "/data/kyc/mode": "other"},
        "remove": ["/data/customer/reference"]
    }));
    let severity = |kind: Kind| {
        result
            .deviations
            .iter()
            .find(|d| d.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?} in {:#?}", result.deviations))
            .severity
    };
    assert_eq!(severity(Kind::TypeMismatch), Severity::Breaking);
    assert_eq!(severity(Kind::UnexpectedField), Severity::Additive);
    assert_eq!(severity(Kind::ValueMismatch), Severity::Breaking);
    assert_eq!(severity(Kind::MissingField), Severity::Breaking);
}
