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
