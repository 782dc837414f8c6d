//! Which values are personal, secret, harmless or unknown, read from the spec.
//!
//! The schema files carry the annotations: `x-personal: true` on a property (or on a
//! definition it references) marks personal data, `x-secret: true` a credential. A new
//! personal field is covered by annotating it in `spec/schema/`, not by editing this code.
//! A body is walked alongside the schema of its endpoint and status; `$ref`s are resolved
//! by `$id` among the embedded documents and every `allOf`/`anyOf`/`oneOf` branch is
//! followed, so a key described by any branch counts as described and a key marked
//! personal by any branch counts as personal (the cautious reading of a union).
//! Annotations inherit: everything inside a personal object is personal.

use kyc_spec::fields::Node;
use kyc_spec::{Contract, Document, pointer};
use serde_json::Value;

/// What a value at some place in a body is.
#[derive(Clone, Debug, PartialEq)]
pub enum Class {
    /// A credential; `name` is the property it sits in, used as its placeholder name.
    Secret {
        /// e.g. `token`, `login`, `password`.
        name: String,
    },
    /// Personal data; `choices` are the schema's `enum` values when it has one.
    Personal {
        /// Allowed values, so a pseudonym can stay one of them.
        choices: Vec<Value>,
    },
    /// The schema describes this place and does not mark it: the value is kept.
    Described,
    /// No schema describes this place (unknown key, `items: true`, free-form object, a body
    /// without a schema): strings are redacted.
    Unclassified,
}

/// Which schema a body is read with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind<'a> {
    /// The body of a request `method path`.
    Request {
        /// HTTP method of the request.
        method: &'a str,
        /// Path (query allowed) of the request.
        path: &'a str,
    },
    /// The body of the answer with `status` to a request `method path`.
    Response {
        /// HTTP method of the request.
        method: &'a str,
        /// Path (query allowed) of the request.
        path: &'a str,
        /// HTTP status of the answer.
        status: u16,
    },
    /// A callback the request `method path` asked for (its `webhookURL`).
    Webhook {
        /// HTTP method of the request that set the callback up.
        method: &'a str,
        /// Path of that request.
        path: &'a str,
    },
}

impl BodyKind<'_> {
    /// The document describing this body, if any: the contract's answer.
    pub fn document(self) -> Option<Document> {
        let contract = Contract::embedded();
        match self {
            BodyKind::Webhook { method, path } => {
                Some(contract.operation(method, path)?.webhook.as_ref()?.document)
            }
            BodyKind::Request { method, path } => contract.request_document(method, path),
            BodyKind::Response {
                method,
                path,
                status,
            } => contract.response_document(method, path, status),
        }
    }
}

/// A place in a body together with every schema that describes it.
#[derive(Clone, Debug)]
pub struct Location {
    nodes: Vec<Node>,
    personal: bool,
    secret: Option<String>,
}

impl Location {
    /// The root of a body of `kind`; undescribed when the endpoint has no schema.
    pub fn root(kind: BodyKind<'_>) -> Location {
        let nodes = kind
            .document()
            .map(|doc| Node {
                doc,
                schema: doc.parsed(),
            })
            .into_iter()
            .collect();
        Location::from_nodes(nodes, false, None, None)
    }

    /// A place nothing describes.
    pub fn unknown() -> Location {
        Location {
            nodes: Vec::new(),
            personal: false,
            secret: None,
        }
    }

    fn from_nodes(
        nodes: Vec<Node>,
        inherited_personal: bool,
        inherited_secret: Option<String>,
        key: Option<&str>,
    ) -> Location {
        let mut expanded = Vec::new();
        for node in nodes {
            node.expand_into(&mut expanded);
        }
        let flag = |name: &str| {
            expanded
                .iter()
                .any(|n| n.schema.get(name).and_then(Value::as_bool) == Some(true))
        };
        let personal = inherited_personal || flag("x-personal");
        let secret = inherited_secret
            .or_else(|| flag("x-secret").then(|| key.unwrap_or("secret").to_string()));
        Location {
            nodes: expanded,
            personal,
            secret,
        }
    }

