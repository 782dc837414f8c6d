//! Every way a request can fail, and the connectFi-style body each one answers with.

use axum::http::StatusCode;
use axum::response::Response;
use kyc_spec::ajv::AjvError;
use kyc_spec::generated::{
    self, ApplicationNotFound, ApplicationNotFoundContext, ClockNotManual, CustomerExists,
    CustomerExistsContext, CustomerNotFound, CustomerNotFoundContext, DocumentNotFound,
    DocumentNotFoundContext, ErrorBody, FileNotFound, FileNotFoundContext, InvalidBody, NotFound,
    PayloadTooLarge, ReasonContext, ReferenceExists, ReferenceExistsContext, RequestId,
    RequestValidateError, RequestValidateErrorContext, StatusApplicationEntity,
    StatusApplicationEntityContext, Unauthorized, UnsupportedMediaType,
};
use serde_json::Map;

use super::envelope::json_response;

/// Message of `customerNotFound`, as connectFi words it.
pub const CUSTOMER_NOT_FOUND: &str = "Customer not found.";
/// Message of `documentNotFound`, as connectFi words it.
pub const DOCUMENT_NOT_FOUND: &str = "Document not found.";
/// Message of `unauthorized`, as connectFi words it.
pub const AUTHENTICATION_ERROR: &str = "Authentication error";
/// Message of `customerExists`, as connectFi words it.
pub const CUSTOMER_EXISTS: &str = "Customer exists.";
/// Message of `referenceExists`, as connectFi words it.
pub const REFERENCE_EXISTS: &str = "Reference already exists.";
/// Message of `applicationNotFound`, as connectFi words it.
pub const APPLICATION_NOT_FOUND: &str = "Application not found.";
/// Message of `fileNotFound`, as connectFi words it.
pub const FILE_NOT_FOUND: &str = "File not found.";
/// Message of `statusApplicationEntity`, as connectFi words it.
pub const STATUS_APPLICATION_ENTITY: &str = "Entity has status completed.";

/// The `cFiAggregatorId` of the mock's `customerExists` answers: the docs' example value
/// (DECISIONS.md D29).
pub const AGGREGATOR_ID: &str = "CLIENTID";

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
    /// 400 `customerExists`: the SSN or FEIN is this customer's already.
    CustomerExists(String),
    /// 400 `referenceExists`: the reference is `entity_id`'s already.
    ReferenceExists {
        /// The reference as sent.
        reference: String,
        /// The customer holding it.
        entity_id: String,
    },
    /// 404 `applicationNotFound`: no application has this id (for this customer).
    ApplicationNotFound(String),
    /// 400 `fileNotFound`: the document's file was never uploaded.
    FileNotFound(String),
    /// 400 `statusApplicationEntity`: the application is completed (its id).
    StatusApplicationEntity(String),
    /// 409 `clockNotManual` (mock only): the clock control on a wall-clock mock.
    ClockNotManual(String),
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

