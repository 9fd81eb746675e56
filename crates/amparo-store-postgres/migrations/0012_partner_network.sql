-- The partner network: this installation's identity, each organisation's partner directory,
-- and referrals (outgoing and incoming).
--
-- In clear: codes, dates, the directory (organisations, not survivors) and the public
-- identity line. Sealed by the application: the identity's private keys (installation
-- secret key), and in a referral its reason, the shared field values and a decline note,
-- each under the referral's own data key (`wrapped_key`, wrapped by the organisation's KEK).
--
-- An outgoing referral goes with its person on erasure (ON DELETE CASCADE); an incoming one
-- belongs to the receiving organisation and names a person only once it is accepted.

CREATE TABLE installation_identity (
    id           integer     NOT NULL PRIMARY KEY CHECK (id = 1),
    public_line  text        NOT NULL,
    secret       bytea       NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE TABLE partners (
    id           uuid        NOT NULL PRIMARY KEY,
    org_id       uuid        NOT NULL REFERENCES organisations (id),
    name         text    NOT NULL,
    country      text    NOT NULL CHECK (length(country) = 2),
    region       text,
    services     text    NOT NULL CHECK (json_typeof(services::json) = 'array'),
    languages    text    NOT NULL CHECK (json_typeof(languages::json) = 'array'),
    populations  text    NOT NULL CHECK (json_typeof(populations::json) = 'array'),
    contact      text    NOT NULL,
    public_key   text,
    target_org   uuid        REFERENCES organisations (id),
    notes        text    NOT NULL,
    created_at   timestamptz NOT NULL,
    version      bigint      NOT NULL,
    -- Exactly one way to reach the partner: a packet to its key, or its inbox here.
    CHECK ((public_key IS NULL) <> (target_org IS NULL))
);
CREATE UNIQUE INDEX partners_id_org_id ON partners (id, org_id);
CREATE INDEX partners_org_id ON partners (org_id, name);
-- Filing a packet finds the sender by its identity line.
CREATE INDEX partners_public_key ON partners (public_key) WHERE public_key IS NOT NULL;

CREATE TABLE referrals (
    id              uuid        NOT NULL PRIMARY KEY,
    org_id          uuid        NOT NULL REFERENCES organisations (id),
    direction       text    NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    partner_id      uuid,
    from_org_id     uuid        REFERENCES organisations (id),
    counterpart_id  uuid,
    remote_id       uuid,
    person_id       uuid,
    case_id         uuid        REFERENCES cases (id) ON DELETE SET NULL,
    consent_id      uuid,
    fields          text    NOT NULL CHECK (json_typeof(fields::json) = 'array'),
    urgency         text    NOT NULL,
    status          text    NOT NULL,
    wrapped_key     bytea    NOT NULL,
    reason          bytea    NOT NULL,
    shared          bytea,
    status_note     bytea,
    expires_on      date,
    created_by      uuid        REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    accepted_at     timestamptz,
    declined_at     timestamptz,
    completed_at    timestamptz,
    withdrawn_at    timestamptz,
    version         bigint      NOT NULL,
    FOREIGN KEY (partner_id, org_id) REFERENCES partners (id, org_id),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE
);
-- The inbox and the outgoing list, newest first.
CREATE INDEX referrals_org_direction ON referrals (org_id, direction, created_at);
CREATE INDEX referrals_person_id ON referrals (person_id);
CREATE INDEX referrals_case_id ON referrals (case_id);
-- One packet files one referral.
CREATE UNIQUE INDEX referrals_remote_id ON referrals (org_id, remote_id) WHERE remote_id IS NOT NULL;
