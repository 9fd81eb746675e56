//! The partner network: the partner directory, referrals and the consent rule that gates them.
//!
//! VAWA (34 U.S.C. 12291(b)(2)) forbids disclosing a survivor's identifying information
//! without informed, written, reasonably time-limited consent. [`consent_for_referral`] is
//! the one place that decides whether a referral may carry what it carries; the page, the
//! API and the packet paths all ask it.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::id_type;
use crate::records::ConsentField;
use crate::records::casework::ServiceCategory;

id_type!(
    /// An entry of an organisation's partner directory.
    PartnerId
);
id_type!(
    /// A referral, outgoing or incoming. A packet carries the sender's referral id.
    ReferralId
);

crate::records::code_enum!(
    /// Where a referral stands. The dates of each change are kept beside it.
    ReferralStatus {
        Draft => "draft",
        Sent => "sent",
        Accepted => "accepted",
        Declined => "declined",
        Completed => "completed",
        Withdrawn => "withdrawn",
    }
);

impl ReferralStatus {
    /// The changes a referral may go through. A draft may be sent or withdrawn; a sent one
    /// accepted, declined or withdrawn; an accepted one completed or withdrawn. Declined,
    /// completed and withdrawn are final: a new referral is made instead.
    pub fn may_become(self, next: ReferralStatus) -> bool {
        use ReferralStatus::*;
        matches!(
            (self, next),
            (Draft, Sent)
                | (Draft, Withdrawn)
                | (Sent, Accepted | Declined | Withdrawn)
                | (Accepted, Completed | Withdrawn)
        )
    }
}

crate::records::code_enum!(
    /// How soon the partner should act.
    ReferralUrgency {
        Routine => "routine",
        Urgent => "urgent",
        Emergency => "emergency",
    }
);

crate::records::code_enum!(
    /// Which way a referral goes, from the organisation's point of view.
    ReferralDirection {
        Outgoing => "outgoing",
        Incoming => "incoming",
    }
);

crate::records::code_enum!(
    /// Who a partner serves (the directory's filter; our own codes).
    Population {
        Women => "women",
        Men => "men",
        Families => "families",
        Minors => "minors",
        Lgbtq => "lgbtq",
        Indigenous => "indigenous",
        Migrants => "migrants",
        LaborTrafficking => "labor_trafficking",
        SexTrafficking => "sex_trafficking",
    }
);

/// Problems with a directory entry's or a referral's fields. Codes are i18n keys (`error-<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferralProblem {
    /// Not a two-letter ISO 3166-1 alpha-2 code.
    InvalidCountry,
    /// Not an ISO 3166-2 subdivision of the partner's country (e.g. `MX-CHH`, `US-TX`).
    InvalidRegion,
    /// Neither or both of a public key and an organisation on this installation.
    RecipientRequired,
    /// Not an identity line of an Amparo installation.
    InvalidPublicKey,
    /// Nothing to share was chosen.
    NoFields,
}

