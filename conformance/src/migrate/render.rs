//! `migration.md` and `migration.html`: the same report, the summary first, then the
//! checklist, the contracts operation by operation, the vocabularies, the flows and the
//! paired runs.

use std::fmt::Write as _;

use kyc_spec::migration::{ChangeKind, FieldDiff, OperationDiff, Severity};
use serde_json::Value;

use super::Report;
use crate::html::{card, escape, page};

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Breaking => "breaking",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Breaking => "bad",
        Severity::Warning => "warn",
        Severity::Info => "muted",
    }
}

fn kind_word(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::Renamed => "renamed",
        ChangeKind::Moved => "moved",
        ChangeKind::Removed => "removed",
        ChangeKind::Added => "added",
        ChangeKind::RequiredNow => "required now",
        ChangeKind::OptionalNow => "optional now",
        ChangeKind::Retyped => "retyped",
        ChangeKind::ConstraintChanged => "constraint changed",
        ChangeKind::EnumChanged => "enum changed",
        ChangeKind::VocabularyChanged => "vocabulary changed",
        ChangeKind::MethodChanged => "method changed",
    }
}

fn summary_line(r: &Report) -> String {
    let s = &r.summary;
    format!(
        "{} breaking changes, {} warnings and {} informational changes between the two contracts; \
         {} stages compared on the target, {} changed, {} volatile values cancelled; {} of {} runs did not pass; {} checklist items.",
        s.breaking,
        s.warning,
        s.info,
        s.stages,
        s.changed,
        s.volatile,
        s.runs_failed,
        r.pairs.len() * 3,
        s.checklist
    )
}

fn op_title(op: &OperationDiff) -> String {
    match &op.to_route {
        Some(to) => format!("{} → {to}", op.from_route),
        None => format!("{} → (none)", op.from_route),
    }
}

fn changed_rows(op: &OperationDiff) -> impl Iterator<Item = &FieldDiff> {
    op.fields.iter().filter(|f| !f.changes.is_empty())
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The Markdown report.
pub fn markdown(r: &Report) -> String {
    let mut out = format!(
        "# Migrating from /customer/kyc/* to /akepa: {}\n\n{}\n",
        r.target,
        summary_line(r)
    );
    out.push_str("\n## Checklist\n");
    for g in &r.checklist {
        let _ = writeln!(out, "\n### {}\n", g.code_path);
        for i in &g.items {
            let _ = writeln!(
                out,
                "- [ ] **{}** {} _({})_",
                severity_word(i.severity),
                i.text,
                i.source
            );
        }
    }
    out.push_str("\n## The contracts, operation by operation\n");
    for op in &r.contract.operations {
        let _ = writeln!(out, "\n### {}\n\n{}\n", op_title(op), op.pair.note);
        for c in &op.changes {
            let _ = writeln!(out, "- **{}** {}", severity_word(c.severity), c.detail);
        }
        let unchanged = op.fields.iter().filter(|f| f.changes.is_empty()).count();
        if op.fields.iter().any(|f| !f.changes.is_empty()) {
            out.push_str("\n| deprecated | akepa | change | severity |\n|---|---|---|---|\n");
            for f in changed_rows(op) {
                let changes: Vec<String> = f
                    .changes
                    .iter()
                    .map(|c| format!("{}: {}", kind_word(c.kind), c.detail))
                    .collect();
                let covers = if f.covers > 0 {
                    format!(" (and {} fields below)", f.covers)
                } else {
                    String::new()
                };
                let assumed = if f.assumed { " _(assumed)_" } else { "" };
                let _ = writeln!(
                    out,
                    "| {}{covers} | {} | {}{assumed} | {} |",
                    f.from
                        .as_deref()
                        .map_or("—".to_owned(), |a| format!("`{a}`")),
                    f.to.as_deref().map_or("—".to_owned(), |a| format!("`{a}`")),
                    changes.join("; ").replace('|', "\\|"),
                    f.severity.map_or("", severity_word)
                );
            }
        }
        let same: Vec<String> = op
            .fields
            .iter()
            .filter(|f| f.changes.is_empty())
            .filter_map(|f| f.from.as_deref().map(|a| format!("`{a}`")))
            .collect();
        let _ = writeln!(
            out,
            "\n{unchanged} fields carry over unchanged: {}.\n",
            same.join(", ")
        );
        out.push_str("| error code | deprecated | akepa | change |\n|---|---|---|---|\n");
        for e in &op.errors {
            let list = |s: &Option<Vec<u16>>| {
                s.as_ref().map_or("—".to_owned(), |v| {
                    v.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
                })
            };
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                e.code,
                list(&e.from),
                list(&e.to),
                e.change
            );
        }
    }
    out.push_str("\n## Vocabularies\n");
    for v in &r.contract.vocabularies {
        let _ = writeln!(
            out,
            "\n### {}\n\n`{}` → `{}`\n\n| deprecated | akepa | note |\n|---|---|---|",
            v.vocabulary.title,
            v.vocabulary.from.text(),
            v.vocabulary.to.text()
        );
        for p in &v.vocabulary.pairs {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} |",
                p.from,
                p.to.join("`, `"),
                p.note
            );
        }
        if !v.new_values.is_empty() {
            let _ = writeln!(out, "\nNew on akepa: `{}`.", v.new_values.join("`, `"));
        }
    }
    out.push_str("\n## Flows\n");
    for f in &r.contract.flows {
        let _ = writeln!(out, "\n### {}\n\nDeprecated:\n", f.title);
        for (i, s) in f.deprecated.iter().enumerate() {
            let _ = writeln!(out, "{}. `{}`: {}", i + 1, s.operation, s.note);
        }
        out.push_str("\nakepa:\n\n");
        for (i, s) in f.akepa.iter().enumerate() {
            let _ = writeln!(out, "{}. `{}`: {}", i + 1, s.operation, s.note);
        }
    }
    out.push_str("\n## On the target: paired scenarios\n");
    for p in &r.pairs {
        let _ = writeln!(
            out,
            "\n### {}\n\n{}\n\nOutcomes: deprecated {}, deprecated again {}, akepa {}.\n",
            p.name,
            p.description,
            p.outcomes[0].as_str(),
            p.outcomes[1].as_str(),
            p.outcomes[2].as_str()
        );
        for f in &p.failures {
            let _ = writeln!(out, "- did not pass: {f}");
        }
        out.push_str(
            "| stage | deprecated | akepa | status | paired fields |\n|---|---|---|---|---|\n",
        );
        for s in &p.stages {
            let side = |x: &Option<super::Side>| {
                x.as_ref().map_or("—".to_owned(), |x| {
                    let st: Vec<String> = x.statuses.iter().map(u16::to_string).collect();
                    format!("`{}` {}", x.request, st.join("/"))
                })
            };
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "`{}` {} → `{}` {}: {}",
                        f.from,
                        show(&f.deprecated),
                        f.to,
                        show(&f.akepa),
                        f.verdict.word()
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                s.name,
                side(&s.deprecated),
                side(&s.akepa),
                s.status.word(),
                fields.join("<br>")
            );
        }
    }
    out
}

