//! The contract of connectFi's deprecated `POST /customer/kyc/init`.
//!
//! * [`schemas`]: the hand-written JSON Schema files in `spec/schema/`, embedded;
//! * [`ajv`]: validation whose error lists are byte-identical to Ajv 8's;
//! * [`generated`]: Rust types generated from the schema by `cargo xtask codegen`.

pub mod ajv;
pub mod generated;
pub mod schemas;

pub use schemas::Document;
