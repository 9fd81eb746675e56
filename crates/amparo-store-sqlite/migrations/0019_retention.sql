-- Retention: the organisation's rules (off until an administrator sets them), a marker where
-- a run purged a field (so the pages say "removed by retention policy on DATE" instead of a
-- blank), and the runs. Ids, codes, dates and counts only: nothing purged is kept here.
--
-- Conventions as in 0002 (timestamps INTEGER microseconds, ids 16-byte BLOBs).

CREATE TABLE retention_rules (
    org_id      BLOB    NOT NULL REFERENCES organisations (id),
    rule        TEXT    NOT NULL CHECK (rule IN ('person.narrative', 'person.safe_contact', 'case.notes',
                                                 'person.erase')),
    months      INTEGER NOT NULL CHECK (months BETWEEN 1 AND 1200),
    updated_by  BLOB,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (org_id, rule),
    FOREIGN KEY (updated_by, org_id) REFERENCES users (id, org_id)
) STRICT;

-- One marker per purged field; it goes with the person when they are erased.
CREATE TABLE retention_purges (
    person_id  BLOB    NOT NULL,
    org_id     BLOB    NOT NULL,
    record_id  BLOB    NOT NULL CHECK (length(record_id) = 16),
    rule       TEXT    NOT NULL,
    purged_at  INTEGER NOT NULL,
    PRIMARY KEY (person_id, record_id, rule),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE retention_runs (
    id       BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id   BLOB    NOT NULL REFERENCES organisations (id),
    ran_at   INTEGER NOT NULL,
    ran_by   BLOB,
    channel  TEXT    NOT NULL,
    counts   TEXT    NOT NULL CHECK (json_valid(counts) AND json_type(counts) = 'object'),
    FOREIGN KEY (ran_by, org_id) REFERENCES users (id, org_id)
) STRICT;
-- The last runs, newest first.
CREATE INDEX retention_runs_org_id_ran_at ON retention_runs (org_id, ran_at);
-- Closed cases by closing day: what a rule finds due without reading every case.
CREATE INDEX cases_org_id_closed_on ON cases (org_id, closed_on) WHERE closed_on IS NOT NULL;
