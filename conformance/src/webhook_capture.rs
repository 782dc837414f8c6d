//! Webhook capture: a receiver on 127.0.0.1 that collects the status-change callbacks a
//! target sends during a replay, so they can be checked like answers.
//!
//! Each case gets its own slot (`/webhook/<slot>`); the runner points the request's
//! `webhookURL` at the slot's URL, so callbacks are attributed to the case that caused them
//! even when cases run concurrently. Waiting is event-driven: [`Receiver::wait`] returns as
//! soon as the expected number of callbacks has arrived, or at the deadline.
//!
//! [`check`] validates every callback against `webhook.schema.json` and counts them against
//! the cassette's `expectedWebhooks`. Callback bodies hold personal data: they are never
//! logged, and findings carry JSON pointers and Ajv messages, never values.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use kyc_spec::Document;
use kyc_spec::ajv::{Mode, Validator};
use serde_json::Value;
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;

/// How long a case waits for its expected callbacks when the cassette gives no `withinMs`.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// The slot of a case: its name with anything outside `[A-Za-z0-9._-]` (the `#` of
/// repeated copies) replaced by `~`, so it is one URL path segment.
pub fn slot(case: &str) -> String {
    case.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '~'
            }
        })
        .collect()
}

/// The request body with its callback URL (the field at `pointer`, the contract's
/// `urlPointer` for the operation: `/webhookURL`, `/webhookUrl`) pointed at `url`; `None` when
/// the body is not JSON or has no non-empty URL there (no callback was asked for).
pub fn point_at(body: &[u8], pointer: &str, url: &str) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let hook = value.pointer_mut(pointer)?;
    if hook.as_str().is_none_or(str::is_empty) {
        return None;
    }
    *hook = Value::String(url.to_string());
    Some(value.to_string().into_bytes())
}

/// One callback as it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captured {
    /// The `content-type` header, if any.
    pub content_type: Option<String>,
    /// The raw body.
    pub body: Vec<u8>,
}

#[derive(Debug, Default)]
struct Inbox {
    slots: Mutex<BTreeMap<String, Vec<Captured>>>,
    arrived: Notify,
}

/// How the receiver is reached: its port on 127.0.0.1, and the public address of a tunnel
/// to it, if there is one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exposure {
    /// The loopback port (0: an ephemeral one).
    pub port: u16,
    /// The tunnel's public base URL (`https://abc.example-tunnel.dev`), without the path.
    pub public_url: Option<String>,
}

/// A running receiver; stops when [`Receiver::shutdown`] is called or it is dropped.
#[derive(Debug)]
pub struct Receiver {
    addr: SocketAddr,
    /// Where a tunnel exposes the receiver, when one does: callbacks are registered there.
    public: Option<String>,
    inbox: Arc<Inbox>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Receiver {
    /// Starts listening on an ephemeral loopback port.
    pub async fn start() -> std::io::Result<Receiver> {
        Receiver::start_exposed(&Exposure::default()).await
    }

    /// Starts listening on 127.0.0.1 at `exposure.port` (0: an ephemeral one); with a public
    /// URL, callbacks are registered at that address, which a tunnel forwards to this port,
    /// so that a live target can reach them. The receiver itself never listens beyond the
    /// loopback.
    pub async fn start_exposed(exposure: &Exposure) -> std::io::Result<Receiver> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", exposure.port)).await?;
        let addr = listener.local_addr()?;
        let inbox = Arc::new(Inbox::default());
        let app = Router::new()
            .route("/webhook/{slot}", post(receive))
            .with_state(inbox.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!("webhook receiver stopped: {e}");
            }
        });
        Ok(Receiver {
            addr,
            public: exposure
                .public_url
                .as_deref()
                .map(|u| u.trim_end_matches('/').to_owned()),
            inbox,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Where callbacks for `slot` (a cassette name: letters, digits, `.`, `_`, `-`) go.
    pub fn url(&self, slot: &str) -> String {
        match &self.public {
            Some(base) => format!("{base}/webhook/{slot}"),
            None => format!("http://{}/webhook/{slot}", self.addr),
        }
    }

    /// Whether callbacks are registered at a tunnel's public address (so a target beyond this
    /// machine can reach them).
    pub fn is_public(&self) -> bool {
        self.public.is_some()
    }

    /// The loopback address it listens on (where a tunnel forwards to).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits until `count` callbacks have reached `slot` or `within` has passed, and
    /// returns what arrived (possibly more than `count`, possibly fewer).
    pub async fn wait(&self, slot: &str, count: usize, within: Duration) -> Vec<Captured> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            // Register interest before looking, so an arrival in between is not missed.
            let arrived = self.inbox.arrived.notified();
            let have = self.take_snapshot(slot);
            if have.len() >= count {
                return have;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return self.take_snapshot(slot);
            }
        }
    }

    fn take_snapshot(&self, slot: &str) -> Vec<Captured> {
        let slots = self
            .inbox
            .slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slots.get(slot).cloned().unwrap_or_default()
    }

    /// Stops listening and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn receive(
    State(inbox): State<Arc<Inbox>>,
    Path(slot): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    tracing::debug!(%slot, bytes = body.len(), "webhook received");
    inbox
        .slots
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(slot)
        .or_default()
        .push(Captured {
            content_type,
            body: body.to_vec(),
        });
    inbox.arrived.notify_waiters();
    StatusCode::OK
}

