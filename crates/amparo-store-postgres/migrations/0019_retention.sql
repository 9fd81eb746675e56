-- Retention: the organisation's rules (off until an administrator sets them), a marker where
-- a run purged a field (so the pages say "removed by retention policy on DATE" instead of a
-- blank), and the runs. Ids, codes, dates and counts only: nothing purged is kept here.

CREATE TABLE retention_rules (
    org_id      uuid        NOT NULL REFERENCES organisations (id),
    rule        text        NOT NULL CHECK (rule IN ('person.narrative', 'person.safe_contact', 'case.notes',
                                                     'person.erase')),
    months      bigint      NOT NULL CHECK (months BETWEEN 1 AND 1200),
    updated_by  uuid,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, rule),
    FOREIGN KEY (updated_by, org_id) REFERENCES users (id, org_id)
);

-- One marker per purged field; it goes with the person when they are erased.
CREATE TABLE retention_purges (
    person_id  uuid        NOT NULL,
    org_id     uuid        NOT NULL,
    record_id  uuid        NOT NULL,
    rule       text        NOT NULL,
    purged_at  timestamptz NOT NULL,
    PRIMARY KEY (person_id, record_id, rule),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE
);

CREATE TABLE retention_runs (
    id       uuid        NOT NULL PRIMARY KEY,
    org_id   uuid        NOT NULL REFERENCES organisations (id),
    ran_at   timestamptz NOT NULL,
    ran_by   uuid,
    channel  text        NOT NULL,
    counts   text        NOT NULL CHECK (json_typeof(counts::json) = 'object'),
    FOREIGN KEY (ran_by, org_id) REFERENCES users (id, org_id)
);
-- The last runs, newest first.
CREATE INDEX retention_runs_org_id_ran_at ON retention_runs (org_id, ran_at);
-- Closed cases by closing day: what a rule finds due without reading every case.
CREATE INDEX cases_org_id_closed_on ON cases (org_id, closed_on) WHERE closed_on IS NOT NULL;
