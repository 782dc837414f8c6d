//! What `Validator::new` accepts and refuses: every embedded document compiles, and schemas
//! using something Ajv-exact validation cannot reproduce are refused with the pointer.

use kyc_spec::Document;
use kyc_spec::ajv::{Error, Mode, Validator};
use serde_json::json;

#[test]
fn every_embedded_document_compiles() {
    for doc in Document::ALL {
        let v = Validator::embedded(doc);
        // Exercise both engines once so a lazily failing part would show here.
        let _ = v.validate(&json!({}), Mode::AllErrors);
    }
}

fn refused(schema: serde_json::Value) -> String {
    match Validator::new(&schema, &[]) {
        Ok(_) => panic!("{schema} should be refused"),
        Err(Error::Schema { pointer, reason }) => format!("{pointer}: {reason}"),
    }
}

#[test]
fn unsupported_schemas_are_refused_with_their_location() {
    let cases = [
        (
            json!({"properties": {"a": {"unevaluatedProperties": false}}}),
            "#/properties/a: unsupported keyword `unevaluatedProperties`",
        ),
        (
            json!({"properties": {"a": {"format": "dateIso"}}}),
            "#/properties/a/format: unknown format",
        ),
        (
            json!({"isNotOnlyWhitespace": "yes"}),
            "#/isNotOnlyWhitespace: `isNotOnlyWhitespace` must be a boolean",
        ),
        (
            json!({"nullable": true}),
            "#: \"nullable\" cannot be used without \"type\"",
        ),
        (
            json!({"type": "strin"}),
            "#/type: `type` must be a type name",
        ),
        (
            json!({"$ref": "other.json#/x"}),
            "#/$ref: cannot resolve $ref",
        ),
        (
            json!({"pattern": "(?<"}),
            "#/pattern: not an ECMAScript regular expression",
        ),
        (
            json!({"required": ["toString"]}),
            "#/required: property name \"toString\"",
        ),
        (
            json!({"items": 5}),
            "#/items: a schema must be an object or a boolean",
        ),
    ];
    for (schema, expected) in cases {
        let got = refused(schema);
        assert!(
            got.starts_with(expected),
            "got {got:?}, expected it to start with {expected:?}"
        );
    }
}
