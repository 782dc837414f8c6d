//! Running a cassette's steps in order against one session.
//!
//! A single exchange is a cassette with one step, so both forms go through here. Per step:
//!
//! 1. a step whose operation the contract marks mock-only (the clock control) is skipped on a
//!    target that is not the mock, and reported as such;
//! 2. the request is filled from the run's [`Bindings`] (variables, unique values, the
//!    target's token and credentials, `--var` overrides, earlier captures) and sent; a step
//!    with `wait` is sent again until the value it waits for arrives or the time is up, and
//!    on the mock the clock is advanced between polls instead of sleeping;
//! 3. `capture` takes values from the answer; the recorded response is then filled (it may
//!    use the captures of its own step) and compared, captured places being volatile;
//! 4. the callbacks the step expects are awaited on the run's receiver and checked against
//!    the operation's webhook schema;
//! 5. a step that fails or errors stops the scenario; the rest are reported `skipped`.

use std::collections::BTreeMap;
use std::time::Duration;

use kyc_spec::Contract;
use serde_json::{Value, json};

use super::client::{Answer, ClientError, Outgoing, Session};
use super::deviation::{Deviation, Kind, Severity, StepRef};
use super::placeholder::Values;
use super::report::{CaseResult, Observed, Outcome, StepOutcome, StepResult};
use super::{fill_expected, fill_request, judge, outcome_of, redact_result, webhook_deviation};
use crate::cassette::{Cassette, Form, Step, UniqueKind, Wait};
use crate::webhook_capture;

/// The contract's id of the mock-only operation that moves the mock's clock.
pub const ADVANCE_CLOCK: &str = "mockAdvanceClock";

/// The placeholder values of one run of one cassette; captures are added as steps run.
#[derive(Clone, Debug, Default)]
pub struct Bindings {
    map: BTreeMap<String, String>,
    /// Captured values that are not strings (arrays a `forEach` walks, numbers, booleans), as
    /// the answer had them; their text form is in `map` too.
    json: BTreeMap<String, Value>,
}

impl Bindings {
    /// The cassette's variables, its unique values (generated from the session's seed), the
    /// session's `--var` overrides, and the target's `token`, `login` and `password`.
    pub fn new(cassette: &Cassette, session: &Session) -> Bindings {
        Bindings::with_seed(cassette, session, session.unique_seed())
    }

    /// [`Bindings::new`] with the unique values of another seed: a second run of the same
    /// cassette on the same target (recording twice) must not reuse the first run's
    /// references, SSNs and e-mails, which the target already holds.
    pub fn with_seed(cassette: &Cassette, session: &Session, seed: u64) -> Bindings {
        let mut map = cassette.variables.clone();
        for (name, kind) in &cassette.unique {
            let value = unique_value(seed, &cassette.name, name, *kind);
            map.insert(name.clone(), value);
        }
        for (name, value) in session.overrides() {
            map.insert(name.clone(), value.clone());
        }
        if let Some(token) = session.token() {
            map.insert("token".into(), token.expose().to_owned());
        }
        if let Some((login, password)) = session.credentials() {
            map.insert("login".into(), login.expose().to_owned());
            map.insert("password".into(), password.expose().to_owned());
        }
        // The case's own callback address on the run's receiver, for a probe that puts it
        // under a key the contract does not know (the audit's webhook spellings).
        if let Some(receiver) = session.webhook_receiver() {
            let slot = webhook_capture::slot(&cassette.name);
            map.insert("webhook".into(), receiver.url(&slot));
        }
        Bindings {
            map,
            json: BTreeMap::new(),
        }
    }

