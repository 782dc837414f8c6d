//! The cassette: one recorded exchange or a multi-step scenario, as read from (and written
//! back to) one JSON file.
//!
//! The format is described by `spec/schema/cassette.schema.json`. Loading checks a file
//! against that schema (Ajv-exact errors, so a bad cassette is reported with its file, a JSON
//! pointer and Ajv's message) and then reads it into the typed model below, the one model
//! replay, record and redaction work on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kyc_spec::Document;
use kyc_spec::ajv::{Mode, Validator};

use std::sync::Arc;

use crate::runner::matcher::{Matcher, Matchers};
use crate::runner::placeholder;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A cassette: one recorded exchange, or a scenario of named steps run in order.
///
/// Both forms load into this one model: an exchange is a cassette with a single step named
/// after the cassette, so replay, record, redaction and lint have one shape to walk. `form`
/// remembers which file shape it came from, so writing it back gives the same shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Cassette {
    /// Unique case name, shown in reports.
    pub name: String,
    /// What the cassette shows.
    pub description: Option<String>,
    /// Values for `{{name}}` placeholders.
    pub variables: BTreeMap<String, String>,
    /// Placeholders filled with a value generated once per run (references, SSNs, e-mails
    /// a sandbox requires to be unique), by the kind of value each needs.
    pub unique: BTreeMap<String, UniqueKind>,
    /// The steps, in order; an exchange has exactly one.
    pub steps: Vec<Step>,
    /// Which file shape this is.
    pub form: Form,
    /// Provenance.
    pub recording: Option<Recording>,
    /// The suite's default matchers (`_defaults.json` beside the cassette), which a step's own
    /// `match` overrides. Not part of the cassette's file.
    pub defaults: Arc<Matchers>,
}

/// The two file shapes of a cassette.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `request` and `response` at the top: one exchange.
    Exchange,
    /// `steps`: a scenario.
    Scenario,
}

/// One step: a request, its recorded answer, and what the runner does around it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Name, unique within its scenario; an exchange's only step carries the cassette's name.
    pub name: String,
    /// What the step does, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What was sent.
    pub request: RecordedRequest,
    /// What came back (for a wait: the answer that ended it).
    pub response: RecordedResponse,
    /// Extra volatile pointers into the response body (`*` = any segment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volatile: Vec<String>,
    /// Arrays matched by a key property rather than by position.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub array_keys: BTreeMap<String, String>,
    /// How places of the answer are compared, by JSON pointer (`*` for any one segment):
    /// what the target may choose for itself, written down (see [`Matcher`]).
    #[serde(default, rename = "match", skip_serializing_if = "BTreeMap::is_empty")]
    pub matchers: Matchers,
    /// Callbacks expected after this step's answer, checked against the webhook schema.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expected_webhooks: Vec<ExpectedWebhook>,
    /// Variables taken from the answer body: variable name to JSON pointer. A captured place
    /// is volatile in this step, and later steps use the value as `{{name}}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capture: BTreeMap<String, String>,
    /// Repeat the request until a value in the answer is one of a set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<Wait>,
    /// A probe step: its answer is observed (kept in the step's result) rather than judged,
    /// so a deviation neither fails nor stops the scenario. The audit's probes are made of
    /// these: whatever the target answers is the finding.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub observe: bool,
    /// Run the step once per element of a captured array, the element's fields bound as
    /// `{{as.field}}` (a string element as `{{as}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_each: Option<ForEach>,
    /// Run the step (or, with `forEach`, an iteration) only when a variable's value is one of
    /// a set; otherwise it is `skipped` with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
}

/// `forEach`: the variable holding a captured array, and the name its elements are bound to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForEach {
    /// The variable (captured from an earlier step's answer) holding the array.
    #[serde(rename = "in")]
    pub items: String,
    /// The element's name: `{{as.field}}` for an object's fields, `{{as}}` for a string.
    #[serde(rename = "as")]
    pub name: String,
}

/// `when`: a variable and the values for which the step runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct When {
    /// The variable (declared, captured, or a `forEach` element's field).
    pub var: String,
    /// The values (compared as JSON: a captured string with a string) for which it runs.
    #[serde(rename = "in")]
    pub values: Vec<Value>,
}

