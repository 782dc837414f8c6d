//! The `lint` subcommand: arguments, exit code, and the one place that prints findings.

use std::path::PathBuf;
use std::process::ExitCode;

use kyc_conformance::lint::{Finding, known_invented, lint_dir};

/// `kyc-conformance lint DIR`: exit 0 when clean, 1 when a secret or personal data is found,
/// 2 when the directory cannot be read.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Directory whose `*.json` files (recursively) are checked.
    pub dir: PathBuf,
}

impl LintArgs {
    /// Lints and prints one line per finding on stdout (file, JSON pointer, kind).
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let findings = lint_dir(&self.dir, &known_invented())?;
        print_findings(&findings);
        Ok(if findings.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    }
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
fn print_findings(findings: &[Finding]) {
    for finding in findings {
        println!("{finding}");
    }
    if !findings.is_empty() {
        eprintln!(
            "{} finding(s): redact them (`kyc-conformance record` does) or use invented data",
            findings.len()
        );
    }
}
