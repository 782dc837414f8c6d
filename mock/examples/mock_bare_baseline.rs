//! The benchmark baseline for the mock: a bare axum server that answers every POST with the
//! seed's 200 body without reading the request. `mock/bench/mock-load.sh` runs it and
//! the mock under the same load, so the mock's cost is measured against axum itself.
//!
//! `cargo run --release -p kyc-mock --example mock_bare_baseline -- 127.0.0.1:8091`

use axum::Router;
use axum::http::header;
use axum::routing::post;

const SEED_200: &str = include_str!("../../spec/examples/response/valid/seed-200.json");
/// What the akepa benchmark's bare server answers: an application just identified, as the mock
/// would send it.
const AKEPA_200: &str = r#"{"code":"0","data":{"applicationId":"iapp_1BGgJeDQJFo5MCup15zq9A","aggregatorId":"CLIENTID","customerId":"csta_load0","reference":"ref0","status":"pending_step_up","outcome":null,"entityApplications":[{"entityId":"csta_load0","isCustomer":true,"status":"pending_step_up","outcome":null}],"dtsCreatedAt":"2024-01-01T00:00:00.000Z"},"requestId":"2e4d99a0cc3311eebb061f991c0df212"}"#;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8091".to_owned());
    // The same compact bytes the mock would send, decided once.
    let body: &'static str = Box::leak(
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(SEED_200)?)?
            .into_boxed_str(),
    );
    let app = Router::new()
        .route(
            "/customer/kyc/init",
            post(move || async move {
                (
                    [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
                    body,
                )
            }),
        )
        .route(
            "/akepa/identification",
            post(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
                    AKEPA_200,
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