/// A poll: the step's request is sent again every `interval_ms` until the answer body's value
/// at `pointer` is one of `until`, for at most `timeout_ms`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Wait {
    /// JSON pointer into the answer body.
    pub pointer: String,
    /// Values that end the wait.
    #[serde(rename = "in")]
    pub until: Vec<Value>,
    /// Time between two polls, in milliseconds.
    pub interval_ms: u64,
    /// How long to poll before giving up, in milliseconds.
    pub timeout_ms: u64,
}

/// The kind of a value generated once per run for a `unique` placeholder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UniqueKind {
    /// A customer reference: `ref` and 16 lower-case hex digits.
    Reference,
    /// Nine digits starting with 9 (a range the SSA never issues), passing `^[0-9]{9}$`.
    Ssn,
    /// An address at `example.com`.
    Email,
}

/// The request half of a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// HTTP method, upper case.
    pub method: String,
    /// Path and query, appended to the target's base URL.
    pub path: String,
    /// Headers to send (names matched case-insensitively).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub headers: Map<String, Value>,
    /// JSON body; a string is sent byte for byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

/// The response half of a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers that matter (only these are compared).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub headers: Map<String, Value>,
    /// JSON body; a string for a body that is not JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

/// A callback the server should send after answering.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpectedWebhook {
    /// The callback body.
    pub body: Value,
    /// Deadline after the answer, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_ms: Option<u64>,
}

/// Where a cassette came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recording {
    /// `connectfi-docs`, `sandbox` or `mock`.
    pub source: String,
    /// When, ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<String>,
    /// Anything a reviewer should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The exchange file shape (today's single-exchange cassette, unchanged).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExchangeFile {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    variables: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    unique: BTreeMap<String, UniqueKind>,
    request: RecordedRequest,
    response: RecordedResponse,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    volatile: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    array_keys: BTreeMap<String, String>,
    #[serde(default, rename = "match", skip_serializing_if = "BTreeMap::is_empty")]
    matchers: Matchers,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    expected_webhooks: Vec<ExpectedWebhook>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recording: Option<Recording>,
}

/// The scenario file shape.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScenarioFile {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    variables: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    unique: BTreeMap<String, UniqueKind>,
    steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recording: Option<Recording>,
}

impl From<ExchangeFile> for Cassette {
    fn from(f: ExchangeFile) -> Cassette {
        Cassette {
            steps: vec![Step {
                name: f.name.clone(),
                description: None,
                request: f.request,
                response: f.response,
                volatile: f.volatile,
                array_keys: f.array_keys,
                matchers: f.matchers,
                expected_webhooks: f.expected_webhooks,
                capture: BTreeMap::new(),
                wait: None,
                observe: false,
                for_each: None,
                when: None,
            }],
            name: f.name,
            description: f.description,
            variables: f.variables,
            unique: f.unique,
            form: Form::Exchange,
            recording: f.recording,
            defaults: Arc::default(),
        }
    }
}

impl From<ScenarioFile> for Cassette {
    fn from(f: ScenarioFile) -> Cassette {
        Cassette {
            name: f.name,
            description: f.description,
            variables: f.variables,
            unique: f.unique,
            steps: f.steps,
            form: Form::Scenario,
            recording: f.recording,
            defaults: Arc::default(),
        }
    }
}

impl Serialize for Cassette {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.form, self.steps.as_slice()) {
            (Form::Exchange, [step])
                if step.capture.is_empty()
                    && step.wait.is_none()
                    && !step.observe
                    && step.for_each.is_none()
                    && step.when.is_none() =>
            {
                ExchangeFile {
                    name: self.name.clone(),
                    description: self.description.clone(),
                    variables: self.variables.clone(),
                    unique: self.unique.clone(),
                    request: step.request.clone(),
                    response: step.response.clone(),
                    volatile: step.volatile.clone(),
                    array_keys: step.array_keys.clone(),
                    matchers: step.matchers.clone(),
                    expected_webhooks: step.expected_webhooks.clone(),
                    recording: self.recording.clone(),
                }
                .serialize(serializer)
            }
            // A scenario, or an exchange grown to several steps: only `steps` holds them all.
            _ => ScenarioFile {
                name: self.name.clone(),
                description: self.description.clone(),
                variables: self.variables.clone(),
                unique: self.unique.clone(),
                steps: self.steps.clone(),
                recording: self.recording.clone(),
            }
            .serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Cassette {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cassette, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let scenario = value.get("steps").is_some();
        let parsed = if scenario {
            serde_json::from_value::<ScenarioFile>(value).map(Cassette::from)
        } else {
            serde_json::from_value::<ExchangeFile>(value).map(Cassette::from)
        };
        parsed.map_err(serde::de::Error::custom)
    }
}

