//! The akepa answers: the application envelope written by hand (the hot path), held
//! byte-identical to the generated types, which write every other answer.

use kyc_spec::generated::{self as wire, Tristate};
use serde_json::Map;

use super::application::{Application, Journey, Outcome};
use super::store::Document;
use crate::clock::{format_timestamp, write_timestamp};
use crate::envelope::json_str;
use crate::error::{AGGREGATOR_ID, ApiError};

/// The application as the contract's type.
pub(super) fn wire_application(app: &Application) -> Result<wire::Application, ApiError> {
    let entity_applications = app
        .entities
        .iter()
        .map(|e| {
            Ok(wire::EntityApplication {
                entity_id: id(&e.entity_id)?,
                is_customer: e.is_customer,
                status: wire_status(app.status),
                outcome: app
                    .outcome
                    .map_or(Tristate::Null, |o| Tristate::Value(entity_outcome(o))),
                additional_properties: Map::new(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(wire::Application {
        application_id: id(app.id.as_str())?,
        aggregator_id: Some(AGGREGATOR_ID.to_owned()),
        customer_id: id(&app.customer_id)?,
        reference: wire::CommonReference::new(&*app.reference).map_err(gap)?,
        status: wire_status(app.status),
        outcome: app
            .outcome
            .map_or(Tristate::Null, |o| Tristate::Value(journey_outcome(o))),
        entity_applications,
        dts_created_at: Some(wire::Timestamp::new(format_timestamp(app.created_at)).map_err(gap)?),
        additional_properties: Map::new(),
    })
}

fn wire_status(status: Journey) -> wire::JourneyStatus {
    match status {
        Journey::PendingStepUp => wire::JourneyStatus::PendingStepUp,
        Journey::Running => wire::JourneyStatus::Running,
        Journey::WaitingReview => wire::JourneyStatus::WaitingReview,
        Journey::Completed => wire::JourneyStatus::Completed,
    }
}

fn id(value: &str) -> Result<wire::CommonId, ApiError> {
    wire::CommonId::new(value).map_err(gap)
}

/// A value the schema accepted that the generated type refuses: the two disagree, which the
/// client sees as a readable 400 rather than a panic.
pub(super) fn gap(e: impl std::fmt::Display) -> ApiError {
    ApiError::InvalidBody(format!(
        "the contract's types refuse a value the schema accepted: {e}"
    ))
}

/// `{"code":"0","data":<application>,"requestId"}`, the body of identification, status,
/// update and the review control (one shape: the three response documents are alike).
///
/// Written by hand, like the KYC envelope: building the generated `AkepaStatusResponse`
/// re-checks every id and the reference against their patterns and serializes through
/// `flatten`'s map path, which cost the identification more than the rest of its handler.
/// The test `the_fast_answer_is_the_generated_answer` holds the two byte-identical for every
/// status, outcome and entity count; [`generated_answer`] is that reference.
pub(super) fn application_answer(app: &Application, request_id: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + 112 * app.entities.len());
    out.extend_from_slice(br#"{"code":"0","data":{"applicationId":"#);
    json_str(&mut out, app.id.as_str());
    out.extend_from_slice(br#","aggregatorId":"#);
    json_str(&mut out, AGGREGATOR_ID);
    out.extend_from_slice(br#","customerId":"#);
    json_str(&mut out, &app.customer_id);
    out.extend_from_slice(br#","reference":"#);
    json_str(&mut out, &app.reference);
    out.extend_from_slice(br#","status":""#);
    out.extend_from_slice(wire_status(app.status).as_str().as_bytes());
    out.extend_from_slice(br#"","outcome":"#);
    let journey = app.outcome.map(journey_outcome);
    write_nullable(&mut out, journey.as_ref().map(wire::JourneyOutcome::as_str));
    out.extend_from_slice(br#","entityApplications":["#);
    for (i, e) in app.entities.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(br#"{"entityId":"#);
        json_str(&mut out, &e.entity_id);
        out.extend_from_slice(if e.is_customer {
            br#","isCustomer":true,"status":""#.as_slice()
        } else {
            br#","isCustomer":false,"status":""#.as_slice()
        });
        out.extend_from_slice(wire_status(app.status).as_str().as_bytes());
        out.extend_from_slice(br#"","outcome":"#);
        let entity = app.outcome.map(entity_outcome);
        write_nullable(&mut out, entity.as_ref().map(wire::EntityOutcome::as_str));
        out.push(b'}');
    }
    out.extend_from_slice(br#"],"dtsCreatedAt":""#);
    write_timestamp(&mut out, app.created_at);
    out.extend_from_slice(br#""},"requestId":"#);
    json_str(&mut out, request_id);
    out.push(b'}');
    out
}

/// An outcome as the journey spells it.
fn journey_outcome(outcome: Outcome) -> wire::JourneyOutcome {
    match outcome {
        Outcome::Approved => wire::JourneyOutcome::Approved,
        Outcome::Denied => wire::JourneyOutcome::Denied,
    }
}

/// An outcome as an entity application spells it (the contract uses lower case there).
fn entity_outcome(outcome: Outcome) -> wire::EntityOutcome {
    match outcome {
        Outcome::Approved => wire::EntityOutcome::Approved,
        Outcome::Denied => wire::EntityOutcome::Denied,
    }
}

/// A string that is `null` while absent (an outcome until completion).
fn write_nullable(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(value) => json_str(out, value),
        None => out.extend_from_slice(b"null"),
    }
}

/// [`application_answer`] built from the generated types: the reference the fast path is
/// held to.
#[cfg(test)]
fn generated_answer(app: &Application, request_id: &str) -> Result<Vec<u8>, ApiError> {
    let answer = wire::AkepaStatusResponse {
        code: wire::SuccessCode,
        data: wire_application(app)?,
        request_id: Some(wire::RequestId::new(request_id).map_err(gap)?),
        additional_properties: Map::new(),
    };
    serde_json::to_vec(&answer).map_err(gap)
}

pub(super) fn document_answer(doc: &Document, request_id: &str) -> Result<Vec<u8>, ApiError> {
    let mut data: wire::AkepaDocument =
        serde_json::from_value(doc.generated.clone()).map_err(gap)?;
    data.id = id(&doc.id)?;
    data.uploaded = doc.uploaded.is_some();
    let answer = wire::AkepaDocumentUploadResponse {
        code: wire::SuccessCode,
        data,
        request_id: Some(wire::RequestId::new(request_id).map_err(gap)?),
        additional_properties: Map::new(),
    };
    serde_json::to_vec(&answer).map_err(gap)
}

pub(super) fn webhook_body(app: &Application, request_id: &str) -> Result<Vec<u8>, ApiError> {
    let data = wire_application(app)?;
    let body = wire::AkepaWebhook {
        code: wire::SuccessCode,
        data: wire::AkepaWebhookData {
            application_id: data.application_id,
            aggregator_id: AGGREGATOR_ID.to_owned(),
            customer_id: data.customer_id,
            reference: data.reference,
            status: data.status,
            outcome: data.outcome,
            entity_applications: data.entity_applications,
            additional_properties: Map::new(),
        },
        request_id: Some(wire::RequestId::new(request_id).map_err(gap)?),
        additional_properties: Map::new(),
    };
    serde_json::to_vec(&body).map_err(gap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::akepa::application::tests::{application, template};
    use crate::kyc::KycStatus;

    /// The hand-written answer is byte for byte what serializing the generated
    /// `AkepaStatusResponse` writes: every journey status, both outcomes and none, a customer
    /// alone and two representatives.
    #[test]
    fn the_fast_answer_is_the_generated_answer() {
        let mut checked = 0;
        for representatives in [&[][..], &["csta_rep1", "csta_rep2"][..]] {
            let t = template(1, &[KycStatus::Pending], representatives);
            // The contract's references are alphanumeric, so none needs escaping.
            for reference in ["ref1", "R2D2", "ABCxyz0123456789"] {
                let mut app = application(&t, "cstap_x");
                app.reference = reference.into();
                app.created_at = 1_700_000_000_123;
                for status in [
                    Journey::PendingStepUp,
                    Journey::Running,
                    Journey::WaitingReview,
                    Journey::Completed,
                ] {
                    for outcome in [None, Some(Outcome::Approved), Some(Outcome::Denied)] {
                        app.status = status;
                        app.outcome = outcome;
                        let request_id = "2e4d99a0cc3311eebb061f991c0df212";
                        let fast = application_answer(&app, request_id);
                        let generated = generated_answer(&app, request_id).expect("valid values");
                        assert_eq!(
                            String::from_utf8_lossy(&fast),
                            String::from_utf8_lossy(&generated),
                            "{status:?} {outcome:?} {reference:?} {representatives:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 2 * 3 * 4 * 3);
    }
}
