# Retention: the organisation's schedule for purging the free text of closed cases and erasing records
nav-retention = Retention
retention-title = Retention policy
retention-intro = How long the organisation keeps the free text of closed cases, and the whole record. Coded fields (dates, statuses, categories) stay for the statistics; only what is written in words is removed. What is removed cannot be recovered, not even from a backup.
retention-is-off = Retention is off: nothing is removed until an administrator sets at least one period below.
retention-policy-heading = Periods
retention-rule-person-narrative = The person's story
retention-rule-person-safe_contact = Safe-contact preferences
retention-rule-case-notes = Text of case notes
retention-rule-person-erase = The whole record
retention-hint-person-narrative = Months after the person's last case closed. The narrative is removed; the record stays.
retention-hint-person-safe_contact = Months after the person's last case closed. Code words, cover stories and safe times are removed.
retention-hint-case-notes = Months after the case closed. The text of its notes is removed; their kind and date stay.
retention-hint-person-erase = Months after the person's last case closed. The whole record is erased for good (as an approved erasure request), and the erasure goes into the ledger that a restored backup re-applies.
retention-suggested = Suggested: { $months } months.
retention-months = { $months ->
    [one] 1 month
   *[other] { $months } months
}
retention-off = Off
retention-save = Save the periods
retention-suggested-intro = Suggested setting: stories and note text two years after the case closed; the whole record seven years after the last case closed.
retention-use-suggested = Use the suggested setting
retention-preview-heading = What the next run would remove
retention-preview-intro = The run happens every day. Counts of records due today; case numbers for administrators, never names.
retention-preview-empty = No period is set, so nothing is due.
retention-preview-caption = Records due per rule
retention-rule = Rule
retention-period = Period
retention-closed-before = Cases closed on or before
retention-count = Records due
retention-case-numbers = Case numbers
retention-run-intro = The daily run does this on its own. Running it now removes what is listed above at once.
retention-run = Run now
retention-ran = The retention policy was applied.
retention-runs-heading = Last runs
retention-runs-caption = Runs, newest first
retention-ran-at = When
retention-ran-how = How
retention-ran-by = By
retention-purged = Removed
retention-channel-web = From this page
retention-channel-api = Through the API
retention-channel-cli = Command line
retention-channel-system = Daily run
retention-removed-on = Removed by the retention policy on { $date }.
error-retention_months_invalid = Write a whole number of months between 1 and 1200, or leave it empty to turn the rule off.
