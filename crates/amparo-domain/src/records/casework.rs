//! Case work: what the survivor wants (needs, goals), what was done (services, appointments),
//! what changed in their life (milestones), legal relief, notes, and the tasks due from them.
//! Codes are snake_case English words, stored and exchanged as they are; labels live in
//! `locales/*/casework.ftl`. Recovery is not linear: nothing here judges a setback.

use super::case::code_enum;
use crate::Section;

code_enum!(
    /// The kinds of entry a case holds besides its own fields (one table, `case_entries`).
    EntryKind {
        NeedAssessment => "need_assessment",
        Goal => "goal",
        Service => "service",
        Appointment => "appointment",
        Milestone => "milestone",
        LegalRelief => "legal_relief",
        Note => "note",
    }
);

impl EntryKind {
    /// The part of the record an entry belongs to: who may read or write it follows from this.
    pub const fn section(self) -> Section {
        match self {
            EntryKind::NeedAssessment
            | EntryKind::Goal
            | EntryKind::Service
            | EntryKind::Appointment
            | EntryKind::Milestone => Section::Services,
            EntryKind::LegalRelief => Section::Legal,
            EntryKind::Note => Section::Narrative,
        }
    }
}

code_enum!(
    /// The domains of a needs assessment and of a service plan's goals.
    NeedDomain {
        Safety => "safety",
        Housing => "housing",
        PhysicalHealth => "physical_health",
        MentalHealth => "mental_health",
        LegalImmigration => "legal_immigration",
        Employment => "employment",
        Education => "education",
        ChildrenFamily => "children_family",
        Finances => "finances",
        Transport => "transport",
        CommunityFaith => "community_faith",
    }
);

code_enum!(
    /// A domain rated with the survivor, self-sufficiency style. `not_discussed` is a choice,
    /// not a gap: the survivor decides what is talked about.
    NeedRating {
        InCrisis => "in_crisis",
        Vulnerable => "vulnerable",
        Stable => "stable",
        Safe => "safe",
        Thriving => "thriving",
        NotDiscussed => "not_discussed",
    }
);

code_enum!(
    /// Where a goal stands. A goal the survivor changed is not a failure.
    GoalStatus {
        Open => "open",
        Achieved => "achieved",
        ChangedBySurvivor => "changed_by_survivor",
        Paused => "paused",
    }
);

code_enum!(
    /// Services delivered, as dated encounters (OTIP defines services as encounters;
    /// standards §1.3). [`otip_category`] rolls them up for funders.
    ServiceCategory {
        CaseManagement => "case_management",
        CrisisIntervention => "crisis_intervention",
        LegalAid => "legal_aid",
        Housing => "housing",
        Healthcare => "healthcare",
        MentalHealth => "mental_health",
        Interpretation => "interpretation",
        Accompaniment => "accompaniment",
        Transport => "transport",
        BasicNecessities => "basic_necessities",
        Education => "education",
        Employment => "employment",
        Childcare => "childcare",
        DentalCare => "dental_care",
        SubstanceUse => "substance_use",
        LifeSkills => "life_skills",
        FinancialAssistance => "financial_assistance",
        FamilyReunification => "family_reunification",
        Repatriation => "repatriation",
        Other => "other",
    }
);

