//! The reports' HTML: one self-contained page (inline style, no script, nothing fetched, so it
//! opens from disk and prints), written once for the audit and the migration report.

/// Escapes text for an element's content or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A summary card: a big figure and what it counts; `class` colours it.
pub fn card(figure: impl std::fmt::Display, label: &str, class: &str) -> String {
    format!(
        "<div class=\"card {class}\"><span class=\"figure\">{figure}</span><span class=\"label\">{}</span></div>",
        escape(label)
    )
}

/// A whole page: `nav` is the table of contents (`(fragment, title)`), `body` the sections.
pub fn page(title: &str, subtitle: &str, nav: &[(String, String)], body: &str) -> String {
    let mut links = String::new();
    for (id, text) in nav {
        links.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>",
            escape(id),
            escape(text)
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body>\
         <header><h1>{title}</h1><p class=\"subtitle\">{subtitle}</p></header>\
         <nav aria-label=\"contents\"><ol>{links}</ol></nav><main>{body}</main></body></html>\n",
        title = escape(title),
        subtitle = escape(subtitle),
    )
}

/// The one style sheet: readable on screen, colours that survive a black-and-white print
/// (each state also has a word or a sign), no web font, nothing fetched.
const STYLE: &str = "\
:root{--ok:#17692f;--ok-bg:#e7f5ea;--warn:#7a5d00;--warn-bg:#fdf5d8;--bad:#a3161b;--bad-bg:#fde8e8;--muted:#5f6368;--line:#d9dce1}\
*{box-sizing:border-box}\
body{font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;max-width:72rem;margin:0 auto;padding:1.5rem 1.25rem 4rem}\
header h1{margin:.2rem 0;font-size:1.7rem}.subtitle{color:var(--muted);margin:0 0 1rem}\
h2{font-size:1.25rem;margin:2.2rem 0 .6rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}\
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}\
nav ol{columns:2;margin:.5rem 0 1.5rem;padding-left:1.4rem;color:var(--muted)}nav a{color:#0b57d0;text-decoration:none}\
.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0 1.5rem}\
.card{flex:1 1 9rem;border:1px solid var(--line);border-radius:.5rem;padding:.7rem .9rem;background:#fafbfc}\
.card .figure{display:block;font-size:1.9rem;font-weight:650;line-height:1.1}.card .label{color:var(--muted);font-size:.85rem}\
.card.ok{background:var(--ok-bg);border-color:#b7dfc1}.card.ok .figure{color:var(--ok)}\
.card.warn{background:var(--warn-bg);border-color:#ecd98a}.card.warn .figure{color:var(--warn)}\
.card.bad{background:var(--bad-bg);border-color:#f3b7b9}.card.bad .figure{color:var(--bad)}\
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.92rem}\
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}\
th{background:#f3f4f6;font-weight:600}tr:nth-child(even) td{background:#fbfbfc}\
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f6;padding:.05rem .25rem;border-radius:.2rem}\
pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;border:1px solid var(--line);border-radius:.4rem;padding:.6rem;margin:0;overflow:auto;max-height:20rem;white-space:pre-wrap;overflow-wrap:anywhere}\
td code{overflow-wrap:anywhere}td:first-child code{white-space:nowrap;overflow-wrap:normal}\
h2 code{font-size:1.1rem;background:none;padding:0}\
.tag{display:inline-block;font-size:.78rem;font-weight:600;padding:.05rem .45rem;border-radius:1rem;white-space:nowrap}\
.tag.ok,.as-documented .tag,.tag.as-documented{background:var(--ok-bg);color:var(--ok)}\
.tag.warn,.tag.as-assumed{background:var(--warn-bg);color:var(--warn)}\
.tag.bad,.tag.contradicts{background:var(--bad-bg);color:var(--bad)}\
.tag.muted,.tag.unanswered,.tag.skipped{background:#eef0f2;color:var(--muted)}\
.diff{font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;border:1px solid var(--line);border-radius:.4rem;overflow:hidden;margin:.4rem 0 1rem}\
.diff div{padding:.1rem .6rem;white-space:pre-wrap}\
.diff .del{background:var(--bad-bg);color:var(--bad)}.diff .del::before{content:'- '}\
.diff .ins{background:var(--ok-bg);color:var(--ok)}.diff .ins::before{content:'+ '}\
.diff .ctx{color:var(--muted)}.diff .ctx::before{content:'  '}\
.checklist{list-style:none;padding-left:0}.checklist li{margin:.35rem 0;padding-left:1.7rem;position:relative}\
.checklist li::before{content:'';position:absolute;left:.1rem;top:.3rem;width:.85rem;height:.85rem;border:1.5px solid #6b7280;border-radius:.15rem}\
.note{color:var(--muted);font-size:.9rem}\
.verdict{font-size:1.05rem;padding:.6rem .9rem;border-radius:.5rem;border:1px solid var(--line)}\
.verdict.contradicts{background:var(--bad-bg);border-color:#f3b7b9}.verdict.incomplete{background:var(--warn-bg);border-color:#ecd98a}.verdict.as-documented{background:var(--ok-bg);border-color:#b7dfc1}\
.action{border-left:3px solid var(--bad);padding-left:.6rem}\
section{break-inside:auto}\
@media print{body{max-width:none;padding:0;font-size:11pt}nav{display:none}pre{max-height:none}pre,.diff div{white-space:pre-wrap}\
h2{break-after:avoid}tr,.card,li{break-inside:avoid}a{color:inherit;text-decoration:none}\
.card,.tag,.diff .del,.diff .ins{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_page_refers_to_nothing_outside_itself() {
        let html = page(
            "T",
            "s",
            &[("a".into(), "A".into())],
            "<section id=\"a\"></section>",
        );
        for outside in [
            "<script", "<link", "src=", "http:", "https:", "@import", "url(",
        ] {
            assert!(!html.contains(outside), "{outside}");
        }
        assert!(html.contains("<a href=\"#a\">A</a>"));
    }
}
