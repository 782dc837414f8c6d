//! The cassette: one recorded exchange, as read from (and written back to) one JSON file.
//!
//! The format is described by `spec/schema/cassette.schema.json`. Loading checks a file
//! against that schema (Ajv-exact errors, so a bad cassette is reported with its file, a JSON
//! pointer and Ajv's message) and then reads it into the typed model below, the one model
//! replay, record and redaction work on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kyc_spec::Document;
use kyc_spec::ajv::{Mode, Validator};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One recorded exchange.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cassette {
    /// Unique case name, shown in reports.
    pub name: String,
    /// What the exchange shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Values for `{{name}}` placeholders.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, String>,
    /// What was sent.
    pub request: RecordedRequest,
    /// What came back.
    pub response: RecordedResponse,
    /// Extra volatile pointers into the response body (`*` = any segment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volatile: Vec<String>,
    /// Arrays matched by a key property rather than by position.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub array_keys: BTreeMap<String, String>,
    /// Callbacks expected after the answer (kept for webhook capture; not checked yet).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expected_webhooks: Vec<ExpectedWebhook>,
    /// Provenance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<Recording>,
}

/// The request half of a cassette.
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

/// The response half of a cassette.
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
        serde_json::from_value(value.clone()).map_err(|e| invalid(String::new(), e.to_string()))
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

/// Reads every `*.json` file in `dir` (not recursively), sorted by file name.
pub fn load_dir(dir: &Path) -> Result<Vec<(PathBuf, Cassette)>, CassetteError> {
    let io = |source| CassetteError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut out = Vec::with_capacity(files.len());
    for path in files {
        let cassette = Cassette::load(&path)?;
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
