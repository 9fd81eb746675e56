# Case work pages: the case page's sections, the entry forms, the timeline, tasks, the
# dashboard and the calendar download. Every id must also exist in
# ../es/casework_pages.ftl.

nav-tasks = Tasks
nav-dashboard = Dashboard

## The case page's sections

cw-case-work-nav = Case work
cw-timeline-link = Timeline of this case
cw-tasks-link = My tasks and team tasks
cw-dashboard-link = Caseload dashboard
cw-section-needs = Needs assessments
cw-section-goals = Service plan
cw-section-services = Services delivered
cw-section-appointments = Appointments and accompaniment
cw-section-milestones = Milestones
cw-section-legal = Legal relief
cw-section-notes = Case notes
cw-goals-intro = The goals the person chose: options, not orders. A goal they changed is not a failure.
cw-none-yet = Nothing recorded yet.
cw-needs-caption = Ratings per area, the latest assessment first
cw-needs-latest = latest
cw-needs-older = { $count ->
    [one] One earlier assessment is on the timeline.
   *[other] { $count } earlier assessments are on the timeline.
}
cw-services-caption = Services delivered, oldest first
cw-appointments-caption = Appointments, oldest first
cw-milestones-caption = Milestones, oldest first
cw-col-actions = Actions
cw-edit = Change
cw-interpreter = Interpreter
cw-add-assessment = Add a needs assessment
cw-add-goal = Add a goal
cw-add-service = Add a service
cw-add-appointment = Add an appointment
cw-add-milestone = Add a milestone
cw-add-legal = Add legal relief
cw-add-note = Add a note
cw-add-task = Add a task
cw-notice-entry = The entry was saved.
cw-notice-task = The task was added.
cw-notice-task-done = The task was marked as done.
cw-content-note = Content note: this note describes harm. Select to read it.
cw-note-original = Original
cw-note-translation = Translation
cw-goal-words = The goal, in the person’s own words
cw-goal-chosen = Who chose this goal
cw-goal-chosen-survivor = The person chose it
cw-goal-chosen-agreed = We suggested it and the person agreed
cw-goal-steps = Steps, and who does what
cw-goal-steps-hint = One step per line. Leave unused lines empty.
cw-goal-step = Step { $n }
cw-goal-step-who = Who does step { $n }
cw-milestone-words = In the person’s words

## Legal relief: restricted numbers

cw-numbers-show = Show numbers
cw-numbers-audited = Restricted numbers are hidden. Showing them is recorded in the access log.
cw-numbers-title = Restricted numbers
cw-numbers-shown-once = These numbers are shown only on this page, and this viewing was recorded. Do not copy them anywhere else.
cw-numbers-none = No restricted number is stored for this relief.
cw-numbers-back = Back to the case

## Entry forms

cw-form-add-title = Add: { $kind }
cw-form-edit-title = Change: { $kind }
cw-back-to-case = Back to case { $number }
cw-back = Back to the case
cw-field-date = Date
cw-field-notes = Notes
cw-field-follow_up_on = Follow up on
cw-field-domain = Area of life
cw-field-text = Text
cw-field-language = Language
cw-field-responsible = Staff member responsible
cw-field-target_on = Target date
cw-field-status = Status
cw-field-category = Category
cw-field-minutes = Minutes
cw-field-delivered_by = Delivered by
cw-field-interpreter_used = An interpreter was used
cw-field-interpreter_language = Language interpreted
cw-field-time = Time
cw-field-place = Kind of place
cw-field-purpose = Purpose
cw-field-appointment_category = Kind of support
cw-field-accompanied_by = Accompanied by
cw-field-reminder_days = Reminder (days before)
cw-field-milestone = Milestone
cw-field-relief_kind = Kind of relief
cw-field-kind = Kind
cw-field-filed_on = Filed on
cw-field-granted_on = Granted on
cw-field-expires_on = Expires on
cw-field-rfe_due_on = Evidence due on
cw-field-decided_on = Decided on
cw-field-certification_signed_on = Certification signed on
cw-field-interim_expires_on = Interim assistance expires on
cw-field-receipt_number = Receipt number
cw-field-a_number = A-number
cw-field-case_file_number = Investigation file number (carpeta)
cw-field-note = Note
cw-field-note_kind = Kind of note
cw-field-content_note = Show a content note before this note (it describes harm)
cw-field-translation = Translation
cw-field-translation_language = Language of the translation
cw-needs-ratings = How each area is going, in the person’s view
cw-needs-ratings-hint = Rate only what the person chose to talk about.
cw-hint-follow_up_on = Optional. A follow-up task is added for that day.
cw-hint-goal-words = Write it as the person said it, in the language they said it in.
cw-hint-language = The language the person used.
cw-hint-note-language = The language this note is written in.
cw-hint-milestone-words = Required for “Their own milestone”.
cw-hint-minutes = From 0 to 1,440.
cw-hint-time = Hours and minutes, for example 09:30. Leave empty for the whole day.
cw-hint-place = A kind of place only, never an address.
cw-hint-purpose = Not shown in calendars.
cw-hint-reminder_days = From 0 (on the day) to 60.
cw-hint-content_note = Readers then choose when to open it.
cw-hint-translation = Optional. Shown beside the original, marked as a translation.
cw-relief-dates = Key dates
cw-relief-dates-hint = Deadlines become tasks, for example a Continued Presence renewal well before it expires.
cw-relief-numbers = Restricted numbers
cw-relief-numbers-hint = Stored apart and hidden on every page until someone asks to see them.
cw-relief-numbers-edit-hint = Stored numbers are not shown here. Leave a field empty to keep the stored number; type a new one to replace it.
cw-relief-remove-number = Remove the stored { $number }
cw-error-date-required = Please enter a date.
cw-error-date-malformed = Please enter a date as year-month-day, for example 2026-03-31.
cw-error-number-required = Please enter a number.
cw-error-number-malformed = Please enter a whole number, for example 45.
cw-error-days = Please enter a number of days from 1 to 3,650.

