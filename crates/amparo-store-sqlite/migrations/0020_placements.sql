-- Placements: the organisation's sites and teams (prevention team, transitional living home,
-- refuge basic care, administration, community events), what each needs now, who is placed
-- (or proposed) where, and when each person can serve in the week.
--
-- In clear: what the matcher and the lists need (kinds, code names, region and programme
-- codes, languages with their minimum CEFR level, background and weekly slot codes, how many
-- people, dates, statuses, who confirmed). Sealed by the application: a need's notes, with
-- its site's own data key (wrapped by the organisation's key in `wrapped_key`), bound to this
-- table, the column and the need's id.

CREATE TABLE placement_sites (
    id           BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id       BLOB    NOT NULL REFERENCES organisations (id),
    kind         TEXT    NOT NULL,
    name         TEXT    NOT NULL CHECK (length(name) > 0),
    programme    TEXT,
    region       TEXT    NOT NULL,
    wrapped_key  BLOB    NOT NULL,
    created_by   BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (id, org_id),
    FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
) STRICT;
-- One name per organisation (the list, by name).
CREATE UNIQUE INDEX placement_sites_name ON placement_sites (org_id, name);

CREATE TABLE placement_needs (
    id           BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id       BLOB    NOT NULL,
    site_id      BLOB    NOT NULL,
    languages    TEXT    NOT NULL CHECK (json_valid(languages) AND json_type(languages) = 'array'),
    backgrounds  TEXT    NOT NULL CHECK (json_valid(backgrounds) AND json_type(backgrounds) = 'array'),
    slots        TEXT    NOT NULL CHECK (json_valid(slots) AND json_type(slots) = 'array'),
    people       INTEGER NOT NULL CHECK (people > 0),
    starts_on    INTEGER NOT NULL,
    ends_on      INTEGER CHECK (ends_on IS NULL OR ends_on >= starts_on),
    notes        BLOB,
    created_by   BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (id, site_id),
    FOREIGN KEY (site_id, org_id) REFERENCES placement_sites (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
) STRICT;
-- The needs of an organisation, by start.
CREATE INDEX placement_needs_org_id ON placement_needs (org_id, starts_on);

CREATE TABLE placements (
    id            BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id        BLOB    NOT NULL,
    site_id       BLOB    NOT NULL,
    need_id       BLOB,
    user_id       BLOB    NOT NULL,
    starts_on     INTEGER NOT NULL,
    ends_on       INTEGER CHECK (ends_on IS NULL OR ends_on >= starts_on),
    status        TEXT    NOT NULL CHECK (status IN ('proposed', 'confirmed', 'ended')),
    created_by    BLOB    NOT NULL,
    created_at    INTEGER NOT NULL,
    confirmed_by  BLOB,
    confirmed_at  INTEGER,
    ended_by      BLOB,
    ended_at      INTEGER,
    version       INTEGER NOT NULL CHECK (version > 0),
    updated_at    INTEGER NOT NULL,
    FOREIGN KEY (site_id, org_id) REFERENCES placement_sites (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (need_id, site_id) REFERENCES placement_needs (id, site_id),
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id),
    FOREIGN KEY (confirmed_by, org_id) REFERENCES users (id, org_id),
    FOREIGN KEY (ended_by, org_id) REFERENCES users (id, org_id)
) STRICT;
-- One placement not ended per person and site: two coordinators confirming at once never
-- both win.
CREATE UNIQUE INDEX placements_open_per_site ON placements (site_id, user_id) WHERE status <> 'ended';
-- A person's placements (their profile), a site's (its page).
CREATE INDEX placements_user_id ON placements (user_id, starts_on);
CREATE INDEX placements_org_id ON placements (org_id, starts_on);

CREATE TABLE placement_availability (
    user_id     BLOB    NOT NULL PRIMARY KEY CHECK (length(user_id) = 16),
    org_id      BLOB    NOT NULL,
    slots       TEXT    NOT NULL CHECK (json_valid(slots) AND json_type(slots) = 'array'),
    version     INTEGER NOT NULL CHECK (version > 0),
    updated_at  INTEGER NOT NULL,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE
) STRICT;