impl Cassette {
    /// Whether this is a scenario (reports then name the step of each deviation).
    pub fn is_scenario(&self) -> bool {
        self.form == Form::Scenario
    }

    /// Every variable a step may use before any capture: `variables` and `unique` names.
    fn declared(&self) -> impl Iterator<Item = &str> {
        self.variables
            .keys()
            .chain(self.unique.keys())
            .map(String::as_str)
    }
}

/// A cassette that cannot be used, located by file and JSON pointer.
#[derive(Debug, thiserror::Error)]
pub enum CassetteError {
    /// The file or directory could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not JSON.
    // The parser's message (line and column) is the whole story, so it is part of this
    // message and deliberately not a `source`: printed with `{:#}` it would appear twice.
    #[error("{}: not JSON: {error}", path.display())]
    NotJson {
        /// The file.
        path: PathBuf,
        /// Parser message with line and column.
        error: serde_json::Error,
    },
    /// The JSON does not follow the cassette format.
    #[error("{}: at \"{pointer}\": {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// JSON pointer into the file.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// Two cassettes share a name, so their reports would be ambiguous.
    #[error("{}: name \"{name}\" is already used by {}", path.display(), first.display())]
    DuplicateName {
        /// The later file.
        path: PathBuf,
        /// The name.
        name: String,
        /// The file that used it first.
        first: PathBuf,
    },
}

impl Cassette {
    /// Parses and checks one cassette; `path` only names the source in errors.
    pub fn from_json_str(path: &Path, text: &str) -> Result<Cassette, CassetteError> {
        let value: Value = serde_json::from_str(text).map_err(|error| CassetteError::NotJson {
            path: path.to_path_buf(),
            error,
        })?;
        Cassette::from_value(path, &value)
    }

    /// Checks a parsed cassette against the format.
    pub fn from_value(path: &Path, value: &Value) -> Result<Cassette, CassetteError> {
        let invalid = |pointer: String, message: String| CassetteError::Invalid {
            path: path.to_path_buf(),
            pointer,
            message,
        };
        // The format is the schema's: Ajv's first error, with its pointer and message, is
        // what a broken cassette is refused with; serde then builds the typed model.
        if let Err(errors) = schema_validator().validate(value, Mode::FirstError)
            && let Some(first) = errors.into_iter().next()
        {
            // Ajv points at the object for `additionalProperties`; point at the offender.
            let named = first
                .params
                .get("additionalProperty")
                .and_then(Value::as_str);
            let pointer = match named {
                Some(key) => {
                    let mut p = first.instance_path.clone();
                    kyc_spec::pointer::push(&mut p, key);
                    p
                }
                None => first.instance_path.clone(),
            };
            return Err(invalid(pointer, first.message.to_string()));
        }
        // Matchers are read by serde, which cannot say where a bad one sits: checked first.
        for (pointer, matcher) in matcher_values(value) {
            Matcher::from_json(matcher).map_err(|m| invalid(pointer, m))?;
        }
        let cassette: Cassette = serde_json::from_value(value.clone())
            .map_err(|e| invalid(String::new(), e.to_string()))?;
        cassette
            .check_steps()
            .map_err(|(pointer, message)| invalid(pointer, message))?;
        Ok(cassette)
    }

