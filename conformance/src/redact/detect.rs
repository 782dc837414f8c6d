//! Pattern detectors for secrets and personal data in free text, wherever it sits.
//!
//! The schema says where personal data is expected; these catch it where it is not: an
//! email inside an error message, a token in a webhook URL's query, a bearer token in a
//! header nobody anticipated. Recorder, report writer, logs and `lint` share them.
//! Matches that are themselves synthetic (reserved email domains, `000…` digit runs,
//! placeholders) are not findings.

use std::sync::OnceLock;

use regex::Regex;

use super::pseudonym::{is_placeholder, is_reserved_domain};

/// What a detector found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Detected {
    /// A JSON Web Token.
    Jwt,
    /// `Bearer …`/`Basic …` followed by a literal credential.
    BearerToken,
    /// An email address outside the reserved domains.
    Email,
    /// A run of ten or more digits shaped like a phone number.
    Phone,
    /// A US social security number shape (`ddd-dd-dddd` or nine bare digits).
    Ssn,
}

impl Detected {
    /// Stable name used in lint findings.
    pub fn name(self) -> &'static str {
        match self {
            Detected::Jwt => "jwt",
            Detected::BearerToken => "bearer_token",
            Detected::Email => "email",
            Detected::Phone => "phone_number",
            Detected::Ssn => "ssn",
        }
    }

    /// Whether this is a credential rather than personal data.
    pub fn is_secret(self) -> bool {
        matches!(self, Detected::Jwt | Detected::BearerToken)
    }
}

/// One finding: what, and the byte range in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// What was found.
    pub what: Detected,
    /// Where, as a byte range into the scanned text.
    pub range: std::ops::Range<usize>,
}

struct Detectors {
    jwt: Regex,
    bearer: Regex,
    email: Regex,
    phone: Regex,
    ssn: Regex,
}

fn detectors() -> &'static Detectors {
    static D: OnceLock<Detectors> = OnceLock::new();
    D.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("the detector patterns are fixed and valid");
        Detectors {
            jwt: re(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
            bearer: re(r"(?i)\b(?:bearer|basic)\s+([A-Za-z0-9._~+/=-]{6,}|\{\{[^{}]+\}\})"),
            email: re(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)"),
            phone: re(r"(?:\+\d|\b\d)(?:[ .()-]{0,2}\d){9,14}\b"),
            ssn: re(r"\b(?:\d{3}-\d{2}-\d{4}|\d{9})\b"),
        }
    })
}

/// A cheap test that `text` could hold anything [`scan`] finds: an `@`, a JWT's `eyJ`, a
/// bearer or basic credential, or at least nine digits. Most strings (ids, enum values,
/// timestamps) fail it, which spares them the regular expressions.
pub fn may_match(text: &str) -> bool {
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    digits >= 9
        || text.contains('@')
        || text.contains("eyJ")
        || text
            .as_bytes()
            .windows(5)
            .any(|w| w.eq_ignore_ascii_case(b"basic") || w.eq_ignore_ascii_case(b"beare"))
}

/// Every secret or personal-data shape in `text`, in order of position.
pub fn scan(text: &str) -> Vec<Hit> {
    let d = detectors();
    let mut hits = Vec::new();
    for m in d.jwt.find_iter(text) {
        hits.push(Hit {
            what: Detected::Jwt,
            range: m.range(),
        });
    }
    for c in d.bearer.captures_iter(text) {
        let credential = c.get(1).expect("group 1 always takes part");
        if !is_placeholder(credential.as_str()) {
            hits.push(Hit {
                what: Detected::BearerToken,
                range: credential.range(),
            });
        }
    }
    for c in d.email.captures_iter(text) {
        let domain = c.get(1).expect("group 1 always takes part").as_str();
        if domain.contains('.') && !is_reserved_domain(domain) {
            let whole = c.get(0).expect("group 0 is the match");
            hits.push(Hit {
                what: Detected::Email,
                range: whole.range(),
            });
        }
    }
    for m in d.phone.find_iter(text) {
        if !synthetic_digits(m.as_str()) && !looks_like_date(m.as_str()) {
            hits.push(Hit {
                what: Detected::Phone,
                range: m.range(),
            });
        }
    }
    for m in d.ssn.find_iter(text) {
        if !synthetic_digits(m.as_str()) && !overlaps(&hits, &m.range()) {
            hits.push(Hit {
                what: Detected::Ssn,
                range: m.range(),
            });
        }
    }
    hits.sort_by_key(|h| (h.range.start, h.range.end));
    // A JWT's tail may look like other things; keep the outermost finding only.
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits {
        if !overlaps(&kept, &hit.range) {
            kept.push(hit);
        }
    }
    kept
}

fn overlaps(hits: &[Hit], range: &std::ops::Range<usize>) -> bool {
    hits.iter()
        .any(|h| h.range.start < range.end && range.start < h.range.end)
}

/// Digit runs starting `000` are what pseudonyms look like; no phone or SSN starts so.
fn synthetic_digits(text: &str) -> bool {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.starts_with("000")
}

/// `2022-10-07 17:18` has ten digits but is a timestamp.
fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b[..4]
            .iter()
            .chain(&b[5..7])
            .chain(&b[8..10])
            .all(u8::is_ascii_digit)
}

/// Whether a header value looks like a credential on its own: long, one token, no spaces,
/// letters and digits mixed. Used for headers only: ids in bodies look the same and are
/// classified by the schema instead.
pub fn looks_random(value: &str) -> bool {
    if value.len() < 20 || is_placeholder(value) {
        return false;
    }
    let charset_ok = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.+/=~".contains(&b));
    let has_digit = value.bytes().any(|b| b.is_ascii_digit());
    let has_alpha = value.bytes().any(|b| b.is_ascii_alphabetic());
    let mut distinct: Vec<u8> = value.bytes().collect();
    distinct.sort_unstable();
    distinct.dedup();
    charset_ok && has_digit && has_alpha && distinct.len() >= 10
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<&'static str> {
        let found: Vec<&'static str> = scan(text).into_iter().map(|h| h.what.name()).collect();
        assert!(
            found.is_empty() || may_match(text),
            "the prefilter misses {text:?}"
        );
        found
    }

    #[test]
    fn finds_secrets_and_personal_shapes() {
        assert_eq!(
            kinds("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln here"),
            ["jwt"]
        );
        assert_eq!(
            kinds("Authorization: Bearer abc123def456"),
            ["bearer_token"]
        );
        assert_eq!(kinds("write to jane.roe@mailbox.org please"), ["email"]);
        assert_eq!(kinds("call +1 (555) 666-7777"), ["phone_number"]);
        assert_eq!(kinds("ssn 123-45-6789 and 987654321"), ["ssn", "ssn"]);
    }

    #[test]
    fn ignores_synthetic_values_and_ids() {
        for text in [
            "Bearer {{token}}",
            "anon-1a2b3c4d@example.invalid",
            "someone@example.com",
            "0001234567",
            "3eb38da0b79811ed877e9cb46042ed12",
            "csta_6clNH3W2pBehujY8mpTCU8",
            "2022-10-07T17:18:56.424Z",
            "2022-10-07 17:18:56",
            "must have required property 'customerId'",
            "http://127.0.0.1:9000/kyc-callback?ref=123",
        ] {
            assert_eq!(kinds(text), Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn random_looking_header_values() {
        assert!(looks_random("k3J9x0Qw7LmN2bV5cX8zA1sD4fG6hJ"));
        assert!(!looks_random("application/json; charset=utf-8"));
        assert!(!looks_random("{{token}}"));
        assert!(!looks_random("short1"));
    }
}
