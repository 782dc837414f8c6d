//! Data-driven exchanges: each `cases/*.json` is a list of requests sent in order to a fresh
//! deterministic mock (seeded ids, manual clock); the answers are snapshotted. Adding a case
//! means adding a file and accepting its snapshot.

use std::path::Path;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, header};
use serde::Deserialize;
use serde_json::{Value, json};

use super::harness::{Mock, TOKEN, multipart};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    steps: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Step {
    /// Moves the manual clock before the request.
    #[serde(default)]
    advance_ms: u64,
    method: String,
    path: String,
    /// `fixed` (default), `none`, `login` (the last token handed out) or a literal token.
    #[serde(default = "fixed")]
    token: String,
    /// Send no Content-Type header at all.
    #[serde(default)]
    no_content_type: bool,
    /// Overrides the Content-Type header.
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    json: Option<Value>,
    #[serde(default)]
    raw: Option<String>,
    #[serde(default)]
    bytes: Option<Vec<u8>>,
    #[serde(default)]
    multipart: Option<Part>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Part {
    name: String,
    #[serde(default)]
    filename: Option<String>,
    content_type: String,
    content: String,
}

fn fixed() -> String {
    "fixed".to_owned()
}

#[test]
fn cases() {
    insta::glob!("cases/*.json", |path| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let transcript = runtime.block_on(check(path));
        insta::assert_json_snapshot!(transcript);
    });
}

/// Replays one case and returns its transcript: each request line with the answer.
async fn check(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("readable case");
    let case: Case = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: not a case: {e}", path.display()));
    let mock = Mock::deterministic();
    let mut last_token: Option<String> = None;
    let mut transcript = Vec::new();
    for step in case.steps {
        mock.state.advance(Duration::from_millis(step.advance_ms));
        let mut request = Request::builder()
            .method(step.method.as_str())
            .uri(&step.path);
        let token = match step.token.as_str() {
            "fixed" => Some(TOKEN.to_owned()),
            "none" => None,
            "login" => Some(last_token.clone().expect("a get-token step came first")),
            literal => Some(literal.to_owned()),
        };
        if let Some(token) = token {
            request = request.header("x-connectfi-token", token);
        }
        let (content_type, body) = if let Some(part) = &step.multipart {
            let (ct, body) = multipart(
                &part.name,
                part.filename.as_deref(),
                &part.content_type,
                part.content.as_bytes(),
            );
            (Some(ct), body)
        } else if let Some(json) = &step.json {
            (
                Some("application/json".to_owned()),
                json.to_string().into_bytes(),
            )
        } else if let Some(raw) = &step.raw {
            (
                Some("application/json".to_owned()),
                raw.clone().into_bytes(),
            )
        } else if let Some(bytes) = &step.bytes {
            (Some("application/json".to_owned()), bytes.clone())
        } else {
            (None, Vec::new())
        };
        let content_type = step.content_type.clone().or(content_type);
        if let Some(ct) = content_type.filter(|_| !step.no_content_type) {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        let answer = mock
            .send(request.body(Body::from(body)).expect("valid request"))
            .await;
        if let Some(token) = answer.body["data"]["token"].as_str() {
            last_token = Some(token.to_owned());
        }
        transcript.push(json!({
            "request": format!("{} {}", step.method, step.path),
            "status": answer.status,
            "body": answer.body,
        }));
    }
    Value::Array(transcript)
}

/// Deterministic mode: the same requests to two fresh seeded mocks on manual clocks give
/// byte-identical answers (ids, requestIds, tokens, timestamps), so snapshots are stable.
#[tokio::test]
async fn two_seeded_mocks_answer_byte_for_byte_alike() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mock/cases");
    for name in [
        "john-testman-completes-kyc.json",
        "get-token.json",
        "unreadable-bodies.json",
    ] {
        let (first, second) = (check(&dir.join(name)).await, check(&dir.join(name)).await);
        assert_eq!(first.to_string(), second.to_string(), "{name}");
    }
}
