//! `kyc-conformance migrate` through the binary: on the embedded mock every paired stage is
//! the same or an equivalent translation, ids and request ids come out volatile (the
//! deprecated flow's two runs differ there), and the reports hold their published shape; on a
//! stand-in that has retired the deprecated endpoints the deprecated runs fail, the stages
//! show the change and the checklist says so, and the run exits 1.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

use super::html::assert_self_contained;
use super::stand_in::{self, config, deprecated_gone, edit_answer, not_found, stand_in};

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

/// The verdict at the top of both pages: `(headline, next)` from the HTML's verdict box (the
/// page parsed, not searched), and the Markdown's first bold line, which must say the same.
#[track_caller]
fn page_verdict(out: &Path) -> (String, String) {
    let html = std::fs::read_to_string(out.join("migration.html")).unwrap();
    let dom = tl::parse(&html, tl::ParserOptions::default()).unwrap();
    let parser = dom.parser();
    let text_of = |class: &str| {
        let mut found = dom
            .get_elements_by_class_name(class)
            .filter_map(|h| h.get(parser))
            .map(|n| n.inner_text(parser).into_owned());
        let first = found
            .next()
            .unwrap_or_else(|| panic!("no .{class} on the page"));
        assert!(found.next().is_none(), "more than one .{class}");
        first
    };
    let (headline, next) = (text_of("headline"), text_of("next"));
    let summary = dom
        .get_element_by_id("summary")
        .and_then(|h| h.get(parser))
        .map(|n| n.inner_html(parser).into_owned())
        .expect("a summary section");
    assert!(
        summary.contains("class=\"headline\""),
        "the verdict is not in the summary"
    );
    let markdown = std::fs::read_to_string(out.join("migration.md")).unwrap();
    let bold = markdown
        .lines()
        .find(|l| l.starts_with("**"))
        .expect("a bold verdict line");
    assert_eq!(bold.trim_matches('*'), headline.replace("&#39;", "'"));
    (headline, next)
}

/// The checklist's items as `(code path, text)`.
fn items(report: &Value) -> Vec<(String, String)> {
    report["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            g["items"].as_array().unwrap().iter().map(|i| {
                (
                    g["codePath"].as_str().unwrap().to_owned(),
                    i["text"].as_str().unwrap().to_owned(),
                )
            })
        })
        .collect()
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
    assert_eq!(report["verdict"]["ready"], true);
    let (headline, _) = page_verdict(&out);
    assert!(
        headline.starts_with("Ready: all 6 paired runs passed"),
        "{headline}"
    );
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

/// The client's error handling learns connectFi's codes: none of the mock's own (a body it
/// cannot read, a media type it refuses: `x-mock-only` in error.schema.json), each once.
#[test]
fn the_checklist_names_only_connectfis_error_codes_each_once() {
    let out = scratch("codes");
    let run = migrate(&out, None);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let report = reports(&out);
    let contract = kyc_spec::Contract::embedded();
    let mut named: Vec<String> = Vec::new();
    for (path, text) in items(&report) {
        for (i, part) in text.split('`').enumerate() {
            if let Some(code) = contract.error_code(part).filter(|_| i % 2 == 1) {
                assert!(
                    !code.mock_only,
                    "{path}: {text:?} names the mock's own code {}",
                    code.code
                );
                assert!(
                    !named.contains(&code.code),
                    "{path}: {} is named twice",
                    code.code
                );
                named.push(code.code.clone());
            }
        }
    }
    assert!(
        named.contains(&"applicationNotFound".to_owned()),
        "{named:?}"
    );
    let all = items(&report);
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "an item is repeated in its group");
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
    // Failed runs are counted, decide the verdict, and the stages after the stop say so.
    assert_eq!(report["summary"]["runs"], json!(pairs.len() * 3));
    assert_eq!(report["verdict"]["ready"], false);
    let (headline, next) = page_verdict(&out);
    assert!(
        headline.starts_with(&format!(
            "Not ready: {} of {} paired runs failed",
            pairs.len() * 2,
            pairs.len() * 3
        )),
        "{headline}"
    );
    assert!(next.contains("step 1 (start)"), "{next}");
    let upload = stage(&pairs[0], "upload-front");
    assert_eq!(upload["status"], "not-reached", "{upload:#}");
    assert!(
        upload["notReached"]
            .as_str()
            .unwrap()
            .starts_with("not reached on deprecated: the run stopped at step 1 (start)"),
        "{upload:#}"
    );
    assert!(report["summary"]["notReached"].as_u64().unwrap() >= pairs.len() as u64);
    let markdown = std::fs::read_to_string(out.join("migration.md")).unwrap();
    assert!(
        markdown.contains(
            "| upload-front | — | `POST /akepa/document/upload/{documentId}` 200 | not reached |"
        ),
        "{markdown}"
    );
    // A table after a list of failures is still a table: a blank line parts them.
    assert!(
        markdown.contains("\n\n| stage | deprecated | akepa | status | paired fields |"),
        "{markdown}"
    );
    // The evidence is pretty-printed and wrapped: no line of it runs on.
    let evidence = markdown.split("## On the target").nth(1).unwrap();
    let longest = evidence.lines().max_by_key(|l| l.chars().count()).unwrap();
    assert!(longest.chars().count() <= 300, "a line runs on: {longest}");
    let target: Vec<String> = items(&report)
        .into_iter()
        .filter(|(path, _)| path == "On this target")
        .map(|(_, text)| text)
        .collect();
    let start =
        "`POST /akepa/identification` answered 200 where `POST /customer/kyc/init` answered 404";
    let said: Vec<&String> = target.iter().filter(|t| t.contains(start)).collect();
    assert_eq!(said.len(), 1, "once, naming every pair: {target:#?}");
    for p in pairs {
        assert!(said[0].contains(p["name"].as_str().unwrap()), "{said:?}");
    }
}

