//! The HTTP surface: one handler per endpoint, plus answers for unknown routes and methods.
//! Handlers turn every failure into a connectFi-style body; nothing here panics on input.

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{self, HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, on};
use kyc_spec::Contract;
use kyc_spec::contract::Method;
use kyc_spec::generated::{
    AuthTokenRequest, KycAddAttributesRequest, KycInitRequest, MockClockRequest, Tristate,
};

use super::body::{self, RequestBody, UPLOAD_BODY_LIMIT};
use super::envelope::{json_response, token_answer};
use super::error::ApiError;
use super::state::{MockState, WebhookChange};

/// The whole mock as a router, testable without a socket (`tower::ServiceExt::oneshot`).
///
/// The routes are the contract's operations ([`Contract::operations`]), each bound to its
/// handler by operation id, so the mock serves exactly the paths and methods the OpenAPI
/// document describes. A row without a handler here is left unrouted (and answers 404); the
/// crate's tests fail on one.
pub fn app(state: MockState) -> Router {
    let mut router = Router::new();
    for op in Contract::embedded().operations() {
        match handler(&op.id, op.method) {
            Some(handler) => router = router.route(op.route_template(), handler),
            None => tracing::error!(operation = %op.id, "no handler for this contract operation"),
        }
    }
    router
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(state)
}

/// The handler of one contract operation, under the operation's method.
fn handler(id: &str, method: Method) -> Option<MethodRouter<MockState>> {
    let filter = match method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
    };
    Some(match id {
        "getToken" => on(filter, get_token),
        "kycInit" => on(filter, kyc_init),
        "kycStatus" => on(filter, kyc_status),
        // The handler reads and limits the body itself (so that a refused one can be
        // drained); axum's default 2 MB limit would then refuse uploads it accepted.
        "kycUpload" => on(filter, kyc_upload).layer(DefaultBodyLimit::disable()),
        "kycAddAttributes" => on(filter, kyc_add_attributes),
        "customerInit" => on(filter, customer_init),
        "mockAdvanceClock" => on(filter, mock_advance_clock),
        "akepaIdentification" => on(filter, akepa_identification),
        "akepaStatus" => on(filter, akepa_status),
        "akepaStatusByCustomer" => on(filter, akepa_status_by_customer),
        "akepaList" => on(filter, akepa_list),
        "akepaDocumentGenerate" => on(filter, akepa_document_generate),
        // Reads and limits its body itself, like the deprecated upload.
        "akepaDocumentUpload" => {
            on(filter, akepa_document_upload).layer(DefaultBodyLimit::disable())
        }
        "akepaUpdate" => on(filter, akepa_update),
        "mockAkepaReview" => on(filter, mock_akepa_review),
        _ => return None,
    })
}

/// Turns a handler's outcome into the response, logging what happened (never the bodies).
fn respond(state: &MockState, what: &'static str, outcome: Result<Vec<u8>, ApiError>) -> Response {
    match outcome {
        Ok(body) => {
            tracing::debug!(endpoint = what, status = 200, "answered");
            json_response(StatusCode::OK, body)
        }
        Err(e) => {
            tracing::debug!(
                endpoint = what,
                status = e.status().as_u16(),
                code = e.code(),
                "refused"
            );
            e.into_response(&state.request_id())
        }
    }
}

async fn get_token(State(state): State<MockState>, request: Request) -> Response {
    // Logging in is how a token is had, so it needs none.
    let op = ("getToken", "get-token", true);
    json_endpoint(state, request, op, |state, request: AuthTokenRequest| {
        let user = &request.user;
        let (token, expires) = state.login(user.login.as_str(), user.password.as_str())?;
        Ok(token_answer(&token, expires))
    })
    .await
}

async fn kyc_init(State(state): State<MockState>, request: Request) -> Response {
    let op = ("kycInit", "init", false);
    json_endpoint(state, request, op, |state, request: KycInitRequest| {
        let webhook = match request.webhook_url {
            Tristate::Absent => WebhookChange::Keep,
            Tristate::Value(url) if !url.as_str().is_empty() => {
                WebhookChange::Set(url.into_inner())
            }
            Tristate::Value(_) | Tristate::Null => WebhookChange::Clear,
        };
        state.init(request.customer_id.as_str(), webhook)
    })
    .await
}

