//! One customer's KYC process: what it asks for, what has arrived, and the state machine
//! WAITING_DATA → (documents and attributes in) → PENDING → REVIEW → APPROVED / DECLINED.
//!
//! A [`Template`] describes a customer as configured (built in or from a scenarios file); a
//! [`KycRecord`] is the live process, created the first time a KYC endpoint names the customer.

use std::sync::Arc;
use std::time::Duration;

use kyc_spec::generated as wire;
use kyc_spec::generated::KycAddAttributesRequestAdditionalAttributes as AdditionalAttributes;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::clock::Millis;

/// The mock's closed view of a generated wire enum: the states its machine models, each one a
/// value the contract lists. Spellings live only in `kyc_spec::generated`; the mock maps
/// variants, so a renamed wire value cannot drift between the contract and the mock.
macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident => $wire:ident ($wire_path:literal), $what:literal {
            $($(#[$vmeta:meta])* $variant:ident,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = $wire_path, into = $wire_path)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the contract's order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The generated wire value (a constant: the reference lives forever).
            pub fn wire(self) -> &'static wire::$wire {
                match self {
                    $($name::$variant => &wire::$wire::$variant,)+
                }
            }

            /// The wire spelling, from the generated type.
            pub fn as_str(self) -> &'static str {
                self.wire().as_str()
            }
        }

        impl From<$name> for wire::$wire {
            fn from(value: $name) -> wire::$wire {
                value.wire().clone()
            }
        }

        impl TryFrom<wire::$wire> for $name {
            type Error = Unmodelled;

            fn try_from(value: wire::$wire) -> Result<$name, Unmodelled> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|known| *known.wire() == value)
                    .ok_or_else(|| Unmodelled {
                        what: $what,
                        value: value.as_str().to_owned(),
                        expected: $name::ALL.iter().map(|v| v.as_str()).collect(),
                    })
            }
        }
    };
}

/// A wire value (from a scenarios file) that the mock's state machine does not model, e.g. a
/// KYC status the contract does not list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}`, expected one of {}", quoted(.expected))]
pub struct Unmodelled {
    /// What kind of value, e.g. `KYC status`.
    pub what: &'static str,
    /// The value as written.
    pub value: String,
    /// The values the mock models.
    pub expected: Vec<&'static str>,
}

/// `` `A`, `B` ``, the way serde lists the variants it expected.
fn quoted(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    quoted.join(", ")
}

