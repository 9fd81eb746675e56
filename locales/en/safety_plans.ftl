# Safety plans and the crisis log.
# Every id here must also exist in ../es/safety_plans.ftl (a test checks).
# Person-centred language: "survivor" or "client", never "victim".

## The section on the person page

safety-title = Safety plan
safety-none = No safety plan has been written yet.
safety-write = Write a safety plan
safety-edit = Edit the safety plan
safety-view = Open the safety plan
safety-history = Version history
safety-print-pdf = Print (PDF)
safety-print-html = Printable page
safety-crisis-log = Crisis log
safety-current = Version { $version }, saved { $when }
safety-current-by = Version { $version }, saved { $when } by { $who }
safety-notice-saved = The safety plan was saved as a new version. The earlier versions are kept.
safety-notice-crisis = The crisis contact was logged, and a follow-up task was created for tomorrow.

## The plan's parts (also the headings of the printed plan, in the survivor's language)

safety-field-warning_signs = Warning signs
safety-field-safe_places = Safe places
safety-field-safe_people = Safe people
safety-field-code_words = Code words
safety-field-take_with = What to take
safety-field-emergency_numbers = Emergency numbers
safety-field-children_plan = Plan for the children
safety-field-digital_safety = Digital safety
safety-hint-warning_signs = What tells the survivor that danger is coming, in their words.
safety-hint-safe_places = Where they can go to be safe, at any hour.
safety-hint-safe_people = People they trust and can turn to, and how to reach them.
safety-hint-code_words = Words agreed with safe people that mean “I need help”.
safety-hint-take_with = Papers, medicine, money, phone and charger, keys — and where they are kept.
safety-hint-emergency_numbers = Numbers to call in an emergency. The help lines are printed on every plan.
safety-hint-children_plan = Who looks after the children, how they get to safety, what they know.
safety-hint-digital_safety = Phone, accounts, passwords and location sharing.

## The form

safety-form-title = Safety plan
safety-form-intro = Write the plan with the survivor, in their words. Every save is kept as a new version; nothing earlier is lost.
safety-field-language = Language of the printed plan
safety-field-language-hint = The survivor chooses the language their plan is printed in.
safety-field-show_agency_name = Our organisation’s name may appear on the printed plan
safety-field-show_agency_name-hint = Leave this unticked unless the survivor asks for it: a paper with our name on it can put them at risk if someone else finds it.
safety-submit = Save as a new version
safety-cancel = Back without saving
safety-conflict = Someone saved a newer version while you were writing. Your text is still here: compare it with the current plan, then save again to make yours the newest version.

## Viewing a version

safety-old-version = This is an earlier version, kept as it was saved.

safety-version-heading = Version { $version }
safety-saved-at = Saved { $when }
safety-saved-by = Saved { $when } by { $who }

safety-current-link = See the current version
safety-nothing-written = Nothing written.
safety-language = Language of the printed plan
safety-agency-shown = Organisation name on the printed plan
safety-contact-heading = Safe contact (from the person’s record)
safety-contact-hint = These rules belong to the person’s record and are not part of the plan’s versions. Change them by editing the person.
safety-contact-none = No safe-contact preferences are recorded.
safety-back-to-person = Back to the person

## History

safety-history-title = Safety plan versions
safety-history-caption = Every saved version, newest first
safety-col-version = Version
safety-col-language = Language
safety-col-saved = Saved
safety-col-by = By
safety-history-open = Open version { $version }

## The printed plan (in the survivor's language)

safety-print-title = My personal plan
safety-print-version = Version { $version } · { $date }
safety-print-footer = Keep this paper somewhere safe.
safety-print-contact = How we may contact you
safety-print-voicemail-yes = a message may be left
safety-print-voicemail-no = do not leave a message
safety-print-times = safe times: { $times }
safety-print-who = who may answer: { $who }
safety-print-hotlines = Free help lines
safety-print-hint = Use your browser’s Print command to print this page, or download the PDF.
safety-print-download = Download the PDF

## Help lines printed on every plan (change them here for another region)

safety-hotline-emergency-name = Emergencies (US and Mexico)
safety-hotline-emergency-number = 911
safety-hotline-mx_trata-name = National Anti-Trafficking Line and Chat, Mexico (phone and WhatsApp, free, 24 hours)
safety-hotline-mx_trata-number = 800 5533 000
safety-hotline-us_nhth-name = National Human Trafficking Hotline, US (call)
safety-hotline-us_nhth-number = 1-888-373-7888
safety-hotline-us_nhth_text-name = National Human Trafficking Hotline, US (text)
safety-hotline-us_nhth_text-number = 233733
safety-hotline-us_hsi-name = HSI Tip Line, US
safety-hotline-us_hsi-number = 1-866-347-2423

## Crisis log

crisis-title = Crisis log
crisis-intro = A few words about each crisis contact are enough: the person’s story is kept once, in their record.
crisis-none = No crisis contacts have been logged.
crisis-caption = Crisis contacts, most recent first
crisis-col-when = When
crisis-col-what = What happened
crisis-col-actions = Actions taken
crisis-col-referrals = Referrals made
crisis-col-by = Logged by
crisis-add = Log a crisis contact
crisis-field-date = Date
crisis-field-date-hint = Year-month-day. Leave the date and time empty to log the present moment.
crisis-field-time = Time (UTC)
crisis-field-time-hint = Hours and minutes, for example 21:30.
crisis-field-what_happened = What happened, in a few words
crisis-field-actions_taken = Actions taken
crisis-field-referrals_made = Referrals made
crisis-follow-up-note = Logging creates a follow-up task due the next day.
crisis-submit = Log the crisis contact
crisis-error-too-long = Please keep this to a few words (at most 500 characters).
code-task_kind-crisis_follow_up = Follow up a crisis contact
