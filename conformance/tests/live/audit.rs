//! `kyc-conformance audit` through the binary: the embedded mock answers every question as the
//! spec documents or assumes it, and a stand-in target that behaves differently gets the
//! matching answer and a `contradicts` verdict (exit 1). The HTML opens from disk: every
//! question has its section, and nothing refers to another host or runs a script.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use kyc_mock::{MockConfig, MockState};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use super::html::assert_self_contained;

const TOKEN: &str = "audit-test-token";

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("audit")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn audit(out: &Path, target: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kyc-conformance"));
    cmd.arg("audit").arg("--out").arg(out);
    cmd.env_remove("CONNECTFI_LOGIN")
        .env_remove("CONNECTFI_PASSWORD");
    match target {
        Some(url) => cmd
            // The suite's real-time waits would take a minute; the questions are the point here.
            .args(["--target", url, "--no-suite"])
            .env("CONNECTFI_TOKEN", TOKEN)
            // For the token-lifetime probe's login (the mock's invented credentials).
            .env("CONNECTFI_LOGIN", kyc_mock::DEFAULT_LOGIN)
            .env("CONNECTFI_PASSWORD", kyc_mock::DEFAULT_PASSWORD),
        None => cmd.env_remove("CONNECTFI_TOKEN"),
    };
    cmd.output().unwrap()
}

fn answers(out: &Path) -> Value {
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    let list: Vec<Value> = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| json!({"id": q["id"], "answer": q["answer"], "verdict": q["verdict"]}))
        .collect();
    Value::Array(list)
}

#[test]
fn the_embedded_mock_answers_every_question_as_the_spec_says() {
    let out = scratch("mock");
    let run = audit(&out, None);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let answers = answers(&out);
    insta::assert_json_snapshot!(answers);
    let html = std::fs::read_to_string(out.join("audit.html")).unwrap();
    let mut expected: Vec<&str> = answers
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    expected.push("suite");
    assert_eq!(assert_self_contained(&html), expected);
    // The report follows its published shape.
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    let schema = kyc_spec::ajv::Validator::embedded(kyc_spec::Document::Audit);
    assert!(
        schema.is_valid(&report),
        "audit.json breaks audit.schema.json"
    );
    let markdown = std::fs::read_to_string(out.join("audit.md")).unwrap();
    assert!(
        markdown.starts_with("# Audit of the embedded mock"),
        "{markdown}"
    );
}

/// A stand-in sandbox that refuses the hyphen spelling of customer ids on the deprecated
/// init (as a strict `common-id` would), and is the mock everywhere else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_refuses_hyphen_ids_gets_that_answer_and_a_contradiction() {
    // The wall clock, as a live target's: the token lifetime is measured against this machine's.
    let mock = kyc_mock::app(MockState::new(MockConfig {
        token: Some(TOKEN.to_owned()),
        seed: Some(9),
        ..MockConfig::default()
    }));
    let forward = mock.clone();
    let strict = move |headers: HeaderMap, body: Bytes| {
        let mock = forward.clone();
        async move {
            if String::from_utf8_lossy(&body).contains("csta-") {
                let refused = json!({"requestId": "0123456789abcdef0123456789abcdef",
                    "code": "requestValidateError",
                    "context": [{"instancePath": "/customerId", "schemaPath": "common-id/pattern",
                        "keyword": "pattern", "params": {"pattern": "^[0-9a-zA-Z_]+$"},
                        "message": "must match pattern \"^[0-9a-zA-Z_]+$\""}]});
                return (StatusCode::BAD_REQUEST, axum::Json(refused)).into_response();
            }
            let mut request = Request::post("/customer/kyc/init")
                .body(Body::from(body))
                .unwrap();
            *request.headers_mut() = headers;
            let answer: Response = mock.oneshot(request).await.unwrap();
            answer
        }
    };
    let app = Router::new()
        .route("/customer/kyc/init", post(strict))
        .fallback_service(mock);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let out = scratch("strict");
    let run = tokio::task::spawn_blocking({
        let out = out.clone();
        move || audit(&out, Some(&url))
    })
    .await
    .unwrap();
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let answers = answers(&out);
    let prefix = answers
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "customer-id-prefix")
        .unwrap();
    assert_eq!(
        prefix["answer"],
        json!({"csta_": "accepted", "csta-": "rejected"})
    );
    assert_eq!(prefix["verdict"], "contradicts");
    // The rest of the target is the mock, so every other answer stays as the spec says.
    let others_fine = answers
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["id"] != "customer-id-prefix")
        .all(|q| q["verdict"] == "as-documented" || q["verdict"] == "as-assumed");
    assert!(others_fine, "{answers:#}");
}
