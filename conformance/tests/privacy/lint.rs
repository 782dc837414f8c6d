//! Lint cases: each directory under `lint/` is linted as `kyc-conformance lint` would; the
//! snapshot is the findings, one line each (file, pointer, kind: never the value).

use std::path::Path;

use kyc_conformance::lint::{Known, lint_dir};

#[test]
fn cases() {
    insta::glob!("lint/*", check);
}

fn check(dir: &Path) {
    let findings = lint_dir(dir, &Known::default()).expect("fixture directory is readable");
    let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
    let text = lines.join("\n");
    // A finding names where, never what: no planted value may appear in the output.
    for planted in [
        "Jane",
        "Roe",
        "jane.roe@",
        "sk_live",
        "eyJ",
        "555-867",
        "078-05-1120",
    ] {
        assert!(
            !text.contains(planted),
            "the lint output shows a value: {planted}"
        );
    }
    insta::assert_snapshot!(text);
}
