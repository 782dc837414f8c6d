//! `audit.md` and `audit.html`: the same audit, the summary first, then each question with
//! its evidence, the endpoints the probes touched and the suite's deviations.

use std::fmt::Write as _;

use serde_json::Value;

use super::{Audit, Evidence, Verdict};

impl Audit {
    /// `audit.md`: the verdict and the next action, the summary, a table of the answers, then
    /// each question with what to do, the contract change it implies and its evidence
    /// (pretty-printed, so no line runs off the page).
    pub fn to_markdown(&self) -> String {
        let s = &self.summary;
        let mut out = format!(
            "# Audit of {}\n\n**{}.** Next: {}\n\n{} questions: {} as documented, {} as assumed, {} contradicting the spec, {} unanswered, {} skipped.\n\n\
             | question | answer | verdict | against |\n|---|---|---|---|\n",
            self.target,
            verdict_headline(self.verdict),
            self.next,
            s.questions,
            s.as_documented,
            s.as_assumed,
            s.contradicts,
            s.unanswered,
            s.skipped
        );
        for q in &self.questions {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {} |",
                q.id,
                short(&q.answer).replace('|', "\\|"),
                verdict_text(q.verdict),
                q.against
            );
        }
        out.push('\n');
        if let Some(suite) = &self.suite {
            let r = &suite.summary;
            let _ = writeln!(
                out,
                "## The bundled suite on this target\n\n{} cases: {} passed, {} failed, {} errored; {} breaking deviations.\n",
                r.total, r.passed, r.failed, r.errored, suite.breaking
            );
            for (kind, n) in &suite.deviations {
                let _ = writeln!(out, "- `{kind}`: {n}");
            }
            for (case, kinds) in &suite.failing {
                let _ = writeln!(out, "- failing `{case}`: {}", kinds.join(", "));
            }
        }
        for q in &self.questions {
            let _ = writeln!(
                out,
                "\n## `{}`: {}\n\nAnswer: `{}` (compared with {}).\n",
                q.id,
                verdict_text(q.verdict),
                short(&q.answer),
                q.against
            );
            if let Some(note) = &q.note {
                let _ = writeln!(out, "{note}\n");
            }
            if let Some(action) = &q.action {
                let _ = writeln!(out, "**Do:** {action}\n");
            }
            if let Some(patch) = &q.patch {
                let _ = writeln!(
                    out,
                    "Change to the contract, a JSON Patch for `spec/schema/{}`:\n\n```json\n{}\n```\n",
                    patch.schema,
                    pretty(&serde_json::to_value(&patch.ops).unwrap_or_default())
                );
            }
            if q.answer.to_string().len() > 80 {
                let _ = writeln!(
                    out,
                    "The whole answer:\n\n```json\n{}\n```\n",
                    pretty(&q.answer)
                );
            }
            for e in &q.evidence {
                let _ = writeln!(
                    out,
                    "- {} / {}: `{}` answered {}",
                    e.scenario, e.step, e.request, e.status
                );
                if let Some(sent) = &e.sent {
                    let _ = writeln!(
                        out,
                        "\n  sent:\n\n  ```json\n{}\n  ```\n",
                        indent(&pretty(sent))
                    );
                }
                let _ = writeln!(
                    out,
                    "\n  answer:\n\n  ```json\n{}\n  ```\n",
                    indent(&pretty(&deciding_first(&e.body)))
                );
            }
        }
        out
    }

    /// `audit.html`: one self-contained page (inline style, no script, nothing fetched): the
    /// summary, the answers' table, one section per question with its evidence, the
    /// endpoints the probes touched, and the suite's deviations.
    pub fn to_html(&self) -> String {
        use crate::html::{card, escape, page};
        let s = &self.summary;
        let answered = s.questions - s.unanswered - s.skipped;
        let suite_failed = self
            .suite
            .as_ref()
            .map_or(0, |x| x.summary.failed + x.summary.errored);
        let breaking = self.suite.as_ref().map_or(0, |x| x.breaking);
        let mut body = format!(
            "<section id=\"summary\"><h2>Summary</h2><p class=\"verdict {}\"><strong>{}.</strong> Next: {}</p><div class=\"cards\">{}{}{}{}{}{}</div>\
             <table><tr><th>question</th><th>answer</th><th>verdict</th><th>against</th></tr>",
            self.verdict,
            escape(verdict_headline(self.verdict)),
            escape(&self.next),
            card(
                format!("{answered}/{}", s.questions),
                "questions answered",
                if s.unanswered > 0 { "warn" } else { "ok" }
            ),
            card(
                s.contradicts,
                "contradict the spec",
                if s.contradicts > 0 { "bad" } else { "ok" }
            ),
            card(s.as_documented, "as documented", "ok"),
            card(s.as_assumed, "as assumed (a DECISIONS.md choice)", "warn"),
            card(
                suite_failed,
                "suite cases that did not pass",
                if suite_failed > 0 { "bad" } else { "ok" }
            ),
            card(
                breaking,
                "breaking deviations in the suite",
                if breaking > 0 { "bad" } else { "ok" }
            ),
        );
        for q in &self.questions {
            let _ = write!(
                body,
                "<tr><td><a href=\"#{id}\"><code>{id}</code></a></td><td><code>{}</code></td>\
                 <td><span class=\"tag {}\">{}</span></td><td>{}</td></tr>",
                escape(&short(&q.answer)),
                css_class(q.verdict),
                verdict_text(q.verdict),
                escape(q.against),
                id = escape(q.id),
            );
        }
        body.push_str("</table></section>");
        let mut nav = vec![("summary".to_owned(), "Summary".to_owned())];
        for q in &self.questions {
            nav.push((q.id.to_owned(), q.id.to_owned()));
            let _ = write!(
                body,
                "<section id=\"{id}\"><h2><code>{id}</code> <span class=\"tag {}\">{}</span></h2>\
                 <p>Answer: <code>{}</code></p><p class=\"note\">Compared with {}.</p>",
                css_class(q.verdict),
                verdict_text(q.verdict),
                escape(&short(&q.answer)),
                escape(q.against),
                id = escape(q.id),
            );
            if let Some(note) = &q.note {
                let _ = write!(body, "<p>{}</p>", escape(note));
            }
            if let Some(action) = &q.action {
                let _ = write!(
                    body,
                    "<p class=\"action\"><strong>Do:</strong> {}</p>",
                    escape(action)
                );
            }
            if let Some(patch) = &q.patch {
                let _ = write!(
                    body,
                    "<p>Change to the contract, a JSON Patch for <code>spec/schema/{}</code>:</p><pre>{}</pre>",
                    escape(&patch.schema),
                    escape(&pretty(
                        &serde_json::to_value(&patch.ops).unwrap_or_default()
                    ))
                );
            }
            body.push_str("<table><tr><th>scenario / step</th><th>request (redacted)</th><th>status</th><th>answer (redacted)</th></tr>");
            for e in &q.evidence {
                let sent = e.sent.as_ref().map_or(String::new(), |b| {
                    format!(
                        "<pre>{}</pre>",
                        escape(&serde_json::to_string_pretty(b).unwrap_or_default())
                    )
                });
                let _ = write!(
                    body,
                    "<tr><td><code>{}</code><br>{}</td><td><code>{}</code>{sent}</td><td>{}</td><td><pre>{}</pre></td></tr>",
                    escape(&e.scenario),
                    escape(&e.step),
                    escape(&e.request),
                    e.status,
                    escape(&pretty(&deciding_first(&e.body)))
                );
            }
            body.push_str("</table></section>");
        }
        nav.push(("endpoints".to_owned(), "By endpoint".to_owned()));
        body.push_str(&self.endpoints_html());
        if let Some(suite) = &self.suite {
            nav.push(("suite".to_owned(), "The bundled suite".to_owned()));
            let r = &suite.summary;
            let _ = write!(
                body,
                "<section id=\"suite\"><h2>The bundled suite on this target</h2><p>{} cases: {} passed, {} failed, {} errored.</p>\
                 <table><tr><th>deviation kind</th><th>deviations</th></tr>",
                r.total, r.passed, r.failed, r.errored
            );
            for (kind, n) in &suite.deviations {
                let _ = write!(
                    body,
                    "<tr><td><code>{}</code></td><td>{n}</td></tr>",
                    escape(kind)
                );
            }
            body.push_str("</table><ul>");
            for (case, kinds) in &suite.failing {
                let _ = write!(
                    body,
                    "<li><span class=\"tag bad\">failing</span> <code>{}</code>: {}</li>",
                    escape(case),
                    escape(&kinds.join(", "))
                );
            }
            body.push_str("</ul></section>");
        }
        page(
            &format!("Audit of {}", self.target),
            &format!(
                "{} questions: {} as documented, {} as assumed, {} contradicting the spec, {} unanswered, {} skipped",
                s.questions, s.as_documented, s.as_assumed, s.contradicts, s.unanswered, s.skipped
            ),
            &nav,
            &body,
        )
    }

    /// The probes' exchanges grouped by the contract's endpoint they reached, each with the
    /// questions it answered.
    fn endpoints_html(&self) -> String {
        use crate::html::escape;
        let contract = kyc_spec::Contract::embedded();
        let mut by_route: Vec<(String, Vec<(&str, &Evidence)>)> = Vec::new();
        for q in &self.questions {
            for e in &q.evidence {
                let (method, path) = e.request.split_once(' ').unwrap_or(("", &e.request));
                let route = contract
                    .operation(method, path)
                    .map_or_else(|| e.request.clone(), |o| o.route());
                match by_route.iter_mut().find(|(r, _)| *r == route) {
                    Some((_, list)) => list.push((q.id, e)),
                    None => by_route.push((route, vec![(q.id, e)])),
                }
            }
        }
        let mut out = String::from("<section id=\"endpoints\"><h2>By endpoint</h2>");
        for (route, list) in &by_route {
            let _ = write!(
                out,
                "<h3><code>{}</code></h3><table><tr><th>question</th><th>scenario / step</th><th>status</th></tr>",
                escape(route)
            );
            for (id, e) in list {
                let _ = write!(
                    out,
                    "<tr><td><a href=\"#{id}\"><code>{id}</code></a></td><td>{}</td><td>{}</td></tr>",
                    escape(&format!("{} / {}", e.scenario, e.step)),
                    e.status,
                    id = escape(id)
                );
            }
            out.push_str("</table>");
        }
        out.push_str("</section>");
        out
    }
}

