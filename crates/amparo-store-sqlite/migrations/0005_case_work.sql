-- Case work: the entries of a case (needs assessments, goals, services, appointments,
-- milestones, legal relief, notes) in one table, tasks in another, and each case's last
-- contact for "no contact for N days".
--
-- Conventions as in 0002: dates INTEGER days since 1970-01-01, sealed BLOBs ciphertext under
-- the person's data key. Everything cascades from the case or person, so erasure takes it.

-- Set by the application when a service, a contact or outreach note, an attended appointment
-- or an outreach log is written; never moves back.
ALTER TABLE cases ADD COLUMN last_contact_on INTEGER;
-- "Cases without contact since D" over the organisation, answered from the index alone.
CREATE INDEX cases_org_id_last_contact_on ON cases (org_id, last_contact_on, status, restricted, id);
-- The few restricted cases, so that lists and counts over the organisation can leave out those a
-- reader is not named on without reading every case.
CREATE INDEX cases_restricted_org_id_status ON cases (org_id, status, id) WHERE restricted = 1;

CREATE TABLE case_entries (
    id          BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id      BLOB    NOT NULL,
    case_id     BLOB    NOT NULL,
    person_id   BLOB    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('need_assessment', 'goal', 'service', 'appointment',
                                                 'milestone', 'legal_relief', 'note')),
    code        TEXT,
    status      TEXT,
    on_date     INTEGER NOT NULL,
    due_on      INTEGER,
    minutes     INTEGER CHECK (minutes IS NULL OR minutes >= 0),
    staff_id    BLOB,
    coded       TEXT    NOT NULL CHECK (json_valid(coded)),
    sealed      BLOB,
    restricted  BLOB,
    version     INTEGER NOT NULL,
    created_by  BLOB    REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- The person is the case's (checked when an entry is written); the case cascades, so a
    -- second foreign key to persons would only cost an index.
    FOREIGN KEY (case_id, org_id) REFERENCES cases (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (staff_id, org_id) REFERENCES users (id, org_id)
) STRICT;
-- A case's timeline, in date order (also the cascade from cases).
CREATE INDEX case_entries_case_id_on_date ON case_entries (case_id, on_date);
-- Reports: services, milestones, relief by kind and date; and by code (category) and date.
CREATE INDEX case_entries_org_id_kind_on_date ON case_entries (org_id, kind, on_date);
CREATE INDEX case_entries_org_id_kind_code_on_date ON case_entries (org_id, kind, code, on_date);

CREATE TABLE tasks (
    id           BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id       BLOB    NOT NULL,
    person_id    BLOB    NOT NULL,
    case_id      BLOB,
    kind         TEXT    NOT NULL,
    source_id    BLOB,
    due_on       INTEGER NOT NULL,
    assigned_to  BLOB,
    title        BLOB,
    done_at      INTEGER,
    done_by      BLOB    REFERENCES users (id),
    version      INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (case_id, org_id) REFERENCES cases (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (assigned_to, org_id) REFERENCES users (id, org_id)
) STRICT;
-- One derived task per source and kind: recomputing is an upsert. (Manual tasks have no source.)
CREATE UNIQUE INDEX tasks_source_id_kind ON tasks (source_id, kind);
-- Open tasks due before D, for the organisation (supervisors) …
CREATE INDEX tasks_open_org_id_due_on ON tasks (org_id, due_on, kind, case_id) WHERE done_at IS NULL;
-- … for the cases of a team member (through case_team) …
CREATE INDEX tasks_open_case_id_due_on ON tasks (case_id, due_on) WHERE done_at IS NULL AND case_id IS NOT NULL;
-- … and assigned to someone.
CREATE INDEX tasks_open_assigned_to_due_on ON tasks (assigned_to, due_on)
    WHERE done_at IS NULL AND assigned_to IS NOT NULL;
-- Cascade from persons.
CREATE INDEX tasks_person_id ON tasks (person_id);
