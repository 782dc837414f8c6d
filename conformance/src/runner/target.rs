//! What a run is aimed at: the embedded mock, or the base URL of a live target.

use std::fmt;
use std::str::FromStr;

/// A replay, record or audit target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The crate's own mock, started in-process on a loopback port ([`super::embedded`]).
    Mock,
    /// A live target's base URL (`http://` or `https://`, no trailing slash).
    Url(String),
}

/// A `--target` value that is neither `mock` nor an http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is neither `mock` nor an http:// or https:// base URL")]
pub struct BadTarget(pub String);

impl FromStr for Target {
    type Err = BadTarget;

    fn from_str(s: &str) -> Result<Target, BadTarget> {
        if s == "mock" {
            return Ok(Target::Mock);
        }
        let rest = s
            .strip_prefix("http://")
            .or_else(|| s.strip_prefix("https://"));
        match rest {
            Some(host) if !host.is_empty() && !host.starts_with('/') => {
                Ok(Target::Url(s.trim_end_matches('/').to_owned()))
            }
            _ => Err(BadTarget(s.to_owned())),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Mock => f.write_str("mock"),
            Target::Url(url) => f.write_str(url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mock_and_urls_parse_and_anything_else_is_refused() {
        assert_eq!("mock".parse(), Ok(Target::Mock));
        assert_eq!(
            "https://sandbox.example/".parse(),
            Ok(Target::Url("https://sandbox.example".into()))
        );
        assert_eq!(
            "http://127.0.0.1:8080"
                .parse::<Target>()
                .map(|t| t.to_string()),
            Ok("http://127.0.0.1:8080".into())
        );
        for bad in [
            "",
            "Mock",
            "sandbox.example",
            "ftp://x",
            "http://",
            "https:///x",
        ] {
            assert_eq!(bad.parse::<Target>(), Err(BadTarget(bad.into())), "{bad}");
        }
    }
}
