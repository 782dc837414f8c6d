//! `kyc-conformance migrate --target mock|URL --out DIR`: writes `migration.json`,
//! `migration.md` and `migration.html`; exit 0 when every paired run passed on the target,
//! 1 when one did not (the report says where), 2 when the report could not be made.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use kyc_conformance::migrate::{self, Report};
use kyc_conformance::runner::target::Target;

use super::live_args::{LiveArgs, TunnelArgs};
use super::output;
use super::session::report_session;

/// Arguments of `kyc-conformance migrate`.
#[derive(Debug, Clone, clap::Args)]
pub struct MigrateArgs {
    /// `mock` for the embedded mock, or the base URL of a live target (token from
    /// CONNECTFI_TOKEN, or a login with CONNECTFI_LOGIN and CONNECTFI_PASSWORD).
    #[arg(long, default_value = "mock")]
    pub target: Target,
    /// Directory the three reports are written to (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Directory of paired scenarios, one subdirectory per pair holding `deprecated.json`
    /// and `akepa.json` (default: the bundled pairs).
    #[arg(long)]
    pub pairs: Option<PathBuf>,
    /// An `audit.json` from `kyc-conformance audit` of the same target: the checklist follows
    /// what it found served (an operation the target does not serve is not recommended; the
    /// served alternative is).
    #[arg(long)]
    pub audit: Option<PathBuf>,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 10.0)]
    pub timeout: f64,
    /// Retries and rate ceiling (the shard does not apply).
    #[command(flatten)]
    pub live: LiveArgs,
    /// Where a live target's callbacks reach this machine.
    #[command(flatten)]
    pub tunnel: TunnelArgs,
}

/// Runs the migration report and maps failure to run to exit code 2.
pub async fn run(args: MigrateArgs) -> ExitCode {
    match migrate(args).await {
        Ok(report) => {
            let s = &report.summary;
            output::result(&format!(
                "{}\n{}\n",
                report.verdict.headline, report.verdict.next
            ));
            output::result(&format!(
                "migration report for {}: {} breaking changes, {} warnings; {} stages compared, {} changed, {} volatile values; {} runs did not pass; {} checklist items\n",
                report.target,
                s.breaking,
                s.warning,
                s.stages,
                s.changed,
                s.volatile,
                s.runs_failed,
                s.checklist
            ));
            if s.runs_failed == 0 {
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

async fn migrate(args: MigrateArgs) -> anyhow::Result<Report> {
    args.live.refuse_case_flags("migrate")?;
    let timeout = super::live_args::timeout(args.timeout)?;
    let dir = args.pairs.clone().unwrap_or_else(migrate::default_pairs);
    let pairs = migrate::load_pairs(&dir)
        .with_context(|| format!("loading the paired scenarios in {}", dir.display()))?;
    let known = match &args.audit {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let audit: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not JSON", path.display()))?;
            migrate::serving_from_audit(&audit)
                .map_err(|e| anyhow::format_err!("{}: {e}", path.display()))?
        }
        None => Vec::new(),
    };
    let (mut session, name, _mock) =
        report_session(&args.target, timeout, &args.live, &args.tunnel).await?;
    let report = migrate::run(&mut session, &name, &pairs, known).await;
    output::write_reports(
        &args.out,
        [
            ("migration.json", report.to_json()),
            ("migration.md", report.to_markdown()),
            ("migration.html", report.to_html()),
        ],
    )?;
    Ok(report)
}
