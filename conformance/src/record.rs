//! `kyc-conformance record`: sends the requests of existing cassettes to a live target and
//! writes fresh cassettes with what came back, redacted before anything touches the disk.
//!
//! A fresh cassette keeps the old one's name, description, variables, unique values, steps'
//! request templates (as written: they are the author's, not the target's data) and expectations (`volatile`, `arrayKeys`, `expectedWebhooks`,
//! `capture`, `wait`); only each step's `response` and the cassette's `recording` are new.
//! Steps run in order as in a replay: captures feed the later steps, waits poll. A step the
//! contract marks mock-only is kept as it was (a live target cannot answer it).
//!
//! A response keeps `content-type` and the headers the old step listed (the ones its author
//! cared about), and the body as answered. Then the whole cassette goes through
//! [`crate::redact::Redactor::redact_cassette`]; every place whose value was replaced is added
//! to its step's `volatile`, because a replay cannot expect a real value back from a pseudonym,
//! and so is every place a value was captured from. Strings in responses that equal a
//! captured value, a unique value or a kept variable become `{{name}}` again, so the real ids
//! a sandbox handed out are never written and the recording replays against a target whose
//! ids differ.
//!
//! Only the redacted cassette is ever serialized; the raw answers live in memory.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::cassette::{Cassette, CassetteError, RecordedResponse, Recording, Step};
use crate::redact::RedactError;
use crate::runner::client::{Answer, ClientError, Session};
use crate::runner::compare::{Body, DEFAULT_VOLATILE, Rules};
use crate::runner::matcher::Matcher;
use crate::runner::placeholder::Unfilled;
use crate::runner::pointer::Pattern;
use crate::runner::scenario::{self, Bindings};

/// Why one cassette could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// A placeholder has no value.
    #[error(transparent)]
    Unfilled(#[from] Unfilled),
    /// The request could not be completed (after retries).
    #[error(transparent)]
    Client(#[from] ClientError),
    /// Redaction failed.
    #[error(transparent)]
    Redact(#[from] RedactError),
    /// The fresh cassette does not follow the format (a bug: reported rather than written).
    #[error(transparent)]
    Cassette(#[from] CassetteError),
    /// What came back must not become an expectation: a wait that timed out, a 5xx, a status
    /// other than the source cassette expects, a `forEach` with nothing to walk.
    #[error("not recorded: {0}")]
    NotRecorded(String),
    /// Writing the file failed.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Where a recording's answers come from, which decides what is done to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A live target: every answer is redacted before it is kept.
    Sandbox,
    /// The embedded mock: its data is invented (its built-in customers, or what the
    /// cassette sent), so answers are kept as they are, for review.
    Mock,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Sandbox => "sandbox",
            Source::Mock => "mock",
        }
    }
}

/// A cassette recorded: the redacted fresh cassette, and how many attempts it took.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Safe to write.
    pub cassette: Cassette,
    /// Attempts (more than 1: the target needed retries).
    pub attempts: u32,
    /// Places learned to vary between the two runs (or a `forEach`'s passes), as
    /// `step: pointer`, each now matched by presence (or ignored, or by type).
    pub learned: Vec<String>,
}

/// One run of a cassette against the target: each step's answers (one per pass; none for a
/// step that did not run) and the values the run generated or captured.
struct Take {
    steps: Vec<Vec<Answer>>,
    generated: Vec<(String, String)>,
    attempts: u32,
}

