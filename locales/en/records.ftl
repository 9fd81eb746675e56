# Survivor records: intake, the person page, cases, consent, search and the access log.
# Every id must also exist in ../es/records.ftl (a test checks).
# Person-centred language: “survivor” or “client”, never “victim”.

## Navigation and home

nav-cases = Cases
nav-search = Search
records-home-heading = Records
records-home-intake = { $people ->
        [client] Start an intake for a new client
        [participant] Start an intake for a new participant
       *[survivor] Start an intake for a new survivor
    }
records-home-caseload = My caseload
records-home-search = { $people ->
        [client] Find a client
        [participant] Find a participant
       *[survivor] Find a survivor
    }

## Shared words

records-yes = Yes
records-no = No
records-no-alias = (no alias)
records-restricted = Restricted
records-back-to-person = Back to the person’s page
records-error-date = Please enter a date as year-month-day, for example 2026-03-31.
records-refused-title = This was not done
records-gone-title = This record was erased
records-gone-body = This person’s record was erased at their request or by law, and it cannot be brought back. Nothing of it can be shown.
records-pagination = Pages
records-previous = Previous page
records-next = Next page

## Person fields

records-field-given_name = Given name(s)
records-field-family_name = Family name(s)
records-field-alias = Alias (the name the person wants to be called)
records-field-birth_date = Date of birth
records-field-estimated_age = Estimated age (if the date of birth is not known)
records-field-gender = Gender
records-field-citizenship = Citizenship
records-field-citizenship-hint = Two-letter country codes, separated by commas, for example MX, GT.
records-field-primary_language = Preferred language
records-field-languages = Other languages
records-field-languages-hint = Language codes separated by commas, for example es, nah.
records-field-interpreter_needed = Needs an interpreter
records-field-household_size = People in the household
records-field-dependants = Dependants
records-field-phone = Phone
records-field-email = Email
records-field-address = Address
records-field-narrative = The person’s story
records-field-narrative-hint = Written once, in the person’s words where possible, so that nobody has to ask them to tell it again.
records-language-other = Another language (write its code)
records-language-other-code = Code of another language
records-language-other-hint = Only if the language is not in the list: an ISO 639 code such as “ood” or “tar”.
records-decline-for = { $field }: if there is no answer
records-decline-group = No answer
records-decline-hint = Every question is optional. If there is no answer, you can say why instead.

## Intake

records-intake-title = { $people ->
        [client] New client
        [participant] New participant
       *[survivor] New survivor
    }
records-intake-intro = Only an alias or a name is needed now. Everything else can come later, when the person is ready.
records-intake-name-legend = How to call the person
records-intake-name-hint = An alias or a given name is enough. Use the name the person wants to be called.
records-intake-submit = Save the intake
records-duplicates-title = Possible duplicates
records-duplicates-intro = People already on file may be the same person. Please check before working on two records.
records-duplicates-caption = People on file with a similar name or phone
records-duplicates-open-new = Go to the new record

## The person page

records-person-title = { $people ->
        [client] Client
        [participant] Participant
       *[survivor] Survivor
    }
records-summary = Summary
records-identity = Identity
records-case-numbers = Case numbers
records-no-cases = No case has been opened yet.
records-open-case = Open a case
records-edit-link = Edit the record
records-edit-title = Edit the record
records-log-link = Who saw this record
records-story = Story
records-story-empty = No story has been written down.
records-content-note = Content note: this story describes violence and exploitation. Select to read it.
records-content-note-warning = Read it only when your work needs it, and take a break if you need one.
records-notice-created = The intake was saved.
records-notice-outreach = The contact was logged.
records-notice-consent = The consent was recorded.
records-notice-revoked = The consent was revoked.

## Safe contact and outreach

records-sc-title = Safe contact
records-sc-hint = For each way of reaching the person, note only what they said. A channel not marked safe will not be used.
records-sc-caption = How the person may be reached safely
records-sc-channel = Channel
records-sc-safe = Safe to use
records-sc-not-safe = Not safe
records-sc-voicemail = Voicemail or messages are all right
records-sc-agency = Staff may say the organisation’s name
records-sc-cover_story = Cover story
records-sc-code_word = Code word
records-sc-safe_times = Safe times
records-sc-who_may_answer = Who may answer
records-sc-reconfirm = These safe-contact answers are more than 90 days old, or were never confirmed. Please confirm them with the person at the next safe chance.
records-sc-confirmed-at = Last confirmed: { $when }
records-sc-confirmed-now = The person confirmed these answers today
records-outreach = Log a contact
records-outreach-log = Log a contact by { $channel }
records-outreach-not-safe = Do not use

## Consent

records-consents = Consent to share
records-consents-none = No consent has been recorded.
records-consents-caption = Consents, newest first
records-consent-recipient = Recipient
records-consent-fields = What may be shared
records-consent-purpose = Purpose
records-consent-expires = Valid until
records-consent-expires-hint = Consent is always time-limited: at most two years from today.
records-consent-given_as = How it was given
records-consent-state = Status
records-consent-actions = Actions
records-consent-valid = Valid
records-consent-expired = Expired
records-consent-revoked = Revoked
records-consent-revoke = Revoke
records-consent-add = Record a consent
records-consent-submit = Record the consent

