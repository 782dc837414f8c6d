//! The success bodies: the KYC envelope `{code, data: {customer, kyc, kycDocumentList},
//! requestId}` (also the webhook body) and the token answer, in connectFi's key order.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use kyc_spec::generated::{AuthToken, AuthTokenResponse, SuccessCode, Timestamp, Token};
use serde_json::Map;

use super::clock::{Millis, format_timestamp, write_timestamp};
use super::kyc::KycRecord;

/// Content type of every answer, as an Express server (which the sandbox appears to be) sends it.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// A JSON response from bytes already serialized.
pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    response
}

/// The KYC envelope of a record (the answer of every KYC endpoint and the webhook body),
/// serialized by hand for speed: the customer object is spliced in from its template's cached
/// JSON, which is most of the body, and nothing is cloned. Byte-identical to serializing the
/// generated `KycInitResponse` or `KycWebhook` (a test below holds it to that for every
/// template, upload state and status).
pub(crate) fn kyc_envelope(record: &KycRecord, request_id: &str) -> Vec<u8> {
    let t = &record.template;
    let customer = t.customer_json();
    let status = record.status.as_str();
    let mut out = Vec::with_capacity(envelope_capacity(record));
    out.extend_from_slice(br#"{"code":"0","data":{"customer":{"reference":"#);
    json_str(&mut out, &record.reference);
    out.extend_from_slice(br#","customerId":"#);
    json_str(&mut out, &record.customer_id);
    out.extend_from_slice(br#","customerType":"#);
    json_str(&mut out, &t.customer_type);
    out.extend_from_slice(br#","customer":"#);
    out.extend_from_slice(customer.as_bytes());
    out.extend_from_slice(br#","kycStatus":""#);
    out.extend_from_slice(status.as_bytes());
    out.extend_from_slice(br#"","boises":[],"dtsCreatedAt":""#);
    write_timestamp(&mut out, record.created_at);
    out.extend_from_slice(br#""},"kyc":{"attributeCodes":["#);
    for (i, code) in record.attributes_wanted.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_str(&mut out, code.as_str());
    }
    out.extend_from_slice(br#"],"system":"#);
    json_str(&mut out, &t.system);
    out.extend_from_slice(br#","mode":"#);
    json_str(&mut out, &t.mode);
    out.extend_from_slice(br#","status":""#);
    out.extend_from_slice(status.as_bytes());
    out.extend_from_slice(br#""},"kycDocumentList":["#);
    for (i, slot) in record.slots.iter().enumerate() {
        let spec = &t.documents[slot.spec];
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(br#"{"id":"#);
        json_str(&mut out, &slot.id);
        out.extend_from_slice(br#","label":"#);
        match spec.label_parts() {
            (text, None) => json_str(&mut out, text),
            // A default label of type and side: upper-case ASCII, nothing to escape.
            (kind, Some(side)) => {
                out.push(b'"');
                out.extend_from_slice(kind.as_bytes());
                out.push(b' ');
                out.extend_from_slice(side.as_bytes());
                out.push(b'"');
            }
        }
        out.extend_from_slice(br#","type":""#);
        out.extend_from_slice(spec.kind.as_str().as_bytes());
        out.push(b'"');
        // Single-sided documents carry no side at all (DECISIONS: absent rather than null).
        if let Some(side) = spec.document_side {
            out.extend_from_slice(br#","documentSide":""#);
            out.extend_from_slice(side.as_str().as_bytes());
            out.push(b'"');
        }
        match &slot.extension {
            Some(ext) => {
                out.extend_from_slice(br#","uploadStatus":true,"extension":"#);
                json_str(&mut out, ext);
            }
            None => out.extend_from_slice(br#","uploadStatus":false"#),
        }
        out.push(b'}');
    }
    out.extend_from_slice(br#"]},"requestId":"#);
    json_str(&mut out, request_id);
    out.push(b'}');
    out
}

/// What [`kyc_envelope`] reserves: enough for the whole body, so it is written without a
/// reallocation (a test holds every case to it), with room for longer ids and references.
fn envelope_capacity(record: &KycRecord) -> usize {
    let t = &record.template;
    let strings = record.reference.len() + record.customer_id.len() + t.system.len() + t.mode.len();
    t.customer_json().len() + strings + 480 + 192 * record.slots.len()
}

/// Appends `s` as a JSON string literal, exactly as serde_json writes it.
///
/// serde_json escapes only `"`, `\` and control characters, and almost every string the mock
/// writes (ids, references, statuses) has none: those are copied between quotes, which costs
/// a fraction of serde_json's character-by-character path. The rest go through serde_json.
pub(crate) fn json_str(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing a string into a Vec cannot fail.
        serde_json::to_writer(out, s).expect("a string serializes");
    }
}

/// The answer of `POST /auth/get-token`, shaped like connectFi's published example (which
/// carries no `requestId`).
pub(crate) fn token_answer(token: &str, expires_at: Millis) -> Vec<u8> {
    let answer = AuthTokenResponse {
        code: SuccessCode,
        data: AuthToken {
            token: Token::new(token).expect("the mock's tokens are 66 characters"),
            dts_expire_at: Timestamp::new(format_timestamp(expires_at))
                .expect("format_timestamp writes the schema's timestamp form"),
            additional_properties: Map::new(),
        },
        request_id: None,
        additional_properties: Map::new(),
    };
    serde_json::to_vec(&answer).expect("the token answer serializes")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use kyc_spec::generated::{
        CustomerId, CustomerRecord, CustomerType, DocumentId, KycDocument, KycEnvelopeData,
        KycInitResponse, KycProcess, KycWebhook, RequestId, TextFrom1, Tristate,
    };
    use serde_json::{Value, json};

    use super::super::builtin;
    use super::super::kyc::{
        AttributeCode, DocumentSide, DocumentSpec, DocumentType, KycRecord, KycStatus, Template,
    };
    use super::*;

    /// The quick copy and serde_json agree on every byte value, alone and among others, and on
    /// non-ASCII text.
    #[test]
    fn json_strings_are_written_like_serde_json() {
        let mut cases: Vec<String> = (0u8..128).map(|b| format!("a{}b", char::from(b))).collect();
        cases.extend(
            [
                "",
                "csta_6clNH3W2pBehujY8mpTCU8",
                "Jöhn “Q” Tëstman",
                "\u{2028}\u{7f}\u{0}",
                "\\\"",
            ]
            .map(str::to_owned),
        );
        for case in cases {
            let mut fast = Vec::new();
            json_str(&mut fast, &case);
            assert_eq!(
                fast,
                serde_json::to_vec(&case).expect("serializes"),
                "{case:?}"
            );
        }
    }

    /// The envelope's data as the generated types hold it: the reference for [`kyc_envelope`].
    fn generated_data(record: &KycRecord) -> KycEnvelopeData {
        let t = &record.template;
        let status = KycStatus::wire(record.status).clone();
        KycEnvelopeData {
            customer: CustomerRecord {
                reference: TextFrom1::new(record.reference.as_str()).expect("ref"),
                customer_id: CustomerId::new(record.customer_id.as_str()).expect("id"),
                customer_type: t.customer_type.parse::<CustomerType>().expect("infallible"),
                customer: t.person().expect("a checked template holds a Person"),
                kyc_status: status.clone(),
                boises: vec![],
                dts_created_at: Timestamp::new(format_timestamp(record.created_at))
                    .expect("timestamp"),
                additional_properties: Map::new(),
            },
            kyc: KycProcess {
                attribute_codes: record
                    .attributes_wanted
                    .iter()
                    .map(|a| a.wire().clone())
                    .collect(),
                system: t.system.clone(),
                mode: t.mode.clone(),
                status,
                additional_properties: Map::new(),
            },
            kyc_document_list: record
                .slots
                .iter()
                .map(|slot| {
                    let spec = &t.documents[slot.spec];
                    KycDocument {
                        id: DocumentId::new(slot.id.as_str()).expect("document id"),
                        label: spec.label(),
                        r#type: spec.kind.wire().clone(),
                        // Single-sided documents carry no side at all (DECISIONS: absent
                        // rather than null).
                        document_side: match spec.document_side {
                            Some(side) => Tristate::Value(side.wire().clone()),
                            None => Tristate::Absent,
                        },
                        upload_status: slot.extension.is_some(),
                        extension: slot.extension.clone(),
                        additional_properties: Map::new(),
                    }
                })
                .collect(),
            additional_properties: Map::new(),
        }
    }

    /// Asserts that the fast path writes exactly what serializing the generated answer and
    /// the generated webhook body writes.
    #[track_caller]
    fn check(record: &KycRecord, request_id: &str, case: &str) {
        let fast = kyc_envelope(record, request_id);
        assert!(
            fast.len() <= envelope_capacity(record),
            "{case}: the envelope ({} bytes) outgrew its reservation ({})",
            fast.len(),
            envelope_capacity(record)
        );
        let request_id = Some(RequestId::new(request_id).expect("request id"));
        let answer = KycInitResponse {
            code: SuccessCode,
            data: generated_data(record),
            request_id: request_id.clone(),
            additional_properties: Map::new(),
        };
        let webhook = KycWebhook {
            code: SuccessCode,
            data: generated_data(record),
            request_id,
            additional_properties: Map::new(),
        };
        let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).expect("UTF-8");
        let by_type = serde_json::to_vec(&answer).expect("serializes");
        assert_eq!(text(&fast), text(&by_type), "KycInitResponse, {case}");
        let by_type = serde_json::to_vec(&webhook).expect("serializes");
        assert_eq!(text(&fast), text(&by_type), "KycWebhook, {case}");
    }

    /// Every built-in customer, plus scenario customers that stress the cached customer JSON
    /// (keys out of the Person's order, members it does not name) and string escaping.
    fn templates() -> Vec<Template> {
        let Value::Object(unordered) = json!({
            "lastName": "Quote\"Back\\slash",
            "nickname": {"b": 1, "a": [true, null]},
            "firstName": "Zo\u{eb}\n\u{1F600}",
            "phones": [{"phoneNumber": "5550100", "type": "MOBILE", "countryDialingCode": "1"}],
        }) else {
            unreachable!("an object literal")
        };
        let mut all = builtin::templates();
        all.push(Template {
            customer_type: "business".to_owned(),
            system: "sys\"tem".to_owned(),
            mode: "m\u{f6}de".to_owned(),
            documents: vec![
                DocumentSpec {
                    id: None,
                    kind: DocumentType::Utility,
                    document_side: None,
                    label: Some("Bill \"\u{e9}\"".to_owned()),
                },
                DocumentSpec {
                    id: Some("doc_Fixed01".to_owned()),
                    kind: DocumentType::License,
                    document_side: Some(DocumentSide::Back),
                    label: None,
                },
            ],
            ..Template::new(
                "csta-Scenario01",
                "r\u{e9}f \"1\"",
                unordered,
                &[KycStatus::Approved],
            )
        });
        all
    }

    #[test]
    fn the_hand_written_envelope_is_byte_identical_to_the_generated_types() {
        let request_id = "0123456789abcdef0123456789abcdef";
        let mut n = 0;
        for template in templates() {
            template.check().expect("a usable template");
            let id = template.customer_id.clone();
            let mut record = KycRecord::new(
                Arc::new(template),
                id.clone(),
                "r\u{e9}f\"".into(),
                1,
                || {
                    n += 1;
                    format!("doc-{n}")
                },
            );
            // Nothing uploaded, then each slot in turn (a half-done list shows both forms).
            check(&record, request_id, &format!("{id}, nothing uploaded"));
            for i in 0..record.slots.len() {
                record.slots[i].extension = Some(["png", "pdf", "j\"pg"][i % 3].into());
                check(&record, request_id, &format!("{id}, {} uploaded", i + 1));
            }
            // Every status, with no attribute group wanted and with some.
            for wanted in [vec![], vec![AttributeCode::CardAttributes; 2]] {
                record.attributes_wanted = wanted;
                for status in KycStatus::ALL {
                    record.status = *status;
                    check(&record, request_id, &format!("{id}, {status:?}"));
                }
            }
        }
    }
}
