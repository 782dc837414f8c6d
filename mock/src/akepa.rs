//! The `/akepa` identification journey of the mock: applications (`iapp_…`) with a journey
//! status and outcome and one entity application per entity (the customer; for a business,
//! each representative), documents generated and uploaded by the client and linked to an
//! entity with `/akepa/update`.
//!
//! The journey reuses the customer's KYC template, so a customer behaves alike on both API
//! generations: its documents decide how many an entity must send (a licence: front and back),
//! and its path after the data (the triggers of `triggers.rs`, `WaitReview` among them) maps
//! status by status: PENDING is `running`, REVIEW is `waiting_review`, APPROVED and DECLINED
//! are `completed` with the outcome `Approved` or `Denied`. A path that ends in REVIEW (the
//! documented `WaitReview`) waits there for a decision through the mock-only review control.
//!
//! Changes made in answer to a request are in that answer and send no callback; only the
//! asynchronous ones (a timed step, a review decision) do, as connectFi's webhook page says.

use kyc_spec::generated::{self as wire, Tristate};
use serde_json::{Map, Value};

use super::clock::{Millis, format_timestamp, parse_timestamp, write_timestamp};
use super::envelope::json_str;
use super::error::{AGGREGATOR_ID, ApiError};
use super::kyc::{Delays, KycStatus, Template};
use super::state::{HashMap, MockState};

/// A journey status the mock's applications take (the contract lists more, which the mock
/// never enters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Journey {
    /// Documents are expected (`pending_step_up`).
    PendingStepUp,
    /// The check runs (`running`).
    Running,
    /// A person reviews the application (`waiting_review`).
    WaitingReview,
    /// Decided (`completed`); see the outcome.
    Completed,
}

/// How a completed application or entity ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Passed.
    Approved,
    /// Failed.
    Denied,
}

/// A document the client generated: its slot, and the file once uploaded.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Document {
    /// `doc_…`.
    pub id: String,
    /// The generate request, as sent (echoed in answers).
    pub generated: Value,
    /// Extension of the uploaded file, once there is one.
    pub uploaded: Option<String>,
    /// The entity it was linked to with `/akepa/update`.
    pub entity: Option<String>,
}

/// One entity's part of an application.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entity {
    /// The customer's id, or a representative's.
    pub entity_id: String,
    /// Whether the entity is the customer itself.
    pub is_customer: bool,
    /// Documents still wanted from this entity.
    pub wanted: usize,
    /// Documents linked to it, in order.
    pub documents: Vec<String>,
}

/// One identification application.
#[derive(Clone, Debug)]
pub(crate) struct Application {
    /// `iapp_…`.
    pub id: String,
    /// The customer it identifies.
    pub customer_id: String,
    /// The client's reference, as sent.
    pub reference: String,
    /// When it was created.
    pub created_at: Millis,
    /// Where it stands.
    pub status: Journey,
    /// Set once completed.
    pub outcome: Option<Outcome>,
    /// The entities, the customer's first.
    pub entities: Vec<Entity>,
    /// Where asynchronous changes are POSTed (already passed the allowlist).
    /// Boxed: most applications have none, and a load test keeps hundreds of thousands.
    pub webhook_url: Option<Box<url::Url>>,
    /// The statuses after the data, from the customer's template.
    path: Box<[KycStatus]>,
    /// Index into `path` once the documents are in.
    step: usize,
    /// When the current status was entered.
    entered_at: Millis,
}

/// A review decision asked of an application that is not waiting for one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NotInReview;

impl Application {
    /// A new application for a customer: `pending_step_up` while any entity owes documents,
    /// else straight to the first status of its path.
    pub(crate) fn new(
        id: String,
        template: &Template,
        customer_id: &str,
        reference: String,
        now: Millis,
    ) -> Application {
        let wanted = template.documents.len();
        let entities = if template.representatives.is_empty() {
            vec![Entity {
                entity_id: customer_id.to_owned(),
                is_customer: true,
                wanted,
                documents: vec![],
            }]
        } else {
            template
                .representatives
                .iter()
                .map(|id| Entity {
                    entity_id: id.clone(),
                    is_customer: false,
                    wanted,
                    documents: vec![],
                })
                .collect()
        };
        let mut app = Application {
            id,
            customer_id: customer_id.to_owned(),
            reference,
            created_at: now,
            status: Journey::PendingStepUp,
            outcome: None,
            entities,
            webhook_url: None,
            path: template.after_data.as_slice().into(),
            step: 0,
            entered_at: now,
        };
        app.on_documents(now);
        app
    }

