//! One identification application and its journey: the statuses it takes, the documents each
//! entity owes, the timed steps and the review decision. Pure data: the store holds many, the
//! handlers change them under their shard's lock.

use std::sync::Arc;

use super::store::AppId;
use crate::clock::Millis;
use crate::kyc::{Delays, KycStatus, Template};

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

/// One entity's part of an application.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entity {
    /// The customer's id (shared with the application's), or a representative's.
    pub entity_id: Arc<str>,
    /// Whether the entity is the customer itself.
    pub is_customer: bool,
    /// Documents still wanted from this entity.
    pub wanted: usize,
    /// Documents linked to it, in order.
    pub documents: Vec<String>,
}

/// An application's entities: the first inline, so that an individual's application (one
/// entity, the customer) allocates nothing for them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entities {
    first: Entity,
    rest: Vec<Entity>,
}

impl Entities {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Entity> {
        std::iter::once(&self.first).chain(&self.rest)
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut Entity> {
        std::iter::once(&mut self.first).chain(&mut self.rest)
    }

    pub(crate) fn len(&self) -> usize {
        1 + self.rest.len()
    }
}

/// One identification application.
///
/// Kept small, since a load test holds millions: the id inline, the customer id shared with
/// the store's index and the customer's entity, the customer's template by reference rather
/// than a copy of its path.
#[derive(Clone, Debug)]
pub(crate) struct Application {
    /// `iapp_…`.
    pub id: AppId,
    /// The customer it identifies.
    pub customer_id: Arc<str>,
    /// The client's reference, as sent.
    pub reference: Box<str>,
    /// When it was created.
    pub created_at: Millis,
    /// Where it stands.
    pub status: Journey,
    /// Set once completed.
    pub outcome: Option<Outcome>,
    /// The entities: the customer, or a business's representatives.
    pub entities: Entities,
    /// Where asynchronous changes are POSTed (already passed the allowlist).
    /// Boxed: most applications have none.
    pub webhook_url: Option<Box<url::Url>>,
    /// The customer's template: its `after_data` is the path after the documents.
    template: Arc<Template>,
    /// Index into the path once the documents are in.
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
        id: AppId,
        template: Arc<Template>,
        customer_id: Arc<str>,
        reference: Box<str>,
        now: Millis,
    ) -> Application {
        let wanted = template.documents.len();
        let entity = |entity_id: Arc<str>, is_customer| Entity {
            entity_id,
            is_customer,
            wanted,
            documents: vec![],
        };
        let entities = match template.representatives.split_first() {
            None => Entities {
                first: entity(customer_id.clone(), true),
                rest: vec![],
            },
            Some((first, rest)) => Entities {
                first: entity(entity_id(first), false),
                rest: rest.iter().map(|id| entity(entity_id(id), false)).collect(),
            },
        };
        let mut app = Application {
            id,
            customer_id,
            reference,
            created_at: now,
            status: Journey::PendingStepUp,
            outcome: None,
            entities,
            webhook_url: None,
            template,
            step: 0,
            entered_at: now,
        };
        app.on_documents(now);
        app
    }

    fn path(&self) -> &[KycStatus] {
        &self.template.after_data
    }

    /// Whether `entity_id` is one of the application's entities.
    pub(crate) fn has_entity(&self, entity_id: &str) -> bool {
        self.entities.iter().any(|e| &*e.entity_id == entity_id)
    }

    /// Links an uploaded document to an entity (the caller checked both exist and the
    /// application is not completed). A document linked again is not counted twice.
    pub(crate) fn link(&mut self, entity_id: &str, document_id: &str) {
        if let Some(entity) = self
            .entities
            .iter_mut()
            .find(|e| &*e.entity_id == entity_id)
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
        // A template's path is never empty (Template::check); an empty one would leave the
        // application waiting for documents forever rather than panic.
        let Some(&status) = self.path().get(self.step) else {
            return;
        };
        let (status, outcome) = journey_of(status);
        self.status = status;
        self.outcome = outcome;
        self.entered_at = now;
    }

    /// When the current status is due to be left, if it ever is on its own.
    pub(crate) fn next_due(&self, delays: &Delays) -> Option<Millis> {
        let last = self.step + 1 >= self.path().len();
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
        self.step = self.path().len().saturating_sub(1);
        self.entered_at = now;
        Ok(())
    }
}

/// The journey status and outcome a KYC status stands for.
/// The akepa entity id of a business representative: its id as `/customer/init` answered it,
/// each `-` written `_`. A representative's id follows the customer-id rule, which allows `-`
/// (DECISIONS.md D1), while the akepa endpoints' `CommonId` does not (D42).
pub(crate) fn entity_id(representative_id: &str) -> Arc<str> {
    if representative_id.contains('-') {
        representative_id.replace('-', "_").into()
    } else {
        representative_id.into()
    }
}

fn journey_of(status: KycStatus) -> (Journey, Option<Outcome>) {
    match status {
        KycStatus::WaitingData => (Journey::PendingStepUp, None),
        KycStatus::Pending => (Journey::Running, None),
        KycStatus::Review => (Journey::WaitingReview, None),
        KycStatus::Approved => (Journey::Completed, Some(Outcome::Approved)),
        KycStatus::Declined => (Journey::Completed, Some(Outcome::Denied)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::time::Duration;

    use serde_json::{Value, json};

    use super::*;
    use crate::kyc::{DocumentSpec, DocumentType};

    /// A template with `docs` licences, the given path and representatives.
    pub(crate) fn template(
        docs: usize,
        after: &[KycStatus],
        representatives: &[&str],
    ) -> Arc<Template> {
        let Value::Object(person) = json!({"firstName": "A", "lastName": "B"}) else {
            unreachable!("an object literal")
        };
        Arc::new(Template {
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
        })
    }

    /// An application of `customer` on `template` at time 0.
    pub(crate) fn application(template: &Arc<Template>, customer: &str) -> Application {
        let id = AppId::parse("iapp_1BGgJeDQJFo5MCup15zq9A").expect("an id of the mock's shape");
        Application::new(id, template.clone(), customer.into(), "ref1".into(), 0)
    }

    const DELAYS: Delays = Delays {
        pending: Duration::from_millis(100),
        review: Duration::from_millis(1000),
    };

    #[test]
    fn documents_move_the_journey_and_time_finishes_it() {
        use KycStatus::*;
        let mut app = application(&template(2, &[Pending, Approved], &[]), "cstap_x");
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
        let mut app = application(&template(0, &[KycStatus::Review], &[]), "cstap_x");
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
        let mut app = application(&t, "cstab_b");
        let ids: Vec<_> = app.entities.iter().map(|e| &*e.entity_id).collect();
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

    #[test]
    fn a_hyphen_in_a_representative_id_is_an_underscore_in_its_entity_id() {
        let t = template(0, &[KycStatus::Approved], &["c1x-wC3Buf", "-", "r_1"]);
        let app = application(&t, "cstab_b");
        let ids: Vec<_> = app.entities.iter().map(|e| &*e.entity_id).collect();
        assert_eq!(ids, ["c1x_wC3Buf", "_", "r_1"]);
    }
}
