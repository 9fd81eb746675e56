-- Amparo on SQLite: the first schema.
--
-- Conventions
--   ids          BLOB(16): random UUIDs, as sqlx encodes uuid::Uuid.
--   timestamps   INTEGER: microseconds since 1970-01-01T00:00:00Z (UTC). Exact round trips,
--                and ordering and comparison work on the plain integer.
--   booleans     INTEGER 0/1.
--   codes        TEXT, the `code()` strings of amparo-domain / amparo-store (role, language,
--                session stage, audit outcome). Kept in clear on purpose.
--   secrets      only as hashes (BLOB) or ciphertext (BLOB).
-- Tables are STRICT so a value of the wrong type is refused instead of silently converted.

CREATE TABLE organisations (
    id          BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX organisations_name ON organisations (name);

CREATE TABLE users (
    id                    BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id                BLOB    NOT NULL REFERENCES organisations (id),
    email                 TEXT    NOT NULL,
    name                  TEXT    NOT NULL,
    role                  TEXT    NOT NULL,
    language              TEXT    NOT NULL,
    password_hash         TEXT    NOT NULL,
    must_change_password  INTEGER NOT NULL CHECK (must_change_password IN (0, 1)),
    mfa_secret            BLOB,
    mfa_enrolled          INTEGER NOT NULL CHECK (mfa_enrolled IN (0, 1)),
    mfa_last_step         INTEGER,
    disabled              INTEGER NOT NULL CHECK (disabled IN (0, 1)),
    failed_logins         INTEGER NOT NULL,
    first_failed_at       INTEGER,
    locked_until          INTEGER,
    lock_count            INTEGER NOT NULL,
    version               INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
) STRICT;
-- Sign-in looks users up by email; emails are unique over the installation.
CREATE UNIQUE INDEX users_email ON users (email);
-- User management lists an organisation's users ordered by email.
CREATE INDEX users_org_id ON users (org_id, email);

CREATE TABLE sessions (
    id_hash       BLOB    NOT NULL PRIMARY KEY,
    user_id       BLOB    NOT NULL REFERENCES users (id),
    stage         TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
) STRICT;
-- "Sign out everywhere" ends every session of one user.
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE api_tokens (
    id            BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    user_id       BLOB    NOT NULL REFERENCES users (id),
    name          TEXT    NOT NULL,
    token_hash    BLOB    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
) STRICT;
-- Every API request finds its token by hash.
CREATE UNIQUE INDEX api_tokens_token_hash ON api_tokens (token_hash);
-- The token page lists a user's tokens.
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE setup_tokens (
    token_hash  BLOB    NOT NULL PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) STRICT;

-- The audit chain. Append-only by contract: the application never updates or deletes a row;
-- `amparo audit verify` recomputes every link, so an edit made behind its back shows.
-- No foreign keys: an entry must outlive whatever it names.
CREATE TABLE audit_events (
    seq          INTEGER NOT NULL PRIMARY KEY,
    at           INTEGER NOT NULL,
    org_id       BLOB,
    actor_id     BLOB,
    channel      TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    target_kind  TEXT,
    target_id    BLOB,
    outcome      TEXT    NOT NULL,
    detail       TEXT,
    prev_hash    BLOB    NOT NULL,
    hash         BLOB    NOT NULL
) STRICT;
-- The audit page shows one organisation's entries, newest first.
CREATE INDEX audit_events_org_id_seq ON audit_events (org_id, seq);

-- The chain's head: exactly one row. seq = 0 and the genesis hash (32 zero bytes) while the
-- chain is empty. Appenders read and move it inside a write transaction.
CREATE TABLE audit_head (
    id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  BLOB    NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, zeroblob(32));
