//! `kyc-conformance lint DIR`: proves a directory of cassettes holds no secret and no
//! personal data before it is committed.
//!
//! Every `*.json` under the directory is read. In a cassette (an object with `request` and
//! `response`, or each of a scenario's `steps`), headers are checked by name and shape
//! ([`crate::redact::headers`]) and the bodies are walked with the schema: a value at an
//! `x-personal` place must be a pseudonym, a value the spec documents for that place
//! (connectFi's own invented examples) or one of the [`Known`] invented values; a value at an `x-secret` place must be a placeholder. In
//! every file, every string is also run through the pattern detectors
//! ([`crate::redact::detect`]). A finding names the file, a JSON pointer and a kind, never
//! the value, so the lint's own output cannot leak what it found.
//!
//! Limits: a personal value constrained to an enum (gender) cannot be told from its
//! pseudonym, so it is not checked; and a real value that happens to equal a known invented
//! one (a customer really called "John") passes.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use kyc_spec::pointer;
use serde_json::Value;

use crate::redact::{BodyKind, Class, Location, detect, headers, pseudonym};

/// What a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A credential header holding something other than a placeholder.
    SecretHeader,
    /// A value that looks like a token (random-looking header value, JWT, bearer credential).
    TokenLike,
    /// A value at an `x-secret` place that is not a placeholder.
    SecretValue,
    /// A value at an `x-personal` place that is neither a pseudonym nor known invented data.
    PersonalData,
    /// A detector's shape (email, phone number, SSN) in any string.
    Detected(&'static str),
    /// The file is not JSON, so nothing can be vouched for.
    NotJson,
    /// The file is JSON but not a cassette (nor the suite's `_defaults.json`): a replay would
    /// refuse it, and what it holds is outside every place the lint knows. Its strings are
    /// still scanned.
    NotCassette(String),
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::SecretHeader => "secret_header",
            Kind::TokenLike => "token_like",
            Kind::SecretValue => "secret_value",
            Kind::PersonalData => "personal_data",
            Kind::Detected(name) => name,
            Kind::NotJson => "not_json",
            Kind::NotCassette(why) => return write!(f, "not_cassette ({why})"),
        })
    }
}

/// One finding: where and what, never the value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The file, as found under the linted directory.
    pub file: PathBuf,
    /// JSON pointer to the value (or the key, for a key).
    pub pointer: String,
    /// What it is.
    pub kind: Kind,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {:?}: {}",
            self.file.display(),
            self.pointer,
            self.kind
        )
    }
}

/// The directory could not be linted.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}", path.display())]
pub struct LintError {
    /// The file or directory.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// Values known to be invented (fixtures' people), accepted at personal places and by the
/// detectors. The spec's documented values are always known.
#[derive(Clone, Debug, Default)]
pub struct Known {
    values: BTreeSet<String>,
}

impl Known {
    /// Adds invented values.
    pub fn extend<I: IntoIterator<Item = String>>(&mut self, values: I) {
        self.values.extend(values);
    }

