//! Scenario features through the binary, as a user runs them: `kyc-conformance replay` on one
//! scenario file, its exit code and JSON report snapshotted.
//!
//! * `scenarios/mock/*.json` are replayed against the embedded mock (mock-only steps run,
//!   waits advance the mock's clock);
//! * `scenarios/url/*.json` against a mock served at a URL with the wall clock and short
//!   delays: what the runner sees of a live sandbox (mock-only steps are skipped, waits
//!   poll in real time).
//!
//! Adding a case is adding a file; `cargo insta review` accepts its snapshot. To fill a new
//! scenario's responses, `kyc-conformance record --target mock --cassettes DIR --out DIR`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kyc_mock::{self as mock, Clock, Delays, MockConfig};
use serde_json::{Value, json};

/// The token the URL target accepts (invented).
const TOKEN: &str = "scenario-test-token";

#[test]
fn against_the_embedded_mock() {
    insta::glob!("scenarios/mock/*.json", |path| check(path, None));
}

#[test]
fn against_a_url() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    insta::glob!("scenarios/url/*.json", |path| {
        // A fresh target per file, so no scenario sees another's customers.
        let target = runtime.block_on(mock::spawn(url_target())).unwrap();
        check(path, Some(&target.base_url()));
        runtime.block_on(target.shutdown()).unwrap();
    });
}

/// A mock that behaves like a live sandbox as far as the runner can tell: real time, no
/// control endpoint the runner will use, a fixed token.
fn url_target() -> MockConfig {
    MockConfig {
        token: Some(TOKEN.to_owned()),
        seed: Some(kyc_conformance::runner::embedded::SEED),
        clock: Clock::system(),
        delays: Delays {
            pending: Duration::from_millis(100),
            review: Duration::from_millis(100),
        },
        ..MockConfig::default()
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kyc-scenario-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Replays the one scenario in `path` and snapshots the exit code and the JSON report.
fn check(path: &Path, url: Option<&str>) {
    let stem = path.file_stem().unwrap().to_str().unwrap();
    let dir = scratch(stem);
    let cassettes = dir.join("cassettes");
    std::fs::create_dir_all(&cassettes).unwrap();
    std::fs::copy(path, cassettes.join(path.file_name().unwrap())).unwrap();
    let report = dir.join("report.json");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kyc-conformance"));
    cmd.arg("replay")
        .arg("--cassettes")
        .arg(&cassettes)
        .arg("--report-json")
        .arg(&report)
        .env("NO_COLOR", "1")
        .env_remove("CONNECTFI_LOGIN")
        .env_remove("CONNECTFI_PASSWORD");
    match url {
        Some(url) => cmd
            .args(["--target", url, "--capture-webhooks"])
            .env("CONNECTFI_TOKEN", TOKEN),
        None => cmd.env_remove("CONNECTFI_TOKEN"),
    };
    let out = cmd.output().unwrap();
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(&report)
            .unwrap_or_else(|_| panic!("no report: {}", String::from_utf8_lossy(&out.stderr))),
    )
    .unwrap();
    let snapshot = json!({"exit": out.status.code(), "report": report});
    let mut settings = insta::Settings::clone_current();
    if url.is_some() {
        // Real time: how many polls a wait takes is the machine's business.
        settings.add_redaction(".report.cases[].steps[].polls", "[polls]");
    }
    settings.bind(|| insta::assert_json_snapshot!(snapshot));
}

/// `--var` overrides a cassette's values: the unique value becomes a customer the mock knows,
/// so the recorded `customerNotFound` turns into a status mismatch. The target's own values
/// cannot be overridden.
#[test]
fn var_overrides_a_value_and_reserved_names_are_refused() {
    let dir = scratch("var");
    let cassettes = dir.join("cassettes");
    std::fs::create_dir_all(&cassettes).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/runner/scenarios/mock");
    std::fs::copy(fixture.join("unique-values.json"), cassettes.join("u.json")).unwrap();
    let replay = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kyc-conformance"))
            .arg("replay")
            .arg("--cassettes")
            .arg(&cassettes)
            .arg("--report-json")
            .arg(dir.join("report.json"))
            .args(extra)
            .env_remove("CONNECTFI_TOKEN")
            .output()
            .unwrap()
    };
    assert_eq!(replay(&[]).status.code(), Some(0));
    let out = replay(&["--var", "ghost=csta_PendingThenApproved"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    let first = &report["cases"][0]["deviations"][0];
    assert_eq!(first["kind"], "status_mismatch", "{report:#}");
    assert_eq!(first["step"]["name"], "init-unknown");
    let out = replay(&["--var", "token=stolen"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the target's own"),
        "{out:?}"
    );
}

/// JUnit: one test case per scenario; its failure names the step, and its output lists how
/// every step ended.
#[test]
fn junit_has_one_case_per_scenario_naming_the_failed_step() {
    let dir = scratch("junit");
    let cassettes = dir.join("cassettes");
    std::fs::create_dir_all(&cassettes).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/runner/scenarios/mock");
    for name in ["failing-middle-step.json", "capture-document-ids.json"] {
        std::fs::copy(fixture.join(name), cassettes.join(name)).unwrap();
    }
    let junit = dir.join("junit.xml");
    let out = Command::new(env!("CARGO_BIN_EXE_kyc-conformance"))
        .arg("replay")
        .arg("--cassettes")
        .arg(&cassettes)
        .arg("--junit")
        .arg(&junit)
        .env_remove("CONNECTFI_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), 2, "{xml}");
    assert!(
        xml.contains("message=\"step 1 (status-recorded-as-missing): 1 deviation(s)"),
        "{xml}"
    );
    assert!(
        xml.contains(
            "step 2 (never-runs): skipped: step 1 (status-recorded-as-missing) did not pass"
        ),
        "{xml}"
    );
}