/// The HTML report.
pub fn html(r: &Report) -> String {
    let s = &r.summary;
    let mut body = String::new();
    let mut nav: Vec<(String, String)> = vec![
        ("summary".into(), "Summary".into()),
        ("checklist".into(), "Checklist".into()),
    ];
    let _ = write!(
        body,
        "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">{}{}{}{}{}{}</div><p>{}</p></section>",
        card(
            s.breaking,
            "breaking changes",
            if s.breaking > 0 { "bad" } else { "ok" }
        ),
        card(
            s.warning,
            "warnings",
            if s.warning > 0 { "warn" } else { "ok" }
        ),
        card(s.checklist, "checklist items", ""),
        card(s.stages, "stages compared on the target", ""),
        card(
            s.changed,
            "stages that changed",
            if s.changed > 0 { "bad" } else { "ok" }
        ),
        card(s.volatile, "volatile values cancelled", "warn"),
        escape(&summary_line(r))
    );
    body.push_str("<section id=\"checklist\"><h2>Checklist</h2>");
    for g in &r.checklist {
        let _ = write!(
            body,
            "<h3>{}</h3><ul class=\"checklist\">",
            escape(&g.code_path)
        );
        for i in &g.items {
            let _ = write!(
                body,
                "<li><span class=\"tag {}\">{}</span> {} <span class=\"note\">({})</span></li>",
                severity_class(i.severity),
                severity_word(i.severity),
                code_spans(&i.text),
                i.source
            );
        }
        body.push_str("</ul>");
    }
    body.push_str("</section>");
    for op in &r.contract.operations {
        let id = format!("op-{}", op.pair.from);
        nav.push((id.clone(), op_title(op)));
        operation_section(&mut body, &id, op);
    }
    nav.push(("vocabularies".into(), "Vocabularies".into()));
    body.push_str("<section id=\"vocabularies\"><h2>Vocabularies</h2>");
    for v in &r.contract.vocabularies {
        let _ = write!(
            body,
            "<h3 id=\"vocab-{}\">{}</h3><p><code>{}</code> → <code>{}</code></p>\
             <table><tr><th>deprecated</th><th>akepa</th><th>note</th></tr>",
            escape(&v.vocabulary.id),
            escape(&v.vocabulary.title),
            escape(&v.vocabulary.from.text()),
            escape(&v.vocabulary.to.text())
        );
        for p in &v.vocabulary.pairs {
            let _ = write!(
                body,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
                escape(&p.from),
                escape(&if p.to.is_empty() {
                    "null".to_owned()
                } else {
                    p.to.join(" | ")
                }),
                escape(&p.note)
            );
        }
        body.push_str("</table>");
        if !v.new_values.is_empty() {
            let _ = write!(
                body,
                "<p>New on akepa: <code>{}</code></p>",
                escape(&v.new_values.join(", "))
            );
        }
    }
    body.push_str("</section>");
    for f in &r.contract.flows {
        let id = format!("flow-{}", f.id);
        nav.push((id.clone(), format!("Flow: {}", f.title)));
        let _ = write!(
            body,
            "<section id=\"{}\"><h2>Flow: {}</h2><table><tr><th>deprecated</th><th>akepa</th></tr>",
            escape(&id),
            escape(&f.title)
        );
        for i in 0..f.deprecated.len().max(f.akepa.len()) {
            let cell = |s: Option<&kyc_spec::migration::FlowStep>| {
                s.map_or(String::new(), |s| {
                    format!(
                        "<code>{}</code><br><span class=\"note\">{}</span>",
                        escape(&route(&s.operation)),
                        escape(&s.note)
                    )
                })
            };
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td></tr>",
                cell(f.deprecated.get(i)),
                cell(f.akepa.get(i))
            );
        }
        body.push_str("</table></section>");
    }
    for p in &r.pairs {
        let id = format!("pair-{}", p.name);
        nav.push((id.clone(), format!("On the target: {}", p.name)));
        pair_section(&mut body, &id, p);
    }
    page(
        "Migrating from /customer/kyc/* to /akepa",
        &format!(
            "Contracts compared, paired scenarios run against {}",
            r.target
        ),
        &nav,
        &body,
    )
}

