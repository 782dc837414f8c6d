//! `cargo xtask`: the one way people and CI drive the workspace.
//!
//! Exit codes follow the workspace convention: 0 all good, 1 stale files or deviations found,
//! 2 could not run.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod checks;
mod ci;
mod codegen;
mod conformance;
mod goldens;
mod openapi;
mod report;
mod validate;
mod workspace;

/// Workspace automation for the connectFi KYC toolkit.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate `spec/src/generated.rs` from `spec/schema/` (or check it is fresh).
    Codegen(codegen::Args),
    /// Assemble `spec/openapi.json` from the schema files (or check it is fresh).
    Openapi(openapi::Args),
    /// Validate JSON lines against a schema, printing one Ajv-oracle line per input.
    Validate(validate::Args),
    /// Regenerate the Ajv golden corpus answers with the Ajv oracle (needs node).
    Goldens(goldens::Args),
    /// Replay the bundled cassettes against the embedded mock and print the report.
    Conformance(conformance::Args),
    /// Audit the embedded mock: the open questions answered, reports in `target/audit/`.
    Audit,
    /// The migration report on the embedded mock: the contracts' diff, the paired scenarios, the checklist, in `target/migration/`.
    Migrate,
    /// Check that the embeddable mock depends on no HTTP client, CLI parser, bar or subscriber.
    MockDeps,
    /// Check that every committed insta snapshot was used by a test run.
    Snapshots(checks::SnapshotArgs),
    /// Everything CI checks: fmt, clippy, freshness, tests, conformance, cassette lint.
    Ci(ci::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(args),
        Command::Openapi(args) => openapi::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Goldens(args) => goldens::run(args),
        Command::Conformance(args) => conformance::run(args),
        Command::Audit => conformance::audit(),
        Command::Migrate => conformance::migrate(),
        Command::MockDeps => checks::mock_deps(),
        Command::Snapshots(args) => checks::snapshots(args),
        Command::Ci(args) => ci::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {err:#}");
            }
            ExitCode::from(2)
        }
    }
}
