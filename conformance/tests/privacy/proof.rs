//! The proof that nothing leaks: a mock on 127.0.0.1 answers with a planted token, planted
//! credentials and a planted person (including a field no schema describes); the binary
//! records from it, lints the recording, then replays with failures, webhook capture, every
//! report format and logs at debug. None of the planted values may appear in any file or
//! stream any of that produced.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kyc_mock::{self as mock, MockConfig, RunningMock};
use serde_json::{Value, json};

const TOKEN: &str = "plantedTok3nQ8vZ2xW5yR7uK1mN4bV6";
const LOGIN: &str = "planted-login-x9";
const PASSWORD: &str = "PlantedPassw0rd!";
/// Three customers share the planted person, so cases that run concurrently do not move
/// each other's KYC status or callback address; the fourth is approved at once.
const CUSTOMER: &str = "csta_PlantedPerson";
const CUSTOMER_B: &str = "csta_PlantedPersonB";
const CUSTOMER_C: &str = "csta_PlantedPersonC";
const CUSTOMER_D: &str = "csta_PlantedPersonD";

/// Every planted secret and personal value; none may appear in any output.
const PLANTED: [&str; 13] = [
    TOKEN,
    LOGIN,
    PASSWORD,
    "Zebulon",
    "Quixotic",
    "1987-06-05",
    "plantedmail",
    "2125550199",
    "Evergreen",
    "Shelbyville",
    "49007",
    "Q123456789",
    "Plantagenet",
];

fn person() -> Value {
    json!({
        "businessAddresses": [],
        "businessPhones": [],
        "firstName": "Zebulon",
        "lastName": "Quixotic-Marsh",
        "gender": "M",
        "dateOfBirth": "1987-06-05",
        "email": "zebulon.qm@plantedmail.net",
        "citizenshipCountryCodeA3": "USA",
        "mothersMaidenName": "Plantagenet",
        "addresses": [{"type": "PRIMARY", "addressLine1": "742 Evergreen Terrace", "city": "Shelbyville",
                       "stateCode": "IL", "postalCode": "49007", "countryCodeA3": "USA"}],
        "phones": [{"type": "MOBILE", "countryDialingCode": "01", "phoneNumber": "2125550199"}],
        "identificationDocuments": [{"type": "SSN", "value": "Q123456789", "issuanceCountryCodeA3": "USA"}]
    })
}

async fn planted_mock() -> RunningMock {
    let scenarios = json!({
        "delays": {"pendingMs": 200, "reviewMs": 200},
        "customers": [
            {"customerId": CUSTOMER, "reference": "77001", "customer": person(), "afterData": ["PENDING", "APPROVED"]},
            {"customerId": CUSTOMER_B, "reference": "77002", "customer": person(), "afterData": ["PENDING", "APPROVED"]},
            {"customerId": CUSTOMER_C, "reference": "77003", "customer": person(), "afterData": ["PENDING", "APPROVED"]},
            {"customerId": CUSTOMER_D, "reference": "77004", "customer": person(), "afterData": ["APPROVED"]}
        ]
    });
    let config = MockConfig {
        token: Some(TOKEN.into()),
        login: LOGIN.into(),
        password: PASSWORD.into(),
        seed: Some(7),
        ..MockConfig::default()
    }
    .with_scenarios_json(&scenarios.to_string())
    .expect("the scenario is valid");
    mock::spawn(config)
        .await
        .expect("the mock starts on 127.0.0.1")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("privacy-proof")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, cassette: &Value) {
    let name = cassette["name"].as_str().unwrap();
    std::fs::write(dir.join(format!("{name}.json")), cassette.to_string()).unwrap();
}

/// The cassettes whose requests `record` sends: inits with callbacks (one expected, two
/// expected where only one comes), status, login and an unknown customer.
fn inputs(dir: &Path) {
    let token = json!({"content-type": "application/json", "x-connectfi-token": "{{token}}"});
    write(
        dir,
        &json!({
            "name": "planted-init",
            "variables": {"customerId": CUSTOMER},
            "request": {"method": "POST", "path": "/customer/kyc/init", "headers": token,
                        "body": {"customerId": "{{customerId}}", "webhookURL": "http://127.0.0.1:9/hook"}},
            "response": {"status": 200, "headers": {"content-type": "application/json"}},
            "expectedWebhooks": [{"body": {"code": "0"}, "withinMs": 3000}]
        }),
    );
    write(
        dir,
        &json!({
            "name": "planted-init-b",
            "variables": {"customerId": CUSTOMER_B},
            "request": {"method": "POST", "path": "/customer/kyc/init", "headers": token,
                        "body": {"customerId": "{{customerId}}", "webhookURL": "http://127.0.0.1:9/hook"}},
            "response": {"status": 200},
            "expectedWebhooks": [{"body": {"code": "0"}, "withinMs": 1500}, {"body": {"code": "0"}, "withinMs": 1500}]
        }),
    );
    write(
        dir,
        &json!({
            "name": "planted-status",
            "variables": {"customerId": CUSTOMER_D},
            "request": {"method": "GET", "path": "/customer/kyc/status/{{customerId}}",
                        "headers": {"x-connectfi-token": "{{token}}"}},
            "response": {"status": 200}
        }),
    );
    write(
        dir,
        &json!({
            "name": "planted-login",
            "request": {"method": "POST", "path": "/auth/get-token", "headers": {"content-type": "application/json"},
                        "body": {"user": {"login": "{{login}}", "password": "{{password}}"}}},
            "response": {"status": 200}
        }),
    );
    write(
        dir,
        &json!({
            "name": "planted-unknown-customer",
            "request": {"method": "POST", "path": "/customer/kyc/init", "headers": token,
                        "body": {"customerId": "csta_NobodyHere"}},
            "response": {"status": 400}
        }),
    );
}

