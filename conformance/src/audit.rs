//! The audit of a target: fixed probes that answer the questions the docs leave open or
//! contradict, each answer with its evidence (the redacted exchanges) and a verdict against
//! the spec: as documented, as assumed (a DECISIONS.md choice), or contradicting it.
//!
//! A probe that cannot get the answers it needs (the target refuses to create a customer, a
//! request fails) leaves its question unanswered with the reason; the audit still runs the
//! others. The report's shape is `spec/schema/audit.schema.json`.

use serde::Serialize;
use serde_json::{Value, json};

use std::time::Duration;

use kyc_spec::Contract;

use crate::cassette::Cassette;
use crate::redact::BodyKind;
use crate::runner::client::Session;
use crate::runner::report::{CaseResult, Observed};
use crate::runner::volatility;

mod advice;
mod render;

pub use advice::ContractPatch;

/// How an answer stands against the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// What connectFi's docs say.
    AsDocumented,
    /// What an `x-assumption` or a DECISIONS.md entry chose where the docs are silent.
    AsAssumed,
    /// Not what the spec says (`against` names what it contradicts).
    Contradicts,
    /// The probe could not get an answer (`note` says why).
    Unanswered,
    /// Not asked: the credentials given cannot answer it (`note` says what is needed). It
    /// does not fail the audit.
    Skipped,
}

/// One exchange a probe made, as it may be shown (both bodies redacted by their place in the
/// contract).
#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    /// The probe scenario (`audit-deprecated-init`, a file in `conformance/audit/`).
    pub scenario: String,
    /// Its step (`spelled-webhookURL`).
    pub step: String,
    /// `METHOD path`.
    pub request: String,
    /// The request's JSON body, redacted; absent for a body-less or multipart request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent: Option<Value>,
    /// The answer's status.
    pub status: u16,
    /// The answer's body, redacted.
    pub body: Value,
}

/// Why an audit could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// Not one probe got an answer: the target is not there (or not reachable from here).
    #[error("no answer from the target: {0}")]
    Unreachable(String),
    /// An embedded probe scenario does not load (a broken build).
    #[error("the probe scenario {name} does not load: {reason}")]
    Probe {
        /// Its file.
        name: &'static str,
        /// Why.
        reason: String,
    },
}

/// One question and its answer.
#[derive(Clone, Debug, Serialize)]
pub struct Question {
    /// Stable id, e.g. `customer-id-prefix`.
    pub id: &'static str,
    /// The machine-readable answer (`null` when unanswered).
    pub answer: Value,
    /// How it stands against the spec.
    pub verdict: Verdict,
    /// The decision or document the verdict compares with.
    pub against: &'static str,
    /// Why a question is unanswered, or what is worth knowing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What the integration must do about a contradiction (or to answer an unanswered
    /// question).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The change to our contract a contradiction implies: a JSON Patch against a file of
    /// `spec/schema/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<ContractPatch>,
    /// The exchanges behind the answer.
    pub evidence: Vec<Evidence>,
}

/// Counts of the verdicts.
#[derive(Clone, Copy, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Questions asked.
    pub questions: usize,
    /// As documented.
    pub as_documented: usize,
    /// As assumed.
    pub as_assumed: usize,
    /// Contradicting the spec.
    pub contradicts: usize,
    /// Without an answer.
    pub unanswered: usize,
    /// Not asked with the credentials given.
    pub skipped: usize,
}

/// A finished audit.
#[derive(Clone, Debug, Serialize)]
pub struct Audit {
    /// `mock` or the target's base URL.
    pub target: String,
    /// The audit in one word: `contradicts`, `incomplete` or `as-documented`.
    pub verdict: &'static str,
    /// The next action for the team.
    pub next: String,
    /// Counts.
    pub summary: Summary,
    /// Every question, in a fixed order.
    pub questions: Vec<Question>,
    /// The bundled suite replayed against the same target, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suite: Option<SuiteSummary>,
}