fn route(operation: &str) -> String {
    kyc_spec::Contract::embedded()
        .by_id(operation)
        .map_or(operation.to_owned(), |o| o.route())
}

/// Backticked spans of a checklist text as `<code>`, the rest escaped.
fn code_spans(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

fn operation_section(body: &mut String, id: &str, op: &OperationDiff) {
    let _ = write!(
        body,
        "<section id=\"{}\"><h2>{}</h2><p>{}</p>",
        escape(id),
        escape(&op_title(op)),
        escape(&op.pair.note)
    );
    for c in &op.changes {
        let _ = write!(
            body,
            "<p><span class=\"tag {}\">{}</span> {}</p>",
            severity_class(c.severity),
            severity_word(c.severity),
            escape(&c.detail)
        );
    }
    // The diff view: what the deprecated side had in red, what akepa has in green.
    let rows: Vec<&FieldDiff> = op.fields.iter().filter(|f| !f.changes.is_empty()).collect();
    if !rows.is_empty() {
        body.push_str("<div class=\"diff\">");
        for f in &rows {
            let covers = if f.covers > 0 {
                format!("  (and {} fields below)", f.covers)
            } else {
                String::new()
            };
            let detail: Vec<String> = f
                .changes
                .iter()
                .map(|c| format!("{}: {}", kind_word(c.kind), c.detail))
                .collect();
            let mut detail = escape(&detail.join("; "));
            if f.assumed {
                detail.push_str("; assumed");
            }
            match (&f.from, &f.to) {
                (Some(from), Some(to)) if from != to => {
                    let _ = write!(
                        body,
                        "<div class=\"del\">{}</div><div class=\"ins\">{}    [{detail}]</div>",
                        escape(from),
                        escape(to)
                    );
                }
                (Some(from), None) => {
                    let _ = write!(
                        body,
                        "<div class=\"del\">{}{covers}    [{detail}]</div>",
                        escape(from)
                    );
                }
                (None, Some(to)) => {
                    let _ = write!(
                        body,
                        "<div class=\"ins\">{}{covers}    [{detail}]</div>",
                        escape(to)
                    );
                }
                (Some(from), _) => {
                    let _ = write!(
                        body,
                        "<div class=\"ctx\">{}    [{detail}]</div>",
                        escape(from)
                    );
                }
                (None, None) => {}
            }
        }
        body.push_str("</div>");
        body.push_str(
            "<table><tr><th>deprecated</th><th>akepa</th><th>change</th><th>severity</th><th>note</th></tr>",
        );
        for f in &rows {
            let changes: Vec<String> = f
                .changes
                .iter()
                .map(|c| format!("{}: {}", kind_word(c.kind), c.detail))
                .collect();
            let sev = f.severity.unwrap_or(Severity::Info);
            let mut change = escape(&changes.join("; "));
            if !f.covered.is_empty() {
                let list: String = f
                    .covered
                    .iter()
                    .map(|p| format!("<li><code>{}</code></li>", escape(p)))
                    .collect();
                let _ = write!(
                    change,
                    "<details><summary>and {} fields below</summary><ul>{list}</ul></details>",
                    f.covered.len()
                );
            }
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><span class=\"tag {}\">{}</span></td><td>{}</td></tr>",
                f.from
                    .as_deref()
                    .map_or("—".to_owned(), |a| cell(a, Some(&op.pair.from))),
                f.to.as_deref()
                    .map_or("—".to_owned(), |a| cell(a, op.pair.to.as_deref())),
                change,
                severity_class(sev),
                severity_word(sev),
                if f.assumed {
                    format!(
                        "<span class=\"tag warn\">assumed</span> {}",
                        escape(&f.note)
                    )
                } else {
                    escape(&f.note)
                }
            );
        }
        body.push_str("</table>");
    }
    let unchanged = op.fields.iter().filter(|f| f.changes.is_empty()).count();
    let mut same = String::new();
    for f in op.fields.iter().filter(|f| f.changes.is_empty()) {
        let _ = write!(
            same,
            "<li><code>{}</code> → <code>{}</code></li>",
            f.from.as_deref().map_or(String::new(), escape),
            f.to.as_deref().map_or(String::new(), escape)
        );
    }
    let _ = write!(
        body,
        "<details><summary>{unchanged} fields carry over unchanged</summary><ul>{same}</ul></details><h3>Error codes</h3>\
         <table><tr><th>code</th><th>deprecated</th><th>akepa</th><th>change</th></tr>"
    );
    for e in &op.errors {
        let list = |s: &Option<Vec<u16>>| {
            s.as_ref().map_or("—".to_owned(), |v| {
                v.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
            })
        };
        let class = match e.change {
            "added" => "warn",
            "removed" => "muted",
            _ => "ok",
        };
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td><span class=\"tag {class}\">{}</span></td></tr>",
            escape(&e.code),
            list(&e.from),
            list(&e.to),
            e.change
        );
    }
    body.push_str("</table></section>");
}