    /// The values as the placeholder filler reads them.
    pub fn values(&self) -> Values<'_> {
        let mut values = Values::default();
        for (k, v) in &self.map {
            values.set(k, v);
        }
        values
    }

    /// Adds (or replaces) a captured value.
    pub fn capture(&mut self, name: &str, value: String) {
        self.json.remove(name);
        self.map.insert(name.to_owned(), value);
    }

    /// Adds (or replaces) a captured value as the answer had it: a string as itself, anything
    /// else as its JSON text, kept as JSON for `forEach` and `when`.
    pub fn capture_json(&mut self, name: &str, value: &Value) {
        match value {
            Value::String(s) => self.capture(name, s.clone()),
            other => {
                self.map.insert(name.to_owned(), other.to_string());
                self.json.insert(name.to_owned(), other.clone());
            }
        }
    }

    /// A bound value as JSON: a captured array or number as it was, any other value as a
    /// string.
    pub fn get_json(&self, name: &str) -> Option<Value> {
        self.json
            .get(name)
            .cloned()
            .or_else(|| self.map.get(name).map(|s| Value::String(s.clone())))
    }

    /// Binds a `forEach` element under `name`: a string as `{{name}}`, an object's members as
    /// `{{name.member}}` (strings as themselves, other values as JSON). The previous
    /// element's bindings are dropped first.
    pub fn bind_element(&mut self, name: &str, element: &Value) {
        let prefix = format!("{name}.");
        self.map.retain(|k, _| k != name && !k.starts_with(&prefix));
        self.json
            .retain(|k, _| k != name && !k.starts_with(&prefix));
        self.capture_json(name, element);
        if let Value::Object(members) = element {
            for (k, v) in members {
                self.capture_json(&format!("{prefix}{k}"), v);
            }
        }
    }

    /// A value, if bound.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }
}

/// The value of a `unique` placeholder: a function of the run's seed, the scenario and the
/// placeholder's name, so it is stable within a run (every step sees the same one) and two
/// scenarios, or two runs with different seeds, get different ones.
pub fn unique_value(seed: u64, scenario: &str, name: &str, kind: UniqueKind) -> String {
    let mut h = 0xcbf2_9ce4_8422_2325_u64 ^ seed;
    for byte in scenario.bytes().chain([0]).chain(name.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // splitmix64's finaliser spreads FNV's weak low bits over the whole word.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    match kind {
        UniqueKind::Reference => format!("ref{h:016x}"),
        UniqueKind::Ssn => format!("9{:08}", h % 100_000_000),
        UniqueKind::Email => format!("kyc-{:012x}@example.com", h & 0xffff_ffff_ffff),
    }
}

/// Where step `i` sits in its file, for error pointers: `/steps/i`, or the root for an
/// exchange.
pub fn step_pointer(cassette: &Cassette, i: usize) -> String {
    match cassette.form {
        Form::Exchange => String::new(),
        Form::Scenario => format!("/steps/{i}"),
    }
}

/// Whether the step's operation exists only on the mock (the contract says so).
pub fn is_mock_only(step: &Step) -> bool {
    Contract::embedded()
        .operation(&step.request.method, path_only(&step.request.path))
        .is_some_and(|op| op.mock_only)
}

/// The operation a step's request is for, as fingerprints name it: the contract's id, or
/// the method and path as written when the contract has no such operation.
pub fn operation_of(step: &Step) -> String {
    let request = &step.request;
    Contract::embedded()
        .operation(&request.method, path_only(&request.path))
        .map_or_else(
            || format!("{} {}", request.method, path_only(&request.path)),
            |op| op.id.clone(),
        )
}

fn path_only(path: &str) -> &str {
    path.split_once('?').map_or(path, |(p, _)| p)
}

/// Whether replaying `cassette` moves the mock's clock: a mock-only step, or a wait (which
/// advances the clock between polls).
pub fn moves_the_clock(cassette: &Cassette) -> bool {
    cassette
        .steps
        .iter()
        .any(|s| s.wait.is_some() || is_mock_only(s))
}