impl ReferralProblem {
    pub const fn code(self) -> &'static str {
        match self {
            ReferralProblem::InvalidCountry => "partner_invalid_country",
            ReferralProblem::InvalidRegion => "partner_invalid_region",
            ReferralProblem::RecipientRequired => "partner_recipient_required",
            ReferralProblem::InvalidPublicKey => "partner_invalid_public_key",
            ReferralProblem::NoFields => "referral_no_fields",
        }
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case (`US`, `MX`, `GT`, …).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country([u8; 2]);

impl Country {
    pub fn parse(s: &str) -> Result<Country, ReferralProblem> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
            Ok(Country([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
        } else {
            Err(ReferralProblem::InvalidCountry)
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("ZZ")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.as_str())
    }
}

/// An ISO 3166-2 subdivision code of `country`: the country, a hyphen, 1–3 letters or digits
/// (`MX-CHH`, `US-TX`). Upper-cased. Empty input means "no region".
pub fn parse_region(country: Country, s: &str) -> Result<Option<String>, ReferralProblem> {
    let s = s.trim().to_ascii_uppercase();
    if s.is_empty() {
        return Ok(None);
    }
    let ok = s.len() >= 4
        && s.len() <= 6
        && s.starts_with(country.as_str())
        && s.as_bytes().get(2) == Some(&b'-')
        && s[3..].bytes().all(|b| b.is_ascii_alphanumeric());
    if ok { Ok(Some(s)) } else { Err(ReferralProblem::InvalidRegion) }
}

/// The service codes a partner offers: the case-work vocabulary, nothing else.
pub fn parse_services(codes: &[String]) -> Result<Vec<ServiceCategory>, crate::DomainError> {
    let mut out = Vec::new();
    for c in codes {
        let s = ServiceCategory::from_code(c.trim())?;
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// A consent on file, as the consent rule needs it (codes and dates; nothing identifying).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentOnFile {
    pub id: Uuid,
    /// The directory entry the consent names, if it names one (a consent to a recipient
    /// written by name only cannot cover a referral: nobody can tell which partner it meant).
    pub recipient_partner: Option<PartnerId>,
    pub fields: Vec<ConsentField>,
    /// Valid through this day (inclusive).
    pub expires_on: NaiveDate,
    pub revoked: bool,
}

/// Why a referral may not carry what was asked. The first three are "no valid consent"
/// (409 `consent_required`); an empty field list is bad input (422).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentRefusal {
    /// No consent names this partner.
    Missing,
    /// The consents naming this partner are past their expiry date.
    Expired,
    /// The consents naming this partner were revoked.
    Revoked,
    /// A valid consent names this partner but not every field asked for.
    TooNarrow,
    /// Nothing to share was chosen.
    NoFields,
}

impl ConsentRefusal {
    /// Stable code for the audit detail and the page's message key.
    pub const fn code(self) -> &'static str {
        match self {
            ConsentRefusal::Missing => "consent_missing",
            ConsentRefusal::Expired => "consent_expired",
            ConsentRefusal::Revoked => "consent_revoked",
            ConsentRefusal::TooNarrow => "consent_too_narrow",
            ConsentRefusal::NoFields => "referral_no_fields",
        }
    }
}

/// The consent rule: the referral to `partner` may share `fields` on `today` only if ONE
/// consent names that partner, is not revoked, has not expired (valid through its
/// `expires_on`), and lists every field. Returns that consent's id. When none does, the
/// refusal says what is closest to right, so the person knows what to ask the survivor for.
pub fn consent_for_referral(
    consents: &[ConsentOnFile],
    partner: PartnerId,
    fields: &[ConsentField],
    today: NaiveDate,
) -> Result<Uuid, ConsentRefusal> {
    if fields.is_empty() {
        return Err(ConsentRefusal::NoFields);
    }
    let for_partner: Vec<&ConsentOnFile> = consents.iter().filter(|c| c.recipient_partner == Some(partner)).collect();
    let live = |c: &&&ConsentOnFile| !c.revoked && c.expires_on >= today;
    if let Some(c) = for_partner.iter().filter(live).find(|c| fields.iter().all(|f| c.fields.contains(f))) {
        return Ok(c.id);
    }
    Err(if for_partner.is_empty() {
        ConsentRefusal::Missing
    } else if for_partner.iter().any(|c| live(&c)) {
        ConsentRefusal::TooNarrow
    } else if for_partner.iter().any(|c| !c.revoked) {
        ConsentRefusal::Expired
    } else {
        ConsentRefusal::Revoked
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConsentField::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn consent(partner: PartnerId, fields: &[ConsentField], expires: &str, revoked: bool) -> ConsentOnFile {
        ConsentOnFile {
            id: Uuid::new_v4(),
            recipient_partner: Some(partner),
            fields: fields.to_vec(),
            expires_on: day(expires),
            revoked,
        }
    }

    #[test]
    fn consent_rule_table() {
        let today = day("2026-06-10");
        let p = PartnerId::new();
        let other = PartnerId::new();
        let by_name = ConsentOnFile { recipient_partner: None, ..consent(p, &[Alias, Phone], "2027-01-01", false) };
        type Case<'a> = (&'a str, Vec<ConsentOnFile>, Vec<ConsentField>, Result<(), ConsentRefusal>);
        let table: Vec<Case<'_>> = vec![
            ("no consent at all", vec![], vec![Alias], Err(ConsentRefusal::Missing)),
            (
                "consent to another partner only",
                vec![consent(other, &[Alias, Phone], "2027-01-01", false)],
                vec![Alias],
                Err(ConsentRefusal::Missing),
            ),
            ("consent to a recipient by name only", vec![by_name], vec![Alias], Err(ConsentRefusal::Missing)),
            ("valid and covering", vec![consent(p, &[Alias, Phone], "2027-01-01", false)], vec![Alias, Phone], Ok(())),
            ("valid through its last day", vec![consent(p, &[Alias], "2026-06-10", false)], vec![Alias], Ok(())),
            (
                "expired the day before",
                vec![consent(p, &[Alias], "2026-06-09", false)],
                vec![Alias],
                Err(ConsentRefusal::Expired),
            ),
            ("revoked", vec![consent(p, &[Alias], "2027-01-01", true)], vec![Alias], Err(ConsentRefusal::Revoked)),
            (
                "too narrow: a field not listed",
                vec![consent(p, &[Alias], "2027-01-01", false)],
                vec![Alias, Narrative],
                Err(ConsentRefusal::TooNarrow),
            ),
            (
                "two consents do not add up: one consent must cover every field",
                vec![consent(p, &[Alias], "2027-01-01", false), consent(p, &[Phone], "2027-01-01", false)],
                vec![Alias, Phone],
                Err(ConsentRefusal::TooNarrow),
            ),
            (
                "a revoked wide one beside a valid narrow one is too narrow",
                vec![consent(p, &[Alias, Phone], "2027-01-01", true), consent(p, &[Alias], "2027-01-01", false)],
                vec![Alias, Phone],
                Err(ConsentRefusal::TooNarrow),
            ),
            (
                "a newer valid consent replaces an expired one",
                vec![consent(p, &[Alias], "2026-01-01", false), consent(p, &[Alias, Phone], "2026-12-01", false)],
                vec![Phone],
                Ok(()),
            ),
            (
                "expired and revoked: expired is what to renew",
                vec![consent(p, &[Alias], "2026-01-01", false), consent(p, &[Alias], "2027-01-01", true)],
                vec![Alias],
                Err(ConsentRefusal::Expired),
            ),
            (
                "nothing chosen to share",
                vec![consent(p, &[Alias], "2027-01-01", false)],
                vec![],
                Err(ConsentRefusal::NoFields),
            ),
        ];
        for (what, consents, fields, expected) in table {
            let got = consent_for_referral(&consents, p, &fields, today);
            match (got, expected) {
                (Ok(id), Ok(())) => {
                    let used = consents.iter().find(|c| c.id == id);
                    assert!(
                        used.is_some_and(|c| !c.revoked && fields.iter().all(|f| c.fields.contains(f))),
                        "{what}: the consent returned does not cover the fields"
                    );
                }
                (got, expected) => assert_eq!(got.map(|_| ()), expected, "{what}"),
            }
        }
    }

    #[test]
    fn status_changes_follow_the_life_of_a_referral() {
        use ReferralStatus::*;
        for s in ReferralStatus::ALL {
            for n in ReferralStatus::ALL {
                let expected = matches!(
                    (s, n),
                    (Draft, Sent | Withdrawn)
                        | (Sent, Accepted | Declined | Withdrawn)
                        | (Accepted, Completed | Withdrawn)
                );
                assert_eq!(s.may_become(*n), expected, "{s} -> {n}");
            }
        }
    }

    #[test]
    fn countries_and_regions() {
        let mx = Country::parse("mx").unwrap_or(Country(*b"ZZ"));
        assert_eq!(mx.as_str(), "MX");
        assert_eq!(Country::parse("MEX"), Err(ReferralProblem::InvalidCountry));
        assert_eq!(Country::parse("M1"), Err(ReferralProblem::InvalidCountry));
        assert_eq!(parse_region(mx, "mx-chh"), Ok(Some("MX-CHH".to_owned())));
        assert_eq!(parse_region(mx, ""), Ok(None));
        assert_eq!(parse_region(mx, "US-TX"), Err(ReferralProblem::InvalidRegion));
        assert_eq!(parse_region(mx, "MX-<b>"), Err(ReferralProblem::InvalidRegion));
    }

    #[test]
    fn services_use_the_case_work_vocabulary() {
        let ok = parse_services(&["housing".into(), "legal_aid".into(), "housing".into()]);
        assert_eq!(ok, Ok(vec![ServiceCategory::Housing, ServiceCategory::LegalAid]));
        assert!(parse_services(&["spa_days".into()]).is_err());
    }
}
