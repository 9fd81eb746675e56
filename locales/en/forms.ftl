# Configurable forms (Settings → Forms), the organisation page, and the organisation's word
# for the people it serves. Every id must also exist in ../es/forms.ftl (a test checks).
# Person-centred language: “survivor”, “client” or “participant”, never “victim”.
# A message that names the people served takes `$people` (survivor, client, participant).

## Navigation

nav-intake = { $people ->
        [client] New client
        [participant] New participant
       *[survivor] New survivor
    }
nav-organisation = Organisation
nav-forms = Forms

## The organisation page

org-title = Organisation
org-people-word-legend = What we call the people we serve
org-people-word-hint = Every page uses this word: navigation, headings and messages. Choose the one your team and the people you serve are comfortable with.
org-people-word-link = Choose what we call the people we serve
people-word-survivor = Survivor
people-word-client = Client
people-word-participant = Participant

## The forms

forms-title = Forms
forms-intro = Choose which questions each form asks, in what order, with what words, and add your own. The defaults ask only what the work needs; every change is kept as a new version.
forms-name-person = { $people ->
        [client] Client record (intake and editing)
        [participant] Participant record (intake and editing)
       *[survivor] Survivor record (intake and editing)
    }
forms-name-case = Case
forms-name-assessment = Needs assessment
forms-name-service = Service delivered
forms-version = Version { $version }
forms-version-none = Not changed yet: as Amparo comes.
forms-back = Back to the forms
forms-edit-title = Form: { $form }
forms-edit-intro = A hidden field disappears from forms and pages, but what was already recorded in it is kept. Leave a label empty to use Amparo’s words. Lower order numbers come first.
forms-fields-caption = The fields of this form, in order
forms-col-field = Field
forms-col-order = Order
forms-col-shown = Shown and required
forms-col-label-en = Label in English
forms-col-label-es = Label in Spanish
forms-essential = Essential
forms-always-shown = Always shown: the work needs it.
forms-always-required = Always shown and required: the work needs it.
forms-name-or-alias = A name or an alias must stay on the form: it is how the record is found again.
forms-hide-for = Hide “{ $field }”
forms-require-for = Make “{ $field }” required
forms-remove-for = Remove “{ $field }” (what was recorded is kept, not shown)
forms-order-for = Order of “{ $field }”
forms-label-en-for = English label of “{ $field }”
forms-label-es-for = Spanish label of “{ $field }”
forms-label-default = Amparo’s label
forms-kind = Kind of answer
forms-kind-text = Text
forms-kind-number = Number
forms-kind-date = Date
forms-kind-choice = One choice from a list
forms-choices = Choices
forms-choices-hint = One choice per line: code = English label | Spanish label. For example: church = Church | Iglesia
forms-new-legend = Add a field of your own
forms-new-hint = Give it a label in both languages. Its answers are stored encrypted, like the rest of the record, and whoever may see the record may see them.
forms-new-required = Required
forms-new-choices-hint = Only for “one choice from a list”: one choice per line, English label | Spanish label (a code is made from the English label), or code = English label | Spanish label.
forms-save = Save the form
forms-notice-saved = The form was saved as version { $version }.
forms-conflict-title = Someone else saved this form first
forms-conflict-body = Another administrator saved a change while you were editing (the form is now at version { $version }). Your changes are below and were not saved: check them and save again.
forms-history-heading = Versions
forms-history-caption = Every saved version of this form, newest first
forms-history-version = Version
forms-history-when = Saved on
forms-history-who = By
forms-error-order = Please enter a whole number, for example 10, 20 or 30.
forms-error-choices-line = Each line must be “English label | Spanish label”, or “code = English label | Spanish label”.

## The organisation's own fields on the record pages

forms-required-mark = (required)
forms-custom-legend = More details
forms-custom-section = More details
forms-custom-none = Nothing recorded yet.

## Fields of the needs assessment and the services form (wired when those forms arrive)

forms-field-assessment-date = Date of the assessment
forms-field-assessment-ratings = Ratings, domain by domain
forms-field-assessment-rating_safety = Safety
forms-field-assessment-rating_housing = Housing
forms-field-assessment-rating_physical_health = Physical health
forms-field-assessment-rating_mental_health = Mental health
forms-field-assessment-rating_legal_immigration = Legal and immigration
forms-field-assessment-rating_employment = Employment
forms-field-assessment-rating_education = Education
forms-field-assessment-rating_children_family = Children and family
forms-field-assessment-rating_finances = Finances
forms-field-assessment-rating_transport = Transport
forms-field-assessment-rating_community_faith = Community and faith
forms-field-service-category = Kind of service
forms-field-service-date = Date
forms-field-service-minutes = Minutes spent
forms-field-service-delivered_by = Delivered by
forms-field-service-interpreter_used = An interpreter was used
forms-field-service-interpreter_language = Interpreter’s language
forms-field-service-follow_up_on = Follow up on
forms-field-service-notes = Notes

## Errors (error-<code>, the code as amparo-domain spells it)

error-form_unknown_field = This form has no such field.
error-form_duplicate_field = This field is listed twice.
error-form_essential_hidden = This field cannot be hidden: the work needs it.
error-form_essential_required = Whether this field is required cannot be changed: the work needs it as it is.
error-form_name_or_alias_hidden = A name or an alias must stay on the form: without either, nobody could find the record again.
error-form_hidden_and_required = A hidden field cannot be required: nobody could answer it.
error-form_label_invalid = A label can have at most 80 characters, and no “<” or “>”.
error-form_label_missing = Please give a label in both English and Spanish.
error-form_too_many_custom_fields = A form can have at most 30 fields of your own.
error-form_code_invalid = A code can have only lower-case letters without accents, digits and “_”.
error-form_code_taken = This code is already used, or was used by a field that was removed.
error-form_choices_empty = Please give at least one choice.
error-form_choices_not_allowed = Only a “one choice from a list” field has choices.
error-form_too_many_choices = A list can have at most 50 choices.
error-form_kind_changed = The kind of answer of a field cannot change once saved. Remove the field and add a new one instead.
error-required = Please answer this question, or choose why there is no answer.
error-not_a_number = Please enter a number, for example 3 or 2.5.
error-date_malformed = Please enter a date as year-month-day, for example 2026-03-31.
error-unknown_choice = Please choose one of the options in the list.
error-text_invalid = Please enter at most 2,000 characters of plain text.
error-unknown_custom_field = This form has no such field. Please reload the page.
