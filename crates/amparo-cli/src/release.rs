//! `amparo release`: a differentially private release of the organisation's counts for open
//! publication (docs/release.md), as the operator or, with `--as EMAIL`, as an administrator.
//! The year's privacy budget is checked before anything is computed; the release is recorded
//! in the ledger and audited on the `cli` channel.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use amparo_app::AppError;
use amparo_domain::Language;
use amparo_i18n::{Arg, t, t_args};
use amparo_release::publish::{PublishError, publish};
use amparo_release::{Budget, ReleaseError};

use super::{DataDir, Failure, OrgChoice, bulk, language, org_failure};
use crate::installation::Installation;

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    #[command(flatten)]
    pub dir: DataDir,
    #[command(flatten)]
    pub org: OrgChoice,
    /// The ε this release spends: above 0, at most 10, and within what is left of the
    /// organisation's budget for the calendar year.
    #[arg(long)]
    pub epsilon: f64,
    /// The δ of (ε, δ) (default 1e-6; at most 1e-4).
    #[arg(long)]
    pub delta: Option<f64>,
    /// The JSON file to write (refused if it exists).
    #[arg(long)]
    pub out: PathBuf,
    /// Act as this administrator instead of the operator.
    #[arg(long = "as", value_name = "EMAIL")]
    pub as_user: Option<String>,
    /// The language of the messages (en or es).
    #[arg(long, default_value = "en")]
    pub language: String,
}

fn localised(lang: Language, code: &str) -> Failure {
    Failure::msg(t(lang, &format!("error-{code}")))
}

fn failure(lang: Language, e: PublishError) -> Failure {
    match e {
        PublishError::Release(e) => localised(lang, e.code()),
        PublishError::App(AppError::Refused(code)) => localised(lang, code),
        PublishError::App(AppError::Forbidden(_)) => localised(lang, "release_forbidden"),
        PublishError::App(other) => other.into(),
    }
}

pub async fn release(args: ReleaseArgs) -> Result<ExitCode, Failure> {
    let lang = language(&args.language)?;
    let budget = Budget::new(args.epsilon, args.delta).map_err(|e: ReleaseError| localised(lang, e.code()))?;
    // Refuse before spending anything: a release that cannot be written is budget lost.
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).open(&args.out).map_err(|e| {
            Failure::msg(format!("{}: {} ({e})", t(lang, "release-cli-cannot-write"), args.out.display()))
        })?;
    let inst = Installation::open(&args.dir.data_dir).await?;
    let org = inst.app.resolve_org(args.org.org.as_deref()).await.map_err(org_failure)?;
    let caller = bulk::caller(&inst.app, org.id, args.as_user.as_deref()).await?;
    let (release, entry) = match publish(&inst.app, &caller, org.id, budget).await {
        Ok(done) => done,
        Err(e) => {
            drop(file);
            let _ = std::fs::remove_file(&args.out);
            return Err(failure(lang, e));
        }
    };
    file.write_all(entry.document.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure::msg(format!("{}: {} ({e})", t(lang, "release-cli-cannot-write"), args.out.display())))?;
    let left = inst.app.release_budget(&caller, org.id).await?;
    let num = |v: f64| Arg::Str(format_number(v));
    println!(
        "{}",
        t_args(
            lang,
            "release-cli-made",
            &[
                ("epsilon", num(release.epsilon)),
                ("delta", Arg::Str(format!("{:e}", release.delta))),
                ("scale", num(release.noise_scale)),
                ("tables", Arg::Num(i64::try_from(release.tables.len()).unwrap_or(i64::MAX))),
                ("file", Arg::Str(args.out.display().to_string())),
            ],
        )
    );
    println!(
        "{}",
        t_args(
            lang,
            "release-cli-budget",
            &[
                ("year", Arg::Num(i64::from(left.year))),
                ("spent", num(left.spent)),
                ("total", num(left.total)),
                ("remaining", num(left.remaining())),
            ],
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// A number as people read it: up to three decimals, no trailing zeros.
pub fn format_number(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() { "0".to_owned() } else { s.to_owned() }
}
