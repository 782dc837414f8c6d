//! The live state of one mock: customers created with `POST /customer/init`, customers' KYC
//! processes (sharded so concurrent requests for different customers rarely meet), tokens, the
//! schedule of timed transitions, and the schema validators.

use std::collections::BTreeSet;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use foldhash::fast::RandomState;

use axum::http::HeaderMap;
use kyc_spec::Contract;
use kyc_spec::ajv::{Mode, Validator};
use kyc_spec::generated::KycAddAttributesRequestAdditionalAttributes as AdditionalAttributes;
use kyc_spec::generated::{
    CustomerInitRequest, CustomerInitResponse, MockClock, MockClockResponse, RequestId,
    SuccessCode, Timestamp,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::akepa::Akepa;
use super::body::parse_json;
use super::builtin;
use super::clock::{Clock, Millis, format_timestamp};
use super::config::{Generate, MockConfig};
use super::customer::{self, Kind};
use super::envelope::kyc_envelope;
use super::error::ApiError;
use super::ids::IdGenerator;
use super::kyc::{KycRecord, Template};
use super::webhook::Webhooks;

pub use kyc_spec::contract::TOKEN_HEADER;
/// [`TOKEN_HEADER`] as a header name, so that looking it up parses nothing per request.
const TOKEN_NAME: axum::http::HeaderName = axum::http::HeaderName::from_static(TOKEN_HEADER);

const SHARDS: usize = 64;
/// Handed-out tokens are swept for expiry whenever this many have accumulated.
const TOKEN_SWEEP_AT: usize = 10_000;

/// A mock's configuration and live state; cheap to clone (all clones share the state).
#[derive(Debug, Clone)]
pub struct MockState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: MockConfig,
    ids: IdGenerator,
    templates: HashMap<String, Arc<Template>>,
    generators: Vec<(Generate, Arc<Template>)>,
    registry: RwLock<Registry>,
    shard_hasher: RandomState,
    shards: Box<[Mutex<HashMap<String, KycRecord>>]>,
    schedule: Mutex<BTreeSet<(Millis, String)>>,
    tokens: RwLock<HashMap<String, Millis>>,
    validators: Validators,
    webhooks: Webhooks,
    akepa: Akepa,
}

/// The mock's maps: foldhash rather than SipHash, since every request hashes its customer id
/// two or three times and the ids come from a local test client, not an attacker.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, RandomState>;

/// Operations whose request type accepts exactly what their schema accepts: constrained
/// strings, nullable booleans, no other members (`deny_unknown_fields`), no open enum. Their
/// bodies skip the parse into a `Value` and the schema check when the type takes them,
/// which is most of a valid request's cost. The test
/// `directly_decoded_types_accept_exactly_what_the_schema_accepts` holds each to its Ajv
/// corpus; a type with an open enum or an `anyOf` the type cannot express (customer init,
/// DECISIONS.md D27) must not be listed.
pub(crate) const DECODED_DIRECTLY: &[&str] = &["kycInit", "akepaIdentification"];

/// The request validator of every contract operation that takes a JSON body, by operation
/// id: which document describes which request is the contract's fact, looked up once here.
#[derive(Debug)]
struct Validators {
    by_operation: Vec<(&'static str, &'static Validator)>,
}

impl Validators {
    fn from_contract() -> Validators {
        let by_operation = Contract::embedded()
            .operations()
            .iter()
            .filter_map(|op| {
                let doc = op.request.as_ref()?.document?;
                // Compiled once per process; kyc-spec's tests compile every embedded schema.
                Some((op.id.as_str(), Validator::embedded(doc)))
            })
            .collect();
        Validators { by_operation }
    }

    fn of(&self, operation: &str) -> Option<&'static Validator> {
        self.by_operation
            .iter()
            .find(|(id, _)| *id == operation)
            .map(|(_, v)| *v)
    }
}

/// Customers created with `POST /customer/init`, and the keys a new customer must not share
/// with any customer the mock knows by id (DECISIONS.md D29).
#[derive(Debug, Default)]
struct Registry {
    /// Created customers by id.
    created: HashMap<String, Arc<Template>>,
    /// Reference → id, for configured and created customers.
    references: HashMap<String, String>,
    /// (individual: SSN, business: FEIN) → id.
    identities: HashMap<(Kind, String), String>,
}

