-- Amparo on PostgreSQL: the first schema.
--
-- Conventions
--   ids          uuid: random UUIDs.
--   timestamps   timestamptz (microsecond precision).
--   codes        text, the `code()` strings of amparo-domain / amparo-store (role, language,
--                session stage, audit outcome). Kept in clear on purpose.
--   secrets      only as hashes (bytea) or ciphertext (bytea).
--   names/emails COLLATE "C": compared and ordered byte by byte, as SQLite does.
-- Tables are created in the connection's search_path (a dedicated schema in tests).

CREATE TABLE organisations (
    id          uuid        NOT NULL PRIMARY KEY,
    name        text        COLLATE "C" NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (name);

CREATE TABLE users (
    id                    uuid        NOT NULL PRIMARY KEY,
    org_id                uuid        NOT NULL REFERENCES organisations (id),
    email                 text        COLLATE "C" NOT NULL,
    name                  text        NOT NULL,
    role                  text        NOT NULL,
    language              text        NOT NULL,
    password_hash         text        NOT NULL,
    must_change_password  boolean     NOT NULL,
    mfa_secret            bytea,
    mfa_enrolled          boolean     NOT NULL,
    mfa_last_step         bigint,
    disabled              boolean     NOT NULL,
    failed_logins         integer     NOT NULL,
    first_failed_at       timestamptz,
    locked_until          timestamptz,
    lock_count            integer     NOT NULL,
    version               bigint      NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
-- Sign-in looks users up by email; emails are unique over the installation.
CREATE UNIQUE INDEX users_email ON users (email);
-- User management lists an organisation's users ordered by email.
CREATE INDEX users_org_id ON users (org_id, email);

CREATE TABLE sessions (
    id_hash       bytea       NOT NULL PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id),
    stage         text        NOT NULL,
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL
);
-- "Sign out everywhere" ends every session of one user.
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE api_tokens (
    id            uuid        NOT NULL PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id),
    name          text        NOT NULL,
    token_hash    bytea       NOT NULL,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
-- Every API request finds its token by hash.
CREATE UNIQUE INDEX api_tokens_token_hash ON api_tokens (token_hash);
-- The token page lists a user's tokens.
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE setup_tokens (
    token_hash  bytea       NOT NULL PRIMARY KEY,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- The audit chain. Append-only by contract: the application never updates or deletes a row;
-- `amparo audit verify` recomputes every link, so an edit made behind its back shows.
-- No foreign keys: an entry must outlive whatever it names.
CREATE TABLE audit_events (
    seq          bigint      NOT NULL PRIMARY KEY,
    at           timestamptz NOT NULL,
    org_id       uuid,
    actor_id     uuid,
    channel      text        NOT NULL,
    action       text        NOT NULL,
    target_kind  text,
    target_id    uuid,
    outcome      text        NOT NULL,
    detail       text,
    prev_hash    bytea       NOT NULL,
    hash         bytea       NOT NULL
);
-- The audit page shows one organisation's entries, newest first.
CREATE INDEX audit_events_org_id_seq ON audit_events (org_id, seq);

-- The chain's head: exactly one row. seq = 0 and the genesis hash (32 zero bytes) while the
-- chain is empty. Appenders lock it (SELECT ... FOR UPDATE), so appenders in any number of
-- processes form one chain.
CREATE TABLE audit_head (
    id    smallint NOT NULL PRIMARY KEY CHECK (id = 1),
    seq   bigint   NOT NULL,
    hash  bytea    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));
