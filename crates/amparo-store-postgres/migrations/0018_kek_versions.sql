-- Key rotation (docs/keys.md): each organisation's key-encryption-key versions. A KEK is an
-- HKDF subkey of the master key per organisation and version, so nothing secret is stored
-- here: only which version wraps new data keys (`active`), which ones rows are still being
-- moved away from (`retiring`), and which ones no row uses any more (`retired`). An
-- organisation without rows here is on version 1 (every installation's start).
--
-- Each wrapped data key records its version in its own first bytes (1: `01`; n >= 2:
-- `02` and n as 4 bytes big-endian), so no other table changes.
CREATE TABLE kek_versions (
    org_id      uuid        NOT NULL REFERENCES organisations (id),
    version     bigint      NOT NULL CHECK (version >= 1),
    state       text        NOT NULL CHECK (state IN ('active', 'retiring', 'retired')),
    created_at  timestamptz NOT NULL,
    retired_at  timestamptz,
    PRIMARY KEY (org_id, version)
);

-- One active version per organisation.
CREATE UNIQUE INDEX kek_versions_one_active ON kek_versions (org_id) WHERE state = 'active';
