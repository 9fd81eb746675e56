# The people of the organisation: profiles, trainings, the access policy, and private
# self-care check-ins (ProQOL 5). Every id here must also exist in ../es/staff.ftl.

nav-staff = People
nav-my-profile = My profile
nav-wellbeing = My wellbeing

## My wellbeing

wb-title = My wellbeing
wb-submit = Save my check-in
wb-item-missing = Question { $number }: please choose an answer.
wb-history-title = My earlier check-ins
wb-history-none = You have no check-ins yet.
wb-history-caption = Your check-ins, newest first (only you see them)
wb-col-when = When
wb-about = About this questionnaire
wb-licence = Licence
wb-attribution = Source
wb-result-title = My check-in result
wb-back = Back to my wellbeing
wb-result-private = Only you can see this result. Nobody else in your organisation can: not your supervisor, not an administrator.
wb-result-caption = Your three scores
wb-col-subscale = Scale
wb-col-score = Score
wb-col-band = Level
wb-col-mean = Average
wb-bands-explained = Each scale goes from 10 to 50: 22 or less is low, 23 to 41 moderate, 42 or more high. For burnout and secondary traumatic stress, lower is better; for compassion satisfaction, higher is better.
wb-not-a-diagnosis = This is not a diagnosis. If a result worries you, consider talking with someone you trust or with a counsellor; taking care of yourself is part of the work.

## Coordinators' aggregate

wb-aggregate-title = Team wellbeing (aggregate)
wb-aggregate-intro = Averages of the private check-ins of one month, over each person's latest check-in. Nobody's own answers or results are shown, and nothing is shown for a month in which fewer than five people answered.
wb-period = Month (YYYY-MM)
wb-show = Show
wb-aggregate-of = Month { $period }
wb-respondents = { $count ->
    [one] One person answered.
   *[other] { $count } people answered.
}
wb-aggregate-caption = Average score per scale
wb-too-few = Not enough people answered this month to show anything.
wb-periods = Months that can be shown

## People and profiles

staff-list-title = People of the organisation
staff-list-caption = Staff and volunteers, with their access to { $people ->
        [client] client records
        [participant] participant records
       *[survivor] survivor records
    }
staff-col-name = Name
staff-col-role = Role
staff-col-start = Start date
staff-col-access = Access to { $people ->
        [client] client records
        [participant] participant records
       *[survivor] survivor records
    }
staff-profile-title = Profile of { $name }
staff-profile-section = Profile
staff-access-title = Access to { $people ->
        [client] client records
        [participant] participant records
       *[survivor] survivor records
    }
staff-access-not-gated = The organisation's access policy does not apply to this role.
staff-access-open = Open: the time and the trainings the policy asks for are complete.
staff-access-opens-on = Not yet: opens on { $date } if the trainings are complete.
staff-access-no-start = Not yet: no start date has been recorded.
staff-access-missing = Trainings still needed: { $courses }.
staff-field-languages = Languages and level
staff-field-languages-hint = Language code and CEFR level (A1 to C2), separated by commas, for example: es C2, en B1
staff-field-backgrounds = Background
staff-field-availability = Availability
staff-field-start = Start date
staff-save = Save profile
staff-trainings-title = Trainings
staff-trainings-none = No trainings recorded.
staff-col-course = Course
staff-col-completed = Completed on
staff-col-expires = Expires on
staff-col-valid = Valid today
staff-valid-yes = Yes
staff-valid-no = No
staff-course-hint = A course code, for example confidentiality or trauma_informed_care
staff-add-training = Record training
staff-col-actions = Actions
staff-remove-training = Remove (recorded by mistake)
staff-background-social_work = Social work
staff-background-psychology = Psychology
staff-background-counselling = Counselling
staff-background-community_development = Community development
staff-background-children_youth = Work with children and youth
staff-background-other = Other

## The access policy

staff-policy-title = Access policy
staff-policy-intro = How long after their start date, and after which trainings, the people in the chosen roles may reach records. Administrators change it.
staff-policy-months = Months after the start date
staff-policy-courses = Required trainings (course codes, separated by commas)
staff-policy-roles = Roles the policy applies to
staff-policy-save = Save policy

## Errors

error-staff_invalid_language = Use a two- or three-letter language code (for example es, en, nah) followed by a level from A1 to C2.
error-staff_duplicate_language = Each language only once, please.
error-staff_too_many = Too many entries; keep the list to twelve.
error-staff_invalid_course = Use a course code of letters, digits, - or _ (for example trauma_informed_care).
error-staff_expiry_before_completion = The expiry date must come after the completion date.
error-staff_completed_in_future = The completion date cannot be in the future.
error-staff_text_too_long = This text is too long (500 characters at most).
error-staff_policy_months = Choose between 0 and 60 months.
error-staff_conflict = Someone else changed this profile meanwhile. Review it and save again.
error-staff_invalid_date = Enter a date as YYYY-MM-DD.
