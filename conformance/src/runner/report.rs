//! Outcomes of a replay and their renderings: text for people, JSON and JUnit XML for tools.
//!
//! The JSON shape is fixed (`SURFACE.md`): `{"summary":{"total","passed","failed","errored"},
//! "cases":[{"name","outcome","deviations":[…],"error"}]}` and nothing else.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use super::client::Answer;
use super::deviation::Deviation;

/// How a case ended. New outcomes (e.g. `flaky`) may be added; consumers should treat an
/// unknown one as not passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// No deviation that fails.
    Passed,
    /// At least one breaking or additive deviation.
    Failed,
    /// The exchange could not be completed.
    Errored,
    /// Passed, but only after a retry (a connection error, 429 or 503 first): counts as
    /// passed for the exit code, and is shown so a wobbly target gets noticed.
    Flaky,
}

impl Outcome {
    /// Whether it counts as passed for an exit code (a flaky pass does).
    pub fn passes(self) -> bool {
        matches!(self, Outcome::Passed | Outcome::Flaky)
    }

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Errored => "errored",
            Outcome::Flaky => "flaky",
        }
    }
}

/// How one step of a scenario ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    /// The answer matched the recording and the spec.
    Passed,
    /// At least one deviation that fails; the scenario stops here.
    Failed,
    /// The request could not be completed; the scenario stops here.
    Errored,
    /// Not run: an earlier step failed, or the step is mock-only and the target is not the mock.
    Skipped,
}

impl StepOutcome {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            StepOutcome::Passed => "passed",
            StepOutcome::Failed => "failed",
            StepOutcome::Errored => "errored",
            StepOutcome::Skipped => "skipped",
        }
    }
}

/// The result of one step of a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepResult {
    /// Position in the scenario, from 0.
    pub index: usize,
    /// The step's name.
    pub name: String,
    /// How it ended.
    pub outcome: StepOutcome,
    /// Why it was skipped or errored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Requests sent for a step that waits (1 when the first answer already ended the wait).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polls: Option<u32>,
    /// Times a `forEach` step ran (one per element its `when` let through).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iterations: Option<usize>,
    /// The exchange as it happened, for reports that compare runs (the migration's paired
    /// scenarios). Not redacted, so never serialized: a report shows it through the redactor.
    #[serde(skip)]
    pub observed: Option<Observed>,
}

/// One step's request line and answer, unredacted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observed {
    /// The method sent.
    pub method: String,
    /// The path sent, placeholders filled.
    pub path: String,
    /// The JSON body sent, when it was JSON.
    pub sent: Option<Value>,
    /// The answer's status.
    pub status: u16,
    /// The answer's body, when it was JSON.
    pub body: Option<Value>,
}

/// The result of one cassette.
#[derive(Clone, Debug, Serialize)]
pub struct CaseResult {
    /// Cassette name.
    pub name: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Deviations, in a stable order.
    pub deviations: Vec<Deviation>,
    /// Places where the answer differed from the recording and a written matcher accepted
    /// it: which rule let what through.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tolerated: Vec<super::compare::Tolerated>,
    /// Why the case errored.
    pub error: Option<String>,
    /// A scenario's steps in order, each with its outcome (absent for a single exchange).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepResult>,
    /// The last answer, when there was one (kept for snapshots; not part of the JSON report).
    #[serde(skip)]
    pub answer: Option<Answer>,
}

impl CaseResult {
    /// A case that could not be completed.
    pub fn errored(name: String, error: String) -> CaseResult {
        CaseResult {
            name,
            outcome: Outcome::Errored,
            deviations: Vec::new(),
            tolerated: Vec::new(),
            error: Some(error),
            steps: Vec::new(),
            answer: None,
        }
    }

    /// The step that stopped the scenario (failed or errored), if any.
    pub fn stopped_at(&self) -> Option<&StepResult> {
        self.steps
            .iter()
            .find(|s| matches!(s.outcome, StepOutcome::Failed | StepOutcome::Errored))
    }
}

/// Counts per outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Cases run.
    pub total: usize,
    /// Passed.
    pub passed: usize,
    /// Failed.
    pub failed: usize,
    /// Errored.
    pub errored: usize,
    /// Passed only on a retry (also counted in `total`, not in `passed`). Written only when
    /// not zero, so the fixed summary shape holds for every run without retries.
    #[serde(skip_serializing_if = "is_zero")]
    pub flaky: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A finished run.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Counts.
    pub summary: Summary,
    /// Every case, in cassette order.
    pub cases: Vec<CaseResult>,
    /// The run was stopped (Ctrl-C) before every case ran; `cases` holds those that did.
    /// Only written when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    /// With `--accept`: which known differences this run still showed and which it no longer
    /// does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<Acceptance>,
}

/// The known differences of an accept file, against one run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Acceptance {
    /// Fingerprints in the accept file.
    pub known: usize,
    /// Accepted deviations that occurred in this run (shown, not failing).
    pub seen: usize,
    /// Accepted fingerprints no deviation of this run carried: fixed on the target's side,
    /// or the case no longer reaches that place. Remove them from the accept file.
    pub resolved: Vec<String>,
}

