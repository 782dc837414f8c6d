//! The state machine through the HTTP surface, on a manual clock: every path from
//! WAITING_DATA to a final status, the configured delays, and generated customers.

use std::time::Duration;

use kyc_mock::builtin::{
    self, JOHN_TESTMAN, JOHN_TESTMAN_LICENSE_BACK, JOHN_TESTMAN_LICENSE_FRONT,
};
use kyc_mock::{Delays, MockConfig};
use serde_json::json;

use super::harness::{Mock, deterministic_config};

#[tokio::test]
async fn every_magic_customer_walks_its_documented_path() {
    let mock = Mock::deterministic();
    let delays = mock.state.config().delays;
    // (customer, status at init, after the PENDING delay, after a further REVIEW delay)
    let table = [
        (
            builtin::PENDING_THEN_APPROVED,
            "PENDING",
            "APPROVED",
            "APPROVED",
        ),
        (
            builtin::PENDING_THEN_DECLINED,
            "PENDING",
            "DECLINED",
            "DECLINED",
        ),
        (
            builtin::REVIEW_THEN_APPROVED,
            "REVIEW",
            "REVIEW",
            "APPROVED",
        ),
        (
            builtin::REVIEW_THEN_DECLINED,
            "REVIEW",
            "REVIEW",
            "DECLINED",
        ),
        (builtin::STUCK_IN_REVIEW, "REVIEW", "REVIEW", "REVIEW"),
        (
            builtin::APPROVED_AT_ONCE,
            "APPROVED",
            "APPROVED",
            "APPROVED",
        ),
        (
            builtin::DECLINED_AT_ONCE,
            "DECLINED",
            "DECLINED",
            "DECLINED",
        ),
        (JOHN_TESTMAN, "WAITING_DATA", "WAITING_DATA", "WAITING_DATA"),
        (
            builtin::CARD_ATTRIBUTES_ONLY,
            "WAITING_DATA",
            "WAITING_DATA",
            "WAITING_DATA",
        ),
    ];
    for (id, at_init, _, _) in table {
        assert_eq!(mock.init(id).await.kyc_status(), at_init, "{id} at init");
    }
    mock.state.advance(delays.pending);
    for (id, _, after_pending, _) in table {
        let answer = mock.get(&format!("/customer/kyc/status/{id}")).await;
        assert_eq!(answer.kyc_status(), after_pending, "{id} after {delays:?}");
        assert_eq!(answer.body["data"]["customer"]["kycStatus"], after_pending);
    }
    mock.state.advance(delays.review);
    for (id, _, _, finally) in table {
        let answer = mock.get(&format!("/customer/kyc/status/{id}")).await;
        assert_eq!(answer.kyc_status(), finally, "{id} at the end");
    }
}

#[tokio::test]
async fn data_moves_waiting_customers_on_and_the_delays_are_configurable() {
    let config = MockConfig {
        delays: Delays {
            pending: Duration::from_millis(10),
            review: Duration::from_millis(20),
        },
        ..deterministic_config()
    };
    let mock = Mock::new(config);
    let id = builtin::JOHN_TESTMAN_UNDERSCORE;
    let init = mock.init(id).await;
    assert_eq!(init.kyc_status(), "WAITING_DATA");
    let [front, back] = <[String; 2]>::try_from(init.document_ids()).expect("two slots");
    assert_eq!(
        mock.upload(id, &front, "f.png").await.kyc_status(),
        "WAITING_DATA"
    );
    let both = mock.upload(id, &back, "b.png").await;
    assert_eq!(both.kyc_status(), "PENDING");
    assert_eq!(
        both.body["data"]["kycDocumentList"][1]["uploadStatus"],
        true
    );
    assert_eq!(both.body["data"]["kycDocumentList"][1]["extension"], "png");
    mock.state.advance(Duration::from_millis(9));
    assert_eq!(
        mock.get(&format!("/customer/kyc/status/{id}"))
            .await
            .kyc_status(),
        "PENDING"
    );
    mock.state.advance(Duration::from_millis(1));
    assert_eq!(
        mock.get(&format!("/customer/kyc/status/{id}"))
            .await
            .kyc_status(),
        "REVIEW"
    );
    mock.state.advance(Duration::from_millis(20));
    assert_eq!(
        mock.get(&format!("/customer/kyc/status/{id}"))
            .await
            .kyc_status(),
        "APPROVED"
    );
}

