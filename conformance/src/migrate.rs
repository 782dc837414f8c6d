//! The migration report: what an integration of the deprecated `/customer/kyc/*` endpoints
//! must change to use `/akepa`.
//!
//! * The static part is `kyc_spec::migration`'s diff of the two contracts (field by field,
//!   vocabularies, error codes, the document flow).
//! * The dynamic part runs paired scenarios (`conformance/migration/<pair>/deprecated.json`
//!   and `akepa.json`: the same invented person through both flows) against a target, and
//!   compares the steps both sides name alike: their statuses, and the fields the
//!   correspondence table pairs, states translated through its vocabularies. Noise is
//!   cancelled the way Diffy does it: the deprecated scenario runs twice, and what differs
//!   between those two runs (ids, request ids, times) is volatile, not a change.
//! * The checklist is derived from both: per code path of an integration, what to change.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use kyc_spec::Contract;
use kyc_spec::migration::{ChangeKind, Migration, Place, Severity, StaticDiff};

use crate::cassette::{Cassette, CassetteError};
use crate::redact::BodyKind;
use crate::runner::client::Session;
use crate::runner::report::{CaseResult, Observed, Outcome};

mod render;

/// Why the paired scenarios could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The directory could not be read.
    #[error("reading {path}")]
    Io {
        /// The directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A pair lacks one of its two files.
    #[error("{dir}: a pair needs deprecated.json and akepa.json")]
    Incomplete {
        /// The pair's directory.
        dir: PathBuf,
    },
    /// A side is not a valid cassette.
    #[error(transparent)]
    Cassette(#[from] CassetteError),
}

/// One person through both flows.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The directory's name.
    pub name: String,
    /// The deprecated flow.
    pub deprecated: Cassette,
    /// The akepa flow.
    pub akepa: Cassette,
}

/// The bundled pairs' directory.
pub fn default_pairs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("migration")
}

/// Every pair under `dir` (one subdirectory each), sorted by name.
pub fn load_pairs(dir: &Path) -> Result<Vec<Pair>, MigrateError> {
    let io = |source| MigrateError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            dirs.push(path);
        }
    }
    dirs.sort();
    let mut pairs = Vec::with_capacity(dirs.len());
    for d in dirs {
        let (dep, akepa) = (d.join("deprecated.json"), d.join("akepa.json"));
        if !dep.is_file() || !akepa.is_file() {
            return Err(MigrateError::Incomplete { dir: d });
        }
        pairs.push(Pair {
            name: d
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            deprecated: Cassette::load(&dep)?,
            akepa: Cassette::load(&akepa)?,
        });
    }
    Ok(pairs)
}

/// How a compared thing stands between the two flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The same value on both.
    Same,
    /// Different values that the correspondence table translates into each other.
    Equivalent,
    /// Different, and not a translation: a change an integration sees.
    Changed,
    /// Different between the deprecated flow's two runs: noise, not a change.
    Volatile,
    /// Only one flow has this step.
    OneSided,
    /// Both flows have this step, but a run stopped before one side got to it.
    NotReached,
}

impl Verdict {
    /// For people.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Same => "same",
            Verdict::Equivalent => "equivalent",
            Verdict::Changed => "changed",
            Verdict::Volatile => "volatile",
            Verdict::OneSided => "one side only",
            Verdict::NotReached => "not reached",
        }
    }

    /// The class a page colours it with.
    pub fn css(self) -> &'static str {
        match self {
            Verdict::Same | Verdict::Equivalent => "ok",
            Verdict::Changed => "bad",
            Verdict::Volatile | Verdict::NotReached => "warn",
            Verdict::OneSided => "muted",
        }
    }
}

/// One flow's step of a stage.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Side {
    /// The operation's route (`POST /customer/kyc/init`), no ids.
    pub request: String,
    /// The answer's status in each run that got to the step (two for the deprecated flow).
    pub statuses: Vec<u16>,
}

/// One paired field's values.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldRun {
    /// Pointer into the deprecated answer.
    pub from: String,
    /// Pointer into the akepa answer.
    pub to: String,
    /// The deprecated value (first run), redacted.
    pub deprecated: Value,
    /// The akepa value, redacted.
    pub akepa: Value,
    /// How they compare.
    pub verdict: Verdict,
}

/// A step both flows name alike (or one flow's own step).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    /// The step name.
    pub name: String,
    /// The deprecated flow's step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Side>,
    /// The akepa flow's step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub akepa: Option<Side>,
    /// How the statuses compare.
    pub status: Verdict,
    /// Why a side did not get to the step: `not reached on akepa: the run stopped at step 3
    /// (status): …`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_reached: Option<String>,
    /// The paired fields of the two answers.
    pub fields: Vec<FieldRun>,
}

