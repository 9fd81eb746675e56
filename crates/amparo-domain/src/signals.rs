//! Hotline signals: calls, texts, chats, e-mails, walk-ins and web tips waiting to be
//! triaged. A signal is not yet a survivor's record: it may become one (a case is opened from
//! it), be linked to a case already open, be handed to a local responder, or end as
//! information given. Coded fields stay in clear for the queue; what was said is sealed.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DomainError;
use crate::records::vocab;
use crate::records::{ContactChannel, case::code_enum};

crate::ids::id_type!(
    /// A hotline signal (a call, a text, a web tip, …).
    SignalId
);

/// Longest report or note accepted (about four pages): long enough for a full account, short
/// enough that an anonymous form cannot be used to fill the database.
pub const MAX_SIGNAL_TEXT_CHARS: usize = 10_000;
/// Longest contact detail or "safe times" answer on the public form.
pub const MAX_CONTACT_CHARS: usize = 200;
/// Type-of-concern codes one signal may carry.
pub const MAX_CONCERNS: usize = 8;

code_enum!(
    /// How the signal reached the organisation.
    SignalChannel {
        Call => "call",
        Text => "text",
        Chat => "chat",
        WebTip => "web_tip",
        Email => "email",
        WalkIn => "walk_in",
    }
);

code_enum!(
    /// How soon someone must act. The queue shows immediate danger first.
    Urgency {
        ImmediateDanger => "immediate_danger",
        Urgent => "urgent",
        Routine => "routine",
    }
);

impl Urgency {
    /// Queue order: lower comes first.
    pub const fn rank(self) -> u8 {
        match self {
            Urgency::ImmediateDanger => 0,
            Urgency::Urgent => 1,
            Urgency::Routine => 2,
        }
    }
}

code_enum!(
    /// Where the signal is in its handling: `new` (not yet looked at; every web tip starts
    /// here), `triaged` (urgency and notes recorded, no outcome yet), `closed` (an outcome).
    SignalStatus {
        New => "new",
        Triaged => "triaged",
        Closed => "closed",
    }
);

code_enum!(
    /// What came of the signal.
    SignalOutcome {
        ReferredToLocalResponder => "referred_to_local_responder",
        OpenedCase => "opened_case",
        LinkedToCase => "linked_to_case",
        InformationOnly => "information_only",
    }
);

impl SignalOutcome {
    /// Outcomes that point to a case (and need one).
    pub const fn has_case(self) -> bool {
        matches!(self, SignalOutcome::OpenedCase | SignalOutcome::LinkedToCase)
    }
}

code_enum!(
    /// The type of concern raised. Our own codes, close to the HTCDS exploitation types but
    /// for what a caller *reports*, before anyone has assessed it.
    ConcernType {
        LabourExploitation => "labour_exploitation",
        SexualExploitation => "sexual_exploitation",
        DomesticServitude => "domestic_servitude",
        ForcedCriminality => "forced_criminality",
        MinorAtRisk => "minor_at_risk",
        SuspiciousJobOffer => "suspicious_job_offer",
        MissingPerson => "missing_person",
        NeedsServices => "needs_services",
        Other => "other",
    }
);

/// What is wrong with a signal's input. Codes are i18n keys (`error-<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignalProblem {
    MessageRequired,
    MessageTooLong,
    ContactTooLong,
    /// A way to be contacted was asked for without saying which or how.
    ContactIncomplete,
    TooManyConcerns,
    /// `opened_case` / `linked_to_case` need a case; other outcomes must not name one.
    OutcomeNeedsCase,
    OutcomeTakesNoCase,
    /// A signal that already led to a case cannot be turned into something else.
    AlreadyResolved,
}

impl SignalProblem {
    pub const fn code(self) -> &'static str {
        match self {
            SignalProblem::MessageRequired => "signal_message_required",
            SignalProblem::MessageTooLong => "signal_message_too_long",
            SignalProblem::ContactTooLong => "signal_contact_too_long",
            SignalProblem::ContactIncomplete => "signal_contact_incomplete",
            SignalProblem::TooManyConcerns => "signal_too_many_concerns",
            SignalProblem::OutcomeNeedsCase => "signal_outcome_needs_case",
            SignalProblem::OutcomeTakesNoCase => "signal_outcome_takes_no_case",
            SignalProblem::AlreadyResolved => "signal_already_resolved",
        }
    }
}

impl From<SignalProblem> for DomainError {
    fn from(p: SignalProblem) -> Self {
        DomainError::Signal(p)
    }
}

