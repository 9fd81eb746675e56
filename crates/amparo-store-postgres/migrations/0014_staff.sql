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
    user_id       uuid        NOT NULL PRIMARY KEY,
    org_id        uuid        NOT NULL,
    start_date    date,
    languages     text        NOT NULL CHECK (json_typeof(languages::json) = 'array'),
    backgrounds   text        NOT NULL CHECK (json_typeof(backgrounds::json) = 'array'),
    availability  bytea,
    version       bigint      NOT NULL,
    updated_at    timestamptz NOT NULL,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE
);

CREATE TABLE staff_trainings (
    id            uuid        NOT NULL PRIMARY KEY,
    org_id        uuid        NOT NULL,
    user_id       uuid        NOT NULL,
    course        text        COLLATE "C" NOT NULL,
    completed_on  date        NOT NULL,
    expires_on    date,
    recorded_by   uuid,
    recorded_at   timestamptz NOT NULL,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE
);
-- A person's trainings (their profile and the access gate on every request).
CREATE INDEX staff_trainings_user_id ON staff_trainings (user_id, completed_on);

CREATE TABLE staff_access_policies (
    org_id            uuid        NOT NULL PRIMARY KEY REFERENCES organisations (id),
    months            integer     NOT NULL CHECK (months BETWEEN 0 AND 60),
    required_courses  text        NOT NULL CHECK (json_typeof(required_courses::json) = 'array'),
    roles             text        NOT NULL CHECK (json_typeof(roles::json) = 'array'),
    version           bigint      NOT NULL,
    updated_at        timestamptz NOT NULL
);

CREATE TABLE wellbeing_keys (
    user_id      uuid NOT NULL PRIMARY KEY,
    org_id       uuid NOT NULL,
    wrapped_key  bytea NOT NULL,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE
);

CREATE TABLE wellbeing_checkins (
    id                  uuid        NOT NULL PRIMARY KEY,
    org_id              uuid        NOT NULL,
    user_id             uuid        NOT NULL REFERENCES wellbeing_keys (user_id) ON DELETE CASCADE,
    instrument          text        COLLATE "C" NOT NULL,
    instrument_version  text        NOT NULL,
    period              text        COLLATE "C" NOT NULL CHECK (length(period) = 7),
    taken_at            timestamptz NOT NULL,
    sealed              bytea       NOT NULL
);
-- One's own history.
CREATE INDEX wellbeing_checkins_user_id_taken_at ON wellbeing_checkins (user_id, taken_at);
-- The aggregate of a period.
CREATE INDEX wellbeing_checkins_org_id_period ON wellbeing_checkins (org_id, instrument, period);
