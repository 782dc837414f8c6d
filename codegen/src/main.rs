//! `kyc-codegen <SCHEMA.json>... --out FILE [--check] [--typed-access CRATES
//! [--typed-access-features]]`: generates one Rust module from any set of JSON Schema documents,
//! or checks that FILE is up to date.
//!
//! Exit codes: 0 written or fresh, 1 stale (with `--check`), 2 unsupported schema or I/O error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

mod output;

/// Generate Rust types from JSON Schema documents.
#[derive(Debug, Parser)]
#[command(name = "kyc-codegen", version)]
struct Cli {
    /// Schema documents; `$ref`s between them resolve by `$id` (or file name).
    #[arg(required = true)]
    schemas: Vec<PathBuf>,
    /// The Rust file to write (or compare with `--check`).
    #[arg(long)]
    out: PathBuf,
    /// Only compare: exit 1 if FILE differs from what would be generated.
    #[arg(long)]
    check: bool,
    /// Typed accessors on `format` newtypes for these crates (comma-separated): `std` (ipv4,
    /// ipv6), `jiff` (dates, times, durations), `uuid`, `url` (uri, url). The text is still kept
    /// as received; the accessors parse it on each call.
    #[arg(long, value_name = "CRATES", value_delimiter = ',', value_parser = parse_crate)]
    typed_access: Vec<kyc_codegen::Crate>,
    /// Gate each dependency's accessors behind `#[cfg(feature = "<crate>")]`, the feature an
    /// optional dependency of that name defines in the crate that includes FILE.
    #[arg(long, requires = "typed_access")]
    typed_access_features: bool,
}

fn parse_crate(name: &str) -> Result<kyc_codegen::Crate, String> {
    kyc_codegen::Crate::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = kyc_codegen::Crate::ALL.iter().map(|c| c.name()).collect();
        format!("expected one of {}", known.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(err) => {
            output::error(&err);
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let documents = cli
        .schemas
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(kyc_codegen::Document {
                name: path.display().to_string(),
                text,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let command = command_line(cli);
    let options = kyc_codegen::Options {
        typed_access: cli.typed_access.clone(),
        feature_gates: cli.typed_access_features,
    };
    let code = kyc_codegen::generate_with(&documents, &command, &options)
        .context("generating Rust types")?;
    let current = match std::fs::read_to_string(&cli.out) {
        Ok(text) => Some(text.replace("\r\n", "\n")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", cli.out.display())),
    };
    if current.as_deref() == Some(code.as_str()) {
        output::status(&format!("{} is up to date", cli.out.display()));
        return Ok(ExitCode::SUCCESS);
    }
    if cli.check {
        output::status(&format!("{} is stale; run `{command}`", cli.out.display()));
        return Ok(ExitCode::from(1));
    }
    write(&cli.out, &code)?;
    output::status(&format!("wrote {}", cli.out.display()));
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, code: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, code).with_context(|| format!("writing {}", path.display()))
}

/// The command as a user would type it again (without `--check`), for the header.
fn command_line(cli: &Cli) -> String {
    let mut parts = vec!["kyc-codegen".to_owned()];
    parts.extend(cli.schemas.iter().map(|p| p.display().to_string()));
    parts.push("--out".to_owned());
    parts.push(cli.out.display().to_string());
    if !cli.typed_access.is_empty() {
        let crates: Vec<&str> = cli.typed_access.iter().map(|c| c.name()).collect();
        parts.push("--typed-access".to_owned());
        parts.push(crates.join(","));
    }
    if cli.typed_access_features {
        parts.push("--typed-access-features".to_owned());
    }
    parts.join(" ")
}
