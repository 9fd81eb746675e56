//! `amparo export records`: the organisation's persons and cases, decrypted, as CSV or
//! XLSX, and encrypted with age (a passphrase, or an X25519 public key) unless plain text
//! was asked for in so many words.
//!
//! The persons sheet has the persons API's field names as its header, so the file imports
//! back as it is (`amparo import FILE` into a fresh installation gives the same persons).
//! XLSX has a second sheet, `cases`, with every case's coded fields; CSV (one table per file)
//! carries each person's case numbers.

use std::io::Write;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use amparo_app::records::{ExportedPerson, PersonFields, RecordsExport};
use amparo_app::{Amparo, Caller};
use amparo_domain::OrgId;
use amparo_domain::records::Answer;
use amparo_store::CaseRow;

use crate::mapping::FIELDS;
use crate::sheet::{Cell, Format, Sheet, SheetError, write_csv, write_xlsx};

/// How the file is protected.
pub enum Protection {
    /// age's scrypt recipient: the passphrase alone opens the file.
    Passphrase(SecretString),
    /// An age X25519 public key (`age1…`).
    Recipient(String),
    /// Written as it is: asked for explicitly (`--plaintext`).
    Plaintext,
}

impl std::fmt::Debug for Protection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Protection::Passphrase(_) => f.write_str("Passphrase([REDACTED])"),
            Protection::Recipient(k) => f.debug_tuple("Recipient").field(k).finish(),
            Protection::Plaintext => f.write_str("Plaintext"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Sheet(#[from] SheetError),
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    #[error("--recipient is not an age public key (age1…)")]
    BadRecipient,
    #[error("cannot encrypt the file")]
    Encrypt,
    #[error(transparent)]
    App(#[from] amparo_app::AppError),
}

fn text<T: ToString>(a: &Option<Answer<T>>) -> Cell {
    match a {
        Some(Answer::Value(v)) => Cell::Text(v.to_string()),
        Some(Answer::Declined(d)) => Cell::Text(d.code().to_owned()),
        None => Cell::Empty,
    }
}

fn number(a: &Option<Answer<i32>>) -> Cell {
    match a {
        Some(Answer::Value(v)) => Cell::Number(f64::from(*v)),
        Some(Answer::Declined(d)) => Cell::Text(d.code().to_owned()),
        None => Cell::Empty,
    }
}

fn list(v: &Option<Vec<String>>) -> Cell {
    match v {
        Some(items) if !items.is_empty() => Cell::Text(items.join("; ")),
        _ => Cell::Empty,
    }
}

fn person_cell(f: &PersonFields, name: &str) -> Cell {
    match name {
        "given_name" => text(&f.given_name),
        "family_name" => text(&f.family_name),
        "alias" => text(&f.alias),
        "birth_date" => text(&f.birth_date),
        "estimated_age" => number(&f.estimated_age),
        "gender" => text(&f.gender),
        "citizenship" => list(&f.citizenship),
        "primary_language" => text(&f.primary_language),
        "languages" => list(&f.languages),
        "interpreter_needed" => match &f.interpreter_needed {
            Some(Answer::Value(b)) => Cell::Text(if *b { "yes" } else { "no" }.into()),
            Some(Answer::Declined(d)) => Cell::Text(d.code().to_owned()),
            None => Cell::Empty,
        },
        "household_size" => number(&f.household_size),
        "dependants" => number(&f.dependants),
        "phone" => text(&f.phone),
        "email" => text(&f.email),
        "address" => text(&f.address),
        "narrative" => f.narrative.clone().map_or(Cell::Empty, Cell::Text),
        _ => Cell::Empty,
    }
}

/// The persons sheet: `id`, the persons API fields, then `case_numbers`, `created_at`,
/// `updated_at`.
pub fn persons_sheet(persons: &[ExportedPerson]) -> Sheet {
    let mut headers = vec!["id".to_owned()];
    headers.extend(FIELDS.iter().map(|f| f.name.to_owned()));
    headers.extend(["case_numbers", "created_at", "updated_at"].map(str::to_owned));
    let rows = persons
        .iter()
        .map(|p| {
            let mut row = vec![Cell::Text(p.id.to_string())];
            row.extend(FIELDS.iter().map(|f| person_cell(&p.fields, f.name)));
            row.push(if p.case_numbers.is_empty() { Cell::Empty } else { Cell::Text(p.case_numbers.join("; ")) });
            row.push(Cell::Text(p.created_at.to_rfc3339()));
            row.push(Cell::Text(p.updated_at.to_rfc3339()));
            row
        })
        .collect();
    Sheet { name: "persons".into(), headers, rows }
}

/// The cases sheet: every case's coded fields (cases hold nothing sealed in their row).
pub fn cases_sheet(cases: &[CaseRow]) -> Sheet {
    let headers = [
        "person_id",
        "number",
        "status",
        "closure_reason",
        "trafficking_status",
        "status_decided_by",
        "exploitation_types",
        "means_of_control",
        "recruitment",
        "countries",
        "places",
        "opened_on",
        "closed_on",
        "restricted",
    ]
    .map(str::to_owned)
    .to_vec();
    let opt = |s: &Option<String>| s.clone().map_or(Cell::Empty, Cell::Text);
    let join = |v: &[String]| if v.is_empty() { Cell::Empty } else { Cell::Text(v.join("; ")) };
    let rows = cases
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.person.to_string()),
                Cell::Text(c.number.clone()),
                Cell::Text(c.status.clone()),
                opt(&c.closure_reason),
                opt(&c.trafficking_status),
                opt(&c.status_decided_by),
                join(&c.exploitation_types),
                join(&c.means_of_control),
                opt(&c.recruitment),
                join(&c.countries),
                join(&c.places),
                Cell::Text(c.opened_on.format("%Y-%m-%d").to_string()),
                c.closed_on.map_or(Cell::Empty, |d| Cell::Text(d.format("%Y-%m-%d").to_string())),
                Cell::Text(if c.restricted { "yes" } else { "no" }.into()),
            ]
        })
        .collect();
    Sheet { name: "cases".into(), headers, rows }
}

