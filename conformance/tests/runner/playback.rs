//! A test server that answers every request with the recorded response of the cassette whose
//! method and path match, optionally altered: the reference target against which a correct
//! runner must report nothing, and a faulty one must be caught.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use kyc_conformance::cassette::Cassette;
use serde_json::Value;

/// The token the playback server expects; tests give it to the session.
pub const TOKEN: &str = "test-token-2f1c9d";

/// How the playback server departs from the recording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answers exactly as recorded (volatile values regenerated).
    None,
    /// Adds a field and changes `/data/kyc/status`.
    Drift,
    /// Echoes the token it received inside the body.
    LeakToken,
    /// Sleeps before answering.
    Slow(Duration),
}

/// A playback server on a loopback port; aborted when dropped.
#[derive(Debug)]
pub struct Playback {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Playback {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Playback {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

pub async fn start(cassettes: Vec<Cassette>, fault: Fault) -> Playback {
    let cassettes = Arc::new(cassettes);
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let cassettes = cassettes.clone();
        async move { answer(&cassettes, fault, req).await }
    });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Playback { addr, task }
}

async fn answer(cassettes: &[Cassette], fault: Fault, req: Request<Body>) -> Response<Body> {
    if let Fault::Slow(d) = fault {
        tokio::time::sleep(d).await;
    }
    let token = req
        .headers()
        .get("x-connectfi-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let found = cassettes.iter().find(|c| {
        let path = c.steps[0].request.path.replace(
            "{{customerId}}",
            c.variables.get("customerId").map_or("", |s| s),
        );
        c.steps[0].request.method == req.method().as_str() && path == req.uri().path()
    });
    let Some(c) = found else {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::empty())
            .unwrap();
    };
    let mut body = c.steps[0].response.body.clone().map(|b| fill(b, c));
    if let Some(Value::Object(map)) = body.as_mut() {
        if map.contains_key("requestId") {
            // A fresh id, as a real server would send: the runner must treat it as volatile.
            map.insert(
                "requestId".into(),
                "0123456789abcdef0123456789abcdef".into(),
            );
        }
        match fault {
            Fault::Drift => {
                map.insert("extra".into(), true.into());
                if let Some(status) = map
                    .get_mut("data")
                    .and_then(|d| d.get_mut("kyc"))
                    .and_then(|k| k.get_mut("status"))
                {
                    *status = "PENDING".into();
                }
            }
            Fault::LeakToken => {
                map.insert("echo".into(), token.into());
            }
            Fault::None | Fault::Slow(_) => {}
        }
    }
    let mut builder = Response::builder().status(c.steps[0].response.status);
    for (k, v) in &c.steps[0].response.headers {
        builder = builder.header(k, v.as_str().unwrap_or_default());
    }
    let bytes = match body {
        None => Vec::new(),
        Some(Value::String(s)) => s.into_bytes(),
        Some(v) => v.to_string().into_bytes(),
    };
    builder.body(Body::from(bytes)).unwrap()
}

fn fill(v: Value, c: &Cassette) -> Value {
    match v {
        Value::String(s) => {
            let mut s = s;
            for (k, val) in &c.variables {
                s = s.replace(&format!("{{{{{k}}}}}"), val);
            }
            Value::String(s)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(|x| fill(x, c)).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, x)| (k, fill(x, c))).collect()),
        other => other,
    }
}

/// A small cassette in the seed's shape, for tests that need one without reading the suite.
pub fn seed_cassette(name: &str) -> Cassette {
    let text = include_str!("fixtures/seed.json").replace("\"seed\"", &format!("{name:?}"));
    Cassette::from_json_str(std::path::Path::new("fixtures/seed.json"), &text).unwrap()
}
