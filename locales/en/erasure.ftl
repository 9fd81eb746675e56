# Erasure requests: an administrator asks, a supervisor who did not ask decides.

nav-erasures = Erasure
erasure-title = Erasure requests
erasure-intro = When { $people ->
        [client] a client
        [participant] a participant
       *[survivor] a survivor
    } asks for their record to be erased, an administrator asks here and a supervisor (a different person) decides. Erasure cannot be undone: the record, its cases and its key are destroyed, and no backup can bring them back.
erasure-caption = Requests, newest first
erasure-requested-at = Asked
erasure-requested-by = Asked by
erasure-person = Record
erasure-reason = Reason
erasure-state = State
erasure-decision = Decision
erasure-state-pending = Waiting for a supervisor
erasure-state-approved = Approved — erased
erasure-state-declined = Declined
erasure-approve = Approve and erase now
erasure-decline = Decline
erasure-request-heading = Ask for an erasure
erasure-request-intro = Name the record by one of its case numbers (your colleagues can tell you) or by its id, and say why.
erasure-who = Case number or record id
erasure-who-hint = For example 2026-000123.
erasure-who-not-found = There is no record with that case number or id in your organisation.
erasure-request-submit = Ask for the erasure
