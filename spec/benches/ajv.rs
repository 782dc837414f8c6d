//! Validation speed, to compare with Ajv on the same inputs (`node oracle.js --bench N`; the
//! exact commands are in BENCHMARKS.md): a valid request (the hot path), an invalid request
//! with its Ajv error list, and the 200 body.

use divan::{Bencher, black_box};
use kyc_spec::Document;
use kyc_spec::ajv::{Mode, Validator};
use serde_json::Value;

fn main() {
    divan::main();
}

fn input(text: &str) -> Value {
    serde_json::from_str(text.trim()).expect("bench inputs are JSON")
}

#[divan::bench]
fn valid_request(bencher: Bencher) {
    let v = Validator::embedded(Document::KycInitRequest);
    let body = input(include_str!("data/valid-request.jsonl"));
    bencher.bench(|| black_box(v.validate(black_box(&body), Mode::FirstError)).is_ok());
}

#[divan::bench]
fn invalid_request_error_list(bencher: Bencher) {
    let v = Validator::embedded(Document::KycInitRequest);
    let body = input(include_str!("data/invalid-request.jsonl"));
    bencher.bench(|| black_box(v.validate(black_box(&body), Mode::FirstError)).is_err());
}

#[divan::bench]
fn invalid_request_all_errors(bencher: Bencher) {
    let v = Validator::embedded(Document::KycInitRequest);
    let body = input(include_str!("data/invalid-request.jsonl"));
    bencher.bench(|| black_box(v.validate(black_box(&body), Mode::AllErrors)).is_err());
}

#[divan::bench]
fn valid_response(bencher: Bencher) {
    let v = Validator::embedded(Document::KycInitResponse);
    let body = input(include_str!("data/valid-response.jsonl"));
    bencher.bench(|| black_box(v.validate(black_box(&body), Mode::FirstError)).is_ok());
}

#[divan::bench]
fn invalid_request_is_valid_only(bencher: Bencher) {
    let v = Validator::embedded(Document::KycInitRequest);
    let body = input(include_str!("data/invalid-request.jsonl"));
    bencher.bench(|| black_box(v.is_valid(black_box(&body))));
}

#[divan::bench]
fn invalid_request_walker_only(bencher: Bencher) {
    let v = Validator::embedded(Document::KycInitRequest);
    let body = input(include_str!("data/invalid-request.jsonl"));
    bencher.bench(|| black_box(v.ajv_errors(black_box(&body), Mode::FirstError)));
}
