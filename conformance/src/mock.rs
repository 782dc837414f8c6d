//! A mock of connectFi's KYC endpoints (skeleton; the public API below is the contract).

/// Configuration and shared state of one mock instance.
#[derive(Debug, Clone, Default)]
pub struct MockState {}

/// The whole mock as a router, testable without a socket.
pub fn app(state: MockState) -> axum::Router {
    let _ = state;
    axum::Router::new()
}

/// A mock serving on an ephemeral loopback port, stopped when dropped.
#[derive(Debug)]
pub struct RunningMock {
    /// Where it listens, e.g. `127.0.0.1:40123`.
    pub addr: std::net::SocketAddr,
}
