//! The conformance toolkit for connectFi's KYC endpoints.
//!
//! * [`audit`]: fixed probes that answer the questions the docs leave open, with evidence;
//! * [`migrate`]: the migration report from the deprecated endpoints to `/akepa`;
//! * `html`: the reports' self-contained page (crate-internal);
//! * [`cassette`]: the recorded exchange, its file format and the one typed model of it;
//! * [`lint`]: proves a directory of cassettes holds no secret and no personal data;
//! * [`live`]: retries, a rate ceiling and sharding for runs against a live sandbox;
//! * [`record`]: fresh cassettes from a live target, redacted before they are written;
//! * [`redact`]: fail-closed redaction of secrets and personal data before anything is written;
//! * [`runner`]: records and replays cassettes against the mock or a live sandbox and reports deviations;
//! * [`webhook_capture`]: a loopback receiver that collects and checks a target's callbacks.

pub mod audit;
pub mod cassette;
pub(crate) mod html;
pub mod lint;
pub mod live;
pub mod migrate;
pub mod record;
pub mod redact;
pub mod runner;
pub mod webhook_capture;