impl Report {
    /// Builds the summary.
    pub fn new(cases: Vec<CaseResult>) -> Report {
        let mut summary = Summary {
            total: cases.len(),
            ..Summary::default()
        };
        for c in &cases {
            match c.outcome {
                Outcome::Passed => summary.passed += 1,
                Outcome::Failed => summary.failed += 1,
                Outcome::Errored => summary.errored += 1,
                Outcome::Flaky => summary.flaky += 1,
            }
        }
        Report {
            summary,
            cases,
            interrupted: false,
            accepted: None,
        }
    }

    /// Records how the run met the accept file's fingerprints.
    pub fn account_for(&mut self, accepted: &std::collections::BTreeSet<String>) {
        let seen: std::collections::BTreeSet<&str> = self
            .cases
            .iter()
            .flat_map(|c| &c.deviations)
            .filter(|d| d.mark.accepted)
            .map(|d| d.mark.fingerprint.as_str())
            .collect();
        let accounted = Acceptance {
            known: accepted.len(),
            seen: self
                .cases
                .iter()
                .flat_map(|c| &c.deviations)
                .filter(|d| d.mark.accepted)
                .count(),
            resolved: super::policy::resolved(accepted, &seen)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        };
        self.accepted = Some(accounted);
    }

    /// True when every case passed (flaky cases included).
    pub fn all_passed(&self) -> bool {
        self.summary.passed + self.summary.flaky == self.summary.total
    }

    /// The JSON report, pretty-printed with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("the report is plain JSON data");
        text.push('\n');
        text
    }

    /// JUnit XML: one `testcase` per cassette (a scenario is one test case), `failure` per
    /// failed case (every deviation in its text, the message naming the step that failed),
    /// `error` per errored case; a scenario's steps and their outcomes in `system-out`.
    pub fn to_junit(&self) -> String {
        let s = &self.summary;
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"kyc-conformance\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            s.total, s.failed, s.errored
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"replay\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
            s.total, s.failed, s.errored
        );
        for case in &self.cases {
            let name = xml_escape(&case.name);
            let mut inner = String::new();
            match case.outcome {
                Outcome::Passed => {}
                Outcome::Failed => {
                    let failing = case.deviations.iter().filter(|d| d.fails()).count();
                    let first = case.deviations.iter().find(|d| d.fails());
                    let kind = first.map_or("deviation", |d| d.kind.as_str());
                    let at = case.stopped_at().map_or(String::new(), |s| {
                        format!("step {} ({}): ", s.index, s.name)
                    });
                    let message = format!(
                        "{at}{failing} deviation(s); first: {}",
                        first.map_or(String::new(), one_line)
                    );
                    let _ = writeln!(
                        inner,
                        "      <failure type=\"{kind}\" message=\"{}\">{}</failure>",
                        xml_escape(&message),
                        xml_escape(
                            &case
                                .deviations
                                .iter()
                                .map(one_line)
                                .collect::<Vec<_>>()
                                .join("\n")
                        )
                    );
                }
                Outcome::Flaky => {
                    let _ = writeln!(
                        inner,
                        "      <system-out>flaky: passed after a retry</system-out>"
                    );
                }
                Outcome::Errored => {
                    let error = xml_escape(case.error.as_deref().unwrap_or("errored"));
                    let _ = writeln!(inner, "      <error type=\"errored\" message=\"{error}\"/>");
                }
            }
            // A scenario is one test case; how each of its steps ended goes to its output.
            if !case.steps.is_empty() && case.outcome != Outcome::Flaky {
                let lines: Vec<String> = case
                    .steps
                    .iter()
                    .map(|s| {
                        let reason = s
                            .reason
                            .as_deref()
                            .map_or(String::new(), |r| format!(": {r}"));
                        format!(
                            "step {} ({}): {}{reason}",
                            s.index,
                            s.name,
                            s.outcome.as_str()
                        )
                    })
                    .collect();
                let _ = writeln!(
                    inner,
                    "      <system-out>{}</system-out>",
                    xml_escape(&lines.join("\n"))
                );
            }
            if inner.is_empty() {
                let _ = writeln!(out, "    <testcase classname=\"replay\" name=\"{name}\"/>");
            } else {
                let _ = writeln!(out, "    <testcase classname=\"replay\" name=\"{name}\">");
                out.push_str(&inner);
                let _ = writeln!(out, "    </testcase>");
            }
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }

    /// The text report, for people: one line per case (outcome, name, the kinds of its
    /// deviations or why it errored), then each deviation of the cases that have any with
    /// expected (`-`) and actual (`+`) values, then the summary. `color` adds ANSI colors
    /// (the caller decides: only on a terminal).
    pub fn to_text(&self, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let tag = |outcome: Outcome| match outcome {
            Outcome::Passed => ("32", "PASS"),
            Outcome::Failed => ("31;1", "FAIL"),
            Outcome::Errored => ("33;1", "ERROR"),
            Outcome::Flaky => ("33", "FLAKY"),
        };
        // The third column starts at the same place on every line.
        let width = self
            .cases
            .iter()
            .map(|c| tag(c.outcome).1.len() + 1 + c.name.chars().count())
            .max()
            .unwrap_or(0)
            .min(72);
        let mut out = String::new();
        for case in &self.cases {
            let (code, label) = tag(case.outcome);
            let detail = match case.outcome {
                Outcome::Errored => case.error.clone().unwrap_or_default(),
                Outcome::Flaky if case.deviations.is_empty() => "passed after a retry".into(),
                Outcome::Flaky => format!("passed after a retry; {}", kinds(&case.deviations)),
                Outcome::Passed | Outcome::Failed => kinds(&case.deviations),
            };
            let head = label.len() + 1 + case.name.chars().count();
            let _ = write!(out, "{} {}", paint(code, label), case.name);
            if !detail.is_empty() {
                let pad = width.saturating_sub(head) + 2;
                let _ = write!(out, "{:pad$}{detail}", "");
            }
            out.push('\n');
        }
        for case in self.cases.iter().filter(|c| !c.deviations.is_empty()) {
            let _ = writeln!(out, "\n{}:", case.name);
            for d in &case.deviations {
                let _ = writeln!(out, "  {}", headline(d));
                if !d.expected.is_null() {
                    let _ = writeln!(
                        out,
                        "    {}",
                        paint("31", &format!("- {}", compact(&d.expected)))
                    );
                }
                if !d.actual.is_null() {
                    let _ = writeln!(
                        out,
                        "    {}",
                        paint("32", &format!("+ {}", compact(&d.actual)))
                    );
                }
            }
        }
        let s = &self.summary;
        let verdict = if self.all_passed() {
            paint("32;1", "ok")
        } else {
            paint("31;1", "FAILED")
        };
        if !self.cases.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "replay {verdict}: {} total, {} passed, {} failed, {} errored",
            s.total, s.passed, s.failed, s.errored
        );
        if s.flaky > 0 {
            let _ = writeln!(out, "{} flaky (passed only after a retry)", s.flaky);
        }
        let tolerated: usize = self.cases.iter().map(|c| c.tolerated.len()).sum();
        if tolerated > 0 {
            let _ = writeln!(
                out,
                "{tolerated} value(s) differed from the recordings where a written matcher allows it (\"tolerated\" in the JSON report)"
            );
        }
        if let Some(a) = &self.accepted {
            let _ = writeln!(
                out,
                "accepted: {} of {} known difference(s) seen; {} resolved (no longer occur){}",
                a.seen,
                a.known,
                a.resolved.len(),
                if a.resolved.is_empty() {
                    String::new()
                } else {
                    format!(": {}", a.resolved.join(", "))
                }
            );
        }
        out
    }
}

