//! `kyc-conformance replay`: load, replay, report, exit 0 (all passed), 1 (deviations or
//! errored cases) or 2 (could not run).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};

use super::cassette::{self, Cassette};
use super::client::{Secret, Session};
use super::embedded::EmbeddedMock;
use super::output;
use super::report::Report;

/// The bundled suite, as seen from the workspace root.
pub const BUNDLED_CASSETTES: &str = "conformance/cassettes";

/// Arguments of `kyc-conformance replay`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReplayArgs {
    /// `mock` for the embedded mock, or the base URL of a live target (token from
    /// CONNECTFI_TOKEN, or a login with CONNECTFI_LOGIN and CONNECTFI_PASSWORD).
    #[arg(long, default_value = "mock")]
    pub target: String,
    /// Directory of cassettes (`*.json`). Default: the bundled suite.
    #[arg(long)]
    pub cassettes: Option<PathBuf>,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8)]
    pub jobs: usize,
    /// Only cassettes whose name contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Also write the JSON report here.
    #[arg(long, value_name = "FILE")]
    pub report_json: Option<PathBuf>,
    /// Also write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 10.0)]
    pub timeout: f64,
    /// Replay every cassette this many times (generated copies named `NAME#i`), for load
    /// measurements.
    #[arg(long, default_value_t = 1, hide = true)]
    pub repeat: usize,
}

/// Runs `replay` and maps every failure to run to exit code 2.
pub async fn run(args: ReplayArgs) -> ExitCode {
    match replay(args).await {
        Ok(report) => {
            output::result(&report.to_text(output::stdout_color()));
            if report.all_passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            output::diagnostic(&format!("error: {e:#}"));
            ExitCode::from(2)
        }
    }
}

/// Where the cassettes are when `--cassettes` is not given: the bundled suite relative to
/// the current directory, else the one this binary was built from.
fn default_cassettes() -> PathBuf {
    let here = PathBuf::from(BUNDLED_CASSETTES);
    if here.is_dir() {
        here
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes")
    }
}

/// Loads, selects and replays; writes the report files. Errors mean "could not run".
pub async fn replay(args: ReplayArgs) -> anyhow::Result<Report> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!(
            "--timeout must be a positive number of seconds, not {}",
            args.timeout
        );
    }
    if args.jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    let dir = args.cassettes.clone().unwrap_or_else(default_cassettes);
    let loaded = cassette::load_dir(&dir).context("loading cassettes")?;
    let selected = select(
        loaded.into_iter().map(|(_, c)| c),
        args.filter.as_deref(),
        args.repeat,
    );
    if selected.is_empty() {
        bail!(
            "no cassette to replay in {}{}",
            dir.display(),
            args.filter
                .as_deref()
                .map_or(String::new(), |f| format!(" matching {f:?}"))
        );
    }
    let timeout = Duration::from_secs_f64(args.timeout);

    // Keep the embedded mock alive for the whole run.
    let mut _mock = None;
    let session = if args.target == "mock" {
        let mock = EmbeddedMock::start()
            .await
            .context("starting the embedded mock")?;
        let mut session = Session::new(&mock.base_url(), timeout)?;
        if let Some((login, password)) = mock.credentials() {
            session
                .login(Secret::new(login), Secret::new(password))
                .await
                .context("logging in to the embedded mock")?;
        }
        _mock = Some(mock);
        session
    } else {
        live_session(&args.target, timeout).await?
    };

    let total = selected.len();
    let bar = (output::stderr_is_terminal() && total >= 100).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        bar.set_message("replaying");
        bar
    });
    let tick: Arc<dyn Fn() + Send + Sync> = match bar.clone() {
        Some(bar) => Arc::new(move || bar.inc(1)),
        None => Arc::new(|| {}),
    };
    let results = super::replay_all(Arc::new(session), Arc::new(selected), args.jobs, tick).await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = Report::new(results);
    if let Some(path) = &args.report_json {
        std::fs::write(path, report.to_json())
            .with_context(|| format!("writing the JSON report to {}", path.display()))?;
    }
    if let Some(path) = &args.junit {
        std::fs::write(path, report.to_junit())
            .with_context(|| format!("writing the JUnit report to {}", path.display()))?;
    }
    Ok(report)
}

/// Applies `--filter` and `--repeat`.
fn select(
    all: impl Iterator<Item = Cassette>,
    filter: Option<&str>,
    repeat: usize,
) -> Vec<Cassette> {
    let chosen: Vec<Cassette> = all
        .filter(|c| filter.is_none_or(|f| c.name.contains(f)))
        .collect();
    if repeat <= 1 {
        return chosen;
    }
    let mut out = Vec::with_capacity(chosen.len() * repeat);
    for i in 0..repeat {
        for c in &chosen {
            let mut copy = c.clone();
            copy.name = format!("{}#{i}", c.name);
            out.push(copy);
        }
    }
    out
}

/// A session for a live target: the token from `CONNECTFI_TOKEN`, else a login.
async fn live_session(url: &str, timeout: Duration) -> anyhow::Result<Session> {
    let mut session = Session::new(url, timeout)?;
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
