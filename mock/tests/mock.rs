//! Integration tests of the mock: scenarios (one cassette file per case, replayed by the
//! conformance runner against a fresh mock), customer creation and its triggers, the state
//! machine on a manual clock, webhook delivery to a loopback receiver, and a real socket
//! with hostile input.

mod mock {
    pub mod customer_init;
    pub mod harness;
    pub mod linger;
    pub mod routes;
    pub mod scenarios;
    pub mod seed;
    pub mod socket;
    pub mod transitions;
    pub mod validation;
    pub mod webhooks;
}
