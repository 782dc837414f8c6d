//! `kyc-conformance audit` through the binary: the embedded mock answers every question as the
//! spec documents or assumes it, and a stand-in target that behaves differently gets the
//! matching answer and a `contradicts` verdict (exit 1). Every run's reports are checked the
//! same way: `audit.json` in its published shape, and an `audit.html` that parses, has a
//! section per question and refers to nothing outside itself.
//!
//! A stand-in is the mock with a few routes in front of it (`stand_in`); `check` audits it
//! and returns the answers, so each test says only what its stand-in does differently.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use kyc_mock::MockConfig;
use serde_json::{Map, Value, json};

use super::html::assert_self_contained;
use super::stand_in::{self, config, deprecated_gone, edit_json, not_found, stand_in};

fn scratch(name: &str) -> PathBuf {
    stand_in::scratch("audit", name)
}

fn audit(out: &Path, target: Option<&str>) -> Output {
    let mut cmd = stand_in::report_command("audit", out, target);
    if target.is_some() {
        // The suite's real-time waits would take a minute; the questions are the point here.
        cmd.arg("--no-suite")
            // A stand-in calls back at once; an ignored spelling need not cost 30 s.
            .args(["--callback-wait", "2"])
            // For the token-lifetime probe's login (the mock's invented credentials).
            .env("CONNECTFI_LOGIN", kyc_mock::DEFAULT_LOGIN)
            .env("CONNECTFI_PASSWORD", kyc_mock::DEFAULT_PASSWORD);
    }
    cmd.output().unwrap()
}

/// What every run's reports owe, whatever they answer: all three files, `audit.json` in its
/// published shape, a self-contained `audit.html` with the summary, one section per question,
/// the endpoints' and the suite's (when it ran). Returns each question's `{"id", "answer", "verdict"}` in order, with
/// its `note` when it has one.
#[track_caller]
fn reports(out: &Path, suite: bool) -> Vec<Value> {
    let read = |file: &str| {
        std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    };
    let report: Value = serde_json::from_str(&read("audit.json")).unwrap();
    let schema = kyc_spec::ajv::Validator::embedded(kyc_spec::Document::Audit);
    assert!(
        schema.is_valid(&report),
        "audit.json breaks audit.schema.json"
    );
    assert!(read("audit.md").starts_with("# Audit of "));
    // Evidence stays readable: Ajv's params and messages in an error body are the schema's
    // words, never pseudonyms (personal values in them are, as `anon-…`).
    for q in report["questions"].as_array().unwrap() {
        for e in q["evidence"].as_array().into_iter().flatten() {
            for error in e["body"]["context"].as_array().into_iter().flatten() {
                let shown = format!("{} {}", error["params"], error["message"]);
                assert!(!shown.contains("redacted-"), "{}: {shown}", q["id"]);
            }
            let request = e["request"].as_str().unwrap_or_default();
            assert!(!request.contains("redacted-"), "{}: {request}", q["id"]);
        }
    }
    for text in [read("audit.md"), read("audit.html")] {
        assert!(
            !text.contains("redacted-"),
            "a pseudonym where none belongs"
        );
    }
    for q in report["questions"].as_array().unwrap() {
        if q["verdict"] != "unanswered" && q["verdict"] != "skipped" {
            assert_answer_shape(q["id"].as_str().unwrap(), &q["answer"]);
        }
    }
    let answers: Vec<Value> = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let mut shown = json!({"id": q["id"], "answer": q["answer"], "verdict": q["verdict"]});
            if let Some(note) = q.get("note") {
                shown["note"] = note.clone();
            }
            shown
        })
        .collect();
    let mut sections = vec!["summary"];
    sections.extend(answers.iter().map(|q| q["id"].as_str().unwrap()));
    sections.push("endpoints");
    if suite {
        sections.push("suite");
    }
    assert_eq!(assert_self_contained(&read("audit.html")), sections);
    answers
}