## Editing and conflicts

records-conflict-title = Someone else saved a change first
records-conflict-body = Compare what you typed with what is stored now (version { $version }). Your text is still in the form below: correct it if needed and save again.
records-conflict-caption = What you typed and what is stored now
records-conflict-field = Field
records-conflict-typed = What you typed
records-conflict-stored = Stored now (version { $version })
records-conflict-differs = differs

## Cases

records-caseload-title = Caseload
records-caseload-filters = Show
records-caseload-any-status = Any status
records-caseload-mine = Only cases I am on
records-caseload-filter = Show cases
records-caseload-caption = Cases, page { $page }
records-case-title = Case { $number }
records-case-number = Case number
records-case-person-link = Go to the person’s page
records-case-facts = The case
records-case-edit = Update the case
records-case-status = Status
records-case-closure_reason = Reason for closing
records-case-closure_reason-hint = Only when the case is closed.
records-case-trafficking_status = Trafficking status
records-case-status_decided_by = Who decided the trafficking status
records-case-exploitation_types = Types of exploitation
records-case-means_of_control = Means of control
records-case-recruitment = How the person was recruited
records-case-countries = Countries
records-case-places = Places
records-case-places-hint = State codes such as MX-CHH or US-TX, or country codes, separated by commas.
records-case-opened_on = Opened on
records-case-closed_on = Closed on
records-case-restricted = Restricted: only the people on the team may see this case
records-case-restricted-hint = Not even supervisors see a restricted case unless they are on its team. Others can only use emergency access, which is recorded and reviewed.
records-case-team = Team
records-case-team-hint = Tick the colleagues who work on this case; untick someone to take them off the team.
records-case-add-me = Add me to the team
records-case-assigned_to = Assigned case manager
records-case-you = You ({ $email })
records-notice-case-opened = Case { $number } was opened.
records-notice-break-glass = Emergency access was granted for 60 minutes. It was recorded and supervisors will see it.
records-case-forbidden-body = This case is restricted to its team, or it is not on your caseload.
records-break-glass-title = Emergency access
records-break-glass-intro = Use this only when someone’s safety depends on it. You will have access to this case alone for 60 minutes; the reason is recorded and your supervisors are told.
records-break-glass-reason = Why you need access now
records-break-glass-reason-hint = At least 10 characters.
records-break-glass-submit = Ask for emergency access
records-break-glass-active = You have emergency access to this case until { $until }.

## Search

records-search-title = { $people ->
        [client] Find a client
        [participant] Find a participant
       *[survivor] Find a survivor
    }
records-search-intro = Search by name, alias, phone number or case number. What you type is not kept.
records-search-label = Name, alias, phone or case number
records-search-hint = At least 2 characters.
records-search-submit = Search
records-search-none = Nobody on file matches.
records-search-names = Name
records-search-caption =
    { $count ->
        [one] { $count } person found
       *[other] { $count } people found
    }
records-search-more = More people match than are listed here. Add letters, or a family name, to narrow the search.

## Access log

records-log-title = Who saw this record
records-log-intro = Every look at and change to this person’s record and cases, newest first.
records-log-caption = Reads and changes of this record
records-log-system = The system
records-log-action-read = Read
records-log-action-update = Changed
records-log-action-create = Created
records-log-action-break_glass = Emergency access
records-log-action-access_log = Read the access log
records-log-action-revoke = Revoked
records-log-action-erase = Erased
records-log-target-person = { $people ->
        [client] Client
        [participant] Participant
       *[survivor] Survivor
    }
records-log-target-case = Case
records-log-channel-web = Web
records-log-channel-api = API
records-log-channel-cli = Command line
records-log-channel-system = System

## Errors of the record use cases (codes as in PersonFieldError and AppError::Refused)

error-name_or_alias_required = Please enter an alias or a given name: one of them is enough.
error-birth_date_in_future = The date of birth cannot be in the future.
error-birth_date_malformed = Please enter a date as year-month-day, for example 1990-03-31.
error-age_out_of_range = Please enter a whole number between 0 and 120.
error-phone_malformed = Please enter a phone number with digits, spaces, “+”, “-” or brackets only.
error-query_too_short = Please type at least 2 characters.
error-reason_too_short = Please give the reason in at least 10 characters.
error-consent_too_long = Consent can last at most two years. Please choose an earlier date.
error-consent_expiry_in_past = The date has passed. Please choose a date from today on.
error-unknown_code = Please choose from the list, or check the code.
error-channel_not_safe = This channel is not marked safe for this person, so no contact was logged. Please use a channel the person said is safe, or confirm the safe-contact answers with them first.
records-consent-partner = Partner from the directory
records-consent-partner-hint = Choose the organisation this consent is for, or leave this empty and write the recipient's name below.
records-consent-partner-none = Not in the directory (write the name below)
records-consent-recipient-one = Choose a partner from the directory or write a recipient's name, not both.
