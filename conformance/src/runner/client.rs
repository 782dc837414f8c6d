//! The HTTP side of a replay: one reqwest client per run, the session token, and answers
//! read into memory.
//!
//! The token is a [`Secret`]: its `Debug` is redacted and it is only ever written into the
//! `x-connectfi-token` header. Each session owns the run's [`Redactor`], the one holder of
//! the run's secrets, which [`crate::runner::redact_result`] uses before a case's result
//! leaves the runner, so neither secrets nor personal data reach a deviation; and the
//! live-run settings (retries, rate ceiling, webhook receiver) its requests go out with, all
//! from one [`SessionConfig`].

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde_json::{Value, json};

use crate::live::rate::Limiter;
use crate::live::retry::{self, Attempted, Policy, Verdict};
use crate::redact::{RedactError, Redactor};
use crate::webhook_capture::Receiver;

/// A value that must never appear in output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// A request ready to send: placeholders filled, body serialized.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Headers in cassette order.
    pub headers: Vec<(String, String)>,
    /// Raw body bytes, if any.
    pub body: Option<Vec<u8>>,
}

/// What the target answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// Raw body.
    pub body: Vec<u8>,
}

impl Answer {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request could not be completed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The client could not be built (bad TLS setup and the like).
    #[error("could not build the HTTP client")]
    Build(#[source] reqwest::Error),
    /// The base URL is unusable.
    #[error("target {0:?} is not an http(s) URL")]
    BadTarget(String),
    /// The method is not a valid HTTP method.
    #[error("invalid HTTP method {0:?}")]
    BadMethod(String),
    /// No answer within the timeout.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// Connection refused, reset, DNS failure…
    #[error("request failed: {0}")]
    Transport(String),
    /// Logging in did not yield a token.
    #[error("login through /auth/get-token failed: {0}")]
    Login(String),
    /// No pseudonym key could be made for the run's redactor.
    #[error(transparent)]
    Redact(#[from] RedactError),
}

/// Everything a session is built from, as one value: where requests go and how they go out.
/// Credentials are not part of it; they arrive through [`Session::login`], [`Session::set_token`]
/// or [`Session::set_credentials`], straight into the session's redactor.
#[derive(Clone, Copy, Debug)]
pub struct SessionConfig<'a> {
    /// `http://host:port` (no trailing path needed).
    pub base_url: &'a str,
    /// How long one answer may take.
    pub timeout: Duration,
    /// Retries on connection errors, 429 and 503.
    pub retry: Policy,
    /// At most this many requests per period, across the session's concurrent cases.
    pub rate: Option<crate::live::rate::Rate>,
}

impl<'a> SessionConfig<'a> {
    /// A target with a 10 s timeout, no retries and no rate ceiling.
    pub fn new(base_url: &'a str) -> SessionConfig<'a> {
        SessionConfig {
            base_url,
            timeout: Duration::from_secs(10),
            retry: Policy::with_retries(0),
            rate: None,
        }
    }

    /// The same with another timeout.
    pub fn timeout(self, timeout: Duration) -> SessionConfig<'a> {
        SessionConfig { timeout, ..self }
    }
}

/// A client bound to one target, with the token to send.
#[derive(Debug)]
pub struct Session {
    client: reqwest::Client,
    base_url: String,
    timeout: Duration,
    token: Option<Secret>,
    credentials: Option<(Secret, Secret)>,
    redactor: Redactor,
    retry: Policy,
    limiter: Option<Limiter>,
    webhooks: Option<Receiver>,
    overrides: BTreeMap<String, String>,
    unique_seed: u64,
    mock_control: bool,
    keep_exchanges: bool,
    clock_gate: tokio::sync::RwLock<()>,
    judging: super::policy::Policy,
}

/// True when `base_url` names this machine (`localhost`, 127.0.0.0/8, `[::1]`): the mock's
/// definition, so the proxy bypass and the webhook allowlist agree on what loopback is.
pub fn is_loopback(base_url: &str) -> bool {
    kyc_mock::is_loopback_url(base_url)
}

impl Session {
    /// A session as `config` describes it, with a fresh redactor (keyed from the environment,
    /// see [`Redactor::from_env`]) that will own every secret the session learns.
    pub fn new(config: SessionConfig<'_>) -> Result<Session, ClientError> {
        let base_url = config.base_url;
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ClientError::BadTarget(base_url.to_string()));
        }
        let mut builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .pool_max_idle_per_host(64);
        if is_loopback(base_url) {
            // A proxy from the environment would carry traffic meant for this machine to
            // another host; live targets keep the environment's proxies (corporate networks).
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(ClientError::Build)?;
        Ok(Session {
            client,
            base_url: base_url.trim_end_matches('/').to_string(),
            timeout: config.timeout,
            token: None,
            credentials: None,
            redactor: Redactor::from_env()?,
            retry: config.retry,
            limiter: config.rate.map(Limiter::new),
            webhooks: None,
            overrides: BTreeMap::new(),
            unique_seed: fresh_seed(),
            mock_control: false,
            keep_exchanges: false,
            clock_gate: tokio::sync::RwLock::new(()),
            judging: super::policy::Policy::default(),
        })
    }

