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
    id           uuid        NOT NULL PRIMARY KEY,
    org_id       uuid        NOT NULL REFERENCES organisations (id),
    channel      text        NOT NULL,
    urgency      text        NOT NULL CHECK (urgency IN ('immediate_danger', 'urgent', 'routine')),
    status       text        NOT NULL,
    outcome      text,
    language     text,
    region       text,
    concerns     text        NOT NULL CHECK (json_typeof(concerns::json) = 'array'),
    -- A person's erasure deletes their cases; the signal stays, without its link.
    case_id      uuid        REFERENCES cases (id) ON DELETE SET NULL,
    wrapped_key  bytea       NOT NULL,
    text         bytea       NOT NULL,
    contact      bytea,
    notes        bytea,
    received_at  timestamptz NOT NULL,
    received_by  uuid,
    triaged_by   uuid,
    triaged_at   timestamptz,
    version      bigint      NOT NULL,
    updated_at   timestamptz NOT NULL,
    FOREIGN KEY (received_by, org_id) REFERENCES users (id, org_id),
    FOREIGN KEY (triaged_by, org_id) REFERENCES users (id, org_id)
);
-- The queue: an organisation's open signals by urgency, then age.
CREATE INDEX signals_queue ON signals (org_id, status, urgency, received_at);
CREATE INDEX signals_case_id ON signals (case_id);
