//! Compares one answer with its recording and with the spec.
//!
//! Volatile values (request ids, timestamps, generated ids, tokens) are compared for presence
//! only: the recording cannot predict them, so a differing value is not a deviation, but a
//! missing one still is. Everything else is diffed structurally.

use serde_json::{Map, Value};

use super::client::Answer;
use super::deviation::{Deviation, Kind, Severity};
use super::matcher::{Matcher, Matchers, type_name};
use super::pointer::{self, Pattern, Seg};
use super::spec_check;
use crate::cassette::Step;
use serde::Serialize;

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

/// How one step's answer is compared: a matcher per place, first match wins, and the arrays
/// matched by a key property.
#[derive(Clone, Debug)]
pub struct Rules {
    rules: Vec<Rule>,
    array_keys: Vec<(Pattern, String)>,
}

#[derive(Clone, Debug)]
struct Rule {
    pattern: Pattern,
    matcher: Matcher,
    /// Written by the cassette's author (`match`, the suite's defaults, a wait's set), so a
    /// value it tolerates is shown in the report; the built-in volatile places and captures
    /// are not, or every report would list every request id.
    shown: bool,
}

impl Rule {
    fn new(pointer: &str, matcher: Matcher, shown: bool) -> Rule {
        Rule {
            pattern: Pattern::parse(pointer),
            matcher,
            shown,
        }
    }
}

/// The cassette's matchers, the more specific first: an exact pointer before one with `*`.
fn by_specificity<'a>(
    matchers: impl IntoIterator<Item = (&'a String, &'a Matcher)>,
) -> Vec<(&'a String, &'a Matcher)> {
    let mut list: Vec<_> = matchers.into_iter().collect();
    list.sort_by_key(|(p, _)| p.split('/').filter(|s| *s == "*").count());
    list
}

impl Rules {
    /// The step's rules with no suite defaults.
    pub fn for_step(step: &Step) -> Rules {
        Rules::for_step_in(step, &Default::default())
    }

    /// The rules of `step` in a suite with `defaults`, in the order they win: the step's own
    /// `match`, its wait's set of values at the wait's pointer, its `volatile` places and the
    /// places it captures from (whatever the target chose), the suite's defaults, then the
    /// places volatile in every cassette.
    pub fn for_step_in(step: &Step, defaults: &Matchers) -> Rules {
        let mut rules = Vec::new();
        for (pointer, matcher) in by_specificity(&step.matchers) {
            rules.push(Rule::new(pointer, matcher.clone(), true));
        }
        if let Some(wait) = &step.wait {
            rules.push(Rule::new(
                &wait.pointer,
                Matcher::OneOf(wait.until.clone()),
                true,
            ));
        }
        for pointer in step.volatile.iter().chain(step.capture.values()) {
            rules.push(Rule::new(pointer, Matcher::Present, false));
        }
        for (pointer, matcher) in by_specificity(defaults) {
            rules.push(Rule::new(pointer, matcher.clone(), true));
        }
        for pointer in DEFAULT_VOLATILE {
            rules.push(Rule::new(pointer, Matcher::Present, false));
        }
        let array_keys = step
            .array_keys
            .iter()
            .map(|(p, k)| (Pattern::parse(p), k.clone()))
            .collect();
        Rules { rules, array_keys }
    }

    /// The places whose values change from run to run on any target (the built-in volatile
    /// places, the step's `volatile` and captures), as insta redaction selectors. A written
    /// tolerance is not among them: on the deterministic mock its value is still worth seeing.
    pub fn volatile_selectors(&self) -> Vec<String> {
        self.rules
            .iter()
            .filter(|r| !r.shown && matches!(r.matcher, Matcher::Present | Matcher::Ignore))
            .map(|r| r.pattern.to_selector())
            .collect()
    }

    /// Whether a rule other than `exact` already decides `pointer` or a place above it (so a
    /// recording need not learn it).
    pub fn covers(&self, pointer: &str) -> bool {
        let segments = kyc_spec::pointer::split(pointer);
        (0..=segments.len()).any(|n| {
            self.rules
                .iter()
                .any(|r| r.matcher != Matcher::Exact && r.pattern.matches(&segments[..n]))
        })
    }

