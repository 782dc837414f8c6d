//! Integration tests of the mock: data-driven exchanges (one JSON file per case, one insta
//! snapshot each), the state machine on a manual clock, webhook delivery to a loopback
//! receiver, and a real socket with hostile input.

mod mock {
    pub mod cases;
    pub mod customer_init;
    pub mod harness;
    pub mod linger;
    pub mod routes;
    pub mod seed;
    pub mod socket;
    pub mod transitions;
    pub mod validation;
    pub mod webhooks;
}