/// Runs every step of `cassette` and gathers one case result.
pub async fn run(session: &Session, cassette: &Cassette) -> CaseResult {
    // Only the mock's time is shared and moved by the runner; a live target's is its own.
    let gate = session.clock_gate();
    let (_exclusive, _shared) = match (session.mock_control(), moves_the_clock(cassette)) {
        (true, true) => (Some(gate.write().await), None),
        (true, false) => (None, Some(gate.read().await)),
        (false, _) => (None, None),
    };
    let mut run = Run {
        session,
        cassette,
        bindings: Bindings::new(cassette, session),
        slot: webhook_capture::slot(&cassette.name),
        hooks_seen: 0,
        hook_document: None,
    };
    let mut result = CaseResult {
        name: cassette.name.clone(),
        outcome: Outcome::Passed,
        deviations: Vec::new(),
        tolerated: Vec::new(),
        error: None,
        steps: Vec::with_capacity(cassette.steps.len()),
        answer: None,
    };
    let mut retried = false;
    let mut stopped: Option<StepRef> = None;
    for (index, step) in cassette.steps.iter().enumerate() {
        let mut report = StepResult {
            index,
            name: step.name.clone(),
            outcome: StepOutcome::Passed,
            reason: None,
            polls: None,
            iterations: None,
            observed: None,
        };
        if let Some(failed) = &stopped {
            report.outcome = StepOutcome::Skipped;
            report.reason = Some(format!(
                "step {} ({}) did not pass",
                failed.index, failed.name
            ));
            result.steps.push(report);
            continue;
        }
        let elements = match run.elements(step) {
            Ok(elements) => elements,
            Err(reason) => {
                report.outcome = StepOutcome::Errored;
                report.reason = Some(reason.clone());
                result.error = Some(format!("step {index} ({}): {reason}", step.name));
                stopped = Some(StepRef {
                    index,
                    name: step.name.clone(),
                    iteration: None,
                });
                result.steps.push(report);
                continue;
            }
        };
        if elements.is_empty() {
            report.outcome = StepOutcome::Skipped;
            report.reason = step
                .for_each
                .as_ref()
                .map(|each| format!("forEach: {{{{{}}}}} has no element", each.items));
            report.iterations = Some(0);
            result.steps.push(report);
            continue;
        }
        let mut ran = 0;
        let mut skipped_by_when = None;
        for (iteration, element) in elements.into_iter().enumerate() {
            let at = StepRef {
                index,
                name: step.name.clone(),
                iteration: step.for_each.is_some().then_some(iteration),
            };
            if let (Some(each), Some(element)) = (&step.for_each, &element) {
                run.bindings.bind_element(&each.name, element);
            }
            if let Some(why) = run.unless(step) {
                skipped_by_when = Some(why);
                continue;
            }
            ran += 1;
            let outcome = run
                .one(step, &at, &mut report, &mut result, &mut retried)
                .await;
            if matches!(outcome, StepOutcome::Failed | StepOutcome::Errored) {
                report.outcome = outcome;
                stopped = Some(at);
                break;
            }
        }
        if step.for_each.is_some() {
            report.iterations = Some(ran);
        }
        if ran == 0 {
            report.outcome = StepOutcome::Skipped;
            report.reason = skipped_by_when;
        }
        result.steps.push(report);
    }
    result.outcome = if result.error.is_some() {
        Outcome::Errored
    } else {
        outcome_of(&result.deviations)
    };
    if retried && result.outcome == Outcome::Passed {
        result.outcome = Outcome::Flaky;
    }
    if cassette.form == Form::Exchange {
        // An exchange is reported as it always was: no step list.
        result.steps.clear();
    }
    result
}

