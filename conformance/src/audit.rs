//! The audit of a target: fixed probes that answer the questions the docs leave open or
//! contradict, each answer with its evidence (the redacted exchanges) and a verdict against
//! the spec: as documented, as assumed (a DECISIONS.md choice), or contradicting it.
//!
//! A probe that cannot get the answers it needs (the target refuses to create a customer, a
//! request fails) leaves its question unanswered with the reason; the audit still runs the
//! others. The report's shape is `spec/schema/audit.schema.json`.

use serde::Serialize;
use serde_json::{Value, json};

use crate::cassette::UniqueKind;
use crate::redact::BodyKind;
use crate::runner::client::{ClientError, Outgoing, Session};
use crate::runner::scenario::unique_value;

mod render;

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
}

/// One exchange a probe made, as it may be shown (both bodies redacted by their place in the
/// contract).
#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    /// The probe's step (`init with webhookURL`).
    pub probe: String,
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
    Unreachable(#[source] ClientError),
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
}

/// A finished audit.
#[derive(Clone, Debug, Serialize)]
pub struct Audit {
    /// `mock` or the target's base URL.
    pub target: String,
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
            }
        }
        Audit {
            target,
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

/// The probes' state: the session, the run's unique values and the exchanges made so far.
struct Probe<'a> {
    session: &'a Session,
    /// Makes the run's references unique.
    seed: u64,
    evidence: Vec<Evidence>,
    /// Whether any request got an answer (an audit with none could not run).
    answered: bool,
    /// The first transport error, kept for the report of an audit that got no answer.
    first_failure: Option<ClientError>,
}

impl Probe<'_> {
    fn json(&self, method: &str, path: &str, body: Option<Value>, token: Token<'_>) -> Outgoing {
        let mut headers = Vec::new();
        if body.is_some() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        let token = match token {
            Token::Session => self.session.token().map(|t| t.expose().to_owned()),
            Token::None => None,
            Token::Literal(t) => Some(t.to_owned()),
        };
        if let Some(t) = token {
            headers.push(("x-connectfi-token".to_owned(), t));
        }
        Outgoing {
            method: method.to_owned(),
            path: path.to_owned(),
            headers,
            body: body.map(|b| b.to_string().into_bytes()),
        }
    }

    /// Sends, keeps the redacted exchange as evidence, returns the status and the raw body.
    async fn send(&mut self, probe: &str, out: Outgoing) -> Result<(u16, Value), ClientError> {
        let answer = match self.session.send(&out).await {
            Ok(a) => a,
            Err(e) => {
                if self.first_failure.is_none() {
                    self.first_failure = Some(ClientError::Transport(e.to_string()));
                }
                return Err(e);
            }
        };
        self.answered = true;
        let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
        let sent = out
            .body
            .as_deref()
            .and_then(|b| serde_json::from_slice::<Value>(b).ok())
            .map(|v| {
                let kind = BodyKind::Request {
                    method: &out.method,
                    path: &out.path,
                };
                self.session.redactor().redact_body(kind, &v).0
            });
        let kind = BodyKind::Response {
            method: &out.method,
            path: &out.path,
            status: answer.status,
        };
        let shown = self.session.redactor().redact_body(kind, &body).0;
        self.evidence.push(Evidence {
            probe: probe.to_owned(),
            request: self
                .session
                .scrub_str(&format!("{} {}", out.method, out.path)),
            sent,
            status: answer.status,
            body: shown,
        });
        Ok((answer.status, body))
    }

    /// `POST /customer/kyc/init` with the session's token.
    fn init(&self, body: Value) -> Outgoing {
        self.json("POST", "/customer/kyc/init", Some(body), Token::Session)
    }

    /// `POST /akepa/identification` with the session's token.
    fn identify(&self, body: Value) -> Outgoing {
        self.json("POST", "/akepa/identification", Some(body), Token::Session)
    }

    /// A reference of this run for one identification. Each gets its own: a sandbox that
    /// wants references unique per application would otherwise refuse the repeats, and its
    /// refusal would read as an answer.
    fn reference(&self, probe: &str) -> String {
        unique_value(self.seed, "audit", probe, UniqueKind::Reference)
    }

    fn take(&mut self) -> Vec<Evidence> {
        std::mem::take(&mut self.evidence)
    }
}

