//! `cargo xtask conformance` (not yet written).

use std::process::ExitCode;

/// Arguments of `cargo xtask conformance`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("cargo xtask conformance is not written yet")
}
