-- Reminders pushed to a webhook [X2]: one row per reminder and day, with its delivery attempts.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    dedupe_key TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    href TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    delivered_at BIGINT,
    last_error TEXT NOT NULL,
    next_attempt_at BIGINT NOT NULL
);
CREATE INDEX notifications_pending ON notifications (delivered_at, next_attempt_at);