/// Our service categories rolled up to the HHS OTIP / OVC TIMS service categories that
/// grantees report (standards §1.3). A *starting* mapping: the confirmed OTIP names are Basic
/// Necessities, Case Management, Childcare, Crisis Intervention and Education Services; the
/// others follow the Reporting Reference Guide's wording as far as it is public and must be
/// checked against the guide of the award. Used by the reports issue.
pub const SERVICE_ROLLUPS: &[(ServiceCategory, &str)] = &[
    (ServiceCategory::CaseManagement, "case_management"),
    (ServiceCategory::CrisisIntervention, "crisis_intervention"),
    (ServiceCategory::LegalAid, "legal_services"),
    (ServiceCategory::Housing, "housing_shelter"),
    (ServiceCategory::Healthcare, "medical_services"),
    (ServiceCategory::DentalCare, "medical_services"),
    (ServiceCategory::MentalHealth, "mental_health_services"),
    (ServiceCategory::SubstanceUse, "mental_health_services"),
    (ServiceCategory::Interpretation, "interpretation_translation"),
    (ServiceCategory::Accompaniment, "case_management"),
    (ServiceCategory::Transport, "transportation"),
    (ServiceCategory::BasicNecessities, "basic_necessities"),
    (ServiceCategory::FinancialAssistance, "basic_necessities"),
    (ServiceCategory::Education, "education_services"),
    (ServiceCategory::LifeSkills, "life_skills"),
    (ServiceCategory::Employment, "employment_services"),
    (ServiceCategory::Childcare, "childcare"),
    (ServiceCategory::FamilyReunification, "family_reunification"),
    (ServiceCategory::Repatriation, "repatriation"),
    (ServiceCategory::Other, "other"),
];

/// The funder (OTIP/TIMS) category a service category rolls up to.
pub fn otip_category(c: ServiceCategory) -> &'static str {
    SERVICE_ROLLUPS.iter().find(|(s, _)| *s == c).map_or("other", |(_, r)| r)
}

code_enum!(
    /// Milestones that survivors and funders both care about; `own` is the survivor's own,
    /// in their words.
    MilestoneKind {
        FirstApartment => "first_apartment",
        Job => "job",
        SchoolEnrolment => "school_enrolment",
        PublicTransportAlone => "public_transport_alone",
        BankAccount => "bank_account",
        IdentityDocuments => "identity_documents",
        Children => "children",
        Reunification => "reunification",
        Own => "own",
    }
);

code_enum!(
    /// Immigration relief and legal process, US and Mexican side (standards §5).
    LegalReliefKind {
        TVisa => "t_visa",
        UVisa => "u_visa",
        ContinuedPresence => "continued_presence",
        HhsCertification => "hhs_certification",
        HhsEligibility => "hhs_eligibility",
        Asylum => "asylum",
        MxDenuncia => "mx_denuncia",
        MxVictimRecognition => "mx_victim_recognition",
        MxHumanitarianVisa => "mx_humanitarian_visa",
    }
);

code_enum!(
    /// Where a relief stands (standards §5: the statuses a tracker needs).
    LegalReliefStatus {
        Considering => "considering",
        Preparing => "preparing",
        Requested => "requested",
        Filed => "filed",
        Rfe => "rfe",
        BonaFide => "bona_fide",
        Waitlisted => "waitlisted",
        Granted => "granted",
        RenewalRequested => "renewal_requested",
        Denied => "denied",
        Appealed => "appealed",
        Expired => "expired",
        Revoked => "revoked",
        Withdrawn => "withdrawn",
    }
);

impl LegalReliefStatus {
    /// The relief is over: nothing is left to renew or watch expire.
    pub const fn has_ended(self) -> bool {
        matches!(self, LegalReliefStatus::Expired | LegalReliefStatus::Revoked | LegalReliefStatus::Withdrawn)
    }

    /// Not yet filed with the authority (the application is still being put together).
    pub const fn before_filing(self) -> bool {
        matches!(self, LegalReliefStatus::Considering | LegalReliefStatus::Preparing | LegalReliefStatus::Requested)
    }
}

code_enum!(
    /// Case notes by what they record.
    NoteKind {
        Contact => "contact",
        Outreach => "outreach",
        Supervision => "supervision",
        General => "general",
    }
);

impl NoteKind {
    /// A note of this kind records contact with the person (for "no contact for N days").
    pub const fn is_contact(self) -> bool {
        matches!(self, NoteKind::Contact | NoteKind::Outreach)
    }
}

code_enum!(
    AppointmentStatus {
        Scheduled => "scheduled",
        Attended => "attended",
        Missed => "missed",
        Cancelled => "cancelled",
        Rescheduled => "rescheduled",
    }
);

