//! The table of operations, as data: `spec/contract.json`, embedded and checked against the
//! schema files it names.
//!
//! It is the one place that says which endpoints exist, which document describes each
//! request and answer, which error codes an endpoint answers with, and where its webhook URL
//! sits. The OpenAPI document is derived from it, the mock's routes are tested against it,
//! and the runner and the redactor look documents up through it instead of keeping tables of
//! their own. The error codes themselves are read from `error.schema.json` (one `$defs`
//! branch per code, its HTTP statuses in `x-http-status`), so a code is declared once.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use crate::Document;
use crate::ajv::Validator;

/// The request header that carries the session token from `POST /auth/get-token` on every
/// other operation (the OpenAPI document's `connectfiToken` scheme; required by
/// `kyc-init.headers.schema.json`).
pub const TOKEN_HEADER: &str = "x-connectfi-token";

/// The contract's text as committed.
pub const SOURCE: &str = include_str!("../contract.json");

/// Why `contract.json` (or the error schema it leans on) is unusable.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// Not the shape `contract.json` has.
    #[error("contract.json is malformed")]
    Malformed(#[source] serde_json::Error),
    /// A row names a schema file that is not embedded.
    #[error("contract.json at {pointer}: {file} is not a file in spec/schema/")]
    UnknownDocument {
        /// JSON pointer into `contract.json`.
        pointer: String,
        /// The file name given.
        file: String,
    },
    /// A row names an error code that `error.schema.json` does not define.
    #[error("contract.json at {pointer}: error code {code:?} has no branch in error.schema.json")]
    UnknownErrorCode {
        /// JSON pointer into `contract.json`.
        pointer: String,
        /// The code.
        code: String,
    },
    /// Two rows share a method and path template, or an id.
    #[error("contract.json at {pointer}: {what} is listed twice")]
    Duplicate {
        /// JSON pointer of the second row.
        pointer: String,
        /// The duplicated id or `METHOD path`.
        what: String,
    },
    /// `examples` must map a place to an object of example names and file paths.
    #[error("contract.json at {pointer}: examples map names to file paths under spec/examples/")]
    BadExample {
        /// JSON pointer of the offending value.
        pointer: String,
    },
    /// A path template that is not `/segment/{param}/...`.
    #[error(
        "contract.json at {pointer}: path template {path:?} is not /-separated literal and {{param}} segments"
    )]
    BadPath {
        /// JSON pointer of the path.
        pointer: String,
        /// The template.
        path: String,
    },
    /// An error branch of `error.schema.json` without a `const` code or an `x-http-status`.
    #[error("error.schema.json at {pointer}: {reason}")]
    ErrorSchema {
        /// JSON pointer into `error.schema.json`.
        pointer: String,
        /// What is missing.
        reason: String,
    },
}

/// The HTTP methods the contract uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// The method as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    /// Parses a wire method, case-sensitively as HTTP does.
    pub fn parse(text: &str) -> Option<Method> {
        match text {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            _ => None,
        }
    }
}

/// The endpoint family an operation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// `/auth/*`: logging in.
    Auth,
    /// `/customer/*`: customers.
    Customer,
    /// `/customer/kyc/*`: the deprecated KYC endpoints.
    Kyc,
    /// `/akepa/*`: the successors of the KYC endpoints.
    Akepa,
    /// `/_mock/*`: controls of the mock itself, which connectFi does not have.
    Mock,
}

/// Example names and their files (relative to `spec/examples/`), in the contract's order.
pub type NamedFiles = Vec<(String, String)>;

