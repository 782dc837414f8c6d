//! The closed vocabulary of deviations: what differs, where, and how much it matters.
//!
//! Severity follows what a client built from the spec would experience:
//! * `breaking`: a client that worked against the recording can now fail (a field or header it
//!   reads is gone, changed type or value, the status changed, the body broke the spec);
//! * `additive`: something new a tolerant client ignores (an extra field, an enum value the
//!   spec does not list, which the generated types keep as an unknown value, DECISIONS.md D11);
//! * `info`: worth seeing, never fails a case (an informational header changed its value).

use serde::Serialize;
use serde_json::Value;

/// Kind of deviation. Closed set: reports, snapshots and baselines key on these names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The status code differs from the recording.
    StatusMismatch,
    /// The answer breaks the spec's schema for its status.
    SchemaViolation,
    /// A recorded field is absent.
    MissingField,
    /// A field the recording does not have.
    UnexpectedField,
    /// Same field, different JSON type.
    TypeMismatch,
    /// Same field and type, different value.
    ValueMismatch,
    /// A value outside the spec's enum.
    UnknownEnumValue,
    /// A recorded header is absent or differs.
    HeaderMismatch,
    /// The body should be JSON and is not.
    BodyNotJson,
    /// Fewer status-change callbacks arrived than the cassette expects.
    MissingWebhook,
    /// A callback is not JSON or breaks `webhook.schema.json` (`path` points into it).
    InvalidWebhook,
}

impl Kind {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::StatusMismatch => "status_mismatch",
            Kind::SchemaViolation => "schema_violation",
            Kind::MissingField => "missing_field",
            Kind::UnexpectedField => "unexpected_field",
            Kind::TypeMismatch => "type_mismatch",
            Kind::ValueMismatch => "value_mismatch",
            Kind::UnknownEnumValue => "unknown_enum_value",
            Kind::HeaderMismatch => "header_mismatch",
            Kind::BodyNotJson => "body_not_json",
            Kind::MissingWebhook => "missing_webhook",
            Kind::InvalidWebhook => "invalid_webhook",
        }
    }
}

/// How much a deviation matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A client built against the recording can break.
    Breaking,
    /// New, ignorable by a tolerant client.
    Additive,
    /// Informational; never fails a case.
    Info,
}

impl Severity {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Additive => "additive",
            Severity::Info => "info",
        }
    }

    /// Whether a deviation of this severity fails its case.
    pub fn fails(self) -> bool {
        !matches!(self, Severity::Info)
    }
}

/// One departure from the recording or from the spec.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Deviation {
    /// What kind.
    pub kind: Kind,
    /// JSON pointer into the body (`""` for the status, headers and the body as a whole).
    pub path: String,
    /// How much it matters.
    pub severity: Severity,
    /// What the recording or the spec says (`null` when there is nothing to show).
    pub expected: Value,
    /// What the target answered (`null` when absent).
    pub actual: Value,
    /// One line for people.
    pub message: String,
    /// The scenario step it was found in; absent for a single exchange.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<StepRef>,
    /// How this run judged it: its fingerprint, the matcher that applied, whether it was
    /// accepted and whether it fails its case.
    #[serde(flatten)]
    pub mark: Mark,
}

impl Deviation {
    /// Whether it fails its case: the verdict of the policy it was marked with, or, before a
    /// run marked it, its severity's.
    pub fn fails(&self) -> bool {
        if self.mark.fingerprint.is_empty() {
            self.severity.fails()
        } else {
            self.mark.fails
        }
    }
}

/// What a run adds to a deviation once it is found: identity across runs and the verdict of
/// the run's policy ([`super::policy::Policy`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Mark {
    /// Stable identity across runs: a hash of the case, the step's name, the operation, the
    /// pointer and the kind (never of a value, so it survives redaction and new ids).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fingerprint: String,
    /// The cassette's matcher that judged this place, when it is not `exact`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// A known difference (`replay --accept`): shown, never fails its case.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub accepted: bool,
    /// Whether it fails its case under this run's policy (breaking always; additive only when
    /// strict; accepted and info never).
    #[serde(skip)]
    pub fails: bool,
}

impl StepRef {
    /// How reports name it: `step 2 (upload)`, or `step 2 (upload, element 1)` in a `forEach`.
    pub fn label(&self) -> String {
        match self.iteration {
            None => format!("step {} ({})", self.index, self.name),
            Some(i) => format!("step {} ({}, element {i})", self.index, self.name),
        }
    }
}

/// A step of a scenario, as reports name it: its index (from 0) and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepRef {
    /// Position in the scenario, from 0.
    pub index: usize,
    /// The step's name.
    pub name: String,
    /// For a `forEach` step, which element of its array (from 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iteration: Option<usize>,
}
