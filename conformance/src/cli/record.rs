//! `kyc-conformance record --target URL|mock --cassettes DIR --out DIR [--jobs N]`: exit 0
//! when every cassette was recorded, 1 when some were not (the reason printed per case), 2
//! when the run could not start.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};

use kyc_conformance::cassette::{self, Cassette};
use kyc_conformance::live::rate::Rate;
use kyc_conformance::live::retry::Policy;
use kyc_conformance::record::{RecordError, Source, record_one};
use kyc_conformance::runner::client::Session;
use kyc_conformance::runner::client::SessionConfig;
use kyc_conformance::runner::embedded::EmbeddedMock;
use kyc_conformance::runner::target::Target;
use tokio::sync::Semaphore;

use super::live_args::LiveArgs;
use super::output;
use super::session::live_session;

/// Arguments of `kyc-conformance record`.
#[derive(Debug, Clone, clap::Args)]
pub struct RecordArgs {
    /// Base URL of the live target (token from CONNECTFI_TOKEN, or a login with
    /// CONNECTFI_LOGIN and CONNECTFI_PASSWORD), or `mock`: the embedded mock answers, which
    /// fills a new scenario's responses for review (the mock's data is invented, so nothing
    /// is pseudonymised).
    #[arg(long)]
    pub target: Target,
    /// Directory of the cassettes whose requests are sent.
    #[arg(long)]
    pub cassettes: PathBuf,
    /// Directory the fresh cassettes are written to (same file names; created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Only cassettes whose name contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 10.0)]
    pub timeout: f64,
    /// Cassettes recorded at once (each one's two runs go side by side on a live target; a
    /// scenario's steps always one after another).
    #[arg(long, default_value_t = 8)]
    pub jobs: usize,
    /// Retries, rate and shard.
    #[command(flatten)]
    pub live: LiveArgs,
}

/// Runs `record`, printing one line per cassette on stdout.
pub async fn run(args: RecordArgs) -> ExitCode {
    match record(args).await {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            output::diagnostic(&format!("error: {e:#}"));
            ExitCode::from(2)
        }
    }
}

fn configure(
    base_url: &str,
    timeout: Duration,
    retry: Policy,
    rate: Option<Rate>,
) -> SessionConfig<'_> {
    SessionConfig {
        base_url,
        timeout,
        retry,
        rate,
    }
}

/// Records every selected cassette, `--jobs` at a time; returns how many were not recorded.
async fn record(args: RecordArgs) -> anyhow::Result<usize> {
    let timeout = super::live_args::timeout(args.timeout)?;
    if args.jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    let loaded = cassette::load_dir(&args.cassettes).context("loading cassettes")?;
    let selected: Vec<_> = loaded
        .into_iter()
        .filter(|(_, c)| args.filter.as_deref().is_none_or(|f| c.name.contains(f)))
        .filter(|(_, c)| args.live.shard.is_none_or(|s| s.contains(&c.name)))
        .collect();
    if selected.is_empty() {
        bail!("no cassette to record in {}", args.cassettes.display());
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let live = match &args.target {
        Target::Url(url) => {
            let config = configure(url, timeout, args.live.policy(), args.live.rate);
            let mut session = live_session(config).await?;
            session.set_overrides(args.live.overrides());
            Some(Arc::new(session))
        }
        Target::Mock => None,
    };
    let recorded_at = kyc_mock::format_timestamp(kyc_mock::Clock::system().now());
    let total = selected.len();
    let permits = Arc::new(Semaphore::new(args.jobs));
    let args = Arc::new(args);
    let mut tasks = Vec::with_capacity(total);
    for (path, old) in selected {
        let (live, permits, args, recorded_at) = (
            live.clone(),
            permits.clone(),
            args.clone(),
            recorded_at.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let _permit = permits.acquire_owned().await;
            let file = args.out.join(path.file_name().unwrap_or(path.as_os_str()));
            let outcome =
                record_to(&args, live.as_deref(), timeout, &old, &file, &recorded_at).await;
            (old.name, outcome)
        }));
    }
    let mut failures = 0;
    let mut unreachable = 0;
    for task in tasks {
        let (name, outcome) = task.await.context("a recording task failed")?;
        match outcome {
            Ok(line) => output::result(&format!("recorded {name}: {line}\n")),
            Err((reason, transport)) => {
                failures += 1;
                unreachable += usize::from(transport);
                output::result(&format!("not recorded {name}: {reason}\n"));
            }
        }
    }
    if unreachable == total {
        bail!(
            "could not reach the target for any cassette: nothing recorded to {}",
            args.out.display()
        );
    }
    output::result(&format!(
        "{} of {total} cassettes recorded to {}\n",
        total - failures,
        args.out.display()
    ));
    Ok(failures)
}

/// Records one cassette into `file`: a line for the summary, or why it was not recorded
/// (scrubbed of secrets) and whether that was the target being out of reach.
async fn record_to(
    args: &RecordArgs,
    live: Option<&Session>,
    timeout: Duration,
    old: &Cassette,
    file: &Path,
    recorded_at: &str,
) -> Result<String, (String, bool)> {
    // On the mock, each cassette gets a fresh one, so that what one recording leaves behind
    // (a finished KYC, a moved clock) is not in the next one's answers.
    let mock = match live {
        Some(_) => None,
        None => Some(
            EmbeddedMock::start()
                .await
                .map_err(|e| (format!("starting the embedded mock: {e}"), false))?,
        ),
    };
    let fresh = match &mock {
        Some(mock) => {
            let base_url = mock.base_url();
            let config = configure(&base_url, timeout, args.live.policy(), args.live.rate);
            let mut session = mock
                .session(config)
                .await
                .map_err(|e| (format!("a session on the embedded mock: {e}"), false))?;
            session.set_overrides(args.live.overrides());
            Some(session)
        }
        None => None,
    };
    let (session, source) = match (live, &fresh) {
        (Some(session), _) => (session, Source::Sandbox),
        (None, Some(session)) => (session, Source::Mock),
        (None, None) => return Err(("no session".into(), false)),
    };
    let result = match record_one(session, old, recorded_at, source).await {
        Ok(recorded) => std::fs::write(file, recorded.cassette.to_json_string())
            .map(|()| recorded)
            .map_err(|source| RecordError::Write {
                path: file.to_path_buf(),
                source,
            }),
        Err(e) => Err(e),
    };
    let recorded = result.map_err(|e| {
        let transport = matches!(e, RecordError::Client(_));
        (session.scrub_str(&format!("{e:#}")), transport)
    })?;
    let retried = match recorded.attempts {
        1 => String::new(),
        n => format!(" after {n} attempts"),
    };
    let statuses: Vec<String> = recorded
        .cassette
        .steps
        .iter()
        .map(|s| s.response.status.to_string())
        .collect();
    let what = match statuses.as_slice() {
        [one] => format!("status {one}"),
        all => format!("{} steps, statuses {}", all.len(), all.join(" ")),
    };
    let learned = match recorded.learned.len() {
        0 => String::new(),
        n => format!(
            "; {n} varying place(s) learned ({})",
            recorded.learned.join(", ")
        ),
    };
    Ok(format!("{what}{retried}{learned}"))
}
