//! Live robustness, through the binary against small targets on 127.0.0.1: a 503 that
//! clears on retry is `flaky`, `--rate` spaces requests, `--shard` partitions the suite,
//! and Ctrl-C still writes the report of what ran.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use serde_json::{Value, json};

const UNAUTHORIZED: &str = r#"{"code":"unauthorized","message":"Authentication error"}"#;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("privacy-live")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A cassette expecting the 401 the test targets answer with.
fn cassette(dir: &Path, name: &str, query: &str) {
    let c = json!({
        "name": name,
        "request": {"method": "POST", "path": format!("/customer/kyc/init{query}"),
                    "headers": {"content-type": "application/json", "x-connectfi-token": "{{token}}"},
                    "body": {"customerId": "csta_1"}},
        "response": {"status": 401}
    });
    std::fs::write(dir.join(format!("{name}.json")), c.to_string()).unwrap();
}

fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kyc-conformance"));
    cmd.args(args)
        .env("CONNECTFI_TOKEN", "test-token-not-secret")
        .env("NO_PROXY", "127.0.0.1")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY");
    cmd
}

fn run(args: Vec<String>) -> Output {
    command(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .output()
        .expect("the binary runs")
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn unauthorized() -> axum::response::Response {
    (
        StatusCode::UNAUTHORIZED,
        [("content-type", "application/json")],
        UNAUTHORIZED,
    )
        .into_response()
}

fn report(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pass_after_a_503_is_flaky_and_the_rate_spaces_requests() {
    let calls = Arc::new(AtomicUsize::new(0));
    let times = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let app = Router::new().route(
        "/customer/kyc/init",
        post({
            let (calls, times) = (calls.clone(), times.clone());
            move || async move {
                times.lock().unwrap().push(Instant::now());
                // Every other request is refused with "later, now": the retry clears it.
                if calls.fetch_add(1, Ordering::SeqCst) % 2 == 0 {
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        [("retry-after", "0")],
                        "busy",
                    )
                        .into_response()
                } else {
                    unauthorized()
                }
            }
        }),
    );
    let url = serve(app).await;
    let dir = scratch("flaky");
    cassette(&dir, "flaky-case", "");
    let json = scratch("flaky-report").join("report.json");
    let args = |retries: &str, rate: &str| -> Vec<String> {
        [
            "replay",
            "--target",
            &url,
            "--cassettes",
            dir.to_str().unwrap(),
            "--report-json",
            json.to_str().unwrap(),
            "--retries",
            retries,
            "--rate",
            rate,
        ]
        .map(String::from)
        .to_vec()
    };

    let out = tokio::task::spawn_blocking({
        let a = args("2", "5/s");
        move || run(a)
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r = report(&json);
    assert_eq!(r["cases"][0]["outcome"], "flaky", "{r}");
    assert_eq!(r["summary"]["flaky"], 1);
    assert!(String::from_utf8_lossy(&out.stdout).contains("FLAKY flaky-case"));
    // Two requests, at most five per second: at least 200 ms apart (the retry waited 0 s
    // as told, so only the rate ceiling spaced them).
    let t = times.lock().unwrap().clone();
    assert_eq!(t.len(), 2);
    assert!(
        t[1] - t[0] >= Duration::from_millis(190),
        "{:?}",
        t[1] - t[0]
    );

    // Without retries the 503 is the answer.
    let out = tokio::task::spawn_blocking({
        let a = args("0", "100/s");
        move || run(a)
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let r = report(&json);
    assert_eq!(r["cases"][0]["outcome"], "failed");
    assert_eq!(r["cases"][0]["deviations"][0]["kind"], "status_mismatch");
}

#[test]
fn shards_split_the_bundled_suite_without_overlap() {
    let dir = scratch("shards");
    let mut names: Vec<Vec<String>> = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let json = dir.join(format!("{}.json", shard.replace('/', "-of-")));
        let out = run([
            "replay",
            "--shard",
            shard,
            "--report-json",
            json.to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec());
        // 0 or 1: the bundled suite's own verdict is not what this test is about.
        assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
        let r = report(&json);
        names.push(
            r["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string())
                .collect(),
        );
    }
    let mut all: Vec<String> = names.concat();
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), total, "a cassette ran in two shards");
    // Every file but those starting with `_` (the suite's defaults) is a cassette.
    let bundled = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes"))
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('_')
        })
        .count();
    assert_eq!(total, bundled, "the shards together run the whole suite");
    assert!(names.iter().all(|n| !n.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_still_writes_the_report_of_what_ran() {
    let stuck = Arc::new(tokio::sync::Notify::new());
    let app = Router::new().route(
        "/customer/kyc/init",
        post({
            let stuck = stuck.clone();
            move |query: axum::extract::RawQuery| async move {
                if query.0.as_deref() == Some("slow") {
                    stuck.notify_one();
                    tokio::time::sleep(Duration::from_secs(120)).await;
                }
                unauthorized()
            }
        }),
    );
    let url = serve(app).await;
    let dir = scratch("interrupt");
    cassette(&dir, "a-fast", "");
    cassette(&dir, "b-slow", "?slow");
    let json = scratch("interrupt-report").join("report.json");
    let child = command(&[
        "replay",
        "--target",
        &url,
        "--cassettes",
        dir.to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
        "--jobs",
        "2",
        "--timeout",
        "100",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // Both requests go out at once (two jobs); the fast one is answered at once, the slow
    // one hangs. Interrupt once the slow one is in flight and the fast one had time to be
    // judged.
    tokio::time::timeout(Duration::from_secs(30), stuck.notified())
        .await
        .expect("the slow request arrives");
    tokio::time::sleep(Duration::from_millis(700)).await;
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    let r = report(&json);
    assert_eq!(r["interrupted"], true, "{r}");
    assert_eq!(r["summary"]["total"], 1);
    assert_eq!(r["cases"][0]["name"], "a-fast");
    assert_eq!(r["cases"][0]["outcome"], "passed");
}

#[test]
fn record_that_cannot_reach_its_target_is_exit_2_and_the_mock_records() {
    let dir = scratch("record-unreachable");
    cassette(&dir, "a", "");
    let out_dir = scratch("record-unreachable-out");
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    let out = run([
        "record",
        "--target",
        "http://127.0.0.1:1",
        "--cassettes",
        dir.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec());
    // Nothing could be reached: the run could not be done at all.
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("not recorded a:"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not reach the target"));
    assert_eq!(
        std::fs::read_dir(&out_dir).unwrap().count(),
        0,
        "nothing half-written"
    );
    let out = run([
        "record",
        "--target",
        "mock",
        "--cassettes",
        dir.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec());
    // The mock can fill a new cassette's answers: recorded as such, nothing pseudonymised.
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("a.json")).unwrap()).unwrap();
    assert_eq!(written["recording"]["source"], "mock");
    assert!(written["response"]["status"].is_u64(), "{written}");
}

/// A target whose callback breaks `webhook.schema.json`: the capture reports it as an
/// `invalid_webhook` deviation pointing into the callback body.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_callback_is_a_deviation() {
    let app = Router::new().route(
        "/customer/kyc/init",
        post(|body: axum::body::Bytes| async move {
            let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            if let Some(url) = request["webhookURL"].as_str().map(str::to_string) {
                // No `data`: the schema requires it.
                let client = reqwest::Client::builder().no_proxy().build().unwrap();
                let _ = client.post(url).json(&json!({"code": "0"})).send().await;
            }
            unauthorized()
        }),
    );
    let url = serve(app).await;
    let dir = scratch("invalid-callback");
    let c = json!({
        "name": "invalid-callback",
        "request": {"method": "POST", "path": "/customer/kyc/init",
                    "headers": {"content-type": "application/json", "x-connectfi-token": "{{token}}"},
                    "body": {"customerId": "csta_1", "webhookURL": "http://127.0.0.1:9/hook"}},
        "response": {"status": 401},
        "expectedWebhooks": [{"body": {"code": "0"}, "withinMs": 3000}]
    });
    std::fs::write(dir.join("invalid-callback.json"), c.to_string()).unwrap();
    let json = scratch("invalid-callback-report").join("report.json");
    let args = [
        "replay",
        "--target",
        &url,
        "--cassettes",
        dir.to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
        "--capture-webhooks",
    ]
    .map(String::from)
    .to_vec();
    let out = tokio::task::spawn_blocking(move || run(args))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let r = report(&json);
    let deviations = r["cases"][0]["deviations"].as_array().unwrap();
    assert!(
        deviations
            .iter()
            .any(|d| d["kind"] == "invalid_webhook" && d["expected"] == "required"),
        "{r}"
    );
    assert!(
        deviations.iter().all(|d| d["kind"] != "missing_webhook"),
        "{r}"
    );
}

/// Recording a scenario from a live target (a mock at a URL standing in for a sandbox): the ids
/// it handed out are written back as `{{name}}` and never reach the file, the places they were
/// captured from are volatile, personal data in the answers is pseudonymised (and its place
/// volatile), the file passes lint, and it replays against another such target.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_recorded_from_a_sandbox_holds_no_real_id_and_replays() {
    let sandbox = || kyc_mock::MockConfig {
        token: Some("test-token-not-secret".to_owned()),
        seed: Some(77),
        ..kyc_mock::MockConfig::default()
    };
    let target = kyc_mock::spawn(sandbox()).await.unwrap();
    let dir = scratch("record-scenario");
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes");
    for name in [
        "seed-waiting-data-license.json",
        "wait-review-documented-trigger.json",
    ] {
        std::fs::copy(suite.join(name), dir.join(name)).unwrap();
    }
    let out_dir = scratch("record-scenario-out");
    let args = |verb: &str, url: &str, cassettes: &Path| -> Vec<String> {
        let mut v = vec![verb.into(), "--target".into(), url.into()];
        v.extend(["--cassettes".into(), cassettes.display().to_string()]);
        if verb == "record" {
            v.extend(["--out".into(), out_dir.display().to_string()]);
        }
        v
    };
    let out = run(args("record", &target.base_url(), &dir));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = std::fs::read_to_string(out_dir.join("seed-waiting-data-license.json")).unwrap();
    let recorded: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(recorded["recording"]["source"], "sandbox");
    // The customer the target created, and its document slots, appear only as placeholders.
    assert!(
        !text.contains("cstap_"),
        "a real customer id was written: {text}"
    );
    let create = &recorded["steps"][0];
    assert_eq!(
        create["response"]["body"]["data"]["customerId"],
        "{{customerId}}"
    );
    let volatile = create["volatile"].as_array().unwrap();
    assert!(
        volatile.contains(&json!("/data/customerId")),
        "{volatile:?}"
    );
    // The answer's personal data is pseudonymised, and its places are volatile.
    let first_name = &create["response"]["body"]["data"]["customer"]["firstName"];
    assert_ne!(first_name, "Ada", "{first_name}");
    assert!(
        volatile.contains(&json!("/data/customer/firstName")),
        "{volatile:?}"
    );
    // The requests stay the author's templates: the documented trigger is still asked for.
    let trigger: Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.join("wait-review-documented-trigger.json")).unwrap(),
    )
    .unwrap();
    let sent = &trigger["steps"][0]["request"]["body"]["customer"];
    assert_eq!(sent["lastName"], "WaitReview", "{sent}");
    // Clean by the lint, and it replays against another target like it.
    let lint = run(vec!["lint".into(), out_dir.display().to_string()]);
    assert_eq!(lint.status.code(), Some(0), "{lint:?}");
    let again = kyc_mock::spawn(sandbox()).await.unwrap();
    let replay = run(args("replay", &again.base_url(), &out_dir));
    assert_eq!(replay.status.code(), Some(0), "{replay:?}");
}
