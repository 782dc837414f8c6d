//! The mock over a real loopback socket: the whole flow with a token from `/auth/get-token`,
//! hostile input that must get a 4xx without hurting the server, and stopping.

use std::time::Duration;

use kyc_mock::builtin::{JOHN_TESTMAN_UNDERSCORE, JOHN_TESTMAN_UNDERSCORE_LICENSE_FRONT};
use kyc_mock::{DEFAULT_LOGIN, DEFAULT_PASSWORD, JSON_BODY_LIMIT, MockConfig, RunningMock, spawn};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::harness::{Answer, deterministic_config, multipart};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().expect("ASCII").to_owned())
        .unwrap_or_default();
    let body: Value = response.json().await.expect("a JSON body");
    let answer = Answer {
        status,
        content_type,
        body,
    };
    answer.assert_valid();
    answer
}

async fn started() -> RunningMock {
    spawn(deterministic_config())
        .await
        .expect("the mock starts")
}

#[tokio::test]
async fn the_whole_flow_works_over_a_socket_with_a_logged_in_token() {
    let mock = spawn(MockConfig::default()).await.expect("the mock starts");
    assert!(mock.addr.ip().is_loopback());
    let base = mock.base_url();
    let http = client();
    let login = json!({"user": {"login": DEFAULT_LOGIN, "password": DEFAULT_PASSWORD}});
    let token = answer(
        http.post(format!("{base}/auth/get-token"))
            .json(&login)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(token.status, 200);
    let token = token.body["data"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(token.len(), 66);

    let init = http
        .post(format!("{base}/customer/kyc/init"))
        .header("x-connectfi-token", &token)
        .json(&json!({"customerId": JOHN_TESTMAN_UNDERSCORE}))
        .send()
        .await
        .expect("sent");
    let init = answer(init).await;
    assert_eq!((init.status, init.kyc_status()), (200, "WAITING_DATA"));

    let (ct, body) = multipart("file", Some("front.png"), "image/png", b"png bytes");
    let upload = http
        .post(format!("{base}/customer/kyc/upload/{JOHN_TESTMAN_UNDERSCORE}/{JOHN_TESTMAN_UNDERSCORE_LICENSE_FRONT}"))
        .header("x-connectfi-token", &token)
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .expect("sent");
    let upload = answer(upload).await;
    assert_eq!(
        upload.body["data"]["kycDocumentList"][0]["uploadStatus"],
        true
    );

    let attrs = http
        .post(format!("{base}/customer/kyc/add-attributes"))
        .header("x-connectfi-token", &token)
        .json(&json!({"customerId": JOHN_TESTMAN_UNDERSCORE}))
        .send()
        .await
        .expect("sent");
    assert_eq!(answer(attrs).await.kyc_status(), "WAITING_DATA");

    let status = http
        .get(format!(
            "{base}/customer/kyc/status/{JOHN_TESTMAN_UNDERSCORE}"
        ))
        .header("x-connectfi-token", &token)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        answer(status).await.body["data"]["kycDocumentList"][0]["extension"],
        "png"
    );
    mock.shutdown().await.expect("clean stop");
}

#[tokio::test]
async fn the_wall_clock_ticker_moves_customers_on_by_itself() {
    let config = MockConfig {
        token: Some("t".to_owned()),
        delays: kyc_mock::Delays {
            pending: Duration::from_millis(50),
            review: Duration::from_millis(50),
        },
        ..MockConfig::default()
    };
    let mock = spawn(config).await.expect("starts");
    let base = mock.base_url();
    let http = client();
    let init = json!({"customerId": kyc_mock::builtin::PENDING_THEN_DECLINED});
    let sent = http
        .post(format!("{base}/customer/kyc/init"))
        .header("x-connectfi-token", "t")
        .json(&init)
        .send();
    assert_eq!(
        answer(sent.await.expect("sent")).await.kyc_status(),
        "PENDING"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let path = format!("{base}/customer/kyc/status/csta_PendingThenDeclined");
    let status = http
        .get(path)
        .header("x-connectfi-token", "t")
        .send()
        .await
        .expect("sent");
    assert_eq!(answer(status).await.kyc_status(), "DECLINED");
}

#[tokio::test]
async fn oversized_bodies_get_413_declared_or_streamed() {
    let mock = started().await;
    let url = format!("{}/customer/kyc/init", mock.base_url());
    let http = client();
    let big = format!("{{\"customerId\":\"{}\"}}", "a".repeat(JSON_BODY_LIMIT));
    let declared = http
        .post(&url)
        .header("x-connectfi-token", super::harness::TOKEN)
        .header("content-type", "application/json")
        .body(big.clone())
        .send()
        .await
        .expect("sent");
    let declared = answer(declared).await;
    assert_eq!(
        (declared.status, declared.body["code"].as_str()),
        (413, Some("payloadTooLarge"))
    );

    // Without Content-Length the limit is enforced while reading.
    let mut request = format!(
        "POST /customer/kyc/init HTTP/1.1\r\nhost: mock\r\nx-connectfi-token: {}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        super::harness::TOKEN
    )
    .into_bytes();
    for chunk in big.as_bytes().chunks(64 * 1024) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let response = raw(&mock, &request).await;
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(
        response.contains("\"code\":\"payloadTooLarge\""),
        "{response}"
    );
    assert_still_serving(&mock).await;
}

/// Sends bytes on a fresh connection and returns whatever comes back before the server closes
/// (or 2 s pass). Write errors are ignored: the server may answer and close early.
async fn raw(mock: &RunningMock, bytes: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(mock.addr)
        .await
        .expect("connect");
    let _ = stream.write_all(bytes).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn assert_still_serving(mock: &RunningMock) {
    let url = format!(
        "{}/customer/kyc/status/{JOHN_TESTMAN_UNDERSCORE}",
        mock.base_url()
    );
    let response = client()
        .get(url)
        .header("x-connectfi-token", super::harness::TOKEN)
        .send()
        .await
        .expect("the server still answers");
    assert_eq!(answer(response).await.status, 200);
}

#[tokio::test]
async fn hostile_input_gets_4xx_and_the_server_keeps_serving() {
    let mock = started().await;
    let token = super::harness::TOKEN;
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let cases: Vec<(String, Vec<u8>, u16, &str)> = vec![
        (
            "application/json".into(),
            deep.into_bytes(),
            400,
            "invalidBody",
        ),
        (
            "application/json".into(),
            b"{\"customerId\":\"\xc3\x28\"}".to_vec(),
            400,
            "invalidBody",
        ),
        (
            "application/json".into(),
            b"\x00\x01\x02".to_vec(),
            400,
            "invalidBody",
        ),
        ("application/json".into(), Vec::new(), 400, "invalidBody"),
        (
            "text/html".into(),
            b"<html>".to_vec(),
            415,
            "unsupportedMediaType",
        ),
        (
            "application/json".into(),
            b"{\"customerId\":\"csta_NobodyHere\"}".to_vec(),
            400,
            "customerNotFound",
        ),
    ];
    let http = client();
    for (ct, body, status, code) in cases {
        let response = http
            .post(format!("{}/customer/kyc/init", mock.base_url()))
            .header("x-connectfi-token", token)
            .header("content-type", ct.clone())
            .body(body)
            .send()
            .await
            .expect("sent");
        let got = answer(response).await;
        assert_eq!(
            (got.status, got.body["code"].as_str()),
            (status, Some(code)),
            "{ct}"
        );
    }
    // Not HTTP at all: hyper answers 400 and closes; the mock carries on.
    let garbage = raw(&mock, b"\x16\x03\x01 this is not http\r\n\r\n").await;
    assert!(
        garbage.is_empty() || garbage.starts_with("HTTP/1.1 400"),
        "{garbage}"
    );
    // A header line without a value, a bad method, an absurd path.
    for request in [
        &b"POST /customer/kyc/init HTTP/1.1\r\nhost\r\n\r\n"[..],
        &b"BREW /customer/kyc/init HTTP/1.1\r\nhost: mock\r\nconnection: close\r\n\r\n"[..],
        &b"GET /%%%%/../.. HTTP/1.1\r\nhost: mock\r\nconnection: close\r\n\r\n"[..],
    ] {
        let response = raw(&mock, request).await;
        assert!(!response.starts_with("HTTP/1.1 5"), "{response}");
    }
    assert_still_serving(&mock).await;
}

#[tokio::test]
async fn a_stopped_or_dropped_mock_refuses_connections() {
    let mock = started().await;
    let addr = mock.addr;
    mock.shutdown().await.expect("clean stop");
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());

    let mock = started().await;
    let addr = mock.addr;
    drop(mock);
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "the dropped mock still accepts connections");
}

#[tokio::test]
async fn a_hand_built_impossible_customer_is_refused_at_spawn() {
    let mut config = MockConfig::default();
    config.scenarios.customers.push(kyc_mock::Template::new(
        "csta_NoOutcome",
        "1",
        serde_json::Map::new(),
        &[],
    ));
    let err = spawn(config).await.expect_err("no outcome path");
    assert!(err.to_string().contains("afterData"), "{err}");
}
