//! The one place the runner prints: results on stdout, diagnostics on stderr.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::IsTerminal;

/// Prints the text report (or any result text) on stdout.
pub fn result(text: &str) {
    print!("{text}");
}

/// Prints a diagnostic line on stderr.
pub fn diagnostic(text: &str) {
    eprintln!("{text}");
}

/// Whether stdout should get ANSI colors: a terminal, and `NO_COLOR` unset.
pub fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Whether stderr can show a progress bar.
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}
