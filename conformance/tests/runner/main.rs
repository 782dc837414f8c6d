//! Integration tests of the conformance runner (`kyc_conformance::runner`).
//!
//! * `cassette_format`: every file in `bad_cassettes/` must be refused with its file and a
//!   pointer (add a case: add a file, then `cargo insta review`);
//! * `compare`: every file in `compare/` is a cassette plus an answer; the deviation list is
//!   snapshotted (add a case: add a file);
//! * `replay`: the runner over real sockets against a server that plays cassettes back;
//! * `report`: the text, JSON and JUnit renderings of one hand-built report;
//! * `cli`: the `kyc-conformance replay` binary's exit codes and report files;
//! * `scenarios`: scenario features (captures, unique values, waits, mock-only steps,
//!   webhooks, a failing step) through the binary, one file per case;
//! * `suite`: the bundled cassettes against the embedded mock, one snapshot test each.

mod cassette_format;
mod cli;
mod compare;
mod playback;
mod replay;
mod report;
mod scenarios;
mod suite;
