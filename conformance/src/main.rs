//! `kyc-conformance` command line (skeleton).
fn main() {}
