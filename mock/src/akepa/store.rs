//! Where the akepa applications and generated documents live.
//!
//! Applications are sharded by customer, like the KYC records, so the two worker threads of a
//! load test rarely wait for each other. Within a shard they sit in one vector in creation
//! order, and an application's id names both its shard and its position there (see
//! [`AppId`]): finding one is indexing and comparing 27 bytes, with no map of ids to keep up,
//! and a request that carries only the id (the review control) needs no search. A customer's
//! applications are chained newest to oldest from an entry per customer, so adding one touches
//! that entry and the end of the vector, whatever the shard holds.
//!
//! The timed steps are one schedule for the whole mock; its earliest due time is kept in an
//! atomic, so the catch-up every request starts with costs one load while nothing is due.

use std::collections::BTreeSet;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use foldhash::fast::FixedState;
use serde_json::Value;

use super::application::Application;
use crate::clock::Millis;
use crate::ids::{BASE62, IdGenerator};
use crate::kyc::Delays;
use crate::state::{HashMap, lock};

/// How many shards hold the applications; each is named by one base-62 character.
const SHARDS: usize = 32;
const _: () = assert!(SHARDS <= BASE62.len());

/// Which shard a customer's applications live in. A fixed seed, so that a seeded mock hands
/// out the same application ids on every run.
const SHARD_HASHER: FixedState = FixedState::with_seed(0x616b_6570_615f_6d6b);

/// An application id the mock hands out: `iapp_`, one base-62 character naming the shard, six
/// giving the position in it, 15 random ones. The random part is what makes an id
/// unguessable (a client that alters a handed-out id finds nothing: the application at that
/// position has another id). 27 bytes inline, so holding millions allocates nothing per id.
/// An id of another shape was never handed out (`applicationNotFound`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct AppId([u8; AppId::LEN]);

impl AppId {
    const PREFIX: &'static [u8] = b"iapp_";
    const LEN: usize = 27;
    /// Base-62 digits of the position: 62^6, 56 billion applications per shard.
    const SLOT_DIGITS: usize = 6;

    fn generate(shard: usize, slot: usize, ids: &IdGenerator) -> AppId {
        let mut bytes = [0; AppId::LEN];
        let (prefix, rest) = bytes.split_at_mut(AppId::PREFIX.len());
        prefix.copy_from_slice(AppId::PREFIX);
        let (named, random) = rest.split_at_mut(1 + AppId::SLOT_DIGITS);
        named[0] = BASE62[shard % SHARDS];
        // A position past what six digits hold wraps; the id then fails the comparison in
        // `Shard::position` and is never found (no shard holds 56 billion applications).
        let mut n = slot;
        for digit in named[1..].iter_mut().rev() {
            *digit = BASE62[n % 62];
            n /= 62;
        }
        ids.fill_base62(random);
        AppId(bytes)
    }

    /// The id a client sent, if it has the shape of the ids the mock hands out.
    pub(crate) fn parse(id: &str) -> Option<AppId> {
        let bytes: [u8; AppId::LEN] = id.as_bytes().try_into().ok()?;
        let id = AppId(bytes);
        let shape = bytes.starts_with(AppId::PREFIX)
            && bytes[AppId::PREFIX.len()..]
                .iter()
                .all(u8::is_ascii_alphanumeric);
        (shape && id.shard().is_some()).then_some(id)
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ids are ASCII by construction")
    }

    fn digit(&self, at: usize) -> Option<usize> {
        let c = *self.0.get(AppId::PREFIX.len() + at)?;
        BASE62.iter().position(|&b| b == c)
    }

    fn shard(&self) -> Option<usize> {
        self.digit(0).filter(|&n| n < SHARDS)
    }

    fn slot(&self) -> Option<usize> {
        (1..=AppId::SLOT_DIGITS).try_fold(0usize, |n, at| Some(n * 62 + self.digit(at)?))
    }
}

impl std::fmt::Debug for AppId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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

/// An application where it is stored, with the link to its customer's previous one.
#[derive(Debug)]
struct Stored {
    app: Application,
    /// Position of the same customer's previous application in this shard.
    previous: Option<usize>,
}

/// A customer with applications in the shard.
#[derive(Debug)]
struct Customer {
    /// The id the customer's applications share (the map's key, had again without a second
    /// lookup).
    id: Arc<str>,
    /// Position of the newest application.
    latest: usize,
}

/// One shard's applications, in creation order, and its customers.
///
/// A growing vector of this size is moved by the allocator remapping pages, not by copying.
#[derive(Debug, Default)]
pub(crate) struct Shard {
    index: usize,
    applications: Vec<Stored>,
    customers: HashMap<Arc<str>, Customer>,
}

