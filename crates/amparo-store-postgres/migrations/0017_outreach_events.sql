-- Outreach and training events: prevention talks, workshops, trainings for professionals,
-- community events. Organisation data, not a survivor's record.
--
-- In clear: the codes and counts the reports add up (kind, date, region, setting, audiences,
-- attendance, materials, languages) and which staff member recorded or last changed it.
-- Sealed by the application with the event's own data key (wrapped by the organisation's key
-- in `wrapped_key`): `notes`, bound to this table, its column and the row's id. Free text can
-- name a school, a contact or someone who spoke up afterwards.

CREATE TABLE outreach_events (
    id                uuid        NOT NULL PRIMARY KEY,
    org_id            uuid        NOT NULL REFERENCES organisations (id),
    kind              text        NOT NULL,
    held_on           date        NOT NULL,
    region            text        NOT NULL,
    setting           text        NOT NULL,
    audiences         text        NOT NULL CHECK (json_typeof(audiences::json) = 'array'),
    attendance_total  bigint      NOT NULL CHECK (attendance_total >= 0),
    attendance_women  bigint      CHECK (attendance_women >= 0),
    attendance_men    bigint      CHECK (attendance_men >= 0),
    attendance_youth  bigint      CHECK (attendance_youth >= 0),
    materials         text        NOT NULL CHECK (json_typeof(materials::json) = 'array'),
    languages         text        NOT NULL CHECK (json_typeof(languages::json) = 'array'),
    wrapped_key       bytea       NOT NULL,
    notes             bytea,
    created_by        uuid        NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_by        uuid        NOT NULL,
    version           bigint      NOT NULL CHECK (version > 0),
    updated_at        timestamptz NOT NULL,
    CHECK (coalesce(attendance_women, 0) + coalesce(attendance_men, 0) <= attendance_total),
    CHECK (coalesce(attendance_youth, 0) <= attendance_total),
    FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id),
    FOREIGN KEY (updated_by, org_id) REFERENCES users (id, org_id)
);
-- The list: an organisation's events by date.
CREATE INDEX outreach_events_by_date ON outreach_events (org_id, held_on);