/// What `step` runs over: one pass without `forEach`, else one per element of the captured
/// array (an `Err` names what is wrong with it).
pub fn elements(bindings: &Bindings, step: &Step) -> Result<Vec<Option<Value>>, String> {
    let Some(each) = &step.for_each else {
        return Ok(vec![None]);
    };
    match bindings.get_json(&each.items) {
        Some(Value::Array(items)) => Ok(items.into_iter().map(Some).collect()),
        Some(other) => Err(format!(
            "forEach: {{{{{}}}}} is {}, not an array",
            each.items,
            super::matcher::type_name(&other)
        )),
        None => Err(format!("forEach: {{{{{}}}}} has no value", each.items)),
    }
}

/// Why the step's `when` keeps it from running now, if it does (the value shown scrubbed).
pub fn unless(bindings: &Bindings, step: &Step, session: &Session) -> Option<String> {
    let when = step.when.as_ref()?;
    let value = bindings.get_json(&when.var).unwrap_or(Value::Null);
    if when.values.contains(&value) {
        return None;
    }
    let shown = session.redactor().scrub_text(&value.to_string());
    Some(format!(
        "when: {{{{{}}}}} is {shown}, not one of {}",
        when.var,
        Value::Array(when.values.clone())
    ))
}

/// What running one step gave.
enum StepRun {
    /// Not run, and why.
    Skipped(String),
    /// The exchange could not be completed.
    Errored(String),
    /// Judged (and redacted).
    Done(Box<Done>),
}

struct Done {
    judged: CaseResult,
    attempts: u32,
    polls: Option<u32>,
    observed: Option<Observed>,
}

/// The state of one cassette's run.
struct Run<'a> {
    session: &'a Session,
    cassette: &'a Cassette,
    bindings: Bindings,
    /// The case's slot on the webhook receiver.
    slot: String,
    /// Callbacks that arrived for earlier steps.
    hooks_seen: usize,
    /// The schema of the callbacks the scenario registered a URL for.
    hook_document: Option<kyc_spec::Document>,
}

