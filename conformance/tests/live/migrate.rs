//! `kyc-conformance migrate` through the binary: on the embedded mock every paired stage is
//! the same or an equivalent translation, ids and request ids come out volatile (the
//! deprecated flow's two runs differ there), and the reports hold their published shape; on a
//! stand-in that has retired the deprecated endpoints the deprecated runs fail, the stages
//! show the change and the checklist says so, and the run exits 1.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

use super::html::assert_self_contained;
use super::stand_in::{self, config, deprecated_gone, edit_answer, stand_in};

fn scratch(name: &str) -> PathBuf {
    stand_in::scratch("migrate", name)
}

fn migrate(out: &Path, target: Option<&str>) -> Output {
    stand_in::report_command("migrate", out, target)
        .output()
        .unwrap()
}

/// A pair's stage by name.
#[track_caller]
fn stage<'r>(pair: &'r Value, name: &str) -> &'r Value {
    pair["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no stage {name}"))
}

/// What every run's reports owe: the three files, `migration.json` in its published shape,
/// and a self-contained page with a section per part. Returns the parsed JSON.
#[track_caller]
fn reports(out: &Path) -> Value {
    let read = |file: &str| {
        std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    };
    let report: Value = serde_json::from_str(&read("migration.json")).unwrap();
    let schema = kyc_spec::ajv::Validator::embedded(kyc_spec::Document::Migration);
    let errors = schema
        .validate(&report, kyc_spec::ajv::Mode::AllErrors)
        .err();
    assert!(
        errors.is_none(),
        "migration.json breaks its schema: {errors:#?}"
    );
    assert!(read("migration.md").starts_with("# Migrating from /customer/kyc/* to /akepa"));
    let mut expected: Vec<String> = vec!["summary".into(), "checklist".into()];
    for op in report["contract"]["operations"].as_array().unwrap() {
        expected.push(format!("op-{}", op["from"].as_str().unwrap()));
    }
    expected.push("vocabularies".into());
    for f in report["contract"]["flows"].as_array().unwrap() {
        expected.push(format!("flow-{}", f["id"].as_str().unwrap()));
    }
    for p in report["pairs"].as_array().unwrap() {
        expected.push(format!("pair-{}", p["name"].as_str().unwrap()));
    }
    assert_eq!(assert_self_contained(&read("migration.html")), expected);
    report
}

/// Each stage as `name: status verdict, [pointer verdict, …]`, without the values (ids and
/// request ids differ from run to run).
fn stage_verdicts(report: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for p in report["pairs"].as_array().unwrap() {
        let stages: Vec<Value> = p["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let fields: Vec<String> = s["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| {
                        format!(
                            "{} {}",
                            f["from"].as_str().unwrap(),
                            f["verdict"].as_str().unwrap()
                        )
                    })
                    .collect();
                json!({"stage": s["name"], "status": s["status"], "fields": fields})
            })
            .collect();
        out.insert(p["name"].as_str().unwrap().to_owned(), Value::Array(stages));
    }
    Value::Object(out)
}

#[test]
fn on_the_embedded_mock_every_paired_stage_is_the_same_or_a_translation() {
    let out = scratch("mock");
    let run = migrate(&out, None);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let report = reports(&out);
    assert_eq!(report["summary"]["runsFailed"], 0);
    assert_eq!(
        report["summary"]["changed"],
        0,
        "{:#}",
        stage_verdicts(&report)
    );
    // The deprecated flow's two runs create two customers: their ids and every request id
    // differ, and are cancelled as volatile rather than reported as changes.
    let licence = &report["pairs"][0];
    let start = stage(licence, "start");
    let verdict = |from: &str| {
        start["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["from"] == from)
            .map(|f| f["verdict"].clone())
    };
    assert_eq!(verdict("/data/kyc/status"), Some(json!("equivalent")));
    assert_eq!(
        verdict("/data/customer/customerId"),
        Some(json!("volatile"))
    );
    assert_eq!(verdict("/requestId"), Some(json!("volatile")));
    assert_eq!(verdict("/code"), Some(json!("same")));
    // The checklist's contract part, and every stage's verdicts, as reviewed.
    let checklist: Vec<Value> = report["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let items: Vec<String> = g["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    format!(
                        "{}: {}",
                        i["severity"].as_str().unwrap(),
                        i["text"].as_str().unwrap()
                    )
                })
                .collect();
            json!({"codePath": g["codePath"], "items": items})
        })
        .collect();
    insta::assert_json_snapshot!("checklist", checklist);
    insta::assert_json_snapshot!("stages", stage_verdicts(&report));
    insta::assert_json_snapshot!("summary", report["summary"]);
}