/// Records one cassette: runs it twice (with different unique values, so the second run
/// does not trip the target's duplicate checks), keeps the first run's answers, and writes
/// every place whose value differed between the runs, or between a `forEach`'s passes, into
/// its step's `match` (present, ignore or type), so the recording replays against the same
/// target whatever it generates. The session's redactor keys the pseudonyms, so one recording
/// run shares one key.
pub async fn record_one(
    session: &Session,
    cassette: &Cassette,
    recorded_at: &str,
    source: Source,
) -> Result<Recorded, RecordError> {
    let seed = session.unique_seed();
    let second_seed = seed ^ 0x9e37_79b9_7f4a_7c15;
    let (first, second) = if session.mock_control() {
        // The mock's clock is moved by waits: one run at a time.
        let first = take(session, cassette, seed, source).await?;
        (first, take(session, cassette, second_seed, source).await?)
    } else {
        let (a, b) = tokio::join!(
            take(session, cassette, seed, source),
            take(session, cassette, second_seed, source)
        );
        (a?, b?)
    };
    let mut fresh = cassette.clone();
    for (i, answers) in first.steps.iter().enumerate() {
        // The last pass of a forEach is kept: it shows the most (every slot uploaded).
        if let Some(answer) = answers.last() {
            fresh.steps[i].response = fresh_response(&cassette.steps[i], answer);
        }
    }
    let note = match source {
        Source::Sandbox => "recorded by kyc-conformance record; personal data pseudonymised",
        Source::Mock => "recorded from the embedded mock by kyc-conformance record",
    };
    fresh.recording = Some(Recording {
        source: source.as_str().into(),
        recorded_at: Some(recorded_at.to_string()),
        note: Some(note.into()),
    });
    let (mut recorded, replaced_in_response) = match source {
        Source::Sandbox => {
            let redacted = session.redactor().redact_cassette(&fresh);
            let mut cassette = redacted.cassette;
            // The requests are the author's templates, not the target's data: kept as written
            // (a pseudonym in place of a trigger name such as WaitReview would change what the
            // next recording asks the sandbox for). Lint still checks them.
            for (step, template) in cassette.steps.iter_mut().zip(&fresh.steps) {
                step.request = template.request.clone();
            }
            (cassette, redacted.replaced_in_response)
        }
        Source::Mock => (fresh, Vec::new()),
    };
    for (i, step) in recorded.steps.iter_mut().enumerate() {
        let replaced = replaced_in_response.get(i).map_or(&[][..], Vec::as_slice);
        let captured: Vec<String> = step.capture.values().cloned().collect();
        add_volatile(step, replaced.iter().chain(&captured));
    }
    retemplate(&mut recorded, &cassette.variables, &first.generated);
    let learned = learn(&mut recorded, cassette, &first, &second);
    if let (Some(recording), false) = (recorded.recording.as_mut(), learned.is_empty()) {
        let note = recording.note.take().unwrap_or_default();
        recording.note = Some(format!(
            "{note}; recorded twice, {} place(s) that differed are matched in their step's `match`",
            learned.len()
        ));
    }
    // What is written must load again: checked against the format like any cassette file.
    let value = serde_json::to_value(&recorded).expect("a cassette is plain JSON data");
    let mut checked = Cassette::from_value(Path::new(&cassette.name), &value)?;
    checked.defaults = cassette.defaults.clone();
    Ok(Recorded {
        cassette: checked,
        attempts: first.attempts.max(second.attempts),
        learned,
    })
}

/// Runs the cassette's steps once, as a replay would (captures, `forEach`, `when`, waits),
/// keeping the raw answers; refuses what must not become an expectation.
async fn take(
    session: &Session,
    cassette: &Cassette,
    seed: u64,
    source: Source,
) -> Result<Take, RecordError> {
    let mut bindings = Bindings::with_seed(cassette, session, seed);
    let mut generated: Vec<(String, String)> = cassette
        .unique
        .keys()
        .filter_map(|name| Some((bindings.get(name)?.to_owned(), placeholder(name))))
        .collect();
    let mut steps = Vec::with_capacity(cassette.steps.len());
    let mut attempts = 1;
    for (i, step) in cassette.steps.iter().enumerate() {
        let mut answers = Vec::new();
        if scenario::is_mock_only(step) && !session.mock_control() {
            steps.push(answers);
            continue;
        }
        let at = scenario::step_pointer(cassette, i);
        let named = format!("step {i} ({})", step.name);
        let elements = scenario::elements(&bindings, step)
            .map_err(|e| RecordError::NotRecorded(format!("{named}: {e}")))?;
        for element in elements {
            if let (Some(each), Some(element)) = (&step.for_each, &element) {
                bindings.bind_element(&each.name, element);
            }
            if scenario::unless(&bindings, step, session).is_some() {
                continue;
            }
            let outgoing = crate::runner::fill_request(step, &bindings.values(), &at)?;
            let sent = scenario::send(session, &outgoing, step.wait.as_ref()).await?;
            attempts = attempts.max(sent.attempts);
            refuse(&named, step, &sent, source)?;
            let body: Option<Value> = serde_json::from_slice(&sent.answer.body).ok();
            for (name, pointer) in &step.capture {
                let value = match body.as_ref().and_then(|b| b.pointer(pointer)) {
                    Some(Value::Null) | None => continue,
                    Some(value) => value,
                };
                bindings.capture_json(name, value);
                if let Value::String(s) = value {
                    generated.push((s.clone(), placeholder(name)));
                }
            }
            answers.push(sent.answer);
        }
        steps.push(answers);
    }
    Ok(Take {
        steps,
        generated,
        attempts,
    })
}

/// What must never be written as an expectation: a wait that ran out of time (its last
/// answer is not the state the author waited for), a 5xx (the target failed, it did not
/// answer), or another status than the source cassette expects (an unknown customer, a
/// missing route: the recording would enshrine the target's problem). From the mock, whose
/// answers fill a new cassette for its author to review, the status is whatever it answers.
fn refuse(
    named: &str,
    step: &Step,
    sent: &scenario::Sent,
    source: Source,
) -> Result<(), RecordError> {
    let status = sent.answer.status;
    if let (Some(wait), Some(last)) = (&step.wait, &sent.timed_out) {
        return Err(RecordError::NotRecorded(format!(
            "{named}: the wait for {} ended on {last} after {} ms, not one of {}",
            wait.pointer,
            wait.timeout_ms,
            Value::Array(wait.until.clone())
        )));
    }
    if status >= 500 {
        return Err(RecordError::NotRecorded(format!(
            "{named}: the target answered {status}"
        )));
    }
    if source == Source::Sandbox && status != step.response.status {
        return Err(RecordError::NotRecorded(format!(
            "{named}: status {status} where the cassette expects {}",
            step.response.status
        )));
    }
    Ok(())
}

