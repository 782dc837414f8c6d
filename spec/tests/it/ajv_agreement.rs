//! Property: the two engines behind `Validator` never disagree. For arbitrary JSON values
//! (biased towards the names and values our schemas use, so that valid and nearly valid
//! bodies are common), the `jsonschema` crate's `is_valid` is true exactly when the Ajv walker
//! reports no error, in both modes, and nothing panics.

use kyc_spec::Document;
use kyc_spec::ajv::{Mode, Validator};
use proptest::prelude::*;
use serde_json::{Map, Value};

const KEYS: &[&str] = &[
    "customerId",
    "syncMode",
    "webhookURL",
    "code",
    "data",
    "requestId",
    "customer",
    "kyc",
    "kycDocumentList",
    "reference",
    "customerType",
    "kycStatus",
    "boises",
    "dtsCreatedAt",
    "firstName",
    "lastName",
    "addresses",
    "phones",
    "type",
    "addressLine1",
    "city",
    "id",
    "label",
    "uploadStatus",
    "documentSide",
    "attributeCodes",
    "system",
    "mode",
    "status",
    "context",
    "message",
    "reason",
    "instancePath",
    "schemaPath",
    "keyword",
    "params",
    "customerID",
    "1",
    "",
    "a/b~c",
];

const STRINGS: &[&str] = &[
    "0",
    "csta-6TqoA6HtSItCANO1KT0W7u",
    "csta_1",
    "",
    "PENDING",
    "individual",
    "PRIMARY",
    "MOBILE",
    "LICENSE",
    "FRONT",
    "SSN",
    "USA",
    "1978-10-15",
    "2022-10-07T17:18:56.424Z",
    "3eb38da0b79811ed877e9cb46042ed12",
    "requestValidateError",
    "unauthorized",
    "a\nb",
    "a\u{2028}b",
    "<",
    "😀",
    "cardAttributes",
    "0123",
    "aa@aa.aa",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e25f64..1e25).prop_map(Value::from),
        Just(serde_json::json!(1.0)),
        Just(serde_json::json!(-0.0)),
        prop::sample::select(STRINGS).prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
                        1 => "[a-z0-9]{0,6}",
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

fn agree(doc: Document, instance: &Value) -> Result<(), TestCaseError> {
    let v = Validator::embedded(doc);
    let fast = v.is_valid(instance);
    for mode in [Mode::FirstError, Mode::AllErrors] {
        let errors = v.ajv_errors(instance, mode);
        prop_assert_eq!(
            fast,
            errors.is_empty(),
            "{:?} {:?}: crate says valid={}, walker reports {:?}",
            doc,
            mode,
            fast,
            errors
        );
        prop_assert_eq!(v.validate(instance, mode).is_ok(), fast);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(768))]

    #[test]
    fn request_engines_agree(instance in json()) {
        agree(Document::Request, &instance)?;
    }

    #[test]
    fn response_engines_agree(instance in json()) {
        agree(Document::Response, &instance)?;
        agree(Document::Error, &instance)?;
    }

    #[test]
    fn request_bodies_with_mutated_fields_agree(
        customer_id in scalar(),
        sync_mode in scalar(),
        webhook in scalar(),
        extra in prop::option::of((prop::sample::select(KEYS), scalar())),
        drop in 0usize..4,
    ) {
        let mut body = Map::new();
        for (i, (k, v)) in [("customerId", customer_id), ("syncMode", sync_mode), ("webhookURL", webhook)]
            .into_iter()
            .enumerate()
        {
            if i != drop {
                body.insert(k.to_owned(), v);
            }
        }
        if let Some((k, v)) = extra {
            body.insert(k.to_owned(), v);
        }
        agree(Document::Request, &Value::Object(body))?;
    }
}