impl Run<'_> {
    fn elements(&self, step: &Step) -> Result<Vec<Option<Value>>, String> {
        elements(&self.bindings, step)
    }

    fn unless(&self, step: &Step) -> Option<String> {
        unless(&self.bindings, step, self.session)
    }

    /// Runs one pass of `step` and folds what it found into the step's report and the case's
    /// result; returns how the pass ended.
    async fn one(
        &mut self,
        step: &Step,
        at: &StepRef,
        report: &mut StepResult,
        result: &mut CaseResult,
        retried: &mut bool,
    ) -> StepOutcome {
        let session = self.session;
        let cassette = self.cassette;
        match self.step(at.index, step).await {
            StepRun::Skipped(reason) => {
                report.outcome = StepOutcome::Skipped;
                report.reason = Some(reason);
                StepOutcome::Skipped
            }
            StepRun::Errored(message) => {
                let message = session.redactor().scrub_text(&message);
                report.reason = Some(message.clone());
                let pass = at.iteration.map_or(String::new(), |i| format!(" [{i}]"));
                result.error = Some(match cassette.form {
                    Form::Exchange => message,
                    Form::Scenario => format!("step {}{pass} ({}): {message}", at.index, step.name),
                });
                StepOutcome::Errored
            }
            StepRun::Done(done) if step.observe => {
                // A probe: what came back is the finding, kept for the report that asked.
                *retried |= done.attempts > 1;
                report.polls = done.polls;
                report.observed = done.observed;
                result.answer = done.judged.answer;
                StepOutcome::Passed
            }
            StepRun::Done(done) => {
                *retried |= done.attempts > 1;
                report.polls = done.polls;
                report.observed = done.observed;
                let mut judged = done.judged;
                // Looked up only when there is something to fingerprint: passing steps are the
                // replay loop's common case.
                let operation = if judged.deviations.is_empty() {
                    String::new()
                } else {
                    operation_of(step)
                };
                for d in &mut judged.deviations {
                    if cassette.form == Form::Scenario {
                        d.step = Some(at.clone());
                    }
                    session.policy().mark(d, &cassette.name, &operation);
                }
                for t in &mut judged.tolerated {
                    if cassette.form == Form::Scenario {
                        t.step = Some(at.clone());
                    }
                }
                let outcome = match outcome_of(&judged.deviations) {
                    Outcome::Failed => StepOutcome::Failed,
                    _ => StepOutcome::Passed,
                };
                result.deviations.extend(judged.deviations);
                result.tolerated.extend(judged.tolerated);
                result.answer = judged.answer;
                outcome
            }
        }
    }

    async fn step(&mut self, index: usize, step: &Step) -> StepRun {
        let session = self.session;
        if is_mock_only(step) && !session.mock_control() {
            return StepRun::Skipped(format!(
                "mock-only: {} {} exists only on the mock",
                step.request.method,
                path_only(&step.request.path)
            ));
        }
        let at = step_pointer(self.cassette, index);
        // A path parameter with no value would send another route (`/upload/<id>/`): the
        // step is not sent, and says which value its earlier steps did not give.
        for name in super::placeholder::names(&step.request.path) {
            if self.bindings.get(name) == Some("") {
                return StepRun::Errored(format!(
                    "not sent: {{{{{name}}}}} is empty in its path (an earlier answer had nothing to capture there)"
                ));
            }
        }
        let mut outgoing = match fill_request(step, &self.bindings.values(), &at) {
            Ok(o) => o,
            Err(e) => return StepRun::Errored(e.to_string()),
        };
        // The step's operation, looked up once: its callback field and callback schema.
        let step_hook = Contract::embedded()
            .operation(&outgoing.method, path_only(&outgoing.path))
            .and_then(|op| op.webhook.as_ref());
        if let (Some(r), Some(hook)) = (session.webhook_receiver(), step_hook) {
            let pointed = (outgoing.body.as_deref()).and_then(|body| {
                webhook_capture::point_at(body, &hook.url_pointer, &r.url(&self.slot))
            });
            if pointed.is_some() {
                outgoing.body = pointed;
                // Callbacks that arrive from now on are this operation's, whichever later
                // step causes them (a clock move, a review decision).
                self.hook_document = Some(hook.document);
            }
        }
        let sent = match send(session, &outgoing, step.wait.as_ref()).await {
            Ok(s) => s,
            Err(e) => return StepRun::Errored(e.to_string()),
        };
        let body: Option<Value> = serde_json::from_slice(&sent.answer.body).ok();
        // Only a report that compares runs, or a probe, needs the exchange kept.
        let observed = (step.observe || session.keep_exchanges()).then(|| Observed {
            method: outgoing.method.clone(),
            path: outgoing.path.clone(),
            sent: outgoing
                .body
                .as_deref()
                .and_then(|b| serde_json::from_slice(b).ok()),
            status: sent.answer.status,
            body: body.clone(),
        });
        let mut absent = Vec::new();
        for (name, pointer) in &step.capture {
            match body.as_ref().and_then(|b| b.pointer(pointer)) {
                Some(Value::String(s)) => self.bindings.capture(name, s.clone()),
                Some(Value::Null) | None => {
                    // Bound to nothing, so the answer is still compared (and the step fails
                    // on the missing field below) rather than erroring on an unfilled
                    // placeholder that hides what the target said.
                    self.bindings.capture(name, String::new());
                    absent.push(pointer.clone());
                }
                Some(other) => self.bindings.capture_json(name, other),
            }
        }
        let prepared = match fill_expected(step, &self.bindings.values(), outgoing, &at) {
            Ok(p) => p,
            Err(e) => return StepRun::Errored(e.to_string()),
        };
        let mut judged = judge(
            &self.cassette.name,
            step,
            &self.cassette.defaults,
            &prepared,
            sent.answer,
        );
        // A capture the answer cannot give is a missing field even where the recording does
        // not say so (a later step would otherwise go out with a hole in it).
        for pointer in absent {
            if !judged.deviations.iter().any(|d| d.path == pointer) {
                judged.deviations.push(Deviation {
                    kind: Kind::MissingField,
                    path: pointer.clone(),
                    severity: Severity::Breaking,
                    expected: Value::String("a value to capture".into()),
                    actual: Value::Null,
                    message: format!("nothing to capture at {pointer}"),
                    step: None,
                    mark: Default::default(),
                });
            }
        }
        if let Some(r) = session.webhook_receiver() {
            let expected = step.expected_webhooks.len();
            let within = match expected {
                0 => Duration::ZERO,
                _ => step
                    .expected_webhooks
                    .iter()
                    .filter_map(|w| w.within_ms)
                    .max()
                    .map_or(webhook_capture::DEFAULT_WAIT, Duration::from_millis),
            };
            let captured = r.wait(&self.slot, self.hooks_seen + expected, within).await;
            let new = captured.get(self.hooks_seen..).unwrap_or_default();
            // The callbacks' schema is the contract's for the operation that registered the
            // URL; before any did, the step's own operation's, else the KYC webhook's.
            let document = self
                .hook_document
                .or(step_hook.map(|w| w.document))
                .unwrap_or(kyc_spec::Document::Webhook);
            let findings = webhook_capture::check(new, expected, document);
            judged
                .deviations
                .extend(findings.iter().map(webhook_deviation));
            self.hooks_seen = captured.len();
        }
        if let Some(wait) = &step.wait {
            // The comparison's own finding at this place says less than the timeout does.
            if sent.timed_out.is_some() {
                judged.deviations.retain(|d| d.path != wait.pointer);
            }
        }
        judged.outcome = outcome_of(&judged.deviations);
        redact_result(session, &prepared, &mut judged);
        if let (Some(wait), Some(last)) = (&step.wait, &sent.timed_out) {
            judged
                .deviations
                .push(timed_out(session, &prepared, wait, last));
            judged.outcome = Outcome::Failed;
        }
        StepRun::Done(Box::new(Done {
            judged,
            attempts: sent.attempts,
            polls: sent.polls,
            observed,
        }))
    }
}

