//! `POST /customer/init` and the mock's clock control through the HTTP surface: created
//! customers, their duplicates, the triggers that reproduce every built-in customer, and
//! `POST /_mock/clock/advance`.

use axum::body::Body;
use axum::http::{Request, header};
use kyc_mock::builtin;
use kyc_mock::{AGGREGATOR_ID, MockConfig};
use serde_json::{Value, json};

use super::harness::{Answer, Mock, deterministic_config};

/// An individual whose names are triggers (or not), with an SSN when one is given.
fn individual(reference: &str, first: &str, last: &str, ssn: Option<&str>) -> Value {
    let mut customer = json!({
        "firstName": first,
        "lastName": last,
        "gender": "F",
        "email": "janice@example.com",
        "dateOfBirth": "1969-08-04",
        "citizenshipCountryCodeA3": "USA",
        "addresses": [{"type": "PRIMARY", "addressLine1": "123 Main Str.", "city": "Harrisburg", "stateCode": "PA", "postalCode": "12345", "countryCodeA3": "USA"}],
        "phones": [{"type": "MOBILE", "countryDialingCode": "01", "phoneNumber": "5550100123"}]
    });
    if let Some(ssn) = ssn {
        customer["identificationDocuments"] =
            json!([{"type": "SSN", "value": ssn, "issuanceCountryCodeA3": "USA"}]);
    }
    json!({"customerReference": reference, "customerType": "individual", "customer": customer})
}

/// A business with the given representatives (first and last names) and FEIN.
fn business(reference: &str, representatives: &[(&str, &str)], fein: Option<&str>) -> Value {
    let reps: Vec<Value> = representatives
        .iter()
        .map(|(first, last)| json!({"firstName": first, "lastName": last}))
        .collect();
    let mut customer = json!({
        "legalName": "Sample Industries LLC",
        "businessAddresses": [{"type": "PRIMARY", "addressLine1": "1 Commerce Way", "city": "Harrisburg"}],
        "businessPhones": [{"type": "MOBILE", "countryDialingCode": "01", "phoneNumber": "5550100200"}],
        "businessRepresentatives": reps
    });
    if let Some(fein) = fein {
        customer["identificationDocuments"] = json!([{"type": "FEIN", "value": fein}]);
    }
    json!({"customerReference": reference, "customerType": "business", "customer": customer})
}

async fn create(mock: &Mock, body: Value) -> Answer {
    mock.post_json("/customer/init", body).await
}

/// Creates a customer and returns its id.
async fn created_id(mock: &Mock, body: Value) -> String {
    let answer = create(mock, body).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["data"]["customerId"]
        .as_str()
        .expect("a customerId")
        .to_owned()
}

async fn add_card_attributes(mock: &Mock, customer_id: &str) -> Answer {
    let card = json!({"productID": "Virtual_Debit_Card", "nameOnCard": "JANE DOE", "designId": "1", "addressType": "PRIMARY", "issueType": "NEW"});
    mock.post_json(
        "/customer/kyc/add-attributes",
        json!({"customerId": customer_id, "additionalAttributes": {"cardAttributes": card}}),
    )
    .await
}

fn is_id(id: &str, prefix: &str) -> bool {
    id.len() == prefix.len() + 22
        && id.starts_with(prefix)
        && id[prefix.len()..]
            .bytes()
            .all(|c| c.is_ascii_alphanumeric())
}

