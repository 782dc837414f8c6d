//! The move from the deprecated `/customer/kyc/*` operations to `/akepa`: the correspondence
//! table (`spec/migration.json`: which operation replaces which, which field went where, how
//! the status vocabularies translate) and the static diff computed from it and the schemas.
//!
//! The table holds only what no schema can say. Types, requiredness, constraints, enum values
//! and error codes are read from the schema files and the contract each time, so the diff
//! follows them when they change; a table entry naming a field or an operation the contract
//! does not have is refused when the table is loaded, with its JSON pointer.
//!
//! Changes are classified the way oasdiff classifies an API's: what breaks a client that
//! keeps its code (`breaking`), what may break it (`warning`), what it can ignore (`info`),
//! with the client's side in mind: a request field is what the client sends, an answer or
//! webhook field what it reads.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::contract::{Contract, Operation};
use crate::fields::{self, Field, Node};

const SOURCE: &str = include_str!("../migration.json");

/// A broken correspondence table.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// Not JSON of the table's shape.
    #[error("spec/migration.json is not a correspondence table: {0}")]
    Malformed(#[source] serde_json::Error),
    /// An entry names something the contract does not have.
    #[error("spec/migration.json{pointer}: {problem}")]
    Unknown {
        /// Where in the table.
        pointer: String,
        /// What is wrong.
        problem: String,
    },
}

/// Where a field sits in an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    /// A path parameter (`/customerId` for `{customerId}`).
    Path,
    /// The request body.
    Request,
    /// The success answer's body.
    Response,
    /// The callback's body.
    Webhook,
}

impl Place {
    fn parse(text: &str) -> Option<Place> {
        match text {
            "path" => Some(Place::Path),
            "request" => Some(Place::Request),
            "response" => Some(Place::Response),
            "webhook" => Some(Place::Webhook),
            _ => None,
        }
    }

    /// `path`, `request`, `response`, `webhook`.
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Path => "path",
            Place::Request => "request",
            Place::Response => "response",
            Place::Webhook => "webhook",
        }
    }

    /// The client writes this place (a path or a request) rather than reads it.
    pub fn sent(self) -> bool {
        matches!(self, Place::Path | Place::Request)
    }
}

/// A field of one operation: `kycInit request /webhookURL`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// The operation's id.
    pub operation: String,
    /// Where in its exchange.
    pub place: Place,
    /// Instance pointer, `*` for array items.
    pub pointer: String,
}

impl Address {
    fn parse(text: &str, contract: &Contract, at: &str) -> Result<Address, MigrationError> {
        let unknown = |problem: String| MigrationError::Unknown {
            pointer: at.to_owned(),
            problem,
        };
        let mut parts = text.splitn(3, ' ');
        let (Some(op), Some(place), Some(pointer)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(unknown(format!(
                "`{text}` is not `<operationId> <place> <pointer>`"
            )));
        };
        let operation = contract
            .by_id(op)
            .ok_or_else(|| unknown(format!("no operation {op} in spec/contract.json")))?;
        let place = Place::parse(place).ok_or_else(|| {
            unknown(format!(
                "`{place}` is not a place (path, request, response, webhook)"
            ))
        })?;
        let address = Address {
            operation: op.to_owned(),
            place,
            pointer: pointer.to_owned(),
        };
        if fields::find(&fields_at(operation, place), pointer).is_none() {
            return Err(unknown(format!(
                "{op} has no field {pointer} in its {}",
                place.as_str()
            )));
        }
        Ok(address)
    }

    /// `kycInit request /webhookURL`.
    pub fn text(&self) -> String {
        format!(
            "{} {} {}",
            self.operation,
            self.place.as_str(),
            self.pointer
        )
    }
}

/// Every field an operation has at a place, read from its schemas.
pub fn fields_at(operation: &Operation, place: Place) -> Vec<Field> {
    match place {
        Place::Path => operation
            .parameters
            .iter()
            .filter_map(|p| {
                let schema = p
                    .document
                    .parsed()
                    .pointer(&format!("/$defs/{}", p.definition))?;
                let node = Node {
                    doc: p.document,
                    schema,
                };
                Some(fields::single(node, &format!("/{}", p.name), true))
            })
            .collect(),
        Place::Request => match &operation.request {
            Some(r) => match (r.document, &r.file_field) {
                (Some(doc), _) => fields::of(doc),
                (None, Some(file)) => vec![Field {
                    pointer: format!("/{file}"),
                    types: vec!["string"],
                    required: true,
                    enumeration: None,
                    constraints: [("format", Value::String("binary".into()))].into(),
                    assumed: false,
                }],
                (None, None) => Vec::new(),
            },
            None => Vec::new(),
        },
        Place::Response => operation
            .responses
            .first()
            .map(|r| fields::of(r.document))
            .unwrap_or_default(),
        Place::Webhook => operation
            .webhook
            .as_ref()
            .map(|w| fields::of(w.document))
            .unwrap_or_default(),
    }
}

/// What a successor operation is to the deprecated one, besides the main successor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Another way to do the same (one of them suffices).
    Alternative,
    /// A call the deprecated flow did not need.
    NewStep,
}

