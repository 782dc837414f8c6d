//! `cargo xtask validate` (not yet written).

use std::process::ExitCode;

/// Arguments of `cargo xtask validate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("cargo xtask validate is not written yet")
}