/// One pair's run.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PairRun {
    /// The pair's name.
    pub name: String,
    /// The deprecated scenario's description.
    pub description: String,
    /// The three runs' outcomes: deprecated, deprecated again, akepa.
    pub outcomes: [Outcome; 3],
    /// Why a run did not pass (the runner's redacted messages).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
    /// The stages, in flow order.
    pub stages: Vec<Stage>,
    /// Where each of the three runs stopped, for those that did not pass.
    #[serde(skip)]
    pub stops: [Option<String>; 3],
}

/// One thing to change.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// What to do.
    pub text: String,
    /// How much it matters.
    pub severity: Severity,
    /// `contract` (the static diff) or `target` (the paired runs).
    pub source: &'static str,
}

/// The checklist of one code path of an integration.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// "Starting KYC".
    pub code_path: String,
    /// Its items, breaking first.
    pub items: Vec<Item>,
}

/// Counts for the summary.
#[derive(Clone, Copy, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Breaking changes in the contracts.
    pub breaking: usize,
    /// Warnings.
    pub warning: usize,
    /// Informational changes.
    pub info: usize,
    /// Stages compared on the target.
    pub stages: usize,
    /// Stages whose status or a paired field changed.
    pub changed: usize,
    /// Values found volatile (differing between the deprecated flow's two runs).
    pub volatile: usize,
    /// Paired runs made: three per pair (deprecated twice, akepa once).
    pub runs: usize,
    /// Runs (of three per pair) that did not pass.
    pub runs_failed: usize,
    /// Stages both flows have that a run stopped before.
    pub not_reached: usize,
    /// Checklist items.
    pub checklist: usize,
}

/// Whether an integration can migrate on this target, and what to do next.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// Every paired run passed.
    pub ready: bool,
    /// One line: `Not ready: 2 of 6 paired runs failed` or `Ready: …`.
    pub headline: String,
    /// The next action.
    pub next: String,
}

/// Whether the target serves an akepa operation, and who said so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Serving {
    /// The operation's route, `POST /akepa/status`.
    pub route: String,
    /// It answered (`true`), or answered 404 as to a route it does not know (`false`).
    pub served: bool,
    /// `audit akepa-status-form`, or the paired run and step that saw it.
    pub source: String,
}

/// The whole report (`migration.json`, shape `spec/schema/migration.schema.json`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// `mock` or the target's base URL.
    pub target: String,
    /// Ready or not, and the next action.
    pub verdict: Readiness,
    /// The counts.
    pub summary: Summary,
    /// What the target serves, as far as the audit given or the paired runs saw: the
    /// checklist recommends a served alternative over an operation the target does not serve.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub serving: Vec<Serving>,
    /// What to change, per code path.
    pub checklist: Vec<Group>,
    /// The static diff of the two contracts.
    pub contract: StaticDiff,
    /// The paired scenarios on the target.
    pub pairs: Vec<PairRun>,
}

