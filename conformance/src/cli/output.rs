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

/// Writes a report's files into `dir` (created if missing).
pub fn write_reports(dir: &std::path::Path, files: [(&str, String); 3]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        // Always the path of what was written (stderr: stdout is the result).
        diagnostic(&format!("wrote {}", path.display()));
    }
    Ok(())
}
