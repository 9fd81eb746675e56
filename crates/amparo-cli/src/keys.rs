//! `amparo keys …`: rotate the organisations' key-encryption keys, seal the master key under
//! an administrator's passphrase and unseal it again (docs/keys.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use secrecy::SecretString;

use amparo_app::Caller;
use amparo_app::keys::RotationOptions;
use amparo_crypto::{MasterKey, SealParams};

use super::{DataDir, Failure, OrgChoice, org_failure, read_secret_line};
use crate::installation::{self, Installation};

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Give every organisation (or one, with --org) a new key-encryption key and re-wrap
    /// every data key under it, a batch per transaction. Interrupted, run it again: it
    /// continues with the rows still on the old key, then retires the old key.
    Rotate {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        org: OrgChoice,
        /// Rows re-wrapped per transaction.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=10_000))]
        batch_size: u64,
        /// Stop after this many batches (to spread a large rotation over quiet hours; run
        /// again to continue).
        #[arg(long)]
        max_batches: Option<u64>,
        /// Seconds to wait after the new keys are active, so that running servers (which
        /// reload them every 10 s) use them before the sweep. Default: 0 when no server runs
        /// on this SQLite data directory, 15 otherwise (and always 15 with PostgreSQL).
        #[arg(long)]
        settle_seconds: Option<u64>,
    },
    /// Show each organisation's key versions and how many rows are not on the active one.
    Status {
        #[command(flatten)]
        dir: DataDir,
    },
    /// Keep the master key only wrapped by a passphrase (Argon2id): the key file is replaced
    /// by a sealed key file, and the server starts locked until an administrator unlocks it.
    Seal {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        passphrase: PassphraseSource,
    },
    /// The reverse of seal: write the key file again from the sealed key file.
    Unseal {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        passphrase: PassphraseSource,
    },
}

/// Where the sealing passphrase comes from.
#[derive(Debug, Args)]
pub struct PassphraseSource {
    /// Read the passphrase from the first line of this file.
    #[arg(long, conflicts_with = "passphrase_stdin")]
    pub passphrase_file: Option<PathBuf>,
    /// Read the passphrase from the first line of standard input.
    #[arg(long)]
    pub passphrase_stdin: bool,
}

/// The passphrase: --passphrase-file, --passphrase-stdin, or (unseal only) the global
/// --unseal-passphrase-file.
fn passphrase(source: &PassphraseSource, fallback: Option<&Path>) -> Result<SecretString, Failure> {
    match (&source.passphrase_file, source.passphrase_stdin, fallback) {
        (Some(path), _, _) => installation::read_passphrase_file(path),
        (None, true, _) => read_secret_line(),
        (None, false, Some(path)) => installation::read_passphrase_file(path),
        (None, false, None) => {
            Err(Failure::msg("give the passphrase with --passphrase-file FILE or --passphrase-stdin"))
        }
    }
}

pub async fn run(command: KeysCommand, unseal_file: Option<&Path>) -> Result<ExitCode, Failure> {
    match command {
        KeysCommand::Rotate { dir, org, batch_size, max_batches, settle_seconds } => {
            rotate(&dir.data_dir, org, batch_size, max_batches, settle_seconds).await
        }
        KeysCommand::Status { dir } => status(&dir.data_dir).await,
        KeysCommand::Seal { dir, passphrase: source } => seal(&dir.data_dir, &passphrase(&source, None)?),
        KeysCommand::Unseal { dir, passphrase: source } => unseal(&dir.data_dir, &passphrase(&source, unseal_file)?),
    }
}

async fn rotate(
    data_dir: &Path,
    org: OrgChoice,
    batch_size: u64,
    max_batches: Option<u64>,
    settle_seconds: Option<u64>,
) -> Result<ExitCode, Failure> {
    let inst = Installation::open(data_dir).await?;
    let org = match org.org {
        Some(name) => Some(inst.app.resolve_org(Some(&name)).await.map_err(org_failure)?.id),
        None => None,
    };
    let settle = match settle_seconds {
        Some(s) => s,
        None => {
            // A server holds a shared lock on the data directory while it runs.
            let sqlite = installation::database_url(&inst.file_config).is_none();
            if sqlite && installation::DataDirLock::exclusive(data_dir).is_ok() { 0 } else { 15 }
        }
    };
    let options = RotationOptions {
        org,
        batch_size: usize::try_from(batch_size).unwrap_or(500),
        max_batches: max_batches.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        settle: Duration::from_secs(settle),
    };
    let report = inst.app.rotate_keys(&Caller::Operator, &options).await?;
    let mut all_done = true;
    for r in &report {
        let from: Vec<String> = r.from.iter().map(u32::to_string).collect();
        let verb = if r.resumed { "continued" } else { "started" };
        println!(
            "organisation {}: {verb} rotation from key version {} to {}; {} data keys re-wrapped",
            r.org,
            from.join(", "),
            r.to,
            r.rewrapped
        );
        if r.finished {
            println!("organisation {}: key version {} retired", r.org, from.join(", "));
        } else {
            all_done = false;
            println!(
                "organisation {}: {} data keys still on an old key version; run `amparo keys rotate` again to continue",
                r.org, r.remaining
            );
        }
    }
    if all_done {
        println!("key rotation finished");
    }
    Ok(ExitCode::SUCCESS)
}

