//! What xtask prints: results on stdout, diagnostics on stderr, and the exit code they imply.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use crate::workspace::Freshness;

/// Reports one generated file and maps it to the workspace exit code (1 = stale).
pub fn freshness(path: &str, freshness: Freshness, command: &str) -> ExitCode {
    match freshness {
        Freshness::Fresh => {
            println!("{path} is fresh");
            ExitCode::SUCCESS
        }
        Freshness::Written => {
            println!("{path} written");
            ExitCode::SUCCESS
        }
        Freshness::Stale => {
            eprintln!("{path} is stale: run `{command}` and commit the result");
            ExitCode::from(1)
        }
    }
}

/// A line of progress for people, on stderr.
pub fn step(what: &str) {
    eprintln!("==> {what}");
}

/// The closing lines of `cargo xtask ci`.
pub fn ci_summary(total: usize, failed: &[&str]) -> ExitCode {
    if failed.is_empty() {
        println!("ci: all {total} steps passed");
        ExitCode::SUCCESS
    } else {
        for name in failed {
            eprintln!("ci: step failed: {name}");
        }
        println!("ci: {} of {total} steps failed", failed.len());
        ExitCode::from(1)
    }
}

/// The result of `cargo xtask mock-deps` (1 = a forbidden dependency).
pub fn mock_deps(found: &[&str]) -> ExitCode {
    if found.is_empty() {
        println!("kyc-mock depends on none of reqwest, clap, indicatif, tracing-subscriber");
        ExitCode::SUCCESS
    } else {
        for name in found {
            eprintln!(
                "kyc-mock depends on {name}: `cargo tree -p kyc-mock -e normal -i {name}` shows the path"
            );
        }
        ExitCode::from(1)
    }
}

/// The result of `cargo xtask snapshots` (1 = unreferenced snapshots).
pub fn unreferenced_snapshots(paths: &[std::path::PathBuf]) -> ExitCode {
    if paths.is_empty() {
        println!("every committed snapshot is used by a test");
        ExitCode::SUCCESS
    } else {
        for path in paths {
            eprintln!(
                "unreferenced snapshot: {} (delete it, or restore the test or input that wrote it)",
                path.display()
            );
        }
        ExitCode::from(1)
    }
}
