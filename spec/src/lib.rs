//! The contract of connectFi's KYC endpoints: the deprecated `POST /customer/kyc/init` family
//! and what surrounds it.
//!
//! * [`contract`]: the table of operations (`spec/contract.json`) and the error codes;
//! * [`schemas`]: the hand-written JSON Schema files in `spec/schema/`, embedded and parsed once;
//! * [`fields`]: a document as the list of its fields (types, requiredness, constraints);
//! * [`migration`]: the deprecated operations' successors (`spec/migration.json`) and the static diff;
//! * [`ajv`]: validation whose error lists are byte-identical to Ajv 8's;
//! * [`calendar`]: UTC calendar arithmetic for the contract's timestamps;
//! * [`openapi`]: the OpenAPI 3.1 document derived from the contract and the schema files;
//! * [`pointer`](mod@pointer): JSON Pointer escaping, written once;
//! * [`generated`]: Rust types generated from the schema by `cargo xtask codegen`;
//! * [`ids`](mod@ids): conversions between the customer id and connectFi's `common-id`.

pub mod ajv;
pub mod calendar;
pub mod contract;
pub mod fields;
#[rustfmt::skip] // prettyplease formats it; `cargo xtask codegen --check` guards it.
pub mod generated;
pub mod ids;
pub mod migration;
pub mod openapi;
pub mod pointer;
pub mod schemas;

pub use contract::Contract;
pub use schemas::{Document, SHORT_NAMES};
