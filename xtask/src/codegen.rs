//! `cargo xtask codegen [--check]`: regenerates `spec/src/generated.rs` from the contract's
//! schema documents, or (with `--check`) exits 1 when the checked-in file is stale.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::workspace::{self, Freshness, Mode};

/// The generated module, relative to the workspace root.
pub const OUTPUT: &str = "spec/src/generated.rs";

/// Arguments of `cargo xtask codegen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only compare: exit 1 if the checked-in file is stale.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let freshness = ensure(&workspace::root(), mode)?;
    Ok(crate::report::freshness(
        OUTPUT,
        freshness,
        "cargo xtask codegen",
    ))
}

/// Generates the module for the workspace at `root` and writes or compares it.
pub fn ensure(root: &Path, mode: Mode) -> anyhow::Result<Freshness> {
    let code = generate(root)?;
    workspace::ensure_file(&root.join(OUTPUT), &code, mode)
}

/// The module's text for the schema documents under `root`.
pub fn generate(root: &Path) -> anyhow::Result<String> {
    let documents = documents(root)?;
    kyc_codegen::generate(&documents, "cargo xtask codegen").context("generating Rust types")
}

/// Every `spec/schema/*.json` in file-name order, except the cassette format: cassettes are the
/// conformance runner's own file format (owned and typed by `kyc-conformance`), not part of
/// connectFi's wire contract that users deserialize.
fn documents(root: &Path) -> anyhow::Result<Vec<kyc_codegen::Document>> {
    let dir = root.join("spec/schema");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("listing {}", dir.display()))? {
        let name = entry
            .with_context(|| format!("listing {}", dir.display()))?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".json") && name != "cassette.schema.json" {
            names.push(name);
        }
    }
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = dir.join(&name);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(kyc_codegen::Document {
                name: format!("spec/schema/{name}"),
                text,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain `cargo test` fails when someone edits a schema and forgets `cargo xtask codegen`.
    #[test]
    fn generated_types_are_fresh() {
        let freshness = ensure(&workspace::root(), Mode::Check).expect("the schemas generate");
        assert_eq!(
            freshness,
            Freshness::Fresh,
            "{OUTPUT} is stale: run `cargo xtask codegen`"
        );
    }
}