/// Another operation of a pair.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Also {
    /// Its id.
    pub operation: String,
    /// What it is to the pair.
    pub role: Role,
    /// One line for people.
    pub note: String,
}

/// A deprecated operation and its successor.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pair {
    /// The deprecated operation's id.
    pub from: String,
    /// Its main successor (`None`: it has none).
    pub to: Option<String>,
    /// Further operations of the successor flow.
    pub also: Vec<Also>,
    /// The part of an integration that calls it ("Starting KYC").
    pub code_path: String,
    /// One line for people.
    pub note: String,
}

/// One explicit correspondence.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Correspondence {
    /// The deprecated field.
    pub from: Address,
    /// Its successor (`None`: it has none; the entry covers the field's subtree).
    pub to: Option<Address>,
    /// The vocabulary its values translate through.
    pub vocabulary: Option<String>,
    /// One line for people.
    pub note: String,
}

/// One value of a deprecated vocabulary and what it became.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Translation {
    /// The deprecated value.
    pub from: String,
    /// The successor values it corresponds to (any one of them).
    pub to: Vec<String>,
    /// One line for people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// Two enumerations side by side, with the table's translation.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Vocabulary {
    /// Stable id (`kyc-status`).
    pub id: String,
    /// For people.
    pub title: String,
    /// The deprecated enum's field.
    pub from: Address,
    /// The successor enum's field.
    pub to: Address,
    /// Every deprecated value, in the deprecated enum's order.
    pub pairs: Vec<Translation>,
}

impl Vocabulary {
    /// Whether `successor` is a translation of `deprecated`.
    pub fn translates(&self, deprecated: &str, successor: &str) -> bool {
        self.pairs
            .iter()
            .any(|p| p.from == deprecated && p.to.iter().any(|t| t == successor))
    }
}

/// One step of a flow.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowStep {
    /// The operation's id.
    pub operation: String,
    /// What happens at this step.
    pub note: String,
}

/// A task done by a sequence of calls, before and after.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flow {
    /// Stable id.
    pub id: String,
    /// For people.
    pub title: String,
    /// The deprecated calls, in order.
    pub deprecated: Vec<FlowStep>,
    /// The akepa calls, in order.
    pub akepa: Vec<FlowStep>,
}

/// What the migration checklist says beyond the diff: the headings of the groups no
/// operation names, and the notes that hold whatever the fields say (a fact of the akepa
/// contract that no schema can carry, such as when callbacks come).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChecklistText {
    /// The heading of the webhook fields' items.
    pub webhooks: String,
    /// The heading of the vocabularies' items.
    pub vocabularies: String,
    /// The heading of what a target showed.
    pub target: String,
    /// Items that stand on their own.
    pub notes: Vec<Note>,
}

/// One item of the checklist that stands on its own.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Note {
    /// The group it goes in.
    pub code_path: String,
    /// How much it matters.
    pub severity: Severity,
    /// What to do.
    pub text: String,
}

/// The correspondence table, checked against the contract.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Migration {
    /// Deprecated operations and their successors.
    pub operations: Vec<Pair>,
    /// Explicit field correspondences.
    pub fields: Vec<Correspondence>,
    /// Translated vocabularies.
    pub vocabularies: Vec<Vocabulary>,
    /// Flows before and after.
    pub flows: Vec<Flow>,
    /// The checklist's own headings and notes.
    pub checklist: ChecklistText,
}

