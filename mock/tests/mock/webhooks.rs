//! Webhook delivery to a receiver on 127.0.0.1: one POST per status change, in order, with
//! the envelope as body; slow or failing receivers never hold up requests.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use kyc_mock::builtin::{
    JOHN_TESTMAN, JOHN_TESTMAN_LICENSE_BACK, JOHN_TESTMAN_LICENSE_FRONT, PENDING_THEN_APPROVED,
    REVIEW_THEN_DECLINED,
};
use kyc_spec::Document;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::harness::{Mock, assert_schema};

/// A loopback HTTP receiver recording (content type, body) of each POST; `delay` before
/// answering with `status`.
async fn receiver(
    status: StatusCode,
    delay: Duration,
) -> (SocketAddr, mpsc::UnboundedReceiver<(String, Value)>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let handler = move |State(tx): State<mpsc::UnboundedSender<(String, Value)>>,
                        headers: HeaderMap,
                        body: Bytes| async move {
        let ct = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let _ = tx.send((ct, value));
        tokio::time::sleep(delay).await;
        status
    };
    let app = Router::new().route("/hook", post(handler)).with_state(tx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<(String, Value)>) -> Value {
    let (ct, body) = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("a webhook within 5 s")
        .expect("receiver alive");
    assert_eq!(ct, "application/json");
    assert_schema(Document::Webhook, &body);
    body
}

fn status_of(body: &Value) -> &str {
    body["data"]["kyc"]["status"].as_str().expect("status")
}

#[tokio::test]
async fn every_status_change_is_posted_in_order() {
    let (addr, mut rx) = receiver(StatusCode::OK, Duration::ZERO).await;
    let mock = Mock::deterministic();
    let url = format!("http://{addr}/hook?ref=john");
    let init = json!({"customerId": JOHN_TESTMAN, "webhookURL": url});
    assert_eq!(mock.post_json("/customer/kyc/init", init).await.status, 200);
    mock.upload(JOHN_TESTMAN, JOHN_TESTMAN_LICENSE_FRONT, "f.png")
        .await;
    mock.upload(JOHN_TESTMAN, JOHN_TESTMAN_LICENSE_BACK, "b.png")
        .await;
    let attrs = json!({"customerId": JOHN_TESTMAN, "additionalAttributes": {"cardAttributes": {
        "productID": "Virtual_Debit_Card", "nameOnCard": "JOHN TESTMAN", "designId": "1",
        "addressType": "PRIMARY", "issueType": "NEW"}}});
    mock.post_json("/customer/kyc/add-attributes", attrs).await;
    let pending = next(&mut rx).await;
    assert_eq!(status_of(&pending), "PENDING");
    assert_eq!(pending["data"]["customer"]["kycStatus"], "PENDING");
    assert_eq!(pending["data"]["customer"]["customerId"], JOHN_TESTMAN);
    mock.state.advance(mock.state.config().delays.pending);
    assert_eq!(status_of(&next(&mut rx).await), "APPROVED");
    // Nothing more happens to an approved customer.
    mock.state.advance(Duration::from_secs(3600));
    assert!(
        tokio::time::timeout(Duration::from_millis(300), rx.recv())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn timed_changes_are_posted_without_anyone_asking() {
    let (addr, mut rx) = receiver(StatusCode::OK, Duration::ZERO).await;
    let mock = Mock::deterministic();
    let init =
        json!({"customerId": REVIEW_THEN_DECLINED, "webhookURL": format!("http://{addr}/hook")});
    assert_eq!(
        mock.post_json("/customer/kyc/init", init)
            .await
            .kyc_status(),
        "REVIEW"
    );
    // advance() alone (no request) applies the due transition and sends its webhook.
    mock.state.advance(mock.state.config().delays.review);
    let declined = next(&mut rx).await;
    assert_eq!(status_of(&declined), "DECLINED");
}

#[tokio::test]
async fn an_empty_webhook_url_on_a_repeated_init_stops_callbacks() {
    let (addr, mut rx) = receiver(StatusCode::OK, Duration::ZERO).await;
    let mock = Mock::deterministic();
    let url = format!("http://{addr}/hook");
    mock.post_json(
        "/customer/kyc/init",
        json!({"customerId": PENDING_THEN_APPROVED, "webhookURL": url}),
    )
    .await;
    let again = mock
        .post_json(
            "/customer/kyc/init",
            json!({"customerId": PENDING_THEN_APPROVED, "webhookURL": ""}),
        )
        .await;
    assert_eq!(again.kyc_status(), "PENDING");
    mock.state.advance(Duration::from_secs(60));
    assert_eq!(
        mock.get(&format!("/customer/kyc/status/{PENDING_THEN_APPROVED}"))
            .await
            .kyc_status(),
        "APPROVED"
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(300), rx.recv())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn slow_and_failing_receivers_never_hold_up_requests() {
    let (slow, mut slow_rx) = receiver(StatusCode::OK, Duration::from_secs(30)).await;
    let (failing, mut failing_rx) =
        receiver(StatusCode::INTERNAL_SERVER_ERROR, Duration::ZERO).await;
    let mock = Mock::deterministic();
    for (id, addr) in [
        (PENDING_THEN_APPROVED, slow),
        (REVIEW_THEN_DECLINED, failing),
    ] {
        let init = json!({"customerId": id, "webhookURL": format!("http://{addr}/hook")});
        mock.post_json("/customer/kyc/init", init).await;
    }
    let started = Instant::now();
    mock.state.advance(Duration::from_secs(60));
    for _ in 0..20 {
        mock.get(&format!("/customer/kyc/status/{PENDING_THEN_APPROVED}"))
            .await;
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "requests waited for a webhook"
    );
    assert_eq!(status_of(&next(&mut slow_rx).await), "APPROVED");
    // Deliveries are queued in order; the failing receiver's turn comes after the slow one
    // gives up (5 s timeout).
    assert_eq!(
        status_of(&next_within(&mut failing_rx, Duration::from_secs(8)).await),
        "DECLINED"
    );
    assert_eq!(
        mock.get(&format!("/customer/kyc/status/{REVIEW_THEN_DECLINED}"))
            .await
            .status,
        200
    );
}

async fn next_within(rx: &mut mpsc::UnboundedReceiver<(String, Value)>, within: Duration) -> Value {
    let (_, body) = tokio::time::timeout(within, rx.recv())
        .await
        .expect("a webhook in time")
        .expect("receiver alive");
    body
}

#[tokio::test]
async fn destinations_off_the_allowlist_are_never_called_but_init_still_answers() {
    let mock = Mock::deterministic();
    // 192.0.2.0/24 is reserved for documentation; the allowlist refuses it before any I/O.
    let init = json!({"customerId": PENDING_THEN_APPROVED, "webhookURL": "http://192.0.2.1/hook"});
    let started = Instant::now();
    assert_eq!(mock.post_json("/customer/kyc/init", init).await.status, 200);
    mock.state.advance(Duration::from_secs(60));
    assert_eq!(
        mock.get(&format!("/customer/kyc/status/{PENDING_THEN_APPROVED}"))
            .await
            .kyc_status(),
        "APPROVED"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
}