/// The bundled suite's outcome on the audited target: the report's counts and every
/// deviation kind with how many cases and deviations show it.
#[derive(Clone, Debug, Serialize)]
pub struct SuiteSummary {
    /// The replay's counts.
    pub summary: crate::runner::report::Summary,
    /// Deviation kind → number of deviations, in the kinds' order.
    pub deviations: std::collections::BTreeMap<&'static str, usize>,
    /// Deviations graded breaking.
    pub breaking: usize,
    /// The cases that did not pass, with the kinds of their deviations.
    pub failing: Vec<(String, Vec<&'static str>)>,
}

impl SuiteSummary {
    /// Groups a replay's results.
    pub fn of(report: &crate::runner::report::Report) -> SuiteSummary {
        let mut deviations = std::collections::BTreeMap::new();
        let mut failing = Vec::new();
        let mut breaking = 0;
        for case in &report.cases {
            let mut kinds: Vec<&'static str> = Vec::new();
            for d in &case.deviations {
                breaking += usize::from(d.severity == crate::runner::deviation::Severity::Breaking);
                *deviations.entry(d.kind.as_str()).or_insert(0) += 1;
                if !kinds.contains(&d.kind.as_str()) {
                    kinds.push(d.kind.as_str());
                }
            }
            if !case.outcome.passes() {
                failing.push((case.name.clone(), kinds));
            }
        }
        SuiteSummary {
            summary: report.summary,
            deviations,
            breaking,
            failing,
        }
    }
}

impl Audit {
    fn new(target: String, questions: Vec<Question>) -> Audit {
        let mut summary = Summary {
            questions: questions.len(),
            ..Summary::default()
        };
        for q in &questions {
            match q.verdict {
                Verdict::AsDocumented => summary.as_documented += 1,
                Verdict::AsAssumed => summary.as_assumed += 1,
                Verdict::Contradicts => summary.contradicts += 1,
                Verdict::Unanswered => summary.unanswered += 1,
                Verdict::Skipped => summary.skipped += 1,
            }
        }
        let first = |v: Verdict| questions.iter().find(|q| q.verdict == v);
        let (verdict, next) = if let Some(q) = first(Verdict::Contradicts) {
            let action = q.action.clone().unwrap_or_default();
            ("contradicts", format!("{}: {action}", q.id))
        } else if let Some(q) = first(Verdict::Unanswered) {
            let action = q.action.clone().unwrap_or_default();
            ("incomplete", format!("{}: {action}", q.id))
        } else {
            (
                "as-documented",
                "Nothing to change: record a baseline of this target and replay it on every CI run to see it drift (README: \"Baseline your sandbox\").".to_owned(),
            )
        };
        Audit {
            target,
            verdict,
            next,
            summary,
            questions,
            suite: None,
        }
    }

    /// `audit.json`: pretty, with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("the audit is plain JSON data");
        text.push('\n');
        text
    }
}

/// The probe scenarios (`conformance/audit/`), embedded: the audit asks the same questions
/// wherever its binary runs. Each is a cassette whose steps observe rather than judge.
const PROBES: [(&str, &str); 11] = [
    (
        "deprecated-init",
        include_str!("../audit/deprecated-init.json"),
    ),
    ("unknown-ids", include_str!("../audit/unknown-ids.json")),
    (
        "akepa-identification",
        include_str!("../audit/akepa-identification.json"),
    ),
    ("unauthorized", include_str!("../audit/unauthorized.json")),
    (
        "token-lifetime",
        include_str!("../audit/token-lifetime.json"),
    ),
    (
        "validation-errors",
        include_str!("../audit/validation-errors.json"),
    ),
    (
        "deprecated-webhook",
        include_str!("../audit/deprecated-webhook.json"),
    ),
    (
        "webhook-init-webhookURL",
        include_str!("../audit/webhook-init-webhookURL.json"),
    ),
    (
        "webhook-init-webhookUrl",
        include_str!("../audit/webhook-init-webhookUrl.json"),
    ),
    (
        "webhook-identification-webhookURL",
        include_str!("../audit/webhook-identification-webhookURL.json"),
    ),
    (
        "webhook-identification-webhookUrl",
        include_str!("../audit/webhook-identification-webhookUrl.json"),
    ),
];

/// The probe scenarios, loaded (and checked as every cassette is).
///
/// # Errors
///
/// [`AuditError::Probe`] when an embedded file does not load.
pub fn probes() -> Result<Vec<(&'static str, Cassette)>, AuditError> {
    PROBES
        .iter()
        .map(|(name, text)| {
            Cassette::from_json_str(std::path::Path::new(name), text)
                .map(|c| (*name, c))
                .map_err(|e| AuditError::Probe {
                    name,
                    reason: e.to_string(),
                })
        })
        .collect()
}

/// The probes' runs, by file name, and what the answers are read from.
struct Runs<'a> {
    session: &'a Session,
    runs: Vec<(&'static str, CaseResult)>,
    /// This machine's time just before the token-lifetime probe ran (a live target's clock is
    /// not read; the mock's is, through its clock control).
    login_sent_at: kyc_mock::Millis,
    /// How long a callback is waited for.
    callback_wait: Duration,
}