/// What `audit.json` (from `kyc-conformance audit` of the same target) says the target serves:
/// the `akepa-status-form` answer, one entry per status form. Nothing when that question went
/// unanswered.
pub fn serving_from_audit(audit: &Value) -> Result<Vec<Serving>, String> {
    let schema = kyc_spec::ajv::Validator::embedded(kyc_spec::Document::Audit);
    if let Err(errors) = schema.validate(audit, kyc_spec::ajv::Mode::FirstError) {
        let first = errors
            .first()
            .map(|e| format!("{} {}", e.instance_path, e.message))
            .unwrap_or_default();
        return Err(format!(
            "not an audit.json ({}): {first}",
            kyc_spec::Document::Audit.file_name()
        ));
    }
    let form = audit["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|q| q["id"] == "akepa-status-form")
        .and_then(|q| q["answer"].as_object());
    Ok(form
        .into_iter()
        .flatten()
        .filter_map(|(route, answer)| {
            Some(Serving {
                route: route.clone(),
                served: match answer.as_str()? {
                    "served" => true,
                    "not-found" => false,
                    _ => return None,
                },
                source: "the audit's akepa-status-form".to_owned(),
            })
        })
        .collect())
}

/// Builds the report: the static diff, then every pair on the session's target. `known` is
/// what an audit of the same target says it serves; the paired runs add what they saw.
/// The session is set to keep every step's exchange: the stages are compared from them.
pub async fn run(
    session: &mut Session,
    target: &str,
    pairs: &[Pair],
    known: Vec<Serving>,
) -> Report {
    session.set_keep_exchanges(true);
    let session = &*session;
    let contract = Contract::embedded();
    let table = Migration::embedded();
    let diff = table.diff(contract);
    let mut runs = Vec::with_capacity(pairs.len());
    let mut serving = known;
    for pair in pairs {
        let (run, akepa) = run_pair(session, table, pair).await;
        observe_serving(&mut serving, &akepa);
        runs.push(run);
    }
    let checklist = checklist(&diff, &runs, &serving);
    let mut summary = Summary {
        breaking: diff.counts.breaking,
        warning: diff.counts.warning,
        info: diff.counts.info,
        checklist: checklist.iter().map(|g| g.items.len()).sum(),
        runs: runs.len() * 3,
        ..Summary::default()
    };
    for r in &runs {
        summary.runs_failed += r.outcomes.iter().filter(|o| !o.passes()).count();
        for s in &r.stages {
            if s.deprecated.is_some() && s.akepa.is_some() {
                summary.stages += 1;
            }
            if s.status == Verdict::NotReached {
                summary.not_reached += 1;
            }
            if s.status == Verdict::Changed
                || s.fields.iter().any(|f| f.verdict == Verdict::Changed)
            {
                summary.changed += 1;
            }
            summary.volatile += s
                .fields
                .iter()
                .filter(|f| f.verdict == Verdict::Volatile)
                .count()
                + usize::from(s.status == Verdict::Volatile);
        }
    }
    Report {
        target: target.to_owned(),
        verdict: readiness(&summary, &runs, &checklist),
        summary,
        serving,
        checklist,
        contract: diff,
        pairs: runs,
    }
}

/// Ready when every paired run passed; the next action is the first stop to fix, else the
/// changes the target showed, else the checklist.
fn readiness(s: &Summary, runs: &[PairRun], checklist: &[Group]) -> Readiness {
    let breaking: usize = checklist
        .iter()
        .flat_map(|g| &g.items)
        .filter(|i| i.severity == Severity::Breaking)
        .count();
    if s.runs_failed > 0 {
        let first = runs.iter().find_map(|r| r.failures.first());
        let reached = if s.not_reached > 0 {
            format!(", {} stages not reached", s.not_reached)
        } else {
            String::new()
        };
        return Readiness {
            ready: false,
            headline: format!(
                "Not ready: {} of {} paired runs failed{reached}",
                s.runs_failed, s.runs
            ),
            next: match first {
                Some(f) => format!("Fix this first, then run the report again: {f}"),
                None => "Fix the failed runs first, then run the report again.".to_owned(),
            },
        };
    }
    if s.changed > 0 {
        return Readiness {
            ready: true,
            headline: format!(
                "Ready, with {} stages answering otherwise than the table translates: all {} paired runs passed",
                s.changed, s.runs
            ),
            next: format!(
                "Read the checklist's \"{}\" items first, then work through its {breaking} breaking items.",
                Migration::embedded().checklist.target
            ),
        };
    }
    Readiness {
        ready: true,
        headline: format!(
            "Ready: all {} paired runs passed, every compared stage is the same or a translation",
            s.runs
        ),
        next: format!(
            "Work through the checklist, code path by code path: {breaking} breaking items first."
        ),
    }
}

/// Adds what the akepa run saw to `serving`, where nothing says otherwise yet: a 404 that is
/// none of the operation's own not-found codes is a route the target does not know. (What it
/// serves goes without saying: a step that passed.)
fn observe_serving(serving: &mut Vec<Serving>, akepa: &CaseResult) {
    let contract = Contract::embedded();
    for step in &akepa.steps {
        let Some(o) = step.observed.as_ref().filter(|o| o.status == 404) else {
            continue;
        };
        let Some(op) = contract.operation(&o.method, &o.path) else {
            continue;
        };
        let route = op.route();
        let code = o
            .body
            .as_ref()
            .and_then(|b| b.get("code"))
            .and_then(Value::as_str);
        let resource_missing =
            code.is_some_and(|c| c != "notFound" && op.errors.iter().any(|e| e == c));
        if resource_missing || serving.iter().any(|s| s.route == route) {
            continue;
        }
        serving.push(Serving {
            route,
            served: false,
            source: format!(
                "{} step {} ({}) answered 404",
                akepa.name, step.index, step.name
            ),
        });
    }
}

/// A copy of a cassette under another name: its unique values (derived from the name) are
/// fresh, so a second run creates a second customer rather than colliding with the first.
fn renamed(cassette: &Cassette, suffix: &str) -> Cassette {
    let mut c = cassette.clone();
    c.name = format!("{}-{suffix}", c.name);
    c
}

async fn run_pair(session: &Session, table: &Migration, pair: &Pair) -> (PairRun, CaseResult) {
    let first = crate::runner::replay_one(session, &renamed(&pair.deprecated, "run1")).await;
    let second = crate::runner::replay_one(session, &renamed(&pair.deprecated, "run2")).await;
    let akepa = crate::runner::replay_one(session, &pair.akepa).await;
    let mut failures = Vec::new();
    for r in [&first, &second, &akepa] {
        if !r.outcome.passes() {
            failures.push(failure(r));
        }
    }
    let run = PairRun {
        name: pair.name.clone(),
        description: pair.deprecated.description.clone().unwrap_or_default(),
        outcomes: [first.outcome, second.outcome, akepa.outcome],
        failures,
        stages: stages(session, table, &first, &second, &akepa),
        stops: [&first, &second, &akepa].map(|r| (!r.outcome.passes()).then(|| stop(r))),
    };
    (run, akepa)
}

fn failure(r: &CaseResult) -> String {
    format!("{}: {}", r.name, stop(r))
}

/// Where and why a run that did not pass stopped: `step 3 (status): …`.
fn stop(r: &CaseResult) -> String {
    let at = r
        .stopped_at()
        .map(|s| format!("step {} ({})", s.index, s.name))
        .unwrap_or_else(|| "the run".to_owned());
    let why = r
        .error
        .clone()
        .or_else(|| r.stopped_at().and_then(|s| s.reason.clone()))
        .or_else(|| r.deviations.first().map(|d| d.message.clone()))
        .unwrap_or_default();
    if why.is_empty() {
        at
    } else {
        format!("{at}: {why}")
    }
}

/// Why a run has the step `name` but no answer to it: it stopped earlier, or skipped the step.
/// `None` when the run got an answer, or has no such step.
fn unreached(r: &CaseResult, name: &str) -> Option<String> {
    let step = r.steps.iter().find(|s| s.name == name)?;
    if step.observed.is_some() {
        return None;
    }
    Some(match r.stopped_at() {
        Some(at) if at.index < step.index => format!("the run stopped at {}", stop(r)),
        _ => step
            .reason
            .clone()
            .unwrap_or_else(|| "the run did not get to it".to_owned()),
    })
}

/// The stage names in flow order: the akepa flow's, each deprecated-only step after the step
/// it follows in its own flow.
fn stage_names(dep: &CaseResult, akepa: &CaseResult) -> Vec<String> {
    let mut names: Vec<String> = akepa.steps.iter().map(|s| s.name.clone()).collect();
    let mut after: Option<String> = None;
    for s in &dep.steps {
        if !names.contains(&s.name) {
            let at = after
                .as_ref()
                .and_then(|a| names.iter().position(|n| n == a))
                .map_or(0, |i| i + 1);
            names.insert(at, s.name.clone());
        }
        after = Some(s.name.clone());
    }
    names
}

fn observed<'r>(r: &'r CaseResult, name: &str) -> Option<&'r Observed> {
    r.steps
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.observed.as_ref())
}

