//! Unsupported schemas fail with an error naming the JSON pointer; one snapshot per
//! `tests/fixtures/errors/<case>.schema.json`.

fn check(case: &str) {
    let documents = crate::load(&format!("errors/{case}"));
    match kyc_codegen::generate(&documents, "test") {
        Ok(_) => panic!("{case} should be rejected"),
        Err(err) => {
            let message = err.to_string();
            assert!(
                message.contains("#/"),
                "{case}: no JSON pointer in {message:?}"
            );
            insta::assert_snapshot!(case.trim_end_matches(".schema.json"), message);
        }
    }
}

#[test]
fn every_unsupported_schema_is_an_error_with_a_pointer() {
    let cases = crate::cases(&crate::fixtures_dir().join("errors"));
    assert!(!cases.is_empty());
    for case in cases {
        check(&case);
    }
}
