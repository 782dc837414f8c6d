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
use crate::runner::compare::{Body, DEFAULT_VOLATILE};
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
}

/// Records one cassette.
/// The session's redactor keys the pseudonyms, so one recording run shares one key.
pub async fn record_one(
    session: &Session,
    cassette: &Cassette,
    recorded_at: &str,
    source: Source,
) -> Result<Recorded, RecordError> {
    let redactor = session.redactor();
    let mut bindings = Bindings::new(cassette, session);
    let mut fresh = cassette.clone();
    let mut attempts = 1;
    // Values the target chose or the run generated, and the placeholder each came from.
    let mut generated: Vec<(String, String)> = cassette
        .unique
        .keys()
        .filter_map(|name| Some((bindings.get(name)?.to_owned(), placeholder(name))))
        .collect();
    for (i, step) in cassette.steps.iter().enumerate() {
        if scenario::is_mock_only(step) && !session.mock_control() {
            continue;
        }
        let at = scenario::step_pointer(cassette, i);
        let outgoing = crate::runner::fill_request(step, &bindings.values(), &at)?;
        let sent = scenario::send(session, &outgoing, step.wait.as_ref()).await?;
        attempts = attempts.max(sent.attempts);
        let body: Option<Value> = serde_json::from_slice(&sent.answer.body).ok();
        for (name, pointer) in &step.capture {
            let value = match body.as_ref().and_then(|b| b.pointer(pointer)) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => continue,
                Some(other) => other.to_string(),
            };
            bindings.capture(name, value.clone());
            generated.push((value, placeholder(name)));
        }
        fresh.steps[i].response = fresh_response(step, &sent.answer);
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
            let redacted = redactor.redact_cassette(&fresh);
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
    retemplate(&mut recorded, &cassette.variables, &generated);
    // What is written must load again: checked against the format like any cassette file.
    let value = serde_json::to_value(&recorded).expect("a cassette is plain JSON data");
    let checked = Cassette::from_value(Path::new(&cassette.name), &value)?;
    Ok(Recorded {
        cassette: checked,
        attempts,
    })
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
    fn walk(v: &mut Value, kept: &[(String, String)]) {
        match v {
            Value::String(s) => {
                if let Some((_, placeholder)) = kept.iter().find(|(value, _)| value == s) {
                    *s = placeholder.clone();
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, kept)),
            Value::Object(map) => map.values_mut().for_each(|i| walk(i, kept)),
            _ => {}
        }
    }
    for step in &mut cassette.steps {
        if let Some(body) = step.response.body.as_mut() {
            walk(body, &kept);
        }
        for hook in &mut step.expected_webhooks {
            walk(&mut hook.body, &kept);
        }
    }
}
