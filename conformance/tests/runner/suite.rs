//! The bundled suite (`conformance/cassettes/`) against the embedded mock, one test per
//! cassette: each snapshots the mock's answer (volatile values redacted) together with its
//! deviation list, so a change in what the mock or the spec does shows up as a snapshot diff
//! for exactly the cassettes it touches.
//!
//! Adding a cassette: put `NAME.json` in `conformance/cassettes/`, add `name => "NAME"` to
//! the list below (`every_bundled_cassette_has_a_test` fails until you do), run
//! `cargo test -p kyc-conformance --test runner suite::` and accept with `cargo insta review`.

use std::path::Path;
use std::time::Duration;

use insta::internals::Content;
use kyc_conformance::cassette::Cassette;
use kyc_conformance::runner::client::{Secret, Session};
use kyc_conformance::runner::compare::{Body, Rules};
use kyc_conformance::runner::embedded::SEED;
use kyc_conformance::runner::replay_one;
use kyc_mock::{self as mock, MockConfig};
use serde_json::json;

fn cassette_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes")
}

/// Replays one bundled cassette against a fresh deterministic mock and snapshots the result.
async fn check(name: &str) {
    let cassette = Cassette::load(&cassette_dir().join(format!("{name}.json"))).unwrap();
    let mock = mock::spawn(MockConfig::deterministic(SEED)).await.unwrap();
    let mut session = Session::new(&mock.base_url(), Duration::from_secs(10)).unwrap();
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
    settings.set_prepend_module_to_snapshot(true);
    settings.set_info(&json!({"cassette": name, "target": "embedded mock", "seed": SEED}));
    for selector in Rules::for_cassette(&cassette).volatile_selectors() {
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

macro_rules! suite {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[tokio::test]
            async fn $test() {
                check($file).await;
            }
        )*

        /// Every cassette that has a test above.
        const LISTED: &[&str] = &[$($file),*];
    };
}

suite! {
    auth_get_token_wrong_password => "auth-get-token-wrong-password",
    auth_get_token => "auth-get-token",
    init_attribute_codes_card => "init-attribute-codes-card",
    init_bad_token => "init-bad-token",
    init_documents_id_card_contract => "init-documents-id-card-contract",
    init_documents_passport_utility => "init-documents-passport-utility",
    init_invalid_customer_id_pattern => "init-invalid-customer-id-pattern",
    init_invalid_type_body_array => "init-invalid-type-body-array",
    init_invalid_type_customer_id_null => "init-invalid-type-customer-id-null",
    init_invalid_type_customer_id_number => "init-invalid-type-customer-id-number",
    init_invalid_type_sync_mode_string => "init-invalid-type-sync-mode-string",
    init_invalid_type_webhook_url_number => "init-invalid-type-webhook-url-number",
    init_invalid_unknown_property => "init-invalid-unknown-property",
    init_malformed_json => "init-malformed-json",
    init_missing_customer_id => "init-missing-customer-id",
    init_missing_token => "init-missing-token",
    init_seed_underscore_id => "init-seed-underscore-id",
    init_seed_waiting_data_license => "init-seed-waiting-data-license",
    init_status_approved => "init-status-approved",
    init_status_declined => "init-status-declined",
    init_status_pending => "init-status-pending",
    init_status_review => "init-status-review",
    init_sync_mode_false => "init-sync-mode-false",
    init_sync_mode_null => "init-sync-mode-null",
    init_sync_mode_true => "init-sync-mode-true",
    init_unknown_customer => "init-unknown-customer",
    init_webhook_url_empty => "init-webhook-url-empty",
    init_webhook_url_null => "init-webhook-url-null",
    init_webhook_url_present => "init-webhook-url-present",
    status_seed_waiting_data => "status-seed-waiting-data",
}

#[test]
fn every_bundled_cassette_has_a_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir(cassette_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = LISTED.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "add each new cassette to the suite! list in this file"
    );
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
