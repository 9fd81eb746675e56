-- Survivor records: persons, cases and their teams, case numbers, blind-index search tokens,
-- break-glass grants, consents, outreach, and the erasure ledger.
--
-- Conventions (in addition to 0001)
--   dates        date.
--   code lists   text: a JSON array of strings, order kept (`["MX","GT"]`, `[]`): the same
--                encoding as on SQLite.
--   sealed       bytea: ciphertext sealed by the application with the person's data key.
--
-- Everything that hangs off a person goes with them (ON DELETE CASCADE): erasing a person is
-- one DELETE. Children name their organisation too, and the foreign keys check it is their
-- parent's: a case, token, consent or grant can never point across organisations. Users who
-- get access through a row (team members, the assignee, break-glass holders) must belong to
-- the same organisation.

-- Lets the (user, organisation) pairs below be checked by foreign keys.
CREATE UNIQUE INDEX users_id_org_id ON users (id, org_id);

CREATE TABLE persons (
    id                         uuid        NOT NULL PRIMARY KEY,
    org_id                     uuid        NOT NULL REFERENCES organisations (id),
    created_by                 uuid        REFERENCES users (id),
    wrapped_key                bytea       NOT NULL,
    gender                     text,
    birth_year                 integer,
    age_band                   text,
    citizenship                text        NOT NULL CHECK (json_typeof(citizenship::json) = 'array'),
    primary_language           text,
    other_languages            text        NOT NULL CHECK (json_typeof(other_languages::json) = 'array'),
    interpreter_needed         text,
    household_size             integer,
    dependants                 integer,
    safe_contact_confirmed_at  timestamptz,
    identity                   bytea       NOT NULL,
    safe_contact               bytea,
    narrative                  bytea,
    version                    bigint      NOT NULL,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL
);
-- The parent key of the (person, organisation) foreign keys.
CREATE UNIQUE INDEX persons_id_org_id ON persons (id, org_id);

CREATE TABLE cases (
    id                  uuid        NOT NULL PRIMARY KEY,
    org_id              uuid        NOT NULL,
    person_id           uuid        NOT NULL,
    number              text        COLLATE "C" NOT NULL,
    status              text        COLLATE "C" NOT NULL,
    closure_reason      text,
    trafficking_status  text,
    status_decided_by   text,
    exploitation_types  text        NOT NULL CHECK (json_typeof(exploitation_types::json) = 'array'),
    means_of_control    text        NOT NULL CHECK (json_typeof(means_of_control::json) = 'array'),
    recruitment         text,
    countries           text        NOT NULL CHECK (json_typeof(countries::json) = 'array'),
    places              text        NOT NULL CHECK (json_typeof(places::json) = 'array'),
    opened_on           date        NOT NULL,
    closed_on           date,
    assigned_to         uuid,
    restricted          boolean     NOT NULL,
    created_by          uuid        REFERENCES users (id),
    version             bigint      NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (assigned_to, org_id) REFERENCES users (id, org_id)
);
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
    case_id   uuid    NOT NULL,
    org_id    uuid    NOT NULL,
    user_id   uuid    NOT NULL,
    position  integer NOT NULL,
    PRIMARY KEY (case_id, user_id),
    FOREIGN KEY (case_id, org_id) REFERENCES cases (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
);
-- "Cases on my team".
CREATE INDEX case_team_user_id ON case_team (user_id, case_id);

-- Case number sequences: `next` is the number the next case of (org, year) gets.
CREATE TABLE case_counters (
    org_id  uuid    NOT NULL REFERENCES organisations (id),
    year    integer NOT NULL,
    next    bigint  NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- Blind-index tokens (keyed hashes of normalised name parts, phone, …): never plaintext.
CREATE TABLE person_search_tokens (
    org_id     uuid NOT NULL,
    token      text COLLATE "C" NOT NULL,
    person_id  uuid NOT NULL,
    PRIMARY KEY (person_id, token),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE
);
CREATE INDEX person_search_tokens_org_id_token ON person_search_tokens (org_id, token);

CREATE TABLE break_glass (
    id          uuid        NOT NULL PRIMARY KEY,
    org_id      uuid        NOT NULL,
    case_id     uuid        NOT NULL,
    user_id     uuid        NOT NULL,
    reason      bytea       NOT NULL,
    granted_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    FOREIGN KEY (case_id, org_id) REFERENCES cases (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
);
CREATE INDEX break_glass_case_id ON break_glass (case_id, expires_at);

CREATE TABLE consents (
    id                 uuid        NOT NULL PRIMARY KEY,
    org_id             uuid        NOT NULL,
    person_id          uuid        NOT NULL,
    recipient_partner  uuid,
    recipient_name     bytea,
    fields             text        NOT NULL CHECK (json_typeof(fields::json) = 'array'),
    purpose            bytea       NOT NULL,
    expires_on         date        NOT NULL,
    given_as           text        NOT NULL,
    given_at           timestamptz NOT NULL,
    recorded_by        uuid        REFERENCES users (id),
    revoked_at         timestamptz,
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE
);
CREATE INDEX consents_person_id ON consents (person_id, given_at);

CREATE TABLE outreach (
    id         uuid        NOT NULL PRIMARY KEY,
    org_id     uuid        NOT NULL,
    person_id  uuid        NOT NULL,
    channel    text        NOT NULL,
    at         timestamptz NOT NULL,
    by_id      uuid        REFERENCES users (id),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE
);
CREATE INDEX outreach_person_id ON outreach (person_id, at);

-- The erasure ledger. No foreign keys: the person is gone, and the ledger must survive
-- being re-applied to a restored backup (where the eraser may not exist yet).
CREATE TABLE erasures (
    person_id  uuid        NOT NULL PRIMARY KEY,
    org_id     uuid        NOT NULL,
    erased_at  timestamptz NOT NULL,
    erased_by  uuid,
    reason     bytea       NOT NULL
);

-- "Who saw this file": audit entries by target.
CREATE INDEX audit_events_target_id ON audit_events (target_id, org_id);
