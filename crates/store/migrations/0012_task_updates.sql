-- Progress of the plan's measures as tasks [O2]: each report with its unit, whether it completes
-- a one-off task, and its evidence (an attachment of the task).
CREATE TABLE task_updates (
    id TEXT PRIMARY KEY,
    measure_id TEXT NOT NULL REFERENCES measures(id) DEFERRABLE INITIALLY DEFERRED,
    unit_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    body TEXT NOT NULL,
    done BIGINT NOT NULL,
    reported_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX task_updates_measure ON task_updates (measure_id);
