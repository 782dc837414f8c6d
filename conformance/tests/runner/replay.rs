//! The runner over real loopback sockets: a faithful target passes, a drifting one is caught
//! field by field, a target that cannot answer makes cases errored (never a crash), and the
//! token never reaches a report.

use std::sync::Arc;
use std::time::Duration;

use kyc_conformance::runner::client::{Secret, Session, SessionConfig};
use kyc_conformance::runner::deviation::Kind;
use kyc_conformance::runner::replay_all;
use kyc_conformance::runner::report::{Outcome, Report};

use crate::playback::{self, Fault, TOKEN, seed_cassette};

async fn run(url: &str, timeout: Duration, names: &[&str]) -> Report {
    let mut session = Session::new(SessionConfig::new(url).timeout(timeout)).unwrap();
    session.set_token(Secret::new(TOKEN));
    let cassettes: Vec<_> = names.iter().map(|n| seed_cassette(n)).collect();
    let results = replay_all(Arc::new(session), Arc::new(cassettes), 4, Arc::new(|| {})).await;
    Report::new(results)
}

#[tokio::test]
async fn faithful_target_passes() {
    let server = playback::start(vec![seed_cassette("seed")], Fault::None).await;
    let report = run(&server.url(), Duration::from_secs(5), &["a", "b", "c"]).await;
    assert_eq!(report.summary.passed, 3, "{}", report.to_text(false));
    assert!(report.all_passed());
}

#[tokio::test]
async fn drifting_target_is_caught() {
    let server = playback::start(vec![seed_cassette("seed")], Fault::Drift).await;
    let report = run(&server.url(), Duration::from_secs(5), &["seed"]).await;
    let case = &report.cases[0];
    assert_eq!(case.outcome, Outcome::Failed);
    let found: Vec<_> = case
        .deviations
        .iter()
        .map(|d| (d.kind, d.path.as_str()))
        .collect();
    assert!(
        found.contains(&(Kind::ValueMismatch, "/data/kyc/status")),
        "{found:?}"
    );
    assert!(
        found.contains(&(Kind::UnexpectedField, "/extra")),
        "{found:?}"
    );
}

#[tokio::test]
async fn refused_connection_makes_the_case_errored() {
    // Bind, learn the port, close it: nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let report = run(
        &format!("http://127.0.0.1:{port}"),
        Duration::from_secs(5),
        &["seed"],
    )
    .await;
    assert_eq!(report.summary.errored, 1);
    assert!(
        report.cases[0]
            .error
            .as_deref()
            .unwrap()
            .contains("request failed")
    );
}

#[tokio::test]
async fn slow_target_times_out_into_errored() {
    let server = playback::start(
        vec![seed_cassette("seed")],
        Fault::Slow(Duration::from_secs(5)),
    )
    .await;
    let report = run(&server.url(), Duration::from_millis(200), &["seed"]).await;
    assert_eq!(report.cases[0].outcome, Outcome::Errored);
    assert!(
        report.cases[0]
            .error
            .as_deref()
            .unwrap()
            .contains("no answer within")
    );
}

#[tokio::test]
async fn token_never_reaches_any_report() {
    let server = playback::start(vec![seed_cassette("seed")], Fault::LeakToken).await;
    let report = run(&server.url(), Duration::from_secs(5), &["seed"]).await;
    // The echoed token is an extra field: additive, so reported without failing the case
    // (only `--strict` fails it), and redacted wherever it is shown.
    assert_eq!(report.cases[0].outcome, Outcome::Passed);
    assert_eq!(report.cases[0].deviations[0].path, "/echo");
    for text in [report.to_json(), report.to_junit(), report.to_text(false)] {
        assert!(!text.contains(TOKEN), "{text}");
    }
    // A passing case has no JUnit failure; the other two show the deviation.
    for text in [report.to_json(), report.to_text(false)] {
        assert!(text.contains("[redacted]"), "{text}");
    }
}

#[tokio::test]
async fn unfilled_placeholder_errors_the_case_with_its_location() {
    let server = playback::start(vec![seed_cassette("seed")], Fault::None).await;
    let mut cassette = seed_cassette("seed");
    cassette.variables.clear();
    let mut session =
        Session::new(SessionConfig::new(&server.url()).timeout(Duration::from_secs(5))).unwrap();
    session.set_token(Secret::new(TOKEN));
    let results = replay_all(
        Arc::new(session),
        Arc::new(vec![cassette]),
        1,
        Arc::new(|| {}),
    )
    .await;
    assert_eq!(results[0].outcome, Outcome::Errored);
    let error = results[0].error.as_deref().unwrap();
    assert!(
        error.contains("{{customerId}}") && error.contains("/request/body/customerId"),
        "{error}"
    );
}
