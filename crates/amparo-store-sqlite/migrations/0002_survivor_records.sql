-- Survivor records: persons, cases and their teams, case numbers, blind-index search tokens,
-- break-glass grants, consents, outreach, and the erasure ledger.
--
-- Conventions (in addition to 0001)
--   dates        INTEGER: days since 1970-01-01 (exact round trips; order and compare as
--                integers; `date(d * 86400, 'unixepoch')` shows one).
--   code lists   TEXT: a JSON array of strings, order kept (`["MX","GT"]`, `[]`).
--   sealed       BLOB: ciphertext sealed by the application with the person's data key.
--
-- Everything that hangs off a person goes with them (ON DELETE CASCADE): erasing a person is
-- one DELETE. Children name their organisation too, and the foreign keys check it is their
-- parent's: a case, token, consent or grant can never point across organisations. Users who
-- get access through a row (team members, the assignee, break-glass holders) must belong to
-- the same organisation.

-- Lets the (user, organisation) pairs below be checked by foreign keys.
CREATE UNIQUE INDEX users_id_org_id ON users (id, org_id);

CREATE TABLE persons (
    id                         BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id                     BLOB    NOT NULL REFERENCES organisations (id),
    created_by                 BLOB    REFERENCES users (id),
    wrapped_key                BLOB    NOT NULL,
    gender                     TEXT,
    birth_year                 INTEGER,
    age_band                   TEXT,
    citizenship                TEXT    NOT NULL CHECK (json_valid(citizenship) AND json_type(citizenship) = 'array'),
    primary_language           TEXT,
    other_languages            TEXT    NOT NULL
                                       CHECK (json_valid(other_languages) AND json_type(other_languages) = 'array'),
    interpreter_needed         TEXT,
    household_size             INTEGER,
    dependants                 INTEGER,
    safe_contact_confirmed_at  INTEGER,
    identity                   BLOB    NOT NULL,
    safe_contact               BLOB,
    narrative                  BLOB,
    version                    INTEGER NOT NULL,
    created_at                 INTEGER NOT NULL,
    updated_at                 INTEGER NOT NULL
) STRICT;
-- The parent key of the (person, organisation) foreign keys.
CREATE UNIQUE INDEX persons_id_org_id ON persons (id, org_id);

CREATE TABLE cases (
    id                  BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id              BLOB    NOT NULL,
    person_id           BLOB    NOT NULL,
    number              TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    closure_reason      TEXT,
    trafficking_status  TEXT,
    status_decided_by   TEXT,
    exploitation_types  TEXT    NOT NULL
                                CHECK (json_valid(exploitation_types) AND json_type(exploitation_types) = 'array'),
    means_of_control    TEXT    NOT NULL
                                CHECK (json_valid(means_of_control) AND json_type(means_of_control) = 'array'),
    recruitment         TEXT,
    countries           TEXT    NOT NULL CHECK (json_valid(countries) AND json_type(countries) = 'array'),
    places              TEXT    NOT NULL CHECK (json_valid(places) AND json_type(places) = 'array'),
    opened_on           INTEGER NOT NULL,
    closed_on           INTEGER,
    assigned_to         BLOB,
    restricted          INTEGER NOT NULL CHECK (restricted IN (0, 1)),
    created_by          BLOB    REFERENCES users (id),
    version             INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (assigned_to, org_id) REFERENCES users (id, org_id)
) STRICT;
-- Case numbers are unique within an organisation (case_by_number).
CREATE UNIQUE INDEX cases_org_id_number ON cases (org_id, number);
-- The parent key of the (case, organisation) foreign keys.
CREATE UNIQUE INDEX cases_id_org_id ON cases (id, org_id);
-- The caseload list: newest first, optionally by status, without sorting the organisation.
CREATE INDEX cases_org_id_opened_on ON cases (org_id, opened_on, number);
CREATE INDEX cases_org_id_status ON cases (org_id, status, opened_on, number);
-- "Assigned to me", newest first.
CREATE INDEX cases_org_id_assigned_to ON cases (org_id, assigned_to, opened_on, number);
-- A person's cases (also the cascade on erasure).
CREATE INDEX cases_person_id ON cases (person_id);

-- The case team, one row per member; `position` keeps the order the team was given in.
CREATE TABLE case_team (
    case_id   BLOB    NOT NULL,
    org_id    BLOB    NOT NULL,
    user_id   BLOB    NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (case_id, user_id),
    FOREIGN KEY (case_id, org_id) REFERENCES cases (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
) STRICT;
-- "Cases on my team".
CREATE INDEX case_team_user_id ON case_team (user_id, case_id);

-- Case number sequences: `next` is the number the next case of (org, year) gets.
CREATE TABLE case_counters (
    org_id  BLOB    NOT NULL REFERENCES organisations (id),
    year    INTEGER NOT NULL,
    next    INTEGER NOT NULL,
    PRIMARY KEY (org_id, year)
) STRICT;

-- Blind-index tokens (keyed hashes of normalised name parts, phone, …): never plaintext.
CREATE TABLE person_search_tokens (
    org_id     BLOB NOT NULL,
    token      TEXT NOT NULL,
    person_id  BLOB NOT NULL,
    PRIMARY KEY (person_id, token),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX person_search_tokens_org_id_token ON person_search_tokens (org_id, token);

CREATE TABLE break_glass (
    id          BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id      BLOB    NOT NULL,
    case_id     BLOB    NOT NULL,
    user_id     BLOB    NOT NULL,
    reason      BLOB    NOT NULL,
    granted_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    FOREIGN KEY (case_id, org_id) REFERENCES cases (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
) STRICT;
CREATE INDEX break_glass_case_id ON break_glass (case_id, expires_at);

CREATE TABLE consents (
    id                 BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id             BLOB    NOT NULL,
    person_id          BLOB    NOT NULL,
    recipient_partner  BLOB,
    recipient_name     BLOB,
    fields             TEXT    NOT NULL CHECK (json_valid(fields) AND json_type(fields) = 'array'),
    purpose            BLOB    NOT NULL,
    expires_on         INTEGER NOT NULL,
    given_as           TEXT    NOT NULL,
    given_at           INTEGER NOT NULL,
    recorded_by        BLOB    REFERENCES users (id),
    revoked_at         INTEGER,
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX consents_person_id ON consents (person_id, given_at);

CREATE TABLE outreach (
    id         BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id     BLOB    NOT NULL,
    person_id  BLOB    NOT NULL,
    channel    TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    by_id      BLOB    REFERENCES users (id),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX outreach_person_id ON outreach (person_id, at);

-- The erasure ledger. No foreign keys: the person is gone, and the ledger must survive
-- being re-applied to a restored backup (where the eraser may not exist yet).
CREATE TABLE erasures (
    person_id  BLOB    NOT NULL PRIMARY KEY CHECK (length(person_id) = 16),
    org_id     BLOB    NOT NULL,
    erased_at  INTEGER NOT NULL,
    erased_by  BLOB,
    reason     BLOB    NOT NULL
) STRICT;

-- "Who saw this file": audit entries by target.
CREATE INDEX audit_events_target_id ON audit_events (target_id, org_id);