    fn rule_at(&self, path: &[Seg<'_>]) -> Option<&Rule> {
        self.rules.iter().find(|r| r.pattern.matches_segs(path))
    }

    fn array_key(&self, path: &[Seg<'_>]) -> Option<&str> {
        self.array_keys
            .iter()
            .find(|(p, _)| p.matches_segs(path))
            .map(|(_, k)| k.as_str())
    }
}

/// A place where the answer differs from the recording and a written matcher accepted it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tolerated {
    /// JSON pointer into the body.
    pub path: String,
    /// The matcher, as the report shows it (`oneOf ["APPROVED","DECLINED"]`).
    pub rule: String,
    /// The scenario step, absent for a single exchange.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<super::deviation::StepRef>,
}

/// What comparing one answer found.
#[derive(Clone, Debug, Default)]
pub struct Compared {
    /// Every deviation, in a stable order.
    pub deviations: Vec<Deviation>,
    /// The places a written matcher let differ.
    pub tolerated: Vec<Tolerated>,
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
    compare_with(expected, answer, rules).deviations
}

/// [`compare`], with the places the rules tolerated.
pub fn compare_with(expected: &Expected<'_>, answer: &Answer, rules: &Rules) -> Compared {
    let mut out = Vec::new();
    let mut tolerated = Vec::new();
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
            mark: Default::default(),
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
            mark: Default::default(),
        }),
        (Body::Empty, true) => out.push(Deviation {
            kind: Kind::BodyNotJson,
            path: String::new(),
            severity: Severity::Breaking,
            expected: "JSON".into(),
            actual: Value::Null,
            message: "the body is empty".into(),
            step: None,
            mark: Default::default(),
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
                        mark: Default::default(),
                    });
                }
            }
            (Some(want), Body::Json(got)) => {
                let mut walk = Walk {
                    rules,
                    out: &mut diffs,
                    tolerated: &mut tolerated,
                };
                walk.diff(Some(want), Some(got), &mut Vec::new());
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
    Compared {
        deviations: out,
        tolerated,
    }
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
            mark: Default::default(),
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

/// The structural diff of a recorded body and an answer, place by place, each place judged
/// by the first rule that names it.
struct Walk<'r, 'o> {
    rules: &'r Rules,
    out: &'o mut Vec<Deviation>,
    tolerated: &'o mut Vec<Tolerated>,
}

impl<'a> Walk<'_, '_> {
    /// Compares one place; `None` on either side: the place is absent there.
    fn diff(&mut self, want: Option<&'a Value>, got: Option<&'a Value>, path: &mut Vec<Seg<'a>>) {
        if let Some(rule) = self.rules.rule_at(path)
            && rule.matcher != Matcher::Exact
        {
            match rule.matcher.judge(want, got) {
                Ok(false) => {}
                Ok(true) => {
                    if rule.shown {
                        self.tolerated.push(Tolerated {
                            path: pointer::join_segs(path),
                            rule: rule.matcher.to_string(),
                            step: None,
                        });
                    }
                }
                // A built-in volatile place or a capture that is gone is simply missing.
                Err(_) if !rule.shown && got.is_none() && want.is_some() => {
                    self.out.push(missing(want.unwrap_or(&Value::Null), path));
                }
                Err(miss) => self.out.push(Deviation {
                    kind: miss.kind,
                    path: pointer::join_segs(path),
                    severity: miss.severity,
                    expected: want.cloned().unwrap_or(Value::Null),
                    actual: got.cloned().unwrap_or(Value::Null),
                    message: miss.message,
                    step: None,
                    mark: super::deviation::Mark {
                        rule: rule.shown.then(|| rule.matcher.to_string()),
                        ..Default::default()
                    },
                }),
            }
            return;
        }
        let (want, got) = match (want, got) {
            (Some(w), Some(g)) => (w, g),
            (Some(w), None) => return self.out.push(missing(w, path)),
            (None, Some(g)) => return self.out.push(extra(g, path)),
            (None, None) => return,
        };
        match (want, got) {
            (Value::Object(w), Value::Object(g)) => {
                for (key, wv) in w {
                    path.push(Seg::Key(key));
                    self.diff(Some(wv), g.get(key), path);
                    path.pop();
                }
                for (key, gv) in g {
                    if !w.contains_key(key) {
                        path.push(Seg::Key(key));
                        self.diff(None, Some(gv), path);
                        path.pop();
                    }
                }
            }
            (Value::Array(w), Value::Array(g)) => match self.rules.array_key(path) {
                Some(key) => self.diff_keyed(w, g, key, path),
                None => {
                    for i in 0..w.len().max(g.len()) {
                        path.push(Seg::Index(i));
                        self.diff(w.get(i), g.get(i), path);
                        path.pop();
                    }
                }
            },
            (w, g) if type_name(w) != type_name(g) => self.out.push(Deviation {
                kind: Kind::TypeMismatch,
                path: pointer::join_segs(path),
                severity: Severity::Breaking,
                expected: w.clone(),
                actual: g.clone(),
                message: format!("{} where {} was recorded", type_name(g), type_name(w)),
                step: None,
                mark: Default::default(),
            }),
            (w, g) if w != g => self.out.push(Deviation {
                kind: Kind::ValueMismatch,
                path: pointer::join_segs(path),
                severity: Severity::Breaking,
                expected: w.clone(),
                actual: g.clone(),
                message: "value differs from the recording".into(),
                step: None,
                mark: Default::default(),
            }),
            _ => {}
        }
    }

    /// Arrays whose elements are matched by a key property (`arrayKeys`), so an order change
    /// is not reported as every element changing.
    fn diff_keyed(&mut self, w: &'a [Value], g: &'a [Value], key: &str, path: &mut Vec<Seg<'a>>) {
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
                    self.diff(Some(wv), Some(&g[j]), path);
                }
                None => {
                    path.push(Seg::Index(i));
                    self.diff(Some(wv), None, path);
                }
            }
            path.pop();
        }
        for (j, gv) in g.iter().enumerate() {
            if !used[j] {
                path.push(Seg::Index(j));
                self.diff(None, Some(gv), path);
                path.pop();
            }
        }
    }
}

/// A recorded member or element the answer lacks.
fn missing(wv: &Value, path: &[Seg<'_>]) -> Deviation {
    let what = match path.last() {
        Some(Seg::Index(_)) => "recorded array element is missing",
        _ => "recorded field is missing",
    };
    Deviation {
        kind: Kind::MissingField,
        path: pointer::join_segs(path),
        severity: Severity::Breaking,
        expected: wv.clone(),
        actual: Value::Null,
        message: what.into(),
        step: None,
        mark: Default::default(),
    }
}

/// A member or element the recording lacks.
fn extra(gv: &Value, path: &[Seg<'_>]) -> Deviation {
    let what = match path.last() {
        Some(Seg::Index(_)) => "array element not in the recording",
        _ => "field not in the recording",
    };
    Deviation {
        kind: Kind::UnexpectedField,
        path: pointer::join_segs(path),
        severity: Severity::Additive,
        expected: Value::Null,
        actual: gv.clone(),
        message: what.into(),
        step: None,
        mark: Default::default(),
    }
}
