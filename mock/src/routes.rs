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
use serde_json::{Map, Value};

use super::body::{self, UPLOAD_BODY_LIMIT};
use super::envelope::{json_response, token_answer};
use super::error::ApiError;
use super::state::{MockState, RequestSchema, WebhookChange};

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
        "kycUpload" => on(filter, kyc_upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        "kycAddAttributes" => on(filter, kyc_add_attributes),
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

async fn get_token(State(state): State<MockState>, headers: HeaderMap, body: Body) -> Response {
    let outcome = async {
        let value = body::read_json(&headers, body).await?;
        state.validate(RequestSchema::Auth, &value)?;
        let user = &value["user"];
        let (login, password) = match (user["login"].as_str(), user["password"].as_str()) {
            (Some(l), Some(p)) => (l, p),
            _ => return Err(schema_gap("user.login and user.password")),
        };
        let (token, expires) = state.login(login, password)?;
        Ok(token_answer(&token, expires))
    }
    .await;
    respond(&state, "get-token", outcome)
}

async fn kyc_init(State(state): State<MockState>, headers: HeaderMap, body: Body) -> Response {
    let outcome = async {
        state.authorize(&headers)?;
        let value = body::read_json(&headers, body).await?;
        state.validate(RequestSchema::Init, &value)?;
        let customer_id = value["customerId"]
            .as_str()
            .ok_or_else(|| schema_gap("customerId"))?;
        let webhook = match value.get("webhookURL") {
            None => WebhookChange::Keep,
            Some(Value::String(url)) if !url.is_empty() => WebhookChange::Set(url.clone()),
            Some(_) => WebhookChange::Clear,
        };
        state.init(customer_id, webhook)
    }
    .await;
    respond(&state, "init", outcome)
}

async fn kyc_status(
    State(state): State<MockState>,
    headers: HeaderMap,
    customer_id: Result<Path<String>, PathRejection>,
) -> Response {
    let outcome = (|| {
        state.authorize(&headers)?;
        let Path(customer_id) = customer_id.map_err(path_error)?;
        state.status(&customer_id)
    })();
    respond(&state, "status", outcome)
}

async fn kyc_upload(
    State(state): State<MockState>,
    ids: Result<Path<(String, String)>, PathRejection>,
    request: Request,
) -> Response {
    let outcome = async {
        state.authorize(request.headers())?;
        let Path((customer_id, document_id)) = ids.map_err(path_error)?;
        let media = body::media_type(request.headers()).unwrap_or_default();
        if !media.eq_ignore_ascii_case("multipart/form-data") {
            return Err(ApiError::UnsupportedMediaType(format!(
                "expected Content-Type multipart/form-data, got {media:?}"
            )));
        }
        body::check_declared_length(request.headers(), UPLOAD_BODY_LIMIT)?;
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(|e| ApiError::InvalidBody(e.body_text()))?;
        let extension = read_upload(multipart).await?;
        state.upload(&customer_id, &document_id, &extension)
    }
    .await;
    respond(&state, "upload", outcome)
}

/// Reads the multipart body and returns the extension of its file: the first part with a file
/// name (or named `file`). The content itself is not kept.
async fn read_upload(mut multipart: Multipart) -> Result<String, ApiError> {
    let multipart_error = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(format!(
                "the upload is over the limit of {UPLOAD_BODY_LIMIT} bytes"
            ))
        } else {
            ApiError::InvalidBody(format!(
                "the multipart body is malformed: {}",
                e.body_text()
            ))
        }
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

async fn kyc_add_attributes(
    State(state): State<MockState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let outcome = async {
        state.authorize(&headers)?;
        let value = body::read_json(&headers, body).await?;
        state.validate(RequestSchema::AddAttributes, &value)?;
        let customer_id = value["customerId"]
            .as_str()
            .ok_or_else(|| schema_gap("customerId"))?;
        let attributes = match value.get("additionalAttributes") {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        state.add_attributes(customer_id, attributes)
    }
    .await;
    respond(&state, "add-attributes", outcome)
}

async fn no_route(State(state): State<MockState>, method: http::Method, uri: Uri) -> Response {
    let reason = format!("no endpoint {method} {}", uri.path());
    respond(&state, "none", Err(ApiError::NoRoute(reason)))
}

async fn wrong_method(State(state): State<MockState>, method: http::Method, uri: Uri) -> Response {
    let reason = format!("{} does not accept {method}", uri.path());
    respond(&state, "none", Err(ApiError::WrongMethod(reason)))
}

fn path_error(e: PathRejection) -> ApiError {
    ApiError::NoRoute(format!("the path cannot be read: {}", e.body_text()))
}

/// A field the schema requires is missing even though validation passed: only possible if the
/// validator and this code disagree. Answered as a readable 400 rather than a panic.
fn schema_gap(field: &str) -> ApiError {
    ApiError::InvalidBody(format!("{field} is missing or not a string"))
}
