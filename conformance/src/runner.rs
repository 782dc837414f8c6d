//! The conformance runner: replays cassettes against the embedded mock or a live sandbox and
//! reports, case by case, a typed list of deviations from the recording and from the spec.
//!
//! * [`cassette`]: the recorded exchange and its file format;
//! * [`placeholder`]: `{{name}}` values filled at replay time;
//! * [`client`]: the HTTP session (token, timeouts, secrets kept out of output);
//! * [`compare`] and [`spec_check`]: answer vs recording and answer vs spec;
//! * [`deviation`]: the closed set of deviation kinds and severities;
//! * [`report`]: outcomes and the text, JSON and JUnit renderings;
//! * [`cli`]: `kyc-conformance replay`.

pub mod cassette;
pub mod cli;
pub mod client;
pub mod compare;
pub mod deviation;
pub mod embedded;
pub mod output;
pub mod placeholder;
pub mod pointer;
pub mod report;
pub mod spec_check;

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Semaphore;

use cassette::Cassette;
use client::{Answer, Outgoing, Session};
use compare::{Expected, Rules};
use placeholder::{Unfilled, Values};
use report::{CaseResult, Outcome};

/// The request of `cassette` with every placeholder filled, and its recorded response filled
/// the same way (the recording may echo a variable such as the customer id).
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

/// Fills a cassette's placeholders for `session`.
pub fn prepare(cassette: &Cassette, session: &Session) -> Result<Prepared, Unfilled> {
    let mut values = Values::default();
    for (k, v) in &cassette.variables {
        values.set(k, v);
    }
    if let Some(token) = session.token() {
        values.set("token", token.expose());
    }
    if let Some((login, password)) = session.credentials() {
        values.set("login", login.expose());
        values.set("password", password.expose());
    }
    let req = &cassette.request;
    let path = values.fill_str(&req.path, "/request/path")?;
    let mut headers = Vec::with_capacity(req.headers.len());
    for (name, value) in &req.headers {
        let at = format!("/request/headers/{name}");
        headers.push((
            name.clone(),
            values.fill_str(value.as_str().unwrap_or_default(), &at)?,
        ));
    }
    let body = match &req.body {
        None => None,
        // A string body goes out byte for byte: that is how malformed JSON is recorded.
        Some(Value::String(s)) => Some(values.fill_str(s, "/request/body")?.into_bytes()),
        Some(v) => Some(
            values
                .fill_json(v, "/request/body")?
                .to_string()
                .into_bytes(),
        ),
    };
    let resp = &cassette.response;
    let headers_expected =
        match values.fill_json(&Value::Object(resp.headers.clone()), "/response/headers")? {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
    let body_expected = resp
        .body
        .as_ref()
        .map(|b| values.fill_json(b, "/response/body"))
        .transpose()?;
    Ok(Prepared {
        outgoing: Outgoing {
            method: req.method.clone(),
            path,
            headers,
            body,
        },
        status: resp.status,
        headers: headers_expected,
        body: body_expected,
    })
}

/// Replays one cassette. Never fails: a request that cannot be completed makes the case
/// `errored`.
pub async fn replay_one(session: &Session, cassette: &Cassette) -> CaseResult {
    let name = cassette.name.clone();
    let prepared = match prepare(cassette, session) {
        Ok(p) => p,
        Err(e) => return CaseResult::errored(name, e.to_string()),
    };
    let answer = match session.send(&prepared.outgoing).await {
        Ok(a) => a,
        Err(e) => return CaseResult::errored(name, session.scrub_str(&e.to_string())),
    };
    judge(session, cassette, &prepared, answer)
}

/// Compares an answer and builds the case result, secrets scrubbed.
pub fn judge(
    session: &Session,
    cassette: &Cassette,
    prepared: &Prepared,
    answer: Answer,
) -> CaseResult {
    let rules = Rules::for_cassette(cassette);
    let expected = Expected {
        request_path: &prepared.outgoing.path,
        status: prepared.status,
        headers: &prepared.headers,
        body: prepared.body.as_ref(),
    };
    let mut deviations = compare::compare(&expected, &answer, &rules);
    for d in &mut deviations {
        session.scrub(&mut d.expected);
        session.scrub(&mut d.actual);
        d.message = session.scrub_str(&d.message);
    }
    let outcome = if deviations.iter().any(|d| d.severity.fails()) {
        Outcome::Failed
    } else {
        Outcome::Passed
    };
    CaseResult {
        name: cassette.name.clone(),
        outcome,
        deviations,
        error: None,
        answer: Some(answer),
    }
}

/// Replays every cassette with at most `jobs` requests in flight; results come back in the
/// cassettes' order. `on_done` is called once per finished case (progress display).
pub async fn replay_all(
    session: Arc<Session>,
    cassettes: Arc<Vec<Cassette>>,
    jobs: usize,
    on_done: Arc<dyn Fn() + Send + Sync>,
) -> Vec<CaseResult> {
    let permits = Arc::new(Semaphore::new(jobs.max(1)));
    let mut tasks = Vec::with_capacity(cassettes.len());
    for i in 0..cassettes.len() {
        let (session, cassettes, permits, on_done) = (
            session.clone(),
            cassettes.clone(),
            permits.clone(),
            on_done.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let _permit = permits
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let result = replay_one(&session, &cassettes[i]).await;
            on_done();
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
