//! Integration tests of kyc-codegen: snapshots of the generated code for every fixture (each
//! snapshot is also compiled, see `build.rs`), errors for unsupported schemas, the behaviour of
//! the generated types, and the command line.

#[cfg(not(blessing))]
mod behaviour;
mod cli;
mod errors;
mod generated;

/// The snapshots of `generated`, compiled.
mod fixtures {
    include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
}

use std::path::{Path, PathBuf};

/// `codegen/tests/fixtures`.
fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Reads a case and its companion documents (`<case>/*.json`), named relative to the fixtures
/// directory so errors and headers do not depend on where the repository lives.
fn load(relative: &str) -> Vec<kyc_codegen::Document> {
    let dir = fixtures_dir();
    let mut names = vec![relative.to_owned()];
    let companions = dir.join(relative.trim_end_matches(".schema.json"));
    if let Ok(entries) = std::fs::read_dir(&companions) {
        let mut extra: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        extra.sort();
        let stem = relative.trim_end_matches(".schema.json");
        names.extend(extra.into_iter().map(|n| format!("{stem}/{n}")));
    }
    names
        .into_iter()
        .map(|name| kyc_codegen::Document {
            text: std::fs::read_to_string(dir.join(&name)).expect("fixture is readable"),
            name,
        })
        .collect()
}

/// Every `*.schema.json` directly in `dir`, sorted.
fn cases(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture directory exists")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".schema.json"))
        .collect();
    names.sort();
    names
}