/// Audits the stand-in at `url` (without the suite, whose real-time waits would take a minute)
/// and checks its reports. Every stand-in contradicts something, so the run exits 1; every
/// question outside `changed` stays as the spec documents or assumes it. Returns question id →
/// `{"answer", "verdict"}` (and `note`, when there is one).
#[track_caller]
fn check(name: &str, url: &str, changed: &[&str]) -> Map<String, Value> {
    let out = scratch(name);
    let run = audit(&out, Some(url));
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let answers: Map<String, Value> = reports(&out, false)
        .into_iter()
        .map(|mut q| {
            let id = q["id"].as_str().unwrap().to_owned();
            q.as_object_mut().unwrap().remove("id");
            (id, q)
        })
        .collect();
    let off: Vec<(&String, &Value)> = answers
        .iter()
        .filter(|(id, _)| !changed.contains(&id.as_str()))
        .filter(|(_, q)| q["verdict"] != "as-documented" && q["verdict"] != "as-assumed")
        .collect();
    assert!(off.is_empty(), "these should be as the spec says: {off:#?}");
    answers
}

#[test]
fn the_embedded_mock_answers_every_question_as_the_spec_says() {
    let out = scratch("mock");
    let run = audit(&out, None);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let answers = reports(&out, true);
    insta::assert_json_snapshot!(answers);
    let markdown = std::fs::read_to_string(out.join("audit.md")).unwrap();
    assert!(
        markdown.starts_with("# Audit of the embedded mock"),
        "{markdown}"
    );
}

/// Refuses the hyphen spelling of customer ids on the deprecated init, as a strict
/// `common-id` would.
#[test]
fn a_target_that_refuses_hyphen_ids_gets_that_answer_and_a_contradiction() {
    let url = stand_in(config(), |mock| {
        edit_json(mock, "/customer/kyc/init", |body| {
            let id = body["customerId"].as_str()?;
            id.starts_with("csta-").then(|| {
                let refused = json!({"requestId": "0123456789abcdef0123456789abcdef",
                    "code": "requestValidateError",
                    "context": [{"instancePath": "/customerId", "schemaPath": "common-id/pattern",
                        "keyword": "pattern", "params": {"pattern": "^[0-9a-zA-Z_]+$"},
                        "message": "must match pattern \"^[0-9a-zA-Z_]+$\""}]});
                (StatusCode::BAD_REQUEST, axum::Json(refused)).into_response()
            })
        })
    });
    let answers = check("hyphen-refused", &url, &["customer-id-prefix"]);
    assert_eq!(
        answers["customer-id-prefix"],
        json!({"answer": {"csta_": "accepted", "csta-": "rejected"}, "verdict": "contradicts"})
    );
}

/// Accepts `webhookURL` on `/akepa/identification` too (as the page's table spells it): the
/// key is renamed to the `webhookUrl` the mock takes before the mock sees the body.
#[test]
fn a_target_that_accepts_webhook_url_in_capitals_on_akepa_gets_that_answer_and_a_contradiction() {
    let url = stand_in(config(), |mock| {
        edit_json(mock, "/akepa/identification", |body| {
            let fields = body.as_object_mut()?;
            let url = fields.remove("webhookURL")?;
            fields.insert("webhookUrl".to_owned(), url);
            None
        })
    });
    let answers = check("webhook-url-accepted", &url, &["webhook-url-spelling"]);
    assert_eq!(
        answers["webhook-url-spelling"],
        json!({"answer": {
            "/customer/kyc/init": {"webhookURL": "used", "webhookUrl": "rejected"},
            "/akepa/identification": {"webhookURL": "used", "webhookUrl": "used"}
        }, "verdict": "contradicts"})
    );
}