/// The report's text: required, trimmed, at most [`MAX_SIGNAL_TEXT_CHARS`].
pub fn message(text: &str) -> Result<String, SignalProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Err(SignalProblem::MessageRequired);
    }
    if t.chars().count() > MAX_SIGNAL_TEXT_CHARS {
        return Err(SignalProblem::MessageTooLong);
    }
    Ok(t.to_owned())
}

/// Optional notes: blank is none.
pub fn notes(text: &str) -> Result<Option<String>, SignalProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > MAX_SIGNAL_TEXT_CHARS {
        return Err(SignalProblem::MessageTooLong);
    }
    Ok(Some(t.to_owned()))
}

/// A safe way to reach the one who sent a tip, as they gave it. Sealed with the signal.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TipContact {
    pub channel: Option<ContactChannel>,
    /// The number, address or handle.
    pub contact: String,
    /// When it is safe to get in touch, in their words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_times: Option<String>,
}

impl std::fmt::Debug for TipContact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TipContact").field("channel", &self.channel).finish_non_exhaustive()
    }
}

impl TipContact {
    /// Anonymous unless a channel and a contact are both given; trims and bounds them.
    /// Half an answer (a number without a channel, or a channel ticked without a number) is
    /// refused rather than guessed: contacting someone by a way they did not choose can
    /// endanger them.
    pub fn from_form(
        channel: Option<ContactChannel>,
        contact: &str,
        safe_times: &str,
    ) -> Result<Option<TipContact>, SignalProblem> {
        let (contact, safe_times) = (contact.trim(), safe_times.trim());
        if contact.chars().count() > MAX_CONTACT_CHARS || safe_times.chars().count() > MAX_CONTACT_CHARS {
            return Err(SignalProblem::ContactTooLong);
        }
        match (channel, contact.is_empty()) {
            (None, true) if safe_times.is_empty() => Ok(None),
            (Some(channel), false) => Ok(Some(TipContact {
                channel: Some(channel),
                contact: contact.to_owned(),
                safe_times: (!safe_times.is_empty()).then(|| safe_times.to_owned()),
            })),
            _ => Err(SignalProblem::ContactIncomplete),
        }
    }
}

/// Concern codes: known, each once, at most [`MAX_CONCERNS`].
pub fn concerns(codes: &[String]) -> Result<Vec<ConcernType>, DomainError> {
    let mut out: Vec<ConcernType> = Vec::new();
    for c in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let c = ConcernType::from_code(c)?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    if out.len() > MAX_CONCERNS {
        return Err(SignalProblem::TooManyConcerns.into());
    }
    Ok(out)
}

/// A region code (a Mexican or US state, or a country), as in the records vocabulary.
pub fn region(code: &str) -> Result<Option<String>, DomainError> {
    let c = code.trim();
    if c.is_empty() { Ok(None) } else { vocab::place(c).map(Some) }
}

/// A language code (ISO 639), as in the records vocabulary.
pub fn language(code: &str) -> Result<Option<String>, DomainError> {
    let c = code.trim();
    if c.is_empty() { Ok(None) } else { vocab::language(c).map(Some) }
}

/// Checks an outcome against the case it names, and what the signal already led to.
/// Returns the status the signal takes.
pub fn outcome_change(
    current: Option<SignalOutcome>,
    next: Option<SignalOutcome>,
    names_case: bool,
) -> Result<SignalStatus, SignalProblem> {
    // A case opened from a signal is part of a survivor's record now: the link stays.
    if current.is_some_and(SignalOutcome::has_case) && next != current {
        return Err(SignalProblem::AlreadyResolved);
    }
    match next {
        Some(o) if o.has_case() && !names_case => Err(SignalProblem::OutcomeNeedsCase),
        Some(o) if !o.has_case() && names_case => Err(SignalProblem::OutcomeTakesNoCase),
        None if names_case => Err(SignalProblem::OutcomeNeedsCase),
        Some(_) => Ok(SignalStatus::Closed),
        None => Ok(SignalStatus::Triaged),
    }
}

/// The queue's order: most urgent first, then the one waiting longest.
pub fn queue_order(a: (Urgency, DateTime<Utc>), b: (Urgency, DateTime<Utc>)) -> std::cmp::Ordering {
    a.0.rank().cmp(&b.0.rank()).then(a.1.cmp(&b.1))
}