/// What is wrong with the callbacks of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Fewer callbacks arrived than the cassette expects.
    Missing {
        /// Expected.
        expected: usize,
        /// Arrived in time.
        arrived: usize,
    },
    /// Callback `index` is not JSON.
    NotJson {
        /// Position in arrival order.
        index: usize,
    },
    /// Callback `index` violates `webhook.schema.json`.
    SchemaViolation {
        /// Position in arrival order.
        index: usize,
        /// JSON pointer into the callback body.
        instance_path: String,
        /// Ajv's keyword.
        keyword: String,
        /// Ajv's message (names the rule, not the value).
        message: String,
    },
}

/// Checks what arrived against the number of expected callbacks and `document`, the schema
/// the contract gives the operation's callbacks.
pub fn check(captured: &[Captured], expected: usize, document: Document) -> Vec<Finding> {
    let mut findings = Vec::new();
    if captured.len() < expected {
        findings.push(Finding::Missing {
            expected,
            arrived: captured.len(),
        });
    }
    for (index, call) in captured.iter().enumerate() {
        let Ok(body) = serde_json::from_slice::<Value>(&call.body) else {
            findings.push(Finding::NotJson { index });
            continue;
        };
        if let Err(errors) = Validator::embedded(document).validate(&body, Mode::AllErrors) {
            findings.extend(errors.into_iter().map(|e| Finding::SchemaViolation {
                index,
                instance_path: e.instance_path,
                keyword: e.keyword.to_owned(),
                message: e.message.to_string(),
            }));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn behind_a_tunnel_callbacks_are_registered_at_its_address_and_arrive_on_the_loopback() {
        let exposure = Exposure {
            port: 0,
            public_url: Some("https://tunnel.invalid/".to_owned()),
        };
        let receiver = Receiver::start_exposed(&exposure).await.unwrap();
        assert_eq!(
            receiver.url("case-1"),
            "https://tunnel.invalid/webhook/case-1"
        );
        assert!(receiver.local_addr().ip().is_loopback());
        // What the tunnel would forward: the same path, on the loopback port.
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let at = format!("http://{}/webhook/case-1", receiver.local_addr());
        let sent = client.post(&at).body("{}").send().await.unwrap();
        assert!(sent.status().is_success());
        let got = receiver.wait("case-1", 1, Duration::from_secs(5)).await;
        assert_eq!(got.len(), 1);
    }

    #[tokio::test]
    async fn collects_callbacks_per_slot_and_stops_waiting_when_they_are_in() {
        let receiver = Receiver::start().await.unwrap();
        assert!(receiver.url("case-1").starts_with("http://127.0.0.1:"));
        // No proxy: the test must talk to 127.0.0.1 only, whatever the environment says.
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        for (slot, body) in [("case-1", "{\"a\":1}"), ("case-2", "x"), ("case-1", "{}")] {
            let status = client
                .post(receiver.url(slot))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status, 200);
        }
        let started = tokio::time::Instant::now();
        let got = receiver.wait("case-1", 2, Duration::from_secs(30)).await;
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "waited for nothing"
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].body, b"{}");
        assert_eq!(got[0].content_type.as_deref(), Some("application/json"));
        let none = receiver.wait("case-3", 1, Duration::from_millis(50)).await;
        assert!(none.is_empty());
        receiver.shutdown().await;
    }

    #[test]
    fn callbacks_are_validated_against_the_webhook_schema() {
        let call = |body: Value| Captured {
            content_type: Some("application/json".into()),
            body: body.to_string().into_bytes(),
        };
        let findings = check(
            &[call(serde_json::json!({"code": "0"}))],
            1,
            Document::Webhook,
        );
        assert!(
            findings.iter().any(|f| matches!(f,
                Finding::SchemaViolation { index: 0, keyword, .. } if keyword == "required")),
            "{findings:?}"
        );
    }

    #[test]
    fn requests_are_pointed_at_the_case_slot() {
        assert_eq!(slot("init-a.b_c#3"), "init-a.b_c~3");
        let body = br#"{"customerId":"c","webhookURL":"http://127.0.0.1:9000/x"}"#;
        let pointed = point_at(body, "/webhookURL", "http://127.0.0.1:1/webhook/s").unwrap();
        let v: Value = serde_json::from_slice(&pointed).unwrap();
        assert_eq!(v["webhookURL"], "http://127.0.0.1:1/webhook/s");
        assert_eq!(v["customerId"], "c");
        for none in [
            &br#"{"webhookURL":""}"#[..],
            br#"{"webhookURL":null}"#,
            b"{}",
            b"[1]",
            b"x",
        ] {
            assert_eq!(point_at(none, "/webhookURL", "u"), None);
        }
    }

    #[test]
    fn missing_and_unreadable_callbacks_are_findings() {
        let call = |body: &str| Captured {
            content_type: None,
            body: body.as_bytes().to_vec(),
        };
        assert_eq!(
            check(&[call("not json")], 2, Document::Webhook),
            [
                Finding::Missing {
                    expected: 2,
                    arrived: 1
                },
                Finding::NotJson { index: 0 }
            ]
        );
    }
}