/// An address in a table cell: its place and pointer, and its operation only when it is not
/// the one the section is about (a field that moved to another call).
fn cell(address: &str, section_operation: Option<&str>) -> String {
    let shown = match address.split_once(' ') {
        Some((op, rest)) if Some(op) == section_operation => rest,
        _ => address,
    };
    format!("<code>{}</code>", escape(shown))
}

fn pair_section(body: &mut String, id: &str, p: &super::PairRun) {
    let _ = write!(
        body,
        "<section id=\"{}\"><h2>On the target: {}</h2><p>{}</p><p>Outcomes: deprecated <b>{}</b>, \
         deprecated again <b>{}</b>, akepa <b>{}</b>.</p>",
        escape(id),
        escape(&p.name),
        escape(&p.description),
        p.outcomes[0].as_str(),
        p.outcomes[1].as_str(),
        p.outcomes[2].as_str()
    );
    if !p.failures.is_empty() {
        body.push_str("<ul>");
        for f in &p.failures {
            let _ = write!(body, "<li class=\"note\">did not pass: {}</li>", escape(f));
        }
        body.push_str("</ul>");
    }
    body.push_str(
        "<table><tr><th>stage</th><th>deprecated (two runs)</th><th>akepa</th><th>status</th><th>paired fields</th></tr>",
    );
    for s in &p.stages {
        let side = |x: &Option<super::Side>| {
            x.as_ref().map_or("—".to_owned(), |x| {
                let st: Vec<String> = x.statuses.iter().map(u16::to_string).collect();
                format!("<code>{}</code> {}", escape(&x.request), st.join(" / "))
            })
        };
        let mut fields = String::new();
        for f in &s.fields {
            let _ = write!(
                fields,
                "<div><code>{}</code> {} → <code>{}</code> {} <span class=\"tag {}\">{}</span></div>",
                escape(&f.from),
                escape(&show(&f.deprecated)),
                escape(&f.to),
                escape(&show(&f.akepa)),
                f.verdict.css(),
                f.verdict.word()
            );
        }
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><span class=\"tag {}\">{}</span></td><td>{}</td></tr>",
            escape(&s.name),
            side(&s.deprecated),
            side(&s.akepa),
            s.status.css(),
            s.status.word(),
            fields
        );
    }
    body.push_str("</table></section>");
}
