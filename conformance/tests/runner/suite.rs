//! The bundled suite (`conformance/cassettes/`) against the embedded mock, one snapshot per
//! cassette: each holds the mock's answer (volatile values redacted) together with its
//! deviation list, so a change in what the mock or the spec does shows up as a snapshot diff
//! for exactly the cassettes it touches.
//!
//! Adding a cassette is adding a file: put `NAME.json` in `conformance/cassettes/`, run
//! `cargo test -p kyc-conformance --test runner suite::` and accept its new snapshot with
//! `cargo insta review`.

use std::path::Path;

use insta::internals::Content;
use kyc_conformance::cassette::Cassette;
use kyc_conformance::runner::client::{Secret, Session, SessionConfig};
use kyc_conformance::runner::compare::{Body, Rules};
use kyc_conformance::runner::embedded::SEED;
use kyc_conformance::runner::replay_one;
use kyc_mock::{self as mock, MockConfig};
use serde_json::json;

/// Every file of the bundled suite, found by glob.
#[test]
fn bundled_suite() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    insta::glob!(env!("CARGO_MANIFEST_DIR"), "cassettes/*.json", |path| {
        runtime.block_on(check(path));
    });
}

/// Replays one bundled cassette against a fresh deterministic mock and snapshots the result
/// as `runner__suite__NAME.snap`.
async fn check(path: &Path) {
    let cassette = Cassette::load(path).unwrap();
    let name = cassette.name.as_str();
    let mock = mock::spawn(MockConfig::deterministic(SEED)).await.unwrap();
    let mut session = Session::new(SessionConfig::new(&mock.base_url())).unwrap();
    session
        .login(
            Secret::new(mock::DEFAULT_LOGIN),
            Secret::new(mock::DEFAULT_PASSWORD),
        )
        .await
        .unwrap();
    let result = replay_one(&session, &cassette).await;
    mock.shutdown().await.unwrap();

    let answer = result.answer.as_ref().map(|a| {
        let mut body = Body::parse(&a.body).to_value();
        if let Some(token) = session.token() {
            hide(&mut body, token.expose());
        }
        json!({"status": a.status, "content-type": a.header("content-type"), "body": body})
    });
    let snapshot = json!({
        "outcome": result.outcome,
        "deviations": result.deviations,
        "error": result.error,
        "answer": answer,
    });
    let mut settings = insta::Settings::clone_current();
    // Named by the cassette, not by the glob's input file.
    settings.remove_snapshot_suffix();
    settings.set_prepend_module_to_snapshot(true);
    settings.set_info(&json!({"cassette": name, "target": "embedded mock", "seed": SEED}));
    for selector in Rules::for_step(&cassette.steps[0]).volatile_selectors() {
        let shape_checked = selector.ends_with(".requestId");
        settings.add_redaction(
            &format!(".answer.body{selector}"),
            insta::dynamic_redaction(move |value: Content, _path| {
                // Redact, but only after checking the value still has the shape it must have:
                // a malformed request id is a regression, not noise.
                let text = value.as_str().unwrap_or_default().to_string();
                assert!(
                    !text.is_empty(),
                    "volatile value {value:?} is not a non-empty string"
                );
                if shape_checked {
                    assert!(
                        text.len() == 32
                            && text
                                .bytes()
                                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
                        "requestId {text:?} is not 32 lower-case hex digits"
                    );
                }
                "[volatile]"
            }),
        );
    }
    settings.bind(|| insta::assert_json_snapshot!(name, snapshot));
}

/// The session's token out of a snapshot (the rest of the mock's answers are invented people,
/// kept as they are so the snapshots show what the mock says).
fn hide(value: &mut serde_json::Value, secret: &str) {
    match value {
        serde_json::Value::String(s) if s.contains(secret) => *s = s.replace(secret, "[redacted]"),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| hide(v, secret)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| hide(v, secret)),
        _ => {}
    }
}
