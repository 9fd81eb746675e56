# The shell of the web app: layout, navigation, generic pages, forms, roles and the
# domain's error codes (error-<code>, with the code exactly as amparo-domain spells it).
# Every id here must also exist in ../es/main.ftl (a test checks).
# Trauma-informed wording: "survivor" or "client", never "victim".

## Layout

app-name = Amparo
skip-to-content = Skip to main content
nav-main-label = Main navigation
nav-home = Home
nav-settings = Settings
nav-users = Users
nav-audit = Audit log
nav-logout = Sign out
nav-login = Sign in
signed-in-as = Signed in as { $name }
language-switch-label = Language
language-switch-button = Change language
language-es = Español
language-en = English
footer-text = Amparo is free software, licensed under the GNU AGPL.

## Quick exit (public pages)

quick-exit = Quick exit
quick-exit-hint = To leave this page quickly, select “Quick exit” or press the Shift key three times.

## Home

page-home-title = Home
home-welcome = Welcome, { $name }.

## Error pages

error-back-home = Go to the home page
error-bad-request-title = Something in the request was not right
error-bad-request-body = We could not understand what was sent. Please go back and try again.
error-unauthorized-title = Please sign in
error-unauthorized-body = You need to sign in to see this page.
error-forbidden-title = You do not have access to this page
error-forbidden-body = Your role does not include this. If you think you need it, please ask your supervisor or an administrator.
error-not-found-title = Page not found
error-not-found-body = The page may have moved, or the address may be mistyped. Please check it, or go to the home page.
error-conflict-title = This was changed in the meantime
error-conflict-body = Someone else saved a change at the same time. Please reload the page, check what is there now, and try again.
error-payload-too-large-title = That is too large
error-payload-too-large-body = What you sent is larger than we accept. Please try a smaller file or a shorter text.
error-csrf-title = Your form has expired
error-csrf-body = For your security, forms expire after a while. Please go back, reload the page and send it again. Nothing was saved.
error-too-many-requests-title = Too many attempts
error-too-many-requests-body =
    { $minutes ->
        [one] For security, please wait { $minutes } minute and try again.
       *[other] For security, please wait { $minutes } minutes and try again.
    }
error-internal-title = Something went wrong on our side
error-internal-body = This is not your fault. Please try again in a few minutes; if it keeps happening, tell your administrator.

## Forms

form-save = Save
form-cancel = Cancel
form-submit = Send
form-back = Back
form-delete = Delete
form-required = Required
form-optional = Optional
form-errors-summary = Please check the following:
notice-saved = Your changes have been saved.
table-empty = There is nothing here yet.

## Fields

field-email = Email address
field-name = Name
field-organisation-name = Organisation name
field-role = Role
field-language = Language
field-password = Password
field-password-hint = At least 15 characters. A phrase of several words you can remember works well; you do not need numbers or symbols.

## Roles (codes as in amparo-domain's Role)

role-administrator = Administrator
role-supervisor = Supervisor
role-case_manager = Case manager
role-hotline = Hotline and outreach
role-clinician = Clinician
role-shelter_staff = Shelter staff
role-volunteer = Volunteer
role-analyst = Data analyst

## Domain errors (codes as in amparo-domain's DomainError and PasswordProblem)

error-invalid_email = Please enter an email address like name@example.org.
error-invalid_name = Please enter a name of up to 120 characters.
error-invalid_organisation_name = Please enter the organisation’s name, up to 200 characters.
error-unknown_role = Please choose one of the roles in the list.
error-unknown_language = Please choose Spanish or English.
error-password_too_short = Your password needs at least 15 characters. A phrase of several words that you can remember works well, and you do not need numbers or symbols.
error-password_too_long = That password is longer than 256 characters. Please choose a shorter phrase.
error-password_common = That password is on the lists attackers try first. Please choose another: a phrase of several unrelated words works well.
error-password_predictable = That password follows a pattern that is easy to guess, such as repeated or consecutive characters. Please choose another: a phrase of several unrelated words works well.
error-password_contains_context = That password is too close to your name, your email address, your organisation’s name or “Amparo”. Please choose a phrase that has nothing to do with them.