#[cfg(test)]
#[allow(clippy::expect_used)] // a failed expectation is a failed test
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn message_is_required_trimmed_and_bounded() {
        assert_eq!(message("  \n "), Err(SignalProblem::MessageRequired));
        assert_eq!(message("  help  "), Ok("help".to_owned()));
        assert_eq!(message(&"a".repeat(MAX_SIGNAL_TEXT_CHARS)).map(|m| m.len()), Ok(MAX_SIGNAL_TEXT_CHARS));
        assert_eq!(message(&"a".repeat(MAX_SIGNAL_TEXT_CHARS + 1)), Err(SignalProblem::MessageTooLong));
        // Characters, not bytes: a Spanish text of the maximum length is accepted.
        assert!(message(&"ñ".repeat(MAX_SIGNAL_TEXT_CHARS)).is_ok());
    }

    #[test]
    fn tip_contact_is_anonymous_unless_fully_given() {
        assert_eq!(TipContact::from_form(None, "  ", ""), Ok(None));
        let c = TipContact::from_form(Some(ContactChannel::Sms), " 555 123 4567 ", " after 6pm ")
            .expect("valid")
            .expect("some");
        assert_eq!(c.contact, "555 123 4567");
        assert_eq!(c.safe_times.as_deref(), Some("after 6pm"));
        assert_eq!(TipContact::from_form(None, "555", ""), Err(SignalProblem::ContactIncomplete));
        assert_eq!(TipContact::from_form(Some(ContactChannel::Phone), "", ""), Err(SignalProblem::ContactIncomplete));
        assert_eq!(TipContact::from_form(None, "", "mornings"), Err(SignalProblem::ContactIncomplete));
        assert_eq!(
            TipContact::from_form(Some(ContactChannel::Email), &"x".repeat(MAX_CONTACT_CHARS + 1), ""),
            Err(SignalProblem::ContactTooLong)
        );
    }

    #[test]
    fn tip_contact_debug_hides_the_contact() {
        let c = TipContact { channel: Some(ContactChannel::Phone), contact: "5551234567".into(), safe_times: None };
        assert!(!format!("{c:?}").contains("5551234567"));
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for c in SignalChannel::ALL {
            assert_eq!(SignalChannel::from_code(c.code()), Ok(*c));
        }
        for o in SignalOutcome::ALL {
            assert_eq!(SignalOutcome::from_code(o.code()), Ok(*o));
        }
        assert_eq!(Urgency::from_code("soon"), Err(DomainError::UnknownCode));
        assert_eq!(
            concerns(&["minor_at_risk".into(), "minor_at_risk".into(), " ".into()]),
            Ok(vec![ConcernType::MinorAtRisk])
        );
        assert_eq!(concerns(&["torture".into()]), Err(DomainError::UnknownCode));
        assert_eq!(region("us-tx"), Ok(Some("US-TX".into())));
        assert_eq!(region(""), Ok(None));
        assert_eq!(region("XX-ZZ"), Err(DomainError::UnknownCode));
        assert_eq!(language("es"), Ok(Some("es".into())));
    }

    #[test]
    fn outcomes_that_point_to_a_case_need_one_and_stay() {
        use SignalOutcome::*;
        assert_eq!(outcome_change(None, None, false), Ok(SignalStatus::Triaged));
        assert_eq!(outcome_change(None, Some(InformationOnly), false), Ok(SignalStatus::Closed));
        assert_eq!(outcome_change(None, Some(LinkedToCase), false), Err(SignalProblem::OutcomeNeedsCase));
        assert_eq!(outcome_change(None, Some(LinkedToCase), true), Ok(SignalStatus::Closed));
        assert_eq!(outcome_change(None, Some(InformationOnly), true), Err(SignalProblem::OutcomeTakesNoCase));
        assert_eq!(outcome_change(None, None, true), Err(SignalProblem::OutcomeNeedsCase));
        // Information given can later become a referral…
        assert_eq!(
            outcome_change(Some(InformationOnly), Some(ReferredToLocalResponder), false),
            Ok(SignalStatus::Closed)
        );
        // …but a case opened from a signal is not undone by triage.
        assert_eq!(outcome_change(Some(OpenedCase), Some(InformationOnly), false), Err(SignalProblem::AlreadyResolved));
        assert_eq!(outcome_change(Some(OpenedCase), Some(OpenedCase), true), Ok(SignalStatus::Closed));
    }

    #[test]
    fn queue_puts_danger_first_then_the_longest_waiting() {
        let t = |h| Utc.with_ymd_and_hms(2026, 11, 1, h, 0, 0).single().expect("time");
        let mut q = vec![
            (Urgency::Routine, t(1)),
            (Urgency::ImmediateDanger, t(9)),
            (Urgency::Urgent, t(5)),
            (Urgency::ImmediateDanger, t(3)),
        ];
        q.sort_by(|a, b| queue_order(*a, *b));
        assert_eq!(
            q,
            vec![
                (Urgency::ImmediateDanger, t(3)),
                (Urgency::ImmediateDanger, t(9)),
                (Urgency::Urgent, t(5)),
                (Urgency::Routine, t(1)),
            ]
        );
    }
}