mod raw {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Table {
        #[serde(rename = "$comment")]
        pub _comment: Option<String>,
        pub operations: Vec<Pair>,
        pub fields: Vec<Correspondence>,
        pub vocabularies: Vec<Vocabulary>,
        pub flows: Vec<super::Flow>,
        pub checklist: super::ChecklistText,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct Pair {
        pub from: String,
        pub to: Option<String>,
        #[serde(default)]
        pub also: Vec<Also>,
        pub code_path: String,
        pub note: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Also {
        pub operation: String,
        pub role: super::Role,
        pub note: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Correspondence {
        pub from: String,
        pub to: Option<String>,
        pub vocabulary: Option<String>,
        pub note: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Vocabulary {
        pub id: String,
        pub title: String,
        pub from: String,
        pub to: String,
        pub pairs: Vec<super::Translation>,
    }
}

impl Migration {
    /// The embedded `spec/migration.json`, checked against the embedded contract once.
    ///
    /// # Panics
    ///
    /// When the embedded table is broken: the crate's tests load it, so this means the binary
    /// was built from a broken checkout.
    pub fn embedded() -> &'static Migration {
        static TABLE: OnceLock<Migration> = OnceLock::new();
        TABLE.get_or_init(|| {
            Migration::parse(SOURCE, Contract::embedded())
                .unwrap_or_else(|e| panic!("embedded migration table: {e}"))
        })
    }

    /// Parses a table and checks every name in it against `contract`.
    pub fn parse(text: &str, contract: &Contract) -> Result<Migration, MigrationError> {
        let table: raw::Table = serde_json::from_str(text).map_err(MigrationError::Malformed)?;
        let op = |id: &str, at: String| {
            contract
                .by_id(id)
                .map(|_| id.to_owned())
                .ok_or_else(|| MigrationError::Unknown {
                    pointer: at,
                    problem: format!("no operation {id} in spec/contract.json"),
                })
        };
        let mut operations = Vec::new();
        for (i, p) in table.operations.into_iter().enumerate() {
            let at = format!("/operations/{i}");
            let mut also = Vec::new();
            for (j, a) in p.also.into_iter().enumerate() {
                also.push(Also {
                    operation: op(&a.operation, format!("{at}/also/{j}/operation"))?,
                    role: a.role,
                    note: a.note,
                });
            }
            operations.push(Pair {
                from: op(&p.from, format!("{at}/from"))?,
                to: p.to.map(|t| op(&t, format!("{at}/to"))).transpose()?,
                also,
                code_path: p.code_path,
                note: p.note,
            });
        }
        let mut vocabularies = Vec::new();
        for (i, v) in table.vocabularies.into_iter().enumerate() {
            let at = format!("/vocabularies/{i}");
            let from = Address::parse(&v.from, contract, &format!("{at}/from"))?;
            let to = Address::parse(&v.to, contract, &format!("{at}/to"))?;
            let values = |a: &Address| enum_values(contract, a);
            let (known_from, known_to) = (values(&from), values(&to));
            for (j, t) in v.pairs.iter().enumerate() {
                let bad = std::iter::once(&t.from)
                    .filter(|f| !known_from.contains(f))
                    .chain(t.to.iter().filter(|x| !known_to.contains(x)))
                    .next();
                if let Some(value) = bad {
                    return Err(MigrationError::Unknown {
                        pointer: format!("{at}/pairs/{j}"),
                        problem: format!("{value} is not a value of either enum"),
                    });
                }
            }
            vocabularies.push(Vocabulary {
                id: v.id,
                title: v.title,
                from,
                to,
                pairs: v.pairs,
            });
        }
        let mut fields = Vec::new();
        for (i, c) in table.fields.into_iter().enumerate() {
            let at = format!("/fields/{i}");
            if let Some(v) = &c.vocabulary
                && !vocabularies.iter().any(|x: &Vocabulary| &x.id == v)
            {
                return Err(MigrationError::Unknown {
                    pointer: format!("{at}/vocabulary"),
                    problem: format!("no vocabulary {v}"),
                });
            }
            fields.push(Correspondence {
                from: Address::parse(&c.from, contract, &format!("{at}/from"))?,
                to: c
                    .to
                    .map(|t| Address::parse(&t, contract, &format!("{at}/to")))
                    .transpose()?,
                vocabulary: c.vocabulary,
                note: c.note,
            });
        }
        for (i, f) in table.flows.iter().enumerate() {
            for (side, steps) in [("deprecated", &f.deprecated), ("akepa", &f.akepa)] {
                for (j, s) in steps.iter().enumerate() {
                    op(&s.operation, format!("/flows/{i}/{side}/{j}/operation"))?;
                }
            }
        }
        Ok(Migration {
            operations,
            fields,
            vocabularies,
            flows: table.flows,
            checklist: table.checklist,
        })
    }

    /// The vocabulary with this id.
    pub fn vocabulary(&self, id: &str) -> Option<&Vocabulary> {
        self.vocabularies.iter().find(|v| v.id == id)
    }

    /// The explicit entry for a deprecated field, or the nearest one above it (which covers
    /// it when it has no successor, or carries it along when its parent moved).
    pub fn correspondence(&self, from: &Address) -> Option<(&Correspondence, bool)> {
        let same_place =
            |c: &&Correspondence| c.from.operation == from.operation && c.from.place == from.place;
        if let Some(c) = self
            .fields
            .iter()
            .filter(same_place)
            .find(|c| c.from.pointer == from.pointer)
        {
            return Some((c, true));
        }
        self.fields
            .iter()
            .filter(same_place)
            .filter(|c| is_below(&from.pointer, &c.from.pointer))
            .max_by_key(|c| c.from.pointer.len())
            .map(|c| (c, false))
    }
}

fn is_below(pointer: &str, ancestor: &str) -> bool {
    pointer
        .strip_prefix(ancestor)
        .is_some_and(|rest| rest.starts_with('/'))
}

fn enum_values(contract: &Contract, a: &Address) -> Vec<String> {
    contract
        .by_id(&a.operation)
        .map(|op| fields_at(op, a.place))
        .and_then(|fs| {
            fields::find(&fs, &a.pointer)
                .and_then(|f| f.enumeration.clone())
                .map(|vs| {
                    vs.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
        })
        .unwrap_or_default()
}

/// How much a change can hurt a client that keeps its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The client must change.
    Breaking,
    /// The client may have to change.
    Warning,
    /// Nothing to change.
    Info,
}

/// The closed vocabulary of field changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Same parent, another name.
    Renamed,
    /// Another parent, another place or another operation.
    Moved,
    /// No successor.
    Removed,
    /// Only on the successor.
    Added,
    /// Must be sent now.
    RequiredNow,
    /// May be left out (sent) or may be missing (read) now.
    OptionalNow,
    /// Other JSON types.
    Retyped,
    /// A constraint keyword changed.
    ConstraintChanged,
    /// Enum values added or removed.
    EnumChanged,
    /// The values are another vocabulary, translated by the table.
    VocabularyChanged,
    /// The operation takes another HTTP method.
    MethodChanged,
}

/// One change of a field.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// How much it hurts.
    pub severity: Severity,
    /// What exactly, for people (`maxLength 36 → 32`).
    pub detail: String,
}

/// A deprecated field and its successor, or a successor's new field.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldDiff {
    /// The deprecated field (`None` for a new one).
    pub from: Option<String>,
    /// The successor field (`None` when removed).
    pub to: Option<String>,
    /// Its changes; empty when it carried over unchanged.
    pub changes: Vec<Change>,
    /// The worst of the changes' severities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// How many fields below it the same verdict covers (a removed record's members).
    #[serde(skip_serializing_if = "is_zero")]
    pub covers: usize,
    /// Those fields' pointers, so that every field of both contracts is in the diff.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub covered: Vec<String>,
    /// Either side rests on an assumption (`x-assumption`, a DECISIONS.md choice), not on
    /// connectFi's docs: a change to verify against the sandbox before acting on it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub assumed: bool,
    /// The table's note.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// An error code on either side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDiff {
    /// The `code` value.
    pub code: String,
    /// Its statuses on the deprecated operation (`None`: not answered there).
    pub from: Option<Vec<u16>>,
    /// Its statuses on the successor flow (`None`: not answered there).
    pub to: Option<Vec<u16>>,
    /// `kept`, `removed` or `added`.
    pub change: &'static str,
    /// An integration's error handling must learn or may forget it.
    pub severity: Severity,
}

/// One operation pair's diff.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationDiff {
    /// The table's pair.
    #[serde(flatten)]
    pub pair: Pair,
    /// `POST /customer/kyc/init` and its successor's, for people.
    pub from_route: String,
    /// The successor's route.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_route: Option<String>,
    /// The operation-level change, when there is one (no successor, new steps).
    pub changes: Vec<Change>,
    /// Field by field, deprecated fields first in schema order, then the new ones.
    pub fields: Vec<FieldDiff>,
    /// Error codes side by side.
    pub errors: Vec<ErrorDiff>,
}

