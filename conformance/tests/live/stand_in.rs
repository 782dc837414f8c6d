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
        // State changes in real time, as a sandbox's, but short: the audit's journeys wait
        // for them.
        delays: kyc_mock::Delays {
            pending: std::time::Duration::from_millis(300),
            review: std::time::Duration::from_millis(300),
        },
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

/// A stand-in on 127.0.0.1 whose every JSON answer goes through `edit` on the way out, in
/// front of a mock with `config`: a sandbox that follows the contract but spells its own
/// values (account ids, system names, labels) and adds what the contract allows.
pub fn stand_in_answers(config: MockConfig, edit: fn(&mut Value)) -> String {
    stand_in(config, move |mock| {
        let handler = move |request: Request| async move {
            // The outer route's own path parameters must not reach the mock's routes.
            let (mut parts, body) = request.into_parts();
            parts.extensions = Default::default();
            let request = Request::from_parts(parts, body);
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
        Router::new()
            .route("/", any(handler.clone()))
            .route("/{*rest}", any(handler))
    })
}

/// A sandbox that makes its own choices where the contract leaves them open: every created
/// customer's KYC asks for a passport and a utility bill (not what the mock's first-name
/// triggers choose), state changes take real time, the account's values are its own
/// (`aggregatorId`, the KYC system and mode, document labels), and individuals' envelopes
/// carry the empty `businessAddresses` and `businessPhones` arrays.
pub fn own_choices() -> String {
    stand_in_answers(own_config(), own_values)
}

/// [`own_choices`]' mock: passport and utility bill for everyone, short real delays.
pub fn own_config() -> MockConfig {
    MockConfig {
        kyc_asks: Some("PassportUtility".to_owned()),
        delays: kyc_mock::Delays {
            pending: std::time::Duration::from_millis(150),
            review: std::time::Duration::from_millis(150),
        },
        ..config()
    }
}

/// The stand-in's own spelling of what the mock invents.
pub fn own_values(answer: &mut Value) {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    match (key.as_str(), &*value) {
                        ("aggregatorId", Value::String(_)) => *value = json!("ACME-SANDBOX-7"),
                        ("system", Value::String(_)) => *value = json!("falcon"),
                        ("mode", Value::String(_)) => *value = json!("passportFalcon"),
                        ("label", Value::String(s)) => *value = json!(format!("{s} (scan)")),
                        _ => walk(value),
                    }
                }
                let individual = map.get("firstName").is_some() && map.get("lastName").is_some();
                if individual && !map.contains_key("businessAddresses") {
                    map.insert("businessAddresses".into(), json!([]));
                    map.insert("businessPhones".into(), json!([]));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(answer);
}

/// Every deviation of a JSON replay report.
pub fn deviations(report: &Value) -> Vec<Value> {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["deviations"].as_array().unwrap().clone())
        .collect()
}
