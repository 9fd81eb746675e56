-- Outreach and training events: prevention talks, workshops, trainings for professionals,
-- community events. Organisation data, not a survivor's record.
--
-- In clear: the codes and counts the reports add up (kind, date, region, setting, audiences,
-- attendance, materials, languages) and which staff member recorded or last changed it.
-- Sealed by the application with the event's own data key (wrapped by the organisation's key
-- in `wrapped_key`): `notes`, bound to this table, its column and the row's id. Free text can
-- name a school, a contact or someone who spoke up afterwards.

CREATE TABLE outreach_events (
    id                BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id            BLOB    NOT NULL REFERENCES organisations (id),
    kind              TEXT    NOT NULL,
    held_on           INTEGER NOT NULL,
    region            TEXT    NOT NULL,
    setting           TEXT    NOT NULL,
    audiences         TEXT    NOT NULL CHECK (json_valid(audiences) AND json_type(audiences) = 'array'),
    attendance_total  INTEGER NOT NULL CHECK (attendance_total >= 0),
    attendance_women  INTEGER CHECK (attendance_women >= 0),
    attendance_men    INTEGER CHECK (attendance_men >= 0),
    attendance_youth  INTEGER CHECK (attendance_youth >= 0),
    materials         TEXT    NOT NULL CHECK (json_valid(materials) AND json_type(materials) = 'array'),
    languages         TEXT    NOT NULL CHECK (json_valid(languages) AND json_type(languages) = 'array'),
    wrapped_key       BLOB    NOT NULL,
    notes             BLOB,
    created_by        BLOB    NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_by        BLOB    NOT NULL,
    version           INTEGER NOT NULL CHECK (version > 0),
    updated_at        INTEGER NOT NULL,
    CHECK (coalesce(attendance_women, 0) + coalesce(attendance_men, 0) <= attendance_total),
    CHECK (coalesce(attendance_youth, 0) <= attendance_total),
    FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id),
    FOREIGN KEY (updated_by, org_id) REFERENCES users (id, org_id)
) STRICT;
-- The list: an organisation's events by date.
CREATE INDEX outreach_events_by_date ON outreach_events (org_id, held_on);
