-- Erasure needs two people: an administrator asks, a supervisor decides. The request stays
-- as the record of that decision after the person is gone (so it references no person row).
CREATE TABLE erasure_requests (
    id            uuid        NOT NULL PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES organisations (id),
    person_id     uuid        NOT NULL,
    requested_by  uuid        NOT NULL,
    reason        bytea       NOT NULL,
    requested_at  timestamptz NOT NULL,
    decided_by    uuid,
    decided_at    timestamptz,
    approved      boolean
);

CREATE INDEX erasure_requests_org ON erasure_requests (org_id, requested_at);
