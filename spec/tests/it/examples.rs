//! Every example in `spec/examples/<document>/{valid,invalid}/` is judged by the schema the
//! way its folder says. Adding a case means adding a file.

use std::path::{Path, PathBuf};

use kyc_spec::Document;
use kyc_spec::ajv::{Mode, Validator};

/// Folder name under `spec/examples/` → the schema that judges it.
const FOLDERS: &[(&str, Document)] = &[
    ("request", Document::KycInitRequest),
    ("headers", Document::KycInitHeaders),
    ("response", Document::KycInitResponse),
    ("error", Document::Error),
    ("webhook", Document::Webhook),
    ("customer-init-request", Document::CustomerInitRequest),
    ("customer-init-response", Document::CustomerInitResponse),
    ("mock-clock-request", Document::MockClockRequest),
    ("mock-clock-response", Document::MockClockResponse),
];

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

#[track_caller]
fn check(doc: Document, file: &Path, expect_valid: bool) {
    let text = std::fs::read_to_string(file).expect("readable example");
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
    let validator = Validator::embedded(doc);
    let first = validator.validate(&value, Mode::FirstError);
    let all = validator.validate(&value, Mode::AllErrors);
    assert_eq!(
        validator.is_valid(&value),
        expect_valid,
        "{}: is_valid disagrees with the folder",
        file.display()
    );
    if expect_valid {
        assert_eq!(first, Ok(()), "{}: expected valid", file.display());
        assert_eq!(
            all,
            Ok(()),
            "{}: expected valid (all errors)",
            file.display()
        );
    } else {
        let errors = first.expect_err("an invalid example must fail");
        assert!(
            !errors.is_empty(),
            "{}: failed without errors",
            file.display()
        );
        assert!(
            all.is_err(),
            "{}: all-errors mode let it pass",
            file.display()
        );
    }
}

#[test]
fn every_example_is_judged_as_its_folder_says() {
    let mut counted = 0;
    for (folder, doc) in FOLDERS {
        for (kind, valid) in [("valid", true), ("invalid", false)] {
            let dir = examples_dir().join(folder).join(kind);
            let found = files(&dir);
            assert!(!found.is_empty(), "{} has no examples", dir.display());
            for file in found {
                check(*doc, &file, valid);
                counted += 1;
            }
        }
    }
    assert!(counted >= 40, "only {counted} examples found");
}

#[test]
fn the_seed_400_is_reproduced_byte_for_byte() {
    let body = serde_json::json!({"webhookURL": ""});
    let errors = Validator::embedded(Document::KycInitRequest)
        .validate(&body, Mode::FirstError)
        .expect_err("a body without customerId is invalid");
    let seed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            examples_dir().join("error/valid/seed-400-request-validate-error.json"),
        )
        .expect("seed 400 example"),
    )
    .expect("JSON");
    assert_eq!(
        serde_json::to_string(&errors).expect("serializable"),
        serde_json::to_string(&seed["context"]).expect("serializable"),
    );
}
