//! The command line. Shapes here are contracts that scripts rely on: add, never rename.

use std::fmt;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use secrecy::SecretString;

use amparo_app::{AppError, Caller, ChainVerdict, NewInstallation, NewUser};
use amparo_domain::{Language, PersonId, Role};

use crate::installation::Installation;

/// Spreadsheet import and the records export.
#[path = "bulk.rs"]
mod bulk;
/// The `demo` command's generator (declared here so that `main.rs` stays as it is).
#[path = "demo.rs"]
mod demo;
/// Key rotation and sealed mode.
#[path = "keys.rs"]
mod keys;
/// The partner network's commands (identity, referral packets).
#[path = "referrals.rs"]
mod referrals;
/// Differentially private releases for open publication.
#[path = "release.rs"]
mod release;
/// Retention: preview and run (and the daily job `serve` starts).
#[path = "retention.rs"]
pub(crate) mod retention;

#[derive(Debug, Parser)]
#[command(
    name = "amparo",
    version,
    about = "Amparo: survivor-centred case management for organisations that fight human trafficking.",
    long_about = "Amparo keeps survivors' records encrypted, audited and shared only with consent.\n\n\
        Configuration comes from command-line flags, then AMPARO_* environment variables, then \
        amparo.toml in the data directory. AMPARO_DATABASE_URL=postgres://… selects PostgreSQL \
        (otherwise the data directory's SQLite file is used); AMPARO_MASTER_KEY supplies the \
        master key instead of the key file; AMPARO_LOG sets the log filter (default info)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// On a sealed installation, read the passphrase that opens the master key from the first
    /// line of this file (for every command that needs the keys). AMPARO_MASTER_KEY still wins.
    #[arg(long, global = true, value_name = "FILE")]
    pub unseal_passphrase_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DataDir {
    /// The data directory (database, keys, configuration).
    #[arg(long, env = "AMPARO_DATA_DIR", default_value = "./amparo-data")]
    pub data_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct OrgChoice {
    /// The organisation to act on; may be left out while the installation has only one.
    #[arg(long)]
    pub org: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a data directory, keys, database, the first organisation and its administrator.
    Init {
        #[command(flatten)]
        dir: DataDir,
        /// The organisation's name.
        #[arg(long)]
        org: String,
        #[arg(long)]
        admin_email: String,
        /// The administrator's display name (defaults to the part of the email before @).
        #[arg(long)]
        admin_name: Option<String>,
        /// Read the administrator's password from the first line of standard input.
        #[arg(long, required = true)]
        admin_password_stdin: bool,
        /// The administrator's interface language (es or en).
        #[arg(long, default_value = "es")]
        language: String,
    },
    /// Run the web server. On a data directory that does not exist yet, initialise one and
    /// print a one-time link to create the first administrator.
    Serve {
        #[command(flatten)]
        dir: DataDir,
        /// Address to listen on. Plain HTTP is for loopback; use --tls-cert/--tls-key elsewhere.
        #[arg(long, env = "AMPARO_BIND")]
        bind: Option<String>,
        /// PEM certificate chain for TLS.
        #[arg(long, env = "AMPARO_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key for TLS.
        #[arg(long, env = "AMPARO_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Organisations hosted on this installation.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The organisations' retention policies: what the next run would purge, and running it
    /// now (`amparo serve` runs it daily). Policies are set on the retention page.
    Retention {
        #[command(subcommand)]
        command: retention::RetentionCommand,
    },
    /// Fill the database with fictitious people, each with one case, for demonstrations and
    /// benchmarks. The same seed gives the same people.
    Demo {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        org: OrgChoice,
        /// How many people (each with one case) to add.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        cases: u64,
        /// The random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// This installation's identity (for partners).
    Identity {
        #[command(subcommand)]
        command: referrals::IdentityCommand,
    },
    /// Signed, encrypted referral packets between installations.
    Referral {
        #[command(subcommand)]
        command: referrals::ReferralCommand,
    },
    /// Erase a person by crypto-shredding: their data key and rows are deleted, and their id
    /// goes into the erasure ledger so that a restored backup cannot bring them back.
    Erase {
        #[command(flatten)]
        dir: DataDir,
        /// The person's id.
        #[arg(long)]
        person: String,
        /// Why the person is erased (kept encrypted in the erasure ledger).
        #[arg(long)]
        reason: String,
    },
    /// Encrypted backups (age): create, verify, restore. See docs/backup.md.
    Backup {
        #[command(subcommand)]
        command: BackupCommand,
    },
    /// The erasure ledger (ids of erased persons), to keep off-site with the backups.
    ErasureLedger {
        #[command(subcommand)]
        command: ErasureLedgerCommand,
    },
    /// Import people from a CSV or XLSX file, all or nothing (see docs/import-export.md).
    Import(bulk::ImportArgs),
    /// Take data out: `export records` (the organisation's full records, encrypted).
    Export {
        #[command(subcommand)]
        command: bulk::ExportCommand,
    },
    /// Key management: rotate the key-encryption keys, seal or unseal the master key.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// A differentially private release of the organisation's counts for open publication:
    /// 1-, 2- and 3-way tables with noise, within the year's privacy budget (docs/release.md).
    Release(release::ReleaseArgs),
    /// Copy an SQLite installation into an empty PostgreSQL database, check every table's row
    /// count and checksum, and leave the SQLite database as it was.
    MigrateStore {
        #[command(flatten)]
        dir: DataDir,
        /// The target: postgres://user:password@host/database (empty; migrations run first).
        #[arg(long)]
        to: String,
    },
}

/// How a backup is opened: a passphrase on standard input, or an age identity file.
#[derive(Debug, Args)]
pub struct BackupOpening {
    /// Read the passphrase from the first line of standard input.
    #[arg(long, conflicts_with = "identity", required_unless_present = "identity")]
    pub passphrase_stdin: bool,
    /// An age identity file (from `age-keygen`) for a backup made with --recipient.
    #[arg(long)]
    pub identity: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Write a consistent snapshot (the server may keep running), encrypted with age, with a
    /// manifest of per-table checksums, the erasure ledger and the master key inside.
    Create {
        #[command(flatten)]
        dir: DataDir,
        /// The backup file to write (refused if it exists).
        #[arg(long)]
        out: PathBuf,
        /// Encrypt with a passphrase read from the first line of standard input.
        #[arg(long, conflicts_with = "recipient", required_unless_present = "recipient")]
        passphrase_stdin: bool,
        /// Encrypt to an age public key (age1…) instead.
        #[arg(long)]
        recipient: Option<String>,
    },
    /// Decrypt a backup and check all of it: checksums, the audit chain inside, the ledger.
    Verify {
        /// The backup file.
        file: PathBuf,
        #[command(flatten)]
        opening: BackupOpening,
    },
    /// Restore into a new or existing data directory (its server stopped), re-applying every
    /// erasure known: the backup's ledger, the installation's own, and any --erasure-ledger.
    Restore {
        /// The backup file.
        file: PathBuf,
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        opening: BackupOpening,
        /// An exported erasure ledger (`amparo erasure-ledger export`); may be repeated.
        #[arg(long)]
        erasure_ledger: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ErasureLedgerCommand {
    /// Write the ids of every erased person (no personal data) with a MAC, for
    /// `backup restore --erasure-ledger`.
    Export {
        #[command(flatten)]
        dir: DataDir,
        #[arg(long)]
        out: PathBuf,
    },
}

fn backup_key(opening: &BackupOpening) -> Result<amparo_app::backup::BackupKey, Failure> {
    match &opening.identity {
        Some(path) => Ok(amparo_app::backup::BackupKey::identity_file(path)?),
        None => Ok(amparo_app::backup::BackupKey::Passphrase(read_secret_line()?)),
    }
}

async fn backup_command(command: BackupCommand) -> Result<ExitCode, Failure> {
    match command {
        BackupCommand::Create { dir, out, passphrase_stdin: _, recipient } => {
            let to = match recipient {
                Some(r) => amparo_app::backup::BackupRecipient::PublicKey(r),
                None => amparo_app::backup::BackupRecipient::Passphrase(read_secret_line()?),
            };
            crate::backup::create(&dir.data_dir, &out, to).await
        }
        BackupCommand::Verify { file, opening } => crate::backup::verify(&file, &backup_key(&opening)?),
        BackupCommand::Restore { file, dir, opening, erasure_ledger } => {
            crate::backup::restore(&file, &dir.data_dir, &backup_key(&opening)?, &erasure_ledger).await
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an organisation with its administrator.
    Add {
        #[command(flatten)]
        dir: DataDir,
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_name: Option<String>,
        /// Read the administrator's password from the first line of standard input.
        #[arg(long, required = true)]
        admin_password_stdin: bool,
        #[arg(long, default_value = "es")]
        language: String,
    },
    /// List the organisations.
    List {
        #[command(flatten)]
        dir: DataDir,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user with an initial password they must change at first sign-in.
    Add {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        org: OrgChoice,
        #[arg(long)]
        email: String,
        /// administrator, supervisor, case_manager, hotline, clinician, shelter_staff, volunteer or analyst.
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value = "es")]
        language: String,
        /// Read the initial password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Disable a user: their sessions end at once and their tokens stop working.
    Disable {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        org: OrgChoice,
        #[arg(long)]
        email: String,
    },
    /// Clear a user's MFA: they enrol a new authenticator at next sign-in.
    ResetMfa {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        org: OrgChoice,
        #[arg(long)]
        email: String,
    },
    /// List the users of an organisation.
    List {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        org: OrgChoice,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; the token is the last line of standard output.
    Create {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        org: OrgChoice,
        #[arg(long)]
        email: String,
        /// A name that says what the token is for.
        #[arg(long)]
        name: String,
    },
    /// Revoke a token, given by its id or (from standard input) the token itself.
    Revoke {
        #[command(flatten)]
        dir: DataDir,
        /// The token's id (printed at creation).
        #[arg(long, conflicts_with = "token_stdin")]
        id: Option<String>,
        /// Read the token itself from standard input.
        #[arg(long)]
        token_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the whole audit chain; exits non-zero naming the first broken entry.
    Verify {
        #[command(flatten)]
        dir: DataDir,
    },
}

/// A command's failure, said in one line.
#[derive(Debug)]
pub struct Failure(String);

impl Failure {
    pub fn msg(m: impl Into<String>) -> Self {
        Failure(m.into())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        let text = match &e {
            AppError::Invalid { field, problem } => format!("invalid {field}: {problem} ({})", problem.code()),
            AppError::Duplicate => "already exists".to_owned(),
            AppError::NotFound => "not found".to_owned(),
            other => format!("{other} ({})", other.code()),
        };
        Failure(text)
    }
}

fn read_secret_line() -> Result<SecretString, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::msg(format!("cannot read standard input: {e}")))?;
    let trimmed = line.strip_suffix('\n').unwrap_or(&line);
    let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
    Ok(SecretString::from(trimmed.to_owned()))
}

fn language(s: &str) -> Result<Language, Failure> {
    s.parse().map_err(|_| Failure::msg("language must be es or en"))
}

pub async fn run(cli: Cli) -> Result<ExitCode, Failure> {
    if let Some(file) = &cli.unseal_passphrase_file {
        crate::installation::set_unseal_passphrase_file(file.clone());
    }
    match cli.command {
        Command::Init { dir, org, admin_email, admin_name, admin_password_stdin: _, language: lang } => {
            let lang = language(&lang)?;
            let password = read_secret_line()?;
            let inst = Installation::create(&dir.data_dir).await?;
            let new =
                NewInstallation { org_name: org, admin_email, admin_name, admin_password: password, language: lang };
            // The installation's identity is made with it (partners need it from day one).
            let result = match inst.app.add_organisation(new).await {
                Ok(done) => inst.app.installation_identity().await.map(|_| done),
                Err(e) => Err(e),
            };
            match result {
                Ok((org, _)) => {
                    println!("initialised {} (organisation {org})", dir.data_dir.display());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    // Leave nothing half-made behind: the directory was empty before.
                    drop(inst);
                    let _ = std::fs::remove_dir_all(&dir.data_dir);
                    Err(e.into())
                }
            }
        }
        Command::Serve { dir, bind, tls_cert, tls_key } => {
            crate::serve::run(dir.data_dir, bind, tls_cert.zip(tls_key)).await
        }
        Command::Org { command } => match command {
            OrgCommand::Add { dir, name, admin_email, admin_name, admin_password_stdin: _, language: lang } => {
                let lang = language(&lang)?;
                let password = read_secret_line()?;
                let inst = Installation::open(&dir.data_dir).await?;
                let new = NewInstallation {
                    org_name: name,
                    admin_email,
                    admin_name,
                    admin_password: password,
                    language: lang,
                };
                let (org, _) = inst.app.add_organisation(new).await?;
                println!("added organisation {org}");
                Ok(ExitCode::SUCCESS)
            }
            OrgCommand::List { dir } => {
                let inst = Installation::open(&dir.data_dir).await?;
                for org in inst.app.organisations().await? {
                    println!("{}\t{}", org.id, org.name);
                }
                Ok(ExitCode::SUCCESS)
            }
        },
        Command::User { command } => user(command).await,
        Command::Token { command } => token(command).await,
        Command::Retention { command } => retention::command(command).await,
        Command::Audit { command: AuditCommand::Verify { dir } } => {
            let inst = Installation::open(&dir.data_dir).await?;
            match inst.app.verify_audit_chain().await? {
                ChainVerdict::Intact { entries } => {
                    println!("audit chain intact: {entries} entries checked");
                    Ok(ExitCode::SUCCESS)
                }
                ChainVerdict::Broken { at_seq, reason } => {
                    println!("audit chain BROKEN at entry {at_seq}: {reason}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Demo { dir, org, cases, seed } => {
            let total = usize::try_from(cases).map_err(|_| Failure::msg("--cases is too large"))?;
            let inst = Installation::open(&dir.data_dir).await?;
            let org = inst.app.resolve_org(org.org.as_deref()).await.map_err(org_failure)?;
            demo::run(&inst.app, org.id, total, seed).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { command } => backup_command(command).await,
        Command::ErasureLedger { command: ErasureLedgerCommand::Export { dir, out } } => {
            crate::backup::export_ledger(&dir.data_dir, &out).await
        }
        Command::MigrateStore { dir, to } => crate::backup::migrate_store(&dir.data_dir, &to).await,
        Command::Keys { command } => keys::run(command, cli.unseal_passphrase_file.as_deref()).await,
        Command::Identity { command } => referrals::identity(command).await,
        Command::Import(args) => bulk::import(args).await,
        Command::Release(args) => release::release(args).await,
        Command::Export { command } => bulk::export(command).await,
        Command::Referral { command } => referrals::referral(command).await,
        Command::Erase { dir, person, reason } => {
            let id: PersonId =
                person.trim().parse().map_err(|_| Failure::msg(format!("{person:?} is not a person id")))?;
            let inst = Installation::open(&dir.data_dir).await?;
            match inst.app.erase_person(&Caller::Operator, id, &reason).await {
                Ok(()) => {
                    println!("erased person {id}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(AppError::NotFound) => Err(Failure::msg(format!("no person with id {id}"))),
                Err(AppError::Gone) => Err(Failure::msg(format!("person {id} was already erased"))),
                Err(AppError::Invalid { field: "reason", .. }) => Err(Failure::msg("give a --reason")),
                Err(e) => Err(e.into()),
            }
        }
    }
}

async fn user(command: UserCommand) -> Result<ExitCode, Failure> {
    let operator = Caller::Operator;
    match command {
        UserCommand::Add { dir, org, email, role, name, language: lang, password_stdin: _ } => {
            let role: Role = role.parse().map_err(|_| {
                Failure::msg("role must be one of administrator, supervisor, case_manager, hotline, clinician, shelter_staff, volunteer, analyst")
            })?;
            let lang = language(&lang)?;
            let password = read_secret_line()?;
            let inst = Installation::open(&dir.data_dir).await?;
            let org = inst.app.resolve_org(org.org.as_deref()).await.map_err(org_failure)?;
            let new = NewUser { org: org.id, email, name, role, language: lang, initial_password: password };
            let user = inst.app.add_user(&operator, new).await?;
            println!("added user {} ({})", user.id, user.role);
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::Disable { dir, org, email } => {
            let inst = Installation::open(&dir.data_dir).await?;
            let user = user_in_org(&inst, org, &email).await?;
            inst.app.disable_user(&operator, user).await?;
            println!("disabled user {user}");
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::ResetMfa { dir, org, email } => {
            let inst = Installation::open(&dir.data_dir).await?;
            let user = user_in_org(&inst, org, &email).await?;
            inst.app.reset_user_mfa(&operator, user).await?;
            println!("reset MFA of user {user}");
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::List { dir, org } => {
            let inst = Installation::open(&dir.data_dir).await?;
            let org = inst.app.resolve_org(org.org.as_deref()).await.map_err(org_failure)?;
            for u in inst.app.list_users(&operator, org.id).await? {
                let state = if u.disabled { "disabled" } else { "active" };
                println!("{}\t{}\t{}\t{state}", u.id, u.email, u.role);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn org_failure(e: AppError) -> Failure {
    match e {
        AppError::Invalid { .. } => Failure::msg("this installation hosts several organisations: name one with --org"),
        AppError::NotFound => Failure::msg("no organisation of that name"),
        other => other.into(),
    }
}

/// The user with this email, checked to belong to the named (or only) organisation.
async fn user_in_org(inst: &Installation, org: OrgChoice, email: &str) -> Result<amparo_domain::UserId, Failure> {
    let org = inst.app.resolve_org(org.org.as_deref()).await.map_err(org_failure)?;
    let user = inst.app.find_user(&Caller::Operator, email).await?;
    if user.org != org.id {
        return Err(Failure::msg("not found"));
    }
    Ok(user.id)
}

async fn token(command: TokenCommand) -> Result<ExitCode, Failure> {
    match command {
        TokenCommand::Create { dir, org, email, name } => {
            let inst = Installation::open(&dir.data_dir).await?;
            user_in_org(&inst, org, &email).await?;
            let token = inst.app.create_api_token(&Caller::Operator, &email, &name).await?;
            println!("created API token {} (shown once; keep it secret):", token.id);
            println!("{}", token.secret);
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Revoke { dir, id, token_stdin } => {
            let secret = if token_stdin { Some(read_secret_line()?) } else { None };
            let inst = Installation::open(&dir.data_dir).await?;
            let which = match (&id, &secret) {
                (Some(id), _) => id.clone(),
                (None, Some(s)) => secrecy::ExposeSecret::expose_secret(s).to_owned(),
                (None, None) => return Err(Failure::msg("give --id ID or --token-stdin")),
            };
            inst.app.revoke_api_token(&Caller::Operator, &which).await?;
            println!("revoked");
            Ok(ExitCode::SUCCESS)
        }
    }
}
