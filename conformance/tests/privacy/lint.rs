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

/// `cargo xtask ci` lints the bundled suite through the binary; this keeps the same promise
/// inside `cargo test`.
#[test]
fn bundled_cassettes_hold_no_secret_or_personal_data() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes");
    let known = kyc_conformance::lint::known_invented();
    let findings = lint_dir(&dir, &known).expect("the bundled suite is readable");
    assert!(findings.is_empty(), "{findings:#?}");
}

/// The same person with a real-looking name the mock does not invent is a finding: the
/// allowance for invented people is exact, not "anything name-shaped".
#[test]
fn only_the_mocks_own_people_are_allowed() {
    let known = kyc_conformance::lint::known_invented();
    let cassette = serde_json::json!({
        "name": "x",
        "request": {"method": "POST", "path": "/customer/kyc/init"},
        "response": {"status": 200, "body": {"data": {"customer": {"customer": {
            "firstName": "Felix", "lastName": "Okafor-Realperson"
        }}}}}
    });
    let findings = kyc_conformance::lint::lint_value(Path::new("x.json"), &cassette, &known);
    let pointers: Vec<&str> = findings.iter().map(|f| f.pointer.as_str()).collect();
    assert_eq!(pointers, ["/response/body/data/customer/customer/lastName"]);
}

#[test]
fn the_binary_exits_0_clean_1_findings_2_unreadable() {
    let lint = |dir: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kyc-conformance"))
            .arg("lint")
            .arg(dir)
            .output()
            .expect("the binary runs")
    };
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/privacy/lint");
    assert_eq!(lint(&here.join("clean")).status.code(), Some(0));
    let leaks = lint(&here.join("leaks"));
    assert_eq!(leaks.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&leaks.stdout);
    assert!(stdout.contains("sandbox.json: \"/request/headers/x-connectfi-token\": secret_header"));
    assert!(!stdout.contains("sk_live"), "findings never show the value");
    assert_eq!(lint(&here.join("no-such-dir")).status.code(), Some(2));
}
