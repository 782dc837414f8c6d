//! The session of a live target: its token from `CONNECTFI_TOKEN`, else a login with
//! `CONNECTFI_LOGIN` and `CONNECTFI_PASSWORD`. Shared by `replay` and `record`.

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