/// The export as a file's bytes, before encryption.
pub fn render(export: &RecordsExport, format: Format) -> Result<Zeroizing<Vec<u8>>, SheetError> {
    let persons = persons_sheet(&export.persons);
    Ok(Zeroizing::new(match format {
        Format::Csv => write_csv(&persons)?,
        Format::Xlsx => write_xlsx(&[persons, cases_sheet(&export.cases)])?,
    }))
}

/// Encrypts with age as the protection says (or leaves plain text, when asked).
pub fn protect(plain: &[u8], protection: &Protection) -> Result<Vec<u8>, ExportError> {
    let encryptor = match protection {
        Protection::Plaintext => return Ok(plain.to_vec()),
        Protection::Passphrase(p) => {
            if p.expose_secret().trim().is_empty() {
                return Err(ExportError::EmptyPassphrase);
            }
            let r = age::scrypt::Recipient::new(p.clone());
            age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
                .map_err(|_| ExportError::Encrypt)?
        }
        Protection::Recipient(k) => {
            let r: age::x25519::Recipient = k.trim().parse().map_err(|_| ExportError::BadRecipient)?;
            age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
                .map_err(|_| ExportError::Encrypt)?
        }
    };
    let mut out = Vec::with_capacity(plain.len() + 1024);
    let mut w = encryptor.wrap_output(&mut out).map_err(|_| ExportError::Encrypt)?;
    w.write_all(plain).map_err(|_| ExportError::Encrypt)?;
    w.finish().map_err(|_| ExportError::Encrypt)?;
    Ok(out)
}

/// The whole export: the app's use case (administrators only, audited), the file, its
/// encryption. Returns the bytes to write and how many persons and cases they hold.
pub async fn export_records(
    app: &Amparo,
    caller: &Caller,
    org: OrgId,
    format: Format,
    protection: &Protection,
) -> Result<(Vec<u8>, usize, usize), ExportError> {
    if let Protection::Recipient(k) = protection {
        k.trim().parse::<age::x25519::Recipient>().map_err(|_| ExportError::BadRecipient)?;
    }
    if let Protection::Passphrase(p) = protection
        && p.expose_secret().trim().is_empty()
    {
        return Err(ExportError::EmptyPassphrase);
    }
    let export = app.export_records(caller, org).await?;
    let plain = render(&export, format)?;
    Ok((protect(&plain, protection)?, export.persons.len(), export.cases.len()))
}
