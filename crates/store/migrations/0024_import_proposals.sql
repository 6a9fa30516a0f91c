-- Imported rows that match an enterprise the importer may not change are not applied: they wait
-- here for a keeper of that enterprise (the general office or an office of its chains), who
-- accepts (the row is applied as the import would have) or rejects them with a reason.
CREATE TABLE import_proposals (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    file_name TEXT NOT NULL,
    row_number BIGINT NOT NULL,
    name_in_file TEXT NOT NULL,
    proposed_row TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    proposed_at BIGINT NOT NULL,
    proposed_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX import_proposals_pending ON import_proposals (city_id, status);
