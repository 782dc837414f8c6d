//! Makes the insta snapshots of generated code compilable: strips each snapshot's header into
//! `$OUT_DIR/fixtures/<case>.rs` and lists them as modules in `$OUT_DIR/fixtures.rs`, which the
//! integration tests include. The library itself does not use any of this.
//!
//! Each module takes its snapshot with `include!`, the way a user's build script would, not with
//! `#[path]`: a module file may start with inner docs and attributes, an included one may not
//! (E0753), so this is what keeps the output usable from a build script.
//!
//! Re-blessing after a generator change: `KYC_CODEGEN_BLESS=1 INSTA_UPDATE=always cargo test -p
//! kyc-codegen --test it` (compiles no fixtures, so stale snapshots cannot block the update),
//! then a plain `cargo test` compiles the new snapshots.

use std::fmt::Write as _;
use std::path::Path;

const SNAPSHOTS: &str = "tests/it/snapshots";
const PREFIX: &str = "it__generated__";

fn main() {
    println!("cargo::rerun-if-changed={SNAPSHOTS}");
    println!("cargo::rerun-if-env-changed=KYC_CODEGEN_BLESS");
    println!("cargo::rustc-check-cfg=cfg(blessing)");
    // The `formats-typed-gated` snapshot gates its accessors on features of the crate that
    // includes it; here they are known but off, so it compiles as a crate without them would.
    println!("cargo::rustc-check-cfg=cfg(feature, values(\"jiff\", \"uuid\", \"url\"))");
    let blessing = std::env::var_os("KYC_CODEGEN_BLESS").is_some();
    if blessing {
        println!("cargo::rustc-cfg=blessing");
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let dir = Path::new(&out).join("fixtures");
    std::fs::create_dir_all(&dir).expect("OUT_DIR is writable");
    let mut names: Vec<String> = match std::fs::read_dir(SNAPSHOTS) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(PREFIX) && n.ends_with(".snap"))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    if blessing {
        names.clear();
    }
    let mut list = String::new();
    for name in names {
        let text = std::fs::read_to_string(Path::new(SNAPSHOTS).join(&name))
            .expect("snapshot files are readable");
        // An insta snapshot is `---`, a YAML header, `---`, then the content.
        let code = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        let case = name[PREFIX.len()..name.len() - ".snap".len()].replace(['-', '.'], "_");
        let path = dir.join(format!("{case}.rs"));
        std::fs::write(&path, code).expect("OUT_DIR is writable");
        // Generated code must compile without warnings; fixtures the tests never touch are
        // still dead code in a test binary.
        writeln!(
            list,
            "#[deny(warnings)]\n#[allow(dead_code)]\npub mod {case} {{\n    include!({:?});\n}}",
            path.display().to_string()
        )
        .expect("writing to a String");
    }
    std::fs::write(Path::new(&out).join("fixtures.rs"), list).expect("OUT_DIR is writable");
}
