-- Shelter beds: refuges and transitional homes, their beds (grouped by room), stays, a
-- waiting list, house rules per language (versioned), and a daily house log.
--
-- In clear: what occupancy, availability and reports need — house name (a code name) and
-- kind, eligibility codes, room and bed labels, dates, check-out reasons, priorities.
-- Sealed by the application with the house's own data key (`wrapped_key`, wrapped by the
-- organisation's KEK), each bound to its table, column and row: the address (a shelter's
-- location identifies everyone in it), the rules, the log, and waiting-list notes.
--
-- No double booking: at most one open stay per bed and per person, enforced by partial
-- unique indexes, so two check-ins racing for one bed cannot both commit. Stays and
-- waiting-list entries go with their person on erasure (ON DELETE CASCADE).

CREATE TABLE shelter_houses (
    id           uuid    NOT NULL PRIMARY KEY,
    org_id       uuid    NOT NULL REFERENCES organisations (id),
    name         text COLLATE "C" NOT NULL,
    kind         text COLLATE "C" NOT NULL CHECK (kind IN ('refuge', 'transitional')),
    eligibility  text    NOT NULL CHECK (json_typeof(eligibility::json) = 'array'),
    wrapped_key  bytea    NOT NULL,
    address      bytea,
    created_by   uuid,
    created_at   timestamptz NOT NULL,
    version      bigint NOT NULL,
    FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
);
CREATE UNIQUE INDEX shelter_houses_id_org_id ON shelter_houses (id, org_id);
CREATE INDEX shelter_houses_org_id ON shelter_houses (org_id, name);

CREATE TABLE shelter_beds (
    id          uuid    NOT NULL PRIMARY KEY,
    house_id    uuid    NOT NULL,
    org_id      uuid    NOT NULL,
    room        text COLLATE "C" NOT NULL,
    label       text COLLATE "C" NOT NULL,
    created_at  timestamptz NOT NULL,
    FOREIGN KEY (house_id, org_id) REFERENCES shelter_houses (id, org_id)
);
CREATE UNIQUE INDEX shelter_beds_id_house_id ON shelter_beds (id, house_id);
CREATE UNIQUE INDEX shelter_beds_label ON shelter_beds (house_id, room, label);
CREATE INDEX shelter_beds_org_id ON shelter_beds (org_id);

CREATE TABLE shelter_stays (
    id               uuid    NOT NULL PRIMARY KEY,
    org_id           uuid    NOT NULL,
    house_id         uuid    NOT NULL,
    bed_id           uuid    NOT NULL,
    person_id        uuid    NOT NULL,
    -- A case of the same person (checked by the store); erasure takes the stay anyway.
    case_id          uuid    REFERENCES cases (id) ON DELETE SET NULL,
    checked_in_at    timestamptz NOT NULL,
    checked_in_by    uuid,
    rules_language   text COLLATE "C",
    rules_version    bigint,
    checked_out_at   timestamptz,
    checked_out_by   uuid,
    checkout_reason  text COLLATE "C" CHECK (checkout_reason IN
                         ('moved_on', 'transferred', 'left_without_notice', 'rule_breach', 'other')),
    CHECK ((checked_out_at IS NULL) = (checkout_reason IS NULL)),
    FOREIGN KEY (bed_id, house_id) REFERENCES shelter_beds (id, house_id),
    FOREIGN KEY (house_id, org_id) REFERENCES shelter_houses (id, org_id),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (checked_in_by, org_id) REFERENCES users (id, org_id),
    FOREIGN KEY (checked_out_by, org_id) REFERENCES users (id, org_id)
);
-- One person per bed, one bed per person, at any time.
CREATE UNIQUE INDEX shelter_stays_open_bed ON shelter_stays (bed_id) WHERE checked_out_at IS NULL;
CREATE UNIQUE INDEX shelter_stays_open_person ON shelter_stays (person_id) WHERE checked_out_at IS NULL;
CREATE INDEX shelter_stays_person_id ON shelter_stays (person_id, checked_in_at);
CREATE INDEX shelter_stays_org_open ON shelter_stays (org_id) WHERE checked_out_at IS NULL;
CREATE INDEX shelter_stays_case_id ON shelter_stays (case_id) WHERE case_id IS NOT NULL;

CREATE TABLE shelter_waitlist (
    id            uuid    NOT NULL PRIMARY KEY,
    org_id        uuid    NOT NULL,
    house_id      uuid    NOT NULL,
    person_id     uuid    NOT NULL,
    requested_on  date NOT NULL,
    priority      text COLLATE "C" NOT NULL CHECK (priority IN ('urgent', 'normal')),
    notes         bytea,
    status        text COLLATE "C" NOT NULL CHECK (status IN ('waiting', 'placed', 'withdrawn')),
    added_by      uuid,
    added_at      timestamptz NOT NULL,
    closed_at     timestamptz,
    FOREIGN KEY (house_id, org_id) REFERENCES shelter_houses (id, org_id),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (added_by, org_id) REFERENCES users (id, org_id)
);
CREATE INDEX shelter_waitlist_house ON shelter_waitlist (house_id, status, priority, requested_on);
CREATE INDEX shelter_waitlist_person_id ON shelter_waitlist (person_id);

CREATE TABLE shelter_rules (
    house_id    uuid    NOT NULL,
    org_id      uuid    NOT NULL,
    language    text COLLATE "C" NOT NULL,
    version     bigint NOT NULL CHECK (version >= 1),
    text        bytea    NOT NULL,
    written_by  uuid,
    written_at  timestamptz NOT NULL,
    PRIMARY KEY (house_id, language, version),
    FOREIGN KEY (house_id, org_id) REFERENCES shelter_houses (id, org_id),
    FOREIGN KEY (written_by, org_id) REFERENCES users (id, org_id)
);

CREATE TABLE shelter_log (
    id          uuid    NOT NULL PRIMARY KEY,
    house_id    uuid    NOT NULL,
    org_id      uuid    NOT NULL,
    on_date     date NOT NULL,
    text        bytea    NOT NULL,
    written_by  uuid,
    written_at  timestamptz NOT NULL,
    FOREIGN KEY (house_id, org_id) REFERENCES shelter_houses (id, org_id),
    FOREIGN KEY (written_by, org_id) REFERENCES users (id, org_id)
);
CREATE INDEX shelter_log_house ON shelter_log (house_id, on_date, written_at);

