//! `kyc-conformance`: the mock of connectFi's KYC endpoints and the conformance runner, as a
//! thin clap dispatcher over the library's subcommands.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

mod cli;

#[derive(Debug, Parser)]
#[command(name = "kyc-conformance", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the mock until interrupted.
    Mock(cli::mock::MockArgs),
    /// Replay cassettes against the embedded mock or a live target and report deviations.
    Replay(cli::replay::ReplayArgs),
    /// Send the requests of cassettes to a live target and write fresh, redacted cassettes.
    Record(cli::record::RecordArgs),
    /// Compare two replay reports by deviation fingerprint: new, resolved, unchanged.
    Diff(cli::diff::DiffArgs),
    /// Check a directory of cassettes for secrets and personal data.
    Lint(cli::lint::LintArgs),
    /// Answer the questions the docs leave open, with evidence, from the embedded mock or a live target.
    Audit(cli::audit::AuditArgs),
    /// Write the migration report from the deprecated endpoints to /akepa: the contracts' diff, paired scenarios on a target, a checklist.
    Migrate(cli::migrate::MigrateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("kyc_conformance=info,kyc_mock=info")),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Mock(args) => match runtime.block_on(args.run()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!("{e:#}");
                ExitCode::from(2)
            }
        },
        Command::Replay(args) => runtime.block_on(cli::replay::run(args)),
        Command::Record(args) => runtime.block_on(cli::record::run(args)),
        Command::Audit(args) => runtime.block_on(cli::audit::run(args)),
        Command::Migrate(args) => runtime.block_on(cli::migrate::run(args)),
        Command::Diff(args) => cli::diff::run(args),
        Command::Lint(args) => match args.run() {
            Ok(code) => code,
            Err(e) => {
                tracing::error!("{e:#}");
                ExitCode::from(2)
            }
        },
    }
}
