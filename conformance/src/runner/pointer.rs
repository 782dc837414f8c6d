//! JSON pointers (RFC 6901) with a `*` segment that matches any one segment, as used by a
//! cassette's `volatile` and `arrayKeys` entries.

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

/// Splits a pointer into unescaped segments.
pub fn split(text: &str) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Joins unescaped segments into a pointer.
pub fn join(path: &[String]) -> String {
    path.iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
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
    fn escapes_round_trip() {
        let path = split("/a~1b/c~0d");
        assert_eq!(path, vec!["a/b".to_string(), "c~d".to_string()]);
        assert_eq!(join(&path), "/a~1b/c~0d");
    }
}