/// One row of the table.
#[derive(Debug)]
pub struct Operation {
    /// Stable id, also the OpenAPI `operationId`.
    pub id: String,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/customer/kyc/status/{customerId}`.
    pub path: String,
    /// Endpoint family.
    pub family: Family,
    /// One line for people.
    pub summary: String,
    /// connectFi has deprecated it.
    pub deprecated: bool,
    /// Needs the `x-connectfi-token` header.
    pub authenticated: bool,
    /// Served by the mock only (a control such as its clock); connectFi has no such endpoint,
    /// so the OpenAPI document leaves it out.
    pub mock_only: bool,
    /// Path parameters, in template order.
    pub parameters: Vec<Parameter>,
    /// The request body, if the operation takes one.
    pub request: Option<RequestBody>,
    /// Success answers by exact status.
    pub responses: Vec<Response>,
    /// Error codes the operation can answer with (each from `error.schema.json`).
    pub errors: Vec<String>,
    /// The callback the operation can trigger.
    pub webhook: Option<Webhook>,
    /// Example files (relative to `spec/examples/`) by place (`request` or a status) and name.
    pub examples: Vec<(String, NamedFiles)>,
    segments: Vec<Segment>,
}

/// A path parameter and the schema of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// Name inside the template's braces.
    pub name: String,
    /// Document holding the value's schema.
    pub document: Document,
    /// The `$defs` entry of that document.
    pub definition: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBody {
    /// Its schema; `None` for a multipart upload.
    pub document: Option<Document>,
    /// The media type the endpoint reads.
    pub media: String,
    /// For multipart bodies: the field holding the file.
    pub file_field: Option<String>,
}

/// A success answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Exact status.
    pub status: u16,
    /// Schema of the body.
    pub document: Document,
    /// One line for people.
    pub description: String,
}

/// The callback an operation triggers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Schema of the callback body.
    pub document: Document,
    /// JSON pointer of the URL field in the request body.
    pub url_pointer: String,
    /// Name of the callback (OpenAPI `callbacks` key).
    pub name: String,
    /// One line for people.
    pub summary: String,
}

/// One error code, read from its branch of `error.schema.json`.
#[derive(Debug)]
pub struct ErrorCode {
    /// The `code` value, e.g. `customerNotFound`.
    pub code: String,
    /// The `$defs` entry describing its body, e.g. `CustomerNotFound`.
    pub definition: String,
    /// That entry as a reference for people, e.g. `error.schema.json#/$defs/CustomerNotFound`.
    pub reference: String,
    /// HTTP statuses it is answered with.
    pub statuses: Vec<u16>,
    /// Defined by the mock only; connectFi documents no such code (DECISIONS.md D13).
    pub mock_only: bool,
    /// The branch's `description`.
    pub description: String,
    /// The `message` connectFi's docs print with this code, when they print one (the
    /// branch's `message` const, else its first example): what an audit expects to read.
    pub documented_message: Option<String>,
    validator: OnceLock<Validator>,
}

impl ErrorCode {
    /// A validator for exactly this branch, compiled on first use, so that a body with this
    /// code is checked against its own branch rather than against every alternative.
    ///
    /// # Panics
    ///
    /// When the embedded branch does not compile (the crate's tests compile every one).
    pub fn validator(&self) -> &Validator {
        self.validator.get_or_init(|| {
            let root = serde_json::json!({
                "$ref": format!("{}#/$defs/{}", Document::Error.id(), self.definition)
            });
            let error = Document::Error;
            let others: Vec<Value> = std::iter::once(error)
                .chain(error.referenced())
                .map(Document::json)
                .collect();
            Validator::new(&root, &others).unwrap_or_else(|e| {
                panic!("error.schema.json#/$defs/{} compiles: {e}", self.definition)
            })
        })
    }
}

/// The whole table plus the error codes.
#[derive(Debug)]
pub struct Contract {
    operations: Vec<Operation>,
    error_document: Document,
    error_codes: Vec<ErrorCode>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

impl Contract {
    /// The embedded `spec/contract.json`, parsed and checked once.
    ///
    /// # Panics
    ///
    /// When the embedded contract is broken: the crate's tests load it, so this means the
    /// binary was built from a broken checkout.
    pub fn embedded() -> &'static Contract {
        static CONTRACT: OnceLock<Contract> = OnceLock::new();
        CONTRACT.get_or_init(|| {
            Contract::parse(SOURCE).unwrap_or_else(|e| panic!("embedded contract: {e}"))
        })
    }

