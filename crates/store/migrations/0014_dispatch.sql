-- Dispatch reports [O3]: a chain office's monthly report (and the general office's quarterly one),
-- drafted from the data, edited, submitted, and acknowledged by the chain chief and the general office.
CREATE TABLE dispatch_reports (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    chain_id TEXT REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    period TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    submitted_at BIGINT,
    submitted_by TEXT,
    chief_ack_at BIGINT,
    chief_ack_by TEXT,
    office_ack_at BIGINT,
    office_ack_by TEXT,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, kind, chain_id, period)
);
