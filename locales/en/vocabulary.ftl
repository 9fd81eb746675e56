# Labels of coded values: code-<vocabulary>-<code>, codes exactly as amparo-domain keeps them.
# Case, person and exploitation codes come from the Human Trafficking Case Data Standard
# (HTCDS 2.0, IOM, CC BY 4.0); labels are ours. Every id must also exist in ../es/vocabulary.ftl.

## Case status (HTCDS)

code-case_status-Active = Active
code-case_status-FollowUp = Follow-up
code-case_status-Closed = Closed
code-case_status-ClosedReferred = Closed, referred

## Reasons for closing a case

code-closure_reason-goals_met = The person’s goals were met
code-closure_reason-client_chose_to_end = The client chose to end the work
code-closure_reason-lost_contact = Contact was lost
code-closure_reason-referred_elsewhere = Referred to another organisation
code-closure_reason-moved_away = The person moved away
code-closure_reason-not_eligible = Not eligible for our services
code-closure_reason-deceased = The person died
code-closure_reason-other = Other

## Trafficking status (HTCDS)

code-trafficking_status-PossibleVictimOfTrafficking = Possibly trafficked
code-trafficking_status-ActualVictimOfTrafficking = Trafficking identified
code-trafficking_status-NotAVictimOfTrafficking = Not trafficked

## Who decided the trafficking status (HTCDS)

code-status_decided_by-Police = Police
code-status_decided_by-NGO = Non-governmental organisation
code-status_decided_by-CourtOrProsecution = Court or prosecution
code-status_decided_by-NonPoliceGovernmentalOrganization = Government agency other than the police
code-status_decided_by-Other = Other

## Types of exploitation (HTCDS, and forced criminality as our own code)

code-exploitation_type-ForcedLabour = Forced labour
code-exploitation_type-SexualExploitation = Sexual exploitation
code-exploitation_type-ChildLabour = Child labour
code-exploitation_type-ForcedMarriage = Forced marriage
code-exploitation_type-Servitude = Servitude
code-exploitation_type-ForcedMilitaryByNonStateActors = Forced recruitment by armed groups
code-exploitation_type-OrganRemoval = Organ removal
code-exploitation_type-ForcedBegging = Forced begging
code-exploitation_type-ForcedAdoption = Forced adoption
code-exploitation_type-Surrogacy = Forced surrogacy
code-exploitation_type-amparo_ForcedCriminality = Forced criminality
code-exploitation_type-Other = Other

## Means of control (HTCDS)

code-means_of_control-PhysicalThreats = Threats of physical harm
code-means_of_control-ThreatsLawEnforcement = Threats of police or immigration
code-means_of_control-ThreatensChildrenFamily = Threats against children or family
code-means_of_control-DebtBondage = Debt bondage
code-means_of_control-FalsePromises = False promises
code-means_of_control-PhysicalAbuse = Physical abuse
code-means_of_control-SexualAbuse = Sexual abuse
code-means_of_control-TakesEarnings = Takes earnings
code-means_of_control-RestrictsFinancialAccess = Restricts access to money
code-means_of_control-RestrictsMedicalCare = Restricts medical care
code-means_of_control-WithholdsNecessities = Withholds food, sleep or other necessities
code-means_of_control-PsychologicalAbuse = Psychological abuse
code-means_of_control-PsychoactiveSubstance = Forced use of drugs or alcohol
code-means_of_control-ExcessiveWorkingHours = Excessive working hours
code-means_of_control-WithholdsDocuments = Withholds identity or travel documents
code-means_of_control-Other = Other

## How the person was recruited (HTCDS)

code-recruitment-AtAPlaceOfBusiness = At a place of business
code-recruitment-AtAnEducationalInstitution = At a school or college
code-recruitment-AtWork = At work
code-recruitment-ThroughOnlineSocialNetworks = Through online social networks
code-recruitment-ThroughAnOnlineAdvertisement = Through an online advertisement
code-recruitment-ThroughATelevisionAdvert = Through a television advertisement
code-recruitment-ThroughANewspaperAdvert = Through a newspaper advertisement
code-recruitment-ThroughFamilyOrFamilyEvents = Through family or family events
code-recruitment-ThroughFriendsOrSocialEvents = Through friends or social events
code-recruitment-Other = Other

## Gender (HTCDS)

code-gender-Feminine = Woman
code-gender-Masculine = Man
code-gender-TransgenderFeminine = Trans woman
code-gender-TransgenderMasculine = Trans man
code-gender-NonConforming = Non-binary or gender non-conforming
code-gender-NonSpecifiedUnknown = Not specified

## Contact channels

code-channel-phone = Phone call
code-channel-sms = Text message (SMS)
code-channel-whatsapp = WhatsApp
code-channel-email = Email
code-channel-mail = Post
code-channel-in_person = In person

## What a consent covers

code-consent_field-alias = Alias
code-consent_field-given_name = Given name(s)
code-consent_field-family_name = Family name(s)
code-consent_field-birth_date = Date of birth
code-consent_field-gender = Gender
code-consent_field-citizenship = Citizenship
code-consent_field-languages = Languages
code-consent_field-phone = Phone
code-consent_field-email = Email
code-consent_field-address = Address
code-consent_field-safe_contact = Safe-contact answers
code-consent_field-narrative = The person’s story
code-consent_field-case_summary = Case summary
code-consent_field-screening = Screening results
code-consent_field-legal = Legal matters

## How a consent was given

code-given_as-written = In writing
code-given_as-verbal_witnessed = Spoken, with a witness

## Why an answer is missing

code-decline-client_doesnt_know = The client doesn’t know
code-decline-prefers_not_to_answer = Prefers not to answer
code-decline-not_collected = Not asked yet

## Languages offered first

code-language-es = Spanish
code-language-en = English
code-language-nah = Nahuatl
code-language-mix = Mixtec
code-language-zap = Zapotec
code-language-yua = Yucatec Maya
code-language-tzo = Tzotzil
code-language-mam = Mam
code-language-quc = K’iche’
