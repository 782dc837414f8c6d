//! `cargo xtask conformance`: the main job. Replays the bundled cassettes
//! (`conformance/cassettes/`) against the embedded mock and prints the report; the exit code
//! is the runner's (0 all passed, 1 deviations or errored cases, 2 could not run).
//!
//! The runner binary is built with the same package selection as `cargo test --workspace`
//! (`cargo test --workspace --no-run`), not with `cargo run -p kyc-conformance`: Cargo resolves
//! features per selection, and dev-dependencies (insta, proptest, divan) turn on features of
//! shared crates (`getrandom/std`, `aho-corasick/default`, `bitflags/std`, a `unicode-ident`
//! built for the target, …) only when test targets are part of it. A `-p kyc-conformance`
//! build therefore hashed most of the dependency graph differently and recompiled it for
//! minutes after the tests had built it. With the tests' selection the binary is the very
//! one the tests ran, and after `cargo test --workspace` nothing is compiled again (the nested
//! cargo also runs with the shell's environment: see [`workspace::cargo`]).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, bail};

use crate::workspace;

/// Where the reports go, under Cargo's target directory.
const REPORT_DIR: &str = "conformance";

/// Arguments of `cargo xtask conformance`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Extra arguments for `kyc-conformance replay` (e.g. `--filter init-status`). The JSON
    /// and JUnit reports go to `<target dir>/conformance/{report.json,junit.xml}` unless
    /// `--report-json F` or `--junit F` is given here.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub replay_args: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root();
    let binary = runner_binary(&root)?;
    // Strict: against the mock, an extra field or enum value is a regression of the mock.
    let mut replay = vec!["replay".to_owned(), "--strict".to_owned()];
    replay.extend(["--cassettes".to_owned(), "conformance/cassettes".to_owned()]);
    let reports = report_dir(&root)?;
    for (flag, file) in [("--report-json", "report.json"), ("--junit", "junit.xml")] {
        if !has_flag(&args.replay_args, flag) {
            std::fs::create_dir_all(&reports)
                .with_context(|| format!("creating {}", reports.display()))?;
            replay.push(flag.to_owned());
            replay.push(reports.join(file).display().to_string());
        }
    }
    replay.extend(args.replay_args);
    let status = Command::new(&binary)
        .current_dir(&root)
        .args(&replay)
        .status()
        .with_context(|| format!("running {}", binary.display()))?;
    // A signal has no code: treat it as "could not run".
    let code = status.code().unwrap_or(2);
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}

/// `cargo xtask audit`: the audit of the embedded mock with the runner the tests built, its
/// three reports in `<target dir>/audit/`; the exit code is the audit's.
pub fn audit() -> anyhow::Result<ExitCode> {
    report("audit")
}

/// `cargo xtask migrate`: the migration report on the embedded mock, its three files in
/// `<target dir>/migration/`; the exit code is the report's.
pub fn migrate() -> anyhow::Result<ExitCode> {
    report("migrate")
}

/// Runs one of the runner's report subcommands (`audit`, `migrate`) against the embedded
/// mock, writing into `<target dir>/<its directory>/`.
fn report(subcommand: &str) -> anyhow::Result<ExitCode> {
    let root = workspace::root();
    let binary = runner_binary(&root)?;
    let dir = if subcommand == "migrate" {
        "migration"
    } else {
        subcommand
    };
    let out = report_dir(&root)?.with_file_name(dir);
    let status = Command::new(&binary)
        .current_dir(&root)
        .args([subcommand, "--target", "mock", "--out"])
        .arg(&out)
        .status()
        .with_context(|| format!("running {}", binary.display()))?;
    let code = status.code().unwrap_or(2);
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}

/// Whether `args` already set `flag` (as `--flag V` or `--flag=V`).
fn has_flag(args: &[String], flag: &str) -> bool {
    args.iter().any(|a| {
        a == flag
            || a.strip_prefix(flag)
                .is_some_and(|rest| rest.starts_with('='))
    })
}

/// `<target dir>/conformance`, relative to `root` when the target directory is inside it
/// (so the runner prints `target/conformance/report.json`).
fn report_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let out = workspace::cargo()
        .current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo metadata")?;
    if !out.status.success() {
        bail!("cargo metadata failed ({})", out.status);
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("reading cargo metadata's answer")?;
    let target = metadata["target_directory"]
        .as_str()
        .context("cargo metadata names no target_directory")?;
    let target = Path::new(target);
    let target = target.strip_prefix(root).unwrap_or(target);
    Ok(target.join(REPORT_DIR))
}

/// Builds (or finds fresh) the `kyc-conformance` binary exactly as `cargo test --workspace`
/// does, and returns its path.
pub fn runner_binary(root: &Path) -> anyhow::Result<PathBuf> {
    let out = workspace::cargo()
        .current_dir(root)
        .args([
            "test",
            "--workspace",
            "--no-run",
            "--quiet",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo test --workspace --no-run")?;
    if !out.status.success() {
        bail!(
            "`cargo test --workspace --no-run` failed ({}): the runner could not be built",
            out.status
        );
    }
    executable(&String::from_utf8_lossy(&out.stdout), "kyc-conformance").with_context(|| {
        "cargo test --workspace --no-run built no kyc-conformance binary".to_owned()
    })
}

/// The `executable` of the (non-test) binary target `name` among Cargo's JSON messages.
fn executable(messages: &str, name: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter(|m| m["target"]["name"] == name && m["profile"]["test"] == false)
        .filter(|m| {
            m["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"))
        })
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_binary_not_its_unit_tests() {
        let messages = [
            r#"{"reason":"compiler-artifact","target":{"name":"kyc-conformance","kind":["bin"]},"profile":{"test":true},"executable":"/t/debug/deps/kyc_conformance-abc"}"#,
            r#"{"reason":"compiler-artifact","target":{"name":"kyc_conformance","kind":["lib"]},"profile":{"test":false},"executable":null}"#,
            "not json",
            r#"{"reason":"compiler-artifact","target":{"name":"kyc-conformance","kind":["bin"]},"profile":{"test":false},"executable":"/t/debug/kyc-conformance"}"#,
            r#"{"reason":"build-finished","success":true}"#,
        ]
        .join("\n");
        assert_eq!(
            executable(&messages, "kyc-conformance"),
            Some(PathBuf::from("/t/debug/kyc-conformance"))
        );
        assert_eq!(executable(&messages, "other"), None);
    }

    #[test]
    fn sees_report_flags_in_both_spellings() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(has_flag(&args(&["--junit", "x.xml"]), "--junit"));
        assert!(has_flag(&args(&["--junit=x.xml"]), "--junit"));
        assert!(!has_flag(&args(&["--junitx"]), "--junit"));
        assert!(!has_flag(&args(&["--filter", "init"]), "--report-json"));
    }
}
