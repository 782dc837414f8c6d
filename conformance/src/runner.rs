//! The conformance runner: replays cassettes against the embedded mock or a live sandbox and
//! reports, case by case, a typed list of deviations from the recording and from the spec.
//!
//! * [`placeholder`]: `{{name}}` values filled at replay time;
//! * [`scenario`]: the steps of a cassette run in order (captures, unique values, waits,
//!   mock-only steps, webhooks between steps);
//! * [`client`]: the HTTP session (token, timeouts, secrets kept out of output);
//! * [`compare`] and [`spec_check`]: answer vs recording and answer vs spec;
//! * [`deviation`]: the closed set of deviation kinds and severities;
//! * [`report`]: outcomes and the text, JSON and JUnit renderings;
//! * [`target`] and [`embedded`]: what a run is aimed at, the embedded mock by default.

pub mod client;
pub mod compare;
pub mod deviation;
pub mod embedded;
pub mod matcher;
pub mod placeholder;
pub mod pointer;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod spec_check;
pub mod target;
pub mod volatility;

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Semaphore;

use crate::cassette::{Cassette, Step};
use client::{Answer, Outgoing, Session};
use compare::{Expected, Rules};
use placeholder::{Unfilled, Values};
use report::{CaseResult, Outcome};
use scenario::Bindings;

use crate::redact::BodyKind;
use crate::webhook_capture;

/// A step's request with every placeholder filled, and its recorded response filled the
/// same way (the recording may echo a variable such as the customer id).
#[derive(Clone, Debug)]
pub struct Prepared {
    /// What to send.
    pub outgoing: Outgoing,
    /// Recorded status.
    pub status: u16,
    /// Recorded headers.
    pub headers: serde_json::Map<String, Value>,
    /// Recorded body.
    pub body: Option<Value>,
}

/// Fills the first step of a cassette with the cassette's own values (its variables, unique
/// values and the session's token and credentials), as a replay's first request goes out.
pub fn prepare(cassette: &Cassette, session: &Session) -> Result<Prepared, Unfilled> {
    let bindings = Bindings::new(cassette, session);
    let at = scenario::step_pointer(cassette, 0);
    let step = &cassette.steps[0];
    let outgoing = fill_request(step, &bindings.values(), &at)?;
    fill_expected(step, &bindings.values(), outgoing, &at)
}

/// The request of `step` with its placeholders filled; `at` locates the step in its file.
pub fn fill_request(step: &Step, values: &Values<'_>, at: &str) -> Result<Outgoing, Unfilled> {
    let req = &step.request;
    let path = values.fill_str(&req.path, &format!("{at}/request/path"))?;
    let mut headers = Vec::with_capacity(req.headers.len());
    for (name, value) in &req.headers {
        let pointer = format!("{at}/request/headers/{}", kyc_spec::pointer::escape(name));
        headers.push((
            name.clone(),
            values.fill_str(value.as_str().unwrap_or_default(), &pointer)?,
        ));
    }
    let body = match &req.body {
        None => None,
        // A string body goes out byte for byte: that is how malformed JSON is recorded.
        Some(Value::String(s)) => Some(
            values
                .fill_str(s, &format!("{at}/request/body"))?
                .into_bytes(),
        ),
        Some(v) => Some(
            values
                .fill_json(v, &format!("{at}/request/body"))?
                .to_string()
                .into_bytes(),
        ),
    };
    Ok(Outgoing {
        method: req.method.clone(),
        path,
        headers,
        body,
    })
}

