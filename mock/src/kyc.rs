//! One customer's KYC process: what it asks for, what has arrived, and the state machine
//! WAITING_DATA → (documents and attributes in) → PENDING → REVIEW → APPROVED / DECLINED.
//!
//! A [`Template`] describes a customer as configured (built in or from a scenarios file); a
//! [`KycRecord`] is the live process, created the first time a KYC endpoint names the customer.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::clock::Millis;

/// Where a customer's KYC process stands (the values `kyc.status` and `kycStatus` take).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KycStatus {
    /// Documents or attributes are still wanted from the client.
    WaitingData,
    /// The check runs; nothing more is wanted.
    Pending,
    /// A person reviews the customer.
    Review,
    /// Passed.
    Approved,
    /// Failed.
    Declined,
}

impl KycStatus {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            KycStatus::WaitingData => "WAITING_DATA",
            KycStatus::Pending => "PENDING",
            KycStatus::Review => "REVIEW",
            KycStatus::Approved => "APPROVED",
            KycStatus::Declined => "DECLINED",
        }
    }

    /// Whether the process is over: uploads and attributes no longer change anything.
    pub fn is_final(self) -> bool {
        matches!(self, KycStatus::Approved | KycStatus::Declined)
    }
}

/// Kind of document a slot expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentType {
    /// Passport front page.
    Passport,
    /// Driver's licence; one slot per side.
    License,
    /// Tenancy contract (PDF).
    Contract,
    /// Utility bill.
    Utility,
    /// Government identity card.
    IdCard,
}

impl DocumentType {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::Passport => "PASSPORT",
            DocumentType::License => "LICENSE",
            DocumentType::Contract => "CONTRACT",
            DocumentType::Utility => "UTILITY",
            DocumentType::IdCard => "ID_CARD",
        }
    }
}

/// Face of a two-sided document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentSide {
    /// Front.
    Front,
    /// Back.
    Back,
}

impl DocumentSide {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentSide::Front => "FRONT",
            DocumentSide::Back => "BACK",
        }
    }
}

/// A group of extra attributes the process asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttributeCode {
    /// The card to open with the KYC (`additionalAttributes.cardAttributes`).
    #[serde(rename = "cardAttributes")]
    CardAttributes,
}

impl AttributeCode {
    /// The wire spelling, also the key under `additionalAttributes`.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeCode::CardAttributes => "cardAttributes",
        }
    }
}

/// A document slot as configured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentSpec {
    /// Fixed slot id; generated (`doc-…`, from the seed when there is one) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Kind of document.
    #[serde(rename = "type")]
    pub kind: DocumentType,
    /// Side, for two-sided documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_side: Option<DocumentSide>,
    /// Label; defaults to the type and side, e.g. `LICENSE FRONT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl DocumentSpec {
    /// The label shown in `kycDocumentList`.
    pub fn label(&self) -> String {
        match (&self.label, self.document_side) {
            (Some(label), _) => label.clone(),
            (None, Some(side)) => format!("{} {}", self.kind.as_str(), side.as_str()),
            (None, None) => self.kind.as_str().to_owned(),
        }
    }
}

/// A customer as configured: who they are, what their KYC asks for and how it ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Template {
    /// connectFi customer id (either spelling, `csta_…` or `csta-…`).
    pub customer_id: String,
    /// The client's reference for the customer.
    pub reference: String,
    /// `individual` or `business`.
    #[serde(default = "individual")]
    pub customer_type: String,
    /// The personal data object (`data.customer.customer`), answered as given.
    pub customer: Map<String, Value>,
    /// Fixed creation time (ISO 8601); the time the record is first used when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dts_created_at: Option<String>,
    /// Documents to upload.
    #[serde(default)]
    pub documents: Vec<DocumentSpec>,
    /// Attribute groups to send with add-attributes.
    #[serde(default)]
    pub attribute_codes: Vec<AttributeCode>,
    /// The statuses the process walks through once every document and attribute is in, e.g.
    /// `["PENDING", "REVIEW", "APPROVED"]`. The first is entered at once; PENDING and REVIEW
    /// are left after the configured delays.
    pub after_data: Vec<KycStatus>,
    /// Back-office system name.
    #[serde(default = "condor")]
    pub system: String,
    /// KYC procedure name.
    #[serde(default = "license_usa_condor")]
    pub mode: String,
    /// `customer` serialized once, since every answer about this customer repeats it.
    #[serde(skip)]
    pub(crate) customer_json: JsonCache,
}

/// A lazily filled copy of serialized JSON. It is derived data, so it takes no part in
/// equality, and a clone starts empty.
#[derive(Default)]
pub(crate) struct JsonCache(std::sync::OnceLock<String>);

