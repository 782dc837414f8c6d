//! Redaction cases: each `redact/*.json` is a cassette as a live target might have produced
//! it; its snapshot is the cassette as `record` would write it (fixed key, so stable).
//! Besides the snapshot, every case must come out lint-clean, with none of the values the
//! lint flagged in the input anywhere in the output.

use std::path::Path;

use kyc_conformance::cassette::Cassette;
use kyc_conformance::lint::{Known, lint_value};
use kyc_conformance::redact::{PseudonymKey, Redactor};
use serde_json::{Value, json};

#[test]
fn cases() {
    insta::glob!("redact/*.json", check);
}

fn check(path: &Path) {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let input: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let redactor = Redactor::new(PseudonymKey::from_passphrase("privacy tests"));
    let cassette = Cassette::from_value(path, &input).expect("fixture is a cassette");
    let out = redactor.redact_cassette(&cassette);

    let leaked_before = lint_value(path, &input, &Known::default());
    assert!(
        !leaked_before.is_empty(),
        "the fixture should plant something to redact"
    );
    let written = serde_json::to_string(&out.cassette).expect("JSON");
    for finding in &leaked_before {
        if let Some(Value::String(real)) = input.pointer(&finding.pointer) {
            assert!(
                !written.contains(real.as_str()),
                "{finding} survived redaction"
            );
        }
    }
    let written_value = serde_json::to_value(&out.cassette).expect("JSON");
    let after = lint_value(path, &written_value, &Known::default());
    assert!(after.is_empty(), "lint still finds: {after:#?}");

    insta::assert_json_snapshot!(json!({
        "cassette": out.cassette,
        "replacedInResponse": out.replaced_in_response,
    }));
}
