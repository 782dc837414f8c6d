//! The benchmark baseline for the mock: a bare axum server that answers every POST with the
//! seed's 200 body without reading the request. `mock/bench/mock-load.sh` runs it and
//! the mock under the same load, so the mock's cost is measured against axum itself.
//!
//! `cargo run --release -p kyc-mock --example mock_bare_baseline -- 127.0.0.1:8091`

use axum::Router;
use axum::http::header;
use axum::routing::post;

const SEED_200: &str = include_str!("../../spec/examples/response/valid/seed-200.json");

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
    let app = Router::new().route(
        "/customer/kyc/init",
        post(move || async move {
            (
                [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
                body,
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
