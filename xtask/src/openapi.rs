//! `cargo xtask openapi [--check]`: assembles `spec/openapi.json` from the schema files.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
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
    let examples = load_examples(&root.join("spec/examples"))?;
    let document = assemble(&examples).context("assembling the OpenAPI document")?;
    ensure_file(&root.join(OUTPUT), &render(&document), mode)
}

fn load_examples(dir: &Path) -> anyhow::Result<Examples> {
    let read = |rel: &str| -> anyhow::Result<serde_json::Value> {
        let path = dir.join(rel);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    };
    Ok(Examples {
        request: read("request/valid/seed-request.json")?,
        response: read("response/valid/seed-200.json")?,
        validate_error: read("error/valid/seed-400-request-validate-error.json")?,
        customer_not_found: read("error/valid/customer-not-found.json")?,
        unauthorized: read("error/valid/unauthorized.json")?,
    })
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
