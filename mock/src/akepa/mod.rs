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
//!
//! Module map: `application` one application's journey, `store` where they live (sharded by
//! customer), `answer` what the endpoints write; the handlers are below.

mod answer;
mod application;
mod store;

use kyc_spec::generated::{self as wire, Tristate};
use serde_json::Value;

pub(crate) use store::Akepa;

use answer::{application_answer, document_answer, gap, webhook_body};
use application::{Application, Journey, NotInReview, Outcome};
use store::{AppId, Document};

use crate::clock::{Millis, parse_timestamp};
use crate::error::ApiError;
use crate::state::MockState;

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
        // Older applications' timed steps first: their callbacks go out in order.
        self.akepa_catch_up();
        let now = self.clock().now();
        let delays = self.config().delays;
        let akepa = self.akepa();
        let reference = request.reference.into_inner().into_boxed_str();
        let body =
            akepa
                .customer_shard(customer_id)
                .create(customer_id, self.ids(), |id, customer| {
                    let mut app = Application::new(id, template, customer, reference, now);
                    app.webhook_url = webhook_url;
                    akepa.schedule(&app, &delays);
                    let body = application_answer(&app, &self.ids().request_id());
                    (app, body)
                });
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
        let not_found =
            || ApiError::ApplicationNotFound(request.application_id.as_str().to_owned());
        let id = AppId::parse(request.application_id.as_str()).ok_or_else(not_found)?;
        let mut callbacks = Callbacks::new(self);
        let mut shard = self.akepa().application_shard(&id).ok_or_else(not_found)?;
        let (now, delays) = (self.clock().now(), self.config().delays);
        shard.step_due(&id, now, &delays, &mut |app| callbacks.changed(app));
        let app = shard.of(customer_id, &id).ok_or_else(not_found)?;
        Ok(application_answer(app, &self.ids().request_id()))
    }

    /// `GET /akepa/status/:customerId`: the customer's latest application.
    pub(crate) fn akepa_status_by_customer(&self, customer_id: &str) -> Result<Vec<u8>, ApiError> {
        self.akepa_catch_up();
        self.known(customer_id)?;
        let mut callbacks = Callbacks::new(self);
        let mut shard = self.akepa().customer_shard(customer_id);
        let (now, delays) = (self.clock().now(), self.config().delays);
        // Only the latest is read, so only it is stepped (the ticker steps the others).
        if let Some(id) = shard.latest_of(customer_id).map(|a| a.id) {
            shard.step_due(&id, now, &delays, &mut |app| callbacks.changed(app));
        }
        let latest = shard.latest_of(customer_id);
        // No application to name: the context says whose was asked for (DECISIONS.md).
        let app = latest.ok_or_else(|| ApiError::ApplicationNotFound(customer_id.to_owned()))?;
        Ok(application_answer(app, &self.ids().request_id()))
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
        let mut callbacks = Callbacks::new(self);
        let mut shard = self.akepa().customer_shard(customer_id);
        let (now, delays) = (self.clock().now(), self.config().delays);
        shard.step_customer(customer_id, now, &delays, &mut |app| callbacks.changed(app));
        let matching: Vec<&Application> = shard
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
            .map(|a| answer::wire_application(a))
            .collect::<Result<_, _>>()?;
        let answer = wire::AkepaListResponse {
            code: wire::SuccessCode,
            data: wire::AkepaApplicationList {
                more: matching.len() > skip.saturating_add(page.len()),
                applications: page,
                additional_properties: serde_json::Map::new(),
            },
            request_id: Some(wire::RequestId::new(self.request_id()).map_err(gap)?),
            additional_properties: serde_json::Map::new(),
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
        self.akepa().documents().insert(doc.id.clone(), doc);
        Ok(body)
    }

    /// `POST /akepa/document/upload/:documentId`: the file of a generated document.
    pub(crate) fn akepa_upload(
        &self,
        document_id: &str,
        extension: &str,
    ) -> Result<Vec<u8>, ApiError> {
        let akepa = self.akepa();
        let mut documents = akepa.documents();
        let doc = documents
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
        let app_id = request.application_id.as_str();
        let not_found = || ApiError::ApplicationNotFound(app_id.to_owned());
        let id = AppId::parse(app_id).ok_or_else(not_found)?;
        let akepa = self.akepa();
        let delays = self.config().delays;
        let mut callbacks = Callbacks::new(self);
        // The documents' lock before the shard's, as everywhere.
        let mut documents = akepa.documents();
        let mut shard = akepa.application_shard(&id).ok_or_else(not_found)?;
        shard.step_due(&id, now, &delays, &mut |app| callbacks.changed(app));
        let app = shard.of(customer_id, &id).ok_or_else(not_found)?;
        if app.status == Journey::Completed {
            return Err(ApiError::StatusApplicationEntity(app_id.to_owned()));
        }
        // Every link is checked before any is made, so a refused request changes nothing.
        for link in links.iter() {
            let doc = documents
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
            if let Some(doc) = documents.get_mut(link.document_id.as_str()) {
                doc.entity = Some(link.entity_id.as_str().to_owned());
            }
        }
        drop(documents);
        let app = shard.get_mut(&id).ok_or_else(not_found)?;
        for link in links.iter() {
            app.link(link.entity_id.as_str(), link.document_id.as_str());
        }
        app.on_documents(now);
        akepa.schedule(app, &delays);
        Ok(application_answer(app, &self.ids().request_id()))
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
        let not_found = || ApiError::ApplicationNotFound(app_id.to_owned());
        let id = AppId::parse(app_id).ok_or_else(not_found)?;
        let mut callbacks = Callbacks::new(self);
        let mut shard = self.akepa().application_shard(&id).ok_or_else(not_found)?;
        let delays = self.config().delays;
        shard.step_due(&id, now, &delays, &mut |app| callbacks.changed(app));
        let app = shard.get_mut(&id).ok_or_else(not_found)?;
        app.decide(outcome, now)
            .map_err(|NotInReview| ApiError::StatusApplicationEntity(app_id.to_owned()))?;
        callbacks.changed(app);
        Ok(application_answer(app, &self.ids().request_id()))
    }

    /// Applies every timed akepa step that fell due and calls back each change (after the
    /// locks are released).
    pub(crate) fn akepa_catch_up(&self) {
        let mut callbacks = Callbacks::new(self);
        self.akepa()
            .catch_up(self.clock().now(), &self.config().delays, |app| {
                callbacks.changed(app)
            });
    }

    fn known(&self, customer_id: &str) -> Result<(), ApiError> {
        self.lookup(customer_id)
            .map(|_| ())
            .ok_or_else(|| ApiError::CustomerNotFound(customer_id.to_owned()))
    }
}

/// The callbacks of the asynchronous changes a handler meets (timed steps, a review decision),
/// sent when it is dropped. Declared before the handler takes a shard's lock, it is dropped
/// after the lock is released, and it sends on an error return too: the steps it saw stand.
struct Callbacks<'a> {
    state: &'a MockState,
    queued: Vec<(url::Url, Vec<u8>)>,
}

impl<'a> Callbacks<'a> {
    fn new(state: &'a MockState) -> Callbacks<'a> {
        Callbacks {
            state,
            queued: Vec::new(),
        }
    }

    /// `app` just changed: its body as it stands now, for its webhook URL if it has one.
    fn changed(&mut self, app: &Application) {
        let Some(url) = app.webhook_url.as_deref() else {
            return;
        };
        match webhook_body(app, &self.state.ids().request_id()) {
            Ok(body) => self.queued.push((url.clone(), body)),
            Err(e) => tracing::warn!(
                application_id = app.id.as_str(),
                error = ?e,
                "no callback: the application does not fit its webhook document"
            ),
        }
    }
}

impl Drop for Callbacks<'_> {
    fn drop(&mut self) {
        for (url, body) in self.queued.drain(..) {
            self.state.send_webhook(url, body);
        }
    }
}
