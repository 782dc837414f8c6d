//! One insta snapshot of generated code per fixture; adding a case means adding a
//! `tests/fixtures/<case>.schema.json`.

const COMMAND: &str = "kyc-codegen tests/fixtures/<case>.schema.json";

fn check(case: &str) {
    let documents = crate::load(case);
    let code = kyc_codegen::generate(&documents, COMMAND)
        .unwrap_or_else(|e| panic!("{case} should generate: {e}"));
    let again = kyc_codegen::generate(&documents, COMMAND).expect("generated once already");
    assert_eq!(code, again, "{case}: output is not byte-stable");
    insta::assert_snapshot!(case.trim_end_matches(".schema.json"), code);
}

#[test]
fn every_fixture_matches_its_snapshot() {
    let cases = crate::cases(&crate::fixtures_dir());
    assert!(cases.len() >= 10, "the fixture corpus is missing");
    for case in cases {
        check(&case);
    }
}