closed_enum! {
    /// Where a customer's KYC process stands (the values `kyc.status` and `kycStatus` take).
    pub enum KycStatus => KycStatus ("kyc_spec::generated::KycStatus"), "KYC status" {
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
}

impl KycStatus {
    /// Whether the process is over: uploads and attributes no longer change anything.
    pub fn is_final(self) -> bool {
        matches!(self, KycStatus::Approved | KycStatus::Declined)
    }
}

closed_enum! {
    /// Kind of document a slot expects.
    pub enum DocumentType => DocumentType ("kyc_spec::generated::DocumentType"), "document type" {
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
}

closed_enum! {
    /// Face of a two-sided document.
    pub enum DocumentSide => DocumentSide ("kyc_spec::generated::DocumentSide"), "document side" {
        /// Front.
        Front,
        /// Back.
        Back,
    }
}

closed_enum! {
    /// A group of extra attributes the process asks for; its spelling is also the key under
    /// `additionalAttributes`.
    pub enum AttributeCode => AttributeCode ("kyc_spec::generated::AttributeCode"), "attribute code" {
        /// The card to open with the KYC (`additionalAttributes.cardAttributes`).
        CardAttributes,
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
        match self.label_parts() {
            (text, None) => text.to_owned(),
            (kind, Some(side)) => format!("{kind} {side}"),
        }
    }

    /// The label without building it: the configured one, or the default of the type and,
    /// for a two-sided document, the side after a space (`LICENSE FRONT`). The second part
    /// is only ever a side, and both parts of a default are upper-case ASCII.
    pub(crate) fn label_parts(&self) -> (&str, Option<&'static str>) {
        match (&self.label, self.document_side) {
            (Some(label), _) => (label, None),
            (None, side) => (self.kind.as_str(), side.map(|s| s.as_str())),
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
    /// A business's representatives' ids, each an entity of its `/akepa` applications
    /// (empty for an individual, whose one entity is the customer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub representatives: Vec<String>,
    /// `customer` serialized once, since every answer about this customer repeats it.
    #[serde(skip)]
    pub(crate) customer_json: JsonCache,
}

/// `customer` as the generated `Person` serializes it, filled by [`Template::check`]. It is
/// derived data, so it takes no part in equality, and a clone starts empty: the fields are
/// public, so a clone may have been given another `customer` before it is checked again.
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
            representatives: vec![],
            customer_json: JsonCache::default(),
        }
    }

    /// `customer` decoded into the contract's type: what every answer about this customer
    /// carries as `data.customer.customer`.
    pub(crate) fn person(&self) -> Result<wire::Person, serde_json::Error> {
        serde_json::from_value(Value::Object(self.customer.clone()))
    }

    /// `customer` as compact JSON, in the generated `Person`'s key order (members it does not
    /// name follow, in the order given).
    pub(crate) fn customer_json(&self) -> &str {
        // MockState::new checks every template it keeps, and check fills this.
        self.customer_json
            .0
            .get()
            .expect("the template was checked before use")
    }

    /// Checks what serde cannot: a usable outcome path, ids the schema accepts and a customer
    /// object the response schema's `Person` describes.
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
        for id in &self.representatives {
            if !is_id(id) {
                return Err(format!(
                    "representative id {id:?} must be 1 to 36 of [0-9a-zA-Z_-]"
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
        let person = self
            .person()
            .map_err(|e| format!("customer is not a person the contract describes: {e}"))?;
        // A Person holds only strings, booleans and JSON maps: serializing cannot fail.
        let json = serde_json::to_string(&person).expect("a Person serializes");
        // A second check of the same template computes the same JSON; the first one stays.
        let _ = self.customer_json.0.set(json);
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
    /// Where status changes are POSTed (already passed the allowlist). Boxed: an inline `Url`
    /// is 88 bytes in each of a load test's 100,000 records, and most have none.
    pub webhook_url: Option<Box<url::Url>>,
    /// Attributes received: the latest of each group. Boxed, and only once some arrive: the
    /// generated type is large, and a load test holds 100,000 records.
    pub attributes: Option<Box<AdditionalAttributes>>,
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
            attributes: None,
        };
        if record.data_complete() {
            record.status = record.template.after_data[0];
        }
        record
    }

    /// Keeps the groups an add-attributes request carries (a group sent again replaces the
    /// earlier one) and stops asking for them.
    pub(crate) fn receive(&mut self, sent: AdditionalAttributes) {
        // The groups the contract names are fields of the generated type; each maps to the
        // code `kyc.attributeCodes` asks for it by. Groups it does not name ask for nothing.
        let AdditionalAttributes {
            card_attributes,
            additional_properties,
        } = sent;
        let kept = self.attributes.get_or_insert_with(|| {
            Box::new(AdditionalAttributes {
                card_attributes: None,
                additional_properties: Map::new(),
            })
        });
        if let Some(card) = card_attributes {
            kept.card_attributes = Some(card);
            self.attributes_wanted
                .retain(|code| *code != AttributeCode::CardAttributes);
        }
        kept.additional_properties.extend(additional_properties);
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

    fn person() -> Map<String, Value> {
        let Value::Object(map) = serde_json::json!({"firstName": "A", "lastName": "B"}) else {
            unreachable!("an object literal")
        };
        map
    }

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
            ..Template::new("csta_x", "r1", person(), after)
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

    /// The closed enums model exactly the values the contract lists: each generated value maps
    /// to one of the mock's and back, and nothing else is accepted.
    #[test]
    fn the_closed_enums_cover_the_contracts_values_exactly() {
        #[track_caller]
        fn check<M, W>(known: &[W], all: &[M])
        where
            M: Copy + std::fmt::Debug + PartialEq + TryFrom<W, Error = Unmodelled>,
            W: Clone + std::fmt::Debug + PartialEq + From<M> + std::str::FromStr,
            <W as std::str::FromStr>::Err: std::fmt::Debug,
        {
            assert_eq!(known.len(), all.len(), "{known:?} against {all:?}");
            for wire in known {
                let mine = M::try_from(wire.clone()).expect("a listed value is modelled");
                assert_eq!(W::from(mine), *wire);
            }
            let unlisted: W = "NOT_A_VALUE".parse().expect("forward-compatible");
            let refused = M::try_from(unlisted).expect_err("an unlisted value is refused");
            assert_eq!(refused.value, "NOT_A_VALUE");
        }
        check(wire::KycStatus::KNOWN, KycStatus::ALL);
        check(wire::DocumentType::KNOWN, DocumentType::ALL);
        check(wire::DocumentSide::KNOWN, DocumentSide::ALL);
        check(wire::AttributeCode::KNOWN, AttributeCode::ALL);
        // Scenario files name them in the wire spelling, and refuse others the way serde
        // refuses an unknown variant.
        let parsed: Vec<KycStatus> =
            serde_json::from_str(r#"["WAITING_DATA","DECLINED"]"#).expect("known statuses");
        assert_eq!(parsed, [KycStatus::WaitingData, KycStatus::Declined]);
        let err = serde_json::from_str::<KycStatus>(r#""DONE""#).expect_err("unknown");
        assert!(
            err.to_string().starts_with(
                "unknown KYC status `DONE`, expected one of `WAITING_DATA`, `PENDING`"
            ),
            "{err}"
        );
    }

    #[test]
    fn templates_with_unusable_paths_are_refused() {
        use KycStatus::*;
        assert!(template(0, &[Pending, Approved]).check().is_ok());
        assert!(template(0, &[]).check().is_err());
        assert!(template(0, &[WaitingData]).check().is_err());
        assert!(template(0, &[Approved, Pending]).check().is_err());
        // The customer object must be a Person the response schema describes.
        let nameless = Template {
            customer: Map::new(),
            ..Template::clone(&template(0, &[Approved]))
        };
        let err = nameless.check().expect_err("no firstName");
        assert!(err.contains("customer is not a person"), "{err}");
    }
}
