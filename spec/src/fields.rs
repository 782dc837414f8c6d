//! A document seen as the list of its fields: every place an instance can hold a value, with
//! the types, requiredness and constraints the schema puts there. This is the view a diff of
//! two contracts needs (which field went where, what became required, what got tighter), as
//! oasdiff takes it from an OpenAPI document.
//!
//! Array items are written `*` in a field's pointer (`/data/entityApplications/*/status`).
//! `$ref`s are followed into every embedded document, and `allOf`/`anyOf`/`oneOf` branches
//! are merged: a field any branch allows is a field, its types the union of the branches'.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::Document;
use crate::pointer;

/// The keywords a field's constraints are read from, in the order they are shown.
pub const CONSTRAINTS: [&str; 10] = [
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "isNotOnlyWhitespace",
    "additionalProperties",
];

/// One place of a document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    /// Instance pointer, `*` for an array's items.
    pub pointer: String,
    /// The JSON types it may hold, sorted (`null` included when nullable).
    pub types: Vec<&'static str>,
    /// Its object lists it in `required`.
    pub required: bool,
    /// The values it may take, when the schema enumerates them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enumeration: Option<Vec<Value>>,
    /// Constraint keyword → value (only the [`CONSTRAINTS`] keywords).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub constraints: BTreeMap<&'static str, Value>,
    /// An `x-assumption` sits on it or on a schema around it: the docs do not say this, a
    /// choice does.
    pub assumed: bool,
}

/// A schema inside an embedded document: where the `$ref`s inside it resolve from.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    /// The document holding it.
    pub doc: Document,
    /// The schema itself.
    pub schema: &'static Value,
}

impl Node {
    /// The root of a document.
    pub fn root(doc: Document) -> Node {
        Node {
            doc,
            schema: doc.parsed(),
        }
    }

    /// Follows one `$ref` written in this node's document: `other.json#/pointer`,
    /// `#/pointer`, or a fragment's own `$id` (`common-id`).
    pub fn reference(self, reference: &str) -> Option<Node> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let doc = if file.is_empty() {
            self.doc
        } else {
            Document::from_name(file)?
        };
        let root = doc.parsed();
        let schema = if fragment.is_empty() {
            root
        } else {
            root.pointer(fragment)?
        };
        Some(Node { doc, schema })
    }

    /// Follows `$ref`s (to this or another embedded document) until a schema without one;
    /// `None` when one does not resolve, or after a bounded number (a cycle).
    pub fn resolved(self) -> Option<Node> {
        let mut node = self;
        for _ in 0..MAX_DEPTH {
            let Some(reference) = node.schema.get("$ref").and_then(Value::as_str) else {
                return Some(node);
            };
            node = node.reference(reference)?;
        }
        None
    }

    /// This node and everything it stands for: its `$ref` target and its combinators'
    /// branches, recursively (bounded, so a cycle cannot hang a caller).
    pub fn expanded(self) -> Vec<Node> {
        let mut out = Vec::new();
        self.expand_into(&mut out);
        out
    }

    /// [`Node::expanded`] into a list the caller keeps (no list of its own per node).
    pub fn expand_into(self, out: &mut Vec<Node>) {
        expand(self, out, 0);
    }
}

const MAX_DEPTH: usize = 32;

fn expand(node: Node, out: &mut Vec<Node>, depth: usize) {
    if depth > MAX_DEPTH || !node.schema.is_object() {
        return;
    }
    out.push(node);
    if let Some(target) = node
        .schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| node.reference(r))
    {
        expand(target, out, depth + 1);
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        for branch in node
            .schema
            .get(combinator)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            expand(
                Node {
                    doc: node.doc,
                    schema: branch,
                },
                out,
                depth + 1,
            );
        }
    }
}

/// Every field of `doc`, in document order (a parent before its children). The root itself
/// is not a field.
pub fn of(doc: Document) -> Vec<Field> {
    let mut out = Vec::new();
    walk(Node::root(doc), String::new(), false, false, &mut out, 0);
    out
}

/// The one field a schema describes by itself, at `pointer` (a path parameter's value).
pub fn single(node: Node, pointer: &str, required: bool) -> Field {
    describe(&node.expanded(), pointer.to_owned(), required)
}

/// The field at `pointer` of `fields`.
pub fn find<'f>(fields: &'f [Field], pointer: &str) -> Option<&'f Field> {
    fields.iter().find(|f| f.pointer == pointer)
}

/// `inherited`: an enclosing schema is an assumption, so everything inside it is too (the
/// deprecated webhook's whole payload is `x-assumption: true`; the akepa answers' application
/// object is assumed).
fn walk(
    node: Node,
    at: String,
    required: bool,
    inherited: bool,
    out: &mut Vec<Field>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let nodes = node.expanded();
    let mut field = describe(&nodes, at.clone(), required);
    field.assumed |= inherited;
    // What the children inherit. A document root's `x-assumption` text speaks of the root's
    // own keywords ("additionalProperties: false, as on …"); `true` there, or an assumption on
    // any inner schema (an answer object the docs do not print), covers everything inside.
    let whole_document = nodes
        .iter()
        .any(|n| n.schema.get("x-assumption") == Some(&Value::Bool(true)));
    let assumed = if at.is_empty() {
        inherited || whole_document
    } else {
        field.assumed
    };
    // The same place reached twice (through two branches) is one field, merged.
    let index = match out.iter().position(|f| f.pointer == at) {
        Some(i) => {
            merge(&mut out[i], field);
            i
        }
        None => {
            out.push(field);
            out.len() - 1
        }
    };
    if at.is_empty() {
        out.remove(index);
    }
    let mut children: Vec<(String, Node, bool)> = Vec::new();
    for n in &nodes {
        let required_here: Vec<&str> = n
            .schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if let Some(props) = n.schema.get("properties").and_then(Value::as_object) {
            for (name, schema) in props {
                let mut child = at.clone();
                pointer::push(&mut child, name);
                children.push((
                    child,
                    Node { doc: n.doc, schema },
                    required_here.contains(&name.as_str()),
                ));
            }
        }
        if let Some(items) = n.schema.get("items").filter(|i| i.is_object()) {
            children.push((
                format!("{at}/*"),
                Node {
                    doc: n.doc,
                    schema: items,
                },
                false,
            ));
        }
    }
    for (child, node, required) in children {
        walk(node, child, required, assumed, out, depth + 1);
    }
}