/// Hands out tokens that live five minutes instead of D21's hour.
#[test]
fn a_target_with_a_shorter_token_lifetime_gets_that_answer_and_a_contradiction() {
    let config = MockConfig {
        token_ttl: Duration::from_secs(300),
        ..config()
    };
    let url = stand_in(config, |_| Router::new());
    let answers = check("short-token", &url, &["token-lifetime-seconds"]);
    let lifetime = &answers["token-lifetime-seconds"];
    // Measured against this machine's clock from before the login: a second of slack for it.
    let seconds = lifetime["answer"].as_u64().unwrap();
    assert!((300..=301).contains(&seconds), "{lifetime}");
    assert_eq!(lifetime["verdict"], "contradicts");
}

/// Has retired the deprecated endpoints: every `/customer/kyc/*` route answers 404
/// `notFound`, whatever the token (D21: the route is checked first).
#[test]
fn a_target_without_the_deprecated_endpoints_gets_those_answers_and_contradictions() {
    let url = stand_in(config(), |_| deprecated_gone());
    // Every question that sends something to /customer/kyc/* changes with it; only the akepa
    // questions that do not touch it and the login's token lifetime stay as the spec says.
    let answers = check(
        "deprecated-gone",
        &url,
        &[
            "deprecated-endpoint-alive",
            "repeated-init",
            "sync-mode-effect",
            "customer-id-prefix",
            "webhook-url-spelling",
            "additional-properties",
            "unauthorized",
            "validation-error-shape",
            "deprecated-webhook-payload",
        ],
    );
    let init_gone = json!({"status": 404, "body": not_found("POST", "/customer/kyc/init")});
    let expected = [
        (
            "deprecated-endpoint-alive",
            json!({"answer": {"status": 404, "alive": false}, "verdict": "contradicts"}),
        ),
        // Two 404s carry no state and no effect to compare.
        (
            "repeated-init",
            json!({"answer": null, "verdict": "unanswered",
                "note": "the init answered 404, then 404: no KYC state to compare"}),
        ),
        (
            "sync-mode-effect",
            json!({"answer": null, "verdict": "unanswered",
                "note": "the init answered 404 with syncMode true and 404 with false"}),
        ),
        // A 404 neither accepts nor rejects an id or a key: "other".
        (
            "customer-id-prefix",
            json!({"answer": {"csta_": "other", "csta-": "other"}, "verdict": "contradicts"}),
        ),
        // A 404 neither uses nor refuses a key: the question has no answer.
        (
            "webhook-url-spelling",
            json!({"answer": null, "verdict": "unanswered",
                "note": "/customer/kyc/init with webhookURL answered 404 \"notFound\": neither an acceptance nor a validation error about the key"}),
        ),
        (
            "additional-properties",
            json!({"answer": {"/customer/kyc/init": "other", "/akepa/identification": "rejected"},
                "verdict": "contradicts"}),
        ),
        // Probed on the init: the 404 comes before any token check.
        (
            "unauthorized",
            json!({"answer": {"missing": init_gone, "unknown": init_gone}, "verdict": "contradicts"}),
        ),
        (
            "deprecated-webhook-payload",
            json!({"answer": null, "verdict": "unanswered",
                "note": "the init with webhookURL answered 404"}),
        ),
    ];
    for (id, question) in expected {
        assert_eq!(answers[id], question, "{id}");
    }
    // Five of the nine invalid bodies go to the init: each is listed with Ajv's prediction
    // and the 404 that came instead.
    let shape = &answers["validation-error-shape"];
    assert_eq!(shape["verdict"], "contradicts");
    assert_eq!(shape["answer"]["matches"], 4);
    assert_eq!(shape["answer"]["differs"], 5);
    let differing = shape["answer"]["differing"].as_array().unwrap();
    assert_eq!(differing.len(), 5, "{shape}");
    for d in differing {
        assert_eq!(d["actual"]["status"], 404, "{d}");
        assert_eq!(
            d["actual"]["body"],
            not_found("POST", "/customer/kyc/init"),
            "{d}"
        );
        assert!(
            d["request"]
                .as_str()
                .unwrap()
                .starts_with("POST /customer/kyc/init")
        );
        assert!(
            !d["expected"]["context"].as_array().unwrap().is_empty(),
            "{d}"
        );
    }
}