impl Runs<'_> {
    fn run(&self, probe: &str) -> Option<&CaseResult> {
        self.runs.iter().find(|(n, _)| *n == probe).map(|(_, r)| r)
    }

    /// What one step saw, or why the probe has no answer there.
    fn step(&self, probe: &str, step: &str) -> Result<&Observed, String> {
        let run = self
            .run(probe)
            .ok_or_else(|| format!("the probe {probe} did not run"))?;
        run.steps
            .iter()
            .find(|s| s.name == step)
            .and_then(|s| s.observed.as_ref())
            .ok_or_else(|| {
                run.error
                    .clone()
                    .unwrap_or_else(|| format!("{probe} did not get to its step {step}"))
            })
    }

    /// The step's status and answer.
    fn answer(&self, probe: &str, step: &str) -> Result<(u16, &Value), String> {
        static NULL: Value = Value::Null;
        self.step(probe, step)
            .map(|o| (o.status, o.body.as_ref().unwrap_or(&NULL)))
    }

    /// The probe's customer, when it could create one.
    fn customer(&self, probe: &str) -> Result<(), String> {
        match self.answer(probe, "create-customer")? {
            (200, body) if body.pointer("/data/customerId").is_some() => Ok(()),
            (status, _) => Err(format!(
                "{probe} could not create its customer (POST /customer/init answered {status})"
            )),
        }
    }

    /// The exchanges of `steps` (every step when empty), redacted, as a question's evidence.
    fn evidence(&self, probe: &str, steps: &[&str]) -> Vec<Evidence> {
        let Some(run) = self.run(probe) else {
            return Vec::new();
        };
        let redactor = self.session.redactor();
        run.steps
            .iter()
            .filter(|s| steps.is_empty() || steps.contains(&s.name.as_str()))
            .filter_map(|s| s.observed.as_ref().map(|o| (s, o)))
            .map(|(s, o)| {
                let sent = o.sent.as_ref().map(|v| {
                    let kind = BodyKind::Request {
                        method: &o.method,
                        path: &o.path,
                    };
                    redactor.redact_body(kind, v).0
                });
                let kind = BodyKind::Response {
                    method: &o.method,
                    path: &o.path,
                    status: o.status,
                };
                Evidence {
                    scenario: run.name.clone(),
                    step: s.name.clone(),
                    request: self.session.scrub_str(&format!("{} {}", o.method, o.path)),
                    sent,
                    status: o.status,
                    body: o
                        .body
                        .as_ref()
                        .map_or(Value::Null, |b| redactor.redact_body(kind, b).0),
                }
            })
            .collect()
    }
}

fn accepted_or_rejected(status: u16, body: &Value) -> &'static str {
    match (status, body.get("code").and_then(Value::as_str)) {
        (200, _) => "accepted",
        (_, Some("requestValidateError")) => "rejected",
        _ => "other",
    }
}

/// How a target took a body carrying `key`: `accepted` (200), `rejected` (a validation error
/// that names `key` as the property it does not allow), or `other` (refused for another
/// reason, which says nothing about the key).
fn key_verdict(status: u16, body: &Value, key: &str) -> &'static str {
    match accepted_or_rejected(status, body) {
        "rejected" => {
            let names_key = body
                .get("context")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|e| {
                    e.pointer("/params/additionalProperty")
                        .and_then(Value::as_str)
                        == Some(key)
                });
            if names_key { "rejected" } else { "other" }
        }
        other => other,
    }
}

fn question(
    id: &'static str,
    answer: Result<Value, String>,
    expected: &dyn Fn(&Value) -> Option<Verdict>,
    against: &'static str,
    evidence: Vec<Evidence>,
) -> Question {
    match answer {
        Ok(answer) => Question {
            id,
            verdict: expected(&answer).unwrap_or(Verdict::Contradicts),
            answer,
            against,
            note: None,
            evidence,
            action: None,
            patch: None,
        },
        Err(note) => Question {
            id,
            answer: Value::Null,
            verdict: Verdict::Unanswered,
            against,
            note: Some(note),
            evidence,
            action: None,
            patch: None,
        },
    }
}

/// Runs every probe scenario against the session's target, then answers the questions from
/// what their steps saw.
///
/// # Errors
///
/// [`AuditError::Unreachable`] when not one request got an answer; [`AuditError::Probe`]
/// when an embedded probe does not load.
pub async fn run(session: &Session, target: &str) -> Result<Audit, AuditError> {
    run_with(session, target, LIVE_CALLBACK_WAIT).await
}

/// How long a live target is given to send a callback it owes (or to show it owes none).
pub const LIVE_CALLBACK_WAIT: Duration = Duration::from_secs(30);

