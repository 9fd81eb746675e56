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
    id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    public_line  TEXT    NOT NULL,
    secret       BLOB    NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE partners (
    id           BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id       BLOB    NOT NULL REFERENCES organisations (id),
    name         TEXT    NOT NULL,
    country      TEXT    NOT NULL CHECK (length(country) = 2),
    region       TEXT,
    services     TEXT    NOT NULL CHECK (json_valid(services) AND json_type(services) = 'array'),
    languages    TEXT    NOT NULL CHECK (json_valid(languages) AND json_type(languages) = 'array'),
    populations  TEXT    NOT NULL CHECK (json_valid(populations) AND json_type(populations) = 'array'),
    contact      TEXT    NOT NULL,
    public_key   TEXT,
    target_org   BLOB    REFERENCES organisations (id),
    notes        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    -- Exactly one way to reach the partner: a packet to its key, or its inbox here.
    CHECK ((public_key IS NULL) <> (target_org IS NULL))
) STRICT;
CREATE UNIQUE INDEX partners_id_org_id ON partners (id, org_id);
CREATE INDEX partners_org_id ON partners (org_id, name);
-- Filing a packet finds the sender by its identity line.
CREATE INDEX partners_public_key ON partners (public_key) WHERE public_key IS NOT NULL;

CREATE TABLE referrals (
    id              BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id          BLOB    NOT NULL REFERENCES organisations (id),
    direction       TEXT    NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    partner_id      BLOB,
    from_org_id     BLOB    REFERENCES organisations (id),
    counterpart_id  BLOB,
    remote_id       BLOB,
    person_id       BLOB,
    case_id         BLOB    REFERENCES cases (id) ON DELETE SET NULL,
    consent_id      BLOB,
    fields          TEXT    NOT NULL CHECK (json_valid(fields) AND json_type(fields) = 'array'),
    urgency         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    wrapped_key     BLOB    NOT NULL,
    reason          BLOB    NOT NULL,
    shared          BLOB,
    status_note     BLOB,
    expires_on      INTEGER,
    created_by      BLOB    REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    accepted_at     INTEGER,
    declined_at     INTEGER,
    completed_at    INTEGER,
    withdrawn_at    INTEGER,
    version         INTEGER NOT NULL,
    FOREIGN KEY (partner_id, org_id) REFERENCES partners (id, org_id),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE
) STRICT;
-- The inbox and the outgoing list, newest first.
CREATE INDEX referrals_org_direction ON referrals (org_id, direction, created_at);
CREATE INDEX referrals_person_id ON referrals (person_id);
CREATE INDEX referrals_case_id ON referrals (case_id);
-- One packet files one referral.
CREATE UNIQUE INDEX referrals_remote_id ON referrals (org_id, remote_id) WHERE remote_id IS NOT NULL;
