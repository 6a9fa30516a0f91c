-- Innovation resources [N1]-[N5]: carriers (platforms, consortia and alliances, associations,
-- public service platforms) with their members and activities; key technologies with the stages
-- they reached; standards and invention patents with the rewards granted.
CREATE TABLE innovation_carriers (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    since_year BIGINT,
    chain_id TEXT REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    node_id TEXT REFERENCES chain_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    host_enterprise_id TEXT REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    host_name TEXT NOT NULL,
    approval TEXT NOT NULL,
    purpose TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, name)
);

CREATE TABLE carrier_members (
    id TEXT PRIMARY KEY,
    carrier_id TEXT NOT NULL REFERENCES innovation_carriers(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    member_type TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (carrier_id, name)
);

CREATE TABLE carrier_activities (
    id TEXT PRIMARY KEY,
    carrier_id TEXT NOT NULL REFERENCES innovation_carriers(id) DEFERRABLE INITIALLY DEFERRED,
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    enterprise_id TEXT REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX carrier_activities_of ON carrier_activities (carrier_id, held_on);

CREATE TABLE key_technologies (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    node_id TEXT REFERENCES chain_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    owner_enterprise_id TEXT REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    partners TEXT NOT NULL,
    consortium_id TEXT REFERENCES innovation_carriers(id) DEFERRABLE INITIALLY DEFERRED,
    stage TEXT NOT NULL,
    target_year BIGINT,
    goal TEXT NOT NULL,
    progress TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, name)
);

CREATE TABLE technology_stages (
    id TEXT PRIMARY KEY,
    technology_id TEXT NOT NULL REFERENCES key_technologies(id) DEFERRABLE INITIALLY DEFERRED,
    stage TEXT NOT NULL,
    reached_on TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX technology_stages_of ON technology_stages (technology_id, reached_on);

CREATE TABLE innovation_results (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    number TEXT NOT NULL,
    granted_year BIGINT NOT NULL,
    reward_fen BIGINT,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (city_id, kind, number)
);
