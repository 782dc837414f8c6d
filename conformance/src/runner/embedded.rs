//! The default replay target: the crate's own mock, started in-process on a loopback port.
//!
//! It runs deterministically (fixed seed, manual clock): time does not pass during a replay,
//! so no customer's KYC status moves on between two cassettes and every run answers alike.

use kyc_mock::{self as mock, MockConfig, MockError, RunningMock};

use super::client::{ClientError, Secret, Session, SessionConfig};

/// The seed of the embedded mock's ids.
pub const SEED: u64 = 5;

/// A running embedded mock; stops when dropped.
#[derive(Debug)]
pub struct EmbeddedMock {
    mock: RunningMock,
}

impl EmbeddedMock {
    /// Starts the mock on `127.0.0.1` with an ephemeral port.
    pub async fn start() -> Result<EmbeddedMock, MockError> {
        let mock = mock::spawn(MockConfig::deterministic(SEED)).await?;
        Ok(EmbeddedMock { mock })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.mock.base_url()
    }

    /// A session on this mock as every run uses one: logged in, allowed its mock-only
    /// operations, and with the fixed unique-value seed (the mock starts empty every run, so
    /// fixed values cannot collide, and they keep its answers the same from run to run).
    pub async fn session(&self, config: SessionConfig<'_>) -> Result<Session, ClientError> {
        let mut session = Session::new(config)?;
        session
            .login(
                Secret::new(mock::DEFAULT_LOGIN),
                Secret::new(mock::DEFAULT_PASSWORD),
            )
            .await?;
        session.set_unique_seed(SEED);
        session.set_mock_control(true);
        Ok(session)
    }

    /// Credentials the mock accepts at `/auth/get-token`.
    pub fn credentials(&self) -> Option<(&'static str, &'static str)> {
        Some((mock::DEFAULT_LOGIN, mock::DEFAULT_PASSWORD))
    }
}
