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
    id                BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id            BLOB    NOT NULL,
    person_id         BLOB    NOT NULL,
    version           INTEGER NOT NULL CHECK (version > 0),
    language          TEXT    NOT NULL CHECK (language IN ('es', 'en')),
    show_agency_name  INTEGER NOT NULL CHECK (show_agency_name IN (0, 1)),
    content           BLOB    NOT NULL,
    created_by        BLOB,
    created_at        INTEGER NOT NULL,
    UNIQUE (person_id, version),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
) STRICT;

CREATE TABLE crisis_contacts (
    id           BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id       BLOB    NOT NULL,
    person_id    BLOB    NOT NULL,
    occurred_at  INTEGER NOT NULL,
    content      BLOB    NOT NULL,
    created_by   BLOB,
    created_at   INTEGER NOT NULL,
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
) STRICT;
-- A person's log, most recent first (also the cascade on erasure).
CREATE INDEX crisis_contacts_person_id ON crisis_contacts (person_id, occurred_at);
