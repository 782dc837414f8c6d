//! `kyc-conformance record --target URL|mock --cassettes DIR --out DIR`: exit 0 when every
//! cassette was recorded, 2 when the run or any cassette could not be.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};

use kyc_conformance::cassette;
use kyc_conformance::live::rate::Rate;
use kyc_conformance::live::retry::Policy;
use kyc_conformance::record::{RecordError, Source, record_one};
use kyc_conformance::runner::client::SessionConfig;
use kyc_conformance::runner::embedded::EmbeddedMock;
use kyc_conformance::runner::target::Target;

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
    /// Retries, rate and shard.
    #[command(flatten)]
    pub live: LiveArgs,
}

/// Runs `record`, printing one line per cassette on stdout.
pub async fn run(args: RecordArgs) -> ExitCode {
    match record(args).await {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(2),
        Err(e) => {
            output::diagnostic(&format!("error: {e:#}"));
            ExitCode::from(2)
        }
    }
}

/// Records every selected cassette; returns how many could not be recorded.
async fn record(args: RecordArgs) -> anyhow::Result<usize> {
    let timeout = super::live_args::timeout(args.timeout)?;
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
    let (retry, rate) = (args.live.policy(), args.live.rate);
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
    let live = match &args.target {
        Target::Url(url) => {
            let mut session = live_session(configure(url, timeout, retry, rate)).await?;
            session.set_overrides(args.live.overrides());
            Some(session)
        }
        Target::Mock => None,
    };
    let recorded_at = kyc_mock::format_timestamp(kyc_mock::Clock::system().now());
    let mut failures = 0;
    for (path, old) in &selected {
        let file = args.out.join(path.file_name().unwrap_or(path.as_os_str()));
        // The mock is started afresh for each cassette, so that what one recording leaves
        // behind (a finished KYC, a moved clock) is not in the next one's answers.
        let mock = match &live {
            Some(_) => None,
            None => Some(
                EmbeddedMock::start()
                    .await
                    .context("starting the embedded mock")?,
            ),
        };
        let fresh = match &mock {
            Some(mock) => {
                let base_url = mock.base_url();
                let mut session = mock
                    .session(configure(&base_url, timeout, retry, rate))
                    .await
                    .context("a session on the embedded mock")?;
                session.set_overrides(args.live.overrides());
                Some(session)
            }
            None => None,
        };
        let (session, source) = match (&live, &fresh) {
            (Some(session), _) => (session, Source::Sandbox),
            (None, Some(session)) => (session, Source::Mock),
            (None, None) => bail!("no session for {}", old.name),
        };
        let result = match record_one(session, old, &recorded_at, source).await {
            Ok(recorded) => std::fs::write(&file, recorded.cassette.to_json_string())
                .map(|()| recorded)
                .map_err(|source| RecordError::Write {
                    path: file.clone(),
                    source,
                }),
            Err(e) => Err(e),
        };
        match result {
            Ok(recorded) => {
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
                output::result(&format!("recorded {}: {what}{retried}\n", old.name));
            }
            Err(e) => {
                failures += 1;
                let message = session.scrub_str(&format!("{e:#}"));
                output::diagnostic(&format!("could not record {}: {message}", old.name));
            }
        }
    }
    output::result(&format!(
        "{} of {} cassettes recorded to {}\n",
        selected.len() - failures,
        selected.len(),
        args.out.display()
    ));
    Ok(failures)
}