    /// What the schema cannot say: step names are distinct, and every placeholder has a value
    /// by the time its step runs (a variable, a unique value, the target's `token`, `login`
    /// or `password`, or a capture of an earlier step; a response may also use its own
    /// step's captures, which are taken before it is compared).
    fn check_steps(&self) -> Result<(), Problem> {
        let prefix = |i: usize| match self.form {
            Form::Exchange => String::new(),
            Form::Scenario => format!("/steps/{i}"),
        };
        let mut known: Vec<&str> = self.declared().chain(RESERVED).collect();
        for (i, step) in self.steps.iter().enumerate() {
            if let Some(first) = self.steps[..i].iter().position(|s| s.name == step.name) {
                return Err((
                    format!("{}/name", prefix(i)),
                    format!(
                        "step name \"{}\" is already used by step {first}",
                        step.name
                    ),
                ));
            }
            let at = prefix(i);
            if let Some(each) = &step.for_each
                && !known.contains(&each.items.as_str())
            {
                return Err((
                    format!("{at}/forEach/in"),
                    format!(
                        "forEach: {} is not a variable, a unique value or captured by an earlier step",
                        each.items
                    ),
                ));
            }
            // A forEach element's fields are bound while its step runs, and only then.
            let element = step.for_each.as_ref().map(|e| e.name.as_str());
            let is_element = |name: &str| {
                element.is_some_and(|e| {
                    name == e || name.strip_prefix(e).is_some_and(|f| f.starts_with('.'))
                })
            };
            if let Some(when) = &step.when
                && !known.contains(&when.var.as_str())
                && !is_element(&when.var)
            {
                return Err((
                    format!("{at}/when/var"),
                    format!(
                        "when: {} is not a variable, a unique value, a forEach element or captured by an earlier step",
                        when.var
                    ),
                ));
            }
            let unknown = |known: &[&str], text: &str, pointer: String| {
                placeholder::names(text)
                    .find(|name| !known.contains(name) && !is_element(name))
                    .map(|name| (pointer, format!("placeholder {{{{{name}}}}} has no value here: it is not a variable, a unique value or captured by an earlier step")))
            };
            let request = &step.request;
            let mut problems = vec![];
            problems.push(unknown(&known, &request.path, format!("{at}/request/path")));
            for (name, value) in &request.headers {
                let pointer = format!("{at}/request/headers/{}", kyc_spec::pointer::escape(name));
                problems.push(unknown(&known, value.as_str().unwrap_or_default(), pointer));
            }
            if let Some(body) = &request.body {
                problems.push(first_unknown(
                    body,
                    &format!("{at}/request/body"),
                    &|t, p| unknown(&known, t, p),
                ));
            }
            if let Some(problem) = problems.into_iter().flatten().next() {
                return Err(problem);
            }
            known.extend(step.capture.keys().map(String::as_str));
            let response = &step.response;
            let mut problems = vec![];
            for (name, value) in &response.headers {
                let pointer = format!("{at}/response/headers/{}", kyc_spec::pointer::escape(name));
                problems.push(unknown(&known, value.as_str().unwrap_or_default(), pointer));
            }
            if let Some(body) = &response.body {
                problems.push(first_unknown(
                    body,
                    &format!("{at}/response/body"),
                    &|t, p| unknown(&known, t, p),
                ));
            }
            for (w, hook) in step.expected_webhooks.iter().enumerate() {
                problems.push(first_unknown(
                    &hook.body,
                    &format!("{at}/expectedWebhooks/{w}/body"),
                    &|t, p| unknown(&known, t, p),
                ));
            }
            if let Some(problem) = problems.into_iter().flatten().next() {
                return Err(problem);
            }
        }
        Ok(())
    }

    /// Reads one cassette file.
    pub fn load(path: &Path) -> Result<Cassette, CassetteError> {
        let text = std::fs::read_to_string(path).map_err(|source| CassetteError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Cassette::from_json_str(path, &text)
    }

    /// The cassette as the pretty JSON it is stored as (two-space indent, trailing newline).
    pub fn to_json_string(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a cassette is plain JSON data");
        text.push('\n');
        text
    }
}

/// A problem found in a cassette: the JSON pointer to it and what is wrong.
type Problem = (String, String);

/// Placeholder names the run fills: the target's session token, the credentials it logged in
/// with, and the case's callback address on the run's webhook receiver (when it has one).
pub const RESERVED: [&str; 4] = ["token", "login", "password", "webhook"];

/// The first string in `value` for which `check` reports a problem, walking in document order.
fn first_unknown(
    value: &Value,
    pointer: &str,
    check: &dyn Fn(&str, String) -> Option<Problem>,
) -> Option<Problem> {
    match value {
        Value::String(s) => check(s, pointer.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| first_unknown(v, &format!("{pointer}/{i}"), check)),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            first_unknown(
                v,
                &format!("{pointer}/{}", kyc_spec::pointer::escape(k)),
                check,
            )
        }),
        _ => None,
    }
}

