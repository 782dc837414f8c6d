//! The live-run flags shared by `replay` and `record`.

use kyc_conformance::live::rate::Rate;
use kyc_conformance::live::retry::Policy;
use kyc_conformance::live::shard::Shard;

/// Retries, rate ceiling and shard.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LiveArgs {
    /// Retry a request up to N times on connection errors, 429 and 503 (with back-off,
    /// honouring Retry-After). A case that passes only on a retry is reported `flaky`.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub retries: u32,
    /// At most this many requests per second (`5`, `5/s`) or minute (`90/m`), across jobs.
    #[arg(long, value_name = "N/s")]
    pub rate: Option<Rate>,
    /// Run only shard I of N (1-based), chosen by a stable hash of the cassette name.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
}

impl LiveArgs {
    /// The retry policy.
    pub fn policy(&self) -> Policy {
        Policy::with_retries(self.retries)
    }
}