enum Token<'a> {
    Session,
    None,
    Literal(&'a str),
}

/// A customer the audit creates (invented data, unique per run), and its id.
async fn create_customer(p: &mut Probe<'_>, seed: u64, name: &str) -> Result<String, String> {
    let unique = |kind| unique_value(seed, "audit", name, kind);
    let body = json!({
        "customerReference": unique(UniqueKind::Reference),
        "customerType": "individual",
        "customer": {"firstName": "Ada", "lastName": "Pendleton", "gender": "F",
            "email": unique(UniqueKind::Email), "dateOfBirth": "1985-03-14",
            "citizenshipCountryCodeA3": "USA",
            "identificationDocuments": [{"type": "SSN", "value": unique(UniqueKind::Ssn), "issuanceCountryCodeA3": "USA"}]}
    });
    let out = p.json("POST", "/customer/init", Some(body), Token::Session);
    let (status, answer) = p
        .send(&format!("create customer {name}"), out)
        .await
        .map_err(|e| e.to_string())?;
    answer
        .pointer("/data/customerId")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("POST /customer/init answered {status} without a customerId"))
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

/// A callback address for the probes that only ask whether a key is taken: a valid one, so
/// that a refusal is about the key and not the value. The audit's own receiver when there is
/// one (callbacks to it land in a slot nothing reads), else an address that never resolves.
fn probe_callback(p: &Probe<'_>) -> String {
    p.session.webhook_receiver().map_or_else(
        || "https://callback.invalid/kyc-audit".to_owned(),
        |r| r.url("audit-probes"),
    )
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
        },
        Err(note) => Question {
            id,
            answer: Value::Null,
            verdict: Verdict::Unanswered,
            against,
            note: Some(note),
            evidence,
        },
    }
}

/// Runs every probe against the session's target. `seed` makes the customers it creates
/// unique (a fresh one for a live target).
///
/// # Errors
///
/// [`AuditError::Unreachable`] when not one request got an answer.
pub async fn run(session: &Session, target: &str, seed: u64) -> Result<Audit, AuditError> {
    let mut p = Probe {
        session,
        seed,
        evidence: Vec::new(),
        answered: false,
        first_failure: None,
    };
    // The deprecated questions share one customer, the akepa ones another.
    let kyc = create_customer(&mut p, seed, "kyc").await;
    let kyc_setup = p.take();
    let akepa = create_customer(&mut p, seed, "akepa").await;
    let akepa_setup = p.take();
    let c = Customers {
        kyc,
        kyc_setup,
        akepa,
        akepa_setup,
    };
    let questions = vec![
        deprecated_endpoint_alive(&mut p, &c).await,
        repeated_init(&mut p, &c).await,
        sync_mode_effect(&mut p, &c).await,
        customer_id_prefix(&mut p).await,
        webhook_url_spelling(&mut p, &c).await,
        additional_properties(&mut p, &c).await,
        reference_required(&mut p, &c).await,
        akepa_status_form(&mut p, &c).await,
        unauthorized(&mut p).await,
        token_lifetime(&mut p).await,
        validation_error_shape(&mut p, &c.kyc, &c.akepa).await,
        deprecated_webhook_payload(&mut p, seed).await,
    ];
    if !p.answered {
        return Err(AuditError::Unreachable(p.first_failure.unwrap_or_else(
            || ClientError::Transport("no request was answered".to_owned()),
        )));
    }
    Ok(Audit::new(target.to_owned(), questions))
}

/// The customers the probes share (or why one could not be created), and the exchanges that
/// created them, shown as the first question of each kind's evidence.
struct Customers {
    kyc: Result<String, String>,
    kyc_setup: Vec<Evidence>,
    akepa: Result<String, String>,
    akepa_setup: Vec<Evidence>,
}

