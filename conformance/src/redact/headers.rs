//! Which headers may be written down as they are, and what replaces the others.
//!
//! Names are compared case-insensitively on requests and answers alike (a case-sensitive
//! `Set-Cookie` lookup is how live cookies reached committed cassettes in other tools).
//! Three lists decide:
//!
//! * [`KEPT`]: transport and content negotiation; the value is kept (still scrubbed for
//!   embedded tokens, see [`super::detect`]);
//! * the token header `x-connectfi-token` becomes `{{token}}`, which replay fills again;
//! * everything else, the known credential headers ([`SECRET`]) and any header this list
//!   does not know, becomes `[redacted]` unless it is already a placeholder: an unknown
//!   header cannot be proven harmless, so it is not kept.

use kyc_spec::contract::TOKEN_HEADER;

use super::pseudonym::{REDACTED, is_decoy, is_placeholder};

/// Headers whose values describe the transport or the content, never a person or a secret.
pub const KEPT: [&str; 26] = [
    "accept",
    "accept-encoding",
    "accept-language",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-allow-origin",
    "cache-control",
    "connection",
    "content-encoding",
    "content-language",
    "content-length",
    "content-type",
    "date",
    "deprecation",
    "etag",
    "expires",
    "host",
    "keep-alive",
    "last-modified",
    "pragma",
    "retry-after",
    "server",
    "sunset",
    "transfer-encoding",
    "vary",
    "x-request-id",
];

/// Headers known to carry credentials.
pub const SECRET: [&str; 10] = [
    TOKEN_HEADER,
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "x-auth-token",
    "x-csrf-token",
    "x-signature",
    "x-webhook-signature",
];

/// How a header is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Written as is.
    Keep,
    /// The session token: `{{token}}`.
    Token,
    /// A credential or an unknown header: `[redacted]`.
    Redact,
}

/// The policy for header `name`.
pub fn policy(name: &str) -> Policy {
    let name = name.to_ascii_lowercase();
    if name == TOKEN_HEADER {
        Policy::Token
    } else if KEPT.contains(&name.as_str()) {
        Policy::Keep
    } else {
        Policy::Redact
    }
}

/// Whether `name` is a credential header (used by `lint`, which also flags such a header
/// holding anything but a placeholder).
pub fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET.contains(&name.as_str())
        || [
            "token",
            "secret",
            "password",
            "cookie",
            "auth",
            "api-key",
            "signature",
        ]
        .iter()
        .any(|word| name.contains(word))
}

/// Whether a header value is only placeholders (`{{token}}`, `Bearer {{token}}`,
/// `[redacted]`), i.e. already carries nothing real.
pub fn is_templated(value: &str) -> bool {
    let mut words = value.split_whitespace().peekable();
    if words.peek().is_none() {
        return true;
    }
    let scheme =
        |w: &str| ["bearer", "basic", "token", "digest"].contains(&w.to_ascii_lowercase().as_str());
    let mut saw_placeholder = false;
    for (i, word) in words.enumerate() {
        if is_placeholder(word) {
            saw_placeholder = true;
        } else if !(i == 0 && scheme(word)) {
            return false;
        }
    }
    saw_placeholder
}

/// What header `name` with `value` is recorded as, before text scrubbing.
pub fn redact(name: &str, value: &str) -> Option<String> {
    // A decoy is a negative test's deliberately wrong credential: replacing it with
    // `{{token}}` would turn the test into its opposite.
    if is_templated(value) || is_decoy(value) {
        return None;
    }
    match policy(name) {
        Policy::Keep => None,
        Policy::Token => Some("{{token}}".to_string()),
        Policy::Redact => Some(REDACTED.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_and_unknown_headers_never_survive() {
        assert_eq!(
            redact("X-ConnectFi-Token", "abc").as_deref(),
            Some("{{token}}")
        );
        for name in [
            "Set-Cookie",
            "set-cookie",
            "Cookie",
            "Authorization",
            "X-Custom",
        ] {
            assert_eq!(
                redact(name, "sid=1; HttpOnly").as_deref(),
                Some("[redacted]"),
                "{name}"
            );
        }
        assert_eq!(redact("Content-Type", "application/json"), None);
        assert_eq!(redact("authorization", "Bearer {{token}}"), None);
        assert_eq!(redact("x-connectfi-token", "{{token}}"), None);
        assert_eq!(
            redact("authorization", "Bearer abc"),
            Some("[redacted]".into())
        );
        assert_eq!(redact("authorization", "Bearer"), Some("[redacted]".into()));
        assert_eq!(
            redact("x-connectfi-token", "not-a-token-the-server-issued"),
            None
        );
        assert_eq!(
            redact("x-connectfi-token", "not-a-Token"),
            Some("{{token}}".into())
        );
    }

    #[test]
    fn secret_names() {
        assert!(is_secret("Set-Cookie"));
        assert!(is_secret("x-my-session-token"));
        assert!(!is_secret("content-type"));
    }
}