fn stages(
    session: &Session,
    table: &Migration,
    first: &CaseResult,
    second: &CaseResult,
    akepa: &CaseResult,
) -> Vec<Stage> {
    let contract = Contract::embedded();
    let route = |o: &Observed| {
        contract
            .operation(&o.method, &o.path)
            .map(|op| (op.id.clone(), op.route()))
    };
    let mut out = Vec::new();
    for name in stage_names(first, akepa) {
        let (d1, d2, a) = (
            observed(first, &name),
            observed(second, &name),
            observed(akepa, &name),
        );
        let dep_side = d1.map(|o| Side {
            request: route(o).map(|r| r.1).unwrap_or_default(),
            statuses: [Some(o), d2]
                .into_iter()
                .flatten()
                .map(|o| o.status)
                .collect(),
        });
        let akepa_side = a.map(|o| Side {
            request: route(o).map(|r| r.1).unwrap_or_default(),
            statuses: vec![o.status],
        });
        let not_reached: Vec<String> = [("deprecated", first), ("akepa", akepa)]
            .into_iter()
            .filter_map(|(side, r)| unreached(r, &name).map(|why| format!("on {side}: {why}")))
            .collect();
        let status = match (d1, d2, a) {
            (Some(d1), Some(d2), Some(_)) if d1.status != d2.status => Verdict::Volatile,
            (Some(d1), _, Some(a)) if d1.status == a.status => Verdict::Same,
            (Some(_), _, Some(_)) => Verdict::Changed,
            _ if !not_reached.is_empty() => Verdict::NotReached,
            _ => Verdict::OneSided,
        };
        let not_reached =
            (!not_reached.is_empty()).then(|| format!("not reached {}", not_reached.join("; ")));
        let fields = match (d1, a) {
            (Some(d1), Some(a)) => paired_fields(session, table, d1, d2, a),
            _ => Vec::new(),
        };
        out.push(Stage {
            name,
            deprecated: dep_side,
            akepa: akepa_side,
            status,
            not_reached,
            fields,
        });
    }
    out
}

