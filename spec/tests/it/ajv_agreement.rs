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
        agree(Document::KycInitRequest, &instance)?;
    }

    #[test]
    fn response_engines_agree(instance in json()) {
        agree(Document::KycInitResponse, &instance)?;
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
        agree(Document::KycInitRequest, &Value::Object(body))?;
    }
}

/// Pieces of strings for the general schemas below: the two characters `regress` folds into
/// ASCII and JavaScript's non-unicode `i` does not (U+212A KELVIN SIGN, U+017F LONG S) next
/// to the letters they fold to, and enough URI, e-mail, hostname, base64 and JSON syntax that
/// the format and content keywords see near misses as well as valid values.
const FRAGMENTS: &[&str] = &[
    "\u{212a}", "\u{17f}", "k", "K", "s", "S", "a", "z", "Z", ".", "@", ":", "/", "//", "#", "-",
    "0", "1", "%2f", "{", "}", "http", "e30=", "{}", "[", "\"", "T", ":00", " ", "\u{131}",
    "\u{df}",
];

fn fragment_string() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..8).prop_map(|v| v.concat())
}

/// The schema an alias chain ends on: no `$ref` inside, so Ajv inlines it.
const LEAVES: &[&str] = &[
    r#"{"format": "hostname"}"#,
    r#"{"format": "email"}"#,
    r#"{"format": "uri"}"#,
    r#"{"format": "uri-reference"}"#,
    r#"{"format": "uri-template"}"#,
    r#"{"format": "json-pointer-uri-fragment"}"#,
    r#"{"format": "url"}"#,
    r#"{"format": "uuid"}"#,
    r#"{"format": "time"}"#,
    r#"{"type": "string", "contentMediaType": "application/json"}"#,
    r#"{"contentEncoding": "base64", "contentMediaType": "application/json", "minLength": 2}"#,
    r#"{"type": "string", "minLength": 2}"#,
    "false",
];

/// One link of a chain `d0 → d1 → … → leaf`.
#[derive(Clone, Copy, Debug)]
enum Link {
    /// Only a `$ref`: Ajv resolves straight through it.
    Alias,
    /// A `$ref` with keys that are not rules, so still an alias to Ajv.
    AnnotatedAlias,
    /// A `$ref` next to `$comment`, which Ajv counts as a rule: not an alias.
    Commented,
}

fn chain_schema(links: &[Link], leaf: &str) -> Value {
    let mut definitions = Map::new();
    for (i, link) in links.iter().enumerate() {
        let mut d = serde_json::json!({"$ref": format!("#/definitions/d{}", i + 1)});
        match link {
            Link::Alias => {}
            Link::AnnotatedAlias => {
                d["title"] = "alias".into();
                d["contentMediaType"] = "application/json".into();
                d["x-ajv-format"] = "email".into();
                d["definitions"] = serde_json::json!({});
            }
            Link::Commented => d["$comment"] = "a rule to Ajv".into(),
        }
        definitions.insert(format!("d{i}"), d);
    }
    definitions.insert(
        format!("d{}", links.len()),
        serde_json::from_str(leaf).expect("leaf schemas are JSON"),
    );
    serde_json::json!({
        "definitions": definitions,
        "properties": {
            "p": {"$ref": "#/definitions/d0"},
            "q": {"anyOf": [{"$ref": "#/definitions/d0"}, {"type": "integer"}]},
        },
        "items": {"$ref": "#/definitions/d0"},
    })
}

fn chain_instance() -> impl Strategy<Value = Value> {
    let leaf_value = prop_oneof![
        4 => fragment_string().prop_map(Value::from),
        1 => scalar(),
    ];
    prop_oneof![
        (leaf_value.clone(), leaf_value.clone())
            .prop_map(|(p, q)| serde_json::json!({"p": p, "q": q})),
        prop::collection::vec(leaf_value.clone(), 0..3).prop_map(Value::Array),
        leaf_value,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The engines agree on general schemas too: alias chains, the case-insensitive formats
    /// on Kelvin signs and long s, content keywords (annotations to Ajv's draft-07 class).
    /// And an error from the end of a chain is reported under the `$ref` that started the
    /// run of aliases it was reached through (Ajv inlines the final target under it).
    #[test]
    fn engines_agree_on_alias_chains_formats_and_content_keywords(
        links in prop::collection::vec(
            prop_oneof![Just(Link::Alias), Just(Link::AnnotatedAlias), Just(Link::Commented)],
            0..4,
        ),
        leaf in prop::sample::select(LEAVES),
        instance in chain_instance(),
    ) {
        let schema = chain_schema(&links, leaf);
        let v = Validator::new(&schema, &[]).expect("chain schemas compile");
        let fast = v.is_valid(&instance);
        // Ajv compiles a non-alias link separately (its errors restart at `#`) and resolves
        // its `$ref` through the aliases after it, so errors from the leaf hang under the
        // first link after the last non-alias.
        let run_start = links
            .iter()
            .rposition(|l| matches!(l, Link::Commented))
            .map_or(0, |i| i + 1);
        let prefix = format!("#/definitions/d{run_start}/");
        for mode in [Mode::FirstError, Mode::AllErrors] {
            let errors = v.ajv_errors(&instance, mode);
            prop_assert_eq!(
                fast,
                errors.is_empty(),
                "{} on {}: crate says valid={}, walker reports {:?}",
                schema, instance, fast, errors
            );
            prop_assert_eq!(v.validate(&instance, mode).is_ok(), fast);
            for e in errors.iter().filter(|e| e.instance_path == "/p") {
                prop_assert_eq!(
                    &*e.schema_path,
                    format!("{prefix}{}", e.keyword),
                    "{} on {}",
                    schema, instance
                );
            }
        }
    }
}