/// A sandbox that does not serve `POST /akepa/status` (only the older GET form): with the
/// audit's answer the checklist recommends the GET form and nothing sent to the POST form;
/// without it, the paired runs' own 404 says as much.
#[test]
fn a_status_form_the_target_does_not_serve_is_not_recommended() {
    let url = stand_in(config(), |_| {
        let gone = || async {
            (
                axum::http::StatusCode::NOT_FOUND,
                axum::Json(not_found("POST", "/akepa/status")),
            )
        };
        axum::Router::new().route("/akepa/status", axum::routing::post(gone))
    });
    let audit = scratch("status-form-audit").join("audit.json");
    std::fs::write(
        &audit,
        json!({
            "target": url,
            "summary": {"questions": 1, "asDocumented": 0, "asAssumed": 0, "contradicts": 1, "unanswered": 0},
            "questions": [{
                "id": "akepa-status-form",
                "answer": {"POST /akepa/status": "not-found", "GET /akepa/status/{customerId}": "served"},
                "verdict": "contradicts",
                "against": "contract: akepaStatus, akepaStatusByCustomer",
                "evidence": []
            }]
        })
        .to_string(),
    )
    .unwrap();
    let status_items = |report: &Value| -> Vec<String> {
        items(report)
            .into_iter()
            .filter(|(path, _)| path == "Reading the status")
            .map(|(_, text)| text)
            .collect()
    };
    for with_audit in [true, false] {
        let out = scratch(if with_audit {
            "status-form-audited"
        } else {
            "status-form-observed"
        });
        let mut cmd = stand_in::report_command("migrate", &out, Some(&url));
        if with_audit {
            cmd.arg("--audit").arg(&audit);
        }
        let run = cmd.output().unwrap();
        // The akepa runs stop at their status step.
        assert_eq!(run.status.code(), Some(1), "{run:?}");
        let report = reports(&out);
        let served = &report["serving"];
        let post = served
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["route"] == "POST /akepa/status")
            .unwrap_or_else(|| panic!("{served:#}"));
        assert_eq!(post["served"], false, "{post:#}");
        let status = status_items(&report);
        let call = status
            .iter()
            .find(|t| t.starts_with("Call "))
            .unwrap_or_else(|| panic!("{status:#?}"));
        assert!(
            call.starts_with(
                "Call `GET /akepa/status/{customerId}` instead of `GET /customer/kyc/status/{customerId}`: this target does not serve `POST /akepa/status`"
            ),
            "{call}"
        );
        if with_audit {
            assert!(call.contains("the audit's akepa-status-form"), "{call}");
            assert!(!call.contains("not checked"), "{call}");
        } else {
            assert!(call.contains("step 7 (decided) answered 404"), "{call}");
            assert!(call.contains("not checked on this target"), "{call}");
        }
        assert!(
            !status
                .iter()
                .any(|t| t.contains("in the request of `POST /akepa/status`")),
            "{status:#?}"
        );
        assert!(
            status
                .iter()
                .any(|t| t.contains("from the response of `GET /akepa/status/{customerId}`")),
            "{status:#?}"
        );
    }
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