    /// Parses and checks a contract text against the embedded schema files.
    pub fn parse(text: &str) -> Result<Contract, ContractError> {
        let raw: raw::Contract = serde_json::from_str(text).map_err(ContractError::Malformed)?;
        let error_document = document(&raw.error_document, "/errorDocument")?;
        let error_codes = error_codes(error_document)?;
        let mut operations: Vec<Operation> = Vec::with_capacity(raw.operations.len());
        for (i, row) in raw.operations.into_iter().enumerate() {
            let at = format!("/operations/{i}");
            let operation = operation(row, &at, &error_codes)?;
            if let Some(first) = operations.iter().find(|o| {
                o.id == operation.id
                    || (o.method == operation.method && o.segments == operation.segments)
            }) {
                let what = if first.id == operation.id {
                    format!("id {}", operation.id)
                } else {
                    format!("{} {}", operation.method.as_str(), operation.path)
                };
                return Err(ContractError::Duplicate { pointer: at, what });
            }
            operations.push(operation);
        }
        Ok(Contract {
            operations,
            error_document,
            error_codes,
        })
    }

    /// Every operation, in the file's order.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The operation serving `method` on `path` (a concrete path; a query string is ignored).
    pub fn operation(&self, method: &str, path: &str) -> Option<&Operation> {
        let method = Method::parse(method)?;
        let path = route(path);
        self.operations
            .iter()
            .find(|o| o.method == method && o.matches(path))
    }

    /// The operation with this id.
    pub fn by_id(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// Whether any operation serves `path` with some method (for telling 404 from 405).
    pub fn serves_path(&self, path: &str) -> bool {
        let path = route(path);
        self.operations.iter().any(|o| o.matches(path))
    }

    /// Every example file the operations name (paths relative to `spec/examples/`).
    pub fn example_files(&self) -> impl Iterator<Item = &str> {
        self.operations
            .iter()
            .flat_map(|o| o.examples.iter())
            .flat_map(|(_, named)| named.iter().map(|(_, file)| file.as_str()))
    }

    /// The document every error body is described by.
    pub fn error_document(&self) -> Document {
        self.error_document
    }

    /// Every error code, in `error.schema.json`'s `oneOf` order.
    pub fn error_codes(&self) -> &[ErrorCode] {
        &self.error_codes
    }

    /// One error code.
    pub fn error_code(&self, code: &str) -> Option<&ErrorCode> {
        self.error_codes.iter().find(|c| c.code == code)
    }

    /// The document describing the body of a request `method path`.
    pub fn request_document(&self, method: &str, path: &str) -> Option<Document> {
        self.operation(method, path)?.request.as_ref()?.document
    }

    /// The document describing the answer with `status` to `method path`: the operation's
    /// success document for its statuses, the error document for any 4xx or 5xx (whether
    /// or not an operation matches: the mock answers unknown routes with error bodies too).
    pub fn response_document(&self, method: &str, path: &str, status: u16) -> Option<Document> {
        if (400..600).contains(&status) {
            return Some(self.error_document);
        }
        self.operation(method, path)?.response(status)
    }
}

impl Operation {
    /// The success document for `status`.
    pub fn response(&self, status: u16) -> Option<Document> {
        self.responses
            .iter()
            .find(|r| r.status == status)
            .map(|r| r.document)
    }

    /// Whether the concrete `path` (no query) fits this operation's template. Called for every
    /// answer the runner checks, so it allocates nothing.
    pub fn matches(&self, path: &str) -> bool {
        self.walk(path, |_, _| {})
    }

    /// The path parameters' values when `path` fits the template.
    pub fn bind<'p>(&self, path: &'p str) -> Option<Vec<(&str, &'p str)>> {
        let mut bound = Vec::new();
        self.walk(path, |name, value| bound.push((name, value)))
            .then_some(bound)
    }

    /// Walks `path` along the template, handing each parameter's value to `param`.
    fn walk<'s, 'p>(&'s self, path: &'p str, mut param: impl FnMut(&'s str, &'p str)) -> bool {
        let Some(rest) = route(path).strip_prefix('/') else {
            return false;
        };
        let mut parts = rest.split('/');
        for segment in &self.segments {
            let Some(part) = parts.next() else {
                return false;
            };
            match segment {
                Segment::Literal(literal) if literal == part => {}
                Segment::Literal(_) => return false,
                Segment::Param(_) if part.is_empty() => return false,
                Segment::Param(name) => param(name.as_str(), part),
            }
        }
        parts.next().is_none()
    }

