//! The contract of connectFi's deprecated `POST /customer/kyc/init`.
//!
//! * [`schemas`]: the hand-written JSON Schema files in `spec/schema/`, embedded;
//! * [`ajv`]: validation whose error lists are byte-identical to Ajv 8's;
//! * [`calendar`]: UTC calendar arithmetic for the contract's timestamps and HTTP dates;
//! * [`openapi`]: the OpenAPI 3.1 document assembled from the schema files;
//! * [`generated`]: Rust types generated from the schema by `cargo xtask codegen`.

pub mod ajv;
pub mod calendar;
#[rustfmt::skip] // prettyplease formats it; `cargo xtask codegen --check` guards it.
pub mod generated;
pub mod openapi;
pub mod schemas;

pub use schemas::Document;
