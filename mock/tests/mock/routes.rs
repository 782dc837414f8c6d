//! The mock serves exactly the contract's operations: each one answers with something other
//! than the mock's own "no such endpoint", and the other method on the same path is a 405.

use axum::body::Body;
use axum::http::Request;
use kyc_spec::Contract;
use kyc_spec::contract::Method;

use super::harness::{Mock, TOKEN};

/// A concrete path for a template: every `{param}` becomes `x`.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|s| if s.starts_with('{') { "x" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_contract_operation_is_routed_and_nothing_else_is() {
    let mock = Mock::deterministic();
    let contract = Contract::embedded();
    for op in contract.operations() {
        let path = concrete(op.route_template());
        let request = Request::builder()
            .method(op.method.as_str())
            .uri(&path)
            .header("x-connectfi-token", TOKEN)
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .expect("a request");
        let answer = mock.send(request).await;
        assert_ne!(
            answer.body["code"],
            "notFound",
            "{} {path} ({}) is not routed: {:?}",
            op.method.as_str(),
            op.id,
            answer.body
        );
        // The other method on the same path: not an endpoint (405), unless the contract has
        // an operation for it too.
        let other = match op.method {
            Method::Get => Method::Post,
            Method::Post => Method::Get,
        };
        if contract.operation(other.as_str(), &path).is_none() {
            let request = Request::builder()
                .method(other.as_str())
                .uri(&path)
                .header("x-connectfi-token", TOKEN)
                .body(Body::empty())
                .expect("a request");
            let answer = mock.send(request).await;
            assert_eq!(
                (answer.status, answer.body["code"].as_str()),
                (405, Some("notFound")),
                "{} {path}",
                other.as_str()
            );
        }
    }
    // A path the contract does not have.
    let request = Request::builder()
        .method("POST")
        .uri("/customer/kyc/nothing")
        .body(Body::empty())
        .expect("a request");
    assert_eq!(mock.send(request).await.status, 404);
}
