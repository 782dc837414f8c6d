//! Keyed, format-preserving pseudonyms, and how to recognise one.
//!
//! A pseudonym is `HMAC-SHA256(key, kind ‖ value)` rendered in the shape of the original, so
//! the same real value gives the same pseudonym within one recording (relations between the
//! request, the answer and the webhooks survive) while nothing links two recordings made
//! with different keys. The key of a recording is random and lives only in memory unless
//! the person recording pins it (`KYC_PSEUDONYM_KEY`) to make re-recordings diffable.
//!
//! Every shape is recognisably synthetic, which is what lets `lint` tell a redacted
//! cassette from a leaked one:
//!
//! | original | pseudonym | why it cannot be real |
//! |---|---|---|
//! | `local@domain` | `anon-1a2b3c4d@example.invalid` | `.invalid` never resolves (RFC 2606) |
//! | `YYYY-MM-DD` | a date in 1900–1909 | nobody that old opens an account |
//! | only digits | `000` then digits, at least 6 long | no phone number, SSN or US ZIP code starts `000` |
//! | a personal text | `anon-1a2b3c4d`, padded with `0` to the original's length | |
//! | a text the schema does not describe | `redacted-1a2b3c4d` | |
//!
//! A value is only given a shaped pseudonym when it already has that shape, so a real value
//! that breaks the schema (an email without `@`) still breaks it after redaction.

use std::fmt;

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

/// What a pseudonym stands for; part of the HMAC input so that equal texts in different roles
/// (an unclassified string and a personal one) do not collide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A value the schema marks `x-personal`.
    Personal,
    /// A value at a place the schema does not describe.
    Unclassified,
}

impl Role {
    fn label(self) -> &'static str {
        match self {
            Role::Personal => "anon",
            Role::Unclassified => "redacted",
        }
    }
}

/// The secret that keys one recording's pseudonyms.
#[derive(Clone)]
pub struct PseudonymKey(hmac::Key);

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key itself must never reach a log line.
        f.write_str("PseudonymKey(..)")
    }
}

/// The operating system could not supply randomness for a key.
#[derive(Debug, thiserror::Error)]
#[error("the system random number generator failed; cannot key pseudonyms")]
pub struct KeyError;

impl PseudonymKey {
    /// A fresh random key: pseudonyms of one recording cannot be linked to any other.
    pub fn random() -> Result<PseudonymKey, KeyError> {
        let mut bytes = [0u8; 32];
        SystemRandom::new().fill(&mut bytes).map_err(|_| KeyError)?;
        Ok(PseudonymKey(hmac::Key::new(hmac::HMAC_SHA256, &bytes)))
    }

    /// A key derived from a passphrase, for recordings that must be reproducible.
    pub fn from_passphrase(passphrase: &str) -> PseudonymKey {
        let outer = hmac::Key::new(hmac::HMAC_SHA256, b"kyc-conformance pseudonym key v1");
        let derived = hmac::sign(&outer, passphrase.as_bytes());
        PseudonymKey(hmac::Key::new(hmac::HMAC_SHA256, derived.as_ref()))
    }

    fn digest(&self, role: Role, kind: &str, value: &str) -> [u8; 32] {
        let mut ctx = hmac::Context::with_key(&self.0);
        ctx.update(role.label().as_bytes());
        ctx.update(&[0]);
        ctx.update(kind.as_bytes());
        ctx.update(&[0]);
        ctx.update(value.as_bytes());
        let tag = ctx.sign();
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        out
    }

