//! Compares one answer with its recording and with the spec.
//!
//! Volatile values (request ids, timestamps, generated ids, tokens) are compared for presence
//! only: the recording cannot predict them, so a differing value is not a deviation, but a
//! missing one still is. Everything else is diffed structurally.

use serde_json::{Map, Value};

use super::client::Answer;
use super::deviation::{Deviation, Kind, Severity};
use super::pointer::{self, Pattern, Seg};
use super::spec_check;
use crate::cassette::Step;

/// Body pointers that are volatile in every cassette.
pub const DEFAULT_VOLATILE: [&str; 7] = [
    "/requestId",
    "/data/customer/dtsCreatedAt",
    "/data/dtsCreatedAt",
    "/data/applications/*/dtsCreatedAt",
    "/data/dtsExpireAt",
    "/data/token",
    "/data/kycDocumentList/*/id",
];

/// Response headers never compared: they describe the transport, not the contract.
const TRANSPORT_HEADERS: [&str; 7] = [
    "date",
    "content-length",
    "connection",
    "transfer-encoding",
    "keep-alive",
    "server",
    "x-request-id",
];

/// How one step's answer is compared.
#[derive(Clone, Debug)]
pub struct Rules {
    /// The cassette's own volatile pointers (the defaults are shared, see `defaults`).
    volatile: Vec<Pattern>,
    array_keys: Vec<(Pattern, String)>,
}

/// [`DEFAULT_VOLATILE`], parsed once.
fn defaults() -> &'static [Pattern] {
    static DEFAULTS: std::sync::OnceLock<Vec<Pattern>> = std::sync::OnceLock::new();
    DEFAULTS.get_or_init(|| DEFAULT_VOLATILE.iter().map(|p| Pattern::parse(p)).collect())
}

impl Rules {
    /// The default volatile pointers plus the step's own and the places it captures from (a
    /// captured value is volatile by construction: it is whatever the target chose).
    pub fn for_step(step: &Step) -> Rules {
        let volatile = step
            .volatile
            .iter()
            .chain(step.capture.values())
            .map(|p| Pattern::parse(p))
            .collect();
        let array_keys = step
            .array_keys
            .iter()
            .map(|(p, k)| (Pattern::parse(p), k.clone()))
            .collect();
        Rules {
            volatile,
            array_keys,
        }
    }

    /// The volatile pointers (defaults first) as insta redaction selectors.
    pub fn volatile_selectors(&self) -> Vec<String> {
        defaults()
            .iter()
            .chain(&self.volatile)
            .map(Pattern::to_selector)
            .collect()
    }

    fn is_volatile(&self, path: &[Seg<'_>]) -> bool {
        defaults()
            .iter()
            .chain(&self.volatile)
            .any(|p| p.matches_segs(path))
    }

    fn array_key(&self, path: &[Seg<'_>]) -> Option<&str> {
        self.array_keys
            .iter()
            .find(|(p, _)| p.matches_segs(path))
            .map(|(_, k)| k.as_str())
    }
}

/// What the recording (placeholders filled) expects.
#[derive(Clone, Debug)]
pub struct Expected<'a> {
    /// The request method and path, which decide the schema for a 2xx answer.
    pub request_method: &'a str,
    /// See `request_method`.
    pub request_path: &'a str,
    /// Recorded status.
    pub status: u16,
    /// Recorded headers (only these are compared).
    pub headers: &'a Map<String, Value>,
    /// Recorded body.
    pub body: Option<&'a Value>,
}

/// The answer's body as the comparison read it.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// No bytes.
    Empty,
    /// Parsed JSON.
    Json(Value),
    /// Not JSON (shown as text, lossily decoded).
    Text(String),
}

impl Body {
    /// Reads raw bytes: JSON when they parse, text otherwise.
    pub fn parse(bytes: &[u8]) -> Body {
        if bytes.is_empty() {
            return Body::Empty;
        }
        match serde_json::from_slice(bytes) {
            Ok(v) => Body::Json(v),
            Err(_) => Body::Text(String::from_utf8_lossy(bytes).into_owned()),
        }
    }

    /// The body as a JSON value for reports and snapshots (text as a string).
    pub fn to_value(&self) -> Value {
        match self {
            Body::Empty => Value::Null,
            Body::Json(v) => v.clone(),
            Body::Text(t) => Value::String(t.clone()),
        }
    }
}