/// Counts of changes by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Breaking changes.
    pub breaking: usize,
    /// Warnings.
    pub warning: usize,
    /// Informational.
    pub info: usize,
}

impl Counts {
    fn add(&mut self, s: Severity) {
        match s {
            Severity::Breaking => self.breaking += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
        }
    }
}

/// A vocabulary side by side: both enums complete, the table's translation.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VocabularyDiff {
    /// The table's vocabulary.
    #[serde(flatten)]
    pub vocabulary: Vocabulary,
    /// Every deprecated value.
    pub from_values: Vec<String>,
    /// Every successor value.
    pub to_values: Vec<String>,
    /// Deprecated values the table does not translate.
    pub untranslated: Vec<String>,
    /// Successor values no deprecated value translates to (new states to handle).
    pub new_values: Vec<String>,
}

/// The whole static diff.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaticDiff {
    /// Counts over every operation and field change.
    pub counts: Counts,
    /// One entry per deprecated operation.
    pub operations: Vec<OperationDiff>,
    /// Vocabularies side by side.
    pub vocabularies: Vec<VocabularyDiff>,
    /// Flows before and after.
    pub flows: Vec<Flow>,
    /// Successor operations no pair names (new capabilities).
    pub added_operations: Vec<String>,
}

impl Migration {
    /// The static diff of the two contracts, read through the table.
    pub fn diff(&self, contract: &Contract) -> StaticDiff {
        let mut operations = Vec::new();
        let mut counts = Counts::default();
        for pair in &self.operations {
            let d = self.diff_pair(contract, pair);
            for c in &d.changes {
                counts.add(c.severity);
            }
            for f in &d.fields {
                for c in &f.changes {
                    counts.add(c.severity);
                }
            }
            for e in &d.errors {
                if e.change != "kept" {
                    counts.add(e.severity);
                }
            }
            operations.push(d);
        }
        let vocabularies = self
            .vocabularies
            .iter()
            .map(|v| {
                let from_values = enum_values(contract, &v.from);
                let to_values = enum_values(contract, &v.to);
                let untranslated = from_values
                    .iter()
                    .filter(|f| !v.pairs.iter().any(|p| &p.from == *f))
                    .cloned()
                    .collect();
                let new_values = to_values
                    .iter()
                    .filter(|t| !v.pairs.iter().any(|p| p.to.contains(t)))
                    .cloned()
                    .collect();
                VocabularyDiff {
                    vocabulary: v.clone(),
                    from_values,
                    to_values,
                    untranslated,
                    new_values,
                }
            })
            .collect();
        let named: Vec<&str> = self
            .operations
            .iter()
            .flat_map(|p| {
                p.to.iter()
                    .map(String::as_str)
                    .chain(p.also.iter().map(|a| a.operation.as_str()))
            })
            .collect();
        let added_operations = contract
            .operations()
            .iter()
            .filter(|o| {
                o.family == crate::contract::Family::Akepa && !named.contains(&o.id.as_str())
            })
            .map(|o| o.id.clone())
            .collect();
        StaticDiff {
            counts,
            operations,
            vocabularies,
            flows: self.flows.clone(),
            added_operations,
        }
    }