async fn customer_init(State(state): State<MockState>, request: Request) -> Response {
    let op = ("customerInit", "customer-init", false);
    json_endpoint(state, request, op, MockState::create_customer).await
}

/// The mock's own clock control: no token (DECISIONS.md D32).
async fn mock_advance_clock(State(state): State<MockState>, request: Request) -> Response {
    let op = ("mockAdvanceClock", "mock-clock-advance", true);
    json_endpoint(state, request, op, |state, request: MockClockRequest| {
        // The schema bounds it to 0..=one year.
        state.advance_clock(u64::try_from(request.ms.get()).unwrap_or_default())
    })
    .await
}

async fn kyc_status(
    State(state): State<MockState>,
    customer_id: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let outcome = (|| {
        state.authorize(headers)?;
        let Path(customer_id) = customer_id.map_err(path_error)?;
        state.status(&customer_id)
    })();
    // A GET should carry no body, but one that does must not cost the client its answer.
    RequestBody::new(headers, body).linger().await;
    respond(&state, "status", outcome)
}

async fn kyc_upload(
    State(state): State<MockState>,
    ids: Result<Path<(String, String)>, PathRejection>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let mut body = RequestBody::new(&parts.headers, body);
    let outcome = async {
        state.authorize(&parts.headers)?;
        let Path((customer_id, document_id)) = ids.map_err(path_error)?;
        let extension = read_multipart_file(&parts, &mut body).await?;
        state.upload(&customer_id, &document_id, &extension)
    }
    .await;
    body.linger().await;
    respond(&state, "upload", outcome)
}

/// Checks the media type and size of an upload and reads its file part: the extension of
/// the file (its content is not kept).
async fn read_multipart_file(
    parts: &http::request::Parts,
    body: &mut RequestBody,
) -> Result<String, ApiError> {
    let media = body::media_type(&parts.headers).unwrap_or_default();
    if !media.eq_ignore_ascii_case("multipart/form-data") {
        return Err(ApiError::UnsupportedMediaType(format!(
            "expected Content-Type multipart/form-data, got {media:?}"
        )));
    }
    body.check_declared_length(UPLOAD_BODY_LIMIT)?;
    // Read whole (as the file part would be anyway), so that parts after the file are
    // not left unread and an oversized body is still in hand to drain.
    let bytes = body.read(UPLOAD_BODY_LIMIT).await?;
    let mut request = Request::new(Body::from(bytes));
    *request.headers_mut() = parts.headers.clone();
    let multipart = Multipart::from_request(request, &())
        .await
        .map_err(|e| ApiError::InvalidBody(e.body_text()))?;
    read_upload(multipart).await
}

/// Reads the multipart body and returns the extension of its file: the first part with a file
/// name (or named `file`). The content itself is not kept.
async fn read_upload(mut multipart: Multipart) -> Result<String, ApiError> {
    // The body is in memory and within the limit already, so every error is malformation.
    let multipart_error = |e: axum::extract::multipart::MultipartError| {
        ApiError::InvalidBody(format!(
            "the multipart body is malformed: {}",
            e.body_text()
        ))
    };
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let is_file = field.file_name().is_some() || field.name() == Some("file");
        if !is_file {
            continue;
        }
        let extension = field
            .file_name()
            .and_then(|name| name.rsplit_once('.'))
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .filter(|ext| {
                !ext.is_empty() && ext.len() <= 10 && ext.bytes().all(|c| c.is_ascii_alphanumeric())
            })
            .or_else(|| extension_of(field.content_type()?).map(str::to_owned))
            .unwrap_or_else(|| "bin".to_owned());
        let content = field.bytes().await.map_err(multipart_error)?;
        if content.is_empty() {
            return Err(ApiError::InvalidBody(
                "the uploaded file is empty".to_owned(),
            ));
        }
        return Ok(extension);
    }
    Err(ApiError::InvalidBody(
        "the multipart body has no file part (send the file as a part named \"file\")".to_owned(),
    ))
}

fn extension_of(media: &str) -> Option<&'static str> {
    Some(match media.to_ascii_lowercase().as_str() {
        "image/png" => "png",
        "image/jpeg" | "image/jpg" => "jpg",
        "application/pdf" => "pdf",
        "image/gif" => "gif",
        "image/tiff" => "tiff",
        _ => return None,
    })
}