code_enum!(
    /// Where an appointment takes place, as a kind of place: never an address, so that a
    /// calendar or a list shows nothing that leads to the person.
    AppointmentPlace {
        Office => "office",
        Court => "court",
        ImmigrationOffice => "immigration_office",
        LawEnforcement => "law_enforcement",
        Consulate => "consulate",
        Clinic => "clinic",
        Hospital => "hospital",
        School => "school",
        Shelter => "shelter",
        HomeVisit => "home_visit",
        PhoneOrVideo => "phone_or_video",
        Other => "other",
    }
);

/// Problems with case-work input. Each code is also the i18n key `error-<code>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseWorkError {
    /// A text that is the point of the entry (a goal in the survivor's words, a note) is empty.
    TextRequired,
    /// A text is longer than [`MAX_TEXT_CHARS`].
    TextTooLong,
    /// A task's title is longer than a line in a list should be (500 characters).
    TitleTooLong,
    /// A time of day is not `HH:MM` (24-hour).
    TimeMalformed,
    /// Minutes outside 0..=1440 or reminder days outside 0..=60.
    NumberOutOfRange,
    /// A date too far from today (before 1900 or more than 20 years ahead).
    DateOutOfRange,
}

impl CaseWorkError {
    pub const fn code(self) -> &'static str {
        match self {
            CaseWorkError::TextRequired => "text_required",
            CaseWorkError::TextTooLong => "text_too_long",
            CaseWorkError::TitleTooLong => "title_too_long",
            CaseWorkError::TimeMalformed => "time_malformed",
            CaseWorkError::NumberOutOfRange => "number_out_of_range",
            CaseWorkError::DateOutOfRange => "date_out_of_range",
        }
    }
}

/// The longest free text kept in one field (a long note, a goal with its steps).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// A time of day as `HH:MM` (24-hour), normalised to two digits each.
pub fn time_of_day(s: &str) -> Result<String, CaseWorkError> {
    let (h, m) = s.trim().split_once(':').ok_or(CaseWorkError::TimeMalformed)?;
    let ok = |p: &str, max: u32| {
        (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()) && p.parse::<u32>().is_ok_and(|v| v <= max)
    };
    if !(ok(h, 23) && ok(m, 59)) || m.len() != 2 {
        return Err(CaseWorkError::TimeMalformed);
    }
    Ok(format!("{:02}:{m}", h.parse::<u32>().map_err(|_| CaseWorkError::TimeMalformed)?))
}

code_enum!(
    /// Tasks: manual ones, and those derived from a due date (see `deadlines`).
    TaskKind {
        Manual => "manual",
        FollowUp => "follow_up",
        GoalTarget => "goal_target",
        Appointment => "appointment",
        ConsentExpiry => "consent_expiry",
        SafeContactReconfirm => "safe_contact_reconfirm",
        ContinuedPresenceRenewal => "continued_presence_renewal",
        RfeResponse => "rfe_response",
        AppealDeadline => "appeal_deadline",
        UVisaCertificationExpiry => "u_visa_certification_expiry",
        AdjustmentOfStatus => "adjustment_of_status",
        TVisaExpiry => "t_visa_expiry",
        UVisaExpiry => "u_visa_expiry",
        HhsInterimExpiry => "hhs_interim_expiry",
        MxHumanitarianVisaRenewal => "mx_humanitarian_visa_renewal",
        ScreeningAlert => "screening_alert",
        CrisisFollowUp => "crisis_follow_up",
    }
);

impl TaskKind {
    /// A task is seen by those who may read the part of the record it comes from.
    pub const fn section(self) -> Section {
        match self {
            TaskKind::Manual | TaskKind::FollowUp => Section::Summary,
            TaskKind::GoalTarget | TaskKind::Appointment => Section::Services,
            TaskKind::ConsentExpiry => Section::Consent,
            TaskKind::SafeContactReconfirm | TaskKind::CrisisFollowUp => Section::Safety,
            // A critical screening answer (PHQ-9 item 9): those who read screenings follow it up.
            TaskKind::ScreeningAlert => Section::Screening,
            TaskKind::ContinuedPresenceRenewal
            | TaskKind::RfeResponse
            | TaskKind::AppealDeadline
            | TaskKind::UVisaCertificationExpiry
            | TaskKind::AdjustmentOfStatus
            | TaskKind::TVisaExpiry
            | TaskKind::UVisaExpiry
            | TaskKind::HhsInterimExpiry
            | TaskKind::MxHumanitarianVisaRenewal => Section::Legal,
        }
    }