fn binary(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kyc-conformance"))
        .args(args)
        .env("CONNECTFI_TOKEN", TOKEN)
        .env("CONNECTFI_LOGIN", LOGIN)
        .env("CONNECTFI_PASSWORD", PASSWORD)
        .env("RUST_LOG", "debug")
        .env_remove("KYC_PSEUDONYM_KEY")
        // Loopback only, whatever the machine's proxy settings say.
        .env("NO_PROXY", "127.0.0.1")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .output()
        .expect("the binary runs")
}

fn text(out: &Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_clean(what: &str, text: &str) {
    for planted in PLANTED {
        assert!(!text.contains(planted), "{what} leaks {planted:?}:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_planted_reaches_recordings_reports_or_logs() {
    let mock = planted_mock().await;
    let url = mock.base_url();
    let (input, recorded, reports) = (scratch("in"), scratch("recorded"), scratch("reports"));
    inputs(&input);

    // Record.
    let args = [
        "record",
        "--target",
        &url,
        "--cassettes",
        input.to_str().unwrap(),
        "--out",
        recorded.to_str().unwrap(),
        "--retries",
        "1",
    ];
    let out = tokio::task::spawn_blocking({
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        move || binary(&args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("DEBUG"),
        "logs ran at debug"
    );
    assert_clean("record's output", &text(&out));
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&recorded).unwrap() {
        let path = entry.unwrap().path();
        let body = std::fs::read_to_string(&path).unwrap();
        assert_clean(&path.display().to_string(), &body);
        files.push((path, body));
    }
    assert_eq!(files.len(), 5);
    // The recording is real: the person is there, pseudonymised, and marked volatile.
    let init: Value =
        serde_json::from_str(&std::fs::read_to_string(recorded.join("planted-init.json")).unwrap())
            .unwrap();
    let first = init
        .pointer("/response/body/data/customer/customer/firstName")
        .unwrap();
    assert!(first.as_str().unwrap().starts_with("anon-"), "{first}");
    let volatile = init["volatile"].as_array().unwrap();
    assert!(volatile.contains(&json!("/data/customer/customer/firstName")));
    let login: Value = serde_json::from_str(
        &std::fs::read_to_string(recorded.join("planted-login.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        login.pointer("/response/body/data/token"),
        Some(&json!("{{token}}"))
    );

    // The recording lints clean.
    let out = binary(&["lint", recorded.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Replay against a fresh mock (so the callbacks happen again) with failures: the
    // recording plus a cassette expecting another person, so deviations sit exactly on
    // personal fields; planted-init-b expects a second callback that never comes.
    mock.shutdown().await.unwrap();
    let mock = planted_mock().await;
    let url = mock.base_url();
    let mut expecting_other = init.clone();
    expecting_other["name"] = json!("planted-other-person");
    expecting_other["variables"]["customerId"] = json!(CUSTOMER_C);
    let body = expecting_other
        .pointer_mut("/response/body/data/customer/customer")
        .unwrap();
    body["firstName"] = json!("Zebulonn");
    body["email"] = json!("zq@plantedmail.org");
    expecting_other["volatile"] = json!([]);
    expecting_other["expectedWebhooks"] = json!([]);
    write(&recorded, &expecting_other);

    let (json_report, junit) = (reports.join("report.json"), reports.join("junit.xml"));
    let args = vec![
        "replay".to_string(),
        "--target".into(),
        url.clone(),
        "--cassettes".into(),
        recorded.to_str().unwrap().into(),
        "--report-json".into(),
        json_report.to_str().unwrap().into(),
        "--junit".into(),
        junit.to_str().unwrap().into(),
        "--capture-webhooks".into(),
        "--retries".into(),
        "1".into(),
        "--jobs".into(),
        "2".into(),
    ];
    let out = tokio::task::spawn_blocking(move || {
        binary(&args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("DEBUG"),
        "logs ran at debug"
    );
    assert_clean("replay's output", &text(&out));
    let report_text = std::fs::read_to_string(&json_report).unwrap();
    assert_clean("the JSON report", &report_text);
    assert_clean(
        "the JUnit report",
        &std::fs::read_to_string(&junit).unwrap(),
    );

    // The failures are the intended ones, shown as pseudonyms.
    let report: Value = serde_json::from_str(&report_text).unwrap();
    let case = |name: &str| {
        report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {report_text}"))
            .clone()
    };
    let other = case("planted-other-person");
    let kinds: Vec<(&str, &str)> = other["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["kind"].as_str().unwrap(), d["path"].as_str().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("value_mismatch", "/data/customer/customer/firstName")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("value_mismatch", "/data/customer/customer/email")),
        "{kinds:?}"
    );
    // Webhook capture: the one expected callback arrived and was valid; of two expected,
    // one arrived.
    assert_eq!(case("planted-init")["outcome"], "passed", "{report_text}");
    let two = case("planted-init-b");
    let missing: Vec<&Value> = two["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "missing_webhook")
        .collect();
    assert_eq!(missing.len(), 1, "{two}");
    assert_eq!(
        (&missing[0]["expected"], &missing[0]["actual"]),
        (&json!(2), &json!(1))
    );
    for name in [
        "planted-status",
        "planted-login",
        "planted-unknown-customer",
    ] {
        assert_eq!(case(name)["outcome"], "passed", "{report_text}");
    }
    mock.shutdown().await.unwrap();
}