    fn diff_pair(&self, contract: &Contract, pair: &Pair) -> OperationDiff {
        let route = |id: &str| contract.by_id(id).map(|o| o.route()).unwrap_or_default();
        let from_op = contract.by_id(&pair.from);
        let to_op = pair.to.as_deref().and_then(|t| contract.by_id(t));
        let mut changes = Vec::new();
        match &pair.to {
            None => changes.push(Change {
                kind: ChangeKind::Removed,
                severity: Severity::Breaking,
                detail: format!(
                    "{} has no successor; none of its {} fields carries over",
                    route(&pair.from),
                    from_op.map_or(0, |op| [Place::Path, Place::Request, Place::Response]
                        .iter()
                        .map(|p| fields_at(op, *p).len())
                        .sum())
                ),
            }),
            Some(to) => {
                for a in pair.also.iter().filter(|a| a.role == Role::NewStep) {
                    changes.push(Change {
                        kind: ChangeKind::Added,
                        severity: Severity::Breaking,
                        detail: format!(
                            "a new call, {}, beside {}",
                            route(&a.operation),
                            route(to)
                        ),
                    });
                }
            }
        }
        let mut rows = Vec::new();
        // Every successor field some deprecated field reaches, so the rest are new.
        let mut reached: Vec<String> = Vec::new();
        // An operation without a successor is one change, not one per field.
        if let (Some(from_op), Some(_)) = (from_op, &pair.to) {
            for place in [Place::Path, Place::Request, Place::Response, Place::Webhook] {
                let from_fields = fields_at(from_op, place);
                for f in &from_fields {
                    let address = Address {
                        operation: pair.from.clone(),
                        place,
                        pointer: f.pointer.clone(),
                    };
                    match self.field_row(contract, to_op, &address, f, &mut reached) {
                        Ok(row) => rows.push(row),
                        Err(by) => {
                            if let Some(row) =
                                rows.iter_mut().find(|r| r.from.as_ref() == Some(&by))
                            {
                                row.covers += 1;
                                row.covered.push(f.pointer.clone());
                            }
                        }
                    }
                }
            }
        }
        if let Some(to_op) = to_op {
            let every = [Place::Path, Place::Request, Place::Response, Place::Webhook];
            added_rows(to_op, &every, &reached, &mut rows);
            // A new call's answer is all new; what the client must send it is what matters.
            for a in pair.also.iter().filter(|a| a.role == Role::NewStep) {
                if let Some(op) = contract.by_id(&a.operation) {
                    added_rows(op, &[Place::Path, Place::Request], &reached, &mut rows);
                }
            }
            if let Some(from_op) = from_op
                && from_op.method != to_op.method
            {
                changes.push(Change {
                    kind: ChangeKind::MethodChanged,
                    severity: Severity::Breaking,
                    detail: format!("{} → {}", from_op.method.as_str(), to_op.method.as_str()),
                });
            }
        }
        OperationDiff {
            from_route: route(&pair.from),
            to_route: pair.to.as_deref().map(route),
            changes,
            fields: rows,
            errors: errors(contract, pair),
            pair: pair.clone(),
        }
    }

    /// The row of one deprecated field, or the address of the entry above it that covers it.
    fn field_row(
        &self,
        contract: &Contract,
        to_op: Option<&Operation>,
        from: &Address,
        field: &Field,
        reached: &mut Vec<String>,
    ) -> Result<FieldDiff, String> {
        let entry = self.correspondence(from);
        let (target, note, vocabulary) = match entry {
            Some((c, true)) => (c.to.clone(), c.note.clone(), c.vocabulary.clone()),
            // Below an entry without a successor: that row covers this field.
            Some((c, false)) if c.to.is_none() => return Err(c.from.text()),
            Some((c, false)) => {
                // Carried along with a parent that moved.
                let to = c.to.as_ref().map(|t| Address {
                    pointer: format!("{}{}", t.pointer, &from.pointer[c.from.pointer.len()..]),
                    ..t.clone()
                });
                (to, String::new(), None)
            }
            None => {
                let same = to_op.and_then(|op| {
                    fields::find(&fields_at(op, from.place), &from.pointer).map(|_| Address {
                        operation: op.id.clone(),
                        ..from.clone()
                    })
                });
                (same, String::new(), None)
            }
        };
        let from_text = Some(from.text());
        let Some(target) = target else {
            // Sent: the successor refuses what it does not take (every akepa request is
            // closed with additionalProperties: false). Read: a client that relied on a
            // required field breaks; an optional one it had to do without already (oasdiff
            // grades the removal of an optional response property a warning).
            let severity = if from.place.sent() || field.required {
                Severity::Breaking
            } else {
                Severity::Warning
            };
            let change = Change {
                kind: ChangeKind::Removed,
                severity,
                detail: if from.place.sent() {
                    "the successor does not take it".to_owned()
                } else {
                    "the successor does not send it".to_owned()
                },
            };
            return Ok(FieldDiff {
                from: from_text,
                to: None,
                severity: Some(severity),
                changes: vec![change],
                covers: 0,
                covered: Vec::new(),
                assumed: field.assumed,
                note,
            });
        };
        reached.push(target.text());
        let successor = contract
            .by_id(&target.operation)
            .map(|op| fields_at(op, target.place))
            .and_then(|fs| fields::find(&fs, &target.pointer).cloned());
        let mut changes = Vec::new();
        if to_op.is_none_or(|op| op.id != target.operation)
            || target.place != from.place
            || parent(&target.pointer) != parent(&from.pointer)
        {
            changes.push(Change {
                kind: ChangeKind::Moved,
                severity: Severity::Breaking,
                detail: format!("now {}", target.text()),
            });
        } else if target.pointer != from.pointer {
            changes.push(Change {
                kind: ChangeKind::Renamed,
                severity: Severity::Breaking,
                detail: format!("{} → {}", last(&from.pointer), last(&target.pointer)),
            });
        }
        if let Some(to) = &successor {
            compare(
                field,
                to,
                from.place.sent(),
                vocabulary.as_deref(),
                &mut changes,
            );
        }
        let severity = changes.iter().map(|c| c.severity).min();
        Ok(FieldDiff {
            from: from_text,
            to: Some(target.text()),
            changes,
            severity,
            covers: 0,
            covered: Vec::new(),
            assumed: field.assumed || successor.as_ref().is_some_and(|s| s.assumed),
            note,
        })
    }
}