/// [`run`], giving a live target `callback_wait` for each callback (the mock calls back at
/// once and is given the capture's default).
///
/// # Errors
///
/// As [`run`].
pub async fn run_with(
    session: &Session,
    target: &str,
    callback_wait: Duration,
) -> Result<Audit, AuditError> {
    let mut runs = Vec::new();
    let mut login_sent_at = 0;
    for (name, probe) in probes()? {
        let needs_receiver = name == "deprecated-webhook" || name.starts_with("webhook-");
        if needs_receiver && !receiver_reachable(session) {
            continue;
        }
        if name == "token-lifetime" {
            login_sent_at = kyc_mock::Clock::system().now();
        }
        runs.push((name, crate::runner::replay_one(session, &probe).await));
    }
    let answered = runs
        .iter()
        .any(|(_, r)| r.steps.iter().any(|s| s.observed.is_some()));
    if !answered {
        let why = runs
            .iter()
            .find_map(|(_, r)| r.error.clone())
            .unwrap_or_else(|| "no request was answered".to_owned());
        return Err(AuditError::Unreachable(why));
    }
    let r = Runs {
        session,
        runs,
        login_sent_at,
        callback_wait: if session.mock_control() {
            crate::webhook_capture::DEFAULT_WAIT
        } else {
            callback_wait
        },
    };
    let mut questions = vec![
        deprecated_endpoint_alive(&r),
        repeated_init(&r),
        sync_mode_effect(&r),
        customer_id_prefix(&r),
        webhook_url_spelling(&r).await,
        additional_properties(&r),
        reference_required(&r),
        akepa_status_form(&r),
        unauthorized(&r),
        token_lifetime(&r),
        validation_error_shape(&r),
        deprecated_webhook_payload(&r).await,
    ];
    questions.iter_mut().for_each(advice::advise);
    Ok(Audit::new(target.to_owned(), questions))
}

/// Whether the target can call the session's webhook receiver: the mock or another server on
/// this machine can; a target beyond it only through a tunnel. Without one the deprecated
/// webhook's question is not asked (and a sandbox is not handed a loopback address).
fn receiver_reachable(session: &Session) -> bool {
    session
        .webhook_receiver()
        .is_some_and(|r| r.is_public() || kyc_mock::is_loopback_url(session.base_url()))
}

/// `deprecated-endpoint-alive`: a valid init of a customer the probe created.
fn deprecated_endpoint_alive(r: &Runs<'_>) -> Question {
    let p = "deprecated-init";
    let answer = r.customer(p).and_then(|()| {
        let (status, _) = r.answer(p, "init")?;
        Ok(json!({"status": status, "alive": status == 200}))
    });
    question(
        "deprecated-endpoint-alive",
        answer,
        &|a| (a["alive"] == true).then_some(Verdict::AsDocumented),
        "contract: kycInit (deprecated, still served)",
        r.evidence(p, &["create-customer", "init"]),
    )
}

/// `repeated-init`: the same init twice; the KYC state (status and document slots) compared,
/// with what differs between any two answers set aside (request ids, timestamps, generated
/// document ids): a sandbox that names its slots anew on every init has not restarted.
fn repeated_init(r: &Runs<'_>) -> Question {
    let p = "deprecated-init";
    let answer = r.customer(p).and_then(|()| {
        match (r.answer(p, "init")?, r.answer(p, "init-again")?) {
            ((200, a), (200, b)) => {
                let state = |v: &Value| {
                    json!({"data": {
                        "kyc": {"status": v.pointer("/data/kyc/status")},
                        "kycDocumentList": v.pointer("/data/kycDocumentList"),
                    }})
                };
                let changed = volatility::differences(&state(a), &state(b), &Default::default());
                Ok(if changed.is_empty() {
                    json!("same-state")
                } else {
                    json!("restarted")
                })
            }
            // Two refusals (a 404 where the endpoint is gone) carry no state to compare.
            ((first, _), (again, _)) => Err(format!(
                "the init answered {first}, then {again}: no KYC state to compare"
            )),
        }
    });
    question(
        "repeated-init",
        answer,
        &|a| (a == "same-state").then_some(Verdict::AsAssumed),
        "DECISIONS.md D15",
        r.evidence(p, &["init", "init-again"]),
    )
}

/// `sync-mode-effect`: the same init with `syncMode` true and false. The `true` request is
/// sent twice first: what differs between those two identical requests is the sandbox's
/// noise (ids, timestamps), and only a difference beyond it is an effect of the mode.
fn sync_mode_effect(r: &Runs<'_>) -> Question {
    let p = "deprecated-init";
    let answer = r.customer(p).and_then(|()| {
        let ((st, a), (sf, b)) = (r.answer(p, "sync-true")?, r.answer(p, "sync-false")?);
        if st != 200 && sf != 200 {
            // Nothing served in either mode (a 404 where the endpoint is gone).
            return Err(format!(
                "the init answered {st} with syncMode true and {sf} with false"
            ));
        }
        let (_, again) = r.answer(p, "sync-true-again")?;
        let noise = volatility::varying(a, again);
        let changed = volatility::differences(a, b, &noise);
        Ok(json!(if st == sf && changed.is_empty() {
            "none"
        } else {
            "changes-answer"
        }))
    });
    question(
        "sync-mode-effect",
        answer,
        &|a| (a == "none").then_some(Verdict::AsAssumed),
        "DECISIONS.md D3",
        r.evidence(p, &["sync-true", "sync-true-again", "sync-false"]),
    )
}

