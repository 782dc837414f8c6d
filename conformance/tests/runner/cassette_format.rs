//! The cassette format: the minimal form loads, a cassette writes back to what it read, and
//! every bad cassette in `bad_cassettes/` is refused naming its file and a JSON pointer.

use std::path::Path;

use kyc_conformance::cassette::{self, Cassette, CassetteError};

#[test]
fn minimal_form_loads() {
    let text = r#"{"name": "m", "request": {"method": "POST", "path": "/customer/kyc/init", "headers": {}, "body": "not json"},
                   "response": {"status": 400, "headers": {}, "body": {"code": "x"}}}"#;
    let c = Cassette::from_json_str(Path::new("m.json"), text).unwrap();
    assert_eq!(c.name, "m");
    assert_eq!(c.steps[0].request.body, Some(serde_json::json!("not json")));
    assert_eq!(c.steps[0].response.status, 400);
}

#[test]
fn cassette_writes_back_to_what_it_read() {
    let c = crate::playback::seed_cassette("seed");
    let again = Cassette::from_json_str(Path::new("again.json"), &c.to_json_string()).unwrap();
    assert_eq!(c, again);
}

#[test]
fn bundled_suite_loads_and_names_match_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes");
    let all = cassette::load_dir(&dir).unwrap();
    assert!(
        all.len() >= 25,
        "the bundled suite has {} cassettes",
        all.len()
    );
    for (path, c) in all {
        assert_eq!(
            path.file_stem().unwrap().to_str().unwrap(),
            c.name,
            "{}",
            path.display()
        );
    }
}

#[test]
fn duplicate_names_are_refused() {
    let dir = std::env::temp_dir().join(format!("kyc-dup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let c = crate::playback::seed_cassette("same");
    std::fs::write(dir.join("a.json"), c.to_json_string()).unwrap();
    std::fs::write(dir.join("b.json"), c.to_json_string()).unwrap();
    let err = cassette::load_dir(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(matches!(err, CassetteError::DuplicateName { .. }), "{err}");
}

#[test]
fn bad_cassettes_are_refused_with_file_and_pointer() {
    insta::glob!("bad_cassettes/*.json", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = Path::new("bad_cassettes").join(path.file_name().unwrap());
        let err =
            Cassette::from_json_str(&name, &text).expect_err("a bad cassette must be refused");
        let shown = err.to_string().replace('\\', "/");
        assert!(
            shown.starts_with(&name.display().to_string().replace('\\', "/")),
            "{shown}"
        );
        insta::assert_snapshot!(shown);
    });
}

#[test]
fn bundled_suite_is_valid_against_the_cassette_schema() {
    let schema = kyc_spec::Document::Cassette.json();
    let validator = kyc_spec::ajv::Validator::new(&schema, &[]).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == cassette::DEFAULTS_FILE {
            continue; // read by `suite_defaults_follow_their_schema_definition`
        }
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            validator.validate(&value, kyc_spec::ajv::Mode::AllErrors),
            Ok(()),
            "{}",
            path.display()
        );
    }
}

#[test]
fn suite_defaults_follow_their_schema_definition() {
    let mut schema = kyc_spec::Document::Cassette.json();
    // The defaults file's shape is the format's `SuiteDefaults` definition.
    schema
        .as_object_mut()
        .unwrap()
        .retain(|k, _| k.starts_with('$'));
    schema["$ref"] = "#/$defs/SuiteDefaults".into();
    let validator = kyc_spec::ajv::Validator::new(&schema, &[]).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("cassettes")
        .join(cassette::DEFAULTS_FILE);
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        validator.validate(&value, kyc_spec::ajv::Mode::AllErrors),
        Ok(())
    );
    assert!(!cassette::load_defaults(&path).unwrap().is_empty());
    // What the schema refuses, the loader refuses too, naming the place.
    let bad = std::env::temp_dir().join(format!("kyc-defaults-{}.json", std::process::id()));
    for (text, pointer) in [
        (r#"{"match": {"/data/x": "fuzzy"}}"#, "/match/~1data~1x"),
        (r#"{"match": {"data": "type"}}"#, "/match/data"),
        (r#"{"matchers": {}}"#, "/matchers"),
    ] {
        std::fs::write(&bad, text).unwrap();
        let err = cassette::load_defaults(&bad).unwrap_err();
        assert!(
            err.to_string().contains(&format!("at \"{pointer}\"")),
            "{err}"
        );
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(
            validator
                .validate(&value, kyc_spec::ajv::Mode::AllErrors)
                .is_err(),
            "{text}"
        );
    }
    std::fs::remove_file(&bad).unwrap();
}