    /// The pseudonym of a string, shaped like it.
    pub fn string(&self, role: Role, value: &str) -> String {
        let shape = Shape::of(value);
        let d = self.digest(role, shape.name(), value);
        // The tag starts with a letter, so no run of its digits stands alone as a word: an
        // all-digit tag would look like an SSN or a phone number to the detectors.
        let hex8 = format!(
            "{}{}",
            char::from(b"abcdef"[usize::from(d[0] % 6)]),
            &hex(&d[1..5])[..7]
        );
        match (role, shape) {
            (_, Shape::Empty) => String::new(),
            (_, Shape::Email) => format!("{}-{hex8}@example.invalid", role.label()),
            (_, Shape::Date) => {
                let n = u32::from_be_bytes([d[4], d[5], d[6], d[7]]);
                let year = 1900 + n % 10;
                let month = 1 + (n / 10) % 12;
                let day = 1 + (n / 120) % 28;
                format!("{year:04}-{month:02}-{day:02}")
            }
            (_, Shape::Digits(len)) => {
                let mut out = String::from("000");
                for b in d[4..].iter().cycle().take(len.max(6) - 3) {
                    out.push(char::from(b'0' + b % 10));
                }
                out
            }
            (_, Shape::Text) => {
                // As long as the original when that is longer, so a value over a schema's
                // `maxLength` is still over it after redaction.
                let mut out = format!("{}-{hex8}", role.label());
                let len = value.chars().count();
                if len > out.len() {
                    out.extend(std::iter::repeat_n('0', len - out.len()));
                }
                out
            }
        }
    }

    /// Picks one of `choices` for an enumerated personal value, so it still validates.
    pub fn choice<'a, T>(&self, value: &str, choices: &'a [T]) -> Option<&'a T> {
        if choices.is_empty() {
            return None;
        }
        let d = self.digest(Role::Personal, "enum", value);
        let n = u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]);
        let len = u64::try_from(choices.len()).expect("a schema enum is small");
        choices.get(usize::try_from(n % len).expect("index below the enum length"))
    }

    /// The pseudonym of a personal number: another number of the same kind.
    pub fn number(&self, value: &serde_json::Number) -> serde_json::Number {
        let d = self.digest(Role::Personal, "number", &value.to_string());
        let n = u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]) % 1_000_000;
        serde_json::Number::from(n)
    }

    /// The pseudonym of a personal boolean.
    pub fn boolean(&self, value: bool) -> bool {
        self.digest(Role::Personal, "bool", if value { "t" } else { "f" })[0] & 1 == 1
    }
}

/// The shapes a pseudonym preserves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Empty,
    Email,
    Date,
    Digits(usize),
    Text,
}

impl Shape {
    fn of(value: &str) -> Shape {
        if value.is_empty() {
            Shape::Empty
        } else if value.bytes().all(|b| b.is_ascii_digit()) {
            Shape::Digits(value.len())
        } else if is_date(value) {
            Shape::Date
        } else if value
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty())
        {
            Shape::Email
        } else {
            Shape::Text
        }
    }

    fn name(self) -> &'static str {
        match self {
            Shape::Empty => "empty",
            Shape::Email => "email",
            Shape::Date => "date",
            Shape::Digits(_) => "digits",
            Shape::Text => "text",
        }
    }
}

