-- A case's status over time: one row each time its status changes (the first is its status
-- when opened). Recovery is not linear: a case closed and opened again shows both, for the
-- timeline. Codes and dates only; the rows go with the case (and with the person on erasure).

CREATE TABLE case_status_changes (
    case_id         uuid        NOT NULL,
    org_id          uuid        NOT NULL,
    seq             bigint      NOT NULL CHECK (seq > 0),
    status          text        NOT NULL,
    closure_reason  text,
    on_date         date        NOT NULL,
    changed_by      uuid,
    changed_at      timestamptz NOT NULL,
    PRIMARY KEY (case_id, seq),
    FOREIGN KEY (case_id, org_id) REFERENCES cases (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (changed_by, org_id) REFERENCES users (id, org_id)
);
