//! The audit chain's shape. Entries hold ids and codes, never names or narrative.

use chrono::{DateTime, SubsecRound, Utc};
use uuid::Uuid;

use amparo_domain::{OrgId, UserId};

/// The hash before the first entry.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditOutcome {
    Ok,
    Denied,
    Failed,
}

impl AuditOutcome {
    pub const fn code(self) -> &'static str {
        match self {
            AuditOutcome::Ok => "ok",
            AuditOutcome::Denied => "denied",
            AuditOutcome::Failed => "failed",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Ok, Self::Denied, Self::Failed].into_iter().find(|o| o.code() == code)
    }
}

/// What a use case asks to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditDraft {
    /// Microsecond precision: both backends store exactly this.
    pub at: DateTime<Utc>,
    pub org: Option<OrgId>,
    /// The user acting (a token acts as its user; the CLI acts as a named user or none).
    pub actor: Option<UserId>,
    /// How the actor came: `web`, `api`, `cli`, `system`, `anonymous`.
    pub channel: String,
    /// Stable action code, e.g. `login`, `user.add`, `record.read`.
    pub action: String,
    /// Kind of thing acted on, e.g. `user`, `person`, `organisation`.
    pub target_kind: Option<String>,
    /// Its id (a random UUID, never a name).
    pub target_id: Option<Uuid>,
    pub outcome: AuditOutcome,
    /// A code that says more (`wrong_password`, `locked`, `not_on_team`), never free text.
    pub detail: Option<String>,
}

impl AuditDraft {
    pub fn new(at: DateTime<Utc>, channel: &str, action: &str, outcome: AuditOutcome) -> Self {
        Self {
            at: at.trunc_subsecs(6),
            org: None,
            actor: None,
            channel: channel.to_owned(),
            action: action.to_owned(),
            target_kind: None,
            target_id: None,
            outcome,
            detail: None,
        }
    }
}

/// An entry as stored: the draft, its place in the chain, and the links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub draft: AuditDraft,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

impl AuditRecord {
    /// The bytes the chain hash covers: every field, length-prefixed so that no two
    /// different entries encode alike.
    pub fn canonical_bytes(seq: i64, d: &AuditDraft) -> Vec<u8> {
        fn put(out: &mut Vec<u8>, field: Option<&[u8]>) {
            match field {
                None => out.push(0),
                Some(b) => {
                    out.push(1);
                    out.extend_from_slice(&(b.len() as u64).to_be_bytes());
                    out.extend_from_slice(b);
                }
            }
        }
        let mut out = Vec::with_capacity(160);
        out.extend_from_slice(b"amparo-audit-v1");
        out.extend_from_slice(&seq.to_be_bytes());
        out.extend_from_slice(&d.at.timestamp_micros().to_be_bytes());
        put(&mut out, d.org.as_ref().map(|o| o.as_bytes().as_slice()));
        put(&mut out, d.actor.as_ref().map(|u| u.as_bytes().as_slice()));
        put(&mut out, Some(d.channel.as_bytes()));
        put(&mut out, Some(d.action.as_bytes()));
        put(&mut out, d.target_kind.as_deref().map(str::as_bytes));
        put(&mut out, d.target_id.as_ref().map(|t| t.as_bytes().as_slice()));
        put(&mut out, Some(d.outcome.code().as_bytes()));
        put(&mut out, d.detail.as_deref().map(str::as_bytes));
        out
    }
}

/// The chain's last entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: Vec<u8>,
}

/// Computes an entry's link from the previous hash and the entry's canonical bytes. It holds
/// the audit key, which the store never sees.
pub trait AuditLinker: Send + Sync {
    fn link(&self, prev_hash: &[u8], canonical: &[u8]) -> Vec<u8>;
}

impl AuditRecord {
    /// An `audit_events` row of a dump (see `dump.rs`: ids as 16-byte blobs, `at` in
    /// microseconds), so a backup's chain can be checked without a database.
    pub fn from_dump(columns: &[String], row: &[crate::DumpValue]) -> Result<AuditRecord, crate::StoreError> {
        use crate::DumpValue as V;
        let bad = |c: &str| crate::StoreError::Database(format!("unexpected value in audit_events.{c}"));
        let get = |c: &str| columns.iter().position(|x| x == c).and_then(|i| row.get(i)).ok_or_else(|| bad(c));
        let int = |c: &str| match get(c)? {
            V::Int(i) => Ok(*i),
            _ => Err(bad(c)),
        };
        let text = |c: &str| match get(c)? {
            V::Text(t) => Ok(Some(t.clone())),
            V::Null => Ok(None),
            _ => Err(bad(c)),
        };
        let bytes = |c: &str| match get(c)? {
            V::Bytes(b) => Ok(Some(b.clone())),
            V::Null => Ok(None),
            _ => Err(bad(c)),
        };
        let uuid = |c: &str| bytes(c)?.map(|b| Uuid::from_slice(&b).map_err(|_| bad(c))).transpose();
        let required = |c: &str, v: Option<String>| v.ok_or_else(|| bad(c));
        let draft = AuditDraft {
            at: DateTime::<Utc>::from_timestamp_micros(int("at")?).ok_or_else(|| bad("at"))?,
            org: uuid("org_id")?.map(OrgId::from_uuid),
            actor: uuid("actor_id")?.map(UserId::from_uuid),
            channel: required("channel", text("channel")?)?,
            action: required("action", text("action")?)?,
            target_kind: text("target_kind")?,
            target_id: uuid("target_id")?,
            outcome: AuditOutcome::from_code(&required("outcome", text("outcome")?)?).ok_or_else(|| bad("outcome"))?,
            detail: text("detail")?,
        };
        Ok(AuditRecord {
            seq: int("seq")?,
            draft,
            prev_hash: bytes("prev_hash")?.ok_or_else(|| bad("prev_hash"))?,
            hash: bytes("hash")?.ok_or_else(|| bad("hash"))?,
        })
    }
}
