//! `cargo xtask openapi [--check]`: assembles `spec/openapi.json` from the contract and the schema files.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use kyc_spec::Contract;
use kyc_spec::openapi::{Examples, assemble, render};

use crate::workspace::{Freshness, Mode, ensure_file, root};

/// Arguments of `cargo xtask openapi`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only check that the committed file is fresh; exit 1 when it is stale.
    #[arg(long)]
    pub check: bool,
}

/// The committed document's path, relative to the workspace root.
pub const OUTPUT: &str = "spec/openapi.json";

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let freshness = generate(mode)?;
    Ok(crate::report::freshness(
        OUTPUT,
        freshness,
        "cargo xtask openapi",
    ))
}

/// Builds the document and writes or checks it.
pub fn generate(mode: Mode) -> anyhow::Result<Freshness> {
    let root = root();
    let contract = Contract::embedded();
    let examples = load_examples(&root.join("spec/examples"), contract)?;
    let document = assemble(contract, &examples).context("assembling the OpenAPI document")?;
    ensure_file(&root.join(OUTPUT), &render(&document), mode)
}

fn load_examples(dir: &Path, contract: &Contract) -> anyhow::Result<Examples> {
    let mut examples = Examples::default();
    for rel in contract.example_files() {
        let path = dir.join(rel);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let value =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        examples.files.insert(rel.to_owned(), value);
    }
    Ok(examples)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain `cargo test` catches a schema edit without `cargo xtask openapi`.
    #[test]
    fn committed_openapi_json_is_fresh() {
        let freshness = generate(Mode::Check).expect("the document assembles");
        assert_eq!(
            freshness,
            Freshness::Fresh,
            "spec/openapi.json is stale: run `cargo xtask openapi`"
        );
    }
}
