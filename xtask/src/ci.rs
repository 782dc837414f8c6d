//! `cargo xtask ci`: every check CI runs, in the order a developer would want them to fail.
//!
//! Each step is an ordinary command a developer can copy from the output and run alone.
//! All steps run even when one fails, so one CI round trip shows every problem; the exit code
//! is 1 when any step failed and 2 when a step could not be started at all.

use std::process::{Command, ExitCode};

use anyhow::Context;

use crate::report;
use crate::workspace::root;

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
}

const STEPS: &[Step] = &[
    Step {
        name: "format",
        args: &["fmt", "--all", "--", "--check"],
        env: &[],
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
    },
    Step {
        name: "generated types are fresh",
        args: &["xtask", "codegen", "--check"],
        env: &[],
    },
    Step {
        name: "openapi.json is fresh",
        args: &["xtask", "openapi", "--check"],
        env: &[],
    },
    Step {
        name: "the embeddable mock stays lean",
        args: &["xtask", "mock-deps"],
        env: &[],
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
    },
    Step {
        name: "no unreferenced snapshots",
        args: &["xtask", "snapshots", "--references", REFERENCES],
        env: &[],
    },
    Step {
        name: "conformance suite against the embedded mock",
        args: &["xtask", "conformance"],
        env: &[],
    },
    Step {
        name: "bundled cassettes hold no secrets or personal data",
        args: &[
            "run",
            "--quiet",
            "--locked",
            "-p",
            "kyc-conformance",
            "--",
            "lint",
            "conformance/cassettes",
        ],
        env: &[],
    },
];

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut failed = Vec::new();
    // A stale list from an earlier run would hide a snapshot this run no longer reads.
    let references = root().join(REFERENCES);
    let _ = std::fs::remove_file(&references);
    for step in STEPS {
        report::step(&format!("{}: cargo {}", step.name, step.args.join(" ")));
        let status = Command::new(&cargo)
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
            .with_context(|| format!("starting `cargo {}`", step.args.join(" ")))?;
        if !status.success() {
            failed.push(step.name);
            if args.fail_fast {
                break;
            }
        }
    }
    Ok(report::ci_summary(STEPS.len(), &failed))
}
