//! The success bodies: the KYC envelope `{code, data: {customer, kyc, kycDocumentList},
//! requestId}` (also the webhook body) and the token answer, in connectFi's key order.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Serialize;
use serde_json::{Map, Value};

use super::clock::{Millis, format_timestamp};
use super::kyc::KycRecord;

/// Content type of every answer, as an Express server (which the sandbox appears to be) sends it.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// A JSON response from bytes already serialized.
pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    response
}

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

/// The KYC envelope of a record, serialized.
pub fn kyc_envelope(record: &KycRecord, request_id: &str) -> Vec<u8> {
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
pub fn token_answer(token: &str, expires_at: Millis) -> Vec<u8> {
    let answer = TokenAnswer {
        code: "0",
        data: TokenData {
            token,
            dts_expire_at: format_timestamp(expires_at),
        },
    };
    serde_json::to_vec(&answer).expect("the token answer serializes")
}
