-- Erasure needs two people: an administrator asks, a supervisor decides. The request stays
-- as the record of that decision after the person is gone (so it references no person row).
CREATE TABLE erasure_requests (
    id            BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id        BLOB    NOT NULL REFERENCES organisations (id),
    person_id     BLOB    NOT NULL CHECK (length(person_id) = 16),
    requested_by  BLOB    NOT NULL,
    reason        BLOB    NOT NULL,
    requested_at  INTEGER NOT NULL,
    decided_by    BLOB,
    decided_at    INTEGER,
    approved      INTEGER CHECK (approved IN (0, 1))
) STRICT;

CREATE INDEX erasure_requests_org ON erasure_requests (org_id, requested_at);
