-- The policy library [F5]: policies of every level with their conditions as data, and the
-- applications of enterprises for the funds a policy grants, with their decision.
CREATE TABLE policies (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    title TEXT NOT NULL,
    doc_number TEXT NOT NULL,
    level TEXT NOT NULL,
    issuer TEXT NOT NULL,
    tags TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    summary TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, title)
);

CREATE TABLE policy_conditions (
    id TEXT PRIMARY KEY,
    policy_id TEXT NOT NULL REFERENCES policies(id) DEFERRABLE INITIALLY DEFERRED,
    position BIGINT NOT NULL,
    criterion TEXT NOT NULL,
    op TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX policy_conditions_policy ON policy_conditions (policy_id);

CREATE TABLE policy_applications (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    policy_id TEXT NOT NULL REFERENCES policies(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    applied_on TEXT NOT NULL,
    asked_fen BIGINT,
    note TEXT NOT NULL,
    status TEXT NOT NULL,
    granted_fen BIGINT,
    decided_on TEXT,
    reason TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX policy_applications_policy ON policy_applications (policy_id);