impl Clone for JsonCache {
    fn clone(&self) -> JsonCache {
        JsonCache::default()
    }
}

impl PartialEq for JsonCache {
    fn eq(&self, _: &JsonCache) -> bool {
        true
    }
}

impl std::fmt::Debug for JsonCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonCache")
    }
}

fn individual() -> String {
    "individual".to_owned()
}
fn condor() -> String {
    "condor".to_owned()
}
fn license_usa_condor() -> String {
    "licenseUSACondor".to_owned()
}

impl Template {
    /// A template with nothing to send; fill in the rest with struct update syntax.
    pub fn new(
        customer_id: &str,
        reference: &str,
        customer: Map<String, Value>,
        after_data: &[KycStatus],
    ) -> Template {
        Template {
            customer_id: customer_id.to_owned(),
            reference: reference.to_owned(),
            customer_type: individual(),
            customer,
            dts_created_at: None,
            documents: vec![],
            attribute_codes: vec![],
            after_data: after_data.to_vec(),
            system: condor(),
            mode: license_usa_condor(),
            customer_json: JsonCache::default(),
        }
    }

    /// `customer` as compact JSON, serialized on first use.
    pub fn customer_json(&self) -> &str {
        self.customer_json.0.get_or_init(|| {
            // A map of JSON values always serializes.
            serde_json::to_string(&self.customer).expect("a JSON map serializes")
        })
    }

    /// Checks what serde cannot: a usable outcome path and ids the schema accepts.
    pub fn check(&self) -> Result<(), String> {
        if !is_id(&self.customer_id) {
            return Err(format!(
                "customerId {:?} must be 1 to 36 of [0-9a-zA-Z_-]",
                self.customer_id
            ));
        }
        if self.reference.is_empty() || self.reference.chars().count() > 32 {
            return Err("reference must be 1 to 32 characters".to_owned());
        }
        if self.after_data.is_empty() {
            return Err("afterData must name at least one status".to_owned());
        }
        for (i, status) in self.after_data.iter().enumerate() {
            if *status == KycStatus::WaitingData {
                return Err("afterData cannot contain WAITING_DATA".to_owned());
            }
            if status.is_final() && i + 1 != self.after_data.len() {
                return Err(format!(
                    "{} must be the last status of afterData",
                    status.as_str()
                ));
            }
        }
        for doc in &self.documents {
            if let Some(id) = &doc.id
                && !is_id(id)
            {
                return Err(format!(
                    "document id {id:?} must be 1 to 36 of [0-9a-zA-Z_-]"
                ));
            }
        }
        let ids: Vec<_> = self
            .documents
            .iter()
            .filter_map(|d| d.id.as_ref())
            .collect();
        if (1..ids.len()).any(|i| ids[..i].contains(&ids[i])) {
            return Err("document ids must be distinct".to_owned());
        }
        if let Some(at) = &self.dts_created_at
            && super::clock::parse_timestamp(at).is_none()
        {
            return Err(format!(
                "dtsCreatedAt {at:?} is not an ISO 8601 UTC timestamp"
            ));
        }
        Ok(())
    }
}

/// Whether `id` is a customer or document id the schema accepts.
pub(crate) fn is_id(id: &str) -> bool {
    (1..=36).contains(&id.len())
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// How long the process stays in PENDING and in REVIEW before moving on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Delays {
    /// Time in PENDING, in milliseconds.
    #[serde(rename = "pendingMs", with = "millis")]
    pub pending: Duration,
    /// Time in REVIEW, in milliseconds.
    #[serde(rename = "reviewMs", with = "millis")]
    pub review: Duration,
}

impl Default for Delays {
    fn default() -> Delays {
        Delays {
            pending: Duration::from_secs(2),
            review: Duration::from_secs(5),
        }
    }
}