    fn contains(&self, value: &str) -> bool {
        self.values.contains(value)
    }
}

/// Lints every `*.json` under `dir` (recursively; hidden directories and `target` skipped),
/// in path order.
pub fn lint_dir(dir: &Path, known: &Known) -> Result<Vec<Finding>, LintError> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    let mut findings = Vec::new();
    for file in files {
        let text = std::fs::read(&file).map_err(|source| LintError {
            path: file.clone(),
            source,
        })?;
        let shown = file.strip_prefix(dir).unwrap_or(&file).to_path_buf();
        match serde_json::from_slice::<Value>(&text) {
            Ok(value) => {
                if let Some(why) = not_a_cassette(&file, &value) {
                    findings.push(Finding {
                        file: shown.clone(),
                        pointer: why.0,
                        kind: Kind::NotCassette(why.1),
                    });
                }
                findings.extend(lint_value(&shown, &value, known));
            }
            Err(_) => findings.push(Finding {
                file: shown,
                pointer: String::new(),
                kind: Kind::NotJson,
            }),
        }
    }
    Ok(findings)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LintError> {
    let io = |source| LintError {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                collect(&path, out)?;
            }
        } else if name.ends_with(".json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Lints one parsed file; `file` only names it in findings.
pub fn lint_value(file: &Path, value: &Value, known: &Known) -> Vec<Finding> {
    let mut found = Vec::new();
    // Places whose string the schema describes (an id, a request id): a random-looking value
    // there is what the contract says, not a stray token.
    let mut vouched: BTreeSet<String> = AUTHOR_TEXT.iter().map(|p| (*p).to_owned()).collect();
    let mut report = |pointer: String, kind: Kind| found.push((pointer, kind));
    for (prefix, step) in cassette_steps(value) {
        let Some((request, response)) = cassette_parts(step) else {
            continue;
        };
        let (method, path, status) = crate::redact::endpoint(request, response);
        for (part, obj) in [("request", request), ("response", response)] {
            if let Some(Value::Object(map)) = obj.get("headers") {
                for (name, v) in map {
                    let at = format!("{prefix}/{part}/headers/{}", pointer::escape(name));
                    if let Some(kind) = v.as_str().and_then(|v| header_finding(name, v)) {
                        report(at, kind);
                    }
                }
            }
        }
        let bodies = [
            (
                "request",
                request.get("body"),
                BodyKind::Request { method, path },
            ),
            (
                "response",
                response.get("body"),
                BodyKind::Response {
                    method,
                    path,
                    status,
                },
            ),
        ];
        for (part, body, kind) in bodies {
            if let Some(body) = body {
                walk_schema(
                    body,
                    &Location::root(kind),
                    format!("{prefix}/{part}/body"),
                    known,
                    &mut report,
                    &mut vouched,
                );
            }
        }
        let hooks = step.get("expectedWebhooks").and_then(Value::as_array);
        for (i, hook) in hooks.into_iter().flatten().enumerate() {
            if let Some(body) = hook.get("body") {
                let at = format!("{prefix}/expectedWebhooks/{i}/body");
                walk_schema(
                    body,
                    &Location::root(BodyKind::Webhook { method, path }),
                    at,
                    known,
                    &mut report,
                    &mut vouched,
                );
            }
        }
    }
    for (i, _) in cassette_steps(value).iter().enumerate() {
        vouched.insert(format!("/steps/{i}/name"));
        vouched.insert(format!("/steps/{i}/description"));
    }
    // A variable filled into a described place is as vouched for as that place.
    let variables = value.get("variables").and_then(Value::as_object);
    for name in variables.into_iter().flat_map(|m| m.keys()) {
        let placeholder = format!("{{{{{name}}}}}");
        let used = vouched
            .iter()
            .any(|p| value.pointer(p).and_then(Value::as_str) == Some(placeholder.as_str()));
        if used {
            vouched.insert(format!("/variables/{}", pointer::escape(name)));
        }
    }
    scan_strings(value, String::new(), known, &vouched, &mut report);

    // One finding per place: the schema's verdict is more precise than a detector's.
    let mut findings: Vec<Finding> = Vec::new();
    for (pointer, kind) in found {
        if !findings.iter().any(|f| f.pointer == pointer) {
            findings.push(Finding {
                file: file.to_path_buf(),
                pointer,
                kind,
            });
        }
    }
    findings.sort();
    findings
}

type Object = serde_json::Map<String, Value>;

/// The exchanges of a cassette-shaped file with the pointer each sits at: the file itself for
/// a single exchange, each of `steps` for a scenario.
fn cassette_steps(value: &Value) -> Vec<(String, &Value)> {
    match value.get("steps").and_then(Value::as_array) {
        Some(steps) => steps
            .iter()
            .enumerate()
            .map(|(i, step)| (format!("/steps/{i}"), step))
            .collect(),
        None => vec![(String::new(), value)],
    }
}

/// The request and response objects, when `value` is shaped like an exchange.
fn cassette_parts(value: &Value) -> Option<(&Object, &Object)> {
    Some((
        value.get("request")?.as_object()?,
        value.get("response")?.as_object()?,
    ))
}

fn header_finding(name: &str, value: &str) -> Option<Kind> {
    if headers::is_templated(value) || pseudonym::is_decoy(value) {
        return None;
    }
    if headers::is_secret(name) {
        return Some(Kind::SecretHeader);
    }
    let kept = headers::policy(name) == headers::Policy::Keep;
    if (!kept && detect::looks_random(value))
        || detect::scan(value).iter().any(|h| h.what.is_secret())
    {
        return Some(Kind::TokenLike);
    }
    None
}

fn walk_schema(
    value: &Value,
    at: &Location,
    pointer: String,
    known: &Known,
    report: &mut impl FnMut(String, Kind),
    vouched: &mut BTreeSet<String>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{pointer}/{}", pointer::escape(k));
                walk_schema(v, &at.property(k), child, known, report, vouched);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let child = format!("{pointer}/{i}");
                walk_schema(v, &at.item(i), child, known, report, vouched);
            }
        }
        Value::String(s) => match at.class() {
            Class::Secret { .. } if !pseudonym::is_placeholder(s) && !pseudonym::is_decoy(s) => {
                report(pointer, Kind::SecretValue);
            }
            Class::Personal { choices } if choices.is_empty() => {
                let fine = pseudonym::is_synthetic(s)
                    || known.contains(s)
                    || at.documented_values().any(|d| d == s);
                if fine {
                    // A pseudonym looks random by design.
                    vouched.insert(pointer);
                } else {
                    report(pointer, Kind::PersonalData);
                }
            }
            Class::Described | Class::Secret { .. } | Class::Personal { .. } => {
                vouched.insert(pointer);
            }
            Class::Unclassified => {}
        },
        _ => {}
    }
}

