-- Guarantee companies and the risk-compensation fund [F2] with their cases; the 对接 work of a
-- chain's liaisons and experts, and comments on the chain's items.
CREATE TABLE guarantors (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    capacity_fen BIGINT NOT NULL,
    partners TEXT NOT NULL,
    contact TEXT NOT NULL,
    note TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, name)
);

CREATE TABLE guarantee_cases (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    guarantor_id TEXT NOT NULL REFERENCES guarantors(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    request_id TEXT REFERENCES factor_requests(id) DEFERRABLE INITIALLY DEFERRED,
    bank TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    started_on TEXT NOT NULL,
    status TEXT NOT NULL,
    paid_fen BIGINT NOT NULL,
    closed_on TEXT,
    note TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX guarantee_cases_guarantor ON guarantee_cases (guarantor_id);

CREATE TABLE liaison_logs (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    done_on TEXT NOT NULL,
    counterpart TEXT NOT NULL,
    content TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX liaison_logs_chain ON liaison_logs (chain_id);

CREATE TABLE item_comments (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX item_comments_entity ON item_comments (entity_id);
