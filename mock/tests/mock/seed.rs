//! The seed page's exchanges, as repaired in `spec/examples/`: the mock must answer them byte
//! for byte, the `requestId` aside.

use serde_json::Value;

use super::harness::Mock;

fn example(path: &str) -> Value {
    let file = format!("{}/../spec/examples/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Asserts `got` equals `want` in content and key order, after copying `want`'s requestId
/// shape check: the ids differ by design, so only their format is compared.
fn assert_same_but_request_id(mut got: Value, mut want: Value) {
    let id = got["requestId"].take();
    let id = id.as_str().expect("a requestId");
    assert!(
        id.len() == 32 && id.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')),
        "{id}"
    );
    want["requestId"] = Value::Null;
    assert_eq!(
        serde_json::to_string_pretty(&got).expect("JSON"),
        serde_json::to_string_pretty(&want).expect("JSON")
    );
}

#[tokio::test]
async fn the_seed_init_answers_exactly_the_seed_200() {
    let mock = Mock::deterministic();
    let answer = mock
        .post_json(
            "/customer/kyc/init",
            example("request/valid/seed-request.json"),
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_same_but_request_id(answer.body, example("response/valid/seed-200.json"));
}

/// Guards the schema check every test applies to every answer: it must be able to fail.
#[test]
fn the_answer_check_rejects_a_doctored_envelope() {
    let mut doctored = example("response/valid/seed-200.json");
    let validator = kyc_spec::ajv::Validator::embedded(kyc_spec::Document::KycInitResponse);
    assert!(validator.is_valid(&doctored));
    doctored["data"]["kyc"]["status"] = Value::from("MAYBE");
    assert!(!validator.is_valid(&doctored));
}
