-- The fund pool [F3]: guidance funds and special work funds with a budget per year, and their
-- allocations (never beyond the budget: the allocated total is kept on the fund and raised only
-- within it); the talent pool [F4]: each enterprise's yearly intake, the city's yearly aims, and
-- school–enterprise cooperation and 产教融合 bases.
CREATE TABLE funds (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    budget_fen BIGINT NOT NULL,
    allocated_fen BIGINT NOT NULL,
    unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    note TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, name, year)
);

CREATE TABLE fund_allocations (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    fund_id TEXT NOT NULL REFERENCES funds(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    project_id TEXT REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
    purpose TEXT NOT NULL,
    decision TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    decided_on TEXT NOT NULL,
    disbursed_fen BIGINT NOT NULL,
    disbursed_on TEXT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX fund_allocations_fund ON fund_allocations (fund_id);

CREATE TABLE talent_intakes (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    year BIGINT NOT NULL,
    high_end BIGINT NOT NULL,
    skilled BIGINT NOT NULL,
    graduates BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (enterprise_id, year)
);

CREATE TABLE talent_aims (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    year BIGINT NOT NULL,
    high_end BIGINT NOT NULL,
    skilled BIGINT NOT NULL,
    graduates BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, year)
);

CREATE TABLE school_partnerships (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    school TEXT NOT NULL,
    enterprise_id TEXT REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    chain_id TEXT REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    status TEXT NOT NULL,
    since TEXT NOT NULL,
    note TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, name)
);
