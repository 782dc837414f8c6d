//! Fail-closed redaction: nothing secret or personal reaches a cassette, a report, a
//! snapshot or a log line.
//!
//! A [`Redactor`] is made once per recording or run. It rewrites
//!
//! * **secrets** (the token, credentials, every credential or unknown header) into
//!   placeholders: `{{token}}` where replay can fill the value again, `[redacted]` elsewhere;
//! * **personal data** (what `spec/schema/` marks `x-personal`) into keyed pseudonyms, the
//!   same real value giving the same pseudonym within the recording ([`pseudonym`]);
//! * **whatever it cannot classify** (a string at a place no schema describes) into a
//!   `redacted-…` pseudonym. Only these are kept at such places: `null`, booleans, numbers
//!   with fewer than nine digits (longer ones could be phone or account numbers), empty
//!   strings, and strings that are already placeholders or pseudonyms;
//! * and then scrubs every string it kept, and any free text handed to it
//!   ([`Redactor::scrub_text`]), for the real values it has replaced so far and for the
//!   shapes [`detect`] knows (emails, phone numbers, SSNs, JWTs, bearer tokens).
//!
//! Described values that are not marked (ids, statuses, timestamps, enum values, error
//! codes) are kept: the schema vouches for what they are.

pub mod classify;
pub mod detect;
pub mod headers;
pub mod pseudonym;

use std::collections::BTreeMap;
use std::sync::{PoisonError, RwLock};

use serde_json::{Map, Value};

use crate::cassette::{Cassette, Step};

pub use classify::{BodyKind, Class, Location};
pub use pseudonym::{KeyError, PseudonymKey, REDACTED, Role};

/// Environment variable that pins the pseudonym key (a passphrase) so that re-recording the
/// same data gives the same pseudonyms; unset, every recording gets a random key.
pub const KEY_ENV: &str = "KYC_PSEUDONYM_KEY";

/// Why redaction could not be done.
#[derive(Debug, thiserror::Error)]
pub enum RedactError {
    /// No key could be made.
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// A cassette after redaction.
#[derive(Clone, Debug, PartialEq)]
pub struct RedactedCassette {
    /// The cassette, safe to write.
    pub cassette: Cassette,
    /// Per step, the JSON pointers into its response body whose values were replaced; a
    /// replay cannot expect the real values back, so the recorder marks them volatile.
    pub replaced_in_response: Vec<Vec<String>>,
}

/// Replaces secrets and personal data; see the module documentation.
#[derive(Debug)]
pub struct Redactor {
    key: PseudonymKey,
    vault: RwLock<Vault>,
    /// The run's credentials, replaced in free text whatever their length (the vault skips
    /// values under three characters, which would match everywhere; a secret must not).
    secrets: RwLock<Vec<String>>,
}

/// Real values seen so far and what replaced them, so they can be found again in free text.
/// It lives in memory only.
#[derive(Default)]
struct Vault {
    replacements: BTreeMap<String, String>,
    /// The searchable entries (long enough), longest first so "Jane Roe" is replaced
    /// before "Jane"; rebuilt on the rare insert, read on every scrub.
    by_length: Vec<(String, String)>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vault({} values)", self.replacements.len())
    }
}

/// Values shorter than this are not searched for in free text: "M" or "12" would match
/// everywhere. They are still replaced wherever the schema locates them.
const MIN_SCRUB_LEN: usize = 3;

/// Numbers with this many digits or more at an undescribed place may be phone numbers.
const MAX_KEPT_DIGITS: usize = 9;

impl Redactor {
    /// A redactor keyed by `key`.
    pub fn new(key: PseudonymKey) -> Redactor {
        Redactor {
            key,
            vault: RwLock::new(Vault::default()),
            secrets: RwLock::new(Vec::new()),
        }
    }

    /// A redactor keyed from [`KEY_ENV`] if set, else randomly.
    pub fn from_env() -> Result<Redactor, RedactError> {
        let key = match std::env::var(KEY_ENV) {
            Ok(passphrase) if !passphrase.is_empty() => PseudonymKey::from_passphrase(&passphrase),
            _ => PseudonymKey::random()?,
        };
        Ok(Redactor::new(key))
    }

