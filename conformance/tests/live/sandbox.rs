//! The bundled suite against sandboxes that are not the mock: a stand-in that makes its own
//! choices where the contract leaves them open fails no case for those choices; a baseline
//! recorded from it replays clean twice; a drifted one is caught at exactly what drifted.

use std::path::Path;

use serde_json::Value;

use super::stand_in::{self, own_choices};

fn suite() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/cassettes"))
}

/// `kyc-conformance replay` of `cassettes` against `url`, its JSON report.
fn replay(url: &str, cassettes: &Path, out: &Path, extra: &[&str]) -> (i32, Value) {
    let json = out.join("report.json");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kyc-conformance"));
    // A login, as a team's CI has: the suite's get-token cases need the credentials.
    cmd.env_remove("CONNECTFI_TOKEN")
        .env("CONNECTFI_LOGIN", kyc_mock::DEFAULT_LOGIN)
        .env("CONNECTFI_PASSWORD", kyc_mock::DEFAULT_PASSWORD)
        .env("NO_PROXY", "127.0.0.1")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .args(["replay", "--target", url, "--cassettes"])
        .arg(cassettes)
        .arg("--report-json")
        .arg(&json)
        .args(extra);
    let output = cmd.output().expect("the binary runs");
    let report = std::fs::read_to_string(&json)
        .unwrap_or_else(|_| panic!("no report: {}", String::from_utf8_lossy(&output.stderr)));
    (
        output.status.code().unwrap_or(-1),
        serde_json::from_str(&report).unwrap(),
    )
}

fn failing(report: &Value) -> Vec<String> {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] != "passed" && c["outcome"] != "flaky")
        .map(|c| format!("{}: {}", c["name"], c))
        .collect()
}

#[test]
fn the_bundled_suite_fails_no_case_for_a_sandbox_s_own_choices() {
    let url = own_choices();
    let out = stand_in::scratch("sandbox", "own-choices");
    let (code, report) = replay(&url, suite(), &out, &[]);
    let failing = failing(&report);
    assert!(failing.is_empty(), "{}", failing.join("\n\n"));
    assert_eq!(code, 0);
}
