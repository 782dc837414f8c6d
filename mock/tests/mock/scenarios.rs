//! The mock's behaviour, one scenario file per case in `scenarios/`: the same cassette format
//! and the same loader and runner (`kyc_conformance`) that users replay against a sandbox.
//! Each file's recorded answers are what the mock must say; a step that answers otherwise
//! fails the test with the runner's report, naming the step and every deviation.
//!
//! Adding a case is adding a file. To fill a new file's answers, write its requests with
//! `"response": {"status": 200}` and run
//! `cargo run -p kyc-conformance -- record --target mock --cassettes DIR --out DIR`, then
//! review what the mock said before committing it.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, header};
use kyc_conformance::cassette::Cassette;
use kyc_conformance::runner::client::{Outgoing, SessionConfig};
use kyc_conformance::runner::embedded::EmbeddedMock;
use kyc_conformance::runner::fill_request;
use kyc_conformance::runner::report::Report;
use kyc_conformance::runner::scenario::Bindings;

use super::harness::{Mock, TOKEN};

#[test]
fn scenarios() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    insta::glob!("scenarios/*.json", |path| runtime.block_on(check(path)));
}

/// Replays one scenario against a fresh embedded mock (seeded ids, manual clock).
async fn check(path: &Path) {
    let cassette = Cassette::load(path).unwrap_or_else(|e| panic!("{e}"));
    assert!(cassette.is_scenario(), "{}: not a scenario", path.display());
    let mock = EmbeddedMock::start().await.expect("the mock starts");
    let session = mock
        .session(SessionConfig::new(&mock.base_url()))
        .await
        .expect("a session on the mock");
    let result = kyc_conformance::runner::replay_one(&session, &cassette).await;
    let report = Report::new(vec![result]);
    assert!(
        report.all_passed(),
        "{}:\n{}",
        path.display(),
        report.to_text(false)
    );
    let steps = &report.cases[0].steps;
    assert_eq!(steps.len(), cassette.steps.len());
    // Against the mock every step runs: none is mock-only there, none follows a failure.
    assert!(
        steps.iter().all(|s| s.reason.is_none()),
        "{}: {steps:?}",
        path.display()
    );
}

/// A body that is not UTF-8 cannot be written in a cassette (its bodies are JSON or text),
/// so this one is sent by hand.
#[tokio::test]
async fn a_body_that_is_not_utf8_is_an_invalid_body() {
    let mock = Mock::deterministic();
    let bytes: &[u8] = b"{\"customerId\":\"\xff\"}";
    let answer = mock
        .send(
            Request::post("/customer/kyc/init")
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-connectfi-token", TOKEN)
                .body(Body::from(bytes))
                .expect("a valid request"),
        )
        .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.body["code"], "invalidBody");
}

/// Deterministic mode: the same requests to two fresh seeded mocks on manual clocks give
/// byte-identical answers (ids, requestIds, tokens, timestamps), so recordings replay exactly.
#[tokio::test]
async fn two_seeded_mocks_answer_byte_for_byte_alike() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mock/scenarios");
    for name in ["john-testman-completes-kyc.json", "unreadable-bodies.json"] {
        let cassette = Cassette::load(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
        let mut bindings = Bindings::default();
        bindings.capture("token", TOKEN.to_owned());
        let (first, second) = (Mock::deterministic(), Mock::deterministic());
        for step in &cassette.steps {
            let outgoing = fill_request(step, &bindings.values(), "").expect("filled");
            let (a, b) = (
                send(&first, &outgoing).await,
                send(&second, &outgoing).await,
            );
            assert_eq!(a, b, "{name}: step {}", step.name);
        }
    }
}

/// One request through the router, the answer as raw bytes with its status.
async fn send(mock: &Mock, outgoing: &Outgoing) -> (u16, Vec<u8>) {
    let mut request = Request::builder()
        .method(outgoing.method.as_str())
        .uri(&outgoing.path);
    for (name, value) in &outgoing.headers {
        request = request.header(name, value);
    }
    let body = Body::from(outgoing.body.clone().unwrap_or_default());
    mock.send_raw(request.body(body).expect("a valid request"))
        .await
}
