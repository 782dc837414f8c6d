//! The Ajv golden corpus: every line of `spec/examples/ajv/<schema>.jsonl` must render exactly
//! the line Ajv 8 printed for it (committed by `cargo xtask goldens`), in both modes.
//! Adding a case means adding an input line and regenerating the answers.

use std::path::Path;

use kyc_spec::Document;
use kyc_spec::ajv::{Mode, Validator, render_line};

/// Every `<name>.jsonl` of the corpus with the document its name names: a new corpus is a
/// new file, found here and by `cargo xtask goldens` alike.
fn corpora() -> Vec<(String, Document)> {
    let mut out: Vec<(String, Document)> = std::fs::read_dir(corpus_dir())
        .expect("the corpus directory lists")
        .map(|e| e.expect("directory entry").path())
        .filter_map(|p| {
            let stem = p.file_name()?.to_str()?.strip_suffix(".jsonl")?.to_owned();
            (!stem.ends_with(".golden") && p.is_file()).then_some(stem)
        })
        .map(|stem| {
            let doc = Document::from_stem(&stem)
                .unwrap_or_else(|| panic!("{stem}.jsonl names no schema document"));
            (stem, doc)
        })
        .collect();
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn corpus_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ajv")
}

fn check(name: &str, doc: Document, mode: Mode, golden_suffix: &str) -> usize {
    compare(
        &corpus_dir().join(name),
        Validator::embedded(doc),
        mode,
        golden_suffix,
    )
}

/// Compares our rendering of every line of `<stem>.jsonl` with `<stem>.<suffix>.jsonl`;
/// reports every mismatch.
fn compare(stem: &Path, validator: &Validator, mode: Mode, golden_suffix: &str) -> usize {
    let name = stem.display();
    let inputs = read(Path::new(&format!("{name}.jsonl")));
    let goldens = read(Path::new(&format!("{name}.{golden_suffix}.jsonl")));
    let inputs: Vec<&str> = inputs.lines().filter(|l| !l.trim().is_empty()).collect();
    let goldens: Vec<&str> = goldens.lines().collect();
    assert_eq!(
        inputs.len(),
        goldens.len(),
        "{name}.{golden_suffix}.jsonl is stale: run `cargo xtask goldens`"
    );
    let mut mismatches = Vec::new();
    for (i, (input, golden)) in inputs.iter().zip(&goldens).enumerate() {
        let instance: serde_json::Value = serde_json::from_str(input)
            .unwrap_or_else(|e| panic!("{name}.jsonl line {}: not JSON: {e}", i + 1));
        let ours = render_line(&validator.validate(&instance, mode));
        if ours != *golden {
            mismatches.push(format!(
                "line {}: {input}\n  ajv:  {golden}\n  ours: {ours}",
                i + 1
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{name} ({mode:?}): {} of {} lines differ from Ajv:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches.join("\n")
    );
    inputs.len()
}

#[test]
fn first_error_mode_matches_ajv_byte_for_byte() {
    let mut total = 0;
    for (name, doc) in corpora() {
        total += check(&name, doc, Mode::FirstError, "golden");
    }
    assert!(total >= 100, "the corpus shrank to {total} lines");
}

#[test]
fn all_errors_mode_matches_ajv_byte_for_byte() {
    for (name, doc) in corpora() {
        check(&name, doc, Mode::AllErrors, "all-errors.golden");
    }
}

/// The documents `keywords/<stem>.schema.json` may `$ref` into: `<stem>.ref.<name>.json`.
fn keyword_refs(stem: &str) -> Vec<serde_json::Value> {
    let dir = corpus_dir().join("keywords");
    let prefix = format!("{stem}.ref.");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| {
            let p = p.to_string_lossy();
            p.starts_with(&prefix) && p.ends_with(".json")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| serde_json::from_str(&read(p)).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

/// `keywords/<name>.schema.json` with `<name>.jsonl`: one schema per keyword family beyond
/// what our KYC schemas use (formats, numbers, arrays, composition, refs, propertyNames),
/// plus the `<name>.ref.*.json` documents its `$ref`s point into.
#[test]
fn keyword_corpus_matches_ajv_in_both_modes() {
    let dir = corpus_dir().join("keywords");
    let mut schemas: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".schema.json"))
        .collect();
    schemas.sort();
    assert!(schemas.len() >= 9, "keyword corpus shrank: {schemas:?}");
    for path in schemas {
        let schema: serde_json::Value = serde_json::from_str(&read(&path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = path
            .to_string_lossy()
            .trim_end_matches(".schema.json")
            .to_owned();
        let validator = Validator::new(&schema, &keyword_refs(&stem))
            .unwrap_or_else(|e| panic!("{} does not compile: {e}", path.display()));
        for (mode, suffix) in [
            (Mode::FirstError, "golden"),
            (Mode::AllErrors, "all-errors.golden"),
        ] {
            compare(Path::new(&stem), &validator, mode, suffix);
        }
    }
}

#[test]
fn request_corpus_has_at_least_100_bodies() {
    let dir = corpus_dir();
    let n = read(&dir.join("request.jsonl"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    assert!(n >= 100, "request.jsonl has {n} bodies");
}

#[test]
fn the_seed_400_context_is_reproduced() {
    // The seed's 400 answer for a body without customerId, verbatim.
    let seed = r##"[{"instancePath":"","schemaPath":"#/required","keyword":"required","params":{"missingProperty":"customerId"},"message":"must have required property 'customerId'"}]"##;
    let errors = Validator::embedded(Document::KycInitRequest)
        .validate(&serde_json::json!({}), Mode::FirstError)
        .expect_err("an empty body lacks customerId");
    assert_eq!(kyc_spec::ajv::render_errors(&errors), seed);
    assert_eq!(
        serde_json::to_string(&errors).expect("errors serialize"),
        seed,
        "serde serialization keeps Ajv's key order"
    );
}