    /// Whether `entity_id` is one of the application's entities.
    pub(crate) fn has_entity(&self, entity_id: &str) -> bool {
        self.entities.iter().any(|e| e.entity_id == entity_id)
    }

    /// Links an uploaded document to an entity (the caller checked both exist and the
    /// application is not completed). A document linked again is not counted twice.
    pub(crate) fn link(&mut self, entity_id: &str, document_id: &str) {
        if let Some(entity) = self.entities.iter_mut().find(|e| e.entity_id == entity_id)
            && !entity.documents.iter().any(|d| d == document_id)
        {
            entity.documents.push(document_id.to_owned());
            entity.wanted = entity.wanted.saturating_sub(1);
        }
    }

    /// Leaves `pending_step_up` once no entity owes a document; true when the status changed.
    pub(crate) fn on_documents(&mut self, now: Millis) -> bool {
        if self.status != Journey::PendingStepUp || self.entities.iter().any(|e| e.wanted > 0) {
            return false;
        }
        self.step = 0;
        self.enter(now);
        true
    }

    fn enter(&mut self, now: Millis) {
        let (status, outcome) = journey_of(self.path[self.step]);
        self.status = status;
        self.outcome = outcome;
        self.entered_at = now;
    }

    /// When the current status is due to be left, if it ever is on its own.
    pub(crate) fn next_due(&self, delays: &Delays) -> Option<Millis> {
        let last = self.step + 1 >= self.path.len();
        let leaving = match self.status {
            Journey::Running => delays.pending,
            Journey::WaitingReview => delays.review,
            Journey::PendingStepUp | Journey::Completed => return None,
        };
        if last {
            return None;
        }
        Some(
            self.entered_at
                .saturating_add(u64::try_from(leaving.as_millis()).unwrap_or(u64::MAX)),
        )
    }

    /// Takes one timed step if due at `now`; true when the status changed (call until false).
    pub(crate) fn step_if_due(&mut self, now: Millis, delays: &Delays) -> bool {
        match self.next_due(delays) {
            Some(due) if due <= now => {
                self.step += 1;
                self.enter(due);
                true
            }
            _ => false,
        }
    }

    /// A person's decision on an application in `waiting_review`.
    pub(crate) fn decide(&mut self, outcome: Outcome, now: Millis) -> Result<(), NotInReview> {
        if self.status != Journey::WaitingReview {
            return Err(NotInReview);
        }
        self.status = Journey::Completed;
        self.outcome = Some(outcome);
        self.step = self.path.len().saturating_sub(1);
        self.entered_at = now;
        Ok(())
    }
}

/// The journey status and outcome a KYC status stands for.
fn journey_of(status: KycStatus) -> (Journey, Option<Outcome>) {
    match status {
        KycStatus::WaitingData => (Journey::PendingStepUp, None),
        KycStatus::Pending => (Journey::Running, None),
        KycStatus::Review => (Journey::WaitingReview, None),
        KycStatus::Approved => (Journey::Completed, Some(Outcome::Approved)),
        KycStatus::Declined => (Journey::Completed, Some(Outcome::Denied)),
    }
}

/// Every application and generated document of one mock.
#[derive(Debug, Default)]
pub(crate) struct Akepa {
    /// Applications by id (hashed: a load test creates hundreds of thousands, and ordered maps
    /// of random ids spent their time comparing strings). Boxed, so that when the map grows it
    /// moves pointers rather than whole applications: the growth of a map of 400,000 inline
    /// applications stalled one request for over 100 ms.
    pub applications: HashMap<String, Box<Application>>,
    /// Each customer's application ids, oldest first.
    pub by_customer: HashMap<String, Vec<String>>,
    /// Generated documents by id.
    pub documents: HashMap<String, Document>,
    /// When each application with a timed step next falls due: only these are looked at when
    /// catching up, so a request costs the same with a million applications as with one.
    schedule: std::collections::BTreeSet<(Millis, String)>,
}

