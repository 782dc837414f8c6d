//! `cargo xtask ci`: every check CI runs, in the order a developer would want them to fail.
//!
//! Each step is an ordinary command a developer can copy from the output and run alone.
//! All steps run even when one fails, so one CI round trip shows every problem; the exit code
//! is 1 when any step failed and 2 when a step could not be started at all.

use std::process::{Command, ExitCode};

use anyhow::Context;

use crate::conformance;
use crate::report;
use crate::workspace::{self, root};

/// Arguments of `cargo xtask ci`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Stop at the first failing step instead of running them all.
    #[arg(long)]
    pub fail_fast: bool,
}

/// Where the test step lists the snapshots it read (relative to the workspace root; made
/// absolute for the test processes, which run in their crates' directories).
const REFERENCES: &str = "target/insta-references.txt";

struct Step {
    name: &'static str,
    args: &'static [&'static str],
    /// Extra environment for the step.
    env: &'static [(&'static str, &'static str)],
    /// What runs `args`.
    program: Program,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Program {
    Cargo,
    /// The `kyc-conformance` binary as `cargo test --workspace` builds it (see
    /// `conformance::runner_binary`): `cargo run -p kyc-conformance` would rebuild the
    /// dependencies with other features.
    Runner,
    /// Built in: checks that `cargo xtask` and the runner reuse the test build.
    BuildReuse,
}

const STEPS: &[Step] = &[
    Step {
        name: "format",
        args: &["fmt", "--all", "--", "--check"],
        env: &[],
        program: Program::Cargo,
    },
    Step {
        name: "clippy",
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        env: &[],
        program: Program::Cargo,
    },
    Step {
        name: "generated types are fresh",
        args: &["xtask", "codegen", "--check"],
        env: &[],
        program: Program::Cargo,
    },
    Step {
        name: "openapi.json is fresh",
        args: &["xtask", "openapi", "--check"],
        env: &[],
        program: Program::Cargo,
    },
    Step {
        name: "the embeddable mock stays lean",
        args: &["xtask", "mock-deps"],
        env: &[],
        program: Program::Cargo,
    },
    // The README's test command. insta never writes or accepts snapshots here: a changed
    // answer fails the test and has to be reviewed with `cargo insta review` locally. Every
    // snapshot a test reads is listed in the references file for the next step.
    Step {
        name: "tests",
        args: &["test", "--workspace", "--locked"],
        env: &[
            ("INSTA_UPDATE", "no"),
            ("INSTA_FORCE_PASS", "0"),
            ("INSTA_SNAPSHOT_REFERENCES_FILE", REFERENCES),
        ],
        program: Program::Cargo,
    },
    Step {
        name: "no unreferenced snapshots",
        args: &["xtask", "snapshots", "--references", REFERENCES],
        env: &[],
        program: Program::Cargo,
    },
    Step {
        name: "cargo xtask reuses the test build",
        args: &["build", "-p", "xtask"],
        env: &[],
        program: Program::BuildReuse,
    },
    Step {
        name: "conformance suite against the embedded mock",
        args: &["xtask", "conformance"],
        env: &[],
        program: Program::Cargo,
    },
    Step {
        name: "bundled cassettes hold no secrets or personal data",
        args: &["lint", "conformance/cassettes"],
        env: &[],
        program: Program::Runner,
    },
    Step {
        name: "the migration's paired scenarios hold no secrets or personal data",
        args: &["lint", "conformance/migration"],
        env: &[],
        program: Program::Runner,
    },
    Step {
        name: "the audit's probe scenarios hold no secrets or personal data",
        args: &["lint", "conformance/audit"],
        env: &[],
        program: Program::Runner,
    },
];

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut failed = Vec::new();
    // A stale list from an earlier run would hide a snapshot this run no longer reads.
    let references = root().join(REFERENCES);
    let _ = std::fs::remove_file(&references);
    for step in STEPS {
        let ok = match step.program {
            Program::Cargo => {
                report::step(&format!("{}: cargo {}", step.name, step.args.join(" ")));
                workspace::cargo()
                    .args(step.args)
                    .envs(step.env.iter().map(|(k, v)| {
                        if *v == REFERENCES {
                            (*k, references.to_string_lossy().into_owned())
                        } else {
                            (*k, (*v).to_owned())
                        }
                    }))
                    .current_dir(root())
                    .status()
                    .with_context(|| format!("starting `cargo {}`", step.args.join(" ")))?
                    .success()
            }
            Program::Runner => match conformance::runner_binary(&root()) {
                Ok(binary) => {
                    report::step(&format!(
                        "{}: {} {}",
                        step.name,
                        binary.display(),
                        step.args.join(" ")
                    ));
                    Command::new(&binary)
                        .args(step.args)
                        .current_dir(root())
                        .status()
                        .with_context(|| format!("starting {}", binary.display()))?
                        .success()
                }
                Err(e) => {
                    report::step(&format!("{}: {e:#}", step.name));
                    false
                }
            },
            Program::BuildReuse => {
                report::step(&format!(
                    "{}: cargo {} reuses what cargo test --workspace built",
                    step.name,
                    step.args.join(" ")
                ));
                build_reuse(step.args)?
            }
        };
        if !ok {
            failed.push(step.name);
            if args.fail_fast {
                break;
            }
        }
    }
    Ok(report::ci_summary(STEPS.len(), &failed))
}

/// Every unit `cargo <args>` builds (except workspace binaries) must be one that
/// `cargo test --workspace` built: same package, features and profile, so the same file
/// name. A dependency built under another hash means `cargo xtask` recompiles it after the
/// tests; the unification list in the root `Cargo.toml` is then incomplete.
fn build_reuse(args: &[&str]) -> anyhow::Result<bool> {
    let test_units = artifact_files(&["test", "--workspace", "--no-run"])?;
    let mut extra = Vec::new();
    for (package, kind, files) in artifacts(args)? {
        if kind == "bin" && package.starts_with("path+") {
            continue;
        }
        if !files.iter().all(|f| test_units.contains(f)) {
            extra.push(package);
        }
    }
    if extra.is_empty() {
        return Ok(true);
    }
    report::step(&format!(
        "`cargo {}` builds {} unit(s) the tests did not (features differ; extend the \
         unification list in the root Cargo.toml): {}",
        args.join(" "),
        extra.len(),
        extra.join(", ")
    ));
    Ok(false)
}

fn artifact_files(args: &[&str]) -> anyhow::Result<std::collections::HashSet<String>> {
    Ok(artifacts(args)?
        .into_iter()
        .flat_map(|(_, _, files)| files)
        .collect())
}

/// `(package id, first target kind, output files)` of every artifact `cargo <args>` reports.
fn artifacts(args: &[&str]) -> anyhow::Result<Vec<(String, String, Vec<String>)>> {
    let out = workspace::cargo()
        .args(args)
        .args(["--quiet", "--message-format=json-render-diagnostics"])
        .current_dir(root())
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("starting `cargo {}`", args.join(" ")))?;
    if !out.status.success() {
        anyhow::bail!("`cargo {}` failed ({})", args.join(" "), out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .map(|m| {
            let files = m["filenames"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|f| f.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (
                m["package_id"].as_str().unwrap_or_default().to_owned(),
                m["target"]["kind"][0]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                files,
            )
        })
        .collect())
}
