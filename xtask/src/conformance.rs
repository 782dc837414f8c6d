//! `cargo xtask conformance`: the main job. Replays the bundled cassettes
//! (`conformance/cassettes/`) against the embedded mock and prints the report; the exit code
//! is the runner's (0 all passed, 1 deviations or errored cases, 2 could not run).

use std::process::{Command, ExitCode};

use anyhow::Context;

use crate::workspace;

/// Arguments of `cargo xtask conformance`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Extra arguments for `kyc-conformance replay` (e.g. `--filter init-status`, `--junit F`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub replay_args: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(workspace::root())
        .args(["run", "--quiet", "-p", "kyc-conformance", "--", "replay"])
        .args(["--cassettes", "conformance/cassettes"])
        .args(&args.replay_args)
        .status()
        .context("running kyc-conformance replay")?;
    // A signal has no code: treat it as "could not run".
    let code = status.code().unwrap_or(2);
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}