/// The deviation of a wait that ended without its value: the values it waited for against
/// the one it ended on, each redacted as a value of that place (built after the step's other
/// deviations were redacted, since the wait's set is a list of values for one place).
fn timed_out(
    session: &Session,
    prepared: &super::Prepared,
    wait: &Wait,
    last: &Value,
) -> Deviation {
    let at = crate::redact::BodyKind::Response {
        method: &prepared.outgoing.method,
        path: &prepared.outgoing.path,
        status: prepared.status,
    };
    let shown = |v: &Value| session.redactor().redact_value_at(at, &wait.pointer, v);
    let expected: Vec<Value> = wait.until.iter().map(shown).collect();
    let actual = shown(last);
    Deviation {
        kind: Kind::ValueMismatch,
        path: wait.pointer.clone(),
        severity: Severity::Breaking,
        message: format!(
            "still {actual} after waiting {} ms, expected one of {}",
            wait.timeout_ms,
            Value::Array(expected.clone())
        ),
        expected: Value::Array(expected),
        actual,
        step: None,
        mark: Default::default(),
    }
}

/// Sends a step's request: once with the session's retries, or, for a step that waits,
/// until the wait ends.
pub async fn send(
    session: &Session,
    outgoing: &Outgoing,
    wait: Option<&Wait>,
) -> Result<Sent, ClientError> {
    match wait {
        None => {
            let attempted = session.send_retrying(outgoing).await;
            attempted.result.map(|answer| Sent {
                answer,
                attempts: attempted.attempts,
                polls: None,
                timed_out: None,
            })
        }
        Some(wait) => poll(session, outgoing, wait).await,
    }
}

