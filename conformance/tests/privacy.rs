//! Privacy and live-run tests: fail-closed redaction, the cassette lint, the end-to-end
//! proof that nothing planted leaks, and retries, rate, shards and Ctrl-C through the binary.

mod privacy {
    mod lint;
    mod live;
    mod proof;
    mod redact;
}
