//! `kyc-conformance audit --target mock|URL --out DIR`: writes `audit.json`, `audit.md` and
//! `audit.html`; exit 0 when every answer is as documented or as assumed, 1 when one
//! contradicts the spec or stayed unanswered, 2 when the audit could not run.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use kyc_conformance::audit::{self, Audit};
use kyc_conformance::cassette;
use kyc_conformance::runner;
use kyc_conformance::runner::report::Report;
use kyc_conformance::runner::target::Target;

use super::live_args::{LiveArgs, TunnelArgs};
use super::output;
use super::session::report_session;

/// Arguments of `kyc-conformance audit`.
#[derive(Debug, Clone, clap::Args)]
pub struct AuditArgs {
    /// `mock` for the embedded mock, or the base URL of a live target (token from
    /// CONNECTFI_TOKEN, or a login with CONNECTFI_LOGIN and CONNECTFI_PASSWORD).
    #[arg(long, default_value = "mock")]
    pub target: Target,
    /// Directory the three reports are written to (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 10.0)]
    pub timeout: f64,
    /// Do not replay the bundled suite on the target (its deviations are then not in the
    /// report): a live target's waits can take minutes.
    #[arg(long)]
    pub no_suite: bool,
    /// Seconds to wait for a callback a live target may still send (at a webhook spelling
    /// it may be ignoring, or after the deprecated journey); the mock calls back at once.
    #[arg(long, default_value_t = 30.0)]
    pub callback_wait: f64,
    /// Retries and rate ceiling (the shard does not apply).
    #[command(flatten)]
    pub live: LiveArgs,
    /// Where a live target's callbacks reach this machine.
    #[command(flatten)]
    pub tunnel: TunnelArgs,
}

/// Runs the audit and maps failure to run to exit code 2.
pub async fn run(args: AuditArgs) -> ExitCode {
    match audit(args).await {
        Ok(audit) => {
            let s = &audit.summary;
            output::result(&format!(
                "audit of {}: {} questions, {} as documented, {} as assumed, {} contradicting the spec, {} unanswered, {} skipped\n",
                audit.target,
                s.questions,
                s.as_documented,
                s.as_assumed,
                s.contradicts,
                s.unanswered,
                s.skipped
            ));
            if s.contradicts + s.unanswered == 0 {
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

async fn audit(args: AuditArgs) -> anyhow::Result<Audit> {
    args.live.refuse_case_flags("audit")?;
    let timeout = super::live_args::timeout(args.timeout)?;
    // The deprecated endpoint's callback is probed through the session's receiver, and the
    // replayed cassettes' webhooks go to it too, each case to its own slot.
    let (session, name, _mock) =
        report_session(&args.target, timeout, &args.live, &args.tunnel).await?;
    let session = std::sync::Arc::new(session);
    let callback_wait = super::live_args::timeout(args.callback_wait)?;
    let mut audit = audit::run_with(&session, &name, callback_wait)
        .await
        .with_context(|| format!("auditing {name}"))?;
    if args.no_suite {
        return write(&args, audit);
    }
    // The whole suite on the same target, its deviations grouped by kind.
    let dir = super::replay::default_cassettes();
    let cassettes: Vec<_> = cassette::load_dir(&dir)
        .context("loading the bundled cassettes")?
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    let results = runner::replay_all(
        session.clone(),
        std::sync::Arc::new(cassettes),
        8,
        std::sync::Arc::new(|| {}),
    )
    .await;
    audit.suite = Some(audit::SuiteSummary::of(&Report::new(results)));
    write(&args, audit)
}

/// Writes the three reports.
fn write(args: &AuditArgs, audit: Audit) -> anyhow::Result<Audit> {
    output::write_reports(
        &args.out,
        [
            ("audit.json", audit.to_json()),
            ("audit.md", audit.to_markdown()),
            ("audit.html", audit.to_html()),
        ],
    )?;
    Ok(audit)
}
