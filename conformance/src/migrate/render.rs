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
    let reached = if s.not_reached > 0 {
        format!(", {} not reached", s.not_reached)
    } else {
        String::new()
    };
    format!(
        "{} breaking changes, {} warnings and {} informational changes between the two contracts; \
         {} of {} paired runs did not pass; {} stages compared on the target, {} changed{reached}, {} volatile values cancelled; {} checklist items.",
        s.breaking,
        s.warning,
        s.info,
        s.runs_failed,
        s.runs,
        s.stages,
        s.changed,
        s.volatile,
        s.checklist
    )
}

/// A value short enough for a line of prose (a scalar, or a small array or object).
const INLINE: usize = 60;

/// A field's value in Markdown: inline code when short, else a fenced, pretty-printed block
/// (one key a line, so no line runs on).
fn md_value(v: &Value) -> String {
    let compact = v.to_string();
    if compact.len() <= INLINE && !compact.contains('`') {
        format!("`{compact}`")
    } else {
        let pretty = serde_json::to_string_pretty(v).unwrap_or(compact);
        format!(
            "\n\n  ```json\n{}\n  ```\n",
            indent(&wrap_long(&pretty), "  ")
        )
    }
}

/// Lines longer than a page is wide broken at a character boundary, the continuation marked.
fn wrap_long(text: &str) -> String {
    const WIDTH: usize = 100;
    let mut out = Vec::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        if chars.len() <= WIDTH {
            out.push(line.to_owned());
            continue;
        }
        for (i, chunk) in chars.chunks(WIDTH).enumerate() {
            let chunk: String = chunk.iter().collect();
            out.push(if i == 0 {
                chunk
            } else {
                format!("  ↪ {chunk}")
            });
        }
    }
    out.join("\n")
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| format!("{by}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The order fields are shown in: what decides the stage (changed, then volatile) first,
/// then what carries over.
fn deciding_first(v: super::Verdict) -> u8 {
    use super::Verdict;
    match v {
        Verdict::Changed => 0,
        Verdict::NotReached => 1,
        Verdict::Volatile => 2,
        Verdict::OneSided => 3,
        Verdict::Equivalent => 4,
        Verdict::Same => 5,
    }
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
        "# Migrating from /customer/kyc/* to /akepa: {}\n\n**{}**\n\nNext: {}\n\n{}\n",
        r.target,
        r.verdict.headline,
        r.verdict.next,
        summary_line(r)
    );
    if !r.serving.is_empty() {
        out.push_str("\nWhat the target serves, as the checklist follows it:\n\n");
        for s in &r.serving {
            let _ = writeln!(
                out,
                "- `{}`: {} ({})",
                s.route,
                if s.served {
                    "served"
                } else {
                    "not served (404)"
                },
                s.source
            );
        }
    }
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
            let _ = writeln!(
                out,
                "- did not pass: {}",
                wrap_long(f).replace('\n', "\n  ")
            );
        }
        if !p.failures.is_empty() {
            out.push('\n');
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
            let mut counts: Vec<(super::Verdict, usize)> = Vec::new();
            for f in &s.fields {
                match counts.iter_mut().find(|(v, _)| *v == f.verdict) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((f.verdict, 1)),
                }
            }
            counts.sort_by_key(|(v, _)| deciding_first(*v));
            let counts: Vec<String> = counts
                .iter()
                .map(|(v, n)| format!("{n} {}", v.word()))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                s.name,
                side(&s.deprecated),
                side(&s.akepa),
                s.status.word(),
                if counts.is_empty() {
                    "—".to_owned()
                } else {
                    counts.join(", ")
                }
            );
        }
        out.push('\n');
        for s in &p.stages {
            if s.not_reached.is_none() && s.fields.is_empty() {
                continue;
            }
            let _ = writeln!(out, "#### {}: {}\n", s.name, s.status.word());
            if let Some(why) = &s.not_reached {
                let _ = writeln!(out, "{}\n", wrap_long(why));
            }
            let mut fields: Vec<&super::FieldRun> = s.fields.iter().collect();
            fields.sort_by_key(|f| deciding_first(f.verdict));
            for f in &fields {
                let _ = writeln!(
                    out,
                    "- **{}** `{}` → `{}`: deprecated {}, akepa {}",
                    f.verdict.word(),
                    f.from,
                    f.to,
                    md_value(&f.deprecated),
                    md_value(&f.akepa)
                );
            }
            if !fields.is_empty() {
                out.push('\n');
            }
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
    let verdict_class = if !r.verdict.ready {
        "bad"
    } else if s.changed > 0 {
        "warn"
    } else {
        "ok"
    };
    // What the paired runs could not compare is not a change, nor the absence of one.
    let changed_class = if s.changed > 0 {
        "bad"
    } else if s.runs_failed > 0 {
        "warn"
    } else {
        "ok"
    };
    let _ = write!(
        body,
        "<section id=\"summary\"><h2>Summary</h2>\
         <div class=\"readiness {verdict_class}\"><p class=\"headline\">{}</p><p class=\"next\">Next: {}</p></div>\
         <div class=\"cards\">{}{}{}{}{}{}{}{}</div><p>{}</p>",
        escape(&r.verdict.headline),
        code_spans(&r.verdict.next),
        card(
            format!("{} / {}", s.runs_failed, s.runs),
            "paired runs failed",
            if s.runs_failed > 0 { "bad" } else { "ok" }
        ),
        card(
            s.not_reached,
            "stages not reached",
            if s.not_reached > 0 { "warn" } else { "ok" }
        ),
        card(s.changed, "stages that changed", changed_class),
        card(s.stages, "stages compared on the target", ""),
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
        card(s.volatile, "volatile values cancelled", "warn"),
        escape(&summary_line(r))
    );
    if !r.serving.is_empty() {
        body.push_str(
            "<p>What the target serves, as the checklist follows it:</p><ul class=\"serving\">",
        );
        for x in &r.serving {
            let _ = write!(
                body,
                "<li><code>{}</code> <span class=\"tag {}\">{}</span> <span class=\"note\">{}</span></li>",
                escape(&x.route),
                if x.served { "ok" } else { "bad" },
                if x.served {
                    "served"
                } else {
                    "not served (404)"
                },
                escape(&x.source)
            );
        }
        body.push_str("</ul>");
    }
    body.push_str("</section>");
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
            let _ = write!(
                body,
                "<li class=\"note failure\">did not pass: {}</li>",
                escape(f)
            );
        }
        body.push_str("</ul>");
    }
    body.push_str(
        "<div class=\"scroll\"><table class=\"stages\"><tr><th>stage</th><th>deprecated (two runs)</th><th>akepa</th><th>status</th><th>paired fields</th></tr>",
    );
    for s in &p.stages {
        let side = |x: &Option<super::Side>| {
            x.as_ref().map_or("—".to_owned(), |x| {
                let st: Vec<String> = x.statuses.iter().map(u16::to_string).collect();
                format!("<code>{}</code> {}", escape(&x.request), st.join(" / "))
            })
        };
        // The fields that decide the stage first (changed, volatile), then what carries over.
        let mut sorted: Vec<&super::FieldRun> = s.fields.iter().collect();
        sorted.sort_by_key(|f| deciding_first(f.verdict));
        let mut fields = String::new();
        if let Some(why) = &s.not_reached {
            let _ = write!(fields, "<p class=\"note\">{}</p>", escape(why));
        }
        for f in sorted {
            let _ = write!(
                fields,
                "<div class=\"field\"><span class=\"tag {}\">{}</span> <code>{}</code> {} → <code>{}</code> {}</div>",
                f.verdict.css(),
                f.verdict.word(),
                escape(&f.from),
                html_value(&f.deprecated),
                escape(&f.to),
                html_value(&f.akepa),
            );
        }
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><span class=\"tag {}\">{}</span></td><td class=\"fields\">{}</td></tr>",
            escape(&s.name),
            side(&s.deprecated),
            side(&s.akepa),
            s.status.css(),
            s.status.word(),
            fields
        );
    }
    body.push_str("</table></div></section>");
}

/// A field's value on the page: inline when short, else pretty-printed in a box that
/// scrolls inside itself.
fn html_value(v: &Value) -> String {
    let compact = show(v);
    if compact.len() <= INLINE {
        escape(&compact)
    } else {
        let pretty = serde_json::to_string_pretty(v).unwrap_or(compact);
        format!("<pre>{}</pre>", escape(&pretty))
    }
}