/// The fields of two answers the table pairs: every correspondence from the deprecated
/// answer's document to the akepa answer's (whichever operations answer with them), and the
/// top-level members both documents have under the same name.
fn paired_fields(
    session: &Session,
    table: &Migration,
    d1: &Observed,
    d2: Option<&Observed>,
    a: &Observed,
) -> Vec<FieldRun> {
    let contract = Contract::embedded();
    let doc = |o: &Observed| contract.response_document(&o.method, &o.path, o.status);
    let (Some(dep_doc), Some(akepa_doc)) = (doc(d1), doc(a)) else {
        return Vec::new();
    };
    let response_doc = |operation: &str| {
        contract
            .by_id(operation)
            .and_then(|op| op.responses.first())
            .map(|r| r.document)
    };
    let op_of = |o: &Observed| {
        contract
            .operation(&o.method, &o.path)
            .map(|op| op.id.as_str())
    };
    let (dep_op, akepa_op) = (op_of(d1), op_of(a));
    // The table's entries for exactly the two operations observed come first; entries of
    // other operations answering with the same documents fill in what those do not pair.
    let mut candidates: Vec<&kyc_spec::migration::Correspondence> = table.fields.iter().collect();
    candidates.sort_by_key(|c| {
        let exact = Some(c.from.operation.as_str()) == dep_op
            && c.to.as_ref().map(|t| t.operation.as_str()) == akepa_op;
        !exact
    });
    let mut pairs: Vec<(String, String, Option<String>)> = Vec::new();
    for c in candidates {
        let Some(to) = &c.to else { continue };
        if c.from.place == Place::Response
            && to.place == Place::Response
            && response_doc(&c.from.operation) == Some(dep_doc)
            && response_doc(&to.operation) == Some(akepa_doc)
            && !c.from.pointer.contains('*')
            && !pairs.iter().any(|p| p.0 == c.from.pointer)
        {
            pairs.push((
                c.from.pointer.clone(),
                to.pointer.clone(),
                c.vocabulary.clone(),
            ));
        }
    }
    let members = |d: kyc_spec::Document| -> Vec<String> {
        d.parsed()
            .get("properties")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(|k| format!("/{k}")).collect())
            .unwrap_or_default()
    };
    let akepa_members = members(akepa_doc);
    for m in members(dep_doc) {
        // `/data` is a record on both sides: its members are what the table pairs.
        if m != "/data" && akepa_members.contains(&m) && !pairs.iter().any(|p| p.0 == m) {
            pairs.push((m.clone(), m, None));
        }
    }
    let value = |o: &Observed, p: &str| {
        o.body
            .as_ref()
            .and_then(|b| b.pointer(p))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let shown = |o: &Observed, p: &str, v: &Value| {
        let kind = BodyKind::Response {
            method: &o.method,
            path: &o.path,
            status: o.status,
        };
        session.redactor().redact_value_at(kind, p, v)
    };
    pairs
        .into_iter()
        .map(|(from, to, vocabulary)| {
            let (v1, va) = (value(d1, &from), value(a, &to));
            let v2 = d2.map(|d| value(d, &from));
            // Noise is a value that changes between the deprecated runs; a value akepa lacks,
            // or holds as another JSON type, is a change however noisy the other side is.
            let kind = |v: &Value| std::mem::discriminant(v);
            let verdict = if kind(&v1) != kind(&va) {
                Verdict::Changed
            } else if v2.as_ref().is_some_and(|v2| v2 != &v1) {
                Verdict::Volatile
            } else if v1 == va {
                Verdict::Same
            } else if let (Some(v), Some(x), Some(y)) = (
                vocabulary.as_deref().and_then(|id| table.vocabulary(id)),
                v1.as_str(),
                va.as_str(),
            ) && v.translates(x, y)
            {
                Verdict::Equivalent
            } else {
                Verdict::Changed
            };
            FieldRun {
                deprecated: shown(d1, &from, &v1),
                akepa: shown(a, &to, &va),
                from,
                to,
                verdict,
            }
        })
        .collect()
}

/// What each code path must change: the contract's breaking changes and warnings, then what
/// the target showed; breaking items first in each group.
fn checklist(diff: &StaticDiff, runs: &[PairRun], serving: &[Serving]) -> Vec<Group> {
    let mut c = Checklist::default();
    operation_items(&mut c, diff, serving);
    vocabulary_items(&mut c, diff);
    target_items(&mut c, runs);
    let mut groups = c.groups;
    for g in &mut groups {
        g.items.sort_by_key(|i| i.severity);
    }
    groups
}

