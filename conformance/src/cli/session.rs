//! The session of a live target: its token from `CONNECTFI_TOKEN`, else a login with
//! `CONNECTFI_LOGIN` and `CONNECTFI_PASSWORD`. Shared by every subcommand that talks to a target.

use anyhow::{Context, bail};
use kyc_conformance::runner::client::{Secret, Session, SessionConfig};

/// A session for a live target: the token from `CONNECTFI_TOKEN`, else a login.
pub async fn live_session(config: SessionConfig<'_>) -> anyhow::Result<Session> {
    let url = config.base_url;
    let mut session = Session::new(config)?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let credentials = match (env("CONNECTFI_LOGIN"), env("CONNECTFI_PASSWORD")) {
        (Some(login), Some(password)) => Some((Secret::new(login), Secret::new(password))),
        _ => None,
    };
    match (env("CONNECTFI_TOKEN"), credentials) {
        (Some(token), credentials) => {
            session.set_token(Secret::new(token));
            // Still offered to the login cassettes' {{login}} and {{password}}.
            if let Some((login, password)) = credentials {
                session.set_credentials(login, password);
            }
        }
        (None, Some((login, password))) => session
            .login(login, password)
            .await
            .with_context(|| format!("logging in to {url}"))?,
        (None, None) => {
            bail!("a URL target needs CONNECTFI_TOKEN, or CONNECTFI_LOGIN and CONNECTFI_PASSWORD")
        }
    }
    Ok(session)
}

/// A session on a report's target (`audit`, `migrate`): the embedded mock, started here and
/// kept alive by the returned handle, or a live URL; either way with a webhook receiver on
/// 127.0.0.1 (a live target reaches it only through a tunnel: `tunnel`).
pub async fn report_session(
    target: &kyc_conformance::runner::target::Target,
    timeout: std::time::Duration,
    live: &super::live_args::LiveArgs,
    tunnel: &super::live_args::TunnelArgs,
) -> anyhow::Result<(
    Session,
    String,
    Option<kyc_conformance::runner::embedded::EmbeddedMock>,
)> {
    use kyc_conformance::runner::target::Target;
    let config = |base_url| SessionConfig {
        base_url,
        timeout,
        retry: live.policy(),
        rate: live.rate,
    };
    let (mut session, name, mock) = match target {
        Target::Url(url) => (live_session(config(url)).await?, url.clone(), None),
        Target::Mock => {
            let mock = kyc_conformance::runner::embedded::EmbeddedMock::start()
                .await
                .context("starting the embedded mock")?;
            let base = mock.base_url();
            let session = mock
                .session(config(&base))
                .await
                .context("a session on the embedded mock")?;
            (session, "the embedded mock".to_owned(), Some(mock))
        }
    };
    let receiver = kyc_conformance::webhook_capture::Receiver::start_exposed(&tunnel.exposure())
        .await
        .context("starting the webhook receiver on 127.0.0.1")?;
    session.set_webhook_receiver(receiver);
    Ok((session, name, mock))
}
