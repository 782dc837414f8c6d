//! The three renderings of one hand-built report with a passed, a failed (breaking, additive
//! and info deviations, XML-hostile text) and an errored case.

use kyc_conformance::runner::deviation::{Deviation, Kind, Severity};
use kyc_conformance::runner::report::{CaseResult, Outcome, Report};
use serde_json::json;

fn report() -> Report {
    let failed = CaseResult {
        name: "init-<drift> & \"quotes\"".into(),
        outcome: Outcome::Failed,
        tolerated: vec![],
        deviations: vec![
            Deviation {
                kind: Kind::ValueMismatch,
                path: "/data/kyc/status".into(),
                severity: Severity::Breaking,
                expected: json!("WAITING_DATA"),
                actual: json!("PENDING"),
                message: "value differs from the recording".into(),
                step: None,
                mark: Default::default(),
            },
            Deviation {
                kind: Kind::UnexpectedField,
                path: "/data/kyc/riskScore".into(),
                severity: Severity::Additive,
                expected: json!(null),
                actual: json!(7),
                message: "field not in the recording".into(),
                step: None,
                mark: Default::default(),
            },
            Deviation {
                kind: Kind::HeaderMismatch,
                path: String::new(),
                severity: Severity::Info,
                expected: json!("no-cache"),
                actual: json!("max-age=0"),
                message: "header cache-control is \"max-age=0\" where \"no-cache\" was recorded"
                    .into(),
                step: None,
                mark: Default::default(),
            },
        ],
        error: None,
        steps: vec![],
        answer: None,
    };
    let passed = CaseResult {
        name: "init-ok".into(),
        outcome: Outcome::Passed,
        tolerated: vec![],
        deviations: vec![],
        error: None,
        steps: vec![],
        answer: None,
    };
    let errored = CaseResult::errored(
        "init-down".into(),
        "request failed: connection refused".into(),
    );
    Report::new(vec![passed, failed, errored])
}

#[test]
fn text_report() {
    insta::assert_snapshot!(report().to_text(false));
}

#[test]
fn text_report_colors_expected_and_actual() {
    let text = report().to_text(true);
    assert!(text.contains("\x1b[31m- \"WAITING_DATA\"\x1b[0m"), "{text}");
    assert!(text.contains("\x1b[32m+ \"PENDING\"\x1b[0m"), "{text}");
}

#[test]
fn json_report() {
    insta::assert_snapshot!(report().to_json());
}

#[test]
fn junit_report() {
    insta::assert_snapshot!(report().to_junit());
}

#[test]
fn info_only_deviations_do_not_fail_the_summary() {
    let r = report();
    assert_eq!(
        (
            r.summary.total,
            r.summary.passed,
            r.summary.failed,
            r.summary.errored
        ),
        (3, 1, 1, 1)
    );
    assert!(!r.all_passed());
}
