//! The built-in customers: a sandbox's "magic values". Each id always answers the same way,
//! so cassettes and users' tests can name them. `mock/MOCK.md` lists them for people.

use serde_json::{Map, Value, json};

use super::kyc::{AttributeCode, DocumentSide, DocumentSpec, DocumentType, KycStatus, Template};

/// The seed page's customer (hyphen spelling): John Testman, WAITING_DATA with both sides of
/// a driver's licence and the card attributes to send, then PENDING → APPROVED.
pub const JOHN_TESTMAN: &str = "csta-6TqoA6HtSItCANO1KT0W7u";
/// The seed's property-table id (underscore spelling), also John Testman: WAITING_DATA with
/// both licence sides to upload, then PENDING → REVIEW → APPROVED.
pub const JOHN_TESTMAN_UNDERSCORE: &str = "csta_6clNH3W2pBehujY8mpTCU8";
/// Nothing to send: PENDING at init, then APPROVED.
pub const PENDING_THEN_APPROVED: &str = "csta_PendingThenApproved";
/// Nothing to send: PENDING at init, then DECLINED.
pub const PENDING_THEN_DECLINED: &str = "csta_PendingThenDeclined";
/// Nothing to send: REVIEW at init, then APPROVED.
pub const REVIEW_THEN_APPROVED: &str = "csta_ReviewThenApproved";
/// Nothing to send: REVIEW at init, then DECLINED.
pub const REVIEW_THEN_DECLINED: &str = "csta_ReviewThenDeclined";
/// REVIEW at init and forever, like a sandbox case waiting for a human.
pub const STUCK_IN_REVIEW: &str = "csta_StuckInReview";
/// APPROVED at init.
pub const APPROVED_AT_ONCE: &str = "csta_ApprovedAtOnce";
/// DECLINED at init.
pub const DECLINED_AT_ONCE: &str = "csta_DeclinedAtOnce";
/// WAITING_DATA for a passport and a utility bill, then PENDING → APPROVED.
pub const PASSPORT_AND_UTILITY: &str = "csta_PassportAndUtility";
/// WAITING_DATA for an ID card and a tenancy contract, then PENDING → REVIEW → DECLINED.
pub const ID_CARD_AND_CONTRACT: &str = "csta-IdCardAndContract";
/// WAITING_DATA for card attributes only, then PENDING → APPROVED.
pub const CARD_ATTRIBUTES_ONLY: &str = "csta_CardAttributesOnly";

/// Every built-in customer id, in the order `MOCK.md` lists them.
pub const ALL: [&str; 12] = [
    JOHN_TESTMAN,
    JOHN_TESTMAN_UNDERSCORE,
    PENDING_THEN_APPROVED,
    PENDING_THEN_DECLINED,
    REVIEW_THEN_APPROVED,
    REVIEW_THEN_DECLINED,
    STUCK_IN_REVIEW,
    APPROVED_AT_ONCE,
    DECLINED_AT_ONCE,
    PASSPORT_AND_UTILITY,
    ID_CARD_AND_CONTRACT,
    CARD_ATTRIBUTES_ONLY,
];

/// The seed's document slot ids for John Testman's licence.
pub const JOHN_TESTMAN_LICENSE_FRONT: &str = "doc-1qfdwf5KV66EBv0vVVdmTW";
/// See [`JOHN_TESTMAN_LICENSE_FRONT`].
pub const JOHN_TESTMAN_LICENSE_BACK: &str = "doc-1qfdwgKNnog8UUyrx390cY";

/// [`JOHN_TESTMAN_UNDERSCORE`]'s licence front slot.
pub const JOHN_TESTMAN_UNDERSCORE_LICENSE_FRONT: &str = "doc_3RkTq8ZyUe2WmV0dLx7NaB";
/// [`JOHN_TESTMAN_UNDERSCORE`]'s licence back slot.
pub const JOHN_TESTMAN_UNDERSCORE_LICENSE_BACK: &str = "doc_3RkTq9HbPf4XnC1eMy8ObC";
/// [`PASSPORT_AND_UTILITY`]'s passport slot.
pub const PASSPORT_DOCUMENT: &str = "doc_PassportPage01";
/// [`PASSPORT_AND_UTILITY`]'s utility bill slot.
pub const UTILITY_DOCUMENT: &str = "doc_UtilityBill01";
/// [`ID_CARD_AND_CONTRACT`]'s identity card slot.
pub const ID_CARD_DOCUMENT: &str = "doc-IdCard01";
/// [`ID_CARD_AND_CONTRACT`]'s tenancy contract slot.
pub const CONTRACT_DOCUMENT: &str = "doc-TenancyContract01";

