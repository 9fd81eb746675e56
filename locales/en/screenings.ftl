# Screenings: validated instruments and the trafficking indicator screen. The instruments'
# own words (items, options, bands, notices, licences) live in instruments/*.toml.
# Every id here must also exist in ../es/screenings.ftl (a test checks).

code-task_kind-screening_alert = Screening alert: follow up today

## Person page section and the screenings page

sc-title = Screenings
sc-person-link = Screenings and trends
sc-person-summary = { $count ->
    [0] No screenings yet.
    [one] One screening.
   *[other] { $count } screenings.
}
sc-latest = Latest
sc-back-person = Back to the person
sc-run-title = Run a screen
sc-run-hint = Choose an instrument. Ask only when the person is ready, in private; they may stop at any time.
sc-run-link = Start { $name }
sc-may-not-run = Your role can read screening results here but cannot run a screen.
sc-past-title = Past screenings
sc-past-none = No screenings that you may see.
sc-past-caption = Screenings, oldest first
sc-col-date = Date
sc-col-instrument = Instrument
sc-col-total = Total
sc-col-band = Result
sc-col-flags = Flags
sc-col-actions = Actions
sc-view = See the result
sc-no-band = No band
sc-trends-title = Trends
sc-trends-none = Trends appear once the person has taken a screen.
sc-trend-chart-title = { $name }: total over time
sc-trend-chart-desc = { $count ->
    [one] Line chart of one total, on { $from }: { $first } (scale 0 to { $max }). The same number is in the table beside it.
   *[other] Line chart of { $count } totals, from { $from } to { $to }: from { $first } to { $last } (scale 0 to { $max }). The same numbers are in the table beside it.
}
sc-trend-caption = { $name }: totals by date
sc-trend-axis-date = Date
sc-trend-axis-total = Total

## The form

sc-form-title = { $name }
sc-form-intro = Read each question as it is written and mark the person's answer.
sc-time-frame = Time frame
sc-item-legend = { $number }. { $text }
sc-question-n = Question { $number }:
sc-extra-optional = Optional, not scored.
sc-field-case = Case
sc-field-case-none = Not linked to a case
sc-submit = Score and save
sc-about = About this instrument
sc-licence = Licence
sc-attribution = Attribution

## The result page

sc-result-title = { $name }: result
sc-taken-on = Taken on { $date }
sc-total = Total: { $total } of { $max }
sc-band = Result: { $band }
sc-next-steps = What to do next
sc-flags-title = Flags
sc-critical = Urgent
sc-alert-sent = An urgent task was sent to the people who work on this person's case and to the supervisors.
sc-alert-open = The follow-up has not been recorded yet.
sc-alert-done = The follow-up was recorded.
sc-follow-up = Record the follow-up
sc-followed-up = The follow-up was recorded.
sc-clusters-title = Clusters
sc-clusters-caption = Sum of each cluster
sc-col-cluster = Cluster
sc-col-sum = Sum
sc-outcome-met = Met
sc-outcome-not-met = Not met
sc-outcomes-title = Screen results
sc-cutoff = cut-off { $cut }
sc-hotlines-title = Hotlines
sc-hotline-text = Text: { $number }
sc-answers-title = Answers
sc-answers-caption = The answers given, in item order
sc-col-item = Question
sc-col-answer = Answer
sc-screen-not-diagnosis = A screen is not a diagnosis: a positive result needs follow-up by a qualified person.

## Dashboard

sc-dashboard-alerts = Screening alerts
sc-dashboard-alerts-hint = A critical answer (for example, thoughts of death or self-harm on the PHQ-9). Each stays here until someone records the follow-up.
sc-dashboard-alerts-caption = Open screening alerts, oldest first
sc-dashboard-alert-person = Person's record
sc-dashboard-alert-open = Open the result

## Errors

error-screening_unknown_instrument = There is no such instrument.
error-screening_answer_count = The number of answers does not match the questions. Please answer every question.
error-screening_answer_out_of_range = Please choose one of the answers offered for this question.
error-screening_answer_missing = Please choose an answer for this question.
error-screening_extra_out_of_range = Please choose one of the answers offered, or leave this question blank.
