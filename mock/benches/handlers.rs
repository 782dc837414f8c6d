//! The mock's own cost per request, without the network: `app(state)` called in process with
//! the load test's requests (`mock/bench/*.lua`), so a change to a handler shows here before it
//! is drowned in the kernel's share of a wrk run.
//!
//! Every customer is touched once before the samples are taken: a load test of a few seconds
//! revisits each of its 100,000 customers many times, so its steady state is a known
//! customer, not a first contact (which builds the record and grows the map).
//!
//! `cargo bench -p kyc-mock --bench handlers`

use axum::body::Body;
use axum::http::Request;
use kyc_mock::{MockConfig, MockState, app};
use tower::ServiceExt as _;

fn main() {
    divan::main();
}

const GENERATE: &str = r#"{"generate": [{"prefix": "csta_load", "count": 100000, "like": "csta-6TqoA6HtSItCANO1KT0W7u"}]}"#;

/// The customers the scenarios generate, as in `mock/bench/scenarios-100k.json`.
const CUSTOMERS: usize = 100_000;

fn state() -> MockState {
    let config = MockConfig {
        token: Some("bench-token".to_owned()),
        seed: Some(1),
        ..MockConfig::default()
    }
    .with_scenarios_json(GENERATE)
    .expect("the generator is valid");
    MockState::new(config)
}

fn post(path: &str, body: String) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json")
        .header(kyc_mock::TOKEN_HEADER, "bench-token")
        .body(Body::from(body))
        .expect("a valid request")
}

fn run(bencher: divan::Bencher<'_, '_>, path: &'static str, body: fn(usize) -> String) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let router = app(state());
    runtime.block_on(async {
        for n in 0..CUSTOMERS {
            let answer = router
                .clone()
                .oneshot(post(path, body(n)))
                .await
                .expect("infallible");
            assert_eq!(answer.status(), 200);
        }
    });
    let mut n = 0usize;
    bencher
        .with_inputs(|| {
            n += 1;
            post(path, body(n % CUSTOMERS))
        })
        .bench_local_values(|request| {
            runtime.block_on(async {
                let answer = router.clone().oneshot(request).await.expect("infallible");
                assert_eq!(answer.status(), 200);
                axum::body::to_bytes(answer.into_body(), usize::MAX)
                    .await
                    .expect("a body")
            })
        });
}

/// `POST /customer/kyc/init` for one of the generated customers in turn.
#[divan::bench(sample_count = 200, sample_size = 200)]
fn kyc_init(bencher: divan::Bencher<'_, '_>) {
    run(bencher, "/customer/kyc/init", |n| {
        format!(r#"{{"customerId":"csta_load{n}"}}"#)
    });
}

/// `POST /akepa/identification`: a new application for one of the generated customers.
#[divan::bench(sample_count = 200, sample_size = 200)]
fn akepa_identification(bencher: divan::Bencher<'_, '_>) {
    run(bencher, "/akepa/identification", |n| {
        format!(r#"{{"customerId":"csta_load{n}","reference":"ref{n}"}}"#)
    });
}