/// `customer-id-prefix`: unknown ids of both spellings; `customerNotFound` accepts the
/// spelling, a validation error rejects it.
fn customer_id_prefix(r: &Runs<'_>) -> Question {
    let p = "unknown-ids";
    let answer = (|| {
        let mut spelled = serde_json::Map::new();
        for (prefix, step) in [("csta_", "unknown-underscore"), ("csta-", "unknown-hyphen")] {
            let (status, body) = r.answer(p, step)?;
            let a = match body.get("code").and_then(Value::as_str) {
                Some("customerNotFound") => "accepted",
                Some("requestValidateError") => "rejected",
                _ if status == 200 => "accepted",
                _ => "other",
            };
            spelled.insert(prefix.to_owned(), json!(a));
        }
        Ok(Value::Object(spelled))
    })();
    question(
        "customer-id-prefix",
        answer,
        &|a| {
            (a == &json!({"csta_": "accepted", "csta-": "accepted"})).then_some(Verdict::AsAssumed)
        },
        "DECISIONS.md D1",
        r.evidence(p, &[]),
    )
}

/// What the contract says `route`'s request does with a top-level `key`: `accepted` when the
/// schema has the property, `rejected` when it has not and refuses others
/// (`additionalProperties: false`), `ignored` otherwise. The verdicts below compare the
/// target with this, so a change of the schema changes what the audit expects.
fn contract_takes(route: &str, key: &str) -> &'static str {
    let contract = Contract::embedded();
    let Some(doc) = contract.request_document("POST", route) else {
        return "ignored";
    };
    let fields = kyc_spec::fields::of(doc);
    if kyc_spec::fields::find(&fields, &format!("/{key}")).is_some() {
        return "accepted";
    }
    let closed = doc.parsed().get("additionalProperties") == Some(&Value::Bool(false));
    if closed { "rejected" } else { "ignored" }
}

/// Whether the contract requires the top-level `key` in `route`'s request.
fn contract_requires(route: &str, key: &str) -> bool {
    Contract::embedded()
        .request_document("POST", route)
        .map(kyc_spec::fields::of)
        .and_then(|fields| kyc_spec::fields::find(&fields, &format!("/{key}")).map(|f| f.required))
        .unwrap_or(false)
}

/// `webhook-url-spelling`: each spelling of the callback key on the deprecated init and on the
/// identification, in a journey of its own driven to a change the sandbox calls back for, with
/// the address of the run's receiver under that key. `used`: a callback arrived there;
/// `ignored`: accepted, and none arrived; `rejected`: a validation error naming the key. What
/// an answer of 200 alone cannot tell (a key a sandbox drops looks accepted) the callback does.
async fn webhook_url_spelling(r: &Runs<'_>) -> Question {
    let mut evidence = Vec::new();
    let answer = async {
        let receiver = r
            .session
            .webhook_receiver()
            .filter(|_| receiver_reachable(r.session))
            .ok_or("the target cannot reach this machine's webhook receiver, and only a callback shows a key is used: give a tunnel with --webhook-port and --webhook-public-url")?;
        let mut sides = serde_json::Map::new();
        for (side, route, step) in [
            ("init", "/customer/kyc/init", "init"),
            ("identification", "/akepa/identification", "identification"),
        ] {
            let mut keys = serde_json::Map::new();
            for key in ["webhookURL", "webhookUrl"] {
                let probe = format!("webhook-{side}-{key}");
                let probe = PROBES
                    .iter()
                    .map(|(n, _)| *n)
                    .find(|n| *n == probe)
                    .ok_or("a webhook probe is missing")?;
                evidence.extend(r.evidence(probe, &[&format!("{step}-{key}")]));
                r.customer(probe)?;
                let (status, body) = r.answer(probe, &format!("{step}-{key}"))?;
                let verdict = match key_verdict(status, body, key) {
                    "rejected" => "rejected",
                    "accepted" => {
                        let run = r.run(probe).ok_or("the probe did not run")?;
                        if let Some(e) = &run.error {
                            return Err(format!("{probe} broke off before a change: {e}"));
                        }
                        let slot = crate::webhook_capture::slot(&run.name);
                        if receiver.wait(&slot, 1, r.callback_wait).await.is_empty() {
                            "ignored"
                        } else {
                            "used"
                        }
                    }
                    _ => {
                        return Err(format!(
                            "{route} with {key} answered {status} {}: neither an acceptance nor a validation error about the key",
                            body.get("code").unwrap_or(&Value::Null)
                        ));
                    }
                };
                keys.insert(key.to_owned(), json!(verdict));
            }
            sides.insert(route.to_owned(), Value::Object(keys));
        }
        Ok(Value::Object(sides))
    }
    .await;
    question(
        "webhook-url-spelling",
        answer,
        &|a| {
            let expected: serde_json::Map<String, Value> =
                ["/customer/kyc/init", "/akepa/identification"]
                    .into_iter()
                    .map(|route| {
                        let keys: serde_json::Map<String, Value> = ["webhookURL", "webhookUrl"]
                            .into_iter()
                            .map(|k| {
                                let takes = match contract_takes(route, k) {
                                    "accepted" => "used",
                                    other => other,
                                };
                                (k.to_owned(), json!(takes))
                            })
                            .collect();
                        (route.to_owned(), Value::Object(keys))
                    })
                    .collect();
            (a == &Value::Object(expected)).then_some(Verdict::AsAssumed)
        },
        "DECISIONS.md D2, D7, D38",
        evidence,
    )
}