impl Registry {
    /// The keys of the configured customers: their references, and the SSNs of the
    /// individuals among them.
    fn of(templates: &HashMap<String, Arc<Template>>) -> Registry {
        let mut registry = Registry::default();
        // Sorted, so that which of two customers sharing a reference is named is reproducible.
        let mut ids: Vec<&String> = templates.keys().collect();
        ids.sort();
        for id in ids {
            let t = &templates[id];
            registry
                .references
                .entry(t.reference.clone())
                .or_insert_with(|| id.clone());
            if t.customer_type == "business" {
                continue;
            }
            let ssns = t
                .customer
                .get("identificationDocuments")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|d| d["type"] == "SSN")
                .filter_map(|d| d["value"].as_str());
            for ssn in ssns {
                registry
                    .identities
                    .entry((Kind::Individual, ssn.to_owned()))
                    .or_insert_with(|| id.clone());
            }
        }
        registry
    }
}

/// What an init does to the stored webhook destination.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WebhookChange {
    /// No `webhookURL` key: keep what a previous init set.
    Keep,
    /// `""` or `null`: no more callbacks.
    Clear,
    /// A destination.
    Set(String),
}

/// A webhook to send once the customer's lock is released.
type Outgoing = (url::Url, Vec<u8>);

impl MockState {
    /// A fresh mock: no KYC started, no token handed out.
    pub fn new(config: MockConfig) -> MockState {
        // Every template kept is checked here, which also prepares its answer's customer JSON.
        // spawn() and scenario files refuse bad customers up front; a hand-built state skips
        // them rather than panic on a customer without an outcome.
        let checked = |t: Template| match t.check() {
            Ok(()) => Some(Arc::new(t)),
            Err(reason) => {
                tracing::error!(customer_id = %t.customer_id, %reason, "scenario customer ignored");
                None
            }
        };
        let mut templates = HashMap::default();
        let builtins = if config.scenarios.builtins {
            builtin::templates()
        } else {
            vec![]
        };
        for t in builtins
            .into_iter()
            .chain(config.scenarios.customers.clone())
        {
            let id = t.customer_id.clone();
            if let Some(t) = checked(t) {
                templates.insert(id, t);
            }
        }
        let generators = config
            .scenarios
            .generate
            .iter()
            .filter_map(|g| {
                let mut like = Template::clone(templates.get(&g.like)?);
                // Each generated customer gets its own slots, so fixed ids are not copied.
                for doc in &mut like.documents {
                    doc.id = None;
                }
                Some((g.clone(), checked(like)?))
            })
            .collect();
        let shards = (0..SHARDS)
            .map(|_| Mutex::new(HashMap::default()))
            .collect();
        let registry = RwLock::new(Registry::of(&templates));
        MockState {
            inner: Arc::new(Inner {
                ids: IdGenerator::new(config.seed),
                config,
                templates,
                generators,
                registry,
                shard_hasher: RandomState::default(),
                shards,
                schedule: Mutex::new(BTreeSet::new()),
                tokens: RwLock::new(HashMap::default()),
                validators: Validators::from_contract(),
                webhooks: Webhooks::default(),
                akepa: Akepa::default(),
            }),
        }
    }

    /// The configuration it was built from.
    pub fn config(&self) -> &MockConfig {
        &self.inner.config
    }

    /// The clock (shared with the configuration's).
    pub fn clock(&self) -> &Clock {
        &self.inner.config.clock
    }

    /// A fresh `requestId`.
    pub fn request_id(&self) -> String {
        self.inner.ids.request_id().into()
    }

    /// Moves a manual clock forward and applies every transition that fell due, sending
    /// their webhooks. With the wall clock only the second half happens.
    pub fn advance(&self, by: Duration) {
        self.clock().advance(by);
        self.run_due();
    }

    /// `POST /_mock/clock/advance`: moves a manual clock and applies what fell due, like
    /// [`MockState::advance`]; the wall clock cannot be moved (409 `clockNotManual`).
    pub(crate) fn advance_clock(&self, ms: u64) -> Result<Vec<u8>, ApiError> {
        if !self.clock().is_manual() {
            return Err(ApiError::ClockNotManual(
                "the mock runs on the wall clock, which cannot be moved; start it with a manual clock (MockConfig::deterministic)"
                    .to_owned(),
            ));
        }
        self.advance(Duration::from_millis(ms));
        let answer = MockClockResponse {
            code: SuccessCode,
            data: MockClock {
                now: Timestamp::new(format_timestamp(self.clock().now()))
                    .expect("format_timestamp writes the schema's timestamp form"),
                additional_properties: Map::new(),
            },
            request_id: Some(self.wire_request_id()),
            additional_properties: Map::new(),
        };
        Ok(serde_json::to_vec(&answer).expect("the clock answer serializes"))
    }

