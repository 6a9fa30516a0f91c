-- Problems and 督办 [P4]: raised by a project or an enterprise, assigned to lead and co-lead units
-- with a deadline, followed by progress notes, resolved by the lead unit, confirmed by the raiser.
CREATE TABLE problems (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    title TEXT NOT NULL,
    detail TEXT NOT NULL,
    chain_id TEXT REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    project_id TEXT REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    raised_by TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    deadline TEXT,
    status TEXT NOT NULL,
    resolution TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE problem_units (
    problem_id TEXT NOT NULL REFERENCES problems(id) DEFERRABLE INITIALLY DEFERRED,
    unit_id TEXT NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL,
    PRIMARY KEY (problem_id, unit_id)
);
CREATE INDEX problem_units_unit ON problem_units (unit_id);

CREATE TABLE problem_notes (
    id TEXT PRIMARY KEY,
    problem_id TEXT NOT NULL REFERENCES problems(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX problem_notes_problem ON problem_notes (problem_id);
