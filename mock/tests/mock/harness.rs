//! Driving the mock in-process (`oneshot`, no socket) and checking every answer against the
//! schema of its kind.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt as _;
use kyc_mock::{MockConfig, MockState, app};
use kyc_spec::ajv::Validator;
use kyc_spec::{Contract, Document};
use serde_json::Value;
use tower::ServiceExt as _;

/// The fixed token every test mock accepts.
pub const TOKEN: &str = "test-token-0001";
/// The seed of every deterministic test mock.
pub const SEED: u64 = 20_221_007;

/// A mock driven without a socket.
pub struct Mock {
    pub state: MockState,
    router: Router,
}

/// One answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Value,
}

impl Mock {
    pub fn new(config: MockConfig) -> Mock {
        let state = MockState::new(config);
        Mock {
            router: app(state.clone()),
            state,
        }
    }

    /// Seeded, manual clock, fixed token [`TOKEN`].
    pub fn deterministic() -> Mock {
        Mock::new(deterministic_config())
    }

    /// The status, content type and raw bytes of the answer, unchecked.
    async fn exchange(&self, request: Request<Body>) -> (u16, String, Vec<u8>) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().expect("ASCII content type").to_owned())
            .unwrap_or_default();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("the body arrives")
            .to_bytes();
        (status, content_type, bytes.to_vec())
    }

    /// The status and raw bytes of the answer, unchecked.
    pub async fn send_raw(&self, request: Request<Body>) -> (u16, Vec<u8>) {
        let (status, _, bytes) = self.exchange(request).await;
        (status, bytes)
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let (method, path) = (
            request.method().to_string(),
            request.uri().path().to_owned(),
        );
        let (status, content_type, bytes) = self.exchange(request).await;
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "answer {status} is not JSON ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        });
        let answer = Answer {
            status,
            content_type,
            body,
        };
        answer.assert_valid_for(&method, &path);
        answer
    }

    pub async fn post_json(&self, path: &str, body: Value) -> Answer {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-connectfi-token", TOKEN)
            .body(Body::from(body.to_string()))
            .expect("valid request");
        self.send(request).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        let request = Request::get(path)
            .header("x-connectfi-token", TOKEN)
            .body(Body::empty())
            .expect("valid request");
        self.send(request).await
    }

    pub async fn init(&self, customer_id: &str) -> Answer {
        self.post_json(
            "/customer/kyc/init",
            serde_json::json!({ "customerId": customer_id }),
        )
        .await
    }

    pub async fn upload(&self, customer_id: &str, document_id: &str, file_name: &str) -> Answer {
        let (content_type, body) = multipart("file", Some(file_name), "image/png", b"\x89PNG fake");
        let request = Request::post(format!("/customer/kyc/upload/{customer_id}/{document_id}"))
            .header(header::CONTENT_TYPE, content_type)
            .header("x-connectfi-token", TOKEN)
            .body(Body::from(body))
            .expect("valid request");
        self.send(request).await
    }
}

pub fn deterministic_config() -> MockConfig {
    MockConfig {
        token: Some(TOKEN.to_owned()),
        ..MockConfig::deterministic(SEED)
    }
}

/// A multipart/form-data body with one part.
pub fn multipart(
    name: &str,
    file_name: Option<&str>,
    content_type: &str,
    content: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "----kyc-mock-test-boundary";
    let file = file_name.map_or(String::new(), |f| format!("; filename=\"{f}\""));
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Answer {
    /// The answer's kind decides its schema: 200 envelopes, token answers, error bodies (for
    /// answers of the KYC and login endpoints; [`Answer::assert_valid_for`] knows every route).
    pub fn assert_valid(&self) {
        assert_eq!(self.content_type, "application/json; charset=utf-8");
        let doc = if self.status != 200 {
            Document::Error
        } else if self.body["data"].get("token").is_some() {
            Document::AuthTokenResponse
        } else {
            Document::KycInitResponse
        };
        assert_schema(doc, &self.body);
    }

    /// The answer is valid against the document the contract names for its route and status
    /// (an error body whatever the route, for a 4xx).
    pub fn assert_valid_for(&self, method: &str, path: &str) {
        assert_eq!(self.content_type, "application/json; charset=utf-8");
        let doc = Contract::embedded()
            .response_document(method, path, self.status)
            .unwrap_or_else(|| {
                panic!(
                    "{method} {path}: the contract describes no {} answer",
                    self.status
                )
            });
        assert_schema(doc, &self.body);
    }

    pub fn kyc_status(&self) -> &str {
        self.body["data"]["kyc"]["status"]
            .as_str()
            .unwrap_or_else(|| panic!("no kyc.status in {}", self.body))
    }

    /// Ids of the document slots, in order.
    pub fn document_ids(&self) -> Vec<String> {
        self.body["data"]["kycDocumentList"]
            .as_array()
            .unwrap_or_else(|| panic!("no kycDocumentList in {}", self.body))
            .iter()
            .map(|d| d["id"].as_str().expect("document id").to_owned())
            .collect()
    }
}

/// Asserts `body` is valid against one of the spec's documents.
pub fn assert_schema(doc: Document, body: &Value) {
    assert!(
        validator(doc).is_valid(body),
        "not a valid {}: {body:#}",
        doc.file_name()
    );
}

fn validator(doc: Document) -> &'static Validator {
    Validator::embedded(doc)
}
