//! `kyc-conformance`: a thin clap dispatcher over the library's subcommands.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kyc_conformance::runner;

/// Mock and conformance runner for connectFi's KYC endpoints.
#[derive(Debug, Parser)]
#[command(name = "kyc-conformance", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Replay cassettes against the embedded mock or a live target and report deviations.
    Replay(runner::cli::ReplayArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            runner::output::diagnostic(&format!("error: could not start the async runtime: {e}"));
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Replay(args) => runtime.block_on(runner::cli::run(args)),
    }
}
