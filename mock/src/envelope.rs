//! The success bodies: the KYC envelope `{code, data: {customer, kyc, kycDocumentList},
//! requestId}` (also the webhook body) and the token answer, in connectFi's key order.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Serialize;

use super::clock::{Millis, format_timestamp};
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

/// The KYC envelope of a record, serialized by hand: the customer object is spliced in from
/// its template's cached JSON, which is most of the body. Byte-identical to serializing the
/// structure with serde (a test below holds it to that).
pub(crate) fn kyc_envelope(record: &KycRecord, request_id: &str) -> Vec<u8> {
    let t = &record.template;
    let customer = t.customer_json();
    let status = record.status.as_str();
    let mut out = Vec::with_capacity(customer.len() + 400 + 160 * record.slots.len());
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
    out.extend_from_slice(format_timestamp(record.created_at).as_bytes());
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
        json_str(&mut out, &spec.label());
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

/// Appends `s` as a JSON string literal, escaped by serde_json.
fn json_str(out: &mut Vec<u8>, s: &str) {
    // Writing a string into a Vec cannot fail.
    serde_json::to_writer(out, s).expect("a string serializes");
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenAnswer<'a> {
    code: &'static str,
    data: TokenData<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenData<'a> {
    token: &'a str,
    dts_expire_at: String,
}

/// The answer of `POST /auth/get-token`, shaped like connectFi's published example (which
/// carries no `requestId`).
pub(crate) fn token_answer(token: &str, expires_at: Millis) -> Vec<u8> {
    let answer = TokenAnswer {
        code: "0",
        data: TokenData {
            token,
            dts_expire_at: format_timestamp(expires_at),
        },
    };
    serde_json::to_vec(&answer).expect("the token answer serializes")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde::Serialize;
    use serde_json::{Map, Value};

    use super::super::builtin;
    use super::super::kyc::{AttributeCode, KycRecord};
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Envelope<'a> {
        code: &'static str,
        data: Data<'a>,
        request_id: &'a str,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Data<'a> {
        customer: CustomerRecord<'a>,
        kyc: Kyc<'a>,
        kyc_document_list: Vec<Document<'a>>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct CustomerRecord<'a> {
        reference: &'a str,
        customer_id: &'a str,
        customer_type: &'a str,
        customer: &'a Map<String, Value>,
        kyc_status: &'static str,
        boises: [(); 0],
        dts_created_at: String,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Kyc<'a> {
        attribute_codes: Vec<&'static str>,
        system: &'a str,
        mode: &'a str,
        status: &'static str,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Document<'a> {
        id: &'a str,
        label: String,
        #[serde(rename = "type")]
        kind: &'static str,
        // Single-sided documents carry no side at all (DECISIONS: absent rather than null).
        #[serde(skip_serializing_if = "Option::is_none")]
        document_side: Option<&'static str>,
        upload_status: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        extension: Option<&'a str>,
    }

    /// The envelope by serde from structs in key order: the reference for [`kyc_envelope`].
    fn by_serde(record: &KycRecord, request_id: &str) -> Vec<u8> {
        let t = &record.template;
        let status = record.status.as_str();
        let envelope = Envelope {
            code: "0",
            data: Data {
                customer: CustomerRecord {
                    reference: &record.reference,
                    customer_id: &record.customer_id,
                    customer_type: &t.customer_type,
                    customer: &t.customer,
                    kyc_status: status,
                    boises: [],
                    dts_created_at: format_timestamp(record.created_at),
                },
                kyc: Kyc {
                    attribute_codes: record
                        .attributes_wanted
                        .iter()
                        .map(|a| a.as_str())
                        .collect(),
                    system: &t.system,
                    mode: &t.mode,
                    status,
                },
                kyc_document_list: record
                    .slots
                    .iter()
                    .map(|slot| {
                        let spec = &t.documents[slot.spec];
                        Document {
                            id: &slot.id,
                            label: spec.label(),
                            kind: spec.kind.as_str(),
                            document_side: spec.document_side.map(|s| s.as_str()),
                            upload_status: slot.extension.is_some(),
                            extension: slot.extension.as_deref(),
                        }
                    })
                    .collect(),
            },
            request_id,
        };
        // Only strings, booleans and JSON maps: serializing cannot fail.
        serde_json::to_vec(&envelope).expect("the KYC envelope serializes")
    }

    #[test]
    fn the_hand_written_envelope_is_byte_identical_to_serde() {
        let mut n = 0;
        for template in builtin::templates() {
            let template = Arc::new(template);
            let mut record =
                KycRecord::new(template, "csta_q\"x".into(), "r\u{e9}f".into(), 1, || {
                    n += 1;
                    format!("doc-{n}")
                });
            assert_eq!(kyc_envelope(&record, "abc"), by_serde(&record, "abc"));
            for slot in &mut record.slots {
                slot.extension = Some("png".into());
            }
            record.attributes_wanted =
                vec![AttributeCode::CardAttributes, AttributeCode::CardAttributes];
            assert_eq!(kyc_envelope(&record, "abc"), by_serde(&record, "abc"));
            let parsed: Value =
                serde_json::from_slice(&kyc_envelope(&record, "abc")).expect("JSON");
            assert!(parsed["data"]["customer"]["customer"].is_object());
        }
    }
}
