-- Supply-demand docking [S1]: OEM needs, local suppliers' capabilities, and deals, which become
-- supplier → customer relations of the enterprise library (and so the local supporting rate).
CREATE TABLE supply_needs (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    part TEXT NOT NULL,
    process TEXT NOT NULL,
    annual_volume TEXT NOT NULL,
    annual_value_wan BIGINT,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE supply_capabilities (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    part TEXT NOT NULL,
    process TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE supply_deals (
    id TEXT PRIMARY KEY,
    need_id TEXT NOT NULL REFERENCES supply_needs(id) DEFERRABLE INITIALLY DEFERRED,
    supplier_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    value_wan BIGINT NOT NULL,
    signed_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
