//! What a report page owes whoever opens it from disk, checked on the parsed page rather than
//! its text: it parses as HTML, its parts are `<section id>`s, and nothing in it refers outside
//! the page or runs (no script, no stylesheet link, no `@import` or `url(` in its style, every
//! `src` or `href` a `#fragment` naming an element of the same page).

use std::panic;

/// Attributes that make a browser fetch or navigate.
const REFERRING: [&str; 7] = [
    "src",
    "href",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
];

/// Elements that run code, fetch something or embed another document.
const FORBIDDEN: [&str; 6] = ["script", "link", "iframe", "object", "embed", "base"];

/// Parses `html`, asserts it is one self-contained page and returns the ids of its
/// `<section>`s in document order.
#[track_caller]
pub(crate) fn assert_self_contained(html: &str) -> Vec<String> {
    let dom = tl::parse(html, tl::ParserOptions::default())
        .unwrap_or_else(|e| panic!("the page does not parse: {e}"));
    let parser = dom.parser();
    let tags: Vec<&tl::HTMLTag<'_>> = dom.nodes().iter().filter_map(tl::Node::as_tag).collect();
    let name_of = |tag: &tl::HTMLTag<'_>| tag.name().as_utf8_str().to_ascii_lowercase();
    for needed in ["html", "head", "title", "body"] {
        assert!(
            tags.iter().any(|t| name_of(t) == needed),
            "the page has no <{needed}>"
        );
    }
    let mut ids = Vec::new();
    let mut sections = Vec::new();
    let mut fragments = Vec::new();
    for tag in tags {
        let name = name_of(tag);
        assert!(
            !FORBIDDEN.contains(&name.as_str()),
            "the page has a <{name}>"
        );
        for (key, value) in tag.attributes().iter() {
            let key = key.to_ascii_lowercase();
            let value = value.unwrap_or_default();
            assert!(
                !key.starts_with("on"),
                "<{name} {key}> runs a script when the page is opened"
            );
            if REFERRING.contains(&key.as_str()) {
                let Some(fragment) = value.strip_prefix('#') else {
                    panic!("<{name} {key}=\"{value}\"> refers outside the page");
                };
                fragments.push(fragment.to_owned());
            }
            if key == "style" {
                assert_fetches_nothing(&value, &format!("the style attribute of a <{name}>"));
            }
            if key == "id" {
                ids.push(value.clone().into_owned());
                if name == "section" {
                    sections.push(value.into_owned());
                }
            }
        }
        if name == "style" {
            assert_fetches_nothing(&tag.inner_text(parser), "a <style>");
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for id in &ids {
        assert!(seen.insert(id), "the id {id:?} is on more than one element");
    }
    for fragment in fragments {
        assert!(
            seen.contains(&fragment),
            "#{fragment} names no element of the page"
        );
    }
    sections
}

#[track_caller]
fn assert_fetches_nothing(css: &str, place: &str) {
    let css = css.to_ascii_lowercase();
    for fetching in ["@import", "url("] {
        assert!(!css.contains(fetching), "{place} has {fetching}");
    }
}

/// The check is not vacuous: each of these pages breaks one rule and is refused.
#[test]
fn a_page_that_refers_outside_itself_is_refused() {
    let page = |head: &str, body: &str| {
        format!(
            "<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"
        )
    };
    let fine = page(
        "<style>p{color:red}</style>",
        "<a href=\"#a\">a</a><section id=\"a\"></section><section id=\"b\"></section>",
    );
    assert_eq!(assert_self_contained(&fine), ["a", "b"]);
    let broken = [
        page("<script>1</script>", ""),
        page("<link rel=\"stylesheet\" href=\"#x\">", "<p id=\"x\"></p>"),
        page("<style>@import 'x.css';</style>", ""),
        page("<style>p{background:URL(x.png)}</style>", ""),
        page("", "<img src=\"http://127.0.0.1/x.png\">"),
        page("", "<a href=\"other.html\">x</a>"),
        page("", "<a href=\"#nowhere\">x</a>"),
        page("", "<p style=\"background:url(x.png)\"></p>"),
        page("", "<p onclick=\"x()\"></p>"),
        page(
            "",
            "<section id=\"a\"></section><section id=\"a\"></section>",
        ),
        "<p>no page around it</p>".to_owned(),
    ];
    // Each refusal's message goes to this test's captured output, shown only if it fails.
    let accepted: Vec<&String> = broken
        .iter()
        .filter(|html| panic::catch_unwind(|| assert_self_contained(html)).is_ok())
        .collect();
    assert!(accepted.is_empty(), "accepted: {accepted:#?}");
}