fn describe(nodes: &[Node], pointer: String, required: bool) -> Field {
    let mut types: Vec<&'static str> = Vec::new();
    let mut enumeration: Option<Vec<Value>> = None;
    let mut constraints = BTreeMap::new();
    let mut assumed = false;
    for n in nodes {
        let s = n.schema;
        match s.get("type") {
            Some(Value::String(t)) => add_type(&mut types, t),
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .for_each(|t| add_type(&mut types, t)),
            _ => {}
        }
        if s.get("nullable") == Some(&Value::Bool(true)) {
            add_type(&mut types, "null");
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            let list = enumeration.get_or_insert_with(Vec::new);
            for v in values {
                if !list.contains(v) {
                    list.push(v.clone());
                }
            }
        }
        for key in CONSTRAINTS {
            if let Some(v) = s.get(key)
                && (key != "additionalProperties" || v == &Value::Bool(false))
            {
                constraints.insert(key, v.clone());
            }
        }
        assumed |= s.get("x-assumption").is_some();
    }
    types.sort_unstable();
    Field {
        pointer,
        types,
        required,
        enumeration,
        constraints,
        assumed,
    }
}

fn add_type(types: &mut Vec<&'static str>, t: &str) {
    const KNOWN: [&str; 7] = [
        "array", "boolean", "integer", "null", "number", "object", "string",
    ];
    if let Some(known) = KNOWN.iter().find(|k| **k == t)
        && !types.contains(known)
    {
        types.push(known);
    }
}

fn merge(into: &mut Field, other: Field) {
    for t in other.types {
        if !into.types.contains(&t) {
            into.types.push(t);
        }
    }
    into.types.sort_unstable();
    into.required |= other.required;
    if let Some(values) = other.enumeration {
        let list = into.enumeration.get_or_insert_with(Vec::new);
        for v in values {
            if !list.contains(&v) {
                list.push(v);
            }
        }
    }
    for (k, v) in other.constraints {
        into.constraints.entry(k).or_insert(v);
    }
    into.assumed |= other.assumed;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_into_other_documents_and_fragments_are_followed() {
        let fields = of(Document::AkepaIdentificationRequest);
        let id = find(&fields, "/customerId").unwrap();
        assert_eq!(id.types, ["string"]);
        assert!(id.required);
        assert_eq!(id.constraints["pattern"], json!("^[0-9a-zA-Z_]+$"));
        let hook = find(&fields, "/webhookUrl").unwrap();
        assert_eq!(hook.types, ["null", "string"]);
        assert!(!hook.required);
        assert!(hook.assumed, "the spelling is an x-assumption");
    }

    #[test]
    fn arrays_items_and_any_of_branches_are_fields() {
        let fields = of(Document::AkepaIdentificationResponse);
        let status = find(&fields, "/data/entityApplications/*/status").unwrap();
        assert!(
            status
                .enumeration
                .as_ref()
                .unwrap()
                .contains(&json!("pending_step_up"))
        );
        let outcome = find(&fields, "/data/outcome").unwrap();
        assert_eq!(outcome.types, ["null", "string"]);
        assert_eq!(
            outcome.enumeration.as_deref(),
            Some(&[json!("Approved"), json!("Denied")][..])
        );
        // A parent comes before its children, and the root is no field.
        let data = fields.iter().position(|f| f.pointer == "/data").unwrap();
        let child = fields
            .iter()
            .position(|f| f.pointer == "/data/status")
            .unwrap();
        assert!(data < child);
        assert!(find(&fields, "").is_none());
    }

    #[test]
    fn an_assumed_document_makes_every_field_in_it_assumed() {
        let hook = of(Document::Webhook);
        assert!(
            hook.iter().all(|f| f.assumed),
            "webhook.schema.json is x-assumption: true"
        );
        let init = of(Document::KycInitRequest);
        assert!(!find(&init, "/customerId").unwrap().assumed);
        // A root's note about its own keywords does not make its documented fields assumed.
        let generate = of(Document::AkepaDocumentGenerateRequest);
        assert!(!find(&generate, "/workflow").unwrap().assumed);
        // An answer object the docs do not print is assumed throughout.
        let status = of(Document::AkepaStatusResponse);
        assert!(
            find(&status, "/data/entityApplications/*/status")
                .unwrap()
                .assumed
        );
    }

    #[test]
    fn the_deprecated_answer_reaches_its_nested_records() {
        let fields = of(Document::KycInitResponse);
        let status = find(&fields, "/data/kyc/status").unwrap();
        assert_eq!(status.enumeration.as_ref().unwrap().len(), 5);
        assert!(find(&fields, "/data/kycDocumentList/*/documentSide").is_some());
        assert!(find(&fields, "/data/customer/customer/firstName").is_some());
    }
}