#[tokio::test]
async fn an_individual_is_created_answered_as_sent_and_known_to_the_kyc_endpoints() {
    let mock = Mock::deterministic();
    let body = individual("ExtRefICust100", "Janice", "Sample", Some("666989698"));
    let answer = create(&mock, body.clone()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let data = &answer.body["data"];
    let id = data["customerId"].as_str().expect("an id");
    assert!(is_id(id, "cstap_"), "{id}");
    assert_eq!(data["reference"], "ExtRefICust100");
    assert_eq!(data["customerType"], "individual");
    assert_eq!(data["customer"], body["customer"]);
    assert!(answer.body["requestId"].is_string());
    assert_eq!(mock.state.created_customers(), 1);

    // Creating does not start KYC; the KYC init does, like for a built-in customer.
    assert_eq!(mock.state.live_customers(), 0);
    let kyc = mock.init(id).await;
    assert_eq!(kyc.status, 200, "{}", kyc.body);
    let record = &kyc.body["data"]["customer"];
    assert_eq!(record["customerId"], id);
    assert_eq!(record["reference"], "ExtRefICust100");
    assert_eq!(record["customer"]["firstName"], "Janice");
    assert_eq!(record["dtsCreatedAt"], "2024-01-01T00:00:00.000Z");
    assert_eq!(kyc.kyc_status(), "WAITING_DATA");
    let labels: Vec<&str> = kyc.body["data"]["kycDocumentList"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| d["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, ["LICENSE FRONT", "LICENSE BACK"]);
    assert_eq!(
        kyc.body["data"]["kyc"]["attributeCodes"],
        json!(["cardAttributes"])
    );
    for doc in kyc.document_ids() {
        assert!(is_id(&doc, "doc_"), "{doc}");
    }
}

#[tokio::test]
async fn duplicates_are_refused_reference_first_then_ssn_or_fein() {
    let mock = Mock::deterministic();
    let first = created_id(&mock, individual("Ref1", "A", "B", Some("123456789"))).await;

    // Same reference and same SSN: the reference is checked first.
    let again = create(&mock, individual("Ref1", "C", "D", Some("123456789"))).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.body["code"], "referenceExists");
    assert_eq!(
        again.body["context"],
        json!({"reference": "Ref1", "entityId": first})
    );
    assert_eq!(again.body["message"], "Reference already exists.");

    let same_ssn = create(&mock, individual("Ref2", "C", "D", Some("123456789"))).await;
    assert_eq!(same_ssn.status, 400);
    assert_eq!(same_ssn.body["code"], "customerExists");
    assert_eq!(
        same_ssn.body["context"],
        json!({"cFiAggregatorId": AGGREGATOR_ID, "customerId": first})
    );
    assert_eq!(same_ssn.body["message"], "Customer exists.");

    // A built-in customer's reference is taken too (John Testman's is 22223).
    let builtin_ref = create(&mock, individual("22223", "A", "B", None)).await;
    assert_eq!(
        builtin_ref.body["context"]["entityId"],
        builtin::JOHN_TESTMAN
    );

    // Businesses are found again by their FEIN, not by an individual's SSN.
    let biz = created_id(&mock, business("Biz1", &[("P", "Q")], Some("123456789"))).await;
    assert!(is_id(&biz, "cstab_"), "{biz}");
    let same_fein = create(&mock, business("Biz2", &[("P", "Q")], Some("123456789"))).await;
    assert_eq!(same_fein.body["code"], "customerExists");
    assert_eq!(same_fein.body["context"]["customerId"], biz);
    // Without an SSN or FEIN only the reference counts.
    created_id(&mock, individual("Ref3", "A", "B", None)).await;
    created_id(&mock, individual("Ref4", "A", "B", None)).await;
    // Refused requests created nothing.
    assert_eq!(mock.state.created_customers(), 4);
}

#[tokio::test]
async fn a_business_gets_representative_ids_and_its_representatives_carry_the_triggers() {
    let mock = Mock::deterministic();
    let mut body = business(
        "Biz1",
        &[("Paula", "Owner"), ("NothingNeeded", "WaitReview")],
        Some("987654321"),
    );
    body["customer"]["businessRepresentatives"][0]["id"] = json!("cstap_OwnRepresentativeId01");
    let answer = create(&mock, body).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let data = &answer.body["data"];
    assert_eq!(data["customerType"], "business");
    let reps = data["customer"]["businessRepresentatives"]
        .as_array()
        .expect("representatives");
    assert_eq!(reps[0]["id"], "cstap_OwnRepresentativeId01");
    let generated = reps[1]["id"].as_str().expect("a generated id");
    assert!(is_id(generated, "cstap_"), "{generated}");
    let id = data["customerId"].as_str().expect("an id");

    // connectFi's trigger on the second representative: nothing to send, then manual review
    // for good. The envelope's person is the first representative, with the business's arrays.
    let kyc = mock.init(id).await;
    assert_eq!(kyc.kyc_status(), "REVIEW");
    let person = &kyc.body["data"]["customer"]["customer"];
    assert_eq!(person["firstName"], "Paula");
    assert_eq!(
        person["businessAddresses"][0]["addressLine1"],
        "1 Commerce Way"
    );
    assert!(person.get("id").is_none(), "{person}");
    assert_eq!(kyc.body["data"]["customer"]["customerType"], "business");
    mock.state.advance(std::time::Duration::from_secs(3600));
    assert_eq!(
        mock.get(&format!("/customer/kyc/status/{id}"))
            .await
            .kyc_status(),
        "REVIEW"
    );
}

#[tokio::test]
async fn a_created_individuals_envelope_carries_both_business_arrays_like_a_builtin_ones() {
    let mock = Mock::deterministic();
    let builtin = mock.init(builtin::ALL[0]).await;
    let builtin_person = &builtin.body["data"]["customer"]["customer"];
    let id = created_id(&mock, individual("R1", "Janice", "Sample", None)).await;
    let kyc = mock.init(&id).await;
    assert_eq!(kyc.status, 200, "{}", kyc.body);
    let person = kyc.body["data"]["customer"]["customer"]
        .as_object()
        .expect("a person");
    let keys: Vec<&str> = person.keys().map(String::as_str).collect();
    assert_eq!(
        keys[..2],
        ["businessAddresses", "businessPhones"],
        "{keys:?}"
    );
    assert_eq!(person["businessAddresses"], json!([]));
    assert_eq!(person["businessPhones"], json!([]));
    assert_eq!(builtin_person["businessAddresses"], json!([]));
    assert_eq!(builtin_person["businessPhones"], json!([]));
    let status = mock.get(&format!("/customer/kyc/status/{id}")).await;
    assert_eq!(
        status.body["data"]["customer"]["customer"],
        kyc.body["data"]["customer"]["customer"]
    );
}

/// A representative's id may have a `-` (the customer-id rule), an akepa entity id may not
/// (`CommonId`): the entity is the id with `_` for `-` (DECISIONS.md D42). Every answer is
/// checked against its response schema by the harness.
#[tokio::test]
async fn a_representative_id_with_a_hyphen_gives_a_schema_valid_akepa_entity_id() {
    let mock = Mock::deterministic();
    let mut body = business("Biz1", &[("Paula", "Owner"), ("Rob", "Second")], None);
    body["customer"]["businessRepresentatives"][0]["id"] = json!("c1x-wC3Buf");
    body["customer"]["businessRepresentatives"][1]["id"] = json!("-");
    let id = created_id(&mock, body).await;
    let started = mock
        .post_json(
            "/akepa/identification",
            json!({"customerId": id, "reference": "App1"}),
        )
        .await;
    assert_eq!(started.status, 200, "{}", started.body);
    let status = mock.get(&format!("/akepa/status/{id}")).await;
    assert_eq!(status.status, 200, "{}", status.body);
    for answer in [&started, &status] {
        let entities: Vec<&str> = answer.body["data"]["entityApplications"]
            .as_array()
            .expect("entity applications")
            .iter()
            .map(|e| e["entityId"].as_str().expect("an entityId"))
            .collect();
        assert_eq!(entities, ["c1x_wC3Buf", "_"], "{}", answer.body);
    }
}

#[tokio::test]
async fn a_seeded_mock_creates_the_same_ids_for_the_same_requests() {
    let run = || async {
        let mock = Mock::deterministic();
        let a = created_id(&mock, individual("R1", "A", "B", None)).await;
        let answer = create(&mock, business("R2", &[("A", "B")], None)).await;
        (a, answer.body)
    };
    assert_eq!(run().await, run().await);
}

#[tokio::test]
async fn a_body_matching_neither_branch_gets_the_errors_of_both() {
    let mock = Mock::deterministic();
    let answer = create(
        &mock,
        json!({"customerReference": "R1", "customerType": "company"}),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.body["code"], "requestValidateError");
    let context = answer.body["context"].as_array().expect("Ajv's errors");
    let paths: Vec<&str> = context
        .iter()
        .map(|e| e["schemaPath"].as_str().expect("schemaPath"))
        .collect();
    assert_eq!(
        paths,
        ["#/required", "#/required", "#/oneOf"],
        "{context:?}"
    );
    // Unauthenticated requests never reach the schema.
    let request = Request::post("/customer/init")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(individual("R", "A", "B", None).to_string()))
        .expect("a request");
    assert_eq!(mock.send(request).await.status, 401);
}

/// A walk through a customer's KYC: init, every upload, the attributes, then the clock, with
/// what each answer says about the process (ids aside).
async fn walk(mock: &Mock, id: &str) -> Vec<Value> {
    fn seen(answer: &Answer) -> Value {
        assert_eq!(answer.status, 200, "{}", answer.body);
        let data = &answer.body["data"];
        let documents: Vec<Value> = data["kycDocumentList"]
            .as_array()
            .expect("documents")
            .iter()
            .map(|d| {
                let mut d = d.clone();
                d.as_object_mut().expect("an object").remove("id");
                d
            })
            .collect();
        json!({"kyc": data["kyc"], "kycStatus": data["customer"]["kycStatus"], "documents": documents})
    }
    let delays = mock.state.config().delays;
    let init = mock.init(id).await;
    let mut steps = vec![seen(&init)];
    for doc in init.document_ids() {
        steps.push(seen(&mock.upload(id, &doc, "scan.png").await));
    }
    if !init.body["data"]["kyc"]["attributeCodes"]
        .as_array()
        .expect("attribute codes")
        .is_empty()
    {
        steps.push(seen(&add_card_attributes(mock, id).await));
    }
    for by in [
        delays.pending,
        delays.review,
        delays.pending + delays.review,
    ] {
        mock.state.advance(by);
        steps.push(seen(&mock.get(&format!("/customer/kyc/status/{id}")).await));
    }
    steps
}

/// The table of `mock/MOCK.md`: the built-in customer each pair of trigger names reproduces.
const REPRODUCED_BY: [(&str, &str, &str); 12] = [
    (builtin::JOHN_TESTMAN, "Janice", "Sample"),
    (
        builtin::JOHN_TESTMAN_UNDERSCORE,
        "LicenseOnly",
        "PendingReviewApproved",
    ),
    (builtin::PENDING_THEN_APPROVED, "NothingNeeded", "Sample"),
    (
        builtin::PENDING_THEN_DECLINED,
        "NothingNeeded",
        "PendingThenDeclined",
    ),
    (
        builtin::REVIEW_THEN_APPROVED,
        "NothingNeeded",
        "ReviewThenApproved",
    ),
    (
        builtin::REVIEW_THEN_DECLINED,
        "NothingNeeded",
        "ReviewThenDeclined",
    ),
    (builtin::STUCK_IN_REVIEW, "NothingNeeded", "WaitReview"),
    (builtin::APPROVED_AT_ONCE, "NothingNeeded", "ApprovedAtOnce"),
    (builtin::DECLINED_AT_ONCE, "NothingNeeded", "DeclinedAtOnce"),
    (builtin::PASSPORT_AND_UTILITY, "PassportUtility", "Sample"),
    (
        builtin::ID_CARD_AND_CONTRACT,
        "IdCardContract",
        "PendingReviewDeclined",
    ),
    (builtin::CARD_ATTRIBUTES_ONLY, "CardOnly", "Sample"),
];

#[tokio::test]
async fn every_builtin_customer_is_reproduced_by_a_created_one_with_its_triggers() {
    let ids: Vec<&str> = REPRODUCED_BY.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids, builtin::ALL, "every built-in customer has a row");
    for (i, (builtin_id, first, last)) in REPRODUCED_BY.into_iter().enumerate() {
        let expected = walk(&Mock::deterministic(), builtin_id).await;
        for as_business in [false, true] {
            let mock = Mock::deterministic();
            let reference = format!("Ref{i}");
            let body = if as_business {
                business(&reference, &[("Plain", "Person"), (first, last)], None)
            } else {
                individual(&reference, first, last, None)
            };
            let id = created_id(&mock, body).await;
            let got = walk(&mock, &id).await;
            assert_eq!(
                got,
                expected,
                "{builtin_id}: a created {} named {first} {last}",
                if as_business {
                    "business"
                } else {
                    "individual"
                }
            );
        }
    }
}