/// Every deviation of `answer` from `expected` and from the spec, in a stable order: status,
/// headers, body shape, spec, then the structural diff.
pub fn compare(expected: &Expected<'_>, answer: &Answer, rules: &Rules) -> Vec<Deviation> {
    let mut out = Vec::new();
    let status_matches = expected.status == answer.status;
    if !status_matches {
        out.push(Deviation {
            kind: Kind::StatusMismatch,
            path: String::new(),
            severity: Severity::Breaking,
            expected: expected.status.into(),
            actual: answer.status.into(),
            message: format!(
                "status {} where {} was recorded",
                answer.status, expected.status
            ),
            step: None,
        });
    }
    compare_headers(expected.headers, answer, &mut out);

    let body = Body::parse(&answer.body);
    let wants_json = match expected.body {
        Some(Value::String(_)) => false,
        Some(_) => true,
        None => is_json_media(header(expected.headers, "content-type")),
    };
    let spec_findings = match &body {
        Body::Json(v) => spec_check::check(
            expected.request_method,
            expected.request_path,
            answer.status,
            v,
        ),
        Body::Text(_) | Body::Empty => Vec::new(),
    };
    match (&body, wants_json) {
        (Body::Json(_), _) | (_, false) => {}
        (Body::Text(text), true) => out.push(Deviation {
            kind: Kind::BodyNotJson,
            path: String::new(),
            severity: Severity::Breaking,
            expected: "JSON".into(),
            actual: Value::String(preview(text)),
            message: "the body is not JSON".into(),
            step: None,
        }),
        (Body::Empty, true) => out.push(Deviation {
            kind: Kind::BodyNotJson,
            path: String::new(),
            severity: Severity::Breaking,
            expected: "JSON".into(),
            actual: Value::Null,
            message: "the body is empty".into(),
            step: None,
        }),
    }
    out.extend(spec_findings);

    // A different status means a different kind of body; diffing it against the recording
    // would only restate the status mismatch field by field.
    if status_matches {
        let mut diffs = Vec::new();
        match (expected.body, &body) {
            (None, _) => {}
            (Some(Value::String(want)), got) => {
                let got_text = match got {
                    Body::Empty => String::new(),
                    Body::Text(t) => t.clone(),
                    Body::Json(_) => String::from_utf8_lossy(&answer.body).into_owned(),
                };
                if *want != got_text {
                    diffs.push(Deviation {
                        kind: Kind::ValueMismatch,
                        path: String::new(),
                        severity: Severity::Breaking,
                        expected: Value::String(preview(want)),
                        actual: Value::String(preview(&got_text)),
                        message: "the body differs from the recording".into(),
                        step: None,
                    });
                }
            }
            (Some(want), Body::Json(got)) => {
                diff(want, got, &mut Vec::new(), rules, &mut diffs);
                mark_unknown_enum_values(expected, answer.status, &mut diffs);
            }
            (Some(_), Body::Text(_) | Body::Empty) => {} // already body_not_json
        }
        out.extend(diffs);
    }
    // The spec check and the diff can both find the same unknown enum value; keep the diff's
    // (it names the recorded value), and drop a plain value mismatch at such a place.
    let enum_paths: Vec<String> = out
        .iter()
        .filter(|d| d.kind == Kind::UnknownEnumValue)
        .map(|d| d.path.clone())
        .collect();
    out.retain(|d| !(d.kind == Kind::ValueMismatch && enum_paths.contains(&d.path)));
    let mut seen = std::collections::BTreeSet::new();
    for i in (0..out.len()).rev() {
        if out[i].kind == Kind::UnknownEnumValue && !seen.insert(out[i].path.clone()) {
            out.remove(i);
        }
    }
    // One stable order whichever check found what: status and headers first (empty path),
    // then by place in the body, then by kind.
    out.sort_by(|a, b| (&a.path, a.kind).cmp(&(&b.path, b.kind)));
    out
}

/// A changed value the spec's enum does not list is a new enum value, not just a change.
fn mark_unknown_enum_values(expected: &Expected<'_>, status: u16, diffs: &mut [Deviation]) {
    for d in diffs.iter_mut().filter(|d| d.kind == Kind::ValueMismatch) {
        let path = pointer::split(&d.path);
        let Some(allowed) = spec_check::enum_at(
            expected.request_method,
            expected.request_path,
            status,
            &path,
        ) else {
            continue;
        };
        if !allowed.contains(&d.actual) {
            d.kind = Kind::UnknownEnumValue;
            d.severity = Severity::Additive;
            d.message = format!("value not in the spec's enum (recorded {})", d.expected);
            d.expected = Value::Array(allowed.to_vec());
        }
    }
}

fn compare_headers(recorded: &Map<String, Value>, answer: &Answer, out: &mut Vec<Deviation>) {
    for (name, want) in recorded {
        let name = name.to_ascii_lowercase();
        if TRANSPORT_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let want = want.as_str().unwrap_or_default();
        let got = answer.header(&name);
        let is_content_type = name == "content-type";
        let same = match got {
            None => false,
            Some(got) if is_content_type => media_type(want) == media_type(got),
            Some(got) => want == got,
        };
        if same {
            continue;
        }
        let severity = if got.is_none() || is_content_type {
            Severity::Breaking
        } else {
            Severity::Info
        };
        let message = match got {
            None => format!("header {name} is missing"),
            Some(g) => format!("header {name} is {g:?} where {want:?} was recorded"),
        };
        out.push(Deviation {
            kind: Kind::HeaderMismatch,
            path: String::new(),
            severity,
            expected: Value::String(want.to_string()),
            actual: got.map_or(Value::Null, |g| Value::String(g.to_string())),
            message,
            step: None,
        });
    }
}

