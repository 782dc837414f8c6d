//! Assembles `spec/openapi.json` (OpenAPI 3.1) from the schema files.
//!
//! The schema files stay the single source of truth; this is a pure translation:
//! every file's root and every `$defs` entry becomes a component, cross-file and local `$ref`s
//! are pointed at `#/components/schemas/…`, and Ajv's `nullable: true` becomes the 3.1 form
//! (`"type": [T, "null"]`). The published examples of the endpoint page are attached to the
//! operations, read from `spec/examples/`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::contract::{Contract, ErrorCode, Operation};
use crate::{Document, pointer};

/// The example files the contract names (paths relative to `spec/examples/`), read by the
/// caller so that this module stays free of IO. [`Contract::example_files`] lists them.
#[derive(Debug, Default)]
pub struct Examples {
    /// File path → parsed content.
    pub files: BTreeMap<String, Value>,
}

/// Something in a schema file the translation cannot express.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Two files define a component with the same name.
    #[error("component {name} is defined twice: in {first} and in {second}")]
    DuplicateComponent {
        /// The component name.
        name: String,
        /// File of the first definition.
        first: &'static str,
        /// File of the second definition.
        second: &'static str,
    },
    /// A `$ref` that points outside the embedded files or at something other than a root or a `$defs` entry.
    #[error(
        "{file}: $ref {reference} at {pointer} does not name a schema file or one of its $defs"
    )]
    UnresolvableRef {
        /// File holding the `$ref`.
        file: &'static str,
        /// JSON pointer of the `$ref` within the file.
        pointer: String,
        /// The `$ref` value.
        reference: String,
    },
    /// The contract names an example file the caller did not supply.
    #[error("operation {operation}: example file {file} was not supplied")]
    MissingExample {
        /// Operation id.
        operation: String,
        /// Path under `spec/examples/`.
        file: String,
    },
}

/// The operations the document describes: every one but the mock's own controls
/// ([`Operation::mock_only`]), which a sandbox does not have.
fn published(contract: &Contract) -> impl Iterator<Item = &Operation> {
    contract.operations().iter().filter(|op| !op.mock_only)
}

/// Documents whose schemas become components: those the published operations name, and
/// every document they `$ref` into, in [`Document::ALL`] order. Request headers are expressed
/// as the security scheme and the media types; the cassette format is ours, not connectFi's.
fn component_documents(contract: &Contract) -> Vec<Document> {
    let mut wanted: Vec<Document> = vec![contract.error_document()];
    for op in published(contract) {
        wanted.extend(op.request.as_ref().and_then(|r| r.document));
        wanted.extend(op.responses.iter().map(|r| r.document));
        wanted.extend(op.webhook.as_ref().map(|w| w.document));
        wanted.extend(op.parameters.iter().map(|p| p.document));
    }
    for d in wanted.clone() {
        for r in d.referenced() {
            if !wanted.contains(&r) {
                wanted.push(r);
            }
        }
    }
    Document::ALL
        .into_iter()
        .filter(|d| wanted.contains(d))
        .collect()
}

/// Whether a document's root is a schema of its own (and not only a holder of `$defs`).
fn has_root_schema(schema: &Value) -> bool {
    schema.as_object().is_some_and(|obj| {
        obj.keys().any(|k| {
            !matches!(
                k.as_str(),
                "$schema" | "$id" | "title" | "description" | "$defs" | "$comment"
            )
        })
    })
}

/// Builds the OpenAPI document from the contract's operations. The output is deterministic:
/// paths in the contract's order, components in file order, then `$defs` order, as written.
pub fn assemble(contract: &Contract, examples: &Examples) -> Result<Value, Error> {
    let mut components = Map::new();
    let mut origin: Vec<(String, &'static str)> = Vec::new();
    for doc in component_documents(contract) {
        let mut schema = doc.json();
        let defs = match schema.as_object_mut() {
            Some(obj) => obj.remove("$defs"),
            None => None,
        };
        if has_root_schema(&schema) {
            let name = root_component(doc, &schema);
            add(&mut components, &mut origin, name, doc, schema, "")?;
        }
        if let Some(Value::Object(defs)) = defs {
            for (name, def) in defs {
                let pointer = format!("/$defs/{}", pointer::escape(&name));
                add(&mut components, &mut origin, name, doc, def, &pointer)?;
            }
        }
    }
    let mut paths = Map::new();
    for op in published(contract) {
        let item = paths
            .entry(op.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        item[op.method.as_str().to_ascii_lowercase()] = operation(contract, op, examples)?;
    }
    let mut tags: Vec<Value> = Vec::new();
    for op in published(contract) {
        let tag = family_tag(op);
        if !tags.iter().any(|t| t["name"] == tag.0) {
            tags.push(json!({"name": tag.0, "description": tag.1}));
        }
    }
    Ok(json!({
        "openapi": "3.1.0",
        "info": {
            "title": "connectFi KYC endpoints — contract",
            "version": env!("CARGO_PKG_VERSION"),
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"},
            "description": "Generated by `cargo xtask openapi` from spec/contract.json and spec/schema/*.json; do not edit by hand. \
                The deprecated KYC endpoints (POST /customer/kyc/init and the status, upload and add-attributes calls around it), \
                the customer creation they start from (POST /customer/init) and the login they need. connectFi has deprecated the KYC endpoints in favour of the /akepa endpoints. \
                Choices where connectFi's docs disagree are in spec/DECISIONS.md."
        },
        "servers": [{"url": "http://127.0.0.1:8080", "description": "the bundled mock (kyc-conformance mock)"}],
        "tags": tags,
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "connectfiToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": crate::contract::TOKEN_HEADER,
                    "description": "The token returned by POST /auth/get-token."
                }
            }
        }
    }))
}

