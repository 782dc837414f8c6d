//! `cargo xtask goldens`: regenerates the Ajv golden corpus answers in `spec/examples/ajv/`
//! by running the Ajv oracle (node) on every `<schema>.jsonl` there, once per mode:
//! `<schema>.golden.jsonl` (Ajv's defaults) and `<schema>.all-errors.golden.jsonl`.
//! A keyword schema's `$ref`s may point into `<stem>.ref.<name>.json` files beside it.
//! Tests only read the committed answers; only this command needs node.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};

use crate::workspace::{self, Freshness, Mode};

/// Arguments of `cargo xtask goldens`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Ajv oracle directory (with `oracle.js` and `node_modules`). Default:
    /// `$AJV_ORACLE_DIR`, else `../shared/tools/ajv-oracle` next to the workspace.
    #[arg(long)]
    pub oracle: Option<PathBuf>,
    /// Only check that the committed answers match the oracle's (exit 1 when stale).
    #[arg(long)]
    pub check: bool,
}

fn oracle_dir(args: &Args, root: &Path) -> PathBuf {
    args.oracle
        .clone()
        .or_else(|| std::env::var_os("AJV_ORACLE_DIR").map(PathBuf::from))
        .unwrap_or_else(|| root.join("../shared/tools/ajv-oracle"))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root();
    let oracle = oracle_dir(&args, &root);
    if !oracle.join("oracle.js").is_file() {
        bail!(
            "no Ajv oracle at {} (pass --oracle DIR or set AJV_ORACLE_DIR)",
            oracle.display()
        );
    }
    if !oracle.join("node_modules/ajv").is_dir() {
        bail!(
            "the Ajv oracle at {} has no node_modules: copy the directory somewhere writable and \
             run `npm ci` there, then pass --oracle <that dir>",
            oracle.display()
        );
    }
    let schema_dir = root.join("spec/schema");
    let corpus = root.join("spec/examples/ajv");
    let mode = if args.check { Mode::Check } else { Mode::Write };
    // (schema file, documents its `$ref`s may point into, input lines, golden file stem)
    let mut jobs: Vec<(PathBuf, Vec<PathBuf>, PathBuf, PathBuf)> = Vec::new();
    for (doc, input) in corpora(&corpus)? {
        // Every other schema file, as `Validator::embedded` resolves `$ref`s among them.
        let refs = kyc_spec::Document::ALL
            .iter()
            .filter(|d| **d != doc)
            .map(|d| schema_dir.join(d.file_name()))
            .collect();
        let stem = input.with_extension("");
        jobs.push((schema_dir.join(doc.file_name()), refs, input, stem));
    }
    let keywords = corpus.join("keywords");
    let mut keyword_schemas: Vec<PathBuf> = std::fs::read_dir(&keywords)
        .with_context(|| format!("listing {}", keywords.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("listing {}", keywords.display()))?;
    keyword_schemas.retain(|p| p.to_string_lossy().ends_with(".schema.json"));
    keyword_schemas.sort();
    for schema in keyword_schemas {
        let stem = schema
            .to_string_lossy()
            .trim_end_matches(".schema.json")
            .to_owned();
        let refs = keyword_refs(&keywords, &stem)?;
        jobs.push((
            schema,
            refs,
            PathBuf::from(format!("{stem}.jsonl")),
            PathBuf::from(stem),
        ));
    }
    let mut stale = Vec::new();
    for (schema, refs, input, stem) in jobs {
        for (all_errors, suffix) in [(false, "golden"), (true, "all-errors.golden")] {
            let text = oracle_answers(&oracle, all_errors, &refs, &schema, &input)?;
            let golden = PathBuf::from(format!("{}.{suffix}.jsonl", stem.display()));
            match workspace::ensure_file(&golden, &text, mode)? {
                Freshness::Fresh => {}
                Freshness::Written => {
                    crate::validate::note(&format!("wrote {}", golden.display()))?
                }
                Freshness::Stale => stale.push(golden),
            }
        }
    }
    if stale.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for path in &stale {
        crate::validate::note(&format!(
            "stale: {} (run `cargo xtask goldens`)",
            path.display()
        ))?;
    }
    Ok(ExitCode::from(1))
}

/// The golden corpora: every `<name>.jsonl` directly in `dir` (not the goldens), each with the
/// document its name names ([`kyc_spec::Document::from_stem`]), sorted. A corpus whose name
/// names no document is an error, not a silently skipped file.
pub fn corpora(dir: &Path) -> anyhow::Result<Vec<(kyc_spec::Document, PathBuf)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry
            .with_context(|| format!("listing {}", dir.display()))?
            .path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some(stem) = name.strip_suffix(".jsonl") else {
            continue;
        };
        if stem.ends_with(".golden") || !path.is_file() {
            continue;
        }
        let doc = kyc_spec::Document::from_stem(stem)
            .with_context(|| format!("{}: names no schema document", path.display()))?;
        out.push((doc, path));
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// The documents a keyword schema's `$ref`s may point into: `<stem>.ref.<name>.json` beside
/// it (matched by their `$id`), sorted.
fn keyword_refs(dir: &Path, stem: &str) -> anyhow::Result<Vec<PathBuf>> {
    let prefix = format!("{stem}.ref.");
    let mut refs: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("listing {}", dir.display()))?;
    refs.retain(|p| {
        let p = p.to_string_lossy();
        p.starts_with(&prefix) && p.ends_with(".json")
    });
    refs.sort();
    Ok(refs)
}

/// The plugin that gives the oracle connectFi's `isNotOnlyWhitespace` and `dateISO`,
/// committed with the goldens (relative to the workspace root, where xtask runs).
const PLUGIN: &str = "spec/examples/ajv/connectfi-plugin.js";

/// Runs the oracle on one schema and input file; returns its stdout.
fn oracle_answers(
    oracle: &Path,
    all_errors: bool,
    refs: &[PathBuf],
    schema: &Path,
    input: &Path,
) -> anyhow::Result<String> {
    let mut cmd = Command::new("node");
    cmd.arg(oracle.join("oracle.js"));
    if all_errors {
        cmd.arg("--all-errors");
    }
    for r in refs {
        cmd.arg("--ref").arg(r);
    }
    // connectFi's own keyword and format, as DECISIONS.md says they are assumed to be defined.
    cmd.arg("--plugin").arg(PLUGIN);
    cmd.arg(schema).arg(input);
    let output = cmd
        .output()
        .with_context(|| format!("running node {}", oracle.join("oracle.js").display()))?;
    if !output.status.success() {
        bail!(
            "the oracle failed on {}: {}",
            input.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8(output.stdout).context("the oracle printed non-UTF-8")
}
