//! One insta snapshot of generated code per fixture; adding a case means adding a
//! `tests/fixtures/<case>.schema.json`. [`WITH_OPTIONS`] generates some fixtures again with
//! [`kyc_codegen::Options`], each into a snapshot of its own.

use kyc_codegen::{Crate, Options};

const COMMAND: &str = "kyc-codegen tests/fixtures/<case>.schema.json";

/// Fixture, snapshot name, and whether the accessors are feature-gated: every crate's typed
/// accessors, plain (compiled and exercised in `behaviour`) and gated (compiled with the
/// features off; `build.rs` declares them so the `cfg`s are expected).
const WITH_OPTIONS: &[(&str, &str, bool)] = &[
    ("formats.schema.json", "formats-typed", false),
    ("formats.schema.json", "formats-typed-gated", true),
];

fn typed(feature_gates: bool) -> Options {
    Options {
        typed_access: Crate::ALL.to_vec(),
        feature_gates,
    }
}

fn generate(case: &str, options: &Options) -> String {
    let documents = crate::load(case);
    let code = kyc_codegen::generate_with(&documents, COMMAND, options)
        .unwrap_or_else(|e| panic!("{case} should generate: {e}"));
    let again =
        kyc_codegen::generate_with(&documents, COMMAND, options).expect("generated once already");
    assert_eq!(code, again, "{case}: output is not byte-stable");
    code
}

fn check(case: &str) {
    let code = generate(case, &Options::default());
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

#[test]
fn fixtures_with_options_match_their_snapshots() {
    for &(case, snapshot, gated) in WITH_OPTIONS {
        insta::assert_snapshot!(snapshot, generate(case, &typed(gated)));
    }
}

#[test]
fn the_default_options_are_plain_generate() {
    let documents = crate::load("formats.schema.json");
    assert_eq!(
        kyc_codegen::generate(&documents, COMMAND).expect("generates"),
        kyc_codegen::generate_with(&documents, COMMAND, &Options::default()).expect("generates"),
    );
}

/// The gated module is the plain one with a `cfg` line before each item that needs a crate:
/// so with the features on it compiles as the plain one does (which `behaviour` exercises).
#[test]
fn gating_only_adds_cfg_lines() {
    let plain = generate("formats.schema.json", &typed(false));
    let gated = generate("formats.schema.json", &typed(true));
    let cfgs = ["jiff", "uuid", "url"].map(|c| format!("#[cfg(feature = \"{c}\")]"));
    let mut counts = [0; 3];
    let kept: Vec<&str> = gated
        .lines()
        .filter(|line| match cfgs.iter().position(|c| line.trim() == c) {
            Some(i) => {
                counts[i] += 1;
                false
            }
            None => true,
        })
        .collect();
    assert_eq!(kept, plain.lines().collect::<Vec<_>>());
    // jiff: 6 members and `$defs/Timestamp`, 2 helpers; uuid: 1; url: `uri` and `url`.
    // `std` (ipv4, ipv6): none.
    assert_eq!(counts, [9, 1, 2]);
}