#[tokio::test]
async fn attributes_are_wanted_until_sent_and_uploads_alone_do_not_finish_john() {
    let mock = Mock::deterministic();
    mock.init(JOHN_TESTMAN).await;
    mock.upload(JOHN_TESTMAN, JOHN_TESTMAN_LICENSE_FRONT, "f.png")
        .await;
    let uploaded = mock
        .upload(JOHN_TESTMAN, JOHN_TESTMAN_LICENSE_BACK, "b.png")
        .await;
    assert_eq!(uploaded.kyc_status(), "WAITING_DATA");
    assert_eq!(
        uploaded.body["data"]["kyc"]["attributeCodes"],
        json!(["cardAttributes"])
    );
    let attrs = json!({"customerId": JOHN_TESTMAN, "additionalAttributes": {"cardAttributes": {
        "productID": "Virtual_Debit_Card", "nameOnCard": "JOHN TESTMAN", "designId": "1",
        "addressType": "PRIMARY", "issueType": "NEW"}}});
    let done = mock.post_json("/customer/kyc/add-attributes", attrs).await;
    assert_eq!(done.kyc_status(), "PENDING");
    assert_eq!(done.body["data"]["kyc"]["attributeCodes"], json!([]));
}

#[tokio::test]
async fn generated_customers_exist_by_number_and_cost_nothing_until_used() {
    let config = deterministic_config()
        .with_scenarios_json(
            r#"{"generate":[{"prefix":"csta_load","count":100000,"like":"csta_PassportAndUtility"}]}"#,
        )
        .expect("valid scenarios");
    let mock = Mock::new(config);
    assert_eq!(mock.state.live_customers(), 0);
    let first = mock.init("csta_load0").await;
    let last = mock.init("csta_load99999").await;
    assert_eq!(first.kyc_status(), "WAITING_DATA");
    assert_eq!(
        last.body["data"]["customer"]["customerId"],
        "csta_load99999"
    );
    assert_eq!(last.body["data"]["customer"]["reference"], "gen99999");
    // Each generated customer gets its own document slots.
    assert_ne!(first.document_ids(), last.document_ids());
    for missing in ["csta_load100000", "csta_load007", "csta_load", "csta_loadx"] {
        let answer = mock.init(missing).await;
        assert_eq!(
            (answer.status, answer.body["code"].as_str()),
            (400, Some("customerNotFound")),
            "{missing}"
        );
    }
    assert_eq!(mock.state.live_customers(), 2);
}

#[tokio::test]
async fn scenario_customers_replace_builtins_and_builtins_can_be_switched_off() {
    let scenarios = r#"{"builtins": false, "customers": [{"customerId": "csta_Mine", "reference": "777",
        "customer": {"firstName": "Mina", "lastName": "Scenario"},
        "documents": [{"id": "doc-Mine1", "type": "UTILITY"}], "afterData": ["DECLINED"]}]}"#;
    let mock = Mock::new(
        deterministic_config()
            .with_scenarios_json(scenarios)
            .expect("valid"),
    );
    assert_eq!(
        mock.init(JOHN_TESTMAN).await.body["code"],
        "customerNotFound"
    );
    let mine = mock.init("csta_Mine").await;
    assert_eq!(mine.kyc_status(), "WAITING_DATA");
    assert_eq!(mine.body["data"]["kycDocumentList"][0]["label"], "UTILITY");
    assert!(
        mine.body["data"]["kycDocumentList"][0]
            .get("documentSide")
            .is_none()
    );
    assert_eq!(
        mock.upload("csta_Mine", "doc-Mine1", "bill.pdf")
            .await
            .kyc_status(),
        "DECLINED"
    );
}