    /// The place of property `key` inside this (object) place.
    pub fn property(&self, key: &str) -> Location {
        let mut children = Vec::new();
        let mut named = false;
        for node in &self.nodes {
            let props = node.schema.get("properties").and_then(Value::as_object);
            if let Some(child) = props.and_then(|p| p.get(key)) {
                named = true;
                children.push(Node {
                    doc: node.doc,
                    schema: child,
                });
            } else if let Some(extra) = node.schema.get("additionalProperties")
                && extra.is_object()
            {
                children.push(Node {
                    doc: node.doc,
                    schema: extra,
                });
            }
        }
        // A member no schema names, beside members the schema marks personal (a
        // `mothersMaidenName` next to a person's names), is taken as the person's too.
        let personal = self.personal || (!named && self.has_personal_members());
        Location::from_nodes(children, personal, self.secret.clone(), Some(key))
    }

    /// Whether this object's schema names a member it marks personal.
    fn has_personal_members(&self) -> bool {
        self.nodes.iter().any(|node| {
            let props = node.schema.get("properties").and_then(Value::as_object);
            props.into_iter().flatten().any(|(_, schema)| {
                let member = Node {
                    doc: node.doc,
                    schema,
                };
                Location::from_nodes(vec![member], false, None, None).personal
            })
        })
    }

    /// The place of element `index` inside this (array) place.
    pub fn item(&self, index: usize) -> Location {
        let mut children = Vec::new();
        for node in &self.nodes {
            match node.schema.get("items") {
                Some(items @ Value::Object(_)) => children.push(Node {
                    doc: node.doc,
                    schema: items,
                }),
                Some(Value::Array(tuple)) => {
                    if let Some(items) = tuple.get(index).filter(|s| s.is_object()) {
                        children.push(Node {
                            doc: node.doc,
                            schema: items,
                        });
                    }
                }
                _ => {}
            }
        }
        Location::from_nodes(children, self.personal, self.secret.clone(), None)
    }

    /// Follows a JSON pointer (array indices as numbers).
    pub fn at_pointer(&self, pointer: &str) -> Location {
        let mut here = self.clone();
        for segment in pointer.split('/').skip(1) {
            let segment = pointer::unescape(segment);
            here = match segment.parse::<usize>() {
                Ok(i) if here.is_array() => here.item(i),
                _ => here.property(&segment),
            };
        }
        here
    }

    fn is_array(&self) -> bool {
        self.nodes.iter().any(|n| {
            n.schema.get("items").is_some()
                || n.schema.get("type").and_then(Value::as_str) == Some("array")
        })
    }

    /// What a scalar at this place is.
    pub fn class(&self) -> Class {
        if let Some(name) = &self.secret {
            return Class::Secret { name: name.clone() };
        }
        if self.personal {
            let choices = self
                .nodes
                .iter()
                .filter_map(|n| n.schema.get("enum").and_then(Value::as_array))
                .flatten()
                .filter(|v| !v.is_null())
                .cloned()
                .collect();
            return Class::Personal { choices };
        }
        if !self.nodes.iter().any(|n| constrains(n.schema)) {
            Class::Unclassified
        } else {
            Class::Described
        }
    }

    /// The schema's `examples` (and `const`/`enum` strings) for this place: public values
    /// from connectFi's own docs, which are invented people, never customers.
    pub fn documented_values(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.nodes.iter().flat_map(|n| {
            ["examples", "enum"]
                .into_iter()
                .filter_map(|k| n.schema.get(k).and_then(Value::as_array))
                .flatten()
                .chain(n.schema.get("const"))
                .filter_map(Value::as_str)
        })
    }
}

