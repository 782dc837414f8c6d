//! `cargo xtask goldens` (not yet written).

use std::process::ExitCode;

/// Arguments of `cargo xtask goldens`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("cargo xtask goldens is not written yet")
}