fn family_tag(op: &Operation) -> (&'static str, &'static str) {
    use crate::contract::Family;
    match op.family {
        Family::Auth => ("auth", "Logging in"),
        Family::Customer => ("customer", "Customers"),
        Family::Kyc => ("kyc", "The deprecated KYC endpoints"),
        Family::Akepa => (
            "akepa",
            "The /akepa endpoints, successors of the KYC endpoints",
        ),
        Family::Mock => ("mock", "Controls of the mock itself (never published)"),
    }
}

/// One operation object.
fn operation(contract: &Contract, op: &Operation, examples: &Examples) -> Result<Value, Error> {
    let named = |place: &str| -> Result<Option<Value>, Error> {
        let Some((_, files)) = op.examples.iter().find(|(p, _)| p == place) else {
            return Ok(None);
        };
        let mut out = Map::new();
        for (name, file) in files {
            let value = examples
                .files
                .get(file)
                .ok_or_else(|| Error::MissingExample {
                    operation: op.id.clone(),
                    file: file.clone(),
                })?;
            out.insert(name.clone(), json!({ "value": value }));
        }
        Ok(Some(Value::Object(out)))
    };
    let mut out = Map::new();
    out.insert("operationId".into(), json!(op.id));
    out.insert("summary".into(), json!(op.summary));
    out.insert("tags".into(), json!([family_tag(op).0]));
    if op.deprecated {
        out.insert("deprecated".into(), json!(true));
    }
    out.insert(
        "security".into(),
        if op.authenticated {
            json!([{"connectfiToken": []}])
        } else {
            json!([])
        },
    );
    if !op.parameters.is_empty() {
        let params: Vec<Value> = op
            .parameters
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "in": "path",
                    "required": true,
                    "schema": component_ref(&p.definition),
                })
            })
            .collect();
        out.insert("parameters".into(), Value::Array(params));
    }
    if let Some(request) = &op.request {
        let mut media = Map::new();
        match (&request.document, &request.file_field) {
            (Some(doc), _) => {
                media.insert(
                    "schema".into(),
                    component_ref(&root_component(*doc, doc.parsed())),
                );
            }
            (None, Some(field)) => {
                media.insert(
                    "schema".into(),
                    json!({
                        "type": "object",
                        "required": [field],
                        "properties": {field: {"type": "string", "contentMediaType": "application/octet-stream", "minLength": 1}}
                    }),
                );
            }
            (None, None) => {}
        }
        if let Some(examples) = named("request")? {
            media.insert("examples".into(), examples);
        }
        out.insert(
            "requestBody".into(),
            json!({"required": true, "content": {request.media.clone(): media}}),
        );
    }
    let mut responses = Map::new();
    for r in &op.responses {
        let status = r.status.to_string();
        let schema = root_component(r.document, r.document.parsed());
        responses.insert(
            status.clone(),
            json_response(&r.description, &schema, named(&status)?),
        );
    }
    let error_schema = root_component(
        contract.error_document(),
        contract.error_document().parsed(),
    );
    for (status, codes) in error_statuses(contract, op) {
        let key = status.to_string();
        responses.insert(
            key.clone(),
            json_response(&error_description(&codes), &error_schema, named(&key)?),
        );
    }
    out.insert("responses".into(), Value::Object(responses));
    if let Some(webhook) = &op.webhook {
        let expression = format!("{{$request.body#{}}}", webhook.url_pointer);
        let schema = root_component(webhook.document, webhook.document.parsed());
        out.insert(
            "callbacks".into(),
            json!({
                webhook.name.clone(): {
                    expression: {
                        "post": {
                            "security": [],
                            "summary": webhook.summary,
                            "requestBody": {
                                "required": true,
                                "content": {"application/json": {"schema": component_ref(&schema)}}
                            },
                            "responses": {
                                "200": {"description": "Any 2xx acknowledges the callback"},
                                "4XX": {"description": "The receiver refused the callback; connectFi makes one attempt and does not retry"}
                            }
                        }
                    }
                }
            }),
        );
    }
    Ok(Value::Object(out))
}

