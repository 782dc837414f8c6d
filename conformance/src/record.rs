//! `kyc-conformance record`: sends the requests of existing cassettes to a live target and
//! writes fresh cassettes with what came back, redacted before anything touches the disk.
//!
//! A fresh cassette keeps the old one's name, description, variables, request template and
//! expectations (`volatile`, `arrayKeys`, `expectedWebhooks`); only `response` and
//! `recording` are new. The response keeps `content-type` and the headers the old cassette
//! listed (the ones its author cared about), and the body as answered. Then the whole
//! cassette goes through [`Redactor::redact_cassette`]; every place whose value was replaced
//! is added to `volatile`, because a replay cannot expect a real value back from a
//! pseudonym. Strings at described places that equal a variable's value become `{{name}}`
//! again, so the recording replays against a target whose ids differ.
//!
//! Only the redacted cassette is ever serialized; the raw answer lives in memory.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::redact::RedactError;
use crate::runner::cassette::{Cassette, CassetteError, RecordedResponse, Recording};
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
    let raw = serde_json::to_value(&fresh).expect("a cassette is plain JSON data");
    let redacted = redactor.redact_cassette(&raw)?;
    let mut value = redacted.cassette;
    add_volatile(&mut value, &redacted.replaced_in_response);
    retemplate(&mut value, &cassette.variables);
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
fn add_volatile(cassette: &mut Value, replaced: &[String]) {
    let existing: Vec<String> = cassette
        .get("volatile")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let patterns: Vec<Pattern> = DEFAULT_VOLATILE
        .iter()
        .map(|p| p.to_string())
        .chain(existing.iter().cloned())
        .map(|p| Pattern::parse(&p))
        .collect();
    let mut added = existing;
    for pointer in replaced {
        let segments = segments(pointer);
        if !patterns.iter().any(|p| p.matches(&segments)) && !added.contains(pointer) {
            added.push(pointer.clone());
        }
    }
    if let Some(map) = cassette.as_object_mut() {
        if added.is_empty() {
            map.remove("volatile");
        } else {
            map.insert(
                "volatile".into(),
                Value::Array(added.into_iter().map(Value::String).collect()),
            );
        }
    }
}

fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Turns response strings that equal a kept variable's value back into `{{name}}`.
fn retemplate(cassette: &mut Value, original: &std::collections::BTreeMap<String, String>) {
    let kept: Vec<(String, String)> = cassette
        .get("variables")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, v)| {
            let value = v.as_str()?;
            (original.get(name).map(String::as_str) == Some(value) && value.len() >= 3)
                .then(|| (value.to_string(), format!("{{{{{name}}}}}")))
        })
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
    if let Some(body) = cassette.pointer_mut("/response/body") {
        walk(body, &kept);
    }
}