async fn status(data_dir: &Path) -> Result<ExitCode, Failure> {
    let inst = Installation::open(data_dir).await?;
    for s in inst.app.key_status(&Caller::Operator).await? {
        let versions: Vec<String> = if s.versions.is_empty() {
            vec!["1 active".to_owned()]
        } else {
            s.versions.iter().map(|v| format!("{} {}", v.version, v.state.code())).collect()
        };
        println!(
            "{}\tactive {}\t{}\t{} rows not on the active version",
            s.org,
            s.active,
            versions.join(", "),
            s.not_on_active
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn seal(data_dir: &Path, pass: &SecretString) -> Result<ExitCode, Failure> {
    let keys = amparo_app::key_dir(data_dir);
    let plain = installation::master_key_path(&keys);
    let sealed = installation::sealed_key_path(&keys);
    if sealed.exists() {
        return Err(Failure::msg(format!("{} already exists: the installation is sealed", sealed.display())));
    }
    if !plain.exists() {
        return Err(Failure::msg(format!(
            "no key file at {} to seal (a key given by AMPARO_MASTER_KEY stays where it is)",
            plain.display()
        )));
    }
    let master = MasterKey::read_file(&plain)
        .map_err(|e| Failure::msg(format!("cannot read the master key in {} ({})", keys.display(), e.code())))?;
    let text = amparo_crypto::seal_master_key(&master, pass, SealParams::recommended()).map_err(|e| match e {
        amparo_crypto::CryptoError::PassphraseTooShort => Failure::msg(format!(
            "the passphrase must have at least {} characters",
            amparo_crypto::sealed::MIN_PASSPHRASE_CHARS
        )),
        other => Failure::msg(format!("cannot seal the master key ({})", other.code())),
    })?;
    amparo_crypto::write_sealed_key_file(&sealed, &text)
        .map_err(|e| Failure::msg(format!("cannot write {} ({})", sealed.display(), e.code())))?;
    // The plain key goes only once the sealed file, read back from the disk, opens to it.
    let check = installation::open_sealed_key(data_dir, pass);
    if check.as_ref().map(MasterKey::fingerprint).ok() != Some(master.fingerprint()) {
        let _ = std::fs::remove_file(&sealed);
        return Err(Failure::msg("the sealed key file did not read back correctly; nothing was changed"));
    }
    remove_key_file(&plain)?;
    sync_dir(&keys);
    println!("sealed: the master key is now only in {} (key {})", sealed.display(), master.fingerprint());
    println!("the server will start locked; unlock it at /unlock with the passphrase");
    Ok(ExitCode::SUCCESS)
}

fn unseal(data_dir: &Path, pass: &SecretString) -> Result<ExitCode, Failure> {
    let keys = amparo_app::key_dir(data_dir);
    let plain = installation::master_key_path(&keys);
    let sealed = installation::sealed_key_path(&keys);
    if !sealed.exists() {
        return Err(Failure::msg(format!("{} does not exist: the installation is not sealed", sealed.display())));
    }
    let master = installation::open_sealed_key(data_dir, pass)?;
    master
        .write_new_file(&plain)
        .map_err(|e| Failure::msg(format!("cannot write the key file {} ({})", plain.display(), e.code())))?;
    let check = MasterKey::read_file(&plain).map(|k| k.fingerprint()).ok();
    if check.as_deref() != Some(master.fingerprint().as_str()) {
        let _ = std::fs::remove_file(&plain);
        return Err(Failure::msg("the key file did not read back correctly; the installation stays sealed"));
    }
    std::fs::remove_file(&sealed).map_err(|e| Failure::msg(format!("cannot remove {}: {e}", sealed.display())))?;
    sync_dir(&keys);
    println!("unsealed: the master key is in {} again (key {})", plain.display(), master.fingerprint());
    Ok(ExitCode::SUCCESS)
}

/// Overwrites the key file before removing it (on a plain disk that is the copy gone; on
/// copy-on-write or flash storage old blocks may survive, see docs/keys.md).
fn remove_key_file(path: &Path) -> Result<(), Failure> {
    use std::io::Write;
    if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(path) {
        let _ = f.write_all(&[0u8; 64]).and_then(|()| f.sync_all());
    }
    std::fs::remove_file(path).map_err(|e| Failure::msg(format!("cannot remove {}: {e}", path.display())))
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