    /// `POST /customer/init`: creates the customer unless its reference, SSN or FEIN is taken
    /// (checked in that order), so that the KYC endpoints know it from then on. Returns the
    /// answer.
    pub(crate) fn create_customer(
        &self,
        request: CustomerInitRequest,
    ) -> Result<Vec<u8>, ApiError> {
        let keys = customer::keys(&request)?;
        let inner = &self.inner;
        let now = self.clock().now();
        let created = {
            let mut registry = inner.registry.write().unwrap_or_else(|e| e.into_inner());
            if let Some(holder) = registry.references.get(&keys.reference) {
                return Err(ApiError::ReferenceExists {
                    reference: keys.reference,
                    entity_id: holder.clone(),
                });
            }
            let identity = keys.identity.map(|value| (keys.kind, value));
            if let Some(holder) = identity.as_ref().and_then(|k| registry.identities.get(k)) {
                return Err(ApiError::CustomerExists(holder.clone()));
            }
            let id = loop {
                let id = format!("{}{}", keys.kind.id_prefix(), inner.ids.base62(22));
                if !inner.templates.contains_key(&id) && !registry.created.contains_key(&id) {
                    break id;
                }
            };
            let customer::Created { record, template } =
                customer::create(request, &id, now, inner.config.kyc_asks.as_deref(), || {
                    format!("{}{}", Kind::Individual.id_prefix(), inner.ids.base62(22))
                })?;
            registry.references.insert(keys.reference, id.clone());
            if let Some(identity) = identity {
                registry.identities.insert(identity, id.clone());
            }
            // Moved, not cloned: `create` checked this template, which filled its JSON cache.
            registry.created.insert(id, Arc::new(template));
            record
        };
        let answer = CustomerInitResponse {
            code: SuccessCode,
            data: created,
            request_id: Some(self.wire_request_id()),
            additional_properties: Map::new(),
        };
        // Generated answer types hold strings, arrays and JSON maps: serializing cannot fail.
        Ok(serde_json::to_vec(&answer).expect("the customer answer serializes"))
    }

    /// How many customers `POST /customer/init` has created (for tests and diagnostics).
    pub fn created_customers(&self) -> usize {
        let registry = self
            .inner
            .registry
            .read()
            .unwrap_or_else(|e| e.into_inner());
        registry.created.len()
    }

    fn wire_request_id(&self) -> RequestId {
        RequestId::new(self.request_id())
            .expect("the mock's request ids are 32 lower-case hex digits, the schema's pattern")
    }

    /// Applies every timed transition due by now.
    pub fn run_due(&self) {
        let now = self.clock().now();
        loop {
            let next = {
                let mut schedule = lock(&self.inner.schedule);
                match schedule.first() {
                    Some((due, _)) if *due <= now => schedule.pop_first(),
                    _ => None,
                }
            };
            let Some((_, id)) = next else { break };
            // The customer exists (it was scheduled), so this cannot be customerNotFound.
            let _ = self.with_customer(&id, |_, _| Ok(()));
        }
        self.akepa_catch_up();
    }

    /// The `/akepa` applications and documents.
    pub(crate) fn akepa(&self) -> &Akepa {
        &self.inner.akepa
    }

    /// Fresh ids, from the mock's (seeded) generator.
    pub(crate) fn ids(&self) -> &IdGenerator {
        &self.inner.ids
    }

    /// Queues a callback (the destination already passed the allowlist).
    pub(crate) fn send_webhook(&self, url: url::Url, body: Vec<u8>) {
        self.inner.webhooks.send(url, body);
    }

