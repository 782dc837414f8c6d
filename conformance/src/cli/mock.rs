//! `kyc-conformance mock`: its flags and how they become a [`MockConfig`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;

use kyc_mock::{AllowRule, MockConfig, WebhookAllowlist};

/// Serve the mock of connectFi's KYC endpoints until interrupted.
#[derive(Debug, Clone, clap::Args)]
pub struct MockArgs {
    /// Address to listen on (loopback unless you mean otherwise).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Also accept this fixed token as x-connectfi-token (it never expires).
    #[arg(long)]
    pub token: Option<String>,
    /// JSON file adding customers, outcomes, generated customers and delays (see MOCK.md).
    #[arg(long)]
    pub scenarios: Option<PathBuf>,
    /// Seed for ids, requestIds and tokens, so runs are reproducible.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Time a customer stays PENDING, in milliseconds (overrides the scenarios file).
    #[arg(long)]
    pub pending_ms: Option<u64>,
    /// Time a customer stays in REVIEW, in milliseconds (overrides the scenarios file).
    #[arg(long)]
    pub review_ms: Option<u64>,
    /// Allow webhooks to this host besides loopback (repeatable).
    #[arg(long = "webhook-allow", value_name = "HOST")]
    pub webhook_allow: Vec<String>,
}

impl MockArgs {
    /// The configuration these flags describe.
    pub fn config(&self) -> anyhow::Result<MockConfig> {
        let mut config = match &self.scenarios {
            // The error names the file already.
            Some(path) => MockConfig::from_scenarios_file(path)?,
            None => MockConfig::default(),
        };
        config.token = self.token.clone();
        config.seed = self.seed;
        if let Some(ms) = self.pending_ms {
            config.delays.pending = Duration::from_millis(ms);
        }
        if let Some(ms) = self.review_ms {
            config.delays.review = Duration::from_millis(ms);
        }
        let mut rules = vec![AllowRule::Loopback];
        rules.extend(
            self.webhook_allow
                .iter()
                .map(|h| AllowRule::Host(h.to_ascii_lowercase())),
        );
        config.webhook_allowlist = WebhookAllowlist::new(rules);
        Ok(config)
    }

    /// Serves until Ctrl-C.
    pub async fn run(self) -> anyhow::Result<()> {
        let config = self.config()?;
        kyc_mock::serve(config, self.addr)
            .await
            .context("running the mock")
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cmd {
        #[command(flatten)]
        args: MockArgs,
    }

    #[test]
    fn flags_become_the_configuration() {
        let cmd = Cmd::try_parse_from([
            "mock",
            "--token",
            "ci",
            "--seed",
            "7",
            "--pending-ms",
            "10",
            "--webhook-allow",
            "Hooks.Test",
        ])
        .expect("valid flags");
        assert_eq!(cmd.args.addr, "127.0.0.1:8080".parse().expect("addr"));
        let config = cmd.args.config().expect("a configuration");
        assert_eq!(
            (config.token.as_deref(), config.seed),
            (Some("ci"), Some(7))
        );
        assert_eq!(config.delays.pending, Duration::from_millis(10));
        assert_eq!(config.delays.review, Duration::from_secs(5));
        assert!(
            config
                .webhook_allowlist
                .check("http://hooks.test/x")
                .is_ok()
        );
        assert!(config.webhook_allowlist.check("http://127.0.0.1/x").is_ok());
        assert!(
            config
                .webhook_allowlist
                .check("http://other.test/x")
                .is_err()
        );
        assert!(Cmd::try_parse_from(["mock", "--addr", "not-an-address"]).is_err());
    }
}
