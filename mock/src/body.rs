//! Reading a JSON request body the way a careful server does: right content type, bounded
//! size, UTF-8, well-formed, bounded depth. Each failure is a clear 4xx, never a panic.

use std::error::Error as _;

use axum::body::Body;
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::Value;

use super::error::ApiError;

/// Largest JSON body read, in bytes.
pub const JSON_BODY_LIMIT: usize = 1 << 20;
/// Largest upload read, in bytes.
pub const UPLOAD_BODY_LIMIT: usize = 10 << 20;

/// Whether the request says it carries JSON (`application/json`, any parameters).
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| m.eq_ignore_ascii_case("application/json"))
}

/// The media type without parameters, if the header is readable.
pub(crate) fn media_type(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or_default().trim())
}

/// Refuses a declared length over `limit` before reading anything.
pub(crate) fn check_declared_length(headers: &HeaderMap, limit: usize) -> Result<(), ApiError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > limit as u64 => Err(too_large(limit)),
        _ => Ok(()),
    }
}

fn too_large(limit: usize) -> ApiError {
    ApiError::PayloadTooLarge(format!("the body is over the limit of {limit} bytes"))
}

/// Reads and parses a JSON body.
pub(crate) async fn read_json(headers: &HeaderMap, body: Body) -> Result<Value, ApiError> {
    if !is_json(headers) {
        let got = headers
            .get(CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        return Err(ApiError::UnsupportedMediaType(match got {
            Some(got) => format!("expected Content-Type application/json, got {got:?}"),
            None => "expected Content-Type application/json, got none".to_owned(),
        }));
    }
    check_declared_length(headers, JSON_BODY_LIMIT)?;
    let bytes = axum::body::to_bytes(body, JSON_BODY_LIMIT)
        .await
        .map_err(|e| {
            if is_length_limit(&e) {
                too_large(JSON_BODY_LIMIT)
            } else {
                ApiError::InvalidBody(format!("the body could not be received: {e}"))
            }
        })?;
    parse_json(&bytes)
}

/// Parses bytes already received.
pub(crate) fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::InvalidBody(
            "the body is empty; expected a JSON object".to_owned(),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ApiError::InvalidBody(format!(
            "the body is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    // serde_json stops at 128 levels of nesting, so deep bodies cannot exhaust the stack.
    serde_json::from_str(text).map_err(|e| {
        let what = if e.to_string().starts_with("recursion limit exceeded") {
            "the body is nested too deeply".to_owned()
        } else {
            format!("the body is not valid JSON: {e}")
        };
        ApiError::InvalidBody(what)
    })
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(e: ApiError) -> String {
        match e {
            ApiError::InvalidBody(r) => r,
            other => panic!("expected invalidBody, got {other:?}"),
        }
    }

    #[test]
    fn unreadable_bodies_are_named_precisely() {
        assert!(reason(parse_json(b"").unwrap_err()).contains("empty"));
        assert!(reason(parse_json(b" \n").unwrap_err()).contains("empty"));
        assert!(
            reason(parse_json(b"{\"a\":\xff}").unwrap_err())
                .contains("not UTF-8 (invalid byte at offset 5)")
        );
        assert!(reason(parse_json(b"{\"a\":").unwrap_err()).contains("not valid JSON"));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(reason(parse_json(deep.as_bytes()).unwrap_err()).contains("nested too deeply"));
        assert_eq!(
            parse_json(b"{\"a\":1}").unwrap(),
            serde_json::json!({"a": 1})
        );
    }
}