/// Every key and every string value, wherever it sits: the detectors' shapes, and a
/// random-looking string (a token) anywhere but the places the schema describes.
fn scan_strings(
    value: &Value,
    pointer: String,
    known: &Known,
    vouched: &BTreeSet<String>,
    report: &mut impl FnMut(String, Kind),
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{pointer}/{}", pointer::escape(k));
                check_text(k, child.clone(), known, report);
                let token = !k.starts_with('/')
                    && detect::looks_random(k)
                    && !known.contains(k)
                    && !property_names().contains(k);
                if token {
                    report(child.clone(), Kind::TokenLike);
                }
                scan_strings(v, child, known, vouched, report);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                scan_strings(v, format!("{pointer}/{i}"), known, vouched, report);
            }
        }
        Value::String(s) => {
            // Pointers and paths (`/data/kycDocumentList/0/id`) start with a slash; a token
            // does not.
            let token = !vouched.contains(&pointer)
                && !s.starts_with('/')
                && detect::looks_random(s)
                && !known.contains(s)
                && !documented().contains(s);
            if token {
                report(pointer.clone(), Kind::TokenLike);
            }
            check_text(s, pointer, known, report);
        }
        _ => {}
    }
}

/// The cassette format's own text fields, written by people: names and descriptions.
const AUTHOR_TEXT: [&str; 3] = ["/name", "/description", "/recording/note"];

/// Why a parsed file is not a cassette (nor the suite's defaults): the pointer and the
/// loader's message, which names keywords and placeholders, never values.
fn not_a_cassette(file: &Path, value: &Value) -> Option<(String, String)> {
    let defaults = file
        .file_name()
        .is_some_and(|n| n == crate::cassette::DEFAULTS_FILE);
    let error = if defaults {
        crate::cassette::load_defaults(file).err()
    } else {
        crate::cassette::Cassette::from_value(file, value).err()
    }?;
    Some(match error {
        crate::cassette::CassetteError::Invalid {
            pointer, message, ..
        } => (pointer, message),
        other => (String::new(), other.to_string()),
    })
}

fn check_text(text: &str, at: String, known: &Known, report: &mut impl FnMut(String, Kind)) {
    if known.contains(text) || documented().contains(text) {
        return;
    }
    if let Some(hit) = detect::scan(text).first() {
        let kind = if hit.what.is_secret() {
            Kind::TokenLike
        } else {
            Kind::Detected(hit.what.name())
        };
        report(at, kind);
    }
}

/// Every property name any schema (the cassette format's included) declares.
fn property_names() -> &'static BTreeSet<String> {
    static NAMES: std::sync::OnceLock<BTreeSet<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut out = BTreeSet::new();
        for doc in kyc_spec::Document::ALL {
            let mut stack = vec![doc.json()];
            while let Some(v) = stack.pop() {
                match v {
                    Value::Object(map) => {
                        if let Some(Value::Object(props)) = map.get("properties") {
                            out.extend(props.keys().cloned());
                        }
                        stack.extend(map.into_iter().map(|(_, v)| v));
                    }
                    Value::Array(items) => stack.extend(items),
                    _ => {}
                }
            }
        }
        out
    })
}

/// Every string the spec documents anywhere (examples, enums, consts).
fn documented() -> &'static BTreeSet<String> {
    static DOCUMENTED: std::sync::OnceLock<BTreeSet<String>> = std::sync::OnceLock::new();
    DOCUMENTED.get_or_init(|| {
        let mut out = BTreeSet::new();
        for doc in kyc_spec::Document::ALL {
            let mut stack = vec![doc.json()];
            while let Some(v) = stack.pop() {
                match v {
                    Value::Object(map) => {
                        for (k, v) in map {
                            if matches!(k.as_str(), "examples" | "enum" | "const") {
                                let list = match &v {
                                    Value::Array(items) => items.clone(),
                                    other => vec![other.clone()],
                                };
                                out.extend(list.into_iter().filter_map(|x| match x {
                                    Value::String(s) => Some(s),
                                    _ => None,
                                }));
                            }
                            stack.push(v);
                        }
                    }
                    Value::Array(items) => stack.extend(items),
                    _ => {}
                }
            }
        }
        out
    })
}

/// The invented people bundled fixtures may use: every value of the mock's built-in
/// customers, which exist only in this repository.
pub fn known_invented() -> Known {
    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
            Value::Object(map) => map.values().for_each(|i| strings(i, out)),
            _ => {}
        }
    }
    let mut values = Vec::new();
    for template in kyc_mock::builtin::templates() {
        for v in template.customer.values() {
            strings(v, &mut values);
        }
    }
    // The names that choose a created customer's KYC in the mock: invented words.
    values.extend(kyc_mock::trigger_names().map(str::to_owned));
    let mut known = Known::default();
    known.extend(values);
    known
}
