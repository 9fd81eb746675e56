# Signing in, the second factor, one's own settings, first-run setup, user management.

## Sign-in

login-title = Sign in
login-submit = Sign in
login-forgot = Forgot your password or lost your phone? Ask an administrator of your organisation to help you.
login-wrong-credentials = The email address or password is not right. Please try again.

## Second factor (TOTP)

mfa-enrol-title = Set up your second step of sign-in
mfa-enrol-intro = Each time you sign in, Amparo will also ask for a six-digit code from an app on your phone. This keeps { $people ->
        [client] clients’
        [participant] participants’
       *[survivor] survivors’
    } information safe even if someone learns your password.
mfa-enrol-step-app = Install an authenticator app on your phone (for example FreeOTP, Aegis or Google Authenticator).
mfa-enrol-step-scan = In the app, add an account and scan this code.
mfa-enrol-manual = If you cannot scan it, type this key instead:
mfa-enrol-step-code = Type the six-digit code the app shows, below.
mfa-challenge-title = Enter your code
mfa-challenge-intro = Open your authenticator app and type the six-digit code it shows for Amparo.
mfa-code-label = Six-digit code
mfa-code-hint = The code changes every 30 seconds. Each code works only once.
mfa-submit = Confirm
error-wrong_mfa_code = That code is not right, or it was already used. Please wait for a new code and try again.

## Home

home-role = Your role: { $role }

## Password

password-title = Change your password
password-required-intro = Before you continue, please choose your own password. The one you were given works only once.
password-current = Current password
password-new = New password
password-confirm = New password, again
password-submit = Change password
error-password-mismatch = The two new passwords are not the same.
error-wrong_current_password = The current password is not right.

## Settings

settings-title = Settings
settings-account = Your account
settings-language-legend = The language Amparo uses with you
settings-change-password = Change your password
settings-mfa-title = Second step of sign-in
settings-mfa-intro = If you changed or lost your phone, you can set up the code app again. You will be signed out everywhere, and at your next sign-in you will scan a new code.
settings-mfa-reset = Set up the code app again

## First-run setup

setup-title = Set up Amparo
setup-intro = Create your organisation and its first administrator. This link works only once.
setup-submit = Create the organisation

## User management

admin-users-title = Users
admin-users-caption = People who can sign in to your organisation
admin-users-status = Status
admin-users-actions = Actions
admin-users-active = Active
admin-users-disabled = Disabled
admin-users-mfa-pending = code app not set up yet
admin-users-role-of = Role of { $name }
admin-users-change-role = Change role
admin-users-reset-mfa = Reset code app
admin-users-enable = Enable
admin-users-disable = Disable
admin-users-add = Add a user
admin-users-add-intro = The new user signs in with the initial password you give them, then chooses their own and sets up the code app.
admin-users-initial-password = Initial password
admin-users-initial-password-hint = At least 15 characters. Give it to the person privately; they must change it when they first sign in.
admin-users-add-submit = Add user
error-duplicate_email = There is already a user with this email address.

## More error pages

error-unavailable-title = Amparo is not available right now
error-unavailable-body = Nothing you sent was lost, but it may not have been saved. Please try again in a minute; if it keeps happening, tell your administrator.

## Audit log

audit-title = Audit log
audit-intro = Every sign-in, change and look at records in your organisation, newest first. Entries hold ids and codes, never names or stories. Reading this page is recorded too.
audit-caption = The 200 most recent entries
audit-when = When
audit-who = Who
audit-channel = Through
audit-action = What
audit-target = On
audit-outcome = Result
audit-detail = Detail
audit-outcome-ok = Done
audit-outcome-denied = Refused
audit-outcome-failed = Failed

## Break-glass alerts (supervisors' home page)

home-break-glass-heading = Emergency access in the last 14 days
home-break-glass-intro = These colleagues used break-glass to open a case outside their reach, for the reason they gave. Please review each use.
home-break-glass-case = the case