    /// `METHOD path-template`, as reports name an operation: `POST /customer/kyc/init`.
    pub fn route(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path)
    }

    /// The path template in axum's syntax, which is also OpenAPI's (`{name}`).
    pub fn route_template(&self) -> &str {
        &self.path
    }
}

/// The path without query or fragment and without a trailing slash.
fn route(path: &str) -> &str {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => path,
    }
}

fn document(file: &str, pointer: &str) -> Result<Document, ContractError> {
    Document::from_name(file).ok_or_else(|| ContractError::UnknownDocument {
        pointer: pointer.to_owned(),
        file: file.to_owned(),
    })
}

fn segments(path: &str, pointer: &str) -> Result<Vec<Segment>, ContractError> {
    let bad = || ContractError::BadPath {
        pointer: pointer.to_owned(),
        path: path.to_owned(),
    };
    let rest = path.strip_prefix('/').ok_or_else(bad)?;
    rest.split('/')
        .map(|part| {
            if part.is_empty() {
                return Err(bad());
            }
            match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) if !name.is_empty() && !name.contains(['{', '}']) => {
                    Ok(Segment::Param(name.to_owned()))
                }
                Some(_) => Err(bad()),
                None if part.contains(['{', '}']) => Err(bad()),
                None => Ok(Segment::Literal(part.to_owned())),
            }
        })
        .collect()
}

fn operation(
    row: raw::Operation,
    at: &str,
    codes: &[ErrorCode],
) -> Result<Operation, ContractError> {
    let segments = segments(&row.path, &format!("{at}/path"))?;
    let mut parameters = Vec::with_capacity(row.parameters.len());
    for (i, p) in row.parameters.into_iter().enumerate() {
        parameters.push(Parameter {
            name: p.name,
            document: document(&p.document, &format!("{at}/parameters/{i}/document"))?,
            definition: p.definition,
        });
    }
    let request = match row.request {
        None => None,
        Some(r) => Some(RequestBody {
            document: r
                .document
                .map(|d| document(&d, &format!("{at}/request/document")))
                .transpose()?,
            media: r.media,
            file_field: r.file_field,
        }),
    };
    let mut responses = Vec::with_capacity(row.responses.len());
    for (i, r) in row.responses.into_iter().enumerate() {
        responses.push(Response {
            status: r.status,
            document: document(&r.document, &format!("{at}/responses/{i}/document"))?,
            description: r.description,
        });
    }
    for (i, code) in row.errors.iter().enumerate() {
        if !codes.iter().any(|c| &c.code == code) {
            return Err(ContractError::UnknownErrorCode {
                pointer: format!("{at}/errors/{i}"),
                code: code.clone(),
            });
        }
    }
    let webhook = match row.webhook {
        None => None,
        Some(w) => Some(Webhook {
            document: document(&w.document, &format!("{at}/webhook/document"))?,
            url_pointer: w.url_pointer,
            name: w.name,
            summary: w.summary,
        }),
    };
    Ok(Operation {
        id: row.id,
        method: row.method,
        path: row.path,
        family: row.family,
        summary: row.summary,
        deprecated: row.deprecated,
        authenticated: row.authenticated,
        mock_only: row.mock_only,
        parameters,
        request,
        responses,
        errors: row.errors,
        webhook,
        examples: examples(row.examples, at)?,
        segments,
    })
}

/// `{"request": {"seed": "request/valid/seed-request.json"}, "401": {...}}` → pairs in order.
fn examples(
    raw: serde_json::Map<String, Value>,
    at: &str,
) -> Result<Vec<(String, NamedFiles)>, ContractError> {
    let mut out = Vec::with_capacity(raw.len());
    for (place, named) in raw {
        let pointer = format!("{at}/examples/{}", crate::pointer::escape(&place));
        let Value::Object(named) = named else {
            return Err(ContractError::BadExample { pointer });
        };
        let mut files = Vec::with_capacity(named.len());
        for (name, file) in named {
            match file {
                Value::String(file) => files.push((name, file)),
                _ => {
                    return Err(ContractError::BadExample {
                        pointer: format!("{pointer}/{}", crate::pointer::escape(&name)),
                    });
                }
            }
        }
        out.push((place, files));
    }
    Ok(out)
}