/// Writes into each step's `match` the places whose values differ between the two runs (or
/// between the passes of a `forEach`), unless a rule already decides them; returns them as
/// `step: pointer`.
fn learn(recorded: &mut Cassette, source: &Cassette, first: &Take, second: &Take) -> Vec<String> {
    let mut learned = Vec::new();
    for (i, step) in recorded.steps.iter_mut().enumerate() {
        let mut bodies: Vec<Value> = first.steps[i]
            .iter()
            .chain(second.steps.get(i).into_iter().flatten())
            .filter_map(|a| serde_json::from_slice(&a.body).ok())
            .collect();
        // Each run's generated values back to their placeholders, so a run's own reference
        // is not mistaken for a varying value.
        let split = first.steps[i].len().min(bodies.len());
        let (firsts, seconds) = bodies.split_at_mut(split);
        for b in firsts {
            retemplate_value(b, &first.generated);
        }
        for b in seconds {
            retemplate_value(b, &second.generated);
        }
        let Some((reference, others)) = bodies.split_first() else {
            continue;
        };
        let mut found = crate::runner::matcher::Matchers::new();
        for other in others {
            for (pointer, matcher) in crate::runner::volatility::varying(reference, other) {
                // The loosest rule any pair needed: ignore, then type, then present.
                let rank = |m: &Matcher| match m {
                    Matcher::Ignore => 2,
                    Matcher::Type => 1,
                    _ => 0,
                };
                let keep = found
                    .get(&pointer)
                    .is_some_and(|m| rank(m) >= rank(&matcher));
                if !keep {
                    found.insert(pointer, matcher);
                }
            }
        }
        let rules = Rules::for_step_in(step, &source.defaults);
        for (pointer, matcher) in found {
            if rules.covers(&pointer) || step.matchers.contains_key(&pointer) {
                continue;
            }
            learned.push(format!("{}: {pointer}", step.name));
            step.matchers.insert(pointer, matcher);
        }
    }
    learned
}

fn placeholder(name: &str) -> String {
    format!("{{{{{name}}}}}")
}

/// The answer as a step's recorded response.
fn fresh_response(old: &Step, answer: &Answer) -> RecordedResponse {
    let mut headers = Map::new();
    for (name, value) in &answer.headers {
        let listed = name.eq_ignore_ascii_case("content-type")
            || old
                .response
                .headers
                .keys()
                .any(|k| k.eq_ignore_ascii_case(name));
        if listed && !headers.contains_key(name) {
            headers.insert(name.clone(), Value::String(value.clone()));
        }
    }
    let body = match Body::parse(&answer.body) {
        Body::Empty => None,
        Body::Json(v) => Some(v),
        Body::Text(t) => Some(Value::String(t)),
    };
    RecordedResponse {
        status: answer.status,
        headers,
        body,
    }
}

/// Adds each pointer to the step's `volatile` unless a pattern there (or a default one)
/// already covers it.
fn add_volatile<'a>(step: &mut Step, pointers: impl Iterator<Item = &'a String>) {
    let patterns: Vec<Pattern> = DEFAULT_VOLATILE
        .iter()
        .map(|p| p.to_string())
        .chain(step.volatile.iter().cloned())
        .map(|p| Pattern::parse(&p))
        .collect();
    for pointer in pointers {
        let segments = kyc_spec::pointer::split(pointer);
        if !patterns.iter().any(|p| p.matches(&segments)) && !step.volatile.contains(pointer) {
            step.volatile.push(pointer.clone());
        }
    }
}

/// Turns response strings that equal a generated value (a capture, a unique value) or a kept
/// variable's value back into `{{name}}`.
fn retemplate(
    cassette: &mut Cassette,
    original: &std::collections::BTreeMap<String, String>,
    generated: &[(String, String)],
) {
    let mut kept: Vec<(String, String)> = cassette
        .variables
        .iter()
        .filter(|(name, value)| original.get(*name) == Some(*value) && value.len() >= 3)
        .map(|(name, value)| (value.clone(), placeholder(name)))
        .collect();
    kept.extend(
        generated
            .iter()
            .filter(|(value, _)| value.len() >= 3)
            .cloned(),
    );
    for step in &mut cassette.steps {
        if let Some(body) = step.response.body.as_mut() {
            retemplate_value(body, &kept);
        }
        for hook in &mut step.expected_webhooks {
            retemplate_value(&mut hook.body, &kept);
        }
    }
}

/// Every string of `v` equal to a kept value (of three characters or more) becomes its
/// placeholder.
fn retemplate_value(v: &mut Value, kept: &[(String, String)]) {
    match v {
        Value::String(s) => {
            if let Some((_, placeholder)) = kept
                .iter()
                .find(|(value, _)| value.len() >= 3 && value == s)
            {
                *s = placeholder.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| retemplate_value(i, kept)),
        Value::Object(map) => map.values_mut().for_each(|i| retemplate_value(i, kept)),
        _ => {}
    }
}