/// `additional-properties`: an unknown property on the deprecated init and on the
/// identification; only a validation error naming it rejects it (a 404 is "other").
fn additional_properties(r: &Runs<'_>) -> Question {
    let answer = (|| {
        let mut sides = serde_json::Map::new();
        for (probe, side) in [
            ("deprecated-init", "/customer/kyc/init"),
            ("akepa-identification", "/akepa/identification"),
        ] {
            r.customer(probe)?;
            let (status, body) = r.answer(probe, "extra-property")?;
            let verdict = match key_verdict(status, body, "auditExtra") {
                "accepted" => "ignored",
                other => other,
            };
            sides.insert(side.to_owned(), json!(verdict));
        }
        Ok(Value::Object(sides))
    })();
    let mut evidence = r.evidence("deprecated-init", &["extra-property"]);
    evidence.extend(r.evidence("akepa-identification", &["extra-property"]));
    question(
        "additional-properties",
        answer,
        &|a| {
            let expected = |route| match contract_takes(route, "auditExtra") {
                "accepted" => "ignored",
                other => other,
            };
            (a == &json!({"/customer/kyc/init": expected("/customer/kyc/init"),
                          "/akepa/identification": expected("/akepa/identification")}))
                .then_some(Verdict::AsAssumed)
        },
        "DECISIONS.md D7; the akepa error example",
        evidence,
    )
}

/// `reference-required`: an identification without `reference`.
fn reference_required(r: &Runs<'_>) -> Question {
    let p = "akepa-identification";
    let answer = r.customer(p).and_then(|()| {
        let (status, body) = r.answer(p, "no-reference")?;
        match accepted_or_rejected(status, body) {
            "accepted" => Ok(json!({"/akepa/identification": false})),
            "rejected" => Ok(json!({"/akepa/identification": true})),
            // A 401 or a 404 says nothing about the field.
            _ => Err(format!(
                "the identification answered {status} {}, neither an acceptance nor a validation error",
                body.get("code").unwrap_or(&Value::Null)
            )),
        }
    });
    question(
        "reference-required",
        answer,
        &|a| {
            (a == &json!({"/akepa/identification": contract_requires("/akepa/identification", "reference")}))
                .then_some(Verdict::AsDocumented)
        },
        "akepa-identification.request.schema.json (required)",
        r.evidence(p, &["no-reference"]),
    )
}

/// `akepa-status-form`: a fresh application asked for through both status forms. Served is a
/// 200, not-found a 404; anything else (a 401, a 400) says nothing about the form.
fn akepa_status_form(r: &Runs<'_>) -> Question {
    let p = "akepa-identification";
    let answer = r.customer(p).and_then(|()| {
        let (status, created) = r.answer(p, "identification")?;
        if created.pointer("/data/applicationId").is_none() {
            return Err(format!(
                "the identification answered {status} without an applicationId to ask about"
            ));
        }
        let form = |step: &str| match r.answer(p, step)? {
            (200, _) => Ok("served"),
            (404, _) => Ok("not-found"),
            (s, b) => Err(format!(
                "a status form answered {s} {}",
                b.get("code").unwrap_or(&Value::Null)
            )),
        };
        Ok(json!({"POST /akepa/status": form("status-post")?, "GET /akepa/status/{customerId}": form("status-get")?}))
    });
    question(
        "akepa-status-form",
        answer,
        &|a| {
            (a == &json!({"POST /akepa/status": "served", "GET /akepa/status/{customerId}": "served"}))
                .then_some(Verdict::AsAssumed)
        },
        "contract: akepaStatus, akepaStatusByCustomer",
        r.evidence(p, &["identification", "status-post", "status-get"]),
    )
}

/// `unauthorized`: the deprecated init with no token and with an unknown one (bodies as the
/// evidence shows them, redacted).
fn unauthorized(r: &Runs<'_>) -> Question {
    let p = "unauthorized";
    let evidence = r.evidence(p, &[]);
    let answer = (|| {
        let mut side = serde_json::Map::new();
        for (name, step) in [("missing", "missing-token"), ("unknown", "unknown-token")] {
            let (status, _) = r.answer(p, step)?;
            let shown = evidence
                .iter()
                .find(|e| e.step == step)
                .map_or(Value::Null, |e| e.body.clone());
            side.insert(name.to_owned(), json!({"status": status, "body": shown}));
        }
        Ok(Value::Object(side))
    })();
    // What the docs print for the code, read from its branch of the error schema.
    let error = Contract::embedded().error_code(p);
    let documented = error.map(|e| {
        json!({"status": e.statuses.first(), "body": {"code": e.code, "message": e.documented_message}})
    });
    let reference = error.map_or("error.schema.json", |e| e.reference.as_str());
    question(
        "unauthorized",
        answer,
        &|a| {
            let documented = documented.as_ref()?;
            (a["missing"] == *documented && a["unknown"] == *documented)
                .then_some(Verdict::AsDocumented)
        },
        reference,
        evidence,
    )
}