## Timeline

cw-timeline-title = Timeline of case { $number }
cw-timeline-filter = Show
cw-timeline-filter-hint = Tick what to show. None ticked shows everything.
cw-timeline-apply = Show
cw-timeline-entries = Entries in date order
cw-timeline-empty = Nothing to show.
cw-timeline-case = Case
cw-timeline-case_opened = Case opened
cw-timeline-case_closed = Case closed
cw-timeline-case_status = Status changed
cw-timeline-screening = Screening
cw-timeline-referral = Referral
cw-timeline-referral-outgoing = Referral to a partner
cw-timeline-referral-incoming = Referral received

## Tasks

cw-tasks-title = Tasks
cw-tasks-days = Days ahead
cw-tasks-apply = Update
cw-tasks-until = Tasks due by { $date }, overdue ones first.
cw-tasks-mine = My tasks
cw-tasks-mine-caption = Tasks assigned to me, overdue first
cw-tasks-team = Team tasks
cw-tasks-team-caption = Tasks of the cases I work on, overdue first
cw-tasks-none = No task is due.
cw-task-due_on = Due
cw-task-what = Task
cw-task-case = Case
cw-task-assigned_to = Assigned to
cw-task-team = The case team
cw-task-overdue = Overdue
cw-task-complete = Mark as done
cw-task-title = What needs doing
cw-task-title-hint = Keep it short, and leave out names and details the task does not need.

## Dashboard and calendar

cw-dashboard-title = Caseload dashboard
cw-dashboard-own = The cases you work on.
cw-dashboard-organisation = All of the organisation’s cases you may see.
cw-dashboard-days = Cases without contact for how many days
cw-dashboard-days-hint = From 1 to 3,650 days.
cw-dashboard-attention = What needs attention
cw-dashboard-attention-caption = Counts, upcoming means until { $date }
cw-dashboard-what = What
cw-dashboard-count = Number
cw-dashboard-overdue = Overdue tasks
cw-dashboard-upcoming-appointments = Upcoming appointments
cw-dashboard-upcoming-deadlines = Upcoming legal deadlines
cw-dashboard-no-contact = Open cases without contact for { $days } days or more
cw-dashboard-by-status = Cases by status
cw-dashboard-by-status-caption = Number of cases in each status
cw-dashboard-total = Total
cw-dashboard-no-cases = No cases yet.
cw-dashboard-next-appointments = Next appointments
cw-dashboard-next-appointments-caption = Scheduled appointments until { $date }
cw-dashboard-next-deadlines = Next legal deadlines
cw-dashboard-next-deadlines-caption = Legal relief deadlines until { $date }
cw-dashboard-none-upcoming = Nothing in the next 14 days.
cw-calendar-download = Download appointments for my calendar (.ics)
cw-calendar-title = Calendar download
cw-calendar-event = Amparo appointment
cw-calendar-bad-window = Please give a start and an end date as year-month-day, the end after the start and at most { $days } days later.