async fn kyc_add_attributes(State(state): State<MockState>, request: Request) -> Response {
    let op = ("kycAddAttributes", "add-attributes", false);
    json_endpoint(
        state,
        request,
        op,
        |state, request: KycAddAttributesRequest| {
            state.add_attributes(request.customer_id.as_str(), request.additional_attributes)
        },
    )
    .await
}

/// A JSON endpoint: token (unless `open`), body, schema and generated type, then `act`.
///
/// It takes the whole request rather than axum's `HeaderMap` extractor, which would copy
/// the headers on every call.
async fn json_endpoint<T: serde::de::DeserializeOwned>(
    state: MockState,
    request: Request,
    (operation, what, open): (&'static str, &'static str, bool),
    act: impl FnOnce(&MockState, T) -> Result<Vec<u8>, ApiError>,
) -> Response {
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let mut body = RequestBody::new(headers, body);
    let outcome = async {
        if !open {
            state.authorize(headers)?;
        }
        let bytes = body::read_json(headers, &mut body).await?;
        let request: T = state.decode(operation, &bytes)?;
        act(&state, request)
    }
    .await;
    body.linger().await;
    respond(&state, what, outcome)
}

async fn akepa_identification(State(state): State<MockState>, request: Request) -> Response {
    let op = ("akepaIdentification", "akepa-identification", false);
    json_endpoint(state, request, op, MockState::akepa_identification).await
}

async fn akepa_status(State(state): State<MockState>, request: Request) -> Response {
    let op = ("akepaStatus", "akepa-status", false);
    json_endpoint(state, request, op, MockState::akepa_status).await
}

async fn akepa_list(State(state): State<MockState>, request: Request) -> Response {
    let op = ("akepaList", "akepa-list", false);
    json_endpoint(state, request, op, MockState::akepa_list).await
}

async fn akepa_document_generate(State(state): State<MockState>, request: Request) -> Response {
    let op = ("akepaDocumentGenerate", "akepa-document-generate", false);
    json_endpoint(state, request, op, MockState::akepa_generate).await
}

async fn akepa_update(State(state): State<MockState>, request: Request) -> Response {
    let op = ("akepaUpdate", "akepa-update", false);
    json_endpoint(state, request, op, MockState::akepa_update).await
}

async fn mock_akepa_review(State(state): State<MockState>, request: Request) -> Response {
    // A test control, like the clock: no token (DECISIONS.md D32).
    let op = ("mockAkepaReview", "mock-akepa-review", true);
    json_endpoint(state, request, op, MockState::akepa_review).await
}

async fn akepa_status_by_customer(
    State(state): State<MockState>,
    customer_id: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let outcome = (|| {
        state.authorize(headers)?;
        let Path(customer_id) = customer_id.map_err(path_error)?;
        state.akepa_status_by_customer(&customer_id)
    })();
    RequestBody::new(headers, body).linger().await;
    respond(&state, "akepa-status", outcome)
}

async fn akepa_document_upload(
    State(state): State<MockState>,
    document_id: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let mut body = RequestBody::new(&parts.headers, body);
    let outcome = async {
        state.authorize(&parts.headers)?;
        let Path(document_id) = document_id.map_err(path_error)?;
        let extension = read_multipart_file(&parts, &mut body).await?;
        state.akepa_upload(&document_id, &extension)
    }
    .await;
    body.linger().await;
    respond(&state, "akepa-upload", outcome)
}

async fn no_route(
    State(state): State<MockState>,
    method: http::Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let reason = format!("no endpoint {method} {}", uri.path());
    RequestBody::new(&headers, body).linger().await;
    respond(&state, "none", Err(ApiError::NoRoute(reason)))
}

async fn wrong_method(
    State(state): State<MockState>,
    method: http::Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let reason = format!("{} does not accept {method}", uri.path());
    RequestBody::new(&headers, body).linger().await;
    respond(&state, "none", Err(ApiError::WrongMethod(reason)))
}

fn path_error(e: PathRejection) -> ApiError {
    ApiError::NoRoute(format!("the path cannot be read: {}", e.body_text()))
}
