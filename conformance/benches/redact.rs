//! Redaction cost: what `record` adds per cassette, and what `lint` costs per file.
//!
//! `cargo bench -p kyc-conformance --bench redact`

use kyc_conformance::cassette::Cassette;
use kyc_conformance::lint::{Known, lint_value};
use kyc_conformance::redact::{PseudonymKey, Redactor};
use serde_json::Value;

fn main() {
    divan::main();
}

/// A live-looking init answer with a person, a cookie, a token and undescribed fields.
fn cassette() -> Value {
    let text = include_str!("../tests/privacy/redact/sandbox-init-200.json");
    serde_json::from_str(text).expect("the fixture is JSON")
}

#[divan::bench]
fn redact_cassette(bencher: divan::Bencher<'_, '_>) {
    let input = Cassette::from_value(std::path::Path::new("bench.json"), &cassette())
        .expect("the fixture is a cassette");
    let redactor = Redactor::new(PseudonymKey::from_passphrase("bench"));
    bencher.bench_local(|| redactor.redact_cassette(divan::black_box(&input)));
}

#[divan::bench]
fn lint_cassette(bencher: divan::Bencher<'_, '_>) {
    let input = cassette();
    let known = Known::default();
    let path = std::path::Path::new("bench.json");
    bencher.bench_local(|| lint_value(path, divan::black_box(&input), &known));
}

#[divan::bench]
fn scrub_log_line(bencher: divan::Bencher<'_, '_>) {
    let redactor = Redactor::new(PseudonymKey::from_passphrase("bench"));
    let typed = Cassette::from_value(std::path::Path::new("bench.json"), &cassette())
        .expect("the fixture is a cassette");
    let _ = redactor.redact_cassette(&typed);
    let line = "replay of init-status-approved failed: header set-cookie differs, Jane Roe at 845-555-8671";
    bencher.bench_local(|| redactor.scrub_text(divan::black_box(line)));
}
