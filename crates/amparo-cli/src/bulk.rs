//! `amparo import` and `amparo export records`: spreadsheets in and out, through the app's
//! use cases (access decided by the domain, everything audited on the `cli` channel).
//!
//! Both act as the operator (the command line holds the master key), or, with `--as EMAIL`,
//! as that user of the organisation: then the user's role decides (importing is for
//! administrators and supervisors, exporting records for administrators).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use amparo_app::{Amparo, Caller, Channel};
use amparo_domain::{Language, OrgId};
use amparo_i18n::{Arg, t_args};
use amparo_insights::export::Protection;
use amparo_insights::htcds::HtcdsError;
use amparo_insights::import::{ImportError, Options, import_file};
use amparo_insights::{ExportError, Format, Mapping};

use super::{DataDir, Failure, OrgChoice, language, org_failure, read_secret_line};
use crate::installation::Installation;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub dir: DataDir,
    #[command(flatten)]
    pub org: OrgChoice,
    /// The CSV or XLSX file. Its header row names the columns: the persons API's field
    /// names (given_name, family_name, birth_date, primary_language, …) need no mapping.
    pub file: PathBuf,
    /// A TOML file mapping the file's column names to field names ([columns] "Nombre" = "given_name").
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Check every row and report; import nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows even when some are bad (by default a bad row stops the import).
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// Act as this user of the organisation (an administrator or supervisor) instead of the operator.
    #[arg(long = "as", value_name = "EMAIL")]
    pub as_user: Option<String>,
    /// The language of the report (en or es).
    #[arg(long, default_value = "en")]
    pub language: String,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The organisation's persons and cases, decrypted, as CSV or XLSX. Administrators only;
    /// audited. Refused unless encrypted (--recipient or --passphrase-stdin) or --plaintext.
    Records {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        org: OrgChoice,
        /// csv or xlsx.
        #[arg(long)]
        format: String,
        /// The file to write (refused if it exists).
        #[arg(long)]
        out: PathBuf,
        /// Encrypt to an age public key (age1…).
        #[arg(long, conflicts_with_all = ["passphrase_stdin", "plaintext"])]
        recipient: Option<String>,
        /// Encrypt with a passphrase read from the first line of standard input.
        #[arg(long, conflicts_with = "plaintext")]
        passphrase_stdin: bool,
        /// Write the survivors' data unencrypted. Only if you mean it.
        #[arg(long)]
        plaintext: bool,
        /// Act as this administrator instead of the operator.
        #[arg(long = "as", value_name = "EMAIL")]
        as_user: Option<String>,
    },
    /// HTCDS-shaped records for partners: one row per person with a case, in CTDC's column
    /// names, k-anonymous over all columns together (every distinct row occurs at least K
    /// times) with at least two exploitation types in each group. No names, ids, free text,
    /// exact dates or places below the country. Prints what was generalised and suppressed.
    /// Administrators, supervisors and analysts; audited.
    Htcds {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        org: OrgChoice,
        /// The smallest number of times any row may occur (CTDC's practice: 11; never below 5).
        #[arg(long, default_value_t = amparo_insights::htcds::DEFAULT_K)]
        k: usize,
        /// The CSV file to write (refused if it exists).
        #[arg(long)]
        out: PathBuf,
        /// Act as this user of the organisation instead of the operator.
        #[arg(long = "as", value_name = "EMAIL")]
        as_user: Option<String>,
        /// The language of the summary (en or es).
        #[arg(long, default_value = "en")]
        language: String,
    },
}

/// The operator, or the named user (active, of this organisation) on the `cli` channel.
pub(super) async fn caller(app: &Amparo, org: OrgId, as_user: Option<&str>) -> Result<Caller, Failure> {
    let Some(email) = as_user else { return Ok(Caller::Operator) };
    let user = app.find_user(&Caller::Operator, email).await.map_err(|_| Failure::msg("no such user"))?;
    if user.org != org {
        return Err(Failure::msg("no such user"));
    }
    if user.disabled {
        return Err(Failure::msg("that user is disabled"));
    }
    let actor = app.acting_as(user.id).await.map_err(|_| Failure::msg("no such user"))?;
    Ok(Caller::User { actor, channel: Channel::Cli })
}

fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::msg(format!("cannot read {}: {e}", path.display())))
}

fn refused(e: amparo_app::AppError) -> Failure {
    match e {
        amparo_app::AppError::Forbidden(_) => Failure::msg("refused: this user's role may not do this"),
        other => other.into(),
    }
}

