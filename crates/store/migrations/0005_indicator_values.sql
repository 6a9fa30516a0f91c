-- Monthly figures of indicators with their provenance, and every correction kept.
CREATE TABLE indicator_values (
    id TEXT PRIMARY KEY,
    indicator_id TEXT NOT NULL REFERENCES indicators(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_key TEXT NOT NULL,
    period TEXT NOT NULL,
    value_scaled BIGINT NOT NULL,
    unit TEXT NOT NULL,
    source TEXT NOT NULL,
    source_file TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (indicator_id, enterprise_key, period)
);

CREATE TABLE indicator_value_history (
    id TEXT PRIMARY KEY,
    value_id TEXT NOT NULL REFERENCES indicator_values(id) DEFERRABLE INITIALLY DEFERRED,
    value_scaled BIGINT NOT NULL,
    source TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL
);
