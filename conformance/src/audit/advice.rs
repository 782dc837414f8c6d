//! What a team does about an answer: for each contradiction, what the integration must do,
//! and the change to our contract it implies, as a JSON Patch against the named schema file
//! (RFC 6902, pointers into the file as it is in `spec/schema/`). An unanswered question gets
//! the step that would answer it.
//!
//! The patches are derived from the answer and from the contract as kyc-spec holds it, never
//! written by hand per target: the same answer against a changed schema gives another patch.

use serde::Serialize;
use serde_json::{Value, json};

use kyc_spec::Contract;

use super::{Question, Verdict};

/// A change to one schema file of the contract.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContractPatch {
    /// The file in `spec/schema/`.
    pub schema: String,
    /// The JSON Patch operations.
    pub ops: Vec<Value>,
}

/// Fills `action` and `patch` for a question that contradicts the spec or went unanswered.
pub fn advise(q: &mut Question) {
    match q.verdict {
        Verdict::Contradicts => {
            q.action = Some(action(q.id, &q.answer));
            q.patch = patch(q.id, &q.answer);
        }
        Verdict::Unanswered => {
            let why = q.note.as_deref().unwrap_or("the probe got no answer");
            q.action = Some(format!(
                "Find out why before relying on this behaviour: {why}."
            ));
        }
        Verdict::AsDocumented | Verdict::AsAssumed | Verdict::Skipped => {}
    }
}

/// What the integration must do, in one or two sentences.
fn action(id: &str, answer: &Value) -> String {
    match id {
        "deprecated-endpoint-alive" => {
            "This sandbox no longer serves the deprecated init: move the \
             integration to /akepa before production does the same (see the migration report)."
                .into()
        }
        "repeated-init" => "Never call the init again for a customer whose KYC is under way: here \
             a second init restarts it and the uploads already made are lost."
            .into(),
        "sync-mode-effect" => "Send the syncMode your flow was built for: this sandbox answers \
             differently with true and false, against the assumption that it changes nothing."
            .into(),
        "customer-id-prefix" => {
            let refused: Vec<&str> = ["csta_", "csta-"]
                .into_iter()
                .filter(|p| answer[*p] != "accepted")
                .collect();
            format!(
                "Only pass customer ids exactly as connectFi returned them; this sandbox does not take the {} spelling.",
                refused.join(" or ")
            )
        }
        "webhook-url-spelling" => "Send the callback address under the key each endpoint takes \
             here (the answer shows which); a key the sandbox ignores means no callbacks."
            .into(),
        "additional-properties" => "Send only the documented keys: do not count on the sandbox \
             to refuse (or to accept) a key the contract does not have."
            .into(),
        "reference-required" => {
            "Always send `reference` with the identification, whatever the contract says.".into()
        }
        "akepa-status-form" => {
            let served: Vec<&str> = answer
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, v)| *v == "served")
                .map(|(k, _)| k.as_str())
                .collect();
            match served.as_slice() {
                [] => "Neither akepa status form answers here: poll nothing, wait for the callback, and ask connectFi which form the sandbox serves.".into(),
                forms => format!("Ask for an application's status with {} only: the other form is not served here.", forms.join(" or ")),
            }
        }
        "unauthorized" => "Treat any 401 as an authentication failure whatever its body: the \
             sandbox's body differs from the documented one, so do not match on its message."
            .into(),
        "token-lifetime-seconds" => format!(
            "Refresh the token before {} seconds, not the hour the docs imply.",
            answer.as_u64().unwrap_or(0)
        ),
        "validation-error-shape" => "Do not parse a 400's context as Ajv's error list: log it \
             as it came; the differing inputs below show how this sandbox words them."
            .into(),
        "deprecated-webhook-payload" => "Do not depend on the deprecated callback: poll \
             GET /customer/kyc/status/{customerId} until a final status, and treat a callback as \
             a hint to poll."
            .into(),
        _ => "Compare the evidence with the contract and adjust the integration.".into(),
    }
}

