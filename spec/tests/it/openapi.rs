//! The OpenAPI document describes what a sandbox serves: every contract operation except the
//! mock's own controls, both generations, the deprecated one marked so.

use std::path::Path;

use kyc_spec::Contract;
use kyc_spec::openapi::{Examples, assemble};

fn document() -> serde_json::Value {
    let contract = Contract::embedded();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut examples = Examples::default();
    for file in contract.example_files() {
        let text = std::fs::read_to_string(dir.join(file)).expect("an example the contract names");
        examples
            .files
            .insert(file.to_owned(), serde_json::from_str(&text).expect("JSON"));
    }
    assemble(contract, &examples).expect("the contract assembles")
}

#[test]
fn mock_only_operations_and_their_documents_are_left_out() {
    let contract = Contract::embedded();
    let doc = document();
    let paths = doc["paths"].as_object().expect("paths");
    let operation_ids: Vec<&str> = paths
        .values()
        .flat_map(|item| item.as_object().expect("a path item").values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let mock_only: Vec<&str> = contract
        .operations()
        .iter()
        .filter(|op| op.mock_only)
        .map(|op| op.id.as_str())
        .collect();
    assert!(
        mock_only.contains(&"mockAdvanceClock"),
        "the contract has the clock control"
    );
    for op in contract.operations() {
        assert_eq!(
            operation_ids.contains(&op.id.as_str()),
            !op.mock_only,
            "{}: published exactly when it is not mock-only",
            op.id
        );
        if op.mock_only {
            assert!(!paths.contains_key(&op.path), "{}", op.path);
        }
    }
    let components = doc["components"]["schemas"]
        .as_object()
        .expect("components");
    for name in ["MockClockRequest", "MockClockResponse", "MockClock"] {
        assert!(!components.contains_key(name), "component {name}");
    }
    for name in [
        "CustomerInitRequest",
        "CustomerInitResponse",
        "NewSsnDocument",
    ] {
        assert!(components.contains_key(name), "component {name}");
    }
    let tags: Vec<&str> = doc["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(!tags.contains(&"mock"), "{tags:?}");
}

/// Both generations are described: every akepa operation of the contract is in the document
/// under the `akepa` tag and not deprecated, and every deprecated KYC operation is marked so.
#[test]
fn both_families_are_tagged_and_only_the_old_one_is_deprecated() {
    let contract = Contract::embedded();
    let document = document();
    let mut akepa = 0;
    for op in contract.operations().iter().filter(|o| !o.mock_only) {
        let rendered = &document["paths"][op.path.as_str()][op.method.as_str().to_lowercase()];
        assert_eq!(rendered["operationId"], op.id.as_str(), "{}", op.id);
        assert_eq!(
            rendered
                .get("deprecated")
                .and_then(|d| d.as_bool())
                .unwrap_or(false),
            op.deprecated,
            "{}",
            op.id
        );
        if op.path.starts_with("/akepa/") {
            akepa += 1;
            assert_eq!(rendered["tags"], serde_json::json!(["akepa"]), "{}", op.id);
            assert!(!op.deprecated, "{}", op.id);
        }
        if op.path.starts_with("/customer/kyc/") {
            assert!(op.deprecated, "{}", op.id);
        }
    }
    assert_eq!(akepa, 7, "the seven akepa operations");
}
