-- Major-project tracking [P1][P2]: fixed-asset investment planned and completed per month,
-- milestones with planned and actual dates, and the monthly 龙虎榜 frozen when published.
CREATE TABLE project_investments (
    project_id TEXT NOT NULL REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
    period TEXT NOT NULL,
    planned_wan BIGINT,
    actual_wan BIGINT,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (project_id, period)
);

CREATE TABLE project_milestones (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    actual_on TEXT,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX project_milestones_project ON project_milestones (project_id);

CREATE TABLE board_publications (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    period TEXT NOT NULL,
    content_json TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by TEXT NOT NULL,
    UNIQUE (city_id, period)
);
