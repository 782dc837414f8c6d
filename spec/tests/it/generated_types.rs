//! The generated types against the example corpus: every valid example deserializes and
//! serializes back to an equal JSON value, every invalid example the types can reject is
//! rejected, and the JSON Schema that schemars derives from the types accepts every valid
//! example. Adding a case means adding a file under `spec/examples/`.

use std::path::{Path, PathBuf};

use kyc_spec::generated::{
    CustomerInitRequest, CustomerInitResponse, ErrorBody, KycInitHeaders, KycInitRequest,
    KycInitResponse, KycWebhook, MockClockRequest, MockClockResponse,
};
use serde_json::Value;

/// Invalid examples the types accept on purpose, with the reason. Anything else invalid must be
/// rejected. Requests are closed (no `Unknown` variants), so an unknown `customerType` or an
/// `SSN` in the other-documents branch is rejected by the types as by the schema.
const ACCEPTED_ON_PURPOSE: &[(&str, &str)] = &[
    (
        "response/invalid/unknown-kyc-status.json",
        "string enums are open: an unknown status is kept as an opaque value",
    ),
    (
        "webhook/invalid/lower-case-status.json",
        "string enums are open: an unknown status is kept as an opaque value",
    ),
    (
        "error/invalid/unknown-code.json",
        "the error union is open: an unknown code is kept whole",
    ),
];

/// Round trip and rejection for one folder, through the type that folder's schema generates.
struct Folder {
    name: &'static str,
    round_trip: fn(&Value) -> Result<Value, String>,
    schema: fn() -> Value,
}

fn through<T: serde::de::DeserializeOwned + serde::Serialize>(
    value: &Value,
) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

fn schema_of<T: schemars::JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).expect("a schema serializes")
}

const FOLDERS: &[Folder] = &[
    Folder {
        name: "request",
        round_trip: through::<KycInitRequest>,
        schema: schema_of::<KycInitRequest>,
    },
    Folder {
        name: "headers",
        round_trip: through::<KycInitHeaders>,
        schema: schema_of::<KycInitHeaders>,
    },
    Folder {
        name: "response",
        round_trip: through::<KycInitResponse>,
        schema: schema_of::<KycInitResponse>,
    },
    Folder {
        name: "error",
        round_trip: through::<ErrorBody>,
        schema: schema_of::<ErrorBody>,
    },
    Folder {
        name: "webhook",
        round_trip: through::<KycWebhook>,
        schema: schema_of::<KycWebhook>,
    },
    Folder {
        name: "customer-init-request",
        round_trip: through::<CustomerInitRequest>,
        schema: schema_of::<CustomerInitRequest>,
    },
    Folder {
        name: "customer-init-response",
        round_trip: through::<CustomerInitResponse>,
        schema: schema_of::<CustomerInitResponse>,
    },
    Folder {
        name: "mock-clock-request",
        round_trip: through::<MockClockRequest>,
        schema: schema_of::<MockClockRequest>,
    },
    Folder {
        name: "mock-clock-response",
        round_trip: through::<MockClockResponse>,
        schema: schema_of::<MockClockResponse>,
    },
];

fn examples(folder: &str, kind: &str) -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(folder)
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable example");
            let value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = format!(
                "{folder}/{kind}/{}",
                path.file_name().expect("a file").to_string_lossy()
            );
            (name, value)
        })
        .collect()
}

#[test]
fn valid_examples_round_trip_through_the_generated_types() {
    let mut seen = 0;
    for folder in FOLDERS {
        for (name, value) in examples(folder.name, "valid") {
            let again =
                (folder.round_trip)(&value).unwrap_or_else(|e| panic!("{name}: rejected: {e}"));
            assert_eq!(again, value, "{name}: serializing again changed the value");
            seen += 1;
        }
    }
    assert!(seen >= 10, "the example corpus is missing");
}

#[test]
fn invalid_examples_are_rejected_unless_open_by_design() {
    let mut accepted = Vec::new();
    for folder in FOLDERS {
        for (name, value) in examples(folder.name, "invalid") {
            if (folder.round_trip)(&value).is_ok() {
                accepted.push(name);
            }
        }
    }
    let expected: Vec<&str> = ACCEPTED_ON_PURPOSE.iter().map(|(name, _)| *name).collect();
    accepted.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort_unstable();
    assert_eq!(
        accepted, expected_sorted,
        "invalid examples the types accept"
    );
}

#[test]
fn the_schema_schemars_derives_accepts_every_valid_example() {
    for folder in FOLDERS {
        let schema = (folder.schema)();
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{}: derived schema does not compile: {e}", folder.name));
        for (name, value) in examples(folder.name, "valid") {
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "{name}: derived schema rejects it: {errors:?}"
            );
        }
    }
}