/// The built-in customers as templates.
pub fn templates() -> Vec<Template> {
    use DocumentType::*;
    use KycStatus::*;
    let license = |front: &str, back: &str| {
        vec![
            doc(Some(front), License, Some(DocumentSide::Front)),
            doc(Some(back), License, Some(DocumentSide::Back)),
        ]
    };
    vec![
        Template {
            dts_created_at: Some("2022-10-07T17:18:56.424Z".to_owned()),
            documents: license(JOHN_TESTMAN_LICENSE_FRONT, JOHN_TESTMAN_LICENSE_BACK),
            attribute_codes: vec![AttributeCode::CardAttributes],
            ..template(JOHN_TESTMAN, "22223", john_testman(), &[Pending, Approved])
        },
        Template {
            dts_created_at: Some("2022-10-07T17:18:56.424Z".to_owned()),
            documents: license(
                JOHN_TESTMAN_UNDERSCORE_LICENSE_FRONT,
                JOHN_TESTMAN_UNDERSCORE_LICENSE_BACK,
            ),
            ..template(
                JOHN_TESTMAN_UNDERSCORE,
                "22224",
                john_testman(),
                &[Pending, Review, Approved],
            )
        },
        template(
            PENDING_THEN_APPROVED,
            "30001",
            person("Ada", "Pendleton", "F", "1985-03-14", "Springfield"),
            &[Pending, Approved],
        ),
        template(
            PENDING_THEN_DECLINED,
            "30002",
            person("Bruno", "Declan", "M", "1972-11-02", "Riverton"),
            &[Pending, Declined],
        ),
        template(
            REVIEW_THEN_APPROVED,
            "30003",
            person("Carla", "Reyes-Testa", "F", "1990-06-30", "Lakeside"),
            &[Review, Approved],
        ),
        template(
            REVIEW_THEN_DECLINED,
            "30004",
            person("Dmitri", "Vance", "M", "1968-01-21", "Hillcrest"),
            &[Review, Declined],
        ),
        template(
            STUCK_IN_REVIEW,
            "30005",
            person("Edith", "Waitreview", "F", "1955-09-09", "Oakdale"),
            &[Review],
        ),
        template(
            APPROVED_AT_ONCE,
            "30006",
            person("Felix", "Okafor", "M", "1999-12-31", "Brookfield"),
            &[Approved],
        ),
        template(
            DECLINED_AT_ONCE,
            "30007",
            person("Greta", "Nolan", "F", "1981-04-18", "Fairview"),
            &[Declined],
        ),
        Template {
            documents: vec![
                doc(Some(PASSPORT_DOCUMENT), Passport, None),
                doc(Some(UTILITY_DOCUMENT), Utility, None),
            ],
            ..template(
                PASSPORT_AND_UTILITY,
                "30008",
                person("Hiro", "Tanabe", "M", "1993-07-07", "Maplewood"),
                &[Pending, Approved],
            )
        },
        Template {
            documents: vec![
                doc(Some(ID_CARD_DOCUMENT), IdCard, None),
                doc(Some(CONTRACT_DOCUMENT), Contract, None),
            ],
            ..template(
                ID_CARD_AND_CONTRACT,
                "30009",
                person("Ines", "Carvalho", "F", "1979-02-28", "Glenwood"),
                &[Pending, Review, Declined],
            )
        },
        Template {
            attribute_codes: vec![AttributeCode::CardAttributes],
            ..template(
                CARD_ATTRIBUTES_ONLY,
                "30010",
                person("Jonas", "Cardwell", "M", "1988-10-10", "Ashford"),
                &[Pending, Approved],
            )
        },
    ]
}

fn template(
    id: &str,
    reference: &str,
    customer: Map<String, Value>,
    after: &[KycStatus],
) -> Template {
    Template::new(id, reference, customer, after)
}

fn doc(id: Option<&str>, kind: DocumentType, side: Option<DocumentSide>) -> DocumentSpec {
    DocumentSpec {
        id: id.map(str::to_owned),
        kind,
        document_side: side,
        label: None,
    }
}

/// The seed page's customer object, exactly as `spec/examples/response/valid/seed-200.json`
/// repairs it (the page elides the arrays; DECISIONS.md D14 says how they were filled).
fn john_testman() -> Map<String, Value> {
    let mut p = person("John", "Testman", "M", "1978-10-15", "Harrisburg");
    p.insert("email".to_owned(), json!("aa@aa.aa"));
    p["phones"][0]["phoneNumber"] = json!("5556667777");
    let licence = &mut p["identificationDocuments"][0];
    licence["value"] = json!("PA99999999");
    licence["expiryDate"] = json!("2029-12-28");
    p
}

/// An invented individual in connectFi's key order. Phone numbers are in the 555-01xx range
/// reserved for fiction; licence numbers are obviously fake.
fn person(first: &str, last: &str, gender: &str, born: &str, city: &str) -> Map<String, Value> {
    let email = format!(
        "{}.{}@example.com",
        first.to_lowercase(),
        last.to_lowercase()
    );
    let value = json!({
        "businessAddresses": [],
        "businessPhones": [],
        "firstName": first,
        "lastName": last,
        "gender": gender,
        "dateOfBirth": born,
        "email": email,
        "citizenshipCountryCodeA3": "USA",
        "addresses": [{
            "type": "PRIMARY",
            "addressLine1": "123 Main Str.",
            "addressLine2": "apt 1",
            "city": city,
            "stateCode": "PA",
            "postalCode": "12345",
            "countryCodeA3": "USA"
        }],
        "phones": [{"type": "MOBILE", "countryDialingCode": "01", "phoneNumber": "5550100123"}],
        "identificationDocuments": [{
            "type": "DRIVING LICENSE",
            "value": "PA00000000",
            "issuanceCountryCodeA3": "USA",
            "issuanceRegion": "PA",
            "expiryDate": "2030-12-31"
        }]
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_is_listed_usable_and_distinct() {
        let templates = templates();
        let ids: Vec<_> = templates.iter().map(|t| t.customer_id.as_str()).collect();
        assert_eq!(ids, ALL);
        for t in &templates {
            t.check()
                .unwrap_or_else(|e| panic!("{}: {e}", t.customer_id));
        }
    }
}