    /// A deadline of legal relief (for "upcoming deadlines").
    pub const fn is_legal_deadline(self) -> bool {
        matches!(self.section(), Section::Legal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for c in ServiceCategory::ALL {
            assert_eq!(ServiceCategory::from_code(c.code()), Ok(*c));
        }
        for k in TaskKind::ALL {
            assert_eq!(TaskKind::from_code(k.code()), Ok(*k));
        }
        assert_eq!(ServiceCategory::from_code("massage"), Err(DomainError::UnknownCode));
        assert_eq!(ServiceCategory::from_code("Case_Management"), Err(DomainError::UnknownCode));
        assert_eq!(NeedDomain::from_code("legal_immigration"), Ok(NeedDomain::LegalImmigration));
        assert_eq!(LegalReliefKind::from_code("t-visa"), Err(DomainError::UnknownCode));
        assert_eq!(MilestoneKind::ALL.len(), 9);
        assert_eq!(LegalReliefStatus::ALL.len(), 14);
    }

    #[test]
    fn codes_are_snake_case_english_words() {
        let all: Vec<&str> = EntryKind::ALL
            .iter()
            .map(|c| c.code())
            .chain(NeedDomain::ALL.iter().map(|c| c.code()))
            .chain(NeedRating::ALL.iter().map(|c| c.code()))
            .chain(GoalStatus::ALL.iter().map(|c| c.code()))
            .chain(ServiceCategory::ALL.iter().map(|c| c.code()))
            .chain(MilestoneKind::ALL.iter().map(|c| c.code()))
            .chain(LegalReliefKind::ALL.iter().map(|c| c.code()))
            .chain(LegalReliefStatus::ALL.iter().map(|c| c.code()))
            .chain(NoteKind::ALL.iter().map(|c| c.code()))
            .chain(AppointmentStatus::ALL.iter().map(|c| c.code()))
            .chain(TaskKind::ALL.iter().map(|c| c.code()))
            .collect();
        for c in all {
            assert!(c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'), "{c}");
        }
    }

    #[test]
    fn times_of_day_are_hh_mm() {
        assert_eq!(time_of_day("9:05"), Ok("09:05".into()));
        assert_eq!(time_of_day(" 23:59 "), Ok("23:59".into()));
        for bad in ["24:00", "9:5", "09:60", "0905", "9h05", "", "-1:00", "09:05:00"] {
            assert_eq!(time_of_day(bad), Err(CaseWorkError::TimeMalformed), "{bad}");
        }
    }

    #[test]
    fn every_service_category_rolls_up_once() {
        for c in ServiceCategory::ALL {
            assert_eq!(SERVICE_ROLLUPS.iter().filter(|(s, _)| s == c).count(), 1, "{c}");
        }
        assert_eq!(otip_category(ServiceCategory::BasicNecessities), "basic_necessities");
        assert_eq!(otip_category(ServiceCategory::Accompaniment), "case_management");
    }

    #[test]
    fn entries_and_tasks_belong_to_sections() {
        assert_eq!(EntryKind::Goal.section(), Section::Services);
        assert_eq!(EntryKind::LegalRelief.section(), Section::Legal);
        assert_eq!(EntryKind::Note.section(), Section::Narrative);
        assert_eq!(TaskKind::ConsentExpiry.section(), Section::Consent);
        assert_eq!(TaskKind::SafeContactReconfirm.section(), Section::Safety);
        assert_eq!(TaskKind::Manual.section(), Section::Summary);
        assert_eq!(TaskKind::ContinuedPresenceRenewal.section(), Section::Legal);
        assert_eq!(TaskKind::ScreeningAlert.section(), Section::Screening);
        assert!(!TaskKind::ScreeningAlert.is_legal_deadline());
    }
}
