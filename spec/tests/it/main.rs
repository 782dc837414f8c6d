//! Integration tests of `kyc-spec` (one test binary; one module per area).

mod ajv_agreement;
mod ajv_goldens;
mod ajv_schemas;
mod contract;
mod examples;
mod generated_types;
mod openapi;
