//! Scenario throughput: 1,000 five-step scenarios (create a customer, start KYC, upload both
//! licence sides whose ids the init answer gave, send the card attributes) replayed against
//! the embedded mock with 8 jobs, next to a bare loop that sends the same requests in the
//! same order with the same client and concurrency, chaining the ids by hand and comparing
//! nothing. The ratio of the two is what the scenario runner costs.
//!
//! `cargo bench -p kyc-conformance --bench scenarios`

use std::path::Path;
use std::sync::{Arc, OnceLock};

use kyc_conformance::cassette::{Cassette, UniqueKind};
use kyc_conformance::runner::client::{Outgoing, Session, SessionConfig};
use kyc_conformance::runner::embedded::EmbeddedMock;
use kyc_conformance::runner::replay_all;
use kyc_conformance::runner::report::Outcome;
use kyc_conformance::runner::scenario::unique_value;
use serde_json::{Value, json};
use tokio::runtime::Runtime;
use tokio::sync::Semaphore;

const SCENARIOS: usize = 1_000;
const STEPS: usize = 5;
const JOBS: usize = 8;
const BOUNDARY: &str = "kyc-suite-boundary";

fn main() {
    divan::main();
}

struct Fixture {
    runtime: Runtime,
    /// The scenario, once.
    scenario: Cassette,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        // The bundled happy path without its final wait: exactly the five steps above.
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes/happy-path-approved.json");
        let mut scenario = Cassette::load(&path).unwrap();
        scenario.steps.truncate(STEPS);
        Fixture { runtime, scenario }
    })
}

/// What one sample runs on: a fresh embedded mock (so no sample meets the customers of
/// another, and their nine-digit SSNs cannot collide across samples), a session on it, and
/// `SCENARIOS` copies of the scenario, each under its own name, so each creates its own
/// customer (the unique values are a function of the name).
struct Sample {
    _mock: EmbeddedMock,
    session: Arc<Session>,
    cassettes: Vec<Cassette>,
}

fn sample(f: &Fixture) -> Sample {
    let (mock, session) = f.runtime.block_on(async {
        let mock = EmbeddedMock::start().await.unwrap();
        let session = mock
            .session(SessionConfig::new(&mock.base_url()))
            .await
            .unwrap();
        (mock, session)
    });
    let cassettes = (0..SCENARIOS)
        .map(|i| {
            let mut copy = f.scenario.clone();
            copy.name = format!("{}#{i}", f.scenario.name);
            copy
        })
        .collect();
    Sample {
        _mock: mock,
        session: Arc::new(session),
        cassettes,
    }
}

/// The runner: fill, send, capture, compare every answer with its recording and the spec.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn scenarios_1k_jobs_8(bencher: divan::Bencher<'_, '_>) {
    let f = fixture();
    bencher
        .with_inputs(|| sample(f))
        .bench_local_values(|sample| {
            let results = f.runtime.block_on(replay_all(
                sample.session.clone(),
                Arc::new(sample.cassettes),
                JOBS,
                Arc::new(|| {}),
            ));
            if let Some(bad) = results.iter().find(|r| r.outcome != Outcome::Passed) {
                let report = kyc_conformance::runner::report::Report::new(vec![bad.clone()]);
                panic!("{}", report.to_text(false));
            }
            results.len()
        });
}

/// The same five requests per scenario, same client, same concurrency; each answer parsed
/// only as far as the next request needs (the customer id, the two slot ids).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn bare_loop_1k_jobs_8(bencher: divan::Bencher<'_, '_>) {
    let f = fixture();
    bencher
        .with_inputs(|| sample(f))
        .bench_local_values(|sample| {
            f.runtime.block_on(async {
                let permits = Arc::new(Semaphore::new(JOBS));
                let mut tasks = Vec::with_capacity(SCENARIOS);
                for copy in sample.cassettes {
                    let (session, permits) = (sample.session.clone(), permits.clone());
                    let create = f.scenario.steps[0].request.body.clone().unwrap();
                    tasks.push(tokio::spawn(async move {
                        let _permit = permits.acquire_owned().await.unwrap();
                        bare_scenario(&session, &copy, create).await
                    }));
                }
                let mut n = 0;
                for t in tasks {
                    n += t.await.unwrap();
                }
                assert_eq!(n, SCENARIOS * STEPS);
                n
            })
        });
}

/// One scenario by hand; returns how many answers were 200.
async fn bare_scenario(session: &Session, copy: &Cassette, mut create: Value) -> usize {
    let token = session.token().unwrap().expose().to_owned();
    let unique = |name: &str, kind| unique_value(session.unique_seed(), &copy.name, name, kind);
    create["customerReference"] = unique("reference", UniqueKind::Reference).into();
    create["customer"]["email"] = unique("email", UniqueKind::Email).into();
    create["customer"]["identificationDocuments"][0]["value"] =
        unique("ssn", UniqueKind::Ssn).into();
    let json_post = |path: String, body: Value| Outgoing {
        method: "POST".into(),
        path,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-connectfi-token".into(), token.clone()),
        ],
        body: Some(body.to_string().into_bytes()),
    };
    let mut ok = 0;
    let answer = session
        .send(&json_post("/customer/init".into(), create))
        .await
        .unwrap();
    ok += usize::from(answer.status == 200);
    let created: Value = serde_json::from_slice(&answer.body).unwrap();
    let customer_id = created["data"]["customerId"].as_str().unwrap().to_owned();
    let answer = session
        .send(&json_post(
            "/customer/kyc/init".into(),
            json!({ "customerId": customer_id }),
        ))
        .await
        .unwrap();
    ok += usize::from(answer.status == 200);
    let started: Value = serde_json::from_slice(&answer.body).unwrap();
    for slot in 0..2 {
        let id = started["data"]["kycDocumentList"][slot]["id"]
            .as_str()
            .unwrap();
        let body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.png\"\r\nContent-Type: image/png\r\n\r\ninvented image bytes\r\n--{BOUNDARY}--\r\n"
        );
        let upload = Outgoing {
            method: "POST".into(),
            path: format!("/customer/kyc/upload/{customer_id}/{id}"),
            headers: vec![
                (
                    "content-type".into(),
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                ),
                ("x-connectfi-token".into(), token.clone()),
            ],
            body: Some(body.into_bytes()),
        };
        ok += usize::from(session.send(&upload).await.unwrap().status == 200);
    }
    let attributes = json!({
        "customerId": customer_id,
        "additionalAttributes": {"cardAttributes": {"productID": "Virtual_Debit_Card",
            "nameOnCard": "JOHN TESTMAN", "designId": "1", "addressType": "PRIMARY", "issueType": "NEW"}}
    });
    let answer = session
        .send(&json_post(
            "/customer/kyc/add-attributes".into(),
            attributes,
        ))
        .await
        .unwrap();
    ok + usize::from(answer.status == 200)
}