impl Delays {
    fn leaving(&self, status: KycStatus) -> Option<Millis> {
        let d = match status {
            KycStatus::Pending => self.pending,
            KycStatus::Review => self.review,
            _ => return None,
        };
        Some(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

/// A document slot of a live process.
#[derive(Clone, Debug)]
pub(crate) struct Slot {
    /// Slot id (`:documentId`).
    pub id: String,
    /// Index into the template's documents.
    pub spec: usize,
    /// Extension of the uploaded file, once there is one.
    pub extension: Option<String>,
}

/// A live KYC process.
#[derive(Clone, Debug)]
pub(crate) struct KycRecord {
    /// What the customer is.
    pub template: Arc<Template>,
    /// The id (differs from the template's for generated customers).
    pub customer_id: String,
    /// The reference (differs from the template's for generated customers).
    pub reference: String,
    /// Creation time.
    pub created_at: Millis,
    /// Document slots, in the template's order.
    pub slots: Vec<Slot>,
    /// Attribute groups still wanted.
    pub attributes_wanted: Vec<AttributeCode>,
    /// Current status.
    pub status: KycStatus,
    /// Index into `template.after_data` once past WAITING_DATA.
    step: usize,
    /// When the current status was entered.
    entered_at: Millis,
    /// Where status changes are POSTed (already passed the allowlist).
    pub webhook_url: Option<url::Url>,
    /// Attributes received, kept as sent.
    pub attributes: Map<String, Value>,
}

impl KycRecord {
    /// A fresh process: WAITING_DATA, or straight to the first outcome status when the
    /// template asks for nothing.
    pub(crate) fn new(
        template: Arc<Template>,
        customer_id: String,
        reference: String,
        now: Millis,
        mut new_document_id: impl FnMut() -> String,
    ) -> KycRecord {
        let created_at = template
            .dts_created_at
            .as_deref()
            .and_then(super::clock::parse_timestamp)
            .unwrap_or(now);
        let slots = template
            .documents
            .iter()
            .enumerate()
            .map(|(spec, d)| Slot {
                id: d.id.clone().unwrap_or_else(&mut new_document_id),
                spec,
                extension: None,
            })
            .collect();
        let mut record = KycRecord {
            attributes_wanted: template.attribute_codes.clone(),
            template,
            customer_id,
            reference,
            created_at,
            slots,
            status: KycStatus::WaitingData,
            step: 0,
            entered_at: now,
            webhook_url: None,
            attributes: Map::new(),
        };
        if record.data_complete() {
            record.status = record.template.after_data[0];
        }
        record
    }

    /// Whether every document and attribute group is in.
    pub(crate) fn data_complete(&self) -> bool {
        self.attributes_wanted.is_empty() && self.slots.iter().all(|s| s.extension.is_some())
    }

    /// Leaves WAITING_DATA if the last input completed the data; true when the status changed.
    pub(crate) fn on_input(&mut self, now: Millis) -> bool {
        if self.status != KycStatus::WaitingData || !self.data_complete() {
            return false;
        }
        self.step = 0;
        self.status = self.template.after_data[0];
        self.entered_at = now;
        true
    }

    /// When the current status is due to be left, if it ever is.
    pub(crate) fn next_due(&self, delays: &Delays) -> Option<Millis> {
        if self.status == KycStatus::WaitingData || self.step + 1 >= self.template.after_data.len()
        {
            return None;
        }
        Some(self.entered_at.saturating_add(delays.leaving(self.status)?))
    }

    /// Takes one timed step if it is due at `now`; true when the status changed. Call until
    /// false to catch up on every step that fell due.
    pub(crate) fn step_if_due(&mut self, now: Millis, delays: &Delays) -> bool {
        match self.next_due(delays) {
            Some(due) if due <= now => {
                self.step += 1;
                self.status = self.template.after_data[self.step];
                self.entered_at = due;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(docs: usize, after: &[KycStatus]) -> Arc<Template> {
        Arc::new(Template {
            documents: (0..docs)
                .map(|_| DocumentSpec {
                    id: None,
                    kind: DocumentType::Passport,
                    document_side: None,
                    label: None,
                })
                .collect(),
            ..Template::new("csta_x", "r1", Map::new(), after)
        })
    }

    #[test]
    fn documents_move_the_process_on_and_delays_finish_it() {
        use KycStatus::*;
        let delays = Delays {
            pending: Duration::from_millis(100),
            review: Duration::from_millis(1000),
        };
        let t = template(1, &[Pending, Review, Declined]);
        let mut n = 0;
        let mut r = KycRecord::new(t, "csta_x".into(), "r1".into(), 0, || {
            n += 1;
            format!("doc-{n}")
        });
        assert_eq!(r.status, WaitingData);
        assert_eq!(r.next_due(&delays), None);
        r.slots[0].extension = Some("png".into());
        assert!(r.on_input(50));
        assert_eq!((r.status, r.next_due(&delays)), (Pending, Some(150)));
        assert!(!r.step_if_due(149, &delays));
        // Far in the future both timed steps fall due, each at its own instant.
        assert!(r.step_if_due(5000, &delays));
        assert_eq!((r.status, r.next_due(&delays)), (Review, Some(1150)));
        assert!(r.step_if_due(5000, &delays));
        assert_eq!((r.status, r.next_due(&delays)), (Declined, None));
        assert!(!r.step_if_due(u64::MAX, &delays));
    }

    #[test]
    fn templates_with_unusable_paths_are_refused() {
        use KycStatus::*;
        assert!(template(0, &[Pending, Approved]).check().is_ok());
        assert!(template(0, &[]).check().is_err());
        assert!(template(0, &[WaitingData]).check().is_err());
        assert!(template(0, &[Approved, Pending]).check().is_err());
    }
}
