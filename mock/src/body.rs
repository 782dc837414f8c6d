//! Reading a request body the way a careful server does: right content type, bounded size,
//! UTF-8, well-formed, bounded depth. Each failure is a clear 4xx, never a panic.
//!
//! A refused body is not left unread. Closing a socket that still has unread bytes makes the
//! kernel reset the connection, and a client that writes its whole body before reading
//! (Python's urllib, `requests`) then gets a broken pipe instead of the answer. So, like
//! nginx's lingering close, [`RequestBody::linger`] reads and discards what is still coming,
//! bounded in bytes and time, before the answer goes out.

use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody as _};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, EXPECT};
use http_body_util::BodyExt as _;
use serde_json::Value;

use super::error::ApiError;

/// Largest JSON body read, in bytes.
pub const JSON_BODY_LIMIT: usize = 1 << 20;
/// Largest upload read, in bytes.
pub const UPLOAD_BODY_LIMIT: usize = 10 << 20;

/// Most bytes read and thrown away after refusing a body: more than any limit above, so a
/// client that overshoots the upload limit by a few MiB still reads its 413.
const LINGER_BYTES: u64 = 16 << 20;
/// Longest wait for the next piece of a refused body (nginx's `lingering_timeout` is 5 s).
const LINGER_IDLE: Duration = Duration::from_secs(2);
/// Longest time spent draining one refused body (nginx's `lingering_time` is 30 s; a local
/// mock needs far less, and a slow client must not hold a handler for long).
const LINGER_TIME: Duration = Duration::from_secs(10);

/// Whether the request says it carries JSON (`application/json`, any parameters).
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| m.eq_ignore_ascii_case("application/json"))
}

/// The media type without parameters, if the header is readable.
pub(crate) fn media_type(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or_default().trim())
}

fn too_large(limit: usize) -> ApiError {
    ApiError::PayloadTooLarge(format!("the body is over the limit of {limit} bytes"))
}

/// A request body as a handler reads it, with what [`RequestBody::linger`] needs to close
/// the exchange cleanly.
#[derive(Debug)]
pub(crate) struct RequestBody {
    body: Body,
    /// `Content-Length`, when the client sent a readable one.
    declared: Option<u64>,
    /// The client sent `Expect: 100-continue`: it sends the body only once asked for it.
    expects_continue: bool,
    /// Bytes read so far.
    received: u64,
    /// Whether reading has begun (for hyper, that is asking for the body: `100 Continue`).
    started: bool,
}

impl RequestBody {
    pub(crate) fn new(headers: &HeaderMap, body: Body) -> RequestBody {
        let declared = headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let expects_continue = headers
            .get(EXPECT)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
        RequestBody {
            body,
            declared,
            expects_continue,
            received: 0,
            started: false,
        }
    }

    /// Refuses a declared length over `limit` before reading anything.
    pub(crate) fn check_declared_length(&self, limit: usize) -> Result<(), ApiError> {
        match self.declared {
            Some(n) if n > limit as u64 => Err(too_large(limit)),
            _ => Ok(()),
        }
    }

    /// Reads the whole body, refusing it once it grows over `limit`; the rest stays unread
    /// for [`RequestBody::linger`].
    pub(crate) async fn read(&mut self, limit: usize) -> Result<Bytes, ApiError> {
        self.started = true;
        let mut out = Vec::new();
        while let Some(frame) = self.body.frame().await {
            let frame = frame.map_err(|e| {
                ApiError::InvalidBody(format!("the body could not be received: {e}"))
            })?;
            // Trailers carry no body bytes.
            let Ok(data) = frame.into_data() else {
                continue;
            };
            self.received += data.len() as u64;
            if out.len() + data.len() > limit {
                return Err(too_large(limit));
            }
            if out.is_empty() && self.body.is_end_stream() {
                // The usual case, one frame: no copy.
                return Ok(data);
            }
            out.extend_from_slice(&data);
        }
        Ok(Bytes::from(out))
    }

    /// Reads and discards whatever the client is still sending, up to [`LINGER_BYTES`] and
    /// [`LINGER_TIME`] (and [`LINGER_IDLE`] between pieces), so that the answer is not lost to a connection reset. Returns at once
    /// when the body has been read to its end, as every accepted one has.
    pub(crate) async fn linger(mut self) {
        if self.body.is_end_stream() {
            return;
        }
        // A client waiting for `100 Continue` has sent no body and, once it reads the answer,
        // will send none; reading now would ask for it.
        if self.expects_continue && !self.started {
            return;
        }
        // More than the budget is declared still to come: the client would be cut off anyway.
        let budget = LINGER_BYTES;
        if self
            .declared
            .is_some_and(|n| n.saturating_sub(self.received) > budget)
        {
            tracing::debug!(declared = ?self.declared, "refused body too large to drain");
            return;
        }
        let body = &mut self.body;
        let drained = tokio::time::timeout(LINGER_TIME, async move {
            let mut left = budget;
            loop {
                match tokio::time::timeout(LINGER_IDLE, body.frame()).await {
                    Ok(Some(Ok(frame))) => {
                        let len = frame.data_ref().map_or(0, |data| data.len() as u64);
                        match left.checked_sub(len) {
                            Some(rest) => left = rest,
                            None => return Err("over the byte budget"),
                        }
                    }
                    Ok(None) => return Ok(()),
                    // The connection is broken; there is nothing left to save.
                    Ok(Some(Err(_))) => return Err("the body could not be received"),
                    Err(_) => return Err("the client went quiet"),
                }
            }
        })
        .await
        .unwrap_or(Err("out of time"));
        if let Err(why) = drained {
            tracing::debug!(why, "gave up draining a refused body");
        }
    }
}

/// Reads a body that says it is JSON, without parsing it.
pub(crate) async fn read_json(
    headers: &HeaderMap,
    body: &mut RequestBody,
) -> Result<Bytes, ApiError> {
    if !is_json(headers) {
        let got = headers
            .get(CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        return Err(ApiError::UnsupportedMediaType(match got {
            Some(got) => format!("expected Content-Type application/json, got {got:?}"),
            None => "expected Content-Type application/json, got none".to_owned(),
        }));
    }
    body.check_declared_length(JSON_BODY_LIMIT)?;
    body.read(JSON_BODY_LIMIT).await
}

/// Parses bytes already received, naming what is wrong with them.
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
