//! The conformance toolkit for connectFi's KYC endpoints.
//!
//! * [`mock`]: an axum server that answers like the sandbox;
//! * [`runner`]: records and replays cassettes against the mock or a live sandbox and reports deviations.

pub mod mock;
pub mod runner;
