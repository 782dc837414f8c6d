//! A mock of connectFi's deprecated KYC endpoints that answers like the sandbox: the
//! documented envelopes and errors, Ajv-exact `requestValidateError`s, customers with a KYC
//! state machine, webhooks, and a deterministic mode for snapshot tests.
//!
//! Run it with `kyc-conformance mock`, or in-process:
//!
//! ```no_run
//! # async fn demo() -> Result<(), kyc_conformance::mock::MockError> {
//! use kyc_conformance::mock::{MockConfig, spawn};
//! let mock = spawn(MockConfig::deterministic(42)).await?;
//! let url = format!("{}/customer/kyc/init", mock.base_url());
//! # let _ = url;
//! mock.shutdown().await
//! # }
//! ```
//!
//! Module map: [`config`] what an instance is; [`builtin`] the built-in customers; `kyc` the
//! state machine; `state` live data; `routes` the HTTP surface; `body`, `error` and
//! `envelope` reading requests and writing answers; [`webhook`] callbacks; [`clock`] and
//! `ids` reproducibility; `server` sockets; [`cli`] the subcommand.

pub mod builtin;
pub mod cli;
pub mod clock;
pub mod config;
pub mod webhook;

mod body;
mod envelope;
mod error;
mod ids;
mod kyc;
mod routes;
mod server;
mod state;

pub use body::{JSON_BODY_LIMIT, UPLOAD_BODY_LIMIT};
pub use clock::{Clock, MANUAL_CLOCK_START, Millis};
pub use config::{
    DEFAULT_LOGIN, DEFAULT_PASSWORD, DEFAULT_TOKEN_TTL, Generate, MockConfig, Scenarios,
};
pub use envelope::JSON_CONTENT_TYPE;
pub use error::{AUTHENTICATION_ERROR, CUSTOMER_NOT_FOUND, DOCUMENT_NOT_FOUND};
pub use kyc::{
    AttributeCode, Delays, DocumentSide, DocumentSpec, DocumentType, KycStatus, Template,
};
pub use routes::app;
pub use server::{MockError, RunningMock, serve, spawn};
pub use state::{MockState, TOKEN_HEADER};
pub use webhook::{AllowRule, Refusal, WebhookAllowlist};