/// The error codes of an operation grouped by HTTP status, statuses ascending.
fn error_statuses<'c>(contract: &'c Contract, op: &Operation) -> BTreeMap<u16, Vec<&'c ErrorCode>> {
    let mut by_status: BTreeMap<u16, Vec<&ErrorCode>> = BTreeMap::new();
    for code in op.errors.iter().filter_map(|c| contract.error_code(c)) {
        for status in &code.statuses {
            by_status.entry(*status).or_default().push(code);
        }
    }
    by_status
}

/// "`customerNotFound`: no customer has the given id. `invalidBody` (mock only, DECISIONS.md
/// D13): …": each code with the first sentence of its branch's description.
fn error_description(codes: &[&ErrorCode]) -> String {
    let parts: Vec<String> = codes
        .iter()
        .map(|c| {
            let what = c
                .description
                .split_once(": ")
                .map_or(c.description.as_str(), |(_, rest)| rest);
            let mock = if c.mock_only {
                " (mock only, DECISIONS.md D13)"
            } else {
                ""
            };
            format!("`{}`{mock}: {what}", c.code)
        })
        .collect();
    parts.join(" ")
}

fn root_component(doc: Document, schema: &Value) -> String {
    schema
        .get("title")
        .and_then(Value::as_str)
        .map_or_else(|| doc.file_name().to_owned(), str::to_owned)
}

fn add(
    components: &mut Map<String, Value>,
    origin: &mut Vec<(String, &'static str)>,
    name: String,
    doc: Document,
    mut schema: Value,
    pointer: &str,
) -> Result<(), Error> {
    if let Some((_, first)) = origin.iter().find(|(n, _)| *n == name) {
        return Err(Error::DuplicateComponent {
            name,
            first,
            second: doc.file_name(),
        });
    }
    translate(&mut schema, doc, &mut pointer.to_owned())?;
    origin.push((name.clone(), doc.file_name()));
    components.insert(name, schema);
    Ok(())
}

/// Rewrites one schema in place: drops `$schema`/`$id`, points `$ref`s at components, turns
/// `nullable: true` into a type array and connectFi's custom keyword `isNotOnlyWhitespace` into
/// the extension `x-isNotOnlyWhitespace` (OpenAPI knows no such keyword; extensions are allowed).
fn translate(schema: &mut Value, doc: Document, pointer: &mut String) -> Result<(), Error> {
    match schema {
        Value::Object(obj) => {
            obj.remove("$schema");
            obj.remove("$id");
            if let Some(Value::String(reference)) = obj.get("$ref") {
                let target =
                    component_for_ref(doc, reference).ok_or_else(|| Error::UnresolvableRef {
                        file: doc.file_name(),
                        pointer: pointer.clone(),
                        reference: reference.clone(),
                    })?;
                obj.insert(
                    "$ref".into(),
                    Value::String(format!("#/components/schemas/{target}")),
                );
            }
            if let Some(custom) = obj.remove("isNotOnlyWhitespace") {
                obj.insert("x-isNotOnlyWhitespace".into(), custom);
            }
            if obj.remove("nullable") == Some(Value::Bool(true))
                && let Some(Value::String(t)) = obj.get("type")
            {
                let t = t.clone();
                obj.insert("type".into(), json!([t, "null"]));
            }
            for (key, value) in obj.iter_mut() {
                let len = pointer.len();
                pointer::push(pointer, key);
                translate(value, doc, pointer)?;
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                translate(item, doc, pointer)?;
                pointer.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// `common.schema.json#/$defs/X` → `X`; `#/$defs/X` → `X`; `other.schema.json` → its title.
fn component_for_ref(doc: Document, reference: &str) -> Option<String> {
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let target_doc = if file.is_empty() {
        doc
    } else {
        Document::from_name(file)?
    };
    match fragment.strip_prefix("/$defs/") {
        Some(name) if !name.contains('/') => Some(name.to_owned()),
        Some(_) => None,
        None if fragment.is_empty() => Some(root_component(target_doc, &target_doc.json())),
        None => None,
    }
}

fn component_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn json_response(description: &str, schema: &str, examples: Option<Value>) -> Value {
    let mut media = json!({"schema": component_ref(schema)});
    if let Some(examples) = examples {
        media["examples"] = examples;
    }
    json!({"description": description, "content": {"application/json": media}})
}

/// Renders the document the way it is committed: two-space indentation and a final newline.
pub fn render(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).expect("a JSON value always serializes");
    text.push('\n');
    text
}
