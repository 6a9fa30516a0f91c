-- The periodic evaluations of innovation platforms (运行评价): one band per carrier and year, with
-- the score when the evaluating body gives one.
CREATE TABLE carrier_evaluations (
    id TEXT PRIMARY KEY,
    carrier_id TEXT NOT NULL REFERENCES innovation_carriers(id) DEFERRABLE INITIALLY DEFERRED,
    year BIGINT NOT NULL,
    band TEXT NOT NULL,
    score BIGINT,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (carrier_id, year)
);