impl Shard {
    /// Adds an application for the customer: `make` gets its id and the customer's shared id
    /// and returns the application and whatever the caller wants back (its answer).
    pub(crate) fn create<T>(
        &mut self,
        customer_id: &str,
        ids: &IdGenerator,
        make: impl FnOnce(AppId, Arc<str>) -> (Application, T),
    ) -> T {
        let slot = self.applications.len();
        let id = AppId::generate(self.index, slot, ids);
        let (customer, previous) = match self.customers.get_mut(customer_id) {
            Some(known) => (
                known.id.clone(),
                Some(std::mem::replace(&mut known.latest, slot)),
            ),
            None => {
                let shared: Arc<str> = customer_id.into();
                let entry = Customer {
                    id: shared.clone(),
                    latest: slot,
                };
                self.customers.insert(shared.clone(), entry);
                (shared, None)
            }
        };
        let (app, out) = make(id, customer);
        self.applications.push(Stored { app, previous });
        out
    }

    /// Where the application with this id is, if the shard handed it out.
    fn position(&self, id: &AppId) -> Option<usize> {
        let slot = id.slot()?;
        (self.applications.get(slot)?.app.id == *id).then_some(slot)
    }

    /// The application, if it is the customer's.
    pub(crate) fn of(&self, customer_id: &str, id: &AppId) -> Option<&Application> {
        let app = &self.applications.get(self.position(id)?)?.app;
        (&*app.customer_id == customer_id).then_some(app)
    }

    /// The application, whoever's it is.
    pub(crate) fn get_mut(&mut self, id: &AppId) -> Option<&mut Application> {
        let slot = self.position(id)?;
        self.applications
            .get_mut(slot)
            .map(|stored| &mut stored.app)
    }

    /// The positions of a customer's applications, oldest first.
    fn positions_of(&self, customer_id: &str) -> Vec<usize> {
        let mut positions = Vec::new();
        let mut next = self.customers.get(customer_id).map(|c| c.latest);
        while let Some(slot) = next {
            positions.push(slot);
            next = self.applications.get(slot).and_then(|s| s.previous);
        }
        positions.reverse();
        positions
    }

    /// A customer's applications, oldest first.
    pub(crate) fn of_customer(&self, customer_id: &str) -> Vec<&Application> {
        self.positions_of(customer_id)
            .into_iter()
            .filter_map(|slot| self.applications.get(slot).map(|s| &s.app))
            .collect()
    }

    /// A customer's newest application.
    pub(crate) fn latest_of(&self, customer_id: &str) -> Option<&Application> {
        let slot = self.customers.get(customer_id)?.latest;
        self.applications.get(slot).map(|s| &s.app)
    }

    /// Takes the application's timed steps due by `now`, calling `changed` after each. Every
    /// handler does this before reading an application, so an answer shows the journey as it
    /// stands even while a concurrent catch-up has taken the schedule's entry but not yet
    /// this shard (it then steps nothing).
    pub(crate) fn step_due(
        &mut self,
        id: &AppId,
        now: Millis,
        delays: &Delays,
        changed: &mut impl FnMut(&Application),
    ) {
        if let Some(slot) = self.position(id) {
            self.step_at(slot, now, delays, changed);
        }
    }

    /// [`Shard::step_due`] for every application of a customer, oldest first.
    pub(crate) fn step_customer(
        &mut self,
        customer_id: &str,
        now: Millis,
        delays: &Delays,
        changed: &mut impl FnMut(&Application),
    ) {
        for slot in self.positions_of(customer_id) {
            self.step_at(slot, now, delays, changed);
        }
    }

    fn step_at(
        &mut self,
        slot: usize,
        now: Millis,
        delays: &Delays,
        changed: &mut impl FnMut(&Application),
    ) {
        if let Some(Stored { app, .. }) = self.applications.get_mut(slot) {
            while app.step_if_due(now, delays) {
                changed(app);
            }
        }
    }
}

/// Every application and generated document of one mock.
#[derive(Debug)]
pub(crate) struct Akepa {
    shards: Box<[Mutex<Shard>]>,
    documents: Mutex<HashMap<String, Document>>,
    /// When each application with a timed step next falls due: only these are looked at when
    /// catching up, so a request costs the same with a million applications as with one.
    /// An entry may be stale (a request moved the application on since); it then steps
    /// nothing.
    schedule: Mutex<BTreeSet<(Millis, AppId)>>,
    /// The first due time in `schedule` (`u64::MAX` when empty), written under its lock.
    earliest: AtomicU64,
}

