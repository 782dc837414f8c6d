//! `cargo xtask validate`: validates JSON lines against one of the KYC schemas and prints one
//! line per input exactly as the Ajv oracle does (`{"valid":…,"errors":[…]}`), so our answers
//! can be diffed against Ajv's with plain `diff`.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use kyc_spec::Document;
use kyc_spec::ajv::{Mode, Validator, render_line};

/// Arguments of `cargo xtask validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which schema the lines must satisfy: `request`, `response`, `error`, `webhook`, or any
    /// schema file's stem (`akepa-identification.request`).
    #[arg(value_parser = document)]
    pub schema: Document,
    /// A file with one JSON value per line, or `-` for standard input.
    pub input: PathBuf,
    /// Report every error (Ajv `allErrors: true`) instead of stopping at the first.
    #[arg(long)]
    pub all_errors: bool,
}

/// A document by the name the command line gives, or the list of names it could have been.
fn document(name: &str) -> Result<Document, String> {
    Document::from_stem(name).ok_or_else(|| {
        let mut names: Vec<&str> = kyc_spec::SHORT_NAMES.iter().map(|(n, _)| *n).collect();
        names.extend(Document::ALL.iter().map(|d| d.stem()));
        format!("no schema named {name:?}; one of: {}", names.join(", "))
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = if args.input.as_os_str() == "-" {
        let mut text = String::new();
        for line in std::io::stdin().lock().lines() {
            text.push_str(&line.context("reading standard input")?);
            text.push('\n');
        }
        text
    } else {
        std::fs::read_to_string(&args.input)
            .with_context(|| format!("reading {}", args.input.display()))?
    };
    let mode = if args.all_errors {
        Mode::AllErrors
    } else {
        Mode::FirstError
    };
    let validator = Validator::embedded(args.schema);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut all_valid = true;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let rendered = match serde_json::from_str(line) {
            Ok(instance) => {
                let result = validator.validate(&instance, mode);
                all_valid &= result.is_ok();
                render_line(&result)
            }
            Err(e) => {
                all_valid = false;
                serde_json::json!({ "parseError": e.to_string() }).to_string()
            }
        };
        writeln!(out, "{rendered}").context("writing standard output")?;
    }
    out.flush().context("writing standard output")?;
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Writes one diagnostic line to standard error.
pub fn note(message: &str) -> anyhow::Result<()> {
    writeln!(std::io::stderr(), "{message}").context("writing standard error")
}
