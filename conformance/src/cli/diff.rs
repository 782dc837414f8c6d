//! `kyc-conformance diff OLD.json NEW.json`: two replay reports compared by deviation
//! fingerprint. Exit 0 when nothing is new, 1 when something is, 2 when a report cannot be
//! read.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::Value;

use kyc_conformance::runner::policy::{Drift, Listed, diff_reports};

use super::output;

/// Arguments of `kyc-conformance diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// The earlier replay report (`replay --report-json`).
    pub old: PathBuf,
    /// The later replay report.
    pub new: PathBuf,
    /// Print the comparison as JSON (`{"new","resolved","unchanged"}`) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `diff`: the comparison on stdout.
pub fn run(args: DiffArgs) -> ExitCode {
    match diff(&args) {
        Ok(drift) => {
            if args.json {
                let text = serde_json::to_string_pretty(&drift).unwrap_or_default();
                output::result(&format!("{text}\n"));
            } else {
                output::result(&to_text(&drift));
            }
            if drift.new.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            output::diagnostic(&format!("error: {e:#}"));
            ExitCode::from(2)
        }
    }
}

fn diff(args: &DiffArgs) -> anyhow::Result<Drift> {
    let read = |path: &PathBuf| -> anyhow::Result<Value> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
    };
    let (old, new) = (read(&args.old)?, read(&args.new)?);
    diff_reports(&old, &new)
        .map_err(anyhow::Error::msg)
        .with_context(|| {
            format!(
                "comparing {} with {}",
                args.old.display(),
                args.new.display()
            )
        })
}

/// A verdict line, then each group with one line per deviation.
fn to_text(drift: &Drift) -> String {
    let mut out = String::new();
    let verdict = if drift.new.is_empty() {
        "no new deviation"
    } else {
        "NEW deviations: the target changed, or the suite did"
    };
    out.push_str(&format!(
        "drift: {verdict} ({} new, {} resolved, {} unchanged)\n",
        drift.new.len(),
        drift.resolved.len(),
        drift.unchanged.len()
    ));
    for (title, list) in [
        ("new", &drift.new),
        ("resolved", &drift.resolved),
        ("unchanged", &drift.unchanged),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}:\n"));
        for l in list {
            out.push_str(&format!("  {}\n", line(l)));
        }
    }
    out
}

fn line(l: &Listed) -> String {
    let step = l
        .step
        .as_ref()
        .map_or(String::new(), |s| format!(" step {s}"));
    let path = if l.path.is_empty() { "(root)" } else { &l.path };
    format!(
        "{} {}{step}: {} {path}: {}",
        l.fingerprint, l.case, l.kind, l.message
    )
}