/// The rows of `op`'s fields at `places` that no deprecated field reached: required ones the
/// client must now send, the others added. A new record's members are covered by its row.
fn added_rows(op: &Operation, places: &[Place], reached: &[String], rows: &mut Vec<FieldDiff>) {
    for &place in places {
        let mut last_added: Option<String> = None;
        for f in fields_at(op, place) {
            let text = format!("{} {} {}", op.id, place.as_str(), f.pointer);
            if reached.contains(&text) {
                continue;
            }
            if let Some(parent) = &last_added
                && is_below(&f.pointer, parent)
            {
                if let Some(row) = rows.last_mut() {
                    row.covers += 1;
                    row.covered.push(f.pointer.clone());
                }
                continue;
            }
            last_added = Some(f.pointer.clone());
            let change = if place.sent() && f.required {
                Change {
                    kind: ChangeKind::RequiredNow,
                    severity: Severity::Breaking,
                    detail: format!("a new required field ({})", describe(&f)),
                }
            } else {
                Change {
                    kind: ChangeKind::Added,
                    severity: Severity::Info,
                    detail: describe(&f),
                }
            };
            rows.push(FieldDiff {
                from: None,
                to: Some(text),
                severity: Some(change.severity),
                changes: vec![change],
                covers: 0,
                covered: Vec::new(),
                assumed: f.assumed,
                note: String::new(),
            });
        }
    }
}

fn parent(pointer: &str) -> &str {
    pointer.rsplit_once('/').map_or("", |(p, _)| p)
}

fn last(pointer: &str) -> &str {
    pointer.rsplit_once('/').map_or(pointer, |(_, l)| l)
}

fn describe(f: &Field) -> String {
    let mut text = f.types.join(" | ");
    for (k, v) in &f.constraints {
        text.push_str(&format!(", {k} {v}"));
    }
    if let Some(e) = &f.enumeration {
        text.push_str(&format!(", one of {}", Value::Array(e.clone())));
    }
    text
}

/// The changes between a field and its successor. `sent`: the client writes it, so a
/// tighter rule breaks it; otherwise the client reads it, so a wider one may.
fn compare(from: &Field, to: &Field, sent: bool, vocabulary: Option<&str>, out: &mut Vec<Change>) {
    match (from.required, to.required, sent) {
        (false, true, true) => out.push(Change {
            kind: ChangeKind::RequiredNow,
            severity: Severity::Breaking,
            detail: "must be sent now".into(),
        }),
        (true, false, false) => out.push(Change {
            kind: ChangeKind::OptionalNow,
            severity: Severity::Warning,
            detail: "may be missing now".into(),
        }),
        (true, false, true) => out.push(Change {
            kind: ChangeKind::OptionalNow,
            severity: Severity::Info,
            detail: "may be left out now".into(),
        }),
        _ => {}
    }
    if from.types != to.types {
        let widened = from.types.iter().all(|t| to.types.contains(t));
        let narrowed = to.types.iter().all(|t| from.types.contains(t));
        let harmless = if sent { widened } else { narrowed };
        out.push(Change {
            kind: ChangeKind::Retyped,
            severity: if harmless {
                Severity::Info
            } else {
                Severity::Breaking
            },
            detail: format!("{} → {}", from.types.join(" | "), to.types.join(" | ")),
        });
    }
    for key in fields::CONSTRAINTS {
        let (a, b) = (from.constraints.get(key), to.constraints.get(key));
        if a == b {
            continue;
        }
        let tighter = match (key, a, b) {
            (_, None, Some(_)) => true,
            (_, Some(_), None) => false,
            ("maxLength" | "maximum" | "maxItems", Some(a), Some(b)) => b.as_f64() < a.as_f64(),
            ("minLength" | "minimum" | "minItems", Some(a), Some(b)) => b.as_f64() > a.as_f64(),
            // Another pattern or format: neither contains the other as far as a diff knows.
            _ => true,
        };
        let show = |v: Option<&Value>| v.map_or("none".to_owned(), Value::to_string);
        out.push(Change {
            kind: ChangeKind::ConstraintChanged,
            severity: match (sent, tighter) {
                (true, true) => Severity::Breaking,
                (false, false) => Severity::Warning,
                _ => Severity::Info,
            },
            detail: format!("{key} {} → {}", show(a), show(b)),
        });
    }
    if let Some(v) = vocabulary {
        out.push(Change {
            kind: ChangeKind::VocabularyChanged,
            severity: Severity::Breaking,
            detail: format!("values translate through the {v} vocabulary"),
        });
    } else if from.enumeration != to.enumeration {
        let (a, b) = (
            from.enumeration.clone().unwrap_or_default(),
            to.enumeration.clone().unwrap_or_default(),
        );
        let added: Vec<&Value> = b.iter().filter(|v| !a.contains(v)).collect();
        let removed: Vec<&Value> = a.iter().filter(|v| !b.contains(v)).collect();
        // Sent: a value the successor lost is refused. Read: a value it gained surprises an
        // exhaustive match (oasdiff's response-property-enum-value-added).
        let hurts = if sent {
            !removed.is_empty()
        } else {
            !added.is_empty()
        };
        out.push(Change {
            kind: ChangeKind::EnumChanged,
            severity: if hurts {
                if sent {
                    Severity::Breaking
                } else {
                    Severity::Warning
                }
            } else {
                Severity::Info
            },
            detail: format!(
                "added {}, removed {}",
                Value::Array(added.into_iter().cloned().collect()),
                Value::Array(removed.into_iter().cloned().collect())
            ),
        });
    }
}