    /// Values (`--var NAME=VALUE`) that override every cassette's variables and unique values.
    pub fn set_overrides(&mut self, overrides: BTreeMap<String, String>) {
        self.overrides = overrides;
    }

    /// See [`Session::set_overrides`].
    pub fn overrides(&self) -> &BTreeMap<String, String> {
        &self.overrides
    }

    /// Fixes the seed the run's unique values come from. A fresh session has a seed of its
    /// own, so two live runs never send the same references, SSNs or e-mails; the embedded
    /// mock's runs use a fixed one, so their answers are the same every time.
    pub fn set_unique_seed(&mut self, seed: u64) {
        self.unique_seed = seed;
    }

    /// See [`Session::set_unique_seed`].
    pub fn unique_seed(&self) -> u64 {
        self.unique_seed
    }

    /// Declares that the target serves the contract's mock-only operations (it is the mock):
    /// mock-only steps run, and waits advance the mock's clock instead of sleeping.
    pub fn set_mock_control(&mut self, on: bool) {
        self.mock_control = on;
    }

    /// See [`Session::set_mock_control`].
    pub fn mock_control(&self) -> bool {
        self.mock_control
    }

    /// Keeps every step's exchange in its result ([`StepResult::observed`]), for a report that
    /// compares runs (the migration's). Off for a replay, whose loop then copies nothing;
    /// `observe` steps keep theirs regardless.
    ///
    /// [`StepResult::observed`]: super::report::StepResult::observed
    pub fn set_keep_exchanges(&mut self, on: bool) {
        self.keep_exchanges = on;
    }

    /// What fails a case in this session's runs: `--strict`, and the fingerprints of
    /// `--accept`. A fresh session fails on breaking deviations only.
    pub fn set_policy(&mut self, policy: super::policy::Policy) {
        self.judging = policy;
    }

    /// See [`Session::set_policy`].
    pub fn policy(&self) -> &super::policy::Policy {
        &self.judging
    }

    /// See [`Session::set_keep_exchanges`].
    pub fn keep_exchanges(&self) -> bool {
        self.keep_exchanges
    }

    /// On the mock, time is shared: a cassette that moves the mock's clock takes this for
    /// writing, so it runs with no other cassette in flight, and every other takes it for
    /// reading. Otherwise one scenario's clock step would move another's customers on
    /// mid-run, and the outcome would depend on scheduling.
    pub fn clock_gate(&self) -> &tokio::sync::RwLock<()> {
        &self.clock_gate
    }

    /// The run's redactor: answers, deviations and messages go through it before display.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// A receiver for the callbacks of the cases replayed with this session.
    pub fn set_webhook_receiver(&mut self, receiver: Receiver) {
        self.webhooks = Some(receiver);
    }

    /// The webhook receiver, when capture is on.
    pub fn webhook_receiver(&self) -> Option<&Receiver> {
        self.webhooks.as_ref()
    }

