//! `kyc-conformance record`: sends the requests of existing cassettes to a live target and
//! writes fresh cassettes with what came back, redacted before anything touches the disk.
//!
//! A fresh cassette keeps the old one's name, description, variables, request template and
//! expectations (`volatile`, `arrayKeys`, `expectedWebhooks`); only `response` and
//! `recording` are new. The response keeps `content-type` and the headers the old cassette
//! listed (the ones its author cared about), and the body as answered. Then the whole
//! cassette goes through [`crate::redact::Redactor::redact_cassette`]; every place whose value was replaced
//! is added to `volatile`, because a replay cannot expect a real value back from a
//! pseudonym. Strings at described places that equal a variable's value become `{{name}}`
//! again, so the recording replays against a target whose ids differ.
//!
//! Only the redacted cassette is ever serialized; the raw answer lives in memory.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::cassette::{Cassette, CassetteError, RecordedResponse, Recording};
use crate::redact::RedactError;
use crate::runner::client::{Answer, ClientError, Session};
use crate::runner::compare::{Body, DEFAULT_VOLATILE};
use crate::runner::placeholder::Unfilled;
use crate::runner::pointer::Pattern;

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
) -> Result<Recorded, RecordError> {
    let redactor = session.redactor();
    let prepared = crate::runner::prepare(cassette, session)?;
    let attempted = session.send_retrying(&prepared.outgoing).await;
    let answer = attempted.result?;
    let fresh = fresh_cassette(cassette, &answer, recorded_at);
    let redacted = redactor.redact_cassette(&fresh);
    let mut recorded = redacted.cassette;
    add_volatile(&mut recorded, &redacted.replaced_in_response);
    retemplate(&mut recorded, &cassette.variables);
    // What is written must load again: checked against the format like any cassette file.
    let value = serde_json::to_value(&recorded).expect("a cassette is plain JSON data");
    let checked = Cassette::from_value(Path::new(&cassette.name), &value)?;
    Ok(Recorded {
        cassette: checked,
        attempts: attempted.attempts,
    })
}

/// The old cassette with the answer in place of its response.
fn fresh_cassette(old: &Cassette, answer: &Answer, recorded_at: &str) -> Cassette {
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
    let mut fresh = old.clone();
    fresh.response = RecordedResponse {
        status: answer.status,
        headers,
        body,
    };
    fresh.recording = Some(Recording {
        source: "sandbox".into(),
        recorded_at: Some(recorded_at.to_string()),
        note: Some("recorded by kyc-conformance record; personal data pseudonymised".into()),
    });
    fresh
}

/// Adds each replaced response pointer to `volatile` unless a pattern there (or a default
/// one) already covers it.
fn add_volatile(cassette: &mut Cassette, replaced: &[String]) {
    let patterns: Vec<Pattern> = DEFAULT_VOLATILE
        .iter()
        .map(|p| p.to_string())
        .chain(cassette.volatile.iter().cloned())
        .map(|p| Pattern::parse(&p))
        .collect();
    for pointer in replaced {
        let segments = kyc_spec::pointer::split(pointer);
        if !patterns.iter().any(|p| p.matches(&segments)) && !cassette.volatile.contains(pointer) {
            cassette.volatile.push(pointer.clone());
        }
    }
}

/// Turns response strings that equal a kept variable's value back into `{{name}}`.
fn retemplate(cassette: &mut Cassette, original: &std::collections::BTreeMap<String, String>) {
    let kept: Vec<(String, String)> = cassette
        .variables
        .iter()
        .filter(|(name, value)| original.get(*name) == Some(*value) && value.len() >= 3)
        .map(|(name, value)| (value.clone(), format!("{{{{{name}}}}}")))
        .collect();
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
    if let Some(body) = cassette.response.body.as_mut() {
        walk(body, &kept);
    }
}