/// `token-lifetime-seconds`: `dtsExpireAt` of a fresh login minus the time of the request, as
/// the target's clock tells it (the mock's through its clock control, a live target's by the
/// machine's clock, which the answer's `Date` would not improve on).
fn token_lifetime(r: &Runs<'_>) -> Question {
    let p = "token-lifetime";
    if r.session.credentials().is_none() {
        // A token alone says nothing of how long a fresh one lives; not a failure of the
        // target, so not a failure of the audit.
        return Question {
            id: "token-lifetime-seconds",
            answer: Value::Null,
            verdict: Verdict::Skipped,
            against: "DECISIONS.md D21 (tokens live one hour; connectFi documents no lifetime)",
            note: Some(
                "skipped: a token's lifetime shows only on a fresh login; run with CONNECTFI_LOGIN and CONNECTFI_PASSWORD to ask it".to_owned(),
            ),
            evidence: Vec::new(),
            action: None,
            patch: None,
        };
    }
    let answer = (|| {
        let now = match r.step(p, "mock-clock") {
            Ok(o) => o
                .body
                .as_ref()
                .and_then(|b| b.pointer("/data/now"))
                .and_then(Value::as_str)
                .and_then(kyc_mock::parse_timestamp)
                .ok_or("the mock's clock answered no time")?,
            // Skipped (a live target): this machine's clock just before the login.
            Err(_) => r.login_sent_at,
        };
        let (status, body) = r
            .answer(p, "login")
            .map_err(|e| format!("{e} (the login needs CONNECTFI_LOGIN and CONNECTFI_PASSWORD)"))?;
        let expires = body
            .pointer("/data/dtsExpireAt")
            .and_then(Value::as_str)
            .and_then(kyc_mock::parse_timestamp)
            .ok_or_else(|| format!("the login answered {status} without a dtsExpireAt"))?;
        Ok::<Value, String>(json!((expires.saturating_sub(now)) / 1000))
    })();
    // D21: tokens live an hour. Within a minute of it counts, for a live target's clock skew
    // and the time the login took.
    let hour = kyc_mock::DEFAULT_TOKEN_TTL.as_secs();
    question(
        "token-lifetime-seconds",
        answer,
        &|a| {
            a.as_u64()
                .is_some_and(|s| s.abs_diff(hour) <= 60)
                .then_some(Verdict::AsAssumed)
        },
        "DECISIONS.md D21 (tokens live one hour; connectFi documents no lifetime)",
        r.evidence(p, &[]),
    )
}

/// `validation-error-shape`: invalid bodies sent to the deprecated init, the identification
/// and the customer creation; how many 400 contexts are exactly Ajv's error list for the same
/// body (our validator's, which the goldens hold to Ajv byte for byte).
fn validation_error_shape(r: &Runs<'_>) -> Question {
    let p = "validation-errors";
    let contract = Contract::embedded();
    let answer = (|| {
        let run = r.run(p).ok_or("the probe did not run")?;
        if let Some(e) = &run.error {
            return Err(e.clone());
        }
        let (mut matches, mut differs) = (0, 0);
        let mut differing = Vec::new();
        let redactor = r.session.redactor();
        for (step, o) in run
            .steps
            .iter()
            .filter_map(|s| s.observed.as_ref().map(|o| (s, o)))
        {
            let expected = o.sent.as_ref().and_then(|sent| {
                let doc = contract.request_document(&o.method, &o.path)?;
                kyc_spec::ajv::Validator::embedded(doc)
                    .validate(sent, kyc_spec::ajv::Mode::FirstError)
                    .err()
                    .map(|errors| serde_json::to_value(errors).unwrap_or(Value::Null))
            });
            let body = o.body.as_ref();
            let is_ajv = o.status == 400
                && body.and_then(|b| b.get("code")).and_then(Value::as_str)
                    == Some("requestValidateError")
                && expected.is_some()
                && body.and_then(|b| b.get("context")) == expected.as_ref();
            if is_ajv {
                matches += 1;
            } else {
                differs += 1;
                // Both bodies, so a reader sees what differs (redacted like all evidence).
                let sent = o.sent.as_ref().map(|v| {
                    let kind = BodyKind::Request {
                        method: &o.method,
                        path: &o.path,
                    };
                    redactor.redact_body(kind, v).0
                });
                let answered = BodyKind::Response {
                    method: &o.method,
                    path: &o.path,
                    status: o.status,
                };
                let mut predicted = expected.clone().unwrap_or(Value::Null);
                redactor.scrub_json(&mut predicted);
                differing.push(json!({
                    "step": step.name,
                    "request": r.session.scrub_str(&format!("{} {}", o.method, o.path)),
                    "sent": sent,
                    "expected": {"status": 400, "code": "requestValidateError", "context": predicted},
                    "actual": {
                        "status": o.status,
                        "body": body.map_or(Value::Null, |b| redactor.redact_body(answered, b).0),
                    },
                }));
            }
        }
        Ok(json!({"matches": matches, "differs": differs, "differing": differing}))
    })();
    question(
        "validation-error-shape",
        answer,
        &|a| (a["differs"] == 0).then_some(Verdict::AsDocumented),
        "Ajv 8's error list (connectFi validates with Ajv)",
        r.evidence(p, &[]),
    )
}

