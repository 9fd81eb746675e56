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
    org_id      BLOB    NOT NULL REFERENCES organisations (id),
    form        TEXT    NOT NULL,
    version     INTEGER NOT NULL CHECK (version > 0),
    config      TEXT    NOT NULL,
    updated_by  BLOB,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (org_id, form, version),
    FOREIGN KEY (updated_by, org_id) REFERENCES users (id, org_id)
) STRICT;

CREATE TABLE organisation_settings (
    org_id       BLOB    NOT NULL PRIMARY KEY REFERENCES organisations (id),
    people_word  TEXT    NOT NULL,
    version      INTEGER NOT NULL CHECK (version > 0),
    updated_by   BLOB,
    updated_at   INTEGER NOT NULL,
    FOREIGN KEY (updated_by, org_id) REFERENCES users (id, org_id)
) STRICT;

CREATE TABLE custom_values (
    form        TEXT    NOT NULL,
    record_id   BLOB    NOT NULL CHECK (length(record_id) = 16),
    org_id      BLOB    NOT NULL,
    person_id   BLOB    NOT NULL,
    case_id     BLOB,
    content     BLOB    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (form, record_id),
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (case_id, person_id, org_id) REFERENCES cases (id, person_id, org_id) ON DELETE CASCADE
) STRICT;
-- The cascades on erasure and on deleting a case.
CREATE INDEX custom_values_person_id ON custom_values (person_id);
CREATE INDEX custom_values_case_id ON custom_values (case_id);
