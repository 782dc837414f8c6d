//! The live-run flags shared by the subcommands that talk to a target (`replay`, `record`, `audit`,
//! `migrate`), and where a live target's callbacks reach this machine.

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
    /// Override a variable or a unique value of every cassette (repeatable), e.g. a
    /// customer the live target already has: `--var customerId=cstap_…`.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
}

/// `NAME=VALUE`, NAME a placeholder name other than the target's own (`token`, `login`,
/// `password`, which come from the environment).
fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE, got {text:?}"))?;
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!(
            "{name:?} is not a placeholder name (letters, digits and _, not starting with a digit)"
        ));
    }
    if kyc_conformance::cassette::RESERVED.contains(&name) {
        return Err(format!(
            "{{{{{name}}}}} is the target's own; set it through the environment"
        ));
    }
    Ok((name.to_owned(), value.to_owned()))
}

impl LiveArgs {
    /// The retry policy.
    pub fn policy(&self) -> Policy {
        Policy::with_retries(self.retries)
    }

    /// The `--var` overrides (a later one wins).
    pub fn overrides(&self) -> std::collections::BTreeMap<String, String> {
        self.vars.iter().cloned().collect()
    }
}

/// Where a live target's callbacks reach this machine: a tunnel (ngrok, cloudflared, an SSH
/// reverse forward) from a public address to the webhook receiver's port on 127.0.0.1.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TunnelArgs {
    /// Port of the webhook receiver on 127.0.0.1, for a tunnel to forward to (default: an
    /// ephemeral port, which only the mock can reach).
    #[arg(long, value_name = "PORT")]
    pub webhook_port: Option<u16>,
    /// The tunnel's public base URL: callbacks are registered as `<URL>/webhook/<case>`, so
    /// a live target can call them back. Implies `--capture-webhooks` for replay.
    #[arg(long, value_name = "URL", value_parser = parse_public_url)]
    pub webhook_public_url: Option<String>,
}

impl TunnelArgs {
    /// The receiver's exposure.
    pub fn exposure(&self) -> kyc_conformance::webhook_capture::Exposure {
        kyc_conformance::webhook_capture::Exposure {
            port: self.webhook_port.unwrap_or(0),
            public_url: self.webhook_public_url.clone(),
        }
    }
}

/// An `http://` or `https://` URL without a query or fragment (the receiver adds its path).
fn parse_public_url(text: &str) -> Result<String, String> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(|| format!("{text} is not an http:// or https:// URL"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(['?', '#', ' ']) {
        return Err(format!(
            "{text} is not a base URL (a host, optionally a path; no query)"
        ));
    }
    Ok(text.to_owned())
}

/// The `--timeout` seconds as a duration, refused unless positive and finite.
pub fn timeout(seconds: f64) -> anyhow::Result<std::time::Duration> {
    if !(seconds.is_finite() && seconds > 0.0) {
        anyhow::bail!("--timeout must be a positive number of seconds, not {seconds}");
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

impl LiveArgs {
    /// Refuses the flags a report's own probes have no use for, rather than ignoring them.
    pub fn refuse_case_flags(&self, subcommand: &str) -> anyhow::Result<()> {
        if self.shard.is_some() || !self.vars.is_empty() {
            anyhow::bail!(
                "--shard and --var do not apply to {subcommand}: its probes and customers are its own"
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tunnel_tests {
    use super::parse_public_url;

    #[test]
    fn a_tunnel_address_is_a_base_url() {
        assert!(parse_public_url("https://abc.tunnel.example").is_ok());
        assert!(parse_public_url("http://127.0.0.1:8080/hooks").is_ok());
        for bad in [
            "abc.tunnel.example",
            "ftp://x",
            "https://",
            "https://x/?a=1",
            "https://x/#f",
        ] {
            assert!(parse_public_url(bad).is_err(), "{bad}");
        }
    }
}
