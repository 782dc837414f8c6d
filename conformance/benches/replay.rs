//! Replay throughput: 10,000 cassettes (copies of the bundled suite's single exchanges) against the embedded mock
//! with 8 jobs, next to a bare loop sending the same requests with the same client, the same
//! concurrency and no comparison. The ratio of the two is the runner's own overhead.
//!
//! `cargo bench -p kyc-conformance --bench replay`

use std::path::Path;
use std::sync::{Arc, OnceLock};

use kyc_conformance::cassette::{self, Cassette};
use kyc_conformance::runner::client::Answer;
use kyc_conformance::runner::client::{Outgoing, Secret, Session, SessionConfig};
use kyc_conformance::runner::embedded::SEED;
use kyc_conformance::runner::{judge, prepare, replay_all};
use kyc_mock::{self as mock, MockConfig, RunningMock};
use tokio::runtime::Runtime;
use tokio::sync::Semaphore;

const CASES: usize = 10_000;
const JOBS: usize = 8;

fn main() {
    divan::main();
}

struct Fixture {
    runtime: Runtime,
    _mock: RunningMock,
    session: Arc<Session>,
    cassettes: Arc<Vec<Cassette>>,
    requests: Arc<Vec<Outgoing>>,
    /// One answer per suite cassette, for the comparison-only measurement.
    answers: Vec<(Cassette, Answer)>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        let (mock, session) = runtime.block_on(async {
            let mock = mock::spawn(MockConfig::deterministic(SEED)).await.unwrap();
            let mut session = Session::new(SessionConfig::new(&mock.base_url())).unwrap();
            session
                .login(
                    Secret::new(mock::DEFAULT_LOGIN),
                    Secret::new(mock::DEFAULT_PASSWORD),
                )
                .await
                .unwrap();
            (mock, session)
        });
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes");
        // The single exchanges: the bare loop below sends one request per case, so the cases
        // are the one-request ones (scenarios have their own bench, `--bench scenarios`).
        let suite: Vec<Cassette> = cassette::load_dir(&dir)
            .unwrap()
            .into_iter()
            .map(|(_, c)| c)
            .filter(|c| !c.is_scenario())
            .collect();
        let cassettes: Vec<Cassette> = suite.iter().cycle().take(CASES).cloned().collect();
        let requests = cassettes
            .iter()
            .map(|c| prepare(c, &session).unwrap().outgoing)
            .collect();
        let answers = runtime.block_on(async {
            let mut out = Vec::new();
            for c in &suite {
                let outgoing = prepare(c, &session).unwrap().outgoing;
                out.push((c.clone(), session.send(&outgoing).await.unwrap()));
            }
            out
        });
        Fixture {
            runtime,
            _mock: mock,
            session: Arc::new(session),
            cassettes: Arc::new(cassettes),
            requests: Arc::new(requests),
            answers,
        }
    })
}

/// The runner: fill, send, read, compare with the recording and the spec, build the report.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn replay_10k_jobs_8() -> usize {
    let f = fixture();
    let results = f.runtime.block_on(replay_all(
        f.session.clone(),
        f.cassettes.clone(),
        JOBS,
        Arc::new(|| {}),
    ));
    assert_eq!(results.len(), CASES);
    results.len()
}

/// The same requests, same client, same concurrency; answers read and dropped.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn bare_loop_10k_jobs_8() -> usize {
    let f = fixture();
    f.runtime.block_on(async {
        let permits = Arc::new(Semaphore::new(JOBS));
        let mut tasks = Vec::with_capacity(CASES);
        for i in 0..CASES {
            let (session, requests, permits) =
                (f.session.clone(), f.requests.clone(), permits.clone());
            tasks.push(tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.unwrap();
                session
                    .send(&requests[i])
                    .await
                    .map(|a| a.body.len())
                    .unwrap_or(0)
            }));
        }
        let mut n = 0;
        for t in tasks {
            n += t.await.unwrap();
        }
        n
    })
}

/// The runner's own work per case without the network, on one thread: fill placeholders,
/// compare with the recording and the spec.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn compare_only_10k_one_thread() -> usize {
    let f = fixture();
    let mut failing = 0;
    for (cassette, answer) in f.answers.iter().cycle().take(CASES) {
        let prepared = prepare(cassette, &f.session).unwrap();
        let result = judge(
            &cassette.name,
            &cassette.steps[0],
            &cassette.defaults,
            &prepared,
            answer.clone(),
        );
        failing += result.deviations.len();
    }
    failing
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn part_prepare_10k() -> usize {
    let f = fixture();
    let mut n = 0;
    for (cassette, _) in f.answers.iter().cycle().take(CASES) {
        n += prepare(cassette, &f.session).unwrap().outgoing.path.len();
    }
    n
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn part_parse_and_spec_check_10k() -> usize {
    let f = fixture();
    let mut n = 0;
    for (cassette, answer) in f.answers.iter().cycle().take(CASES) {
        let body: serde_json::Value = match serde_json::from_slice(&answer.body) {
            Ok(v) => v,
            Err(_) => continue,
        };
        n += kyc_conformance::runner::spec_check::check(
            &cassette.steps[0].request.method,
            &cassette.steps[0].request.path,
            answer.status,
            &body,
        )
        .len();
    }
    n
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn part_parse_only_10k() -> usize {
    let f = fixture();
    let mut n = 0;
    for (_, answer) in f.answers.iter().cycle().take(CASES) {
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_slice(&answer.body) {
            n += m.len();
        }
    }
    n
}
