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

/// A `cargo` command (the one running us, else `cargo` on the PATH) run at the workspace root
/// with the environment of the shell that started `cargo xtask`.
///
/// `cargo xtask` is `cargo run`, which gives xtask `CARGO_MANIFEST_DIR`, `CARGO_PKG_*` and
/// the like. A nested cargo would hand them on to build scripts, and a build script that
/// declares `rerun-if-env-changed` for one of them (ring's does, for `CARGO_MANIFEST_DIR`)
/// is then dirty against what `cargo test --workspace` from the shell built: ring, rustls,
/// reqwest and the runner were recompiled on every switch between the two.
pub fn cargo() -> std::process::Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = std::process::Command::new(program);
    command.current_dir(root());
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let set_by_cargo_run = name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || matches!(
                name,
                "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE" | "OUT_DIR"
            );
        if set_by_cargo_run {
            command.env_remove(name);
        }
    }
    command
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
