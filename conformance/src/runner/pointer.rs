//! JSON pointers (RFC 6901) with a `*` segment that matches any one segment, as used by a
//! cassette's `volatile` and `arrayKeys` entries.

use kyc_spec::pointer;

/// A parsed pointer pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    segments: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Any,
    Exact(String),
}

impl Pattern {
    /// Parses `"/data/kycDocumentList/*/id"`; the empty string is the whole document.
    pub fn parse(text: &str) -> Pattern {
        let segments = split(text)
            .into_iter()
            .map(|s| {
                if s == "*" {
                    Segment::Any
                } else {
                    Segment::Exact(s)
                }
            })
            .collect();
        Pattern { segments }
    }

    /// True when the concrete pointer given as segments is matched.
    pub fn matches(&self, path: &[String]) -> bool {
        self.segments.len() == path.len()
            && self
                .segments
                .iter()
                .zip(path)
                .all(|(p, s)| matches!(p, Segment::Any) || matches!(p, Segment::Exact(e) if e == s))
    }

    /// The pattern as an insta redaction selector (`.data.kycDocumentList[].id`).
    pub fn to_selector(&self) -> String {
        let mut out = String::new();
        for s in &self.segments {
            match s {
                Segment::Any => out.push_str("[]"),
                Segment::Exact(name)
                    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    out.push('.');
                    out.push_str(name);
                }
                Segment::Exact(name) => {
                    out.push_str(&format!("[{}]", serde_json::Value::from(name.as_str())));
                }
            }
        }
        out
    }
}

/// One step of a concrete path, borrowed from the document being walked, so walking a body
/// allocates nothing until a pointer has to be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg<'a> {
    /// An object member.
    Key(&'a str),
    /// An array element.
    Index(usize),
}

impl Pattern {
    /// True when the concrete path is matched.
    pub fn matches_segs(&self, path: &[Seg<'_>]) -> bool {
        self.segments.len() == path.len()
            && self.segments.iter().zip(path).all(|(p, s)| match (p, s) {
                (Segment::Any, _) => true,
                (Segment::Exact(e), Seg::Key(k)) => e == k,
                (Segment::Exact(e), Seg::Index(i)) => e.parse::<usize>() == Ok(*i),
            })
    }
}

/// Joins borrowed segments into a pointer.
pub fn join_segs(path: &[Seg<'_>]) -> String {
    let mut out = String::new();
    for s in path {
        out.push('/');
        match s {
            Seg::Key(k) => out.push_str(&pointer::escape(k)),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// Splits a pointer into unescaped segments.
pub fn split(text: &str) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split('/')
        .skip(1)
        .map(|s| pointer::unescape(s).into_owned())
        .collect()
}

/// Joins unescaped segments into a pointer.
pub fn join(path: &[String]) -> String {
    let mut out = String::new();
    for s in path {
        pointer::push(&mut out, s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_matches_any_one_segment() {
        let p = Pattern::parse("/data/kycDocumentList/*/id");
        assert!(p.matches(&split("/data/kycDocumentList/1/id")));
        assert!(!p.matches(&split("/data/kycDocumentList/1")));
        assert!(!p.matches(&split("/data/kyc/1/id")));
        assert_eq!(p.to_selector(), ".data.kycDocumentList[].id");
    }

    #[test]
    fn borrowed_segments_match_and_join_like_owned_ones() {
        let p = Pattern::parse("/data/kycDocumentList/*/id");
        let path = [
            Seg::Key("data"),
            Seg::Key("kycDocumentList"),
            Seg::Index(1),
            Seg::Key("id"),
        ];
        assert!(p.matches_segs(&path));
        assert!(Pattern::parse("/a/0").matches_segs(&[Seg::Key("a"), Seg::Index(0)]));
        assert_eq!(join_segs(&[Seg::Key("a/b"), Seg::Index(2)]), "/a~1b/2");
    }

    #[test]
    fn escapes_round_trip() {
        let path = split("/a~1b/c~0d");
        assert_eq!(path, vec!["a/b".to_string(), "c~d".to_string()]);
        assert_eq!(join(&path), "/a~1b/c~0d");
    }
}