fn is_date(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Whether `value` is a pseudonym or placeholder this module (or a person following its
/// conventions by hand) could have written.
pub fn is_synthetic(value: &str) -> bool {
    if value.is_empty() || is_placeholder(value) {
        return true;
    }
    if let Some(rest) = value
        .strip_prefix("anon-")
        .or_else(|| value.strip_prefix("redacted-"))
    {
        let (tag, domain) = rest.split_once('@').unwrap_or((rest, ""));
        // Eight hex digits, then (text padded to the original's length) only zeros.
        let tag_ok = tag.len() >= 8
            && tag.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            && tag.bytes().skip(8).all(|b| b == b'0')
            && (tag.len() == 8 || domain.is_empty());
        return tag_ok && (domain.is_empty() || domain == "example.invalid");
    }
    if is_date(value) {
        return value.starts_with("190");
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return value.len() >= 6 && value.starts_with("000");
    }
    value
        .rsplit_once('@')
        .is_some_and(|(_, domain)| is_reserved_domain(domain))
}

/// `{{name}}` (filled at replay) or a bracketed marker such as `[redacted]` or `[token]` (a
/// removed value nothing can fill).
pub fn is_placeholder(value: &str) -> bool {
    is_marker(value)
        || (value.starts_with("{{")
            && value.ends_with("}}")
            && value.len() > 4
            && !value[2..value.len() - 2].contains(['{', '}']))
}

/// A deliberately wrong credential in a negative test (`wrong-password`,
/// `not-a-token-the-server-issued`): it starts with `wrong-`, `invalid-`, `fake-` or `not-a-`
/// and is lower-case words and digits joined by hyphens, so it cannot be mistaken for a real
/// token ("a long random string") and a reviewer sees at once what it is for.
pub fn is_decoy(value: &str) -> bool {
    ["wrong-", "invalid-", "fake-", "not-a-"]
        .iter()
        .any(|p| value.starts_with(p))
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_marker(value: &str) -> bool {
    value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .is_some_and(|word| {
            word.starts_with(|c: char| c.is_ascii_lowercase())
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-: ".contains(&b))
        })
}

/// What replaces a secret that no placeholder can refill.
pub const REDACTED: &str = "[redacted]";

/// Domains reserved for documentation and tests (RFC 2606, RFC 6761): an address there
/// belongs to nobody.
pub fn is_reserved_domain(domain: &str) -> bool {
    let d = domain.to_ascii_lowercase();
    let d = d.trim_end_matches('.');
    ["example.com", "example.net", "example.org"].contains(&d)
        || ["example", "invalid", "test", "localhost"]
            .iter()
            .any(|tld| d == *tld || d.ends_with(&format!(".{tld}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> PseudonymKey {
        PseudonymKey::from_passphrase("test")
    }

    #[test]
    fn same_value_same_pseudonym_and_keys_do_not_link() {
        let a = key().string(Role::Personal, "Testman");
        assert_eq!(a, key().string(Role::Personal, "Testman"));
        assert_ne!(a, key().string(Role::Personal, "Testwoman"));
        assert_ne!(
            a,
            PseudonymKey::from_passphrase("other").string(Role::Personal, "Testman")
        );
        let random = PseudonymKey::random().unwrap();
        assert_ne!(a, random.string(Role::Personal, "Testman"));
    }

    #[test]
    fn shapes_are_preserved_and_recognisably_synthetic() {
        let k = key();
        for (real, looks) in [
            ("jane.doe@mail.example.de", "email"),
            ("1978-10-15", "date"),
            ("5556667777", "digits"),
            ("123", "digits"),
            ("42 Elm Road", "text"),
        ] {
            let p = k.string(Role::Personal, real);
            assert!(is_synthetic(&p), "{looks}: {p}");
            assert!(!is_synthetic(real), "{real}");
            match looks {
                "email" => assert!(p.ends_with("@example.invalid") && p.starts_with("anon-")),
                "date" => assert!(is_date(&p) && p.starts_with("190"), "{p}"),
                "digits" => {
                    assert!(p.bytes().all(|b| b.is_ascii_digit()));
                    assert_eq!(p.len(), real.len().max(6));
                }
                _ => assert!(p.starts_with("anon-") && p.len() == 13),
            }
        }
        assert!(k.string(Role::Unclassified, "x").starts_with("redacted-"));
        let long = "A".repeat(60);
        let padded = k.string(Role::Personal, &long);
        assert_eq!(padded.len(), 60);
        assert!(is_synthetic(&padded) && padded.ends_with("000"));
        assert_eq!(k.string(Role::Personal, ""), "");
    }

    #[test]
    fn real_looking_values_are_not_synthetic() {
        for real in [
            "John",
            "1978-10-15",
            "5556667777",
            "aa@aa.aa",
            "anon-xyz",
            "{{a}b}}",
        ] {
            assert!(!is_synthetic(real), "{real}");
        }
        for fake in [
            "{{token}}",
            "[redacted]",
            "[token]",
            "someone@example.com",
            "x@y.test",
            "1905-01-01",
        ] {
            assert!(is_synthetic(fake), "{fake}");
        }
    }

    #[test]
    fn tags_never_look_like_numbers() {
        let k = key();
        for i in 0..2000 {
            let p = k.string(Role::Personal, &format!("Person {i}"));
            let tag = &p["anon-".len().."anon-".len() + 8];
            assert!(tag.starts_with(|c: char| c.is_ascii_lowercase()), "{p}");
            assert!(super::super::detect::scan(&p).is_empty(), "{p}");
        }
    }

    #[test]
    fn choices_stay_in_the_enum() {
        let choices = ["M", "F"];
        let picked = key().choice("F", &choices).unwrap();
        assert!(choices.contains(picked));
        assert!(key().choice::<&str>("F", &[]).is_none());
    }

    #[test]
    fn debug_never_prints_the_key() {
        assert_eq!(format!("{:?}", key()), "PseudonymKey(..)");
    }
}
