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

    /// Patterns that are one ASCII class repeated compile to a byte test instead of a regex;
    /// that test must accept exactly what regress (ECMAScript, `u` flag) accepts, including
    /// at the ends of the input, on line terminators and on non-ASCII look-alikes.
    #[test]
    fn ascii_class_patterns_match_like_regress() {
        use fixtures::strings::{StringsCurrency, StringsDigits, StringsSlug};
        let alphabet: Vec<char> = "09azAZ_-/:@[`{ \n\u{2028}é\u{212a}\u{17f}K"
            .chars()
            .collect();
        // (pattern, the type's own length bound in characters, the type's check)
        type Accepts = dyn Fn(&str) -> bool;
        let checks: [(&str, usize, &Accepts); 4] = [
            ("^[0-9a-zA-Z_-]+$", 36, &|v| CustomerId::new(v).is_ok()),
            ("^[A-Z]{3}$", usize::MAX, &|v| {
                StringsCurrency::new(v).is_ok()
            }),
            ("^[0-9]{2,4}$", usize::MAX, &|v| {
                StringsDigits::new(v).is_ok()
            }),
            ("^[a-z-]*$", usize::MAX, &|v| StringsSlug::new(v).is_ok()),
        ];
        for (pattern, max_chars, accepts) in checks {
            let regex = regress::Regex::with_flags(pattern, "u").expect("compiles");
            let mut seed = 11u64;
            let mut cases: Vec<String> = ["", "ABC", "ABCD", "12", "12345", "a-b", "-"]
                .map(str::to_owned)
                .to_vec();
            for _ in 0..5_000 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let len = (seed >> 61) as usize;
                cases.push(
                    (0..len)
                        .map(|i| alphabet[(seed >> (7 * i)) as usize % alphabet.len()])
                        .collect(),
                );
            }
            for value in &cases {
                let expected = regress_matches(&regex, value) && value.chars().count() <= max_chars;
                assert_eq!(accepts(value), expected, "{pattern} on {value:?}");
            }
        }
    }

    fn regress_matches(regex: &regress::Regex, value: &str) -> bool {
        regex.find(value).is_some()
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
        let v: Numbers = serde_json::from_str(r#"{"percent":0,"ratio":1.25}"#).unwrap();
        assert_eq!(v.count, 10, "the schema's default is filled in when absent");
        let v: Numbers = round_trip(r#"{"percent":0,"ratio":1.25,"count":2}"#);
        assert_eq!(v.count, 2);
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

/// OpenAPI's `discriminator` names the member that picks the branch, whether the branch fixes
/// its value (`enum`), a `mapping` gives it, or the definition's name is the value.
mod discriminator {
    use super::*;
    use fixtures::openapi_annotations::{CatContact, Pet};

    #[test]
    fn the_discriminator_member_picks_the_variant() {
        let cat: Pet = round_trip(r#"{"petType":"Cat","name":"Tom","contact":7}"#);
        assert!(matches!(&cat, Pet::Cat(c) if c.contact == Some(CatContact::Integer(7))));
        let dog: Pet = round_trip(r#"{"petType":"dog"}"#);
        assert_eq!(dog.tag(), "dog");
        let lizard: Pet = round_trip(r#"{"petType":"lizard","collar":{"size":3}}"#);
        assert!(matches!(lizard, Pet::Lizard(_)));
    }

    #[test]
    fn the_mapping_replaces_the_name_and_other_values_are_kept_whole() {
        let v: Pet = round_trip(r#"{"petType":"Dog","name":"Rex"}"#);
        assert!(matches!(v, Pet::Unknown(_)), "{v:?}");
        assert_eq!(v.tag(), "Dog");
        let error = rejects::<Pet>(json!({"name": "Tom"}));
        assert!(error.contains("missing field `petType`"), "{error}");
        rejects::<Pet>(json!({"petType": "Cat"}));
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
            "/// Deprecated (`deprecated: true`): kept for compatibility, avoid it in new code.\n#[derive(",
            "/// Secret (`x-secret`)",
        ] {
            assert!(code.contains(expected), "missing {expected:?} in\n{code}");
        }
        assert!(!code.contains("#[doc"), "docs must print as ///");
    }

    #[test]
    fn openapi_annotations_become_docs() {
        let documents = crate::load("openapi-annotations.schema.json");
        let code = kyc_codegen::generate(&documents, "test").expect("generates");
        for expected in [
            "/// See also: [Pets in the API guide](https://example.com/pets).",
            "/// Read-only (`readOnly`)",
            "/// Write-only (`writeOnly`)",
            "/// See also: <https://example.com/bark>.\n    #[deprecated]",
            "/// {\"size\":3}\n/// {\"size\":4}",
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

/// The accessors of `formats-typed` (`formats.schema.json` with every crate's typed access):
/// they parse the kept text on each call and never change what is written back.
mod typed_access {
    use super::*;
    use fixtures::formats_typed::{
        Formats, FormatsDate, FormatsDateTime, FormatsDuration, FormatsIpv4, FormatsIpv6,
        FormatsIsoDateTime, FormatsIsoTime, FormatsTime, FormatsUri, FormatsUrl, FormatsUuid,
        Timestamp,
    };
    use jiff::civil;
    use jiff::tz::Offset;

    fn hours(n: i32) -> Offset {
        Offset::from_seconds(n * 3600).expect("a small offset")
    }

    #[test]
    fn a_date_time_reads_as_its_instant_and_writes_back_its_text() {
        let text = "2022-10-07T17:18:56.424000Z";
        let v: Formats = round_trip(&format!(r#"{{"dateTime":"{text}"}}"#));
        let date_time = v.date_time.expect("present");
        let instant = date_time.to_jiff().expect("jiff reads it");
        assert_eq!(instant.as_millisecond(), 1_665_163_136_424);
        assert_eq!(
            instant.to_string(),
            "2022-10-07T17:18:56.424Z",
            "jiff's own text"
        );
        assert_eq!(date_time.as_str(), text, "the kept text is untouched");
        assert_eq!(
            serde_json::to_string(&date_time).expect("serializes"),
            format!("\"{text}\"")
        );

        let t: Timestamp = round_trip(&format!("\"{text}\""));
        assert_eq!(t.to_jiff().expect("reads"), instant);
    }

    #[test]
    fn a_date_time_keeps_its_offset_in_the_zoned_value() {
        let v = FormatsDateTime::new("2022-10-07T19:18:56.424+02:00").expect("valid");
        assert_eq!(
            v.to_jiff().expect("reads").as_millisecond(),
            1_665_163_136_424
        );
        let zoned = v.to_jiff_zoned().expect("reads");
        assert_eq!(zoned.offset(), hours(2));
        assert_eq!(
            zoned.datetime(),
            civil::date(2022, 10, 7).at(19, 18, 56, 424_000_000)
        );
        assert_eq!(v.as_str(), "2022-10-07T19:18:56.424+02:00");
        // Whatever separator and offset spelling ajv-formats allows, jiff reads the same.
        for text in [
            "2022-10-07 19:18:56.424+0200",
            "2022-10-07\t19:18:56.424+02",
            "2022-10-07\u{3000}17:18:56.424z",
            "2022-10-07t17:18:56.424-00:00",
        ] {
            let v = FormatsDateTime::new(text).expect("ajv-formats accepts it");
            let instant = v.to_jiff().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(instant.as_millisecond(), 1_665_163_136_424, "{text}");
        }
        let leap = FormatsDateTime::new("2016-12-31T23:59:60Z").expect("a leap second");
        assert_eq!(
            leap.to_jiff().expect("clamped").to_string(),
            "2016-12-31T23:59:59Z"
        );
    }

    #[test]
    fn a_date_time_jiff_cannot_hold_is_an_error_and_is_still_kept() {
        for text in [
            "2022-10-07T17:18:56.1234567891Z", // ten fractional digits: ajv's `\d+` allows it
            "9999-12-31T23:59:59Z",            // past jiff::Timestamp::MAX
        ] {
            let v = FormatsDateTime::new(text).expect("ajv-formats accepts it");
            assert!(v.to_jiff().is_err(), "{text}");
            assert!(v.to_jiff_zoned().is_err(), "{text}");
            assert_eq!(v.as_str(), text);
        }
    }

    #[test]
    fn civil_formats_read_as_written_with_the_offset_apart() {
        let v = FormatsIsoDateTime::new("2022-10-07T17:18:56").expect("no offset needed");
        assert_eq!(
            v.to_jiff().expect("reads"),
            civil::date(2022, 10, 7).at(17, 18, 56, 0)
        );
        assert_eq!(v.to_jiff_offset().expect("reads"), None);
        let v = FormatsIsoDateTime::new("2022-10-07T17:18:56-05:30").expect("valid");
        assert_eq!(
            v.to_jiff_offset().expect("reads"),
            Some(Offset::from_seconds(-(5 * 3600 + 30 * 60)).expect("small"))
        );

        let v = FormatsTime::new("17:18:56.5+02:00").expect("valid");
        assert_eq!(
            v.to_jiff().expect("reads"),
            civil::time(17, 18, 56, 500_000_000)
        );
        assert_eq!(v.to_jiff_offset().expect("reads"), hours(2));
        let v = FormatsIsoTime::new("17:18:56").expect("no offset needed");
        assert_eq!(v.to_jiff().expect("reads"), civil::time(17, 18, 56, 0));
        assert_eq!(v.to_jiff_offset().expect("reads"), None);
        assert_eq!(
            FormatsIsoTime::new("01:59:60+02:00")
                .expect("a leap second at 23:59 UTC")
                .to_jiff()
                .expect("clamped"),
            civil::time(1, 59, 59, 0)
        );

        let v = FormatsDate::new("2024-02-29").expect("a leap day");
        assert_eq!(v.to_jiff(), civil::date(2024, 2, 29));
        assert_eq!(
            FormatsDate::new("0000-01-01").expect("valid").to_jiff(),
            civil::date(0, 1, 1)
        );
    }

    #[test]
    fn durations_keep_their_units() {
        let span = FormatsDuration::new("P1Y2M3DT4H5M6S")
            .expect("valid")
            .to_jiff()
            .expect("reads");
        assert_eq!(
            (span.get_years(), span.get_months(), span.get_days()),
            (1, 2, 3)
        );
        assert_eq!(
            (span.get_hours(), span.get_minutes(), span.get_seconds()),
            (4, 5, 6)
        );
        let span = FormatsDuration::new("PT36H")
            .expect("valid")
            .to_jiff()
            .expect("reads");
        assert_eq!((span.get_days(), span.get_hours()), (0, 36), "not balanced");
        assert_eq!(
            FormatsDuration::new("P2W")
                .expect("valid")
                .to_jiff()
                .expect("reads")
                .get_weeks(),
            2
        );
        let huge = FormatsDuration::new("P99999Y").expect("ajv-formats accepts it");
        assert!(huge.to_jiff().is_err(), "beyond jiff's span range");
    }

    #[test]
    fn a_uuid_reads_from_any_spelling_ajv_formats_accepts() {
        let expected = uuid::Uuid::from_u128(0x6ba7b810_9dad_11d1_80b4_00c04fd430c8);
        for text in [
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
            "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
            "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
            "URN:UUID:6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
        ] {
            let v: FormatsUuid = round_trip(&format!("\"{text}\""));
            assert_eq!(v.to_uuid(), expected, "{text}");
            assert_eq!(v.as_str(), text);
        }
    }

    #[test]
    fn ip_addresses_read_with_std_and_keep_their_text() {
        let v: FormatsIpv6 = round_trip(r#""::0:1""#);
        assert_eq!(v.to_ipv6(), std::net::Ipv6Addr::LOCALHOST);
        assert_eq!(v.to_ipv6().to_string(), "::1", "std's canonical text");
        assert_eq!(v.as_str(), "::0:1", "ours is the received text");
        // The corners of ajv-formats' expression (trailing `::`, embedded IPv4, upper case).
        for text in [
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6::8",
            "::",
            "::FFFF:192.0.2.1",
            "1:2:3:4:5::192.0.2.1",
            "1:2:3:4:5:6:192.0.2.1",
            "0001:0DB8::",
        ] {
            let v = FormatsIpv6::new(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                v.to_ipv6(),
                text.parse::<std::net::Ipv6Addr>().expect("std reads it")
            );
        }
        let v = FormatsIpv4::new("192.0.2.255").expect("valid");
        assert_eq!(v.to_ipv4(), std::net::Ipv4Addr::new(192, 0, 2, 255));
    }

    #[test]
    fn urls_parse_with_whatwg_rules_and_keep_their_text() {
        let v = FormatsUrl::new("HTTP://Example.COM").expect("valid");
        assert_eq!(v.to_url().expect("parses").as_str(), "http://example.com/");
        assert_eq!(v.as_str(), "HTTP://Example.COM");
        let v = FormatsUri::new("urn:isbn:0451450523").expect("valid");
        assert_eq!(v.to_url().expect("parses").scheme(), "urn");
        let v = FormatsUri::new("http://example.com:99999/").expect("ajv-formats allows any port");
        assert_eq!(v.to_url(), Err(url::ParseError::InvalidPort));
    }
}

mod formats {
    use super::*;
    use fixtures::formats::{
        ConstraintError, Formats, FormatsDate, FormatsDateTime, FormatsEmail, FormatsInt32,
        FormatsIsoDateTime, FormatsPassword, FormatsRegex, FormatsTime, FormatsUri, FormatsUuid,
        Timestamp, Violation,
    };

    #[track_caller]
    fn mismatch(result: Result<impl std::fmt::Debug, ConstraintError>, format: &str) {
        let error = result.expect_err("not valid in the format");
        assert_eq!(
            error.violation(),
            &Violation::FormatMismatch {
                format: match format {
                    "date-time" => "date-time",
                    "date" => "date",
                    "time" => "time",
                    "email" => "email",
                    "uri" => "uri",
                    "uuid" => "uuid",
                    "regex" => "regex",
                    "int32" => "int32",
                    _ => panic!("add {format} here"),
                }
            }
        );
    }

    #[test]
    fn date_times_keep_their_exact_text() {
        for text in [
            "2022-10-07T17:18:56.424000Z",
            "2022-10-07T19:18:56.424+02:00",
            "2022-10-07t17:18:56z",
            "2016-12-31T23:59:60Z",
        ] {
            let input = format!(r#"{{"dateTime":"{text}"}}"#);
            let v: Formats = round_trip(&input);
            assert_eq!(
                v.date_time.as_ref().map(FormatsDateTime::as_str),
                Some(text)
            );
        }
        let t: Timestamp = round_trip(r#""2022-10-07T17:18:56.424000Z""#);
        assert_eq!(t.to_string(), "2022-10-07T17:18:56.424000Z");
    }

    #[test]
    fn calendar_formats_are_checked_as_ajv_formats_checks_them() {
        assert!(FormatsDate::new("2024-02-29").is_ok(), "leap day");
        mismatch(FormatsDate::new("2023-02-29"), "date");
        mismatch(FormatsDate::new("2023-1-01"), "date");
        mismatch(FormatsDateTime::new("2022-10-07T17:18:56"), "date-time");
        mismatch(FormatsDateTime::new("2022-10-07T22:59:60Z"), "date-time");
        assert!(
            FormatsIsoDateTime::new("2022-10-07T17:18:56").is_ok(),
            "no zone needed"
        );
        assert!(FormatsDateTime::new("2022-10-07 17:18:56+0200").is_ok());
        assert!(
            FormatsTime::new("23:59:60-01:00").is_err(),
            "not 23:59 in UTC"
        );
        assert!(
            FormatsTime::new("00:59:60+01:00").is_ok(),
            "23:59:60 in UTC"
        );
        mismatch(FormatsTime::new("17:18:56.Z"), "time");
    }

    #[test]
    fn regex_formats_use_ajv_formats_expressions() {
        assert!(FormatsEmail::new("aa@aa.aa").is_ok());
        mismatch(FormatsEmail::new("a@b"), "email");
        assert!(FormatsUuid::new("urn:uuid:3EB38DA0-B798-11ED-877E-9CB46042ED12").is_ok());
        mismatch(FormatsUuid::new("3eb38da0"), "uuid");
        assert!(FormatsUri::new("http://127.0.0.1:9000/x?y=1").is_ok());
        mismatch(FormatsUri::new("noscheme"), "uri");
        assert!(FormatsRegex::new("^(?![<>]).*$").is_ok());
        mismatch(FormatsRegex::new("(unclosed"), "regex");
        mismatch(FormatsRegex::new("a\\Z"), "regex");
        let all: Formats = round_trip(
            r##"{"duration":"P1DT2H","uriReference":"../a?b","uriTemplate":"/users/{id}","url":"https://example.com/a","hostname":"localhost","ipv4":"127.0.0.1","ipv6":"::1","jsonPointer":"/a~1b","jsonPointerUriFragment":"#/a","relativeJsonPointer":"0#","byte":"aGk=","binary":"\u0000raw","birthDate":"07/10/2022"}"##,
        );
        assert_eq!(
            all.birth_date.as_ref().map(|d| d.as_str()),
            Some("07/10/2022"),
            "dateISO is unpublished: kept, never checked"
        );
        for bad in [
            json!({"duration": "P"}),
            json!({"ipv4": "256.0.0.1"}),
            json!({"ipv6": "1:2"}),
            json!({"hostname": "-a"}),
            json!({"byte": "a"}),
            json!({"url": "http://10.0.0.1/"}),
            json!({"jsonPointer": "a"}),
            json!({"relativeJsonPointer": "01"}),
        ] {
            let error = rejects::<Formats>(bad.clone());
            assert!(error.contains("not a valid"), "{bad}: {error}");
        }
    }

    #[test]
    fn number_formats_and_format_with_other_constraints() {
        assert!(FormatsInt32::new(2_147_483_647).is_ok());
        mismatch(FormatsInt32::new(2_147_483_648), "int32");
        let v: Formats = round_trip(
            r#"{"int32":-2147483648,"int64":9223372036854775807,"float":1.5,"double":-0.25}"#,
        );
        assert_eq!(v.int64, Some(i64::MAX), "int64 is a plain i64");
        let error = rejects::<Formats>(json!({"shortEmail": "aaaaaaaaaaaaaaaa@example.com"}));
        assert!(error.contains("at most 20"), "{error}");
        rejects::<Formats>(json!({"shortEmail": "not-an-email"}));
    }

    #[test]
    fn passwords_are_redacted_in_debug() {
        let v: Formats = round_trip(r#"{"password":"hunter2"}"#);
        let debug = format!("{v:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert_eq!(
            FormatsPassword::new("hunter2").expect("any text").as_str(),
            "hunter2"
        );
    }
}

mod value_enums {
    use super::*;
    use fixtures::value_enums::{
        Level, Mixed, Tristate, Values, ValuesBig, ValuesOrigin, ValuesRatio,
    };

    #[test]
    fn integer_enums_keep_unknown_integers_and_reject_other_types() {
        let v: Values = round_trip(r#"{"level":2}"#);
        assert_eq!(v.level, Level::Value2);
        let v: Values = round_trip(r#"{"level":7}"#);
        assert!(v.level.is_unknown());
        assert_eq!(v.level.to_json(), json!(7));
        let error = rejects::<Values>(json!({"level": "2"}));
        assert!(error.contains("Level: expected an integer"), "{error}");
        let error = rejects::<Values>(json!({"level": 2.0}));
        assert!(error.contains("expected an integer, got 2.0"), "{error}");
        assert_eq!(Level::KNOWN.len(), 3);
    }

    #[test]
    fn mixed_enums_take_the_types_of_their_values_and_null() {
        let v: Values = round_trip(r#"{"level":1,"mixed":"auto"}"#);
        assert_eq!(v.mixed, Tristate::Value(Mixed::Auto));
        let v: Values = round_trip(r#"{"level":1,"mixed":-1}"#);
        assert_eq!(v.mixed, Tristate::Value(Mixed::ValueMinus1));
        let v: Values = round_trip(r#"{"level":1,"mixed":0}"#);
        assert_eq!(v.mixed, Tristate::Value(Mixed::Value0));
        let v: Values = round_trip(r#"{"level":1,"mixed":null}"#);
        assert_eq!(v.mixed, Tristate::Null);
        let v: Values = round_trip(r#"{"level":1,"mixed":"manual"}"#);
        assert!(matches!(&v.mixed, Tristate::Value(m) if m.is_unknown()));
        rejects::<Values>(json!({"level": 1, "mixed": true}));
    }

    #[test]
    fn booleans_numbers_and_big_integers_match_exactly() {
        let v: Values = round_trip(r#"{"level":1,"flag":true,"ratio":0.5}"#);
        assert_eq!(v.ratio, Some(ValuesRatio::Half));
        let v: Values = round_trip(r#"{"level":1,"flag":false,"ratio":1}"#);
        assert!(
            v.flag.as_ref().is_some_and(|f| f.is_unknown()),
            "false is kept"
        );
        assert_eq!(v.ratio, Some(ValuesRatio::Whole));
        let v: Values = round_trip(r#"{"level":1,"ratio":1.0}"#);
        assert!(
            v.ratio.as_ref().is_some_and(ValuesRatio::is_unknown),
            "1.0 is kept as written, so it is not the variant that writes 1"
        );
        let v: Values = round_trip(r#"{"level":1,"big":9007199254740993}"#);
        assert_eq!(v.big, Some(ValuesBig::Value9007199254740993));
        let v: Values = round_trip(r#"{"level":1,"big":18446744073709551615}"#);
        assert_eq!(v.big, Some(ValuesBig::Value18446744073709551615));
        let v: Values = round_trip(r#"{"level":1,"big":-9223372036854775808}"#);
        assert_eq!(v.big, Some(ValuesBig::ValueMinus9223372036854775808));
        let v: Values = round_trip(r#"{"level":1,"big":9007199254740992}"#);
        assert!(
            v.big.as_ref().is_some_and(ValuesBig::is_unknown),
            "2^53 is not 2^53 + 1"
        );
    }

    #[test]
    fn non_string_consts_accept_only_their_value() {
        let v: Values =
            round_trip(r#"{"level":1,"version":2,"enabled":true,"origin":{"x":0,"y":0}}"#);
        assert!(v.origin.is_some());
        assert_eq!(ValuesOrigin::value(), json!({"x": 0, "y": 0}));
        let error = rejects::<Values>(json!({"level": 1, "version": 3}));
        assert!(
            error.contains("ValuesVersion: expected 2, got 3"),
            "{error}"
        );
        rejects::<Values>(json!({"level": 1, "enabled": false}));
        rejects::<Values>(json!({"level": 1, "version": "2"}));
        rejects::<Values>(json!({"level": 1, "origin": {"x": 0}}));
    }
}

mod unions {
    use super::*;
    use fixtures::unions::{Address, Id, Payment, Tristate, Unions, UnionsAmount, UnionsList};

    #[test]
    fn scalar_one_of_picks_the_one_branch_and_writes_it_back() {
        let v: Unions = round_trip(r#"{"id":"a-1"}"#);
        assert_eq!(v.id, Some(Id::String("a-1".to_owned())));
        let v: Unions = round_trip(r#"{"id":9007199254740993}"#);
        assert_eq!(v.id, Some(Id::Integer(9_007_199_254_740_993)));
        let error = rejects::<Unions>(json!({"id": true}));
        assert!(
            error.contains("Id: the value matches no `oneOf` branch"),
            "{error}"
        );
        let v: Unions = round_trip(r#"{"list":["a"]}"#);
        assert!(matches!(v.list, Some(UnionsList::Array(_))));
        let v: Unions = round_trip(r#"{"list":false}"#);
        assert_eq!(v.list, Some(UnionsList::Boolean(false)));
    }

    #[test]
    fn any_of_takes_the_first_branch_that_accepts() {
        let v: Unions = round_trip(r#"{"amount":12}"#);
        assert!(matches!(v.amount, Some(UnionsAmount::Integer(12))));
        let v: Unions = round_trip(r#"{"amount":12.5}"#);
        assert!(matches!(v.amount, Some(UnionsAmount::Number(_))));
        let v: Unions = round_trip(r#"{"amount":"12.50"}"#);
        assert_eq!(
            v.amount.as_ref().map(UnionsAmount::branch),
            Some("Variant2")
        );
        let error = rejects::<Unions>(json!({"amount": "twelve"}));
        assert!(error.contains("does not match the pattern"), "{error}");
    }

    #[test]
    fn untagged_objects_must_match_exactly_one_branch() {
        let v: Payment = round_trip(r#"{"number":"4111"}"#);
        assert!(matches!(v, Payment::Card(_)));
        let v: Payment = round_trip(r#"{"iban":"NO93"}"#);
        assert_eq!(v.branch(), "Bank");
        let error = rejects::<Payment>(json!({"number": "4111", "iban": "NO93"}));
        assert!(
            error.contains("matches 2 `oneOf` branches (Card, Bank), but must match exactly one"),
            "ambiguous inputs are errors, not first matches: {error}"
        );
        rejects::<Payment>(json!({"holder": "x"}));
    }

    #[test]
    fn a_ref_or_null_is_a_nullable_member() {
        let v: Unions = round_trip(r#"{"address":null,"shipping":{"city":"Oslo"}}"#);
        assert_eq!(v.address, Tristate::Null);
        let Tristate::Value(Address { city, .. }) = &v.shipping else {
            panic!("shipping is present")
        };
        assert_eq!(city, "Oslo");
        let v: Unions = round_trip(r#"{}"#);
        assert_eq!(v.address, Tristate::Absent);
    }
}

mod pattern_properties {
    use super::*;
    use fixtures::pattern_properties::{
        Labels, LabelsPatternProperties, Tolerant, Typed, Violation,
    };

    #[test]
    fn members_matching_a_pattern_are_typed_and_others_denied() {
        let v: Labels = round_trip(r#"{"name":"n","NO":"Norway","x-a":"1"}"#);
        assert_eq!(
            v.pattern_properties
                .matching()
                .get("NO")
                .map(String::as_str),
            Some("Norway")
        );
        let error = rejects::<Labels>(json!({"name": "n", "other": "x"}));
        assert!(error.contains("unknown member \"other\""), "{error}");
        rejects::<Labels>(json!({"name": "n", "x-a": 1}));
        rejects::<Labels>(json!({"x-a": "1"}));
    }

    #[test]
    fn keys_are_checked_with_ecma_262_unicode_semantics() {
        assert!(
            LabelsPatternProperties::matches("ÅØ"),
            "\\p{{Lu}} takes any upper-case letter"
        );
        assert!(!LabelsPatternProperties::matches("NOR"));
        assert!(!LabelsPatternProperties::matches("no"));
        let wrong = [("no".to_owned(), "x".to_owned())].into_iter().collect();
        let error = LabelsPatternProperties::new(wrong).expect_err("no pattern matches");
        assert_eq!(
            error.violation(),
            &Violation::NameMismatch {
                key: "no".to_owned()
            }
        );
    }

    #[test]
    fn other_members_are_kept_or_typed_by_additional_properties() {
        let v: Tolerant = round_trip(r#"{"a":1,"b":2,"X":"kept"}"#);
        assert_eq!(v.matching().len(), 2);
        assert_eq!(v.other().get("X"), Some(&json!("kept")));
        rejects::<Tolerant>(json!({"a": "1"}));
        let v: Typed = round_trip(r#"{"n_a":1,"flag":true}"#);
        assert_eq!(v.other().get("flag"), Some(&true));
        rejects::<Typed>(json!({"flag": 1}));
    }
}

mod exact_arrays {
    use super::*;
    use fixtures::arrays_exact::{
        Shapes, ShapesCounts, ShapesPair, ShapesPoint, ShapesRange, ShapesRow, ShapesSequence,
        ShapesTags, Violation,
    };

    #[test]
    fn tuples_have_their_length_and_item_types() {
        let v: Shapes = round_trip(r#"{"point":[1.5,-2.5],"pair":["a",true]}"#);
        assert_eq!(v.point, Some(ShapesPoint(1.5, -2.5)));
        assert_eq!(v.pair, Some(ShapesPair("a".to_owned(), true)));
        for bad in [
            json!({"point": [1.5]}),
            json!({"point": [1.5, 2.5, 3.5]}),
            json!({"pair": ["a", 1]}),
        ] {
            rejects::<Shapes>(bad);
        }
    }

    #[test]
    fn trailing_items_may_be_absent_and_further_items_are_typed() {
        let v: Shapes = round_trip(r#"{"range":[1]}"#);
        assert_eq!(v.range, Some(ShapesRange(1, None, None)));
        let v: Shapes = round_trip(r#"{"range":[1,2,"x"]}"#);
        assert_eq!(v.range, Some(ShapesRange(1, Some(2), Some("x".to_owned()))));
        rejects::<Shapes>(json!({"range": []}));
        let gap = serde_json::to_string(&ShapesRange(1, None, Some("x".to_owned())));
        assert!(gap.is_err(), "an item after an absent one has no position");
        let v: Shapes = round_trip(r#"{"row":["a",1,2,3]}"#);
        assert_eq!(v.row, Some(ShapesRow("a".to_owned(), vec![1, 2, 3])));
        rejects::<Shapes>(json!({"row": ["a", "b"]}));
    }

    #[test]
    fn unique_items_and_member_counts_are_checked() {
        assert!(ShapesTags::new(vec!["a".into(), "b".into()]).is_ok());
        let error = ShapesTags::new(vec!["a".into(), "b".into(), "a".into()]).expect_err("dup");
        assert_eq!(
            error.violation(),
            &Violation::DuplicateItems {
                first: 0,
                second: 2
            }
        );
        rejects::<Shapes>(json!({"tags": ["x", "x"]}));
        let v: Shapes = round_trip(r#"{"counts":{"a":1}}"#);
        assert_eq!(v.counts.as_ref().map(|c| c.as_map().len()), Some(1));
        let error = ShapesCounts::new(Default::default()).expect_err("empty");
        assert_eq!(
            error.violation(),
            &Violation::TooFewMembers { min: 1, actual: 0 }
        );
        rejects::<Shapes>(json!({"counts": {"a": 1, "b": 2, "c": 3}}));
    }

    #[test]
    fn integers_beyond_2_pow_53_are_kept_exactly_or_rejected() {
        let v: Shapes = round_trip(r#"{"sequence":18446744073709551615,"nonce":9007199254740993}"#);
        assert_eq!(v.sequence.as_ref().map(ShapesSequence::get), Some(u64::MAX));
        assert_eq!(v.nonce, Some(9_007_199_254_740_993));
        let v: Shapes = round_trip(r#"{"nonce":-9223372036854775808}"#);
        assert_eq!(v.nonce, Some(i64::MIN));
        rejects::<Shapes>(json!({"sequence": -1}));
        let error = serde_json::from_str::<Shapes>(r#"{"sequence":18446744073709551616}"#)
            .expect_err("beyond u64");
        assert!(
            error.to_string().contains("floating point"),
            "never rounded: {error}"
        );
        serde_json::from_str::<Shapes>(r#"{"nonce":9223372036854775808}"#).expect_err("beyond i64");
    }
}

mod connectfi_keywords {
    use super::*;
    use fixtures::connectfi_keywords::{ConnectfiKeywords, ConnectfiKeywordsName, Violation};

    #[test]
    fn only_whitespace_is_refused_with_javascripts_whitespace() {
        for blank in [" ", "\t\n", "\u{a0}\u{3000}", "\u{feff}"] {
            let error = ConnectfiKeywordsName::new(blank).expect_err("only whitespace");
            assert_eq!(error.violation(), &Violation::OnlyWhitespace, "{blank:?}");
        }
        // U+0085 is whitespace to Rust but not to JavaScript's `\s`.
        assert!(ConnectfiKeywordsName::new("\u{85}").is_ok());
        assert!(ConnectfiKeywordsName::new(" a ").is_ok());
        assert!(rejects::<ConnectfiKeywords>(json!({"name": "   "})).contains("whitespace"));
    }

    /// The generated code's copies of JavaScript's `\s` (in the `isNotOnlyWhitespace` check and
    /// in the `date-time` separator) hold the code points of kyc-spec's table, the validator's.
    #[test]
    fn javascripts_whitespace_is_the_validators_table() {
        use fixtures::formats_typed::FormatsDateTime;
        use kyc_spec::ajv::js_space::is_js_whitespace;
        // No code point outside the Basic Multilingual Plane is white space to either side
        // (kyc-spec's own test reads every code point).
        for c in (0..=0xffff).filter_map(char::from_u32) {
            let only = ConnectfiKeywordsName::new(c.to_string())
                .is_err_and(|e| e.violation() == &Violation::OnlyWhitespace);
            assert_eq!(only, is_js_whitespace(c), "U+{:04X}", u32::from(c));
            let separates = FormatsDateTime::new(format!("2022-10-07{c}17:18:56Z")).is_ok();
            let expected = is_js_whitespace(c) || c == 't' || c == 'T';
            assert_eq!(separates, expected, "U+{:04X} in a date-time", u32::from(c));
        }
    }

    #[test]
    fn date_iso_is_kept_as_written_and_false_checks_nothing() {
        let value: ConnectfiKeywords =
            round_trip(r#"{"name":"n","note":"  ","since":"2023-01-15T00:00:00.001Z"}"#);
        assert_eq!(
            value.since.as_value().map(|s| s.as_str()),
            Some("2023-01-15T00:00:00.001Z")
        );
    }
}

mod sharing {
    use super::*;
    use fixtures::shared_values::{CustomerId, DateTime, NextRequest, Order, Text1To50};

    fn order() -> Order {
        round_trip(
            r#"{"customerId":"csta_1","createdAt":"2024-01-01T00:00:00Z","shipping":{"shippedAt":"2024-01-02T00:00:00Z","city":"Oslo","street":"Main"}}"#,
        )
    }

    #[test]
    fn the_customer_id_of_an_answer_is_the_type_of_the_next_request() {
        let order = order();
        // The inline `customerId` is the `CustomerId` definition, so it moves over as it is.
        let id: CustomerId = order.customer_id;
        let next = NextRequest::new(id);
        assert_eq!(next.customer_id.as_str(), "csta_1");
    }

    #[test]
    fn identical_inline_values_are_one_type_that_still_checks() {
        let order = order();
        let shipping = order.shipping.expect("present");
        let times: [&DateTime; 2] = [&order.created_at, shipping.shipped_at.as_ref().unwrap()];
        assert_eq!(times[1].as_str(), "2024-01-02T00:00:00Z");
        let texts: [&Text1To50; 2] = [
            shipping.city.as_ref().unwrap(),
            shipping.street.as_ref().unwrap(),
        ];
        assert_eq!(texts[0].as_str(), "Oslo");
        assert!(DateTime::new("yesterday").is_err());
        assert!(Text1To50::new("").is_err());
    }
}

mod requests {
    use super::*;
    use fixtures::pleasant_request::{BusinessInit, Channel, CustomerInit, Name};

    #[test]
    fn the_variant_implies_the_tag_and_is_named_after_it() {
        let business = CustomerInit::Business(BusinessInit {
            legal_name: Name::new("Acme").expect("valid"),
        });
        assert_eq!(
            serde_json::to_string(&business).expect("serializes"),
            r#"{"customerType":"business","legalName":"Acme"}"#
        );
        let read: CustomerInit =
            serde_json::from_str(r#"{"legalName":"Acme","customerType":"business"}"#).unwrap();
        assert_eq!(read, business);
        assert_eq!(read.tag(), "business");
    }

    #[test]
    fn a_request_has_no_unknown_variants() {
        let error = rejects::<CustomerInit>(json!({"customerType": "trust", "legalName": "A"}));
        assert!(error.contains("unknown variant `trust`"), "{error}");
        let error = rejects::<Channel>(json!("phone"));
        assert!(error.contains("unknown variant `phone`"), "{error}");
        assert!("phone".parse::<Channel>().is_err());
        assert_eq!("web".parse::<Channel>().ok(), Some(Channel::Web));
    }
}

mod construction {
    use super::*;
    use fixtures::pleasant_request::{Channel, CustomerInit, IndividualInit, Name, Tristate};

    #[test]
    fn new_takes_the_required_members_and_setters_the_rest() {
        let name = |s: &str| Name::new(s).expect("valid");
        let init = IndividualInit::new(name("Ada"), name("Lovelace")).with_channel(Channel::Web);
        assert_eq!(
            serde_json::to_string(&CustomerInit::Individual(init)).expect("serializes"),
            r#"{"customerType":"individual","firstName":"Ada","lastName":"Lovelace","channel":"web","retries":3,"note":"none"}"#
        );
    }

    #[test]
    fn schema_defaults_apply_when_absent_and_null_stays_null() {
        let read: IndividualInit =
            serde_json::from_value(json!({"firstName": "A", "lastName": "B"})).unwrap();
        assert_eq!(read.retries, 3);
        assert_eq!(read.note, Tristate::Value("none".to_owned()));
        let null: IndividualInit = serde_json::from_value(
            json!({"firstName": "A", "lastName": "B", "note": null, "retries": 5}),
        )
        .unwrap();
        assert_eq!(null.note, Tristate::Null);
        assert_eq!(null.retries, 5);
    }
}