/// Groups in the order their first item came, each item once.
#[derive(Default)]
struct Checklist {
    groups: Vec<Group>,
}

impl Checklist {
    fn add(&mut self, code_path: &str, item: Item) {
        let i = match self.groups.iter().position(|g| g.code_path == code_path) {
            Some(i) => i,
            None => {
                self.groups.push(Group {
                    code_path: code_path.to_owned(),
                    items: Vec::new(),
                });
                self.groups.len() - 1
            }
        };
        match self.groups[i]
            .items
            .iter_mut()
            .find(|x| x.text == item.text)
        {
            // The same thing to do, reached twice: it matters as much as its worst reason.
            Some(x) => x.severity = x.severity.min(item.severity),
            None => self.groups[i].items.push(item),
        }
    }
}

impl Item {
    fn contract(text: String, severity: Severity) -> Item {
        Item {
            text,
            severity,
            source: "contract",
        }
    }
}

/// The target's answer to whether it serves `route`: `Some(false)` when it answered 404 as to
/// a route it does not know.
fn served<'s>(serving: &'s [Serving], route: &str) -> Option<&'s Serving> {
    serving.iter().find(|s| s.route == route)
}

/// Per deprecated operation: the call to make instead (the target's served alternative when
/// it does not serve the contract's successor), the new calls, each field that breaks or may
/// break, the connectFi error codes the integration has not handled yet (each code once, under
/// the first code path that meets it); the webhook's fields under their own heading.
fn operation_items(c: &mut Checklist, diff: &StaticDiff, serving: &[Serving]) {
    let text = &Migration::embedded().checklist;
    let contract = Contract::embedded();
    let route_of = |id: &str| contract.by_id(id).map(|o| o.route()).unwrap_or_default();
    let mut codes_named: Vec<&str> = Vec::new();
    for op in &diff.operations {
        let path = op.pair.code_path.as_str();
        // The successor the target does not serve, and the alternative it serves instead.
        let unserved = op.to_route.as_ref().and_then(|to| {
            let gone = served(serving, to).filter(|s| !s.served)?;
            let alternatives = op
                .pair
                .also
                .iter()
                .filter(|a| a.role == kyc_spec::migration::Role::Alternative);
            let by = |want: Option<bool>| {
                alternatives
                    .clone()
                    .find(|a| served(serving, &route_of(&a.operation)).map(|s| s.served) == want)
            };
            let alternative = by(Some(true)).or_else(|| by(None))?;
            Some((to.clone(), gone, alternative))
        });
        match (&op.to_route, &unserved) {
            (Some(_), Some((to, gone, alternative))) => {
                let alt = route_of(&alternative.operation);
                let checked = match served(serving, &alt) {
                    Some(s) => format!("which it serves ({})", s.source),
                    None => "not checked on this target: run the audit, question akepa-status-form"
                        .to_owned(),
                };
                // The pair's note is about the contract's successor; the alternative's own
                // summary says what it reads.
                let summary = contract
                    .by_id(&alternative.operation)
                    .map_or(String::new(), |o| format!(" {}.", o.summary));
                c.add(
                    path,
                    Item::contract(
                        format!(
                            "Call `{alt}` instead of `{}`: this target does not serve `{to}` ({}), \
                             {checked}.{summary}",
                            op.from_route, gone.source
                        ),
                        Severity::Breaking,
                    ),
                );
                c.add(
                    path,
                    Item::contract(
                        format!(
                            "`{to}`: the contract's successor, which this target answers 404; \
                             switch to it when the target serves it."
                        ),
                        Severity::Warning,
                    ),
                );
            }
            (Some(to), None) => c.add(
                path,
                Item::contract(
                    format!(
                        "Call `{to}` instead of `{}`. {}",
                        op.from_route, op.pair.note
                    ),
                    Severity::Breaking,
                ),
            ),
            (None, _) => c.add(
                path,
                Item::contract(
                    format!("Stop calling `{}`. {}", op.from_route, op.pair.note),
                    Severity::Breaking,
                ),
            ),
        }
        for a in &op.pair.also {
            let route = route_of(&a.operation);
            if unserved
                .as_ref()
                .is_some_and(|(_, _, alt)| alt.operation == a.operation)
            {
                continue;
            }
            if served(serving, &route).is_some_and(|s| !s.served) {
                continue;
            }
            let severity = match a.role {
                kyc_spec::migration::Role::NewStep => Severity::Breaking,
                kyc_spec::migration::Role::Alternative => Severity::Info,
            };
            c.add(
                path,
                Item::contract(format!("`{route}`: {}", a.note), severity),
            );
        }
        for f in &op.fields {
            let Some(severity) = f.severity.filter(|s| *s != Severity::Info) else {
                continue;
            };
            let place = f
                .from
                .as_deref()
                .or(f.to.as_deref())
                .and_then(|a| a.split(' ').nth(1))
                .unwrap_or_default();
            let group = if place == "webhook" {
                text.webhooks.as_str()
            } else {
                path
            };
            let to_place = f.to.as_deref().and_then(|a| a.split(' ').nth(1));
            let mut rename = None;
            if let Some((to, _, alternative)) = &unserved {
                let on_unserved =
                    f.to.as_deref()
                        .and_then(|a| a.split(' ').next())
                        .is_some_and(|id| route_of(id) == *to);
                if on_unserved {
                    // What is sent to a route the target does not serve does not apply; what is
                    // read applies to the alternative when it answers with the same document.
                    let same_answer = op
                        .pair
                        .to
                        .as_deref()
                        .and_then(|id| contract.by_id(id))
                        .and_then(|o| o.responses.first())
                        .map(|r| r.document)
                        == contract
                            .by_id(&alternative.operation)
                            .and_then(|o| o.responses.first())
                            .map(|r| r.document);
                    if to_place != Some("response") || !same_answer {
                        continue;
                    }
                    rename = Some((to.clone(), route_of(&alternative.operation)));
                }
            }
            if let Some(mut text) = field_item(f, place) {
                if let Some((from, to)) = &rename {
                    text = text.replace(&format!("`{from}`"), &format!("`{to}`"));
                }
                if f.assumed {
                    text.push_str(
                        " (Assumed, not published by connectFi: check it on the sandbox first.)",
                    );
                }
                c.add(group, Item::contract(text, severity));
            }
        }
        // connectFi's codes only: the mock's own (a body it cannot read, a media type it
        // refuses) are nothing a sandbox documents for a client to handle.
        for e in op.errors.iter().filter(|e| e.change == "added") {
            let documented = contract
                .error_code(&e.code)
                .is_some_and(|code| !code.mock_only);
            if !documented || codes_named.contains(&e.code.as_str()) {
                continue;
            }
            codes_named.push(e.code.as_str());
            let statuses: Vec<String> = e.to.iter().flatten().map(u16::to_string).collect();
            c.add(
                path,
                Item::contract(
                    format!(
                        "Handle the error code `{}` (HTTP {}).",
                        e.code,
                        statuses.join(", ")
                    ),
                    e.severity,
                ),
            );
        }
    }
    for note in &text.notes {
        c.add(
            &note.code_path,
            Item::contract(note.text.clone(), note.severity),
        );
    }
}

