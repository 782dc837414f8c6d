//! `kyc-codegen` command line (skeleton).
fn main() {}
