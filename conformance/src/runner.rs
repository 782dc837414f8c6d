//! The conformance runner (skeleton).