impl ApiError {
    /// The HTTP status.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Validation(_)
            | ApiError::CustomerNotFound(_)
            | ApiError::DocumentNotFound(_)
            | ApiError::CustomerExists(_)
            | ApiError::ReferenceExists { .. }
            | ApiError::FileNotFound(_)
            | ApiError::StatusApplicationEntity(_)
            | ApiError::InvalidBody(_) => StatusCode::BAD_REQUEST,
            ApiError::ApplicationNotFound(_) => StatusCode::NOT_FOUND,
            ApiError::ClockNotManual(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NoRoute(_) => StatusCode::NOT_FOUND,
            ApiError::WrongMethod(_) => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The `code` of the body, as the generated types spell it.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::Validation(_) => "requestValidateError",
            ApiError::CustomerNotFound(_) => "customerNotFound",
            ApiError::DocumentNotFound(_) => "documentNotFound",
            ApiError::CustomerExists(_) => "customerExists",
            ApiError::ReferenceExists { .. } => "referenceExists",
            ApiError::ApplicationNotFound(_) => "applicationNotFound",
            ApiError::FileNotFound(_) => "fileNotFound",
            ApiError::StatusApplicationEntity(_) => "statusApplicationEntity",
            ApiError::ClockNotManual(_) => "clockNotManual",
            ApiError::InvalidBody(_) => "invalidBody",
            ApiError::PayloadTooLarge(_) => "payloadTooLarge",
            ApiError::UnsupportedMediaType(_) => "unsupportedMediaType",
            ApiError::NoRoute(_) | ApiError::WrongMethod(_) => "notFound",
        }
    }

    /// The body, as the contract's generated type, with `request_id` where connectFi's
    /// bodies carry one.
    pub(crate) fn body(&self, request_id: &str) -> ErrorBody {
        let request_id = || {
            RequestId::new(request_id)
                .expect("the mock's request ids are 32 lower-case hex digits, the schema's pattern")
        };
        let reason = |reason: &str| ReasonContext {
            reason: reason.to_owned(),
            additional_properties: Map::new(),
        };
        match self {
            ApiError::Unauthorized => ErrorBody::Unauthorized(Unauthorized {
                request_id: None,
                message: AUTHENTICATION_ERROR.to_owned(),
                additional_properties: Map::new(),
            }),
            ApiError::Validation(errors) => {
                let context = errors.iter().map(wire_ajv_error).collect();
                ErrorBody::RequestValidateError(RequestValidateError {
                    request_id: request_id(),
                    context: RequestValidateErrorContext::new(context)
                        .expect("a refusing validator names at least one error"),
                    additional_properties: Map::new(),
                })
            }
            ApiError::CustomerNotFound(id) => ErrorBody::CustomerNotFound(CustomerNotFound {
                request_id: request_id(),
                context: CustomerNotFoundContext {
                    customer_id: id.clone(),
                    additional_properties: Map::new(),
                },
                message: CUSTOMER_NOT_FOUND.to_owned(),
                additional_properties: Map::new(),
            }),
            ApiError::DocumentNotFound(id) => ErrorBody::DocumentNotFound(DocumentNotFound {
                request_id: request_id(),
                context: DocumentNotFoundContext {
                    document_id: id.clone(),
                    additional_properties: Map::new(),
                },
                message: DOCUMENT_NOT_FOUND.to_owned(),
                additional_properties: Map::new(),
            }),
            ApiError::CustomerExists(id) => ErrorBody::CustomerExists(CustomerExists {
                request_id: request_id(),
                context: CustomerExistsContext {
                    c_fi_aggregator_id: AGGREGATOR_ID.to_owned(),
                    customer_id: id.clone(),
                    additional_properties: Map::new(),
                },
                message: CUSTOMER_EXISTS.to_owned(),
                additional_properties: Map::new(),
            }),
            ApiError::ReferenceExists {
                reference,
                entity_id,
            } => ErrorBody::ReferenceExists(ReferenceExists {
                request_id: request_id(),
                context: ReferenceExistsContext {
                    reference: reference.clone(),
                    entity_id: entity_id.clone(),
                    additional_properties: Map::new(),
                },
                message: REFERENCE_EXISTS.to_owned(),
                additional_properties: Map::new(),
            }),
            ApiError::ApplicationNotFound(id) => {
                ErrorBody::ApplicationNotFound(ApplicationNotFound {
                    request_id: request_id(),
                    context: ApplicationNotFoundContext {
                        application_id: id.clone(),
                        additional_properties: Map::new(),
                    },
                    message: APPLICATION_NOT_FOUND.to_owned(),
                    additional_properties: Map::new(),
                })
            }
            ApiError::FileNotFound(id) => ErrorBody::FileNotFound(FileNotFound {
                request_id: request_id(),
                context: Some(FileNotFoundContext {
                    document_id: Some(id.clone()),
                    additional_properties: Map::new(),
                }),
                message: FILE_NOT_FOUND.to_owned(),
                additional_properties: Map::new(),
            }),
            ApiError::StatusApplicationEntity(id) => {
                ErrorBody::StatusApplicationEntity(StatusApplicationEntity {
                    request_id: request_id(),
                    context: Some(StatusApplicationEntityContext {
                        application_id: Some(id.clone()),
                        entity_id: None,
                        additional_properties: Map::new(),
                    }),
                    message: STATUS_APPLICATION_ENTITY.to_owned(),
                    additional_properties: Map::new(),
                })
            }
            ApiError::ClockNotManual(why) => ErrorBody::ClockNotManual(ClockNotManual {
                request_id: request_id(),
                context: reason(why),
                message: "The clock cannot be moved.".to_owned(),
                additional_properties: Map::new(),
            }),
            ApiError::InvalidBody(why) => ErrorBody::InvalidBody(InvalidBody {
                request_id: request_id(),
                context: reason(why),
                message: "The request body could not be read.".to_owned(),
                additional_properties: Map::new(),
            }),
            ApiError::PayloadTooLarge(why) => ErrorBody::PayloadTooLarge(PayloadTooLarge {
                request_id: request_id(),
                context: reason(why),
                message: "The request body is too large.".to_owned(),
                additional_properties: Map::new(),
            }),
            ApiError::UnsupportedMediaType(why) => {
                ErrorBody::UnsupportedMediaType(UnsupportedMediaType {
                    request_id: request_id(),
                    context: reason(why),
                    message: "The request body has an unsupported content type.".to_owned(),
                    additional_properties: Map::new(),
                })
            }
            ApiError::NoRoute(why) | ApiError::WrongMethod(why) => ErrorBody::NotFound(NotFound {
                request_id: request_id(),
                context: reason(why),
                message: "Not found.".to_owned(),
                additional_properties: Map::new(),
            }),
        }
    }

    /// The response: the status and the serialized [`ApiError::body`].
    pub(crate) fn into_response(self, request_id: &str) -> Response {
        // Generated error types hold strings and maps of JSON values: serializing cannot fail.
        let body = serde_json::to_vec(&self.body(request_id)).expect("error bodies serialize");
        json_response(self.status(), body)
    }
}