/// Nothing listens where the target should be: not one probe is answered, so the audit could
/// not run (exit 2, no reports) rather than reporting twelve unanswered questions.
#[test]
fn a_target_that_cannot_be_reached_is_exit_2_without_reports() {
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = scratch("unreachable");
    let run = audit(&out, Some(&format!("http://127.0.0.1:{port}")));
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("no answer from the target"), "{stderr}");
    assert!(!out.join("audit.json").exists());
}

/// An answer has the shape `audit-answers.schema.json` gives its question.
#[track_caller]
fn assert_answer_shape(id: &str, answer: &Value) {
    let answers = kyc_spec::Document::AuditAnswers;
    let (name, _) = answers.parsed()["$defs"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, d)| d["x-question"] == id)
        .unwrap_or_else(|| panic!("audit-answers.schema.json has no shape for {id}"));
    let root = json!({"$ref": format!("{}#/$defs/{name}", answers.id())});
    let validator = kyc_spec::ajv::Validator::new(&root, &[answers.json()]).unwrap();
    let errors = validator
        .validate(answer, kyc_spec::ajv::Mode::AllErrors)
        .err();
    assert!(
        errors.is_none(),
        "{id}: {answer} is not its shape: {errors:#?}"
    );
}

#[test]
fn a_token_alone_skips_the_token_lifetime_and_does_not_fail_the_audit() {
    let out = scratch("token-only");
    let target = stand_in(config(), |router| router);
    // A token, no login: what a team's CI often has.
    let done = stand_in::report_command("audit", &out, Some(&target))
        .arg("--no-suite")
        .args(["--callback-wait", "2"])
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&done.stdout),
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(done.status.code(), Some(0), "{said}");
    assert!(said.contains("1 skipped"), "{said}");
    for file in ["audit.json", "audit.md", "audit.html"] {
        assert!(
            said.contains(&format!("wrote {}", out.join(file).display())),
            "{said}"
        );
    }
    let answers = reports(&out, false);
    let lifetime = answers
        .iter()
        .find(|q| q["id"] == "token-lifetime-seconds")
        .unwrap();
    assert_eq!(lifetime["verdict"], "skipped", "{lifetime}");
    assert!(
        lifetime["note"]
            .as_str()
            .unwrap()
            .contains("CONNECTFI_LOGIN"),
        "{lifetime}"
    );
}

