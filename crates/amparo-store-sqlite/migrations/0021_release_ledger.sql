-- The privacy-budget ledger of differentially private releases (docs/release.md): one row
-- per release an organisation made. Parameters, never source data: ε, δ, the ρ (zCDP) and
-- noise scale behind them, how many tables, when and by whom (NULL: the operator at the
-- command line), and the published file itself (noisy counts only, already public, kept so
-- that it can be downloaded again without spending more). The budget is per calendar year,
-- so the ledger is read by date.

CREATE TABLE release_ledger (
    id           BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id       BLOB    NOT NULL REFERENCES organisations (id),
    created_at   INTEGER NOT NULL,
    epsilon      REAL    NOT NULL CHECK (epsilon > 0),
    delta        REAL    NOT NULL CHECK (delta > 0 AND delta < 1),
    rho          REAL    NOT NULL CHECK (rho > 0),
    noise_scale  REAL    NOT NULL CHECK (noise_scale > 0),
    tables       INTEGER NOT NULL CHECK (tables > 0),
    made_by      BLOB,
    document     TEXT    NOT NULL CHECK (json_valid(document)),
    FOREIGN KEY (made_by, org_id) REFERENCES users (id, org_id)
) STRICT;
-- The budget: an organisation's releases within a year.
CREATE INDEX release_ledger_by_date ON release_ledger (org_id, created_at);