/// Sends `outgoing` (once, or for a `wait` until the answer's value at the wait's pointer is one of its values
/// or the time is up. On the mock, time is the mock's: the clock is advanced by the
/// interval between polls, so a wait costs no real time and ends the same way every run.
async fn poll(session: &Session, outgoing: &Outgoing, wait: &Wait) -> Result<Sent, ClientError> {
    let interval = Duration::from_millis(wait.interval_ms);
    let timeout = Duration::from_millis(wait.timeout_ms);
    let started = tokio::time::Instant::now();
    let mut waited = Duration::ZERO;
    let mut polls = 0;
    let mut attempts = 0;
    loop {
        let attempted = session.send_retrying(outgoing).await;
        attempts = attempts.max(attempted.attempts);
        polls += 1;
        let answer = attempted.result?;
        let value = serde_json::from_slice::<Value>(&answer.body)
            .ok()
            .and_then(|b| b.pointer(&wait.pointer).cloned())
            .unwrap_or(Value::Null);
        let elapsed = if session.mock_control() {
            waited
        } else {
            started.elapsed()
        };
        let settled = wait.until.contains(&value);
        // A refusal (4xx, other than 429 which the retries handle) will not change by asking
        // again: the request is wrong (an application that does not exist), so the wait ends.
        let refused = (400..500).contains(&answer.status) && answer.status != 429;
        if settled || refused || elapsed + interval > timeout {
            return Ok(Sent {
                answer,
                attempts: attempts.max(1),
                polls: Some(polls),
                timed_out: (!settled).then_some(value),
            });
        }
        if session.mock_control() {
            advance_mock_clock(session, interval).await?;
        } else {
            tokio::time::sleep(interval).await;
        }
        waited += interval;
    }
}

/// Moves the mock's clock through its control endpoint (the contract's mock-only
/// operation), so the transitions that fall due happen now.
pub async fn advance_mock_clock(session: &Session, by: Duration) -> Result<(), ClientError> {
    let op = Contract::embedded().by_id(ADVANCE_CLOCK).ok_or_else(|| {
        ClientError::Transport(format!("the contract has no {ADVANCE_CLOCK} operation"))
    })?;
    let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
    let request = Outgoing {
        method: op.method.as_str().to_owned(),
        path: op.path.clone(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Some(json!({ "ms": ms }).to_string().into_bytes()),
    };
    let answer = session.send(&request).await?;
    if answer.status != 200 {
        return Err(ClientError::Transport(format!(
            "the mock did not advance its clock: {} {} answered {}",
            request.method, request.path, answer.status
        )));
    }
    Ok(())
}

/// What a step's request got.
#[derive(Clone, Debug)]
pub struct Sent {
    /// The last answer.
    pub answer: Answer,
    /// Requests sent, retries included.
    pub attempts: u32,
    /// Polls of a wait.
    pub polls: Option<u32>,
    /// The value a wait ended on, when it ended by timing out.
    pub timed_out: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_values_are_stable_in_a_run_and_differ_across_names_and_seeds() {
        let a = unique_value(1, "s", "ref", UniqueKind::Reference);
        assert_eq!(a, unique_value(1, "s", "ref", UniqueKind::Reference));
        assert_ne!(a, unique_value(2, "s", "ref", UniqueKind::Reference));
        assert_ne!(a, unique_value(1, "t", "ref", UniqueKind::Reference));
        assert_ne!(a, unique_value(1, "s", "ref2", UniqueKind::Reference));
        assert!(a.starts_with("ref") && a.len() == 19, "{a}");
        let ssn = unique_value(7, "s", "ssn", UniqueKind::Ssn);
        assert!(
            ssn.len() == 9 && ssn.starts_with('9') && ssn.bytes().all(|b| b.is_ascii_digit()),
            "{ssn}"
        );
        let email = unique_value(7, "s", "email", UniqueKind::Email);
        assert!(
            email.starts_with("kyc-") && email.ends_with("@example.com"),
            "{email}"
        );
    }
}