impl Default for Akepa {
    fn default() -> Akepa {
        Akepa {
            shards: (0..SHARDS)
                .map(|index| {
                    Mutex::new(Shard {
                        index,
                        ..Shard::default()
                    })
                })
                .collect(),
            documents: Mutex::default(),
            schedule: Mutex::default(),
            earliest: AtomicU64::new(u64::MAX),
        }
    }
}

impl Akepa {
    /// The shard that holds (or will hold) the customer's applications.
    pub(crate) fn customer_shard(&self, customer_id: &str) -> MutexGuard<'_, Shard> {
        let index = SHARD_HASHER.hash_one(customer_id) as usize % SHARDS;
        lock(&self.shards[index])
    }

    /// The shard an application id names; `None` for an id the mock never handed out.
    pub(crate) fn application_shard(&self, id: &AppId) -> Option<MutexGuard<'_, Shard>> {
        Some(lock(&self.shards[id.shard()?]))
    }

    /// The generated documents. Taken before a shard when both are needed.
    pub(crate) fn documents(&self) -> MutexGuard<'_, HashMap<String, Document>> {
        lock(&self.documents)
    }

    /// Notes when an application next moves on its own (after any change to it).
    pub(crate) fn schedule(&self, app: &Application, delays: &Delays) {
        if let Some(due) = app.next_due(delays) {
            self.schedule_at(due, app.id);
        }
    }

    fn schedule_at(&self, due: Millis, id: AppId) {
        let mut schedule = lock(&self.schedule);
        schedule.insert((due, id));
        self.note_earliest(&schedule);
    }

    fn note_earliest(&self, schedule: &BTreeSet<(Millis, AppId)>) {
        let first = schedule.first().map_or(u64::MAX, |(due, _)| *due);
        self.earliest.store(first, Ordering::Release);
    }

    /// Applies every timed step due by `now`, calling `changed` with the application after
    /// each change, in order (each change is one callback).
    pub(crate) fn catch_up(
        &self,
        now: Millis,
        delays: &Delays,
        mut changed: impl FnMut(&Application),
    ) {
        if now < self.earliest.load(Ordering::Acquire) {
            return;
        }
        let due: Vec<AppId> = {
            let mut schedule = lock(&self.schedule);
            let mut due = Vec::new();
            while let Some(&(when, id)) = schedule.first()
                && when <= now
            {
                schedule.pop_first();
                due.push(id);
            }
            self.note_earliest(&schedule);
            due
        };
        for id in due {
            let next = {
                let Some(mut shard) = self.application_shard(&id) else {
                    continue;
                };
                shard.step_due(&id, now, delays, &mut changed);
                shard.get_mut(&id).and_then(|app| app.next_due(delays))
            };
            if let Some(next) = next {
                self.schedule_at(next, id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::akepa::application::Journey;
    use crate::akepa::application::tests::template;
    use crate::kyc::KycStatus;

    const DELAYS: Delays = Delays {
        pending: Duration::from_millis(10),
        review: Duration::from_millis(100),
    };

    fn create(
        akepa: &Akepa,
        customer: &str,
        template: &Arc<crate::kyc::Template>,
        reference: &str,
        ids: &IdGenerator,
    ) -> AppId {
        akepa
            .customer_shard(customer)
            .create(customer, ids, |id, customer| {
                let app = Application::new(id, template.clone(), customer, reference.into(), 0);
                (app, id)
            })
    }

    #[test]
    fn ids_name_their_shard_and_only_the_mocks_shape_parses() {
        let ids = IdGenerator::new(Some(7));
        for shard in 0..SHARDS {
            for slot in [0, 1, 61, 62, 3_843, 56_800_235_583] {
                let id = AppId::generate(shard, slot, &ids);
                assert_eq!(id.as_str().len(), 27);
                assert!(id.as_str().starts_with("iapp_"));
                assert_eq!(AppId::parse(id.as_str()), Some(id));
                assert_eq!((id.shard(), id.slot()), (Some(shard), Some(slot)));
            }
        }
        for other in [
            "",
            "iapp_",
            "iapp_1BGgJeDQJFo5MCup15zq9",
            "iapp_1BGgJeDQJFo5MCup15zq9AB",
            "iapx_1BGgJeDQJFo5MCup15zq9A",
            "iapp_1BGgJeDQJFo5MCup15zq_A",
            // A shard character past the last shard.
            "iapp_zBGgJeDQJFo5MCup15zq9A",
            "iapp_1BGgJeDQJFo5MCup15zq9\u{e9}",
        ] {
            assert_eq!(AppId::parse(other), None, "{other:?}");
        }
    }

    #[test]
    fn a_customers_applications_share_its_shard_and_come_back_oldest_first() {
        let akepa = Akepa::default();
        let template = template(0, &[KycStatus::Pending, KycStatus::Approved], &[]);
        let ids = IdGenerator::new(Some(1));
        let mut made = Vec::new();
        for (customer, reference) in [("cstap_x", "r1"), ("cstap_y", "r2"), ("cstap_x", "r3")] {
            let id = create(&akepa, customer, &template, reference, &ids);
            made.push(id);
        }
        let shard = akepa
            .application_shard(&made[2])
            .expect("a shard the mock names");
        let listed: Vec<_> = shard.of_customer("cstap_x").iter().map(|a| a.id).collect();
        assert_eq!(listed, [made[0], made[2]]);
        assert_eq!(shard.latest_of("cstap_x").map(|a| a.id), Some(made[2]));
        assert!(shard.of("cstap_x", &made[0]).is_some());
        assert!(
            shard.of("cstap_y", &made[0]).is_none(),
            "another customer's id"
        );
        drop(shard);
        // An id altered in its random part, or pointing past the shard's end, finds nothing.
        let mut altered = made[0];
        altered.0[AppId::LEN - 1] = if altered.0[AppId::LEN - 1] == b'0' {
            b'1'
        } else {
            b'0'
        };
        let past = AppId::generate(made[0].shard().unwrap_or(0), 1_000, &ids);
        for id in [altered, past] {
            let mut shard = akepa
                .application_shard(&id)
                .expect("a shard the mock names");
            assert!(shard.get_mut(&id).is_none(), "{id:?}");
        }
    }

    #[test]
    fn catching_up_steps_what_fell_due_once_and_reschedules_the_rest() {
        let delays = DELAYS;
        let akepa = Akepa::default();
        let path = [KycStatus::Pending, KycStatus::Review, KycStatus::Approved];
        let ids = IdGenerator::new(Some(2));
        let id = akepa
            .customer_shard("cstap_x")
            .create("cstap_x", &ids, |id, customer| {
                let app = Application::new(id, template(0, &path, &[]), customer, "r".into(), 0);
                akepa.schedule(&app, &delays);
                (app, id)
            });
        let mut seen = Vec::new();
        akepa.catch_up(9, &delays, |a| seen.push(a.status));
        assert_eq!(seen, [], "nothing due before 10 ms");
        akepa.catch_up(10, &delays, |a| seen.push(a.status));
        assert_eq!(seen, [Journey::WaitingReview]);
        akepa.catch_up(10, &delays, |a| seen.push(a.status));
        assert_eq!(seen.len(), 1, "a change is reported once");
        akepa.catch_up(1_000, &delays, |a| seen.push(a.status));
        assert_eq!(seen, [Journey::WaitingReview, Journey::Completed]);
        assert_eq!(akepa.earliest.load(Ordering::Relaxed), u64::MAX);
        let shard = akepa
            .application_shard(&id)
            .expect("a shard the mock names");
        assert_eq!(
            shard.of("cstap_x", &id).map(|a| a.status),
            Some(Journey::Completed)
        );
    }

    /// A handler steps the application it reads itself, so its answer never lags behind the
    /// clock while a catch-up elsewhere holds the schedule's entry.
    #[test]
    fn a_read_steps_what_fell_due_without_the_schedule() {
        let delays = DELAYS;
        let akepa = Akepa::default();
        let ids = IdGenerator::new(Some(3));
        let path = [KycStatus::Pending, KycStatus::Approved];
        let id = create(&akepa, "cstap_x", &template(0, &path, &[]), "r", &ids);
        let mut shard = akepa
            .application_shard(&id)
            .expect("a shard the mock names");
        let mut changes = 0;
        shard.step_due(&id, 9, &delays, &mut |_| changes += 1);
        assert_eq!(changes, 0);
        shard.step_customer("cstap_x", 10, &delays, &mut |_| changes += 1);
        shard.step_due(&id, 10, &delays, &mut |_| changes += 1);
        assert_eq!(
            changes, 1,
            "one change, reported to whichever read saw it first"
        );
        assert_eq!(
            shard.of("cstap_x", &id).map(|a| (a.status, a.outcome)),
            Some((
                Journey::Completed,
                Some(crate::akepa::application::Outcome::Approved)
            ))
        );
    }
}
