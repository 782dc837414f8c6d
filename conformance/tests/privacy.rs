//! Privacy tests: fail-closed redaction of cassettes and the cassette lint, driven by the
//! fixture files under `tests/privacy/`.

mod privacy {
    mod lint;
    mod proof;
    mod redact;
}