    fn remember(&self, real: &str, replacement: &str) {
        if real.is_empty() || real == replacement || pseudonym::is_synthetic(real) {
            return;
        }
        let known = self
            .vault
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .replacements
            .get(real)
            .is_some_and(|r| r == replacement);
        if known {
            return;
        }
        let mut vault = self.vault.write().unwrap_or_else(PoisonError::into_inner);
        vault
            .replacements
            .insert(real.to_string(), replacement.to_string());
        let mut by_length: Vec<(String, String)> = vault
            .replacements
            .iter()
            .filter(|(real, _)| real.len() >= MIN_SCRUB_LEN)
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect();
        by_length.sort_by_key(|(real, _)| std::cmp::Reverse(real.len()));
        vault.by_length = by_length;
    }

    fn known_secret(&self, value: &str) -> Option<String> {
        let vault = self.vault.read().unwrap_or_else(PoisonError::into_inner);
        vault
            .replacements
            .get(value)
            .filter(|r| pseudonym::is_placeholder(r))
            .cloned()
    }

    /// Makes a secret known before it shows up anywhere (the session token, a password), so
    /// that free text containing it is scrubbed; it becomes `[redacted]`.
    pub fn register_secret(&self, value: &str) {
        if value.is_empty() {
            return;
        }
        self.remember(value, REDACTED);
        let mut secrets = self.secrets.write().unwrap_or_else(PoisonError::into_inner);
        if !secrets.iter().any(|s| s == value) {
            secrets.push(value.to_owned());
            // Longest first, so a secret containing another is replaced whole.
            secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// One body, read with the schema for `kind`.
    pub fn redact_body(&self, kind: BodyKind<'_>, body: &Value) -> (Value, Vec<String>) {
        self.redact_at(&Location::root(kind), body)
    }

    /// A value found at `pointer` in a body of `kind` (a deviation's expected or actual value).
    pub fn redact_value_at(&self, kind: BodyKind<'_>, pointer: &str, value: &Value) -> Value {
        self.redact_at(&Location::root(kind).at_pointer(pointer), value)
            .0
    }

    fn redact_at(&self, at: &Location, body: &Value) -> (Value, Vec<String>) {
        let mut replaced = Vec::new();
        let mut out = self.replace(body, at, &mut String::new(), &mut replaced);
        self.scrub_kept(&mut out, at);
        (out, replaced)
    }

    /// Pass 1: replace every value the schema classifies as secret, personal or unknown.
    fn replace(
        &self,
        value: &Value,
        at: &Location,
        pointer: &mut String,
        replaced: &mut Vec<String>,
    ) -> Value {
        match value {
            Value::Object(map) => {
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map {
                    let len = pointer.len();
                    kyc_spec::pointer::push(pointer, k);
                    out.insert(
                        k.clone(),
                        self.replace(v, &at.property(k), pointer, replaced),
                    );
                    pointer.truncate(len);
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let len = pointer.len();
                        pointer.push_str(&format!("/{i}"));
                        let out = self.replace(v, &at.item(i), pointer, replaced);
                        pointer.truncate(len);
                        out
                    })
                    .collect(),
            ),
            scalar => {
                let class = at.class();
                let out = self.replace_scalar(scalar, class.clone());
                // A personal value is listed even when its pseudonym happens to equal it (an
                // enum has few members): a replay must not expect it back either way.
                let listed = match (&class, scalar) {
                    (_, Value::Null) | (Class::Described, _) => false,
                    (Class::Unclassified, _) => out != *scalar,
                    (Class::Secret { .. } | Class::Personal { .. }, _) => true,
                };
                if listed {
                    replaced.push(pointer.clone());
                }
                out
            }
        }
    }

    fn replace_scalar(&self, value: &Value, class: Class) -> Value {
        if let Value::String(s) = value {
            if pseudonym::is_synthetic(s) || pseudonym::is_decoy(s) {
                return value.clone();
            }
            // A known secret stays a secret wherever it turns up (a token echoed in an
            // unknown field is still the token).
            if let Some(placeholder) = self.known_secret(s) {
                return Value::String(placeholder);
            }
        }
        match (class, value) {
            (_, Value::Null) | (Class::Described, _) => value.clone(),
            (Class::Secret { name }, _) => {
                let placeholder = format!("{{{{{name}}}}}");
                if let Value::String(s) = value {
                    self.remember(s, &placeholder);
                }
                Value::String(placeholder)
            }
            (Class::Personal { choices }, Value::String(s)) => {
                let out = match self.key.choice(s, &choices) {
                    Some(Value::String(c)) if choices.iter().any(|c| c == value) => c.clone(),
                    _ => self.key.string(Role::Personal, s),
                };
                self.remember(s, &out);
                Value::String(out)
            }
            (Class::Personal { .. }, Value::Number(n)) => Value::Number(self.key.number(n)),
            (Class::Personal { .. }, Value::Bool(b)) => Value::Bool(self.key.boolean(*b)),
            // Not remembered: an unknown value is not known to be personal, and ordinary
            // words ("customerId" in an Ajv `params`) must not vanish from every message.
            // What no schema describes is kept, so evidence stays readable (Ajv's params, a
            // route in a 404's reason, a sandbox's own status words): only a string the token
            // detector flags is replaced here; pass 2 scrubs personal values seen elsewhere in
            // the run and the detectors' shapes (e-mails, phone numbers, SSNs, JWTs).
            (Class::Unclassified, Value::String(s)) if detect::looks_random(s) => {
                Value::String(self.key.string(Role::Unclassified, s))
            }
            (Class::Unclassified, Value::Number(n)) => {
                let digits = n.to_string().chars().filter(char::is_ascii_digit).count();
                if digits >= MAX_KEPT_DIGITS {
                    Value::Number(self.key.number(n))
                } else {
                    value.clone()
                }
            }
            (_, other) => other.clone(),
        }
    }

    /// Pass 2: scrub the strings pass 1 kept (and every key) for values and shapes.
    fn scrub_kept(&self, value: &mut Value, at: &Location) {
        self.scrub_listing(value, at, &mut String::new(), &mut Vec::new());
    }

    /// [`Redactor::scrub_kept`], listing in `changed` the pointers whose string it changed
    /// (a recording cannot expect a scrubbed value back, so those places are volatile too).
    fn scrub_listing(
        &self,
        value: &mut Value,
        at: &Location,
        pointer: &mut String,
        changed: &mut Vec<String>,
    ) {
        match value {
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (k, mut v) in entries {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&kyc_spec::pointer::escape(&k));
                    self.scrub_listing(&mut v, &at.property(&k), pointer, changed);
                    pointer.truncate(len);
                    // Keys are names, mostly the schema's own: only shapes are scrubbed.
                    map.insert(self.scrub_shapes(&k), v);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    self.scrub_listing(v, &at.item(i), pointer, changed);
                    pointer.truncate(len);
                }
            }
            Value::String(s) => {
                let scrubbed = self.scrub_text(s);
                if scrubbed != *s {
                    changed.push(pointer.clone());
                    *s = scrubbed;
                }
            }
            _ => {}
        }
    }

    /// One header as it may be written down.
    pub fn redact_header(&self, name: &str, value: &str) -> String {
        match headers::redact(name, value) {
            Some(replacement) => {
                self.remember(value, &replacement);
                // Cookies and auth headers hold several secrets in one value; remember each.
                for part in value.split([';', ',', ' ', '=']) {
                    if part.len() >= 8 && detect::looks_random(part) {
                        self.remember(part, &replacement);
                    }
                }
                replacement
            }
            None => self.scrub_text(value),
        }
    }

    /// A header map (`name → string`) as it may be written down.
    pub fn redact_headers(&self, headers: &Map<String, Value>) -> Map<String, Value> {
        headers
            .iter()
            .map(|(name, value)| {
                let text = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (name.clone(), Value::String(self.redact_header(name, &text)))
            })
            .collect()
    }

    /// Header pairs (as an HTTP client reads them) as they may be shown.
    pub fn redact_header_pairs(&self, headers: &[(String, String)]) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(name, value)| (name.clone(), self.redact_header(name, value)))
            .collect()
    }

    /// Raw body bytes as they may be shown: JSON is redacted with the schema for `kind` and
    /// re-serialized, anything else scrubbed as text.
    pub fn redact_body_bytes(&self, kind: BodyKind<'_>, bytes: &[u8]) -> Vec<u8> {
        if bytes.is_empty() {
            return Vec::new();
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(json) => self.redact_body(kind, &json).0.to_string().into_bytes(),
            Err(_) => self
                .scrub_text(&String::from_utf8_lossy(bytes))
                .into_bytes(),
        }
    }

    /// Free text (a message, a path, a log line) with every known real value and every
    /// detected secret or personal shape replaced.
    pub fn scrub_text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in self
            .secrets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        if text.len() >= MIN_SCRUB_LEN {
            let vault = self.vault.read().unwrap_or_else(PoisonError::into_inner);
            for (real, replacement) in &vault.by_length {
                if real.len() <= out.len() && out.contains(real.as_str()) {
                    out = replace_bounded(&out, real, replacement);
                }
            }
        }
        self.scrub_shapes(&out)
    }

    /// Replaces what the detectors find (emails, phone numbers, SSNs, tokens).
    fn scrub_shapes(&self, text: &str) -> String {
        if !detect::may_match(text) {
            return text.to_string();
        }
        let mut out = text.to_string();
        let hits = detect::scan(&out);
        for hit in hits.iter().rev() {
            let found = &out[hit.range.clone()];
            let replacement = if hit.what.is_secret() {
                REDACTED.to_string()
            } else {
                let digits_only: String = found.chars().filter(char::is_ascii_digit).collect();
                let shaped = if matches!(hit.what, detect::Detected::Email) {
                    found.to_string()
                } else {
                    digits_only
                };
                self.key.string(Role::Personal, &shaped)
            };
            out.replace_range(hit.range.clone(), &replacement);
        }
        out
    }

    /// Every string (and key) in a report or snapshot, scrubbed.
    pub fn scrub_json(&self, value: &mut Value) {
        self.scrub_kept(value, &Location::unknown());
    }

    /// A whole cassette: headers and bodies by the rules above, the webhook bodies with the
    /// webhook schema, each of `variables` by the class of the place its placeholder fills
    /// in the request body (unused or used elsewhere: unclassified), and the free text
    /// (`description`, the recording's note, the request path) scrubbed. `name`, `volatile`
    /// and `arrayKeys` are structure and kept. Works on the typed model, so there is no key
    /// it does not know of.
    pub fn redact_cassette(&self, cassette: &Cassette) -> RedactedCassette {
        let places: Vec<Places> = cassette.steps.iter().map(Places::of).collect();
        let values: BTreeMap<&str, &str> = cassette
            .variables
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let bodies = cassette.steps.iter().zip(&places).flat_map(|(step, at)| {
            [
                (step.request.body.as_ref(), &at.request),
                (step.response.body.as_ref(), &at.response),
            ]
        });
        let variables = variable_classes(bodies, &values);
        let mut out = cassette.clone();

        // Pass 1 over every part of every step first, so that the scrub of pass 2 knows
        // every real value replaced anywhere in the cassette.
        let mut replaced_in_response = Vec::with_capacity(out.steps.len());
        for (step, at) in out.steps.iter_mut().zip(&places) {
            step.request.headers = self.redact_headers(&step.request.headers);
            step.response.headers = self.redact_headers(&step.response.headers);
            let mut replaced = Vec::new();
            if let Some(body) = step.request.body.as_mut().filter(|b| !b.is_string()) {
                *body = self.replace(body, &at.request, &mut String::new(), &mut Vec::new());
            }
            if let Some(body) = step.response.body.as_mut().filter(|b| !b.is_string()) {
                *body = self.replace(body, &at.response, &mut String::new(), &mut replaced);
            }
            for hook in &mut step.expected_webhooks {
                hook.body =
                    self.replace(&hook.body, &at.webhook, &mut String::new(), &mut Vec::new());
            }
            replaced_in_response.push(replaced);
        }
        for (name, v) in &mut out.variables {
            let shown = match variables.get(name).cloned() {
                Some(class) => self.replace_scalar(&Value::String(v.clone()), class),
                // A variable no step puts anywhere the schema describes: nothing says what it
                // holds, so it is kept out of the file (fail-closed; bodies are not).
                None => Value::String(self.key.string(Role::Unclassified, v)),
            };
            if let Value::String(shown) = shown {
                *v = shown;
            }
        }

        // Pass 2: scrub what pass 1 kept.
        for (i, (step, at)) in out.steps.iter_mut().zip(&places).enumerate() {
            match step.request.body.as_mut() {
                Some(Value::String(text)) => *text = self.redact_text_body(text, &at.request),
                Some(body) => self.scrub_kept(body, &at.request),
                None => {}
            }
            match step.response.body.as_mut() {
                Some(Value::String(text)) => *text = self.redact_text_body(text, &at.response),
                Some(body) => {
                    let mut changed = Vec::new();
                    self.scrub_listing(body, &at.response, &mut String::new(), &mut changed);
                    if let Some(listed) = replaced_in_response.get_mut(i) {
                        for pointer in changed {
                            if !listed.contains(&pointer) {
                                listed.push(pointer);
                            }
                        }
                    }
                }
                None => {}
            }
            step.request.path = self.scrub_text(&step.request.path);
            for hook in &mut step.expected_webhooks {
                self.scrub_kept(&mut hook.body, &at.webhook);
            }
            if let Some(description) = &mut step.description {
                *description = self.scrub_text(description);
            }
        }
        if let Some(description) = &mut out.description {
            *description = self.scrub_text(description);
        }
        if let Some(recording) = &mut out.recording {
            for text in [recording.note.as_mut(), recording.recorded_at.as_mut()]
                .into_iter()
                .flatten()
            {
                *text = self.scrub_text(text);
            }
        }
        RedactedCassette {
            cassette: out,
            replaced_in_response,
        }
    }

    /// A body kept as text (not JSON, or sent byte for byte): parsed when it can be, so the
    /// schema still decides; otherwise scrubbed as free text.
    fn redact_text_body(&self, text: &str, at: &Location) -> String {
        match serde_json::from_str::<Value>(text) {
            Ok(json @ (Value::Object(_) | Value::Array(_))) => {
                self.redact_at(at, &json).0.to_string()
            }
            _ => self.scrub_text(text),
        }
    }
}