/// Reads the codes from the error document: each `oneOf` branch is a `$ref` to a `$defs`
/// entry whose `code` property is a `const`, with its statuses in `x-http-status`.
fn error_codes(doc: Document) -> Result<Vec<ErrorCode>, ContractError> {
    let schema = doc.parsed();
    let problem = |pointer: String, reason: &str| ContractError::ErrorSchema {
        pointer,
        reason: reason.to_owned(),
    };
    let branches = schema
        .get("oneOf")
        .and_then(Value::as_array)
        .ok_or_else(|| problem("/oneOf".into(), "no oneOf of error branches"))?;
    let mut codes = Vec::with_capacity(branches.len());
    for (i, branch) in branches.iter().enumerate() {
        let at = format!("/oneOf/{i}/$ref");
        let definition = branch
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .ok_or_else(|| problem(at.clone(), "a branch must be a local #/$defs/ $ref"))?;
        let def_at = format!("/$defs/{definition}");
        let def = schema
            .pointer(&def_at)
            .ok_or_else(|| problem(at, "the $ref names no $defs entry"))?;
        let code = def
            .pointer("/properties/code/const")
            .and_then(Value::as_str)
            .ok_or_else(|| problem(format!("{def_at}/properties/code"), "no const code"))?;
        let statuses = def
            .get("x-http-status")
            .and_then(Value::as_array)
            .map(|s| {
                s.iter()
                    .filter_map(|n| n.as_u64().and_then(|n| u16::try_from(n).ok()))
                    .collect::<Vec<u16>>()
            })
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                problem(
                    format!("{def_at}/x-http-status"),
                    "no x-http-status list of statuses",
                )
            })?;
        codes.push(ErrorCode {
            code: code.to_owned(),
            definition: definition.to_owned(),
            reference: format!("{}#/$defs/{definition}", Document::Error.file_name()),
            statuses,
            mock_only: def.get("x-mock-only") == Some(&Value::Bool(true)),
            description: def
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            documented_message: def
                .pointer("/properties/message/const")
                .or_else(|| def.pointer("/properties/message/examples/0"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            validator: OnceLock::new(),
        });
    }
    Ok(codes)
}

/// The file's shape, as serde reads it.
mod raw {
    use serde::Deserialize;
    use serde_json::{Map, Value};

    use super::{Family, Method};

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Contract {
        #[serde(rename = "$comment", default)]
        _comment: Option<String>,
        pub(super) error_document: String,
        pub(super) operations: Vec<Operation>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Operation {
        pub(super) id: String,
        pub(super) method: Method,
        pub(super) path: String,
        pub(super) family: Family,
        pub(super) summary: String,
        #[serde(default)]
        pub(super) deprecated: bool,
        #[serde(default = "yes")]
        pub(super) authenticated: bool,
        #[serde(default)]
        pub(super) mock_only: bool,
        #[serde(default)]
        pub(super) parameters: Vec<Parameter>,
        #[serde(default)]
        pub(super) request: Option<Request>,
        pub(super) responses: Vec<Response>,
        pub(super) errors: Vec<String>,
        #[serde(default)]
        pub(super) webhook: Option<Webhook>,
        #[serde(default)]
        pub(super) examples: Map<String, Value>,
    }

    fn yes() -> bool {
        true
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Parameter {
        pub(super) name: String,
        pub(super) document: String,
        pub(super) definition: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Request {
        #[serde(default)]
        pub(super) document: Option<String>,
        pub(super) media: String,
        #[serde(default)]
        pub(super) file_field: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Response {
        pub(super) status: u16,
        pub(super) document: String,
        pub(super) description: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Webhook {
        pub(super) document: String,
        pub(super) url_pointer: String,
        pub(super) name: String,
        pub(super) summary: String,
    }
}
