//! The table of operations: it loads, every file it names exists, and lookups find the row a
//! request belongs to.

use kyc_spec::Document;
use kyc_spec::contract::{Contract, ContractError, Method};

#[test]
fn the_embedded_contract_loads_and_names_only_embedded_documents() {
    let contract = Contract::embedded();
    assert!(contract.operations().len() >= 5);
    for op in contract.operations() {
        for response in &op.responses {
            assert!(Document::ALL.contains(&response.document), "{}", op.id);
        }
        assert!(!op.errors.is_empty(), "{} answers no error at all", op.id);
    }
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for file in contract.example_files() {
        assert!(examples.join(file).is_file(), "example {file} is missing");
    }
}

#[test]
fn requests_find_their_operation_by_method_and_concrete_path() {
    let c = Contract::embedded();
    let id = |m: &str, p: &str| c.operation(m, p).map(|o| o.id.as_str());
    assert_eq!(id("POST", "/customer/kyc/init"), Some("kycInit"));
    assert_eq!(id("POST", "/customer/init"), Some("customerInit"));
    assert_eq!(id("POST", "/_mock/clock/advance"), Some("mockAdvanceClock"));
    assert_eq!(id("POST", "/customer/kyc/init/?x=1"), Some("kycInit"));
    assert_eq!(id("GET", "/customer/kyc/init"), None);
    assert_eq!(id("GET", "/customer/kyc/status/csta_x"), Some("kycStatus"));
    assert_eq!(id("GET", "/customer/kyc/status/"), None);
    assert_eq!(id("GET", "/customer/kyc/status/a/b"), None);
    assert_eq!(
        id("POST", "/customer/kyc/upload/csta_x/doc_y"),
        Some("kycUpload")
    );
    assert!(c.serves_path("/customer/kyc/init"));
    assert!(!c.serves_path("/customer/kyc/nothing"));
    let upload = c.by_id("kycUpload").unwrap();
    assert_eq!(
        upload.bind("/customer/kyc/upload/csta_x/doc_y"),
        Some(vec![("customerId", "csta_x"), ("documentId", "doc_y")])
    );
    assert_eq!(upload.method, Method::Post);
    // Only the mock's own controls are mock-only, and they need no token.
    let mock_only: Vec<&str> = c
        .operations()
        .iter()
        .filter(|o| o.mock_only)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(mock_only, ["mockAdvanceClock", "mockAkepaReview"]);
    assert!(!c.by_id("mockAdvanceClock").unwrap().authenticated);
    assert!(c.by_id("customerInit").unwrap().authenticated);
}

#[test]
fn answers_are_described_by_the_success_or_the_error_document() {
    let c = Contract::embedded();
    assert_eq!(
        c.response_document("POST", "/auth/get-token", 200),
        Some(Document::AuthTokenResponse)
    );
    assert_eq!(
        c.response_document("GET", "/customer/kyc/status/x", 200),
        Some(Document::KycInitResponse)
    );
    assert_eq!(
        c.response_document("POST", "/nowhere", 404),
        Some(Document::Error)
    );
    assert_eq!(c.response_document("POST", "/nowhere", 200), None);
    assert_eq!(c.response_document("POST", "/customer/kyc/init", 302), None);
    assert_eq!(
        c.request_document("POST", "/customer/kyc/add-attributes"),
        Some(Document::KycAddAttributesRequest)
    );
}

#[test]
fn error_codes_come_from_the_error_schema_with_their_statuses() {
    let c = Contract::embedded();
    let codes: Vec<&str> = c.error_codes().iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "requestValidateError",
            "customerNotFound",
            "documentNotFound",
            "customerExists",
            "referenceExists",
            "applicationNotFound",
            "extAkepa",
            "fileNotFound",
            "statusApplicationEntity",
            "unauthorized",
            "invalidBody",
            "payloadTooLarge",
            "unsupportedMediaType",
            "notFound",
            "clockNotManual"
        ]
    );
    let not_found = c.error_code("notFound").unwrap();
    assert_eq!(not_found.statuses, [404, 405]);
    assert!(not_found.mock_only);
    assert!(!c.error_code("customerNotFound").unwrap().mock_only);
    assert!(!c.error_code("customerExists").unwrap().mock_only);
    let application = c.error_code("applicationNotFound").unwrap();
    assert_eq!(
        (application.statuses.as_slice(), application.mock_only),
        (&[404][..], false)
    );
    let clock = c.error_code("clockNotManual").unwrap();
    assert_eq!(
        (clock.statuses.as_slice(), clock.mock_only),
        (&[409][..], true)
    );
    // Each code's validator checks its own branch only.
    let body = serde_json::json!({"code": "unauthorized", "message": "Authentication error"});
    assert!(
        c.error_code("unauthorized")
            .unwrap()
            .validator()
            .is_valid(&body)
    );
    assert!(
        !c.error_code("notFound")
            .unwrap()
            .validator()
            .is_valid(&body)
    );
}

#[test]
fn a_broken_contract_is_refused_with_the_json_pointer_of_the_problem() {
    let text = kyc_spec::contract::SOURCE.replace(
        "\"document\": \"kyc-add-attributes.request.schema.json\"",
        "\"document\": \"nope.schema.json\"",
    );
    match Contract::parse(&text) {
        Err(ContractError::UnknownDocument { pointer, file }) => {
            assert_eq!(file, "nope.schema.json");
            assert_eq!(pointer, "/operations/4/request/document");
        }
        other => panic!("expected UnknownDocument, got {other:?}"),
    }
    let text = kyc_spec::contract::SOURCE.replace(
        "\"documentNotFound\", \"invalidBody\"",
        "\"docNotFound\", \"invalidBody\"",
    );
    assert!(matches!(
        Contract::parse(&text),
        Err(ContractError::UnknownErrorCode { code, .. }) if code == "docNotFound"
    ));
    let text = kyc_spec::contract::SOURCE
        .replace("\"/customer/kyc/add-attributes\"", "\"/customer/kyc/init\"");
    assert!(matches!(
        Contract::parse(&text),
        Err(ContractError::Duplicate { .. })
    ));
}

#[test]
fn documents_are_indexed_in_declaration_order() {
    // `Document::parsed` indexes its cache by discriminant.
    for (i, d) in Document::ALL.iter().enumerate() {
        assert_eq!(*d as usize, i, "{}", d.file_name());
    }
}

#[test]
fn every_schema_file_is_embedded() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = Document::ALL
        .iter()
        .map(|d| d.file_name().to_owned())
        .collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "spec/src/schemas/files.rs is stale: run `cargo xtask codegen`"
    );
}

/// The token header is one constant: the headers schema requires exactly it, and the OpenAPI
/// document's security scheme names it.
#[test]
fn the_token_header_is_the_one_the_headers_schema_requires_and_openapi_names() {
    use kyc_spec::contract::TOKEN_HEADER;
    let headers: serde_json::Value =
        serde_json::from_str(Document::KycInitHeaders.source()).expect("an embedded schema");
    let required = headers["required"].as_array().expect("a required list");
    assert!(required.iter().any(|h| h == TOKEN_HEADER), "{required:?}");
    assert!(headers["properties"].get(TOKEN_HEADER).is_some());
    let openapi: serde_json::Value =
        serde_json::from_str(include_str!("../../openapi.json")).expect("the committed document");
    assert_eq!(
        openapi["components"]["securitySchemes"]["connectfiToken"]["name"],
        TOKEN_HEADER
    );
}