    /// Checks a body against a request schema, Ajv-style (first error only, like connectFi),
    /// then decodes it into the schema's generated type.
    ///
    /// For the operations in [`DECODED_DIRECTLY`] the bytes are first decoded straight into
    /// the type, which checks every constraint their schemas have; only a body the type
    /// refuses is parsed and validated, to answer with Ajv's error.
    pub(crate) fn decode<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        bytes: &[u8],
    ) -> Result<T, ApiError> {
        if DECODED_DIRECTLY.contains(&operation)
            && let Ok(request) = serde_json::from_slice::<T>(bytes)
        {
            return Ok(request);
        }
        let body = parse_json(bytes)?;
        // Only a handler bound to an operation without a JSON body could miss here: the
        // routes test fails on that, and the client gets a readable 400 rather than a panic.
        let validator = self.inner.validators.of(operation).ok_or_else(|| {
            ApiError::InvalidBody(format!("operation {operation} takes no JSON body"))
        })?;
        validator
            .validate(&body, Mode::FirstError)
            .map_err(ApiError::Validation)?;
        // Both come from the same schema, so a valid body always decodes. Should they ever
        // disagree, the client gets a readable 400 naming the gap rather than a panic.
        serde_json::from_value(body).map_err(|e| {
            ApiError::InvalidBody(format!(
                "the body passed the schema but not its generated type: {e}"
            ))
        })
    }

    /// Logs in: a new token and its expiry, or 401.
    pub(crate) fn login(&self, login: &str, password: &str) -> Result<(String, Millis), ApiError> {
        let config = &self.inner.config;
        if login != config.login || password != config.password {
            return Err(ApiError::Unauthorized);
        }
        let now = self.clock().now();
        let ttl = u64::try_from(config.token_ttl.as_millis()).unwrap_or(u64::MAX);
        let expires = now.saturating_add(ttl);
        let token = self.inner.ids.token();
        let mut tokens = self.inner.tokens.write().unwrap_or_else(|e| e.into_inner());
        if tokens.len() >= TOKEN_SWEEP_AT {
            tokens.retain(|_, at| *at > now);
        }
        tokens.insert(token.clone(), expires);
        Ok((token, expires))
    }

    /// Accepts the request's `x-connectfi-token` or answers 401.
    pub(crate) fn authorize(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let token = headers
            .get(&TOKEN_NAME)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthorized)?;
        if self.inner.config.token.as_deref() == Some(token) {
            return Ok(());
        }
        let tokens = self.inner.tokens.read().unwrap_or_else(|e| e.into_inner());
        match tokens.get(token) {
            Some(expires) if *expires > self.clock().now() => Ok(()),
            _ => Err(ApiError::Unauthorized),
        }
    }

    /// `POST /customer/kyc/init`: starts the process (or finds it started) and records where
    /// callbacks go. Returns the envelope.
    pub(crate) fn init(
        &self,
        customer_id: &str,
        webhook: WebhookChange,
    ) -> Result<Vec<u8>, ApiError> {
        let url = match &webhook {
            WebhookChange::Set(url) => match self.inner.config.webhook_allowlist.check(url) {
                Ok(url) => Some(Box::new(url)),
                Err(refusal) => {
                    tracing::warn!(customer_id, %refusal, "webhookURL refused; no callbacks will be sent");
                    None
                }
            },
            WebhookChange::Keep | WebhookChange::Clear => None,
        };
        self.with_customer(customer_id, |record, _| {
            match webhook {
                WebhookChange::Keep => {}
                WebhookChange::Clear => record.webhook_url = None,
                WebhookChange::Set(_) => record.webhook_url = url,
            }
            Ok(())
        })
    }

    /// `GET /customer/kyc/status/:customerId`.
    pub(crate) fn status(&self, customer_id: &str) -> Result<Vec<u8>, ApiError> {
        self.with_customer(customer_id, |_, _| Ok(()))
    }

    /// `POST /customer/kyc/upload/:customerId/:documentId`: marks the slot uploaded with the
    /// file's extension. After the process has ended uploads change nothing.
    pub(crate) fn upload(
        &self,
        customer_id: &str,
        document_id: &str,
        extension: &str,
    ) -> Result<Vec<u8>, ApiError> {
        self.with_customer(customer_id, |record, now| {
            let slot = record
                .slots
                .iter_mut()
                .find(|s| s.id == document_id)
                .ok_or_else(|| ApiError::DocumentNotFound(document_id.to_owned()))?;
            if !record.status.is_final() {
                slot.extension = Some(extension.to_owned());
                record.on_input(now);
            }
            Ok(())
        })
    }

    /// `POST /customer/kyc/add-attributes`: stores the groups sent and stops asking for them.
    pub(crate) fn add_attributes(
        &self,
        customer_id: &str,
        attributes: Option<AdditionalAttributes>,
    ) -> Result<Vec<u8>, ApiError> {
        self.with_customer(customer_id, |record, now| {
            if record.status.is_final() {
                return Ok(());
            }
            if let Some(attributes) = attributes {
                record.receive(attributes);
            }
            record.on_input(now);
            Ok(())
        })
    }

    /// How many customers have a live KYC process (for tests and diagnostics).
    pub fn live_customers(&self) -> usize {
        self.inner.shards.iter().map(|s| lock(s).len()).sum()
    }

    fn template_for(&self, id: &str) -> Option<(Arc<Template>, String)> {
        let (template, generated) = self.lookup(id)?;
        let reference = match generated {
            Some(n) => format!("gen{n}"),
            None => template.reference.clone(),
        };
        Some((template, reference))
    }

    /// The template behind a customer id the KYC and akepa endpoints know (built in,
    /// configured, created or generated), and its number when a generator made it (whose
    /// reference is `gen{n}`). Builds no string: the akepa endpoints look customers up on
    /// every request and need only the template.
    pub(crate) fn lookup(&self, id: &str) -> Option<(Arc<Template>, Option<u64>)> {
        if let Some(t) = self.inner.templates.get(id) {
            return Some((t.clone(), None));
        }
        if let Some(t) = self
            .inner
            .registry
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .created
            .get(id)
        {
            return Some((t.clone(), None));
        }
        self.inner.generators.iter().find_map(|(g, t)| {
            let digits = id.strip_prefix(g.prefix.as_str())?;
            // Only the canonical spelling of each number names a customer: no sign, no
            // leading zero.
            let canonical = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'));
            let n: u64 = digits.parse().ok().filter(|_| canonical)?;
            (n < g.count).then(|| (t.clone(), Some(n)))
        })
    }

    /// Runs `change` on the customer's process after catching up on due transitions, then
    /// catches up again, schedules the next transition and sends the webhooks of every status
    /// change. Returns the envelope as it stands afterwards.
    fn with_customer(
        &self,
        id: &str,
        change: impl FnOnce(&mut KycRecord, Millis) -> Result<(), ApiError>,
    ) -> Result<Vec<u8>, ApiError> {
        let inner = &self.inner;
        let now = self.clock().now();
        let delays = inner.config.delays;
        let mut outgoing: Vec<Outgoing> = Vec::new();
        let shard = &inner.shards[(inner.shard_hasher.hash_one(id) as usize) % SHARDS];
        let mut records = lock(shard);
        if !records.contains_key(id) {
            let (template, reference) = self
                .template_for(id)
                .ok_or_else(|| ApiError::CustomerNotFound(id.to_owned()))?;
            let separator = if id.contains('_') { '_' } else { '-' };
            let record = KycRecord::new(template, id.to_owned(), reference, now, || {
                inner.ids.document_id(separator)
            });
            records.insert(id.to_owned(), record);
        }
        let record = records
            .get_mut(id)
            .expect("the record was found or inserted above under the same lock");
        let notify = |record: &KycRecord, outgoing: &mut Vec<Outgoing>| {
            if let Some(url) = &record.webhook_url {
                let body = kyc_envelope(record, &inner.ids.request_id());
                outgoing.push((url.as_ref().clone(), body));
            }
        };
        while record.step_if_due(now, &delays) {
            notify(record, &mut outgoing);
        }
        let before = record.status;
        // On error the catch-up above still stands and its webhooks still go out.
        let result = change(record, now);
        if record.status != before {
            notify(record, &mut outgoing);
        }
        while record.step_if_due(now, &delays) {
            notify(record, &mut outgoing);
        }
        let next = record.next_due(&delays);
        let result = result.map(|()| kyc_envelope(record, &inner.ids.request_id()));
        drop(records);
        if let Some(due) = next {
            lock(&inner.schedule).insert((due, id.to_owned()));
        }
        for (url, body) in outgoing {
            tracing::debug!(customer_id = id, %url, "queueing webhook");
            inner.webhooks.send(url, body);
        }
        result
    }
}

