//! `cargo xtask ci` (not yet written).

use std::process::ExitCode;

/// Arguments of `cargo xtask ci`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("cargo xtask ci is not written yet")
}