/// `deprecated-webhook-payload`: a customer's KYC is moved on once (both licence sides and the
/// card attributes sent) with `webhookURL` at the audit's receiver; the top-level keys of the
/// first callback, and whether it validates against `webhook.schema.json`. `null` when none
/// arrived (which contradicts D6); unanswered when the target cannot reach the receiver (a
/// live target without a tunnel).
async fn deprecated_webhook_payload(r: &Runs<'_>) -> Question {
    let p = "deprecated-webhook";
    let reachable = receiver_reachable(r.session);
    let answer = async {
        let receiver = r
            .session
            .webhook_receiver()
            .filter(|_| reachable)
            .ok_or("the target cannot reach this machine's webhook receiver: give a tunnel with --webhook-port and --webhook-public-url")?;
        r.customer(p)?;
        let (status, _) = r.answer(p, "init")?;
        if status != 200 {
            return Err(format!("the init with webhookURL answered {status}"));
        }
        let run = r.run(p).ok_or("the probe did not run")?;
        // The callback is about a change the journey causes: a journey that broke off, or
        // whose steps were refused, says nothing about callbacks.
        if let Some(e) = &run.error {
            return Err(format!("the journey broke off: {e}"));
        }
        for s in run.steps.iter().filter(|s| s.name != "create-customer") {
            if let Some(o) = &s.observed
                && o.status != 200
            {
                return Err(format!(
                    "{} answered {} ({} {}): the KYC did not move on",
                    s.name, o.status, o.method, o.path
                ));
            }
        }
        let arrived = receiver
            .wait(&crate::webhook_capture::slot(&run.name), 1, r.callback_wait)
            .await;
        let Some(first) = arrived.first() else {
            return Ok(Value::Null);
        };
        let body: Value = serde_json::from_slice(&first.body).unwrap_or(Value::Null);
        let keys: Vec<&str> = body
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let validates =
            kyc_spec::ajv::Validator::embedded(kyc_spec::Document::Webhook).is_valid(&body);
        Ok(json!({"keys": keys, "validates": validates}))
    }
    .await;
    question(
        "deprecated-webhook-payload",
        answer,
        // D6 assumes a callback on every status change, shaped as webhook.schema.json: none
        // arriving through a reachable receiver contradicts it as much as another shape does.
        &|a| (a["validates"] == true).then_some(Verdict::AsAssumed),
        "DECISIONS.md D6 (webhook.schema.json)",
        r.evidence(p, &[]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The audit's expectations are the contract's: the spellings D2 and D38 chose, the
    /// closed requests of D7, the identification's required reference.
    #[test]
    fn expectations_are_read_from_the_contract() {
        assert_eq!(
            contract_takes("/customer/kyc/init", "webhookURL"),
            "accepted"
        );
        assert_eq!(
            contract_takes("/customer/kyc/init", "webhookUrl"),
            "rejected"
        );
        assert_eq!(
            contract_takes("/akepa/identification", "webhookUrl"),
            "accepted"
        );
        assert_eq!(
            contract_takes("/akepa/identification", "webhookURL"),
            "rejected"
        );
        assert_eq!(
            contract_takes("/akepa/identification", "auditExtra"),
            "rejected"
        );
        assert!(contract_requires("/akepa/identification", "reference"));
        assert!(!contract_requires("/customer/kyc/init", "webhookURL"));
    }

    /// Every embedded probe loads, and every step of it observes: a judged step that deviated
    /// would stop its probe and leave the later questions without an answer.
    #[test]
    fn every_probe_loads_and_only_observes() {
        let probes = probes().unwrap();
        assert_eq!(probes.len(), PROBES.len());
        for (name, probe) in probes {
            assert!(
                probe.steps.iter().all(|s| s.observe),
                "{name} has a step that judges"
            );
        }
    }
}
