-- Roll-ups of enterprise figures, due days, status rules as data, full provenance in the
-- correction history, and a revision per indicator that every figure write advances (for cached
-- roll-ups).
ALTER TABLE indicators ADD COLUMN rolls_up_from TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN due_day BIGINT NOT NULL DEFAULT 10;
ALTER TABLE cities ADD COLUMN green_from BIGINT NOT NULL DEFAULT 100;
ALTER TABLE cities ADD COLUMN amber_from BIGINT NOT NULL DEFAULT 90;
ALTER TABLE indicator_value_history ADD COLUMN entered_by TEXT NOT NULL DEFAULT '';
ALTER TABLE indicator_value_history ADD COLUMN entered_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE indicator_value_history ADD COLUMN source_file TEXT NOT NULL DEFAULT '';
CREATE INDEX indicator_values_period ON indicator_values (indicator_id, period, enterprise_key, value_scaled);
CREATE INDEX indicator_value_history_value ON indicator_value_history (value_id);
CREATE TABLE indicator_revisions (
    indicator_id TEXT PRIMARY KEY REFERENCES indicators(id) DEFERRABLE INITIALLY DEFERRED,
    revision BIGINT NOT NULL
);
