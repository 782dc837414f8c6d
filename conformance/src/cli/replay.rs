//! `kyc-conformance replay`: load, replay, report, exit 0 (all passed), 1 (deviations or
//! errored cases), 2 (could not run) or 130 (interrupted; the report of what ran is still
//! written).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context, bail};

use kyc_conformance::cassette::{self, Cassette};
use kyc_conformance::runner::client::SessionConfig;
use kyc_conformance::runner::embedded::EmbeddedMock;
use kyc_conformance::runner::policy::{self, Policy};
use kyc_conformance::runner::report::{CaseResult, Report};
use kyc_conformance::runner::target::Target;
use kyc_conformance::runner::{self as runner, OnResult};
use kyc_conformance::webhook_capture::Receiver;

use super::live_args::{LiveArgs, TunnelArgs};
use super::output;
use super::session::live_session;

/// The bundled suite, as seen from the workspace root.
pub const BUNDLED_CASSETTES: &str = "conformance/cassettes";

/// Arguments of `kyc-conformance replay`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReplayArgs {
    /// `mock` for the embedded mock, or the base URL of a live target (token from
    /// CONNECTFI_TOKEN, or a login with CONNECTFI_LOGIN and CONNECTFI_PASSWORD).
    #[arg(long, default_value = "mock")]
    pub target: Target,
    /// Directory of cassettes (`*.json`). Default: the bundled suite.
    #[arg(long)]
    pub cassettes: Option<PathBuf>,
    /// Cassettes replayed at once (a scenario's steps always run one after another).
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
    /// Retries, rate ceiling and shard.
    #[command(flatten)]
    pub live: LiveArgs,
    /// Collect the callbacks the target sends to each cassette's webhookURL on a 127.0.0.1
    /// receiver and check them against webhook.schema.json. Always on for the mock; a live
    /// target can only reach this machine's loopback through a tunnel.
    #[arg(long)]
    pub capture_webhooks: bool,
    /// Where a live target's callbacks reach this machine.
    #[command(flatten)]
    pub tunnel: TunnelArgs,
    /// Additive deviations (`unexpected_field`, `unknown_enum_value`) fail their case too;
    /// without it they are reported and only breaking ones fail.
    #[arg(long)]
    pub strict: bool,
    /// Known differences that are shown but do not fail: a replay report (all of its
    /// deviations), `{"accepted": [{"fingerprint": …, "note": …}]}` or an array of
    /// fingerprints. Accepted ones that no longer occur are reported as resolved.
    #[arg(long, value_name = "FILE")]
    pub accept: Option<PathBuf>,
}

/// Exit code of a run stopped by Ctrl-C, after its partial report was written.
pub const INTERRUPTED: u8 = 130;

/// Runs `replay` and maps every failure to run to exit code 2.
pub async fn run(args: ReplayArgs) -> ExitCode {
    let written = [
        ("JSON report", args.report_json.clone()),
        ("JUnit report", args.junit.clone()),
    ];
    match replay(args).await {
        Ok(report) => {
            output::result(&report.to_text(output::stdout_color()));
            // Where the files went, after the summary (stderr: stdout stays the report).
            for (what, path) in written {
                if let Some(path) = path {
                    output::diagnostic(&format!("{what}: {}", path.display()));
                }
            }
            if report.interrupted {
                output::diagnostic(&format!(
                    "interrupted: the report holds the {} case(s) that finished",
                    report.summary.total
                ));
                ExitCode::from(INTERRUPTED)
            } else if report.all_passed() {
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
pub fn default_cassettes() -> PathBuf {
    let here = PathBuf::from(BUNDLED_CASSETTES);
    if here.is_dir() {
        here
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes")
    }
}

/// Loads, selects and replays; writes the report files. Errors mean "could not run".
pub async fn replay(args: ReplayArgs) -> anyhow::Result<Report> {
    let timeout = super::live_args::timeout(args.timeout)?;
    if args.jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    let dir = args.cassettes.clone().unwrap_or_else(default_cassettes);
    let loaded = cassette::load_dir(&dir).context("loading cassettes")?;
    let selected: Vec<Cassette> = select(
        loaded.into_iter().map(|(_, c)| c),
        args.filter.as_deref(),
        args.repeat,
    )
    .into_iter()
    .filter(|c| args.live.shard.is_none_or(|s| s.contains(&c.name)))
    .collect();
    if selected.is_empty() {
        bail!(
            "no cassette to replay in {}{}",
            dir.display(),
            args.filter
                .as_deref()
                .map_or(String::new(), |f| format!(" matching {f:?}"))
        );
    }

    // Keep the embedded mock alive for the whole run.
    let mut _mock = None;
    let capture_webhooks = args.capture_webhooks
        || args.tunnel.webhook_public_url.is_some()
        || args.target == Target::Mock;
    let configure = |base_url| SessionConfig {
        base_url,
        timeout,
        retry: args.live.policy(),
        rate: args.live.rate,
    };
    let mut session = if let Target::Url(url) = &args.target {
        live_session(configure(url)).await?
    } else {
        let mock = EmbeddedMock::start()
            .await
            .context("starting the embedded mock")?;
        let session = mock
            .session(configure(&mock.base_url()))
            .await
            .context("logging in to the embedded mock")?;
        _mock = Some(mock);
        session
    };
    session.set_overrides(args.live.overrides());
    let accepted = match &args.accept {
        Some(path) => policy::read_accepted(path).context("reading the accept file")?,
        None => Default::default(),
    };
    session.set_policy(Policy {
        strict: args.strict,
        accepted: accepted.clone(),
    });
    if capture_webhooks {
        let receiver = Receiver::start_exposed(&args.tunnel.exposure())
            .await
            .context("starting the webhook receiver on 127.0.0.1")?;
        session.set_webhook_receiver(receiver);
    }

    let total = selected.len();
    let bar = (output::stderr_is_terminal() && total >= 100).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        bar.set_message("replaying");
        bar
    });
    // Finished cases are kept as they come in, so Ctrl-C still reports what ran.
    let finished: Arc<Mutex<BTreeMap<usize, CaseResult>>> = Arc::default();
    let on_result: OnResult = {
        let (finished, bar) = (finished.clone(), bar.clone());
        Arc::new(move |i, result| {
            finished
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(i, result.clone());
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        })
    };
    let run = runner::replay_each(Arc::new(session), Arc::new(selected), args.jobs, on_result);
    let (results, interrupted) = tokio::select! {
        results = run => (results, false),
        _ = tokio::signal::ctrl_c() => {
            let done = std::mem::take(&mut *finished.lock().unwrap_or_else(PoisonError::into_inner));
            (done.into_values().collect(), true)
        }
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut report = Report::new(results);
    report.interrupted = interrupted;
    if args.accept.is_some() {
        report.account_for(&accepted);
    }
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
