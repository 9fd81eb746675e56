//! `amparo retention preview|run` for cron users, and the daily job of `amparo serve`.
//! Output and logs carry counts and case numbers only, never a name.

use std::process::ExitCode;
use std::time::Duration;

use amparo_app::retention::RunOutcome;
use amparo_app::{Amparo, Channel};

use crate::commands::Failure;
use crate::installation::Installation;

/// How often `amparo serve` applies the policy.
pub const EVERY: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Debug, clap::Subcommand)]
pub enum RetentionCommand {
    /// What the next run would purge, per organisation and rule: counts and case numbers.
    Preview {
        #[command(flatten)]
        dir: crate::commands::DataDir,
    },
    /// Apply every organisation's retention policy now (what `amparo serve` does daily).
    Run {
        #[command(flatten)]
        dir: crate::commands::DataDir,
    },
}

pub async fn command(command: RetentionCommand) -> Result<ExitCode, Failure> {
    match command {
        RetentionCommand::Preview { dir } => {
            let inst = Installation::open(&dir.data_dir).await?;
            let all = inst.app.retention_preview_all().await?;
            if all.is_empty() {
                println!("no organisation has a retention policy: nothing is purged");
            }
            for (org, preview) in all {
                println!("organisation {org} (as of {})", preview.today);
                for r in preview.rules {
                    let more = if r.more { "+" } else { "" };
                    println!(
                        "  {}\t{} months\tcases closed on or before {}\t{}{more} due",
                        r.rule.code(),
                        r.months,
                        r.closed_on_or_before,
                        r.count
                    );
                    if let Some(numbers) = r.case_numbers.filter(|n| !n.is_empty()) {
                        println!("    {}", numbers.join(" "));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        RetentionCommand::Run { dir } => {
            let inst = Installation::open(&dir.data_dir).await?;
            for outcome in inst.app.retention_run_all(Channel::Cli).await? {
                println!("{}", summary(&outcome));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn summary(o: &RunOutcome) -> String {
    let counts: Vec<String> = o.counts.iter().map(|(r, n)| format!("{}={n}", r.code())).collect();
    let org = o.org.map(|o| o.to_string()).unwrap_or_default();
    format!("organisation {org}: {}", if counts.is_empty() { "no rule".into() } else { counts.join(" ") })
}

/// The daily job: first run a minute after start (a server restarted daily still runs),
/// then every [`EVERY`]. Days are the app clock's; a failed run is logged and retried the
/// next day (what was not purged is still due).
pub async fn daily(app: Amparo) {
    tokio::time::sleep(Duration::from_secs(60)).await;
    let mut ticker = tokio::time::interval(EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match app.retention_run_all(Channel::System).await {
            Ok(outcomes) => {
                let purged: usize = outcomes.iter().map(RunOutcome::total).sum();
                tracing::info!(organisations = outcomes.len(), purged, "retention run");
            }
            Err(e) => tracing::error!(error = %e.code(), "retention run failed"),
        }
    }
}
