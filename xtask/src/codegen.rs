//! `cargo xtask codegen` (not yet written).

use std::process::ExitCode;

/// Arguments of `cargo xtask codegen`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("cargo xtask codegen is not written yet")
}
