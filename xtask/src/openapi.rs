//! `cargo xtask openapi` (not yet written).

use std::process::ExitCode;

/// Arguments of `cargo xtask openapi`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("cargo xtask openapi is not written yet")
}
