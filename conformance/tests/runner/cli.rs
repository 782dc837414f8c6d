//! `kyc-conformance replay` as users run it: exit codes, report files, secrets kept out.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::playback::{self, Fault, TOKEN, seed_cassette};

fn replay(args: &[&str], token: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kyc-conformance"));
    cmd.arg("replay")
        .args(args)
        .env_remove("CONNECTFI_TOKEN")
        .env_remove("CONNECTFI_LOGIN");
    cmd.env_remove("CONNECTFI_PASSWORD").env("NO_COLOR", "1");
    if let Some(t) = token {
        cmd.env("CONNECTFI_TOKEN", t);
    }
    cmd.output().unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kyc-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_suite(dir: &Path) {
    std::fs::write(
        dir.join("seed.json"),
        seed_cassette("seed").to_json_string(),
    )
    .unwrap();
}

#[test]
fn bad_cassette_is_exit_2_naming_file_and_pointer() {
    let dir = scratch("bad");
    std::fs::write(
        dir.join("broken.json"),
        r#"{"name": "broken", "request": {"method": "POST", "path": "/x"}, "response": {"status": "200"}}"#,
    )
    .unwrap();
    let out = replay(&["--cassettes", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.json") && stderr.contains("/response/status"),
        "{stderr}"
    );
}

/// Each cause is printed once: an error's own message does not repeat its source, which the
/// binary prints as the chain.
#[test]
fn a_missing_directory_or_broken_json_names_its_cause_once() {
    let missing = std::env::temp_dir().join(format!("kyc-cli-missing-{}", std::process::id()));
    let out = replay(&["--cassettes", missing.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(missing.to_str().unwrap()), "{stderr}");
    assert_eq!(stderr.matches("(os error 2)").count(), 1, "{stderr}");

    let dir = scratch("notjson");
    std::fs::write(dir.join("half.json"), "{\"name\": ").unwrap();
    let out = replay(&["--cassettes", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("half.json: not JSON"), "{stderr}");
    assert_eq!(stderr.matches("EOF while parsing").count(), 1, "{stderr}");
}

#[test]
fn url_target_without_credentials_is_exit_2() {
    let dir = scratch("nocred");
    write_suite(&dir);
    let out = replay(
        &[
            "--cassettes",
            dir.to_str().unwrap(),
            "--target",
            "http://127.0.0.1:9",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CONNECTFI_TOKEN"));
}

#[test]
fn filter_matching_nothing_is_exit_2() {
    let dir = scratch("filter");
    write_suite(&dir);
    let out = replay(
        &[
            "--cassettes",
            dir.to_str().unwrap(),
            "--filter",
            "nothing-like-this",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn deviations_are_exit_1_with_json_and_junit_reports() {
    let server = playback::start(vec![seed_cassette("seed")], Fault::Drift).await;
    let dir = scratch("reports");
    write_suite(&dir);
    let (json, junit) = (dir.join("report.json"), dir.join("junit.xml"));
    let args: Vec<String> = vec![
        "--cassettes".into(),
        dir.to_str().unwrap().into(),
        "--target".into(),
        server.url(),
        "--report-json".into(),
        json.to_str().unwrap().into(),
        "--junit".into(),
        junit.to_str().unwrap().into(),
    ];
    let out = tokio::task::spawn_blocking(move || {
        replay(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            Some(TOKEN),
        )
    })
    .await
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("FAIL seed") && stdout.contains("/data/kyc/status"),
        "{stdout}"
    );
    assert!(
        !stdout.contains('\x1b'),
        "no colors when stdout is not a terminal"
    );

    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(
        report["summary"],
        serde_json::json!({"total": 1, "passed": 0, "failed": 1, "errored": 0})
    );
    let case = &report["cases"][0];
    let keys: Vec<_> = case.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["name", "outcome", "deviations", "error"]);
    let deviation_keys: Vec<_> = case["deviations"][0]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        deviation_keys,
        [
            "kind",
            "path",
            "severity",
            "expected",
            "actual",
            "message",
            "fingerprint"
        ]
    );

    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains(r#"<testcase classname="replay" name="seed">"#),
        "{xml}"
    );
    assert!(xml.contains("<failure type="), "{xml}");
}

#[tokio::test(flavor = "multi_thread")]
async fn faithful_url_target_is_exit_0() {
    let server = playback::start(vec![seed_cassette("seed")], Fault::None).await;
    let dir = scratch("ok");
    write_suite(&dir);
    let args = [
        "--cassettes".to_string(),
        dir.to_str().unwrap().into(),
        "--target".into(),
        server.url(),
    ];
    let out = tokio::task::spawn_blocking(move || {
        replay(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            Some(TOKEN),
        )
    })
    .await
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 total, 1 passed"));
}
