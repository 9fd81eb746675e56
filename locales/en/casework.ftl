# Case work: labels of the coded values of needs, goals, services, appointments, milestones,
# legal relief, notes and tasks (code-<vocabulary>-<code>, codes exactly as amparo-domain keeps
# them), and the messages of case-work input errors. Every id must also exist in
# ../es/casework.ftl.

## Kinds of entry on a case

code-entry_kind-need_assessment = Needs assessment
code-entry_kind-goal = Goal
code-entry_kind-service = Service
code-entry_kind-appointment = Appointment
code-entry_kind-milestone = Milestone
code-entry_kind-legal_relief = Legal relief
code-entry_kind-note = Note

## Domains of needs and goals

code-need_domain-safety = Safety
code-need_domain-housing = Housing
code-need_domain-physical_health = Physical health
code-need_domain-mental_health = Mental health and well-being
code-need_domain-legal_immigration = Legal and immigration
code-need_domain-employment = Work and income
code-need_domain-education = Education and training
code-need_domain-children_family = Children and family
code-need_domain-finances = Money and finances
code-need_domain-transport = Getting around
code-need_domain-community_faith = Community and faith

## How a domain is going, in the person’s own view

code-need_rating-in_crisis = In crisis
code-need_rating-vulnerable = Vulnerable
code-need_rating-stable = Stable
code-need_rating-safe = Safe
code-need_rating-thriving = Thriving
code-need_rating-not_discussed = Not talked about

## Goals

code-goal_status-open = Open
code-goal_status-achieved = Achieved
code-goal_status-changed_by_survivor = Changed by the person
code-goal_status-paused = Paused

## Services

code-service_category-case_management = Case management
code-service_category-crisis_intervention = Crisis intervention
code-service_category-legal_aid = Legal help
code-service_category-housing = Housing
code-service_category-healthcare = Health care
code-service_category-mental_health = Mental health
code-service_category-interpretation = Interpretation
code-service_category-accompaniment = Accompaniment
code-service_category-transport = Transport
code-service_category-basic_necessities = Basic necessities
code-service_category-education = Education
code-service_category-employment = Employment
code-service_category-childcare = Childcare
code-service_category-dental_care = Dental care
code-service_category-substance_use = Substance use support
code-service_category-life_skills = Life skills
code-service_category-financial_assistance = Financial assistance
code-service_category-family_reunification = Family reunification
code-service_category-repatriation = Safe return home
code-service_category-other = Other

## Appointments

code-appointment_status-scheduled = Scheduled
code-appointment_status-attended = Attended
code-appointment_status-missed = Missed
code-appointment_status-cancelled = Cancelled
code-appointment_status-rescheduled = Rescheduled

code-appointment_place-office = Our office
code-appointment_place-court = Court
code-appointment_place-immigration_office = Immigration office
code-appointment_place-law_enforcement = Law enforcement office
code-appointment_place-consulate = Consulate
code-appointment_place-clinic = Clinic
code-appointment_place-hospital = Hospital
code-appointment_place-school = School
code-appointment_place-shelter = Shelter
code-appointment_place-home_visit = Home visit
code-appointment_place-phone_or_video = Phone or video call
code-appointment_place-other = Other place

## Milestones

code-milestone_kind-first_apartment = First apartment
code-milestone_kind-job = A job
code-milestone_kind-school_enrolment = Enrolled in school or training
code-milestone_kind-public_transport_alone = Uses public transport on their own
code-milestone_kind-bank_account = Bank account
code-milestone_kind-identity_documents = Identity documents recovered
code-milestone_kind-children = A milestone for their children
code-milestone_kind-reunification = Reunited with family
code-milestone_kind-own = Their own milestone

## Legal relief (United States and Mexico)

code-legal_relief_kind-t_visa = T visa
code-legal_relief_kind-u_visa = U visa
code-legal_relief_kind-continued_presence = Continued Presence
code-legal_relief_kind-hhs_certification = HHS Certification Letter
code-legal_relief_kind-hhs_eligibility = HHS Eligibility Letter (minors)
code-legal_relief_kind-asylum = Asylum
code-legal_relief_kind-mx_denuncia = Criminal complaint (denuncia, Mexico)
code-legal_relief_kind-mx_victim_recognition = Recognition of legal standing as an affected person (Mexico)
code-legal_relief_kind-mx_humanitarian_visa = Humanitarian visitor card (Mexico)

code-legal_relief_status-considering = Considering
code-legal_relief_status-preparing = Preparing
code-legal_relief_status-requested = Requested
code-legal_relief_status-filed = Filed
code-legal_relief_status-rfe = Request for evidence
code-legal_relief_status-bona_fide = Bona fide determination
code-legal_relief_status-waitlisted = Waiting list
code-legal_relief_status-granted = Granted
code-legal_relief_status-renewal_requested = Renewal requested
code-legal_relief_status-denied = Denied
code-legal_relief_status-appealed = Appealed
code-legal_relief_status-expired = Expired
code-legal_relief_status-revoked = Revoked
code-legal_relief_status-withdrawn = Withdrawn

## Notes

code-note_kind-contact = Contact
code-note_kind-outreach = Outreach
code-note_kind-supervision = Supervision
code-note_kind-general = General

## Tasks

code-task_kind-manual = Task
code-task_kind-follow_up = Follow up
code-task_kind-goal_target = Goal target date
code-task_kind-appointment = Appointment reminder
code-task_kind-consent_expiry = Consent expires soon: ask again
code-task_kind-safe_contact_reconfirm = Confirm safe contact again
code-task_kind-continued_presence_renewal = Continued Presence: ask for renewal
code-task_kind-rfe_response = Answer the request for evidence
code-task_kind-appeal_deadline = Appeal deadline (I-290B)
code-task_kind-u_visa_certification_expiry = U visa certification (Supplement B) runs out: file before
code-task_kind-adjustment_of_status = Adjustment of status can be filed
code-task_kind-t_visa_expiry = T status expires: plan adjustment or extension
code-task_kind-u_visa_expiry = U status expires: plan adjustment or extension
code-task_kind-hhs_interim_expiry = HHS interim assistance expires
code-task_kind-mx_humanitarian_visa_renewal = Humanitarian visitor card: renew

## Input errors

error-text_required = Please write something here: it is the heart of this entry.
error-text_too_long = This text is too long. Please keep it under 20,000 characters.
error-time_malformed = Please enter a time as hours and minutes, for example 09:30 or 14:00.
error-number_out_of_range = Please enter a number in the allowed range (minutes 0 to 1,440; reminder 0 to 60 days).
error-date_out_of_range = Please check the date: it is too far in the past or the future.
error-title_too_long = This title is too long for a task. Please keep it under 500 characters; details belong in a note.
error-task_already_done = This task was already marked done, so nothing changed.