/// Locks a mutex, carrying on after a panic elsewhere: every critical section leaves the data
/// consistent before anything that could panic.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use kyc_spec::Document;
    use kyc_spec::generated::{AkepaIdentificationRequest, KycInitRequest};

    use super::*;

    /// Bodies that probe the gap between serde and a parse followed by Ajv: duplicate and
    /// unknown members, nulls, escapes, lone surrogates, a byte-order mark, trailing text.
    const EDGES: &[&str] = &[
        r#"{"customerId":"csta_a","customerId":"csta_b"}"#,
        r#"{"customerId":"csta_a","reference":"r1","reference":"r2"}"#,
        r#"{"customerId":"csta_a","reference":"r1","extra":1}"#,
        r#"{"customerId":null,"reference":"r1"}"#,
        r#"{"customerId":"csta\u005fa","reference":"r\u0031"}"#,
        r#"{"customerId":"csta_\ud800","reference":"r1"}"#,
        "\u{feff}{\"customerId\":\"csta_a\",\"reference\":\"r1\"}",
        r#"{"customerId":"csta_a","reference":"r1"} x"#,
        r#"{"customerId":"csta_a","reference":"r1","syncMode":null,"webhookUrl":null}"#,
        r#"{"customerId":"csta_a","reference":"r1","webhookURL":"http://127.0.0.1/"}"#,
        r#"{"customerId":"csta_a","webhookURL":"http://127.0.0.1/<x>"}"#,
        r#"{"customerId":"csta_a","webhookURL":"   "}"#,
        r#"{"customerId":"csta_a","syncMode":"true"}"#,
        r#"{"customerId":""}"#,
        r#"[]"#,
        r#""csta_a""#,
    ];

    /// Every body of the document's Ajv corpus (`spec/examples/ajv/<name>.jsonl`, one per
    /// line, as sent) and of its example folder.
    fn corpus(doc: Document) -> Vec<String> {
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/examples");
        let mut bodies = Vec::new();
        for entry in std::fs::read_dir(examples.join("ajv")).expect("the Ajv corpus") {
            let path = entry.expect("a directory entry").path();
            let Some(stem) = path
                .file_name()
                .and_then(|n| n.to_str()?.strip_suffix(".jsonl"))
            else {
                continue;
            };
            if !stem.ends_with(".golden") && Document::from_stem(stem) == Some(doc) {
                let text = std::fs::read_to_string(&path).expect("readable");
                bodies.extend(
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_owned),
                );
            }
        }
        let folder = match doc.stem() {
            "kyc-init.request" => Some("request"),
            _ => None,
        };
        for sub in folder
            .into_iter()
            .flat_map(|f| ["valid", "invalid"].map(|v| examples.join(f).join(v)))
        {
            let mut files: Vec<PathBuf> = std::fs::read_dir(sub)
                .expect("examples")
                .map(|e| e.expect("entry").path())
                .collect();
            files.sort();
            bodies.extend(
                files
                    .iter()
                    .map(|p| std::fs::read_to_string(p).expect("readable")),
            );
        }
        bodies
    }

    /// Every body the type takes, Ajv takes too (after the parse the slow path does): a type
    /// that took more would make the mock accept what the sandbox refuses. The converse may
    /// fail (serde refuses a duplicate member that the parse drops); such a body takes the
    /// slow path. Returns how many bodies took each path.
    fn check<T: DeserializeOwned>(operation: &str) -> (usize, usize) {
        let op = Contract::embedded()
            .operations()
            .iter()
            .find(|o| o.id == operation)
            .unwrap_or_else(|| panic!("{operation} is a contract operation"));
        let doc = op
            .request
            .as_ref()
            .and_then(|r| r.document)
            .expect("a JSON request body");
        let validator = Validator::embedded(doc);
        let bodies: Vec<String> = corpus(doc)
            .into_iter()
            .chain(EDGES.iter().map(|s| (*s).to_owned()))
            .collect();
        assert!(
            bodies.len() > EDGES.len() + 10,
            "{operation}: the corpus is missing"
        );
        let (mut direct, mut slow) = (0, 0);
        for body in &bodies {
            let typed = serde_json::from_slice::<T>(body.as_bytes()).is_ok();
            let valid = parse_json(body.as_bytes())
                .is_ok_and(|value| validator.validate(&value, Mode::FirstError).is_ok());
            assert!(
                !typed || valid,
                "{operation}: the type takes what Ajv refuses: {body}"
            );
            if typed {
                direct += 1;
            } else {
                slow += 1;
            }
        }
        (direct, slow)
    }

    #[test]
    fn directly_decoded_types_accept_exactly_what_the_schema_accepts() {
        for operation in DECODED_DIRECTLY {
            let checked = match *operation {
                "kycInit" => check::<KycInitRequest>(operation),
                "akepaIdentification" => check::<AkepaIdentificationRequest>(operation),
                other => panic!("{other} is decoded directly: add its type to this test"),
            };
            // Both paths are exercised: bodies the type takes, and bodies it leaves to Ajv.
            assert!(checked.0 > 2 && checked.1 > 10, "{operation}: {checked:?}");
        }
    }
}