fn verdict_text(v: Verdict) -> &'static str {
    match v {
        Verdict::AsDocumented => "as documented",
        Verdict::AsAssumed => "as assumed",
        Verdict::Contradicts => "contradicts",
        Verdict::Unanswered => "unanswered",
        Verdict::Skipped => "skipped",
    }
}

fn css_class(v: Verdict) -> &'static str {
    match v {
        Verdict::AsDocumented => "as-documented",
        Verdict::AsAssumed => "as-assumed",
        Verdict::Contradicts => "contradicts",
        Verdict::Unanswered => "unanswered",
        Verdict::Skipped => "skipped",
    }
}

/// The verdict as a headline.
fn verdict_headline(verdict: &str) -> &'static str {
    match verdict {
        "contradicts" => "Not as documented: some answers contradict the spec",
        "incomplete" => "Incomplete: some questions could not be answered",
        _ => "As documented: every answer is what the spec says or assumes",
    }
}

/// A value on one line, at most 80 characters (the whole of it is shown further down).
fn short(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Every line indented for a Markdown list item's fenced block.
fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An answer's body with what decides it first: the code, message and context of an error,
/// the data of a success; the request id, which decides nothing, last.
fn deciding_first(body: &Value) -> Value {
    let Value::Object(map) = body else {
        return body.clone();
    };
    let mut out = serde_json::Map::new();
    for key in ["code", "message", "context", "data"] {
        if let Some(v) = map.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    for (k, v) in map {
        if !out.contains_key(k) && k != "requestId" {
            out.insert(k.clone(), v.clone());
        }
    }
    if let Some(id) = map.get("requestId") {
        out.insert("requestId".to_owned(), id.clone());
    }
    Value::Object(out)
}
