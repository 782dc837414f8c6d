//! Checks of the workspace's invariants that no compiler enforces, each a subcommand so CI and
//! people run the same thing:
//!
//! * `cargo xtask mock-deps`: the embeddable mock pulls no HTTP client, CLI parser, progress
//!   bar or log subscriber (ARCHITECTURE.md, kyc-mock);
//! * `cargo xtask snapshots --references FILE`: every committed insta snapshot was used by the
//!   test run that wrote FILE (insta's `INSTA_SNAPSHOT_REFERENCES_FILE`), so a snapshot whose
//!   test or input file is gone fails CI instead of rotting.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::workspace::root;

/// Crates the mock must never depend on (normal dependencies).
pub const MOCK_FORBIDDEN: [&str; 4] = ["reqwest", "clap", "indicatif", "tracing-subscriber"];

/// Arguments of `cargo xtask snapshots`.
#[derive(Debug, clap::Args)]
pub struct SnapshotArgs {
    /// The file a test run wrote with `INSTA_SNAPSHOT_REFERENCES_FILE` set.
    #[arg(long)]
    pub references: PathBuf,
}

pub fn mock_deps() -> anyhow::Result<ExitCode> {
    let output = crate::workspace::cargo()
        .current_dir(root())
        .args([
            "tree", "-p", "kyc-mock", "-e", "normal", "--prefix", "none", "--locked",
        ])
        .output()
        .context("running cargo tree")?;
    if !output.status.success() {
        anyhow::bail!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let tree = String::from_utf8(output.stdout).context("cargo tree printed non-UTF-8")?;
    let found = forbidden_in(&tree);
    Ok(crate::report::mock_deps(&found))
}

/// The forbidden crates named in `cargo tree --prefix none` output.
fn forbidden_in(tree: &str) -> Vec<&'static str> {
    let names: BTreeSet<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    MOCK_FORBIDDEN
        .into_iter()
        .filter(|c| names.contains(c))
        .collect()
}

pub fn snapshots(args: SnapshotArgs) -> anyhow::Result<ExitCode> {
    let root = root();
    let text = std::fs::read_to_string(&args.references).with_context(|| {
        format!(
            "reading {} (run the tests with INSTA_SNAPSHOT_REFERENCES_FILE set first)",
            args.references.display()
        )
    })?;
    let referenced: BTreeSet<PathBuf> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| normalise(&root, Path::new(l)))
        .collect();
    let mut committed = Vec::new();
    for dir in ["spec", "codegen", "mock", "conformance", "xtask"] {
        collect_snapshots(&root.join(dir), &mut committed)?;
    }
    let unreferenced: Vec<PathBuf> = committed
        .into_iter()
        .map(|p| normalise(&root, &p))
        .filter(|p| !referenced.contains(p))
        .collect();
    Ok(crate::report::unreferenced_snapshots(&unreferenced))
}

/// A path relative to the workspace root, for comparing what insta wrote with what is on disk.
fn normalise(root: &Path, path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    let absolute = absolute.canonicalize().unwrap_or(absolute);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    absolute
        .strip_prefix(&root)
        .map_or(absolute.clone(), Path::to_path_buf)
}

fn collect_snapshots(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            collect_snapshots(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "snap") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_crates_are_found_by_name_not_by_prefix() {
        let tree = "kyc-mock v0.1.0 (/w/mock)\naxum v0.8.6\nclap_lex v0.7.0\nreqwest v0.12.23\n";
        assert_eq!(forbidden_in(tree), ["reqwest"]);
        assert!(forbidden_in("kyc-mock v0.1.0\ntokio v1.47.0\n").is_empty());
    }

    /// The invariant itself, so plain `cargo test` catches a heavy dependency too.
    #[test]
    fn the_mock_depends_on_no_client_parser_bar_or_subscriber() {
        let code = mock_deps().expect("cargo tree runs");
        assert_eq!(code, ExitCode::SUCCESS, "see `cargo xtask mock-deps`");
    }
}
