-- Factor guarantees [F1, F2]: the rule that routes each kind of request to its unit with a deadline
-- in working days; the 纾困 campaigns with their actions; the requests themselves with their answer
-- and the requester's rating; and the lead bank of each chain (一链一行) with its credit line.
CREATE TABLE factor_routes (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    working_days BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, kind)
);

CREATE TABLE relief_campaigns (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    leader TEXT NOT NULL,
    unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    goal TEXT NOT NULL,
    results TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, name)
);

CREATE TABLE campaign_actions (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES relief_campaigns(id) DEFERRABLE INITIALLY DEFERRED,
    done_on TEXT NOT NULL,
    action TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX campaign_actions_campaign ON campaign_actions (campaign_id);

CREATE TABLE factor_requests (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    detail TEXT NOT NULL,
    enterprise_id TEXT REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    project_id TEXT REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
    chain_id TEXT REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    campaign_id TEXT REFERENCES relief_campaigns(id) DEFERRABLE INITIALLY DEFERRED,
    unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    asked BIGINT,
    raised_on TEXT NOT NULL,
    deadline TEXT,
    status TEXT NOT NULL,
    outcome TEXT,
    granted BIGINT,
    granted_on TEXT,
    reason TEXT NOT NULL,
    answered_at BIGINT,
    answered_by TEXT,
    rating TEXT,
    rating_comment TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX factor_requests_city ON factor_requests (city_id, raised_on);
CREATE INDEX factor_requests_enterprise ON factor_requests (enterprise_id);

CREATE TABLE chain_banks (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    bank TEXT NOT NULL,
    partners TEXT NOT NULL,
    contact TEXT NOT NULL,
    credit_policy TEXT NOT NULL,
    credit_line_fen BIGINT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    desks TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (chain_id)
);