/// The error codes of the deprecated operation beside those of its successor flow (the
/// successor and its new steps).
fn errors(contract: &Contract, pair: &Pair) -> Vec<ErrorDiff> {
    let codes = |id: &str| {
        contract
            .by_id(id)
            .map(|o| o.errors.clone())
            .unwrap_or_default()
    };
    let from = codes(&pair.from);
    let mut to: Vec<String> = Vec::new();
    for id in pair.to.iter().chain(
        pair.also
            .iter()
            .filter(|a| a.role == Role::NewStep)
            .map(|a| &a.operation),
    ) {
        for c in codes(id) {
            if !to.contains(&c) {
                to.push(c);
            }
        }
    }
    let statuses = |code: &str| {
        contract
            .error_code(code)
            .map(|e| e.statuses.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for code in from.iter().chain(to.iter().filter(|c| !from.contains(c))) {
        let (a, b) = (from.contains(code), to.contains(code) && pair.to.is_some());
        let (change, severity) = match (a, b) {
            (true, true) => ("kept", Severity::Info),
            (true, false) => ("removed", Severity::Info),
            // An answer the error handling has never seen.
            _ => ("added", Severity::Warning),
        };
        out.push(ErrorDiff {
            code: code.clone(),
            from: a.then(|| statuses(code)),
            to: b.then(|| statuses(code)),
            change,
            severity,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff() -> StaticDiff {
        Migration::embedded().diff(Contract::embedded())
    }

    fn row<'d>(d: &'d StaticDiff, from: &str) -> &'d FieldDiff {
        d.operations
            .iter()
            .flat_map(|o| &o.fields)
            .find(|f| f.from.as_deref() == Some(from))
            .unwrap_or_else(|| panic!("no row for {from}"))
    }

    fn kinds(f: &FieldDiff) -> Vec<ChangeKind> {
        f.changes.iter().map(|c| c.kind).collect()
    }

    #[test]
    fn the_embedded_table_names_only_what_the_contract_has() {
        let m = Migration::embedded();
        assert_eq!(m.operations.len(), 4);
        assert!(m.vocabulary("kyc-status").is_some());
    }

    #[test]
    fn the_spelling_change_is_a_breaking_rename() {
        let d = diff();
        let hook = row(&d, "kycInit request /webhookURL");
        assert_eq!(kinds(hook)[0], ChangeKind::Renamed);
        assert_eq!(hook.severity, Some(Severity::Breaking));
        assert_eq!(
            hook.to.as_deref(),
            Some("akepaIdentification request /webhookUrl")
        );
    }

    #[test]
    fn the_reference_is_required_now_and_the_id_pattern_tighter() {
        let d = diff();
        let init = &d.operations[0];
        let reference = init
            .fields
            .iter()
            .find(|f| f.to.as_deref() == Some("akepaIdentification request /reference"))
            .unwrap();
        assert_eq!(reference.from, None);
        assert_eq!(kinds(reference), [ChangeKind::RequiredNow]);
        let id = row(&d, "kycInit request /customerId");
        let pattern = id
            .changes
            .iter()
            .find(|c| c.detail.starts_with("pattern"))
            .expect("common-id refuses the hyphen the deprecated id allowed");
        assert_eq!(pattern.severity, Severity::Breaking);
    }

    #[test]
    fn a_removed_record_is_one_row_covering_its_members() {
        let d = diff();
        let customer = row(&d, "kycInit response /data/customer");
        assert_eq!(kinds(customer), [ChangeKind::Removed]);
        assert!(customer.covers > 10, "{}", customer.covers);
        assert_eq!(customer.covered.len(), customer.covers);
        assert!(
            customer
                .covered
                .contains(&"/data/customer/customer/firstName".to_owned())
        );
        // Its members with a successor of their own keep their rows.
        let moved = row(&d, "kycInit response /data/customer/customerId");
        assert_eq!(kinds(moved)[0], ChangeKind::Moved);
    }

    #[test]
    fn vocabularies_translate_every_deprecated_value() {
        let d = diff();
        for v in &d.vocabularies {
            assert!(
                v.untranslated.is_empty(),
                "{}: {:?}",
                v.vocabulary.id,
                v.untranslated
            );
        }
        let status = &d.vocabularies[0];
        assert!(status.vocabulary.translates("REVIEW", "waiting_review"));
        assert!(!status.vocabulary.translates("REVIEW", "completed"));
        let types = d
            .vocabularies
            .iter()
            .find(|v| v.vocabulary.id == "document-type")
            .unwrap();
        assert!(types.new_values.contains(&"paystub".to_owned()));
    }

    #[test]
    fn errors_side_by_side_show_the_new_404() {
        let d = diff();
        let status = d
            .operations
            .iter()
            .find(|o| o.pair.from == "kycStatus")
            .unwrap();
        let app = status
            .errors
            .iter()
            .find(|e| e.code == "applicationNotFound")
            .unwrap();
        assert_eq!(app.change, "added");
        assert_eq!(app.to.as_deref(), Some(&[404][..]));
        let attrs = d
            .operations
            .iter()
            .find(|o| o.pair.from == "kycAddAttributes")
            .unwrap();
        assert_eq!(attrs.changes[0].kind, ChangeKind::Removed);
        assert!(attrs.errors.iter().all(|e| e.change == "removed"));
        assert!(
            attrs.fields.is_empty(),
            "the operation's removal covers its fields"
        );
    }

    #[test]
    fn a_new_call_owes_its_required_fields_and_the_status_query_changed_method() {
        let d = diff();
        let upload = d
            .operations
            .iter()
            .find(|o| o.pair.from == "kycUpload")
            .unwrap();
        let required: Vec<&str> = upload
            .fields
            .iter()
            .filter(|f| kinds(f) == [ChangeKind::RequiredNow])
            .filter_map(|f| f.to.as_deref())
            .collect();
        for owed in [
            "akepaDocumentGenerate request /workflow",
            "akepaDocumentGenerate request /type",
            "akepaUpdate request /applicationId",
            "akepaUpdate request /documents",
        ] {
            assert!(required.contains(&owed), "{owed} not in {required:?}");
        }
        // The customer's id went into the update's links, so that field is no new one.
        let moved = row(&d, "kycUpload path /customerId");
        assert_eq!(
            moved.to.as_deref(),
            Some("akepaUpdate request /documents/*/entityId")
        );
        let status = d
            .operations
            .iter()
            .find(|o| o.pair.from == "kycStatus")
            .unwrap();
        assert!(
            status
                .changes
                .iter()
                .any(|c| c.kind == ChangeKind::MethodChanged && c.detail == "GET → POST")
        );
    }

    #[test]
    fn changes_resting_on_an_assumption_say_so() {
        let d = diff();
        // The deprecated webhook's payload is not published (D6).
        assert!(row(&d, "kycInit webhook /data/kyc/status").assumed);
        assert!(
            row(&d, "kycInit request /webhookURL").assumed,
            "webhookUrl is an x-assumption"
        );
        assert!(!row(&d, "kycInit request /customerId").assumed);
    }

    #[test]
    fn a_table_naming_an_unknown_field_is_refused_with_its_pointer() {
        let text = SOURCE.replace(
            "\"kycInit request /webhookURL\"",
            "\"kycInit request /webhookUri\"",
        );
        let err = Migration::parse(&text, Contract::embedded()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "spec/migration.json/fields/0/from: kycInit has no field /webhookUri in its request"
        );
    }

    /// The order a note or a response description states for a list: `oldest first` or
    /// `newest first`.
    fn order(text: &str) -> Option<&'static str> {
        let text = text.to_ascii_lowercase();
        ["oldest first", "newest first"]
            .into_iter()
            .find(|o| text.contains(o))
    }

    #[test]
    fn a_note_states_a_lists_order_as_the_contract_does() {
        let m = Migration::embedded();
        let contract = Contract::embedded();
        let mut notes: Vec<(&str, &str)> = Vec::new();
        for p in &m.operations {
            for a in &p.also {
                notes.push((&a.operation, &a.note));
            }
            if let Some(to) = &p.to {
                notes.push((to, &p.note));
            }
        }
        for f in &m.flows {
            for s in f.deprecated.iter().chain(&f.akepa) {
                notes.push((&s.operation, &s.note));
            }
        }
        let mut checked = 0;
        for (operation, note) in notes {
            let Some(said) = order(note) else { continue };
            let op = contract
                .by_id(operation)
                .expect("the table names contract operations");
            let documented: Vec<&str> = op
                .responses
                .iter()
                .filter_map(|r| order(&r.description))
                .collect();
            assert_eq!(
                documented,
                [said],
                "spec/migration.json says {operation} answers {said:?}; spec/contract.json's responses say {documented:?}"
            );
            checked += 1;
        }
        assert!(
            checked > 0,
            "no note states an order: the check checks nothing"
        );
    }
}
