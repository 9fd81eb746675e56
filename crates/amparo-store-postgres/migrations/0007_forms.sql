-- Configurable forms.
--
-- `form_configs`: every version of each form's configuration, per organisation, in clear
-- (it is configuration: which fields are hidden or required, their order and labels, the
-- custom fields). A change inserts the next version; the newest is the one in force and
-- the others are its history, never updated.
--
-- `organisation_settings`: what an administrator sets for the organisation (its word for
-- the people it serves). No row means every default.
--
-- `custom_values`: the custom-field values of one record (a person, a case, and later an
-- assessment or a service), sealed by the application with the person's data key as one
-- JSON document, bound to this table, the form and the record's id. They go with the
-- person on erasure, and with the case if the case is deleted (ON DELETE CASCADE).

CREATE TABLE form_configs (
    org_id      uuid        NOT NULL REFERENCES organisations (id),
    form        text        NOT NULL,
    version     bigint      NOT NULL CHECK (version > 0),
    config      text        NOT NULL,
    updated_by  uuid,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, form, version),
    FOREIGN KEY (updated_by, org_id) REFERENCES users (id, org_id)
);

CREATE TABLE organisation_settings (
    org_id       uuid        NOT NULL PRIMARY KEY REFERENCES organisations (id),
    people_word  text        NOT NULL,
    version      bigint      NOT NULL CHECK (version > 0),
    updated_by   uuid,
    updated_at   timestamptz NOT NULL,
    FOREIGN KEY (updated_by, org_id) REFERENCES users (id, org_id)
);

CREATE TABLE custom_values (
    form        text        NOT NULL,
    record_id   uuid        NOT NULL,
    org_id      uuid        NOT NULL,
    person_id   uuid        NOT NULL,
    case_id     uuid,
    content     bytea       NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (form, record_id),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (case_id, person_id, org_id) REFERENCES cases (id, person_id, org_id) ON DELETE CASCADE
);
-- The cascades on erasure and on deleting a case.
CREATE INDEX custom_values_person_id ON custom_values (person_id);
CREATE INDEX custom_values_case_id ON custom_values (case_id);
