//! The Ajv golden corpus: every line of `spec/examples/ajv/<schema>.jsonl` must render exactly
//! the line Ajv 8 printed for it (committed by `cargo xtask goldens`), in both modes.
//! Adding a case means adding an input line and regenerating the answers.

use std::path::Path;

use kyc_spec::Document;
use kyc_spec::ajv::{Mode, Validator, render_line};

const CORPORA: [(&str, Document); 4] = [
    ("request", Document::Request),
    ("response", Document::Response),
    ("error", Document::Error),
    ("webhook", Document::Webhook),
];

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Compares our rendering of every input line with the golden line; reports every mismatch.
fn check(name: &str, doc: Document, mode: Mode, golden_suffix: &str) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ajv");
    let inputs = read(&dir.join(format!("{name}.jsonl")));
    let goldens = read(&dir.join(format!("{name}.{golden_suffix}.jsonl")));
    let inputs: Vec<&str> = inputs.lines().filter(|l| !l.trim().is_empty()).collect();
    let goldens: Vec<&str> = goldens.lines().collect();
    assert_eq!(
        inputs.len(),
        goldens.len(),
        "{name}.{golden_suffix}.jsonl is stale: run `cargo xtask goldens`"
    );
    let validator = Validator::embedded(doc);
    let mut mismatches = Vec::new();
    for (i, (input, golden)) in inputs.iter().zip(&goldens).enumerate() {
        let instance: serde_json::Value = serde_json::from_str(input)
            .unwrap_or_else(|e| panic!("{name}.jsonl line {}: not JSON: {e}", i + 1));
        let ours = render_line(&validator.validate(&instance, mode));
        if ours != *golden {
            mismatches.push(format!(
                "line {}: {input}\n  ajv:  {golden}\n  ours: {ours}",
                i + 1
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{name} ({mode:?}): {} of {} lines differ from Ajv:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches.join("\n")
    );
    inputs.len()
}

#[test]
fn first_error_mode_matches_ajv_byte_for_byte() {
    let mut total = 0;
    for (name, doc) in CORPORA {
        total += check(name, doc, Mode::FirstError, "golden");
    }
    assert!(total >= 100, "the corpus shrank to {total} lines");
}

#[test]
fn all_errors_mode_matches_ajv_byte_for_byte() {
    for (name, doc) in CORPORA {
        check(name, doc, Mode::AllErrors, "all-errors.golden");
    }
}

#[test]
fn request_corpus_has_at_least_100_bodies() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ajv");
    let n = read(&dir.join("request.jsonl"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    assert!(n >= 100, "request.jsonl has {n} bodies");
}

#[test]
fn the_seed_400_context_is_reproduced() {
    // The seed's 400 answer for a body without customerId, verbatim.
    let seed = r##"[{"instancePath":"","schemaPath":"#/required","keyword":"required","params":{"missingProperty":"customerId"},"message":"must have required property 'customerId'"}]"##;
    let errors = Validator::embedded(Document::Request)
        .validate(&serde_json::json!({}), Mode::FirstError)
        .expect_err("an empty body lacks customerId");
    assert_eq!(kyc_spec::ajv::render_errors(&errors), seed);
    assert_eq!(
        serde_json::to_string(&errors).expect("errors serialize"),
        seed,
        "serde serialization keeps Ajv's key order"
    );
}
