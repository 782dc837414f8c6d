//! The bundled suite (`conformance/cassettes/`) against the embedded mock, one snapshot per
//! cassette: each holds its steps' outcomes, its deviation list and the mock's last answer
//! (volatile values redacted), so a change in what the mock or the spec does shows up as a
//! snapshot diff for exactly the cassettes it touches.
//!
//! Adding a cassette is adding a file: put `NAME.json` in `conformance/cassettes/` (a new
//! scenario's answers can be filled from the mock with `kyc-conformance record --target mock`),
//! run `cargo test -p kyc-conformance --test runner suite::` and accept its new snapshot with
//! `cargo insta review`.

use std::path::Path;

use insta::internals::Content;
use kyc_conformance::cassette::Cassette;
use kyc_conformance::runner::client::SessionConfig;
use kyc_conformance::runner::compare::{Body, Rules};
use kyc_conformance::runner::embedded::{EmbeddedMock, SEED};
use kyc_conformance::runner::replay_one;
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
    let dir = path.parent().unwrap();
    if path.file_name().unwrap() == kyc_conformance::cassette::DEFAULTS_FILE {
        return; // the suite's matchers, not a cassette
    }
    let mut cassette = Cassette::load(path).unwrap();
    // As `replay` loads it: with the suite's default matchers.
    cassette.defaults = std::sync::Arc::new(
        kyc_conformance::cassette::load_defaults(
            &dir.join(kyc_conformance::cassette::DEFAULTS_FILE),
        )
        .unwrap(),
    );
    let name = cassette.name.as_str();
    let mock = EmbeddedMock::start().await.unwrap();
    let session = mock
        .session(SessionConfig::new(&mock.base_url()))
        .await
        .unwrap();
    let result = replay_one(&session, &cassette).await;
    drop(mock);

    let answer = result.answer.as_ref().map(|a| {
        let mut body = Body::parse(&a.body).to_value();
        if let Some(token) = session.token() {
            hide(&mut body, token.expose());
        }
        json!({"status": a.status, "content-type": a.header("content-type"), "body": body})
    });
    let snapshot = json!({
        "outcome": result.outcome,
        "steps": result.steps,
        "deviations": result.deviations,
        "error": result.error,
        "answer": answer,
    });
    let mut settings = insta::Settings::clone_current();
    // Named by the cassette, not by the glob's input file.
    settings.remove_snapshot_suffix();
    settings.set_prepend_module_to_snapshot(true);
    settings.set_info(&json!({"cassette": name, "target": "embedded mock", "seed": SEED}));
    // The answer shown is the last step's.
    let last = cassette.steps.last().expect("a cassette has a step");
    for selector in Rules::for_step(last).volatile_selectors() {
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

/// The suite runs anywhere: against a mock that has none of the built-in customers (as a real
/// sandbox knows none of them), every case still passes, because every case that needs a
/// customer creates it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_needs_no_builtin_customer() {
    use std::sync::Arc;

    use kyc_conformance::cassette;
    use kyc_conformance::runner::client::{Secret, Session};
    use kyc_mock::{MockConfig, Scenarios};

    let config = MockConfig {
        token: Some("no-builtins-token".to_owned()),
        scenarios: Scenarios {
            builtins: false,
            ..Scenarios::default()
        },
        ..MockConfig::deterministic(SEED)
    };
    let target = kyc_mock::spawn(config).await.unwrap();
    let mut session = Session::new(SessionConfig::new(&target.base_url())).unwrap();
    session.set_token(Secret::new("no-builtins-token"));
    session.set_credentials(
        Secret::new(kyc_mock::DEFAULT_LOGIN),
        Secret::new(kyc_mock::DEFAULT_PASSWORD),
    );
    session.set_mock_control(true);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes");
    let suite: Vec<Cassette> = cassette::load_dir(&dir)
        .unwrap()
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    let results =
        kyc_conformance::runner::replay_all(Arc::new(session), Arc::new(suite), 8, Arc::new(|| {}))
            .await;
    let report = kyc_conformance::runner::report::Report::new(results);
    assert!(report.all_passed(), "{}", report.to_text(false));
}