/// Per vocabulary: the translation to apply, and the values with no deprecated counterpart.
fn vocabulary_items(c: &mut Checklist, diff: &StaticDiff) {
    let text = &Migration::embedded().checklist;
    for v in &diff.vocabularies {
        let pairs: Vec<String> = v
            .vocabulary
            .pairs
            .iter()
            .map(|p| {
                let note = if p.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.note.trim_end_matches('.'))
                };
                let to = if p.to.is_empty() {
                    "null".to_owned()
                } else {
                    p.to.join(" | ")
                };
                format!("{} → {to}{note}", p.from)
            })
            .collect();
        c.add(
            &text.vocabularies,
            Item::contract(
                format!("Translate {}: {}.", v.vocabulary.title, pairs.join("; ")),
                Severity::Breaking,
            ),
        );
        if !v.new_values.is_empty() {
            c.add(
                &text.vocabularies,
                Item::contract(
                    format!(
                        "Handle the values {} has that the deprecated one did not: {}.",
                        v.vocabulary.title,
                        v.new_values.join(", ")
                    ),
                    Severity::Warning,
                ),
            );
        }
    }
}

/// What the paired runs showed on the target: changed statuses, unpaired values, where runs
/// stopped. The same observation in several pairs is one item naming them.
fn target_items(c: &mut Checklist, runs: &[PairRun]) {
    let text = &Migration::embedded().checklist;
    // (text, severity, the pairs or runs that showed it), in the order first seen.
    let mut seen: Vec<(String, Severity, Vec<String>)> = Vec::new();
    let mut note = |text: String, severity: Severity, by: &str| match seen
        .iter_mut()
        .find(|(t, ..)| *t == text)
    {
        Some((_, _, names)) => {
            if !names.iter().any(|n| n == by) {
                names.push(by.to_owned());
            }
        }
        None => seen.push((text, severity, vec![by.to_owned()])),
    };
    for r in runs {
        for s in &r.stages {
            if let (Verdict::Changed, Some(d), Some(a)) = (s.status, &s.deprecated, &s.akepa) {
                note(
                    format!(
                        "Stage {}: `{}` answered {} where `{}` answered {}.",
                        s.name,
                        a.request,
                        a.statuses.first().copied().unwrap_or_default(),
                        d.request,
                        d.statuses.first().copied().unwrap_or_default()
                    ),
                    Severity::Breaking,
                    &r.name,
                );
            }
            for f in s.fields.iter().filter(|f| f.verdict == Verdict::Changed) {
                note(
                    format!(
                        "Stage {}: `{}` was {} on the deprecated flow, `{}` is {} on akepa, which the table does not pair.",
                        s.name, f.from, f.deprecated, f.to, f.akepa
                    ),
                    Severity::Warning,
                    &r.name,
                );
            }
        }
        for (i, outcome) in r.outcomes.iter().enumerate() {
            if outcome.passes() {
                continue;
            }
            let side = if i < 2 { "deprecated" } else { "akepa" };
            // The runs' own names differ; where they stopped and why is what repeats.
            let Some(why) = &r.stops[i] else { continue };
            note(
                format!("The {side} run does not pass here, it stopped at {why}"),
                Severity::Breaking,
                &r.name,
            );
        }
    }
    for (text_, severity, names) in seen {
        c.add(
            &text.target,
            Item {
                text: format!("{text_} ({})", names.join(", ")),
                severity,
                source: "target",
            },
        );
    }
}

