//! Request bodies that fail their schema: each `validation/*.json` holds a body, the endpoint
//! and the `context` the Ajv 8 oracle printed for it (`node oracle.js SCHEMA -`, first-error
//! mode, as connectFi validates). The mock must answer 400 `requestValidateError` with exactly
//! that list. Adding a case means adding a file (and running the oracle once for its context).

use axum::body::Body;
use axum::http::{Request, header};
use serde::Deserialize;
use serde_json::{Value, json};

use super::harness::{Mock, TOKEN};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    path: String,
    body: Value,
    context: Value,
}

#[tokio::test]
async fn schema_violations_answer_ajvs_exact_error_list() {
    let dir = format!("{}/tests/mock/validation", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the validation cases")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "validation cases went missing");
    let mock = Mock::deterministic();
    let mut failures = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable case");
        let case: Case = serde_json::from_str(&text).expect("a validation case");
        let request = Request::post(&case.path)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-connectfi-token", TOKEN)
            .body(Body::from(case.body.to_string()))
            .expect("valid request");
        let answer = mock.send(request).await;
        let mut body = answer.body;
        let request_id = body["requestId"].take();
        let want =
            json!({"requestId": null, "code": "requestValidateError", "context": case.context});
        if answer.status != 400 || body != want || !request_id.is_string() {
            failures.push(format!("{}: {} {body:#}", file.display(), answer.status));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn the_seed_400_is_answered_byte_for_byte_but_its_request_id() {
    let mock = Mock::deterministic();
    let answer = mock
        .post_json("/customer/kyc/init", json!({"webhookURL": ""}))
        .await;
    assert_eq!(answer.status, 400);
    let text = serde_json::to_string(&answer.body).expect("JSON");
    let request_id = answer.body["requestId"].as_str().expect("requestId");
    assert_eq!(
        text,
        format!(
            "{{\"requestId\":\"{request_id}\",\"code\":\"requestValidateError\",\"context\":[{{\"instancePath\":\"\",\"schemaPath\":\"#/required\",\"keyword\":\"required\",\"params\":{{\"missingProperty\":\"customerId\"}},\"message\":\"must have required property 'customerId'\"}}]}}"
        )
    );
}
