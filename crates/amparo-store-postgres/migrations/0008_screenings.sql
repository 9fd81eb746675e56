-- Screenings: an instrument (PHQ-9, GAD-7, PCL-5, the trafficking indicator screen, …)
-- answered with a person, maybe for one of their cases.
--
-- In clear: what trends, alerts and reports need — the instrument and its version, the day
-- and time, who took it, the total, the band, the flags (JSON array) and the rest of the
-- coded result (JSON object: cluster sums, cut-off and rule outcomes, the cut-offs applied).
-- Sealed by the application with the person's data key, bound to this table, column and
-- row: `answers` (JSON), health data about the person.
--
-- A screening goes with its person on erasure and with its case (ON DELETE CASCADE); a
-- case-bound screening must name the case's own person and organisation (the foreign key
-- checks all three together, on the index made for documents in 0006).

CREATE TABLE screenings (
    id                  uuid        NOT NULL PRIMARY KEY,
    org_id              uuid        NOT NULL,
    person_id           uuid        NOT NULL,
    case_id             uuid,
    instrument          text        COLLATE "C" NOT NULL,
    instrument_version  text        NOT NULL,
    taken_on            date        NOT NULL,
    taken_at            timestamptz NOT NULL,
    taken_by            uuid,
    total               integer     NOT NULL CHECK (total >= 0),
    band                text        COLLATE "C",
    flags               text        NOT NULL CHECK (json_typeof(flags::json) = 'array'),
    coded               text        NOT NULL CHECK (json_typeof(coded::json) = 'object'),
    answers             bytea       NOT NULL,
    version             bigint      NOT NULL,
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (case_id, person_id, org_id) REFERENCES cases (id, person_id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (taken_by, org_id) REFERENCES users (id, org_id)
);
-- A person's screenings in time order (their list and trends; also the cascade on erasure).
CREATE INDEX screenings_person_id_taken_at ON screenings (person_id, taken_at);
-- The cascade when a case goes.
CREATE INDEX screenings_case_id ON screenings (case_id) WHERE case_id IS NOT NULL;
-- Reports: an organisation's screenings by instrument and day.
CREATE INDEX screenings_org_id_instrument_taken_on ON screenings (org_id, instrument, taken_on);