#[tokio::test]
async fn the_clock_control_moves_a_manual_clock_and_runs_what_fell_due() {
    let mock = Mock::deterministic();
    assert_eq!(
        mock.init(builtin::PENDING_THEN_APPROVED).await.kyc_status(),
        "PENDING"
    );
    // No token: it is a control of the mock, not a connectFi endpoint.
    let request = Request::post("/_mock/clock/advance")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"ms": 2000}"#))
        .expect("a request");
    let answer = mock.send(request).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.body["data"],
        json!({"now": "2024-01-01T00:00:02.000Z"})
    );
    assert!(answer.body["requestId"].is_string());
    let status = mock
        .get(&format!(
            "/customer/kyc/status/{}",
            builtin::PENDING_THEN_APPROVED
        ))
        .await;
    assert_eq!(status.kyc_status(), "APPROVED");

    let refused = mock
        .post_json("/_mock/clock/advance", json!({"ms": 31_536_000_001_u64}))
        .await;
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (400, Some("requestValidateError"))
    );
}

#[tokio::test]
async fn the_clock_control_refuses_to_move_the_wall_clock() {
    let mock = Mock::new(MockConfig {
        clock: kyc_mock::Clock::system(),
        ..deterministic_config()
    });
    let answer = mock
        .post_json("/_mock/clock/advance", json!({"ms": 1000}))
        .await;
    assert_eq!(answer.status, 409, "{}", answer.body);
    assert_eq!(answer.body["code"], "clockNotManual");
    assert!(
        answer.body["context"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("wall clock"))
    );
}
