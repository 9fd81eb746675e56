-- The people of the organisation: staff and volunteer profiles, their trainings, the
-- organisation's tenure-and-training access policy, and private self-care check-ins.
--
-- In clear: what the access gate and placement matching need (start date, languages with
-- their CEFR level, background codes, training course codes and dates, the policy). Sealed
-- by the application: availability (free text), and every check-in's answers and results.
--
-- Check-ins are a store of their own: each person has a data key of their own here
-- (`wellbeing_keys`, wrapped under the organisation's key-encryption key, bound to this
-- table and the user id); only that person's own reads open their rows. Deleting the key
-- shreds their check-ins. The period (YYYY-MM) is in clear so that respondents can be
-- counted before anything is opened.

CREATE TABLE staff_profiles (
    user_id       BLOB    NOT NULL PRIMARY KEY CHECK (length(user_id) = 16),
    org_id        BLOB    NOT NULL,
    start_date    INTEGER,
    languages     TEXT    NOT NULL CHECK (json_type(languages) = 'array'),
    backgrounds   TEXT    NOT NULL CHECK (json_type(backgrounds) = 'array'),
    availability  BLOB,
    version       INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE staff_trainings (
    id            BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id        BLOB    NOT NULL,
    user_id       BLOB    NOT NULL,
    course        TEXT    NOT NULL,
    completed_on  INTEGER NOT NULL,
    expires_on    INTEGER,
    recorded_by   BLOB,
    recorded_at   INTEGER NOT NULL,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE
) STRICT;
-- A person's trainings (their profile and the access gate on every request).
CREATE INDEX staff_trainings_user_id ON staff_trainings (user_id, completed_on);

CREATE TABLE staff_access_policies (
    org_id            BLOB    NOT NULL PRIMARY KEY REFERENCES organisations (id),
    months            INTEGER NOT NULL CHECK (months BETWEEN 0 AND 60),
    required_courses  TEXT    NOT NULL CHECK (json_type(required_courses) = 'array'),
    roles             TEXT    NOT NULL CHECK (json_type(roles) = 'array'),
    version           INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE wellbeing_keys (
    user_id      BLOB NOT NULL PRIMARY KEY CHECK (length(user_id) = 16),
    org_id       BLOB NOT NULL,
    wrapped_key  BLOB NOT NULL,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE wellbeing_checkins (
    id                  BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id              BLOB    NOT NULL,
    user_id             BLOB    NOT NULL REFERENCES wellbeing_keys (user_id) ON DELETE CASCADE,
    instrument          TEXT    NOT NULL,
    instrument_version  TEXT    NOT NULL,
    period              TEXT    NOT NULL CHECK (length(period) = 7),
    taken_at            INTEGER NOT NULL,
    sealed              BLOB    NOT NULL
) STRICT;
-- One's own history.
CREATE INDEX wellbeing_checkins_user_id_taken_at ON wellbeing_checkins (user_id, taken_at);
-- The aggregate of a period.
CREATE INDEX wellbeing_checkins_org_id_period ON wellbeing_checkins (org_id, instrument, period);