pub async fn import(args: ImportArgs) -> Result<ExitCode, Failure> {
    let lang: Language = language(&args.language)?;
    let mapping = match &args.mapping {
        Some(p) => {
            let text = String::from_utf8(read_file(p)?).map_err(|_| Failure::msg("the mapping file is not UTF-8"))?;
            Mapping::from_toml(&text).map_err(|e| Failure::msg(e.to_string()))?
        }
        None => Mapping::default(),
    };
    let bytes = zeroize::Zeroizing::new(read_file(&args.file)?);
    let inst = Installation::open(&args.dir.data_dir).await?;
    let org = inst.app.resolve_org(args.org.org.as_deref()).await.map_err(org_failure)?;
    let caller = caller(&inst.app, org.id, args.as_user.as_deref()).await?;
    let options = Options { dry_run: args.dry_run, skip_bad_rows: args.skip_bad_rows };
    let report = match import_file(&inst.app, &caller, org.id, &bytes, &mapping, options).await {
        Ok(r) => r,
        Err(ImportError::App(e)) => return Err(refused(e)),
        Err(e) => return Err(Failure::msg(e.to_string())),
    };
    for p in &report.problems {
        println!("{}", p.message(lang));
    }
    let n = |v: usize| Arg::Num(i64::try_from(v).unwrap_or(i64::MAX));
    for d in &report.duplicates {
        let mut parts = Vec::new();
        if d.on_file > 0 {
            let numbers: Vec<String> = d.hints.iter().flat_map(|h| h.case_numbers.clone()).collect();
            let numbers = if numbers.is_empty() { String::new() } else { format!(" ({})", numbers.join(", ")) };
            parts.push(format!("{}{numbers}", t_args(lang, "import-cli-on-file", &[("count", n(d.on_file))])));
        }
        if let Some(l) = d.same_as_line {
            parts.push(t_args(lang, "import-cli-same-as-line", &[("line", n(l))]));
        }
        let at = t_args(lang, "import-cli-line", &[("line", n(d.line))]);
        println!("{at}: {}", parts.join("; "));
    }
    let bad = report.bad_lines().len();
    if report.dry_run {
        let args = [("rows", n(report.rows)), ("bad", n(bad)), ("duplicates", n(report.duplicates.len()))];
        println!("{}", t_args(lang, "import-cli-dry-run", &args));
        return Ok(if bad == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    if report.imported == 0 && bad > 0 {
        println!("{}", t_args(lang, "import-cli-nothing", &[("bad", n(bad))]));
        return Ok(ExitCode::FAILURE);
    }
    let args = [("count", n(report.imported)), ("skipped", n(report.skipped))];
    println!("{}", t_args(lang, "import-cli-imported", &args));
    Ok(ExitCode::SUCCESS)
}

fn write_private(path: &Path, data: &[u8]) -> Result<(), Failure> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Failure::msg(format!("cannot create {}: {e}", path.display())))?;
    f.write_all(data)
        .and_then(|()| f.sync_all())
        .map_err(|e| Failure::msg(format!("cannot write {}: {e}", path.display())))
}

pub async fn export(command: ExportCommand) -> Result<ExitCode, Failure> {
    let (dir, org, format, out, recipient, passphrase_stdin, plaintext, as_user) = match command {
        ExportCommand::Records { dir, org, format, out, recipient, passphrase_stdin, plaintext, as_user } => {
            (dir, org, format, out, recipient, passphrase_stdin, plaintext, as_user)
        }
        ExportCommand::Htcds { dir, org, k, out, as_user, language: lang } => {
            return export_htcds(dir, org, k, out, as_user, &lang).await;
        }
    };
    let format = Format::parse(&format).ok_or_else(|| Failure::msg("--format must be csv or xlsx"))?;
    let protection = match (recipient, passphrase_stdin, plaintext) {
        (Some(r), _, _) => Protection::Recipient(r),
        (None, true, _) => Protection::Passphrase(read_secret_line()?),
        (None, false, true) => Protection::Plaintext,
        (None, false, false) => {
            return Err(Failure::msg(
                "refused: the export holds survivors' data; encrypt it with --recipient AGE_PUBLIC_KEY or \
                 --passphrase-stdin, or say --plaintext if you really mean to write it unencrypted",
            ));
        }
    };
    if out.exists() {
        return Err(Failure::msg(format!("{} exists already", out.display())));
    }
    let inst = Installation::open(&dir.data_dir).await?;
    let org = inst.app.resolve_org(org.org.as_deref()).await.map_err(org_failure)?;
    let caller = caller(&inst.app, org.id, as_user.as_deref()).await?;
    let (bytes, persons, cases) =
        match amparo_insights::export::export_records(&inst.app, &caller, org.id, format, &protection).await {
            Ok(done) => done,
            Err(ExportError::App(e)) => return Err(refused(e)),
            Err(e) => return Err(Failure::msg(e.to_string())),
        };
    write_private(&out, &bytes)?;
    let how = if matches!(protection, Protection::Plaintext) { "UNENCRYPTED" } else { "encrypted with age" };
    println!("exported {persons} persons and {cases} cases to {} ({how})", out.display());
    Ok(ExitCode::SUCCESS)
}

/// `amparo export htcds`: the k-anonymous file, and what was done to make it.
async fn export_htcds(
    dir: DataDir,
    org: OrgChoice,
    k: usize,
    out: PathBuf,
    as_user: Option<String>,
    lang: &str,
) -> Result<ExitCode, Failure> {
    let lang: Language = language(lang)?;
    let too_small = || Failure::msg(amparo_i18n::t(lang, "error-htcds_k_too_small"));
    if k < amparo_insights::htcds::MIN_K {
        return Err(too_small());
    }
    if out.exists() {
        return Err(Failure::msg(format!("{} exists already", out.display())));
    }
    let inst = Installation::open(&dir.data_dir).await?;
    let org = inst.app.resolve_org(org.org.as_deref()).await.map_err(org_failure)?;
    let caller = caller(&inst.app, org.id, as_user.as_deref()).await?;
    let a = match amparo_insights::htcds::export_htcds(&inst.app, &caller, org.id, k).await {
        Ok(a) => a,
        Err(HtcdsError::App(e)) => return Err(refused(e)),
        Err(HtcdsError::KTooSmall) => return Err(too_small()),
        Err(e) => return Err(Failure::msg(e.to_string())),
    };
    let bytes = amparo_insights::htcds::csv(&a).map_err(|e| Failure::msg(e.to_string()))?;
    write_private(&out, &bytes)?;
    for line in a.summary.lines(lang) {
        println!("{line}");
    }
    println!("{}", t_args(lang, "htcds-cli-written", &[("file", Arg::Str(out.display().to_string()))]));
    Ok(ExitCode::SUCCESS)
}