/// `(route, place, pointer)` of a `<operationId> <place> <pointer>` address.
fn parts(address: &str) -> (String, &str, &str) {
    let mut it = address.splitn(3, ' ');
    let (op, place, pointer) = (
        it.next().unwrap_or_default(),
        it.next().unwrap_or_default(),
        it.next().unwrap_or_default(),
    );
    let route = Contract::embedded()
        .by_id(op)
        .map_or(op.to_owned(), |o| o.route());
    (route, place, pointer)
}

fn field_item(f: &kyc_spec::migration::FieldDiff, place: &str) -> Option<String> {
    let sent = matches!(place, "path" | "request");
    let first = f.changes.iter().find(|c| c.severity != Severity::Info)?;
    let note = if f.note.is_empty() {
        String::new()
    } else {
        format!(" {}", f.note)
    };
    let from = f.from.as_deref().map(parts);
    let to = f.to.as_deref().map(parts);
    let text = match (first.kind, &from, &to) {
        (ChangeKind::Renamed | ChangeKind::Moved, Some((_, fp, fptr)), Some((tr, tp, tptr))) => {
            if sent {
                format!(
                    "Send `{tptr}` in the {tp} of `{tr}` where `{fptr}` went in the {fp}.{note}"
                )
            } else {
                format!(
                    "Read `{tptr}` from the {tp} of `{tr}` where `{fptr}` was read from the {fp}.{note}"
                )
            }
        }
        (ChangeKind::Removed, Some((_, fp, fptr)), None) => {
            if sent {
                format!("Stop sending `{fptr}` in the {fp}.{note}")
            } else {
                format!("Stop reading `{fptr}` from the {fp}.{note}")
            }
        }
        (ChangeKind::RequiredNow, _, Some((tr, tp, tptr))) => {
            format!(
                "Send `{tptr}` in the {tp} of `{tr}`: {}.{note}",
                first.detail
            )
        }
        (ChangeKind::VocabularyChanged, Some((_, _, fptr)), Some((tr, tp, tptr))) => format!(
            "Read `{tptr}` from the {tp} of `{tr}` where `{fptr}` was read, through the vocabulary table.{note}"
        ),
        (kind, _, _) => {
            let (route, place, pointer) = to.clone().or(from.clone()).unwrap_or_default();
            let what = match kind {
                ChangeKind::ConstraintChanged => "a rule changed",
                ChangeKind::EnumChanged => "the values changed",
                ChangeKind::Retyped => "the type changed",
                ChangeKind::OptionalNow => "it may be missing",
                _ => "changed",
            };
            format!(
                "`{pointer}` in the {place} of `{route}`: {what}, {}.{note}",
                first.detail
            )
        }
    };
    Some(text)
}

impl Report {
    /// `migration.json`: pretty, with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("the migration report is plain JSON data");
        text.push('\n');
        text
    }

    /// `migration.md`.
    pub fn to_markdown(&self) -> String {
        render::markdown(self)
    }

    /// `migration.html`: one self-contained page.
    pub fn to_html(&self) -> String {
        render::html(self)
    }
}
