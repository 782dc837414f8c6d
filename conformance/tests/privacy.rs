//! Privacy tests: fail-closed redaction, the cassette lint, and the end-to-end proof that
//! nothing planted leaks.

mod privacy {
    mod lint;
    mod proof;
    mod redact;
}
