-- Meetings (专题会议, 现场办公会) [O3]: chair, attendees, minutes, and the decisions that became
-- action items assigned to units with deadlines, tracked like tasks.
CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    chair TEXT NOT NULL,
    attendees TEXT NOT NULL,
    minutes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE action_items (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) DEFERRABLE INITIALLY DEFERRED,
    body TEXT NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    done_note TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX action_items_meeting ON action_items (meeting_id);
