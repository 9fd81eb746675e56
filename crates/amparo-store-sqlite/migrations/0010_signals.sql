-- Hotline signals: calls, texts, chats, e-mails, walk-ins and web tips in a triage queue.
--
-- In clear: the codes the queue sorts and filters on (channel, urgency, status, outcome,
-- language, region, concern types), dates, and which staff member logged or triaged it.
-- Sealed by the application with the signal's own data key (wrapped by the organisation's
-- key in `wrapped_key`): `text`, `contact` and `notes`, each bound to this table, its column
-- and the row's id.
--
-- Nothing about the request that brought a web tip is kept: no address, no browser, no
-- headers. There is no column for them, on purpose.

CREATE TABLE signals (
    id           BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id       BLOB    NOT NULL REFERENCES organisations (id),
    channel      TEXT    NOT NULL,
    urgency      TEXT    NOT NULL CHECK (urgency IN ('immediate_danger', 'urgent', 'routine')),
    status       TEXT    NOT NULL,
    outcome      TEXT,
    language     TEXT,
    region       TEXT,
    concerns     TEXT    NOT NULL CHECK (json_valid(concerns) AND json_type(concerns) = 'array'),
    -- A person's erasure deletes their cases; the signal stays, without its link.
    case_id      BLOB    REFERENCES cases (id) ON DELETE SET NULL,
    wrapped_key  BLOB    NOT NULL,
    text         BLOB    NOT NULL,
    contact      BLOB,
    notes        BLOB,
    received_at  INTEGER NOT NULL,
    received_by  BLOB,
    triaged_by   BLOB,
    triaged_at   INTEGER,
    version      INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    FOREIGN KEY (received_by, org_id) REFERENCES users (id, org_id),
    FOREIGN KEY (triaged_by, org_id) REFERENCES users (id, org_id)
) STRICT;
-- The queue: an organisation's open signals by urgency, then age.
CREATE INDEX signals_queue ON signals (org_id, status, urgency, received_at);
CREATE INDEX signals_case_id ON signals (case_id);