impl Akepa {
    /// Adds an application.
    pub(crate) fn insert(&mut self, app: Application, delays: &Delays) {
        // Known customers (every call after their first) cost no copy of the key.
        match self.by_customer.get_mut(&app.customer_id) {
            Some(ids) => ids.push(app.id.clone()),
            None => {
                self.by_customer
                    .insert(app.customer_id.clone(), vec![app.id.clone()]);
            }
        }
        self.reschedule(&app, delays);
        self.applications.insert(app.id.clone(), Box::new(app));
    }

    /// Notes when `app` next moves on its own (after any change to it).
    pub(crate) fn reschedule(&mut self, app: &Application, delays: &Delays) {
        if let Some(due) = app.next_due(delays) {
            self.schedule.insert((due, app.id.clone()));
        }
    }

    /// A customer's applications, oldest first.
    pub(crate) fn of_customer(&self, customer_id: &str) -> Vec<&Application> {
        self.by_customer
            .get(customer_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.applications.get(id).map(|a| &**a))
            .collect()
    }

    /// Applies every timed step due by `now`; returns the ids of the applications that
    /// changed, once per change, in order (each change is one callback).
    pub(crate) fn catch_up(&mut self, now: Millis, delays: &Delays) -> Vec<String> {
        let mut changed = Vec::new();
        while let Some((due, _)) = self.schedule.first()
            && *due <= now
        {
            let Some((_, id)) = self.schedule.pop_first() else {
                break;
            };
            let Some(app) = self.applications.get_mut(&id) else {
                continue;
            };
            // A stale entry (the application moved on by a request since) steps nothing.
            while app.step_if_due(now, delays) {
                changed.push(id.clone());
            }
            if let Some(next) = app.next_due(delays) {
                self.schedule.insert((next, id));
            }
        }
        changed
    }
}