/// `deprecated-endpoint-alive`: a valid init of a customer the audit created.
async fn deprecated_endpoint_alive(p: &mut Probe<'_>, c: &Customers) -> Question {
    let answer = match &c.kyc {
        Ok(id) => match p.send("init", p.init(json!({"customerId": id}))).await {
            Ok((status, _)) => Ok(json!({"status": status, "alive": status == 200})),
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(e.clone()),
    };
    let mut evidence = c.kyc_setup.clone();
    evidence.extend(p.take());
    question(
        "deprecated-endpoint-alive",
        answer,
        &|a| (a["alive"] == true).then_some(Verdict::AsDocumented),
        "contract: kycInit (deprecated, still served)",
        evidence,
    )
}

/// `repeated-init`: the same init twice; the KYC state and document list compared.
async fn repeated_init(p: &mut Probe<'_>, c: &Customers) -> Question {
    let answer = match &c.kyc {
        Ok(id) => {
            let first = p.send("init", p.init(json!({"customerId": id}))).await;
            let again = p
                .send("init again", p.init(json!({"customerId": id})))
                .await;
            match (first, again) {
                (Ok((200, a)), Ok((200, b))) => {
                    let state = |v: &Value| {
                        (
                            v.pointer("/data/kyc/status").cloned(),
                            v.pointer("/data/kycDocumentList").cloned(),
                        )
                    };
                    Ok(json!(if state(&a) == state(&b) {
                        "same-state"
                    } else {
                        "restarted"
                    }))
                }
                (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
                // Two refusals (a 404 where the endpoint is gone) carry no state to compare.
                (Ok((first, _)), Ok((again, _))) => Err(format!(
                    "the init answered {first}, then {again}: no KYC state to compare"
                )),
            }
        }
        Err(e) => Err(e.clone()),
    };
    question(
        "repeated-init",
        answer,
        &|a| (a == "same-state").then_some(Verdict::AsAssumed),
        "DECISIONS.md D15",
        p.take(),
    )
}

/// `sync-mode-effect`: the same init with `syncMode` true and false; the answers compared
/// without their request ids.
async fn sync_mode_effect(p: &mut Probe<'_>, c: &Customers) -> Question {
    let answer = match &c.kyc {
        Ok(id) => {
            let t = p
                .send(
                    "syncMode true",
                    p.init(json!({"customerId": id, "syncMode": true})),
                )
                .await;
            let f = p
                .send(
                    "syncMode false",
                    p.init(json!({"customerId": id, "syncMode": false})),
                )
                .await;
            match (t, f) {
                // Nothing served in either mode (a 404 where the endpoint is gone): no
                // effect can show.
                (Ok((st, _)), Ok((sf, _))) if st != 200 && sf != 200 => Err(format!(
                    "the init answered {st} with syncMode true and {sf} with false"
                )),
                (Ok((st, mut a)), Ok((sf, mut b))) => {
                    for v in [&mut a, &mut b] {
                        if let Some(m) = v.as_object_mut() {
                            m.remove("requestId");
                        }
                    }
                    Ok(json!(if st == sf && a == b {
                        "none"
                    } else {
                        "changes-answer"
                    }))
                }
                (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
            }
        }
        Err(e) => Err(e.clone()),
    };
    question(
        "sync-mode-effect",
        answer,
        &|a| (a == "none").then_some(Verdict::AsAssumed),
        "DECISIONS.md D3",
        p.take(),
    )
}

/// `customer-id-prefix`: unknown ids of both spellings; `customerNotFound` accepts the
/// spelling, a validation error rejects it.
async fn customer_id_prefix(p: &mut Probe<'_>) -> Question {
    let mut spelled = serde_json::Map::new();
    let mut failed = None;
    for (prefix, id) in [
        ("csta_", "csta_AuditNoSuchCustomer0000000"),
        ("csta-", "csta-AuditNoSuchCustomer0000000"),
    ] {
        match p
            .send(
                &format!("unknown {prefix} id"),
                p.init(json!({"customerId": id})),
            )
            .await
        {
            Ok((status, body)) => {
                let a = match body.get("code").and_then(Value::as_str) {
                    Some("customerNotFound") => "accepted",
                    Some("requestValidateError") => "rejected",
                    _ if status == 200 => "accepted",
                    _ => "other",
                };
                spelled.insert(prefix.to_owned(), json!(a));
            }
            Err(e) => failed = Some(e.to_string()),
        }
    }
    let answer = failed.map_or(Ok(Value::Object(spelled)), Err);
    question(
        "customer-id-prefix",
        answer,
        &|a| {
            (a == &json!({"csta_": "accepted", "csta-": "accepted"})).then_some(Verdict::AsAssumed)
        },
        "DECISIONS.md D1",
        p.take(),
    )
}

/// `webhook-url-spelling`: both spellings of the callback key on the deprecated init and on
/// the identification.
async fn webhook_url_spelling(p: &mut Probe<'_>, c: &Customers) -> Question {
    let mut answer = Ok(json!({}));
    if let (Ok(kyc), Ok(akepa)) = (&c.kyc, &c.akepa) {
        let mut init_side = serde_json::Map::new();
        let mut akepa_side = serde_json::Map::new();
        let callback = probe_callback(p);
        for key in ["webhookURL", "webhookUrl"] {
            match p
                .send(
                    &format!("init with {key}"),
                    p.init(json!({"customerId": kyc, key: callback})),
                )
                .await
            {
                Ok((s, b)) => {
                    init_side.insert(key.to_owned(), json!(key_verdict(s, &b, key)));
                }
                Err(e) => answer = Err(e.to_string()),
            }
            let body = json!({"customerId": akepa, "reference": p.reference(&format!("spelling-{key}")), key: callback});
            match p
                .send(&format!("identification with {key}"), p.identify(body))
                .await
            {
                Ok((s, b)) => {
                    akepa_side.insert(key.to_owned(), json!(key_verdict(s, &b, key)));
                }
                Err(e) => answer = Err(e.to_string()),
            }
        }
        if answer.is_ok() {
            answer =
                Ok(json!({"/customer/kyc/init": init_side, "/akepa/identification": akepa_side}));
        }
    } else {
        answer = Err("no customer to probe with (see the setup exchanges)".to_owned());
    }
    let mut evidence = c.akepa_setup.clone();
    evidence.extend(p.take());
    question(
        "webhook-url-spelling",
        answer,
        &|a| {
            (a == &json!({"/customer/kyc/init": {"webhookURL": "accepted", "webhookUrl": "rejected"},
                          "/akepa/identification": {"webhookURL": "rejected", "webhookUrl": "accepted"}}))
            .then_some(Verdict::AsAssumed)
        },
        "DECISIONS.md D2, D7, D38",
        evidence,
    )
}

/// `additional-properties`: an unknown property on the deprecated init and on the
/// identification.
async fn additional_properties(p: &mut Probe<'_>, c: &Customers) -> Question {
    let answer = match (&c.kyc, &c.akepa) {
        (Ok(kyc), Ok(akepa)) => {
            let i = p
                .send(
                    "init with an extra property",
                    p.init(json!({"customerId": kyc, "auditExtra": 1})),
                )
                .await;
            let body =
                json!({"customerId": akepa, "reference": p.reference("extra"), "auditExtra": 1});
            let a = p
                .send("identification with an extra property", p.identify(body))
                .await;
            // Only a validation error naming the property rejects it; a 404 is "other".
            let verdict = |r: Result<(u16, Value), ClientError>| {
                r.map(|(s, b)| match key_verdict(s, &b, "auditExtra") {
                    "accepted" => "ignored",
                    other => other,
                })
            };
            match (verdict(i), verdict(a)) {
                (Ok(i), Ok(a)) => Ok(json!({"/customer/kyc/init": i, "/akepa/identification": a})),
                (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
            }
        }
        _ => Err("no customer to probe with".to_owned()),
    };
    question(
        "additional-properties",
        answer,
        &|a| {
            (a == &json!({"/customer/kyc/init": "rejected", "/akepa/identification": "rejected"}))
                .then_some(Verdict::AsAssumed)
        },
        "DECISIONS.md D7; the akepa error example",
        p.take(),
    )
}

/// `reference-required`: an identification without `reference`.
async fn reference_required(p: &mut Probe<'_>, c: &Customers) -> Question {
    let answer = match &c.akepa {
        Ok(akepa) => p
            .send("identification without reference", p.identify(json!({"customerId": akepa})))
            .await
            .map_err(|e| e.to_string())
            .and_then(|(s, b)| match accepted_or_rejected(s, &b) {
                "accepted" => Ok(json!({"/akepa/identification": false})),
                "rejected" => Ok(json!({"/akepa/identification": true})),
                // A 401 or a 404 says nothing about the field.
                _ => Err(format!("the identification answered {s} {}, neither an acceptance nor a validation error", b.get("code").unwrap_or(&Value::Null))),
            }),
        Err(e) => Err(e.clone()),
    };
    question(
        "reference-required",
        answer,
        &|a| (a == &json!({"/akepa/identification": true})).then_some(Verdict::AsDocumented),
        "akepa-identification.request.schema.json (required)",
        p.take(),
    )
}

/// `akepa-status-form`: a fresh application asked for through both status forms.
async fn akepa_status_form(p: &mut Probe<'_>, c: &Customers) -> Question {
    let answer = match &c.akepa {
        Ok(akepa) => {
            let body = json!({"customerId": akepa, "reference": p.reference("status-form")});
            match p.send("identification", p.identify(body)).await {
                Ok((status, created)) => match created
                    .pointer("/data/applicationId")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                {
                    None => Err(format!(
                        "the identification answered {status} without an applicationId to ask about"
                    )),
                    Some(app) => {
                        let post = p.json(
                            "POST",
                            "/akepa/status",
                            Some(json!({"customerId": akepa, "applicationId": app})),
                            Token::Session,
                        );
                        let get = p.json(
                            "GET",
                            &format!("/akepa/status/{akepa}"),
                            None,
                            Token::Session,
                        );
                        // Served is a 200, not-found a 404; anything else (a 401, a 400)
                        // says nothing about which form the target serves.
                        let form = |r: Result<(u16, Value), ClientError>| match r {
                            Ok((200, _)) => Ok("served"),
                            Ok((404, _)) => Ok("not-found"),
                            Ok((s, b)) => Err(format!(
                                "a status form answered {s} {}",
                                b.get("code").unwrap_or(&Value::Null)
                            )),
                            Err(e) => Err(e.to_string()),
                        };
                        let post = form(p.send("POST status", post).await);
                        let get = form(p.send("GET status", get).await);
                        match (post, get) {
                            (Ok(a), Ok(b)) => Ok(
                                json!({"POST /akepa/status": a, "GET /akepa/status/{customerId}": b}),
                            ),
                            (Err(e), _) | (_, Err(e)) => Err(e),
                        }
                    }
                },
                Err(e) => Err(e.to_string()),
            }
        }
        Err(e) => Err(e.clone()),
    };
    question(
        "akepa-status-form",
        answer,
        &|a| {
            (a == &json!({"POST /akepa/status": "served", "GET /akepa/status/{customerId}": "served"})).then_some(Verdict::AsAssumed)
        },
        "contract: akepaStatus, akepaStatusByCustomer",
        p.take(),
    )
}

/// `unauthorized`: the deprecated init with no token and with an unknown one.
async fn unauthorized(p: &mut Probe<'_>) -> Question {
    let mut side = serde_json::Map::new();
    let mut failed = None;
    for (name, token) in [
        ("missing", Token::None),
        ("unknown", Token::Literal("audit-unknown-token")),
    ] {
        let out = p.json(
            "POST",
            "/customer/kyc/init",
            Some(json!({"customerId": "csta_AuditNoSuchCustomer0000000"})),
            token,
        );
        match p.send(&format!("{name} token"), out).await {
            Ok((status, _)) => {
                let shown = p.evidence.last().map_or(Value::Null, |e| e.body.clone());
                side.insert(name.to_owned(), json!({"status": status, "body": shown}));
            }
            Err(e) => failed = Some(e.to_string()),
        }
    }
    let documented =
        json!({"status": 401, "body": {"code": "unauthorized", "message": "Authentication error"}});
    let answer = failed.map_or(Ok(Value::Object(side)), Err);
    question(
        "unauthorized",
        answer,
        &|a| {
            (a["missing"] == documented && a["unknown"] == documented)
                .then_some(Verdict::AsDocumented)
        },
        "error.schema.json#/$defs/Unauthorized",
        p.take(),
    )
}

/// `token-lifetime-seconds`: `dtsExpireAt` of a fresh login minus the time of the request, as
/// the target's clock tells it (the mock's through its clock control, a live target's by the
/// machine's clock, which the answer's `Date` would not improve on).
async fn token_lifetime(p: &mut Probe<'_>) -> Question {
    let answer = async {
        let (login, password) = p
            .session
            .credentials()
            .map(|(l, w)| (l.expose().to_owned(), w.expose().to_owned()))
            .ok_or_else(|| {
                "no login and password to log in with (set CONNECTFI_LOGIN and CONNECTFI_PASSWORD)"
                    .to_owned()
            })?;
        let now = if p.session.mock_control() {
            let out = p.json(
                "POST",
                "/_mock/clock/advance",
                Some(json!({"ms": 0})),
                Token::None,
            );
            let (_, body) = p
                .send("the mock's clock", out)
                .await
                .map_err(|e| e.to_string())?;
            body.pointer("/data/now")
                .and_then(Value::as_str)
                .and_then(kyc_mock::parse_timestamp)
                .ok_or("the mock's clock answered no time")?
        } else {
            kyc_mock::Clock::system().now()
        };
        let body = json!({"user": {"login": login, "password": password}});
        let out = p.json("POST", "/auth/get-token", Some(body), Token::None);
        let (status, body) = p.send("login", out).await.map_err(|e| e.to_string())?;
        let expires = body
            .pointer("/data/dtsExpireAt")
            .and_then(Value::as_str)
            .and_then(kyc_mock::parse_timestamp)
            .ok_or_else(|| format!("the login answered {status} without a dtsExpireAt"))?;
        Ok::<Value, String>(json!((expires.saturating_sub(now)) / 1000))
    }
    .await;
    // connectFi documents no lifetime; D21 assumes an hour (the mock's default). A minute of
    // slack covers a live target's clock against this machine's and the login's latency.
    let assumed = kyc_mock::DEFAULT_TOKEN_TTL.as_secs();
    question(
        "token-lifetime-seconds",
        answer,
        &|a| {
            a.as_u64()
                .is_some_and(|s| s.abs_diff(assumed) <= 60)
                .then_some(Verdict::AsAssumed)
        },
        "DECISIONS.md D21 (tokens live one hour; connectFi documents no lifetime)",
        p.take(),
    )
}

/// `validation-error-shape`: invalid bodies sent to the deprecated init, the identification
/// and the customer creation; how many 400 contexts are exactly Ajv's error list for the same
/// input (our validator's, which the goldens hold to Ajv byte for byte).
async fn validation_error_shape(
    p: &mut Probe<'_>,
    kyc: &Result<String, String>,
    akepa: &Result<String, String>,
) -> Question {
    let kyc = kyc
        .clone()
        .unwrap_or_else(|_| "csta_AuditNoSuchCustomer0000000".to_owned());
    let akepa = akepa
        .clone()
        .unwrap_or_else(|_| "cstap_AuditNoSuchCustomer000000".to_owned());
    let cases = [
        (
            "/customer/kyc/init",
            kyc_spec::Document::KycInitRequest,
            json!({}),
        ),
        (
            "/customer/kyc/init",
            kyc_spec::Document::KycInitRequest,
            json!({"customerId": 5}),
        ),
        (
            "/customer/kyc/init",
            kyc_spec::Document::KycInitRequest,
            json!({"customerId": "csta 1"}),
        ),
        (
            "/customer/kyc/init",
            kyc_spec::Document::KycInitRequest,
            json!({"customerId": kyc, "syncMode": "yes"}),
        ),
        (
            "/customer/kyc/init",
            kyc_spec::Document::KycInitRequest,
            json!([]),
        ),
        (
            "/akepa/identification",
            kyc_spec::Document::AkepaIdentificationRequest,
            json!({"customerId": akepa}),
        ),
        (
            "/akepa/identification",
            kyc_spec::Document::AkepaIdentificationRequest,
            json!({"customerId": "c-1", "reference": "r_1"}),
        ),
        (
            "/akepa/identification",
            kyc_spec::Document::AkepaIdentificationRequest,
            json!({"customerId": akepa, "reference": "r1", "extra": 1}),
        ),
        (
            "/customer/init",
            kyc_spec::Document::CustomerInitRequest,
            json!({"customerReference": "r1", "customer": {}}),
        ),
    ];
    let (mut matches, mut differs) = (0, 0);
    for (path, doc, body) in cases {
        let expected = kyc_spec::ajv::Validator::embedded(doc)
            .validate(&body, kyc_spec::ajv::Mode::FirstError)
            .err()
            .map(|errors| serde_json::to_value(errors).unwrap_or(Value::Null));
        let out = p.json("POST", path, Some(body), Token::Session);
        match p.send(&format!("invalid body to {path}"), out).await {
            Ok((400, answer))
                if answer.get("code").and_then(Value::as_str) == Some("requestValidateError")
                    && expected.is_some()
                    && answer.get("context") == expected.as_ref() =>
            {
                matches += 1
            }
            Ok(_) => differs += 1,
            Err(e) => {
                return question(
                    "validation-error-shape",
                    Err(e.to_string()),
                    &|_| None,
                    "Ajv 8",
                    p.take(),
                );
            }
        }
    }
    question(
        "validation-error-shape",
        Ok(json!({"matches": matches, "differs": differs})),
        &|a| (a["differs"] == 0).then_some(Verdict::AsDocumented),
        "Ajv 8's error list (connectFi validates with Ajv)",
        p.take(),
    )
}

/// `deprecated-webhook-payload`: a customer's KYC is moved on once (both licence sides and the
/// card attributes sent) with `webhookURL` at the audit's receiver; the top-level keys of the
/// first callback, and whether it validates against `webhook.schema.json`. `null` when none
/// arrived (which contradicts D6); unanswered when the target cannot reach the receiver (a
/// live target without a tunnel).
async fn deprecated_webhook_payload(p: &mut Probe<'_>, seed: u64) -> Question {
    // A target beyond this machine reaches the receiver only through a tunnel; without one
    // the question cannot be asked (and a sandbox is not handed a loopback address).
    let Some(receiver) = p
        .session
        .webhook_receiver()
        .filter(|r| r.is_public() || kyc_mock::is_loopback_url(p.session.base_url()))
    else {
        return question(
            "deprecated-webhook-payload",
            Err("the target cannot reach this machine's webhook receiver: give a tunnel with --webhook-port and --webhook-public-url".to_owned()),
            &|_| None,
            "DECISIONS.md D6",
            p.take(),
        );
    };
    let url = receiver.url("audit");
    let answer = async {
        let customer = create_customer(p, seed, "webhook").await?;
        let init = p.json("POST", "/customer/kyc/init", Some(json!({"customerId": customer, "webhookURL": url})), Token::Session);
        let (status, started) = p.send("init with webhookURL", init).await.map_err(|e| e.to_string())?;
        if status != 200 {
            // No init, no callback to wait for: not the null of an unreachable receiver.
            return Err(format!("the init with webhookURL answered {status}"));
        }
        let slots: Vec<String> = started
            .pointer("/data/kycDocumentList")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| d["id"].as_str().map(str::to_owned))
            .collect();
        for slot in slots {
            let boundary = "kyc-audit-boundary";
            let body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"side.png\"\r\nContent-Type: image/png\r\n\r\ninvented image bytes\r\n--{boundary}--\r\n"
            );
            let mut out = p.json("POST", &format!("/customer/kyc/upload/{customer}/{slot}"), None, Token::Session);
            out.headers.push(("content-type".to_owned(), format!("multipart/form-data; boundary={boundary}")));
            out.body = Some(body.into_bytes());
            p.send("upload", out).await.map_err(|e| e.to_string())?;
        }
        let attributes = json!({"customerId": customer, "additionalAttributes": {"cardAttributes":
            {"productID": "Virtual_Debit_Card", "nameOnCard": "JOHN TESTMAN", "designId": "1", "addressType": "PRIMARY", "issueType": "NEW"}}});
        let out = p.json("POST", "/customer/kyc/add-attributes", Some(attributes), Token::Session);
        p.send("add attributes", out).await.map_err(|e| e.to_string())?;
        // A sandbox calls back in its own time; the mock at once.
        let within = if p.session.mock_control() {
            crate::webhook_capture::DEFAULT_WAIT
        } else {
            std::time::Duration::from_secs(30)
        };
        let arrived = receiver.wait("audit", 1, within).await;
        let Some(first) = arrived.first() else {
            return Ok(Value::Null);
        };
        let body: Value = serde_json::from_slice(&first.body).unwrap_or(Value::Null);
        let keys: Vec<&str> = body.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
        let validates = kyc_spec::ajv::Validator::embedded(kyc_spec::Document::Webhook).is_valid(&body);
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
        p.take(),
    )
}
