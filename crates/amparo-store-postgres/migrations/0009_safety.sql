-- Safety plans and the crisis log.
--
-- `safety_plans`: every version of a person's safety plan. A save inserts the next version
-- (one more than the newest); no version is ever updated, so who changed what and when is
-- the table itself. In clear: the person, the version, the language the survivor chose for
-- the printed plan, whether the agency's name may be printed, who saved it and when. Sealed
-- by the application with the person's data key: `content` (JSON: the plan's texts), bound
-- to this table, its column and the row's id.
--
-- `crisis_contacts`: the crisis log. In clear: when it happened, who logged it and when.
-- Sealed: `content` (JSON: what happened in a few words, actions taken, referrals made).
--
-- Both go with the person on erasure (ON DELETE CASCADE).

CREATE TABLE safety_plans (
    id                uuid        NOT NULL PRIMARY KEY,
    org_id            uuid        NOT NULL,
    person_id         uuid        NOT NULL,
    version           bigint      NOT NULL CHECK (version > 0),
    language          text        NOT NULL CHECK (language IN ('es', 'en')),
    show_agency_name  boolean     NOT NULL,
    content           bytea       NOT NULL,
    created_by        uuid,
    created_at        timestamptz NOT NULL,
    UNIQUE (person_id, version),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
);

CREATE TABLE crisis_contacts (
    id           uuid        NOT NULL PRIMARY KEY,
    org_id       uuid        NOT NULL,
    person_id    uuid        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    content      bytea       NOT NULL,
    created_by   uuid,
    created_at   timestamptz NOT NULL,
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
);
-- A person's log, most recent first (also the cascade on erasure).
CREATE INDEX crisis_contacts_person_id ON crisis_contacts (person_id, occurred_at);
