-- Chain maps and the enterprise library: nodes and supply edges of each chain, enterprises
-- placed on nodes, supplier→customer relations, cultivation tiers, rating rubrics and overrides,
-- and frozen yearly snapshots.

CREATE TABLE chain_nodes (
    id TEXT PRIMARY KEY,
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    stage TEXT NOT NULL,
    parent_id TEXT REFERENCES chain_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    key_node BIGINT NOT NULL,
    products TEXT NOT NULL,
    industry_codes TEXT NOT NULL,
    position BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (chain_id, code),
    UNIQUE (chain_id, name)
);

CREATE TABLE chain_edges (
    id TEXT PRIMARY KEY,
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    from_id TEXT NOT NULL REFERENCES chain_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    to_id TEXT NOT NULL REFERENCES chain_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (from_id, to_id)
);

ALTER TABLE enterprises ADD COLUMN is_local BIGINT NOT NULL DEFAULT 1;
ALTER TABLE enterprises ADD COLUMN scale TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN ownership TEXT NOT NULL DEFAULT 'domestic';
ALTER TABLE enterprises ADD COLUMN listed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE enterprises ADD COLUMN categories TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN revenue_wan BIGINT;
ALTER TABLE enterprises ADD COLUMN employees BIGINT;
ALTER TABLE enterprises ADD COLUMN products TEXT NOT NULL DEFAULT '';

CREATE TABLE enterprise_nodes (
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    node_id TEXT NOT NULL REFERENCES chain_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, node_id)
);
CREATE INDEX enterprise_nodes_node ON enterprise_nodes (node_id);

CREATE TABLE enterprise_relations (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    supplier_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    customer_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    product TEXT NOT NULL,
    value_wan BIGINT,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (supplier_id, customer_id, product)
);

CREATE TABLE enterprise_tiers (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    tier TEXT NOT NULL,
    since TEXT,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (enterprise_id, tier)
);

CREATE TABLE rating_rubrics (
    chain_id TEXT PRIMARY KEY REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    rubric_json TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE node_rating_overrides (
    node_id TEXT PRIMARY KEY REFERENCES chain_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    rating TEXT NOT NULL,
    reason TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE map_snapshots (
    id TEXT PRIMARY KEY,
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    year BIGINT NOT NULL,
    content_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (chain_id, year)
);