/// Every matcher of a cassette file (`match` of the file and of each step), with its pointer.
fn matcher_values(value: &Value) -> Vec<(String, &Value)> {
    let mut places = vec![(String::new(), value)];
    if let Some(steps) = value.get("steps").and_then(Value::as_array) {
        places.extend(
            steps
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("/steps/{i}"), s)),
        );
    }
    let mut out = Vec::new();
    for (at, place) in places {
        if let Some(Value::Object(map)) = place.get("match") {
            for (pointer, matcher) in map {
                let escaped = kyc_spec::pointer::escape(pointer);
                out.push((format!("{at}/match/{escaped}"), matcher));
            }
        }
    }
    out
}

/// The file in a cassette directory that holds the suite's default matchers. Files whose name
/// starts with `_` are never cassettes.
pub const DEFAULTS_FILE: &str = "_defaults.json";

/// Reads a suite's defaults file: `{"description"?, "match": {pointer: matcher}}`.
pub fn load_defaults(path: &Path) -> Result<Matchers, CassetteError> {
    let text = std::fs::read_to_string(path).map_err(|source| CassetteError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|error| CassetteError::NotJson {
        path: path.to_path_buf(),
        error,
    })?;
    let invalid = |pointer: String, message: String| CassetteError::Invalid {
        path: path.to_path_buf(),
        pointer,
        message,
    };
    let Value::Object(map) = &value else {
        return Err(invalid(String::new(), "must be an object".into()));
    };
    if let Some(key) = map
        .keys()
        .find(|k| !matches!(k.as_str(), "description" | "match"))
    {
        return Err(invalid(
            format!("/{}", kyc_spec::pointer::escape(key)),
            "unknown key: a defaults file holds \"description\" and \"match\"".into(),
        ));
    }
    let matchers = match map.get("match") {
        None => return Ok(Matchers::new()),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(invalid("/match".into(), "must be an object".into())),
    };
    let mut out = Matchers::new();
    for (key, matcher) in matchers {
        let at = format!("/match/{}", kyc_spec::pointer::escape(key));
        if !key.is_empty() && !key.starts_with('/') {
            return Err(invalid(at, "a matcher's key is a JSON pointer".into()));
        }
        out.insert(
            key.clone(),
            Matcher::from_json(matcher).map_err(|m| invalid(at, m))?,
        );
    }
    Ok(out)
}

/// Reads every `*.json` file in `dir` (not recursively), sorted by file name, except those
/// whose name starts with `_`; the suite's defaults file, when there is one, is given to each.
pub fn load_dir(dir: &Path) -> Result<Vec<(PathBuf, Cassette)>, CassetteError> {
    let defaults_path = dir.join(DEFAULTS_FILE);
    let defaults = if defaults_path.is_file() {
        Arc::new(load_defaults(&defaults_path)?)
    } else {
        Arc::default()
    };
    let io = |source| CassetteError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('_'));
        if path.extension().is_some_and(|e| e == "json") && path.is_file() && !hidden {
            files.push(path);
        }
    }
    files.sort();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut out = Vec::with_capacity(files.len());
    for path in files {
        let mut cassette = Cassette::load(&path)?;
        cassette.defaults = defaults.clone();
        if let Some(first) = seen.get(&cassette.name) {
            return Err(CassetteError::DuplicateName {
                path,
                name: cassette.name,
                first: first.clone(),
            });
        }
        seen.insert(cassette.name.clone(), path.clone());
        out.push((path, cassette));
    }
    Ok(out)
}

/// The compiled cassette schema, from the contract crate's one cache.
fn schema_validator() -> &'static Validator {
    Validator::embedded(Document::Cassette)
}
