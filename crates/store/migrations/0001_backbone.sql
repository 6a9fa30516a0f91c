-- The backbone: cities and their plans, organisation, users, sessions, audit.
-- Portable SQL for SQLite and PostgreSQL: ids are application-generated text,
-- times are epoch milliseconds, booleans are 0/1, quantities are scaled integers.

CREATE TABLE cities (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    province TEXT NOT NULL,
    prefecture TEXT NOT NULL,
    plan_title TEXT NOT NULL,
    plan_issuer TEXT NOT NULL,
    plan_issued TEXT NOT NULL,
    plan_doc_number TEXT NOT NULL,
    start_year BIGINT NOT NULL,
    target_year BIGINT NOT NULL,
    plan_hash TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE parks (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    parent_id TEXT REFERENCES parks(id) DEFERRABLE INITIALLY DEFERRED,
    description TEXT NOT NULL,
    position BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, code)
);

CREATE TABLE units (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    park_id TEXT REFERENCES parks(id) DEFERRABLE INITIALLY DEFERRED,
    host_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    position BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, code)
);

CREATE TABLE unit_members (
    group_id TEXT NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    member_id TEXT NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    position BIGINT NOT NULL,
    PRIMARY KEY (group_id, member_id)
);

CREATE TABLE chains (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_id TEXT REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    chief_title TEXT NOT NULL,
    chief_name TEXT NOT NULL DEFAULT '',
    office_unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    plan_text TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, code)
);

CREATE TABLE chain_parks (
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    park_id TEXT NOT NULL REFERENCES parks(id) DEFERRABLE INITIALLY DEFERRED,
    position BIGINT NOT NULL,
    PRIMARY KEY (chain_id, park_id)
);

CREATE TABLE chain_five_ones (
    id TEXT PRIMARY KEY,
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    item TEXT NOT NULL,
    present BIGINT NOT NULL,
    evidence TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (chain_id, item)
);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    chain_id TEXT REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    head_count BIGINT NOT NULL,
    full_time BIGINT NOT NULL,
    holders TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, code)
);

CREATE TABLE indicators (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    scope TEXT NOT NULL,
    chain_id TEXT REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    park_id TEXT REFERENCES parks(id) DEFERRABLE INITIALLY DEFERRED,
    aggregation TEXT NOT NULL,
    direction TEXT NOT NULL,
    source TEXT NOT NULL,
    formula TEXT NOT NULL,
    position BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, code)
);

CREATE TABLE indicator_targets (
    id TEXT PRIMARY KEY,
    indicator_id TEXT NOT NULL REFERENCES indicators(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    value_scaled BIGINT NOT NULL,
    unit TEXT NOT NULL,
    UNIQUE (indicator_id, kind, year)
);

CREATE TABLE measures (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    code TEXT NOT NULL,
    section TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    frequency TEXT NOT NULL,
    deadline TEXT,
    position BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, code)
);

CREATE TABLE measure_units (
    measure_id TEXT NOT NULL REFERENCES measures(id) DEFERRABLE INITIALLY DEFERRED,
    unit_id TEXT NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (measure_id, unit_id)
);

CREATE TABLE quotas (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    measure_id TEXT NOT NULL REFERENCES measures(id) DEFERRABLE INITIALLY DEFERRED,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    min_count BIGINT NOT NULL,
    unit TEXT NOT NULL,
    counts TEXT NOT NULL,
    position BIGINT NOT NULL,
    UNIQUE (city_id, code)
);

CREATE TABLE enterprises (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    credit_code TEXT,
    is_demo BIGINT NOT NULL,
    park_id TEXT REFERENCES parks(id) DEFERRABLE INITIALLY DEFERRED,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, name)
);

CREATE TABLE enterprise_chains (
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (enterprise_id, chain_id)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    disabled BIGINT NOT NULL,
    failed_logins BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE user_roles (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL,
    chain_id TEXT REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX user_roles_user ON user_roles (user_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ip TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    city_id TEXT,
    at BIGINT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before_json TEXT,
    after_json TEXT,
    ip TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_city_at ON audit_log (city_id, at);

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- The head of the audit chain: its row lock serialises appends across instances,
-- and it remembers the last record so that deleting the tail is detected too.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