fn header<'a>(headers: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

/// `application/json; charset=utf-8` → `application/json`.
fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json_media(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        let m = media_type(v);
        m == "application/json" || m.ends_with("+json")
    })
}

/// At most 200 characters of a body, for reports.
fn preview(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn diff<'a>(
    want: &'a Value,
    got: &'a Value,
    path: &mut Vec<Seg<'a>>,
    rules: &Rules,
    out: &mut Vec<Deviation>,
) {
    if rules.is_volatile(path) {
        return;
    }
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (key, wv) in w {
                path.push(Seg::Key(key));
                match g.get(key) {
                    Some(gv) => diff(wv, gv, path, rules, out),
                    None => out.push(Deviation {
                        kind: Kind::MissingField,
                        path: pointer::join_segs(path),
                        severity: Severity::Breaking,
                        expected: wv.clone(),
                        actual: Value::Null,
                        message: "recorded field is missing".into(),
                        step: None,
                    }),
                }
                path.pop();
            }
            for (key, gv) in g {
                if !w.contains_key(key) {
                    path.push(Seg::Key(key));
                    out.push(Deviation {
                        kind: Kind::UnexpectedField,
                        path: pointer::join_segs(path),
                        severity: Severity::Additive,
                        expected: Value::Null,
                        actual: gv.clone(),
                        message: "field not in the recording".into(),
                        step: None,
                    });
                    path.pop();
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => match rules.array_key(path) {
            Some(key) => diff_keyed(w, g, key, path, rules, out),
            None => diff_indexed(w, g, path, rules, out),
        },
        (w, g) if type_name(w) != type_name(g) => out.push(Deviation {
            kind: Kind::TypeMismatch,
            path: pointer::join_segs(path),
            severity: Severity::Breaking,
            expected: w.clone(),
            actual: g.clone(),
            message: format!("{} where {} was recorded", type_name(g), type_name(w)),
            step: None,
        }),
        (w, g) if w != g => out.push(Deviation {
            kind: Kind::ValueMismatch,
            path: pointer::join_segs(path),
            severity: Severity::Breaking,
            expected: w.clone(),
            actual: g.clone(),
            message: "value differs from the recording".into(),
            step: None,
        }),
        _ => {}
    }
}

fn diff_indexed<'a>(
    w: &'a [Value],
    g: &'a [Value],
    path: &mut Vec<Seg<'a>>,
    rules: &Rules,
    out: &mut Vec<Deviation>,
) {
    for i in 0..w.len().max(g.len()) {
        path.push(Seg::Index(i));
        match (w.get(i), g.get(i)) {
            (Some(wv), Some(gv)) => diff(wv, gv, path, rules, out),
            (Some(wv), None) => out.push(missing_item(wv, path)),
            (None, Some(gv)) => out.push(extra_item(gv, path)),
            (None, None) => {}
        }
        path.pop();
    }
}

/// Arrays whose elements are matched by a key property (`arrayKeys`), so an order change is
/// not reported as every element changing.
fn diff_keyed<'a>(
    w: &'a [Value],
    g: &'a [Value],
    key: &str,
    path: &mut Vec<Seg<'a>>,
    rules: &Rules,
    out: &mut Vec<Deviation>,
) {
    let key_of = |v: &'a Value| v.get(key);
    let mut used = vec![false; g.len()];
    for (i, wv) in w.iter().enumerate() {
        let found = key_of(wv).and_then(|k| {
            g.iter()
                .enumerate()
                .find(|(j, gv)| !used[*j] && key_of(gv) == Some(k))
                .map(|(j, _)| j)
        });
        match found {
            Some(j) => {
                used[j] = true;
                path.push(Seg::Index(j));
                diff(wv, &g[j], path, rules, out);
                path.pop();
            }
            None => {
                path.push(Seg::Index(i));
                out.push(missing_item(wv, path));
                path.pop();
            }
        }
    }
    for (j, gv) in g.iter().enumerate() {
        if !used[j] {
            path.push(Seg::Index(j));
            out.push(extra_item(gv, path));
            path.pop();
        }
    }
}

fn missing_item(wv: &Value, path: &[Seg<'_>]) -> Deviation {
    Deviation {
        kind: Kind::MissingField,
        path: pointer::join_segs(path),
        severity: Severity::Breaking,
        expected: wv.clone(),
        actual: Value::Null,
        message: "recorded array element is missing".into(),
        step: None,
    }
}

fn extra_item(gv: &Value, path: &[Seg<'_>]) -> Deviation {
    Deviation {
        kind: Kind::UnexpectedField,
        path: pointer::join_segs(path),
        severity: Severity::Additive,
        expected: Value::Null,
        actual: gv.clone(),
        message: "array element not in the recording".into(),
        step: None,
    }
}
