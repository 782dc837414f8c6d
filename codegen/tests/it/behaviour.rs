//! What users rely on, checked on the compiled fixture snapshots: absent/null/value stay apart,
//! unknown enum values and tags survive, constraints are enforced with typed errors, unknown
//! members are rejected only where the schema says so.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::fixtures;

/// Deserializes `input`, serializes it back, and asserts the JSON text is identical (so member
/// order and absent-versus-null survive), returning the value.
#[track_caller]
fn round_trip<T: DeserializeOwned + Serialize>(input: &str) -> T {
    let value: T =
        serde_json::from_str(input).unwrap_or_else(|e| panic!("{input} should parse: {e}"));
    assert_eq!(serde_json::to_string(&value).expect("serializes"), input);
    value
}

#[track_caller]
fn rejects<T: DeserializeOwned + std::fmt::Debug>(input: Value) -> String {
    match serde_json::from_value::<T>(input.clone()) {
        Ok(v) => panic!("{input} should be rejected, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

mod nullability {
    use super::*;
    use fixtures::nullable::{Nullables, Tristate};

    #[test]
    fn optional_nullable_keeps_absent_null_and_value_apart() {
        let absent: Nullables =
            round_trip(r#"{"plain":"p","requiredNullable":null,"requiredTypeArray":null}"#);
        assert_eq!(absent.optional_nullable, Tristate::Absent);
        let null: Nullables = round_trip(
            r#"{"plain":"p","requiredNullable":null,"requiredTypeArray":null,"optionalNullable":null}"#,
        );
        assert_eq!(null.optional_nullable, Tristate::Null);
        let value: Nullables = round_trip(
            r#"{"plain":"p","requiredNullable":"x","requiredTypeArray":3,"optionalNullable":"v"}"#,
        );
        assert_eq!(value.optional_nullable, Tristate::Value("v".to_owned()));
        assert_eq!(value.required_nullable.as_deref(), Some("x"));
        assert_eq!(value.required_type_array, Some(3));
    }

    #[test]
    fn required_nullable_must_be_present() {
        let error = rejects::<Nullables>(json!({"plain": "p", "requiredTypeArray": 1}));
        assert!(
            error.contains("missing field `requiredNullable`"),
            "{error}"
        );
    }

    #[test]
    fn optional_is_skipped_when_absent_and_null_is_rejected() {
        let v: Nullables = round_trip(
            r#"{"plain":"p","requiredNullable":null,"requiredTypeArray":null,"optional":true}"#,
        );
        assert_eq!(v.optional, Some(true));
        rejects::<Nullables>(
            json!({"plain": "p", "requiredNullable": null, "requiredTypeArray": null, "optional": null}),
        );
    }

    #[test]
    fn a_nullable_named_type_is_nullable_where_used() {
        let v: Nullables = round_trip(
            r#"{"plain":"p","requiredNullable":null,"requiredTypeArray":null,"nullableRef":null}"#,
        );
        assert_eq!(v.nullable_ref, Tristate::Null);
    }

    #[test]
    fn additional_properties_false_rejects_unknown_members() {
        let error = rejects::<Nullables>(
            json!({"plain": "p", "requiredNullable": null, "requiredTypeArray": null, "extra": 1}),
        );
        assert!(error.contains("unknown field `extra`"), "{error}");
    }
}

mod enums {
    use super::*;
    use fixtures::enums::{Enums, Side, Status, Tristate};

    #[test]
    fn unknown_values_deserialize_and_round_trip_exactly() {
        let v: Enums =
            round_trip(r#"{"status":"ON_HOLD","side":"TOP","tags":["APPROVED","NEW\"ONE"]}"#);
        assert!(v.status.is_unknown());
        assert_eq!(v.status.as_str(), "ON_HOLD");
        assert_eq!(v.status.to_string(), "ON_HOLD");
        let Tristate::Value(side) = &v.side else {
            panic!("side is present")
        };
        assert_eq!(side.as_str(), "TOP");
        assert_eq!(v.tags.as_deref().map(<[Status]>::len), Some(2));
    }

    #[test]
    fn known_values_map_to_variants_with_names_from_the_schema() {
        let v: Enums = round_trip(r#"{"status":"2FA","side":"BACK","idType":"DRIVING LICENSE"}"#);
        assert_eq!(v.status, Status::TwoFactor);
        assert_eq!(v.side, Tristate::Value(Side::Back));
        assert_eq!("WAITING_DATA".parse::<Status>(), Ok(Status::WaitingData));
        assert_eq!(Status::KNOWN.len(), 3);
        assert!(Status::KNOWN.iter().all(|s| !s.is_unknown()));
    }

    #[test]
    fn an_unknown_value_never_equals_a_known_one() {
        let parsed: Status = "APPROVED".parse().expect("infallible");
        assert_eq!(parsed, Status::Approved);
        let unknown: Status = "approved".parse().expect("infallible");
        assert_ne!(unknown, Status::Approved);
        assert!(unknown.is_unknown());
    }

    #[test]
    fn nullable_enum_takes_null_and_non_strings_are_rejected() {
        let v: Enums = round_trip(r#"{"status":"APPROVED","side":null}"#);
        assert_eq!(v.side, Tristate::Null);
        rejects::<Enums>(json!({"status": 1}));
    }
}

mod constrained {
    use std::collections::HashSet;

    use super::*;
    use fixtures::strings::{
        ConstraintError, CustomerId, Strings, StringsName, StringsSafeText, Violation,
    };

    #[test]
    fn lengths_count_code_points() {
        assert!(
            StringsName::new("日本").is_ok(),
            "two code points, six bytes"
        );
        let error = StringsName::new("日本語です").expect_err("five code points");
        assert_eq!(error.violation(), &Violation::TooLong { max: 4, actual: 5 });
        assert_eq!(error.type_name(), "StringsName");
        assert_eq!(
            StringsName::try_from("x").map_err(|e| e.violation().clone()),
            Err(Violation::TooShort { min: 2, actual: 1 })
        );
    }

    #[test]
    fn patterns_have_ecma_262_semantics_including_lookahead() {
        assert!(StringsSafeText::new("http://127.0.0.1/cb?a=1").is_ok());
        let error: ConstraintError =
            StringsSafeText::new("<script>").expect_err("lookahead forbids <");
        assert!(
            matches!(error.violation(), Violation::PatternMismatch { pattern } if pattern.contains("?!"))
        );
        assert!(CustomerId::new("csta_6clNH3W2pBehujY8mpTCU8").is_ok());
        assert!("csta 1".parse::<CustomerId>().is_err());
        assert_eq!(
            error.to_string(),
            "StringsSafeText: does not match the pattern ^((?![<>]).)*$"
        );
    }

    #[test]
    fn deserializing_cannot_bypass_the_checks() {
        let v: Strings = round_trip(r#"{"customerId":"a-b_C","name":"Ann","safeText":null}"#);
        assert_eq!(v.customer_id.as_str(), "a-b_C");
        let error = rejects::<Strings>(json!({"customerId": "a b", "name": "Ann"}));
        assert!(error.contains("CustomerId: does not match"), "{error}");
        rejects::<Strings>(json!({"customerId": "", "name": "Ann"}));
        rejects::<Strings>(json!({"customerId": "a", "name": "A"}));
    }

    #[test]
    fn string_types_are_hashable_values() {
        let ids: HashSet<CustomerId> = ["a", "b", "a"]
            .into_iter()
            .map(|s| CustomerId::new(s).expect("valid"))
            .collect();
        assert_eq!(ids.len(), 2);
        assert_eq!(String::from(CustomerId::new("z").expect("valid")), "z");
    }

    #[test]
    fn numbers_and_item_counts_are_checked() {
        use fixtures::numbers::{Numbers, NumbersPercent, NumbersRatio};
        assert!(NumbersPercent::new(100).is_ok());
        assert!(NumbersPercent::new(101).is_err());
        assert!(NumbersRatio::new(0.0).is_err(), "exclusive minimum");
        assert!(NumbersRatio::new(f64::NAN).is_err());
        let v: Numbers = round_trip(r#"{"percent":0,"ratio":1.25}"#);
        assert_eq!(v.count, None, "a default is documented, not filled in");
        rejects::<Numbers>(json!({"percent": -1, "ratio": 1.0}));

        use fixtures::arrays::Lists;
        let v: Lists = round_trip(
            r#"{"names":[],"raw":[1,"x",null,{}],"maybeNumbers":[1,null],"atLeastOne":[{"label":"a"}]}"#,
        );
        assert_eq!(v.at_least_one.as_slice().len(), 1);
        rejects::<Lists>(json!({"names": [], "raw": [], "atLeastOne": []}));
    }
}

mod objects {
    use super::*;

    #[test]
    fn unknown_members_are_tolerated_unless_denied() {
        use fixtures::objects::Customer;
        let v: Customer =
            serde_json::from_value(json!({"customerId": "c", "type": "t", "addedLater": 1}))
                .expect("additive server changes must not break clients");
        assert_eq!(v.r#type, "t");
        assert_eq!(
            v.additional_properties.get("addedLater"),
            Some(&json!(1)),
            "and are kept"
        );
        let again = serde_json::to_value(&v).expect("serializes");
        assert_eq!(
            again,
            json!({"customerId": "c", "type": "t", "addedLater": 1})
        );
        let error = rejects::<Customer>(json!({"customerId": "c", "type": "t", "nickName": null}));
        assert!(error.contains("invalid type: null"), "{error}");
    }

    #[test]
    fn additional_properties_schema_collects_the_rest() {
        use fixtures::additional_properties::Headers;
        let v: Headers = serde_json::from_value(
            json!({"content-type": "application/json", "x-request-id": "r1"}),
        )
        .expect("other headers are strings");
        assert_eq!(
            v.additional_properties
                .get("x-request-id")
                .map(String::as_str),
            Some("r1")
        );
        rejects::<Headers>(json!({"content-type": "a", "x-count": 1}));
        rejects::<Headers>(json!({"content-type": "a", "strict": {"b": "x"}}));
    }

    #[test]
    fn all_of_merges_members() {
        use fixtures::all_of::Employee;
        let v: Employee = round_trip(r#"{"name":"Eve","employeeNo":7}"#);
        assert_eq!(v.employee_no.get(), 7);
        rejects::<Employee>(json!({"employeeNo": 7}));
    }

    #[test]
    fn refs_resolve_across_documents_by_id() {
        use fixtures::cross_file::Order;
        let v: Order =
            round_trip(r#"{"id":"ord_0a1b2c3d","shipTo":{"city":"Oslo","zip":"ord_00000000"}}"#);
        assert_eq!(v.ship_to.city, "Oslo");
        rejects::<Order>(json!({"id": "ord_x", "shipTo": {"city": "Oslo"}}));
    }

    #[test]
    fn recursion_is_boxed() {
        use fixtures::recursion::Node;
        let v: Node = round_trip(
            r#"{"name":"a","parent":{"name":"b","children":[{"name":"c"}]},"owner":{"id":"o","favourite":{"name":"d"}}}"#,
        );
        assert_eq!(v.parent.as_ref().map(|p| p.name.as_str()), Some("b"));
    }

    #[test]
    fn constants_accept_only_their_value() {
        use fixtures::constant::{Envelope, SuccessCode};
        let v: Envelope = round_trip(r#"{"code":"0","version":"v1"}"#);
        assert_eq!(v.code.as_str(), SuccessCode::VALUE);
        let error = rejects::<Envelope>(json!({"code": "1", "version": "v1"}));
        assert!(error.contains(r#"expected the string "0""#), "{error}");
    }
}

mod secrets {
    use super::*;
    use fixtures::docs::{Documented, DocumentedSecret};

    #[test]
    fn secret_strings_are_redacted_in_debug_but_round_trip() {
        let v: Documented = round_trip(r#"{"current":"a","secret":"hunter2"}"#);
        let debug = format!("{v:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("DocumentedSecret(<redacted>)"), "{debug}");
        let secret = DocumentedSecret::new("hunter2").expect("no constraints");
        assert_eq!(
            secret.as_str(),
            "hunter2",
            "the value stays reachable on purpose"
        );
    }
}

mod tagged {
    use super::*;
    use fixtures::one_of_tagged::Event;

    #[test]
    fn the_const_member_picks_the_variant() {
        let v: Event = round_trip(r#"{"id":"1","kind":"deleted","reason":null}"#);
        assert!(matches!(v, Event::Deleted(ref d) if d.reason.is_none()));
        assert_eq!(v.tag(), "deleted");
        let v: Event = round_trip(r#"{"kind":"created","id":"2"}"#);
        assert!(matches!(v, Event::Created(_)));
    }

    #[test]
    fn an_unknown_tag_is_kept_whole_and_a_bad_variant_is_an_error() {
        let v: Event = round_trip(r#"{"kind":"archived","id":"3","when":"now"}"#);
        assert_eq!(v.tag(), "archived");
        let Event::Unknown(object) = &v else {
            panic!("unknown tag")
        };
        assert_eq!(object.as_map().get("when"), Some(&json!("now")));
        rejects::<Event>(json!({"kind": "deleted", "id": "1"}));
        let error = rejects::<Event>(json!({"id": "1"}));
        assert!(error.contains("missing field `kind`"), "{error}");
    }
}

mod schema {
    use super::*;

    #[test]
    fn derived_json_schema_carries_the_constraints() {
        let schema = serde_json::to_value(schemars::schema_for!(fixtures::strings::Strings))
            .expect("serializes");
        let text = schema.to_string();
        assert!(text.contains(r#""pattern":"^[0-9a-zA-Z_-]+$""#), "{text}");
        assert!(text.contains(r#""maxLength":500"#), "{text}");
        let schema = serde_json::to_value(schemars::schema_for!(fixtures::enums::Enums))
            .expect("serializes");
        assert!(
            schema
                .to_string()
                .contains(r#""enum":["WAITING_DATA","APPROVED","2FA"]"#)
        );
    }
}

mod output {
    #[test]
    fn docs_come_from_title_description_constraints_and_examples() {
        let documents = crate::load("docs.schema.json");
        let code = kyc_codegen::generate(&documents, "test").expect("generates");
        for expected in [
            "/// Current value\n    ///\n    /// What to use.",
            "/// # Examples",
            "/// ```json\n/// {\"current\":\"a\"}\n/// ```",
            "#[deprecated]\n    #[serde(",
            "#[deprecated]\n#[derive(",
            "/// Secret (`x-secret`)",
        ] {
            assert!(code.contains(expected), "missing {expected:?} in\n{code}");
        }
        assert!(!code.contains("#[doc"), "docs must print as ///");
    }

    #[test]
    fn fields_keep_the_schema_property_order() {
        let documents = crate::load("objects.schema.json");
        let code = kyc_codegen::generate(&documents, "test").expect("generates");
        let order: Vec<usize> = [
            "pub customer_id",
            "pub r#type",
            "pub nick_name",
            "pub age",
            "pub anything",
        ]
        .iter()
        .map(|f| code.find(f).expect("field present"))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    }
}