#[test]
fn a_sandbox_that_asks_for_other_documents_still_gets_its_webhook_question_answered() {
    // Every customer asks for a passport and a utility bill: the probe walks the slots the
    // init lists instead of two licence sides, so no upload goes out with an empty id.
    let out = scratch("other-documents");
    let target = stand_in::stand_in_answers(stand_in::own_config(), |_| {});
    let run = audit(&out, Some(&target));
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let answers = reports(&out, false);
    let hook = answers
        .iter()
        .find(|q| q["id"] == "deprecated-webhook-payload")
        .unwrap();
    assert_eq!(hook["verdict"], "as-assumed", "{hook}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    let q = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "deprecated-webhook-payload")
        .unwrap();
    for e in q["evidence"].as_array().unwrap() {
        let request = e["request"].as_str().unwrap();
        assert!(
            !request.ends_with('/'),
            "an empty path parameter: {request}"
        );
    }
}

/// Every init names its document slots anew.
fn fresh_slot_ids(answer: &mut Value) {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let slots = answer
        .pointer_mut("/data/kycDocumentList")
        .and_then(Value::as_array_mut);
    for slot in slots.into_iter().flatten() {
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        slot["id"] = json!(format!("doc_regenerated{n:08}"));
    }
}

#[test]
fn ids_that_differ_between_identical_requests_decide_nothing() {
    let out = scratch("fresh-slot-ids");
    let target = stand_in(config(), |mock| {
        stand_in::edit_answer(mock, "/customer/kyc/init", fresh_slot_ids)
    });
    let run = audit(&out, Some(&target));
    let answers = reports(&out, false);
    let question = |id: &str| answers.iter().find(|q| q["id"] == id).unwrap().clone();
    assert_eq!(question("sync-mode-effect")["answer"], json!("none"));
    assert_eq!(question("repeated-init")["answer"], json!("same-state"));
    // This stand-in does not know the ids it hands out, so the webhook probe's uploads are
    // refused: its question is unanswered with the reason, never "as assumed".
    let hook = question("deprecated-webhook-payload");
    assert_eq!(hook["verdict"], "unanswered", "{hook}");
    assert!(
        hook["note"].as_str().unwrap().contains("did not move on"),
        "{hook}"
    );
    assert_eq!(run.status.code(), Some(1), "{run:?}");
}

/// Drops every key the deprecated init's schema does not name before the mock sees it: a
/// sandbox that ignores unknown keys instead of refusing them.
fn drop_unknown_keys(body: &mut Value) -> Option<axum::response::Response> {
    let schema = kyc_spec::Document::KycInitRequest.parsed();
    let known = schema["properties"].as_object().unwrap();
    if let Some(map) = body.as_object_mut() {
        map.retain(|k, _| known.contains_key(k));
    }
    None
}

#[test]
fn a_contradiction_comes_with_what_to_do_and_the_contract_patch() {
    let out = scratch("unknown-keys-ignored");
    let target = stand_in(config(), |mock| {
        edit_json(mock, "/customer/kyc/init", drop_unknown_keys)
    });
    let run = audit(&out, Some(&target));
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    reports(&out, false);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    assert_eq!(report["verdict"], "contradicts");
    let q = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "additional-properties")
        .unwrap();
    assert_eq!(q["verdict"], "contradicts", "{q}");
    assert_eq!(q["answer"]["/customer/kyc/init"], "ignored", "{q}");
    assert_eq!(
        q["patch"],
        json!({"schema": "kyc-init.request.schema.json",
               "ops": [{"op": "replace", "path": "/additionalProperties", "value": true}]})
    );
    assert!(
        q["action"]
            .as_str()
            .unwrap()
            .starts_with("Send only the documented keys")
    );
    // The pages open with the verdict and the next action.
    let md = std::fs::read_to_string(out.join("audit.md")).unwrap();
    let second = md.lines().nth(2).unwrap();
    assert!(second.starts_with("**Not as documented"), "{second}");
    assert!(
        second.contains("Next: webhook-url-spelling: ")
            || second.contains("Next: additional-properties: "),
        "{second}"
    );
    let html = std::fs::read_to_string(out.join("audit.html")).unwrap();
    let dom = tl::parse(&html, tl::ParserOptions::default()).unwrap();
    let verdict = dom
        .query_selector("p.verdict")
        .unwrap()
        .next()
        .and_then(|h| h.get(dom.parser()))
        .map(|n| n.inner_text(dom.parser()).to_string())
        .unwrap();
    assert!(verdict.starts_with("Not as documented"), "{verdict}");
}

/// Ignores unknown keys on the deprecated init: `webhookUrl` is taken (200) and dropped, so
/// no callback comes to it. "Accepted" could not tell this from a spelling it uses.
#[test]
fn a_spelling_a_sandbox_drops_is_ignored_not_accepted() {
    let out = scratch("spelling-ignored");
    let target = stand_in(config(), |mock| {
        edit_json(mock, "/customer/kyc/init", drop_unknown_keys)
    });
    let run = audit(&out, Some(&target));
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let answers = reports(&out, false);
    let spelling = answers
        .iter()
        .find(|q| q["id"] == "webhook-url-spelling")
        .unwrap();
    assert_eq!(
        spelling["answer"]["/customer/kyc/init"],
        json!({"webhookURL": "used", "webhookUrl": "ignored"}),
        "{spelling}"
    );
    assert_eq!(spelling["verdict"], "contradicts");
}