/// One validator error as the contract's type (the validator shares its fixed parts between
/// errors; the wire type owns them).
fn wire_ajv_error(e: &AjvError) -> generated::AjvError {
    generated::AjvError {
        instance_path: e.instance_path.clone(),
        schema_path: e.schema_path.to_string(),
        keyword: e.keyword.to_owned(),
        params: Map::clone(&e.params),
        message: e.message.to_string(),
        property_name: e.property_name.clone(),
        additional_properties: Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    /// The 401's message is the one connectFi's docs print, as the error schema records it
    /// (the audit expects the same text from a live sandbox).
    #[test]
    fn the_unauthorized_message_is_the_documented_one() {
        let code = kyc_spec::Contract::embedded()
            .error_code("unauthorized")
            .expect("the error schema defines unauthorized");
        assert_eq!(
            code.documented_message.as_deref(),
            Some(AUTHENTICATION_ERROR)
        );
        assert_eq!(code.statuses, [401]);
    }

    /// Every kind of error: its status, and a body that reads back as the generated type of
    /// its `code` and serializes again to the same bytes (no member the type does not name).
    #[test]
    fn every_error_body_is_its_generated_type() {
        let request_id = "0123456789abcdef0123456789abcdef";
        let validation = ApiError::Validation(
            kyc_spec::ajv::Validator::embedded(kyc_spec::Document::KycInitRequest)
                .validate(&serde_json::json!({}), kyc_spec::ajv::Mode::FirstError)
                .expect_err("customerId is required"),
        );
        let cases = [
            (ApiError::Unauthorized, 401),
            (validation, 400),
            (ApiError::CustomerNotFound("csta_Nobody".into()), 400),
            (ApiError::DocumentNotFound("doc_\"x\"".into()), 400),
            (ApiError::CustomerExists("cstap_x".into()), 400),
            (
                ApiError::ReferenceExists {
                    reference: "r1".into(),
                    entity_id: "cstap_x".into(),
                },
                400,
            ),
            (ApiError::ClockNotManual("wall clock".into()), 409),
            (ApiError::InvalidBody("empty".into()), 400),
            (ApiError::PayloadTooLarge("big".into()), 413),
            (ApiError::UnsupportedMediaType("text/plain".into()), 415),
            (ApiError::NoRoute("no endpoint GET /x".into()), 404),
            (ApiError::WrongMethod("GET".into()), 405),
        ];
        for (error, status) in cases {
            let bytes = serde_json::to_vec(&error.body(request_id)).expect("serializes");
            let read: ErrorBody = serde_json::from_slice(&bytes).expect("reads back");
            assert_eq!(read.tag(), error.code(), "{error:?}");
            assert!(!matches!(read, ErrorBody::Unknown(_)), "{error:?}");
            assert_eq!(
                serde_json::to_vec(&read).expect("serializes"),
                bytes,
                "{error:?}"
            );
            assert_eq!(error.status().as_u16(), status, "{error:?}");
            // connectFi's 401 carries no requestId; every other body does.
            let value: Value = serde_json::from_slice(&bytes).expect("JSON");
            let expected = (status != 401).then_some(request_id);
            assert_eq!(value["requestId"].as_str(), expected, "{error:?}");
        }
    }
}