/// Whether a schema says anything about a value: `{}` or a bare description does not.
fn constrains(schema: &Value) -> bool {
    const NOT_CONSTRAINTS: [&str; 6] = [
        "description",
        "title",
        "examples",
        "$comment",
        "default",
        "nullable",
    ];
    schema
        .as_object()
        .is_some_and(|m| m.keys().any(|k| !NOT_CONSTRAINTS.contains(&k.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class_at(kind: BodyKind<'_>, pointer: &str) -> Class {
        Location::root(kind).at_pointer(pointer).class()
    }

    const INIT_200: BodyKind<'static> = BodyKind::Response {
        method: "POST",
        path: "/customer/kyc/init",
        status: 200,
    };

    #[test]
    fn personal_fields_come_from_the_schema_annotations() {
        for pointer in [
            "/data/customer/customer/firstName",
            "/data/customer/customer/lastName",
            "/data/customer/customer/dateOfBirth",
            "/data/customer/customer/email",
            "/data/customer/customer/addresses/0/addressLine1",
            "/data/customer/customer/addresses/3/postalCode",
            "/data/customer/customer/phones/0/phoneNumber",
            "/data/customer/customer/identificationDocuments/0/value",
        ] {
            assert!(
                matches!(class_at(INIT_200, pointer), Class::Personal { .. }),
                "{pointer}"
            );
        }
        assert_eq!(
            class_at(INIT_200, "/data/customer/customer/gender"),
            Class::Personal {
                choices: vec!["M".into(), "F".into()]
            }
        );
        assert!(matches!(
            class_at(
                BodyKind::Webhook {
                    method: "POST",
                    path: "/customer/kyc/init"
                },
                "/data/customer/customer/email"
            ),
            Class::Personal { .. }
        ));
        let card = BodyKind::Request {
            method: "POST",
            path: "/customer/kyc/add-attributes",
        };
        assert!(matches!(
            class_at(card, "/additionalAttributes/cardAttributes/nameOnCard"),
            Class::Personal { .. }
        ));
    }

    #[test]
    fn secrets_are_named_after_their_property() {
        let token = BodyKind::Response {
            method: "POST",
            path: "/auth/get-token",
            status: 200,
        };
        assert_eq!(
            class_at(token, "/data/token"),
            Class::Secret {
                name: "token".into()
            }
        );
        let login = BodyKind::Request {
            method: "POST",
            path: "/auth/get-token?x=1",
        };
        assert_eq!(
            class_at(login, "/user/password"),
            Class::Secret {
                name: "password".into()
            }
        );
    }

    #[test]
    fn described_and_undescribed_places() {
        assert_eq!(
            class_at(INIT_200, "/data/customer/customerId"),
            Class::Described
        );
        assert_eq!(class_at(INIT_200, "/data/kyc/status"), Class::Described);
        assert_eq!(
            class_at(INIT_200, "/data/customer/boises/0"),
            Class::Unclassified
        );
        // Beside a person's names, an undescribed member is taken as the person's.
        assert!(matches!(
            class_at(INIT_200, "/data/customer/customer/nickname"),
            Class::Personal { .. }
        ));
        // Beside none, it is only undescribed.
        assert_eq!(
            class_at(INIT_200, "/data/kyc/riskLevel"),
            Class::Unclassified
        );
        assert_eq!(class_at(INIT_200, "/surprise"), Class::Unclassified);
        let unknown_endpoint = BodyKind::Response {
            method: "POST",
            path: "/elsewhere",
            status: 200,
        };
        assert_eq!(
            class_at(unknown_endpoint, "/data/customerId"),
            Class::Unclassified
        );
    }

    #[test]
    fn error_bodies_follow_every_one_of_branch() {
        let error = BodyKind::Response {
            method: "POST",
            path: "/customer/kyc/init",
            status: 400,
        };
        assert_eq!(class_at(error, "/code"), Class::Described);
        assert_eq!(class_at(error, "/context/customerId"), Class::Described);
        assert_eq!(class_at(error, "/context/0/instancePath"), Class::Described);
        assert_eq!(
            class_at(error, "/context/0/params/missingProperty"),
            Class::Unclassified
        );
    }

    #[test]
    fn documented_values_include_examples_behind_refs() {
        let dob = Location::root(INIT_200).at_pointer("/data/customer/customer/dateOfBirth");
        assert!(dob.documented_values().any(|v| v == "1978-10-15"));
    }
}