/// The kinds of `deviations`, each once in first-seen order, with a count when repeated and,
/// when none of that kind fails the case, why not: `value_mismatch ×2, header_mismatch (info)`,
/// `unexpected_field (additive)`, `missing_field (accepted)`.
fn kinds(deviations: &[Deviation]) -> String {
    let mut seen: Vec<(&str, usize, bool, &str)> = Vec::new();
    for d in deviations {
        let kind = d.kind.as_str();
        let why = if d.mark.accepted {
            "accepted"
        } else {
            d.severity.as_str()
        };
        match seen.iter_mut().find(|(k, _, _, _)| *k == kind) {
            Some((_, n, fails, _)) => {
                *n += 1;
                *fails |= d.fails();
            }
            None => seen.push((kind, 1, d.fails(), why)),
        }
    }
    seen.iter()
        .map(|&(kind, n, fails, why)| {
            let count = if n > 1 {
                format!(" ×{n}")
            } else {
                String::new()
            };
            let why = if fails {
                String::new()
            } else {
                format!(" ({why})")
            };
            format!("{kind}{count}{why}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where, how much and what: `step 2 (upload): breaking missing_field /data/x: … [rule type]`.
fn headline(d: &Deviation) -> String {
    let at = d
        .step
        .as_ref()
        .map_or(String::new(), |s| format!("{}: ", s.label()));
    let accepted = if d.mark.accepted { "accepted " } else { "" };
    let rule = d
        .mark
        .rule
        .as_ref()
        .map_or(String::new(), |r| format!(" [rule {r}]"));
    let path = if d.path.is_empty() { "(root)" } else { &d.path };
    format!(
        "{at}{accepted}{} {} {path}: {}{rule}",
        d.severity.as_str(),
        d.kind.as_str(),
        d.message
    )
}

fn one_line(d: &Deviation) -> String {
    format!(
        "{} (expected {}, actual {})",
        headline(d),
        compact(&d.expected),
        compact(&d.actual)
    )
}

/// A value on one line, at most 160 characters.
fn compact(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('?'),
            c => out.push(c),
        }
    }
    out
}