/// The class of each variable by the places it fills: where its `{{name}}` placeholder sits
/// in the request body, and where its value turns up in the response body (a customer id
/// used only in the path is still recognised as one by the answer that echoes it). A name
/// found at several places takes the strictest class; one found nowhere is unclassified.
fn variable_classes<'a>(
    bodies: impl Iterator<Item = (Option<&'a Value>, &'a Location)>,
    values: &BTreeMap<&str, &str>,
) -> BTreeMap<String, Class> {
    fn strictness(c: &Class) -> u8 {
        match c {
            Class::Described => 0,
            Class::Unclassified => 1,
            Class::Personal { .. } => 2,
            Class::Secret { .. } => 3,
        }
    }
    fn walk(
        v: &Value,
        at: &Location,
        values: &BTreeMap<&str, &str>,
        out: &mut BTreeMap<String, Class>,
    ) {
        match v {
            Value::Object(map) => map
                .iter()
                .for_each(|(k, v)| walk(v, &at.property(k), values, out)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| walk(v, &at.item(i), values, out)),
            Value::String(s) => {
                let by_placeholder = (pseudonym::is_placeholder(s) && s.starts_with("{{"))
                    .then(|| s[2..s.len() - 2].trim());
                let by_value = values.iter().filter(|(_, v)| **v == s).map(|(k, _)| *k);
                for name in by_placeholder.into_iter().chain(by_value) {
                    let class = at.class();
                    let entry = out.entry(name.to_string()).or_insert(Class::Described);
                    if strictness(&class) >= strictness(entry) {
                        *entry = class;
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for (body, at) in bodies {
        if let Some(body) = body {
            walk(body, at, values, &mut out);
        }
    }
    out
}

/// Where the bodies of one step sit in the contract: its request, its recorded response and
/// its callbacks, each decided by the step's method, path and status.
struct Places {
    request: Location,
    response: Location,
    webhook: Location,
}

impl Places {
    fn of(step: &Step) -> Places {
        let (method, path) = (step.request.method.as_str(), step.request.path.as_str());
        Places {
            request: Location::root(BodyKind::Request { method, path }),
            response: Location::root(BodyKind::Response {
                method,
                path,
                status: step.response.status,
            }),
            webhook: Location::root(BodyKind::Webhook { method, path }),
        }
    }
}

/// Replaces `needle` where it is not glued to letters or digits on either side, so that
/// scrubbing "Ann" leaves "Annual" alone.
fn replace_bounded(haystack: &str, needle: &str, replacement: &str) -> String {
    let glued = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = String::with_capacity(haystack.len());
    let mut last = 0;
    for (start, _) in haystack.match_indices(needle) {
        if start < last {
            continue;
        }
        let end = start + needle.len();
        let before = haystack[..start].chars().next_back();
        let after = haystack[end..].chars().next();
        let needle_edges_alnum = (
            needle.chars().next().is_some_and(char::is_alphanumeric),
            needle
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric),
        );
        if (needle_edges_alnum.0 && glued(before)) || (needle_edges_alnum.1 && glued(after)) {
            continue;
        }
        out.push_str(&haystack[last..start]);
        out.push_str(replacement);
        last = end;
    }
    out.push_str(&haystack[last..]);
    out
}

/// The request method and path and the answer's status of a cassette's two parts: what
/// decides which schema describes each body. A missing method reads as `POST`, a missing path
/// as `/`, a missing status as 0 (no schema).
pub fn endpoint<'c>(
    request: &'c Map<String, Value>,
    response: &Map<String, Value>,
) -> (&'c str, &'c str, u16) {
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("POST");
    let path = request.get("path").and_then(Value::as_str).unwrap_or("/");
    let status = response
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(0);
    (method, path, status)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn redactor() -> Redactor {
        Redactor::new(PseudonymKey::from_passphrase("unit"))
    }

    #[test]
    fn the_same_person_gets_the_same_pseudonym_in_every_part() {
        let r = redactor();
        let answer = json!({"code": "0", "data": {"customer": {"customer": {"lastName": "Roe"}}}});
        let kind = BodyKind::Response {
            method: "GET",
            path: "/customer/kyc/status/csta_1",
            status: 200,
        };
        let (a, replaced) = r.redact_body(kind, &answer);
        let (w, _) = r.redact_body(
            BodyKind::Webhook {
                method: "POST",
                path: "/customer/kyc/init",
            },
            &answer,
        );
        assert_eq!(a, w);
        assert_eq!(replaced, ["/data/customer/customer/lastName"]);
        let pseudonym = a
            .pointer("/data/customer/customer/lastName")
            .unwrap()
            .as_str()
            .unwrap();
        assert_eq!(
            r.scrub_text("Dear Ms Roe,"),
            format!("Dear Ms {pseudonym},")
        );
        // Bounded: a longer word containing the value is left alone.
        assert_eq!(r.scrub_text("Roentgen"), "Roentgen");
    }

    #[test]
    fn registered_secrets_vanish_from_free_text() {
        let r = redactor();
        r.register_secret("tok_9f8e7d6c5b4a");
        assert_eq!(
            r.scrub_text("GET failed for tok_9f8e7d6c5b4a, retry"),
            "GET failed for [redacted], retry"
        );
        let headers = vec![(
            "X-ConnectFi-Token".to_string(),
            "tok_9f8e7d6c5b4a".to_string(),
        )];
        assert_eq!(r.redact_header_pairs(&headers)[0].1, "{{token}}");
    }

    #[test]
    fn bodies_as_bytes() {
        let r = redactor();
        let kind = BodyKind::Response {
            method: "POST",
            path: "/customer/kyc/init",
            status: 502,
        };
        let text = r.redact_body_bytes(kind, b"upstream down for jane.roe@mailbox.org");
        assert!(!String::from_utf8(text).unwrap().contains("jane.roe"));
        assert!(r.redact_body_bytes(kind, b"").is_empty());
        // What no schema describes is kept, unless it is a value this run saw at a personal
        // place, a detector's shape, or random enough to be a token.
        let json = r.redact_body_bytes(
            kind,
            br#"{"code":"x","mystery":"pending_review","key":"Zk2f8QpL1mN7xR4tV9wB3cY6"}"#,
        );
        let v: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["code"], "x");
        assert_eq!(v["mystery"], "pending_review");
        assert!(v["key"].as_str().unwrap().starts_with("redacted-"), "{v}");
        let request = BodyKind::Request {
            method: "POST",
            path: "/customer/init",
        };
        let seen = json!({"customerType": "individual", "customer": {"firstName": "Jane"}});
        r.redact_body(request, &seen);
        let json = r.redact_body_bytes(kind, br#"{"code":"x","mystery":"Jane"}"#);
        let v: Value = serde_json::from_slice(&json).unwrap();
        assert_ne!(v["mystery"], "Jane", "{v}");
    }

    #[test]
    fn redaction_is_idempotent() {
        let r = redactor();
        let cassette = json!({
            "name": "x",
            "request": {"method": "POST", "path": "/customer/kyc/init", "headers": {"x-connectfi-token": "abc"}},
            "response": {"status": 200, "body": {"data": {"customer": {"customer": {"firstName": "Jane", "nick": "J"}}}}}
        });
        let cassette: Cassette = serde_json::from_value(cassette).unwrap();
        let once = r.redact_cassette(&cassette).cassette;
        let twice = redactor().redact_cassette(&once).cassette;
        assert_eq!(once, twice);
    }
}