/// The application as the contract's type.
fn wire_application(app: &Application) -> Result<wire::Application, ApiError> {
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
        application_id: id(&app.id)?,
        aggregator_id: Some(AGGREGATOR_ID.to_owned()),
        customer_id: id(&app.customer_id)?,
        reference: wire::CommonReference::new(app.reference.as_str()).map_err(gap)?,
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
fn gap(e: impl std::fmt::Display) -> ApiError {
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
fn application_answer(app: &Application, request_id: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + 112 * app.entities.len());
    out.extend_from_slice(br#"{"code":"0","data":{"applicationId":"#);
    json_str(&mut out, &app.id);
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

fn document_answer(doc: &Document, request_id: &str) -> Result<Vec<u8>, ApiError> {
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

fn webhook_body(app: &Application, request_id: &str) -> Result<Vec<u8>, ApiError> {
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

/// `dateCreateFrom`/`dateCreateTo` as an instant: a date alone is its first millisecond (UTC).
fn instant(value: &str) -> Option<Millis> {
    if value.len() == 10 {
        return parse_timestamp(&format!("{value}T00:00:00.000Z"));
    }
    parse_timestamp(value)
}

impl MockState {
    /// `POST /akepa/identification`: a new application for a customer the mock knows.
    pub(crate) fn akepa_identification(
        &self,
        request: wire::AkepaIdentificationRequest,
    ) -> Result<Vec<u8>, ApiError> {
        let customer_id = request.customer_id.as_str();
        let (template, _) = self
            .lookup(customer_id)
            .ok_or_else(|| ApiError::CustomerNotFound(customer_id.to_owned()))?;
        let webhook_url = match &request.webhook_url {
            Tristate::Value(url) if !url.as_str().is_empty() => {
                match self.config().webhook_allowlist.check(url.as_str()) {
                    Ok(url) => Some(Box::new(url)),
                    Err(refusal) => {
                        tracing::warn!(customer_id, %refusal, "webhookUrl refused; no callbacks will be sent");
                        None
                    }
                }
            }
            _ => None,
        };
        let now = self.clock().now();
        let app_id = self.ids().prefixed("iapp_", 22);
        let customer_id = customer_id.to_owned();
        let mut app = Application::new(
            app_id,
            &template,
            &customer_id,
            request.reference.into_inner(),
            now,
        );
        app.webhook_url = webhook_url;
        let body = application_answer(&app, &self.request_id());
        // One lock for the catch-up and the insertion: every identification takes it, from
        // both worker threads. The catch-up only moves older applications, so it may as
        // well happen after this one was built.
        let delays = self.config().delays;
        let hooks = {
            let mut akepa = self.akepa();
            let hooks = self.catch_up_locked(&mut akepa, now);
            akepa.insert(app, &delays);
            hooks
        };
        for (url, body) in hooks {
            self.send_webhook(url, body);
        }
        Ok(body)
    }

    /// `POST /akepa/status`.
    pub(crate) fn akepa_status(
        &self,
        request: wire::AkepaStatusRequest,
    ) -> Result<Vec<u8>, ApiError> {
        self.akepa_catch_up();
        let customer_id = request.customer_id.as_str();
        self.known(customer_id)?;
        let akepa = self.akepa();
        let app = akepa
            .applications
            .get(request.application_id.as_str())
            .filter(|a| a.customer_id == customer_id)
            .ok_or_else(|| {
                ApiError::ApplicationNotFound(request.application_id.as_str().to_owned())
            })?;
        Ok(application_answer(app, &self.request_id()))
    }

    /// `GET /akepa/status/:customerId`: the customer's latest application.
    pub(crate) fn akepa_status_by_customer(&self, customer_id: &str) -> Result<Vec<u8>, ApiError> {
        self.akepa_catch_up();
        self.known(customer_id)?;
        let akepa = self.akepa();
        let latest = akepa.of_customer(customer_id).into_iter().last();
        // No application to name: the context says whose was asked for (DECISIONS.md).
        let app = latest.ok_or_else(|| ApiError::ApplicationNotFound(customer_id.to_owned()))?;
        Ok(application_answer(app, &self.request_id()))
    }

    /// `POST /akepa/list`: oldest first, filtered by creation time, paged.
    pub(crate) fn akepa_list(&self, request: wire::AkepaListRequest) -> Result<Vec<u8>, ApiError> {
        self.akepa_catch_up();
        let customer_id = request.customer_id.as_str();
        self.known(customer_id)?;
        let from = match &request.date_create_from {
            Tristate::Value(d) => instant(d.as_str()),
            _ => None,
        };
        let to = match &request.date_create_to {
            Tristate::Value(d) => instant(d.as_str()),
            _ => None,
        };
        let skip = match request.skip_records {
            Tristate::Value(n) => usize::try_from(n.get()).unwrap_or(usize::MAX),
            _ => 0,
        };
        let take = request
            .number_of_records
            .map_or(1000, |n| usize::try_from(n.get()).unwrap_or(1000));
        let akepa = self.akepa();
        let matching: Vec<&Application> = akepa
            .of_customer(customer_id)
            .into_iter()
            .filter(|a| {
                from.is_none_or(|f| a.created_at >= f) && to.is_none_or(|t| a.created_at <= t)
            })
            .collect();
        let page: Vec<wire::Application> = matching
            .iter()
            .skip(skip)
            .take(take)
            .map(|a| wire_application(a))
            .collect::<Result<_, _>>()?;
        let answer = wire::AkepaListResponse {
            code: wire::SuccessCode,
            data: wire::AkepaApplicationList {
                more: matching.len() > skip.saturating_add(page.len()),
                applications: page,
                additional_properties: Map::new(),
            },
            request_id: Some(wire::RequestId::new(self.request_id()).map_err(gap)?),
            additional_properties: Map::new(),
        };
        serde_json::to_vec(&answer).map_err(gap)
    }

    /// `POST /akepa/document/generate`: a document slot the client will fill.
    pub(crate) fn akepa_generate(
        &self,
        request: wire::AkepaDocumentGenerateRequest,
    ) -> Result<Vec<u8>, ApiError> {
        let doc_id = format!("doc_{}", self.ids().base62(22));
        let mut generated = serde_json::to_value(&request).map_err(gap)?;
        if let Value::Object(map) = &mut generated {
            // The author's e-mail is the request's business, not the document's.
            map.remove("note_author_agent_email");
            map.insert("id".to_owned(), Value::String(doc_id.clone()));
            map.insert("uploaded".to_owned(), Value::Bool(false));
        }
        let doc = Document {
            id: doc_id,
            generated,
            uploaded: None,
            entity: None,
        };
        let body = document_answer(&doc, &self.request_id())?;
        self.akepa().documents.insert(doc.id.clone(), doc);
        Ok(body)
    }

    /// `POST /akepa/document/upload/:documentId`: the file of a generated document.
    pub(crate) fn akepa_upload(
        &self,
        document_id: &str,
        extension: &str,
    ) -> Result<Vec<u8>, ApiError> {
        let mut akepa = self.akepa();
        let doc = akepa
            .documents
            .get_mut(document_id)
            .ok_or_else(|| ApiError::DocumentNotFound(document_id.to_owned()))?;
        doc.uploaded = Some(extension.to_owned());
        document_answer(doc, &self.request_id())
    }

    /// `POST /akepa/update`: links uploaded documents to entities; the application moves on
    /// once every entity has its documents. Answered in the response, so no callback.
    pub(crate) fn akepa_update(
        &self,
        request: wire::AkepaUpdateRequest,
    ) -> Result<Vec<u8>, ApiError> {
        self.akepa_catch_up();
        let customer_id = request.customer_id.as_str();
        self.known(customer_id)?;
        let now = self.clock().now();
        let links: &[wire::DocumentLink] = request.documents.as_slice();
        let mut akepa = self.akepa();
        let app_id = request.application_id.as_str();
        let app = akepa
            .applications
            .get(app_id)
            .filter(|a| a.customer_id == customer_id)
            .ok_or_else(|| ApiError::ApplicationNotFound(app_id.to_owned()))?;
        if app.status == Journey::Completed {
            return Err(ApiError::StatusApplicationEntity(app_id.to_owned()));
        }
        // Every link is checked before any is made, so a refused request changes nothing.
        for link in links.iter() {
            let doc = akepa
                .documents
                .get(link.document_id.as_str())
                .ok_or_else(|| ApiError::DocumentNotFound(link.document_id.as_str().to_owned()))?;
            if doc.uploaded.is_none() {
                return Err(ApiError::FileNotFound(doc.id.clone()));
            }
            if !app.has_entity(link.entity_id.as_str()) {
                return Err(ApiError::CustomerNotFound(
                    link.entity_id.as_str().to_owned(),
                ));
            }
        }
        for link in links.iter() {
            if let Some(doc) = akepa.documents.get_mut(link.document_id.as_str()) {
                doc.entity = Some(link.entity_id.as_str().to_owned());
            }
        }
        let app = akepa
            .applications
            .get_mut(app_id)
            .ok_or_else(|| ApiError::ApplicationNotFound(app_id.to_owned()))?;
        for link in links.iter() {
            app.link(link.entity_id.as_str(), link.document_id.as_str());
        }
        app.on_documents(now);
        let next = app
            .next_due(&self.config().delays)
            .map(|due| (due, app.id.clone()));
        let body = application_answer(app, &self.request_id());
        akepa.schedule.extend(next);
        Ok(body)
    }

    /// `POST /_mock/akepa/review` (mock only): a person's decision on an application in
    /// `waiting_review`. For the client the change is asynchronous, so it is called back.
    pub(crate) fn akepa_review(
        &self,
        request: wire::MockAkepaReviewRequest,
    ) -> Result<Vec<u8>, ApiError> {
        self.akepa_catch_up();
        let outcome = match request.outcome {
            wire::JourneyOutcome::Approved => Outcome::Approved,
            wire::JourneyOutcome::Denied => Outcome::Denied,
            _ => {
                return Err(ApiError::InvalidBody(
                    "the outcome must be Approved or Denied".to_owned(),
                ));
            }
        };
        let now = self.clock().now();
        let app_id = request.application_id.as_str();
        let (body, hook) = {
            let mut akepa = self.akepa();
            let app = akepa
                .applications
                .get_mut(app_id)
                .ok_or_else(|| ApiError::ApplicationNotFound(app_id.to_owned()))?;
            app.decide(outcome, now)
                .map_err(|NotInReview| ApiError::StatusApplicationEntity(app_id.to_owned()))?;
            let hook = match &app.webhook_url {
                Some(url) => Some((url.as_ref().clone(), webhook_body(app, &self.request_id())?)),
                None => None,
            };
            (application_answer(app, &self.request_id()), hook)
        };
        if let Some((url, hook)) = hook {
            self.send_webhook(url, hook);
        }
        Ok(body)
    }

    /// Applies every timed akepa step that fell due and calls back each change.
    pub(crate) fn akepa_catch_up(&self) {
        let now = self.clock().now();
        let hooks = self.catch_up_locked(&mut self.akepa(), now);
        for (url, body) in hooks {
            self.send_webhook(url, body);
        }
    }

    /// The catch-up under a lock the caller holds: the callbacks to send once it is released.
    fn catch_up_locked(&self, akepa: &mut Akepa, now: Millis) -> Vec<(url::Url, Vec<u8>)> {
        let changed = akepa.catch_up(now, &self.config().delays);
        changed
            .iter()
            .filter_map(|app_id| {
                let app = akepa.applications.get(app_id)?;
                let url = app.webhook_url.as_deref()?.clone();
                Some((url, webhook_body(app, &self.request_id()).ok()?))
            })
            .collect()
    }

    fn known(&self, customer_id: &str) -> Result<(), ApiError> {
        self.lookup(customer_id)
            .map(|_| ())
            .ok_or_else(|| ApiError::CustomerNotFound(customer_id.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::{Value, json};

    use super::*;
    use crate::kyc::{DocumentSpec, DocumentType};

    fn template(docs: usize, after: &[KycStatus], representatives: &[&str]) -> Template {
        let Value::Object(person) = json!({"firstName": "A", "lastName": "B"}) else {
            unreachable!("an object literal")
        };
        Template {
            documents: (0..docs)
                .map(|_| DocumentSpec {
                    id: None,
                    kind: DocumentType::License,
                    document_side: None,
                    label: None,
                })
                .collect(),
            representatives: representatives.iter().map(|s| (*s).to_owned()).collect(),
            ..Template::new("cstap_x", "r1", person, after)
        }
    }

    const DELAYS: Delays = Delays {
        pending: Duration::from_millis(100),
        review: Duration::from_millis(1000),
    };

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
                let mut app = Application::new(
                    "iapp_1BGgJeDQJFo5MCup15zq9A".into(),
                    &t,
                    "cstap_x",
                    reference.into(),
                    1_700_000_000_123,
                );
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

    #[test]
    fn documents_move_the_journey_and_time_finishes_it() {
        use KycStatus::*;
        let t = template(2, &[Pending, Approved], &[]);
        let mut app = Application::new("iapp_1".into(), &t, "cstap_x", "ref1".into(), 0);
        assert_eq!(
            (app.status, app.entities.len()),
            (Journey::PendingStepUp, 1)
        );
        app.link("cstap_x", "doc_1");
        app.link("cstap_x", "doc_1");
        assert!(!app.on_documents(10), "one document twice is still one");
        app.link("cstap_x", "doc_2");
        assert!(app.on_documents(10));
        assert_eq!(
            (app.status, app.next_due(&DELAYS)),
            (Journey::Running, Some(110))
        );
        assert!(app.step_if_due(200, &DELAYS));
        assert_eq!(
            (app.status, app.outcome),
            (Journey::Completed, Some(Outcome::Approved))
        );
        assert!(!app.step_if_due(u64::MAX, &DELAYS));
    }

    #[test]
    fn wait_review_waits_for_a_decision() {
        let t = template(0, &[KycStatus::Review], &[]);
        let mut app = Application::new("iapp_1".into(), &t, "cstap_x", "ref1".into(), 0);
        assert_eq!(app.status, Journey::WaitingReview);
        assert_eq!(app.next_due(&DELAYS), None, "no one decides but a person");
        assert!(app.decide(Outcome::Denied, 5).is_ok());
        assert_eq!(
            (app.status, app.outcome),
            (Journey::Completed, Some(Outcome::Denied))
        );
        assert_eq!(app.decide(Outcome::Approved, 6), Err(NotInReview));
    }

    #[test]
    fn a_business_has_one_entity_per_representative_and_each_owes_its_documents() {
        let t = template(1, &[KycStatus::Approved], &["cstap_r1", "cstap_r2"]);
        let mut app = Application::new("iapp_1".into(), &t, "cstab_b", "ref1".into(), 0);
        let ids: Vec<_> = app.entities.iter().map(|e| e.entity_id.as_str()).collect();
        assert_eq!(ids, ["cstap_r1", "cstap_r2"]);
        assert!(app.entities.iter().all(|e| !e.is_customer));
        app.link("cstap_r1", "doc_1");
        assert!(
            !app.on_documents(1),
            "the second representative still owes one"
        );
        app.link("cstap_r2", "doc_2");
        assert!(app.on_documents(1));
        assert_eq!(app.outcome, Some(Outcome::Approved));
    }
}
