-- The privacy-budget ledger of differentially private releases (docs/release.md): one row
-- per release an organisation made. Parameters, never source data: ε, δ, the ρ (zCDP) and
-- noise scale behind them, how many tables, when and by whom (NULL: the operator at the
-- command line), and the published file itself (noisy counts only, already public, kept so
-- that it can be downloaded again without spending more). The budget is per calendar year,
-- so the ledger is read by date.

CREATE TABLE release_ledger (
    id           uuid             NOT NULL PRIMARY KEY,
    org_id       uuid             NOT NULL REFERENCES organisations (id),
    created_at   timestamptz      NOT NULL,
    epsilon      double precision NOT NULL CHECK (epsilon > 0),
    delta        double precision NOT NULL CHECK (delta > 0 AND delta < 1),
    rho          double precision NOT NULL CHECK (rho > 0),
    noise_scale  double precision NOT NULL CHECK (noise_scale > 0),
    tables       bigint           NOT NULL CHECK (tables > 0),
    made_by      uuid,
    document     text             NOT NULL CHECK (json_typeof(document::json) = 'object'),
    FOREIGN KEY (made_by, org_id) REFERENCES users (id, org_id)
);
-- The budget: an organisation's releases within a year.
CREATE INDEX release_ledger_by_date ON release_ledger (org_id, created_at);
