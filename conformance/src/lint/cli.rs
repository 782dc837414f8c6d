//! The `lint` subcommand: arguments, exit code, and the one place that prints findings.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Known, lint_dir};

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

/// The invented people bundled fixtures may use: every value of the mock's built-in
/// customers, which exist only in this repository.
pub fn known_invented() -> Known {
    fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
            serde_json::Value::Object(map) => map.values().for_each(|i| strings(i, out)),
            _ => {}
        }
    }
    let mut values = Vec::new();
    for template in crate::mock::builtin::templates() {
        for v in template.customer.values() {
            strings(v, &mut values);
        }
    }
    let mut known = Known::default();
    known.extend(values);
    known
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
fn print_findings(findings: &[super::Finding]) {
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
