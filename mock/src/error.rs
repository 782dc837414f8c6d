//! Every way a request can fail, and the connectFi-style body each one answers with.

use axum::http::StatusCode;
use axum::response::Response;
use kyc_spec::ajv::AjvError;
use serde::Serialize;

use super::envelope::json_response;

/// Message of `customerNotFound`, as connectFi words it.
pub const CUSTOMER_NOT_FOUND: &str = "Customer not found.";
/// Message of `documentNotFound`, as connectFi words it.
pub const DOCUMENT_NOT_FOUND: &str = "Document not found.";
/// Message of `unauthorized`, as connectFi words it.
pub const AUTHENTICATION_ERROR: &str = "Authentication error";

/// A failed request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ApiError {
    /// 401: missing, unknown or expired token, or failed login.
    Unauthorized,
    /// 400 `requestValidateError`: the body fails the request schema.
    Validation(Vec<AjvError>),
    /// 400 `customerNotFound`.
    CustomerNotFound(String),
    /// 400 `documentNotFound`.
    DocumentNotFound(String),
    /// 400 `invalidBody` (mock only): the body is not readable.
    InvalidBody(String),
    /// 413 `payloadTooLarge` (mock only).
    PayloadTooLarge(String),
    /// 415 `unsupportedMediaType` (mock only).
    UnsupportedMediaType(String),
    /// 404 `notFound` (mock only): no such endpoint.
    NoRoute(String),
    /// 405 `notFound` (mock only): the endpoint exists with another method.
    WrongMethod(String),
}

#[derive(Serialize)]
struct Unauthorized {
    code: &'static str,
    message: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Validation<'a> {
    request_id: &'a str,
    code: &'static str,
    context: &'a [AjvError],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WithContext<'a, C: Serialize> {
    request_id: &'a str,
    code: &'static str,
    context: C,
    message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CustomerContext<'a> {
    customer_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DocumentContext<'a> {
    document_id: &'a str,
}

#[derive(Serialize)]
struct ReasonContext<'a> {
    reason: &'a str,
}

impl ApiError {
    /// The HTTP status.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Validation(_)
            | ApiError::CustomerNotFound(_)
            | ApiError::DocumentNotFound(_)
            | ApiError::InvalidBody(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NoRoute(_) => StatusCode::NOT_FOUND,
            ApiError::WrongMethod(_) => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The `code` of the body.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::Validation(_) => "requestValidateError",
            ApiError::CustomerNotFound(_) => "customerNotFound",
            ApiError::DocumentNotFound(_) => "documentNotFound",
            ApiError::InvalidBody(_) => "invalidBody",
            ApiError::PayloadTooLarge(_) => "payloadTooLarge",
            ApiError::UnsupportedMediaType(_) => "unsupportedMediaType",
            ApiError::NoRoute(_) | ApiError::WrongMethod(_) => "notFound",
        }
    }

    /// The response, with `request_id` where connectFi's bodies carry one.
    pub(crate) fn into_response(self, request_id: &str) -> Response {
        let status = self.status();
        let code = self.code();
        let reason = |reason: &str, message: &str| {
            serde_json::to_vec(&WithContext {
                request_id,
                code,
                context: ReasonContext { reason },
                message,
            })
        };
        let body = match &self {
            ApiError::Unauthorized => serde_json::to_vec(&Unauthorized {
                code,
                message: AUTHENTICATION_ERROR,
            }),
            ApiError::Validation(errors) => serde_json::to_vec(&Validation {
                request_id,
                code,
                context: errors,
            }),
            ApiError::CustomerNotFound(id) => serde_json::to_vec(&WithContext {
                request_id,
                code,
                context: CustomerContext { customer_id: id },
                message: CUSTOMER_NOT_FOUND,
            }),
            ApiError::DocumentNotFound(id) => serde_json::to_vec(&WithContext {
                request_id,
                code,
                context: DocumentContext { document_id: id },
                message: DOCUMENT_NOT_FOUND,
            }),
            ApiError::InvalidBody(why) => reason(why, "The request body could not be read."),
            ApiError::PayloadTooLarge(why) => reason(why, "The request body is too large."),
            ApiError::UnsupportedMediaType(why) => {
                reason(why, "The request body has an unsupported content type.")
            }
            ApiError::NoRoute(why) | ApiError::WrongMethod(why) => reason(why, "Not found."),
        };
        // These structs hold only strings and Ajv's maps of JSON values: serializing cannot fail.
        json_response(status, body.expect("error bodies serialize"))
    }
}
