//! `amparo identity show` and `amparo referral pack|unpack`: the partner network at the
//! command line (acting as the operator, audited on the `cli` channel).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

use amparo_app::{AppError, Caller};
use amparo_domain::OrgId;
use amparo_domain::referrals::ReferralId;

use crate::commands::{DataDir, Failure, OrgChoice};
use crate::installation::Installation;

#[derive(Debug, clap::Subcommand)]
pub enum IdentityCommand {
    /// Print this installation's public identity: give its last line to partners, and compare
    /// the fingerprint with them by phone.
    Show {
        #[command(flatten)]
        dir: DataDir,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum ReferralCommand {
    /// Seal an outgoing referral's consented fields to the partner installation and sign
    /// them with this installation's key, into FILE. The consent is checked again now.
    Pack {
        #[command(flatten)]
        dir: DataDir,
        /// The referral's id.
        #[arg(long)]
        referral: String,
        /// Where to write the packet.
        #[arg(long)]
        out: PathBuf,
        /// Days the packet stays valid (at most 90, never past the consent's expiry).
        #[arg(long, conflicts_with = "expires_on", value_parser = clap::value_parser!(i64).range(0..=90))]
        expires_in_days: Option<i64>,
        /// The last day the packet is valid (YYYY-MM-DD).
        #[arg(long)]
        expires_on: Option<NaiveDate>,
    },
    /// Verify a packet from a partner installation and file it in the inbox of the
    /// organisation that knows the sender.
    Unpack {
        #[command(flatten)]
        dir: DataDir,
        #[command(flatten)]
        org: OrgChoice,
        /// The packet file.
        file: PathBuf,
    },
}

async fn org_of(inst: &Installation, name: Option<&str>) -> Result<Option<OrgId>, Failure> {
    match name {
        None => Ok(None),
        Some(n) => Ok(Some(
            inst.app.resolve_org(Some(n)).await.map_err(|_| Failure::msg(format!("no organisation named {n:?}")))?.id,
        )),
    }
}

fn packet_failure(e: AppError) -> Failure {
    match e {
        AppError::Refused("packet_modified") => Failure::msg("refused: the packet was modified after it was signed"),
        AppError::Refused("packet_misaddressed") => {
            Failure::msg("refused: the packet is addressed to another installation")
        }
        AppError::Refused("packet_expired") => Failure::msg("refused: the packet has expired"),
        AppError::Refused("packet_unknown_sender") => {
            Failure::msg("refused: the sender is not in the partner directory (add its identity line first)")
        }
        AppError::Refused("packet_malformed") => Failure::msg("refused: this is not an Amparo referral packet"),
        AppError::Refused("consent_required") => {
            Failure::msg("refused: no valid consent covers this partner and every field shared (consent_required)")
        }
        AppError::Refused("partner_not_remote") => {
            Failure::msg("this partner is on this installation: its inbox already has the referral")
        }
        AppError::Refused("referral_status_change") => {
            Failure::msg("only a sent or accepted outgoing referral can be packed")
        }
        AppError::Duplicate => Failure::msg("this packet was already filed"),
        AppError::Invalid { field: "org", .. } => {
            Failure::msg("several organisations here know this sender: choose one with --org")
        }
        other => other.into(),
    }
}

pub async fn identity(command: IdentityCommand) -> Result<ExitCode, Failure> {
    let IdentityCommand::Show { dir } = command;
    let inst = Installation::open(&dir.data_dir).await?;
    let id = inst.app.installation_identity().await?;
    println!("fingerprint: {}", id.fingerprint());
    // The last line is the identity itself, for scripts and for partners to paste.
    println!("{id}");
    Ok(ExitCode::SUCCESS)
}

fn read_packet(path: &Path) -> Result<Vec<u8>, Failure> {
    let meta = std::fs::metadata(path).map_err(|e| Failure::msg(format!("cannot read {}: {e}", path.display())))?;
    if meta.len() > amparo_crypto::identity::MAX_PACKET_BYTES as u64 {
        return Err(Failure::msg("refused: this is not an Amparo referral packet (too large)"));
    }
    std::fs::read(path).map_err(|e| Failure::msg(format!("cannot read {}: {e}", path.display())))
}

pub async fn referral(command: ReferralCommand) -> Result<ExitCode, Failure> {
    match command {
        ReferralCommand::Pack { dir, referral, out, expires_in_days, expires_on } => {
            let id: ReferralId =
                referral.trim().parse().map_err(|_| Failure::msg(format!("{referral:?} is not a referral id")))?;
            let inst = Installation::open(&dir.data_dir).await?;
            // The referral names its organisation; the operator acts for it.
            let org = inst.app.store().referral(id).await.map_err(AppError::from)?.map(|r| r.org);
            let org = org.ok_or_else(|| Failure::msg(format!("no referral with id {id}")))?;
            let expires = match (expires_on, expires_in_days) {
                (Some(d), _) => Some(d),
                (None, Some(n)) => Some(inst.app.now().date_naive() + chrono::Duration::days(n)),
                (None, None) => None,
            };
            let packet =
                inst.app.pack_referral(&Caller::Operator, Some(org), id, expires).await.map_err(packet_failure)?;
            write_new(&out, &packet)?;
            println!("wrote referral packet {} ({} bytes)", out.display(), packet.len());
            Ok(ExitCode::SUCCESS)
        }
        ReferralCommand::Unpack { dir, org, file } => {
            let inst = Installation::open(&dir.data_dir).await?;
            let org = org_of(&inst, org.org.as_deref()).await?;
            let packet = read_packet(&file)?;
            let id = inst.app.unpack_referral(&Caller::Operator, org, &packet).await.map_err(packet_failure)?;
            println!("filed incoming referral {id}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes the packet readable by its owner only (it is ciphertext, but still nobody else's).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Failure::msg(format!("cannot write {}: {e}", path.display())))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| Failure::msg(format!("cannot write {}: {e}", path.display())))
}
