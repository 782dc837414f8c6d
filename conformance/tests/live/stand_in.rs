//! What the report tests (`audit`, `migrate`) share: their scratch directories, the command that
//! runs a report, and stand-in targets on 127.0.0.1, the mock with a
//! few routes in front of it, so each test says only what its target does differently.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use kyc_mock::{MockConfig, MockState};
use serde_json::{Value, json};
use tower::ServiceExt as _;

/// An empty directory for one test's reports: `<target tmp>/<area>/<name>`.
pub fn scratch(area: &str, name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(area)
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary's report subcommand (`audit`, `migrate`) writing into `out`, with no
/// credentials from the environment and no proxy: whatever the environment says, a
/// stand-in is reached directly on 127.0.0.1. With a `target` it gets the stand-ins' token.
pub fn report_command(
    subcommand: &str,
    out: &std::path::Path,
    target: Option<&str>,
) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kyc-conformance"));
    cmd.arg(subcommand).arg("--out").arg(out);
    cmd.env_remove("CONNECTFI_LOGIN")
        .env_remove("CONNECTFI_PASSWORD")
        .env("NO_PROXY", "127.0.0.1")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY");
    match target {
        Some(url) => cmd.args(["--target", url]).env("CONNECTFI_TOKEN", TOKEN),
        None => cmd.env_remove("CONNECTFI_TOKEN"),
    };
    cmd
}

/// The token every stand-in takes.
pub const TOKEN: &str = "audit-test-token";

/// The configuration a stand-in's mock starts from: the audit's token, seeded ids, and the
/// wall clock, as a live target's (the token lifetime is measured against this machine's).
pub fn config() -> MockConfig {
    MockConfig {
        token: Some(TOKEN.to_owned()),
        seed: Some(9),
        ..MockConfig::default()
    }
}

/// A stand-in target on 127.0.0.1: the routes `intercept` builds (given the mock, to forward
/// to) in front of a mock with `config`, which answers every other path. Returns its base URL;
/// it serves on its own thread until the test binary exits.
pub fn stand_in(
    config: MockConfig,
    intercept: impl FnOnce(Router) -> Router + Send + 'static,
) -> String {
    let (url, bound) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let mock = kyc_mock::app(MockState::new(config));
            let app = intercept(mock.clone()).fallback_service(mock);
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
                .await
                .unwrap();
            url.send(format!("http://{}", listener.local_addr().unwrap()))
                .unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    bound.recv().unwrap()
}

/// `POST path` with its JSON body put through `edit` first: `edit` answers itself (`Some`),
/// or leaves the body, changed or not, for the mock to answer.
pub fn edit_json(mock: Router, path: &str, edit: fn(&mut Value) -> Option<Response>) -> Router {
    let handler = move |request: Request| async move {
        let (mut parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        let bytes = match serde_json::from_slice::<Value>(&bytes) {
            Ok(mut json) => {
                if let Some(answer) = edit(&mut json) {
                    return answer;
                }
                json.to_string().into_bytes()
            }
            Err(_) => bytes.to_vec(),
        };
        parts.headers.insert("content-length", bytes.len().into());
        let request = Request::from_parts(parts, Body::from(bytes));
        mock.oneshot(request).await.unwrap()
    };
    Router::new().route(path, post(handler))
}

/// connectFi's 404 for a route it does not know, as the mock answers it.
pub fn not_found(method: &str, path: &str) -> Value {
    json!({"requestId": "0123456789abcdef0123456789abcdef", "code": "notFound",
        "context": {"reason": format!("no endpoint {method} {path}")}, "message": "Not found."})
}

/// A router that has retired the deprecated endpoints: every `/customer/kyc/*` route answers
/// 404 `notFound`, whatever the token (D21: the route is checked first).
pub fn deprecated_gone() -> Router {
    let gone = |request: Request| async move {
        let body = not_found(request.method().as_str(), request.uri().path());
        (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
    };
    Router::new().route("/customer/kyc/{*rest}", any(gone))
}

/// `POST path` answered by the mock, its JSON answer put through `edit` on the way out.
pub fn edit_answer(mock: Router, path: &str, edit: fn(&mut Value)) -> Router {
    let handler = move |request: Request| async move {
        let answer = mock.oneshot(request).await.unwrap();
        let (mut parts, body) = answer.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        let bytes = match serde_json::from_slice::<Value>(&bytes) {
            Ok(mut json) => {
                edit(&mut json);
                json.to_string().into_bytes()
            }
            Err(_) => bytes.to_vec(),
        };
        parts.headers.insert("content-length", bytes.len().into());
        Response::from_parts(parts, Body::from(bytes))
    };
    Router::new().route(path, post(handler))
}
