//! Dependable runs against a slow, flaky, rate-limited live sandbox: retries with back-off
//! ([`retry`]), a request rate ceiling ([`rate`]) and stable sharding of a suite across CI
//! jobs ([`shard`]). Replay and record share them.

pub mod rate;
pub mod retry;
pub mod shard;
