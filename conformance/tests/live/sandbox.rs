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
    std::fs::create_dir_all(out).unwrap();
    let json = out.join("report.json");
    let mut args = vec!["replay", "--target", url, "--cassettes"];
    let (dir, file) = (cassettes.to_str().unwrap(), json.to_str().unwrap());
    args.extend([dir, "--report-json", file]);
    args.extend(extra);
    let output = binary(&args);
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

/// `kyc-conformance <args>` against a stand-in, logged in as a team's CI would be.
fn binary(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kyc-conformance"))
        .env_remove("CONNECTFI_TOKEN")
        .env("CONNECTFI_LOGIN", kyc_mock::DEFAULT_LOGIN)
        .env("CONNECTFI_PASSWORD", kyc_mock::DEFAULT_PASSWORD)
        .env("NO_PROXY", "127.0.0.1")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Records `filter`'s cassettes of the bundled suite from `url` into a fresh directory.
fn record(url: &str, name: &str, filter: Option<&str>) -> std::path::PathBuf {
    let out = stand_in::scratch("sandbox", name);
    let mut args = vec![
        "record",
        "--target",
        url,
        "--cassettes",
        suite().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if let Some(f) = filter {
        args.extend(["--filter", f]);
    }
    let done = binary(&args);
    assert_eq!(done.status.code(), Some(0), "{}", text(&done));
    // The suite's defaults go with the baseline: they are part of what it expects.
    std::fs::copy(suite().join("_defaults.json"), out.join("_defaults.json")).unwrap();
    out
}

#[test]
fn a_baseline_recorded_from_a_sandbox_replays_clean_twice() {
    let url = own_choices();
    let baseline = record(&url, "baseline", None);
    for run in ["first", "second"] {
        let out = stand_in::scratch("sandbox", &format!("baseline-replay-{run}"));
        let (code, report) = replay(&url, &baseline, &out, &[]);
        let failing = failing(&report);
        assert!(failing.is_empty(), "{run}: {}", failing.join("\n\n"));
        assert_eq!(code, 0, "{run}");
    }
}

#[test]
fn record_refuses_what_must_not_become_an_expectation() {
    // A sandbox that has not heard of the deprecated endpoints: every init is a 404.
    let url = stand_in::stand_in(stand_in::own_config(), |_| stand_in::deprecated_gone());
    let out = stand_in::scratch("sandbox", "refused");
    let done = binary(&[
        "record",
        "--target",
        &url,
        "--cassettes",
        suite().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--filter",
        "sync-mode-true",
    ]);
    assert_eq!(done.status.code(), Some(1), "{}", text(&done));
    let said = text(&done);
    assert!(
        said.contains("not recorded sync-mode-true")
            && said.contains("status 404 where the cassette expects 200"),
        "{said}"
    );
    assert!(!out.join("sync-mode-true.json").exists(), "nothing written");
}

/// The drifted sandbox: the KYC envelope lost the customer's gender and gained a risk level.
fn drifted(answer: &mut Value) {
    stand_in::own_values(answer);
    if let Some(person) = answer.pointer_mut("/data/customer/customer")
        && let Some(map) = person.as_object_mut()
    {
        map.remove("gender");
    }
    if let Some(Value::Object(kyc)) = answer.pointer_mut("/data/kyc") {
        kyc.insert("riskLevel".into(), Value::String("low".into()));
    }
}

#[test]
fn drift_is_flagged_at_exactly_what_changed_accepted_and_diffed() {
    let url = own_choices();
    let baseline = record(&url, "drift-baseline", Some("seed-waiting-data-license"));
    let scratch = stand_in::scratch("sandbox", "drift");
    let (code, before) = replay(&url, &baseline, &scratch.join("before"), &[]);
    assert_eq!(code, 0, "{before}");

    let moved = stand_in::stand_in_answers(stand_in::own_config(), drifted);
    let (code, after) = replay(&moved, &baseline, &scratch.join("after"), &[]);
    assert_eq!(code, 1, "the missing field is breaking");
    let mut places: Vec<(String, String)> = stand_in::deviations(&after)
        .into_iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap().into(),
                d["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    places.sort();
    places.dedup();
    assert_eq!(
        places,
        [
            (
                "missing_field".into(),
                "/data/customer/customer/gender".into()
            ),
            ("unexpected_field".into(), "/data/kyc/riskLevel".into()),
        ],
        "{after}"
    );

    // diff: both are new against the clean run.
    let old = scratch.join("before/report.json");
    let new = scratch.join("after/report.json");
    let diff = binary(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(diff.status.code(), Some(1), "{}", text(&diff));
    let drift: Value = serde_json::from_slice(&diff.stdout).unwrap();
    assert!(drift["resolved"].as_array().unwrap().is_empty(), "{drift}");
    let new_kinds: Vec<&str> = drift["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert!(new_kinds.contains(&"missing_field") && new_kinds.contains(&"unexpected_field"));
    let same = binary(&["diff", new.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));

    // Accepted: shown, not failing. The failing step stopped the scenario, so accepting it
    // lets the next step run, whose own deviations are new and fail: accepting never hides
    // what was not seen.
    let (code, further) = replay(
        &moved,
        &baseline,
        &scratch.join("further"),
        &["--accept", new.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{further}");
    let mut known: Vec<Value> = stand_in::deviations(&after)
        .into_iter()
        .chain(stand_in::deviations(&further))
        .map(|d| serde_json::json!({"fingerprint": d["fingerprint"], "note": "gender dropped in 2026-12"}))
        .collect();
    known.sort_by_key(|k| k["fingerprint"].to_string());
    known.dedup();
    let accept = scratch.join("accepted.json");
    std::fs::write(
        &accept,
        serde_json::json!({ "accepted": known }).to_string(),
    )
    .unwrap();
    let new = accept;
    let (code, accepted) = replay(
        &moved,
        &baseline,
        &scratch.join("accepted"),
        &["--accept", new.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{accepted}");
    assert!(
        accepted["accepted"]["seen"].as_u64().unwrap() > 0,
        "{accepted}"
    );
    assert!(
        stand_in::deviations(&accepted)
            .iter()
            .all(|d| d["accepted"] == true)
    );
    let (code, resolved) = replay(
        &url,
        &baseline,
        &scratch.join("resolved"),
        &["--accept", new.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{resolved}");
    assert_eq!(
        resolved["accepted"]["resolved"].as_array().unwrap().len(),
        known.len(),
        "{resolved}"
    );
    // Strict: the added field fails too.
    let (code, _) = replay(&moved, &baseline, &scratch.join("strict"), &["--strict"]);
    assert_eq!(code, 1);
}

/// A sandbox that names its KYC mode anew on every answer (a described place, not personal).
fn stamped(answer: &mut Value) {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    stand_in::own_values(answer);
    if let Some(Value::Object(kyc)) = answer.pointer_mut("/data/kyc") {
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        kyc.insert("mode".into(), Value::String(format!("mode{n}")));
    }
}

#[test]
fn record_learns_what_varies_and_writes_it_where_a_reader_sees_it() {
    let url = stand_in::stand_in_answers(stand_in::own_config(), stamped);
    // One cassette without the suite's defaults, so nothing is told in advance.
    let source = stand_in::scratch("sandbox", "learned-source");
    let name = "seed-waiting-data-license.json";
    std::fs::copy(suite().join(name), source.join(name)).unwrap();
    let baseline = stand_in::scratch("sandbox", "learned");
    let done = binary(&[
        "record",
        "--target",
        &url,
        "--cassettes",
        source.to_str().unwrap(),
        "--out",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(done.status.code(), Some(0), "{}", text(&done));
    assert!(
        text(&done).contains("varying place(s) learned"),
        "{}",
        text(&done)
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(baseline.join(name)).unwrap()).unwrap();
    for step in ["init", "status-while-waiting"] {
        let step = written["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == step)
            .unwrap();
        assert_eq!(step["match"]["/data/kyc/mode"], "present", "{step}");
    }
    let out = stand_in::scratch("sandbox", "learned-replay");
    let (code, report) = replay(&url, &baseline, &out, &[]);
    assert_eq!(code, 0, "{report}");
}

#[test]
fn record_never_writes_a_5xx() {
    let url = stand_in::stand_in(stand_in::own_config(), |_| {
        let failing = || async {
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                axum::Json(serde_json::json!({"code": "internalError"})),
            )
        };
        axum::Router::new().route("/customer/kyc/init", axum::routing::post(failing))
    });
    let out = stand_in::scratch("sandbox", "refused-5xx");
    let done = binary(&[
        "record",
        "--target",
        &url,
        "--cassettes",
        suite().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--filter",
        "sync-mode-true",
    ]);
    assert_eq!(done.status.code(), Some(1), "{}", text(&done));
    assert!(
        text(&done).contains("the target answered 500"),
        "{}",
        text(&done)
    );
    assert!(!out.join("sync-mode-true.json").exists());
}

#[test]
fn a_step_whose_path_parameter_was_not_captured_is_not_sent() {
    let url = own_choices();
    let dir = stand_in::scratch("sandbox", "empty-path-cassettes");
    // The stand-in lists two slots; the cassette expects a third.
    let mut cassette: Value = serde_json::from_str(
        &std::fs::read_to_string(suite().join("unknown-document.json")).unwrap(),
    )
    .unwrap();
    cassette["name"] = "third-slot".into();
    cassette["steps"][1]["capture"] = serde_json::json!({"third": "/data/kycDocumentList/2/id"});
    cassette["steps"][2]["request"]["path"] =
        "/customer/kyc/upload/{{customerId}}/{{third}}".into();
    // Probe steps, as the audit's: what the init lacks does not stop the scenario by itself.
    cassette["steps"][1]["observe"] = true.into();
    cassette["steps"][2]["observe"] = true.into();
    std::fs::write(dir.join("third-slot.json"), cassette.to_string()).unwrap();
    let out = stand_in::scratch("sandbox", "empty-path");
    let (code, report) = replay(&url, &dir, &out, &[]);
    assert_eq!(code, 1, "{report}");
    let case = &report["cases"][0];
    // The upload is not sent: the case errors at it, saying which value was missing.
    assert_eq!(case["outcome"], "errored", "{case}");
    let error = case["error"].as_str().unwrap();
    assert!(error.contains("not sent: {{third}} is empty"), "{error}");
    assert_eq!(case["steps"][2]["outcome"], "errored", "{case}");
}