    /// Sends with the session's retry policy and rate ceiling: the last result and the
    /// number of attempts (more than one: the target needed a retry).
    pub async fn send_retrying(
        &self,
        request: &Outgoing,
    ) -> Attempted<Result<Answer, ClientError>> {
        retry::run(
            &self.retry,
            self.limiter.as_ref(),
            || self.send(request),
            retry_verdict,
        )
        .await
    }

    /// Where requests go.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Uses `token` for `{{token}}`.
    pub fn set_token(&mut self, token: Secret) {
        self.redactor.register_secret(token.expose());
        self.token = Some(token);
    }

    /// The token for `{{token}}`, if any.
    pub fn token(&self) -> Option<&Secret> {
        self.token.as_ref()
    }

    /// Marks another value (a login, a password) as never to be shown.
    pub fn add_secret(&mut self, secret: Secret) {
        self.redactor.register_secret(secret.expose());
    }

    /// The login and password, when the session logged in (for `{{login}}`, `{{password}}`).
    pub fn credentials(&self) -> Option<(&Secret, &Secret)> {
        self.credentials.as_ref().map(|(l, p)| (l, p))
    }

    /// Makes credentials available for `{{login}}` and `{{password}}` without logging in.
    pub fn set_credentials(&mut self, login: Secret, password: Secret) {
        self.add_secret(login.clone());
        self.add_secret(password.clone());
        self.credentials = Some((login, password));
    }

    /// Logs in through `POST /auth/get-token` and keeps the token and the credentials.
    pub async fn login(&mut self, login: Secret, password: Secret) -> Result<(), ClientError> {
        self.add_secret(login.clone());
        self.add_secret(password.clone());
        self.credentials = Some((login.clone(), password.clone()));
        let body = json!({"user": {"login": login.expose(), "password": password.expose()}});
        let request = Outgoing {
            method: "POST".into(),
            path: "/auth/get-token".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(body.to_string().into_bytes()),
        };
        let answer = self.send(&request).await?;
        if answer.status != 200 {
            return Err(ClientError::Login(format!("status {}", answer.status)));
        }
        let value: Value = serde_json::from_slice(&answer.body)
            .map_err(|_| ClientError::Login("the answer is not JSON".into()))?;
        let token = value
            .pointer("/data/token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ClientError::Login("the answer has no /data/token".into()))?;
        self.set_token(Secret::new(token));
        Ok(())
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(&self, request: &Outgoing) -> Result<Answer, ClientError> {
        let method = reqwest::Method::from_bytes(request.method.as_bytes())
            .map_err(|_| ClientError::BadMethod(request.method.clone()))?;
        let mut builder = self
            .client
            .request(method, format!("{}{}", self.base_url, request.path));
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = builder.send().await.map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport(e))?
            .to_vec();
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    fn transport(&self, e: reqwest::Error) -> ClientError {
        if e.is_timeout() {
            return ClientError::Timeout(self.timeout);
        }
        // reqwest's chain says what happened ("Connection refused"); the URL it names holds
        // no secret (the token travels in a header).
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        ClientError::Transport(self.scrub_str(&text))
    }

    /// `text` with every secret and known personal value of this session replaced (the
    /// session's one redactor owns them).
    pub fn scrub_str(&self, text: &str) -> String {
        self.redactor.scrub_text(text)
    }
}

/// A seed no other run is likely to share: the time and the process id, mixed.
fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Truncation is fine: only the bits' variety matters.
    (nanos as u64) ^ (u64::from(std::process::id()) << 32)
}

/// What is worth retrying: connection errors (nothing reached the server), 429 and 503.
/// A timeout is final: the target may have processed the request.
pub fn retry_verdict(result: &Result<Answer, ClientError>) -> Verdict {
    match result {
        Ok(answer) => retry::verdict_for_status(answer.status, answer.header("retry-after")),
        Err(ClientError::Transport(_)) => Verdict::Retry(None),
        Err(_) => Verdict::Final,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_counts_as_loopback() {
        for url in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9/",
            "http://localhost:1",
            "http://LOCALHOST",
            "http://[::1]:80/x",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://sandbox.example",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.example",
            "not a url",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }
}
