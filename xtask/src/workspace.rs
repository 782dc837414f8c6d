//! Where the workspace is, and the freshness check every generated file goes through.

use std::path::{Path, PathBuf};

use anyhow::Context;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Whether a generated file is written or only compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write the file when its content differs.
    Write,
    /// Only compare; report a stale file.
    Check,
}

/// What happened to one generated file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Already identical.
    Fresh,
    /// Differed and was written.
    Written,
    /// Differs (check mode).
    Stale,
}

/// Compares `contents` with the file at `path` (line endings normalised) and writes it in
/// [`Mode::Write`]. `command` is named in the message when a check finds the file stale.
pub fn ensure_file(path: &Path, contents: &str, mode: Mode) -> anyhow::Result<Freshness> {
    let old = match std::fs::read_to_string(path) {
        Ok(s) => Some(s.replace("\r\n", "\n")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    if old.as_deref() == Some(contents) {
        return Ok(Freshness::Fresh);
    }
    match mode {
        Mode::Check => Ok(Freshness::Stale),
        Mode::Write => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            std::fs::write(path, contents)
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(Freshness::Written)
        }
    }
}
