-- Account rules: a password set by someone else is changed at the next login, earlier passwords
-- are not repeated, and an account may hold a second factor (TOTP, RFC 6238).
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
CREATE TABLE password_history (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED,
    password_hash TEXT NOT NULL,
    set_at BIGINT NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, set_at);
