//! The default replay target: the crate's own mock, started in-process on a loopback port.
//!
//! It runs deterministically (fixed seed, manual clock): time passes only when a scenario moves
//! the clock (a mock-only step, or a wait), and such a scenario runs with nothing else in
//! flight ([`Session::clock_gate`]), so every run answers alike. The session's token is a
//! fixed one that never expires, so a scenario that moves the clock past a login's lifetime
//! does not log the rest of the run out.

use kyc_mock::{self as mock, MockConfig, MockError, RunningMock};

use super::client::{ClientError, Secret, Session, SessionConfig};

/// The seed of the embedded mock's ids.
pub const SEED: u64 = 5;

/// The embedded mock's fixed token, which never expires (never shown: the session holds it
/// as a secret).
const TOKEN: &str = "embedded-mock-token";

/// A running embedded mock; stops when dropped.
#[derive(Debug)]
pub struct EmbeddedMock {
    mock: RunningMock,
}

impl EmbeddedMock {
    /// Starts the mock on `127.0.0.1` with an ephemeral port.
    pub async fn start() -> Result<EmbeddedMock, MockError> {
        let config = MockConfig {
            token: Some(TOKEN.to_owned()),
            ..MockConfig::deterministic(SEED)
        };
        let mock = mock::spawn(config).await?;
        Ok(EmbeddedMock { mock })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.mock.base_url()
    }

    /// A session on this mock as every run uses one: its fixed token, the login and password
    /// for `{{login}}` and `{{password}}`, its mock-only operations allowed, and the fixed
    /// unique-value seed (the mock starts empty every run, so fixed values cannot collide, and
    /// they keep its answers the same from run to run).
    pub async fn session(&self, config: SessionConfig<'_>) -> Result<Session, ClientError> {
        let mut session = Session::new(config)?;
        session.set_token(Secret::new(TOKEN));
        session.set_credentials(
            Secret::new(mock::DEFAULT_LOGIN),
            Secret::new(mock::DEFAULT_PASSWORD),
        );
        session.set_unique_seed(SEED);
        session.set_mock_control(true);
        Ok(session)
    }

    /// Credentials the mock accepts at `/auth/get-token`.
    pub fn credentials(&self) -> Option<(&'static str, &'static str)> {
        Some((mock::DEFAULT_LOGIN, mock::DEFAULT_PASSWORD))
    }
}
