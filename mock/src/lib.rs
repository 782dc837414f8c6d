//! An embeddable mock of connectFi's KYC endpoints that answers like the sandbox: the
//! documented envelopes and errors, Ajv-exact `requestValidateError`s, customers with a KYC
//! state machine on a controllable clock, webhooks through an allowlist, and a deterministic
//! mode for snapshot tests.
//!
//! It depends on the contract (`kyc-spec`), axum and tokio, and on no HTTP client, CLI parser
//! or log subscriber, so it can sit in any service's dev-dependencies. Start it in a test:
//!
//! ```
//! # async fn demo() -> Result<(), kyc_mock::MockError> {
//! let mock = kyc_mock::spawn(kyc_mock::MockConfig::deterministic(42)).await?;
//! let init_url = format!("{}/customer/kyc/init", mock.base_url());
//! // ... point the client under test at `init_url` ...
//! # let _ = init_url;
//! mock.shutdown().await
//! # }
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(demo()).unwrap();
//! ```
//!
//! In your own crate that is a `#[tokio::test] async fn ...() { let mock = kyc_mock::spawn(...).await?; ... }`.
//! [`app`] gives the same mock as an axum `Router`, to drive without a socket
//! (`tower::ServiceExt::oneshot`). `kyc-conformance mock` serves it from the command line.
//!
//! Module map: `config` what an instance is; [`builtin`] the built-in customers; `customer`
//! customers created with `POST /customer/init` and `triggers` the names that choose their KYC;
//! `kyc` the state machine; `state` live data; `routes` the HTTP surface; `body`, `error` and
//! `envelope` reading requests and writing answers; `webhook` callbacks; `clock` and
//! `ids` reproducibility; `server` sockets. Every public item has one path: the crate root,
//! or `builtin::` for the built-in customers' ids.

// Embedders see exactly what is exported below; nothing public hides in a private module.
#![warn(unreachable_pub, unnameable_types)]

pub mod builtin;

mod akepa;
mod body;
mod clock;
mod config;
mod customer;
mod envelope;
mod error;
mod ids;
mod kyc;
mod routes;
mod server;
mod state;
mod triggers;
mod webhook;

pub use body::{JSON_BODY_LIMIT, UPLOAD_BODY_LIMIT};
pub use clock::{Clock, MANUAL_CLOCK_START, Millis, format_timestamp, parse_timestamp};
pub use config::{
    DEFAULT_LOGIN, DEFAULT_PASSWORD, DEFAULT_TOKEN_TTL, Generate, MockConfig, Scenarios,
};
pub use envelope::JSON_CONTENT_TYPE;
pub use error::{
    AGGREGATOR_ID, APPLICATION_NOT_FOUND, AUTHENTICATION_ERROR, CUSTOMER_EXISTS,
    CUSTOMER_NOT_FOUND, DOCUMENT_NOT_FOUND, FILE_NOT_FOUND, REFERENCE_EXISTS,
    STATUS_APPLICATION_ENTITY,
};
pub use kyc::{
    AttributeCode, Delays, DocumentSide, DocumentSpec, DocumentType, KycStatus, Template,
    Unmodelled,
};
pub use routes::app;
pub use server::{MockError, RunningMock, serve, spawn};
pub use state::{MockState, TOKEN_HEADER};
pub use triggers::names as trigger_names;
pub use webhook::{AllowRule, DELIVERY_TIMEOUT, Refusal, WebhookAllowlist, is_loopback_url};
