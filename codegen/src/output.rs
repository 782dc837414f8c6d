//! Where the `kyc-codegen` binary prints: results on stdout, diagnostics on stderr.

#![allow(clippy::print_stdout, clippy::print_stderr)]

pub fn status(line: &str) {
    println!("{line}");
}

pub fn error(err: &anyhow::Error) {
    eprintln!("error: {err:#}");
}