/// The change to our contract the answer implies, where one schema file says otherwise.
fn patch(id: &str, answer: &Value) -> Option<ContractPatch> {
    match id {
        "additional-properties" => {
            let mut patches = Vec::new();
            for (route, verdict) in answer.as_object()? {
                let schema = request_schema(route)?;
                match verdict.as_str() {
                    // Ignored here, refused by the contract: the contract is stricter.
                    Some("ignored") => patches.push((
                        schema,
                        json!({"op": "replace", "path": "/additionalProperties", "value": true}),
                    )),
                    Some("rejected") => patches.push((
                        schema,
                        json!({"op": "replace", "path": "/additionalProperties", "value": false}),
                    )),
                    _ => {}
                }
            }
            // One file per patch: the first route that needs one (the report names each).
            let (schema, op) = patches.into_iter().next()?;
            Some(ContractPatch {
                schema,
                ops: vec![op],
            })
        }
        "reference-required" => {
            let required = answer.get("/akepa/identification")?.as_bool()?;
            let schema = request_schema("/akepa/identification")?;
            let list = document(&schema)?.parsed().get("required")?.as_array()?;
            let at = list.iter().position(|v| v == "reference");
            let op = match (required, at) {
                (true, None) => json!({"op": "add", "path": "/required/-", "value": "reference"}),
                (false, Some(i)) => json!({"op": "remove", "path": format!("/required/{i}")}),
                _ => return None,
            };
            Some(ContractPatch {
                schema,
                ops: vec![op],
            })
        }
        "webhook-url-spelling" => {
            let mut ops = Vec::new();
            let mut file = None;
            for (route, keys) in answer.as_object()? {
                let schema = request_schema(route)?;
                let props = document(&schema)?.parsed().get("properties")?.as_object()?;
                for (key, verdict) in keys.as_object()? {
                    let has = props.contains_key(key);
                    let op = match (verdict.as_str(), has) {
                        (Some("rejected"), true) => {
                            json!({"op": "remove", "path": format!("/properties/{key}")})
                        }
                        (Some("accepted"), false) => {
                            json!({"op": "add", "path": format!("/properties/{key}"),
                            "value": {"type": "string", "description": "Accepted by the sandbox (audit webhook-url-spelling)."}})
                        }
                        _ => continue,
                    };
                    if file.is_none() {
                        file = Some(schema.clone());
                    }
                    if file.as_deref() == Some(schema.as_str()) {
                        ops.push(op);
                    }
                }
            }
            Some(ContractPatch { schema: file?, ops })
        }
        "customer-id-prefix" => {
            // Only the hyphen can be dropped from the id's character class.
            if answer["csta-"] == "rejected" && answer["csta_"] == "accepted" {
                Some(ContractPatch {
                    schema: "common.schema.json".into(),
                    ops: vec![json!({"op": "replace", "path": "/$defs/CustomerId/pattern",
                        "value": "^[0-9a-zA-Z_]+$"})],
                })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The schema file named `file`.
fn document(file: &str) -> Option<kyc_spec::Document> {
    kyc_spec::Document::ALL
        .iter()
        .copied()
        .find(|d| d.file_name() == file)
}

/// The schema file of `POST route`'s request body, from the contract.
fn request_schema(route: &str) -> Option<String> {
    Contract::embedded()
        .request_document("POST", route)
        .map(|d| d.file_name().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contradicting(id: &'static str, answer: Value) -> Question {
        let mut q = Question {
            id,
            answer,
            verdict: Verdict::Contradicts,
            against: "",
            note: None,
            evidence: Vec::new(),
            action: None,
            patch: None,
        };
        advise(&mut q);
        q
    }

    #[test]
    fn patches_follow_the_answer_and_the_contract() {
        let q = contradicting(
            "additional-properties",
            json!({"/customer/kyc/init": "ignored", "/akepa/identification": "rejected"}),
        );
        let patch = q.patch.unwrap();
        assert_eq!(patch.schema, "kyc-init.request.schema.json");
        assert_eq!(
            patch.ops,
            [json!({"op": "replace", "path": "/additionalProperties", "value": true})]
        );
        let q = contradicting(
            "webhook-url-spelling",
            json!({"/customer/kyc/init": {"webhookURL": "rejected", "webhookUrl": "accepted"}}),
        );
        let patch = q.patch.unwrap();
        assert_eq!(patch.schema, "kyc-init.request.schema.json");
        assert_eq!(patch.ops.len(), 2, "{:?}", patch.ops);
        let q = contradicting(
            "reference-required",
            json!({"/akepa/identification": false}),
        );
        assert_eq!(q.patch.unwrap().ops[0]["op"], "remove");
        assert!(q.action.unwrap().contains("reference"));
        // A contradiction no schema file decides has an action and no patch.
        let q = contradicting("deprecated-webhook-payload", Value::Null);
        assert!(q.patch.is_none() && q.action.is_some());
    }
}
