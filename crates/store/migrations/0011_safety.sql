-- Attachments (photos and PDFs, kept in the database so every instance serves them) and the
-- three safety checkpoints (三同时) of construction projects; the safety design diagnosis
-- (安全设计诊断) of producing enterprises [P3].
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sm3 TEXT NOT NULL,
    content_b64 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id);

CREATE TABLE project_checkpoints (
    project_id TEXT NOT NULL REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
    checkpoint TEXT NOT NULL,
    done_on TEXT NOT NULL,
    attachment_id TEXT NOT NULL REFERENCES attachments(id) DEFERRABLE INITIALLY DEFERRED,
    note TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (project_id, checkpoint)
);

ALTER TABLE enterprises ADD COLUMN safety_diagnosis_on TEXT;