#[test]
fn a_target_without_the_deprecated_endpoints_fails_the_deprecated_runs_and_says_so() {
    let url = stand_in(config(), |_| deprecated_gone());
    let out = scratch("deprecated-gone");
    let run = migrate(&out, Some(&url));
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let report = reports(&out);
    // Two deprecated runs per pair fail; the akepa runs still pass.
    let pairs = report["pairs"].as_array().unwrap();
    assert_eq!(report["summary"]["runsFailed"], json!(pairs.len() * 2));
    for p in pairs {
        assert_eq!(
            p["outcomes"],
            json!(["failed", "failed", "passed"]),
            "{p:#}"
        );
        let start = stage(p, "start");
        assert_eq!(start["status"], "changed", "{start:#}");
        assert_eq!(start["deprecated"]["statuses"], json!([404, 404]));
        assert_eq!(start["akepa"]["statuses"], json!([200]));
    }
    let target: Vec<&Value> = report["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["codePath"] == "On this target")
        .flat_map(|g| g["items"].as_array().unwrap())
        .collect();
    assert!(
        target.iter().any(|i| i["text"].as_str().unwrap().contains(
            "`POST /akepa/identification` answered 200 where `POST /customer/kyc/init` answered 404"
        )),
        "{target:#?}"
    );
}

/// Answers every identification `running`, where the deprecated init of the same person says
/// `WAITING_DATA`: a state the table does not pair, which only the paired run can show.
#[test]
fn a_state_the_table_does_not_pair_is_a_change_on_the_target() {
    let url = stand_in(config(), |mock| {
        edit_answer(mock, "/akepa/identification", |answer| {
            if let Some(status) = answer.pointer_mut("/data/status") {
                *status = json!("running");
            }
        })
    });
    let out = scratch("identification-running");
    let run = migrate(&out, Some(&url));
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let report = reports(&out);
    for p in report["pairs"].as_array().unwrap() {
        let start = stage(p, "start");
        assert_eq!(start["status"], "same");
        let state = start["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["from"] == "/data/kyc/status")
            .unwrap();
        assert_eq!(
            (&state["deprecated"], &state["akepa"], &state["verdict"]),
            (&json!("WAITING_DATA"), &json!("running"), &json!("changed"))
        );
    }
    assert_eq!(
        report["summary"]["changed"],
        json!(report["pairs"].as_array().unwrap().len())
    );
    let on_target: Vec<&str> = report["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["codePath"] == "On this target")
        .flat_map(|g| g["items"].as_array().unwrap())
        .map(|i| i["text"].as_str().unwrap())
        .collect();
    assert!(
        on_target
            .iter()
            .any(|t| t.contains("`/data/kyc/status` was \"WAITING_DATA\"")
                && t.contains("is \"running\"")),
        "{on_target:#?}"
    );
}

#[test]
fn a_pair_missing_one_side_cannot_run() {
    let pairs = scratch("incomplete-pairs");
    std::fs::create_dir_all(pairs.join("lonely")).unwrap();
    std::fs::write(pairs.join("lonely/deprecated.json"), "{}").unwrap();
    let out = scratch("incomplete-out");
    let run = Command::new(env!("CARGO_BIN_EXE_kyc-conformance"))
        .args(["migrate", "--pairs"])
        .arg(&pairs)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("lonely: a pair needs deprecated.json and akepa.json"),
        "{stderr}"
    );
    assert!(!out.join("migration.json").exists());
}