/// `outgoing` with the recorded response of `step` filled by `values`.
pub fn fill_expected(
    step: &Step,
    values: &Values<'_>,
    outgoing: Outgoing,
    at: &str,
) -> Result<Prepared, Unfilled> {
    let resp = &step.response;
    let headers = match values.fill_json(
        &Value::Object(resp.headers.clone()),
        &format!("{at}/response/headers"),
    )? {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    let body = resp
        .body
        .as_ref()
        .map(|b| values.fill_json(b, &format!("{at}/response/body")))
        .transpose()?;
    Ok(Prepared {
        outgoing,
        status: resp.status,
        headers,
        body,
    })
}

/// Replays one cassette: every step in order against one session. Never fails: a request
/// that cannot be completed makes the case `errored`, and a failed or errored step stops the
/// scenario (the steps after it are reported `skipped`). With the session's retries, a case
/// that passes only after a retry is `flaky`; with its webhook receiver, each request's
/// `webhookURL` points at the case's own slot and the callbacks that arrive are checked too.
pub async fn replay_one(session: &Session, cassette: &Cassette) -> CaseResult {
    scenario::run(session, cassette).await
}

/// Failed when a deviation fails under the policy its deviations were marked with (see
/// [`policy::Policy::mark`]); deviations not marked yet are judged by severity alone.
fn outcome_of(deviations: &[deviation::Deviation]) -> Outcome {
    if deviations.iter().any(deviation::Deviation::fails) {
        Outcome::Failed
    } else {
        Outcome::Passed
    }
}

fn webhook_deviation(finding: &webhook_capture::Finding) -> deviation::Deviation {
    use deviation::{Deviation, Kind, Severity};
    use webhook_capture::Finding;
    match finding {
        Finding::Missing { expected, arrived } => Deviation {
            kind: Kind::MissingWebhook,
            path: String::new(),
            severity: Severity::Breaking,
            expected: (*expected).into(),
            actual: (*arrived).into(),
            message: format!("{expected} webhook(s) expected, {arrived} arrived in time"),
            step: None,
            mark: Default::default(),
        },
        Finding::NotJson { index } => Deviation {
            kind: Kind::InvalidWebhook,
            path: String::new(),
            severity: Severity::Breaking,
            expected: "JSON".into(),
            actual: Value::Null,
            message: format!("webhook #{index} is not JSON"),
            step: None,
            mark: Default::default(),
        },
        Finding::SchemaViolation {
            index,
            instance_path,
            keyword,
            message,
        } => Deviation {
            kind: Kind::InvalidWebhook,
            path: instance_path.clone(),
            severity: Severity::Breaking,
            expected: Value::String(keyword.clone()),
            actual: Value::Null,
            message: format!("webhook #{index}: {message}"),
            step: None,
            mark: Default::default(),
        },
    }
}

/// Compares an answer with the step's recording and the spec and builds the case result,
/// with the real values: [`redact_result`] is what makes it fit to leave the runner.
/// `defaults` are the suite's matchers, which the step's own override.
pub fn judge(
    name: &str,
    step: &Step,
    defaults: &matcher::Matchers,
    prepared: &Prepared,
    answer: Answer,
) -> CaseResult {
    let rules = Rules::for_step_in(step, defaults);
    let expected = Expected {
        request_method: prepared.outgoing.method.as_str(),
        request_path: prepared.outgoing.path.as_str(),
        status: prepared.status,
        headers: &prepared.headers,
        body: prepared.body.as_ref(),
    };
    let compared = compare::compare_with(&expected, &answer, &rules);
    CaseResult {
        name: name.to_owned(),
        outcome: outcome_of(&compared.deviations),
        deviations: compared.deviations,
        tolerated: compared.tolerated,
        error: None,
        steps: Vec::new(),
        answer: Some(answer),
    }
}

/// The one place a case's result is redacted, once, before it leaves the runner: every
/// deviation's recorded and actual values by the schema of the place they come from (so a
/// personal value becomes its pseudonym and a secret its placeholder), the messages that
/// quote them rewritten to match, and the error text scrubbed. A passing case has nothing to
/// redact, so conforming replays pay nothing for privacy: redaction is a function of the
/// value within a run, so comparing raw values finds exactly the deviations a comparison of
/// redacted values would.
pub fn redact_result(session: &Session, prepared: &Prepared, result: &mut CaseResult) {
    let redactor = session.redactor();
    if let Some(error) = &mut result.error {
        *error = redactor.scrub_text(error);
    }
    if result.deviations.is_empty() {
        return;
    }
    let method = prepared.outgoing.method.as_str();
    let path = prepared.outgoing.path.as_str();
    let answer_status = result.answer.as_ref().map_or(0, |a| a.status);
    let recorded = BodyKind::Response {
        method,
        path,
        status: prepared.status,
    };
    let answered = BodyKind::Response {
        method,
        path,
        status: answer_status,
    };
    // Header values by what the header rules make of them, from both sides: a deviation
    // names a header only in its message, so its values are looked up here (fail-closed: a
    // value any header redacts is redacted).
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in &prepared.headers {
        if let Some(value) = value.as_str() {
            headers.push((value.to_owned(), redactor.redact_header(name, value)));
        }
    }
    for (name, value) in result.answer.iter().flat_map(|a| a.headers.iter()) {
        headers.push((value.clone(), redactor.redact_header(name, value)));
    }
    let header = |value: &Value| -> Value {
        match value {
            Value::String(v) => Value::String(
                headers
                    .iter()
                    .find(|(raw, shown)| raw == v && shown != v)
                    .map_or_else(|| redactor.scrub_text(v), |(_, shown)| shown.clone()),
            ),
            other => other.clone(),
        }
    };
    for d in &mut result.deviations {
        let (raw_expected, raw_actual) = (d.expected.clone(), d.actual.clone());
        use deviation::Kind;
        match d.kind {
            Kind::StatusMismatch => {}
            Kind::HeaderMismatch => {
                d.expected = header(&d.expected);
                d.actual = header(&d.actual);
            }
            // Params and allowed values are the schema's; only the instance value is data.
            Kind::SchemaViolation => {
                redactor.scrub_json(&mut d.expected);
                d.actual = redactor.redact_value_at(answered, &d.path, &d.actual);
            }
            Kind::UnknownEnumValue if d.expected.is_array() => {
                redactor.scrub_json(&mut d.expected);
                d.actual = redactor.redact_value_at(answered, &d.path, &d.actual);
            }
            // A text body's difference (no pointer, previews of text) is free text.
            _ if d.path.is_empty() && (d.expected.is_string() || d.actual.is_string()) => {
                redactor.scrub_json(&mut d.expected);
                redactor.scrub_json(&mut d.actual);
            }
            Kind::MissingWebhook | Kind::InvalidWebhook | Kind::BodyNotJson => {
                redactor.scrub_json(&mut d.expected);
                redactor.scrub_json(&mut d.actual);
            }
            Kind::MissingField
            | Kind::UnexpectedField
            | Kind::TypeMismatch
            | Kind::ValueMismatch
            | Kind::UnknownEnumValue => {
                d.expected = redactor.redact_value_at(recorded, &d.path, &d.expected);
                d.actual = redactor.redact_value_at(answered, &d.path, &d.actual);
            }
        }
        d.message = requote(&d.message, &raw_expected, &d.expected);
        d.message = requote(&d.message, &raw_actual, &d.actual);
        d.message = redactor.scrub_text(&d.message);
    }
}

/// A message quotes its deviation's values (`{:?}` for header values, JSON for recorded enum
/// values); once the values are redacted, the quotes follow.
fn requote(message: &str, raw: &Value, shown: &Value) -> String {
    if raw == shown {
        return message.to_owned();
    }
    let mut out = message.replace(&raw.to_string(), &shown.to_string());
    if let (Value::String(raw), Value::String(shown)) = (raw, shown) {
        out = out.replace(&format!("{raw:?}"), &format!("{shown:?}"));
    }
    out
}

/// Replays every cassette with at most `jobs` requests in flight; results come back in the
/// cassettes' order. `on_done` is called once per finished case (progress display).
pub async fn replay_all(
    session: Arc<Session>,
    cassettes: Arc<Vec<Cassette>>,
    jobs: usize,
    on_done: Arc<dyn Fn() + Send + Sync>,
) -> Vec<CaseResult> {
    replay_each(session, cassettes, jobs, Arc::new(move |_, _| on_done())).await
}

/// Called with each finished case's index and result.
pub type OnResult = Arc<dyn Fn(usize, &CaseResult) + Send + Sync>;

/// [`replay_all`], handing each result and its index to `on_result` as it finishes, so a
/// run cut short (Ctrl-C) can still report what ran.
pub async fn replay_each(
    session: Arc<Session>,
    cassettes: Arc<Vec<Cassette>>,
    jobs: usize,
    on_result: OnResult,
) -> Vec<CaseResult> {
    let permits = Arc::new(Semaphore::new(jobs.max(1)));
    let mut tasks = Vec::with_capacity(cassettes.len());
    for i in 0..cassettes.len() {
        let (session, cassettes, permits, on_result) = (
            session.clone(),
            cassettes.clone(),
            permits.clone(),
            on_result.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let _permit = permits
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let result = replay_one(&session, &cassettes[i]).await;
            on_result(i, &result);
            result
        }));
    }
    let mut results = Vec::with_capacity(tasks.len());
    for (i, task) in tasks.into_iter().enumerate() {
        results.push(match task.await {
            Ok(r) => r,
            Err(e) => CaseResult::errored(
                cassettes[i].name.clone(),
                format!("replay task failed: {e}"),
            ),
        });
    }
    results
}
