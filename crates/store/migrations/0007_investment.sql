-- Investment promotion [I1]–[I4]: the target library with its nodes and contacts, projects with
-- their stage history, monthly investment and milestones, and events counted toward quotas.
CREATE TABLE investment_targets (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    owner_unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (city_id, enterprise_id)
);

CREATE TABLE target_nodes (
    target_id TEXT NOT NULL REFERENCES investment_targets(id) DEFERRABLE INITIALLY DEFERRED,
    node_id TEXT NOT NULL REFERENCES chain_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (target_id, node_id)
);

CREATE TABLE target_contacts (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL REFERENCES investment_targets(id) DEFERRABLE INITIALLY DEFERRED,
    contact_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX target_contacts_target ON target_contacts (target_id);

CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    company_name TEXT NOT NULL,
    target_id TEXT REFERENCES investment_targets(id) DEFERRABLE INITIALLY DEFERRED,
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    node_id TEXT REFERENCES chain_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    park_id TEXT REFERENCES parks(id) DEFERRABLE INITIALLY DEFERRED,
    lead_unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    method TEXT NOT NULL,
    stage TEXT NOT NULL,
    major BIGINT NOT NULL,
    planned_wan BIGINT,
    signed_wan BIGINT,
    signed_on TEXT,
    approval_on TEXT,
    started_on TEXT,
    producing_on TEXT,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE project_stages (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    moved_at BIGINT NOT NULL,
    moved_by TEXT NOT NULL
);
CREATE INDEX project_stages_project ON project_stages (project_id);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    participants TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE event_projects (
    event_id TEXT NOT NULL REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED,
    project_id TEXT NOT NULL REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (event_id, project_id)
);
